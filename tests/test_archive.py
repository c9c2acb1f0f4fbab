"""The archive itself: schema versions and migrations, foreign files, keys and views; each
test on a SQLite file and on a PostgreSQL database (skipped, saying so, without a server)."""
from __future__ import annotations

import json
import sqlite3

import pytest

from conftest import SAMPLES, run_cli
from backends import (BACKENDS, archive_location, column_names, integrity_error, new_postgresql_archive,  # noqa: F401
                      raw_connect, table_names)

from pipeline.storage.archive import ARCHIVE_SCHEMA_VERSION, Archive, ArchiveError, SourceFile, iter_report_docs
from pipeline.extract import parse_file
from pipeline.tables import COLUMNS, TABLES


def _docs():
    return [parse_file(p).to_json() for p in sorted(SAMPLES.glob("*.txt"))]


@pytest.fixture(scope="module")
def docs():
    return _docs()


def _fill(path, docs):
    with Archive(path) as a:
        for d in docs:
            a.add_report(d, [SourceFile(d["source"]["path"], d["source"]["sha256"], 1)])


@pytest.fixture(params=BACKENDS)
def db(request, tmp_path):
    """Where the test's archive lives (not yet created)."""
    return archive_location(request.param, tmp_path, request)


def _version(db) -> str:
    conn = raw_connect(db)
    try:
        return conn.execute("SELECT value FROM meta WHERE key = 'archive_schema_version'").fetchone()[0]
    finally:
        conn.close()


def _set_version(db, v):
    conn = raw_connect(db)
    conn.execute(f"UPDATE meta SET value = '{int(v)}' WHERE key = 'archive_schema_version'")
    conn.close()


def test_new_archive_records_versions_and_round_trips(db, docs):
    _fill(db, docs)
    with Archive(db) as a:
        meta = a.meta()
        assert meta["archive_schema_version"] == str(ARCHIVE_SCHEMA_VERSION)
        assert meta["created_by"].startswith("jeonyong ")
        if a.dialect == "sqlite":
            assert a.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert a.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # adding the same report again changes nothing
        assert a.add_report(docs[0], [SourceFile(docs[0]["source"]["path"], docs[0]["source"]["sha256"], 1)]) is False
        assert a.counts()["reports"] == len({d["source"]["sha256"] for d in docs})
    assert sorted(iter_report_docs(db), key=lambda d: d["source"]["sha256"]) == \
        sorted({d["source"]["sha256"]: d for d in docs}.values(), key=lambda d: d["source"]["sha256"])


def test_newer_archive_is_refused_clearly(tmp_path, db, docs):
    _fill(db, docs[:1])
    _set_version(db, ARCHIVE_SCHEMA_VERSION + 1)
    with pytest.raises(ArchiveError, match="newer jeonyong"):
        Archive(db)
    for args in (["export", "--archive", db, "--out", tmp_path / "o"], ["ingest", SAMPLES, "--archive", db]):
        r = run_cli(*args)
        assert r.returncode == 2
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "newer jeonyong" in lines[0] and "upgrade" in lines[0]
        assert "Traceback" not in r.stderr
    assert not (tmp_path / "o").exists()
    # and the archive was not touched
    assert _version(db) == str(ARCHIVE_SCHEMA_VERSION + 1)


def test_older_archive_is_migrated_or_explained(db, docs):
    _fill(db, docs[:2])
    _set_version(db, ARCHIVE_SCHEMA_VERSION - 1)
    # no migration from that version: say what to do, change nothing
    with pytest.raises(ArchiveError, match="cannot be migrated.*new archive"):
        Archive(db, migrations={})
    assert _version(db) == str(ARCHIVE_SCHEMA_VERSION - 1)

    # with a migration step, it is applied once, in order, and the version recorded
    applied = []

    def step(conn):
        applied.append(conn.execute("SELECT count(*) FROM reports").fetchone()[0])
        conn.execute('CREATE TABLE migrated_marker ("n" INTEGER)')

    with Archive(db, migrations={ARCHIVE_SCHEMA_VERSION - 1: step}) as a:
        assert a.schema_version() == ARCHIVE_SCHEMA_VERSION
        assert a.counts()["reports"] == 2
    assert applied == [2]
    with Archive(db, migrations={ARCHIVE_SCHEMA_VERSION - 1: step}):
        pass
    assert applied == [2]


def test_failed_migration_leaves_the_archive_as_it_was(db, docs):
    _fill(db, docs[:1])
    _set_version(db, ARCHIVE_SCHEMA_VERSION - 1)

    def bad(conn):
        conn.execute('CREATE TABLE half_done ("n" INTEGER)')
        raise ArchiveError("migration failed")

    with pytest.raises(ArchiveError):
        Archive(db, migrations={ARCHIVE_SCHEMA_VERSION - 1: bad})
    conn = raw_connect(db)
    assert "half_done" not in table_names(conn, db)
    conn.close()
    assert _version(db) == str(ARCHIVE_SCHEMA_VERSION - 1)


def test_archive_missing_a_newer_contract_column_gains_it(db, docs):
    """An archive written before a column was added to the contract tables gets it on open."""
    _fill(db, docs[:1])
    conn = raw_connect(db)
    conn.execute("DROP VIEW finding_details")  # views name the column; they are recreated anyway
    conn.execute('ALTER TABLE budget_lines DROP COLUMN "loc_cell"')
    conn.close()
    with Archive(db) as a:
        assert "loc_cell" in column_names(a.conn, db, "budget_lines")
        assert "budget_lines.loc_cell" in a.meta()["columns_added"]
        a.conn.execute("SELECT * FROM finding_details").fetchall()


def test_archive_missing_a_newer_table_gains_it(db, docs):
    """A table added to the schema (one `Table` in storage/schema.py) is created in an older
    archive when it is opened, and `migrate` says so; the archive's rows stay."""
    _fill(db, docs[:1])
    conn = raw_connect(db)
    conn.execute("DROP TABLE runs")
    conn.close()
    r = run_cli("migrate", db)
    assert r.returncode == 0 and "tables added: runs" in r.stdout, r.stdout + r.stderr
    with Archive(db) as a:
        assert a.counts()["reports"] == 1 and a.counts()["runs"] == 0
        a.finish_run(a.start_run(["x"]), "done", ingested=1)
        assert a.counts()["runs"] == 1


@pytest.mark.parametrize("content,why", [
    (b"this is not a database, just text\n" * 100, "not a usable SQLite archive"),
    (None, "not a jeonyong archive"),
])
def test_foreign_files_are_refused(tmp_path, content, why):
    db = tmp_path / "x.sqlite"
    if content is None:
        conn = sqlite3.connect(db)
        conn.execute("CREATE TABLE something (x)")
        conn.commit()
        conn.close()
    else:
        db.write_bytes(content)
    with pytest.raises(ArchiveError, match=why):
        Archive(db)
    r = run_cli("export", "--archive", db, "--out", tmp_path / "o")
    assert r.returncode == 2 and why in r.stderr and "Traceback" not in r.stderr
    r = run_cli("export", "--archive", tmp_path / "missing.sqlite", "--out", tmp_path / "o")
    assert r.returncode == 2 and "no such archive" in r.stderr
    assert not (tmp_path / "missing.sqlite").exists()


def test_tables_keys_and_views(db, docs):
    _fill(db, docs)
    conn = raw_connect(db)
    if not isinstance(db, str):
        conn.execute("PRAGMA foreign_keys = ON")
    # the contract's columns, under their contract names
    for name in TABLES:
        assert column_names(conn, db, name)[: len(COLUMNS[name])] == COLUMNS[name]
    # keys hold
    rid = docs[0]["source"]["sha256"]
    with pytest.raises(integrity_error(db)):
        conn.execute("INSERT INTO transfers (report_id, transfer_seq, label, title) VALUES ('nope', 1, 'I', 't')")
    with pytest.raises(integrity_error(db)):
        conn.execute(f"INSERT INTO transfers (report_id, transfer_seq, label, title) VALUES ('{rid}', 1, 'I', 't')")
    # every finding appears in finding_details, with its report and, for line findings, the line's figures
    n = conn.execute("SELECT count(*) FROM findings").fetchone()[0]
    assert n > 0
    assert conn.execute("SELECT count(*) FROM finding_details").fetchone()[0] == n
    rows = conn.execute('SELECT f.line, f.transfer_seq, d.office, d.fiscal_year, d.transfer_title, d.stat_code, d."before", '
                        'b."before", r.office FROM findings f JOIN finding_details d USING (report_id, finding_no) '
                        'JOIN reports r USING (report_id) LEFT JOIN budget_lines b ON b.report_id = f.report_id '
                        'AND b.transfer_seq = f.transfer_seq AND b.line = f.line').fetchall()
    for line, seq, office, year, ttitle, code, before, b_before, r_office in rows:
        assert office == r_office
        if seq is not None:
            assert ttitle
        if line is not None:
            assert before == b_before and code is not None
    # deleting a report removes everything that hangs off it
    conn.execute(f"DELETE FROM reports WHERE report_id = '{rid}'")
    for t in ("transfers", "budget_lines", "findings", "report_documents"):
        assert conn.execute(f"SELECT count(*) FROM {t} WHERE report_id = '{rid}'").fetchone()[0] == 0
    for view in ("report_overview", "transfer_details", "source_files", "findings_by_check", "stat_code_names",
                 "stat_code_conflicts"):
        conn.execute(f"SELECT * FROM {view}").fetchall()
    total = conn.execute("SELECT sum(finding_count) FROM findings_by_check").fetchone()[0]
    assert total == conn.execute("SELECT count(*) FROM findings").fetchone()[0]


@pytest.fixture(scope="module")
def pdf_docs():
    return [parse_file(p).to_json() for p in sorted(SAMPLES.glob("*.pdf"))]


def test_reading_notes_lists_every_note_of_every_report_where_it_is_printed(db, pdf_docs):
    """The `reading_notes` view shows the notes of the reports' JSON, one row each, with the
    report's path and the note's place, so an auditor can query them beside the findings."""
    docs = pdf_docs
    noted = [d for d in docs if d["notes"]]
    assert noted, "the samples include PDFs whose names needed a noted reading"
    _fill(db, docs)
    conn = raw_connect(db)
    rows = conn.execute('SELECT report_id, source_path, note_no, text, alternative, basis, reason, loc_page, loc_bbox '
                        'FROM reading_notes ORDER BY report_id, note_no').fetchall()
    want = sorted((d["source"]["sha256"], d["source"]["path"], k, n["text"], n["alternative"], n["basis"], n["reason"],
                   (n["loc"] or {}).get("page"), (n["loc"] or {}).get("bbox"))
                  for d in docs for k, n in enumerate(d["notes"], start=1))
    assert [tuple(r[:-1]) + (json.loads(r[-1]) if r[-1] is not None else None,) for r in rows] == want


def test_a_foreign_postgresql_database_is_refused(new_postgresql_archive):
    """A PostgreSQL database holding other tables is not taken for an archive, and not changed."""
    conn = raw_connect(new_postgresql_archive)
    conn.execute("CREATE TABLE something (x integer)")
    with pytest.raises(ArchiveError, match="not a jeonyong archive"):
        Archive(new_postgresql_archive)
    assert table_names(conn, new_postgresql_archive) == {"something"}
    conn.close()
    r = run_cli("export", "--archive", new_postgresql_archive, "--out", "/nonexistent/o")
    assert r.returncode == 2 and "not a jeonyong archive" in r.stderr and "Traceback" not in r.stderr

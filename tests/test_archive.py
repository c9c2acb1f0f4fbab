"""The SQLite archive itself: schema versions and migrations, foreign files, keys and views."""
from __future__ import annotations

import json
import sqlite3

import pytest

from conftest import SAMPLES, run_cli

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


def _set_version(path, v):
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'archive_schema_version'", (str(v),))
    conn.commit()
    conn.close()


def test_new_archive_records_versions_and_round_trips(tmp_path, docs):
    db = tmp_path / "a.sqlite"
    _fill(db, docs)
    with Archive(db) as a:
        meta = a.meta()
        assert meta["archive_schema_version"] == str(ARCHIVE_SCHEMA_VERSION)
        assert meta["created_by"].startswith("jeonyong ")
        assert a.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert a.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # adding the same report again changes nothing
        assert a.add_report(docs[0], [SourceFile(docs[0]["source"]["path"], docs[0]["source"]["sha256"], 1)]) is False
        assert a.counts()["reports"] == len({d["source"]["sha256"] for d in docs})
    assert sorted(iter_report_docs(db), key=lambda d: d["source"]["sha256"]) == \
        sorted({d["source"]["sha256"]: d for d in docs}.values(), key=lambda d: d["source"]["sha256"])


def test_newer_archive_is_refused_clearly(tmp_path, docs):
    db = tmp_path / "a.sqlite"
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
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT value FROM meta WHERE key = 'archive_schema_version'").fetchone()[0] == \
        str(ARCHIVE_SCHEMA_VERSION + 1)


def test_older_archive_is_migrated_or_explained(tmp_path, docs):
    db = tmp_path / "a.sqlite"
    _fill(db, docs[:2])
    _set_version(db, ARCHIVE_SCHEMA_VERSION - 1)
    # no migration from that version: say what to do, change nothing
    with pytest.raises(ArchiveError, match="cannot be migrated.*new archive"):
        Archive(db, migrations={})
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT value FROM meta WHERE key = 'archive_schema_version'").fetchone()[0] == \
        str(ARCHIVE_SCHEMA_VERSION - 1)
    conn.close()

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


def test_failed_migration_leaves_the_archive_as_it_was(tmp_path, docs):
    db = tmp_path / "a.sqlite"
    _fill(db, docs[:1])
    _set_version(db, ARCHIVE_SCHEMA_VERSION - 1)

    def bad(conn):
        conn.execute('CREATE TABLE half_done ("n" INTEGER)')
        raise ArchiveError("migration failed")

    with pytest.raises(ArchiveError):
        Archive(db, migrations={ARCHIVE_SCHEMA_VERSION - 1: bad})
    conn = sqlite3.connect(db)
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "half_done" not in names
    assert conn.execute("SELECT value FROM meta WHERE key = 'archive_schema_version'").fetchone()[0] == \
        str(ARCHIVE_SCHEMA_VERSION - 1)


def test_archive_missing_a_newer_contract_column_gains_it(tmp_path, docs):
    """An archive written before a column was added to the contract tables gets it on open."""
    db = tmp_path / "a.sqlite"
    _fill(db, docs[:1])
    conn = sqlite3.connect(db)
    conn.execute("DROP VIEW finding_details")  # views name the column; they are recreated anyway
    conn.execute('ALTER TABLE budget_lines DROP COLUMN "loc_cell"')
    conn.commit()
    conn.close()
    with Archive(db) as a:
        cols = [r[1] for r in a.conn.execute("PRAGMA table_info(budget_lines)")]
        assert "loc_cell" in cols
        assert "budget_lines.loc_cell" in a.meta()["columns_added"]
        a.conn.execute("SELECT * FROM finding_details").fetchall()


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


def test_tables_keys_and_views(tmp_path, docs):
    db = tmp_path / "a.sqlite"
    _fill(db, docs)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys = ON")
    # the contract's columns, under their contract names
    for name in TABLES:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info({name})")]
        assert cols[: len(COLUMNS[name])] == COLUMNS[name]
    # keys hold
    rid = docs[0]["source"]["sha256"]
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO transfers (report_id, transfer_seq, label, title) VALUES ('nope', 1, 'I', 't')")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO transfers (report_id, transfer_seq, label, title) VALUES (?, 1, 'I', 't')", (rid,))
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
    conn.execute("DELETE FROM reports WHERE report_id = ?", (rid,))
    for t in ("transfers", "budget_lines", "findings", "report_documents"):
        assert conn.execute(f"SELECT count(*) FROM {t} WHERE report_id = ?", (rid,)).fetchone()[0] == 0
    for view in ("report_overview", "transfer_details", "source_files", "findings_by_check", "stat_code_names",
                 "stat_code_conflicts"):
        conn.execute(f"SELECT * FROM {view}").fetchall()
    total = conn.execute("SELECT sum(finding_count) FROM findings_by_check").fetchone()[0]
    assert total == conn.execute("SELECT count(*) FROM findings").fetchone()[0]


def test_reading_notes_lists_every_note_of_every_report_where_it_is_printed(tmp_path):
    """The `reading_notes` view shows the notes of the reports' JSON, one row each, with the
    report's path and the note's place, so an auditor can query them beside the findings."""
    docs = [parse_file(p).to_json() for p in sorted(SAMPLES.glob("*.pdf"))]
    noted = [d for d in docs if d["notes"]]
    assert noted, "the samples include PDFs whose names needed a noted reading"
    db = tmp_path / "a.sqlite"
    _fill(db, docs)
    conn = sqlite3.connect(db)
    rows = conn.execute('SELECT report_id, source_path, note_no, text, alternative, basis, reason, loc_page, loc_bbox '
                        'FROM reading_notes ORDER BY report_id, note_no').fetchall()
    want = sorted((d["source"]["sha256"], d["source"]["path"], k, n["text"], n["alternative"], n["basis"], n["reason"],
                   (n["loc"] or {}).get("page"), json.dumps((n["loc"] or {}).get("bbox"), separators=(",", ":")))
                  for d in docs for k, n in enumerate(d["notes"], start=1))
    assert [tuple(r) for r in rows] == want

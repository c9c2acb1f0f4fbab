"""An archivist's corrections of extracted values: recorded one at a time or from a CSV, in a
table of their own beside what was extracted (never over it), shown beside the extracted value
by the corrected_values view, kept when the same files are ingested again (--force too), and
re-checked by `audit --archive`, which says the report was audited with corrections. On SQLite,
and on PostgreSQL where JEONYONG_TEST_POSTGRESQL names a server."""
from __future__ import annotations

import csv
import shutil

import pytest

from backends import BACKENDS, archive_location, raw_connect
from conftest import SAMPLES, run_cli


@pytest.fixture(params=BACKENDS)
def archive(request, tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for p in (SAMPLES / "err_row_balance_001.txt", SAMPLES / "000_seed.txt"):
        shutil.copy(p, src / p.name)
    db = archive_location(request.param, tmp_path, request)
    r = run_cli("ingest", src, "--archive", db, "--jobs", "1")
    assert r.returncode == 1, r.stderr
    return src, db


def _query(db, sql):
    conn = raw_connect(db)
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


def _row_balance(db):
    """(report_id, transfer_seq, line, field, expected, actual) of the archive's one row_balance finding."""
    rows = _query(db, "SELECT report_id, transfer_seq, line, field, expected, actual FROM findings WHERE \"check\" = 'row_balance'")
    assert len(rows) == 1
    return rows[0]


def _checks_shown(stdout: str) -> set[str]:
    """The checks of the finding rows an audit printed (a row starts with its check)."""
    return {ln.split()[0] for ln in stdout.splitlines() if ln.startswith("    ") and ln.split()[:1] and
            ln.split()[0] in ("row_balance", "column_total", "transfer_balance", "summary_amount", "overdraw")}


def _stored(db):
    return (_query(db, "SELECT report_json FROM report_documents ORDER BY report_id"),
            _query(db, 'SELECT report_id, transfer_seq, line, "before", "decrease", "increase", "after", stat_name '
                       "FROM budget_lines ORDER BY report_id, transfer_seq, line"))


def test_a_correction_is_audited_and_survives_a_reingest(archive):
    src, db = archive
    rid, seq, line, field, needed, printed = _row_balance(db)
    extracted = _stored(db)
    before = run_cli("audit", "--archive", db)
    assert "row_balance" in _checks_shown(before.stdout) and "audited with" not in before.stdout
    r = run_cli("correct", "--archive", db, rid, "--transfer", seq, "--line", line, "--field", field,
                "--value", f"{needed:,}", "--reason", "the scan prints the figure the arithmetic needs", "--by", "archivist park")
    assert r.returncode == 0, r.stderr
    for args in (None, [], ["--force"]):
        if args is not None:
            assert run_cli("ingest", src, "--archive", db, "--jobs", "1", *args).returncode == 1
        audit = run_cli("audit", "--archive", db)
        assert "audited with 1 correction(s)" in audit.stdout
        assert f"{printed} → {needed}" in audit.stdout and "archivist park" in audit.stdout
        assert "row_balance" not in _checks_shown(audit.stdout)  # the finding the corrected figure explained is gone
        # what was extracted is untouched: the stored JSON, lines and findings
        assert _stored(db) == extracted
        assert _row_balance(db) == (rid, seq, line, field, needed, printed)
        view = _query(db, "SELECT report_id, transfer_seq, line, field, extracted, corrected, corrected_by FROM corrected_values")
        assert view == [(rid, seq, line, field, str(printed), str(needed), "archivist park")]


def test_a_csv_round_trip(archive, tmp_path):
    _, db = archive
    rid, seq, line, field, needed, printed = _row_balance(db)
    sheet = tmp_path / "corrections.csv"
    sheet.write_text("\ufeff" + "report_id,transfer_seq,line,field,value,reason,corrected_by\r\n"
                     f"{rid},{seq},{line},{field},{needed},misread,lee\r\n"
                     f"{rid},{seq},{line},stat_name,사무 관리비,spacing as printed,lee\r\n", encoding="utf-8")
    r = run_cli("correct", "--archive", db, "--import", sheet)
    assert r.returncode == 0 and "2 corrections recorded" in r.stderr, r.stderr
    out = tmp_path / "out.csv"
    assert run_cli("correct", "--archive", db, "--export", out).returncode == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    got = {(r["field"], r["value"], r["corrected_by"]) for r in rows}
    assert got == {(field, str(needed), "lee"), ("stat_name", "사무 관리비", "lee")}
    assert all(r["report_id"] == rid and r["extracted"] for r in rows)
    # the export imports back as nothing new
    r = run_cli("correct", "--archive", db, "--import", out)
    assert r.returncode == 0 and "0 corrections recorded" in r.stderr, r.stderr
    assert len(_query(db, "SELECT * FROM corrections")) == 2


def test_bad_corrections_are_refused_in_one_line(archive, tmp_path):
    _, db = archive
    rid, seq, line, field, needed, _ = _row_balance(db)
    base = ["correct", "--archive", db, rid, "--transfer", seq, "--line", line, "--reason", "r", "--by", "kim"]
    cases = [
        (["--field", "total", "--value", "1"], "is not one of"),
        (["--field", "after", "--value", "1.5"], "not a whole number"),
        (["--field", "stat_name", "--value", "a\x07b"], "control characters"),
        (["--field", "after", "--value", "9", "--transfer", "99"], "no transfer 99"),
        (["--field", "after", "--value", "9", "--line", "999"], "no budget line 999"),
        (["--field", "amount_won", "--value", "9"], "give no line"),
    ]
    for extra, why in cases:
        r = run_cli(*base, *extra)
        assert r.returncode == 2 and why in r.stderr, (extra, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    r = run_cli("correct", "--archive", db, "nosuchreport", "--transfer", 1, "--line", 1, "--field", "after",
                "--value", "1", "--reason", "r", "--by", "k")
    assert r.returncode == 2 and "no such report" in r.stderr
    r = run_cli("correct", "--archive", db, rid, "--transfer", seq, "--line", line, "--field", "after", "--value", "1", "--by", "k")
    assert r.returncode == 2 and "say why" in r.stderr
    sheet = tmp_path / "bad.csv"
    sheet.write_text(f"report_id,transfer_seq,line,field,value,reason,corrected_by\n{rid},{seq},{line},after,lots,r,k\n",
                     encoding="utf-8")
    r = run_cli("correct", "--archive", db, "--import", sheet)
    assert r.returncode == 2 and r.stderr.startswith("row 2:") and "not a whole number" in r.stderr
    assert _query(db, "SELECT count(*) FROM corrections") == [(0,)]


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.iterdir() if p.suffix in (".txt", ".pdf", ".docx", ".hwpx", ".hwp")))
def test_rechecking_a_report_json_finds_what_the_audit_found(sample):
    """The checks re-run on a report's JSON (what `audit --archive` does to a corrected report)
    find, on uncorrected values, exactly what the audit of the parse found: same findings,
    messages, places and shared causes."""
    import copy

    from pipeline.extract import parse_file_reports
    from pipeline.recheck import recheck
    from pipeline.corrections import RECHECKED

    for report in parse_file_reports(SAMPLES / sample):
        doc = report.to_json()
        again = copy.deepcopy(doc)
        recheck(again, RECHECKED)

        def shown(d):
            return [{k: v for k, v in f.items() if k != "cause"} | {"cause": (f.get("cause") or {}).get("message")}
                    for f in d["findings"]]

        assert shown(again) == shown(doc)
        assert again["status"] == doc["status"]


def test_a_transfer_amount_and_a_name_corrected(tmp_path):
    """A transfer's amount (no line) and a budget line's name are values too: corrected, the
    summary_amount and 통계목 checks are re-run on them."""
    src = tmp_path / "in"
    src.mkdir()
    for name in ("err_summary_amount_001.txt", "err_stat_code_name_001.txt"):
        shutil.copy(SAMPLES / name, src / name)
    db = tmp_path / "a.sqlite"
    assert run_cli("ingest", src, "--archive", db, "--jobs", "1").returncode == 1
    (rid, seq, table_total), = _query(db, "SELECT report_id, transfer_seq, expected FROM findings WHERE \"check\" = 'summary_amount'")
    (nid, nseq, nline), = _query(db, "SELECT report_id, transfer_seq, line FROM findings WHERE \"check\" = 'stat_code_name'")
    code, = _query(db, f"SELECT stat_code FROM budget_lines WHERE report_id = '{nid}' AND transfer_seq = {nseq} AND line = {nline}")[0]
    other, = _query(db, f"SELECT stat_name FROM budget_lines WHERE report_id = '{nid}' AND stat_code = '{code}' "
                        f"AND NOT (transfer_seq = {nseq} AND line = {nline}) ORDER BY transfer_seq, line")[0]
    before = run_cli("audit", "--archive", db).stdout
    assert {"summary_amount"} <= {ln.split()[0] for ln in before.splitlines() if ln.startswith("    ") and ln.split()}
    r = run_cli("correct", "--archive", db, rid, "--transfer", seq, "--field", "amount_won", "--value", table_total,
                "--reason", "the overview's figure misread", "--by", "choi")
    assert r.returncode == 0, r.stderr
    r = run_cli("correct", "--archive", db, nid, "--transfer", nseq, "--line", nline, "--field", "stat_name",
                "--value", other, "--reason", "one name for one code", "--by", "choi")
    assert r.returncode == 0, r.stderr
    audit = run_cli("audit", "--archive", db)
    shown = {ln.split()[0] for ln in audit.stdout.splitlines() if ln.startswith("    ") and ln.split()}
    assert not shown & {"summary_amount", "stat_code_name"}, audit.stdout
    assert audit.stdout.count("audited with 1 correction(s)") == 2
    assert audit.returncode == 0, audit.stdout  # nothing else was wrong in these two reports

"""An auditor's verdicts: recorded one at a time or from a spreadsheet (export findings to CSV,
fill in the verdict column, import it back), in a table of their own, shown beside each finding
by the finding_reviews view, and kept when the same files are ingested again (--force too)."""
from __future__ import annotations

import csv
import shutil
import sqlite3

import pytest

from conftest import FIXTURES, SAMPLES, run_cli


@pytest.fixture
def archive(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for p in (SAMPLES / "err_row_balance_001.txt", SAMPLES / "err_date_period_001.txt", FIXTURES / "typo" / "000_seed.line1.after.txt"):
        shutil.copy(p, src / p.name)
    db = tmp_path / "a.sqlite"
    assert run_cli("ingest", src, "--archive", db, "--jobs", "1").returncode == 1
    return src, db


def _verdicts(db) -> dict:
    conn = sqlite3.connect(db)
    try:
        return {(r, k): (v, n, who) for r, k, v, n, who in conn.execute(
            "SELECT report_id, finding_key, verdict, note, reviewer FROM finding_reviews WHERE verdict IS NOT NULL")}
    finally:
        conn.close()


def test_a_spreadsheet_round_trip_survives_a_reingest(archive, tmp_path):
    src, db = archive
    sheet = tmp_path / "findings.csv"
    r = run_cli("review", "--archive", db, "--export", sheet)
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(sheet.open(encoding="utf-8-sig")))
    assert len(rows) >= 4 and all(row["verdict"] == "" for row in rows)
    # the auditor fills in some verdicts, as a spreadsheet would save them
    choices = ["confirmed", "misread", "dismissed"]
    for k, row in enumerate(rows[:3]):
        row["verdict"], row["note"], row["reviewer"] = choices[k], f"note {k}", "auditor kim"
    with sheet.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    r = run_cli("review", "--archive", db, "--import", sheet)
    assert r.returncode == 0, r.stderr
    want = {(row["report_id"], row["finding_key"]): (row["verdict"], row["note"], "auditor kim") for row in rows[:3]}
    assert _verdicts(db) == want
    # importing the same sheet again records nothing new
    assert "0 verdicts recorded" in run_cli("review", "--archive", db, "--import", sheet).stderr
    # what was extracted is untouched, and a re-ingest (even --force) keeps every verdict
    for args in ([], ["--force"]):
        assert run_cli("ingest", src, "--archive", db, "--jobs", "1", *args).returncode == 1
        assert _verdicts(db) == want


def test_one_verdict_from_the_command_line(archive):
    _, db = archive
    conn = sqlite3.connect(db)
    rid, no, key = conn.execute("SELECT report_id, finding_no, finding_key FROM finding_reviews ORDER BY report_id, finding_no").fetchone()
    conn.close()
    r = run_cli("review", "--archive", db, rid, no, "--verdict", "confirmed", "--by", "lee", "--note", "printed so")
    assert r.returncode == 0, r.stderr
    assert _verdicts(db) == {(rid, key): ("confirmed", "printed so", "lee")}
    r = run_cli("review", "--archive", db, rid, no, "--verdict", "confirmed")
    assert r.returncode == 2 and "who reviewed" in r.stderr  # a verdict says who
    r = run_cli("review", "--archive", db, rid, no, "--verdict", "maybe", "--by", "lee")
    assert r.returncode == 2 and "confirmed, misread, dismissed" in r.stderr
    r = run_cli("review", "--archive", db, rid, 99, "--verdict", "confirmed", "--by", "lee")
    assert r.returncode == 2 and "no such finding" in r.stderr
    assert "Traceback" not in r.stderr

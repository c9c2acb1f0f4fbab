"""Triage on an archive of a few hundred reports (scripts/clone_archive.py: the text samples'
rows cloned in SQL over years and offices) and on files: --severity, --check, --office,
--year, --quarter and --summary choose what is shown and counted, the same way for files
and archives; an archive's unfiltered audit and page stay bounded."""
from __future__ import annotations

import re
import sqlite3
from collections import Counter

import lxml.html
import pytest

from clone_archive import make_archive
from conftest import SAMPLES, run_cli

REPORT_LINE = re.compile(r"^[✓✗?!] (\S+) — ")


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return make_archive(tmp_path_factory.mktemp("triage") / "a.sqlite", 300)


def _sql(db, query, *args):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(query, args).fetchall()
    finally:
        conn.close()


def _shown(stdout: str) -> list[str]:
    return [m.group(1) for m in map(REPORT_LINE.match, stdout.splitlines()) if m]


def _finding_rows(stdout: str) -> list[list[str]]:
    return [ln.split() for ln in stdout.splitlines() if re.match(r"^    (row_balance|column_total|transfer_balance|"
                                                                 r"summary_amount|overdraw|date_period|stat_code_name) ", ln)]


def test_severity_and_check_filters(archive):
    r = run_cli("audit", "--archive", archive, "--severity", "warning")
    assert r.returncode == 0, r.stderr  # warnings only: nothing of severity error shown
    rows = _finding_rows(r.stdout)
    assert rows and all(row[1] == "warning" for row in rows)
    want = _sql(archive, "SELECT count(DISTINCT report_id), count(*) FROM findings WHERE severity = 'warning'")[0]
    assert (len(_shown(r.stdout)), len(rows)) == want
    r = run_cli("audit", "--archive", archive, "--check", "row_balance", "--check", "overdraw")
    assert r.returncode == 1
    rows = _finding_rows(r.stdout)
    assert {row[0] for row in rows} == {"row_balance", "overdraw"}
    assert len(rows) == _sql(archive, "SELECT count(*) FROM findings WHERE \"check\" IN ('row_balance', 'overdraw')")[0][0]
    assert run_cli("audit", "--archive", archive, "--check", "no_such_check").returncode == 2


def test_office_year_quarter_filters(archive):
    office, year, quarter = _sql(archive, "SELECT office, fiscal_year, quarter FROM reports WHERE office LIKE '% 3' "
                                          "GROUP BY 1, 2, 3 ORDER BY count(*) DESC LIMIT 1")[0]
    r = run_cli("audit", "--archive", archive, "--office", office.lower(), "--year", year, "--quarter", quarter)
    want = {p for (p,) in _sql(archive, "SELECT source_path FROM reports WHERE instr(lower(office), lower(?)) > 0 "
                                        "AND fiscal_year = ? AND quarter = ?", office, year, quarter)}
    assert want and set(_shown(r.stdout)) == want
    assert r.stdout.splitlines()[-1].startswith(f"{len(want)} report(s): ")


def test_summary_counts_by_check_office_and_year(archive):
    r = run_cli("audit", "--archive", archive, "--summary")
    assert r.returncode == 1, r.stderr
    assert not _shown(r.stdout)  # counts only
    lines = r.stdout.splitlines()
    block = lines[lines.index("findings by check") + 2:lines.index("reports by office") - 1]
    got = {ln.split()[0]: (int(ln.split()[1]), int(ln.split()[2])) for ln in block}
    want = {c: (n, k) for c, n, k in _sql(archive, 'SELECT "check", count(*), count(DISTINCT report_id) FROM findings GROUP BY 1')}
    assert got == want
    block = lines[lines.index("reports by fiscal year") + 2:-2]
    years = {ln.split()[0]: int(ln.split()[1]) for ln in block}
    assert years == {str(y): n for y, n in _sql(archive, "SELECT fiscal_year, count(*) FROM reports GROUP BY 1")}


def test_files_and_archive_filter_alike(tmp_path):
    src = [p for p in sorted(SAMPLES.glob("*.txt"))]
    db = tmp_path / "a.sqlite"
    assert run_cli("ingest", *src, "--archive", db, "--jobs", "1").returncode in (1, 3)
    for args in (["--severity", "error"], ["--check", "date_period"], ["--office", "기후"], ["--year", "2021"]):
        files = run_cli("audit", *src, *args)
        stored = run_cli("audit", "--archive", db, *args)
        assert sorted(_shown(files.stdout)) == sorted(_shown(stored.stdout)), args
        assert files.stdout.splitlines()[-1] == stored.stdout.splitlines()[-1], args
        assert files.returncode == stored.returncode, args


def test_the_unfiltered_archive_view_is_bounded(archive, tmp_path):
    page = tmp_path / "o.html"
    r = run_cli("audit", "--archive", archive, "--html", page)
    assert r.returncode == 1
    shown = _shown(r.stdout)
    assert len(shown) == 50 and "… " in r.stdout and "--all" in r.stdout
    counts = dict(zip(("reports", "clean", "warning", "unchecked", "error"),
                      _sql(archive, "SELECT reports, clean_reports, warning_reports, unchecked_reports, error_reports FROM archive_counts")[0]))
    assert r.stdout.splitlines()[-1].startswith(f"{counts['reports']} report(s): {counts['clean']} clean, ")
    tree = lxml.html.parse(str(page)).getroot()
    assert len(tree.xpath("//article[@data-report-id]")) <= 50
    el = tree.get_element_by_id("report-counts")
    assert {k: int(el.get(f"data-{k}")) for k in counts} == counts
    assert Counter(st for (st,) in _sql(archive, "SELECT status FROM reports"))["error"] == counts["error"]
    everything = run_cli("audit", "--archive", archive, "--all")
    assert len(_shown(everything.stdout)) == counts["reports"]

"""After the fact: `jeonyong failures` lists what `ingest` could not archive (the same files
and reasons it reported), grouped by reason and filterable; the terminal overview, the HTML
overview and the archive's views count the same reports and failures."""
from __future__ import annotations

import csv
import io
import re
import shutil
import sqlite3

import lxml.html
import pytest

from conftest import FIXTURES, SAMPLES, run_cli


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """An archive of samples (clean, with errors, warnings only, not fully checked) and of
    broken files (tests/fixtures/bad, and a few of them renamed)."""
    work = tmp_path_factory.mktemp("failures")
    src = work / "in"
    (src / "bad").mkdir(parents=True)
    for p in sorted(SAMPLES.glob("*.txt")):
        shutil.copy(p, src / p.name)
    shutil.copy(FIXTURES / "layout" / "001_climate_2022q1.raw.txt", src / "layout_lost.txt")
    for p in sorted((FIXTURES / "bad").iterdir()):
        shutil.copy(p, src / "bad" / p.name)
    shutil.copy(FIXTURES / "bad" / "truncated.pdf", src / "bad" / "truncated copy.pdf")
    db = work / "a.sqlite"
    r = run_cli("ingest", src, "--archive", db, "--jobs", "2", timeout=300)
    assert r.returncode == 2, r.stdout + r.stderr
    return db, src, r


def _reported(r) -> set:
    """`<path>: <why>` lines ingest wrote on standard error."""
    out = set()
    for line in r.stderr.splitlines():
        if line.startswith("/") and ": " in line:
            path, why = line.split(": ", 1)
            out.add((path, why))
    return out


def test_the_listing_equals_what_ingest_reported(archive):
    db, src, r = archive
    listed = run_cli("failures", "--archive", db)  # piped: CSV
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(listed.stdout.lstrip("\ufeff"))))
    assert {(row["path"], row["reason"]) for row in rows} == _reported(r)
    assert len(rows) == len(_reported(r)) >= 8
    assert all(row["path"].startswith(str(src / "bad")) for row in rows)
    # grouped by reason, the most frequent first, each row carrying its group's count
    counts = [int(row["files_with_reason"]) for row in rows]
    assert counts == sorted(counts, reverse=True)
    for row in rows:
        assert sum(1 for x in rows if x["reason_group"] == row["reason_group"]) == int(row["files_with_reason"])
        assert re.match(r"^\d{4}-\d{2}-\d{2}T", row["last_seen"])
    # filters: by reason text (any case), by date
    some = rows[0]["reason"]
    filtered = run_cli("failures", "--archive", db, "--csv", "--reason", some.upper()[:12])
    got = list(csv.DictReader(io.StringIO(filtered.stdout.lstrip("\ufeff"))))
    assert got and all(some.upper()[:12].lower() in g["reason"].lower() for g in got)
    assert len(got) < len(rows)
    later = run_cli("failures", "--archive", db, "--csv", "--since", "2999-01-01")
    assert list(csv.DictReader(io.StringIO(later.stdout.lstrip("\ufeff")))) == []


def test_the_overviews_and_the_archive_count_alike(archive, tmp_path):
    db, _, _ = archive
    page = tmp_path / "o.html"
    r = run_cli("audit", "--archive", db, "--html", page)
    assert r.returncode == 1, r.stderr
    last = r.stdout.splitlines()[-1]
    m = re.match(r"(\d+) report\(s\): (\d+) clean, (?:(\d+) not fully checked, )?(\d+) with errors, (\d+) with warnings only; "
                 r"(\d+) error finding\(s\), (\d+) warning finding\(s\); (\d+) file\(s\) unreadable", last)
    assert m, last
    terminal = [int(g or 0) for g in m.groups()]
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    view = dict(conn.execute("SELECT * FROM archive_counts").fetchone())
    conn.close()
    archived = [view[k] for k in ("reports", "clean_reports", "unchecked_reports", "error_reports", "warning_reports",
                                  "error_findings", "warning_findings", "failed_files")]
    assert terminal == archived
    assert view["failed_files"] > 0 and view["unchecked_reports"] == 1 and view["warning_reports"] > 0
    counts = lxml.html.parse(str(page)).getroot().get_element_by_id("report-counts")
    html = [int(counts.get(f"data-{k}")) for k in ("reports", "clean", "unchecked", "error", "warning")]
    assert html == archived[:5]
    assert int(counts.get("data-failed")) == view["failed_files"]


def test_a_missing_path_creates_nothing_and_counts_as_failed(tmp_path):
    db = tmp_path / "a.sqlite"
    r = run_cli("ingest", tmp_path / "nonexistent", "--archive", db)
    assert r.returncode == 2
    assert f"{tmp_path / 'nonexistent'}: no such file or folder" in r.stderr.splitlines()
    assert not list(tmp_path.glob("a.sqlite*"))
    r = run_cli("ingest", tmp_path / "nonexistent", SAMPLES / "000_seed.txt", "--archive", db, "--jobs", "1")
    assert r.returncode == 2
    (progress,) = [ln for ln in r.stderr.splitlines() if ln.startswith("jeonyong ingest: ")]
    assert progress.endswith("; 1 failed")
    assert "failed           1" in r.stdout


def test_one_file_given_twice_is_counted_once():
    sample = SAMPLES / "err_row_balance_001.txt"
    r = run_cli("audit", sample, sample, SAMPLES)
    assert r.stdout.count(f"✗ {sample} ") == 1
    n = len([p for p in SAMPLES.iterdir() if p.is_file()])
    assert r.stdout.splitlines()[-1].startswith(f"{n} report(s)")

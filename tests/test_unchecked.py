"""Unchecked is not clean: a report of which a table or a figure could not be read (plain
`pdftotext` loses a table's layout) has its own status in every output and an exit status
(3) that a script cannot take for clean; the existing statuses keep their meaning."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import lxml.html

from conftest import FIXTURES, SAMPLES, run_cli

LOST = FIXTURES / "layout" / "001_climate_2022q1.raw.txt"  # plain pdftotext: the table's layout is lost
READ = SAMPLES / "001_climate_2022q1.txt"


def test_extract_marks_the_report_unchecked_and_exits_3(tmp_path):
    r = run_cli("extract", LOST)
    assert r.returncode == 3, r.stderr
    doc = json.loads(r.stdout)
    assert doc["status"] == "unchecked" and doc["checked"] is False
    assert any("layout lost" in why for why in doc["unchecked"])
    assert any(why.startswith("transfer ") and "no budget line read" in why for why in doc["unchecked"])
    r = run_cli("extract", READ)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert (doc["status"], doc["checked"], doc["unchecked"]) == ("clean", True, [])
    r = run_cli("extract", READ, LOST, "--format", "csv", "--out", tmp_path)
    assert r.returncode == 3
    rows = (tmp_path / "reports.csv").read_text(encoding="utf-8-sig")
    assert ",unchecked," in rows and ",clean," in rows


def test_existing_statuses_keep_their_meaning(tmp_path):
    assert run_cli("audit", READ).returncode == 0
    assert run_cli("audit", SAMPLES / "err_row_balance_001.txt", LOST).returncode == 1  # errors found win
    assert run_cli("audit", LOST, tmp_path / "missing.txt").returncode == 2  # unreadable input wins
    r = run_cli("audit", SAMPLES / "err_date_period_001.txt")
    assert r.returncode == 0  # warnings only
    assert r.stdout.splitlines()[0].startswith("! ")  # a warning-only report is not marked ✗


def test_ingest_exits_3_and_the_archive_says_unchecked(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for p in (LOST, READ):
        (src / p.name).write_bytes(p.read_bytes())
    db = tmp_path / "a.sqlite"
    page = tmp_path / "o.html"
    r = run_cli("ingest", src, "--archive", db, "--jobs", "1")
    assert r.returncode == 3, r.stdout + r.stderr
    assert "1 not fully checked" in r.stdout
    conn = sqlite3.connect(db)
    got = dict(conn.execute('SELECT source_path, status FROM report_overview').fetchall())
    assert {Path(k).name: v for k, v in got.items()} == {LOST.name: "unchecked", READ.name: "clean"}
    (why,) = conn.execute("SELECT unchecked FROM reports WHERE status = 'unchecked'").fetchone()
    assert "layout lost" in why
    conn.close()
    r = run_cli("audit", "--archive", db, "--html", page)
    assert r.returncode == 3, r.stdout + r.stderr
    assert "1 clean, 1 not fully checked" in r.stdout.splitlines()[-1]
    tree = lxml.html.parse(str(page)).getroot()
    counts = tree.get_element_by_id("report-counts")
    assert (counts.get("data-unchecked"), counts.get("data-clean")) == ("1", "1")
    (article,) = tree.xpath('//article[@data-status="unchecked"]')
    assert "layout lost" in article.text_content()

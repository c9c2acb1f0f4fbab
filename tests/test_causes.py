"""One typo, two findings: a figure misprinted once (two digits swapped, total and every other
figure left as printed: tests/fixtures/typo/, made by scripts/make_typo_fixtures.py) trips
every check it takes part in; the findings are grouped under that one figure, with the value
every explained check needs, in the JSON, the terminal, the HTML page, the CSV/xlsx tables
and the archive. Where no single figure explains them (the err_* samples), none is claimed."""
from __future__ import annotations

import csv
import json
import sqlite3

import lxml.html
import openpyxl
import pytest

from conftest import FIXTURES, SAMPLES, run_cli
from pipeline.extract import parse_file
from pipeline.parse.notation import UNIT_WON

TYPO = FIXTURES / "typo"
MANIFEST = json.loads((TYPO / "manifest.json").read_text(encoding="utf-8"))


def _won(printed: str, unit: str) -> int:
    return int(printed.replace(",", "")) * UNIT_WON[unit]


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_one_misprinted_figure_explains_its_findings(name):
    want = MANIFEST[name]
    doc = parse_file(TYPO / name).to_json()
    findings = doc["findings"]
    assert len(findings) >= 2
    causes = {json.dumps(f["cause"], sort_keys=True) for f in findings if "cause" in f}
    assert len(causes) == 1, causes  # one object, shared by every finding it explains
    cause = json.loads(causes.pop())
    assert cause["explains"] == list(range(1, len(findings) + 1))  # the typo is the only error
    unit = next(t for t in doc["transfers"] if t["seq"] == cause["transfer_seq"])["budget"]["unit"]
    assert (cause["field"], cause["printed"], cause["needed"]) == (want["column"], _won(want["printed"], unit), _won(want["was"], unit))
    assert cause["loc"]["line"] == want["text_line"]
    assert want["printed"] in cause["message"] and want["was"] in cause["message"]


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("err_*")), ids=lambda p: p.name)
def test_no_cause_is_claimed_where_no_one_figure_explains(path):
    """err_transfer_balance trips two checks, but its injected error changed a line's 증, its
    전용 후 and the totals together: no single figure makes both checks hold."""
    doc = parse_file(path).to_json()
    assert not any("cause" in f for f in doc["findings"])
    if path.stem == "err_transfer_balance_001":
        assert len({f["check"] for f in doc["findings"]}) == 2


def test_the_cause_in_every_output(tmp_path):
    name = next(n for n, w in MANIFEST.items() if w["column"] == "decrease")
    fixture = TYPO / name
    page, book = tmp_path / "a.html", tmp_path / "a.xlsx"
    r = run_cli("audit", fixture, "--html", page, "--xlsx", book)
    assert r.returncode == 1
    (line,) = [ln for ln in r.stdout.splitlines() if ln.strip().startswith("⇒ one figure explains")]
    assert MANIFEST[name]["printed"] in line and MANIFEST[name]["was"] in line
    (p,) = lxml.html.parse(str(page)).getroot().xpath('//p[@class="cause"]')
    assert p.get("data-field") == "decrease" and len(p.get("data-explains").split()) >= 2
    ws = openpyxl.load_workbook(book)["findings"]
    header = [c.value for c in ws[1]]
    causes = {row[header.index("cause_no")] for row in ws.iter_rows(min_row=3, values_only=True)}
    assert causes == {1}
    r = run_cli("extract", fixture, "--format", "csv", "--out", tmp_path / "csv")
    rows = list(csv.DictReader((tmp_path / "csv" / "findings.csv").open(encoding="utf-8-sig")))
    assert {row["cause_no"] for row in rows} == {"1"} and all("one figure explains" in row["cause"] for row in rows)
    db = tmp_path / "a.sqlite"
    run_cli("ingest", fixture, "--archive", db, "--jobs", "1")
    conn = sqlite3.connect(db)
    got = conn.execute("SELECT count(*), count(DISTINCT cause_no) FROM finding_details WHERE cause IS NOT NULL").fetchone()
    conn.close()
    assert got == (len(rows), 1)

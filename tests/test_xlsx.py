"""The Excel workbook, read back with openpyxl: the four tables with the contract's columns,
numbers stored as numbers, and exactly the cells the findings name highlighted."""
from __future__ import annotations

import copy
import shutil

import openpyxl
import pytest

from conftest import SAMPLES, SEED, run_cli
from pipeline.extract import parse_file
from pipeline.records import MONEY_FIELDS
from pipeline.domain.labels import KOREAN_HEADERS
from pipeline.tables import COLUMNS, TABLES
from pipeline.writers.xlsx_writer import write_xlsx

INT_COLUMNS = {
    "budget_lines": ["transfer_seq", "line", "before", "decrease", "increase", "after"],
    "transfers": ["transfer_seq", "line_count"],
    "reports": ["transfer_count", "finding_count", "error_count"],
    "findings": ["finding_no"],
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("xcorpus")
    for p in sorted(SAMPLES.glob("*.txt")):
        shutil.copy(p, d / p.name)
    seed = SEED.read_text(encoding="utf-8")
    broken = seed.replace("448,320\t16,500\t-\t431,820", "448,320\t16,500\t-\t431,800", 1)
    assert broken != seed
    (d / "mine_row.txt").write_text(broken, encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def docs(corpus):
    return [parse_file(p).to_json() for p in sorted(corpus.glob("*.txt"))]


@pytest.fixture(scope="module")
def workbook(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("xout")
    r = run_cli("extract", corpus, "--format", "xlsx", "--out", out)
    assert r.returncode == 0, r.stderr
    path = out / "jeonyong.xlsx"
    assert path.is_file()
    assert not [p for p in out.iterdir() if p.name != "jeonyong.xlsx"]  # no temporary left behind
    return openpyxl.load_workbook(path)


def rows(ws):
    header = [c.value for c in ws[1]]
    for r in ws.iter_rows(min_row=3):
        yield {h: c for h, c in zip(header, r) if h}


def highlighted(c) -> bool:
    return c.fill is not None and c.fill.fill_type == "solid"


def test_sheets_and_headers(workbook):
    assert workbook.sheetnames == list(TABLES)
    for name in TABLES:
        ws = workbook[name]
        assert [c.value for c in ws[1]][: len(COLUMNS[name])] == COLUMNS[name]
        assert [c.value for c in ws[2]][: len(COLUMNS[name])] == [KOREAN_HEADERS.get(k, k) for k in COLUMNS[name]]


def test_numbers_are_numbers(workbook, docs):
    lines = list(rows(workbook["budget_lines"]))
    assert len(lines) == sum(len(t["budget"]["lines"]) for d in docs for t in d["transfers"])
    for name, cols in INT_COLUMNS.items():
        for row in rows(workbook[name]):
            for col in cols:
                v = row[col].value
                assert isinstance(v, int) and not isinstance(v, bool), (name, col, v)
    for row in lines:
        assert row["before"].value - row["decrease"].value + row["increase"].value == row["after"].value or any(
            highlighted(row[f]) for f in MONEY_FIELDS
        )
    by_key = {(d["source"]["sha256"], t["seq"], n): ln for d in docs for t in d["transfers"] for n, ln in enumerate(t["budget"]["lines"], 1)}
    for row in lines:
        ln = by_key[(row["report_id"].value, row["transfer_seq"].value, row["line"].value)]
        assert [row[f].value for f in MONEY_FIELDS] == [ln[f] for f in MONEY_FIELDS]


def test_highlighted_cells_match_findings(workbook, docs):
    want = {"budget_lines": set(), "transfers": set()}
    for d in docs:
        rid = d["source"]["sha256"]
        for f in d["findings"]:
            seq, line, fld = f["transfer_seq"], f["line"], f["field"]
            if line is not None:
                for col in ([fld] if fld in MONEY_FIELDS else ["stat_code", "stat_name"]):
                    want["budget_lines"].add((rid, seq, line, col))
            elif fld in MONEY_FIELDS:
                want["transfers"].add((rid, seq, f"total_{fld}"))
            elif fld == "amount_won":
                want["transfers"].add((rid, seq, "amount_won"))
            elif fld == "date":
                want["transfers"].add((rid, seq, "transfer_date"))
    got = {"budget_lines": set(), "transfers": set()}
    for row in rows(workbook["budget_lines"]):
        for col, c in row.items():
            if highlighted(c):
                got["budget_lines"].add((row["report_id"].value, row["transfer_seq"].value, row["line"].value, col))
                assert c.comment is not None and c.comment.text
    for row in rows(workbook["transfers"]):
        for col, c in row.items():
            if highlighted(c):
                got["transfers"].add((row["report_id"].value, row["transfer_seq"].value, col))
    assert got == want
    assert len(want["budget_lines"]) >= 3 and len(want["transfers"]) >= 3
    # the seed copy made here: transfer II line 1 전용 후 printed 431,800 for 431,820
    mine = next(d for d in docs if d["source"]["path"].endswith("mine_row.txt"))
    assert (mine["source"]["sha256"], 2, 1, "after") in got["budget_lines"]


def test_findings_sheet(workbook, docs):
    frows = list(rows(workbook["findings"]))
    assert len(frows) == sum(len(d["findings"]) for d in docs)
    assert sorted(r["check"].value for r in frows) == sorted(f["check"] for d in docs for f in d["findings"])
    for r in frows:
        assert highlighted(r["message"])
        if r["expected"].value is not None:
            assert isinstance(r["expected"].value, int)
        link = r["cell"]
        if link.value:
            sheet, ref = link.value.split("!")
            assert highlighted(workbook[sheet][ref])


def test_text_is_never_a_formula(tmp_path, docs):
    d = copy.deepcopy(docs[0])
    d["title"] = "=HYPERLINK(\"http://evil\",\"x\")"
    d["transfers"][0]["budget"]["lines"][0]["stat_name"] = "=1+1\x07"
    target = tmp_path / "w.xlsx"
    write_xlsx(target, [d])
    wb = openpyxl.load_workbook(target)
    title = next(rows(wb["reports"]))["title"]
    assert title.data_type == "s" and title.value.startswith("=HYPERLINK")
    name = next(rows(wb["budget_lines"]))["stat_name"]
    assert name.data_type == "s" and name.value == "=1+1"


def test_audit_writes_the_workbook_and_keeps_exit_status(tmp_path):
    target = tmp_path / "a.xlsx"
    r = run_cli("audit", SAMPLES / "err_row_balance_001.txt", "--xlsx", target)
    assert r.returncode == 1, r.stderr
    wb = openpyxl.load_workbook(target)
    assert len(list(rows(wb["findings"]))) >= 1


def test_outputs_get_the_usual_file_mode(tmp_path, docs):
    import os
    import stat

    umask = os.umask(0)
    os.umask(umask)
    target = tmp_path / "m.xlsx"
    write_xlsx(target, docs[:1])
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    target.chmod(0o640)  # replacing a file keeps its mode
    write_xlsx(target, docs[:2])
    assert stat.S_IMODE(target.stat().st_mode) == 0o640

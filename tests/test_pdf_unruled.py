"""Tables printed without vertical rules (issue 20): rules between rows only, or booktabs
(a rule above the table, one under its header, one below). The PDF reader rebuilds their
columns from text alignment (readers/pdf/unruled.py) and reads them with the same table
machinery as ruled tables. Fixtures drawn by tests/fixtures/pdf/unruled/make_unruled_fixtures.py
(reportlab), each named after the rule it proves; `<name>.json` holds the lines the page
prints, written by the drawing script from its own data."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.extract import _finish, parse_file
from pipeline.readers import read_file
from pipeline.readers.pdf import unruled
from pipeline.settings import PdfSettings, ReadingSettings

FIXTURES = Path(__file__).parent / "fixtures" / "pdf" / "unruled"
NAMES = ("rules_between_rows_only", "booktabs", "rules_between_rows_over_a_page_break")


def _records(doc: dict) -> list[dict]:
    return [{"department": ln["department"], "policy": ln["policy_program"], "unit": ln["unit_program"],
             "detail": ln["detail_program"], "stat_code": ln["stat_code"], "stat_name": ln["stat_name"],
             "before": ln["before"], "decrease": ln["decrease"], "increase": ln["increase"], "after": ln["after"]}
            for t in doc["transfers"] for ln in t["budget"]["lines"]]


@pytest.mark.parametrize("name", NAMES)
def test_a_table_without_vertical_rules_reads_to_the_lines_it_prints(name):
    doc = parse_file(FIXTURES / f"{name}.pdf").to_json()
    model = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    assert _records(doc) == model["lines"]
    assert doc["unparsed"] == []
    total = doc["transfers"][0]["budget"]["total"]
    assert total["before"] == sum(ln["before"] for ln in model["lines"])
    assert total["decrease"] == sum(ln["decrease"] for ln in model["lines"])


@pytest.mark.parametrize("name", NAMES)
def test_every_cell_of_an_unruled_table_keeps_its_box(name):
    doc = parse_file(FIXTURES / f"{name}.pdf").to_json()
    for t in doc["transfers"]:
        for ln in t["budget"]["lines"]:
            loc = ln["loc"]
            x0, top, x1, bottom = loc["bbox"]
            assert loc["page"] >= 1 and loc["cell"] and x0 < x1 and top < bottom


def test_rows_cut_by_the_page_are_read_on_both_pages():
    doc = parse_file(FIXTURES / "rules_between_rows_over_a_page_break.pdf").to_json()
    pages = [ln["loc"]["page"] for t in doc["transfers"] for ln in t["budget"]["lines"]]
    assert pages == sorted(pages) and pages[0] == 1 and pages[-1] == 2


def test_the_merged_looking_name_cell_names_every_line():
    doc = parse_file(FIXTURES / "rules_between_rows_only.pdf").to_json()
    assert {ln["department"] for ln in _records(doc)} == {"스마트도시정책관"}


def test_a_table_whose_columns_cannot_be_told_apart_is_not_read():
    """Asking for more columns than the table shows: the rows stay lines, set aside with
    the parser's reason; no figure is read from them."""
    settings = ReadingSettings(pdf=PdfSettings(unruled_min_columns=12))
    blocks = read_file(FIXTURES / "rules_between_rows_only.pdf", settings=settings).blocks
    assert not any(hasattr(b, "rows") for b in blocks)
    (report,) = _finish(read_file(FIXTURES / "rules_between_rows_only.pdf", settings=settings))  # one report in the file
    doc = report.to_json()
    assert not any(t["budget"] and t["budget"]["lines"] for t in doc["transfers"])
    assert doc["unparsed"] and all(u["reason"] for u in doc["unparsed"])


# ---------------------------------------------------------------- the stages on plain values
def _run(x0: float, x1: float, text: str) -> tuple:
    return (x0, x1, text)


def test_column_gaps_are_the_stretches_every_defining_row_leaves_blank():
    rows = [[_run(10, 40, "부서명"), _run(60, 90, "통계목"), _run(110, 150, "예산액")],
            [_run(12, 38, "관리과"), _run(62, 88, "201-01"), _run(120, 150, "1,000")],
            [_run(11, 39, "기획과"), _run(61, 89, "201-02"), _run(115, 150, "22,000")]]
    seps = unruled._columns(0, 160, rows, 1, 6.0, PdfSettings())
    assert seps is not None and len(seps) == 2
    assert 40 < seps[0] < 60 and 90 < seps[1] < 110


def test_a_figure_across_a_column_gap_makes_the_columns_undecidable():
    rows = [[_run(12, 38, "관리과"), _run(62, 88, "201-01"), _run(120, 150, "1,000")],
            [_run(11, 39, "기획과"), _run(61, 89, "201-02"), _run(115, 150, "22,000")],
            [_run(11, 39, "기획과"), _run(85, 130, "3,000,000")]]  # a figure over the gap
    assert unruled._columns(0, 160, rows, 0, 6.0, PdfSettings()) is None


def test_too_few_columns_is_prose_not_a_table():
    rows = [[_run(10, 140, "전용사유")], [_run(10, 150, "사업비 부족분 충당")]]
    assert unruled._columns(0, 160, rows, 0, 6.0, PdfSettings()) is None


def _glyph(x0, top, text="가", size=9.0):
    return {"text": text, "x0": x0, "x1": x0 + size, "top": top, "bottom": top + size}


def test_rows_part_only_where_the_blank_is_taller_than_a_cells_line_spacing():
    # Two rows between two rules; the first row's name wraps (line spacing 1.8 pt), the
    # rows stand 8 pt apart: one cut, between the rows, none inside the wrapped name.
    lines = [[_glyph(10, 102), _glyph(60, 107)], [_glyph(10, 112.8)],
             [_glyph(10, 129.8), _glyph(60, 129.8)]]
    bands = unruled._bands((100.0, 142.0), lines, 9.0, PdfSettings(), [40.0], 6.0)
    assert len(bands) == 2 and 121.8 < bands[1][0] < 129.8 and bands[1][2]


def test_rows_all_alike_apart_are_not_cut_without_a_line_spacing_to_compare():
    lines = [[_glyph(10, 102), _glyph(60, 102)], [_glyph(10, 120), _glyph(60, 120)]]
    assert len(unruled._bands((100.0, 132.0), lines, 9.0, PdfSettings(), [40.0], 6.0)) == 1

"""Tables as offices print them (issue 20): units read wherever the document prints them,
never assumed. Fixtures: scripts/make_table_class_fixtures.py, each the climate sample's
money printed another way, read against the sample itself (`model`)."""
from __future__ import annotations

import pytest

from conftest import FIXTURES, comparable
from make_table_class_fixtures import FIXTURES as MAKERS

from pipeline.audit import unverified_transfers
from pipeline.extract import parse_file
from pipeline.parse.notation import UNIT_WON, header_unit, split_unit_suffix, unit_line

TABLES = FIXTURES / "tables"
FORMATS = ["txt", "docx", "pdf"]
UNIT_READ = ["unit_in_header_cell", "unit_beside_heading", "unit_alone_in_brackets", "unit_in_figures", "unit_by_tie_out"]


def _money(doc: dict) -> list:
    """Every budget line and total, in won, without what the unit changes (its name)."""
    out = []
    for t in doc["transfers"]:
        b = comparable(t["budget"])
        b.pop("unit")
        out.append(b)
    return out


def test_every_rule_has_its_fixture():
    assert sorted(m.__name__ for m in MAKERS) == sorted(UNIT_READ + ["unit_not_established"])


@pytest.mark.parametrize("ext", FORMATS)
@pytest.mark.parametrize("name", UNIT_READ)
def test_a_unit_printed_anywhere_is_read(name, ext):
    model = parse_file(TABLES / f"model.{ext}").to_json()
    got = parse_file(TABLES / f"{name}.{ext}").to_json()
    assert [t["budget"]["unit"] for t in got["transfers"]] == ["원", "원"]
    assert _money(got) == _money(model)
    assert got["findings"] == model["findings"] == []
    tie_notes = [n for n in got["notes"] if n["basis"] == "arithmetic"]
    if name == "unit_by_tie_out":
        assert [n["text"] for n in tie_notes] == ["원", "원"]
        assert all("천원" in n["alternative"] and n["loc"] for n in tie_notes)
    else:
        assert tie_notes == []


@pytest.mark.parametrize("ext", FORMATS)
def test_a_unit_that_cannot_be_established_sets_the_table_aside(ext):
    doc = parse_file(TABLES / f"unit_not_established.{ext}").to_json()
    for t in doc["transfers"]:
        assert t["budget"]["unit"] is None and t["budget"]["lines"] == [] and t["budget"]["total"] is None
    reasons = [u["reason"] for u in doc["unparsed"] if "prints no unit" in u["reason"]]
    assert reasons and all("never assumed" in r and "ties to its total in no unit" in r for r in reasons)
    assert unverified_transfers(doc) == ["I", "II"]  # unchecked, not clean


@pytest.mark.parametrize("text,unit", [
    ("(단위 : 천원)", "천원"), ("[단위: 백만원]", "백만원"), ("금액단위 : 원", "원"), ("(원)", "원"),
    ("<백만원>", "백만원"), ("〈천원〉", "천원"), ("단위:천 원", "천원"), ("천원", None), ("예산 현황", None),
])
def test_unit_lines(text, unit):
    assert unit_line(text) == unit


@pytest.mark.parametrize("text,unit", [
    ("예산액(천원)", "천원"), ("예산현액\n(백만원)", "백만원"), ("전용 후 (단위: 원)", "원"), ("(A)", None), ("감액(B)", None),
])
def test_header_units(text, unit):
    assert header_unit(text) == unit


@pytest.mark.parametrize("text,figure,unit", [
    ("1,400천원", "1,400", "천원"), ("△500,000 원", "△500,000", "원"), ("2.5백만원", "2.5", "백만원"),
    ("1,400", "1,400", None), ("-", "-", None),
])
def test_figures_carrying_their_unit(text, figure, unit):
    assert split_unit_suffix(text) == (figure, unit)
    assert unit is None or unit in UNIT_WON

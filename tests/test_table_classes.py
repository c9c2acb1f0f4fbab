"""Tables as offices print them (issue 20): units read wherever the document prints them,
never assumed. Fixtures: scripts/make_table_class_fixtures.py, each the climate sample's
money printed another way, read against the sample itself (`model`)."""
from __future__ import annotations

import pytest

from conftest import FIXTURES, comparable
from make_table_class_fixtures import FIXTURES as MAKERS

from pipeline.domain.headers import column_role, names_change
from pipeline.extract import parse_bytes, parse_file
from pipeline.parse.notation import UNIT_WON, header_unit, parse_signed_amount, split_unit_suffix, unit_line

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
    assert {m.__name__ for m in MAKERS} >= set(UNIT_READ + ["unit_not_established"])


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
    assert doc["status"] == "unchecked" and not doc["checked"]  # unchecked, not clean
    assert [u for u in doc["unchecked"] if u.startswith("transfer ")] == [
        f"transfer {label}: no budget line read, its arithmetic not checked" for label in ("I", "II")]


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


# --- one signed change column; column roles from content --------------------------------

SIGNED = ["signed_change_triangle", "signed_change_minus", "signed_change_parentheses", "change_column_by_content"]
WORDS = ["unknown_header_words", "columns_by_content"]


def _lines(doc: dict) -> list:
    return [comparable(t["budget"]["lines"]) for t in doc["transfers"]]


def test_every_table_class_has_its_fixture():
    assert {m.__name__ for m in MAKERS} >= set(SIGNED + WORDS)


@pytest.mark.parametrize("ext", FORMATS)
@pytest.mark.parametrize("name", SIGNED)
def test_a_signed_change_column_becomes_decrease_and_increase(name, ext):
    model = parse_file(TABLES / f"model.{ext}").to_json()
    got = parse_file(TABLES / f"{name}.{ext}").to_json()
    assert _lines(got) == _lines(model)
    for t, m in zip(got["transfers"], model["transfers"]):
        total, printed = t["budget"]["total"], m["budget"]["total"]
        # the net change as printed (`-` or `0`: zero), 감 and 증 totals not printed
        assert total == {"before": printed["before"], "decrease": None, "increase": None, "after": printed["after"], "change": 0}
    assert got["findings"] == []
    decided = [n for n in got["notes"] if n["basis"] == "arithmetic"]
    if name == "change_column_by_content":
        assert [n["text"] for n in decided] == ["change", "change"] and all("변동분" in n["alternative"] for n in decided)
    else:
        assert decided == []


@pytest.mark.parametrize("ext", FORMATS)
@pytest.mark.parametrize("name", WORDS)
def test_header_words_no_list_holds(name, ext):
    model = parse_file(TABLES / f"model.{ext}").to_json()
    got = parse_file(TABLES / f"{name}.{ext}").to_json()
    assert _money(got) == _money(model) and _lines(got) == _lines(model)
    assert got["findings"] == []
    decided = sorted(n["text"] for n in got["notes"] if n["basis"] in ("arithmetic", "content"))
    assert decided == ([] if name == "unknown_header_words" else ["decrease", "decrease", "increase", "increase", "stat", "stat"])


def _altered(name: str, *changes: str) -> dict:
    text = (TABLES / f"{name}.txt").read_text(encoding="utf-8")
    for old, new in zip(changes[::2], changes[1::2]):
        assert old in text
        text = text.replace(old, new, 1)
    return parse_bytes(f"{name}.txt", text.encode("utf-8")).to_json()


def test_a_printed_error_is_still_found_in_a_signed_column():
    doc = _altered("signed_change_triangle", "\t135,000\t-\t135,000", "\t135,000\t△1\t135,000")
    (f,) = [f for f in doc["findings"] if f["field"] == "change"]
    assert f["check"] == "column_total" and f["expected"] == 0 and f["actual"] == -1000


@pytest.mark.parametrize("name,changes", [
    # the arithmetic no longer ties: content cannot decide, the table is set aside
    ("columns_by_content", ("\t120,000\t24,000\t-\t96,000", "\t120,000\t24,000\t-\t96,001")),
    ("change_column_by_content", ("\t120,000\t△24,000\t96,000", "\t120,000\t△24,000\t96,001")),
    # 감 and 증 equal on every line tie either way round: undecidable
    ("columns_by_content", ("\t120,000\t24,000\t-\t96,000", "\t120,000\t24,000\t24,000\t120,000",
                            "\t15,000\t-\t24,000\t39,000", "\t15,000\t-\t-\t15,000")),
])
def test_content_that_does_not_decide_sets_the_table_aside(name, changes):
    doc = _altered(name, *changes)
    first = doc["transfers"][0]["budget"]
    assert first["lines"] == [] and first["total"] is None
    assert any(u["reason"].startswith("budget table without columns for") for u in doc["unparsed"])


@pytest.mark.parametrize("text,won", [
    ("△1,400", -1400), ("▲1,400", -1400), ("-1,400", -1400), ("(1,400)", -1400), ("（1,400）", -1400),
    ("5,000", 5000), ("+5,000", 5000), ("-", 0), ("0", 0),
])
def test_signed_figures(text, won):
    assert parse_signed_amount(text).won == won


@pytest.mark.parametrize("text,role", [
    ("비목", "stat"), ("목", "stat"), ("감액(B)", "decrease"), ("증액(C)", "increase"), ("예산현액(A)", "before"),
    ("전용 후 예산액(A-B+C)", "after"), ("예산액(천원)", "before"), ("변동분", None),
])
def test_header_words(text, role):
    assert column_role(text) == role


@pytest.mark.parametrize("words,stat_role", [
    # 통계목 named for its name alone over cells printing code and name: one 통계목 column
    ("과목명", "stat"), ("통계목코드", "stat"), ("비목", "stat"),
])
def test_a_lone_stat_code_or_name_column_is_the_stat_column(words, stat_role):
    from pipeline.ir import Cell, Loc
    from pipeline.parse.budget import map_columns

    here = Loc(line=1)
    header = [Cell(w, here) for w in ("부서명", words, "예산액", "(B)", "(C)", "전용후(A-B+C)")]
    labels = [Cell(w, here) for w in ("", "", "", "감소액", "증가액", "")]
    body = [Cell(w, here) for w in ("과", "203-02 사무관리비", "10", "-", "5", "15")]
    cmap = map_columns([header, labels, body])
    assert cmap.roles.get(stat_role) == 1 and "stat_name" not in cmap.roles and "stat_code" not in cmap.roles


def test_a_row_of_labels_under_the_header_is_header():
    from pipeline.ir import Cell, Loc
    from pipeline.parse.budget import map_columns

    here = Loc(line=1)
    rows = [[Cell(w, here) for w in ("부서명", "통계목", "(A)", "전용액", "", "(A-B+C)")],
            [Cell(w, here) for w in ("", "", "", "(B)", "증액분", "")],
            [Cell(w, here) for w in ("과", "203-02 사무관리비", "10", "-", "5", "15")]]
    assert map_columns(rows).header_rows == 2


@pytest.mark.parametrize("text,change", [("증감(△)", True), ("전용액", True), ("증감", True), ("증 감", True), ("감", False), ("예산현액", False)])
def test_change_words(text, change):
    assert names_change(text) is change

"""The real seed report, field by field, against an expected JSON written by hand from
reading the document (tests/expected/), not produced by the code under test."""
import json
from pathlib import Path

import pytest

from pipeline.extract import parse_file

from conftest import SEED

EXPECTED = json.loads((Path(__file__).parent / "expected" / "seed_000_69d6960250ab482a.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def doc():
    return parse_file(SEED).to_json()


@pytest.mark.parametrize("field", ["schema_version", "title", "fiscal_year", "quarter", "office", "meeting_date", "venue"])
def test_header(doc, field):
    assert doc[field] == EXPECTED[field]


def test_source(doc):
    assert doc["source"]["format"] == "text"
    assert len(doc["source"]["sha256"]) == 64


def test_transfer_count(doc):
    assert [t["seq"] for t in doc["transfers"]] == [1, 2, 3]


@pytest.mark.parametrize("i", [0, 1, 2])
@pytest.mark.parametrize("field", ["label", "title", "summary", "overview", "timeline", "transfer", "reasons"])
def test_transfer_fields(doc, i, field):
    assert doc["transfers"][i][field] == EXPECTED["transfers"][i][field]


@pytest.mark.parametrize("i", [0, 1, 2])
def test_budget_table(doc, i):
    got, want = doc["transfers"][i]["budget"], EXPECTED["transfers"][i]["budget"]
    assert got["unit"] == want["unit"]
    assert got["total"] == want["total"]
    assert len(got["lines"]) == len(want["lines"])
    for g, w in zip(got["lines"], want["lines"]):
        fields = {k: v for k, v in w.items() if k != "loc_line"}
        assert {k: g[k] for k in fields} == fields
        assert g["loc"]["line"] == w["loc_line"]


def test_overview_keeps_heading_order(doc):
    assert list(doc["transfers"][1]["overview"]) == ["필요성", "추진경과", "사업내용", "기대효과"]


def test_no_findings_and_nothing_unplaced(doc):
    assert doc["findings"] == EXPECTED["findings"]
    assert doc["unparsed"] == []

"""PDF pages stored turned (`/Rotate`, issue 20) are read in their reading orientation,
every location where a viewer shows it. Fixtures: scripts/make_turned_fixtures.py, the
seed sample's PDF with its pages (all, or only those printing a table) stored turned."""
from __future__ import annotations

import pytest

from conftest import FIXTURES, SAMPLES

from pipeline.extract import parse_file

TURNED = sorted((FIXTURES / "turned").glob("*.pdf"))


def _rounded(obj):
    """A report's JSON without its source, numbers to a tenth of a point."""
    if isinstance(obj, dict):
        return {k: _rounded(v) for k, v in obj.items() if k != "source"}
    if isinstance(obj, list):
        return [_rounded(v) for v in obj]
    if isinstance(obj, float):
        return round(obj, 1)
    return obj


@pytest.fixture(scope="module")
def upright():
    return _rounded(parse_file(SAMPLES / "000_seed.pdf").to_json())


def test_every_kind_of_turn_has_its_fixture():
    assert [p.name for p in TURNED] == ["all_pages_turned_180.pdf", "all_pages_turned_270.pdf",
                                         "all_pages_turned_90.pdf", "table_pages_turned_90.pdf"]


@pytest.mark.parametrize("path", TURNED, ids=lambda p: p.name)
def test_a_turned_page_reads_as_the_viewer_shows_it(path, upright):
    got = _rounded(parse_file(path).to_json())
    assert got["transfers"] and all(t["budget"]["lines"] for t in got["transfers"])
    assert got == upright  # every field, every figure, every location

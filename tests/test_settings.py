"""The readers' tolerances (pipeline/settings.py): validated when made, documented in
docs/settings.md, and really used: changing one changes what a real file reads as."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from pipeline.domain.pages import page_number
from pipeline.ir import Paragraph, Table
from pipeline.readers import read_file
from pipeline.settings import (
    DEFAULT_SETTINGS, GeometrySettings, LayoutSettings, LineSettings, PageSettings, PdfSettings, ReadingSettings, WrapSettings,
)

ROOT = Path(__file__).resolve().parent.parent
PARTS = (WrapSettings, PageSettings, LayoutSettings, LineSettings, PdfSettings, GeometrySettings)


@pytest.mark.parametrize("make, says", [
    (lambda: PdfSettings(mirror=-1.0), "at least"),
    (lambda: PdfSettings(number_band=0.7), "at most"),
    (lambda: LayoutSettings(flush_right=1.5), "at most"),
    (lambda: WrapSettings(max_whole_text_breaks=2.5), "whole number"),
    (lambda: WrapSettings(max_whole_text_breaks=True), "whole number"),
    (lambda: WrapSettings(clearly_fits=0.9), "at least"),
    (lambda: PageSettings(foot_em="0.6"), "number"),
    (lambda: PageSettings(foot_em=float("nan")), "number"),
    (lambda: LineSettings(word_gap_em=0.0), "at least"),
    (lambda: ReadingSettings(pdf=PageSettings()), "PdfSettings"),
    (lambda: GeometrySettings(start_grid=0.0), "at least"),
    (lambda: GeometrySettings(lost_space_max=0.95), "at least"),
    (lambda: GeometrySettings(lost_space_min=1.0, lost_space_max=1.0, open_space_em=-0.1), "at least"),
    (lambda: ReadingSettings(geometry=PdfSettings()), "GeometrySettings"),
])
def test_a_bad_value_is_refused_with_its_name_and_why(make, says):
    with pytest.raises(ValueError, match=says) as err:
        make()
    assert re.match(r"\w+Settings\.\w+ must be", str(err.value))


def test_settings_are_frozen_and_the_defaults_valid():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_SETTINGS.pdf.mirror = 1.0  # type: ignore[misc]
    assert ReadingSettings() == DEFAULT_SETTINGS
    assert dataclasses.replace(DEFAULT_SETTINGS.pages, cut_lines=3.0).cut_lines == 3.0


def test_every_tolerance_is_documented():
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for part in PARTS:
        assert f"## {part.__name__}" in doc
        for f in dataclasses.fields(part):
            assert f"`{f.name}`" in doc, f"{part.__name__}.{f.name} is not in docs/settings.md"


def _paragraphs(doc) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph) and not b.set_aside]


def _rows(doc) -> int:
    return sum(len(b.rows) for b in doc.blocks if isinstance(b, Table))


def test_the_page_number_band_decides_what_is_page_furniture():
    path = ROOT / "samples" / "000_seed.pdf"
    default = _paragraphs(read_file(path))
    kept = _paragraphs(read_file(path, settings=ReadingSettings(pdf=PdfSettings(number_band=0.0, header_band=0.0))))
    assert not any(page_number(t) is not None for t in default)
    assert any(page_number(t) is not None for t in kept)


def test_a_row_cut_by_the_page_is_joined_only_when_the_table_reaches_the_foot():
    # (A rest printing names only, no code or figure, is joined wherever the foot is: no
    # such row is a budget line. Here the rest prints a figure's last digits.)
    path = ROOT / "tests" / "fixtures" / "pdf" / "split_syllable_left.pdf"
    joined = _rows(read_file(path))
    apart = _rows(read_file(path, settings=ReadingSettings(pages=PageSettings(cut_lines=0.0))))
    assert apart == joined + 1  # the two parts of the cut row stay two rows


def test_the_narrowest_page_width_decides_which_text_lines_wrapped():
    path = ROOT / "tests" / "fixtures" / "layout" / "000_seed.layout.txt"
    default = _paragraphs(read_file(path))
    wide = _paragraphs(read_file(path, settings=ReadingSettings(layout=LayoutSettings(narrowest_page=200.0))))
    assert len(wide) > len(default)  # lines that wrapped on the page now look short: not joined
    assert " ".join(wide).split() == " ".join(default).split()


def test_the_space_reach_decides_which_unlisted_spaces_the_pdfium_producer_gives_back():
    # Chromium draws each space as a text object of its own that pdfium's text page does
    # not list: the producer gives it back as a space as wide as the gap to the next glyph.
    from pipeline.limits import DEFAULT_LIMITS
    from pipeline.readers.pdf.geometry import iter_pages, open_pdf

    def spaces(gs: GeometrySettings) -> int:
        data = (ROOT / "tests" / "fixtures" / "pdf" / "split_chromium.pdf").read_bytes()
        with open_pdf(data, DEFAULT_LIMITS, "pdfium", gs) as source:
            return sum(c["text"] == " " and c["x1"] > c["x0"] for page in iter_pages(source) for c in page.chars)

    assert spaces(DEFAULT_SETTINGS.geometry) > 100
    assert spaces(GeometrySettings(space_reach_em=0.0, open_space_em=0.0)) == 0

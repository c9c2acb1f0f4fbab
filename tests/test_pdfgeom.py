"""The two producers of PDF page geometry (readers/pdf/geometry.py) see the same page: the same ruling
lines, the same glyphs in the same boxes. Record-level equality is tested with the reader."""
from collections import Counter
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.limits import DEFAULT_LIMITS
from pipeline.readers.pdf.geometry import iter_pages, open_pdf

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# Not the fuzzer's mutated inputs (fixtures/fuzz): what a damaged content stream draws is
# each interpreter's guess, and for them test_fuzz.py requires a clean outcome only.
PDFS = sorted((ROOT / "samples").glob("*.pdf")) + sorted(p for p in FIXTURES.rglob("*.pdf") if "fuzz" not in p.relative_to(FIXTURES).parts)


def pages(path: Path, producer: str):
    try:
        with open_pdf(path.read_bytes(), DEFAULT_LIMITS, producer) as src:
            return list(iter_pages(src)), None
    except InputError as e:
        return None, e.reason


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_producers_agree_on_edges_glyphs_and_refusals(path):
    a, why_a = pages(path, "pdfium")
    b, why_b = pages(path, "pdfplumber")
    assert (a is None) == (b is None), (why_a, why_b)
    if a is None:
        return
    assert len(a) == len(b)
    for pa, pb in zip(a, b):
        assert abs(pa.width - pb.width) < 0.01 and abs(pa.height - pb.height) < 0.01
        assert pa.has_images == pb.has_images

        def edges(p):
            return sorted((e["orientation"], e["x0"], e["top"], e["x1"], e["bottom"]) for e in p.edges)

        ea, eb = edges(pa), edges(pb)
        assert len(ea) == len(eb)
        for x, y in zip(ea, eb):
            assert x[0] == y[0] and all(abs(u - v) <= 0.5 for u, v in zip(x[1:], y[1:])), (x, y)
        # Every visible glyph in the same box (0.5 pt); spaces are compared by what they
        # separate, in the reader's tests.
        def glyphs(p):
            return Counter((c["text"], round(c["x0"] * 2), round(c["top"] * 2), round(c["x1"] * 2)) for c in p.chars if c["text"].isprintable() and not c["text"].isspace())

        ga, gb = glyphs(pa), glyphs(pb)
        near_misses = ga - gb
        for key, n in near_misses.items():  # a rounding boundary (117.65 → 117.6 / 117.7)
            assert any(k[0] == key[0] and all(abs(x - y) <= 1 for x, y in zip(k[1:], key[1:])) for k in gb - ga), key
        assert sum(ga.values()) == sum(gb.values())


@pytest.mark.parametrize("path", [p for p in PDFS if "bad" not in p.parts], ids=lambda p: p.name)
def test_ruled_tables_are_pdfplumbers_own(path):
    """pdf/tables.py's find_tables finds exactly the tables and cells pdfplumber's TableFinder
    finds, with the reader's settings and the side and end edges it adds, on every page
    of every PDF, whichever producer read the geometry."""
    from pdfplumber.table import TableFinder, TableSettings

    from pipeline.readers.pdf import reader as pdf
    from pipeline.readers.pdf.tables import find_tables, open_sides

    for producer in ("pdfium", "pdfplumber"):
        for page in pages(path, producer)[0]:
            sides = open_sides(page.edges)
            bottoms, tops = pdf._open_ends(page.edges)
            ours = find_tables(page.edges, pdf.ruled_table_settings().with_explicit(sides, bottoms + tops))
            s = pdf.ruled_table_settings()
            reference = TableFinder(page, TableSettings.resolve(dict(
                vertical_strategy="lines", horizontal_strategy="lines", snap_tolerance=s.snap_tolerance,
                join_tolerance=s.join_tolerance, edge_min_length=s.edge_min_length,
                intersection_tolerance=s.intersection_tolerance,
                explicit_vertical_lines=sides, explicit_horizontal_lines=bottoms + tops))).tables
            assert ours == [t.cells for t in reference]

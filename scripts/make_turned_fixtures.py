#!/usr/bin/env python3
"""PDF pages stored turned (issue 20): the seed sample's PDF (samples/000_seed.pdf) with its pages
stored as a viewer would have to turn them back, with pypdf.

    python scripts/make_turned_fixtures.py [OUT_DIR]   # default tests/fixtures/turned

A page turned by `r` degrees is stored with its media box turned (a portrait page in a
landscape box for 90 and 270), its content drawn turned the other way (one `cm` before
the page's own content) and `/Rotate r`, so that a viewer shows exactly the sample's
page: what offices' landscape pages stored as portrait look like, and the other way round.

* `all_pages_turned_90.pdf`, `all_pages_turned_180.pdf`, `all_pages_turned_270.pdf`;
* `table_pages_turned_90.pdf`: only the pages that print a budget table turned.

The tests read each against the sample: the same report, every location where a viewer
shows it.
"""
from __future__ import annotations

import sys
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import RectangleObject

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "samples" / "000_seed.pdf"


def turn(page, rotation: int) -> None:
    """Store `page` turned by `rotation` degrees clockwise, shown unchanged by a viewer."""
    w, h = float(page.mediabox.width), float(page.mediabox.height)
    matrix, box = {
        90: ((0, 1, -1, 0, h, 0), (h, w)),
        180: ((-1, 0, 0, -1, w, h), (w, h)),
        270: ((0, -1, 1, 0, 0, w), (h, w)),
    }[rotation]
    page.add_transformation(matrix)
    page.mediabox = RectangleObject([0, 0, *box])
    if "/CropBox" in page:
        del page["/CropBox"]
    page.rotate(rotation)


def table_pages() -> list[int]:
    """0-based numbers of the sample's pages that draw a budget table's words."""
    import pdfplumber

    with pdfplumber.open(str(SAMPLE)) as pdf:
        return [k for k, page in enumerate(pdf.pages) if "예산현액" in "".join(c["text"] for c in page.chars)]


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for rotation in (90, 180, 270):
        w = PdfWriter(clone_from=str(SAMPLE))
        for page in w.pages:
            turn(page, rotation)
        w.write(str(out / f"all_pages_turned_{rotation}.pdf"))
    w = PdfWriter(clone_from=str(SAMPLE))
    turned = table_pages()
    if not turned or len(turned) == len(w.pages):
        raise SystemExit("the sample no longer has pages with and without a table")
    for k in turned:
        turn(w.pages[k], 90)
    w.write(str(out / "table_pages_turned_90.pdf"))
    for p in sorted(out.iterdir()):
        print(p)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent / "tests" / "fixtures" / "turned")

"""The third geometry producer: a page read from its pixels.

Beside pypdfium2 and pdfplumber (pdf/geometry.py), a scanned page (a PDF page without a text
layer, or a page of a TIFF, PNG or JPEG file) gives the same `PageGeometry`: its size in
points, its characters with boxes, its ruling lines as edges. Everything above it (tables,
rows split by pages, wraps, locations) is the PDF reader's one implementation. The stages,
each a module: render (the page's pixels at the scan's own resolution) → deskew →
rules (morphology) → cells (the reader's table finder on those rules) → recognise
(Tesseract, line by line and cell by cell). Each recognised word is also kept as a
`Reading` with its confidence, for the proof by arithmetic (pipeline/proof.py).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Optional

from ..pdf.geometry import PageGeometry, PdfSource
from .deskew import binary, skew_angle, straighten
from .engine import Engine, missing
from .recognise import PageReader, Reading, line_height, outside, speckless, table_cells
from .render import ImagePages, PageImage, render_pdf_page
from .rules import find_rules

MODES = ("auto", "always", "never")

__all__ = ["MODES", "OcrPdfPages", "ImageSource", "Reading", "Timings", "missing", "read_page_image", "wants_ocr"]


@dataclass
class Timings:
    """Seconds spent in each stage (benchmarks/bench_ocr.py reports their shares)."""

    render: float = 0.0
    deskew: float = 0.0
    rules: float = 0.0
    recognise: float = 0.0
    pages: int = 0


def wants_ocr(page: PageGeometry, mode: str) -> bool:
    """Whether a PDF page is read from its pixels: always; or (auto) when it has no usable
    text layer: no printed character at all, but an image."""
    if mode == "always":
        return True
    if mode != "auto":
        return False
    return page.has_images and not any(c["text"].strip() for c in page.chars)


def read_page_image(engine: Engine, number: int, image: PageImage, readings: list,
                    timings: Optional[Timings] = None) -> PageGeometry:
    """One page image → its geometry (readings appended to `readings`)."""
    import numpy as np

    t = timings or Timings()
    clock = time.perf_counter()
    ink = binary(image.pixels)
    angle = skew_angle(ink)
    if angle:
        pixels = straighten(image.pixels, angle)
        ink = binary(pixels)
    else:
        pixels = image.pixels
    now = time.perf_counter()
    t.deskew += now - clock
    clock = now
    edges, rule_ink = find_rules(ink, image.dpi)
    import cv2

    ruled = cv2.dilate(rule_ink, np.ones((3, 3), np.uint8))
    text_ink = speckless(np.where(ruled > 0, 0, ink).astype(np.uint8), image.dpi)
    tables = table_cells(edges)
    now = time.perf_counter()
    t.rules += now - clock
    clock = now
    prose = outside(text_ink, [_bounds(cells) for cells in tables], image.dpi)
    reader = PageReader(engine, number, pixels, text_ink, image.dpi, line_height(prose, image.dpi))
    for cells in tables:
        reader.columns = {}  # what a column holds is learned within its table (from its header down)
        for cell in cells:
            reader.read_cell(cell)
    reader.read_prose(prose)
    t.recognise += time.perf_counter() - clock
    t.pages += 1
    readings.extend(reader.readings)
    return PageGeometry(number, image.width_pt, image.height_pt, reader.chars, edges, True, glyph_boxes_drawn=False)


def _bounds(cells: list[tuple]) -> tuple:
    return (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))


class _OcrSource(PdfSource):
    def __init__(self, readings: Optional[list] = None, timings: Optional[Timings] = None):
        self.readings = readings if readings is not None else []
        self.timings = timings or Timings()
        self._engine: Optional[Engine] = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = Engine()
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None


class ImageSource(_OcrSource):
    """An image file's pages as a PDF source (`PdfSource`): read by OCR one at a time."""

    def __init__(self, data: bytes, limits, readings: Optional[list] = None, timings: Optional[Timings] = None):
        super().__init__(readings, timings)
        problem = missing()
        if problem:
            from ...errors import InputError

            raise InputError(problem)
        self._pages = ImagePages(data, limits)

    def __len__(self) -> int:
        return len(self._pages)

    def page(self, number: int) -> PageGeometry:
        clock = time.perf_counter()
        image = self._pages.page(number)
        self.timings.render += time.perf_counter() - clock
        return read_page_image(self.engine, number, image, self.readings, self.timings)

    def close(self) -> None:
        super().close()
        self._pages.close()


class OcrPdfPages(_OcrSource):
    """The pages of a PDF read from their pixels (rendered by pypdfium2), on demand."""

    def __init__(self, data: bytes, limits, readings: Optional[list] = None, timings: Optional[Timings] = None):
        super().__init__(readings, timings)
        self._data = data
        self._limits = limits
        self._pdf = None

    def page(self, number: int) -> PageGeometry:
        import pypdfium2 as pdfium

        problem = missing()
        if problem:
            from ...errors import InputError

            raise InputError(problem)
        if self._pdf is None:
            self._pdf = pdfium.PdfDocument(self._data)
        clock = time.perf_counter()
        image = render_pdf_page(self._pdf, number, self._limits)
        self.timings.render += time.perf_counter() - clock
        return read_page_image(self.engine, number, image, self.readings, self.timings)

    def __len__(self) -> int:
        return 0 if self._pdf is None else len(self._pdf)

    def close(self) -> None:
        super().close()
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None

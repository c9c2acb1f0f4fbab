"""The intermediate representation every reader produces and the parser consumes.

A document is a flat sequence of blocks in reading order: paragraphs (one printed line or
paragraph of text) and tables (a rectangular grid of cells). Every block and every cell
carries a `Loc`, the place in the source file an auditor can open: a line number for text,
a page and bounding box for PDF, a paragraph index or a table/row/cell address for DOCX,
HWPX and HWP.

Readers differ in what they know about merged cells. A reader that sees a real merge
(DOCX `vMerge`/`gridSpan`, HWPX `rowSpan`/`colSpan`, a PDF cell spanning several ruled
columns) marks the covered grid positions with `merged=True`; a text reader cannot tell a
merge from an empty cell and leaves them empty. The parser treats both the same way.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Union


@dataclass(frozen=True)
class Loc:
    """Where something sits in the source. All indices are 1-based; bbox is in PDF points
    (x0, top, x1, bottom) measured from the top-left corner of the page."""

    page: Optional[int] = None
    line: Optional[int] = None
    bbox: Optional[tuple[float, float, float, float]] = None
    cell: Optional[tuple[int, int, int]] = None  # (table, row, column)
    paragraph: Optional[int] = None  # DOCX/HWPX/HWP body paragraph index
    section: Optional[int] = None  # HWPX/HWP section
    # Every page the thing is printed on, when more than one (a table row or a cell broken
    # by a page break); `page` and `bbox` stay where its text or figures are printed.
    pages: Optional[tuple[int, ...]] = None

    def to_json(self) -> dict:
        """The contract's loc object (plus `paragraph`/`section` where known).

        The contract's loc names a page, line, bbox or cell. A paragraph of a DOCX, HWPX or
        HWP body has no page (that needs a layout engine) and no line of a file, so its
        body paragraph number stands as its `line`: the place a reader finds by counting
        paragraphs (within its `section` for HWPX/HWP)."""
        line = self.line
        if line is None and self.page is None and self.cell is None and self.paragraph is not None:
            line = self.paragraph
        out: dict = {
            "page": self.page,
            "line": line,
            "bbox": [round(v, 2) for v in self.bbox] if self.bbox else None,
            "cell": list(self.cell) if self.cell else None,
        }
        if self.paragraph is not None:
            out["paragraph"] = self.paragraph
        if self.section is not None:
            out["section"] = self.section
        if self.pages:
            out["pages"] = list(self.pages)
        return out


@dataclass
class Note:
    """A reading decided by a heuristic that could be wrong, kept as decided and made
    visible: e.g. whether a line break inside a printed name stood for a space. `text` is
    the text as read, `alternative` the other reading, `basis` what decided it
    (`vocabulary`: the document prints it so elsewhere; `arithmetic`: the report's own
    figures tie in this reading and in no other; `default`: nothing did)."""

    text: str
    alternative: str
    reason: str
    basis: str
    loc: Optional[Loc] = None

    def to_json(self) -> dict:
        return {
            "text": self.text,
            "alternative": self.alternative,
            "reason": self.reason,
            "basis": self.basis,
            "loc": self.loc.to_json() if self.loc is not None else None,
        }


@dataclass
class Paragraph:
    text: str
    loc: Loc
    # Set when the reader could not place this printed line in its structure (a table
    # whose layout was lost in conversion): the reason, which the parser reports with
    # the line instead of reading it as content.
    set_aside: Optional[str] = None
    notes: tuple = ()  # Note: readings of this text a heuristic decided


@dataclass
class Cell:
    text: str
    loc: Loc
    merged: bool = False  # covered by a merge that starts above or to the left
    notes: tuple = ()  # Note: readings of this text a heuristic decided


@dataclass
class Table:
    rows: list[list[Cell]]
    loc: Loc

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


Block = Union[Paragraph, Table]


@dataclass
class Document:
    """What a reader hands to the parser."""

    path: str
    format: str  # text | pdf | docx | hwpx | hwp | image
    sha256: str
    blocks: list[Block] = field(default_factory=list)
    # Pages read by OCR: every word as read, with its confidence (readers/ocr Reading),
    # for the proof by arithmetic (pipeline/proof.py). Empty for every other page.
    readings: list = field(default_factory=list)

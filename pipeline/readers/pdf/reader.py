"""PDF reports (exported from HWP, Word or LibreOffice) → the same blocks as the text reader.

Each page's geometry (its characters and its ruling lines) is read once, by pypdfium2 or by
pdfplumber behind one interface (geometry.py). Ruled tables are found with explicit
`RuledTableSettings` (tables.py: pdfplumber's table finder, lines only, on plain
geometry) and rebuilt as a grid whose columns and rows are the distinct cell edges, so a
cell spanning several ruled columns or rows becomes its origin plus `merged=True`
positions, exactly as DOCX/HWPX merges do.
Tables printed with horizontal rules only are given vertical edges from text alignment
(unruled.py) and read by the same finder and grid. Tables printed without outer side
borders are closed where their rules end, and a table
whose column rules run on past its last rule (a row split by the page, left open) is
closed there too. Page numbers like `- 3 -` in the top/bottom margins and running headers
are dropped.

Everything after the page's characters, rules and cells is plain geometry, in modules of
its own: characters → lines (lines.py: spaces from space glyphs or word-sized gaps),
pages → paragraphs and tables, with tables continued over page breaks and rows broken by
the page rejoined (pages.py), and the decision, at every line break inside a cell or
a paragraph, whether it stood for a space (wraps.py: geometry first, then the document's
own vocabulary; undecidable breaks become notes).

Locations: every paragraph has `page`, `line` (1-based line on the page) and `bbox`; every
table cell has `page`, the `bbox` of its ruled cell (points, top-left origin) and its
`cell` = (table, row, column) address in the joined table; a cell or row broken by a page
also lists `pages`.
"""
from __future__ import annotations

import logging
from bisect import bisect_left, bisect_right
from contextlib import contextmanager
from typing import Optional

import regex as re

from ...domain.figures import LONE_FIGURE
from ...domain.figures import UNIT_LABEL
from ...domain.pages import BARE_PAGE_NUMBER, PAGE_NUMBER
from ...errors import InputError
from ...ir import Block, Cell, Loc
from .lines import Line, alignment, is_space, lines_of, text_of
from .pages import Page, PageTable, assemble
from .tables import RuledTableSettings, find_tables, open_sides
from .unruled import UnruledTable, find_regions, rebuild_all, text_lines
from .geometry import DEFAULT_PRODUCER, PageGeometry, iter_pages, open_pdf, page_errors
from ...limits import Limits
from ...settings import DEFAULT_SETTINGS, PdfSettings, ReadingSettings

# Tables are found from their rules: the lines strategy where columns are ruled; where only
# horizontal rules are drawn, the text strategy (unruled.py) rebuilds the vertical edges from
# text alignment between them, never out of prose printed without any rule.


@contextmanager
def _quiet_pdfminer():
    """pdfminer warns on stderr about every damaged operator it skips; the user gets one
    line per file from the CLI instead (an InputError, or nothing when the text was
    readable). Scoped to one read, so the process's logging is left as it was."""
    log = logging.getLogger("pdfminer")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)

# ---------------------------------------------------------------- the file
def read_pdf(data: bytes, limits: Limits, producer: str = DEFAULT_PRODUCER, settings: ReadingSettings = DEFAULT_SETTINGS,
             readings: Optional[list] = None) -> list[Block]:
    """PDF bytes → blocks. `producer` names the library that reads each page's geometry
    (geometry.py): `pdfium` (the default) or `pdfplumber` (the reference); the records are
    the same either way. `settings` holds the tolerances (docs/settings.md). Pages without
    a text layer (or every page, as `limits.ocr` says) are read from their pixels by the OCR
    producer (readers/ocr), each word it reads appended to `readings`."""
    with _quiet_pdfminer():
        with open_pdf(data, limits, producer, settings.geometry) as source:
            return _read_source(source, limits, _Scans(data, limits, readings), settings)


def read_image(data: bytes, limits: Limits, readings: Optional[list] = None,
               settings: ReadingSettings = DEFAULT_SETTINGS) -> list[Block]:
    """A scanned image file (TIFF, also multi-page; PNG; JPEG) → blocks, its pages read by
    the OCR producer as a PDF's pages are read by pypdfium2."""
    from ..ocr import ImageSource

    if limits.ocr == "never":
        raise InputError("a scanned image, and OCR is turned off (--ocr never)")
    with ImageSource(data, limits, readings) as source:
        return _read_source(source, limits, None, settings)


class _Scans:
    """A PDF's pages read by OCR, opened when a page first needs it."""

    def __init__(self, data: bytes, limits: Limits, readings: Optional[list]):
        self.data, self.limits, self.readings = data, limits, readings
        self.source = None
        self.pages = 0

    def page(self, geometry: PageGeometry) -> PageGeometry:
        from ..ocr import OcrPdfPages, missing, wants_ocr

        if self.limits.ocr == "never" or not wants_ocr(geometry, self.limits.ocr) or missing():
            return geometry
        self.pages += 1
        if self.pages > self.limits.max_ocr_pages:
            raise InputError(f"more than {self.limits.max_ocr_pages:,} pages to read by OCR; refusing (limit {self.limits.max_ocr_pages:,})")
        if self.source is None:
            self.source = OcrPdfPages(self.data, self.limits, self.readings)
        return self.source.page(geometry.number)

    def close(self) -> None:
        if self.source is not None:
            self.source.close()


def _read_source(source, limits: Limits, scans: Optional[_Scans], settings: ReadingSettings) -> list[Block]:
    pages = []
    cells = 0
    any_images = False
    unruled: dict[int, tuple] = {}  # id(PageTable) → (its glyphs, whether spaced): tables rebuilt from text
    try:
        for geometry in iter_pages(source):
            with page_errors(geometry.number):
                if scans is not None:
                    geometry = scans.page(geometry)
                p = _read_page(geometry, settings, unruled)
            any_images = any_images or geometry.has_images
            cells += sum(len(r) for it in p.items if isinstance(it, PageTable) for r in it.rows)
            if cells > limits.max_table_cells:
                raise InputError(f"more than {limits.max_table_cells:,} table cells; not a report")
            pages.append(p)
    finally:
        if scans is not None:
            scans.close()
    _follow_unruled(pages, unruled, settings)
    _drop_margins(pages, settings.pdf)
    if not any(p.items for p in pages):
        if any_images:
            from ..ocr import missing

            why = "OCR is turned off (--ocr never)" if limits.ocr == "never" else missing()
            raise InputError(f"has no text layer (scanned?); {why}" if why else "has no text layer (scanned?), and OCR found no text on its pages")
        raise InputError("PDF with no text")
    return assemble(pages, settings)


# ---------------------------------------------------------------- one page
def _read_page(page: PageGeometry, settings: ReadingSettings, unruled_glyphs: Optional[dict] = None) -> Page:
    """One page's geometry → its lines outside tables and its ruled tables, sorted top to
    bottom."""
    ps, ls = settings.pdf, settings.lines
    number = page.number
    chars = page.chars
    out = Page(number, page.width, page.height)
    if not chars:
        return out
    spaced = any(is_space(c["text"]) for c in chars)
    tables, bottoms, tops, unruled = [], [], [], []
    rebuilt: list = []  # the tables whose vertical edges were rebuilt from text alignment
    if page.edges:
        edges = page.edges
        sides = open_sides(edges, ps)
        bottoms, tops = _open_ends(edges, ps)
        breaks = _unruled_row_breaks(edges, ps)
        finder = ruled_table_settings(ps)
        if sides or bottoms or tops or breaks:
            finder = finder.with_explicit(vertical=sides, horizontal=bottoms + tops + breaks)
        tables = find_tables(edges, finder)
        unruled = _unruled_tables(edges, chars, page, ps)
        rebuilt = [t for u in unruled for t in find_tables(u.edges, ruled_table_settings(ps))]
    grids = []
    for t, measured in [(t, False) for t in tables] + [(t, True) for t in rebuilt]:
        g = _grid(t, ps.rule_merge)
        if g is not None:
            g.measured = measured
            grids.append(g)
    loose: list[dict] = []
    per_cell: list[dict] = [dict() for _ in grids]
    # Most glyphs lie outside a given table: its outline is tried first, inline (hot path).
    outlines = [(k, g, g.xs[0], g.xs[-1], g.ys[0], g.ys[-1]) for k, g in enumerate(grids)]
    for c in chars:
        cx = (c["x0"] + c["x1"]) / 2
        cy = (c["top"] + c["bottom"]) / 2
        for k, g, left, right, top, bottom in outlines:
            if left <= cx <= right and top <= cy <= bottom and (pos := g.locate(cx, cy)) is not None:
                per_cell[k].setdefault(pos, []).append(c)
                break
        else:
            loose.append(c)
    for g, cells in zip(grids, per_cell):
        _give_back_overflow(g, cells, ps)
        _give_back_drawn_above(g, cells, ps)
    items: list = []
    for k, g in enumerate(grids):
        if g.n_rows * g.n_cols == 1 or (g.n_rows == 1 and not per_cell[k]):
            # A framed paragraph, not a table: its text joins the page's lines.
            for chs in per_cell[k].values():
                loose.extend(chs)
            continue
        pt = g.build(per_cell[k], number, spaced, settings)
        pt.overprinted = pt.overprinted and page.glyph_boxes_drawn  # OCR's boxes are estimates
        pt.open_below = [gap for e in bottoms if abs(e["top"] - pt.bottom) <= ps.rule_reach for gap in e["open"]]
        pt.open_above = [gap for e in tops if abs(e["top"] - pt.top) <= ps.rule_reach for gap in e["open"]]
        for u in unruled:  # a row of a table without vertical rules the page break left open
            if _same_box(u.bbox, pt.bbox, ps.rule_reach):
                pt.open_below = [(pt.bbox[0], pt.bbox[2])] if u.open_below else []
                pt.open_above = [(pt.bbox[0], pt.bbox[2])] if u.open_above else []
                if unruled_glyphs is not None:
                    unruled_glyphs[id(pt)] = ([c for chs in per_cell[k].values() for c in chs], spaced, u)
        items.append(pt)
    items.extend(lines_of(loose, spaced, ls))
    items.sort(key=lambda it: it.top)
    out.items = items
    return out


def _follow_unruled(pages: list[Page], unruled: dict, settings: ReadingSettings) -> None:
    """A table rebuilt from text whose rows go on over a page break must be met by a table
    on the other side (at the foot of the page before, the head of the page after); where
    the other part could not be rebuilt, this part is not read either (its rows would be a
    table cut short: lines lost without a word) and its text goes back to the page's lines."""
    changed = True
    while changed:
        changed = False
        for i, p in enumerate(pages):
            for it in list(p.items):
                if id(it) not in unruled:
                    continue
                glyphs, spaced, u = unruled[id(it)]
                after = pages[i + 1].items if i + 1 < len(pages) else []
                before = pages[i - 1].items if i > 0 else []
                slack = settings.pages.column_slack
                lost = ((u.open_below and not (after and isinstance(after[0], PageTable) and _same_columns(it.xs, after[0].xs, slack)))
                        or (u.open_above and not (before and isinstance(before[-1], PageTable) and _same_columns(it.xs, before[-1].xs, slack)))
                        # rows of it left unread on the other side of the page break
                        or (it is p.items[0] and _rows_left(before[::-1]))
                        or (it is p.items[-1] and _rows_left(after)))
                if lost:
                    p.items.remove(it)
                    del unruled[id(it)]
                    p.items = sorted(p.items + lines_of(glyphs, spaced, settings.lines), key=lambda x: x.top)
                    changed = True


def _same_columns(xs: list, other: list, slack: float) -> bool:
    """Two parts of a table over a page break stand on one grid: the same outer edges, and
    the edges of one among the other's (the assembly joins only such parts)."""
    def among(a: list, b: list) -> bool:
        return all(any(abs(x - y) <= slack for y in b) for x in a)
    return (abs(xs[0] - other[0]) <= slack and abs(xs[-1] - other[-1]) <= slack
            and (among(xs, other) or among(other, xs)))




def _rows_left(items: list) -> bool:
    """The lines next to a page break (nearest first, up to a table) print rows of figures
    outside any table: a table's rows the reader could not rebuild."""
    for it in items:
        if isinstance(it, PageTable):
            return False
        if sum(1 for w in it.text.split() if LONE_FIGURE.match(w)) >= 2:
            return True
    return False


def _unruled_tables(edges: list[dict], chars: list[dict], page: PageGeometry, ps: PdfSettings) -> list[UnruledTable]:
    """Tables drawn with horizontal rules only (unruled.py: the text strategy), each as the
    edges a ruled table would have, for the same finder and every stage after it."""
    regions = find_regions(edges, ps)
    if not regions:
        return []
    body = [ln for ln in text_lines(chars, ps)
            if not (_in_band_box(ln, page.height, ps.number_band) and (PAGE_NUMBER.match(_text(ln)) or BARE_PAGE_NUMBER.match(_text(ln))))]
    return [u for r in regions for u in rebuild_all(r, body, ps)]


def _text(glyphs: list[dict]) -> str:
    return "".join(c["text"] for c in glyphs)


def _in_band_box(glyphs: list[dict], height: float, frac: float) -> bool:
    top, bottom = min(c["top"] for c in glyphs), max(c["bottom"] for c in glyphs)
    return bottom <= height * frac or top >= height * (1 - frac)


def _same_box(a: tuple, b: tuple, reach: float) -> bool:
    return all(abs(p - q) <= reach for p, q in zip(a, b))


def ruled_table_settings(ps: PdfSettings = DEFAULT_SETTINGS.pdf) -> RuledTableSettings:
    """The ruled-table finder's settings (pdfplumber's lines strategy) for these tolerances."""
    return RuledTableSettings(snap_tolerance=ps.snap_tolerance, join_tolerance=ps.join_tolerance,
                              edge_min_length=ps.edge_min_length, edge_min_length_prefilter=ps.edge_min_length_prefilter,
                              intersection_tolerance=ps.intersection_tolerance)


def _open_ends(edges: list[dict], ps: PdfSettings = DEFAULT_SETTINGS.pdf) -> tuple[list[dict], list[dict]]:
    """Horizontal edges closing a ruled table where its column rules end (or start) with no
    rule across them, or only part of one: a row the page break split, or a cell spanning
    rows that goes on over the page, which some producers leave open (Chromium draws no
    rule there). Without the edge the open cells would not be found. Returns (bottoms,
    tops); each carries `open`, the stretches of x no rule covered (evidence for joining
    the table's cells over the page break)."""
    h = [e for e in edges if e["orientation"] == "h" and e["x1"] - e["x0"] > ps.rule_min]
    v = [e for e in edges if e["orientation"] == "v" and e["bottom"] - e["top"] > ps.rule_min]
    if len(v) < 3 or not h:
        return [], []
    tol, reach = ps.rule_merge, ps.rule_reach
    found: tuple[list, list] = ([], [])
    for which, (end, start) in enumerate((("bottom", "top"), ("top", "bottom"))):
        groups: dict[int, list[dict]] = {}
        for e in v:
            groups.setdefault(round(e[end] / tol), []).append(e)
        for rules in groups.values():
            xs = _cluster([e["x0"] for e in rules], tol)
            if len(xs) < 3:
                continue
            y = sum(e[end] for e in rules) / len(rules)
            x0, x1 = xs[0], xs[-1]
            # The table ends here: no column rule of it goes on past y.
            if any(x0 - 1 <= e["x0"] <= x1 + 1 and (abs(e[start] - y) <= reach or e["top"] < y - reach < y + reach < e["bottom"]) for e in v):
                continue
            ruled = [(e["x0"], e["x1"]) for e in h if abs(e["top"] - y) <= reach]
            gaps = _uncovered(x0, x1, ruled, tol)
            if not gaps:
                continue  # closed
            if not any(not _uncovered(x0, x1, [(e["x0"], e["x1"]) for e in h if abs(e["top"] - y2) <= reach], tol)
                       for y2 in {round(e["top"], 1) for e in h if (e["top"] < y - reach if end == "bottom" else e["top"] > y + reach)}):
                continue  # no full rule across the same columns: not the end of a ruled table
            found[which].append({"object_type": "open_end_edge", "x0": x0, "x1": x1, "top": y, "bottom": y,
                                 "width": x1 - x0, "height": 0.0, "orientation": "h", "open": gaps})
    return found


def _unruled_row_breaks(edges: list[dict], ps: PdfSettings = DEFAULT_SETTINGS.pdf) -> list[dict]:
    """Horizontal edges where a ruled table's rows part without a rule across them: every
    column rule of the table ends at y and starts again at y (none runs through), the
    same columns above and below, each rule below closed by a rule across it (no cell the
    page cuts, which a producer may draw in pieces), and no rule at all across y. A
    producer that draws its column rules row block by row block marks the row boundary
    so even where it leaves the rule out (a repeated header over a row whose merged cells
    go on from the previous page). Without the edge the header and the row below it would
    be read as one row of cells."""
    h = [e for e in edges if e["orientation"] == "h" and e["x1"] - e["x0"] > ps.rule_min]
    v = [e for e in edges if e["orientation"] == "v" and e["bottom"] - e["top"] > ps.rule_min]
    if len(v) < 6 or not h:
        return []
    tol, reach = ps.rule_merge, ps.rule_reach
    ends: dict[int, list[dict]] = {}
    for e in v:
        ends.setdefault(round(e["bottom"] / tol), []).append(e)
    out = []
    for rules in ends.values():
        y = sum(e["bottom"] for e in rules) / len(rules)
        above = _cluster([e["x0"] for e in rules], tol)
        if len(above) < 3:
            continue
        x0, x1 = above[0], above[-1]
        below = _cluster([e["x0"] for e in v if abs(e["top"] - y) <= tol and x0 - tol <= e["x0"] <= x1 + tol], tol)
        if len(below) < 3 or abs(below[0] - x0) > tol or abs(below[-1] - x1) > tol:
            continue
        # The table's width, as the rules where the broken column rules start show it:
        # those ending at y must be all of the table's (a producer drawing cell by cell
        # breaks some columns' rules at every row while the others' cells span the row).
        span_top = min(e["top"] for e in rules)
        across = [e for e in h if abs(e["top"] - span_top) <= reach and e["x1"] - e["x0"] > ps.rule_min]
        if not across or min(e["x0"] for e in across) < x0 - reach or max(e["x1"] for e in across) > x1 + reach:
            continue
        if any(x0 - tol <= e["x0"] <= x1 + tol and e["top"] < y - reach and e["bottom"] > y + reach for e in v):
            continue  # a column rule runs through y: a cell spans it, no row boundary
        starting = [e for e in v if abs(e["top"] - y) <= tol and x0 - tol <= e["x0"] <= x1 + tol]
        if not all(any(abs(r["top"] - e["bottom"]) <= reach and r["x0"] - reach <= e["x0"] <= r["x1"] + reach for r in h) for e in starting):
            continue  # the rules below run into an open end: a cell the page cuts, drawn in pieces
        if not any(abs(e["top"] - y) <= reach and e["x1"] > x0 + reach and e["x0"] < x1 - reach for e in h):
            # No rule at all across y. (A producer drawing its borders cell by cell breaks
            # its column rules at every row; a merged cell's rows show a rule beside it.)
            out.append({"object_type": "row_break_edge", "x0": x0, "x1": x1, "top": y, "bottom": y,
                        "width": x1 - x0, "height": 0.0, "orientation": "h"})
    return out


def _uncovered(x0: float, x1: float, spans: list, tol: float) -> list:
    """The stretches of [x0, x1] (longer than a rule's width) that no span covers."""
    gaps, at = [], x0
    for a, b in sorted(spans):
        if a > at + tol:
            gaps.append((at, min(a, x1)))
        at = max(at, b)
        if at >= x1 - tol:
            break
    if at < x1 - tol:
        gaps.append((at, x1))
    return [(a, b) for a, b in gaps if b - a > tol]


class _Grid:
    """A found table as a grid of distinct column and row edges, each ruled cell mapped to
    the grid positions it covers."""

    def __init__(self, cells, tol: float):
        self.xs = _cluster([v for c in cells for v in (c[0], c[2])], tol)
        self.ys = _cluster([v for c in cells for v in (c[1], c[3])], tol)
        self.n_cols = len(self.xs) - 1
        self.n_rows = len(self.ys) - 1
        self.owner = [[None] * self.n_cols for _ in range(self.n_rows)]
        self.cells = []  # (r0, c0, r1, c1, bbox)
        for bbox in sorted(cells, key=lambda b: (b[1], b[0])):
            c0, c1 = _index(self.xs, bbox[0]), _index(self.xs, bbox[2])
            r0, r1 = _index(self.ys, bbox[1]), _index(self.ys, bbox[3])
            if c1 <= c0 or r1 <= r0:
                continue
            self.cells.append((r0, c0, r1, c1, bbox))
        # Where found cells overlap (rules missing around an L-shaped blank: a cell ruled
        # on all four sides inside a larger rectangle the finder also reports), the smaller
        # one owns the positions: its rules are drawn, the larger one's are not.
        for k in sorted(range(len(self.cells)), key=lambda k: ((self.cells[k][2] - self.cells[k][0]) * (self.cells[k][3] - self.cells[k][1]), k)):
            r0, c0, r1, c1, _ = self.cells[k]
            for r in range(r0, r1):
                for c in range(c0, c1):
                    if self.owner[r][c] is None:
                        self.owner[r][c] = k

    measured = False  # the column edges were rebuilt from text alignment (unruled.py), not drawn

    def _widest(self, lines: dict) -> dict:
        """(first column, last column + 1) → the widest line printed in cells of that span."""
        out: dict = {}
        for k, lns in lines.items():
            key = self.cells[k][1:4:2]
            out[key] = max([out.get(key, 0.0)] + [ln.x1 - ln.x0 for ln in lns])
        return out

    def locate(self, x: float, y: float):
        if not (self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]):
            return None
        c = min(max(bisect_right(self.xs, x) - 1, 0), self.n_cols - 1)
        r = min(max(bisect_right(self.ys, y) - 1, 0), self.n_rows - 1)
        return self.owner[r][c]

    def build(self, per_cell: dict, page: int, spaced: bool, settings: ReadingSettings) -> PageTable:
        """The table on this page: its grid of cells (merged positions marked), each cell's
        printed lines kept for deciding its line breaks later."""
        lines = {k: lines_of(chs, spaced, settings.lines) for k, chs in per_cell.items() if k is not None}
        pad = _padding([(self.cells[k][4], lns) for k, lns in lines.items()], settings.pdf)
        tol = settings.lines.align_tolerance
        texts = {}
        widest = self._widest(lines) if self.measured else {}
        for k, lns in lines.items():
            bbox = self.cells[k][4]
            # Measured as if left-aligned in the cell's content box, whatever the alignment;
            # where no rule shows the column's edges, the box is the widest line the column
            # prints (wrapped text fills it to within a glyph).
            width = widest.get(self.cells[k][1:4:2], bbox[2] - bbox[0] - 2 * pad)
            texts[k] = text_of(lns, lambda ln, width=width: width - (ln.x1 - ln.x0), bbox[3],
                               lambda ln, bbox=bbox: alignment(ln, bbox[0] + pad, bbox[2] - pad, tol))
        rows, origin_of, owned, covered = [], {}, [], []
        for r in range(self.n_rows):
            row = []
            for c in range(self.n_cols):
                k = self.owner[r][c]
                if k is None:
                    bbox = (self.xs[c], self.ys[r], self.xs[c + 1], self.ys[r + 1])
                    row.append(Cell("", Loc(page=page, bbox=bbox)))
                    continue
                r0, c0, r1, c1, bbox = self.cells[k]
                if (r, c) == (r0, c0):
                    text = texts.get(k)
                    cell = Cell(text.draft if text else "", Loc(page=page, bbox=tuple(bbox)))
                    origin_of[k] = cell
                    if text is not None and text.pieces:
                        owned.append((cell, text))
                else:
                    cell = Cell("", Loc(page=page, bbox=tuple(bbox)), merged=True)
                    covered.append((cell, k))
                row.append(cell)
            rows.append(row)
        origins = [(cell, origin_of[k]) for cell, k in covered if k in origin_of]
        bbox = (self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])
        pt = PageTable(page, bbox[1], bbox[3], bbox, list(self.xs), rows, owned, origins)
        pt.overprinted = any(ln.overprinted for lns in lines.values() for ln in lns)
        return pt


def _padding(cells: list, ps: PdfSettings) -> float:
    """The cells' inner margin: the room lines leave on their near side most often (every
    left- or right-aligned line shows it exactly, e.g. each right-aligned figure; centred
    lines only bound it; a figure too wide for its cell runs into it and would mislead)."""
    counts: dict[float, int] = {}
    for bbox, lns in cells:
        for ln in lns:
            gap = min(ln.x0 - bbox[0], bbox[2] - ln.x1)
            if ps.padding_min <= gap <= ps.padding_max:
                key = round(gap * 4) / 4
                counts[key] = counts.get(key, 0) + 1
    if not counts:
        return ps.padding_default
    return min(counts, key=lambda g: (-counts[g], g))


def _give_back_overflow(g: "_Grid", cells: dict, ps: PdfSettings) -> None:
    """Move glyphs that a cell above drew on over its bottom rule (LibreOffice does so in a
    repeated header row too short for its text: `2액,353`) back to that cell: a glyph
    crossing its cell's top rule by more than `ps.overflow` of its em (an em box stands a
    little above the letters: a cell's own first line crosses its rule by 12 % at most in
    the samples and fixtures), or crossing it at all (`ps.overflow_overprint`) while printed
    over a lower glyph of the cell, on another baseline: one cell's text never overprints
    itself."""
    shift = ps.baseline_shift
    for pos in list(cells):
        chars = cells[pos]
        r0 = g.cells[pos][0]
        if r0 == 0:
            continue
        rule = g.ys[r0]
        moved = []
        tops = None  # the cell's line tops, gathered only when a glyph crosses the rule
        for c in chars:
            em = c["bottom"] - c["top"]
            cross = rule - c["top"]
            if cross <= ps.overflow_overprint * em:
                continue
            if tops is None:
                tops = sorted({o["top"] for o in chars})
            # (most first lines cross a little: look for overprinting only where a line of
            # the cell starts lower than this glyph but above its foot)
            lower = any(c["top"] + shift < t < c["bottom"] for t in tops)
            if cross > ps.overflow * em or (lower and any(_overprints(c, o, ps) and o["top"] > c["top"] + shift for o in chars if o is not c)):
                above = g.locate((c["x0"] + c["x1"]) / 2, rule - ps.probe)
                if above is not None and above != pos:
                    moved.append((c, above))
        for c, above in moved:
            chars.remove(c)
            cells.setdefault(above, []).append(c)
        if not chars:
            del cells[pos]


def _give_back_drawn_above(g: "_Grid", cells: dict, ps: PdfSettings) -> None:
    """Move a cell's last line that crosses its bottom rule (by more than
    `ps.overflow_overprint` of its em) to the cell below, one the page cuts (it reaches the
    table's foot on this page), when it is that cell's first line: the cell below prints its
    lines at one pitch and this line stands one pitch above its first, while it stands at
    no such pitch under the line before it in its own cell. (A producer that centres the
    text of a merged cell cut by the page on the cell's whole height draws its first lines
    over the rule above what the page kept of it: reportlab's split rows.) A line crossing
    its own cell's rule and continuing that cell's lines stays: the text overflowed its
    cell downwards (`_give_back_overflow` decides those crossing the other way)."""
    slack = ps.line_pitch_slack
    moves = []
    for pos, chars in cells.items():
        r1 = g.cells[pos][2]
        if r1 >= g.n_rows or not chars:
            continue
        rule = g.ys[r1]
        tops = sorted({round(c["top"], 1) for c in chars})
        last = [c for c in chars if round(c["top"], 1) == tops[-1]]
        em = max(c["bottom"] - c["top"] for c in last)
        if max(c["bottom"] for c in last) - rule <= ps.overflow_overprint * em:
            continue
        x = (min(c["x0"] for c in last) + max(c["x1"] for c in last)) / 2
        below = g.locate(x, rule + ps.probe)
        if below is None or below == pos or below not in cells or g.cells[below][2] < g.n_rows:
            continue  # only a cell the page cuts (reaching the table's foot) is drawn so
        under = sorted({round(c["top"], 1) for c in cells[below]})
        if len(under) < 2:
            continue  # no pitch to measure
        pitch = under[1] - under[0]
        if abs(under[0] - tops[-1] - pitch) > slack or any(abs((b - a) - pitch) > slack for a, b in zip(under, under[1:])):
            continue
        if len(tops) > 1 and abs(tops[-1] - tops[-2] - pitch) <= slack:
            continue  # it goes on from its own cell's lines as well: leave it
        moves.append((pos, below, last))
    for pos, below, last in moves:
        for c in last:
            cells[pos].remove(c)
        cells[below].extend(last)
        if not cells[pos]:
            del cells[pos]


def _overprints(a: dict, b: dict, ps: PdfSettings) -> bool:
    """b's box covers much of a's, on another baseline (not a neighbour on a's line)."""
    w = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
    h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return (w > ps.overprint_width * (a["x1"] - a["x0"]) and h > ps.overprint_height * (a["bottom"] - a["top"])
            and abs(a["bottom"] - b["bottom"]) > ps.baseline_shift)


def _grid(table: list[tuple], tol: float) -> Optional[_Grid]:
    cells = [tuple(float(v) for v in c) for c in table]
    if not cells:
        return None
    g = _Grid(cells, tol)
    if g.n_cols < 1 or g.n_rows < 1 or not g.cells:
        return None
    return g


def _cluster(values, tol: float) -> list:
    out: list = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


def _index(edges, v: float) -> int:
    """The index of the edge nearest v (edges sorted; the lower one on a tie)."""
    i = bisect_left(edges, v)
    if i == 0:
        return 0
    if i == len(edges):
        return i - 1
    return i if edges[i] - v < v - edges[i - 1] else i - 1


# ---------------------------------------------------------------- page furniture
def _drop_margins(pages: list[Page], ps: PdfSettings) -> None:
    """Drop page furniture: page numbers, and running headers and footers (the same line,
    digits aside, in a margin band of most pages). Furniture stands outside the body: a
    line is dropped only when no page prints body content (any other line or table) above
    it (a header) or below it (a footer), so an item numeral or a unit line that opens a
    page stays. A bare number (`3`, `(3)`) is a page number only at the place where another
    page prints its own; a unit line is never furniture. A one-page document shows no
    repetition: there its first line is a running header when it stands as far from the
    top edge as the page number from the bottom edge."""
    candidates: dict[int, tuple[Page, Line]] = {}
    numbers = []  # (page, line, distance from its edge, sure)
    seen: dict[str, int] = {}
    for p in pages:
        for it in p.items:
            if not isinstance(it, Line) or UNIT_LABEL.search(it.text):
                continue  # a table's unit line is content wherever it is printed: dropped, its figures would change unit
            text = it.text.strip()
            if _in_band(it, p, ps.number_band) and (PAGE_NUMBER.match(text) or BARE_PAGE_NUMBER.match(text)):
                numbers.append((p, it, _edge_distance(it, p), bool(PAGE_NUMBER.match(text))))
            if _in_band(it, p, ps.header_band):
                key = re.sub(r"\d+", "#", it.text)
                seen[key] = seen.get(key, 0) + 1
    for p, ln, dist, sure in numbers:
        if sure or any(q is not p and abs(d - dist) <= ps.same_place for q, _, d, _ in numbers):
            candidates[id(ln)] = (p, ln)
    if len(pages) >= 2:
        repeated = {k for k, n in seen.items() if n >= max(2, (2 * len(pages) + 2) // 3)}
        for p in pages:
            for it in p.items:
                if isinstance(it, Line) and _in_band(it, p, ps.header_band) and not UNIT_LABEL.search(it.text) \
                        and re.sub(r"\d+", "#", it.text) in repeated:
                    candidates[id(it)] = (p, it)
    elif pages and len(pages[0].items) >= 2:
        p, first = pages[0], pages[0].items[0]
        feet = [d for q, ln, d, _ in numbers if id(ln) in candidates and ln.top >= p.height / 2]
        if (isinstance(first, Line) and _in_band(first, p, ps.header_band) and not UNIT_LABEL.search(first.text)
                and first.bottom < p.height / 2 and any(abs(first.top - d) <= ps.mirror for d in feet)):
            candidates[id(first)] = (p, first)
    if not candidates:
        return
    body = [it for p in pages for it in p.items if id(it) not in candidates]
    body_top = min((it.top for it in body), default=0.0)
    body_bottom = max((it.bottom for it in body), default=0.0)
    drop = set()
    for key, (p, ln) in candidates.items():
        if ln.bottom < p.height / 2:
            if ln.bottom <= body_top + ps.body_edge:
                drop.add(key)
        elif ln.top >= body_bottom - ps.body_edge:
            drop.add(key)
    for p in pages:
        p.items = [it for it in p.items if id(it) not in drop]


def _edge_distance(ln: Line, p: Page) -> float:
    """How far a margin line stands from its edge of the page (the top or the bottom)."""
    return ln.top if ln.bottom < p.height / 2 else p.height - ln.bottom


def _in_band(ln: Line, p: Page, frac: float) -> bool:
    return ln.bottom <= p.height * frac or ln.top >= p.height * (1 - frac)

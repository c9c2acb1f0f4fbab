"""PDF pages (lines and ruled tables, in plain geometry) → the document's blocks.

What a page holds when it arrives here: `Line`s outside tables and `PageTable`s whose cells
carry their printed lines (pipeline/readers/lines.py). This module puts the pages
together:

* Lines become paragraphs: a line continues the one above when it follows at the page's
  tightest line spacing, does not open with a bullet or section mark, and its first word
  would not have fitted in the room the line above left (a layout engine would have put
  it there).
* A table that ends one page and resumes at the top of the next with the same columns is
  one table; a header repeated on the new page (rows printed like the table's first rows)
  is dropped.
* **A row broken by the page**: its top at the foot of page n, the rest at the top of page
  n+1 (after the repeated header, if any). The two parts become one row, each cell's lines
  read on from one page to the next, when the evidence says so: the row was left open
  (no rule under it on page n, or none over its rest on page n+1: Chromium draws split
  rows so), or the two parts complement each other, one printing the row's figures and
  the other none (but perhaps the last digits of a figure wrapped over the page), where a
  genuine row always prints its figures (LibreOffice and Word
  close a split row on both pages, so only its content tells). Every cell of the row
  then names both pages (`Loc.pages`); `page` and `bbox` stay where its text is printed.
* **A merged cell broken by the page** at a row boundary (a department spanning rows on
  both pages, its name running over; only in a column where cells span rows, since a
  row's own cell grows with its text): the text at the top of page n+1 is read as the
  continuation when the cell on page n ends with a drawn break space; or when its text
  fills it to the foot and either a column to its right that spans rows continues at
  that row (empty there: a new department would print its programmes) or its last line
  is full while another cell of the row fills the row's height too (so the cell did not
  set the row's height: the page cut it). These two are layout evidence only, and are
  reported as notes. When the cell's last line ends short instead, a whole name exactly
  as tall as its row looks the same: the two are kept apart, both noted.
* **A row's rest beside the next row** (the band of the cut row's rest closed under the
  page's first grid row, the next row's figures or code starting beside it at the top):
  the band goes on in the cut row, the tall cells are the next row's.
* What each break did is decided by the seam rules (readers/seams.py; rule → fixture →
  test in docs/seam_rules.md): this module describes the two pages in their form.
* Finally every text's line breaks are decided for the whole document at once
  (pipeline/readers/wraps.py), the vocabulary of the document being known only then.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Optional

import regex as re

from ...domain.codes import CODE_OPENS as _CODE_START, CODE_PREFIX as _CODE_PIECE, CODE_REST as _CODE_REST, CODE_WHOLE as _BARE_CODE
from ...domain.figures import DIGITS_ONLY as _DIGITS, FIGURE_GROUPED as _GROUPED
from ...domain.marks import OPENERS
from ...ir import Block, Cell, Loc, Note, Paragraph, Table
from ...settings import DEFAULT_SETTINGS, PageSettings, ReadingSettings
from .lines import Line, Text, line_break, text_of
from ..seams import body_row as _body_row
from ..seams import figures as _figures
from ..seams import first_figure_column as _first_figure_column
from ..seams import fragments as _fragments
from ..seams import has_digits as _has_digits
from ..seams import header_like as _header_like
from ..seams import is_figure as _is_figure
from ..seams import unwrapped as _unwrapped
from ..seams import header_over_rest, LIKELY, NOT_REBUILT, OVERPRINTED, UNDECIDABLE, set_aside, BandSeam, CellRun, HeaderCut, Part, RowSeam, cell_run, header_cut, header_repeated, rest_beside_next_row, row_seam
from ..wraps import Wrapped, decide, resolve

_HANGUL = re.compile(r"[가-힣]")


@dataclass
class PageTable:
    """One ruled table as printed on one page."""

    page: int
    top: float
    bottom: float
    bbox: tuple
    xs: list  # column edges
    rows: list  # list[list[Cell]], texts as drafts until the document is finished
    texts: list = field(default_factory=list)  # (origin Cell, Text) for every cell with lines
    origins: list = field(default_factory=list)  # (merged Cell, the Cell covering it)
    # Stretches of x with no rule under the last row (its cells go on over the page) and
    # over the first (they continue cells of the page before).
    open_below: list = field(default_factory=list)
    open_above: list = field(default_factory=list)
    overprinted: bool = False  # a cell prints two texts over each other (lines.Line.overprinted)

    def top_aligned(self, settings: PageSettings) -> bool:
        """Every cell's text starts at the same distance below its top rule (the producer
        aligns cell text to the top; centred text starts lower in taller cells)."""
        gaps = [text.first.top - cell.loc.bbox[1] for cell, text in self.texts if text.first is not None]
        return bool(gaps) and max(gaps) - min(gaps) <= settings.aligned_spread

    def open_bottom(self, settings: PageSettings) -> bool:
        """No rule at all under the last row: the row goes on over the page."""
        return _spans_all(self.open_below, self.bbox, settings.rule_slack)

    def open_top(self, settings: PageSettings) -> bool:
        return _spans_all(self.open_above, self.bbox, settings.rule_slack)

    def open_at(self, cell: Cell, below: bool, settings: PageSettings) -> bool:
        """No rule closes this cell at the table's foot (below) or head while the others
        are closed: it goes on. (A table open all along says nothing of one cell: it may be
        drawn without that rule at all.)"""
        gaps = self.open_below if below else self.open_above
        slack = settings.rule_slack
        if _spans_all(gaps, self.bbox, slack):
            return False
        x0, x1 = cell.loc.bbox[0], cell.loc.bbox[2]
        return any(a <= x0 + slack and b >= x1 - slack for a, b in gaps)


def _spans_all(gaps: list, bbox: tuple, slack: float) -> bool:
    return any(a <= bbox[0] + slack and b >= bbox[2] - slack for a, b in gaps)


@dataclass
class Page:
    number: int
    width: float
    height: float
    items: list = field(default_factory=list)  # (Line | PageTable) sorted by top


@dataclass
class _OpenTable:
    """A table that may continue on the next page, and its part on the last page read."""

    table: Table
    last: PageTable
    xs: list  # the table's column edges: the finest grid its parts have shown


def assemble(pages: list[Page], settings: ReadingSettings = DEFAULT_SETTINGS) -> list[Block]:
    """Pages → paragraphs and tables in reading order, every text finished."""
    # The foot of the text area: the lowest any page prints (a row cut by the page reaches it).
    doc = _Assembly(max((it.bottom for p in pages for it in p.items), default=0.0), settings)
    ps = settings.pages
    current: Optional[_OpenTable] = None
    for p in pages:
        body = [it for it in p.items if isinstance(it, Line)]
        left = min((ln.x0 for ln in body), default=0.0)
        right = max([p.width - left] + [ln.x1 for ln in body])
        items = p.items
        # A table at the top of the page continuing one that ended the previous page.
        if items and isinstance(items[0], PageTable) and current is not None and _continues(current.xs, items[0], ps):
            doc.continue_table(current, items[0])
            items = items[1:]
            if not items:
                continue
        current = None
        para: list[Line] = []
        line_no = {id(ln): k for k, ln in enumerate(body, start=1)}
        line_gap = _tightest_gap(body, ps)

        def flush():
            if para:
                bbox = (min(ln.x0 for ln in para), para[0].top, max(ln.x1 for ln in para), para[-1].bottom)
                text = text_of(list(para), lambda ln: right - ln.x1, para[-1].bottom)
                doc.add_paragraph(Paragraph(text.draft, Loc(page=p.number, line=line_no[id(para[0])], bbox=bbox)), text)
                para.clear()

        for it in items:
            if isinstance(it, PageTable):
                flush()
                current = doc.add_table(it)
                continue
            current = None
            if para and _continues_paragraph(para[-1], it, right, line_gap, ps):
                para.append(it)
            else:
                flush()
                para.append(it)
        flush()
    return doc.finish()


class _Assembly:
    """The document being put together: its blocks, the printed lines of every cell and
    paragraph (until their breaks are decided), and which cell covers each merged one."""

    def __init__(self, text_bottom: float, settings: ReadingSettings):
        self.text_bottom = text_bottom
        self.settings = settings
        self.ps = settings.pages
        self.blocks: list[Block] = []
        # id → (owner, Text); holding the owner keeps its id from being reused.
        self._texts: dict[int, tuple[object, Text]] = {}
        self._origins: dict[int, tuple[Cell, Cell]] = {}
        # (cell at the foot of page n, cell at the top of n+1) that may be one cell broken
        # by the page, kept apart: both get a note.
        self._maybe: list[tuple[Cell, Cell]] = []
        # id(table) → (table, page): a table one of whose parts prints text over text.
        self._overprinted: dict[int, tuple[Table, int]] = {}

    # ------------------------------------------------------------ registering
    def add_paragraph(self, para: Paragraph, text: Text) -> None:
        self.blocks.append(para)
        self._texts[id(para)] = (para, text)

    def add_table(self, pt: PageTable) -> _OpenTable:
        self._register(pt)
        table = Table(pt.rows, Loc(page=pt.page, bbox=pt.bbox))
        self.blocks.append(table)
        if pt.overprinted:
            self._overprinted[id(table)] = (table, pt.page)
        return _OpenTable(table, pt, list(pt.xs))

    def _register(self, pt: PageTable) -> None:
        for cell, text in pt.texts:
            self._texts[id(cell)] = (cell, text)
        for cell, origin in pt.origins:
            self._origins[id(cell)] = (cell, origin)

    def text(self, owner) -> Optional[Text]:
        entry = self._texts.get(id(owner))
        return entry[1] if entry and entry[1].pieces else None

    def origin(self, cell: Cell) -> Cell:
        """The cell whose text covers `cell` (itself when it is not merged)."""
        seen = 0
        while id(cell) in self._origins and seen < 64:
            cell = self._origins[id(cell)][1]
            seen += 1
        return cell

    def _forget(self, rows) -> None:
        for row in rows:
            for cell in row:
                self._texts.pop(id(cell), None)
                self._origins.pop(id(cell), None)

    # ------------------------------------------------------------ a table over a page break
    def continue_table(self, current: _OpenTable, cont: PageTable) -> None:
        """Append cont (the table's part on the next page) to the open table: re-gridded on
        its columns, without a repeated header, a row broken by the page joined. When cont
        shows columns the table has not (its part on page n was only a header row whose
        cells span them), the table so far is re-gridded on cont's columns instead."""
        self._register(cont)
        if cont.overprinted:
            self._overprinted.setdefault(id(current.table), (current.table, cont.page))
        tol = self.ps.column_slack
        if _subgrid(cont.xs, current.xs, tol):
            rows = _regrid(cont.rows, cont.xs, current.xs, self._origins, tol)
        else:
            current.table.rows[:] = _regrid(current.table.rows, current.xs, cont.xs, self._origins, tol)
            current.xs = list(cont.xs)
            rows = cont.rows
        k = header_repeated(current.table.rows, rows, self.ps.max_repeated_header_rows)
        if k < min(len(rows) - 2, len(current.table.rows), self.ps.max_repeated_header_rows) and self._rest_over_header(current.table.rows[k], rows[k], rows[k + 1]):
            k = header_repeated(current.table.rows, rows, self.ps.max_repeated_header_rows)
        self._forget(rows[:k])
        rows = rows[k:]
        beside: set = set()
        if len(rows) > 1 and current.table.rows:
            rows, beside = self._fold_band(current.table.rows[-1], rows)
        if rows and current.table.rows:
            rows = self._seam(current, cont, rows, repeated=k, beside=beside)
        current.table.rows.extend(rows)
        current.last = cont

    def _rest_over_header(self, first: list, again: list, below: list) -> bool:
        """Give the lines a cut row's rest printed into the repeated header's cells back to
        the empty cells under them (seams.header_over_rest); whether any moved."""
        texts = [self.text(a) for a in again]
        moves = header_over_rest([f.text for f in first], [t.pieces if t and not a.merged else [a.text] for a, t in zip(again, texts)],
                                 [None if b.merged else b.text for b in below])
        if not moves or any(len(more) != 1 for more in moves.values()):
            return False  # (only a last line is known as a Line: one line of rest)
        for c, more in moves.items():
            t, a, b = texts[c], again[c], below[c]
            self._texts[id(b)] = (b, Text(list(more), [], t.last, t.last, t.last_room, t.foot_gap, t.last_align))
            b.text = more[0]
            self._texts[id(a)] = (a, Text(t.pieces[:-1], t.breaks[:-1], t.first, t.first, t.last_room, t.foot_gap, t.last_align))
            a.text = first[c].text
        return True

    def _fold_band(self, r1: list, rows: list) -> tuple[list, set]:
        """The rest of a row the page cut printed as a band at the top of page n+1 beside
        the next row's cells: some cells of the first grid row (r2) are closed under it and
        print only fragments of names (no code, no figure), the others run on down into
        the next row (r3) and print that row's figures or code, which therefore starts at
        the page's top too. The band is r1's rest (its texts go on in r1's cells); the tall
        cells are r3's. Returns the rows with the band taken out, and the columns whose
        tall cell may be a merged cell of r1 running on (a name starting at the band's
        top: the merged-cell rules decide)."""
        r2, r3 = rows[0], rows[1]
        band = [c for c, b in enumerate(r2) if not b.merged and not (r3[c].merged and self.origin(r3[c]) is b)]
        tall = [c for c, b in enumerate(r2) if not b.merged and r3[c].merged and self.origin(r3[c]) is b]
        verdict = rest_beside_next_row(BandSeam(
            band=tuple(r2[c].text for c in band), tall=tuple(r2[c].text for c in tall),
            aligned=all(not r2[c].text or _same_columns(self.origin(r1[c]), r2[c], self.ps.column_slack) for c in band),
            above_line=_figures(r1) >= 2 or any(_CODE_START.match(a.text) for a in r1 if not a.merged)))
        if not verdict.joined:
            return rows, set()
        for c in band:
            if r2[c].text:
                self._absorb(self.origin(r1[c]), r2[c])
        pages = (r1[0].loc.page, r2[0].loc.page)
        for a in r1:
            for cell in (a, self.origin(a)):
                cell.loc = replace(cell.loc, pages=_pages(cell.loc, pages))
        new_r3 = list(r3)
        for c in tall:
            self._forget([[r3[c]]])
            new_r3[c] = r2[c]
        self._forget([[r2[c] for c in band]])
        beside = {c for c in tall if c < _first_figure_column([r1, new_r3]) and r2[c].text}
        return [new_r3] + rows[2:], beside

    def _seam(self, current: _OpenTable, cont: PageTable, rows: list, repeated: int, beside: frozenset = frozenset()) -> list:
        """Join what the page break split between the table's last row on page n (r1) and
        its first row on page n+1 (r2); returns the rows left to append."""
        r1, r2 = current.table.rows[-1], rows[0]
        pages = (current.last.page, cont.page)
        if self._split_row(current, cont, r1, r2, repeated):
            for a, b in zip(r1, r2):
                if not b.merged:
                    self._absorb(self.origin(a), b)
            for a in r1:
                for cell in (a, self.origin(a)):
                    cell.loc = replace(cell.loc, pages=_pages(cell.loc, pages))
            self._forget([[c for c in r2 if c.merged]])
            return rows[1:]
        if not repeated and not any(_figures(r) >= 2 for r in current.table.rows) and not _has_digits(r2):
            self._header_seam(current, r1, r2)
            return rows
        if not any(_figures(r) >= 2 or any(_CODE_START.match(x.text) for x in r) for r in current.table.rows):
            # Page n showed only the header (no row of figures, none with a budget code: a
            # row may print its zeros blank): r2 opens the body, and no header cell runs on into it.
            return rows
        merging = self._merging_columns(current.table.rows + rows) | set(beside)
        names_end = _first_figure_column(current.table.rows + rows)
        doubtful: set = set()  # columns whose b may be a new name or the rest of the cell above
        for c, (a, b) in enumerate(zip(r1, r2)):
            if b.merged:
                continue
            if self.text(b) is None:
                o = self.origin(a)
                if (not b.text and c < names_end and current.last.top_aligned(self.ps) and self.text(o) is not None
                        and _has_digits(r2) and not any(not r2[d].merged and r2[d].text for d in range(c))):
                    # Empty at the top of page n+1 under a name, in a table whose cells print
                    # from their top: the name goes on, printing nothing more (a name starting
                    # here would print its first line here). Linked, so that the next page
                    # break sees the name, not an empty cell that might take the next one's.
                    self._absorb(o, b)
                    b.merged = True
                continue
            o = self.origin(a)
            if c not in merging and (c >= names_end or not _has_digits(r1) or _CODE_START.match(b.text)):
                continue  # only a merged cell runs on: a name of a budget line may be one whose merge no page shows
            how = self._overflow(o, b, c, r1, r2, merging, names_end, current, cont, repeated, doubtful)
            if how in ("certain", "layout") and any(d < c for d in doubtful):
                how = "maybe"  # a name to its left may be new or going on: so may this one
            if how == "maybe":
                doubtful.add(c)
                self._maybe.append((o, b))
            elif how:
                self._absorb(o, b, noted=how == "layout")
                b.merged = True
        return rows

    def _header_seam(self, current: _OpenTable, r1: list, r2: list) -> None:
        """The page break fell between two rows of the table's header (r1 at the foot of
        page n, r2 at the top of n+1). A header cell spanning both rows shows there as a
        cell on each page: empty on page n when not even its first line fitted there (its
        text is then all in r2, and is moved up to it, as the DOCX has it), or running on
        into r2 when its last line on page n left no room for another (`예산` | `액`: the
        text in the same columns of r2 is its continuation; layout evidence, noted). A
        cell whose text ends with room below it is whole (a cell of r1 alone, or a merged
        one whose text fitted on page n)."""
        base = self._full_gap(current.last)
        for a, b in zip(r1, r2):
            if b.merged:
                continue
            o = self.origin(a)
            to = self.text(o)
            verdict = header_cut(HeaderCut(
                below_prints=bool(b.text) and _same_columns(o, b, self.ps.column_slack),
                above_blank=to is None and not o.merged and not o.text,
                above_full=to is not None and to.foot_gap < base + to.last.size))
            if verdict.joined:
                self._absorb(o, b, noted=verdict.certainty == LIKELY)
                b.merged = True

    def _merging_columns(self, rows: list) -> set:
        """Columns where a cell spans rows of figures: only there can a cell's text run on
        past a row boundary (a row's own cell grows with its text; a merged one can be cut
        by the page)."""
        out = set()
        for row in rows:
            if _figures(row) < 2:
                continue  # a header (its words span rows too) or a row without figures
            members = {id(cell) for cell in row}
            for c, cell in enumerate(row):
                if cell.merged and c not in out and id(self.origin(cell)) not in members:
                    out.add(c)
        return out

    def _split_row(self, current: _OpenTable, cont: PageTable, r1: list, r2: list, repeated: int) -> bool:
        """r2 is the rest of r1, broken by the page: the seam rules decide (seams.row_seam)
        on what the two pages show, described here."""
        return row_seam(self._describe_rows(current, cont, r1, r2, repeated)).joined

    def _describe_rows(self, current: _OpenTable, cont: PageTable, r1: list, r2: list, repeated: int) -> RowSeam:
        # The page cuts a row's cells at one height: the lowest text of r1 shows where.
        cut = min((t.foot_gap for t in (self.text(self.origin(a)) for a in r1) if t is not None), default=0.0)
        tol = self.ps.column_slack
        above, below = [], []
        for a, b in zip(r1, r2):
            o = self.origin(a)
            above.append(Part(o.text, whole=self._whole(o, cut), empty=self.text(o) is None))
            below.append(Part(b.text, covered=b.merged, aligned=b.merged or not b.text or _same_columns(o, b, tol)))
        size = max((t.last.size for t in (self.text(self.origin(a)) for a in r1) if t is not None), default=self.ps.fallback_size)
        rows = current.table.rows
        return RowSeam(
            above=tuple(above), below=tuple(below),
            figures_above=_figures(r1), figures_below=self._own_figures(r2, r1),
            left_open=current.last.open_bottom(self.ps) or (cont.open_top(self.ps) and not repeated),
            at_foot=current.last.bottom >= self.text_bottom - self.ps.cut_lines * size,
            top_aligned=current.last.top_aligned(self.ps),
            below_header_like=_header_like(r2, rows), above_body=_body_row(rows, repeated),
            in_header=not any(_figures(r) >= 2 for r in rows),
            below_fragments=_fragments(r2, rows + [r2]),
            code_cut_from_name=self._code_cut_from_its_name(rows, r1, r2),
        )

    def _code_cut_from_its_name(self, rows: list, r1: list, r2: list) -> bool:
        for c, (a, b) in enumerate(zip(r1, r2)):
            head, rest = self.origin(a).text.replace(" ", ""), b.text.strip()  # (a code may wrap: `100-10` | `1-04`)
            if b.merged or not rest:
                continue
            digits = _CODE_REST.match(rest)
            if (_CODE_PIECE.match(head) and not _BARE_CODE.match(head) and digits
                    and _BARE_CODE.match(head + digits.group(1)) and _HANGUL.search(rest)):
                return True  # the page cut the code itself (`110-201-` | `01 사무관리비`): no code ends so
            # The code at the foot (alone, or with the start of its name), the rest of the
            # name at the top of the next page, without a code of its own.
            if not _CODE_START.match(head) or _CODE_START.match(rest) or not _HANGUL.search(rest):
                continue
            if any(_CODE_START.match(row[c].text) and _HANGUL.search(row[c].text) for row in rows if c < len(row)):
                return not any(_CODE_START.match(x.text) for x in r2 if not x.merged)
        return False

    def _full_gap(self, pt: PageTable) -> float:
        """The gap under the last line of a cell its text fills, on this page's part of a
        table (the cell's bottom padding and the font's descent)."""
        return min((t.foot_gap for t in (self.text(cell) for cell, _ in pt.texts) if t is not None), default=0.0)

    def _whole(self, cell: Cell, cut: float = 0.0) -> bool:
        """cell (at the foot of page n) prints text that ends above its foot (or, given the
        foot gap where the page cut the row, above that): whole, not cut by the page."""
        text = self.text(cell)
        return text is not None and text.foot_gap > cut + self.ps.foot_em * text.last.size

    def _own_figures(self, r2: list, r1: list) -> int:
        """r2's figures, not counting the last digits of a figure of r1 wrapped over the
        page (`693,50` | `0`): continued by digits only, a full line ending in a digit, or
        a figure whose digit grouping the continuation completes (`17,43` | `9,865`: a
        group of two digits ends no figure)."""
        n = 0
        for a, b in zip(r1, r2):
            if b.merged or not _is_figure(b.text):
                continue
            mine, more = self.text(self.origin(a)), self.text(b)
            if (mine is not None and more is not None and _DIGITS.match(_unwrapped(more.draft)) and mine.last.text[-1] in "0123456789,."
                    and (mine.last_room < more.first.first_char_w + self.settings.wraps.tolerance or _completes_figure(mine.draft, more.draft))):
                continue
            n += 1
        return n

    def _overflow(self, o: Cell, b: Cell, c: int, r1: list, r2: list, merging: set, names_end: int,
                  current: _OpenTable, cont: PageTable, repeated: int, doubtful: frozenset = frozenset()) -> Optional[str]:
        """Whether o's text (column c, at the foot of page n) runs on into b (the top of
        page n+1), the rows themselves not split: "certain", "layout" (joined, noted),
        "maybe" (kept apart, noted) or None. The seam rules decide (seams.cell_run, the
        module docstring's evidence) on what the pages show, described here."""
        verdict = cell_run(self._describe_run(o, b, c, r1, r2, merging, names_end, current, cont, repeated, doubtful))
        if not verdict.joined:
            return "maybe" if verdict.certainty == UNDECIDABLE else None
        return "layout" if verdict.certainty == LIKELY else "certain"

    def _describe_run(self, o: Cell, b: Cell, c: int, r1: list, r2: list, merging: set, names_end: int,
                      current: _OpenTable, cont: PageTable, repeated: int, doubtful: frozenset) -> CellRun:
        to, tb = self.text(o), self.text(b)
        printed = to is not None and tb is not None
        row_full = printed and any(
            other is not None and other.foot_gap <= self.ps.foot_em * other.last.size
            for other in (self.text(cell) for cell in r1 if cell is not o and not cell.merged)
        )
        return CellRun(
            below_prints=tb is not None,
            aligned=_same_columns(o, b, self.ps.column_slack),
            repeated_name=printed and to.draft == tb.draft,
            new_to_the_left=any(not r2[d].merged and self.text(r2[d]) is not None and d not in doubtful for d in range(c)),
            above_prints=to is not None,
            above_blank=not o.text,
            top_aligned=current.last.top_aligned(self.ps),
            # A column to the right that spans rows goes on at b's row, printing nothing
            # there (a new department would print its programmes): LibreOffice may leave a
            # merged cell's last line on page n unused.
            goes_on_right=any((d in merging or (_has_digits(r2) and d < names_end)) and not r2[d].merged and not r2[d].text
                              and self.text(self.origin(r1[d])) is not None for d in range(c + 1, len(r2))),
            continuable=printed and self._continuable(to, tb),
            room_for_more=printed and to.foot_gap > self._full_gap(current.last) + self.ps.spare_lines * to.last.size,
            one_line_room=printed and self._whole(o),
            left_open=printed and (to.last.trailing_space or current.last.open_at(o, True, self.ps)
                                   or (not repeated and cont.open_at(b, False, self.ps))),
            row_full=row_full,
            last_line_full=printed and to.last_room < tb.first.first_char_w * self.settings.wraps.clearly_fits,
        )

    def _continuable(self, to: Text, tb: Text) -> bool:
        """b could go on from o: its first word would not have fitted on o's last line."""
        ws = self.settings.wraps
        return to.last_room < tb.first.first_word_w + ws.space_em * to.last.size + ws.tolerance

    def _absorb(self, o: Cell, b: Cell, noted: bool = False) -> None:
        """Move b's lines (the next page's part of the cell) into o."""
        entry = self._texts.pop(id(b), None)
        self._origins[id(b)] = (b, o)
        if entry is None or not entry[1].pieces:
            return
        moved = entry[1]
        mine = self.text(o)
        pages = _pages(o.loc, (o.loc.page, b.loc.page))
        if mine is None:
            # All of the text is on the next page: the cell is located where it is printed.
            o.loc = replace(b.loc, pages=pages)
            self._texts[id(o)] = (o, moved)
        else:
            mine.extend(moved, noted)
            o.loc = replace(o.loc, pages=pages)
        o.text = self._texts[id(o)][1].draft
        b.text = ""

    # ------------------------------------------------------------ finishing
    def finish(self) -> list[Block]:
        """Number the cells, decide every line break of the document, set the texts and
        attach the notes."""
        _number_cells(self.blocks)
        entries = list(self._texts.values())
        wrapped = [Wrapped(list(t.pieces), list(t.breaks)) for _, t in entries]
        # Each kept-apart pair's one-name reading, its seam decided as any line break is.
        seams = []
        for o, b in self._maybe:
            to, tb = self.text(o), self.text(b)
            seams.append(line_break(to.last, tb.first, to.last_room, to.last_align) if to and tb and to.pieces and tb.pieces else None)
        style = resolve(wrapped, settings=self.settings.wraps)
        for (owner, t), w in zip(entries, wrapped):
            owner.text = w.text
            notes = list(w.notes) + [n for k in t.seams for n in _seam_notes(w, k)]
            for n in notes:
                n.loc = owner.loc
            if notes:
                owner.notes = tuple(notes)
        why = ("a merged cell may be broken by the page: the text at its foot fills the row and the page's next "
               "row prints a name in its column; read as two names")
        for (o, b), seam in zip(self._maybe, seams):
            d = decide(seam, style) if seam is not None else None
            seps = [d.sep] if d is not None and d.certain else ["", " "] if d is not None else [" "]
            for sep in seps:  # both spellings when the seam itself cannot be decided
                joined = " ".join(f"{o.text}{sep}{b.text}".split())
                for cell in (o, b):
                    cell.notes = tuple(cell.notes) + (Note(cell.text, joined, why, "layout", cell.loc),)
        if not self._overprinted:
            return self.blocks
        out: list[Block] = []
        for b in self.blocks:
            found = self._overprinted.get(id(b))
            out += [b] if found is None or found[0] is not b else set_aside(b, OVERPRINTED.format(not_rebuilt=NOT_REBUILT, page=found[1]))
        return out


def _seam_notes(w: Wrapped, k: int) -> list[Note]:
    """A merged cell joined over the page at break k, read as one name: the other reading is
    two names, the part on page n (the rows there) and the part on page n+1 (the rows there)."""
    why = "a merged cell broken by the page: its text fills it to the foot of the page, so the text at the top of the next page was read as its continuation"
    before = Wrapped(w.pieces[: k + 1], []).joined(w.seps[:k])
    after = Wrapped(w.pieces[k + 1 :], []).joined(w.seps[k + 1 :])
    return [Note(text=w.text, alternative=part, reason=why, basis="layout") for part in (before, after) if part]


def _pages(loc: Loc, more) -> tuple:
    return tuple(sorted(set(loc.pages or (loc.page,)) | {p for p in more if p is not None}))


def _same_columns(a: Cell, b: Cell, tol: float) -> bool:
    if not a.loc.bbox or not b.loc.bbox:
        return False
    return abs(a.loc.bbox[0] - b.loc.bbox[0]) <= tol and abs(a.loc.bbox[2] - b.loc.bbox[2]) <= tol


def _completes_figure(head: str, rest: str) -> bool:
    """`head` is no whole figure by its digit grouping, and `head` + `rest` is one."""
    head, rest = head.replace(" ", ""), rest.replace(" ", "")
    return "," in head and not _GROUPED.match(head) and bool(_GROUPED.match(head + rest))


def _number_cells(blocks: list[Block]) -> None:
    """Give every cell of every (joined) table its `cell = (table, row, column)` address,
    as the other readers do, beside its page and bbox."""
    n = 0
    for b in blocks:
        if not isinstance(b, Table):
            continue
        n += 1
        for r, row in enumerate(b.rows, start=1):
            for c, cell in enumerate(row, start=1):
                cell.loc = replace(cell.loc, cell=(n, r, c))
        b.loc = Loc(page=b.loc.page, bbox=b.loc.bbox, cell=(n, 1, 1) if b.rows else None)


def _continues_paragraph(a: Line, b: Line, right: float, line_gap: Optional[float], ps: PageSettings) -> bool:
    """b is the wrapped continuation of a: close below it (no more than the page's tightest
    line spacing, when paragraphs are spaced apart), not opening with a bullet or mark, and
    b's first word would not have fitted at the end of a."""
    gap = b.top - a.bottom
    size = max(a.size, b.size)
    widest = ps.line_gap_em * size
    limit = widest if line_gap is None else min(widest, line_gap + ps.line_gap_over_tightest_em * size)
    if gap < -ps.overlap or gap > limit:
        return False
    if abs(a.size - b.size) > ps.size_slack or b.text[0] in OPENERS:
        return False
    room = right - a.x1
    return b.first_word_w > room - ps.room_slack_em * a.size


def _tightest_gap(lines: list[Line], ps: PageSettings) -> Optional[float]:
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:]) if abs(a.size - b.size) <= ps.size_slack and b.top - a.bottom >= -ps.overlap]
    return min(gaps) if gaps else None


def _continues(xs: list, nxt: PageTable, ps: PageSettings) -> bool:
    """nxt continues the table whose column edges are xs: the same outer edges, and the
    edges of one are among the other's (a part may show fewer edges: only a total row with
    its label merged, or only a header row whose cells span columns)."""
    tol = ps.column_slack
    if abs(xs[0] - nxt.xs[0]) > tol or abs(xs[-1] - nxt.xs[-1]) > tol:
        return False
    return _subgrid(nxt.xs, xs, tol) or _subgrid(xs, nxt.xs, tol)


def _subgrid(xs: list, of: list, tol: float) -> bool:
    """Every edge of xs is one of `of`'s."""
    return all(_near(of, x, tol) is not None for x in xs)


def _near(edges, x: float, tol: float):
    k = min(range(len(edges)), key=lambda i: abs(edges[i] - x))
    return k if abs(edges[k] - x) <= tol else None


def _regrid(rows_in: list, xs: list, onto: list, origins: dict, tol: float) -> list:
    """Rows laid on column edges xs, laid on the finer edges `onto`: a cell spanning several
    of them becomes its origin plus merged positions (each registered as covered by it)."""
    width = len(onto) - 1
    spans = [(_near(onto, a, tol), _near(onto, b, tol)) for a, b in zip(xs, xs[1:])]
    rows = []
    for row in rows_in:
        out: list[Cell] = []
        for cell, (a, b) in zip(row, spans):
            out.append(cell)
            for _ in range(a + 1, b):
                extra = Cell("", cell.loc, merged=True)
                origins[id(extra)] = (extra, cell)
                out.append(extra)
        out += [Cell("", row[-1].loc) for _ in range(width - len(out))]
        rows.append(out[:width])
    return rows

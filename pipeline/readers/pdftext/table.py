"""One table of layout text (its lines over one or more pages) → `Table`: its lines placed
(placing.py: `place`, returning `Placed`), then its grid (`build_table`, returning
`BuiltTable`): rows, figures, names merged over rows and over pages."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ...domain.glyphs import HIGH, SPACE_WIDTH
from ...ir import Cell, Loc, Table
from ...textutil import collapse, squash
from ..seams import UNDECIDABLE, CellRun, cell_run
from ..wraps import Wrapped

from .columns import Piece, TextCell
from .header import header_rows
from .names import _break, _one_syllable, _runs, _stat_name_joined
from .placing import Placed
from .rows import TableFrame, figure_texts
from .words import Unbuildable, width


@dataclass(frozen=True)
class BuiltTable:
    """One table's grid, and what the document's line breaks are decided from (breaks.py):
    its text cells with their lines, the names that may run on (read as two, noted), the
    rows whose name may be drawn on the next page (noted)."""

    table: Table
    stat_col: Optional[int]
    text_cells: list  # [TextCell]
    maybe: list  # (name above, new name, the break between): a name that may run on, read as two
    drawn_maybe: list  # (cell, name above, new name): see `_Grid._drawn_maybe`


def shape(frame: TableFrame, c: int):
    """What identifies text column c across the document's tables of one template."""
    lf = frame.header.leaves[c]
    return (frame.n_cols, c, lf.role or squash(lf.text))


def column_widths(placed: Placed) -> dict:
    """The widest line each text column prints (lower estimate, ems): a cell is at least
    that wide. {column shape: width}."""
    frame, total_start = placed.frame, placed.rows.total_start
    out: dict = {}
    for k, cells in enumerate(placed.cells):
        if total_start is not None and k >= total_start:
            continue
        for c, t in cells.items():
            if c < frame.n_text:
                out[c] = max(out.get(c, 0.0), width(t))
    for c, lf in enumerate(frame.header.leaves[: frame.n_text]):
        for f in lf.frags:
            out[c] = max(out.get(c, 0.0), width(f[3]))
    return {shape(frame, c): w for c, w in out.items()}


def build_table(placed: Placed, widths: dict, table_no: int) -> BuiltTable:
    """The grid of a placed table, the `table_no`th of its document; text cells carry their
    lines until the document's line breaks are decided. `widths`: the widest line per
    column shape, over the document (`column_widths`). Raises Unbuildable."""
    grid = _Grid(placed, table_no)
    table = grid.table(widths)
    return BuiltTable(table, placed.frame.stat_col, grid.text_cells, grid.maybe, grid.drawn_maybe)


class _Grid:
    """The working state of one `build_table` call (made and dropped there): the cells
    found so far, column by column, right to left, and where new names start."""

    def __init__(self, placed: Placed, table_no: int):
        self.placed = placed
        self.table_no = table_no
        self.text_cells: list[TextCell] = []
        self.maybe: list = []  # see BuiltTable
        self.drawn_maybe: list = []  # see BuiltTable
        self.new_at: set = set()  # (row, column) where a new text cell starts
        # A table that prints every name on every row merges none; but every row printing
        # names may as well be a name running on into a row that starts new ones, so it
        # takes a name printed again on the next row (as such tables do) to tell.
        starts, cells, last_name = self.row_starts, self.cells, placed.frame.last_name
        later = [s for s in starts[1:] if s != self.total_start]
        self.repeated = bool(later) and all(all(d in cells[s] for d in range(last_name + 1)) for s in later) and any(
            cells[a].get(d) == cells[b].get(d)
            for a, b in zip(starts, starts[1:]) if b != self.total_start
            for d in range(last_name + 1)
        )

    # What the placing stage gave, read through it (never set here).
    frame = property(lambda self: self.placed.frame)
    settings = property(lambda self: self.placed.frame.settings)
    header = property(lambda self: self.placed.frame.header)
    n_text = property(lambda self: self.placed.frame.n_text)
    n_cols = property(lambda self: self.placed.frame.n_cols)
    stat_col = property(lambda self: self.placed.frame.stat_col)
    lines = property(lambda self: self.placed.lines)
    header_idx = property(lambda self: self.placed.header_idx)
    body_idx = property(lambda self: self.placed.body_idx)
    headed_pages = property(lambda self: self.placed.headed_pages)
    body = property(lambda self: self.placed.body)
    cells = property(lambda self: self.placed.cells)
    spans = property(lambda self: self.placed.spans)
    row_starts = property(lambda self: self.placed.rows.starts)
    total_row = property(lambda self: self.placed.rows.total_row)
    total_start = property(lambda self: self.placed.rows.total_start)

    # -- the grid
    def table(self, widths: dict) -> Table:
        """The grid (see `build_table`). Raises Unbuildable."""
        lines = self.lines
        n_text, n_cols = self.n_text, self.n_cols
        starts = self.row_starts
        ends = starts[1:] + [len(self.cells)]
        head = header_rows(self.header, [self.lines[i] for i in self.header_idx], self.table_no)
        n_head = len(head)
        rows: list[list[Cell]] = []
        for r, (s, e) in enumerate(zip(starts, ends)):
            ln = self.body[s][1]
            rows.append([Cell("", self._loc(ln, n_head + r + 1, c + 1)) for c in range(n_cols)])
        for (r, c), text in figure_texts(self.frame, self.cells, self.body, starts).items():
            rows[r][c] = Cell(text, self._loc(self.body[starts[r]][1], n_head + r + 1, c + 1))
        # Right to left: whether a name is new at a row depends on the names under it.
        for c in reversed(range(n_text)):
            self._column_cells(c, rows, starts, ends, n_head, widths)
        self._hierarchy(rows, starts)
        if self.total_row is not None:
            for c in range(1, n_text):
                rows[self.total_row][c].merged = True
        for tc in self.text_cells:
            tc.wrapped = self._wrapped(tc, widths)
        first = lines[self.header_idx[0]]
        return Table(head + rows, Loc(page=first.page, line=first.no, cell=(self.table_no, 1, 1)))

    def _loc(self, ln, r: int, c: int) -> Loc:
        return Loc(page=ln.page, line=ln.no, cell=(self.table_no, r, c))

    def _column_cells(self, c: int, rows, starts, ends, n_head, widths: dict) -> None:
        """Text column c: each row's cell, or the lines of a name merged over rows that run
        on into it (`_runs_on`)."""
        open_cell: Optional[TextCell] = None
        last_k = -2  # body position of the open cell's last line
        last_name = (self.stat_col if self.stat_col is not None else self.n_text) - 1
        for r, (s, e) in enumerate(zip(starts, ends)):
            pieces = [Piece(k, c, self.cells[k][c], *self.spans[k][c]) for k in range(s, e) if c in self.cells[k]]
            if r == self.total_row:
                if c == 0 and pieces:
                    label = " ".join(p.text for p in pieces)
                    rows[r][0] = Cell(collapse(label), self._loc(self.body[s][1], n_head + r + 1, 1))
                elif pieces:
                    raise Unbuildable(f"line {self.body[pieces[0].k][1].no}: text beside the total row's label")
                continue
            if not pieces:
                continue
            runs = _runs(pieces)
            first = runs[0]
            maybe = False
            if first[0].k == s and open_cell is not None and self._adjacent(last_k, s):
                verdict = self._runs_on(c, r, open_cell, first, widths)
                if verdict == "yes" and self._had_room(last_k, s):
                    # The name above ended before its page's foot: it cannot go on here.
                    verdict = None
                    if any((r, d) not in self.new_at for d in range(c + 1, last_name + 1)):
                        # Nor is it new here (the names under it are not): it is the name of
                        # the previous page's last row, drawn on this page (merged into this row).
                        open_cell, last_k = self._drawn_up(c, r, rows, first), first[-1].k
                        runs = runs[1:]
                if verdict == "yes":
                    open_cell.pieces += first
                    last_k = first[-1].k
                    runs = runs[1:]
                maybe = verdict == "maybe"
            elif first[0].k != s:
                if open_cell is None or last_k != first[0].k - 1:
                    no = self.body[first[0].k][1].no
                    raise Unbuildable(f"line {no}: text below the top of its row (cells not top-aligned)")
                open_cell.pieces += first
                last_k = first[-1].k
                runs = runs[1:]
            if not runs:
                continue
            if len(runs) > 1 or runs[0][0].k != s:
                no = self.body[runs[0][0].k][1].no
                raise Unbuildable(f"line {no}: text below the top of its row (cells not top-aligned)")
            tc = TextCell(r, c, list(runs[0]))
            tc.cell = rows[r][c]
            self.text_cells.append(tc)
            self.new_at.add((r, c))
            if not maybe and self._drawn_maybe(c, r, open_cell, tc, starts, ends):
                self.drawn_maybe.append((rows[r - 1][c], open_cell, tc))
            if maybe:
                brk = _break(open_cell.pieces[-1].text, tc.pieces[0].text, widths.get(shape(self.frame, c), 0.0))
                self.maybe.append((open_cell, tc, brk))
            open_cell, last_k = tc, runs[0][-1].k

    def _hierarchy(self, rows, starts) -> None:
        """Names are a hierarchy: a row printing a new name prints new names under it too.
        A row with name columns empty between new ones is the last of its page whose
        merged cells the converter drew on the next page: the names opening that page's
        first row are this row's (and the next row's, merged), each in its own column; on
        a page without the header (packed afresh, where a name stands tells nothing) they
        fill the empty columns in order when there are as many. A name above read as
        running on into that page cannot (this row printed new names left of it): its
        lines there are this row's name. Any other such row cannot be placed. Raises
        Unbuildable."""
        last_name = (self.stat_col if self.stat_col is not None else self.n_text) - 1
        by_pos = {(tc.row, tc.col): tc for tc in self.text_cells}
        for r in range(len(starts)):
            if r == self.total_row:
                continue
            new = [(r, c) in by_pos for c in range(last_name + 1)]
            gaps = [c for c in range(1, last_name + 1) if not new[c] and any(new[:c])]
            page_top = r + 1 < len(starts) and self.body[starts[r + 1]][1].page > self.body[starts[r + 1] - 1][1].page
            if r == 0 and page_top and any(new):
                # The table's first row, alone on its page, printing no name where there is
                # none above to go on: the converter drew it on the next page too.
                gaps = [c for c in range(last_name + 1) if not new[c] and not any(new[:c])] + gaps
            if not gaps:
                continue
            no = self.body[starts[r]][1].no
            if not page_top:
                raise Unbuildable(f"line {no}: a row prints names either side of an empty one (the cells cannot be placed)")
            s = starts[r + 1]
            for c in gaps:
                above = next((tc for tc in self.text_cells if tc.col == c and tc.row < r and tc.pieces[0].k < s
                              and any(p.k == s for p in tc.pieces)), None)
                if above is not None and (r + 1, c) not in by_pos:
                    drawn = TextCell(r + 1, c, [p for p in above.pieces if p.k >= s])
                    above.pieces = [p for p in above.pieces if p.k < s]
                    drawn.cell = rows[r + 1][c]
                    self.text_cells.append(drawn)
                    by_pos[(r + 1, c)] = drawn
            opening = [by_pos[r + 1, c] for c in range(last_name + 1)
                       if (r + 1, c) in by_pos and by_pos[r + 1, c].pieces[0].k == s]
            own = {tc.col: tc for tc in opening}
            if all(c in own for c in gaps):
                moves = [(own[c], c) for c in gaps]
            elif self.body[s][1].page not in self.headed_pages and len(opening) == len(gaps):
                moves = list(zip(opening, gaps))
            else:
                raise Unbuildable(f"line {no}: a row prints names either side of an empty one (the cells cannot be placed)")
            for tc, c in moves:
                # the cell drawn on the next page is this row's, merged into the next
                del by_pos[(r + 1, tc.col)]
                rows[r + 1][tc.col] = Cell("", rows[r + 1][tc.col].loc)
                ln = self.body[tc.pieces[0].k][1]
                tc.row, tc.col = r, c
                rows[r][c] = tc.cell = Cell("", Loc(page=ln.page, line=ln.no, cell=rows[r][c].loc.cell))
                by_pos[(r, c)] = tc

    def _adjacent(self, k: int, s: int) -> bool:
        """Body line s follows line k with nothing between, or opens a page after k's: a
        merged cell the page cut goes on at the top of the next page's part."""
        if s == k + 1:
            return True
        page = self.body[s][1].page
        return self.body[k][1].page < page and self.body[s - 1][1].page < page

    def _had_room(self, k: int, s: int) -> bool:
        """Body line s opens a page after line k's, and a row starts on k's page below k: a
        name whose last line is k, merged on into that row, had room to go on there (cells
        are top-aligned, their text flows down), so it ended at k. (Within one row the
        converter may cut one cell's text a line before another's, so lines of the same
        row below k prove nothing.)"""
        page = self.body[k][1].page
        return self.body[s][1].page > page and any(k < j < s and self.body[j][1].page == page for j in self.row_starts)

    def _drawn_up(self, c: int, r: int, rows, pieces: list) -> TextCell:
        """Name column c's text opening row r, the first of its page, that is neither the
        name above going on nor a new name: the previous row's (the last of the page
        before, its cell there empty), which the converter drew on this page. Raises
        Unbuildable when there is no such row."""
        prev = r - 1
        s = self.row_starts[r]
        if prev < 0 or prev == self.total_row or (prev, c) in self.new_at or self.body[s - 1][1].page >= self.body[s][1].page:
            no = self.body[s][1].no
            raise Unbuildable(f"line {no}: a name opening the page neither goes on from the name above "
                              "(which ended before its page's foot) nor starts a new one (the names under it do not)")
        ln = self.body[pieces[0].k][1]
        rows[prev][c] = Cell("", Loc(page=ln.page, line=ln.no, cell=rows[prev][c].loc.cell))
        tc = TextCell(prev, c, list(pieces))
        tc.cell = rows[prev][c]
        self.text_cells.append(tc)
        self.new_at.add((prev, c))
        return tc

    def _runs_on(self, c: int, r: int, above: TextCell, cand: list, widths: dict) -> Optional[str]:
        """Whether name column c's text at the top of row r, going on without a gap from the
        name above (`above`), is that name running on (a name merged over rows can be
        taller than its first row): "yes", "maybe" (read as a new name, noted), or None.
          * Never in the 통계목 column (each row prints its own), nor in a table that
            prints every name on every row (it merges none).
          * Yes when the name column right of it has no new name at the row (nothing, or
            the name above running on): a name is new only when the names below it in the
            hierarchy are new too. (Only the next column counts: a new name there with none
            further right is a row whose name the converter drew on the next page. Nor does
            that column count when it prints nothing at all at the last row of its page
            beside a new name further right: its name may have been drawn on the next page.)
          * No when the new text's first word would have fitted after the name's last
            line: that line did not wrap.
          * Yes when either reading would make a name of one syllable (no name is; in a
            column a syllable wide, the new text counts with its lines going on past the row).
          * Otherwise the text cannot tell a name that runs on from a new one: maybe.
        The seam rules decide (readers/seams.py, `cell_run`: `programme_goes_on`,
        `first_word_would_have_fitted`, `no_name_of_one_syllable`, `merged_cell_may_run_over`),
        as they do for a name over a PDF's page break; this describes what the text shows."""
        last_name = (self.stat_col if self.stat_col is not None else self.n_text) - 1
        if c > last_name or self.repeated:
            return None
        word = cand[0].text.split()[0]
        # In a column a syllable wide every line is one: there the new text's lines going on
        # past its row (a name merged over rows) show whether it is a name of one syllable.
        one_wide = widths.get(shape(self.frame, c), 0.0) < self.settings.narrow_column
        new_text = self._going_on(c, cand) if one_wide else "".join(p.text for p in cand)
        verdict = cell_run(CellRun(
            below_prints=True, aligned=True, repeated_name=False, new_to_the_left=False, above_prints=True,
            above_blank=False, top_aligned=True,
            goes_on_right=c < last_name and (r, c + 1) not in self.new_at and not self._drawn_away(r, c + 1, last_name),
            continuable=width(above.pieces[-1].text, True) + SPACE_WIDTH[HIGH] + width(word, True) > widths.get(shape(self.frame, c), 0.0),
            one_syllable=_one_syllable(new_text) or _one_syllable("".join(p.text for p in above.pieces)),
            # What text cannot show (where the page cut, the rules drawn, how full a line
            # is): nothing there decides, and an undecided name stays apart, noted.
            room_for_more=False, one_line_room=False, left_open=False, row_full=True, last_line_full=False,
        ))
        if verdict.joined:
            return "yes"
        return "maybe" if verdict.certainty == UNDECIDABLE else None

    def _drawn_away(self, r: int, c: int, last_name: int) -> bool:
        """Row r is the last of its page, prints nothing at all in name column c and a new
        name right of it: c's name may be one the converter drew on the next page."""
        starts = self.row_starts
        if r + 1 >= len(starts) or r + 1 == self.total_row or self.body[starts[r + 1]][1].page <= self.body[starts[r + 1] - 1][1].page:
            return False
        if c not in self.cells[starts[r + 1]]:
            return False  # the next page's first row opens with nothing there to be c's
        if not any((r, d) in self.new_at for d in range(c + 1, last_name + 1)):
            return False
        return not any(c in self.cells[k] for k in range(starts[r], starts[r + 1]))

    def _drawn_maybe(self, c: int, r: int, above: Optional[TextCell], tc: TextCell, starts, ends) -> bool:
        """Row r opens a page with a new name in column c; row r-1, the last of the page
        before, prints none there (read as under the name above): LibreOffice draws a merged
        cell's text on the next page when it does not fit the cell's part on the page, so
        when the new name has more lines than row r-1 had there, it may be row r-1's, merged
        on into row r. The text cannot tell: read as row r's, noted on row r-1."""
        last_name = (self.stat_col if self.stat_col is not None else self.n_text) - 1
        if above is None or r == 0 or c > last_name or r - 1 == self.total_row or (r - 1, c) in self.new_at:
            return False
        s = starts[r]
        if self.body[s - 1][1].page >= self.body[s][1].page:
            return False
        if any((r - 1, d) not in self.new_at for d in range(c + 1, last_name + 1)):
            return False  # a name under c is not new at row r-1: nor is c's (names are a hierarchy)
        tall = len(tc.pieces) + len(self._lines_under(c, tc.pieces[-1].k))  # going on past its row too
        return tall > ends[r - 1] - starts[r - 1]

    def _going_on(self, c: int, cand: list) -> str:
        """The text of column c from `cand` on, down the lines right under it, past its row
        (a name merged over rows goes on into the next: `정` / `책` / `물`… with a row
        starting at `책`)."""
        return "".join([p.text for p in cand] + self._lines_under(c, cand[-1].k))

    def _lines_under(self, c: int, k: int) -> list[str]:
        """Column c's text on the body lines right under line k, one after another (over a
        page break too), up to the first line without it or the total row."""
        out = []
        k += 1
        while k < len(self.cells) and c in self.cells[k] and k != self.total_start and self._adjacent(k - 1, k):
            out.append(self.cells[k][c])
            k += 1
        return out

    def _wrapped(self, tc: TextCell, widths: dict) -> Wrapped:
        pieces = [p.text for p in tc.pieces]
        if tc.col == self.stat_col:
            pieces = _stat_name_joined(pieces)
        w = widths.get(shape(self.frame, tc.col), 0.0)
        breaks = [_break(a, b, w) for a, b in zip(pieces, pieces[1:])]
        return Wrapped(pieces, breaks)

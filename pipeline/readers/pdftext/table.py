"""One table of layout text (its lines over one or more pages) → `Table`: rows, figures, names
merged over rows and over pages (`TableBuilder`)."""
from __future__ import annotations

from typing import Optional

from ...domain.codes import CODE_BEGUN as _CODE_START, CODE_CHARS as _CODE_PIECE, CODE_GROUP as _CODE_GROUP, CODE_WHOLE as _CODE_WHOLE
from ...domain.figures import FIGURE_WHOLE as COMPLETE
from ...domain.glyphs import HIGH, SPACE_WIDTH
from ...ir import Cell, Loc, Table
from ...settings import DEFAULT_SETTINGS, LayoutSettings
from ...textutil import collapse, squash
from ..seams import UNDECIDABLE, CellRun, cell_run
from ..wraps import Wrapped

from .columns import Columns, Piece, Segment, TextCell, _units, place_words
from .header import header_of, header_rows
from .names import _break, _one_syllable, _runs, _stat_name_joined
from .rows import extent, frame_of, figure_texts, header_columns, moved, row_starts, total_label
from .words import Unbuildable, header_piece_line, header_terms, is_amount, width


class TableBuilder:
    """One table (its lines over one or more pages) → Table. `place()` reads the layout;
    `table()` builds the grid once the widths of every table of the document are known."""

    def __init__(self, lines, header_idx: list, body_idx: list, metric: str, settings: LayoutSettings = DEFAULT_SETTINGS.layout):
        self.lines = lines
        self.settings = settings
        self.header_idx = header_idx
        self.body_idx = body_idx
        self.metric = metric
        self.table_no = 0

    # What the frame holds, read through it (set once, when the header is read).
    n_text = property(lambda self: self.frame.n_text)
    n_money = property(lambda self: self.frame.n_money)
    n_cols = property(lambda self: self.frame.n_cols)
    stat_col = property(lambda self: self.frame.stat_col)

    # -- layout
    def place(self) -> None:
        lines, metric = self.lines, self.metric
        self.header = header_of([lines[i] for i in self.header_idx], metric, self.settings)
        self.frame = frame_of(self.header, metric, self.settings)
        segments = self._segments()
        self.headed_pages = {seg.page for seg in segments if seg.header} | {self.header.page or self.lines[self.header_idx[0]].page}
        self.body: list = []  # (line index, _Line) of every body line, in order
        self.words: list[dict] = []  # per body line: {column: [Word]}
        self.labels: dict = {}  # body position → [(column, Word)]: words of a line that may open the total row
        prev: Optional[Columns] = None
        for seg in segments:
            header = self.header if not seg.header or seg is segments[0] else header_of(seg.header, metric, self.settings)
            if len(header.leaves) != self.n_cols or header.roles != self.header.roles:
                raise Unbuildable(f"the header repeated on page {seg.page} has other columns")
            if not seg.body:
                if seg.header:
                    prev = header_columns(self.frame, header)
                continue
            body_lines = [ln for _, ln in seg.body]
            totals = {p for p, ln in enumerate(body_lines) if total_label(ln, self.metric)}
            if seg.header:
                columns = header_columns(self.frame, header)
                placed, labels = place_words(body_lines, metric, columns, totals, self.settings)
            else:
                if prev is None:
                    raise Unbuildable(f"page {seg.page} has nothing to place its columns by")
                columns = moved(self.frame, prev, body_lines)
                # A 통계목 name the page cut from its code opens the page, wherever the
                # converter put it: it is the code's.
                lead = self._cut_name_lines(body_lines)
                cut = not lead and self._stat_name_cut()
                placed, labels = place_words(body_lines[lead:], metric, columns, {t - lead for t in totals if t >= lead}, self.settings)
                self._cut_name_placed(placed, body_lines, cut)
                placed = [{self.stat_col: ln.spans(metric)} for ln in body_lines[:lead]] + placed
                labels = {p + lead: v for p, v in labels.items()}
                self._cut_figures_go_on(placed, body_lines)
            base = len(self.body)
            for p, ((i, ln), cells) in enumerate(zip(seg.body, placed)):
                self.body.append((i, ln))
                self.words.append(cells)
                if p in labels:
                    self.labels[base + p] = labels[p]
            prev = extent(self.frame, placed, columns)
        self.cells = [self._texts(cells) for cells in self.words]
        rs = row_starts(self.frame, self.cells, self.labels)
        self.row_starts, self.total_row, self.total_start = rs.starts, rs.total_row, rs.total_start
        for k, label in self.labels.items():
            for col, w in label:
                self.words[k].setdefault(0 if k == self.total_start else col, []).append(w)
        self.cells = [self._texts(cells) for cells in self.words]
        self.spans = [{c: (min(w.x0 for w in ws), max(w.x1 for w in ws)) for c, ws in cells.items()} for cells in self.words]

    @staticmethod
    def _texts(cells: dict) -> dict:
        return {c: " ".join(w.text for w in sorted(ws, key=lambda w: w.x0)) for c, ws in cells.items()}

    def _segments(self) -> list[Segment]:
        """The table's lines page by page; lines of header words (or their wrapped pieces)
        opening a page, two header words among them, are the header repeated there."""
        lines = self.lines
        first = lines[self.header_idx[0]]
        # A header the page cut, put together on its second page, stands over the body there.
        segs = [Segment(self.header.page or first.page, [lines[i] for i in self.header_idx], [])]
        for i in self.body_idx:
            ln = lines[i]
            if ln.blank:
                continue
            if ln.page != segs[-1].page:
                segs.append(Segment(ln.page, [], []))
            segs[-1].body.append((i, ln))
        for seg in segs[1:]:
            run = 0
            while run < len(seg.body) and header_piece_line(seg.body[run][1]):
                run += 1
            if run and any(header_terms(ln.spans(self.metric)) >= 2 for _, ln in seg.body[:run]):
                seg.header = [ln for _, ln in seg.body[:run]]
                seg.body = seg.body[run:]
        return segs

    def _stat_name_cut(self) -> bool:
        """The last row so far printed its 통계목 code and no name (the page cut it there)."""
        if self.stat_col is None:
            return False
        for cells in reversed(self.words):
            stat = [w.text for w in cells.get(self.stat_col, [])]
            if any(not _CODE_PIECE.match(t) for t in stat):
                return False  # the name was printed
            if stat and _CODE_START.match(stat[0]):
                return True
        return False

    def _cut_name_placed(self, placed: list, body_lines: list, cut: bool) -> None:
        """A page opening with the rest of a row the page cut after its 통계목 code, its
        name beside other names' rests (`터` / `기관` …): placed by where each stands (the
        converter packed the page afresh), the name must land in the 통계목 column; if
        none of the opening lines' words does, the places tell nothing. Raises Unbuildable."""
        if not cut:
            return
        opening = []
        for ln, cells in zip(body_lines, placed):
            if not self._rest_of_names(ln.spans(self.metric), ln):
                break
            opening.append(cells)
        if opening and not any(self.stat_col in cells for cells in opening):
            raise Unbuildable(
                f"line {body_lines[0].no}: a page opening with the rest of a row the page cut, its 통계목 name beside "
                "other names, none where the 통계목 stood: which column each goes on in cannot be told"
            )

    def _rest_of_names(self, words: list, ln) -> bool:
        """A line opening a page that prints names only: no figure, no code, no total."""
        return bool(words) and not any(is_amount(w.text) or _CODE_START.match(w.text) for w in words) and not total_label(ln, self.metric)

    def _cut_name_lines(self, body_lines: list) -> int:
        """How many lines opening a page without its header are the 통계목 name of the row
        the page cut after its code (`203-0` / `1` at the foot, no name): lines of one
        cell's text only (words a single space apart), no code, one above the other."""
        if not self._stat_name_cut():
            return 0
        n, span = 0, None
        for ln in body_lines:
            words = ln.spans(self.metric)
            if not self._rest_of_names(words, ln) or len(_units(words)) > 1:
                break  # figures, a code, a total, or more than one cell's text
            x0, x1 = words[0].x0, words[-1].x1
            if span is not None and (x1 <= span[0] or x0 >= span[1]):
                break
            span = (x0, x1) if span is None else (min(span[0], x0), max(span[1], x1))
            n += 1
        return n

    def _cut_figures_go_on(self, placed: list, body_lines: list) -> None:
        """Lines of figures opening a page without its header (alone, or beside the rest of
        the row's names, before any new row) go on with the figures the page cut (`2,550,`
        / `165,00` / `0`): each piece, left to right, to the columns whose figure is still
        cut. pdftotext packs such a page afresh, so where its pieces stand tells nothing."""
        acc: dict = {}
        code = ""  # the row's 통계목 code as far as the page printed it
        for k in range(len(self.words) - 1, -1, -1):
            cells = self.words[k]
            for c, ws in cells.items():
                if c >= self.n_text:
                    acc[c] = "".join(w.text for w in ws) + acc.get(c, "")
            stat = cells.get(self.stat_col, []) if self.stat_col is not None else []
            if stat and _CODE_PIECE.match(stat[0].text):
                code = stat[0].text + code
            if k in self.labels or (stat and _CODE_START.match(stat[0].text)):
                break
        for p, ln in enumerate(body_lines):
            words = ln.spans(self.metric)
            if not words or total_label(ln, self.metric) or any(_CODE_START.match(w.text) for w in words):
                return  # the next row, or the total row
            if not all(is_amount(w.text) for w in words):
                # A line also printing the rest of the row's names: its figures, before
                # any new row, are the rest of the row's cut figures likewise, when there
                # are as many as figures still cut (else the line is left as placed).
                text = {c: ws for c, ws in placed[p].items() if c < self.n_text}
                figures = sorted((w for c, ws in placed[p].items() if c >= self.n_text for w in ws), key=lambda w: w.x0)
                rest = None  # the code's rest (`110-401-` / `01 시설비`) opening the line's figures
                if (figures and code and not _CODE_WHOLE.match(code) and _CODE_PIECE.match(figures[0].text)
                        and _CODE_WHOLE.match(code + figures[0].text)):
                    rest, figures = figures[0], figures[1:]
                if any(_CODE_GROUP.match(w.text) or _CODE_PIECE.match(w.text) for ws in text.values() for w in ws):
                    return  # a code's head among the names: the next row (`203` / `-01`)
                cut = [c for c in sorted(acc) if not COMPLETE.match(acc[c])]
                if not cut or not figures or len(figures) != len(cut):
                    return
                if rest is not None:
                    code += rest.text
                    text[self.stat_col] = sorted(text.get(self.stat_col, []) + [rest], key=lambda w: w.x0)
                placed[p] = {**text, **{c: [w] for c, w in zip(cut, figures)}}
                for c, w in zip(cut, figures):
                    acc[c] += w.text
                continue
            # A code the page cut goes on too (`100-307-0` / `4`): its rest opens the line,
            # digits only, making a whole code.
            taken: dict = {}
            others = placed[p]
            if (code and not _CODE_WHOLE.match(code) and _CODE_PIECE.match(words[0].text)
                    and _CODE_WHOLE.match(code + words[0].text)):
                code += words[0].text
                taken = {self.stat_col: [words[0]]}
                words = words[1:]
                others = {c: [w for w in ws if w is not taken[self.stat_col][0]] for c, ws in placed[p].items() if c >= self.n_text}
                others = {c: ws for c, ws in others.items() if ws}
            cut = [c for c in sorted(acc) if not COMPLETE.match(acc[c])]
            if not words or not cut:
                if taken:
                    placed[p] = {**taken, **others} if words else taken
                if not cut:
                    return
                continue
            if len(words) > len(cut) or (len(words) < len(cut) and any(c not in cut for c in others)):
                raise Unbuildable(f"line {ln.no}: figures going on from the page before could not be placed")
            cols = cut if len(words) == len(cut) else sorted(others)
            placed[p] = {**taken, **{c: [w] for c, w in zip(cols, words)}}
            for c, w in zip(cols, words):
                acc[c] += w.text

    # -- the grid
    def table(self, widths: dict) -> Table:
        """The grid; text cells carry their lines (`text_cells`) until the document's line
        breaks are decided. `widths`: the widest line per column shape, over the document.
        Raises Unbuildable."""
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
        self.text_cells: list[TextCell] = []
        # (name above, new name, the break between): a name that may run on, read as two
        self.maybe: list = []
        # (cell, name above, new name): a page's last row under the name above, whose own
        # name may be the one opening the next page (see `_drawn_maybe`)
        self.drawn_maybe: list = []
        last_name = (self.stat_col if self.stat_col is not None else n_text) - 1
        # A table that prints every name on every row merges none; but every row printing
        # names may as well be a name running on into a row that starts new ones, so it
        # takes a name printed again on the next row (as such tables do) to tell.
        later = [s for s in starts[1:] if s != self.total_start]
        self.repeated = bool(later) and all(all(d in self.cells[s] for d in range(last_name + 1)) for s in later) and any(
            self.cells[a].get(d) == self.cells[b].get(d)
            for a, b in zip(starts, starts[1:]) if b != self.total_start
            for d in range(last_name + 1)
        )
        # Right to left: whether a name is new at a row depends on the names under it.
        self.new_at: set = set()  # (row, column) where a new text cell starts
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

    def shape(self, c: int):
        """What identifies text column c across the document's tables of one template."""
        lf = self.header.leaves[c]
        return (self.n_cols, c, lf.role or squash(lf.text))

    def column_widths(self) -> dict:
        """The widest line each text column prints (lower estimate, ems): a cell is at
        least that wide."""
        out: dict = {}
        for k, cells in enumerate(self.cells):
            if self.total_start is not None and k >= self.total_start:
                continue
            for c, t in cells.items():
                if c < self.n_text:
                    out[c] = max(out.get(c, 0.0), width(t))
        for c, lf in enumerate(self.header.leaves[: self.n_text]):
            for f in lf.frags:
                out[c] = max(out.get(c, 0.0), width(f[3]))
        return {self.shape(c): w for c, w in out.items()}

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
                brk = _break(open_cell.pieces[-1].text, tc.pieces[0].text, widths.get(self.shape(c), 0.0))
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
        one_wide = widths.get(self.shape(c), 0.0) < self.settings.narrow_column
        new_text = self._going_on(c, cand) if one_wide else "".join(p.text for p in cand)
        verdict = cell_run(CellRun(
            below_prints=True, aligned=True, repeated_name=False, new_to_the_left=False, above_prints=True,
            above_blank=False, top_aligned=True,
            goes_on_right=c < last_name and (r, c + 1) not in self.new_at and not self._drawn_away(r, c + 1, last_name),
            continuable=width(above.pieces[-1].text, True) + SPACE_WIDTH[HIGH] + width(word, True) > widths.get(self.shape(c), 0.0),
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
        w = widths.get(self.shape(tc.col), 0.0)
        breaks = [_break(a, b, w) for a, b in zip(pieces, pieces[1:])]
        return Wrapped(pieces, breaks)

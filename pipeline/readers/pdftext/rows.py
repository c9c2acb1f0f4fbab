"""Stages of one layout-text table over plain values: the table's frame (what every stage
reads and none changes), where its columns stand on each page, where its rows start, and
its figure cells. Each stage is a function returning a value; `table.py` chains them."""
from __future__ import annotations

from dataclasses import dataclass
from statistics import median
from typing import Optional

from ...domain.codes import CODE_BEGUN as _CODE_START, CODE_CHARS as _CODE_PIECE, CODE_GROUP as _CODE_GROUP, CODE_WHOLE as _CODE_WHOLE
from ...domain.figures import DASH as _DASH, FIGURE as AMOUNT, FIGURE_WHOLE as COMPLETE
from ...domain.headers import is_total_label
from ...settings import LayoutSettings

from .columns import Columns, _trailing_figures
from .header import Header
from .words import Unbuildable, is_amount, width


@dataclass(frozen=True)
class TableFrame:
    """What every stage of one table reads and none changes: its header's columns (text
    columns first, then figure columns), which is the 통계목's, how text is measured."""

    header: Header
    metric: str
    settings: LayoutSettings
    n_text: int
    n_money: int
    stat_col: Optional[int]  # the 통계목's column (code, or code and name), if the header names one

    @property
    def n_cols(self) -> int:
        return self.n_text + self.n_money

    @property
    def last_name(self) -> int:
        """The rightmost name column (the one left of the 통계목, or the last text column)."""
        return (self.stat_col if self.stat_col is not None else self.n_text) - 1


def frame_of(header: Header, metric: str, settings: LayoutSettings) -> TableFrame:
    n_text = header.n_text
    stat_col = next((c for c, r in enumerate(header.roles[:n_text]) if r in ("stat", "stat_code")), None)
    return TableFrame(header, metric, settings, n_text, header.n_money, stat_col)


def total_label(ln, metric: str) -> bool:
    """The line's words but its figures read as a total row's label (`총 계`, `계`)."""
    label = [w.text for w in ln.spans(metric) if not is_amount(w.text)]
    return bool(label) and is_total_label(" ".join(label))


# ---------------------------------------------------------------- columns on a page
def header_columns(frame: TableFrame, header: Header) -> Columns:
    """The columns as a page's header places them."""
    return Columns(frame.n_text, [lf.center for lf in header.leaves], None, frame.stat_col)


def extent(frame: TableFrame, placed: list, columns: Columns) -> Columns:
    """Where each column stood on a page: the centre of its words, where its figures
    end."""
    centers, rights = list(columns.centers), {}
    for c in range(frame.n_cols):
        xs = [(ws[0].x0, ws[-1].x1) for cells in placed for col, ws in cells.items() if col == c]
        if xs:
            centers[c] = median((x0 + x1) / 2 for x0, x1 in xs)
            if c >= frame.n_text:
                rights[c] = median(x1 for _, x1 in xs)
    out = Columns(frame.n_text, centers, rights, frame.stat_col)
    codes = [(w.x0 + w.x1) / 2 for cells in placed for w in cells.get(frame.stat_col, ()) if _CODE_WHOLE.match(w.text)]
    out.codes = median(codes) if codes else None
    return out


def moved(frame: TableFrame, prev: Columns, body_lines) -> Columns:
    """The previous page's columns moved onto this page (pdftotext packs each page's
    columns afresh, figures and text apart, and not every text column alike): the
    figure columns by where this page's lines of figures end; a text column either
    stays or moves as the 통계목 codes moved, whichever is nearer."""
    ends: dict = {}
    codes = []
    for ln in body_lines:
        words = ln.spans(frame.metric)
        run = _trailing_figures(words)
        if len(run) >= frame.n_money and not total_label(ln, frame.metric):
            for k, w in enumerate(run[-frame.n_money:]):
                ends.setdefault(frame.n_text + k, []).append(w.x1)
        codes += [(w.x0 + w.x1) / 2 for w in words if _CODE_WHOLE.match(w.text)]
    shifts = [median(v) - prev.rights[c] for c, v in ends.items() if c in prev.rights]
    money_shift = median(shifts) if shifts else 0.0
    text_shift = 0.0
    if codes and prev.codes is not None:
        text_shift = median(codes) - prev.codes
    centers = [c if k < frame.n_text else c + money_shift for k, c in enumerate(prev.centers)]
    rights = {c: x + money_shift for c, x in prev.rights.items()}
    out = Columns(frame.n_text, centers, rights, frame.stat_col)
    out.moved = [c + text_shift for c in prev.centers[: frame.n_text]]
    out.figures_moved_by_measure = bool(shifts)
    return out


# ---------------------------------------------------------------- rows
@dataclass(frozen=True)
class RowStarts:
    """Where the table's rows start: body positions, in order; the total row's index and
    its start, when the table prints one."""

    starts: list
    total_row: Optional[int]
    total_start: Optional[int]


def row_starts(frame: TableFrame, cells: list, labels: dict) -> RowStarts:
    """Row starts: a 통계목 code starting (not going on), the total row's label; or, in
    a table printing no code, new figures. `cells`: per body line, {column: text};
    `labels`: body positions of lines that may open the total row. Raises Unbuildable."""
    n = len(cells)
    if not n:
        raise Unbuildable("the table has no rows")
    stat_col = frame.stat_col
    starts: list[int] = []
    total_at = None
    codes = stat_col is not None and any(
        _CODE_START.match(c.get(stat_col, "")) or _CODE_GROUP.match(c.get(stat_col, "")) for c in cells
    )
    code = None  # a code cut by a wrap, as far as printed: the next line may go on with it
    for k in range(n):
        if total_at is not None:
            continue
        if k in labels and _opens_total(frame, cells, k, starts, codes):
            starts.append(k)
            total_at = k
            continue
        if not codes:
            if _new_figures(frame, cells, k, starts):
                starts.append(k)
            continue
        words = cells[k].get(stat_col, "").split()
        first = words[0] if words else ""
        if code is not None and first and _CODE_PIECE.match(first):
            first = code + first  # `110-202-0` / `1 국내여비`
        elif _CODE_START.match(first) or (
            len(words) == 1 and _CODE_GROUP.match(first)
            and k + 1 < n and cells[k + 1].get(stat_col, "").startswith("-")  # `307` / `-02`
        ):
            starts.append(k)
        code = first if len(words) == 1 and _CODE_PIECE.match(first) and not _CODE_WHOLE.match(first) else None
    if not starts or starts[0] != 0:
        raise Unbuildable("the first row prints text above its figures (cells not top-aligned)")
    return RowStarts(starts, len(starts) - 1 if total_at is not None else None, total_at)


def _opens_total(frame: TableFrame, cells: list, k: int, starts: list, codes: bool) -> bool:
    """A line labelled as a total opens the total row when it prints no code and new
    figures in all the figure columns but one at most (a name's last syllable `계`
    beside a figure's wrapped piece does not)."""
    if codes and cells[k].get(frame.stat_col):
        return False
    money = [c for c in cells[k] if c >= frame.n_text]
    return len(money) >= max(1, frame.n_money - 1) and _new_figures(frame, cells, k, starts, strict=True)


def _new_figures(frame: TableFrame, cells: list, k: int, starts: list, strict: bool = False) -> bool:
    """Line k starts new figures: not all of them go on with figures cut short above
    (`strict`: none does)."""
    money = {c: t for c, t in cells[k].items() if c >= frame.n_text}
    if not money:
        return False
    if not starts:
        return True
    acc: dict = {}
    for j in range(starts[-1], k):
        for c, t in cells[j].items():
            if c >= frame.n_text:
                acc[c] = acc.get(c, "") + t
    goes_on = [c in acc and not COMPLETE.match(acc[c]) and t[0].isdigit() for c, t in money.items()]
    return not any(goes_on) if strict else not all(goes_on)


# ---------------------------------------------------------------- figures
def figure_texts(frame: TableFrame, cells: list, body: list, starts: list) -> dict:
    """Each money cell's text, {(row, column): figure}: its pieces joined, every piece but
    the last filling its line (the widest piece of the column, within a digit), the whole
    a figure. `body`: (line index, line) per body position. Raises Unbuildable."""
    ends = starts[1:] + [len(cells)]
    widest: dict = {}
    for line_cells in cells:
        for c, t in line_cells.items():
            if c >= frame.n_text:
                widest[c] = max(widest.get(c, 0.0), width(t))
    out: dict = {}
    for r, (s, e) in enumerate(zip(starts, ends)):
        for c in range(frame.n_text, frame.n_cols):
            pieces = [(k, cells[k][c]) for k in range(s, e) if c in cells[k]]
            if not pieces:
                continue
            no = body[pieces[0][0]][1].no
            if pieces[0][0] != s:
                raise Unbuildable(f"line {no}: a figure below the top of its row (cells not top-aligned)")
            if any(" " in t for _, t in pieces):
                raise Unbuildable(f"line {no}: more than one figure in a figure column")
            text = "".join(t for _, t in pieces)
            if not AMOUNT.match(text):
                raise Unbuildable(f"line {no}: {text!r} in a figure column")
            if not COMPLETE.match(text):
                # a wrap's piece whose rest went elsewhere, or digits grouped irregularly:
                # the text cannot tell which
                raise Unbuildable(f"line {no}: a figure cut by a wrap could not be rejoined ({text!r})")
            if len(pieces) > 1:
                if any(width(t, True) < widest[c] - frame.settings.widest_line_slack for _, t in pieces[:-1]):
                    raise Unbuildable(f"line {no}: a figure cut by a wrap could not be rejoined ({text!r})")
                if any(_DASH.match(t) for _, t in pieces):
                    raise Unbuildable(f"line {no}: {text!r} in a figure column")
            out[(r, c)] = text
    return out

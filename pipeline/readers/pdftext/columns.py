"""A table's lines in layout text → its words placed in columns (`place_words`): islands, figure columns
by their right edges, text columns in order."""
from __future__ import annotations

from dataclasses import dataclass
from statistics import median
from typing import Optional

from ...domain.codes import CODE_BEGUN as _CODE_START, CODE_CHARS as _CODE_PIECE
from ...domain.figures import DASH as _DASH, FIGURE_MARK as _FIGURE_MARK
from ...ir import Cell
from ...settings import DEFAULT_SETTINGS, LayoutSettings
from ..wraps import Wrapped

from .names import _one_syllable
from .words import Unbuildable, is_amount


@dataclass
class Piece:
    """One column's words on one body line."""

    k: int  # index of the line in the table's body (non-blank lines, in order)
    col: int
    text: str
    x0: float
    x1: float


def _islands(spans: list) -> list[list[int]]:
    """Indices of spans grouped by overlap (transitively): each group is one column's."""
    order = sorted(range(len(spans)), key=lambda i: spans[i][0])
    out: list[list[int]] = []
    end = None
    for i in order:
        x0, x1 = spans[i]
        if out and x0 < end:
            out[-1].append(i)
            end = max(end, x1)
        else:
            out.append([i])
            end = x1
    return out


class Columns:
    """Where each column of a table stands on one page: the centres of its columns (from
    the page's header cells, or the previous page's columns), where the figure columns'
    figures end (from the previous page, moved onto this one), and, for a page without its
    header, the text columns moved as its 통계목 codes moved."""

    def __init__(self, n_text: int, centers: list, rights: Optional[dict] = None, stat_col: Optional[int] = None):
        self.n_text = n_text
        self.centers = centers  # per column
        self.rights = rights or {}  # figure column → where its figures end
        self.stat_col = stat_col
        self.codes: Optional[float] = None  # where the page's whole 통계목 codes stand (their middle)
        self.moved: Optional[list] = None  # text columns' centres moved with the codes (another page's columns)
        self.figures_moved_by_measure = False  # the figure columns moved by lines printing every figure


def _figure_unit(units: list, spans: list, i: int) -> bool:
    """Unit i is certainly a figure (or a figure's piece): a grouping comma, a decimal
    point, a minus mark, a dash for zero. Digits alone (`307`, `-02`, `1`) can be a code's
    pieces too."""
    u = units[i][1]
    return all(is_amount(w.text) for w in u) and any(_FIGURE_MARK.search(w.text) or _DASH.match(w.text) for w in u)


def _trailing_figures(words: list) -> list:
    run = []
    for w in reversed(words):
        if not is_amount(w.text):
            break
        run.append(w)
    return run[::-1]


def _units(words: list) -> list[list]:
    """A line's words in runs that belong to one cell: a single space apart, a figure
    always alone, a 통계목 code opening a run of its own."""
    out: list[list] = []
    for w in words:
        alone = is_amount(w.text)
        if out and w.x0 - out[-1][-1].x1 <= 1 and not alone and not is_amount(out[-1][-1].text) and not _CODE_START.match(w.text):
            out[-1].append(w)
        else:
            out.append([w])
    return out


def _code_pieces_with_names(units: list) -> list:
    """A line's units with digits alone one space left of a name joined to it: a code's
    last piece beside its 통계목 name (`1 재료비` opening a page after `100-206-0`); columns
    stand two spaces apart or more, and no figure column is left of a name."""
    out: list = []
    for u in units:
        prev = out[-1] if out else None
        if (prev is not None and len(prev) == 1 and _CODE_PIECE.match(prev[0].text) and any(ch.isdigit() for ch in prev[0].text)
                and u[0].x0 - prev[-1].x1 <= 1 and not is_amount(u[0].text) and not _CODE_START.match(u[0].text)):
            out[-1] = prev + u
        else:
            out.append(u)
    return out


def place_words(lines, metric: str, columns: Columns, totals: set, settings: LayoutSettings = DEFAULT_SETTINGS.layout):
    """Each body line's words → {column: [Word]}, and the words of `totals` (lines that
    may open the total row) other than figures apart, each with the column it would have.

    Words that belong together (`_units`) and overlap across lines (an island) are one
    column's. Figures go to the figure column whose figures end where they end (measured
    on the page's lines printing every figure, else taken from `columns`); the other
    islands, left to right, to the text columns in order: one each when there are as many
    as columns, else each to the column whose centre is nearest (in order, a 통계목 code
    to its column). A total row's label is centred over all the text columns: it takes no
    part in the islands. Raises Unbuildable."""
    units = []  # (line position, [Word])
    labels: dict = {}
    for pos, ln in enumerate(lines):
        words = ln.spans(metric)
        if pos in totals:
            labels[pos] = [w for w in words if not is_amount(w.text)]
            words = [w for w in words if is_amount(w.text)]
        units += [(pos, u) for u in _code_pieces_with_names(_units(words))]
    spans = [(u[0].x0, u[-1].x1) for _, u in units]
    # Figures and text are islands apart (a long name can reach under a figure column's
    # figures in the text); digits alone go with the text they stand under or over (a
    # code's pieces: `110-202-0` / `1`, `307` / `-02`).
    certain = [_figure_unit(units, spans, i) for i in range(len(units))]
    figures = [i for i in range(len(units)) if certain[i]]
    figure_islands = [[figures[j] for j in g] for g in _islands([spans[i] for i in figures])]
    others = [i for i in range(len(units)) if not certain[i]]
    text_islands = []
    n_money = len(columns.centers) - columns.n_text
    amounts_on: dict = {}
    for i, (pos, u) in enumerate(units):
        if all(is_amount(w.text) for w in u):
            amounts_on.setdefault(pos, []).append(i)
    for g in _islands([spans[i] for i in others]):
        g = [others[j] for j in g]
        # Digits alone, under no text, are a figure's, but for a line printing more such
        # units than figure columns: its first is a code's (`201` / the page / `-02`).
        extra = any(len(amounts_on.get(units[i][0], ())) > n_money and amounts_on[units[i][0]][0] == i for i in g)
        if all(is_amount(w.text) for i in g for w in units[i][1]) and not extra:
            figure_islands.append(g)
        else:
            text_islands.append(g)
    out: list[dict] = [dict() for _ in lines]
    figures = sorted((i for g in figure_islands for i in g), key=lambda i: (units[i][0], spans[i][1]))
    on_line: dict = {}
    for i in figures:
        on_line.setdefault(units[i][0], []).append(i)
    full = [ids for ids in on_line.values() if len(ids) == n_money]
    if full:
        # Lines printing every figure column say where each column's figures end; every
        # figure goes to the nearest, two on one line never to one column.
        refs = [median(spans[ids[k]][1] for ids in full) for k in range(n_money)]
        for pos, ids in on_line.items():
            if len(ids) > n_money:
                raise Unbuildable(f"line {lines[pos].no}: more figures than figure columns")
            for i, k in zip(ids, _ordered([spans[i][1] for i in ids], refs, [None] * len(ids), strict=True)):
                out[units[i][0]].setdefault(columns.n_text + k, []).extend(units[i][1])
    else:
        figure_islands = _right_aligned(figure_islands, spans, [pos for pos, _ in units], settings)
        # (pieces going on from the page before, no new row's figures: see `_cut_figures_go_on`)
        new_rows = any(_CODE_START.match(w.text) for _, u in units for w in u)
        for g, col in zip(figure_islands, _figure_columns(figure_islands, spans, [pos for pos, _ in units], columns, new_rows)):
            for i in g:
                pos, u = units[i]
                out[pos].setdefault(col, []).extend(u)
    text_islands = _touching(text_islands, spans, [pos for pos, _ in units])
    centers = [(min(spans[i][0] for i in g) + max(spans[i][1] for i in g)) / 2 for g in text_islands]
    coded = [any(_CODE_START.match(units[i][1][0].text) for i in g) for g in text_islands]
    single = [_one_syllable("".join(w.text for i in g for w in units[i][1])) for g in text_islands]
    for g, col in zip(text_islands, _in_order(centers, coded, columns, settings, single)):
        for i in g:
            pos, u = units[i]
            if any(_FIGURE_MARK.search(w.text) and is_amount(w.text) for w in u):
                raise Unbuildable(f"line {lines[pos].no}: a figure among the text of a column ({' '.join(w.text for w in u)!r})")
            out[pos].setdefault(col, []).extend(u)
    placed_labels = {}
    for pos, words in labels.items():
        if words:
            placed_labels[pos] = [(min(range(columns.n_text), key=lambda c: abs(columns.centers[c] - (w.x0 + w.x1) / 2)), w) for w in words]
    for cells in out:
        for col in cells:
            cells[col].sort(key=lambda w: w.x0)
    return out, placed_labels


def _touching(islands: list, spans: list, line_of: list) -> list:
    """Text islands (left to right) with those that touch joined when no line prints in
    both: one column's lines that happen not to overlap (a short name set off by a
    character from the longer ones above it); two columns always have a space between."""
    islands = sorted(islands, key=lambda g: min(spans[i][0] for i in g))
    out: list[list] = []
    for g in islands:
        if out:
            prev = out[-1]
            if min(spans[i][0] for i in g) <= max(spans[i][1] for i in prev) and not (
                {line_of[i] for i in g} & {line_of[i] for i in prev}
            ):
                prev.extend(g)
                continue
        out.append(list(g))
    return out


def _right_aligned(islands: list, spans: list, line_of: list, settings: LayoutSettings) -> list:
    """Figure islands (left to right by where they end) with those of one column joined:
    figures are right-aligned, so a column's pieces end within a character or two of each
    other, and two pieces on one line are never one column's."""
    islands = sorted(islands, key=lambda g: max(spans[i][1] for i in g))
    out: list[list] = []
    for g in islands:
        if out:
            prev = out[-1]
            near = max(spans[i][1] for i in g) - max(spans[i][1] for i in prev) <= settings.near_columns
            if near and not {line_of[i] for i in g} & {line_of[i] for i in prev}:
                prev.extend(g)
                continue
        out.append(list(g))
    return out


def _figure_columns(islands: list, spans: list, line_of: list, columns: Columns, new_rows: bool = True) -> list:
    """Figure islands (left to right) → figure columns, in order: one each when there are
    as many as columns; else a line printing a figure in every column names the columns
    of its islands, and the others go to the column whose figures end nearest (from those
    lines or the previous page), or else whose cell ends nearest (halfway between the
    centres of its header and the next)."""
    n = len(columns.centers) - columns.n_text
    if columns.moved is not None and not columns.figures_moved_by_measure and len(islands) < n and new_rows:
        # A page without its header, packed afresh by the converter, printing no line of
        # every figure to say where its columns went: its figures stand anywhere (`1` under
        # 감, a page before under 증), and which column is empty cannot be told.
        raise Unbuildable("a page without the table's header prints no line of every figure and leaves a figure "
                          "column empty: which column each figure is in cannot be told")
    of_line: dict = {}
    for j, g in enumerate(islands):
        for i in g:
            of_line.setdefault(line_of[i], set()).add(j)
    votes: dict = {}
    for js in of_line.values():
        if len(js) == n:
            for k, j in enumerate(sorted(js)):
                votes.setdefault(j, []).append(k)
    ends = [max(spans[i][1] for i in g) for g in islands]
    # A figure ends at its cell's right edge: between its header's centre and the next's.
    cs = columns.centers
    edges = [(cs[c] + cs[c + 1]) / 2 if c + 1 < len(cs) else cs[c] + (cs[c] - cs[c - 1]) / 2 for c in range(columns.n_text, len(cs))]
    refs = [columns.rights.get(columns.n_text + k, e) for k, e in enumerate(edges)]
    only = [max(set(votes[j]), key=votes[j].count) if j in votes else None for j in range(len(islands))]
    measured = set(columns.rights) - set(range(columns.n_text))
    for k in range(n):
        voted = [ends[j] for j in range(len(islands)) if only[j] == k]
        if voted:
            refs[k] = median(voted)
            measured.add(columns.n_text + k)
    # The converter pushes a line's words right by the wide text left of them, line by line,
    # so header cells stacked over several lines can stand out of their columns' order
    # (`전용후` over `예산액` left of `증`); their edges then place nothing.
    heads = cs[columns.n_text:]
    if any(a >= b for a, b in zip(heads, heads[1:])) and len(measured) < n:
        raise Unbuildable("the figure columns' header cells stand out of their order and no line prints every figure")
    nearest = _ordered(ends, refs, only)
    if len(islands) == n and nearest != list(range(n)) and columns.moved is None:
        # As many islands as columns is one each, unless they end where fewer columns'
        # figures end by the page's own header: the converter shifts a column's figures a
        # few characters from line to line, so one column can come out as two islands
        # beside an empty column. Where every column's figures were measured, they place;
        # else neither reading is sure. (On a page without its header the places come
        # from another page, which the converter packed otherwise: one each.)
        if len(measured) < n:
            raise Unbuildable("figures stand between the figure columns: which column each is in cannot be told")
        return [columns.n_text + k for k in nearest]
    if len(islands) == n:
        return [columns.n_text + k for k in range(n)]
    return [columns.n_text + k for k in nearest]


def _ordered(xs: list, refs: list, only: list, strict: bool = False) -> list:
    """Each x (in increasing order) → the index of a reference, in non-decreasing order
    (increasing when `strict`), with the least total distance; `only[j]`, when set, is the
    one index x_j may take. A reference may be several places (a tuple): the nearest
    counts."""
    n, m = len(refs), len(xs)
    inf = float("inf")
    best = [0.0] * n
    back: list[list[int]] = []
    for j in range(m):
        row, arg = [], []
        run, run_at = inf, 0  # the least cost so far over the references the previous x may take
        for c in range(n):
            if not strict and best[c] < run:
                run, run_at = best[c], c
            ref = refs[c] if isinstance(refs[c], tuple) else (refs[c],)
            cost = inf if only[j] is not None and c != only[j] else min(abs(xs[j] - r) for r in ref)
            row.append((0.0 if j == 0 else run) + cost)
            arg.append(run_at)
            if strict and best[c] < run:
                run, run_at = best[c], c
        best = row
        back.append(arg)
    if not m:
        return []
    c = min(range(n), key=lambda k: best[k])
    if best[c] == inf:
        raise Unbuildable("the columns cannot be told apart")
    out = [0] * m
    for j in range(m - 1, -1, -1):
        out[j] = c
        c = back[j][c]
    return out


def _in_order(centers: list, coded: list, columns: Columns, settings: LayoutSettings, single: Optional[list] = None) -> list:
    """Text islands (left to right, by their centres) → text columns, in order: one each
    when there are as many islands as columns, else each to the nearest column's centre
    (order kept, least total distance; an island holding a 통계목 code to that column)."""
    n = columns.n_text
    stat = columns.stat_col
    if len(centers) == n and (stat is None or all(not c or k == stat for k, c in enumerate(coded))):
        return list(range(n))
    if columns.moved is not None and stat is not None and any(coded):
        # A page without its header: the names it prints are those right of the first new
        # one (a name is new only when the names below it in the hierarchy are new too), so
        # the groups of names left of the 통계목 codes are the last name columns, in order.
        first_code = coded.index(True)
        if first_code <= stat and all(coded[first_code:]):
            by_codes = [stat - first_code + j for j in range(first_code)] + [stat] * (len(centers) - first_code)
            # ... unless a merged name going on over the page leaves a column between
            # empty (`담당` / `관` under the department, the 정책사업 ended on page n): then
            # every group stands where its column stood, and the codes' reading does not.
            by_place = _placed(centers, coded, columns, settings)
            one_each = by_place is not None and all(a < b for a, b in zip(by_place[:first_code], by_place[1 : first_code + 1]))
            if by_place is not None and by_place != by_codes and not _stand(centers, by_codes, columns, settings) and one_each:
                return by_place  # (one column each: two groups apart are two columns)
            if single and any(single[:first_code]):
                # A syllable alone is no new name (`과` / `댑`…: the rests of names the page
                # cut, beside a new row that prints none): the codes' reading is wrong.
                if by_place is not None and one_each:
                    return by_place
                raise Unbuildable("the text columns of a page that does not repeat the table's header cannot be told apart")
            return by_codes
    only = [stat if c and stat is not None else None for c in coded]
    if columns.moved is None:
        return _ordered(centers, columns.centers[:n], only)
    # A page without its header, its names not placed by the codes: each group must stand
    # where a column stood on the page before (or moved with the codes).
    cols = _placed(centers, coded, columns, settings)
    if cols is None:
        raise Unbuildable("the text columns of a page that does not repeat the table's header cannot be told apart")
    return cols


def _stand(centers: list, cols: list, columns: Columns, settings: LayoutSettings) -> bool:
    """Every group stands where its column stood on the page before, or moved with the codes."""
    refs = list(zip(columns.centers[: columns.n_text], columns.moved))
    return all(min(abs(x - r) for r in refs[c]) <= settings.moved_slack for x, c in zip(centers, cols))


def _placed(centers: list, coded: list, columns: Columns, settings: LayoutSettings) -> Optional[list]:
    """Text groups of a page without its header → the columns where they stand (see
    `_stand`), or None when some group stands where no column did."""
    stat = columns.stat_col
    refs = list(zip(columns.centers[: columns.n_text], columns.moved))
    try:
        cols = _ordered(centers, refs, [stat if c and stat is not None else None for c in coded])
    except Unbuildable:
        return None
    return cols if _stand(centers, cols, columns, settings) else None


@dataclass
class Segment:
    """The table's lines on one page: its header lines there, if any, and its body."""

    page: int
    header: list  # _Line
    body: list  # (line index, _Line)


@dataclass
class TextCell:
    """A text cell's lines, until the document's line breaks are decided together."""

    row: int
    col: int
    pieces: list  # Piece
    cell: Optional[Cell] = None
    wrapped: Optional[Wrapped] = None

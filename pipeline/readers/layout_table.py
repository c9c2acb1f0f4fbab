"""Budget tables in text converted from PDF (`pdftotext -layout`): columns aligned with
spaces → the same `Table` blocks every reader gives.

pdftotext places each printed line (or block of lines) at a text column from where it
stands on the page, packing every page afresh: a table's columns keep their order, but not
their places from page to page, and a long name may reach under the next column's figures.
What the rules below rest on, then, is order, alignment and the table's own structure:

* **The header** (`header_of`): its words wrapped over several lines are stacked into cells
  (`전용`/`후`/`예산`/`액`), each fragment under the nearest one above that it overlaps; group
  words (`예산과목`, `증감내역`) span cells; a header word that would change what the cell
  above names is a cell of its own. The header must name its columns once each, in the
  order every budget table prints them (department … 통계목, budget, its changes, result),
  with the figure columns at its right, or the table is not rebuilt. A header the page cut
  (`_cut_header`) is put together by what its parts name: the first part's group words
  stand over the second part's columns of their kind, which places the first part's own
  columns in the frame of the second page, where the body is; failing that, by order
  (`_cut_header_aligned`): both parts read left to right, a cell's top joined with its
  rest where the two spell a header word, every column named once, in order, one way
  only.
* **Columns** (`place_words`): a line's words a single space apart are one cell's (a figure
  or a 통계목 code always stands alone); words overlapping across lines are one column's
  ("islands"). Figures are right-aligned: a line printing every figure column says where
  each column's figures end, and every figure goes to the nearest, two on one line never to
  one column; without such a line, figure islands go to the columns in order. Text islands
  go to the text columns in order: one each when there are as many, else each to the
  nearest header cell. On a page that does not repeat the header, the names left of the
  codes are the last name columns (the hierarchy: below), or must stand where their
  columns stood on the page before.
* **Rows** (`_rows`): a row starts where its 통계목 code starts (every budget line prints
  one, at the top of its cell: cells are top-aligned), or at the total row's label with new
  figures; a code cut by a wrap (`110-202-0` / `1`, `307` / `-02`) goes on. A table printing
  no code starts a row at each line of new figures. Everything up to the next row's start
  is the row's, over a page break too (footer, form feed, running header and a repeated
  header dropped).
* **Figures** (`_figures`): a cell's pieces joined (`1,3`/`88,`/`63`/`6`); a piece before the
  last must fill its line, and the whole must be a whole figure (a cut one whose rest went
  elsewhere, or an irregular grouping, cannot be told apart): else the table is not rebuilt.
  Pieces of figures alone at the top of a page go on with the figures the page cut.
* **Names merged over rows** (`_column_cells`, `_runs_on`, `_hierarchy`): a name can be
  taller than its first row, its lines running on into the next rows. Names are a
  hierarchy (a new department has new programmes under it), so a name column's text at a
  row's top continues the name above when a column to its right has no new name there;
  when the text cannot tell (the name above filled its last line), it is read as a new
  name and both are noted (basis `layout`). A name that ended above a row starting lower
  on its page had room to go on there: it does not go on over the page; text opening the next
  page in its column that is not new either (the names under it are not) is the previous
  page's last row's, drawn on this page. A row printing names either side of an empty
  one is the last of its page whose merged cell the converter drew on the next page, at
  its first row's top: in its column under a repeated header; on a page packed afresh,
  the names opening it fill the empty columns in order when there are as many.
* **Line breaks inside a name** (`_break`): decided for the whole document by the PDF
  reader's rule and vocabulary (wraps.py), from the facts text still shows, in ems (Hangul
  one em, other characters by their usual share): a cell is at least as wide as the widest
  line its column prints in any table of the same shape. A 통계목 name is one word.
Whatever cannot be rebuilt with confidence raises `Unbuildable` with the reason; the
caller sets the table's lines aside.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from statistics import median
from typing import Optional

import regex as re

from ..domain.codes import CODE_BEGUN as _CODE_START, CODE_CHARS as _CODE_PIECE, CODE_GROUP as _CODE_GROUP, CODE_WHOLE as _CODE_WHOLE
from ..domain.figures import DASH as _DASH, FIGURE as AMOUNT, FIGURE_MARK as _FIGURE_MARK, FIGURE_WHOLE as COMPLETE, UNIT_LINE
from ..domain.glyphs import HIGH, LOW, SPACE_WIDTH, glyph_width, text_width
from ..domain.headers import COLUMN_RANK as _RANK, GROUP_ROLES as _GROUP_ROLES, HEADER_WORDS, MONEY_ROLES, column_role, is_group as _is_group, is_header_piece, is_header_term, is_total_label
from ..ir import Cell, Loc, Table
from ..settings import DEFAULT_SETTINGS, LayoutSettings
from ..textutil import collapse, squash
from .wraps import LineBreak, Wrapped

_HANGUL = re.compile(r"[가-힣]")
# Units of the measure wraps.py decides in: a tenth of an em (its tolerances are in points
# or columns, about a tenth of a character).
EM = 10.0


class Unbuildable(Exception):
    pass


# ---------------------------------------------------------------- widths
def width(s: str, high: bool = False) -> float:
    """A text's printed width in ems, at the low or high end of the glyph-width model."""
    return text_width(s, HIGH if high else LOW)


# ---------------------------------------------------------------- words on a line
@dataclass
class Word:
    text: str
    x0: int
    x1: int  # exclusive


def chunks(words: list) -> list[list]:
    """Words a single space apart belong together (one cell's words); two or more spaces
    separate columns."""
    out: list[list] = []
    for w in words:
        if out and w.x0 - out[-1][-1].x1 <= 1:
            out[-1].append(w)
        else:
            out.append([w])
    return out


@lru_cache(maxsize=16384)
def is_amount(s: str) -> bool:
    return bool(AMOUNT.match(s))


# ---------------------------------------------------------------- the header
def _overlap(a, b) -> float:
    return min(a[2], b[2]) - max(a[1], b[1])


def header_terms(words: list) -> int:
    """How many header terms a line's words print."""
    n = 0
    for chunk in chunks(words):
        text = " ".join(w.text for w in chunk)
        if is_header_term(text):
            n += 1
        elif len(chunk) > 1:
            n += sum(1 for w in chunk if is_header_term(w.text))
    return n


def header_piece_line(ln) -> bool:
    """Every word on the line is a header word or a piece of one, and the line is not a
    table's unit notice."""
    if UNIT_LINE.match(ln.text):
        return False
    return all(
        is_header_piece(" ".join(w.text for w in c)) or all(is_header_piece(w.text) for w in c)
        for c in chunks(ln.spans("char"))
    )


@dataclass
class Leaf:
    """A header cell that names one column: its fragments top to bottom."""

    frags: list  # (header line index, x0, x1, text)
    text: str = ""
    role: Optional[str] = None

    @property
    def x0(self) -> float:
        return min(f[1] for f in self.frags)

    @property
    def x1(self) -> float:
        return max(f[2] for f in self.frags)

    @property
    def top(self) -> int:
        return self.frags[0][0]

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass
class Parent:
    text: str
    first: int  # leaf indices covered
    last: int
    top: int


@dataclass
class Header:
    leaves: list
    parents: list
    n_text: int
    n_money: int
    page: Optional[int] = None  # the page whose frame the header's places are in, if not its first line's

    @property
    def roles(self) -> list:
        return [lf.role for lf in self.leaves]


def header_of(lines: list, metric: str, settings: LayoutSettings = DEFAULT_SETTINGS.layout) -> Header:
    """Header lines → the header's cells. Raises Unbuildable when it names no figure
    columns at its right."""
    pages = sorted({ln.page for ln in lines})
    if len(pages) == 2:
        # A header the page cut: put together by what its parts name; else (its last
        # line alone on the next page, say) stacked where its words stand, the next page
        # read as one without the header.
        try:
            return _cut_header(lines, metric, pages, settings)
        except Unbuildable:
            pass
    leaves, groups = _stacked(lines, range(len(lines)), metric)
    return _header(leaves, groups)


def _stacked(lines: list, hs, metric: str) -> tuple[list, list]:
    """Header lines `hs` (indices into `lines`) → their cells (leaves, by centre) and group
    words (h, x0, x1, text)."""
    return _stack(_frags(lines, hs, metric))


def _frags(lines: list, hs, metric: str) -> list:
    """The words of header lines `hs` as (h, x0, x1, text) fragments of cells."""
    frags = []  # (h, x0, x1, text)
    for h in hs:
        ln = lines[h]
        for c in chunks(ln.spans(metric)):
            text = " ".join(w.text for w in c)
            if len(c) > 1 and not is_header_term(text) and all(is_header_term(w.text) for w in c):
                frags += [(h, w.x0, w.x1, w.text) for w in c]
            else:
                frags.append((h, c[0].x0, c[-1].x1, text))
    return frags


def _stack(frags: list) -> tuple[list, list]:
    """Header fragments → cells (leaves, by centre) and group words (h, x0, x1, text)."""
    # Stack fragments wrapped over several lines (each under the nearest fragment above
    # that it overlaps horizontally) into cells; a group word spans cells, so what is
    # under it is theirs, and a header word that would change what the cell above names
    # is a cell of its own (`전용 후` / `예산현액` is one cell, `예산현액` / `통계목` two).
    stacks: list[list] = []
    for f in sorted(frags, key=lambda f: (f[0], f[1])):
        home = None
        for st in stacks:
            last = st[-1]
            if last[0] >= f[0] or f[1] > last[2] or last[1] > f[2]:
                continue
            if home is None or last[0] > home[-1][0] or (last[0] == home[-1][0] and _overlap(last, f) > _overlap(home[-1], f)):
                home = st
        if home is not None:
            joined = "".join(squash(x[3]) for x in home)
            if _is_group(joined) and not _is_group(joined + squash(f[3])):
                home = None
            elif column_role(joined) and column_role(f[3]) and column_role(joined + squash(f[3])) != column_role(joined):
                home = None  # a header word of its own under another cell's (`예산현액` / `통계목`)
        if home is None:
            stacks.append([f])
        else:
            home.append(f)
    leaves, groups = [], []
    for st in stacks:
        text = st[0][3]
        for prev, f in zip(st, st[1:]):
            a, b = prev[3], f[3]
            text += ("" if a[-1:].isalpha() and b[:1].isalpha() and " " not in a else " ") + b
        text = collapse(text)
        if _is_group(text):
            groups.append((st[0][0], st[0][1], st[0][2], text))
            continue
        leaf = Leaf(list(st), text, column_role(text))
        leaves.append(leaf)
    leaves.sort(key=lambda lf: lf.center)
    return leaves, groups


def _cut_header(lines: list, metric: str, pages: list, settings: LayoutSettings) -> Header:
    """A header the page cut (see `_cut_header_anchored`, then `_cut_header_aligned`)."""
    try:
        return _cut_header_anchored(lines, metric, pages, settings)
    except Unbuildable:
        return _cut_header_aligned(lines, metric, pages, settings)


def _join_cell(a: str, b: str) -> str:
    """A cell's text over two of its lines (`정책사` / `업`, `전용 후` / `예산액`)."""
    return collapse(a + ("" if a[-1:].isalpha() and b[:1].isalpha() and " " not in a else " ") + b)


def _cut_header_aligned(lines: list, metric: str, pages: list, settings: LayoutSettings) -> Header:
    """A header the page cut, put together by order alone when where its parts stand
    cannot (pdftotext packed the second page afresh, and the first part has no group word
    over columns of the second, or too few to place it): the columns read left to right
    in both parts; each column is the first part's cell, the second's, or the first's
    going on in the second (a cell the page cut: `정책사` / `업`, `예산` / `현액`, `전용` /
    `후 예산액`: only where the first part alone names no column, or the same one); a
    group word of the first part stands over the second part's next columns of its kind.
    Every column must be named, in the budget classification's order; the reading must be
    the only one. The first part's columns alone are placed in the second page's frame
    between the columns placed on both."""
    first = [h for h, ln in enumerate(lines) if ln.page == pages[0]]
    rest = [h for h, ln in enumerate(lines) if ln.page == pages[1]]
    top, top_groups = _stacked(lines, first, metric)
    leaves, groups = _stacked(lines, rest, metric)
    items = sorted([("leaf", lf, (lf.x0 + lf.x1) / 2) for lf in top] + [("group", g, (g[1] + g[2]) / 2) for g in top_groups],
                   key=lambda it: it[2])
    readings: list = []

    def extend(i: int, j: int, cols: list, last: int) -> None:
        if len(readings) > settings.max_header_readings:
            return  # too many readings to choose from
        if i == len(items) and j == len(leaves):
            readings.append(list(cols))
            return
        options = []  # (columns taken, next i, next j)
        group_next = i < len(items) and items[i][0] == "group"
        if j < len(leaves) and leaves[j].role and not (
            group_next and leaves[j].role in _GROUP_ROLES.get(squash(items[i][1][3]), ())
        ):  # (a column of the next group word's kind is under it)
            options.append(([(None, leaves[j], None)], i, j + 1))
        if i < len(items):
            kind, it, _ = items[i]
            if kind == "group":
                kinds = _GROUP_ROLES.get(squash(it[3]), ())
                k = j
                while k < len(leaves) and leaves[k].role in kinds:
                    k += 1
                if k > j:
                    options.append(([(None, lf, it) for lf in leaves[j:k]], i + 1, k))
                if any(lf.role in kinds for lf in top):
                    options.append(([], i + 1, j))  # its columns are printed under it, on the first page
            else:
                if it.role:
                    options.append(([(it, None, None)], i + 1, j))
                if j < len(leaves):
                    joined = _join_cell(it.text, leaves[j].text)
                    role = column_role(joined)
                    if role and it.role in (None, role) and squash(joined) in HEADER_WORDS:
                        options.append(([(it, leaves[j], None)], i + 1, j + 1))
        named = {_column_role(c) for c in cols} - {"stat"}
        for taken, ni, nj in options:
            if not taken:
                extend(ni, nj, cols, last)
                continue
            roles = [_column_role(c) for c in taken]
            ranks = [_RANK.get(r) for r in roles]
            if None in ranks or ranks[0] < last or ranks != sorted(ranks) or named & set(roles):
                continue  # out of order, or a column named twice
            extend(ni, nj, cols + taken, ranks[-1])

    extend(0, 0, [], -1)
    cols = _nearest_reading(readings, settings)
    # Places in the second page's frame: known where a column has a part there; the first
    # part's columns alone between them, as they stood between them on the first page.
    known = [(f.center, s.center) for f, s, _ in cols if f is not None and s is not None]
    known += [((g[1] + g[2]) / 2, (min(s.x0 for ff, s, gg in cols if gg is g) + max(s.x1 for ff, s, gg in cols if gg is g)) / 2)
              for g in {id(g): g for _, _, g in cols if g is not None}.values()]
    known.sort()
    if not known:
        raise Unbuildable("the header's columns are out of order: the page cut it and its parts cannot be put together")

    def place(x: float) -> float:
        lo = [k for k in known if k[0] <= x]
        hi = [k for k in known if k[0] > x]
        if lo and hi and hi[0][0] - lo[-1][0] > 1:
            (a0, b0), (a1, b1) = lo[-1], hi[0]
            return b0 + (x - a0) * (b1 - b0) / (a1 - a0)
        a, b = lo[-1] if lo else hi[0]
        return b + (x - a)

    merged, placed_groups = [], {}
    for f, s_leaf, g in cols:
        if f is None:
            merged.append(s_leaf)
        elif s_leaf is None:
            dx = place(f.center) - f.center
            merged.append(Leaf([(h, x0 + dx, x1 + dx, t) for h, x0, x1, t in f.frags], f.text, f.role))
        else:
            text = _join_cell(f.text, s_leaf.text)
            merged.append(Leaf([(h, s_leaf.x0, s_leaf.x1, t) for h, _, _, t in f.frags] + list(s_leaf.frags), text, column_role(text)))
        if g is not None:
            placed_groups[id(g)] = (g[0], min(placed_groups.get(id(g), (0, s_leaf.x0))[1], s_leaf.x0),
                                    max(placed_groups.get(id(g), (0, 0, s_leaf.x1))[2], s_leaf.x1), g[3])
    all_groups = list(placed_groups.values()) + groups
    header = _header(merged, all_groups, placed=frozenset((h, t) for h, _, _, t in placed_groups.values()))
    header.page = pages[1]
    return header


def _nearest_reading(readings: list, settings: LayoutSettings = DEFAULT_SETTINGS.layout) -> list:
    """The one reading of a cut header, or of several the one whose cells' two parts stand
    clearly nearest each other (`증` / `액` and `전용후예산` / `액` both name columns; the
    `액` stands over the last): pdftotext packs the second page afresh, but not so far off
    that a part strays nearer another column by more than `settings.nearer_by`."""
    if not readings or len(readings) > settings.max_header_readings:
        raise Unbuildable("the header's columns are out of order: the page cut it and its parts cannot be put together")
    if len(readings) == 1:
        return readings[0]
    cost = sorted((sum(abs(f.center - s.center) for f, s, _ in cols if f is not None and s is not None), k)
                  for k, cols in enumerate(readings))
    if cost[1][0] - cost[0][0] < settings.nearer_by:
        raise Unbuildable("the header's columns are out of order: the page cut it and its parts cannot be put together")
    return readings[cost[0][1]]


def _column_role(col: tuple) -> Optional[str]:
    """The role of an aligned column (first part's cell, second's, group word)."""
    f, s, _ = col
    if f is None:
        return s.role
    if s is None:
        return f.role
    return column_role(_join_cell(f.text, s.text))


def _cut_header_anchored(lines: list, metric: str, pages: list, settings: LayoutSettings) -> Header:
    """A header the page cut: its lines on one page, the rest (over the body) on the next,
    which pdftotext packed afresh, so that where the first part's words stand says nothing
    of the second's columns. The parts are put together by what they name: the first
    part's group words (`예산과목`, `증감`) stand over the second part's columns of their
    kind, which places the first part's own columns (`부서`, `정책사업`) in the second's
    frame; the columns must then read in the budget classification's order."""
    first = [h for h, ln in enumerate(lines) if ln.page == pages[0]]
    rest = [h for h, ln in enumerate(lines) if ln.page == pages[1]]
    top, top_groups = _stacked(lines, first, metric)
    leaves, groups = _stacked(lines, rest, metric)
    # Anchors: a group word of the first part ↔ the second part's columns it groups.
    anchors = []
    for h, x0, x1, text in top_groups:
        kinds = _GROUP_ROLES.get(squash(text), ())
        under = [lf for lf in leaves if lf.role in kinds]
        if under:
            anchors.append(((x0 + x1) / 2, (min(lf.x0 for lf in under) + max(lf.x1 for lf in under)) / 2, h, under, text))
    if not anchors:
        raise Unbuildable("the header's columns are out of order: the page cut it and its parts cannot be put together")
    if len(anchors) >= 2 and anchors[-1][0] - anchors[0][0] > 1:
        scale = (anchors[-1][1] - anchors[0][1]) / (anchors[-1][0] - anchors[0][0])
    else:
        scale = 1.0
    shift = anchors[0][1] - scale * anchors[0][0]
    # The first part's words in the second page's frame (its group words over their
    # columns), stacked with the second part's: a cell the page cut (`예산` / `액`) is one.
    group_at = {h_x: (x0, x1) for (_, _, h, under, text) in anchors
                for h_x, x0, x1 in [((h, text), min(lf.x0 for lf in under), max(lf.x1 for lf in under))]}
    moved = []
    for h, x0, x1, t in _frags(lines, first, metric):
        if (h, t) in group_at:
            moved.append((h, *group_at[h, t], t))
            continue
        x0, x1 = scale * x0 + shift, scale * x1 + shift
        # The rest of a cell the page cut (`예산` / `액`, `전용` / `후 예산액`): the nearest
        # cell of the second part that, read after it, names the same column or one.
        near = min(leaves, key=lambda lf: abs(lf.center - (x0 + x1) / 2))
        role = column_role(t + near.text)
        if role and near.role in (None, role) and abs(near.center - (x0 + x1) / 2) <= settings.anchor_reach * width(t):
            x0, x1 = near.x0, near.x1
        moved.append((h, x0, x1, t))
    merged, all_groups = _stack(moved + _frags(lines, rest, metric))
    first_h = set(first)
    for lf in merged:
        hs = {f[0] in first_h for f in lf.frags}
        if len(hs) == 2 and squash(lf.text) not in HEADER_WORDS:
            # A cell of both parts must spell a header word (`예산` / `액`), not two
            # (`정책사업` moved over `단위사업`).
            raise Unbuildable(f"the header's columns are out of order: {lf.text!r} is no header cell")
    ranks = [_RANK.get(lf.role) for lf in merged]
    if None in ranks or ranks != sorted(ranks):
        raise Unbuildable(f"the header's columns are out of order: {' | '.join(lf.text for lf in merged)}")
    header = _header(merged, all_groups, placed=frozenset(group_at))
    header.page = pages[1]
    return header


def _header(leaves: list, groups: list, placed: frozenset = frozenset()) -> Header:
    """The header of these cells and group words; checks what it names. A group word
    (h, text) in `placed` stands over exactly the columns it groups (a header the page
    cut, whose group words were placed over their columns), not centred over a span that
    the cells beside it on its line bound."""
    parents = []
    for h, x0, x1, text in groups:
        if (h, text) in placed:
            covered = [k for k, lf in enumerate(leaves) if x0 <= lf.center <= x1]
            if covered:
                parents.append(Parent(text, covered[0], covered[-1], h))
            continue
        left = right = None
        for k, lf in enumerate(leaves):
            if lf.top <= h:
                if lf.center < x0:
                    left = k
                elif lf.center >= x1 and right is None:
                    right = k
        lo = 0 if left is None else left + 1
        hi = len(leaves) - 1 if right is None else right - 1
        covered = [k for k in range(lo, hi + 1) if leaves[k].top > h]
        if covered:
            parents.append(Parent(text, covered[0], covered[-1], h))
    roles = [lf.role for lf in leaves]
    n_money = 0
    for r in reversed(roles):
        if r not in MONEY_ROLES:
            break
        n_money += 1
    if n_money < 2 or sum(1 for r in roles if r in MONEY_ROLES) != n_money:
        raise Unbuildable(f"the header names no figure columns at its right: {' | '.join(lf.text for lf in leaves)}")
    named = [r for r in roles if r and r != "stat"]  # 통계목 may be printed over two columns, code and name
    if len(set(named)) != len(named):
        raise Unbuildable(f"the header names a column twice: {' | '.join(lf.text for lf in leaves)}")
    ranks = [_RANK[r] for r in roles if r in _RANK]
    if ranks != sorted(ranks):
        # The budget classification reads from the department down to the 통계목, then the
        # budget, its changes and the result: a header read in another order was misread
        # (a header the page cut, whose parts the converter placed apart).
        raise Unbuildable(f"the header's columns are out of order: {' | '.join(lf.text for lf in leaves)}")
    n_text = len(leaves) - n_money
    if n_text < 1:
        raise Unbuildable("the header names no text columns")
    return Header(leaves, parents, n_text, n_money)


# ---------------------------------------------------------------- columns of one page
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


# ---------------------------------------------------------------- the table
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

    # -- layout
    def place(self) -> None:
        lines, metric = self.lines, self.metric
        self.header = header_of([lines[i] for i in self.header_idx], metric, self.settings)
        n_text, n_money = self.header.n_text, self.header.n_money
        self.n_text, self.n_money = n_text, n_money
        self.n_cols = n_text + n_money
        self.stat_col = next((c for c, r in enumerate(self.header.roles[:n_text]) if r in ("stat", "stat_code")), None)
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
                    prev = self._header_columns(header)
                continue
            body_lines = [ln for _, ln in seg.body]
            totals = {p for p, ln in enumerate(body_lines) if self._total_label(ln)}
            if seg.header:
                columns = self._header_columns(header)
                placed, labels = place_words(body_lines, metric, columns, totals, self.settings)
            else:
                if prev is None:
                    raise Unbuildable(f"page {seg.page} has nothing to place its columns by")
                columns = self._moved(prev, body_lines)
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
            prev = self._extent(placed, columns)
        self.cells = [self._texts(cells) for cells in self.words]
        self._rows()
        for k, label in self.labels.items():
            for col, w in label:
                self.words[k].setdefault(0 if k == self.total_start else col, []).append(w)
        self.cells = [self._texts(cells) for cells in self.words]
        self.spans = [{c: (min(w.x0 for w in ws), max(w.x1 for w in ws)) for c, ws in cells.items()} for cells in self.words]

    @staticmethod
    def _texts(cells: dict) -> dict:
        return {c: " ".join(w.text for w in sorted(ws, key=lambda w: w.x0)) for c, ws in cells.items()}

    def _total_label(self, ln) -> bool:
        """The line's words but its figures read as a total row's label (`총 계`, `계`)."""
        label = [w.text for w in ln.spans(self.metric) if not is_amount(w.text)]
        return bool(label) and is_total_label(" ".join(label))

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
        return bool(words) and not any(is_amount(w.text) or _CODE_START.match(w.text) for w in words) and not self._total_label(ln)

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
            if not words or self._total_label(ln) or any(_CODE_START.match(w.text) for w in words):
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

    def _header_columns(self, header: Header) -> Columns:
        return Columns(self.n_text, [lf.center for lf in header.leaves], None, self.stat_col)

    def _extent(self, placed, columns: Columns) -> Columns:
        """Where each column stood on a page: the centre of its words, where its figures
        end."""
        centers, rights = list(columns.centers), {}
        for c in range(self.n_cols):
            xs = [(ws[0].x0, ws[-1].x1) for cells in placed for col, ws in cells.items() if col == c]
            if xs:
                centers[c] = median((x0 + x1) / 2 for x0, x1 in xs)
                if c >= self.n_text:
                    rights[c] = median(x1 for _, x1 in xs)
        out = Columns(self.n_text, centers, rights, self.stat_col)
        codes = [(w.x0 + w.x1) / 2 for cells in placed for w in cells.get(self.stat_col, ()) if _CODE_WHOLE.match(w.text)]
        out.codes = median(codes) if codes else None
        return out

    def _moved(self, prev: Columns, body_lines) -> Columns:
        """The previous page's columns moved onto this page (pdftotext packs each page's
        columns afresh, figures and text apart, and not every text column alike): the
        figure columns by where this page's lines of figures end; a text column either
        stays or moves as the 통계목 codes moved, whichever is nearer."""
        ends: dict = {}
        codes = []
        for ln in body_lines:
            words = ln.spans(self.metric)
            run = _trailing_figures(words)
            if len(run) >= self.n_money and not self._total_label(ln):
                for k, w in enumerate(run[-self.n_money:]):
                    ends.setdefault(self.n_text + k, []).append(w.x1)
            codes += [(w.x0 + w.x1) / 2 for w in words if _CODE_WHOLE.match(w.text)]
        shifts = [median(v) - prev.rights[c] for c, v in ends.items() if c in prev.rights]
        money_shift = median(shifts) if shifts else 0.0
        text_shift = 0.0
        if codes and prev.codes is not None:
            text_shift = median(codes) - prev.codes
        centers = [c if k < self.n_text else c + money_shift for k, c in enumerate(prev.centers)]
        rights = {c: x + money_shift for c, x in prev.rights.items()}
        out = Columns(self.n_text, centers, rights, self.stat_col)
        out.moved = [c + text_shift for c in prev.centers[: self.n_text]]
        out.figures_moved_by_measure = bool(shifts)
        return out

    # -- rows
    def _rows(self) -> None:
        """Row starts: a 통계목 code starting (not going on), the total row's label; or, in
        a table printing no code, new figures."""
        n = len(self.cells)
        if not n:
            raise Unbuildable("the table has no rows")
        starts: list[int] = []
        total_at = None
        codes = self.stat_col is not None and any(
            _CODE_START.match(c.get(self.stat_col, "")) or _CODE_GROUP.match(c.get(self.stat_col, "")) for c in self.cells
        )
        code = None  # a code cut by a wrap, as far as printed: the next line may go on with it
        for k in range(n):
            cells = self.cells[k]
            if total_at is not None:
                continue
            if k in self.labels and self._opens_total(k, starts, codes):
                starts.append(k)
                total_at = k
                continue
            if not codes:
                if self._new_figures(k, starts):
                    starts.append(k)
                continue
            words = cells.get(self.stat_col, "").split()
            first = words[0] if words else ""
            if code is not None and first and _CODE_PIECE.match(first):
                first = code + first  # `110-202-0` / `1 국내여비`
            elif _CODE_START.match(first) or (
                len(words) == 1 and _CODE_GROUP.match(first)
                and k + 1 < n and self.cells[k + 1].get(self.stat_col, "").startswith("-")  # `307` / `-02`
            ):
                starts.append(k)
            code = first if len(words) == 1 and _CODE_PIECE.match(first) and not _CODE_WHOLE.match(first) else None
        if not starts or starts[0] != 0:
            raise Unbuildable("the first row prints text above its figures (cells not top-aligned)")
        self.row_starts = starts
        self.total_row = len(starts) - 1 if total_at is not None else None
        self.total_start = total_at

    def _opens_total(self, k: int, starts: list, codes: bool) -> bool:
        """A line labelled as a total opens the total row when it prints no code and new
        figures in all the figure columns but one at most (a name's last syllable `계`
        beside a figure's wrapped piece does not)."""
        if codes and self.cells[k].get(self.stat_col):
            return False
        money = [c for c in self.cells[k] if c >= self.n_text]
        return len(money) >= max(1, self.n_money - 1) and self._new_figures(k, starts, strict=True)

    def _new_figures(self, k: int, starts: list, strict: bool = False) -> bool:
        """Line k starts new figures: not all of them go on with figures cut short above
        (`strict`: none does)."""
        money = {c: t for c, t in self.cells[k].items() if c >= self.n_text}
        if not money:
            return False
        if not starts:
            return True
        acc: dict = {}
        for j in range(starts[-1], k):
            for c, t in self.cells[j].items():
                if c >= self.n_text:
                    acc[c] = acc.get(c, "") + t
        goes_on = [c in acc and not COMPLETE.match(acc[c]) and t[0].isdigit() for c, t in money.items()]
        return not any(goes_on) if strict else not all(goes_on)

    # -- the grid
    def table(self, widths: dict) -> Table:
        """The grid; text cells carry their lines (`text_cells`) until the document's line
        breaks are decided. `widths`: the widest line per column shape, over the document.
        Raises Unbuildable."""
        lines = self.lines
        n_text, n_cols = self.n_text, self.n_cols
        starts = self.row_starts
        ends = starts[1:] + [len(self.cells)]
        head = self._header_rows()
        n_head = len(head)
        rows: list[list[Cell]] = []
        for r, (s, e) in enumerate(zip(starts, ends)):
            ln = self.body[s][1]
            rows.append([Cell("", self._loc(ln, n_head + r + 1, c + 1)) for c in range(n_cols)])
        self._figures(rows, starts, ends, n_head)
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

    def _figures(self, rows, starts, ends, n_head) -> None:
        """Each money cell: its pieces joined, every piece but the last filling its line
        (the widest piece of the column, within a digit), the whole a figure."""
        widest: dict = {}
        for cells in self.cells:
            for c, t in cells.items():
                if c >= self.n_text:
                    widest[c] = max(widest.get(c, 0.0), width(t))
        for r, (s, e) in enumerate(zip(starts, ends)):
            for c in range(self.n_text, self.n_cols):
                pieces = [(k, self.cells[k][c]) for k in range(s, e) if c in self.cells[k]]
                if not pieces:
                    continue
                no = self.body[pieces[0][0]][1].no
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
                    if any(width(t, True) < widest[c] - self.settings.widest_line_slack for _, t in pieces[:-1]):
                        raise Unbuildable(f"line {no}: a figure cut by a wrap could not be rejoined ({text!r})")
                    if any(_DASH.match(t) for _, t in pieces):
                        raise Unbuildable(f"line {no}: {text!r} in a figure column")
                ln = self.body[s][1]
                rows[r][c] = Cell(text, self._loc(ln, n_head + r + 1, c + 1))

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
          * Otherwise the text cannot tell a name that runs on from a new one: maybe."""
        last_name = (self.stat_col if self.stat_col is not None else self.n_text) - 1
        if c > last_name or self.repeated:
            return None
        s = self.row_starts[r]
        if c < last_name and (r, c + 1) not in self.new_at and not self._drawn_away(r, c + 1, last_name):
            return "yes"
        word = cand[0].text.split()[0]
        if width(above.pieces[-1].text, True) + SPACE_WIDTH[HIGH] + width(word, True) <= widths.get(self.shape(c), 0.0):
            return None
        # In a column a syllable wide every line is one: there the new text's lines going on
        # past its row (a name merged over rows) show whether it is a name of one syllable.
        one_wide = widths.get(self.shape(c), 0.0) < self.settings.narrow_column
        new_text = self._going_on(c, cand) if one_wide else "".join(p.text for p in cand)
        if _one_syllable(new_text) or _one_syllable("".join(p.text for p in above.pieces)):
            return "yes"  # no name is one syllable: it is the rest of the name above
        return "maybe"

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

    def _header_rows(self) -> list[list[Cell]]:
        leaves, parents = self.header.leaves, self.header.parents
        first = self.lines[self.header_idx[0]]
        header_lines = [self.lines[i] for i in self.header_idx]

        def loc(r, c, h):
            ln = header_lines[h]
            return Loc(page=ln.page, line=ln.no, cell=(self.table_no, r, c + 1))

        if not parents:
            return [[Cell(lf.text, loc(1, c, lf.top)) for c, lf in enumerate(leaves)]]
        under = {}
        for p in parents:
            for k in range(p.first, p.last + 1):
                under[k] = p
        top, bottom = [], []
        for c, lf in enumerate(leaves):
            p = under.get(c)
            if p is None:
                top.append(Cell(lf.text, loc(1, c, lf.top)))
                bottom.append(Cell("", loc(2, c, lf.top), merged=True))
            else:
                top.append(Cell(p.text if c == p.first else "", loc(1, c, p.top), merged=c != p.first))
                bottom.append(Cell(lf.text, loc(2, c, lf.top)))
        del first
        return [top, bottom]


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


def _stat_name_joined(pieces: list) -> list:
    """A 통계목 cell's lines with every break inside its name joined: the budget
    classification's names are single words (`민간행사사업보조`, `자산및물품취득비`), so a
    break between two Hangul syllables after the code is inside the word (`01 사무관` /
    `리비`), whatever the line's width says."""
    out = [pieces[0]]
    for piece in pieces[1:]:
        if _HANGUL.match(out[-1][-1]) and _HANGUL.match(piece[0]) and any(ch.isdigit() for ch in "".join(out)):
            out[-1] += piece
        else:
            out.append(piece)
    return out


def _one_syllable(text: str) -> bool:
    t = squash(text)
    return len(t) == 1 and "가" <= t <= "힣"


def _runs(pieces: list) -> list[list]:
    """Pieces on consecutive body lines grouped together."""
    out: list[list] = []
    for p in pieces:
        if out and p.k == out[-1][-1].k + 1:
            out[-1].append(p)
        else:
            out.append([p])
    return out


def _break(before: str, after: str, cell_width: float) -> LineBreak:
    """The facts of a line break inside a cell, in tenths of an em: the room the line left
    in a cell at least `cell_width` wide (the line's width estimated high, so that room
    is never overstated)."""
    room = max(0.0, cell_width - width(before, True)) * EM
    return LineBreak(
        before=before,
        after=after,
        room=room,
        next_w=glyph_width(after[0], LOW) * EM if after else 0.0,
        size=EM,
        align="other",
        bounds=True,
    )

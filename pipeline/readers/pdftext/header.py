"""The header of a table in layout text → its columns (`header_of`); a header the page cut, put together."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from ...domain.headers import COLUMN_RANK as _RANK, GROUP_ROLES as _GROUP_ROLES, HEADER_WORDS, MONEY_ROLES, column_role, is_group as _is_group, is_header_term
from ...ir import Cell, Loc
from ...settings import DEFAULT_SETTINGS, LayoutSettings
from ...textutil import collapse, squash

from .words import Unbuildable, _overlap, chunks, width


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


def header_rows(header: "Header", header_lines: list, table_no: int) -> list[list[Cell]]:
    """The header's cells as the table's first rows: one row of column words, or two when
    group words stand over some of them (their cells merged across the group's columns)."""
    leaves, parents = header.leaves, header.parents

    def loc(r, c, h):
        ln = header_lines[h]
        return Loc(page=ln.page, line=ln.no, cell=(table_no, r, c + 1))

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
    return [top, bottom]

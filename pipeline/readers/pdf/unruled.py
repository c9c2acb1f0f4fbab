"""Tables drawn without vertical rules (pdfplumber's "text" strategy, camelot's stream
parser): the edges a ruled table would have, rebuilt from text alignment, for the ruled
finder (tables.py) and everything after it to use unchanged.

Where a page prints horizontal rules of one extent (rules between rows, or booktabs: above
the table, under its header, below it) and no vertical rule inside them, the text between
them is read in stages, each a function over plain values:

1. regions: runs of two or more rules sharing the table's left or right end, with nothing
   ruled across them (find_regions); a stretch between two rules where no line prints in
   `unruled_min_columns` columns parts the run into two tables (rebuild_all);
2. columns: the x-stretches at least `unruled_column_gap` ems wide that every row printing
   the most runs leaves blank (camelot's columns from gaps; the header's words and a
   total's label may span columns), placed where a rule drawn inside the table ends, or
   in the middle of what no row covers (_columns);
3. bands: the stretches between two rules, cut again where every column printing text on
   both sides leaves a blank taller, by `unruled_row_gap` ems, than a cell's own line
   spacing (_bands: a booktabs body prints no rule between rows);
4. edges: each column gap gives a vertical edge in every band no run of words crosses
   (where one does, or a rule under a header group spans it, the cells are merged, as a
   ruled merge is), the region's two sides, and a horizontal edge at every cut; the ruled
   finder then finds the cells (rebuild).

A region whose columns or rows cannot be told apart is not rebuilt (its text stays lines,
set aside by the parser): a figure crossing a column gap or sharing its column with another
run, two whole figures stacked in one cell, fewer than `unruled_min_columns` columns, rows
going on past the last rule or before the first where they cannot be followed (reader.py
also undoes a part whose other side of a page break was not rebuilt).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional


from ...domain.figures import CELL_FIGURE, FIGURE_RUN
from ...settings import PdfSettings
from .lines import is_space
from .tables import merge_edges



@dataclass(frozen=True)
class Region:
    """A table's outline found from its rules: x0 … x1, the y of each rule that reaches a
    side of it, top down, and every rule drawn inside it as (y, x0, x1) (a rule stopping
    short of a cell that spans rows, a rule under a header group)."""

    x0: float
    x1: float
    rules: tuple
    drawn: tuple = ()

    def part(self, rules: tuple) -> "Region":
        return Region(self.x0, self.x1, rules, tuple(d for d in self.drawn if rules[0] - 1 <= d[0] <= rules[-1] + 1))


@dataclass
class UnruledTable:
    """The edges rebuilt for one region, and whether rows go on over the page."""

    edges: list
    bbox: tuple
    open_below: bool = False
    open_above: bool = False


# ---------------------------------------------------------------- 1. regions
def find_regions(edges: list[dict], ps: PdfSettings) -> list[Region]:
    """Runs of horizontal rules sharing a side (the table's left or right end) with no
    vertical rule between them."""
    tol, reach = ps.rule_merge, ps.side_reach
    h = sorted((e for e in merge_edges([e for e in edges if e["orientation"] == "h"], ps.snap_tolerance, ps.join_tolerance)
                if e["x1"] - e["x0"] > ps.side_rule_min), key=lambda e: (e["top"], e["x0"]))
    v = [e for e in edges if e["orientation"] == "v" and e["bottom"] - e["top"] > ps.rule_min]
    groups: list[list] = []  # [x0, x1, [rules]]
    for e in h:
        for g in groups:
            if (abs(e["x0"] - g[0]) <= reach or abs(e["x1"] - g[1]) <= reach) and e["x0"] < g[1] and e["x1"] > g[0]:
                g[0], g[1] = min(g[0], e["x0"]), max(g[1], e["x1"])
                g[2].append(e)
                break
        else:
            groups.append([e["x0"], e["x1"], [e]])
    tables = [g for g in groups if len({round(e["top"] / tol) for e in g[2]}) >= 2]
    out = []
    for x0, x1, rules in tables:
        ys: list[float] = []
        for e in rules:
            if not ys or e["top"] - ys[-1] > tol:
                ys.append(e["top"])
        drawn = tuple((e["top"], e["x0"], e["x1"]) for e in h if x0 - reach <= e["x0"] and e["x1"] <= x1 + reach
                      and ys[0] - tol <= e["top"] <= ys[-1] + tol)
        # Another table's rules between two of these end the run.
        others = sorted(e["top"] for g in tables if g[2] is not rules for e in g[2] if e["x0"] < x1 and e["x1"] > x0)
        run = [ys[0]]
        for y in ys[1:]:
            if any(run[-1] < o < y for o in others):
                if len(run) >= 2:
                    out.append(Region(x0, x1, tuple(run), drawn).part(tuple(run)))
                run = [y]
            else:
                run.append(y)
        if len(run) >= 2:
            out.append(Region(x0, x1, tuple(run), drawn).part(tuple(run)))
    # A ruled table (a vertical rule inside) is the lines strategy's.
    return [r for r in out if not any(r.x0 + reach < e["x0"] < r.x1 - reach
                                      and e["bottom"] > r.rules[0] + ps.rule_reach and e["top"] < r.rules[-1] - ps.rule_reach
                                      for e in v)]


# ---------------------------------------------------------------- glyphs into lines and runs
def _lines(chars: list[dict], ps: PdfSettings) -> list[list[dict]]:
    """Glyphs (no spaces) into printed lines: a glyph joins a line its middle falls in."""
    lines: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"])):
        mid = (c["top"] + c["bottom"]) / 2
        for ln in lines:
            if ln[0]["top"] - ps.baseline_shift <= mid <= ln[0]["bottom"] + ps.baseline_shift \
                    and abs(ln[0]["bottom"] - c["bottom"]) <= ln[0]["bottom"] - ln[0]["top"]:
                ln.append(c)
                break
        else:
            lines.append([c])
    return [sorted(ln, key=lambda c: c["x0"]) for ln in lines]


def _runs(line: list[dict], gap: float) -> list[tuple]:
    """A line's runs of glyphs closer than `gap`: (x0, x1, text)."""
    out: list[list] = []
    for c in line:
        if out and c["x0"] - out[-1][1] < gap:
            out[-1][1] = max(out[-1][1], c["x1"])
            out[-1][2] += c["text"]
        else:
            out.append([c["x0"], c["x1"], c["text"]])
    return [tuple(r) for r in out]


def _em(chars: list[dict]) -> float:
    heights = sorted(c["bottom"] - c["top"] for c in chars)
    return heights[len(heights) // 2]


# ---------------------------------------------------------------- 2. bands
def _line_spacing(lines: list[list[dict]]) -> Optional[float]:
    """The tightest blank between a glyph and one printed under it on a following line,
    between the same two rules (the lines next to each other, and the next but one)."""
    ordered = sorted(lines, key=_mid)
    best = None
    for i, upper in enumerate(ordered):
        for lower in ordered[i + 1:i + 3]:
            for c in upper:
                for d in lower:
                    blank = d["top"] - c["bottom"]
                    if 0 < blank and (best is None or blank < best) and c["x0"] < d["x1"] and d["x0"] < c["x1"]:
                        best = blank
    return best


def _bands(region_rules: tuple, lines: list[list[dict]], em: float, ps: PdfSettings,
           seps: Optional[list] = None, gap: float = 0.0) -> list[tuple]:
    """(top, bottom, split) stretches of rows: between two rules, cut again where the text
    leaves a blank taller, by `unruled_row_gap` ems, than the tightest blank between two
    lines printed one under the other (a cell's own line spacing: a booktabs body prints
    no rule between rows, and a row's cells stand clear of the next row's by their
    padding). split=True: an edge is drawn there. Where no two lines show a cell's line
    spacing, nothing is cut (every row gap alike tells nothing).

    Without columns (`seps` None) a cut is a blank across the whole table; with them, a
    blank in every column printing text both above and below it (a word centred over two
    rows, alone in its column, stands in no row's way: the header's 부서명 over its two
    rows)."""
    out = []
    bounds = list(zip(region_rules, region_rules[1:]))
    groups = [[ln for ln in lines if top < _mid(ln) < bottom] for top, bottom in bounds]
    spacings = [_line_spacing(g) for g in groups]
    tightest = min((x for x in spacings if x is not None), default=None)
    for (top, bottom), group in zip(bounds, groups):
        # The header (above the rule under it, where one is drawn) may hold a cell spanning
        # its rows whose text wraps: its lines stand across the cut and do not stop it.
        spanning = seps is not None and len(region_rules) >= 3 and top == region_rules[0]
        cuts = [] if tightest is None else _cuts(group, tightest + ps.unruled_row_gap * em, em, seps, gap, spanning)
        ys = [top] + cuts + [bottom]
        out += [(y0, y1, k > 0) for k, (y0, y1) in enumerate(zip(ys, ys[1:]))]
    return out


def _cuts(lines: list[list[dict]], least: float, em: float, seps: Optional[list], gap: float,
          spanning: bool = False) -> list[float]:
    """Where rows part between two rules: the middle of each blank taller than `least`."""
    if seps is None:
        spans = [(min(c["top"] for c in ln), max(c["bottom"] for c in ln)) for ln in lines]
        blanks, reach = [], None
        for a, b in sorted(spans):
            if reach is not None and a - reach > least:
                blanks.append((reach + a) / 2)
            reach = b if reach is None else max(reach, b)
        return blanks
    # Each column's boxes (top, bottom) of text, a run at a time.
    columns: dict[int, list] = {}
    for ln in lines:
        for a, b, _ in _runs(ln, gap):
            glyphs = [c for c in ln if a <= c["x0"] and c["x1"] <= b]
            col = _column(seps, a, b)
            columns.setdefault(col, []).append((min(c["top"] for c in glyphs), max(c["bottom"] for c in glyphs)))
    candidates = sorted({(b1 + t2) / 2 for boxes in columns.values() for (_, b1), (t2, _) in zip(sorted(boxes), sorted(boxes)[1:])
                         if t2 - b1 > least})
    cuts: list[float] = []
    for y in candidates:
        both = 0
        for boxes in columns.values():
            above = [b for t, b in boxes if b <= y]
            below = [t for t, b in boxes if t >= y]
            if any(t < y < b for t, b in boxes):
                if above or below:
                    break  # a line of a column that prints more lines stands across y
                continue  # alone in its column, across y: a cell spanning the rows
            if above and below:
                if min(below) - max(above) > least:
                    both += 1
                elif not spanning:
                    break
        else:
            if both and (not cuts or y - cuts[-1] > em):
                cuts.append(y)
    return cuts


# ---------------------------------------------------------------- 3. columns
def _stretches(runs: list, gap: float) -> list:
    """The x-stretches a row's runs cover, runs nearer than `gap` taken as one."""
    out: list = []
    for a, b, _ in sorted(runs):
        if out and a - out[-1][1] < gap:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return out


def _blank_middle(lo: float, hi: float, runs: list) -> float:
    """The middle of the widest stretch of lo … hi that no run of any row covers (a header
    word centred over its column may reach into the gap the body rows leave), or of the
    gap itself where every stretch is covered."""
    at, best = lo, None
    for a, b, _ in sorted(r for r in runs if r[1] > lo and r[0] < hi):
        if a > at and (best is None or a - at > best[1] - best[0]):
            best = (at, a)
        at = max(at, b)
    if at < hi and (best is None or hi - at > best[1] - best[0]):
        best = (at, hi)
    return (best[0] + best[1]) / 2 if best else (lo + hi) / 2


def _columns(x0: float, x1: float, rows: list[list[tuple]], header: int, gap: float, ps: PdfSettings,
             rule_ends: tuple = ()) -> Optional[list[float]]:
    """The x of each column gap: a stretch at least `gap` wide left blank by every row that
    prints the most runs below the first rule band (camelot's choice of the rows that
    define the columns; the header's words and a total's label may span columns), then
    checked against every row: a figure crossing a gap would be a guess (None)."""
    body = [r for r in rows[header:] if r]
    if len(body) < 1:
        return None
    # A row counts the stretches its runs cover side by side (a cell's wrapped lines stack
    # in one; a paragraph's lines stack in one or two): the rows with the most define.
    counts = [len(_stretches(r, gap)) for r in body]
    most = max(counts)
    defining = [r for r, n in zip(body, counts) if n >= max(2, most - 1)] or body
    covered = sorted((a, b) for r in defining for a, b, _ in r)
    gaps, at = [], covered[0][1] if covered else x1
    for a, b in covered:
        if a - at >= gap:
            # A rule drawn inside the table ending in the gap shows where the cells meet.
            ends = [x for x in rule_ends if at - ps.rule_reach <= x <= a + ps.rule_reach]
            gaps.append(ends[0] if ends else _blank_middle(at, a, [r for row in rows for r in row]))
        at = max(at, b)
    if len(gaps) + 1 < ps.unruled_min_columns:
        return None
    for r in rows:
        for a, b, text in r:
            if any(a < s < b for s in gaps) and FIGURE_RUN.match(text):
                return None
    return gaps


# ---------------------------------------------------------------- 4. edges
def _edge(x0, top, x1, bottom, orientation: str) -> dict:
    return {"object_type": "text_edge", "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "width": x1 - x0, "height": bottom - top, "orientation": orientation}


def rebuild_all(region: Region, page_lines: list[list[dict]], ps: PdfSettings) -> list[UnruledTable]:
    """The tables of one run of rules: a stretch between two rules where no line is a row
    (`_tabular`), or, below the first, one where a run of words crosses two column gaps (a
    sentence: the paragraphs between two reports' tables) parts two tables that share the
    rules' extent."""
    x0, x1 = region.x0, region.x1
    inside = [ln for ln in page_lines if all(x0 - ps.side_reach <= c["x0"] and c["x1"] <= x1 + ps.side_reach for c in ln)]
    lines = [ln for ln in inside if region.rules[0] < _mid(ln) < region.rules[-1]]
    if not lines:
        return []
    em = _em([c for ln in lines for c in ln])
    gap = ps.unruled_column_gap * em
    bands = [(a, b, False) for a, b in zip(region.rules, region.rules[1:])]
    rows = [[r for ln in lines if y0 < _mid(ln) < y1 for r in _runs(ln, gap)] for y0, y1, _ in bands]
    seps = _columns(x0, x1, rows, 1 if len(bands) >= 2 else 0, gap, ps)
    if seps is not None:
        for k in range(len(bands)):
            inside_k = [ln for ln in lines if bands[k][0] < _mid(ln) < bands[k][1]]
            # (below the header, a run over two column gaps or more is a sentence, not a cell)
            prose = k > 0 and any(sum(1 for s in seps if a < s < b) >= 2 for ln in inside_k for a, b, _ in _runs(ln, gap))
            if prose or not any(_tabular(ln, seps, gap, ps) for ln in inside_k):
                first, rest = region.part(region.rules[:k + 1]), region.part(region.rules[k + 1:])
                return ([t for t in [rebuild(first, page_lines, ps)] if t is not None] if len(first.rules) >= 2 else []) \
                    + (rebuild_all(rest, page_lines, ps) if len(rest.rules) >= 2 else [])
    table = rebuild(region, page_lines, ps)
    return [table] if table is not None else []


def _column(seps: list, a: float, b: float) -> int:
    """The column a run of glyphs from a to b stands in, by its middle."""
    return sum(1 for s in seps if s < (a + b) / 2)


def _tabular(ln: list[dict], seps: list, gap: float, ps: PdfSettings) -> bool:
    """A line printing in `unruled_min_columns` columns or more: a table's row (prose, a
    heading or a unit line prints in one or two)."""
    return len({_column(seps, a, b) for a, b, _ in _runs(ln, gap)}) >= ps.unruled_min_columns


def _mid(ln: list[dict]) -> float:
    return (ln[0]["top"] + ln[0]["bottom"]) / 2


def _stacked_figures(bands: list, lines: list, seps: list, gap: float) -> bool:
    """A cell holding two whole figures on two lines: two rows read as one (the rows
    cannot be told apart; a figure would be a guess)."""
    for y0, y1, _ in bands:
        per_column: dict[int, int] = {}
        for ln in lines:
            if y0 < _mid(ln) < y1:
                for a, b, t in _runs(ln, gap):
                    if CELL_FIGURE.match(t):
                        col = _column(seps, a, b)
                        per_column[col] = per_column.get(col, 0) + 1
        if any(n >= 2 for n in per_column.values()):
            return True
    return False


def _crowded_figures(lines: list, seps: list, gap: float) -> bool:
    """A figure sharing its column with another run on one line: a column the gaps did not
    show (one left blank in the rows that define the columns) runs into its neighbour; a
    figure's column would be a guess."""
    for ln in lines:
        per_column: dict[int, list] = {}
        for a, b, t in _runs(ln, gap):
            per_column.setdefault(_column(seps, a, b), []).append(t)
        if any(len(ts) >= 2 and any(FIGURE_RUN.match(t) for t in ts) for ts in per_column.values()):
            return True
    return False


def rebuild(region: Region, page_lines: list[list[dict]], ps: PdfSettings) -> Optional[UnruledTable]:
    """The edges of one region's table, or None when its columns cannot be told apart.
    `page_lines`: every printed line of the page's body (glyph lists; page numbers left
    out), so that rows a page break cut are followed to the body's foot or from its head."""
    x0, x1 = region.x0, region.x1
    inside = [ln for ln in page_lines if all(x0 - ps.side_reach <= c["x0"] and c["x1"] <= x1 + ps.side_reach for c in ln)]
    lines = [ln for ln in inside if region.rules[0] < (ln[0]["top"] + ln[0]["bottom"]) / 2 < region.rules[-1]]
    if not lines:
        return None
    glyphs = [c for ln in lines for c in ln]
    em = _em(glyphs)
    gap = ps.unruled_column_gap * em
    rules = list(region.rules)
    bands = _bands(tuple(rules), lines, em, ps)

    def rows_of(bands):
        return [[r for ln in lines if y0 < (ln[0]["top"] + ln[0]["bottom"]) / 2 < y1 for r in _runs(ln, gap)]
                for y0, y1, _ in bands]

    # The header: the rows above the second rule, where a third closes the table (with two,
    # the first stretch is the whole table: rows spanning columns just do not define them).
    header = sum(1 for _, y1, _ in bands if y1 <= rules[1] + ps.rule_reach) if len(rules) >= 3 else 0
    # Rules drawn inside (under a header group) part bands too, as their rows' rules do.
    inner = [d[0] for d in region.drawn if all(abs(d[0] - y) > ps.rule_merge for y in rules)]
    ends = tuple(sorted(x for _, a, b in region.drawn for x in (a, b) if x0 + ps.side_reach < x < x1 - ps.side_reach))
    seps = _columns(x0, x1, rows_of(bands), header, gap, ps, ends)
    if seps is None:
        return None
    # Rows a page break leaves open: the columns' text going on below the last rule down
    # to the page's foot (or above the first, from the page's head), with nothing else.
    below = [ln for ln in page_lines if (ln[0]["top"] + ln[0]["bottom"]) / 2 > rules[-1]]
    above = [ln for ln in page_lines if (ln[0]["top"] + ln[0]["bottom"]) / 2 < rules[0]]
    open_below = open_above = False
    more_below = _going_on(sorted(below, key=lambda ln: ln[0]["top"]), rules[-1], inside, seps, gap, em, ps, down=True)
    more_above = _going_on(sorted(above, key=lambda ln: -ln[0]["top"]), rules[0], inside, seps, gap, em, ps, down=False)
    if more_below is False or more_above is False:
        return None  # the table goes on where it cannot be followed: not a guess
    if more_below:
        lines += more_below
        rules.append(max(c["bottom"] for ln in more_below for c in ln) + ps.rule_reach)
        open_below = True
    if more_above:
        lines += more_above
        rules.insert(0, min(c["top"] for ln in more_above for c in ln) - ps.rule_reach)
        open_above = True
    bands = _bands(tuple(sorted(rules + [y for y in inner if rules[0] < y < rules[-1]])), lines, em, ps, seps, gap)
    rows = rows_of(bands)
    if sum(1 for r in rows if r) < 2:
        return None
    for r in rows:  # the rows added over the page break must keep their figures in one column too
        if any(a < s < b and FIGURE_RUN.match(t) for a, b, t in r for s in seps):
            return None
    if _stacked_figures(bands, lines, seps, gap) or _crowded_figures(lines, seps, gap):
        return None
    # The rules as drawn (stopping short of a cell spanning rows), those added over a page
    # break across the whole table.
    out = [_edge(a, y, b, y, "h") for y, a, b in region.drawn]
    out += [_edge(x0, y, x1, y, "h") for y in rules if y not in region.rules]
    # A cut between rows, drawn over every column but one whose text stands across it (a
    # cell spanning the rows).
    xs = [x0] + seps + [x1]
    for y0, _, split in (b for b in bands if b[2]):
        across = [c for ln in lines for c in ln if c["top"] < y0 < c["bottom"]]
        for a, b in zip(xs, xs[1:]):
            if not any(a <= (c["x0"] + c["x1"]) / 2 < b for c in across):
                out.append(_edge(a, y0, b, y0, "h"))
    out += [_edge(x, rules[0], x, rules[-1], "v") for x in (x0, x1)]
    for (y0, y1, _), row in zip(bands, rows):
        # A rule drawn inside the table under several columns groups them: the header word
        # above it is placed over every column it spans.
        groups = [(a, b) for y, a, b in region.drawn if abs(y - y1) <= ps.rule_merge and a > x0 + ps.side_reach and b < x1 - ps.side_reach]
        for s in seps:
            if not any(a < s < b for a, b, _ in row) and not any(a + ps.side_reach < s < b - ps.side_reach for a, b in groups):
                out.append(_edge(s, y0, s, y1, "v"))
    return UnruledTable(out, (x0, rules[0], x1, rules[-1]), open_below, open_above)


def _going_on(lines: list, rule: float, inside: list, seps: list, gap: float, em: float,
              ps: PdfSettings, down: bool):
    """The lines next to a region's outer rule that continue its rows over the page break:
    [] when none of the lines next to it is a row (`_tabular`: a unit line, a heading, a
    paragraph); the lines when they run in the table's columns from the rule to the
    page's body edge; False when rows follow but do not reach the edge (a table going on
    unruled: it cannot be followed)."""
    ids = {id(ln) for ln in inside}
    taken, last = [], rule
    for ln in lines:
        top, bottom = min(c["top"] for c in ln), max(c["bottom"] for c in ln)
        blank = top - last if down else last - bottom
        if id(ln) not in ids or blank > 2 * ps.unruled_row_gap * em + em:
            break
        if any(a < s < b for a, b, _ in _runs(ln, gap) for s in seps):
            break
        taken.append(ln)
        last = bottom if down else top
    if not any(_tabular(ln, seps, gap, ps) for ln in taken):
        return []
    return taken if len(taken) == len(lines) else False


def text_lines(chars: list[dict], ps: PdfSettings) -> list[list[dict]]:
    """The page's printed lines as glyph lists (spaces left out)."""
    return _lines([c for c in chars if not is_space(c["text"])], ps)

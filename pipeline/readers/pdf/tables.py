"""Ruled tables from a page's edges: pdfplumber's table finder (lines strategy), answer
for answer, on plain geometry.

pdfplumber finds tables in four steps: edges snapped to common positions and joined along
their line (`merge_edges`), their intersections, the smallest cells those intersections
close, and cells grouped into tables by shared corners. The steps are pure arithmetic on
edge dicts, but importing pdfplumber brings pdfminer and Pillow with it (about 20 MiB of
memory per process) and its cell search is quadratic per point. This module is those
steps for the one strategy the reader uses (ruling lines only), written after pdfplumber
0.11 (MIT licence, © Jeremy Singer-Vine), with the cell search done by lookups instead of
scans; `tests/test_geometry.py` requires the same tables as pdfplumber's `TableFinder` on
every page of every PDF the project holds.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Iterable

from ...settings import DEFAULT_SETTINGS, PdfSettings


@dataclass(frozen=True)
class RuledTableSettings:
    """pdfplumber's `TableSettings` for `vertical_strategy = horizontal_strategy = "lines"`
    (same names, same meaning; the reader's values are in pdf.py)."""

    snap_tolerance: float = 3
    join_tolerance: float = 3
    edge_min_length: float = 3
    edge_min_length_prefilter: float = 1
    intersection_tolerance: float = 3
    explicit_vertical_lines: tuple = ()  # edge dicts added to the page's vertical edges
    explicit_horizontal_lines: tuple = ()

    def with_explicit(self, vertical: Iterable[dict] = (), horizontal: Iterable[dict] = ()) -> "RuledTableSettings":
        return RuledTableSettings(self.snap_tolerance, self.join_tolerance, self.edge_min_length,
                                  self.edge_min_length_prefilter, self.intersection_tolerance,
                                  tuple(vertical), tuple(horizontal))


def find_tables(edges: list[dict], settings: RuledTableSettings) -> list[list[tuple]]:
    """The cells (x0, top, x1, bottom) of each ruled table, grouped by table."""
    v = [e for e in edges if e["orientation"] == "v" and e["height"] >= settings.edge_min_length_prefilter]
    h = [e for e in edges if e["orientation"] == "h" and e["width"] >= settings.edge_min_length_prefilter]
    v += [e for e in settings.explicit_vertical_lines if e["orientation"] == "v"]
    h += [e for e in settings.explicit_horizontal_lines if e["orientation"] == "h"]
    merged = merge_edges(v + h, settings.snap_tolerance, settings.join_tolerance)
    merged = [e for e in merged if (e["height"] if e["orientation"] == "v" else e["width"]) >= settings.edge_min_length]
    points = _intersections(merged, settings.intersection_tolerance)
    return _tables(cells_of(points))


# ---------------------------------------------------------------- edges
def merge_edges(edges: list[dict], snap: float, join: float) -> list[dict]:
    """pdfplumber's `merge_edges`: edges snapped to common positions, then joined along
    their line (also used by the text strategy, unruled.py, to see whole rules)."""
    if snap > 0:
        edges = (_snap([e for e in edges if e["orientation"] == "v"], "x0", snap)
                 + _snap([e for e in edges if e["orientation"] == "h"], "top", snap))

    def line_of(e: dict) -> tuple:
        return ("h", e["top"]) if e["orientation"] == "h" else ("v", e["x0"])

    out: list[dict] = []
    for (orientation, _), group in groupby(sorted(edges, key=line_of), key=line_of):
        out += _join(list(group), orientation, join)
    return out


def _snap(edges: list[dict], attr: str, tolerance: float) -> list[dict]:
    """Edges within `tolerance` of each other (a chain of them) moved to their average."""
    values = sorted(set(e[attr] for e in edges))
    cluster_of: dict = {}
    cluster = -1
    last = None
    for x in values:
        if last is None or x > last + tolerance:
            cluster += 1
        cluster_of[x] = cluster
        last = x
    by_cluster: dict = {}
    for e in sorted(edges, key=lambda e: cluster_of[e[attr]]):
        by_cluster.setdefault(cluster_of[e[attr]], []).append(e)
    out = []
    for members in by_cluster.values():
        avg = sum(e[attr] for e in members) / len(members)
        for e in members:
            out.append(_moved(e, attr, avg - e[attr]))
    return out


def _moved(e: dict, attr: str, by: float) -> dict:
    moved = dict(e)
    if attr == "x0":
        moved["x0"], moved["x1"] = e["x0"] + by, e["x1"] + by
    else:
        moved["top"], moved["bottom"] = e["top"] + by, e["bottom"] + by
    return moved


def _join(edges: list[dict], orientation: str, tolerance: float) -> list[dict]:
    """Edges along one line that overlap or nearly meet, as one."""
    lo, hi, length = ("x0", "x1", "width") if orientation == "h" else ("top", "bottom", "height")
    edges = sorted(edges, key=itemgetter(lo))
    joined = [edges[0]]
    for e in edges[1:]:
        last = joined[-1]
        if e[lo] <= last[hi] + tolerance:
            if e[hi] > last[hi]:
                joined[-1] = {**last, hi: e[hi], length: e[hi] - last[lo]}
        else:
            joined.append(e)
    return joined


def _intersections(edges: list[dict], tolerance: float) -> dict:
    points: dict = {}
    vs = sorted((e for e in edges if e["orientation"] == "v"), key=itemgetter("x0", "top"))
    hs = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    for v in vs:
        for h in hs:
            if v["top"] <= h["top"] + tolerance and v["bottom"] >= h["top"] - tolerance \
                    and h["x0"] - tolerance <= v["x0"] <= h["x1"] + tolerance:
                point = points.setdefault((v["x0"], h["top"]), {"v": [], "h": []})
                point["v"].append(v)
                point["h"].append(h)
    return points


# ---------------------------------------------------------------- cells and tables
def cells_of(intersections: dict) -> list[tuple]:
    """pdfplumber's `intersections_to_cells`: for each intersection in order, the smallest
    cell whose four corners are intersections joined by common edges. Each point's edges
    are made sets once, and the points below and to the right of a point are looked up,
    not searched for."""
    points = sorted(intersections)

    def bboxes(edges):
        return {(e["x0"], e["top"], e["x1"], e["bottom"]) for e in edges}

    v_sets = {p: bboxes(intersections[p]["v"]) for p in points}
    h_sets = {p: bboxes(intersections[p]["h"]) for p in points}
    by_x: dict = {}
    by_y: dict = {}
    for p in points:  # sorted by x, then y: each list is in the order pdfplumber scans it
        by_x.setdefault(p[0], []).append(p)
        by_y.setdefault(p[1], []).append(p)

    def connects(p1, p2) -> bool:
        return bool((p1[0] == p2[0] and not v_sets[p1].isdisjoint(v_sets[p2]))
                    or (p1[1] == p2[1] and not h_sets[p1].isdisjoint(h_sets[p2])))

    cells = []
    for pt in points:
        column, row = by_x[pt[0]], by_y[pt[1]]
        below = column[column.index(pt) + 1:]
        right = row[row.index(pt) + 1:]
        found = None
        for below_pt in below:
            if not connects(pt, below_pt):
                continue
            for right_pt in right:
                if not connects(pt, right_pt):
                    continue
                corner = (right_pt[0], below_pt[1])
                if corner in v_sets and connects(corner, right_pt) and connects(corner, below_pt):
                    found = (pt[0], pt[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _tables(cells: list[tuple]) -> list[list[tuple]]:
    """pdfplumber's `cells_to_tables`: cells grouped into tables by shared corners; tables
    ordered by their top-left cell; a lone cell is no table."""
    def corners(c):
        x0, top, x1, bottom = c
        return ((x0, top), (x0, bottom), (x1, top), (x1, bottom))

    remaining = list(cells)
    current_corners: set = set()
    current: list = []
    tables = []
    while remaining:
        before = len(current)
        for cell in list(remaining):
            cs = corners(cell)
            if not current:
                current_corners |= set(cs)
                current.append(cell)
                remaining.remove(cell)
            elif sum(c in current_corners for c in cs) > 0:
                current_corners |= set(cs)
                current.append(cell)
                remaining.remove(cell)
        if len(current) == before:
            tables.append(list(current))
            current_corners.clear()
            current.clear()
    if current:
        tables.append(list(current))
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


# ---------------------------------------------------------------- open sides
def open_sides(edges: list[dict], ps: PdfSettings = DEFAULT_SETTINGS.pdf) -> list[dict]:
    """Vertical edges to close tables printed without left/right outer borders (common in
    Korean official documents): where several horizontal rules start (or end) at the same
    x, and ruled columns run between them, the table's side is drawn there. Shared by the
    born-digital and the OCR readers."""
    tol, reach = ps.rule_merge, ps.side_reach
    h = [e for e in edges if e["orientation"] == "h" and e["x1"] - e["x0"] > ps.side_rule_min]
    v = [e for e in edges if e["orientation"] == "v" and e["bottom"] - e["top"] > ps.rule_min]
    if len(h) < 2 or not v:
        return []
    out = []
    for end in ("x0", "x1"):
        groups: dict[int, list[dict]] = {}
        for e in h:
            groups.setdefault(round(e[end] / tol), []).append(e)
        for rules in groups.values():
            tops = sorted({round(e["top"], 1) for e in rules})
            if len(tops) < 2:
                continue
            x = sum(e[end] for e in rules) / len(rules)
            left = min(e["x0"] for e in rules)
            right = max(e["x1"] for e in rules)
            inner = [e for e in v if left + reach < e["x0"] < right - reach]
            # Runs of rules joined by ruled columns between each pair: one table each (two
            # tables in one column of the page must stay two, with the text between them).
            run = [tops[0]]
            for t1, t2 in zip(tops, tops[1:]):
                if any(e["top"] <= t1 + reach and e["bottom"] >= t2 - reach for e in inner):
                    run.append(t2)
                    continue
                out += _side(x, run, v, reach)
                run = [t2]
            out += _side(x, run, v, reach)
    return out


def _side(x: float, run: list, v: list[dict], reach: float) -> list[dict]:
    if len(run) < 2:
        return []
    top, bottom = run[0], run[-1]
    if any(abs(e["x0"] - x) <= reach and e["top"] <= top + reach and e["bottom"] >= bottom - reach for e in v):
        return []  # already closed on this side
    return [{"object_type": "side_edge", "x0": x, "x1": x, "top": top, "bottom": bottom,
             "width": 0.0, "height": bottom - top, "orientation": "v"}]

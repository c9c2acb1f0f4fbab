"""A scanned table's rules, found from the pixels: long horizontal and vertical strokes.

Morphology on the page's ink: gaps a few pixels wide (a rule broken by the scanner's noise
or a light print) are closed along the stroke's direction, then an opening keeps only runs
longer than any glyph's stroke; each run left is one rule, given as pdfplumber's edge dict
in PDF points, so the reader's table finder (pdf/tables.py) rebuilds the grid from it as
from a born-digital page's paths.
"""
from __future__ import annotations

import numpy as np

# Shortest rule, in points: longer than a glyph's stroke (a 10–12 pt font's longest is
# about its em), shorter than the narrowest cell (a one-line row is ≥ 14 pt tall, a column
# of figures ≥ 30 pt wide).
MIN_HORIZONTAL_PT = 24.0
MIN_VERTICAL_PT = 13.0
# Gaps closed along a stroke, in points (broken rules); and how far from straight a
# scanned rule may wander over its length (residual skew), in points.
GAP_PT = 0.35
THICK_PT = 3.0
# A horizontal run this long (points) is a rule even where no vertical rule meets it (a
# line under a title, the top of a table without side rules).
LONE_RULE_PT = 72.0
# Runs of one rule further apart than this (points) are not joined.
JOIN_PT = 3.0
# A vertical run this long (points) is a rule where it meets a horizontal one at one end only.
LONG_VERTICAL_PT = 40.0
# How near (points) a vertical rule's end comes to a horizontal rule it meets.
MEET_PT = 2.0


def rule_masks(ink: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """(horizontal, vertical) masks of the page's rules (uint8, 1 = rule ink)."""
    import cv2

    px = dpi / 72.0
    gap = max(1, int(round(GAP_PT * px)))
    masks = []
    for length_pt, shape in ((MIN_HORIZONTAL_PT, lambda n: (n, 1)), (MIN_VERTICAL_PT, lambda n: (1, n))):
        closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, shape(2 * gap + 1)))
        kernel = cv2.getStructuringElement(cv2.MORPH_RECT, shape(max(3, int(length_pt * px))))
        masks.append(cv2.morphologyEx(closed, cv2.MORPH_OPEN, kernel))
    return masks[0], masks[1]


def find_rules(ink: np.ndarray, dpi: float) -> tuple[list[dict], np.ndarray]:
    """The page's rules as edges (points from the page's top-left), and the mask of their
    ink (to take out of the text's). Rules meet: a vertical run is a rule only where it
    meets a horizontal one at an end, and a horizontal run shorter than LONE_RULE_PT only
    where a vertical rule meets it (the stem of a large glyph is as tall as a one-line row;
    the bars of two bold syllables side by side, `보고`, as long as a narrow cell)."""
    import cv2

    # Rules are long: found at half the resolution (a quarter of the work), each 2×2 block
    # of pixels inked where any of its pixels is.
    step = 2 if dpi >= 300 else 1
    full = ink
    if step > 1:
        h2, w2 = ink.shape[0] // step, ink.shape[1] // step
        ink = ink[:h2 * step, :w2 * step].reshape(h2, step, w2, step).max(axis=(1, 3))
        dpi = dpi / step
    horizontal, vertical = rule_masks(ink, dpi)
    px = dpi / 72.0
    thick = THICK_PT * px
    reach = MEET_PT * px
    hn, hlabels, hstats, _ = cv2.connectedComponentsWithStats(horizontal, connectivity=8)
    vn, vlabels, vstats, _ = cv2.connectedComponentsWithStats(vertical, connectivity=8)
    hboxes = hstats[1:hn, :4].tolist()
    vboxes = vstats[1:vn, :4].tolist()

    def meets(v, h, end: str = "either") -> bool:
        x, y, w, hh = v
        a, y0, b, y1 = h[0], h[1], h[0] + h[2], h[1] + h[3]
        top = y0 - reach <= y <= y1 + reach
        bottom = y0 - reach <= y + hh <= y1 + reach
        return a - reach <= x + w and x <= b + reach and (top if end == "top" else bottom if end == "bottom" else top or bottom)

    # A vertical run meets horizontal rules at both ends (a column rule runs from rule to
    # rule; strokes of glyphs stacked in a cell, joined across the line gap, reach one),
    # or at one end when it is longer than such a stack can be (a table cut by the page).
    # Pieces of one rule broken by specks are judged as the whole they make.
    whole = _joined_runs(vboxes, 1.5 * px, JOIN_PT * px)
    vkept = [any(meets(w, h, "top") for h in hboxes) and any(meets(w, h, "bottom") for h in hboxes)
             or (w[3] >= LONG_VERTICAL_PT * px and any(meets(w, h) for h in hboxes)) for w in whole]
    hkept = [h[2] >= LONE_RULE_PT * px or any(k and meets(v, h) for v, k in zip(vboxes, vkept)) for h in hboxes]
    scale = 1.0 / px
    out: list[dict] = []
    for (x, y, w, h), keep in zip(hboxes, hkept):
        if keep:  # a run thicker than a rule is a filled band (a shaded row): its sides are ruled
            for at in ([y + h / 2] if h <= thick * 2 else [y, y + h]):
                out.append(_edge(x * scale, at * scale, (x + w) * scale, at * scale, "h"))
    for (x, y, w, h), keep in zip(vboxes, vkept):
        if keep:
            for at in ([x + w / 2] if w <= thick * 2 else [x, x + w]):
                out.append(_edge(at * scale, y * scale, at * scale, (y + h) * scale, "v"))
    mask = (np.array([False] + hkept)[hlabels] | np.array([False] + vkept)[vlabels]).astype(np.uint8)
    if step > 1:  # back to the page's pixels: the rules' own ink there
        mask = cv2.resize(mask, (mask.shape[1] * step, mask.shape[0] * step), interpolation=cv2.INTER_NEAREST)
        mask = cv2.dilate(mask, np.ones((3, 3), np.uint8))
        padded = np.zeros_like(full)
        padded[:mask.shape[0], :mask.shape[1]] = mask
        mask = padded & full
    return out, mask


def _joined_runs(boxes: list, across: float, gap: float) -> list:
    """For each vertical run (x, y, w, h), the box of the collinear runs it is joined to
    across gaps up to `gap` (centres within `across` of each other)."""
    order = sorted(range(len(boxes)), key=lambda k: (boxes[k][0] + boxes[k][2] / 2, boxes[k][1]))
    groups: list[list[int]] = []
    for k in order:
        x, y, w, h = boxes[k]
        for g in groups:
            gx, gy, gw, gh = _union([boxes[j] for j in g])
            if abs((gx + gw / 2) - (x + w / 2)) <= across and y - (gy + gh) <= gap and gy - (y + h) <= gap:
                g.append(k)
                break
        else:
            groups.append([k])
    out = [None] * len(boxes)
    for g in groups:
        u = _union([boxes[j] for j in g])
        for j in g:
            out[j] = u
    return out


def _union(boxes: list) -> tuple:
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0)


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> dict:
    return {"object_type": "ocr_rule", "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "width": x1 - x0, "height": bottom - top, "orientation": orientation}

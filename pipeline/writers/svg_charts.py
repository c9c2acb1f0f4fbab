"""Small inline SVG charts for the auditor's HTML page: no JavaScript, no network, no fonts
beyond what the reader's system has.

Every function returns one `<svg>` element as a string. Labels come from untrusted
documents and are always escaped; long labels are shortened with the full text kept in a
`<title>` tooltip.
"""
from __future__ import annotations

import math
import unicodedata
from html import escape
from typing import Callable, Sequence

FONT = "'Noto Sans CJK KR','Noto Sans KR','NanumGothic','Nanum Gothic','Malgun Gothic','Apple SD Gothic Neo',sans-serif"
BAR = "#3b6ea8"
BAR_ALT = "#c0504d"
INK = "#222"
MUTED = "#666"


def text_width(s: str, size: float) -> float:
    """Rough rendered width: Hangul and other wide characters take a full em, the rest ~0.6."""
    return sum(size if unicodedata.east_asian_width(ch) in ("W", "F") else size * 0.6 for ch in s)


def shorten(s: str, max_px: float, size: float) -> str:
    if text_width(s, size) <= max_px:
        return s
    out = ""
    for ch in s:
        if text_width(out + ch + "…", size) > max_px:
            break
        out += ch
    return out + "…"


def won_short(v: float) -> str:
    """Amounts for axis and bar labels: 1.2억, 3,500만, 800원."""
    v = int(v)
    a = abs(v)
    sign = "-" if v < 0 else ""
    if a >= 100_000_000:
        x = a / 100_000_000
        return f"{sign}{x:,.1f}억".replace(".0억", "억")
    if a >= 10_000:
        return f"{sign}{a // 10_000:,}만"
    return f"{sign}{a:,}원"


def _empty(width: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="40" role="img" '
        f'aria-label="{escape(title)}" font-family="{FONT}"><text x="4" y="24" font-size="13" fill="{MUTED}">'
        f"자료 없음 (no data)</text></svg>"
    )


def hbar_chart(
    items: Sequence[tuple[str, float]],
    title: str,
    fmt: Callable[[float], str] = lambda v: f"{int(v):,}",
    width: int = 640,
    bar_h: int = 20,
    color: str = BAR,
    tips: Sequence[str] | None = None,
) -> str:
    """Horizontal bars, one per (label, value), in the order given."""
    if not items:
        return _empty(width, title)
    size = 12
    label_w = min(max(text_width(lbl, size) for lbl, _ in items) + 10, width * 0.45)
    value_w = max(text_width(fmt(v), size) for _, v in items) + 10
    plot_w = max(width - label_w - value_w - 8, 40)
    top = 6
    gap = 6
    height = top + len(items) * (bar_h + gap) + 4
    vmax = max((v for _, v in items), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" font-family="{FONT}" font-size="{size}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(items):
        y = top + i * (bar_h + gap)
        w = max(plot_w * max(value, 0) / vmax, 1 if value else 0)
        tip = tips[i] if tips else f"{label}: {fmt(value)}"
        parts.append(
            f'<g><title>{escape(tip)}</title>'
            f'<text x="{label_w - 6:.1f}" y="{y + bar_h * 0.72:.1f}" text-anchor="end" fill="{INK}">{escape(shorten(label, label_w - 10, size))}</text>'
            f'<rect x="{label_w:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{color}" rx="2"/>'
            f'<text x="{label_w + w + 5:.1f}" y="{y + bar_h * 0.72:.1f}" fill="{INK}">{escape(fmt(value))}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def column_chart(
    items: Sequence[tuple[str, float]],
    title: str,
    fmt: Callable[[float], str] = lambda v: f"{int(v):,}",
    width: int = 640,
    height: int = 220,
    color: str = BAR,
) -> str:
    """Vertical columns along a category axis (years, quarters), in the order given, with
    value labels above each column and a baseline."""
    if not items:
        return _empty(width, title)
    size = 11
    left, right, top, bottom = 8, 8, 22, 26
    n = len(items)
    plot_w = width - left - right
    plot_h = height - top - bottom
    slot = plot_w / n
    bar_w = max(min(slot * 0.7, 60), 2)
    vmax = max((v for _, v in items), default=0) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" font-family="{FONT}" font-size="{size}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{MUTED}" stroke-width="1"/>',
    ]
    # Category labels stay horizontal; when they would collide, only every step-th is
    # written (the tooltip of each column still names it).
    label_w = max(text_width(lbl, size) for lbl, _ in items) + 6
    step = max(1, math.ceil(label_w / slot))
    show_values = text_width(max((fmt(v) for _, v in items), key=len), size) + 2 <= slot
    for i, (label, value) in enumerate(items):
        cx = left + slot * (i + 0.5)
        h = plot_h * max(value, 0) / vmax
        y = top + plot_h - h
        parts.append(f'<g><title>{escape(label)}: {escape(fmt(value))}</title>')
        parts.append(f'<rect x="{cx - bar_w / 2:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{color}" rx="2"/>')
        if show_values and value:
            parts.append(f'<text x="{cx:.1f}" y="{y - 4:.1f}" text-anchor="middle" fill="{INK}">{escape(fmt(value))}</text>')
        if i % step == 0:
            anchor, x = "middle", cx
            if cx - label_w / 2 < 0:
                anchor, x = "start", max(cx - slot / 2, 0)
            elif cx + label_w / 2 > width:
                anchor, x = "end", min(cx + slot / 2, width)
            parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 16:.1f}" text-anchor="{anchor}" fill="{INK}">{escape(label)}</text>')
            if step > 1:
                parts.append(f'<line x1="{cx:.1f}" y1="{top + plot_h}" x2="{cx:.1f}" y2="{top + plot_h + 4}" stroke="{MUTED}"/>')
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def flow_chart(
    flows: Sequence[tuple[str, str, float]],
    title: str,
    fmt: Callable[[float], str] = won_short,
    width: int = 760,
) -> str:
    """A two-column flow diagram (Sankey-like, no layout library): sources on the left,
    destinations on the right, one band per (from, to, amount), band thickness ∝ amount."""
    if not flows:
        return _empty(width, title)
    size = 12
    srcs: dict[str, float] = {}
    dsts: dict[str, float] = {}
    for a, b, v in flows:
        srcs[a] = srcs.get(a, 0) + v
        dsts[b] = dsts.get(b, 0) + v
    src_order = sorted(srcs, key=lambda k: -srcs[k])
    dst_order = sorted(dsts, key=lambda k: -dsts[k])
    total = sum(v for _, _, v in flows) or 1
    gap = 10
    min_h = 14
    scale_h = max(260, 18 * max(len(src_order), len(dst_order)) * 1.6)
    label_w = min(width * 0.3, 230)
    node_w = 10
    x_src = label_w
    x_dst = width - label_w - node_w

    def layout(order, amounts):
        pos, y = {}, 8.0
        for k in order:
            h = max(scale_h * amounts[k] / total, min_h)
            pos[k] = [y, h, y]  # top, height, cursor for bands
            y += h + gap
        return pos, y

    spos, sh = layout(src_order, srcs)
    dpos, dh = layout(dst_order, dsts)
    height = int(max(sh, dh) + 8)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" font-family="{FONT}" font-size="{size}">',
        f"<title>{escape(title)}</title>",
    ]
    palette = ["#3b6ea8", "#c0504d", "#9bbb59", "#8064a2", "#4bacc6", "#f79646", "#2c4d75", "#772c2a", "#5f7530", "#4d3b62"]
    colour = {k: palette[i % len(palette)] for i, k in enumerate(src_order)}
    for a, b, v in sorted(flows, key=lambda f: (src_order.index(f[0]), dst_order.index(f[1]))):
        s, d = spos[a], dpos[b]
        hs = s[1] * v / srcs[a]
        hd = d[1] * v / dsts[b]
        y0, y1 = s[2], d[2]
        s[2] += hs
        d[2] += hd
        xa, xb = x_src + node_w, x_dst
        mx = (xa + xb) / 2
        path = (
            f"M{xa:.1f},{y0:.1f} C{mx:.1f},{y0:.1f} {mx:.1f},{y1:.1f} {xb:.1f},{y1:.1f} "
            f"L{xb:.1f},{y1 + hd:.1f} C{mx:.1f},{y1 + hd:.1f} {mx:.1f},{y0 + hs:.1f} {xa:.1f},{y0 + hs:.1f} Z"
        )
        parts.append(
            f'<path d="{path}" fill="{colour[a]}" fill-opacity="0.35" stroke="{colour[a]}" stroke-opacity="0.5" stroke-width="0.5">'
            f"<title>{escape(a)} → {escape(b)}: {escape(fmt(v))}</title></path>"
        )
    for k in src_order:
        top, h, _ = spos[k]
        parts.append(f'<rect x="{x_src}" y="{top:.1f}" width="{node_w}" height="{h:.1f}" fill="{colour[k]}"><title>{escape(k)}: {escape(fmt(srcs[k]))}</title></rect>')
        parts.append(
            f'<text x="{x_src - 5}" y="{top + h / 2 + 4:.1f}" text-anchor="end" fill="{INK}">'
            f"{escape(shorten(k, label_w - 70, size))} <tspan fill=\"{MUTED}\">{escape(fmt(srcs[k]))}</tspan></text>"
        )
    for k in dst_order:
        top, h, _ = dpos[k]
        parts.append(f'<rect x="{x_dst}" y="{top:.1f}" width="{node_w}" height="{h:.1f}" fill="{MUTED}"><title>{escape(k)}: {escape(fmt(dsts[k]))}</title></rect>')
        parts.append(
            f'<text x="{x_dst + node_w + 5}" y="{top + h / 2 + 4:.1f}" fill="{INK}">'
            f"{escape(shorten(k, label_w - 70, size))} <tspan fill=\"{MUTED}\">{escape(fmt(dsts[k]))}</tspan></text>"
        )
    parts.append("</svg>")
    return "".join(parts)

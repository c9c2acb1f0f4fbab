"""PDF characters → printed lines → the lines of one cell or paragraph, with their breaks.

Plain geometry only: a character is a dict with `text`, `x0`, `x1`, `top`, `bottom` and
`size` (points, top-left origin), as pdfplumber gives them and as any other PDF library
can be made to; nothing here touches a PDF object.

A line is the characters that overlap vertically, left to right, with a space where the
PDF draws a space glyph or, in PDFs that position words without space glyphs, where the
gap exceeds a fifth of the font size (a quarter-em gap inside `4/4분기` stays glued when
space glyphs exist: the threshold is then 0.45 em). A control character where a glyph
should be (Chromium maps its space glyph to U+0001) is a space, never text. A line also
records the facts its breaks are decided on (pipeline/readers/wraps.py): whether a space
glyph is drawn after its last character or before its first, and how wide a space is.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Callable, Optional

from ...settings import DEFAULT_SETTINGS, LineSettings
from ..wraps import LineBreak


@dataclass
class Line:
    text: str
    x0: float
    x1: float  # right edge of the last visible character (a trailing space not counted)
    top: float
    bottom: float
    size: float
    first_word_w: float  # width of the first word (to the first space)
    first_char_w: float  # the first character and those that may not open a line after it (`위:`)
    single_word: bool
    trailing_space: bool = False  # a space glyph is drawn after the last character
    leading_space: bool = False  # … or before the first
    space_w: Optional[float] = None  # width of the space glyphs drawn on the line
    # Two different glyphs drawn over each other (most of the narrower one's width) on the
    # line: two texts printed one over the other (a cell's text drawn over its neighbour's),
    # which no reading order can take apart.
    overprinted: bool = False


# Marks that may not open a line (Korean and East Asian line breaking rules): the first
# character of a line goes to the next line with them, so they count in its width.
_NO_BREAK_BEFORE = frozenset(")]}〉》」』】〕,.:;!?%、。’”")


def is_space(t: str) -> bool:
    """A space glyph, or a control character standing where a glyph is drawn."""
    return t <= " " or t.isspace()


def lines_of(chars: list[dict], spaced: bool, settings: LineSettings = DEFAULT_SETTINGS.lines) -> list[Line]:
    """Group characters into visual lines (by vertical overlap), top to bottom."""
    if not chars:
        return []
    chars = sorted(chars, key=_TOP_THEN_LEFT)
    groups: list[list[dict]] = []
    cur: list[dict] = []
    cur_top = cur_bottom = 0.0
    overlap = settings.line_overlap
    for c in chars:
        top, bottom = c["top"], c["bottom"]
        mid = (top + bottom) / 2
        if cur and cur_top - overlap <= mid <= cur_bottom + overlap:
            cur.append(c)
            if top < cur_top:
                cur_top = top
            if bottom > cur_bottom:
                cur_bottom = bottom
            continue
        if cur:
            groups.append(cur)
        cur, cur_top, cur_bottom = [c], top, bottom
    if cur:
        groups.append(cur)
    return [ln for ln in (_line(g, spaced, settings) for g in groups) if ln is not None]


_TOP_THEN_LEFT = itemgetter("top", "x0")
_LEFT = itemgetter("x0")


def _line(chars: list[dict], spaced: bool, settings: LineSettings) -> Optional[Line]:
    """One visual line: its text with a space wherever the PDF draws one or leaves a
    word-sized gap, and the geometry its breaks are judged by. (On the hot path: one pass,
    no helper calls per character.)"""
    chars.sort(key=_LEFT)
    size = 0.0
    for c in chars:
        s = c.get("size") or (c["bottom"] - c["top"])
        if s > size:
            size = s
    gap_space = size * (settings.word_gap_spaced_em if spaced else settings.word_gap_em)
    overprint = settings.overprint
    overprinted = settings.overprinted
    parts: list[str] = []
    prev = None
    pending = leading = False
    first_word_end = None
    first = None
    unit_end = 0.0  # right edge of the first character and the closing marks glued to it
    first_of_unit = None
    x1 = top = bottom = None
    space_w = None
    over = False
    for c in chars:
        t = c["text"]
        if t <= " " or t.isspace():  # is_space, inlined
            w = c["x1"] - c["x0"]
            if w > 0 and (space_w is None or w < space_w):
                space_w = w
            if prev is None:
                leading = True
            pending = prev is not None
            continue
        if prev is not None:
            if t == prev["text"] and abs(c["x0"] - prev["x0"]) < overprint * max(c["x1"] - c["x0"], 0.5):
                continue  # overprinted (fake bold) duplicate
            if not over:
                w = min(c["x1"] - c["x0"], prev["x1"] - prev["x0"])
                over = w > 0 and prev["x1"] - c["x0"] > overprinted * w
            if pending or c["x0"] - prev["x1"] > gap_space:
                parts.append(" ")
                if first_word_end is None:
                    first_word_end = prev["x1"]
            elif prev is first_of_unit and t in _NO_BREAK_BEFORE:
                unit_end = c["x1"]
                first_of_unit = c
        else:
            first = first_of_unit = c
            unit_end = c["x1"]
        parts.append(t)
        if x1 is None or c["x1"] > x1:
            x1 = c["x1"]
        if top is None or c["top"] < top:
            top = c["top"]
        if bottom is None or c["bottom"] > bottom:
            bottom = c["bottom"]
        prev = c
        pending = False
    if first is None:
        return None
    text = unicodedata.normalize("NFC", "".join(parts))
    x0 = first["x0"]
    return Line(
        text=text,
        x0=x0,
        x1=x1,
        top=top,
        bottom=bottom,
        size=size,
        first_word_w=(first_word_end if first_word_end is not None else x1) - x0,
        first_char_w=unit_end - first["x0"],
        single_word=first_word_end is None,
        trailing_space=pending,
        leading_space=leading,
        space_w=space_w,
        overprinted=over,
    )


def line_break(a: Line, b: Line, room: float, align: str = "left") -> LineBreak:
    """The facts of the break between two printed lines; `room` is what a left the line,
    `align` how a sits in its box."""
    return LineBreak(
        before=a.text,
        after=b.text,
        room=room,
        next_w=b.first_char_w,
        size=a.size,
        space_w=a.space_w or b.space_w,
        trailing_space=a.trailing_space,
        leading_space=b.leading_space,
        align=align,
    )


@dataclass
class Text:
    """The printed lines of one cell or paragraph, until the breaks between them are
    decided for the whole document at once (wraps.resolve). A cell broken by a page
    carries the lines of both pages; `seams` are the breaks where its text was read on
    into the next page on layout evidence alone (reported as notes)."""

    pieces: list[str]
    breaks: list[LineBreak]
    first: Optional[Line]
    last: Optional[Line]
    last_room: float  # room left after the last line in its box
    foot_gap: float  # from the last line's foot to the box's foot
    last_align: str = "left"
    seams: list[int] = field(default_factory=list)

    @property
    def draft(self) -> str:
        """The lines joined by spaces: enough to compare a repeated header with the first,
        or to see whether a cell holds a figure, before the breaks are decided."""
        return " ".join(self.pieces)

    def extend(self, other: "Text", noted: bool = False) -> None:
        """Read on into `other` (the same cell continued on the next page)."""
        if not other.pieces:
            return
        if self.pieces:
            self.breaks.append(line_break(self.last, other.first, self.last_room, self.last_align))
            if noted:
                self.seams.append(len(self.breaks) - 1)
        self.pieces += other.pieces
        self.breaks += other.breaks
        self.seams += [k + len(self.breaks) - len(other.breaks) for k in other.seams]
        if self.first is None:
            self.first = other.first
        self.last, self.last_room, self.foot_gap, self.last_align = other.last, other.last_room, other.foot_gap, other.last_align


def text_of(lines: list[Line], room: Callable[[Line], float], foot: float, align: Callable[[Line], str] = lambda ln: "left") -> Text:
    """The Text of lines printed in one box; `room(line)` is the room each leaves,
    `align(line)` how it sits in the box."""
    if not lines:
        return Text([], [], None, None, 0.0, 0.0)
    breaks = [line_break(a, b, room(a), align(a)) for a, b in zip(lines, lines[1:])]
    return Text([ln.text for ln in lines], breaks, lines[0], lines[-1], room(lines[-1]), foot - lines[-1].bottom, align(lines[-1]))


def alignment(ln: Line, left: float, right: float, tol: float = DEFAULT_SETTINGS.lines.align_tolerance) -> str:
    """How a line sits between the content edges of its box."""
    lgap, rgap = ln.x0 - left, right - ln.x1
    if lgap <= tol and rgap <= tol:
        return "full"
    if lgap <= tol:
        return "left"
    if rgap <= tol:
        return "right"
    if abs(lgap - rgap) <= tol:
        return "center"
    return "other"

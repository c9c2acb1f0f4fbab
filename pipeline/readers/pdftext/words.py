"""A layout text's words: a cell's words (a single space apart), figures, header terms, widths in ems."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ...domain.figures import FIGURE as AMOUNT, UNIT_LINE
from ...domain.glyphs import HIGH, LOW, text_width
from ...domain.headers import is_header_piece, is_header_term


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

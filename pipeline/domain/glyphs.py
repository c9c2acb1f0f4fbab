"""One glyph-width model: how wide a character prints, in ems, in the Korean fonts the
reports are set in, and how many columns a monospace viewer gives it.

Hangul, CJK and the wide signs △ ▲ are one em; digits 0.55–0.66 of a Hangul syllable,
Latin letters 0.5–0.7, spaces and light punctuation 0.25–0.35, anything else 0.3–0.45
(measured over the fonts reports use: Batang, Gulim, Malgun Gothic, Nanum, Noto CJK). A
reader asks for the low, typical or high end of that range: the low end where a width
must not be overestimated (room left on a line), the high end where it must not be
underestimated (whether a word would have fitted).
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

LOW, TYPICAL, HIGH = 0, 1, 2

# (low, typical, high) width in ems of each class of character.
_WIDTHS = {
    "wide": (1.0, 1.0, 1.0),
    "digit": (0.55, 0.57, 0.66),
    "letter": (0.5, 0.6, 0.7),
    "light": (0.25, 0.3, 0.35),
    "other": (0.3, 0.4, 0.45),
}
_LIGHT = frozenset(" ,.:;'·")
_WIDE_SIGNS = frozenset("△▲")


@lru_cache(maxsize=4096)
def _east_asian_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def is_wide(ch: str) -> bool:
    """Hangul, CJK and full-width forms, and the wide signs △ ▲: one em, two columns."""
    o = ord(ch)
    if o < 0x1100:
        return False
    if 0xAC00 <= o <= 0xD7A3 or ch in _WIDE_SIGNS:
        return True
    return _east_asian_wide(ch)


@lru_cache(maxsize=8192)
def glyph_class(ch: str) -> str:
    if is_wide(ch):
        return "wide"
    if ch.isdigit():
        return "digit"
    if ch.isalpha():
        return "letter"
    return "light" if ch in _LIGHT else "other"


def glyph_width(ch: str, estimate: int = TYPICAL) -> float:
    """One character's printed width in ems, at the low, typical or high end."""
    return _WIDTHS[glyph_class(ch)][estimate]


@lru_cache(maxsize=65536)
def text_width(s: str, estimate: int = TYPICAL) -> float:
    """A text's printed width in ems (see `glyph_width`)."""
    return sum(_WIDTHS[glyph_class(ch)][estimate] for ch in s)


SPACE_WIDTH = (glyph_width(" ", LOW), glyph_width(" ", TYPICAL), glyph_width(" ", HIGH))


def display_columns(ch: str) -> int:
    """Columns a monospace viewer gives the character (Hangul and CJK two). The wide signs
    △ ▲ are ambiguous in East Asian width: a viewer gives them one column."""
    o = ord(ch)
    if o < 0x1100:
        return 1
    if 0xAC00 <= o <= 0xD7A3:
        return 2
    return 2 if _east_asian_wide(ch) else 1


@lru_cache(maxsize=65536)
def display_width(s: str) -> int:
    return sum(map(display_columns, s))

"""Names in a table of layout text: a 통계목 name's pieces, runs of one-syllable lines, the line
breaks inside a name (`_break`)."""
from __future__ import annotations

import regex as re

from ...domain.glyphs import LOW, glyph_width
from ...textutil import squash
from ..wraps import LineBreak


_HANGUL = re.compile(r"[가-힣]")
# Units of the measure wraps.py decides in: a tenth of an em (its tolerances are in points
# or columns, about a tenth of a character).
EM = 10.0

from .words import width

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

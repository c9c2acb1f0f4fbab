"""Figures, signs and units as the reports print them (shared/domain.md).

A figure is digits grouped by thousands (`17,439,865`), perhaps with a decimal part
(`9,537.4` in 백만원), perhaps signed (`△1,000`: a decrease), or a dash standing for zero.
Its unit is printed once for the table (`(단위: 천원)`), never assumed.
"""
from __future__ import annotations

import regex as re

# Won per unit word.
UNIT_WON = {"원": 1, "천원": 1_000, "만원": 10_000, "백만원": 1_000_000, "억원": 100_000_000}
# The unit words, longest first (a regex alternation takes the first that matches).
UNIT_WORDS = tuple(sorted(UNIT_WON, key=len, reverse=True))
# A unit word as printed: its syllables may be spaced or broken by a wrap (`백만 원`).
UNIT_WORD = "|".join(r"\s*".join(w) for w in UNIT_WORDS)
# The label before the unit: `단위`, `단 위`.
UNIT_LABEL_WORD = r"단\s*위"

# Minus marks the parser reads as a negative figure: △ ▲ (the usual ones), and ASCII or
# Unicode minus before digits.
MINUS_MARKS = "△▲-−－"
# Every mark that may stand before a figure's digits, read or not (`+`, an en dash).
SIGN_MARKS = MINUS_MARKS + "+–"
# Dashes that stand for zero in a figure's cell.
ZERO_DASHES = "-−－–—"
ZERO_MARKS = frozenset(set(ZERO_DASHES) | {"", "0"})
_SIGN = "[" + re.escape(SIGN_MARKS) + "]"
_MINUS = "[" + re.escape(MINUS_MARKS) + "]"
_ZERO = "[" + re.escape(ZERO_DASHES) + "]"

# A figure as printed, sign and grouping as they are (the parser's reading: sign, digits).
AMOUNT = re.compile(rf"^({_MINUS}?)\s*(\d[\d,]*(?:\.\d+)?)$")
# Digits grouped regularly by thousands, or not grouped at all.
REGULAR_GROUPING = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")
# A figure or a piece of one (a wrap or a page may cut it), or a dash for zero.
FIGURE = re.compile(rf"^{_SIGN}?\s*[\d,.]*\d[\d,.]*$|^{_ZERO}$")
# A whole figure: regular grouping (or none), or a dash for zero.
FIGURE_WHOLE = re.compile(rf"^{_SIGN}?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?$|^{_ZERO}$")
# A figure grouped by thousands, as tables print them (`17,439,865`, `9,537.4`).
FIGURE_GROUPED = re.compile(rf"^{_SIGN}?\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?$")
# A figure or the piece of one a wrap left (`17,439,`), as a dissolved table strands them.
FIGURE_PIECE = re.compile(rf"^[△▲]?\d{{1,3}}(?:,\d{{1,3}})*,?$|^[△▲]?\d+\.\d+$|^{_ZERO}$")
# A dash alone: zero.
DASH = re.compile(rf"^{_ZERO}$")
# What only a figure prints (a code's pieces print digits and hyphens only).
FIGURE_MARK = re.compile(r"[,.△▲]")
# Digits and their grouping marks only.
DIGITS_ONLY = re.compile(r"^[\d,.]+$")
# Spaces a wrap left between a figure's digits (`25,12 1.7` is `25,121.7`).
SPACE_IN_DIGITS = re.compile(r"(?<=[\d,.])\s+(?=[\d,.])")
# An amount in prose: `금 1,500천원`, `△300만원`.
MONEY_IN_PROSE = re.compile(rf"(?:금\s*)?([△▲]?\d[\d,]*(?:\.\d+)?)\s*({'|'.join(UNIT_WORDS)})")

# A table's unit notice wherever it stands (`(단위 : 천원)`, `예산현액 (단위: 천원)`): the unit.
UNIT_NOTICE = re.compile(rf"{UNIT_LABEL_WORD}\s*[:：]?\s*({UNIT_WORD})")
# `단위:` anywhere on a line: the line names a unit (content, never page furniture).
UNIT_LABEL = re.compile(rf"{UNIT_LABEL_WORD}\s*[:：]")
_UNIT = rf"{UNIT_LABEL_WORD}\s*[:：]?\s*(?:{UNIT_WORD})"
# A table's unit notice on a line of its own (`(단위 : 천원)`, `[단위: 원]`, `단위 : 천원`); a
# bracket open at one end only is a header cell's wrapped piece (`단위: 천원)`).
UNIT_LINE = re.compile(rf"^(?:\(\s*{_UNIT}\s*\)|\[\s*{_UNIT}\s*\]|{_UNIT})$")

# Units printed elsewhere than a `단위` notice (spaces removed before matching): the unit
# alone in brackets on a line of its own (`(천원)`, `<백만원>`); beside a header cell's words
# (`예산액(천원)`); after a figure's digits (`1,400천원`, `△500,000원`).
_UNIT_WORDS_TIGHT = "|".join(UNIT_WORDS)
UNIT_ALONE = re.compile(rf"^[(（\[［<〈《]({_UNIT_WORDS_TIGHT})[)）\]］>〉》]$")
UNIT_IN_BRACKETS = re.compile(rf"[(（\[［<〈]({_UNIT_WORDS_TIGHT})[)）\]］>〉]")
# A signed change as some offices print it: `(1,400)` for a decrease, `+5,000` for an increase.
PAREN_NEGATIVE = re.compile(r"^[(（](\d[\d,]*(?:\.\d+)?)[)）]$")
PLUS_FIGURE = re.compile(r"^\+(\d[\d,]*(?:\.\d+)?)$")
# A unit printed at the end of a heading (`예산현황(단위:천원)`, spaces removed): not part of its name.
UNIT_BESIDE = re.compile(rf"[(（\[［<〈](?:[^()（）]*단위[^()（）]*|{_UNIT_WORDS_TIGHT})[)）\]］>〉]$")
FIGURE_WITH_UNIT = re.compile(rf"^({_MINUS}?\d[\d,]*(?:\.\d+)?)({_UNIT_WORDS_TIGHT})$")


def unit_of(text: str) -> str | None:
    """The unit named in `(단위 : 천원)` or `예산현액 (단위: 천원)`, spaces removed."""
    m = UNIT_NOTICE.search(text)
    return re.sub(r"\s+", "", m.group(1)) if m else None


# --- figures as other stages meet them ------------------------------------------------------
# Any run of digits with grouping or decimal marks, wherever it stands (a failure's reason
# counted without its figures: `a line of 5,242,880 characters`).
NUMBER_RUN = re.compile(r"\d[\d,.]*")
# A figure as a table prints it, alone between spaces (`13,834`, `0`, `△1,757`, `66.3`).
LONE_FIGURE = re.compile(r"^[△▲]?\d{1,3}(?:,\d{3})*(?:\.\d+)?$")
# A run of glyphs that is a figure (digits, grouping commas, a sign): it must sit in one column.
FIGURE_RUN = re.compile(r"^[△▲\-−(]?[\d,.]+\)?$")
# A whole figure as printed in one cell (a wrapped one breaks its grouping: `4,176,96`).
CELL_FIGURE = re.compile(r"^(?:[△▲\-−]?\(?\d{1,3}(?:,\d{3})*\)?|[\-−])$")
# OCR: the glyphs a figure (or a code) is read of, with and without the Unicode minus.
FIGURE_CHAR = re.compile(r"[0-9,.\-−△▲]")
FIGURE_GLYPH = re.compile(r"[0-9,.\-△▲]")
# OCR: what the figure recogniser may give back for a figure or a code within text.
FIGURE_OR_CODE_WORD = re.compile(r"[△▲\-]?\d[\d,.]*|\d{2,3}(?:-\d{2,3})+")

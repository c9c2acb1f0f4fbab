"""Reading amounts, units and dates as the reports print them (see shared/domain.md)."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Optional

import regex as re

from ..domain.figures import AMOUNT as _AMOUNT, MONEY_IN_PROSE as _MONEY_IN_PROSE, REGULAR_GROUPING as _GROUPED, UNIT_WON, ZERO_MARKS, unit_of
from ..domain.figures import FIGURE_WITH_UNIT, PAREN_NEGATIVE, PLUS_FIGURE, UNIT_ALONE, UNIT_IN_BRACKETS
from ..textutil import squash

_YEAR_ONLY = re.compile(r"((?:19|20)\d{2})\s*년(?!\s*\d)")


class NotationError(ValueError):
    """A figure or date that cannot be read as printed."""


@dataclass(frozen=True)
class Amount:
    won: int
    irregular: bool = False  # digit grouping not of the form 1,234,567: flagged, never fixed


def parse_amount(text: str, unit: str = "원") -> Amount:
    """`355,000` in 천원 → 355000000; `-` or blank → 0; `△1,000` → -1000000.

    Raises NotationError for anything that is not a figure. Digit grouping that is not the
    regular thousands form (`30,00`) is read digit by digit and marked `irregular` so the
    caller can flag it: the pipeline never guesses what the author meant."""
    s = squash(text or "")
    if s in ZERO_MARKS:
        return Amount(0)
    m = _AMOUNT.match(s)
    if not m:
        raise NotationError(f"not a figure: {text!r}")
    sign, digits = m.groups()
    irregular = not _GROUPED.match(digits)
    try:
        value = Decimal(digits.replace(",", "")) * UNIT_WON[unit]
    except (InvalidOperation, KeyError):
        raise NotationError(f"not a figure: {text!r}") from None
    if value != value.to_integral_value():
        raise NotationError(f"{text!r} {unit} is not a whole number of won")
    won = int(value)
    return Amount(-won if sign else won, irregular)


def parse_signed_amount(text: str, unit: str = "원") -> Amount:
    """A figure of a signed change column: `△1,400`, `▲1,400`, `-1,400` and `(1,400)` are
    decreases (negative), `5,000` and `+5,000` increases; else as parse_amount."""
    s = squash(text or "")
    m = PAREN_NEGATIVE.match(s)
    if m:
        a = parse_amount(m.group(1), unit)
        return Amount(-a.won, a.irregular)
    m = PLUS_FIGURE.match(s)
    return parse_amount(m.group(1) if m else s, unit)


def looks_like_amount(text: str) -> bool:
    s = squash(text or "")
    return bool(_AMOUNT.match(s))


def find_unit(text: str) -> Optional[str]:
    """The unit named in `(단위 : 천원)` or `예산현액 (단위: 천원)`."""
    return unit_of(text)


def unit_line(text: str) -> Optional[str]:
    """The unit a line above or beside a table prints, in any of its forms: `(단위 : 천원)`,
    `[단위: 백만원]`, `금액단위 : 원`, or the unit alone in brackets (`(천원)`, `<백만원>`)."""
    u = find_unit(text)
    if u:
        return u
    m = UNIT_ALONE.match(squash(text))
    return m.group(1) if m else None


def header_unit(text: str) -> Optional[str]:
    """The unit a header cell prints beside its words: `예산액(천원)`, `예산현액 (단위:천원)`,
    `(백만원)`."""
    u = find_unit(text)
    if u:
        return u
    m = UNIT_IN_BRACKETS.search(squash(text))
    return m.group(1) if m else None


def split_unit_suffix(text: str) -> tuple[str, Optional[str]]:
    """A figure printed with its unit (`1,400천원`, `△500,000 원`) → (the figure, its unit);
    a bare figure → (text, None)."""
    m = FIGURE_WITH_UNIT.match(squash(text or ""))
    return (m.group(1), m.group(2)) if m else (text, None)


def find_money(text: str) -> Optional[tuple[int, str, bool]]:
    """First `금 30,000천원` / `30백만원` / `30,000,000원` in prose → (won, printed, irregular)."""
    m = _MONEY_IN_PROSE.search(text)
    if not m:
        return None
    amount = parse_amount(m.group(1), m.group(2))
    return amount.won, m.group(0), amount.irregular


# ---------------------------------------------------------------- dates
_APOS = "'’‘`´′"
_YEAR = rf"(?:(?P<y4>(?:19|20)\d{{2}})|[{_APOS}](?P<y2>\d{{2}}))"
_DATE = re.compile(
    _YEAR
    + r"\s*[.\-/년]\s*(?P<m>\d{1,2})(?!\d)\s*(?:[.\-/월]\s*(?:(?P<d>\d{1,2})(?!\d)\s*[.일]?)?)?"
)
# The end of a range may drop the year: `'21.10.12. ~ 10.19.`
_SHORT_DATE = re.compile(r"(?P<m>\d{1,2})\s*[.월]\s*(?P<d>\d{1,2})(?!\d)\s*[.일]?")


@dataclass(frozen=True)
class PartialDate:
    year: int
    month: Optional[int] = None
    day: Optional[int] = None

    def iso(self) -> str:
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def _year(y4: Optional[str], y2: Optional[str]) -> int:
    if y4:
        return int(y4)
    yy = int(y2)
    return 2000 + yy if yy < 70 else 1900 + yy


def _checked(year: int, month: Optional[int], day: Optional[int]) -> Optional[PartialDate]:
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None:
        try:
            _dt.date(year, month, day)
        except ValueError:
            return None
    return PartialDate(year, month, day)


def match_date(text: str, pos: int = 0):
    """Find a date at or after `pos`: returns (PartialDate, match) or (None, None)."""
    for m in _DATE.finditer(text, pos):
        d = _checked(_year(m.group("y4"), m.group("y2")), int(m.group("m")), int(m.group("d")) if m.group("d") else None)
        if d:
            return d, m
    return None, None


def parse_date(text: str) -> Optional[PartialDate]:
    d, _ = match_date(text)
    if d is None:
        m = _YEAR_ONLY.search(text)
        if m:
            return PartialDate(int(m.group(1)))
    return d


_WEEKDAY = re.compile(r"^\s*\((?:월|화|수|목|금|토|일)\)")
_RANGE = re.compile(r"^\s*[~∼～\-]\s*")


def _skip_weekday(s: str) -> str:
    m = _WEEKDAY.match(s)
    return s[m.end():] if m else s


def parse_timeline_entry(line: str) -> Optional[tuple[PartialDate, Optional[PartialDate], str]]:
    """`'21.10.12. ~ '21.10.19. : 행사 개최` → (start, end, text); None when the line does
    not begin with a date."""
    s = line.strip()
    start, m = match_date(s)
    if start is None or m.start() != 0:
        return None
    rest = _skip_weekday(s[m.end():])
    end = None
    r = _RANGE.match(rest)
    if r:
        rest = rest[r.end():]
        end, m2 = match_date(rest)
        if end is not None and m2.start() == 0:
            rest = rest[m2.end():]
        else:
            m3 = _SHORT_DATE.match(rest)
            if not m3:
                return None
            # The short end of a range prints no year: it is the first such day after the
            # start, so a month and day before the start's fall in the next year
            # (`'24.12.23. ~ 1.3.` ends on 2025-01-03).
            month, day = int(m3.group("m")), int(m3.group("d"))
            year = start.year
            if start.month is not None and (month, day) < (start.month, start.day or 1):
                year += 1
            end = _checked(year, month, day)
            rest = rest[m3.end():]
        rest = _skip_weekday(rest)
    rest = rest.strip()
    if rest[:1] in (":", "："):
        rest = rest[1:].strip()
    return start, end, rest


def quarter_bounds(year: int, quarter: Optional[int]) -> tuple[_dt.date, _dt.date]:
    if quarter is None:
        return _dt.date(year, 1, 1), _dt.date(year, 12, 31)
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    last_day = (_dt.date(year + (last_month == 12), last_month % 12 + 1, 1) - _dt.timedelta(days=1)).day
    return _dt.date(year, first_month, 1), _dt.date(year, last_month, last_day)


def date_within(d: PartialDate, lo: _dt.date, hi: _dt.date) -> bool:
    """A partial date is inside when some day it may stand for lies in [lo, hi]."""
    if d.month is None:
        return lo.year <= d.year <= hi.year
    if d.day is None:
        return (lo.year, lo.month) <= (d.year, d.month) <= (hi.year, hi.month)
    return lo <= _dt.date(d.year, d.month, d.day) <= hi

"""Item numerals in the styles offices print, and which numbered lines are items.

A report numbers its transfers however the office likes: Roman numerals in ASCII or
Unicode (`I`, `Ⅱ`, `III.`: the two alphabets mix in one file), `1.`, `1)`, `(1)`, `[1]`,
`제1`, `①`, `가.`, the numeral alone on its line or followed by the title. The same
styles number lines inside an item (`1. 일 시 : …` in 사업개요), so a numbered line is
an item only by meaning: it opens a stretch of the document that holds the item's own
sections (`□ 사업개요`, `전용개요`, `전용사유`, `예산 현황`). `find_items` therefore
splits the sections into items first (an item never prints the same section twice) and
then looks, between one item's sections and the next's, for the numeral that heads it.

`label` is the numeral as printed, without the punctuation around it (`Ⅲ.` → `Ⅲ`,
`(2)` → `2`, `제3` → `3`, `①` → `①`), as the contract's `I`, `Ⅲ`, `1`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional, Sequence

import regex as re

from ..domain.marks import ROMAN_NUMERALS as _ROMAN_UNICODE

_ROMAN_ASCII_VALUES = {"I": 1, "V": 5, "X": 10}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_HANGUL_ORDER = "가나다라마바사아자차카타파하"

# Each pattern captures the numeral (`num`), the text after it (`rest`) and whatever
# punctuation distinguishes one numbering level from another (`open`/`close`). A numeral
# must be followed by its punctuation, a space or the end of the line, so that `IT기술`,
# `10,000천원` or `2022. 2.` never read as numerals.
_ROMAN = re.compile(
    rf"^(?P<num>[{_ROMAN_UNICODE}]|X{{0,3}}(?:IX|IV|V?I{{1,3}}|V)|X{{1,3}})"
    r"(?:\s*(?P<close>[.．)])\s*|\s+|$)(?P<rest>.*)$"
)
_ARABIC = re.compile(
    r"^(?P<open>[(（\[［]?)\s*(?P<num>\d{1,2})\s*(?P<close>[.．)）\]］]?)(?P<rest>.*)$"
)
# `제1`, `제 1.`, `제1호`: a counter word (호, 건, 안) is attached to the number; after a
# space it begins the title (`제6 안전 지원 …`).
_JE = re.compile(r"^제\s*(?P<num>\d{1,2})(?:\s*(?P<close>[.．)])|(?P<counter>호|건|안))?(?P<rest>.*)$")
_CIRCLED_RE = re.compile(r"^(?P<num>[①-⑳])\s*(?P<rest>.*)$")
_HANGUL = re.compile(r"^(?P<num>[가나다라마바사아자차카타파하])\s*(?P<close>[.．)])\s*(?P<rest>.*)$")
# A `key : value` line (`1. 일 시 : '21.10.18.`) is a numbered fact, never an item's title.
_KEY_VALUE = re.compile(r"^[^:：]{1,12}[:：]")


@dataclass(frozen=True)
class Numeral:
    family: str  # what numbers one level: `roman`, `arabic.`, `arabic()`, `circled` …
    value: int
    label: str  # the numeral as printed
    rest: str  # the text after it on the line (the title, when printed inline)


def roman_value(num: str) -> int:
    if num in _ROMAN_UNICODE:
        return _ROMAN_UNICODE.index(num) + 1
    total = 0
    for k, ch in enumerate(num):
        v = _ROMAN_ASCII_VALUES[ch]
        nxt = _ROMAN_ASCII_VALUES[num[k + 1]] if k + 1 < len(num) else 0
        total += -v if v < nxt else v
    return total


def numeral_of(text: str) -> Optional[Numeral]:
    """The item-style numeral opening a line, or None."""
    t = text.strip()
    if not t or len(t) > 200:
        return None
    m = _ROMAN.match(t)
    if m:
        return Numeral("roman", roman_value(m.group("num")), m.group("num"), m.group("rest").strip())
    m = _ARABIC.match(t)
    if m:
        opening, close, rest = m.group("open"), m.group("close"), m.group("rest")
        pair = {"(": ")", "（": ")", "[": "]", "［": "]"}.get(opening)
        close_norm = {"．": ".", "）": ")", "］": "]"}.get(close, close)
        if pair is not None and close_norm != pair:
            return None
        if not opening and not close and rest.strip():
            return None  # a bare number opening prose (`3 개소`)
        if close_norm == "." and rest[:1].isdigit():
            return None  # a decimal or a date (`1.5배`, `2. 14.`)
        if rest and not rest[:1].isspace() and not close:
            return None
        if opening:
            family = "arabic()" if pair == ")" else "arabic[]"
        else:
            family = "arabic" + close_norm
        return Numeral(family, int(m.group("num")), m.group("num"), rest.strip())
    m = _JE.match(t)
    if m:
        rest = m.group("rest")
        if rest and not rest[:1].isspace() and not (m.group("close") or m.group("counter")):
            return None  # `제1차 추경`: an ordinal in prose
        return Numeral("je", int(m.group("num")), m.group("num"), rest.strip())
    m = _CIRCLED_RE.match(t)
    if m:
        return Numeral("circled", _CIRCLED.index(m.group("num")) + 1, m.group("num"), m.group("rest").strip())
    m = _HANGUL.match(t)
    if m:
        return Numeral("hangul", _HANGUL_ORDER.index(m.group("num")) + 1, m.group("num"), m.group("rest").strip())
    return None


def _may_head_item(n: Numeral) -> bool:
    return not _KEY_VALUE.match(n.rest)


@dataclass(frozen=True)
class ItemStart:
    index: int  # block index of the heading line
    numeral: Optional[Numeral]  # None: the item prints no numeral


def split_by_sections(section_at: Sequence[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Known sections in document order → one group per item: a section kind printed a
    second time opens the next item (an item prints each of its sections once)."""
    groups: list[list[tuple[int, str]]] = []
    seen: set[str] = set()
    for index, kind in section_at:
        if not groups or kind in seen:
            groups.append([])
            seen = set()
        groups[-1].append((index, kind))
        seen.add(kind)
    return groups


def find_items(n_blocks: int, numeral_at: Callable[[int], Optional[Numeral]], section_at: Sequence[tuple[int, str]]) -> list[Optional[ItemStart]]:
    """Item headings, one per group of sections; None for a group whose heading carries
    no numeral of the report's item style (the caller decides what heads it).

    numeral_at(i): the numeral opening block i (None for tables and unnumbered lines);
    section_at: (block index, kind) of every known section heading, in order.

    Between the previous item's last section heading and this item's first one lie the
    rest of that section (a table, notes, reasons), then this item's heading, title and
    lead. Of the numerals there, the item's is the last one carrying the next value of
    the report's item style: numbered lines of the previous section come before it."""
    groups = split_by_sections(section_at)
    if not groups:
        return []
    bounds = []
    lo = 0
    for g in groups:
        bounds.append((lo, g[0][0]))
        lo = g[-1][0] + 1
    candidates: dict[str, list[list[tuple[int, Numeral]]]] = {}
    for k, (a, b) in enumerate(bounds):
        for i in range(a, b):
            n = numeral_at(i)
            if n is not None and _may_head_item(n):
                per_group = candidates.setdefault(n.family, [[] for _ in bounds])
                per_group[k].append((i, n))
    best: list[Optional[ItemStart]] = [None] * len(groups)
    best_score = 0
    for family, per_group in candidates.items():
        picked = _sequence(per_group)
        score = sum(1 for p in picked if p is not None)
        if score > best_score:
            best, best_score = picked, score
    return best


def _sequence(per_group: list[list[tuple[int, Numeral]]]) -> list[Optional[ItemStart]]:
    """In each group's stretch, the last numeral with the next value (or, when one item
    was withdrawn, the one after it)."""
    out: list[Optional[ItemStart]] = []
    previous = 0
    for cands in per_group:
        pick = None
        for want in (previous + 1, previous + 2):
            hits = [(i, n) for i, n in cands if n.value == want]
            if hits:
                pick = hits[-1]
                break
        if pick is None:
            out.append(None)
            continue
        previous = pick[1].value
        out.append(ItemStart(pick[0], pick[1]))
    return out


def numbered_sequence(numerals: Sequence[tuple[int, Numeral]]) -> list[ItemStart]:
    """Without sections to go by: the longest run 1, 2, 3 … of one style, in order."""
    by_family: dict[str, list[ItemStart]] = {}
    for i, n in numerals:
        run = by_family.setdefault(n.family, [])
        expected = len(run) + 1
        if n.value == expected and _may_head_item(n):
            run.append(ItemStart(i, n))
    return max(by_family.values(), key=len, default=[])

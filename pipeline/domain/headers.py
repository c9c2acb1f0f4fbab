"""Header words of the 예산 현황 table, the column roles they name, and total labels.

The header is one to four rows whose cells merge differently from table to table (and
from one office to the next), so every column is named by the words printed above it,
never by its position. Readers that must find a header by its words (layout text) and
the parser that maps a table's columns read the same words here.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

import regex as re

from ..textutil import squash
from .figures import UNIT_WORDS

# Column roles and the header words that name them, most specific first. Each pattern is
# matched against one header cell's text with spaces removed.
CELL_ROLES: tuple[tuple[str, re.Pattern], ...] = (
    ("after", re.compile(r"(전용|변경|조정|이용)후|후예산")),
    ("decrease", re.compile(r"^(감|감액|감소|\(?△\)?|減)$")),
    ("increase", re.compile(r"^(증|증액|증가|增)$")),
    ("stat_code", re.compile(r"^(통계목)?코드$|^목코드$")),
    ("stat_name", re.compile(r"^(통계목)?(과목)?명$|^목명$")),
    ("stat", re.compile(r"통계목|^목$|편성목|^비목$")),
    ("detail_program", re.compile(r"세부사업")),
    ("unit_program", re.compile(r"단위사업")),
    ("policy_program", re.compile(r"정책사업")),
    ("department", re.compile(r"부서|소관|^과명$|^부서명$")),
    ("before", re.compile(r"예산현액|예산액|현액|전용전|당초|현계")),
)
MONEY_ROLES = ("before", "decrease", "increase", "after")
TEXT_ROLES = ("department", "policy_program", "unit_program", "detail_program")
# The order every budget table prints its columns in (감 and 증 either way round).
COLUMN_RANK = {
    "department": 0, "policy_program": 1, "unit_program": 2, "detail_program": 3,
    "stat": 4, "stat_code": 4, "stat_name": 5, "before": 6, "decrease": 7, "increase": 7, "after": 8,
}

# Header words that group columns: they name no column of their own. Each with the roles
# of the columns it may stand over.
GROUP_ROLES = {
    "예산과목": ("unit_program", "detail_program", "stat", "stat_code", "stat_name"),
    "과목": ("unit_program", "detail_program", "stat", "stat_code", "stat_name"),
    "예산과목명": ("unit_program", "detail_program", "stat", "stat_code", "stat_name"),
    "증감내역": ("decrease", "increase"), "증감": ("decrease", "increase"),
    "증감액": ("decrease", "increase"), "전용내역": ("decrease", "increase"),
}
GROUPS = frozenset(GROUP_ROLES)
# What any group word contains (a header row may print one merged over its columns).
_GROUP_STEMS = ("예산과목", "증감")

# Every word a budget table's header prints (spaces removed), the unit included where a
# header prints it in a cell, for telling the pieces a wrap leaves of them (`예산현`,
# `액(`, `단위:`, `원)`) from other text.
COLUMN_WORDS = (
    "부서명", "소관부서", "정책사업", "단위사업", "세부사업", "통계목", "통계목코드", "통계목명", "예산과목",
    "예산현액", "예산액", "전용전예산액", "증감내역", "전용내역", "감액", "증액", "전용후예산현액", "전용후예산액",
)
_UNIT_SUFFIXES = ("",) + tuple(f"(단위:{u})" for u in ("천원", "백만원", "원"))
HEADER_WORDS = tuple(word + unit for word in COLUMN_WORDS for unit in _UNIT_SUFFIXES)
# Header fragments left by a wrap, which name nothing alone but belong to a header.
HEADER_FRAGMENT = re.compile(rf"^(예산|예산현|현액|액|단위|{'|'.join(UNIT_WORDS)}|전용|후|\(|\))")
# Words one of which every budget-table header prints (a cheap test before a closer look).
HEADER_HINTS = ("부서", "사업", "예산", "통계목", "감", "증")

# Row labels that are not budget lines: the table's total, and subtotals.
# The total row as most tables label it (what a misread label is taken to be, in notes).
TOTAL_LABEL = "총계"
TOTAL = re.compile(r"^(총계|합계|계|총액)$")
SUBTOTAL = re.compile(r"^(소계|부서계|사업계)$")


# What a header cell prints beside its words that names no column: letter and formula
# labels (`예산현액(A)`, `감액(B)`, `전용 후(A-B+C)`) and a unit (`예산액(천원)`, `(단위:천원)`).
HEADER_LABEL = re.compile(
    rf"[(（\[][A-Za-z](?:[-+±][A-Za-z])*[)）\]]|[(（\[<](?:[^()（）]*단위[^()（）]*|{'|'.join(UNIT_WORDS)})[)）\]>]"
)
# One column of signed changes instead of 감 and 증 (`증감(△)`, `전용액`: `△1,400` a decrease,
# `5,000` an increase). A group word over 감 and 증 (`증감`) names this column when it stands
# over one column alone.
CHANGE_WORDS = re.compile(r"^(증감|증감액|증감내역|전용액|전용금액|변경액|조정액|증\(?[△▲-]\)?감|증감\([△▲-]\))$")


def header_words(text: str) -> str:
    """A header cell's words, spaces, letter labels and units removed (`감액(B)` → `감액`)."""
    return HEADER_LABEL.sub("", squash(text))


def is_header_label(text: str) -> bool:
    """A header cell printing only a letter or formula label or a unit (`(B)`, `(A-B+C)`)."""
    t = squash(text)
    return bool(t) and not HEADER_LABEL.sub("", t)


def names_change(text: str) -> bool:
    """A header cell naming a column of signed changes (`증감(△)`, `전용액`)."""
    t = squash(text)
    return bool(CHANGE_WORDS.match(t) or CHANGE_WORDS.match(header_words(t)))


@lru_cache(maxsize=4096)
def column_role(text: str) -> Optional[str]:
    """The column a header cell's words name (`before`, `decrease`, `stat` …), or None."""
    t = header_words(text)
    if not t:
        return None
    for role, pattern in CELL_ROLES:
        if pattern.search(t):
            return role
    return None


def is_group(text: str) -> bool:
    """A header word that groups columns (`예산과목`, `증감내역`)."""
    return squash(text) in GROUPS


def mentions_group(text: str) -> bool:
    """A header cell printing a group word, perhaps among others."""
    t = squash(text)
    return any(stem in t for stem in _GROUP_STEMS)


def is_total(label: str) -> bool:
    """The table's total row (`총 계`, `합계`), spaces removed or not."""
    return bool(TOTAL.match(squash(label)))


def is_subtotal(label: str) -> bool:
    return bool(SUBTOTAL.match(squash(label)))


def is_total_label(text: str) -> bool:
    """`총 계`, `합계`, `소계` …: a row label that is not a budget line."""
    return is_total(text) or is_subtotal(text)


# A header term is short: `세부사업 변경 및 …` in prose names no column.
HEADER_TERM_MAX_CHARS = 12
HEADER_TERM_MAX_WORDS = 3


@lru_cache(maxsize=16384)
def is_header_term(text: str) -> bool:
    """A header cell's words: a column role's or a group word, short."""
    t = squash(text)
    return (0 < len(t) <= HEADER_TERM_MAX_CHARS and len(text.split()) <= HEADER_TERM_MAX_WORDS
            and (column_role(t) is not None or t in GROUPS))


@lru_cache(maxsize=16384)
def is_header_piece(text: str) -> bool:
    """A header term, or a piece of one that a wrap left (`예산현`, `액(`, `단위:`)."""
    t = squash(text)
    return bool(t) and (is_header_term(text) or any(t in w for w in HEADER_WORDS))

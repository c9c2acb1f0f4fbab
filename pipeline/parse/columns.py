"""Column roles from what the cells hold, where the header's words do not say.

No list of header words is complete: offices print `비목`, `전용액`, `증감(△)`, letter labels
and words nobody has listed. A budget table's columns also say what they are by their
content — budget codes, names, figures, signed figures — and by the arithmetic that ties
the figure columns: 예산현액 − 감 + 증 = 전용 후 예산현액 on every line, or, with one signed
change column, 예산현액 + 증감 = 전용 후. A column whose role its words do not name gets one
from its content only when that arithmetic holds on every line and agrees with every role
the words do name; each such decision is a note (basis `arithmetic` for figures, `content`
for codes). Anything less certain leaves the role missing, and the table is set aside.
"""
from __future__ import annotations

from typing import Optional

from ..domain.codes import CODE_AND_NAME
from ..ir import Cell, Loc, Note
from ..textutil import squash
from .notation import UNIT_WON, NotationError, parse_signed_amount, split_unit_suffix

FOUR = ("before", "decrease", "increase", "after")
THREE = ("before", "change", "after")
MONEY_ROLES = frozenset(FOUR + THREE)
# Figures compared unit aside are read in the largest unit, so that decimals stay whole.
_LARGEST_UNIT = max(UNIT_WON, key=UNIT_WON.get)


def raw_value(text: str) -> Optional[int]:
    """A figure as printed, unit aside (scaled so that decimals stay whole), or None."""
    figure, _ = split_unit_suffix(text)
    try:
        return parse_signed_amount(figure, _LARGEST_UNIT).won
    except NotationError:
        return None


def column_kind(cells: list[str]) -> str:
    """`empty`, `figures`, `signed` (figures some of them negative), `codes` (budget
    codes, perhaps with their names) or `text`."""
    cells = [c for c in cells if c]
    if not cells:
        return "empty"
    values = [raw_value(c) for c in cells]
    if all(v is not None for v in values) and any(ch.isdigit() for c in cells for ch in c):
        return "signed" if any(v < 0 for v in values) else "figures"
    if all(CODE_AND_NAME.match(c) for c in cells):
        return "codes"
    return "text"


def _ties(body: list[list[Cell]], cols: dict, roles: tuple) -> bool:
    """The arithmetic of `roles` holds on every line printing all of them (at least one)."""
    lines = 0
    for row in body:
        values = [raw_value(row[cols[r]].text) for r in roles]
        if any(v is None for v in values):
            if any(row[cols[r]].text.strip() for r in roles):
                return False
            continue
        v = dict(zip(roles, values))
        if roles == FOUR:
            ok = v["decrease"] >= 0 and v["increase"] >= 0 and v["before"] - v["decrease"] + v["increase"] == v["after"]
        else:
            ok = v["before"] + v["change"] == v["after"]
        if not ok:
            return False
        lines += 1
    return lines > 0


def one_column_between(body: list[list[Cell]], roles: dict) -> bool:
    """A signed change column is the one column of figures between 예산현액 and 전용 후."""
    lo, hi = roles.get("before"), roles.get("after")
    if lo is None or hi is None:
        return False
    inner = [c for c in range(lo + 1, hi)
             if column_kind([row[c].text.strip() for row in body if c < len(row)]) in ("figures", "signed")]
    return inner == [roles["change"]]


def decide_by_content(roles: dict, header: list[list[str]], body: list[list[Cell]], loc: Loc, notes: list) -> dict:
    """The word roles (role → column) completed from the columns' content where the words
    left roles missing; a new dict. Notes say which roles the content decided."""
    width = max((len(r) for r in body), default=0)
    if not body or not width:
        return roles
    kinds = [column_kind([row[c].text.strip() for row in body if c < len(row)]) for c in range(width)]
    named = {c: r for r, c in roles.items()}
    words = ["/".join(squash(h[c]) for h in header if c < len(h) and h[c].strip()) for c in range(width)]
    out = dict(roles)
    have_money = {r for r in roles if r in MONEY_ROLES}
    if not (set(FOUR) <= have_money or set(THREE) <= have_money):
        figure_cols = [c for c in range(width) if kinds[c] in ("figures", "signed")]
        if "before" in roles and "after" in roles:
            inner = [c for c in figure_cols if roles["before"] < c < roles["after"]]
            figure_cols = [roles["before"]] + inner + [roles["after"]]
        # 감 and 증 print either way round: with four figure columns both orders are tried,
        # and the content decides only when exactly one of them ties.
        orders = {3: [THREE], 4: [FOUR, ("before", "increase", "decrease", "after")]}.get(len(figure_cols), [])
        fits = []
        for wanted in orders:
            cols = dict(zip(wanted, figure_cols))
            if any(named.get(c) not in (None, r) for r, c in cols.items()):
                continue  # the words name another role there
            if any(r in roles and roles[r] != c for r, c in cols.items()):
                continue
            arithmetic = THREE if "change" in cols else FOUR
            if _ties(body, cols, arithmetic):
                fits.append((cols, arithmetic))
        if len(fits) == 1:
            cols, arithmetic = fits[0]
            rule = "예산현액 + 증감 = 전용 후" if arithmetic == THREE else "예산현액 − 감 + 증 = 전용 후"
            for r, c in cols.items():
                if r not in roles:
                    out[r] = c
                    notes.append(Note(r, f"header {words[c] or '(blank)'!r} names no column known",
                                      f"column {c + 1} ({kinds[c]}) read as {r}: {rule} on every line, "
                                      "and in no other order of the columns", "arithmetic", loc))
    if not ({"stat", "stat_code", "stat_name"} & set(out)):
        first_figure = min((c for r, c in out.items() if r in MONEY_ROLES), default=width)
        codes = [c for c in range(first_figure) if kinds[c] == "codes" and c not in named]
        if len(codes) == 1:
            out["stat"] = codes[0]
            notes.append(Note("stat", f"header {words[codes[0]] or '(blank)'!r} names no column known",
                              f"column {codes[0] + 1} holds budget codes on every line: read as 통계목", "content", loc))
    return out

"""Whitespace helpers used on every line and cell. They are on the hot path, so they use
str.split (which knows Unicode whitespace, including U+3000 and U+00A0) instead of regex."""
from __future__ import annotations

import re

# C0 controls, DEL and C1 controls: they print nothing, and no output may carry one.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]+")


def collapse(s: str) -> str:
    """Runs of whitespace (spaces, tabs, no-break and ideographic spaces) → one space; ends trimmed."""
    return " ".join(s.split())


def squash(s: str) -> str:
    """All whitespace removed: for comparing words whose spacing drifts (`예산 현황`)."""
    return "".join(s.split())


def printable(s: str) -> str:
    """`s` without control characters (whitespace runs then collapsed, as every reader
    leaves them); the usual string, without any, is returned as it is at once."""
    if s.isprintable():
        return s
    cleaned = _CONTROLS.sub("", s)
    return s if cleaned == s else collapse(cleaned)

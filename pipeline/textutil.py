"""Whitespace helpers used on every line and cell. They are on the hot path, so they use
str.split (which knows Unicode whitespace, including U+3000 and U+00A0) instead of regex."""
from __future__ import annotations


def collapse(s: str) -> str:
    """Runs of whitespace (spaces, tabs, no-break and ideographic spaces) → one space; ends trimmed."""
    return " ".join(s.split())


def squash(s: str) -> str:
    """All whitespace removed: for comparing words whose spacing drifts (`예산 현황`)."""
    return "".join(s.split())

"""Marks that open the reports' paragraphs: section marks, bullets, item numerals.

A line opening with one of them starts a paragraph of its own, whatever room the line
above left; the readers use them to tell a new paragraph from a wrapped one.
"""
from __future__ import annotations

import regex as re

ROMAN_NUMERALS = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"
# Section marks (`□ 사업개요`).
SECTION_MARKS = "□■◆◇"
# Bullets of the reports' lists.
BULLETS = "○●◎◦ㅇ-–•·※"
# A line opening with one of these starts a paragraph of its own (bullets, section marks,
# notes, arrows, Roman numerals, opening brackets of a title).
OPENERS = frozenset(SECTION_MARKS + BULLETS + "⇒➡▶▷" + ROMAN_NUMERALS + "〈<「『【")
# A bullet standing alone on its line (its text on the next).
LONE_BULLET = re.compile(r"^[-–•·○●◦ㅇ□■※]$")
# A line opening with a Roman numeral (`Ⅰ. 개요`, `II 사업`).
ROMAN_LINE = re.compile(rf"^(?:[{ROMAN_NUMERALS}]|[IVX]{{1,4}})(?:[\s.．)]|$)")
# An item numeral standing alone (`1.`, `(2)`, `[3]`, `④`, `제 5`).
ITEM_NUMERAL = re.compile(r"^(?:\(?\d{1,2}[.)]|\(\d{1,2}\)|\[\d{1,2}\]|[①-⑳]|제\s*\d{1,2})$")
# A line opening with an item numeral and its text (`1. 사업`, `① 사업`).
NUMBERED = re.compile(r"^(?:\(?\d{1,2}[.)]|[①-⑳])\s")
# A section's heading alone on its line, its mark perhaps before it.
SECTION_WORDS = re.compile(rf"^[{SECTION_MARKS}]?(사업개요|전용개요|전용사유|예산현황|예산전용현황|사유)$")

"""Marks that open the reports' paragraphs: section marks, bullets, item numerals.

A line opening with one of them starts a paragraph of its own, whatever room the line
above left; the readers use them to tell a new paragraph from a wrapped one.
"""
from __future__ import annotations

import regex as re

ROMAN_NUMERALS = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"
# Marks that open a section (`□ 사업개요`); a section's name may also stand without one.
SECTION_MARKS = "□■◻◼❏❑▣"
# Marks that open a heading in the layout of a page (sections, and ◆ ◇ headings).
HEADING_MARKS = SECTION_MARKS + "◆◇"
# Bullets of the reports' lists.
BULLETS = "○●◎◦ㅇ-–•·※"
# A line opening with one of these starts a paragraph of its own (bullets, section marks,
# notes, arrows, Roman numerals, opening brackets of a title).
OPENERS = frozenset(HEADING_MARKS + BULLETS + "⇒➡▶▷" + ROMAN_NUMERALS + "〈<「『【")
# Bullet marks removed from a line's start; `※`, `⇒`, `➡` are content and stay.
BULLET_RUN = re.compile(r"^(?:[-–·•ㆍ∙▪▫◦*]\s*)+")
# A sub-heading (`○ 추진경과`), its name after the mark.
SUBHEADING = re.compile(r"^[○ㅇ◦◯●◎]\s*(?P<name>.+)$")
# A bullet standing alone on its line (its text on the next).
LONE_BULLET = re.compile(r"^[-–•·○●◦ㅇ□■※]$")
# A line opening with a Roman numeral (`Ⅰ. 개요`, `II 사업`).
ROMAN_LINE = re.compile(rf"^(?:[{ROMAN_NUMERALS}]|[IVX]{{1,4}})(?:[\s.．)]|$)")
# An item numeral standing alone (`1.`, `(2)`, `[3]`, `④`, `제 5`).
ITEM_NUMERAL = re.compile(r"^(?:\(?\d{1,2}[.)]|\(\d{1,2}\)|\[\d{1,2}\]|[①-⑳]|제\s*\d{1,2})$")
# A line opening with an item numeral and its text (`1. 사업`, `① 사업`).
NUMBERED = re.compile(r"^(?:\(?\d{1,2}[.)]|[①-⑳])\s")

# The sections of a transfer, by the names they are printed under (spaces removed).
_SECTION_NAMES = {
    "overview": r"사업(개요|내용개요|의개요)",
    "transfer": r"(전용|예산전용)(개요|내역|내용)",
    "reasons": r"(전용)?사유|전용사유및필요성",
    "budget": r"(예산|예산전용|전용예산)현황|예산현황표",
}
SECTIONS = {key: re.compile(rf"^(?:{name})$") for key, name in _SECTION_NAMES.items()}
# A section's heading alone on its line (spaces removed), its mark perhaps before it.
SECTION_WORDS = re.compile(rf"^[{HEADING_MARKS}]?(?:{'|'.join(f'(?:{n})' for n in _SECTION_NAMES.values())})$")

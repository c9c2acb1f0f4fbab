"""Proof by arithmetic: every figure read by OCR is proven, suspect or unchecked.

A budget table is full of sums: each row balances (예산현액 − 감 + 증 = 전용 후), each column
adds up to its printed 총계, total 감 = total 증, and the 전용개요 amount is the table's
total. After the audit, each figure read from a scanned page (`Reading`s the OCR producer
kept, found by the figure's cell or line) is

* **proven** when it takes part in a check that holds: an independent sum confirms the
  reading digit for digit;
* **suspect** when it takes part only in checks that fail, and Tesseract read it unsure
  (its word, or a glyph, below CONFIDENT), or another reading of its unsure glyphs alone
  would make a failing check hold (that reading is given as the alternative);
* **unchecked** when no check involves it.

A failing check on a scanned page stays a finding only when none of its figures is
suspect: its figures were read with confidence, so the document really prints the wrong
sum. Otherwise the finding is withdrawn and each suspect figure becomes a note (basis
`ocr`, its cell's `loc`): a reading to check, never an error of the document. Unchecked
figures read unsure are noted too. Nothing is corrected: the figure stays as read.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

import regex as re

from .domain.headers import TOTAL_LABEL
from .domain.labels import FIELD_KO as LABELS
from .ir import Loc, Note
from .records import MONEY_FIELDS, Report, Transfer

# Tesseract's confidence (0–100) below which a word or glyph is read unsure.
CONFIDENT = 80.0
_DIGITS = re.compile(r"\d")
FIELD_KO = {**LABELS, "amount": "전용금액"}


@dataclass
class Figure:
    """One figure of a transfer as the audit read it, and its OCR reading."""

    key: tuple  # (seq, line number or "total" or "amount", field)
    value: int
    loc: Optional[Loc]
    text: str = ""  # as read, all the readings in its cell joined
    confidence: float = 100.0  # the least of its words' and glyphs'
    glyphs: tuple = ()  # (character, confidence)
    checks: list = field(default_factory=list)  # (check, holds)

    @property
    def name(self) -> str:
        seq, where, f = self.key
        place = "전용개요" if where == "amount" else TOTAL_LABEL if where == "total" else f"line {where}"
        return f"transfer {seq} {place} {FIELD_KO.get(f, f)}"


@dataclass
class Check:
    name: str  # the audit's check
    members: list  # (Figure, coefficient): the sum of coefficient × value is 0 when it holds
    finding_key: tuple  # (check, transfer_seq, line, field) as the audit's finding names it

    @property
    def excess(self) -> int:
        return sum(c * f.value for f, c in self.members)

    @property
    def holds(self) -> bool:
        return self.excess == 0


@dataclass
class Marks:
    proven: int = 0
    suspect: int = 0
    unchecked: int = 0
    disputed: int = 0  # read sure, in failing checks only: the document prints it so


def prove(report: Report, readings: list) -> Marks:
    """Mark the OCR'd figures of `report`; withdraw findings that rest on suspect readings
    and note those readings (report.findings and report.notes are updated)."""
    marks = Marks()
    if not readings:
        return marks
    by_page: dict = {}
    for r in readings:
        by_page.setdefault(r.page, []).append(r)
    withdrawn: set = set()
    notes: list[Note] = []
    for t in report.transfers:
        total_line = _unlabelled_total(t, by_page)
        if total_line is not None:
            # A line whose figures are the others' sums, on a scanned page, with no 총계 read:
            # the total row with its label misread (`총계` read `종계`). The table's sums are
            # in doubt: they are readings to check, not findings.
            n, ln = total_line
            notes.append(Note(text=(ln.department or ln.stat_name or "").strip(), alternative=TOTAL_LABEL,
                              reason=f"OCR reading to check: transfer {t.seq} line {n} prints the sums of the other "
                                     f"lines in every column; its label may be a misread {TOTAL_LABEL}",
                              basis="ocr", loc=ln.loc))
            withdrawn.update({(c, t.seq, None, None) for c in ("summary_amount", "transfer_balance")})
            withdrawn.update({("column_total", t.seq, None, f) for f in MONEY_FIELDS})
        figures, checks = _figures_and_checks(t)
        read = [f for f in figures if _attach(f, by_page)]
        for c in checks:
            for f, _ in c.members:
                f.checks.append(c)
        suspect: set = set()
        for f in read:
            if any(c.holds for c in f.checks):
                marks.proven += 1
                continue
            if not f.checks:
                marks.unchecked += 1
                if f.confidence < CONFIDENT:
                    notes.append(_note(f, "", f"OCR reading to check: no printed sum involves {f.name}; "
                                                f"read with confidence {f.confidence:.0f}"))
                continue
            failing = [c for c in f.checks if not c.holds]
            alternative = next((alt for c in failing if (alt := _alternative(f, c)) is not None), None)
            if f.confidence < CONFIDENT or alternative is not None:
                suspect.add(id(f))
                marks.suspect += 1
                names = ", ".join(sorted({c.name for c in failing}))
                why = (f"reading {alternative} instead would make it hold" if alternative is not None
                       else f"read with confidence {f.confidence:.0f}")
                notes.append(_note(f, alternative or "", f"OCR reading to check: {f.name} takes part only in "
                                                         f"checks that fail ({names}); {why}"))
            else:
                marks.disputed += 1  # read with confidence: the failing check stands as a finding
        for c in checks:
            if not c.holds and any(id(f) in suspect for f, _ in c.members):
                withdrawn.add(c.finding_key)
    if withdrawn:
        report.findings = [f for f in report.findings
                           if (f.check, f.transfer_seq, f.line, f.field) not in withdrawn
                           and (f.check, f.transfer_seq, None, None) not in withdrawn
                           and (f.check, f.transfer_seq, f.line, None) not in withdrawn
                           and (f.check, f.transfer_seq, None, f.field) not in withdrawn]
    report.notes.extend(notes)
    return marks


def _unlabelled_total(t: Transfer, by_page: dict):
    """(line number, line) of a budget line on a page read by OCR whose every figure is the
    sum of the other lines' (the table has no 총계 read), or None."""
    b = t.budget
    if b is None or b.total is not None or len(b.lines) < 3:
        return None
    for n, ln in enumerate(b.lines, start=1):
        if ln.loc is None or ln.loc.page not in by_page:
            continue
        others = [o for o in b.lines if o is not ln]
        if any(getattr(ln, f) for f in MONEY_FIELDS) and all(
                getattr(ln, f) == sum(getattr(o, f) for o in others) for f in MONEY_FIELDS):
            return n, ln
    return None


def _figures_and_checks(t: Transfer) -> tuple[list[Figure], list[Check]]:
    b = t.budget
    figures: list[Figure] = []
    checks: list[Check] = []
    if b is None or not b.lines:
        return figures, checks
    lines = []
    for n, ln in enumerate(b.lines, start=1):
        row = {f: Figure((t.seq, n, f), getattr(ln, f), ln.cell_locs.get(f)) for f in MONEY_FIELDS}
        lines.append(row)
        figures += row.values()
        checks.append(Check("row_balance", [(row["before"], 1), (row["decrease"], -1), (row["increase"], 1), (row["after"], -1)],
                            ("row_balance", t.seq, n, None)))
    total = None
    if b.total is not None:
        total = {f: Figure((t.seq, "total", f), b.total[f], b.total_locs.get(f)) for f in MONEY_FIELDS}
        figures += total.values()
        for f in MONEY_FIELDS:
            checks.append(Check("column_total", [(row[f], 1) for row in lines] + [(total[f], -1)], ("column_total", t.seq, None, f)))
    checks.append(Check("transfer_balance", [(row["decrease"], 1) for row in lines] + [(row["increase"], -1) for row in lines],
                        ("transfer_balance", t.seq, None, None)))
    amount = t.transfer.amount_won
    if amount is not None:
        a = Figure((t.seq, "amount", "amount"), amount, t.transfer.amount_loc)
        figures.append(a)
        for side in ("decrease", "increase"):
            members = [(total[side], -1)] if total is not None else [(row[side], -1) for row in lines]
            checks.append(Check("summary_amount", [(a, 1)] + members, ("summary_amount", t.seq, None, None)))
    return figures, checks


def _attach(f: Figure, by_page: dict) -> bool:
    """Find the figure's OCR reading (the words read in its cell, or on its line with its
    digits); False when its page was not read by OCR."""
    loc = f.loc
    if loc is None or loc.page is None or loc.bbox is None or loc.page not in by_page:
        return False
    x0, top, x1, bottom = loc.bbox
    inside = [r for r in by_page[loc.page]
              if x0 - 1 <= (r.bbox[0] + r.bbox[2]) / 2 <= x1 + 1 and top - 1 <= (r.bbox[1] + r.bbox[3]) / 2 <= bottom + 1
              and (r.kind == "figure" or _DIGITS.search(r.text))]
    if f.key[1] == "amount":  # a line of prose: the word whose digits are the amount's
        inside = [r for r in inside if _scale(f.value, _digits(r.text)) is not None][:1]
    if not inside:
        return False
    inside.sort(key=lambda r: ((r.bbox[1] + r.bbox[3]) / 2 // 2, r.bbox[0]))
    f.text = "".join(r.text for r in inside)
    f.glyphs = tuple(g for r in inside for g in r.glyphs)
    f.confidence = min([r.confidence for r in inside] + [c for g, c in f.glyphs if _DIGITS.match(g)])
    return True


def _digits(text: str) -> str:
    return "".join(_DIGITS.findall(text))


def _scale(value: int, digits: str) -> Optional[int]:
    """The factor (1, 1000, …) from the figure as printed to its value in won, or None."""
    if not digits:
        return None
    printed = int(digits)
    if printed == 0:
        return 1 if value == 0 else None
    if value % printed:
        return None
    factor = abs(value) // printed
    return factor if factor in (1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000) else None


def _alternative(f: Figure, c: Check) -> Optional[str]:
    """The reading of f that would make check c hold, when it differs from what was read
    only in glyphs read unsure (same number of digits), in where its point stands, or by
    one digit dropped or invented; None otherwise."""
    coefficient = next(k for g, k in c.members if g is f)
    needed = f.value - c.excess // coefficient if c.excess % coefficient == 0 else None
    digits = _digits(f.text)
    factor = _scale(f.value, digits)
    if needed is None or factor is None or needed < 0:
        return None
    # A point is the smallest glyph: read where none is printed, or missed where one is
    # (`4.5` read `45`): the same digits with the point elsewhere would make it hold.
    printed = format((Decimal(needed) / Decimal(factor)).normalize(), "f")
    if printed.replace(".", "") == digits and printed != f.text.replace(",", ""):
        return printed
    if needed % factor:
        return None
    wanted = str(needed // factor)
    # A glyph the recogniser dropped or invented: one digit more or fewer would make it hold.
    if abs(len(wanted) - len(digits)) == 1:
        longer, shorter = (wanted, digits) if len(wanted) > len(digits) else (digits, wanted)
        if any(longer[:k] + longer[k + 1:] == shorter for k in range(len(longer))):
            return f"{needed // factor:,}" if "," in f.text else wanted
    wanted = str(needed // factor).rjust(len(digits), "0")
    if len(wanted) != len(digits) or wanted == digits:
        return None
    confidences = [conf for g, conf in f.glyphs for ch in g if ch.isdigit()]
    if len(confidences) != len(digits):
        return None
    if all(a == b or conf < CONFIDENT for a, b, conf in zip(digits, wanted, confidences)):
        return _regroup(f.text, wanted)
    return None


def _regroup(text: str, digits: str) -> str:
    """`text` with its digits replaced, one for one (marks kept where printed)."""
    it = iter(digits)
    return "".join(next(it) if ch.isdigit() else ch for ch in text)


def _note(f: Figure, alternative: str, reason: str) -> Note:
    return Note(text=f.text, alternative=alternative, reason=reason, basis="ocr", loc=f.loc)

"""One figure, several findings: a single misprinted figure (`16,500` printed `15,600`) breaks
every check it takes part in — its line's cross-footing (`row_balance`), its column's footing
(`column_total`), and, for a 감 or 증, the balance of the two (`transfer_balance`). The
findings meet at that one cell, and the value that would make each of them hold is the same.

`find_causes` looks for such a cell in every transfer with two findings or more: each failing
check proposes, for each figure it reads, the value that would make it hold; a proposal is a
cause when, with that one figure replaced, the checks run again (the same `check_transfer`)
raise none of the findings it explains and no new one, and it explains two findings or more.
Nothing is corrected: the cause is a reading offered to the auditor beside the findings."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from .audit import check_transfer
from .ir import Loc
from .domain.figures import UNIT_WON
from .records import MONEY_FIELDS, Finding, Report, Transfer

ROLE = {"row_balance": "the row", "column_total": "the column", "transfer_balance": "the 감/증 balance",
        "summary_amount": "the 전용개요 amount", "overdraw": "the line's balance"}


@dataclass
class Cause:
    """One printed figure that explains several findings (1-based numbers in `explains`)."""

    id: int
    transfer_seq: int
    line: Optional[int]  # 1-based budget line; None for the 총계 row or the 전용개요 amount
    field: str  # before, decrease, increase, after, amount_won
    printed: int  # won, as printed
    needed: int  # won: the value every explained check needs
    explains: list[int]
    message: str
    loc: Optional[Loc] = None
    row: str = "line"  # line | total | summary

    def to_json(self) -> dict:
        return {"id": self.id, "transfer_seq": self.transfer_seq, "line": self.line, "row": self.row, "field": self.field,
                "printed": self.printed, "needed": self.needed, "explains": list(self.explains),
                "loc": self.loc.to_json() if self.loc is not None else None, "message": self.message}


@dataclass(frozen=True)
class _Cell:
    row: str  # line | total | summary
    line: Optional[int]
    field: str


def find_causes(report: Report, findings: list[Finding]) -> list[Cause]:
    causes: list[Cause] = []
    for t in report.transfers:
        if t.budget is None or not t.budget.lines:
            continue
        mine = [(k, f) for k, f in enumerate(findings, start=1) if f.transfer_seq == t.seq and f.check in ROLE]
        if len(mine) < 2:
            continue
        best = None
        for cell, value in sorted(_proposals(t, [f for _, f in mine]), key=lambda cv: (cv[0].row, cv[0].line or 0, cv[0].field, cv[1])):
            printed = _value(t, cell)
            if value == printed:
                continue
            again = {_key(f) for f in check_transfer(_with(t, cell, value))}
            before = {_key(f) for _, f in mine}
            if again - before - {_key(f) for f in findings if f.transfer_seq == t.seq}:
                continue  # the replacement would raise a finding of its own
            explained = [k for k, f in mine if _key(f) not in again]
            if len(explained) >= 2 and (best is None or len(explained) > len(best[2])):
                best = (cell, value, explained)
        if best is not None:
            cell, value, explained = best
            cause = Cause(len(causes) + 1, t.seq, cell.line, cell.field, _value(t, cell), value, explained,
                          _message(t, [findings[k - 1] for k in explained], _value(t, cell), value), _loc(t, cell), cell.row)
            causes.append(cause)
            for k in explained:
                findings[k - 1].cause = cause
    return causes


def _key(f: Finding) -> tuple:
    return (f.check, f.line, f.field, f.expected)


def _proposals(t: Transfer, findings: list[Finding]):
    """(cell, value that would make the finding's check hold) for each figure each failing
    check reads: the contract's definitions of the checks, solved for one figure."""
    b = t.budget
    lines = b.lines
    sums = {f: sum(getattr(ln, f) for ln in lines) for f in MONEY_FIELDS}
    for f in findings:
        if f.check == "row_balance" and f.line:
            ln = lines[f.line - 1]
            yield _Cell("line", f.line, "after"), ln.before - ln.decrease + ln.increase
            yield _Cell("line", f.line, "before"), ln.after + ln.decrease - ln.increase
            yield _Cell("line", f.line, "decrease"), ln.before + ln.increase - ln.after
            yield _Cell("line", f.line, "increase"), ln.after - ln.before + ln.decrease
        elif f.check == "column_total" and f.field in MONEY_FIELDS and b.total is not None:
            yield _Cell("total", None, f.field), sums[f.field]
            for n, ln in enumerate(lines, start=1):
                yield _Cell("line", n, f.field), getattr(ln, f.field) + b.total[f.field] - sums[f.field]
        elif f.check == "transfer_balance":
            for n, ln in enumerate(lines, start=1):
                yield _Cell("line", n, "decrease"), ln.decrease + sums["increase"] - sums["decrease"]
                yield _Cell("line", n, "increase"), ln.increase + sums["decrease"] - sums["increase"]
        elif f.check == "summary_amount" and f.actual is not None and f.expected is not None:
            yield _Cell("summary", None, "amount_won"), f.expected
            side = "decrease" if (b.total or sums)["decrease"] == f.expected else "increase"
            if b.total is not None:
                yield _Cell("total", None, side), f.actual
            for n, ln in enumerate(lines, start=1):
                yield _Cell("line", n, side), getattr(ln, side) + f.actual - f.expected


def _value(t: Transfer, cell: _Cell) -> int:
    if cell.row == "summary":
        return t.transfer.amount_won
    if cell.row == "total":
        return t.budget.total[cell.field]
    return getattr(t.budget.lines[cell.line - 1], cell.field)


def _with(t: Transfer, cell: _Cell, value: int) -> Transfer:
    t2 = copy.copy(t)
    t2.budget = copy.copy(t.budget)
    if cell.row == "summary":
        t2.transfer = copy.copy(t.transfer)
        t2.transfer.amount_won = value
    elif cell.row == "total":
        t2.budget.total = {**t.budget.total, cell.field: value}
    else:
        t2.budget.lines = list(t.budget.lines)
        ln = copy.copy(t.budget.lines[cell.line - 1])
        setattr(ln, cell.field, value)
        t2.budget.lines[cell.line - 1] = ln
    return t2


def _loc(t: Transfer, cell: _Cell) -> Optional[Loc]:
    if cell.row == "summary":
        return t.transfer.amount_loc or t.loc
    if cell.row == "total":
        return t.budget.total_locs.get(cell.field, t.budget.loc)
    ln = t.budget.lines[cell.line - 1]
    return ln.cell_locs.get(cell.field, ln.loc)


def in_unit(won: int, unit: str) -> str:
    """A figure as the table prints it (`16,500` for 16,500,000 won under 천원)."""
    factor = UNIT_WON.get(unit or "원", 1)
    v = Decimal(won) / factor
    return f"{v:,f}".rstrip("0").rstrip(".") if v != v.to_integral_value() else f"{int(v):,}"


def _message(t: Transfer, explained: list[Finding], printed: int, needed: int) -> str:
    unit = t.budget.unit if t.budget else "원"
    roles = []
    for f in explained:
        role = ROLE[f.check]
        if role not in roles:
            roles.append(role)
    both = "both " if len(roles) == 2 else "all " if len(roles) > 2 else ""
    return (f"one figure explains {len(explained)} findings: {in_unit(printed, unit)} printed where "
            f"{', '.join(roles[:-1]) + ' and ' + roles[-1] if len(roles) > 1 else roles[0]} {both}need{'s' if len(roles) == 1 else ''} "
            f"{in_unit(needed, unit)} ({unit})")

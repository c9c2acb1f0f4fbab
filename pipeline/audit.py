"""The auditor's arithmetic: every check of the contract, each finding pointing at a
transfer, a line, a column and the place in the source where the faulty figure is printed.

Checks read only what was printed (budget lines and the printed 총계), so a wrong total is
reported, never repaired.
"""
from __future__ import annotations

from collections import defaultdict

from typing import Iterable, Optional

from .domain.codes import stat_key
from .domain.labels import FIELD_KO as COLUMN_KO
from .ir import Loc
from .parse.notation import date_within, quarter_bounds
from .records import MONEY_FIELDS, Finding, Report, Transfer

CHECKS = {
    "row_balance": "error",
    "column_total": "error",
    "transfer_balance": "error",
    "summary_amount": "error",
    "overdraw": "error",
    "date_period": "warning",
    "stat_code_name": "warning",
}


def won(v: Optional[int]) -> str:
    return "—" if v is None else f"{v:,}원"


def _f(check: str, message: str, **kw) -> Finding:
    return Finding(check=check, severity=CHECKS[check], message=message, **kw)


def audit_report(report: Report) -> list[Finding]:
    findings: list[Finding] = []
    for t in report.transfers:
        findings += check_transfer(t)
        findings += check_date_period(report, t)
    findings += check_stat_code_name(report)
    return findings


def check_transfer(t: Transfer) -> list[Finding]:
    out: list[Finding] = []
    b = t.budget
    if b is None:
        return out
    for n, ln in enumerate(b.lines, start=1):
        expected = ln.before - ln.decrease + ln.increase
        if expected != ln.after:
            out.append(_f(
                "row_balance",
                f"Transfer {t.label} line {n} ({ln.stat_name or ln.stat_code}): 예산현액 {ln.before:,} − 감 {ln.decrease:,} + 증 {ln.increase:,} = {expected:,}, but 전용 후 예산현액 is printed as {ln.after:,}.",
                transfer_seq=t.seq, line=n, field="after", expected=expected, actual=ln.after,
                loc=ln.cell_locs.get("after", ln.loc),
            ))
        if ln.decrease > ln.before and ln.decrease > 0:
            out.append(_f(
                "overdraw",
                f"Transfer {t.label} line {n} ({ln.stat_name or ln.stat_code}) decreases {ln.decrease:,} from a budget of {ln.before:,}.",
                transfer_seq=t.seq, line=n, field="decrease", expected=ln.before, actual=ln.decrease,
                loc=ln.cell_locs.get("decrease", ln.loc),
            ))
        elif ln.after < 0:
            out.append(_f(
                "overdraw",
                f"Transfer {t.label} line {n} ({ln.stat_name or ln.stat_code}) ends below zero: 전용 후 예산현액 {ln.after:,}.",
                transfer_seq=t.seq, line=n, field="after", expected=0, actual=ln.after,
                loc=ln.cell_locs.get("after", ln.loc),
            ))
    sums = {f: sum(getattr(ln, f) for ln in b.lines) for f in MONEY_FIELDS}
    if b.total is not None:
        for f in MONEY_FIELDS:
            if b.total.get(f) is not None and sums[f] != b.total[f]:
                out.append(_f(
                    "column_total",
                    f"Transfer {t.label}: the {COLUMN_KO[f]} column adds up to {sums[f]:,}, but its 총계 is printed as {b.total[f]:,}.",
                    transfer_seq=t.seq, field=f, expected=sums[f], actual=b.total[f],
                    loc=b.total_locs.get(f, b.loc),
                ))
        # A signed change column's total is the net change (증 − 감), checked as printed.
        net = sums["increase"] - sums["decrease"]
        if b.total.get("change") is not None and net != b.total["change"]:
            out.append(_f(
                "column_total",
                f"Transfer {t.label}: the 증감 column adds up to {net:,}, but its 총계 is printed as {b.total['change']:,}.",
                transfer_seq=t.seq, field="change", expected=net, actual=b.total["change"],
                loc=b.total_locs.get("change", b.loc),
            ))
    if b.lines and sums["decrease"] != sums["increase"]:
        inc_locs = [ln.cell_locs.get("increase") for ln in b.lines]
        out.append(_f(
            "transfer_balance",
            f"Transfer {t.label}: total 감 {sums['decrease']:,} ≠ total 증 {sums['increase']:,}; {abs(sums['decrease'] - sums['increase']):,}원 {'vanished' if sums['decrease'] > sums['increase'] else 'appeared'}.",
            transfer_seq=t.seq, field="increase", expected=sums["decrease"], actual=sums["increase"],
            loc=b.total_locs.get("increase") or next((lc for lc in inc_locs if lc), b.loc),
        ))
    amount = t.transfer.amount_won
    if amount is not None and b.lines:
        printed = b.total or {}
        table_dec = printed["decrease"] if printed.get("decrease") is not None else sums["decrease"]
        table_inc = printed["increase"] if printed.get("increase") is not None else sums["increase"]
        for side, value in (("감", table_dec), ("증", table_inc)):
            if amount != value:
                out.append(_f(
                    "summary_amount",
                    f"Transfer {t.label}: 전용개요 states {amount:,}원, but the table's total {side} is {value:,}원.",
                    transfer_seq=t.seq, field="amount_won", expected=value, actual=amount,
                    loc=t.transfer.amount_loc or t.loc,
                ))
                break
    return out


def check_date_period(report: Report, t: Transfer) -> list[Finding]:
    d = t.transfer.date_value
    if d is None or report.fiscal_year is None:
        return []
    lo, hi = quarter_bounds(report.fiscal_year, report.quarter)
    if date_within(d, lo, hi):
        return []
    period = f"{report.fiscal_year} Q{report.quarter}" if report.quarter else str(report.fiscal_year)
    return [_f(
        "date_period",
        f"Transfer {t.label}: 전용일자 {t.transfer.date} lies outside the reported period {period} ({lo} – {hi}).",
        transfer_seq=t.seq, field="date", loc=t.transfer.date_loc or t.loc,
    )]




def stat_code_conflicts(entries: Iterable[tuple[str, str, object]]) -> tuple[dict, dict]:
    """entries: (code, name, where); codes are compared by `stat_key`. Returns ({code: {name: [where…]}}, {name: {code: [where…]}})
    restricted to codes printed with several names and names printed under several codes.
    Shared by the per-report check and the archive-wide one."""
    by_code: dict = defaultdict(lambda: defaultdict(list))
    by_name: dict = defaultdict(lambda: defaultdict(list))
    for code, name, where in entries:
        if not code or not name:
            continue
        by_code[stat_key(code)][name].append(where)
        by_name[name][stat_key(code)].append(where)
    return ({c: dict(v) for c, v in by_code.items() if len(v) > 1}, {n: dict(v) for n, v in by_name.items() if len(v) > 1})


def check_stat_code_name(report: Report) -> list[Finding]:
    entries = [
        (ln.stat_code, ln.stat_name, (t.seq, n, ln))
        for t in report.transfers if t.budget
        for n, ln in enumerate(t.budget.lines, start=1)
    ]
    codes, names = stat_code_conflicts(entries)

    def printed(groups: dict) -> str:
        """Each variant as printed, with the transfer and line where it first appears."""
        return "; ".join(
            f"{places[0][2].stat_code} {places[0][2].stat_name} (transfer {places[0][0]} line {places[0][1]})"
            for places in groups.values()
        )

    out = []
    # The finding points at the first line that disagrees with the first printing.
    for code, by_name in codes.items():
        seq, n, ln = list(by_name.values())[1][0]
        out.append(_f(
            "stat_code_name",
            f"통계목 code {code} is printed with {len(by_name)} names: {printed(by_name)}.",
            transfer_seq=seq, line=n, field=None, loc=ln.loc,
        ))
    for name, by_code in names.items():
        seq, n, ln = list(by_code.values())[1][0]
        out.append(_f(
            "stat_code_name",
            f"통계목 {name} is printed under {len(by_code)} codes: {printed(by_code)}.",
            transfer_seq=seq, line=n, field=None, loc=ln.loc,
        ))
    return out


def unverified_transfers(doc: dict) -> list[str]:
    """Labels (or sequence numbers) of the transfers of a report's JSON whose arithmetic
    could not be checked: no budget line was read (no table, or a table set aside as
    unreadable). A report with no findings is clean only when this is empty."""
    return [t.get("label") or str(t["seq"]) for t in doc.get("transfers", []) if not (t.get("budget") or {}).get("lines")]


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


__all__ = ["audit_report", "CHECKS", "COLUMN_KO", "has_errors", "stat_code_conflicts", "unverified_transfers", "won", "Loc"]

"""The auditor's arithmetic: every check of the contract, each finding pointing at a
transfer, a line, a column and the place in the source where the faulty figure is printed.

Checks read only what was printed (budget lines and the printed 총계), so a wrong total is
reported, never repaired.
"""
from __future__ import annotations

from collections import Counter, defaultdict

import regex as re

from typing import Iterable, Optional

from .domain.reasons import LAYOUT_LOST, NOT_REBUILT
from .domain.codes import stat_key
from .domain.labels import FIELD_KO as COLUMN_KO
from .ir import Loc
from .parse.notation import date_within, quarter_bounds
from .records import MONEY_FIELDS, Finding, Report, Transfer, report_status

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


# `unparsed` reasons saying that a table or a figure was not read, so that what it holds was
# not checked: a table whose layout was lost or not rebuilt (the text readers), a budget
# table without a money column, a figure or a 전용금액 that could not be read as a number.
# (A figure read despite irregular digit grouping was read and is checked.)
_UNREAD = re.compile("^(?:" + "|".join([
    re.escape(LAYOUT_LOST), re.escape(NOT_REBUILT), "budget table without columns for ",
    "(?:before|decrease|increase|after|전용금액): (?!irregular)", r"transfer \d+: no 전용금액 found",
]) + ")")


def unread(reason: str) -> bool:
    """Whether an `unparsed` entry's reason says a table or a figure was not read."""
    return bool(_UNREAD.match(reason))


def unchecked_parts(transfers: Iterable[tuple[str, int]], reasons: Iterable[str]) -> list[str]:
    """Why a report was not fully checked, one line per cause (empty: everything printed was
    read and checked). `transfers`: (label, number of budget lines read); `reasons`: its
    `unparsed` reasons. Unchecked is not clean: such a report is never called clean."""
    out = [f"transfer {label}: no budget line read, its arithmetic not checked" for label, n in transfers if not n]
    counts = Counter(r for r in reasons if unread(r))
    out += [f"{r} ({n} line{'s' * (n != 1)} set aside)" for r, n in counts.items()]
    return out


def report_unchecked(report: Report) -> list[str]:
    return unchecked_parts(((t.label or str(t.seq), len(t.budget.lines) if t.budget else 0) for t in report.transfers),
                           (u.reason for u in report.unparsed))


def doc_unchecked(doc: dict) -> list[str]:
    """`report_unchecked` of a report's JSON (also one archived before reports said it)."""
    if "unchecked" in doc:
        return list(doc["unchecked"])
    return unchecked_parts(((t.get("label") or str(t["seq"]), len((t.get("budget") or {}).get("lines") or []))
                            for t in doc.get("transfers", [])), (u["reason"] for u in doc.get("unparsed", [])))


def doc_status(doc: dict) -> str:
    """records.report_status of a report's JSON: error, unchecked, warning or clean."""
    findings = doc.get("findings", [])
    errors = sum(1 for f in findings if f["severity"] == "error")
    return report_status(errors, len(findings) - errors, not doc_unchecked(doc))


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


__all__ = ["audit_report", "CHECKS", "COLUMN_KO", "doc_status", "doc_unchecked", "has_errors", "report_unchecked",
           "stat_code_conflicts", "won", "Loc"]

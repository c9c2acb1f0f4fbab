"""The audit's checks re-run on a report's JSON (as the archive stores it): its budget tables
and transfer amounts rebuilt as records, checked again, their findings (and the one figure
that explains several) put back in the JSON in the audit's order, its status recomputed.
Used on corrected values (corrections.py); what was extracted is not touched."""
from __future__ import annotations

from typing import Optional

from .audit import check_stat_code_name, check_transfer
from .causes import find_causes
from .ir import Loc
from .records import MONEY_FIELDS, TEXT_FIELDS, Budget, BudgetLine, Finding, Report, Transfer, TransferOverview, report_status


def loc_of(j: Optional[dict]) -> Optional[Loc]:
    """A contract loc object as a Loc (the inverse of Loc.to_json)."""
    if not j:
        return None
    return Loc(page=j.get("page"), line=j.get("line"), bbox=tuple(j["bbox"]) if j.get("bbox") else None,
               cell=tuple(j["cell"]) if j.get("cell") else None, paragraph=j.get("paragraph"),
               section=j.get("section"), pages=tuple(j["pages"]) if j.get("pages") else None)


def _transfer(t: dict) -> Transfer:
    b = t.get("budget")
    budget = None
    if b is not None:
        budget = Budget(unit=b.get("unit"), total=dict(b["total"]) if b.get("total") is not None else None, lines=[
            BudgetLine(**{k: ln[k] for k in TEXT_FIELDS + MONEY_FIELDS}, loc=loc_of(ln.get("loc")) or Loc())
            for ln in b.get("lines", [])])
    amount = (t.get("transfer") or {}).get("amount_won")
    return Transfer(seq=t["seq"], label=t.get("label", ""), title=t.get("title", ""), loc=loc_of(t.get("loc")) or Loc(),
                    transfer=TransferOverview(amount_won=amount), budget=budget)


def _finding(f: dict) -> Finding:
    return Finding(check=f["check"], severity=f["severity"], message=f["message"], transfer_seq=f.get("transfer_seq"),
                   line=f.get("line"), field=f.get("field"), expected=f.get("expected"), actual=f.get("actual"),
                   loc=loc_of(f.get("loc")))


def recheck(doc: dict, checks: tuple) -> None:
    """Re-run `checks` (those of check_transfer and check_stat_code_name) on `doc`, in place;
    findings of other checks stay as stored. A finding found again keeps the stored place of
    its figure (the JSON keeps no per-cell places of its own)."""
    report = Report(path=doc["source"]["path"], sha256=doc["source"]["sha256"], format=doc["source"]["format"],
                    title=doc.get("title") or "", transfers=[_transfer(t) for t in doc["transfers"]])
    stored = {(f["check"], f.get("transfer_seq"), f.get("line"), f.get("field")): f.get("loc") for f in doc.get("findings", [])}
    kept = [_finding(f) for f in doc.get("findings", []) if f["check"] not in checks]
    findings: list[Finding] = []
    for t in report.transfers:
        findings += [f for f in check_transfer(t) if f.check in checks]
        findings += [f for f in kept if f.transfer_seq == t.seq]
    findings += [f for f in check_stat_code_name(report) if f.check in checks]
    findings += [f for f in kept if f.transfer_seq not in {t.seq for t in report.transfers}]
    for f in findings:
        key = (f.check, f.transfer_seq, f.line, f.field)
        if key in stored and stored[key]:
            f.loc = loc_of(stored[key])
    find_causes(report, findings)
    doc["findings"] = [f.to_json() for f in findings]
    errors = sum(1 for f in findings if f.severity == "error")
    doc["status"] = report_status(errors, len(findings) - errors, doc.get("checked", True))

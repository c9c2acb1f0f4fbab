"""The records the parser produces and the writers emit: the contract's report JSON.

Each class's `to_json` gives exactly the contract's fields (docs/contract.md, version 1),
plus a few documented additions (`loc` on transfers, `unparsed` and `notes` on reports). Internal
fields such as per-cell locations serve the checks and the auditor's view and are not
part of the JSON.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from .ir import Loc, Note

SCHEMA_VERSION = "1"
MONEY_FIELDS = ("before", "decrease", "increase", "after")
TEXT_FIELDS = ("department", "policy_program", "unit_program", "detail_program", "stat_code", "stat_name")


def report_id(sha256: str, index: int = 1, in_file: int = 1) -> str:
    """A report's key: its file's sha256, with `#<place>` when the file holds several
    reports (`<sha256>#2`); a file of one report keeps its plain sha256."""
    return sha256 if in_file <= 1 else f"{sha256}#{index}"


def report_id_of(doc: dict) -> str:
    """The key of a report's JSON, from its file's sha256 and its place in the file (JSON
    without `source.report_index` is a file's one report)."""
    src = doc["source"]
    return report_id(src["sha256"], src.get("report_index", 1), src.get("reports_in_file", 1))


@dataclass
class BudgetLine:
    department: str
    policy_program: str
    unit_program: str
    detail_program: str
    stat_code: str
    stat_name: str
    before: int
    decrease: int
    increase: int
    after: int
    loc: Loc
    # Where each printed figure sits (for findings), and the text as printed.
    cell_locs: dict = field(default_factory=dict, repr=False)
    printed: dict = field(default_factory=dict, repr=False)

    def to_json(self) -> dict:
        out = {k: getattr(self, k) for k in TEXT_FIELDS + MONEY_FIELDS}
        out["loc"] = self.loc.to_json()
        return out


@dataclass
class Budget:
    unit: Optional[str]  # as printed; None when no unit could be established (figures not read)
    lines: list[BudgetLine] = field(default_factory=list)
    total: Optional[dict] = None  # as printed in the 총계 row
    loc: Optional[Loc] = None  # the table
    total_locs: dict = field(default_factory=dict, repr=False)
    header: list[list[str]] = field(default_factory=list, repr=False)  # header rows as printed

    def to_json(self) -> dict:
        return {
            "unit": self.unit,
            "lines": [ln.to_json() for ln in self.lines],
            "total": dict(self.total) if self.total is not None else None,
        }


@dataclass
class TransferOverview:
    """전용개요."""

    amount_won: Optional[int] = None
    date: Optional[str] = None
    lines: list[str] = field(default_factory=list)
    amount_loc: Optional[Loc] = None
    date_loc: Optional[Loc] = None
    date_value: Optional[object] = field(default=None, repr=False)  # notation.PartialDate

    def to_json(self) -> dict:
        return {"amount_won": self.amount_won, "date": self.date, "lines": list(self.lines)}


@dataclass
class Transfer:
    seq: int
    label: str
    title: str
    loc: Loc
    summary: Optional[str] = None
    overview: dict = field(default_factory=dict)
    timeline: list = field(default_factory=list)
    transfer: TransferOverview = field(default_factory=TransferOverview)
    reasons: list[str] = field(default_factory=list)
    budget: Optional[Budget] = None

    def to_json(self) -> dict:
        return {
            "seq": self.seq,
            "label": self.label,
            "title": self.title,
            "summary": self.summary,
            "overview": {k: list(v) for k, v in self.overview.items()},
            "timeline": [dict(ev) for ev in self.timeline],
            "transfer": self.transfer.to_json(),
            "reasons": list(self.reasons),
            "budget": self.budget.to_json() if self.budget is not None else None,
            "loc": self.loc.to_json(),
        }


@dataclass
class Finding:
    check: str
    severity: str
    message: str
    transfer_seq: Optional[int] = None
    line: Optional[int] = None
    field: Optional[str] = None
    expected: Optional[int] = None
    actual: Optional[int] = None
    loc: Optional[Loc] = None
    cause: Optional[object] = None  # causes.Cause: one figure that explains this and other findings

    def to_json(self) -> dict:
        out = {
            "check": self.check,
            "severity": self.severity,
            "transfer_seq": self.transfer_seq,
            "line": self.line,
            "field": self.field,
            "expected": self.expected,
            "actual": self.actual,
            "loc": self.loc.to_json() if self.loc is not None else None,
            "message": self.message,
        }
        if self.cause is not None:
            out["cause"] = self.cause.to_json()
        return out


@dataclass
class Unparsed:
    """Something printed that the parser could not place, kept with where it is and why."""

    text: str
    reason: str
    loc: Optional[Loc] = None

    def to_json(self) -> dict:
        return {"text": self.text, "reason": self.reason, "loc": self.loc.to_json() if self.loc else None}


STATUSES = ("clean", "warning", "unchecked", "error")
# The exit status of a command that read every file and found no error but some report it
# could not fully check: a script that trusts 0 must not take such a run for clean.
EXIT_UNCHECKED = 3


def report_status(errors: int, warnings: int, checked: bool) -> str:
    """A report's one-word status: `error` (a finding of severity error), else `unchecked`
    (a table or figure could not be read, so its arithmetic was not checked: never clean),
    else `warning` (warnings only), else `clean`."""
    if errors:
        return "error"
    if not checked:
        return "unchecked"
    return "warning" if warnings else "clean"


@dataclass
class Report:
    path: str
    sha256: str
    format: str
    title: str
    fiscal_year: Optional[int] = None
    quarter: Optional[int] = None
    office: Optional[str] = None
    meeting_date: Optional[str] = None
    venue: Optional[str] = None
    transfers: list[Transfer] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unparsed: list[Unparsed] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # readings a heuristic decided (ir.Note)
    schema_errors: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)  # why parts were not checked (audit.report_unchecked)
    report_index: int = 1  # the report's place in its file (a committee's package holds several)
    reports_in_file: int = 1

    @property
    def report_id(self) -> str:
        return report_id(self.sha256, self.report_index, self.reports_in_file)

    @property
    def status(self) -> str:
        errors = sum(1 for f in self.findings if f.severity == "error")
        return report_status(errors, len(self.findings) - errors, not self.unchecked)

    def to_json(self) -> dict:
        out = {
            "schema_version": SCHEMA_VERSION,
            "source": {
                "path": self.path,
                "sha256": self.sha256,
                "format": self.format,
                "report_index": self.report_index,
                "reports_in_file": self.reports_in_file,
            },
            "title": self.title,
            "fiscal_year": self.fiscal_year,
            "quarter": self.quarter,
            "office": self.office,
            "meeting_date": self.meeting_date,
            "venue": self.venue,
            "transfers": [t.to_json() for t in self.transfers],
            "findings": [f.to_json() for f in self.findings],
            "unparsed": [u.to_json() for u in self.unparsed],
            "notes": [n.to_json() for n in self.notes],
            "status": self.status,
            "checked": not self.unchecked,
            "unchecked": list(self.unchecked),
        }
        if self.schema_errors:
            out["schema_errors"] = list(self.schema_errors)
        return out

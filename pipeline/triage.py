"""Triage: which reports and findings an audit shows (`--severity`, `--check`, `--office`,
`--year`, `--quarter`), and `--summary`, the counts by check, office and year alone."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Optional

from .audit import doc_status
from .terminal import Block, Grid, Line


@dataclass(frozen=True)
class Triage:
    severity: Optional[str] = None  # error | warning: only findings of this severity
    checks: tuple = ()  # only findings of these checks
    office: Optional[str] = None  # only reports whose office contains this text (any case)
    year: Optional[int] = None  # only reports of this fiscal year
    quarter: Optional[int] = None  # only reports of this quarter

    @property
    def on_findings(self) -> bool:
        """A finding filter: then only reports with a finding it keeps are shown."""
        return bool(self.severity or self.checks)

    @property
    def active(self) -> bool:
        return self.on_findings or self.office is not None or self.year is not None or self.quarter is not None

    def keeps(self, finding: dict) -> bool:
        return ((self.severity is None or finding["severity"] == self.severity)
                and (not self.checks or finding["check"] in self.checks))

    def apply(self, doc: dict) -> Optional[dict]:
        """The report as shown (its findings filtered), or None when it is left out."""
        if self.office is not None and self.office.casefold() not in (doc.get("office") or "").casefold():
            return None
        if self.year is not None and doc.get("fiscal_year") != self.year:
            return None
        if self.quarter is not None and doc.get("quarter") != self.quarter:
            return None
        if not self.on_findings:
            return doc
        kept = [f for f in doc.get("findings", []) if self.keeps(f)]
        return {**doc, "findings": kept} if kept else None

    def sql(self) -> tuple[str, list]:
        """The same choice of reports as a condition on the archive's `reports r` (a narrowing
        done in SQL so that only those documents are read; `apply` still decides)."""
        where, args = [], []
        if self.office is not None:
            where.append('lower(r."office") LIKE ?')  # `apply` decides: `%` or `_` typed only widen this
            args.append(f"%{self.office.lower()}%")
        if self.year is not None:
            where.append('r."fiscal_year" = ?')
            args.append(self.year)
        if self.quarter is not None:
            where.append('r."quarter" = ?')
            args.append(self.quarter)
        if self.on_findings:
            cond = ['f."report_id" = r."report_id"']
            if self.severity:
                cond.append('f."severity" = ?')
                args.append(self.severity)
            if self.checks:
                cond.append(f'f."check" IN ({", ".join("?" * len(self.checks))})')
                args.extend(self.checks)
            where.append(f"EXISTS (SELECT 1 FROM findings f WHERE {' AND '.join(cond)})")
        return " AND ".join(where), args


class Summary:
    """`--summary`: reports and findings counted by check, office and fiscal year."""

    def __init__(self) -> None:
        self.by_check: Counter = Counter()  # check → findings
        self.reports_by_check: Counter = Counter()
        self.by_office: dict = {}  # office → Counter(reports, error reports, findings)
        self.by_year: dict = {}

    def add(self, doc: dict) -> None:
        findings = doc.get("findings", [])
        for check, n in Counter(f["check"] for f in findings).items():
            self.by_check[check] += n
            self.reports_by_check[check] += 1
        status = doc_status(doc)
        for table, key in ((self.by_office, doc.get("office") or "(office unknown)"),
                           (self.by_year, str(doc.get("fiscal_year") or "(year unknown)"))):
            c = table.setdefault(key, Counter())
            c["reports"] += 1
            c[status] += 1
            c["findings"] += len(findings)

    def blocks(self) -> list[Block]:
        cols = ("reports", "error", "unchecked", "warning", "clean", "findings")
        right = frozenset(range(1, 7))
        out: list[Block] = [Line("findings by check", "bold"), Grid(
            header=("check", "findings", "reports"), right=frozenset({1, 2}), indent=2,
            rows=[(c, str(n), str(self.reports_by_check[c])) for c, n in self.by_check.most_common()])]
        for title, table, order in (("reports by office", self.by_office, lambda kv: (-kv[1]["reports"], kv[0])),
                                    ("reports by fiscal year", self.by_year, lambda kv: kv[0])):
            out += [Line(""), Line(title, "bold"), Grid(
                header=(title.split()[-1],) + cols, right=right, indent=2,
                rows=[(k,) + tuple(str(v[c]) for c in cols) for k, v in sorted(table.items(), key=order)])]
        return out


def summarise(docs: Iterable[dict]) -> Summary:
    s = Summary()
    for doc in docs:
        s.add(doc)
    return s

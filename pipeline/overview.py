"""Figures across many reports (a folder or an archive), computed from report JSON dicts so
that the source (fresh parse or SQLite archive) does not matter.

- counts of reports per fiscal year, quarter and office;
- money moved per quarter;
- the largest flows from one 통계목 to another;
- the archive-wide `stat_code_name` check: a 통계목 code printed with different names, or
  one name under different codes, in different reports.
"""
from __future__ import annotations

import regex as re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Optional

from .audit import stat_code_conflicts
from .domain.codes import stat_key
from .records import report_id_of


@dataclass(frozen=True)
class Where:
    """Where one 통계목 printing sits: which report, transfer and line."""

    report_id: str
    path: str
    title: str
    transfer_seq: int
    line: int
    code: str = ""  # as printed
    name: str = ""


@dataclass
class Flow:
    src: str
    dst: str
    amount: int = 0
    transfers: int = 0
    reports: set = field(default_factory=set)


@dataclass
class Conflict:
    """One code with several names (kind 'code') or one name under several codes (kind 'name')."""

    kind: str  # "code" | "name"
    key: str
    variants: dict  # variant → list[Where]

    @property
    def report_ids(self) -> set:
        return {w.report_id for ws in self.variants.values() for w in ws}

    def message(self) -> str:
        if self.kind == "code":
            return f"통계목 {self.key} is printed with {len(self.variants)} names: {', '.join(self.variants)}."
        return f"통계목 {self.key} is printed under {len(self.variants)} codes: {', '.join(self.variants)}."


@dataclass
class Overview:
    n_reports: int
    n_transfers: int
    by_year: list  # [(label, count)]
    by_quarter: list
    by_office: list
    money_by_quarter: list  # [(label, won)]
    flows: list  # [Flow], largest first
    conflicts: list  # [Conflict] across different reports


def stat_label(line: dict) -> str:
    """`행사운영비 (201-03)`: the name and the code's 편성목-통계목 part, so that one 통계목
    printed with different leading groups (`110-`, `100-`) is one node of the flows."""
    code, name = stat_key(line.get("stat_code") or ""), (line.get("stat_name") or "").strip()
    return f"{name} ({code})" if code and name else (name or code or "?")


def moved_won(transfer: dict) -> int:
    """Money a transfer moved: the sum of its table's 감 column (what the lines say), or the
    전용개요 amount when the report has no table."""
    lines = (transfer.get("budget") or {}).get("lines") or []
    if lines:
        return sum(max(ln.get("decrease") or 0, 0) for ln in lines)
    return transfer.get("transfer", {}).get("amount_won") or 0


def transfer_flows(transfer: dict) -> list[tuple[str, str, int]]:
    """Within one transfer, money leaves the decreased lines and reaches the increased ones
    (see `split_flows`)."""
    lines = (transfer.get("budget") or {}).get("lines") or []
    return split_flows([(stat_label(ln), ln.get("decrease") or 0) for ln in lines if (ln.get("decrease") or 0) > 0],
                       [(stat_label(ln), ln.get("increase") or 0) for ln in lines if (ln.get("increase") or 0) > 0])


def split_flows(srcs: list[tuple[str, int]], dsts: list[tuple[str, int]]) -> list[tuple[str, str, int]]:
    """(source, destination, won) of one transfer from its decreased lines (`srcs`) and its
    increased ones (`dsts`): with several of each, every source is split over the
    destinations in proportion to what they received (the document does not say who paid
    whom)."""
    total_in = sum(v for _, v in dsts)
    if not srcs or not total_in:
        return []
    out: dict = defaultdict(int)
    for s, dv in srcs:
        for d, iv in dsts:
            out[(s, d)] += round(dv * iv / total_in)
    return [(s, d, v) for (s, d), v in out.items() if v]


def quarter_label(doc: dict) -> str:
    y, q = doc.get("fiscal_year"), doc.get("quarter")
    if y is None:
        return "연도 미상"
    return f"{y} {q}/4" if q else f"{y} (분기 미상)"


def _sort_key(label: str):
    m = re.match(r"\d+", label)
    return (m is None, int(m.group()) if m else 0, label)


MAX_GAP_YEARS = 60  # a wider span means a misread year: then only the years seen are shown


def with_gaps(counter: Counter, periods: list) -> list[str]:
    """Quarter labels in time order, every quarter between the first and the last included
    (quarters without a report too), then the labels of reports without a year or quarter."""
    known = sorted({(y, q) for y, q in periods if y is not None and q})
    labels = []
    if known and known[-1][0] - known[0][0] <= MAX_GAP_YEARS:
        (y0, q0), (y1, q1) = known[0], known[-1]
        y, q = y0, q0
        while (y, q) <= (y1, q1):
            labels.append(f"{y} {q}/4")
            y, q = (y, q + 1) if q < 4 else (y + 1, 1)
    rest = sorted((k for k in counter if k not in labels), key=_sort_key)
    return labels + rest


def line_entry(rid: str, path: str, title: str, seq: int, n: int, code: str, name: str) -> tuple:
    """One budget line as the cross-report check compares it: codes by `stat_key`, names by
    their printed form with whitespace removed."""
    code, name = (code or "").strip(), (name or "").strip()
    return stat_key(code), re.sub(r"\s+", "", name), Where(rid, path, title, seq, n, code, name)


def conflicts_among(entries: Iterable[tuple]) -> list[Conflict]:
    """Conflicts whose variants appear in different reports (a conflict inside one report is
    already that report's finding), from `line_entry` tuples."""
    codes, names = stat_code_conflicts(entries)
    out = []
    for kind, table in (("code", codes), ("name", names)):
        for key, variants in sorted(table.items()):
            c = Conflict(kind, key, variants)
            if len(c.report_ids) > 1:
                out.append(c)
    return out


def cross_report_conflicts(docs: Iterable[dict]) -> list[Conflict]:
    """The stat_code_name check across reports."""
    return conflicts_among(
        line_entry(report_id_of(doc), doc["source"]["path"], doc.get("title") or "", t["seq"], n,
                   ln.get("stat_code"), ln.get("stat_name"))
        for doc in docs for t in doc.get("transfers", [])
        for n, ln in enumerate((t.get("budget") or {}).get("lines") or [], start=1))


def year_labels(by_year: Counter) -> list[str]:
    """Years in order, a year with no report between two that have some included (an empty
    column), then the label of reports without a year."""
    years = sorted(by_year, key=_sort_key)
    known = [int(y) for y in years if y.isdigit()]
    if known and max(known) - min(known) <= MAX_GAP_YEARS:
        years = [str(y) for y in range(min(known), max(known) + 1)] + [y for y in years if not y.isdigit()]
    return years


def build_overview(docs: list[dict], top_flows: int = 15) -> Overview:
    by_year: Counter = Counter()
    by_quarter: Counter = Counter()
    by_office: Counter = Counter()
    money: Counter = Counter()
    flows: dict = {}
    n_transfers = 0
    for doc in docs:
        y = doc.get("fiscal_year")
        by_year[str(y) if y is not None else "연도 미상"] += 1
        ql = quarter_label(doc)
        by_quarter[ql] += 1
        by_office[doc.get("office") or "부서 미상"] += 1
        for t in doc.get("transfers", []):
            n_transfers += 1
            money[ql] += moved_won(t)
            for s, d, v in transfer_flows(t):
                f = flows.setdefault((s, d), Flow(s, d))
                f.amount += v
                f.transfers += 1
                f.reports.add(report_id_of(doc))
    quarters = with_gaps(by_quarter, [(d.get("fiscal_year"), d.get("quarter")) for d in docs])
    years = year_labels(by_year)
    return Overview(
        n_reports=len(docs),
        n_transfers=n_transfers,
        by_year=[(k, by_year.get(k, 0)) for k in years],
        by_quarter=[(k, by_quarter.get(k, 0)) for k in quarters],
        by_office=by_office.most_common(),
        money_by_quarter=[(k, money.get(k, 0)) for k in quarters],
        flows=sorted(flows.values(), key=lambda f: (-f.amount, f.src, f.dst))[:top_flows],
        conflicts=cross_report_conflicts(docs),
    )


def conflict_lines(conflicts: list[Conflict], limit: int = 20) -> list[str]:
    """Terminal form of cross-report conflicts: one line per variant with its reports."""
    out = []
    for c in conflicts[:limit]:
        out.append(f"⚠ stat_code_name (across reports): {c.message()}")
        for variant, wheres in c.variants.items():
            paths = sorted({w.path for w in wheres})
            shown = ", ".join(paths[:5]) + (f" and {len(paths) - 5} more" if len(paths) > 5 else "")
            out.append(f"    {variant}: {shown}")
    if len(conflicts) > limit:
        out.append(f"… and {len(conflicts) - limit} more 통계목 conflict(s) across reports (see --html)")
    return out

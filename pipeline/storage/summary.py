"""The archive's overview computed in SQL, so that it stays bounded whatever the archive's
size: counts by status, check, year, quarter and office, money moved per quarter, the
largest flows and the 통계목 conflicts across reports, each from an aggregate query or one
streamed pass over the budget lines; only the worst reports' JSON documents are read."""
from __future__ import annotations

import itertools
import json
import operator
from collections import Counter
from dataclasses import dataclass, field

from ..overview import Flow, Overview, conflicts_among, line_entry, quarter_label, split_flows, stat_label, with_gaps, year_labels
from .archive import Archive


@dataclass
class ArchiveSummary:
    """What an overview of a whole archive shows besides the reports it shows in full."""

    counts: dict  # reports, clean, warning, unchecked, error (reports by status), failed (files)
    by_check: dict  # check → (findings, reports)
    overview: Overview
    worst: list = field(default_factory=list)  # report JSON of the reports shown in full
    failures: list = field(default_factory=list)  # (path, why) of the first failed files
    archive: str = ""


def archive_summary(archive: Archive, worst: int = 50, failures_shown: int = 200, top_flows: int = 15,
                    where: str = "", args=(), keep=None) -> ArchiveSummary:
    """The whole archive's counts and overview; in full, only the `worst` reports (of those
    meeting `where` on `reports r`, each as `keep` shows it) and the first failures."""
    c = archive
    row = c.sql('SELECT "reports", "clean_reports", "warning_reports", "unchecked_reports", "error_reports", '
                '"failed_files", "error_findings", "warning_findings" FROM archive_counts').fetchone()
    counts = dict(zip(("reports", "clean", "warning", "unchecked", "error", "failed", "error_findings", "warning_findings"), row))
    by_check = {r[0]: (r[1], r[2]) for r in c.sql(
        'SELECT "check", count(*), count(DISTINCT "report_id") FROM findings GROUP BY "check"')}
    ids = [r[0] for r in c.sql(
        'SELECT r."report_id" FROM reports r WHERE r."status" <> \'clean\' ' + (f"AND {where} " if where else "")
        + 'ORDER BY r."status" = \'error\' DESC, r."error_count" DESC, r."status" = \'unchecked\' DESC, '
        'r."finding_count" DESC, r."source_path" LIMIT ?', [*args, worst])]
    marks = ",".join("?" * len(ids))
    docs = [json.loads(r[0]) for r in c.sql(f'SELECT "report_json" FROM report_documents WHERE "report_id" IN ({marks})', ids)] if ids else []
    order = {rid: k for k, rid in enumerate(ids)}
    docs.sort(key=lambda d: order[d["source"]["sha256"]])
    docs = with_other_paths(archive, docs)
    docs = [d for d in (keep(d) if keep else d for d in docs) if d is not None]
    failures = [(r[0], f"{r[1]} (recorded by ingest, {r[2]})") for r in c.sql(
        'SELECT "path", "reason", "stage" FROM failures ORDER BY "path" LIMIT ?', (failures_shown,))]
    return ArchiveSummary(counts, by_check, _overview(c, top_flows), docs, failures, archive.name)


def with_other_paths(archive: Archive, docs: list[dict]) -> list[dict]:
    """Each report with every other path its bytes were found under (`source.other_paths`):
    the page's PDF pictures use whichever is still there."""
    others: dict = {}
    ids = [d["source"]["sha256"] for d in docs]
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        for p, sha in archive.sql(f'SELECT "path", "sha256" FROM sources WHERE "sha256" IN ({",".join("?" * len(part))}) '
                                           'ORDER BY "last_seen" DESC', part):
            others.setdefault(sha, []).append(p)
    for d in docs:
        d["source"]["other_paths"] = [p for p in others.get(d["source"]["sha256"], []) if p != d["source"]["path"]]
    return docs


def _overview(c: Archive, top_flows: int) -> Overview:
    by_year: Counter = Counter()
    by_quarter: Counter = Counter()
    periods = []
    for y, q, n in c.sql('SELECT "fiscal_year", "quarter", count(*) FROM reports GROUP BY 1, 2'):
        by_year[str(y) if y is not None else "연도 미상"] += n
        by_quarter[quarter_label({"fiscal_year": y, "quarter": q})] += n
        periods.append((y, q))
    by_office = [(o or "부서 미상", n) for o, n in c.sql(
        'SELECT "office", count(*) AS n FROM reports GROUP BY 1 ORDER BY n DESC, 1')]
    money: Counter = Counter()
    # overview.moved_won: a transfer's 감 column, or its 전용개요 amount when it has no table
    for sql in ('SELECT r."fiscal_year", r."quarter", sum(b."decrease") FROM budget_lines b '
                'JOIN reports r ON r."report_id" = b."report_id" WHERE b."decrease" > 0 GROUP BY 1, 2',
                'SELECT r."fiscal_year", r."quarter", sum(t."amount_won") FROM transfers t '
                'JOIN reports r ON r."report_id" = t."report_id" WHERE t."line_count" = 0 GROUP BY 1, 2'):
        for y, q, won in c.sql(sql):
            money[quarter_label({"fiscal_year": y, "quarter": q})] += int(won or 0)
    quarters = with_gaps(by_quarter, periods)
    years = year_labels(by_year)
    n_reports = c.sql("SELECT count(*) FROM reports").fetchone()[0]
    n_transfers = c.sql("SELECT count(*) FROM transfers").fetchone()[0]
    return Overview(
        n_reports=n_reports, n_transfers=n_transfers,
        by_year=[(k, by_year.get(k, 0)) for k in years],
        by_quarter=[(k, by_quarter.get(k, 0)) for k in quarters],
        by_office=by_office,
        money_by_quarter=[(k, money.get(k, 0)) for k in quarters],
        flows=_flows(c, top_flows),
        conflicts=_conflicts(c),
    )


def _flows(c: Archive, top: int) -> list[Flow]:
    """One pass over the lines that moved money, a transfer at a time."""
    cur = c.stream_sql('SELECT "report_id", "transfer_seq", "stat_code", "stat_name", "decrease", "increase" '
                       'FROM budget_lines WHERE "decrease" > 0 OR "increase" > 0 ORDER BY "report_id", "transfer_seq", "line"',
                       size=5000)
    labels: dict = {}  # (code, name) → stat_label: a few hundred printings for many lines

    def label(code, name) -> str:
        got = labels.get((code, name))
        if got is None:
            got = labels[(code, name)] = stat_label({"stat_code": code, "stat_name": name})
        return got

    flows: dict = {}
    for (rid, _), rows in itertools.groupby(cur, key=operator.itemgetter(0, 1)):
        srcs, dsts = [], []
        for _, _, code, name, dec, inc in rows:
            if dec and dec > 0:
                srcs.append((label(code, name), dec))
            if inc and inc > 0:
                dsts.append((label(code, name), inc))
        for s, d, v in split_flows(srcs, dsts):
            f = flows.get((s, d))
            if f is None:
                f = flows[(s, d)] = Flow(s, d)
            f.amount += v
            f.transfers += 1
            f.reports.add(rid)
    return sorted(flows.values(), key=lambda f: (-f.amount, f.src, f.dst))[:top]


PLACES_PER_PRINTING = 200  # lines fetched for one (code, name) printing in a conflict: enough to show


def _conflicts(c: Archive) -> list:
    """The cross-report stat_code_name check: the distinct (code, name) printings first (an
    aggregate), then, for the printings in conflict only, where they are printed."""
    pairs = [(code, name) for code, name in c.sql(
        'SELECT "stat_code", "stat_name" FROM budget_lines WHERE "stat_code" <> \'\' GROUP BY 1, 2')]
    suspects = {(e[0], e[1]) for e in conflicts_candidates(pairs)}
    entries = []
    for code, name in pairs:
        entry = line_entry("", "", "", 0, 0, code, name)
        if (entry[0], entry[1]) not in suspects:
            continue
        for rid, path, title, seq, n in c.sql(
                'SELECT b."report_id", r."source_path", r."title", b."transfer_seq", b."line" FROM budget_lines b '
                'JOIN reports r ON r."report_id" = b."report_id" WHERE b."stat_code" = ? AND b."stat_name" = ? '
                'ORDER BY r."source_path", b."transfer_seq", b."line" LIMIT ?', (code, name, PLACES_PER_PRINTING)):
            entries.append(line_entry(rid, path, title or "", seq, n, code, name))
    return conflicts_among(entries)


def conflicts_candidates(pairs) -> list[tuple]:
    """The (code key, name key) of printings that take part in a code/name conflict at all."""
    from ..audit import stat_code_conflicts

    entries = [line_entry("", "", "", 0, 0, code, name) for code, name in pairs]
    codes, names = stat_code_conflicts((k, n, (k, n)) for k, n, _ in entries)
    out = set()
    for table in (codes, names):
        for variants in table.values():
            for places in variants.values():
                out.update(places)
    return sorted(out)

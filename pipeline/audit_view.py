"""The auditor's view from the command line: the terminal table of findings grouped by
report and transfer, gathering the reports to audit (files, folders, an archive), and
writing the HTML page (writers/html_report.py) and the workbook (writers/xlsx_writer.py).

Everything below works on report JSON dicts, so a fresh parse and an archive look alike."""
from __future__ import annotations

import os
from collections import Counter
from typing import Iterable

from .audit import COLUMN_KO, doc_status, doc_unchecked
from .records import EXIT_UNCHECKED
from .triage import Triage
from .terminal import Block, Grid, Line, render_plain

FINDING_COLUMNS = ("check", "sev", "line", "column", "printed", "expected", "where")
FIGURE_COLUMNS = frozenset({4, 5})  # printed, expected: aligned right
SEVERITY_STYLE = {"error": "red", "warning": "yellow"}


def _loc_text(loc: dict | None) -> str:
    if not loc:
        return "-"
    parts = []
    if loc.get("section") is not None:
        parts.append(f"section {loc['section']}")
    if loc.get("page") is not None:
        parts.append(f"p.{loc['page']}")
    if loc.get("line") is not None:
        parts.append(f"line {loc['line']}")
    if loc.get("paragraph") is not None and loc.get("cell") is None:
        parts.append(f"paragraph {loc['paragraph']}")
    if loc.get("cell") is not None:
        t, r, c = loc["cell"]
        parts.append(f"table {t} r{r} c{c}")
    if loc.get("bbox") is not None and loc.get("page") is not None:
        x0, top, x1, bottom = loc["bbox"]
        parts.append(f"@({x0:.0f},{top:.0f})")
    return " ".join(parts) or "-"


def _money(v) -> str:
    return "" if v is None else f"{v:,}"


def render_audit(outcomes: Iterable) -> str:
    """The terminal table for freshly parsed files (failures listed with their reason)."""
    docs, failures = [], []
    for o in outcomes:
        if o.ok:
            docs.extend((o.path, r.to_json()) for r in o.reports)
        else:
            failures.append((o.path, o.error))
    return render_audit_docs(docs, failures)


def render_audit_docs(docs: Iterable, failures: Iterable[tuple[str, str]] = (), archived_failures: Iterable[tuple[str, str]] = ()) -> str:
    """The terminal table as plain text (what a pipe receives)."""
    return render_plain(audit_blocks(docs, failures, archived_failures))


def audit_blocks(docs: Iterable, failures: Iterable[tuple[str, str]] = (), archived_failures: Iterable[tuple[str, str]] = ()) -> list[Block]:
    """The terminal table from report JSON dicts (a fresh parse or an archive): each item
    of `docs` is a dict, or a (path shown, dict) pair. Across several reports it also lists
    the 통계목 code/name conflicts between reports (the archive-wide stat_code_name check).
    Blocks for pipeline.terminal: lines, and one grid of findings per transfer."""
    from .overview import cross_report_conflicts

    pairs = [item if isinstance(item, tuple) else (item["source"]["path"], item) for item in docs]
    failures, archived_failures = list(failures), list(archived_failures)
    tally = Tally()
    chunks = [failure_blocks(p, why) for p, why in failures + archived_failures]
    for path, doc in pairs:
        tally.add(doc)
        chunks.append(report_blocks(path, doc))
    conflicts = cross_report_conflicts(d for _, d in pairs) if len(pairs) > 1 else []
    chunks.append(closing_blocks(tally, len(failures), len(archived_failures), conflicts))
    out: list[Block] = []
    for chunk in chunks:
        out += ([Line("")] if out else []) + chunk
    return out


class Tally:
    """Reports counted by status, findings by severity."""

    def __init__(self) -> None:
        self.status: Counter = Counter()
        self.errors = self.warnings = 0

    def add(self, doc: dict) -> None:
        findings = doc.get("findings", [])
        e = sum(1 for f in findings if f["severity"] == "error")
        self.errors += e
        self.warnings += len(findings) - e
        self.status[doc_status(doc)] += 1

    @property
    def reports(self) -> int:
        return sum(self.status.values())


def failure_blocks(path: str, why: str) -> list[Block]:
    return [Line(f"✗ {path}: {why}", "bold red")]


def report_blocks(path: str, doc: dict) -> list[Block]:
    """One report: its status line, why it was not fully checked, its findings by transfer."""
    out: list[Block] = []
    findings = doc.get("findings", [])
    errors = sum(1 for f in findings if f["severity"] == "error")
    head = f"{doc.get('fiscal_year') or '?'} {doc.get('quarter') or '?'}/4 {doc.get('office') or ''}".strip()
    status = doc_status(doc)
    unchecked = doc_unchecked(doc)
    if status == "clean":
        out.append(Line(f"✓ {path} — {head}: clean ({len(doc['transfers'])} transfers)", "green"))
    elif status == "unchecked":
        out.append(Line(f"? {path} — {head}: not fully checked"
                        + (f", {len(findings)} warning(s)" if findings else ", no findings in what was read"), "bold yellow"))
    elif status == "warning":
        out.append(Line(f"! {path} — {head}: {len(findings)} warning(s)", "bold yellow"))
    else:
        out.append(Line(f"✗ {path} — {head}: {errors} error(s), {len(findings) - errors} warning(s)"
                        + ("; not fully checked" if unchecked else ""), "bold red"))
    out += [Line(f"  not checked: {why}", "yellow") for why in unchecked]
    if doc.get("corrections"):
        out.append(Line(f"  audited with {len(doc['corrections'])} correction(s) of extracted values (jeonyong correct):", "cyan"))
        out += [Line(f"    transfer {c['transfer_seq']}" + (f" line {c['line']}" if c["line"] else "")
                     + f" {c['field']}: {c['extracted']} → {c['value']} ({c['reason']}; {c['corrected_by']}, {c['corrected_at']})", "cyan")
                for c in doc["corrections"]]
    if findings:
        out += _finding_blocks(doc, findings)
    for problem in doc.get("schema_errors", []):
        out.append(Line(f"  schema: {problem}", "magenta"))
    if doc.get("unparsed"):
        out.append(Line(f"  ({len(doc['unparsed'])} printed line(s) not placed; see \"unparsed\" in the JSON)", "dim"))
    if doc.get("notes"):
        out.append(Line(f"  ({len(doc['notes'])} reading(s) decided by a heuristic, such as a name rejoined across "
                        f"a line break; see \"notes\" in the JSON)", "dim"))
    return out


def closing_blocks(tally: Tally, failed: int, archived_failed: int, conflicts: list) -> list[Block]:
    from .overview import conflict_lines

    out: list[Block] = []
    if conflicts:
        out += [Line(text, "yellow") for text in conflict_lines(conflicts)] + [Line("")]
    out.append(Line(summary_line(tally.reports, tally.status, tally.errors, tally.warnings, failed, archived_failed)
                    + (f"; {len(conflicts)} 통계목 code/name conflict(s) across reports" if conflicts else ""), "bold"))
    return out


def summary_line(reports: int, by_status: dict, error_findings: int, warning_findings: int, failed: int,
                 archived_failed: int = 0) -> str:
    """The closing line: reports counted as reports (by status), findings as findings,
    files that could not be read as files (those the archive records too)."""
    return (
        f"{reports} report(s): {by_status.get('clean', 0)} clean, "
        + (f"{by_status['unchecked']} not fully checked, " if by_status.get("unchecked") else "")
        + f"{by_status.get('error', 0)} with errors, {by_status.get('warning', 0)} with warnings only; "
        f"{error_findings} error finding(s), {warning_findings} warning finding(s); "
        f"{failed + archived_failed} file(s) unreadable"
        + (f" ({archived_failed} recorded in the archive by ingest)" if archived_failed else "")
    )


def _finding_blocks(doc: dict, findings: list[dict]) -> list[Block]:
    """One grid of findings per transfer, each with its message under it."""
    out: list[Block] = []
    titles = {t["seq"]: f"{t['label']}. {t['title']}" for t in doc["transfers"]}
    by_transfer: dict = {}
    for f in findings:
        by_transfer.setdefault(f["transfer_seq"], []).append(f)
    for seq, items in by_transfer.items():
        out.append(Line(f"  {titles.get(seq, 'report')}", "bold"))
        out.append(Grid(
            header=FINDING_COLUMNS,
            rows=[(
                f["check"], f["severity"], "" if f["line"] is None else str(f["line"]),
                COLUMN_KO.get(f["field"], f["field"] or ""), _money(f["actual"]), _money(f["expected"]),
                _loc_text(f["loc"]),
            ) for f in items],
            right=FIGURE_COLUMNS, indent=4,
            row_styles=[SEVERITY_STYLE.get(f["severity"], "") for f in items],
        ))
        out += [Line(f"    · {f['message']}", "dim") for f in items]
        causes = {f["cause"]["id"]: f["cause"] for f in items if f.get("cause")}
        out += [Line(f"    ⇒ {c['message']} (findings {', '.join(map(str, c['explains']))})", "bold") for c in causes.values()]
    return out


FULL_VIEW_LIMIT = 200  # an archive of at most this many reports is shown whole, as its files would be
WORST_SHOWN = 50  # reports a larger archive's unfiltered audit shows in full (terminal and page)
FAILURES_SHOWN = 20  # failed files it lists on the terminal


def run_audit(paths, archive, triage, summary_only: bool, html, xlsx, say, show_all: bool = False, limits=None) -> int:
    """`jeonyong audit`: the reports of the files (and/or of the archive) that `triage`
    keeps, printed as they come (an archive's reports are streamed from SQL: memory stays
    flat), or `--summary`'s counts; then the HTML page (for an archive, its bounded
    overview) and the workbook. Returns the exit status: 2 an input unreadable, 1 a finding
    of severity error, 3 a report not fully checked, else 0 (of the reports shown)."""
    from .overview import cross_report_conflicts
    from .terminal import print_blocks
    from .triage import Summary

    file_docs, failures = gather(paths or [], limits) if paths else ([], [])
    file_docs = [(p, d) for p, d in ((p, triage.apply(d)) for p, d in file_docs) if d is not None]
    store = _open_archive(archive, failures)
    for p, why in failures:
        say(f"{p}: {why}")
    printed = [False]

    def emit(blocks: list) -> None:
        print_blocks(([Line("")] if printed[0] else []) + blocks)
        printed[0] = True

    try:
        if (store is not None and not file_docs and not (triage.active or summary_only or show_all)
                and store.sql("SELECT count(*) FROM reports").fetchone()[0] > FULL_VIEW_LIMIT):
            return _archive_at_a_glance(store, archive, failures, html, xlsx, emit, say)
        archived_failures = [] if store is None else [
            (f["path"], f"{f['reason']} (recorded by ingest, {f['stage']})") for f in store.failures()]
        if file_docs:
            from .extract import conversion_notes

            for note_path, doc in file_docs:
                for note in conversion_notes(doc):
                    say(f"{note_path}: {note}")
        tally, summary = Tally(), Summary()
        if not summary_only:
            for p, why in failures + ([] if triage.active else archived_failures):
                emit(failure_blocks(p, why))
        for path, doc in _shown(file_docs, store, triage):
            tally.add(doc)
            if summary_only:
                summary.add(doc)
            else:
                emit(report_blocks(path, doc))
        conflicts = []
        if not summary_only and not triage.active:
            conflicts = (_archive_conflicts(store) if store is not None
                         else cross_report_conflicts(d for _, d in file_docs) if len(file_docs) > 1 else [])
        closing = closing_blocks(tally, len(failures), len(archived_failures), conflicts)
        emit((summary.blocks() + [Line("")] if summary_only else []) + closing)
        problems = _write_pages(file_docs, failures, archived_failures, store, triage, html, xlsx, archive)
    finally:
        if store is not None:
            store.close()
    for line in problems:
        say(line)
    if failures or problems:
        return 2
    if tally.status["error"]:
        return 1
    return EXIT_UNCHECKED if tally.status["unchecked"] else 0


def _archive_at_a_glance(store, archive, failures, html, xlsx, emit, say) -> int:
    """An archive's audit without filters, bounded whatever its size: the first failed
    files, the worst reports in full, and the whole archive's counts (from SQL); the page
    likewise (storage/summary.py)."""
    from .storage.summary import archive_summary

    summary = archive_summary(store, worst=WORST_SHOWN)
    summary.worst[:] = list(_corrected(store, list(summary.worst)))
    c = summary.counts
    shown: list[Block] = []  # bounded: printed at once
    for chunk in [failure_blocks(p, why) for p, why in summary.failures[:FAILURES_SHOWN]] + [
            report_blocks(doc["source"]["path"], doc) for doc in summary.worst]:
        shown += ([Line("")] if shown else []) + chunk
    if shown:
        emit(shown)
    rest = c["reports"] - c["clean"] - len(summary.worst)
    more = []
    if rest > 0 or c["failed"] > FAILURES_SHOWN:
        more.append(Line(
            (f"… {rest} more report(s) with findings or not fully checked, not shown" if rest > 0 else "")
            + ("; " if rest > 0 and c["failed"] > FAILURES_SHOWN else "")
            + (f"{c['failed'] - FAILURES_SHOWN} more failed file(s): jeonyong failures --archive {_named(archive)}" if c["failed"] > FAILURES_SHOWN else "")
            + ". Narrow with --severity, --check, --office, --year, --quarter; --summary for counts; --all for every report.", "dim"))
        more.append(Line(""))
    tally = Tally()
    tally.status.update({k: c[k] for k in ("clean", "warning", "unchecked", "error")})
    tally.errors, tally.warnings = c["error_findings"], c["warning_findings"]
    emit(more + closing_blocks(tally, len(failures), c["failed"], summary.overview.conflicts))
    problems = []
    if html is not None:
        from .writers.html_report import write_html

        try:
            write_html(html, [], failures, archive=summary, source_label=f"archive {_named(archive)}")
        except OSError as e:
            problems.append(f"{html}: cannot write: {e.strerror or e}")
    if xlsx is not None:
        problems += _write_pages([], [], [], store, Triage(), None, xlsx, archive)
    for line in problems:
        say(line)
    if failures or problems:
        return 2
    return 1 if c["error"] else EXIT_UNCHECKED if c["unchecked"] else 0


def _named(archive) -> str:
    """An archive as a page may name it (a PostgreSQL URL without its password)."""
    from .storage.database import is_url, shown_url

    return shown_url(archive) if is_url(archive) else str(archive)


def _open_archive(archive, failures: list):
    """The archive opened read-only, or None (its problem added to `failures`)."""
    if archive is None:
        return None
    prefix = f"{_named(archive)}: "
    try:
        from .storage.archive import Archive, ArchiveError
    except ImportError:
        failures.append((_named(archive), "archives are not supported by this installation"))
        return None
    try:
        return Archive(archive, readonly=True)
    except ArchiveError as e:
        msg = str(e)
        failures.append((_named(archive), msg[len(prefix):] if msg.startswith(prefix) else msg))
    except Exception as e:  # a damaged file: say so in one line
        failures.append((_named(archive), f"cannot read the archive ({type(e).__name__}: {e})"))
    return None


def _shown(file_docs, store, triage):
    """(path shown, report JSON) of every report the audit shows: the files', then the
    archive's, streamed (narrowed in SQL, decided by `triage.apply`)."""
    yield from file_docs
    if store is not None:
        where, args = triage.sql()
        for doc in _corrected(store, store.iter_documents(where, args)):
            doc = triage.apply(doc)
            if doc is not None:
                yield doc["source"]["path"], doc


def _corrected(store, docs):
    """The archive's reports with their archivists' corrections applied and re-checked
    (corrections.py); the stored extraction is not touched."""
    from .corrections import corrected_doc, corrections_by_report
    from .records import report_id_of

    by_report = corrections_by_report(store)
    for doc in docs:
        yield corrected_doc(doc, by_report.get(report_id_of(doc), []))


def _archive_conflicts(store) -> list:
    from .storage.summary import _conflicts

    return _conflicts(store)


def _write_pages(file_docs, failures, archived_failures, store, triage, html, xlsx, archive) -> list[str]:
    """The HTML page and the workbook; `<path>: <why>` lines for those that could not be
    written. An archive's page is its bounded overview (storage/summary.py)."""
    problems = []
    if html is not None:
        from .writers.html_report import write_html

        try:
            where, args = triage.sql()
            if store is not None and not file_docs and store.sql(
                    "SELECT count(*) FROM reports r" + (f" WHERE {where}" if where else ""), args).fetchone()[0] > FULL_VIEW_LIMIT:
                from .storage.summary import archive_summary

                summary = archive_summary(store, where=where, args=args, keep=triage.apply)
                write_html(html, [], failures, archive=summary, source_label=f"archive {_named(archive)}")
            elif store is not None:
                from .storage.summary import with_other_paths

                docs = with_other_paths(store, [d for _, d in _shown(file_docs, store, triage)])
                write_html(html, docs, list(failures) + list(archived_failures), overview=True,
                           source_label=f"archive {_named(archive)}")
            else:
                write_html(html, [d for _, d in file_docs], list(failures) + list(archived_failures),
                           overview=True if store is not None else None,
                           source_label=f"archive {_named(archive)}" if archive is not None else "")
        except OSError as e:
            problems.append(f"{html}: cannot write: {e.strerror or e}")
    if xlsx is not None:
        from .writers.xlsx_writer import write_xlsx

        try:
            write_xlsx(xlsx, (d for _, d in _shown(file_docs, store, triage)))
        except OSError as e:
            problems.append(f"{xlsx}: cannot write: {e.strerror or e}")
    return problems


def gather(paths, limits=None) -> tuple[list[tuple[str, dict]], list[tuple[str, str]]]:
    """The reports parsed from files and folders, each file once however often it is named:
    ([(path shown, report JSON)], [(path, why it could not be read)])."""
    from .discover import iter_inputs
    from .extract import extract_files

    docs: list[tuple[str, dict]] = []
    failures: list[tuple[str, str]] = []
    seen: set = set()
    unique = [p for p in iter_inputs(paths) if not (os.path.abspath(p) in seen or seen.add(os.path.abspath(p)))]
    for o in extract_files(unique, *([limits] if limits is not None else [])):
        if o.ok:
            docs.extend((o.path, r.to_json()) for r in o.reports)
        else:
            failures.append((o.path, o.error))
    return docs, failures

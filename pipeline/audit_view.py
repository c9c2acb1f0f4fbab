"""The auditor's view from the command line: the terminal table of findings grouped by
report and transfer, gathering the reports to audit (files, folders, an archive), and
writing the HTML page (writers/html_report.py) and the workbook (writers/xlsx_writer.py).

Everything below works on report JSON dicts, so a fresh parse and an archive look alike."""
from __future__ import annotations

from typing import Iterable

from .audit import COLUMN_KO, unverified_transfers
from .extract import Outcome
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


def render_audit(outcomes: Iterable[Outcome]) -> str:
    """The terminal table for freshly parsed files (failures listed with their reason)."""
    docs, failures = [], []
    for o in outcomes:
        if o.ok:
            docs.append((o.path, o.report.to_json()))
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
    from .overview import conflict_lines, cross_report_conflicts

    out: list[Block] = []
    blank = Line("")
    counts = {"reports": 0, "clean": 0, "unverified": 0, "failed": 0, "errors": 0, "warnings": 0}
    all_docs = []
    for path, why in failures:
        counts["failed"] += 1
        out += [Line(f"✗ {path}: {why}", "bold red"), blank]
    for path, why in archived_failures:
        out += [Line(f"✗ {path}: {why}", "bold red"), blank]
    for item in docs:
        path, doc = item if isinstance(item, tuple) else (item["source"]["path"], item)
        all_docs.append(doc)
        counts["reports"] += 1
        findings = doc.get("findings", [])
        errors = sum(1 for f in findings if f["severity"] == "error")
        counts["errors"] += errors
        counts["warnings"] += len(findings) - errors
        head = f"{doc.get('fiscal_year') or '?'} {doc.get('quarter') or '?'}/4 {doc.get('office') or ''}".strip()
        unchecked = unverified_transfers(doc)
        if not findings and unchecked:
            counts["unverified"] += 1
            out.append(Line(f"? {path} — {head}: no findings, but transfer(s) {', '.join(unchecked)} not checked "
                            f"(no budget line read; see \"unparsed\")", "bold yellow"))
        elif not findings:
            counts["clean"] += 1
            out.append(Line(f"✓ {path} — {head}: clean ({len(doc['transfers'])} transfers)", "green"))
        else:
            out.append(Line(f"✗ {path} — {head}: {errors} error(s), {len(findings) - errors} warning(s)",
                            "bold red" if errors else "bold yellow"))
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
        for problem in doc.get("schema_errors", []):
            out.append(Line(f"  schema: {problem}", "magenta"))
        if doc.get("unparsed"):
            out.append(Line(f"  ({len(doc['unparsed'])} printed line(s) not placed; see \"unparsed\" in the JSON)", "dim"))
        if doc.get("notes"):
            out.append(Line(f"  ({len(doc['notes'])} reading(s) decided by a heuristic, such as a name rejoined across "
                            f"a line break; see \"notes\" in the JSON)", "dim"))
        out.append(blank)
    conflicts = cross_report_conflicts(all_docs) if len(all_docs) > 1 else []
    if conflicts:
        out += [Line(text, "yellow") for text in conflict_lines(conflicts)]
        out.append(blank)
    out.append(Line(
        f"{counts['reports']} report(s): {counts['clean']} clean, "
        + (f"{counts['unverified']} not fully checked, " if counts["unverified"] else "")
        + f"{counts['errors']} error(s), "
        f"{counts['warnings']} warning(s); {counts['failed']} file(s) unreadable"
        + (f"; {len(conflicts)} 통계목 code/name conflict(s) across reports" if conflicts else ""),
        "bold",
    ))
    return out


def gather(paths, archive=None, limits=None) -> tuple[list[tuple[str, dict]], list[tuple[str, str]], list[tuple[str, str]]]:
    """The reports to audit: parsed from files/folders, and/or read from an archive.
    Returns ([(path shown, report JSON)], [(path, why it failed now)], [(path, why the
    archive records it as failed when it was ingested)])."""
    from .discover import iter_inputs
    from .extract import extract_files

    docs: list[tuple[str, dict]] = []
    failures: list[tuple[str, str]] = []
    archived: list[tuple[str, str]] = []
    if paths:
        for o in extract_files(iter_inputs(paths), *([limits] if limits is not None else [])):
            if o.ok:
                docs.append((o.path, o.report.to_json()))
            else:
                failures.append((o.path, o.error))
    if archive is not None:
        try:
            stored, failed = load_archive(archive)
            docs.extend((d["source"]["path"], d) for d in stored)
            archived.extend((f["path"], f"{f['reason']} (recorded by ingest, {f['stage']})") for f in failed)
        except ArchiveUnreadable as e:
            failures.append((str(archive), e.reason))
    return docs, failures, archived


class ArchiveUnreadable(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def load_archive(path) -> tuple[list[dict], list[dict]]:
    """Every report JSON stored in a SQLite archive written by `jeonyong ingest`, and the
    archive's record of files that could not be archived (path, reason, stage)."""
    try:
        from .archive import Archive, ArchiveError
    except ImportError:
        raise ArchiveUnreadable("archives are not supported by this installation") from None
    prefix = f"{path}: "
    try:
        with Archive(path, readonly=True) as a:
            docs = list(a.iter_documents())
            # Every path the same bytes were found under: the page's PDF pictures can use
            # whichever of them is still there.
            others: dict = {}
            for p, sha in a.conn.execute('SELECT "path", "sha256" FROM sources ORDER BY "last_seen" DESC'):
                others.setdefault(sha, []).append(p)
            for d in docs:
                d["source"]["other_paths"] = [p for p in others.get(d["source"]["sha256"], []) if p != d["source"]["path"]]
            return docs, a.failures()
    except ArchiveError as e:
        msg = str(e)
        raise ArchiveUnreadable(msg[len(prefix):] if msg.startswith(prefix) else msg) from None
    except Exception as e:  # a damaged file: say so in one line
        raise ArchiveUnreadable(f"cannot read the archive ({type(e).__name__}: {e})") from None


def has_error_findings(docs) -> bool:
    for item in docs:
        doc = item[1] if isinstance(item, tuple) else item
        if any(f["severity"] == "error" for f in doc.get("findings", [])):
            return True
    return False


def write_outputs(docs, failures, html=None, xlsx=None, archive=None, archived_failures=()) -> list[str]:
    """Write the HTML page and/or the workbook; returns `<path>: <why>` lines for outputs
    that could not be written."""
    plain = [item[1] if isinstance(item, tuple) else item for item in docs]
    problems = []
    if html is not None:
        from .writers.html_report import write_html

        try:
            write_html(
                html, plain, list(failures) + list(archived_failures),
                overview=True if archive is not None else None,
                source_label=f"archive {archive}" if archive is not None else "",
            )
        except OSError as e:
            problems.append(f"{html}: cannot write: {e.strerror or e}")
    if xlsx is not None:
        from .writers.xlsx_writer import write_xlsx

        try:
            write_xlsx(xlsx, plain)
        except OSError as e:
            problems.append(f"{xlsx}: cannot write: {e.strerror or e}")
    return problems

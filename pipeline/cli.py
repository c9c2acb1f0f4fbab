"""The `jeonyong` command. Commands stay thin: they call library functions and map
outcomes to the contract's exit statuses (0 good, 1 findings, 2 unreadable input)."""
from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__
from .records import EXIT_UNCHECKED

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Read Korean 예산 전용 보고 (budget transfer reports) in text, PDF, DOCX, HWPX and HWP; "
    "extract validated records; check their arithmetic; write JSON, CSV and a SQLite archive.",
)


class OcrMode(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


OCR_HELP = ("Read pages by OCR (Tesseract): auto (pages without a text layer, and image files), "
            "always (every PDF page), never (refuse scans).")


def _limits(ocr: "OcrMode"):
    from dataclasses import replace

    from .limits import DEFAULT_LIMITS

    return replace(DEFAULT_LIMITS, ocr=ocr.value)


class OutFormat(str, Enum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


def _say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _version(value: bool):
    if value:
        print(f"jeonyong {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
):
    pass


@app.command(short_help="Parse reports into the contract's JSON, CSV or XLSX.")
def extract(
    files: List[Path] = typer.Argument(..., help="Report files (text, PDF, DOCX, HWPX, HWP) or folders."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Folder for the output (JSON: DIR/<file name>.json, or DIR/<file name>#1.json, #2 … for a file holding several reports; CSV: the four tables)."),
    fmt: OutFormat = typer.Option(OutFormat.json, "--format", "-f", help="json (one file per report), csv (reports, transfers, budget_lines, findings) or xlsx (the four tables in DIR/jeonyong.xlsx, or in --out FILE.xlsx; faulty cells highlighted)."),
    ocr: OcrMode = typer.Option(OcrMode.auto, "--ocr", help=OCR_HELP),
):
    """Parse reports into the contract's JSON or CSV tables.

    Without --out, one report's JSON goes to standard output (a JSON array of them for a
    file holding several reports). Exit status: 0 when every
    file was parsed, 2 when any could not be read or is not a transfer report (the others
    are still written), 3 when all were parsed but a table or figure of some report could
    not be read (its "status" is "unchecked")."""
    from .discover import iter_inputs
    from .extract import conversion_notes, extract_files
    from .records import report_id_of
    from .tables import merge_rows
    from .writers.csv_writer import write_csv_tables
    from .writers.json_writer import dumps, output_name, write_json

    paths = list(iter_inputs(files))
    if fmt == OutFormat.json and out is None and len(paths) > 1:
        _say("jeonyong extract: several files need --out DIR (one JSON file each)")
        raise typer.Exit(2)
    if fmt == OutFormat.csv and out is None:
        out = Path(".")
        _say("jeonyong extract: writing the CSV tables to the current folder")
    if fmt == OutFormat.xlsx:
        from .writers.xlsx_writer import workbook_path

        out = workbook_path(out)
        _say(f"jeonyong extract: writing the workbook to {out}")
    failed = unchecked = 0
    docs = []
    used: set = set()
    try:
        for o in extract_files(paths, _limits(ocr)):
            if not o.ok:
                failed += 1
                _say(f"{o.path}: {o.error}")
                continue
            file_docs = []
            for report in o.reports:
                doc = report.to_json()
                unchecked += not doc["checked"]
                file_docs.append(doc)
                for note in conversion_notes(doc):
                    _say(f"{o.path}: {note}")
                for problem in report.schema_errors:
                    _say(f"{o.path}: schema: {problem}")
                if fmt in (OutFormat.csv, OutFormat.xlsx):
                    docs.append(doc)
                elif out is None:
                    continue  # written below, once the file's reports are known
                else:
                    write_json(out / output_name(o.path, report.sha256, used, report.report_index, report.reports_in_file), doc)
            if fmt == OutFormat.json and out is None:
                # one report's JSON; a package's reports as one JSON array, in file order
                sys.stdout.write(dumps(file_docs[0] if len(file_docs) == 1 else file_docs))
        if fmt == OutFormat.csv:
            # rows in a stable order (source path, then keys), as `jeonyong export` writes them
            docs.sort(key=lambda d: (d["source"]["path"], report_id_of(d)))
            write_csv_tables(out, merge_rows(docs))
        if fmt == OutFormat.xlsx:
            from .writers.xlsx_writer import write_xlsx

            write_xlsx(out, docs)
    except OSError as e:  # an output cannot be written (a full disk): the rest would fail too
        from .writers.atomic import write_error_reason

        _say(f"{e.filename or out}: {write_error_reason(e)}")
        raise typer.Exit(2)
    raise typer.Exit(2 if failed else EXIT_UNCHECKED if unchecked else 0)


class Severity(str, Enum):
    error = "error"
    warning = "warning"


@app.command(short_help="Check the arithmetic; findings as text, or --html / --xlsx.")
def audit(
    paths: Optional[List[Path]] = typer.Argument(None, help="Report files or folders."),
    archive: Optional[str] = typer.Option(None, "--archive", "-a", help="Audit the reports stored in an archive (from jeonyong ingest): a SQLite file or a postgresql://user@host:port/db URL."),
    html: Optional[Path] = typer.Option(None, "--html", help="Also write the auditor's page: one self-contained HTML file (with an overview for an archive or several reports)."),
    xlsx: Optional[Path] = typer.Option(None, "--xlsx", help="Also write the four tables as an Excel workbook, faulty cells highlighted."),
    severity: Optional[Severity] = typer.Option(None, "--severity", help="Only findings of this severity (and the reports with one)."),
    check: Optional[List[str]] = typer.Option(None, "--check", help="Only findings of this check (repeat for several), and the reports with one."),
    office: Optional[str] = typer.Option(None, "--office", help="Only reports whose office contains this text."),
    year: Optional[int] = typer.Option(None, "--year", help="Only reports of this fiscal year."),
    quarter: Optional[int] = typer.Option(None, "--quarter", min=1, max=4, help="Only reports of this quarter."),
    summary: bool = typer.Option(False, "--summary", help="Only the counts: findings by check, reports by office and by fiscal year."),
    show_all: bool = typer.Option(False, "--all", help="With --archive and no filter: every report, not only the worst 50."),
    ocr: OcrMode = typer.Option(OcrMode.auto, "--ocr", help=OCR_HELP),
):
    """Parse and check reports (or read them from an archive); print the findings grouped
    by report and transfer (or, with --summary, only the counts); optionally write them as
    an HTML page and an Excel workbook. The filters choose what is shown and counted.

    An archive without filters is shown at a glance, whatever its size: the worst 50
    reports in full and the whole archive's counts (--all for every report).

    Exit status: 0 no finding of severity error, 1 some, 2 some input unreadable, 3 no
    error found but some report not fully checked (a table or figure could not be read)."""
    from .audit import CHECKS
    from .audit_view import run_audit
    from .triage import Triage

    if not paths and archive is None:
        _say("jeonyong audit: name report files or folders, or --archive FILE")
        raise typer.Exit(2)
    unknown = sorted(set(check or ()) - set(CHECKS))
    if unknown:
        _say(f"jeonyong audit: no such check: {', '.join(unknown)} (checks: {', '.join(CHECKS)})")
        raise typer.Exit(2)
    triage = Triage(severity=severity.value if severity else None, checks=tuple(check or ()), office=office,
                    year=year, quarter=quarter)
    archive = _archive_location(archive) if archive is not None else None
    raise typer.Exit(run_audit(paths, archive, triage, summary, html, xlsx, say=_say, show_all=show_all, limits=_limits(ocr)))


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"


@app.command(short_help='Bulk-load folders of reports into an archive, SQLite or PostgreSQL (resumable).')
def ingest(
    paths: List[Path] = typer.Argument(..., help="Folders (searched recursively) and files to ingest."),
    archive: str = typer.Option("archive.sqlite", "--archive", "-a", help="The archive to create or add to: a SQLite file, or a shared PostgreSQL database as postgresql://user@host:port/db."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Also write the archive's four CSV tables and one JSON file per report to this folder."),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Worker processes (default: one per core)."),
    force: bool = typer.Option(False, "--force", help="Parse every file again, even when its content is already archived."),
    retry_failed: bool = typer.Option(False, "--retry-failed", help="Try again files that failed in an earlier run."),
    timeout: float = typer.Option(120.0, "--timeout", min=0.1, help="Seconds one file may take to parse before it is given up."),
    max_memory: int = typer.Option(2048, "--max-memory", help="Memory (MB of address space) one worker may use; 0 for no limit."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Parse on a Dask cluster: its scheduler's address (tcp://host:8786), or 'local' for a LocalCluster on this machine (extra: jeonyong[dask])."),
    ocr: OcrMode = typer.Option(OcrMode.auto, "--ocr", help=OCR_HELP),
):
    """Bulk: find every supported file under the paths, parse them in parallel, and add them
    to an archive (keyed by content hash: resumable, idempotent). Any number of ingests may
    write one PostgreSQL archive at once.

    Exit status: 0 all good, 1 findings of severity error, 2 some files failed (listed on
    standard error, with why), 3 some report not fully checked (a table or figure could
    not be read); 130 / 143 stopped by SIGINT (Ctrl-C) / SIGTERM: what was
    finished stays archived, and the same command resumes."""
    import sqlite3

    from .storage.archive import ArchiveError
    from .storage.ingest import IngestOptions, ingest as run_ingest, resume_command, summary_lines
    from .storage.options import SchedulerUnavailable, default_jobs

    archive = _archive_location(archive)
    opts = IngestOptions(archive=archive, out=out, jobs=jobs if jobs > 0 else default_jobs(), force=force,
                         retry_failed=retry_failed, timeout=timeout, max_memory_mb=max(0, max_memory),
                         scheduler=scheduler, limits=_limits(ocr))
    try:
        result = run_ingest(paths, opts)
    except (ArchiveError, SchedulerUnavailable) as e:
        _say(str(e))
        raise typer.Exit(2)
    except sqlite3.Error as e:  # a damaged archive met part-way: what was committed stays
        _say(f"{_shown(archive)}: the archive could not be written ({e})")
        raise typer.Exit(2)
    except OSError as e:
        from .writers.atomic import write_error_reason

        _say(f"{e.filename or _shown(archive)}: {write_error_reason(e)}")
        raise typer.Exit(2)
    for f in sorted(result.failures, key=lambda f: f.path):
        _say(f.line())
    print("\n".join(summary_lines(result, _shown(archive), out, resume_command(paths, opts))))
    raise typer.Exit(result.exit_status)


@app.command(short_help="List the files an archive records as failed, with why and when.")
def failures(
    archive: str = typer.Option(..., "--archive", "-a", help="The archive written by jeonyong ingest: a SQLite file or a postgresql://user@host:port/db URL."),
    reason: Optional[str] = typer.Option(None, "--reason", help="Only failures whose reason contains this text (any case)."),
    since: Optional[str] = typer.Option(None, "--since", help="Only failures last seen on or after this date (ISO: 2026-12-01 or 2026-12-01T08:00)."),
    stage: Optional[str] = typer.Option(None, "--stage", help="Only failures at this stage: read, parse, timeout, crash, archive, changed."),
    as_csv: bool = typer.Option(False, "--csv", help="CSV even on a terminal (it is CSV whenever the output is piped)."),
):
    """Every file the archive records as failed, with its reason, stage and when, grouped by
    reason with counts: a table on a terminal, CSV (UTF-8 with BOM) when piped or with --csv.
    `jeonyong ingest --retry-failed` tries them again. Exit status: 0 listed (even none), 2
    the archive cannot be read."""
    from .failures_view import failure_blocks, write_failures_csv
    from .storage.archive import Archive, ArchiveError
    from .terminal import is_terminal, print_blocks

    try:
        with Archive(_archive_location(archive), readonly=True) as a:
            rows = a.failures(reason=reason, since=since, stage=stage)
    except ArchiveError as e:
        _say(str(e))
        raise typer.Exit(2)
    if as_csv or not is_terminal(sys.stdout):
        write_failures_csv(rows, sys.stdout)
    else:
        print_blocks(failure_blocks(rows, str(archive)))
    raise typer.Exit(0)


@app.command(short_help="Record auditors' verdicts on findings (one, or a filled-in CSV).")
def review(
    archive: str = typer.Option(..., "--archive", "-a", help="The archive: a SQLite file or a postgresql://user@host:port/db URL."),
    report_id: Optional[str] = typer.Argument(None, help="The report (its report_id) of the finding to review."),
    finding_no: Optional[int] = typer.Argument(None, help="The finding's number in that report (finding_no)."),
    verdict: Optional[str] = typer.Option(None, "--verdict", help="confirmed (an error in the document), misread (the reader got it wrong) or dismissed."),
    note: str = typer.Option("", "--note", help="Why, in a sentence."),
    by: str = typer.Option("", "--by", help="Who reviews (required, here or in the CSV's reviewer column)."),
    export: Optional[Path] = typer.Option(None, "--export", help="Write every finding, with its latest verdict and an empty one where none, as CSV for a spreadsheet."),
    import_csv: Optional[Path] = typer.Option(None, "--import", help="Record the verdicts filled in a CSV written by --export."),
):
    """Record an auditor's verdict on a finding, in the archive's reviews table (never over
    what was extracted; kept when the report is ingested again). The view finding_reviews
    shows every finding with its latest verdict. Exit status: 0 done, 2 it cannot be done."""
    from .reviews import ReviewError, export_findings, one_review, read_reviews

    def one(a):
        if not (report_id and finding_no and verdict):
            return None
        return [one_review(a, report_id, finding_no, verdict, note, by)], f"{report_id} finding {finding_no}: {verdict} recorded"

    _record("review", archive, export, import_csv, ReviewError, export_findings,
            lambda a, lines: read_reviews(a, lines, reviewer=by), lambda a, rows: a.add_reviews(rows), one,
            ("findings", "; fill in verdict (and note, reviewer), then --import it"), "verdicts",
            "name REPORT_ID FINDING_NO --verdict V --by NAME, or --export FILE, or --import FILE")


@app.command(short_help="Correct a value the reader got wrong (one, or a CSV), beside the extracted one.")
def correct(
    archive: str = typer.Option(..., "--archive", "-a", help="The archive: a SQLite file or a postgresql://user@host:port/db URL."),
    report_id: Optional[str] = typer.Argument(None, help="The report (its report_id) holding the value."),
    transfer: Optional[int] = typer.Option(None, "--transfer", help="The transfer's number in the report (transfer_seq)."),
    line: Optional[int] = typer.Option(None, "--line", help="The budget line's number in the transfer (none for amount_won)."),
    field: Optional[str] = typer.Option(None, "--field", help="before, decrease, increase, after; a name (department … stat_name); or amount_won."),
    value: Optional[str] = typer.Option(None, "--value", help="The value as it should read (a figure in the table's unit, or a name)."),
    reason: str = typer.Option("", "--reason", help="Why, in a sentence (required)."),
    by: str = typer.Option("", "--by", help="Who corrects (required, here or in the CSV's corrected_by column)."),
    export: Optional[Path] = typer.Option(None, "--export", help="Write every corrected value's latest correction, beside the extracted value, as CSV."),
    import_csv: Optional[Path] = typer.Option(None, "--import", help="Record the corrections of a CSV in --export's columns."),
):
    """Record an archivist's correction of one extracted value, in the archive's corrections
    table (beside what was extracted, never over it; kept when the report is ingested again).
    `audit --archive` re-checks a corrected report on its corrected values and says so; the
    view corrected_values shows each beside the extracted one. Exit status: 0 done, 2 not."""
    from .corrections import CorrectionError, export_corrections, make_correction, read_corrections

    def one(a):
        if not (report_id and transfer is not None and field and value is not None):
            return None
        return ([make_correction(a, report_id, transfer, line, field, value, reason, by)],
                f"{report_id} transfer {transfer}" + (f" line {line}" if line else "") + f" {field} = {value} recorded")

    _record("correct", archive, export, import_csv, CorrectionError, export_corrections,
            lambda a, lines: read_corrections(a, lines, by=by), lambda a, rows: a.add_corrections(rows), one,
            ("corrected values", ""), "corrections",
            "name REPORT_ID --transfer N [--line L] --field F --value V --reason TEXT --by NAME, or --export FILE, or --import FILE")


def _record(name, archive, export, import_csv, refused, write_export, read_import, add, one, exported, recorded, usage):
    """The body of `review` and `correct`: write the archive's sheet (`--export`), record a
    filled-in one (`--import`), or record one from the command line; exit 0 done, 2 not."""
    from .storage.archive import Archive, ArchiveError

    try:
        with Archive(_archive_location(archive), readonly=export is not None) as a:
            if export is not None:
                from .writers.atomic import atomic_path

                with atomic_path(export) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
                    n = write_export(a, fh)
                _say(f"jeonyong {name}: {n} {exported[0]} written to {export}{exported[1]}")
            elif import_csv is not None:
                rows = read_import(a, import_csv.read_text(encoding="utf-8-sig").splitlines())
                _say(f"jeonyong {name}: {add(a, rows)} {recorded} recorded from {import_csv}")
            elif (done := one(a)) is not None:
                add(a, done[0])
                _say(f"jeonyong {name}: {done[1]}")
            else:
                _say(f"jeonyong {name}: {usage}")
                raise typer.Exit(2)
    except (ArchiveError, refused) as e:
        _say(str(e))
        raise typer.Exit(2)
    except OSError as e:
        _say(f"{e.filename or import_csv or export}: {e.strerror or e}")
        raise typer.Exit(2)
    except UnicodeDecodeError:
        _say(f"{import_csv}: not UTF-8 text")
        raise typer.Exit(2)
    raise typer.Exit(0)


@app.command(short_help='Write CSV tables or report JSON from an archive.')
def export(
    archive: str = typer.Option(..., "--archive", "-a", help="The archive written by jeonyong ingest: a SQLite file or a postgresql://user@host:port/db URL."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the output."),
    fmt: ExportFormat = typer.Option(ExportFormat.csv, "--format", "-f", help="csv (the four tables) or json (one file per report, as extract writes them)."),
):
    """Write the contract's tables (CSV) or report JSON from an archive: the same bytes
    `jeonyong extract` writes for the same files (rows sorted by source path)."""
    from .storage.archive import Archive, ArchiveError
    from .storage.export import export_csv, export_json

    from .writers.atomic import write_error_reason

    try:
        with Archive(_archive_location(archive), readonly=True) as a:
            written = export_csv(a, out) if fmt == ExportFormat.csv else export_json(a, out)
    except ArchiveError as e:
        _say(str(e))
        raise typer.Exit(2)
    except OSError as e:
        _say(f"{e.filename or out}: {write_error_reason(e)}")
        raise typer.Exit(2)
    _say(f"jeonyong export: {len(written)} files written to {out}")
    raise typer.Exit(0)


@app.command(short_help="Browse and query an archive in Datasette, read-only (extra: jeonyong[serve]).")
def serve(
    archive: str = typer.Argument(..., help="The SQLite archive written by jeonyong ingest (a PostgreSQL archive is served by PostgreSQL's own tools)."),
    port: int = typer.Option(8001, "--port", "-p", min=0, max=65535, help="Port to listen on (0: any free port, printed)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; 127.0.0.1 keeps it on this machine."),
):
    """Serve the archive in Datasette: browse, facet and query the reports, transfers, budget
    lines and findings in a browser, with descriptions, amounts in won and canned queries.
    The archive is opened immutable: nothing can write to it.

    Needs the optional extra: pip install -e '.[serve]' (in the clone). Exit status 2 when the archive
    cannot be served."""
    from .storage.database import is_url, shown_url
    from .storage.serve import serve as run_server

    if is_url(archive):
        _say(f"{shown_url(archive)}: jeonyong serve shows a SQLite archive only; query a PostgreSQL archive with psql "
             "or any PostgreSQL client, or export it (jeonyong export --archive URL --out DIR)")
        raise typer.Exit(2)
    raise typer.Exit(run_server(archive, host=host, port=port, say=_say))


@app.command(short_help="Bring an archive written by an older jeonyong up to date.")
def migrate(
    archive: str = typer.Argument(..., help="The archive to migrate (it must be writable): a SQLite file or a postgresql://user@host:port/db URL."),
):
    """Migrate an archive written by an older jeonyong to this version's schema, in one
    transaction. `export` and `audit --archive` only read archives, so they ask for this
    when an archive needs it. Exit status: 0 done (or nothing to do), 2 it cannot be done."""
    from .storage.archive import Archive, ArchiveError

    try:
        with Archive(_archive_location(archive), create=False) as a:
            changes = a.migrated
            version = a.schema_version()
    except ArchiveError as e:
        _say(str(e))
        raise typer.Exit(2)
    if changes:
        print(f"{_shown(archive)}: migrated to archive schema version {version} ({'; '.join(changes)})")
    else:
        print(f"{_shown(archive)}: archive schema version {version}, up to date; nothing to do")
    raise typer.Exit(0)


def _archive_location(value):
    """An --archive value: a PostgreSQL URL as it is, anything else a SQLite file's path."""
    from .storage.database import is_url

    return value if value is None or is_url(value) else Path(value)


def _shown(archive) -> str:
    from .storage.database import is_url, shown_url

    return shown_url(archive) if is_url(archive) else str(archive)


def run() -> None:
    """Console entry point: no traceback ever reaches the user."""
    try:
        app()
    except KeyboardInterrupt:
        _say("jeonyong: interrupted")
        sys.exit(130)
    except BrokenPipeError:  # the program reading the output stopped (`| head`): nothing to say
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(141)  # 128 + SIGPIPE, as the shell reports a reader gone


if __name__ == "__main__":
    run()

"""The `jeonyong` command. Commands stay thin: they call library functions and map
outcomes to the contract's exit statuses (0 good, 1 findings, 2 unreadable input)."""
from __future__ import annotations

import sqlite3
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__

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
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Folder for the output (JSON: DIR/<file name>.json; CSV: the four tables)."),
    fmt: OutFormat = typer.Option(OutFormat.json, "--format", "-f", help="json (one file per report), csv (reports, transfers, budget_lines, findings) or xlsx (the four tables in DIR/jeonyong.xlsx, or in --out FILE.xlsx; faulty cells highlighted)."),
    ocr: OcrMode = typer.Option(OcrMode.auto, "--ocr", help=OCR_HELP),
):
    """Parse reports into the contract's JSON or CSV tables.

    Without --out, one report's JSON goes to standard output. Exit status: 0 when every
    file was parsed, 2 when any could not be read or is not a transfer report (the others
    are still written)."""
    from .discover import iter_inputs
    from .extract import conversion_notes, extract_files
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
    failed = 0
    docs = []
    used: set = set()
    try:
        for o in extract_files(paths, _limits(ocr)):
            if not o.ok:
                failed += 1
                _say(f"{o.path}: {o.error}")
                continue
            doc = o.report.to_json()
            for note in conversion_notes(doc):
                _say(f"{o.path}: {note}")
            for problem in o.report.schema_errors:
                _say(f"{o.path}: schema: {problem}")
            if fmt in (OutFormat.csv, OutFormat.xlsx):
                docs.append(doc)
            elif out is None:
                sys.stdout.write(dumps(doc))
            else:
                write_json(out / output_name(o.path, o.report.sha256, used), doc)
        if fmt == OutFormat.csv:
            # rows in a stable order (source path, then keys), as `jeonyong export` writes them
            docs.sort(key=lambda d: (d["source"]["path"], d["source"]["sha256"]))
            write_csv_tables(out, merge_rows(docs))
        if fmt == OutFormat.xlsx:
            from .writers.xlsx_writer import write_xlsx

            write_xlsx(out, docs)
    except OSError as e:  # an output cannot be written (a full disk): the rest would fail too
        from .writers.atomic import write_error_reason

        _say(f"{e.filename or out}: {write_error_reason(e)}")
        raise typer.Exit(2)
    raise typer.Exit(2 if failed else 0)


@app.command(short_help="Check the arithmetic; findings as text, or --html / --xlsx.")
def audit(
    paths: Optional[List[Path]] = typer.Argument(None, help="Report files or folders."),
    archive: Optional[Path] = typer.Option(None, "--archive", "-a", help="Audit the reports stored in a SQLite archive (from jeonyong ingest)."),
    html: Optional[Path] = typer.Option(None, "--html", help="Also write the auditor's page: one self-contained HTML file (with an overview for an archive or several reports)."),
    xlsx: Optional[Path] = typer.Option(None, "--xlsx", help="Also write the four tables as an Excel workbook, faulty cells highlighted."),
    ocr: OcrMode = typer.Option(OcrMode.auto, "--ocr", help=OCR_HELP),
):
    """Parse and check reports (or read them from an archive); print the findings grouped
    by report and transfer; optionally write them as an HTML page and an Excel workbook.

    Exit status: 0 no finding of severity error, 1 some, 2 some input unreadable."""
    from .audit_view import audit_blocks, gather, has_error_findings, write_outputs
    from .terminal import print_blocks

    if not paths and archive is None:
        _say("jeonyong audit: name report files or folders, or --archive FILE")
        raise typer.Exit(2)
    from .extract import conversion_notes

    docs, failures, archived_failures = gather(paths or [], archive, _limits(ocr))
    for path, why in failures:
        _say(f"{path}: {why}")
    for path, doc in docs:
        for note in conversion_notes(doc):
            _say(f"{path}: {note}")
    print_blocks(audit_blocks(docs, failures, archived_failures))
    problems = write_outputs(docs, failures, html=html, xlsx=xlsx, archive=archive, archived_failures=archived_failures)
    for line in problems:
        _say(line)
    if failures or problems:
        raise typer.Exit(2)
    raise typer.Exit(1 if has_error_findings(docs) else 0)


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"


@app.command(short_help='Bulk-load folders of reports into a SQLite archive (resumable).')
def ingest(
    paths: List[Path] = typer.Argument(..., help="Folders (searched recursively) and files to ingest."),
    archive: Path = typer.Option(Path("archive.sqlite"), "--archive", "-a", help="The SQLite archive to create or add to."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Also write the archive's four CSV tables and one JSON file per report to this folder."),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Worker processes (default: one per core)."),
    force: bool = typer.Option(False, "--force", help="Parse every file again, even when its content is already archived."),
    retry_failed: bool = typer.Option(False, "--retry-failed", help="Try again files that failed in an earlier run."),
    timeout: float = typer.Option(120.0, "--timeout", min=0.1, help="Seconds one file may take to parse before it is given up."),
    max_memory: int = typer.Option(2048, "--max-memory", help="Memory (MB of address space) one worker may use; 0 for no limit."),
    ocr: OcrMode = typer.Option(OcrMode.auto, "--ocr", help=OCR_HELP),
):
    """Bulk: find every supported file under the paths, parse them in parallel, and add them
    to a SQLite archive (keyed by content hash: resumable, idempotent).

    Exit status: 0 all good, 1 findings of severity error, 2 some files failed (listed on
    standard error, with why)."""
    from .archive import ArchiveError
    from .ingest import IngestOptions, default_jobs, ingest as run_ingest, summary_lines

    opts = IngestOptions(archive=archive, out=out, jobs=jobs if jobs > 0 else default_jobs(), force=force,
                         retry_failed=retry_failed, timeout=timeout, max_memory_mb=max(0, max_memory), limits=_limits(ocr))
    try:
        result = run_ingest(paths, opts)
    except ArchiveError as e:
        _say(str(e))
        raise typer.Exit(2)
    except sqlite3.Error as e:  # a damaged archive met part-way: what was committed stays
        _say(f"{archive}: the archive could not be written ({e})")
        raise typer.Exit(2)
    except OSError as e:
        from .writers.atomic import write_error_reason

        _say(f"{e.filename or archive}: {write_error_reason(e)}")
        raise typer.Exit(2)
    for f in sorted(result.failures, key=lambda f: f.path):
        _say(f.line())
    print("\n".join(summary_lines(result, archive, out)))
    raise typer.Exit(result.exit_status)


@app.command(short_help='Write CSV tables or report JSON from an archive.')
def export(
    archive: Path = typer.Option(..., "--archive", "-a", help="The SQLite archive written by jeonyong ingest."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the output."),
    fmt: ExportFormat = typer.Option(ExportFormat.csv, "--format", "-f", help="csv (the four tables) or json (one file per report, as extract writes them)."),
):
    """Write the contract's tables (CSV) or report JSON from an archive: the same bytes
    `jeonyong extract` writes for the same files (rows sorted by source path)."""
    from .archive import Archive, ArchiveError, export_csv, export_json

    from .writers.atomic import write_error_reason

    try:
        with Archive(archive, readonly=True) as a:
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
    archive: Path = typer.Argument(..., help="The SQLite archive written by jeonyong ingest."),
    port: int = typer.Option(8001, "--port", "-p", min=0, max=65535, help="Port to listen on (0: any free port, printed)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; 127.0.0.1 keeps it on this machine."),
):
    """Serve the archive in Datasette: browse, facet and query the reports, transfers, budget
    lines and findings in a browser, with descriptions, amounts in won and canned queries.
    The archive is opened immutable: nothing can write to it.

    Needs the optional extra: pip install 'jeonyong[serve]'. Exit status 2 when the archive
    cannot be served."""
    from .serve import serve as run_server

    raise typer.Exit(run_server(archive, host=host, port=port, say=_say))


@app.command(short_help="Bring an archive written by an older jeonyong up to date.")
def migrate(
    archive: Path = typer.Argument(..., help="The SQLite archive to migrate (it must be writable)."),
):
    """Migrate an archive written by an older jeonyong to this version's schema, in one
    transaction. `export` and `audit --archive` only read archives, so they ask for this
    when an archive needs it. Exit status: 0 done (or nothing to do), 2 it cannot be done."""
    from .archive import Archive, ArchiveError

    try:
        with Archive(archive, create=False) as a:
            changes = a.migrated
            version = a.schema_version()
    except ArchiveError as e:
        _say(str(e))
        raise typer.Exit(2)
    if changes:
        print(f"{archive}: migrated to archive schema version {version} ({'; '.join(changes)})")
    else:
        print(f"{archive}: archive schema version {version}, up to date; nothing to do")
    raise typer.Exit(0)


def run() -> None:
    """Console entry point: no traceback ever reaches the user."""
    try:
        app()
    except KeyboardInterrupt:
        _say("jeonyong: interrupted")
        sys.exit(130)


if __name__ == "__main__":
    run()

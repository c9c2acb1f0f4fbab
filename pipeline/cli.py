"""The `jeonyong` command. Commands stay thin: they call library functions and map
outcomes to the contract's exit statuses (0 good, 1 findings, 2 unreadable input)."""
from __future__ import annotations

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


class OutFormat(str, Enum):
    json = "json"
    csv = "csv"


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


def _output_name(path: str, sha256: str, used: set) -> str:
    name = Path(path).name + ".json"
    if name in used:
        name = f"{Path(path).name}.{sha256[:12]}.json"
    used.add(name)
    return name


@app.command()
def extract(
    files: List[Path] = typer.Argument(..., help="Report files (text, PDF, DOCX, HWPX, HWP) or folders."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Folder for the output (JSON: DIR/<file name>.json; CSV: the four tables)."),
    fmt: OutFormat = typer.Option(OutFormat.json, "--format", "-f", help="json (one file per report) or csv (reports, transfers, budget_lines, findings)."),
):
    """Parse reports into the contract's JSON or CSV tables.

    Without --out, one report's JSON goes to standard output. Exit status: 0 when every
    file was parsed, 2 when any could not be read or is not a transfer report (the others
    are still written)."""
    from .discover import iter_inputs
    from .extract import extract_files
    from .tables import merge_rows
    from .writers.csv_writer import write_csv_tables
    from .writers.json_writer import dumps, write_json

    paths = list(iter_inputs(files))
    if fmt == OutFormat.json and out is None and len(paths) > 1:
        _say("jeonyong extract: several files need --out DIR (one JSON file each)")
        raise typer.Exit(2)
    if fmt == OutFormat.csv and out is None:
        out = Path(".")
        _say("jeonyong extract: writing the CSV tables to the current folder")
    failed = 0
    docs = []
    used: set = set()
    for o in extract_files(paths):
        if not o.ok:
            failed += 1
            _say(f"{o.path}: {o.error}")
            continue
        doc = o.report.to_json()
        for problem in o.report.schema_errors:
            _say(f"{o.path}: schema: {problem}")
        if fmt == OutFormat.csv:
            docs.append(doc)
        elif out is None:
            sys.stdout.write(dumps(doc))
        else:
            write_json(out / _output_name(o.path, o.report.sha256, used), doc)
    if fmt == OutFormat.csv:
        write_csv_tables(out, merge_rows(docs))
    raise typer.Exit(2 if failed else 0)


@app.command()
def audit(
    paths: List[Path] = typer.Argument(..., help="Report files or folders."),
):
    """Parse and check reports; print the findings grouped by report and transfer.

    Exit status: 0 no finding of severity error, 1 some, 2 some input unreadable."""
    from .audit_view import render_audit
    from .discover import iter_inputs
    from .extract import extract_files

    outcomes = list(extract_files(iter_inputs(paths)))
    for o in outcomes:
        if not o.ok:
            _say(f"{o.path}: {o.error}")
    print(render_audit(outcomes))
    if any(not o.ok for o in outcomes):
        raise typer.Exit(2)
    if any(f.severity == "error" for o in outcomes for f in o.report.findings):
        raise typer.Exit(1)
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

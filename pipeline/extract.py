"""The library entry points the CLI, ingest and tests call: file → Report, with findings
and schema validation."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional, Union

from .domain.reasons import LAYOUT_LOST, NOT_REBUILT
from .audit import audit_report, report_unchecked
from .causes import find_causes
from .errors import InputError
from .limits import DEFAULT_LIMITS, Limits
from .parse import parse_reports
from .readers import read_bytes, read_file
from .records import Report
from .schemas import validate_rows
from .tables import merge_rows


@dataclass
class Outcome:
    """What became of one input file: its reports (several for a committee's package), or
    the one-line reason it failed."""

    path: str
    reports: list[Report] = field(default_factory=list)
    error: Optional[str] = None

    @property
    def ok(self) -> bool:
        return bool(self.reports)


def _finish(doc) -> list[Report]:
    reports = parse_reports(doc)
    for report in reports:
        report.findings = audit_report(report)
        if doc.readings:  # pages read by OCR: their figures proven by the arithmetic, or noted
            from .proof import prove

            prove(report, doc.readings)
        find_causes(report, report.findings)
        report.unchecked = report_unchecked(report)
    return reports


def _one(reports: list[Report]) -> Union[Report, list[Report]]:
    return reports[0] if len(reports) == 1 else reports


def parse_file_reports(path: Union[str, os.PathLike], limits: Limits = DEFAULT_LIMITS) -> list[Report]:
    """Read, parse and audit one file: every report it holds, in order (no schema
    validation; see `extract_files`)."""
    return _finish(read_file(path, limits))


def parse_file(path: Union[str, os.PathLike], limits: Limits = DEFAULT_LIMITS) -> Union[Report, list[Report]]:
    """The report of a file; for a file holding several (a committee's package), the list
    of them in file order (as `extract` prints a JSON array). `parse_file_reports` always
    gives the list."""
    return _one(parse_file_reports(path, limits))


def parse_bytes(path: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> Union[Report, list[Report]]:
    return _one(_finish(read_bytes(path, data, limits)))


def attempt(path: str, limits: Limits = DEFAULT_LIMITS) -> Outcome:
    """parse_file_reports that never raises: any failure becomes a one-line reason."""
    try:
        return Outcome(path, reports=parse_file_reports(path, limits))
    except InputError as e:
        return Outcome(path, error=e.reason)
    except MemoryError:
        return Outcome(path, error="ran out of memory while reading")
    except RecursionError:
        return Outcome(path, error="structure nested too deeply to read")
    except Exception as e:  # a parser bug must not stop a batch; say what it was
        return Outcome(path, error=f"internal error while parsing ({type(e).__name__}: {e}); please report it")


def validate_reports(reports: list[Report]) -> None:
    """Run the pandera schemas over many reports at once and attach any violations to the
    report they belong to. One validation per batch keeps the per-report cost small."""
    if not reports:
        return
    # Identical bytes give identical records: validate each content once, so that a renamed
    # copy in the same batch is not taken for a duplicate key.
    unique = {r.report_id: r for r in reports}
    problems = validate_rows(merge_rows(r.to_json() for r in unique.values()))
    for r in reports:
        r.schema_errors = problems.get(r.report_id, []) + problems.get("*", [])


def extract_files(paths: Iterable[str], limits: Limits = DEFAULT_LIMITS, batch: int = 64) -> Iterator[Outcome]:
    """Parse, audit and validate files, yielding one Outcome per path in order."""
    pending: list[Outcome] = []
    for path in paths:
        pending.append(attempt(str(path), limits))
        if len(pending) >= batch:
            yield from _validated(pending)
            pending = []
    yield from _validated(pending)


def _validated(outcomes: list[Outcome]) -> list[Outcome]:
    validate_reports([r for o in outcomes for r in o.reports])
    return outcomes


def conversion_notes(doc: dict) -> list[str]:
    """What a converted source lost, one line each, for standard error: tables whose
    layout was lost (or could not be rebuilt with confidence), whose lines are in
    `unparsed` and whose figures were not read; in text converted from PDF, line breaks
    inside table cells that the text could not decide (read the likelier way, each listed
    in `notes` with basis `default`)."""
    counts: dict[str, int] = {}
    for u in doc.get("unparsed", []):
        reason = u["reason"]
        if reason == LAYOUT_LOST or reason.startswith(NOT_REBUILT):
            counts[reason] = counts.get(reason, 0) + 1
    notes = [f"{reason} ({n} line{'s' * (n != 1)} set aside in unparsed; no figures read from them)" for reason, n in counts.items()]
    checks = sum(1 for n in doc.get("notes") or [] if n.get("basis") == "ocr")
    if checks:
        notes.append(f"{checks} figure{'s' * (checks != 1)} read by OCR to check against the page "
                     "(no printed sum confirms them; listed in notes with basis ocr)")
    if (doc.get("source") or {}).get("format") == "text":
        joins = sum(1 for n in doc.get("notes") or [] if n.get("basis") == "default")
        if joins:
            notes.append(
                f"{joins} line break{'s' * (joins != 1)} inside table cells read without evidence of a space or none "
                "(the converted text cannot show a cell's width; listed in notes)"
            )
    return notes

"""An auditor's verdicts on findings, in the archive's `reviews` table (never written over what
was extracted, kept across re-ingests: a finding is named by its report and its stable key,
`check:transfer:line:column`). Recorded one at a time (`jeonyong review … --verdict`), or in a
spreadsheet: `--export` writes every finding with an empty verdict column, the auditor fills
it in, `--import` reads it back."""
from __future__ import annotations

import csv
from typing import Iterable, TextIO

from .storage.prepared import now_iso
from .writers.csv_writer import write_sheet

VERDICTS = ("confirmed", "misread", "dismissed")  # an error in the document; the reader got it wrong; not a problem
EXPORT_COLUMNS = ("report_id", "finding_no", "finding_key", "check", "severity", "transfer_seq", "line", "field",
                  "expected", "actual", "message", "source_path", "verdict", "note", "reviewer", "reviewed_at")
_FINDINGS = ('SELECT "report_id", "finding_no", "finding_key", "check", "severity", "transfer_seq", "line", "field", '
             '"expected", "actual", "message", "source_path", "verdict", "note", "reviewer", "reviewed_at" '
             'FROM finding_reviews ORDER BY "source_path", "report_id", "finding_no"')


class ReviewError(ValueError):
    """A review that cannot be recorded; the message says which and why."""


def finding_key(f: dict) -> str:
    """The stable name of a finding within its report (as the `finding_reviews` view spells it)."""
    return ":".join("" if f.get(k) is None else str(f[k]) for k in ("check", "transfer_seq", "line", "field"))


def export_findings(archive, stream: TextIO) -> int:
    """Every finding with its latest verdict (empty where none), as CSV for a spreadsheet."""
    return write_sheet(stream, EXPORT_COLUMNS, archive.stream_sql(_FINDINGS))


def one_review(archive, report_id: str, finding_no: int, verdict: str, note: str, reviewer: str) -> dict:
    row = archive.sql('SELECT "finding_key" FROM finding_reviews WHERE "report_id" = ? AND "finding_no" = ?',
                      (report_id, finding_no)).fetchone()
    if row is None:
        raise ReviewError(f"{report_id} finding {finding_no}: no such finding in the archive")
    return _review(report_id, row[0], finding_no, verdict, note, reviewer)


def _review(report_id, key, finding_no, verdict, note, reviewer) -> dict:
    verdict = (verdict or "").strip().lower()
    if verdict not in VERDICTS:
        raise ReviewError(f"{report_id} finding {finding_no}: verdict {verdict!r} is not one of {', '.join(VERDICTS)}")
    if not (reviewer or "").strip():
        raise ReviewError(f"{report_id} finding {finding_no}: say who reviewed it (--by, or the reviewer column)")
    return {"report_id": report_id, "finding_key": key, "finding_no": finding_no, "verdict": verdict,
            "note": (note or "").strip() or None, "reviewer": reviewer.strip(), "reviewed_at": now_iso()}


def read_reviews(archive, lines: Iterable[str], reviewer: str = "") -> list[dict]:
    """The reviews of a filled-in export: rows with a verdict (an unchanged earlier verdict is
    not recorded again). Each must still name a finding of the archive (report and key)."""
    known = {(r[0], r[1]): r[2:] for r in archive.stream_sql(
        'SELECT "report_id", "finding_key", "finding_no", "verdict", "note", "reviewer" FROM finding_reviews')}
    out = []
    for n, row in enumerate(csv.DictReader(lines), start=2):
        verdict = (row.get("verdict") or "").strip()
        if not verdict:
            continue
        rid, key = (row.get("report_id") or "").strip(), (row.get("finding_key") or "").strip()
        if (rid, key) not in known:
            raise ReviewError(f"row {n}: no finding {key!r} in report {rid!r} in the archive")
        finding_no, before, before_note, before_by = known[(rid, key)]
        who = (row.get("reviewer") or "").strip() or reviewer
        if (verdict.lower(), (row.get("note") or "").strip() or None, who) == (before, before_note, before_by):
            continue
        out.append(_review(rid, key, finding_no, verdict, row.get("note"), who))
    return out

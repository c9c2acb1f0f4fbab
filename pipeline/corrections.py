"""An archivist's corrections of extracted values, in the archive's `corrections` table (beside
what was extracted, never over it; kept across re-ingests). A value is named by its report,
transfer, line and field: a budget line's figure (`before`, `decrease`, `increase`, `after`) or
name (`department` … `stat_name`), or a transfer's `amount_won` (no line). Recorded one at a
time (`jeonyong correct`) or from a CSV (`--export`, edit, `--import`).

`corrected_doc` applies a report's corrections to a copy of its JSON and re-runs the
arithmetic and 통계목 checks on the corrected values: what `jeonyong audit --archive` shows."""
from __future__ import annotations

import copy
import csv
import json
import unicodedata
from typing import Iterable, Optional, TextIO

from .storage.prepared import now_iso
from .writers.csv_writer import uncell, write_sheet
from .records import MONEY_FIELDS, TEXT_FIELDS

TRANSFER_FIELDS = ("amount_won",)
FIELDS = MONEY_FIELDS + TEXT_FIELDS + TRANSFER_FIELDS
COLUMNS = ("report_id", "transfer_seq", "line", "field", "value", "reason", "corrected_by", "corrected_at")
EXPORT_COLUMNS = ("report_id", "source_path", "transfer_seq", "line", "field", "extracted", "value", "reason",
                  "corrected_by", "corrected_at")
_LATEST = ('SELECT "report_id", "source_path", "transfer_seq", "line", "field", "extracted", "corrected", "reason", '
           '"corrected_by", "corrected_at" FROM corrected_values ORDER BY "report_id", "transfer_seq", "line", "field"')
# Checks re-run on corrected values (the date check reads no corrected value: kept as stored).
RECHECKED = ("row_balance", "column_total", "transfer_balance", "summary_amount", "overdraw", "stat_code_name")


class CorrectionError(ValueError):
    """A correction that cannot be recorded; the message says which and why."""


def _value(field: str, raw: str, where: str):
    """The value as its field holds it: a whole number for a figure, a name otherwise."""
    text = uncell(unicodedata.normalize("NFC", (raw or "").strip()))
    if field not in FIELDS:
        raise CorrectionError(f"{where}: field {field!r} is not one of {', '.join(FIELDS)}")
    if field in TEXT_FIELDS:
        if not text or any(unicodedata.category(ch) == "Cc" for ch in text):
            raise CorrectionError(f"{where}: {field} needs a name, without control characters")
        return text
    digits = text.replace(",", "")
    if not digits.lstrip("-").isdigit():
        raise CorrectionError(f"{where}: {field} is a figure; {raw!r} is not a whole number")
    return int(digits)


def _document(archive, report_id: str) -> dict:
    row = archive.sql('SELECT "report_json" FROM report_documents WHERE "report_id" = ?', (report_id,)).fetchone()
    if row is None:
        raise CorrectionError(f"{report_id}: no such report in the archive")
    return json.loads(row[0])


def _target(doc: dict, where: str, transfer_seq: int, line: Optional[int], field: str) -> None:
    t = next((t for t in doc["transfers"] if t["seq"] == transfer_seq), None)
    if t is None:
        raise CorrectionError(f"{where}: the report has no transfer {transfer_seq}")
    if field in TRANSFER_FIELDS:
        if line is not None:
            raise CorrectionError(f"{where}: {field} belongs to the transfer; give no line")
        return
    lines = (t.get("budget") or {}).get("lines") or []
    if line is None or not 1 <= line <= len(lines):
        raise CorrectionError(f"{where}: transfer {transfer_seq} has no budget line {line} (it has {len(lines)})")


def make_correction(archive, report_id: str, transfer_seq, line, field: str, value: str, reason: str, by: str,
                    doc: Optional[dict] = None) -> dict:
    """A checked correction (a dict of the table's columns), or CorrectionError."""
    where = f"{report_id} transfer {transfer_seq}" + (f" line {line}" if line not in (None, "") else "")
    try:
        transfer_seq = int(transfer_seq)
        line = None if line in (None, "") else int(line)
    except ValueError:
        raise CorrectionError(f"{where}: transfer and line are whole numbers") from None
    field = (field or "").strip()
    parsed = _value(field, value, where)
    if not (reason or "").strip():
        raise CorrectionError(f"{where}: say why (--reason, or the reason column)")
    if not (by or "").strip():
        raise CorrectionError(f"{where}: say who corrects it (--by, or the corrected_by column)")
    _target(doc if doc is not None else _document(archive, report_id), where, transfer_seq, line, field)
    return {"report_id": report_id, "transfer_seq": transfer_seq, "line": line, "field": field, "value": str(parsed),
            "reason": reason.strip(), "corrected_by": by.strip(), "corrected_at": now_iso()}


def export_corrections(archive, stream: TextIO) -> int:
    """Each corrected value's latest correction, with the extracted value beside it, as CSV."""
    return write_sheet(stream, EXPORT_COLUMNS, archive.stream_sql(_LATEST))


def read_corrections(archive, lines: Iterable[str], by: str = "") -> list[dict]:
    """The corrections of a CSV in the export's columns (rows with a value; a row equal to the
    value's latest correction is not recorded again)."""
    latest = {(r[0], r[2], r[3], r[4]): (r[6], r[7], r[8]) for r in archive.stream_sql(_LATEST)}
    reader = csv.DictReader(lines)
    missing = {"report_id", "transfer_seq", "line", "field", "value"} - set(reader.fieldnames or ())
    if missing:
        raise CorrectionError(f"the CSV lacks the column(s) {', '.join(sorted(missing))}")
    out, docs = [], {}
    for n, row in enumerate(reader, start=2):
        if not (row.get("value") or "").strip():
            continue
        rid = (row.get("report_id") or "").strip()
        if rid not in docs:
            try:
                docs[rid] = _document(archive, rid)
            except CorrectionError as e:
                raise CorrectionError(f"row {n}: {e}") from None
        try:
            c = make_correction(archive, rid, row.get("transfer_seq"), (row.get("line") or "").strip(), row.get("field"),
                                row.get("value"), row.get("reason"), (row.get("corrected_by") or "").strip() or by,
                                doc=docs[rid])
        except CorrectionError as e:
            raise CorrectionError(f"row {n}: {e}") from None
        if latest.get((rid, c["transfer_seq"], c["line"], c["field"])) == (c["value"], c["reason"], c["corrected_by"]):
            continue
        out.append(c)
    return out


def corrections_by_report(archive) -> dict[str, list[dict]]:
    """report_id → its values' latest corrections."""
    out: dict[str, list[dict]] = {}
    for rid, _, seq, line, field, extracted, value, reason, who, when in archive.stream_sql(_LATEST):
        out.setdefault(rid, []).append({"transfer_seq": seq, "line": line, "field": field, "extracted": extracted,
                                        "value": value, "reason": reason, "corrected_by": who, "corrected_at": when})
    return out


def corrected_doc(doc: dict, corrections: list[dict]) -> dict:
    """A copy of a report's JSON with its corrections applied (listed under `corrections`) and
    the arithmetic and 통계목 checks re-run on the corrected values."""
    from .recheck import recheck

    if not corrections:
        return doc
    out = copy.deepcopy(doc)
    by_seq = {t["seq"]: t for t in out["transfers"]}
    for c in corrections:
        t = by_seq.get(c["transfer_seq"])
        if t is None:
            continue
        value = int(c["value"]) if c["field"] in MONEY_FIELDS + TRANSFER_FIELDS else c["value"]
        if c["field"] in TRANSFER_FIELDS:
            t["transfer"][c["field"]] = value
        elif t.get("budget") and c["line"] and c["line"] <= len(t["budget"]["lines"]):
            t["budget"]["lines"][c["line"] - 1][c["field"]] = value
    out["corrections"] = [dict(c) for c in corrections]
    recheck(out, RECHECKED)
    return out

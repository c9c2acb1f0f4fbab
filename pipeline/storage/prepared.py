"""What the workers that parse files hand to the process that archives them: a file's path and
hash (`SourceFile`), and a report ready to insert (`PreparedReport`). Plain data, with no
database code, so workers (local or on a Dask cluster) import nothing of the archive's."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Optional

from ..records import report_id_of
from ..tables import COLUMNS, TABLES, report_rows


@dataclass(frozen=True)
class SourceFile:
    """One path a file was found under."""

    path: str
    sha256: str
    size_bytes: Optional[int] = None
    modified_at: Optional[str] = None


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")



@dataclass(frozen=True)
class PreparedReport:
    """A report ready to archive: its JSON text and its rows (tuples in COLUMNS order).
    Made by the worker that parsed the report, so the archiving process only inserts."""

    report_id: str
    source_path: str
    json_text: str
    rows: dict
    schema_error_count: int


def prepare_report(doc: dict) -> PreparedReport:
    rows = report_rows(doc)
    return PreparedReport(
        report_id=report_id_of(doc),
        source_path=doc["source"]["path"],
        json_text=json.dumps(doc, ensure_ascii=False),
        rows={name: [tuple(r.get(c) for c in COLUMNS[name]) for r in rows[name]] for name in TABLES},
        schema_error_count=len(doc.get("schema_errors") or []),
    )

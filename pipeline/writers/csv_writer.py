"""The contract's four CSV tables: UTF-8 with a byte-order mark so Excel shows Hangul.

The CSV exists for Excel, and its text comes from files anyone can write: a text cell that
begins with `=`, `+`, `-`, `@`, a tab or a carriage return would be taken by Excel as a
formula (`=HYPERLINK(…)`, DDE payloads), so it is written with a leading `'` (the OWASP
rule for CSV injection). Numbers are never changed; JSON, SQLite and xlsx keep the text
as printed."""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from ..tables import COLUMNS, TABLES
from .atomic import write_bytes


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """One value as the CSV holds it: None empty, text that Excel would evaluate behind a
    `'`, anything else (numbers) as it is."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def table_csv(name: str, rows: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(COLUMNS[name])
    for row in rows:
        w.writerow([csv_cell(row.get(c)) for c in COLUMNS[name]])
    return buf.getvalue().encode("utf-8-sig")


def write_csv_tables(out_dir, tables: dict[str, list[dict]]) -> list[Path]:
    out = Path(out_dir)
    written = []
    for name in TABLES:
        target = out / f"{name}.csv"
        write_bytes(target, table_csv(name, tables.get(name, [])))
        written.append(target)
    return written


def write_csv_rows(target, name: str, rows) -> Path:
    """Stream one table to `target` (atomically), rows as sequences in COLUMNS[name] order.
    Same bytes as `table_csv` for the same rows, without holding the table in memory."""
    from .atomic import atomic_path

    target = Path(target)
    with atomic_path(target) as tmp:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh, lineterminator="\r\n")
            w.writerow(COLUMNS[name])
            for row in rows:
                w.writerow([csv_cell(v) for v in row])
            fh.flush()
            os.fsync(fh.fileno())
    return target

"""The contract's four CSV tables: UTF-8 with a byte-order mark so Excel shows Hangul.

The CSV exists for Excel, and its text comes from files anyone can write: a text cell that
begins with `=`, `+`, `-`, `@`, a tab or a carriage return would be taken by Excel as a
formula (`=HYPERLINK(…)`, DDE payloads), so it is written with a leading `'` (the OWASP
rule for CSV injection). Numbers are never changed; JSON, SQLite and xlsx keep the text
as printed."""
from __future__ import annotations

import csv
import os
from contextlib import ExitStack
from pathlib import Path

from ..tables import COLUMNS, TABLES
from .atomic import atomic_path


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """One value as the CSV holds it: None empty, text that Excel would evaluate behind a
    `'`, anything else (numbers) as it is."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_sheet(stream, header, rows) -> int:
    """Rows under a header as a spreadsheet opens them (UTF-8 with BOM, CRLF, `csv_cell`);
    how many rows."""
    stream.write("\ufeff")
    w = csv.writer(stream, lineterminator="\r\n")
    w.writerow(header)
    n = 0
    for row in rows:
        w.writerow([csv_cell(v) for v in row])
        n += 1
    return n


def uncell(text: str) -> str:
    """A cell's text as written before `csv_cell` guarded it (the `'` before a formula start)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def write_csv_tables(out_dir, tables: dict[str, list[dict]]) -> list[Path]:
    """The four tables from rows as dicts (see `write_table_files`) and, beside them, the
    data package that describes them."""
    from ..datapackage import write_datapackage

    written = write_table_files(out_dir, {name: _sequences(name, tables.get(name, [])) for name in TABLES})
    return written + [write_datapackage(Path(out_dir))]


def _sequences(name: str, rows: list[dict]):
    columns = COLUMNS[name]
    return ([row.get(c) for c in columns] for row in rows)


def write_table_files(out_dir, rows: dict) -> list[Path]:
    """Write `DIR/<table>.csv` for each of the four tables, from rows as sequences in
    COLUMNS order, streamed. All four or none: each goes to a temporary file first, and
    only when all four are complete are they renamed into place, so a run that fails (a
    full disk) leaves an earlier set of tables whole and consistent."""
    out = Path(out_dir)
    targets = [out / f"{name}.csv" for name in TABLES]
    with ExitStack() as stack:
        for name, target in zip(TABLES, targets):
            tmp = stack.enter_context(atomic_path(target))
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                w = csv.writer(fh, lineterminator="\r\n")
                w.writerow(COLUMNS[name])
                for row in rows.get(name, ()):
                    w.writerow([csv_cell(v) for v in row])
                fh.flush()
                os.fsync(fh.fileno())
    return targets

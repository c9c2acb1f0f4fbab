"""The contract's four CSV tables: UTF-8 with a byte-order mark so Excel shows Hangul."""
from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from ..tables import COLUMNS, TABLES
from .atomic import write_bytes


def table_csv(name: str, rows: list[dict]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS[name], extrasaction="ignore", lineterminator="\r\n")
    w.writeheader()
    for row in rows:
        w.writerow({k: ("" if v is None else v) for k, v in row.items()})
    return buf.getvalue().encode("utf-8-sig")


def write_csv_tables(out_dir, tables: dict[str, list[dict]]) -> list[Path]:
    """The four tables and, beside them, the data package that describes them."""
    from ..datapackage import write_datapackage

    out = Path(out_dir)
    written = []
    for name in TABLES:
        target = out / f"{name}.csv"
        write_bytes(target, table_csv(name, tables.get(name, [])))
        written.append(target)
    written.append(write_datapackage(out))
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
                w.writerow(["" if v is None else v for v in row])
            fh.flush()
            os.fsync(fh.fileno())
    return target

"""The archive out again: the contract's CSV tables (with their datapackage.json) and one JSON
file per report, byte for byte what `jeonyong extract` writes for the same files."""
from __future__ import annotations

from pathlib import Path

from ..datapackage import write_datapackage
from ..tables import TABLES
from ..writers.csv_writer import write_table_files
from ..writers.json_writer import output_name, write_json
from .archive import Archive


def export_csv(archive: Archive, out_dir) -> list[Path]:
    """The contract's four CSV tables from the archive, byte for byte what
    `jeonyong extract --format csv` writes for the same files (all four, or none), and
    their datapackage.json."""
    written = write_table_files(out_dir, {name: archive.iter_rows(name) for name in TABLES})
    return written + [write_datapackage(Path(out_dir))]


def export_json(archive: Archive, out_dir) -> list[Path]:
    """One JSON file per report, named as `jeonyong extract --out DIR` names them."""
    out = Path(out_dir)
    used: set = set()
    written = []
    for doc in archive.iter_documents():
        src = doc["source"]
        target = out / output_name(src["path"], src["sha256"], used, src.get("report_index", 1), src.get("reports_in_file", 1))
        write_json(target, doc)
        written.append(target)
    return written

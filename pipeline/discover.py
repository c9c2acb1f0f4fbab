"""Find the input files under the paths a user names."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator

# Files the pipeline itself writes, and other things that are never reports. Inside a
# folder these are passed over; a file named explicitly is always tried. (PNG, JPEG and
# TIFF are not among them: a scanned report is read by OCR.)
SKIP_SUFFIXES = {
    ".json", ".csv", ".sqlite", ".sqlite3", ".db", ".db-journal", ".db-wal", ".xlsx", ".xls", ".html", ".htm",
    ".gif", ".svg", ".py", ".pyc", ".part", ".log", ".md",
}


def iter_inputs(paths: Iterable[str | os.PathLike]) -> Iterator[str]:
    """Each named file, and every plausible file under each named folder (recursively, in a
    stable order, hidden files and folders skipped). Missing paths are yielded as they are
    so that the caller reports them."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith(".") or Path(name).suffix.lower() in SKIP_SUFFIXES:
                        continue
                    full = Path(root) / name
                    if full.is_file() and not full.is_symlink():
                        yield str(full)
        else:
            yield str(path)

"""Finding the input files and hashing their bytes: a file's sha256 is its content's key."""
from __future__ import annotations

import hashlib
import os
from datetime import datetime, timezone
from typing import Iterable

from ..discover import iter_inputs
from ..limits import DEFAULT_LIMITS, Limits
from .archive import SourceFile


def find_files(paths: Iterable, exclude: Iterable = ()) -> list[str]:
    """Absolute paths of every candidate file under `paths`, each once, in discovery order."""
    skip = {os.path.abspath(p) for p in exclude}
    seen: set = set()
    out = []
    for p in iter_inputs(paths):
        ap = os.path.abspath(p)
        if ap in skip or ap in seen:
            continue
        seen.add(ap)
        out.append(ap)
    return out


def display_path(path: str) -> str:
    """The path as text that can be stored and printed: a file name that is not valid UTF-8
    (say, CP949 bytes from an old zip) keeps its odd bytes as `\\xNN` escapes."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def hash_file(path: str, limits: Limits = DEFAULT_LIMITS) -> SourceFile:
    """sha256, size and modification time of one file; OSError/ValueError when unreadable."""
    st = os.stat(path)
    if not os.path.isfile(path):
        raise ValueError("not a regular file")
    if st.st_size > limits.max_file_bytes:
        raise ValueError(f"file of {st.st_size:,} bytes exceeds the limit of {limits.max_file_bytes:,}")
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while True:
            block = fh.read(1 << 20)
            if not block:
                break
            h.update(block)
    mtime = datetime.fromtimestamp(st.st_mtime, timezone.utc).isoformat(timespec="seconds")
    return SourceFile(path=display_path(path), sha256=h.hexdigest(), size_bytes=st.st_size, modified_at=mtime)


def _os_reason(e: BaseException) -> str:
    if isinstance(e, FileNotFoundError):
        return "no such file"
    if isinstance(e, PermissionError):
        return "permission denied"
    if isinstance(e, IsADirectoryError):
        return "is a directory"
    if isinstance(e, OSError):
        return f"cannot read: {e.strerror or e}"
    return str(e)



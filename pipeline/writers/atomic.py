"""Write a file so that readers see the old content or the new, never half of it."""
from __future__ import annotations

import errno
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(target: str | os.PathLike):
    """Yields a temporary path beside `target`; on success it replaces `target` in one step,
    on failure it is removed and `target` is left as it was."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    # mkstemp makes the file private (0600); give it the mode a plain open() would (or the
    # mode of the file it replaces), so outputs stay readable by whoever could read them.
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(e, OSError) and e.filename is None:
            e.filename = str(target)  # a failed write names the file it was for
        raise


_NO_ROOM = {errno.ENOSPC: "the disk is full", errno.EFBIG: "the disk is full (the file may not grow any larger)"}
if hasattr(errno, "EDQUOT"):
    _NO_ROOM[errno.EDQUOT] = "the disk is full (quota exceeded)"


def write_error_reason(e: OSError) -> str:
    """Why a file could not be written, in words a user acts on."""
    if e.errno in _NO_ROOM:
        return f"cannot write: {_NO_ROOM[e.errno]} ({e.strerror})"
    return f"cannot write: {e.strerror or e}"


def write_bytes(target: str | os.PathLike, data: bytes) -> None:
    with atomic_path(target) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())

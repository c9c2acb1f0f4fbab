"""Stopping a run when asked (Ctrl-C's SIGINT, or the SIGTERM a scheduler, `kill` or a closing
session sends): the run stops taking work, lets the files in hand finish for a moment, and
ends as `interrupted` with what it committed; a second signal stops at once."""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator, Optional

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
GRACE_SECONDS = 5.0  # how long files being parsed may still finish once a stop is asked


class StopRequest:
    """Whether (and by which signal) the run was asked to stop."""

    def __init__(self) -> None:
        self.signum: Optional[int] = None

    @property
    def requested(self) -> bool:
        return self.signum is not None

    @property
    def exit_status(self) -> int:
        """The shell's convention for a process ended by a signal: 128 + its number
        (130 for SIGINT, 143 for SIGTERM)."""
        return 128 + int(self.signum or 0)

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name if self.signum else ""

    def _handle(self, signum, frame) -> None:
        if self.signum is not None:  # asked twice: stop now (what was committed stays)
            raise KeyboardInterrupt
        self.signum = signum

    @contextmanager
    def installed(self) -> Iterator["StopRequest"]:
        """SIGINT and SIGTERM set the request while inside; the earlier handlers come back
        after. Outside the main thread (where Python allows no handler) nothing changes."""
        if threading.current_thread() is not threading.main_thread():
            yield self
            return
        earlier = {s: signal.getsignal(s) for s in STOP_SIGNALS}
        for s in STOP_SIGNALS:
            signal.signal(s, self._handle)
        try:
            yield self
        finally:
            for s, h in earlier.items():
                signal.signal(s, h)


def ignore_stop_signals() -> None:
    """In a worker: the parent decides when to stop (a signal sent to the whole process group,
    as Ctrl-C and a closing session do, must not kill a worker mid-file)."""
    for s in STOP_SIGNALS:
        signal.signal(s, signal.SIG_IGN)

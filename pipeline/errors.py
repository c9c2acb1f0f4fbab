"""Errors a user sees as one line: `<path>: <why>`."""
from __future__ import annotations

import re

_BREAKS = re.compile("[\t\r\n\v\f\x1c-\x1f\x85\u2028\u2029]+")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


def one_line(reason: str) -> str:
    """A reason as one printable line, whatever a file put into it (a library's message
    over two lines, a zip member's name with control bytes): line breaks and tabs become a
    space, other control characters are shown as `\\xNN`."""
    reason = _BREAKS.sub(" ", reason)
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", reason)


class InputError(Exception):
    """The file cannot be read, or is not a 예산 전용 보고. Never shown as a traceback."""

    def __init__(self, reason: str, path: str | None = None):
        reason = one_line(reason)
        super().__init__(reason)
        self.reason = reason
        self.path = path

    def line(self, path: str | None = None) -> str:
        return f"{path or self.path or '?'}: {self.reason}"


class NotAReport(InputError):
    """Readable, but not a transfer report (no title, no numbered transfer)."""

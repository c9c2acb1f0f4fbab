"""Errors a user sees as one line: `<path>: <why>`."""
from __future__ import annotations


class InputError(Exception):
    """The file cannot be read, or is not a 예산 전용 보고. Never shown as a traceback."""

    def __init__(self, reason: str, path: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.path = path

    def line(self, path: str | None = None) -> str:
        return f"{path or self.path or '?'}: {self.reason}"


class NotAReport(InputError):
    """Readable, but not a transfer report (no title, no numbered transfer)."""

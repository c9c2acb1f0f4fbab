"""Readers: one per format, each turning bytes into the same `Document` (see ir.py).

A new format is a new module here and one line in READERS; nothing downstream changes.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
import importlib
import os
from pathlib import Path

from ..detect import sniff
from ..errors import InputError
from ..ir import Block, Document, Table
from ..limits import DEFAULT_LIMITS, Limits
from ..settings import DEFAULT_SETTINGS, ReadingSettings
from ..textutil import printable
from .seams import enforce

# format → "module:function"; imported lazily so that reading text never pays for pdfplumber.
READERS = {
    "text": "pipeline.readers.text:read_text",
    "pdf": "pipeline.readers.pdf:read_pdf",
    "docx": "pipeline.readers.docx:read_docx",
    "hwpx": "pipeline.readers.hwpx:read_hwpx",
    "hwp": "pipeline.readers.hwp:read_hwp",
    "image": "pipeline.readers.pdf:read_image",
}
# Readers that measure where text stands (and so have tolerances) take the reading settings.
MEASURING = frozenset({"text", "pdf"})
# Readers that may read pages by OCR: they are given a list to put each word read into.
_OCR_READERS = ("pdf", "image")


def _reader(fmt: str):
    module, func = READERS[fmt].split(":")
    try:
        return getattr(importlib.import_module(module), func)
    except (ImportError, AttributeError):
        raise InputError(f"{fmt} files are not supported by this installation") from None


def read_bytes(path: str, data: bytes, limits: Limits = DEFAULT_LIMITS, settings: ReadingSettings = DEFAULT_SETTINGS) -> Document:
    """Detect the format from the bytes and read them into a Document."""
    fmt = sniff(data)
    reader = _reader(fmt)
    readings: list = []
    options = {"settings": settings} if fmt in MEASURING else {}
    if fmt in _OCR_READERS:
        options["readings"] = readings
    blocks = _without_controls(reader(data, limits, **options))
    # The last word on every format's tables: no budget line made of a row's fragments.
    blocks = enforce(blocks)
    return Document(path=path, format=fmt, sha256=hashlib.sha256(data).hexdigest(), blocks=blocks, readings=readings)


def _without_controls(blocks: list[Block]) -> list[Block]:
    """No control character reaches an output, whatever a file carries (a stray byte in
    text, C1 controls in XML or HWP text): one pass here, for every reader."""
    for b in blocks:
        if isinstance(b, Table):
            for row in b.rows:
                for cell in row:
                    cell.text = printable(cell.text)
                    if cell.notes:
                        cell.notes = _printable_notes(cell.notes)
        else:
            b.text = printable(b.text)
            if b.notes:
                b.notes = _printable_notes(b.notes)
    return blocks


def _printable_notes(notes: tuple) -> tuple:
    """A heuristic reading (ir.Note) quotes the text it decided: cleaned like the text."""
    return tuple(replace(n, text=printable(n.text), alternative=printable(n.alternative)) for n in notes)


def read_file(path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS, settings: ReadingSettings = DEFAULT_SETTINGS) -> Document:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > limits.max_file_bytes:
            raise InputError(f"file of {size:,} bytes exceeds the limit of {limits.max_file_bytes:,}")
        data = p.read_bytes()
    except IsADirectoryError:
        raise InputError("is a directory") from None
    except FileNotFoundError:
        raise InputError("no such file") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}") from None
    return read_bytes(str(path), data, limits, settings)

"""Resource limits for untrusted input, as one explicit settings object (no globals)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 200 * 1024 * 1024  # refuse anything larger outright
    max_line_chars: int = 100_000  # a text line longer than this is not a report line
    max_zip_member_bytes: int = 64 * 1024 * 1024  # inflated size of one zip/OLE member
    max_zip_total_bytes: int = 256 * 1024 * 1024  # inflated size of all members read
    max_zip_ratio: int = 200  # inflated/compressed ratio above this is a bomb
    max_zip_members: int = 10_000
    max_xml_depth: int = 200  # nesting depth of XML elements
    max_pdf_pages: int = 500
    max_table_cells: int = 200_000
    max_image_pixels: int = 80_000_000  # one scanned page's pixels (A4 at 600 dpi is 35 million)
    max_ocr_pages: int = 200  # pages one file may have read by OCR (a few seconds each)
    # Which PDF pages are read by OCR: `auto` (those without a text layer), `always`, or
    # `never` (a scanned file is refused, as without Tesseract). Carried here because it
    # decides what one file may cost, and reaches every reader and ingest worker so.
    ocr: str = "auto"


DEFAULT_LIMITS = Limits()

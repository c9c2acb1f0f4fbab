"""Recognise a file's format from its content (magic bytes), not its name."""
from __future__ import annotations

import io
import zipfile

from .errors import InputError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
HWPX_MIMETYPE = b"application/hwp+zip"
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in (9, 10, 12, 13))
FORMATS = ("text", "pdf", "docx", "hwpx", "hwp", "image")
# Scanned pages: TIFF (either byte order; BigTIFF too), PNG and JPEG, read by OCR.
IMAGE_MAGIC = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def sniff(data: bytes) -> str:
    """Return one of FORMATS, or raise InputError naming what the bytes are."""
    if not data:
        raise InputError("empty file")
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(ZIP_MAGIC) or data.startswith(b"PK\x05\x06"):
        return _sniff_zip(data)
    if data.startswith(OLE_MAGIC):
        return _sniff_ole(data)
    if data.startswith(IMAGE_MAGIC):
        return "image"
    if data.startswith(b"HWP Document File"):  # HWP 3.x: a flat file, not OLE
        raise InputError("an HWP 3.x document (older than HWP 5); save it as HWP 5, HWPX or PDF first")
    if _looks_like_text(data[:65536]):
        return "text"
    raise InputError("binary data in no supported format (not text, PDF, DOCX, HWPX, HWP or a scanned TIFF, PNG or JPEG)")


def _sniff_zip(data: bytes) -> str:
    # HWPX puts an uncompressed `mimetype` member first, as EPUB/ODF do.
    if data[30:38] == b"mimetype" and HWPX_MIMETYPE in data[38:120]:
        return "hwpx"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError):  # NotImplementedError: bogus zip version
        raise InputError("damaged or truncated zip archive (not a readable DOCX/HWPX)") from None
    if "word/document.xml" in names:
        return "docx"
    if "Contents/section0.xml" in names or "mimetype" in names and any(n.startswith("Contents/") for n in names):
        return "hwpx"
    raise InputError("a zip archive, but neither DOCX nor HWPX")


def _sniff_ole(data: bytes) -> str:
    try:
        import olefile

        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception:  # olefile raises assorted errors on damaged containers
        raise InputError("damaged or truncated OLE compound file (not a readable HWP)") from None
    try:
        if ole.exists("FileHeader"):
            return "hwp"
        if ole.exists("WordDocument"):
            raise InputError("a legacy Word .doc file; save it as DOCX or PDF first")
        if ole.exists("EncryptedPackage"):
            raise InputError("an encrypted (password-protected) Office document")
        raise InputError("an OLE compound file, but not an HWP document")
    finally:
        ole.close()


def _looks_like_text(sample: bytes) -> bool:
    if sample.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    if _utf16_without_bom(sample):
        return True
    if b"\x00" in sample:
        return False
    # Control bytes other than tab/newline/CR/form feed mean binary.
    bad = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return bad <= len(sample) // 1000


def _utf16_without_bom(sample: bytes) -> bool:
    from .readers.text import _nul_parity

    return _nul_parity(sample) is not None

"""HWP 5 (the binary format of Hancom's word processor), read directly.

An HWP 5 file is an OLE compound file (read with `olefile`). Its `FileHeader` stream starts
with the signature "HWP Document File", then the version (a dword, major version in the
high byte) and the property flags (bit 0 compressed, bit 1 password-encrypted, bit 2
배포용 distribution document, bit 4 DRM …). The body is in `BodyText/Section0`,
`BodyText/Section1`, …: raw deflate streams (when compressed) of records, each headed by a
dword: tag id (10 bits), level (10 bits), size (12 bits; 0xFFF means a dword with the real
size follows).

The records that matter here (HWP 5.0 specification, 한글문서파일형식 5.0):
- HWPTAG_PARA_HEADER (66): a paragraph; its PARA_TEXT (67) and CTRL_HEADER (71) records
  follow one level deeper.
- PARA_TEXT: UTF-16LE text with inline control characters below 32. 0, 10 (line break),
  13 (paragraph end) and 24-31 take one code unit; every other control (1-9, 11-12, 14-23)
  takes eight, the first code unit plus seven carrying its id and parameters.
- CTRL_HEADER: a control, named by a 4-character id: `tbl ` a table, `gso ` a drawing
  object (maybe a text box), `head`/`foot` page headers and footers, `fn  `/`en  `
  footnotes and endnotes, … Its records follow one level deeper.
- TABLE (77): the table's row and column counts. Then each cell is a LIST_HEADER (72)
  giving the cell's column and row address and spans, followed, at the same level, by
  the cell's paragraphs.

What becomes a block, and the locations, are as for HWPX (see hwpx.py): body paragraphs
(split at line breaks), tables with real merges, text boxes in place; headers, footers and
notes skipped. `Loc(section, paragraph)` 1-based, cells `cell=(table, row, column)`.

Untrusted input: every stream is inflated with an output cap (`Limits.max_zip_member_bytes`
per stream, `max_zip_total_bytes` in all, and the compression-ratio cap), records are
bounds-checked, nesting is bounded, and every failure is one `InputError`.
"""
from __future__ import annotations

import io
import regex as re
import struct
import zlib

from ..errors import InputError
from ..ir import Block, Loc
from ..limits import Limits
from .grid import CellBudget, build_table
from .hwpx import clean, text_lines

SIGNATURE = b"HWP Document File"

TAG_PARA_HEADER = 66
TAG_PARA_TEXT = 67
TAG_CTRL_HEADER = 71
TAG_LIST_HEADER = 72
TAG_TABLE = 77

FLAG_COMPRESSED = 1 << 0
FLAG_PASSWORD = 1 << 1
FLAG_DISTRIBUTION = 1 << 2
FLAG_DRM = 1 << 4
FLAG_CERT_ENCRYPTED = 1 << 8
FLAG_CERT_DRM = 1 << 10

# Control characters taking one code unit; all others below 32 take eight.
_SINGLE = {0, 10, 13} | set(range(24, 32))
_CHAR_TEXT = {10: "\n", 24: "-", 30: " ", 31: " "}
_INLINE_TAB = 9
_CTRL_UNIT = re.compile(rb"[\x00-\x1f]\x00")
_SECTION = re.compile(r"^BodyText/Section(\d+)$")
_MAX_LEVEL = 256  # far beyond any real document's nesting
_CHUNK = 1 << 16


def read_hwp(data: bytes, limits: Limits) -> list[Block]:
    ole = _open_ole(data)
    try:
        flags = check_header(_stream(ole, "FileHeader", 4096, len(data)))
        sections = _sections(ole)
        if not sections:
            raise InputError("HWP document without any body text (no BodyText/Section0 stream)")
        budget = _Inflate(limits)
        reader = _Reader(limits)
        for s, name in enumerate(sections, start=1):
            raw = _stream(ole, name, limits.max_zip_member_bytes, len(data))
            body = budget.inflate(raw, name) if flags & FLAG_COMPRESSED else budget.count(raw, name)
            reader.section(_tree(body, name), s)
        return reader.blocks
    finally:
        ole.close()


# ---------------------------------------------------------------- container and header
def _open_ole(data: bytes):
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception:  # olefile raises assorted errors on damaged containers
        raise InputError("damaged or truncated OLE compound file (not a readable HWP)") from None
    # Every stream, and the mini stream that holds the small ones (FileHeader among them),
    # lies inside the file. olefile reads a stream to the size the directory claims, round
    # a looping sector chain if need be: a claim past the file's size would fill memory.
    if ole.root is not None and ole.root.size > len(data):
        ole.close()
        raise InputError(f"damaged HWP: its directory claims a mini stream of {ole.root.size:,} bytes in a file of "
                         f"{len(data):,}")
    return ole


def _stream(ole, name: str, cap: int, file_size: int) -> bytes:
    try:
        if not ole.exists(name):
            if name == "FileHeader":
                raise InputError("an OLE compound file, but not an HWP document (no FileHeader)")
            raise InputError(f"HWP without its stream {name}")
        size = ole.get_size(name)
        if size > file_size:  # see _open_ole
            raise InputError(f"damaged HWP: stream {name} claims {size:,} bytes in a file of {file_size:,}")
        if size > cap:
            raise InputError(f"HWP stream {name} of {size:,} bytes exceeds the limit of {cap:,}")
        return ole.openstream(name).read()
    except InputError:
        raise
    except Exception:
        raise InputError(f"damaged or truncated HWP: stream {name} cannot be read") from None


def check_header(header: bytes) -> int:
    """The FileHeader's property flags, or InputError for a file this reader cannot read."""
    if len(header) < 40 or not header.startswith(SIGNATURE):
        raise InputError("an OLE compound file with a FileHeader that is not HWP's (bad signature)")
    version, flags = struct.unpack_from("<II", header, 32)
    major = version >> 24
    if major != 5:
        raise InputError(f"HWP version {major}.{(version >> 16) & 0xFF} is not supported (only HWP 5)")
    if flags & FLAG_PASSWORD:
        raise InputError("password-protected (encrypted) HWP document; save it without a password first")
    if flags & FLAG_DISTRIBUTION:
        raise InputError("배포용 (distribution) HWP document: its text is encrypted for viewing only and cannot be read")
    if flags & (FLAG_DRM | FLAG_CERT_DRM):
        raise InputError("DRM-protected HWP document; its text cannot be read")
    if flags & FLAG_CERT_ENCRYPTED:
        raise InputError("certificate-encrypted HWP document; its text cannot be read")
    return flags


def _sections(ole) -> list[str]:
    found = []
    for entry in ole.listdir(streams=True, storages=False):
        m = _SECTION.match("/".join(entry))
        if m:
            found.append((int(m.group(1)), "/".join(entry)))
    return [name for _, name in sorted(found)]


class _Inflate:
    """Raw-deflate decompression under the limits: per stream, in total, and by ratio."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.total = 0

    def count(self, body: bytes, name: str) -> bytes:
        self.total += len(body)
        if self.total > self.limits.max_zip_total_bytes:
            raise InputError("HWP body text larger than the total limit")
        return body

    def inflate(self, raw: bytes, name: str) -> bytes:
        cap = self.limits.max_zip_member_bytes
        ratio_cap = max(len(raw), 1) * self.limits.max_zip_ratio
        d = zlib.decompressobj(-15)
        out = bytearray()
        pos = 0
        try:
            while True:
                if d.unconsumed_tail:
                    chunk = d.decompress(d.unconsumed_tail, _CHUNK)
                elif pos < len(raw):
                    chunk = d.decompress(raw[pos : pos + _CHUNK], _CHUNK)
                    pos += _CHUNK
                else:
                    chunk = d.flush()
                    out += chunk
                    break
                out += chunk
                if len(out) > cap or (len(out) > ratio_cap and len(out) > 1 << 20):
                    raise InputError(f"decompression bomb: {name} inflates past {min(cap, ratio_cap):,} bytes")
                if self.total + len(out) > self.limits.max_zip_total_bytes:
                    raise InputError("decompression bomb: body text inflates past the total limit")
                if d.eof:
                    break
        except zlib.error:
            raise InputError(f"damaged HWP: {name} is not a valid compressed stream") from None
        if not d.eof:
            raise InputError(f"truncated HWP: {name} ends in the middle of its compressed data")
        self.total += len(out)
        return bytes(out)


# ---------------------------------------------------------------- records
class _Rec:
    __slots__ = ("tag", "level", "data", "children")

    def __init__(self, tag: int, level: int, data: bytes):
        self.tag, self.level, self.data, self.children = tag, level, data, []


_DWORD = struct.Struct("<I")
# Records read for their structure only (character shapes, line layout, range tags): kept
# out of the tree, their payload never copied.
_LEAF_SKIP = frozenset({68, 69, 70})


def _tree(body: bytes, name: str) -> _Rec:
    """Records as a tree: each record's children are the records after it one level deeper.
    Every header and size is bounds-checked against the stream."""
    root = _Rec(-1, -1, b"")
    stack = [root]
    pos, n = 0, len(body)
    unpack = _DWORD.unpack_from
    while pos < n:
        if pos + 4 > n:
            raise InputError(f"truncated HWP: {name} ends inside a record header")
        (h,) = unpack(body, pos)
        pos += 4
        tag, level, size = h & 0x3FF, (h >> 10) & 0x3FF, h >> 20
        if size == 0xFFF:
            if pos + 4 > n:
                raise InputError(f"truncated HWP: {name} ends inside a record header")
            (size,) = unpack(body, pos)
            pos += 4
        if pos + size > n:
            raise InputError(f"truncated HWP: a record in {name} runs past the end of the stream")
        if level > _MAX_LEVEL:
            raise InputError(f"HWP: {name} nests records more than {_MAX_LEVEL} levels deep")
        while stack[-1].level >= level:
            stack.pop()
        if tag in _LEAF_SKIP:
            pos += size
            continue
        rec = _Rec(tag, level, body[pos : pos + size])
        pos += size
        stack[-1].children.append(rec)
        stack.append(rec)
    return root


def _ctrl_id(data: bytes) -> str:
    """A control's 4-character id, stored as a little-endian dword ('tbl ' → b' lbt')."""
    return data[:4][::-1].decode("latin-1") if len(data) >= 4 else ""


def _u16(data: bytes, offset: int, what: str) -> int:
    if len(data) < offset + 2:
        raise InputError(f"damaged HWP: {what} record too short")
    return struct.unpack_from("<H", data, offset)[0]


def _para_pieces(para: _Rec):
    """A paragraph as pieces in order: ("text", str) and ("ctrl", id) for each extended
    control character (tables, drawing objects, headers, notes …)."""
    text = next((c.data for c in para.children if c.tag == TAG_PARA_TEXT), b"")
    text = text[: len(text) - len(text) % 2]
    pos = 0
    while pos < len(text):
        m = _CTRL_UNIT.search(text, pos)
        while m and m.start() % 2:
            m = _CTRL_UNIT.search(text, m.start() + 1)
        end = m.start() if m else len(text)
        if end > pos:
            yield "text", text[pos:end].decode("utf-16-le", "replace")
        if not m:
            break
        ch = text[end]
        if ch in _SINGLE:
            if ch in _CHAR_TEXT:
                yield "text", _CHAR_TEXT[ch]
            pos = end + 2
        else:
            if ch == _INLINE_TAB:
                yield "text", "\t"
            elif ch not in (4, 5, 6, 7, 8, 9, 19, 20):  # extended: a CTRL_HEADER belongs to it
                yield "ctrl", text[end + 2 : end + 6][::-1].decode("latin-1")
            pos = end + 16


def _lists(owner: _Rec) -> list[tuple[_Rec, list[_Rec]]]:
    """Each LIST_HEADER among owner's children with the paragraphs that follow it."""
    out: list[tuple[_Rec, list[_Rec]]] = []
    for rec in owner.children:
        if rec.tag == TAG_LIST_HEADER:
            out.append((rec, []))
        elif rec.tag == TAG_PARA_HEADER and out:
            out[-1][1].append(rec)
    return out


def _box_paragraphs(gso: _Rec) -> list[_Rec]:
    """Paragraphs of a drawing object's text box(es), wherever they sit in its subtree."""
    out: list[_Rec] = []
    stack = [gso]
    while stack:
        node = stack.pop()
        for _, paras in _lists(node):
            out += paras
        stack.extend(c for c in reversed(node.children) if c.tag != TAG_PARA_HEADER)
    return out


class _Reader:
    def __init__(self, limits: Limits):
        self.blocks: list[Block] = []
        self.n_tables = 0
        self.budget = CellBudget(limits.max_table_cells)

    def section(self, root: _Rec, s: int) -> None:
        p_no = 0
        for rec in root.children:
            if rec.tag == TAG_PARA_HEADER:
                p_no += 1
                self.paragraph(rec, s, p_no)

    def paragraph(self, para: _Rec, s: int, p_no: int) -> None:
        loc = Loc(section=s, paragraph=p_no)
        ctrls = _Controls(para)
        pending: list[str] = []

        def flush():
            self.blocks.extend(text_lines(pending, loc))
            pending.clear()

        for kind, value in _para_pieces(para):
            if kind == "text":
                pending.append(value)
            elif value == "tbl ":
                rec = ctrls.take("tbl ")
                if rec is not None:
                    flush()
                    self.table(rec, s, p_no)
            elif value == "gso ":
                rec = ctrls.take("gso ")
                if rec is not None:
                    flush()
                    for q in _box_paragraphs(rec):
                        pending.append(_full_text(q, 0))
                        flush()
        flush()
        for rec in ctrls.left("tbl "):  # a table whose control character was missing
            self.table(rec, s, p_no)

    def table(self, ctrl: _Rec, s: int, p_no: int) -> None:
        self.n_tables += 1
        t_no = self.n_tables
        n_rows = n_cols = 0
        seen_table = False
        cells = []
        pending_list = None
        for rec in ctrl.children:
            if rec.tag == TAG_TABLE:
                seen_table = True
                n_rows, n_cols = _u16(rec.data, 4, "TABLE"), _u16(rec.data, 6, "TABLE")
            elif rec.tag == TAG_LIST_HEADER:
                if not seen_table:  # the caption's list precedes the TABLE record
                    pending_list = None
                    continue
                c, r = _u16(rec.data, 8, "cell LIST_HEADER"), _u16(rec.data, 10, "cell LIST_HEADER")
                cs, rs = _u16(rec.data, 12, "cell LIST_HEADER"), _u16(rec.data, 14, "cell LIST_HEADER")
                pending_list = [r, c, max(rs, 1), max(cs, 1), []]
                cells.append(pending_list)
            elif rec.tag == TAG_PARA_HEADER and pending_list is not None:
                pending_list[4].append(_full_text(rec, 0))
        if not seen_table:
            raise InputError(f"damaged HWP: table {t_no} without its TABLE record")
        table = build_table(
            [(r, c, rs, cs, clean(" ".join(texts))) for r, c, rs, cs, texts in cells], n_rows, n_cols, t_no, self.budget, s, p_no
        )
        if table is None:
            self.n_tables -= 1
            return
        self.blocks.append(table)


class _Controls:
    """A paragraph's CTRL_HEADER children, handed out in order per control id."""

    def __init__(self, para: _Rec):
        self.by_id: dict[str, list[_Rec]] = {}
        for rec in para.children:
            if rec.tag == TAG_CTRL_HEADER:
                self.by_id.setdefault(_ctrl_id(rec.data), []).append(rec)

    def take(self, cid: str):
        lst = self.by_id.get(cid)
        return lst.pop(0) if lst else None

    def left(self, cid: str) -> list[_Rec]:
        return self.by_id.pop(cid, [])


def _full_text(para: _Rec, depth: int) -> str:
    """All the text of a paragraph in a cell or text box, nested tables and text boxes
    included, headers/footers/notes excluded; line breaks become spaces."""
    if depth > 32:
        raise InputError("HWP: tables nested more than 32 deep")
    ctrls = _Controls(para)
    out: list[str] = []
    for kind, value in _para_pieces(para):
        if kind == "text":
            out.append(" " if value == "\n" else value)
        elif value in ("tbl ", "gso "):
            rec = ctrls.take(value)
            if rec is None:
                continue
            if value == "tbl ":
                for _, paras in _lists(rec):
                    out += [" "] + [_full_text(q, depth + 1) + " " for q in paras]
            else:
                out += [" "] + [_full_text(q, depth + 1) + " " for q in _box_paragraphs(rec)]
    return "".join(out)

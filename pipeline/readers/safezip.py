"""Zip containers (DOCX, HWPX) and their XML, handled as untrusted input.

A zip member may claim a small size and inflate to gigabytes, or an XML part may nest
elements a million deep or declare entities that expand exponentially. Every member is
therefore inflated through a counter that stops at the limit, whatever the central
directory claims, and XML is parsed without DTDs, entities or network access.
"""
from __future__ import annotations

import io
import zipfile
import zlib

from lxml import etree

from ..errors import InputError
from ..limits import Limits

_CHUNK = 1 << 16


class SafeZip:
    def __init__(self, data: bytes, limits: Limits, kind: str):
        self.limits = limits
        self.kind = kind
        self.total = 0
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
            raise InputError(f"damaged or truncated zip archive (not a readable {kind})") from None
        if len(infos) > limits.max_zip_members:
            raise InputError(f"zip archive with {len(infos):,} members; refusing to read it (limit {limits.max_zip_members:,})")
        claimed = sum(i.file_size for i in infos)
        if claimed > limits.max_zip_total_bytes:
            raise InputError(f"zip bomb: members would inflate to {claimed:,} bytes (limit {limits.max_zip_total_bytes:,})")
        for i in infos:
            if i.flag_bits & 0x1:
                raise InputError(f"encrypted (password-protected) {kind}")
        self.names = {i.filename for i in infos}

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        """Inflate one member, stopping as soon as it exceeds the limits."""
        try:
            info = self.zf.getinfo(name)
        except KeyError:
            raise InputError(f"{self.kind} without its part {name}") from None
        cap = self.limits.max_zip_member_bytes
        ratio_cap = max(info.compress_size, 1) * self.limits.max_zip_ratio
        out = bytearray()
        try:
            with self.zf.open(info) as fh:
                while True:
                    chunk = fh.read(_CHUNK)
                    if not chunk:
                        break
                    out += chunk
                    if len(out) > cap or (len(out) > ratio_cap and len(out) > 1 << 20):
                        raise InputError(f"zip bomb: part {name} inflates past {min(cap, ratio_cap):,} bytes")
                    if self.total + len(out) > self.limits.max_zip_total_bytes:
                        raise InputError("zip bomb: parts inflate past the total limit")
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error, NotImplementedError) as e:
            if isinstance(e, InputError):
                raise
            raise InputError(f"damaged zip member {name} ({e.__class__.__name__})") from None
        except RuntimeError:  # zipfile: encrypted member
            raise InputError(f"encrypted (password-protected) {self.kind}") from None
        self.total += len(out)
        return bytes(out)

    def check_all(self, refuse_dtd: bool = True) -> None:
        """Inflate every member once under the limits, before handing the bytes to a library
        that would inflate and parse them without any; XML parts must not declare a DTD."""
        for name in sorted(self.names):
            data = self.read(name)
            if refuse_dtd and name.endswith((".xml", ".rels")):
                head = data[:4096]
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise InputError(f"{self.kind} {name}: XML with a document type declaration (entities are refused)")

    def close(self) -> None:
        self.zf.close()


def xml_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False, remove_comments=True
    )


def parse_xml(data: bytes, limits: Limits, what: str) -> etree._Element:
    """Parse untrusted XML: no DTD (so no entity expansion), no network, bounded depth."""
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise InputError(f"{what}: XML with a document type declaration (entities are refused)")
    try:
        root = etree.fromstring(data, parser=xml_parser())
    except etree.XMLSyntaxError as e:
        msg = " ".join((e.msg if hasattr(e, "msg") else str(e)).split())  # libxml2's may span lines
        if "Excessive depth" in msg:  # libxml2's own cap (256) on hostile nesting
            raise InputError(f"{what}: XML nested more than {limits.max_xml_depth} levels deep") from None
        raise InputError(f"{what}: malformed XML ({msg})") from None
    check_depth(root, limits.max_xml_depth, what)
    return root


_DEPTH_PROBES: dict = {}


def check_depth(root, limit: int, what: str) -> None:
    # An XPath probe for any element limit+1 levels down, evaluated level by level inside
    # libxml2 (no recursion, no Python loop over every element: ~30 times faster than a walk).
    probe = _DEPTH_PROBES.get(limit)
    if probe is None:
        probe = _DEPTH_PROBES[limit] = etree.XPath("boolean(" + "/*" * (limit + 1) + ")")
    if probe(root):
        raise InputError(f"{what}: XML nested more than {limit} levels deep")

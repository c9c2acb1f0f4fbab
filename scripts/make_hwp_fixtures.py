#!/usr/bin/env python3
"""Write the bad-input fixtures for the HWP and HWPX readers into tests/fixtures/hwp/.

    python scripts/make_hwp_fixtures.py [--out tests/fixtures/hwp]

Each file is small (a few kB) and is wrong in one way that a reader must turn into one
clear `InputError`, never a traceback or a runaway allocation:

  HWP 5 (OLE compound files; rebuilt from the climate sample's HWP rendering with
  python-hwpx's compound-file writer, a development-time tool):
    truncated.hwp            the file cut short (a damaged OLE container)
    truncated_body.hwp       a valid container whose BodyText/Section0 deflate stream is cut
    not_hwp.ole              an OLE compound file without a FileHeader (not HWP)
    bad_signature.hwp        a FileHeader that does not start with "HWP Document File"
    encrypted.hwp            FileHeader flag bit 1: password-encrypted
    distribution.hwp         FileHeader flag bit 2: 배포용 (distribution) document
    bomb.hwp                 BodyText/Section0 inflates 16 kB → 32 MB (decompression bomb)
    deep_records.hwp         records nested 400 levels deep
    bad_record.hwp           a record whose size runs past the end of its stream
    hwp3.hwp                 an HWP 3.x file (not an OLE container at all)
  HWPX (zip packages):
    truncated.hwpx           the package cut short
    bomb.hwpx                Contents/section0.xml inflates ~30 kB → 30 MB
    deep.hwpx                Contents/section0.xml nested 1,000 elements deep
    doctype.hwpx             Contents/section0.xml with a DOCTYPE and nested entities
    no_section.hwpx          a package without any section part
    encrypted.hwpx           a password-protected package: manifest with encryption-data
Deterministic: running it again gives the same bytes.
"""
from __future__ import annotations

import argparse
import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

FIXED_TIME = (2024, 1, 1, 0, 0, 0)


def _streams(hwp: bytes) -> list[tuple[str, bytes]]:
    import olefile

    ole = olefile.OleFileIO(io.BytesIO(hwp))
    out = [("/".join(e), ole.openstream(e).read()) for e in ole.listdir(streams=True, storages=False)]
    ole.close()
    return out


def _ole(streams: list[tuple[str, bytes]]) -> bytes:
    from hwpx.hwp5.cfb import build_compound_file  # python-hwpx, Apache-2.0

    return build_compound_file(streams)


def _replace(streams, name: str, data: bytes):
    return [(n, data if n == name else d) for n, d in streams]


def _deflate(data: bytes) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def _record(tag: int, level: int, payload: bytes) -> bytes:
    size = len(payload)
    if size >= 0xFFF:
        return struct.pack("<II", tag | level << 10 | 0xFFF << 20, size) + payload
    return struct.pack("<I", tag | level << 10 | size << 20) + payload


def _with_flags(streams, set_bits: int):
    header = bytearray(dict(streams)["FileHeader"])
    (flags,) = struct.unpack_from("<I", header, 36)
    struct.pack_into("<I", header, 36, flags | set_bits)
    return _replace(streams, "FileHeader", bytes(header))


def _zip(parts: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("mimetype", FIXED_TIME)
        zf.writestr(info, b"application/hwp+zip", compress_type=zipfile.ZIP_STORED)
        for name, data in parts:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            zf.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buf.getvalue()


def hwp_fixtures() -> dict[str, bytes]:
    from render_hwp import hwp_bytes
    from sample_reports import climate_2022q1

    good = hwp_bytes(climate_2022q1())
    streams = _streams(good)
    section = dict(streams)["BodyText/Section0"]
    out = {}
    out["truncated.hwp"] = good[: len(good) // 3]
    out["truncated_body.hwp"] = _ole(_replace(streams, "BodyText/Section0", section[: len(section) // 2]))
    out["not_hwp.ole"] = _ole([("Contents", "이것은 HWP 문서가 아닙니다".encode("utf-16-le") * 4)])
    out["bad_signature.hwp"] = _ole(_replace(streams, "FileHeader", b"NOT A HANGUL FILE".ljust(256, b"\0")))
    out["encrypted.hwp"] = _ole(_with_flags(streams, 1 << 1))
    out["distribution.hwp"] = _ole(_with_flags(streams, 1 << 2))
    body = _record(66, 0, b"\0" * 22) + _record(67, 1, "폭탄".encode("utf-16-le") + b"\0" * (32 << 20))
    out["bomb.hwp"] = _ole(_replace(streams, "BodyText/Section0", _deflate(body)))
    deep = b"".join(_record(66 if k % 2 == 0 else 71, k, b"\0" * 22) for k in range(400))
    out["deep_records.hwp"] = _ole(_replace(streams, "BodyText/Section0", _deflate(deep)))
    bad = _record(66, 0, b"\0" * 22) + struct.pack("<I", 67 | 1 << 10 | 200 << 20) + "짧다".encode("utf-16-le")
    out["bad_record.hwp"] = _ole(_replace(streams, "BodyText/Section0", _deflate(bad)))
    out["hwp3.hwp"] = b"HWP Document File V3.00 \x1a\x01\x02\x03\x04\x05" + b"\0" * 200
    return out


def hwpx_fixtures() -> dict[str, bytes]:
    from render_hwpx import container_xml, content_hpf, header_xml, hwpx_bytes, version_xml
    from sample_reports import climate_2022q1

    report = climate_2022q1()
    good = hwpx_bytes(report)
    hp = 'xmlns:hp="http://www.hancom.co.kr/hwpml/2011/paragraph" xmlns:hs="http://www.hancom.co.kr/hwpml/2011/section"'
    head = [
        ("version.xml", version_xml().encode()),
        ("META-INF/container.xml", container_xml().encode()),
        ("Contents/content.hpf", content_hpf(report).encode()),
        ("Contents/header.xml", header_xml().encode()),
    ]
    out = {}
    out["truncated.hwpx"] = good[: len(good) // 2]
    filler = b"<hp:p><hp:run><hp:t>" + b" " * (30 << 20) + b"</hp:t></hp:run></hp:p>"
    out["bomb.hwpx"] = _zip(head + [("Contents/section0.xml", f"<hs:sec {hp}>".encode() + filler + b"</hs:sec>")])
    deep = f"<hs:sec {hp}>".encode() + b"<hp:p><hp:run>" * 500 + b"</hp:run></hp:p>" * 500 + b"</hs:sec>"
    out["deep.hwpx"] = _zip(head + [("Contents/section0.xml", deep)])
    laughs = (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (k, (b"&lol%d;" % (k - 1) if k > 1 else b"&lol;") * 10) for k in range(1, 10))
        + f"]><hs:sec {hp}><hp:p><hp:run><hp:t>&lol9;</hp:t></hp:run></hp:p></hs:sec>".encode()
    )
    out["doctype.hwpx"] = _zip(head + [("Contents/section0.xml", laughs)])
    out["no_section.hwpx"] = _zip(head)
    manifest = (
        b'<?xml version="1.0" encoding="UTF-8"?><odf:manifest xmlns:odf="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        b'<odf:file-entry odf:full-path="Contents/section0.xml" odf:media-type="application/xml" odf:size="4096">'
        b'<odf:encryption-data odf:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" odf:checksum="AAAA">'
        b'<odf:algorithm odf:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" odf:initialisation-vector="AAAA"/>'
        b'<odf:key-derivation odf:key-derivation-name="PBKDF2" odf:key-size="32" odf:iteration-count="1024" odf:salt="AAAA"/>'
        b"</odf:encryption-data></odf:file-entry></odf:manifest>"
    )
    cipher = bytes((k * 97 + 13) % 256 for k in range(4096))  # stands for AES output
    out["encrypted.hwpx"] = _zip(head + [("META-INF/manifest.xml", manifest), ("Contents/section0.xml", cipher)])
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "tests" / "fixtures" / "hwp")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in {**hwp_fixtures(), **hwpx_fixtures()}.items():
        (args.out / name).write_bytes(data)
        print(f"{args.out / name}  {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

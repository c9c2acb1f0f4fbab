#!/usr/bin/env python3
"""Make the bad-input fixtures the reader tests use (tests/fixtures/bad/), each < 200 KB.

    python scripts/make_bad_fixtures.py [--out tests/fixtures/bad]

| file | what it is | what the pipeline must say |
|---|---|---|
| encrypted.pdf | PDF with an open password (LibreOffice export) | encrypted PDF (password-protected) … |
| owner_password.pdf | sample 001 as PDF with only a permissions password | (reads like 001) |
| truncated.pdf | the first 60 % of a sample PDF | truncated or damaged PDF … |
| damaged.pdf | a PDF header followed by garbage, with an EOF marker | damaged PDF … |
| scanned.pdf | one page holding only an image, no text layer | has no text layer (scanned?) … |
| bomb.docx | zip of 140 KB whose document.xml inflates to 128 MB | zip bomb … |
| entities.docx | document.xml declaring nested entities (billion laughs) | … entities are refused |
| truncated.docx | the first half of a sample DOCX | damaged or truncated zip archive … |
| not_a_zip.docx | binary bytes with a .docx name | binary data in no supported format … |
| empty.pdf | zero bytes | empty file |

Needs LibreOffice (`soffice`) for the two password-protected PDFs; everything else is
written byte by byte here. The fixtures are checked in; tests never run this script.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import subprocess
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))


def _tiny_docx(path: Path) -> Path:
    from docx import Document

    doc = Document()
    doc.add_paragraph("2022 회계연도 1/4분기 예산 전용 보고")
    doc.add_paragraph("암호가 걸린 보고서")
    doc.save(str(path))
    return path


def _lo_pdf(docx: Path, out: Path, options: str) -> bytes:
    from render_pdf import soffice

    profile = Path(tempfile.gettempdir()) / f"lo_profile_jeonyong_fixtures_{os.getpid()}"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", f"pdf:writer_pdf_Export:{options}", "--outdir", tmp, str(docx)],
            check=True, capture_output=True, timeout=180,
        )
        return (Path(tmp) / (docx.stem + ".pdf")).read_bytes()


def encrypted_pdfs(out: Path, report_docx: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        docx = _tiny_docx(Path(tmp) / "encrypted.docx")
        user = '{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"secret"}}'
        (out / "encrypted.pdf").write_bytes(_lo_pdf(docx, out, user))
        owner = '{"RestrictPermissions":{"type":"boolean","value":"true"},"PermissionPassword":{"type":"string","value":"owner"}}'
        # A whole sample report, so a test can check it reads exactly like the open one.
        (out / "owner_password.pdf").write_bytes(_lo_pdf(report_docx, out, owner))


def _pdf(objects: list[bytes]) -> bytes:
    """A well-formed PDF from object bodies (1-based, object 1 the catalog)."""
    buf = io.BytesIO()
    buf.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for k, body in enumerate(objects, start=1):
        offsets.append(buf.tell())
        buf.write(b"%d 0 obj\n" % k + body + b"\nendobj\n")
    xref = buf.tell()
    buf.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        buf.write(b"%010d 00000 n \n" % off)
    buf.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return buf.getvalue()


def _stream(dict_body: bytes, data: bytes) -> bytes:
    return b"<< " + dict_body + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def scanned_pdf() -> bytes:
    """An A4 page with one grey 'scan' image and no text at all."""
    rnd = random.Random(3)
    w, h = 200, 280
    rows = []
    for y in range(h):
        rows.append(bytes(255 if (x // 10 + y // 14) % 3 else rnd.randrange(0, 90) for x in range(w)))
    image = zlib.compress(b"".join(rows), 9)
    content = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>",
        _stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode" % (w, h), image),
        _stream(b"", content),
    ])


def _noise(n: int, seed: int) -> bytes:
    rnd = random.Random(seed)
    return bytes(rnd.randrange(256) for _ in range(n))


def damaged_pdf() -> bytes:
    return b"%PDF-1.7\n" + _noise(3000, seed=5) + b"\ntrailer\n<< /Root 9 0 R >>\n%%EOF\n"


def bomb_docx() -> bytes:
    """A DOCX-shaped zip whose document.xml inflates to 128 MB (ratio ~1000:1)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        with z.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
            block = b" " * (1 << 20)
            for _ in range(128):
                fh.write(block)
            fh.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buf.getvalue()


def entities_docx() -> bytes:
    lol = "".join(f'<!ENTITY l{k} "{"&l%d;" % (k - 1) * 10}">' for k in range(1, 10))
    xml = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "lol">' + lol + ']>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", xml)
    return buf.getvalue()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "tests" / "fixtures" / "bad")
    ap.add_argument("--samples", type=Path, default=ROOT / "samples")
    ap.add_argument("--no-soffice", action="store_true", help="skip the LibreOffice-made fixtures")
    args = ap.parse_args(argv)
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    pdf = (args.samples / "001_climate_2022q1.pdf").read_bytes()
    docx = (args.samples / "001_climate_2022q1.docx").read_bytes()
    files = {
        "truncated.pdf": pdf[: len(pdf) * 6 // 10],
        "damaged.pdf": damaged_pdf(),
        "scanned.pdf": scanned_pdf(),
        "bomb.docx": bomb_docx(),
        "entities.docx": entities_docx(),
        "truncated.docx": docx[: len(docx) // 2],
        "not_a_zip.docx": _noise(4096, seed=7),
        "empty.pdf": b"",
    }
    for name, data in files.items():
        (out / name).write_bytes(data)
    if not args.no_soffice:
        encrypted_pdfs(out, args.samples / "001_climate_2022q1.docx")
    for p in sorted(out.iterdir()):
        size = p.stat().st_size
        assert size < 200 * 1024, f"{p} is {size} bytes"
        print(f"{p.relative_to(ROOT) if p.is_relative_to(ROOT) else p}  {size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

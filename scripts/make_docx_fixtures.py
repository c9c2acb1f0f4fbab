#!/usr/bin/env python3
"""DOCX written by another word processor, for the DOCX reader tests (tests/fixtures/docx/).

    python scripts/make_docx_fixtures.py

LibreOffice opens two sample DOCX (samples/000_seed.docx, samples/003_transport_2023q3.docx)
and saves them again as Word 2007+ DOCX. Its XML differs from python-docx's in ways readers
trip over: bullets become symbol-font glyphs (`○` as Wingdings 2 0x81, `-` in OpenSymbol),
its own numbering definitions and styles, explicit cell widths and borders. The records
must stay those of the text rendering. Needs LibreOffice; the fixtures are checked in.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from render_pdf import soffice  # noqa: E402

SOURCES = ["000_seed", "003_transport_2023q3"]


def main() -> int:
    out = ROOT / "tests" / "fixtures" / "docx"
    out.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.gettempdir()) / f"lo_profile_jeonyong_docx_{os.getpid()}"
    with tempfile.TemporaryDirectory() as tmp:
        for name in SOURCES:
            src = Path(tmp) / f"lo_resaved_{name}.docx"
            shutil.copyfile(ROOT / "samples" / f"{name}.docx", src)
            subprocess.run(
                [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                 "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(Path(tmp) / "out"), str(src)],
                check=True, capture_output=True, timeout=180,
            )
            target = out / src.name
            shutil.move(str(Path(tmp) / "out" / src.name), target)
            print(f"{target.relative_to(ROOT)}  {target.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())

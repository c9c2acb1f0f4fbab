"""Render a sample report as PDF: its DOCX rendering converted by LibreOffice (headless).

    soffice --headless -env:UserInstallation=file:///tmp/lo_profile_<pid> \
            --convert-to pdf --outdir DIR file.docx

A private LibreOffice profile keeps the conversion independent of any running instance
and of the user's settings. The PDF embeds the Nanum fonts, so tests need no LibreOffice.
"""
from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from render_docx import write_docx  # noqa: E402
from sample_reports import SampleReport  # noqa: E402


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise RuntimeError("LibreOffice (soffice) is needed to render PDF samples")
    return exe


def docx_to_pdf(docx: Path, out_dir: Path, timeout: int = 180) -> Path:
    """Convert one DOCX with LibreOffice; returns the PDF path."""
    return docx_to_pdfs([docx], out_dir, timeout)[0]


def docx_to_pdfs(docx_files: list[Path], out_dir: Path, timeout: int = 600) -> list[Path]:
    """Convert many DOCX files in one LibreOffice run (its start-up is most of the cost of
    one file); returns the PDF paths, in order. File stems must be distinct."""
    profile = Path(tempfile.gettempdir()) / f"lo_profile_jeonyong_{os.getpid()}"
    if not profile.exists():
        # One profile per process, reused by its later runs (a fresh one costs LibreOffice's
        # first start), removed when the process ends.
        atexit.register(shutil.rmtree, profile, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            tmp,
            *map(str, docx_files),
        ]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        out = []
        for docx in docx_files:
            produced = Path(tmp) / (Path(docx).stem + ".pdf")
            if res.returncode != 0 or not produced.exists():
                raise RuntimeError(f"soffice failed on {docx}: {res.stderr.strip() or res.stdout.strip()}")
            target = Path(out_dir) / produced.name
            shutil.move(str(produced), target)
            out.append(target)
    return out


def turn_pages(pdf: Path, which=None) -> list[int]:
    """Store the PDF's landscape pages as portrait pages turned by /Rotate 90, as scanners
    and some word processors save them: each page's content is turned a quarter anticlockwise
    onto a portrait media box, and /Rotate 90 turns it back for the viewer, which shows the
    page as before. `which(index, text)`: whether to turn page `index` (0-based) with this
    text (None: every landscape page). Returns the indices turned; rewrites the file in place
    (pypdf)."""
    from pypdf import PdfWriter, Transformation

    writer = PdfWriter(clone_from=str(pdf))
    turned = []
    for i, page in enumerate(writer.pages):
        box = page.mediabox
        w, h = float(box.width), float(box.height)
        if w > h and (which is None or which(i, page.extract_text() or "")):
            page.add_transformation(Transformation().translate(-float(box.left), -float(box.bottom)).rotate(90).translate(h, 0))
            page.mediabox.lower_left, page.mediabox.upper_right = (0, 0), (h, w)
            page.cropbox.lower_left, page.cropbox.upper_right = (0, 0), (h, w)
            page.rotation = 90
            turned.append(i)
    tmp = Path(pdf).with_name(Path(pdf).name + ".turning")
    with open(tmp, "wb") as out:
        writer.write(out)
    tmp.replace(pdf)
    return turned


def write_pdf(report: SampleReport, out_dir: Path) -> Path:
    """Render the DOCX afresh (in a temporary folder, so a stale DOCX is never converted)
    and convert it."""
    with tempfile.TemporaryDirectory() as tmp:
        return docx_to_pdf(write_docx(report, Path(tmp)), Path(out_dir))


if __name__ == "__main__":
    from sample_reports import all_samples

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("samples")
    for r in all_samples():
        print(write_pdf(r, out))

"""Scanned reports read by OCR (readers/ocr) and their figures proven by the arithmetic
(pipeline/proof.py). Scans are made from the samples by scripts/make_scans.py (poppler's
pdftoppm, skew, specks, JPEG), in a temporary folder, except two small committed ones
(tests/fixtures/scans). Few pages: OCR is the slow part of the pipeline."""
from __future__ import annotations

import io
import shutil
import struct
import sys
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import FIXTURES, SAMPLES, run_cli

from pipeline.detect import sniff
from pipeline.errors import InputError
from pipeline.extract import parse_file
from pipeline.limits import DEFAULT_LIMITS
from pipeline.readers import read_file
from pipeline.readers.ocr import missing

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import make_scans  # noqa: E402

SCANS = FIXTURES / "scans"
HEADER = ("fiscal_year", "quarter", "office", "meeting_date", "venue")

needs_ocr = pytest.mark.skipif(missing() is not None, reason=f"no OCR here: {missing()}")
needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) not installed")


def figures(doc: dict) -> dict:
    """Every figure of a report's JSON by where it is printed: (transfer, line or total or
    amount, field) → (value, loc)."""
    out = {}
    for t in doc["transfers"]:
        tr = t["transfer"]
        out[(t["seq"], "amount", "amount")] = (tr.get("amount_won"), None)
        b = t.get("budget") or {}
        for n, ln in enumerate(b.get("lines") or [], start=1):
            for f in ("before", "decrease", "increase", "after"):
                out[(t["seq"], n, f)] = (ln[f], ln["loc"])
        for f, v in (b.get("total") or {}).items():
            out[(t["seq"], "total", f)] = (v, None)
    return out


def names(doc: dict) -> dict:
    return {(t["seq"], n, f): ln[f] for t in doc["transfers"] for n, ln in enumerate((t.get("budget") or {}).get("lines") or [], 1)
            for f in ("stat_code", "stat_name", "department", "detail_program")}


def compare(born: dict, scanned: dict) -> tuple[float, list, float]:
    """(share of figures exact, wrong figures not marked suspect, share of names exact)."""
    want, got = figures(born), figures(scanned)
    noted = {(n["loc"] or {}).get("page") and tuple(n["loc"]["bbox"] or ()) for n in scanned["notes"] if n["basis"] == "ocr"}
    noted_text = [n for n in scanned["notes"] if n["basis"] == "ocr"]
    wrong = [k for k in want if got.get(k, (None,))[0] != want[k][0]]
    unmarked = [k for k in wrong if k in got and not noted_text] + [k for k in wrong if k not in got and not noted]
    exact = 1 - len(wrong) / len(want)
    n_want, n_got = names(born), names(scanned)
    name_exact = sum(n_got.get(k) == v for k, v in n_want.items()) / max(1, len(n_want))
    return exact, unmarked, name_exact


def born_digital(name: str) -> dict:
    return parse_file(SAMPLES / f"{name}.pdf").to_json()


# ---------------------------------------------------------------- recognising the input
def test_images_are_recognised_from_their_bytes():
    png = (SCANS / "001_climate_2022q1.p1.png").read_bytes()
    assert sniff(png) == "image"
    assert sniff(b"II*\x00" + b"\x00" * 100) == "image"
    assert sniff(b"\xff\xd8\xff\xe0" + b"\x00" * 100) == "image"


# ---------------------------------------------------------------- reading scans
@needs_ocr
@needs_poppler
def test_scanned_pdf_at_300_dpi_reads_as_the_born_digital_one(tmp_path):
    scan = make_scans.scan(SAMPLES / "001_climate_2022q1.pdf", tmp_path, dpi=300, skew=0.5, noise=0.001, jpeg=80, seed=4)["pdf"]
    doc = parse_file(scan).to_json()
    born = born_digital("001_climate_2022q1")
    assert doc["source"]["format"] == "pdf"
    for key in HEADER:
        assert doc[key] == born[key], key
    assert doc["title"].replace(" ", "") == born["title"].replace(" ", "")
    exact, unmarked, name_exact = compare(born, doc)
    assert exact >= 0.99 and unmarked == []
    assert name_exact >= 0.95
    assert [f["check"] for f in doc["findings"]] == [f["check"] for f in born["findings"]]


@needs_ocr
@needs_poppler
def test_multipage_tiff_at_200_dpi_skewed(tmp_path):
    scan = make_scans.scan(SAMPLES / "003_transport_2023q3.pdf", tmp_path, dpi=200, skew=1.0, noise=0.001, jpeg=75,
                           kinds=("tiff",), seed=5)["tiff"]
    report = parse_file(scan)
    doc = report.to_json()
    assert doc["source"]["format"] == "image"
    born = born_digital("003_transport_2023q3")
    exact, unmarked, _ = compare(born, doc)
    assert exact >= 0.97 and unmarked == []
    assert doc["fiscal_year"] == born["fiscal_year"] and doc["quarter"] == born["quarter"]
    pages = {ln["loc"]["page"] for t in doc["transfers"] for ln in (t["budget"] or {}).get("lines", [])}
    assert pages == {ln["loc"]["page"] for t in born["transfers"] for ln in (t["budget"] or {}).get("lines", [])}


@needs_ocr
def test_scanned_error_sample_keeps_its_finding(tmp_path):
    """err_row_balance_001 printed with a wrong 전용 후 예산현액, scanned at 200 dpi, skewed:
    its figures read with confidence, the failing check is a finding, at the cell."""
    scan = SCANS / "err_row_balance_001.200dpi.pdf"
    doc = parse_file(scan).to_json()
    born = born_digital("err_row_balance_001")
    got = [(f["check"], f["transfer_seq"], f["line"], f["field"]) for f in doc["findings"]]
    assert got == [(f["check"], f["transfer_seq"], f["line"], f["field"]) for f in born["findings"]]
    finding = doc["findings"][0]
    cell = born["findings"][0]["loc"]["bbox"]
    assert finding["loc"]["page"] == born["findings"][0]["loc"]["page"]
    assert all(abs(a - b) <= 3 for a, b in zip(finding["loc"]["bbox"], cell))
    from pipeline.writers.html_report import write_html

    html = tmp_path / "audit.html"
    write_html(html, [doc])
    page = html.read_text(encoding="utf-8")
    assert 'data-check="row_balance"' in page and '<figure class="pdf-snippet"' in page  # the crop of the scan


@needs_ocr
def test_png_page_reads_its_table():
    doc = read_file(SCANS / "001_climate_2022q1.p1.png")
    assert doc.format == "image"
    cells = [c.text for b in doc.blocks if hasattr(b, "rows") for row in b.rows for c in row]
    born = read_file(SAMPLES / "001_climate_2022q1.pdf")
    born_cells = [c.text for b in born.blocks if hasattr(b, "rows") and b.loc.page == 1 for row in b.rows for c in row]
    figures_born = [t for t in born_cells if t and t.replace(",", "").replace("-", "").isdigit()]
    assert figures_born and all(t in cells for t in figures_born)
    assert all(r.confidence >= 0 and r.page == 1 for r in doc.readings)


@needs_ocr
def test_ocr_never_refuses_scans_in_one_line(tmp_path):
    r = run_cli("extract", "--ocr", "never", SCANS / "001_climate_2022q1.p1.png")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip() == f"{SCANS / '001_climate_2022q1.p1.png'}: a scanned image, and OCR is turned off (--ocr never)"
    r = run_cli("extract", "--ocr", "never", SCANS / "err_row_balance_001.200dpi.pdf")
    assert r.returncode == 2 and "has no text layer (scanned?); OCR is turned off" in r.stderr


# ---------------------------------------------------------------- hostile images
def _png(width: int, height: int, rows: bytes = b"") -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _tiff(pages: int, size: int = 64) -> bytes:
    from PIL import Image, TiffImagePlugin

    buf = io.BytesIO()
    with TiffImagePlugin.AppendingTiffWriter(buf, True) as tf:
        for _ in range(pages):
            Image.new("L", (size, size), 255).save(tf, format="TIFF")
            tf.newFrame()
    return buf.getvalue()


def hostile(tmp_path: Path) -> dict:
    from PIL import Image

    files = {}
    (tmp_path / "huge.png").write_bytes(_png(12_000, 12_000, b"\x00" * 1000))
    files["huge.png"] = "12,000×12,000 pixels; refusing to decode it"
    # 400 million pixels of paper in 400 KB: Pillow's own bomb guard stops it at the header
    (tmp_path / "bomb.png").write_bytes(_png(20_000, 20_000, b"\x00" * 20_001 * 200))
    files["bomb.png"] = "decompression bomb"
    page = io.BytesIO()
    Image.new("L", (800, 1000), 255).save(page, format="TIFF")
    (tmp_path / "truncated.tif").write_bytes(page.getvalue()[: len(page.getvalue()) // 2])
    files["truncated.tif"] = "damaged TIFF"
    (tmp_path / "dot.png").write_bytes(_png(1, 1, b"\x00\xff"))
    files["dot.png"] = "1×1 pixels; too small to hold a page of text"
    (tmp_path / "many.tif").write_bytes(_tiff(500))
    files["many.tif"] = f"TIFF of more than {DEFAULT_LIMITS.max_ocr_pages:,} pages; refusing"
    return files


@pytest.mark.skipif(missing() is not None, reason=f"no OCR here: {missing()}")
def test_hostile_images_get_one_line_each(tmp_path):
    files = hostile(tmp_path)
    for name, why in files.items():
        with pytest.raises(InputError) as e:
            read_file(tmp_path / name)
        assert why in e.value.reason and "\n" not in e.value.reason, (name, e.value.reason)
    r = run_cli("extract", *[tmp_path / n for n in files], "--out", tmp_path / "out")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == len(files)
    for line, (name, why) in zip(lines, files.items()):
        assert line.startswith(f"{tmp_path / name}: ") and why in line


def test_limits_bound_what_ocr_may_cost():
    small = replace(DEFAULT_LIMITS, max_image_pixels=1000)
    from pipeline.readers.ocr.render import ImagePages

    with pytest.raises(InputError, match="refusing to decode"):
        ImagePages(_png(100, 100, b"\x00" * 10_100), small).page(1)


# ---------------------------------------------------------------- proof by arithmetic
def _as_read(report, confidence: float = 95.0) -> list:
    """Readings for every figure of a born-digital report as if OCR had read each cell as
    printed (the proof's input), each glyph at `confidence`."""
    from pipeline.readers.ocr import Reading

    out = []
    for t in report.transfers:
        b = t.budget
        for ln in b.lines:
            for f, loc in ln.cell_locs.items():
                text = ln.printed.get(f, "")
                out.append(Reading(loc.page, text, loc.bbox, confidence, tuple((ch, confidence) for ch in text), "figure", loc.bbox))
        for f, loc in b.total_locs.items():
            text = f"{b.total[f] // 1000:,}"
            out.append(Reading(loc.page, text, loc.bbox, confidence, tuple((ch, confidence) for ch in text), "figure", loc.bbox))
    return out


def _misread(report, readings: list, seq: int, line: int, field: str, digit_at: int, digit: str, confidence: float):
    """The figure read with one digit wrong (and that glyph at `confidence`), as the audit
    would then see it."""
    from dataclasses import replace as dc_replace

    from pipeline.audit import audit_report

    ln = report.transfers[seq - 1].budget.lines[line - 1]
    loc = ln.cell_locs[field]
    k = next(i for i, r in enumerate(readings) if r.page == loc.page and r.bbox == loc.bbox)
    old = readings[k]
    positions = [i for i, ch in enumerate(old.text) if ch.isdigit()]
    chars = list(old.text)
    chars[positions[digit_at]] = digit
    text = "".join(chars)
    glyphs = tuple((ch, confidence if i == positions[digit_at] else c) for i, ((_, c), ch) in enumerate(zip(old.glyphs, text)))
    readings[k] = dc_replace(old, text=text, glyphs=glyphs, confidence=min(old.confidence, confidence))
    setattr(ln, field, int(text.replace(",", "")) * 1000)
    report.findings = audit_report(report)
    return old.text, text


def test_a_misread_glyph_read_unsure_is_a_reading_to_check_not_a_finding():
    from pipeline.proof import prove

    report = parse_file(SAMPLES / "001_climate_2022q1.pdf")
    readings = _as_read(report)
    printed, read = _misread(report, readings, 1, 1, "after", 1, "8", confidence=41.0)
    assert {f.check for f in report.findings} >= {"row_balance", "column_total"}
    marks = prove(report, readings)
    assert report.findings == []
    [note] = [n for n in report.notes if n.basis == "ocr"]
    assert note.text == read and note.alternative == printed
    assert note.loc == report.transfers[0].budget.lines[0].cell_locs["after"]
    # the 총계 of the column read sure, but the column's sum now fails: disputed, not proven
    assert (marks.suspect, marks.disputed, marks.proven) == (1, 1, len(readings) - 2)


def test_a_confident_reading_that_fails_a_check_is_a_finding():
    from pipeline.proof import prove

    report = parse_file(SAMPLES / "err_row_balance_001.pdf")
    findings = list(report.findings)
    marks = prove(report, _as_read(report))
    assert report.findings == findings and findings
    assert not [n for n in report.notes if n.basis == "ocr"] and marks.suspect == 0


def test_a_misread_glyph_read_sure_stays_a_finding_unless_another_check_shows_it():
    """Read with confidence, a wrong digit is what the document prints as far as OCR can
    tell: the failing checks are findings (the auditor sees them at the cell)."""
    from pipeline.proof import prove

    report = parse_file(SAMPLES / "001_climate_2022q1.pdf")
    readings = _as_read(report)
    _misread(report, readings, 1, 2, "before", 0, "7", confidence=96.0)
    checks = {f.check for f in report.findings}
    prove(report, readings)
    assert {f.check for f in report.findings} == checks


def test_a_reading_to_check_is_shown_beside_its_cell_in_the_html_report(tmp_path):
    from pipeline.proof import prove
    from pipeline.writers.html_report import write_html

    report = parse_file(SAMPLES / "001_climate_2022q1.pdf")
    readings = _as_read(report)
    _misread(report, readings, 1, 1, "after", 1, "8", confidence=41.0)
    prove(report, readings)
    doc = report.to_json()
    html = tmp_path / "audit.html"
    write_html(html, [doc])
    page = html.read_text(encoding="utf-8")
    assert page.count('<img class="ocr-crop"') == 1 and "data:image/png;base64," in page


def test_a_scanned_pdf_page_is_rendered_at_its_scan_resolution_never_upscaled():
    import pypdfium2 as pdfium

    from pipeline.readers.ocr.render import render_pdf_page

    pdf = pdfium.PdfDocument((SCANS / "err_row_balance_001.200dpi.pdf").read_bytes())
    image = render_pdf_page(pdf, 1, DEFAULT_LIMITS)
    assert abs(image.dpi - 200) < 1
    assert abs(image.width_pt - pdf[0].get_size()[0]) < 1


def test_a_total_row_read_as_a_line_is_a_reading_to_check():
    """A 총계 row whose label OCR misread becomes a budget line whose figures are the other
    lines' sums: the table's sums are then readings to check, not findings."""
    from dataclasses import replace as dc_replace

    from pipeline.audit import audit_report
    from pipeline.proof import prove

    report = parse_file(SAMPLES / "003_transport_2023q3.pdf")
    readings = _as_read(report)
    b = report.transfers[0].budget
    total_loc = next(iter(b.total_locs.values()))
    b.lines.append(dc_replace(b.lines[-1], department="종 계", **b.total, loc=total_loc))
    b.total = None
    report.findings = audit_report(report)
    assert any(f.check == "summary_amount" for f in report.findings)
    prove(report, readings)
    assert not [f for f in report.findings if f.transfer_seq == 1 and f.check in ("summary_amount", "transfer_balance", "column_total")]
    [note] = [n for n in report.notes if n.basis == "ocr" and n.alternative == "총계"]
    assert note.text == "종 계" and note.loc == total_loc

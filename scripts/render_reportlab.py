"""Draw a sample report (scripts/sample_reports.py) as PDF with reportlab: the third PDF
producer of the layout harness, which owes nothing to a word processor. Its table geometry
is reportlab's own: a row too tall for the rest of the page is split at the page foot
(`splitInRow`) or moved whole to the next page, header rows repeated (`repeatRows`) or
printed once, a merged name cell (`SPAN`) cut by the page break and drawn again on the next
page, cells wrapping between any two syllables (`wordWrap='CJK'`), rules as the model draws
them. Korean text in the Nanum fonts (fonts-nanum), embedded.

Nothing here imports `pipeline`.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sample_reports import SampleReport, SampleTable, bound_reports, column_widths_cm, margins_cm, package_front, page_cm  # noqa: E402

FONT_DIR = Path("/usr/share/fonts/truetype/nanum")


def available() -> str:
    """'' when reportlab and the Nanum fonts are installed, else why not."""
    try:
        import reportlab  # noqa: F401
    except ImportError:
        return "reportlab is not installed (pip install reportlab)"
    if not (FONT_DIR / "NanumGothic.ttf").exists():
        return f"no {FONT_DIR / 'NanumGothic.ttf'} (apt-get install fonts-nanum)"
    return ""


def _font(name: str) -> str:
    """Register the Nanum face `name` once; its reportlab name (NanumGothic where the face is missing)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = FONT_DIR / f"{name}.ttf"
    if not path.exists():
        name, path = "NanumGothic", FONT_DIR / "NanumGothic.ttf"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


def _styles(report: SampleReport, font: str) -> dict:
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    body = ParagraphStyle("body", fontName=font, fontSize=report.body_pt, leading=report.body_pt * 1.35, spaceAfter=3)
    cell = ParagraphStyle("cell", fontName=font, fontSize=report.cell_pt, leading=report.cell_pt * 1.2,
                          alignment=TA_CENTER, wordWrap="CJK")
    return {
        "body": body,
        "title": ParagraphStyle("title", parent=body, fontSize=15, leading=20, alignment=TA_CENTER, spaceAfter=8),
        "cover": ParagraphStyle("cover", parent=body, fontSize=16, leading=24, alignment=TA_CENTER),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        "left": ParagraphStyle("left", parent=body, alignment=TA_LEFT),
        "cell": cell,
        "figure": ParagraphStyle("figure", parent=cell, alignment=TA_RIGHT),
    }


def _rules(report: SampleReport, n_rows: int, header_rows: int) -> list:
    if report.rules == "grid":
        return [("GRID", (0, 0), (-1, -1), 0.5, "black")]
    if report.rules == "horizontal":
        return [("LINEABOVE", (0, 0), (-1, -1), 0.5, "black"), ("LINEBELOW", (0, -1), (-1, -1), 0.8, "black")]
    return [("LINEABOVE", (0, 0), (-1, 0), 1.2, "black"), ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.7, "black"),
            ("LINEBELOW", (0, -1), (-1, -1), 1.2, "black")]


def _table(t: SampleTable, report: SampleReport, styles: dict, fallback: bool = False):
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, Table, TableStyle
    from xml.sax.saxutils import escape

    grid = t.text_grid()
    header_rows = len(t.header)
    merges = t.merges()
    if fallback:  # names repeated on every row, no merged name cell (see `write_pdf`)
        for r in range(header_rows + 1, header_rows + len(t.body)):
            for c in range(t.text_columns):
                grid[r][c] = grid[r][c] or grid[r - 1][c]
        merges = [m for m in merges if not (header_rows <= m[0] < header_rows + len(t.body) and m[3] == 1)]
    # Every cell a Paragraph, empty ones too (reportlab's in-row split measures each cell's flowables).
    data = [[Paragraph(escape(text), styles["figure" if c >= t.text_columns and r >= header_rows else "cell"])
             for c, text in enumerate(row)] for r, row in enumerate(grid)]
    pad = report.cell_pad_pt if report.cell_pad_pt is not None else 3
    # A body row at least `row_pt` high: reportlab's row heights are exact, so the least
    # height is made of vertical padding around one line of text.
    vpad = max(1.5, ((report.row_pt or 0) - report.cell_pt * 1.2) / 2)
    style = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), pad),
             ("RIGHTPADDING", (0, 0), (-1, -1), pad), ("TOPPADDING", (0, 0), (-1, -1), 1.5),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
             ("TOPPADDING", (0, header_rows), (-1, -1), vpad), ("BOTTOMPADDING", (0, header_rows), (-1, -1), vpad)]
    style += [("SPAN", (c, r), (c + cs - 1, r + rs - 1)) for r, c, rs, cs in merges]
    style += _rules(report, len(grid), header_rows)
    table = Table(data, colWidths=[w * cm for w in column_widths_cm(report, t)],
                  repeatRows=header_rows if report.repeat_header else 0, splitInRow=1 if report.rows_can_split or fallback else 0,
                  hAlign="CENTER")
    table.setStyle(TableStyle(style))
    return table


def build_story(report: SampleReport, fallback: bool = False, frame_pt: float = 1e9) -> list:
    from reportlab.platypus import PageBreak, Paragraph, Spacer
    from xml.sax.saxutils import escape

    styles = _styles(report, _font(report.font))
    story: list = []
    front = package_front(report)
    for k, line in enumerate(front):
        if k == len(report.cover or ()):
            story.append(PageBreak())
        story.append(Paragraph(escape(line), styles["cover" if k < len(report.cover or ()) else "body"]))
    for k, one in enumerate(bound_reports(report)):
        if k or front:
            story.append(PageBreak())
        for printed in one.printed():
            block = printed.block
            if printed.role == "table":
                story.append(_table(block, report, styles, fallback))
                story.append(Spacer(1, 6))
                continue
            t = one.transfers[printed.transfer] if printed.transfer is not None else None
            pushed = t is not None and t.pushes(printed.role)
            if pushed and t.push_pt:
                story.append(Spacer(1, min(t.push_pt, frame_pt / 2)))
            kind = {"title": "title", "unit": "right" if report.unit_align == "right" else "body"}.get(printed.role, "body")
            story.append(Paragraph(escape(block.strip()), styles[kind]))
    return story


def write_pdf(report: SampleReport, out_dir: Path, target: Optional[Path] = None) -> Path:
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate
    from reportlab.platypus.doctemplate import LayoutError

    target = Path(target) if target else Path(out_dir) / f"{report.name}.pdf"
    width, height = page_cm(report)
    top, right, bottom, left = margins_cm(report)
    font = _font(report.font)

    def footer(canvas, doc):  # `- N -` at the foot of every page, as the other producers print
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(width * cm / 2, bottom * cm / 2, f"- {doc.page} -")
        canvas.restoreState()

    doc = SimpleDocTemplate(str(target), pagesize=(width * cm, height * cm), topMargin=top * cm, rightMargin=right * cm,
                            bottomMargin=bottom * cm, leftMargin=left * cm, title=report.title, author="jeonyong samples",
                            invariant=1)
    frame_pt = (height - top - bottom) * cm
    try:
        doc.build(build_story(report, frame_pt=frame_pt), onFirstPage=footer, onLaterPages=footer)
    except (LayoutError, TypeError):  # TypeError: reportlab failing to describe the culprit of its LayoutError
        # reportlab cannot split a merged cell taller than a page, nor (rows kept whole) a
        # row taller than one: such a table is drawn with its names repeated on every row
        # and its rows split at the page foot. The records are the same either way.
        try:
            doc.build(build_story(report, fallback=True, frame_pt=frame_pt), onFirstPage=footer, onLaterPages=footer)
        except (LayoutError, TypeError) as e:
            raise RuntimeError("reportlab cannot lay the table out: a header or a row is taller than the page") from e
    return target

"""Render a sample report (scripts/sample_reports.py) as DOCX with python-docx.

What the rendering exercises in the DOCX reader:
- every printed line is one paragraph; `- …` lines and `○`/`ㅇ` sub-headings use real Word
  bullet numbering (the mark lives in numbering.xml, not in the text), nested ` - …` lines
  use the second list level;
- tables carry real merges (`cell.merge` → gridSpan / vMerge), ruled with "Table Grid";
  rows never split across pages; narrow name and figure columns make text wrap in the PDF;
- a page footer `- N -` (a PAGE field) on every page, and a running page header on the
  reports of several pages, which must not become content;
- 004_culture's tables have no left and right outer borders (open sides);
- 003_transport's table runs over a page break with its two header rows repeated
  (`w:tblHeader`); the seed's three tables each leave their 총 계 row to the next page,
  without a repeated header.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sample_reports import SampleReport, SampleTable  # noqa: E402

FONT = "NanumGothic"
BULLET_LINE = re.compile(r"^(?P<indent>\s*)- (?P<rest>.*)$")

# Column widths (cm) of the 9-column budget table: narrow enough that long names and the
# widest figures wrap inside their cells in the PDF.
COL_WIDTHS = [2.6, 2.1, 2.6, 2.9, 2.0, 1.45, 1.45, 1.45, 1.45]

# Extra space (pt) before the 예산 현황 heading of one transfer, so that its table starts
# low on a page and runs over the page break: {sample: {transfer index: points}} (tuned
# by rendering: 003 keeps two body rows on page 1; the seed's 2nd and 3rd tables then
# leave their 총 계 rows to the next page).
PUSH_TABLE = {"003_transport_2023q3": {0: 150}, "000_seed": {0: 120}}
REPEAT_HEADER = {"003_transport_2023q3"}
# Tables without left and right outer borders, as Korean official documents often print
# them: the PDF reader must close the open sides itself.
OPEN_SIDED = {"004_culture_2019q4"}
# A running page header on the reports of several pages (page furniture, not content).
RUNNING_HEADER = {"003_transport_2023q3": "교통위원회 보고자료", "000_seed": "행정자치위원회 보고자료"}


def _set_fonts(doc) -> None:
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "ko-KR")
    lang.set(qn("w:eastAsia"), "ko-KR")
    rpr.append(lang)
    pf = style.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(4)
    pf.line_spacing = 1.15


def _add_numbering(doc) -> dict[str, int]:
    """Bullet lists for `-` (two levels), `○` and `ㅇ`; returns mark → numId."""
    numbering = doc.part.numbering_part.element
    ids = {}
    first_num = numbering.find(qn("w:num"))
    for k, (mark, levels) in enumerate({"-": 2, "○": 1, "ㅇ": 1}.items()):
        abstract_id = num_id = 90 + k
        an = OxmlElement("w:abstractNum")
        an.set(qn("w:abstractNumId"), str(abstract_id))
        mlt = OxmlElement("w:multiLevelType")
        mlt.set(qn("w:val"), "hybridMultilevel" if levels > 1 else "singleLevel")
        an.append(mlt)
        for ilvl in range(levels):
            lvl = OxmlElement("w:lvl")
            lvl.set(qn("w:ilvl"), str(ilvl))
            for tag, val in (("w:start", "1"), ("w:numFmt", "bullet"), ("w:lvlText", mark), ("w:lvlJc", "left")):
                el = OxmlElement(tag)
                el.set(qn("w:val"), val)
                lvl.append(el)
            ppr = OxmlElement("w:pPr")
            ind = OxmlElement("w:ind")
            ind.set(qn("w:left"), str(360 + 360 * ilvl))
            ind.set(qn("w:hanging"), "280")
            ppr.append(ind)
            lvl.append(ppr)
            an.append(lvl)
        if first_num is not None:
            first_num.addprevious(an)
        else:
            numbering.append(an)
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(num_id))
        ref = OxmlElement("w:abstractNumId")
        ref.set(qn("w:val"), str(abstract_id))
        num.append(ref)
        numbering.append(num)
        ids[mark] = num_id
    return ids


def _number(paragraph, num_id: int, ilvl: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = OxmlElement("w:numPr")
    lvl = OxmlElement("w:ilvl")
    lvl.set(qn("w:val"), str(ilvl))
    nid = OxmlElement("w:numId")
    nid.set(qn("w:val"), str(num_id))
    numpr.append(lvl)
    numpr.append(nid)
    ppr.append(numpr)


def _footer(section) -> None:
    """`- N -` centred, N a PAGE field."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("- ")
    run = p.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), kind)
            run._r.append(fc)
        elif text == " PAGE ":
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = text
            run._r.append(it)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)
    p.add_run(" -")


def _paragraph(doc, text: str, bullets: dict[str, int], bullet_mark: str, space_before: int = 0):
    m = BULLET_LINE.match(text)
    if m:
        p = doc.add_paragraph(m.group("rest"))
        _number(p, bullets["-"], 1 if m.group("indent") else 0)
    elif text[:2] in (f"{bullet_mark} ",) and bullet_mark in bullets:
        p = doc.add_paragraph(text[2:])
        _number(p, bullets[bullet_mark], 0)
    else:
        p = doc.add_paragraph(text.strip())
    if space_before:
        p.paragraph_format.space_before = Pt(space_before)
    return p


def _cell_text(cell, text: str, align) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = 1.0
    p.alignment = align
    run = p.add_run(text)
    run.font.size = Pt(9)


def _open_sides(table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side, val, size in (("top", "single", "12"), ("left", "nil", "0"), ("bottom", "single", "12"), ("right", "nil", "0"),
                            ("insideH", "single", "4"), ("insideV", "single", "4")):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), val)
        if val != "nil":
            el.set(qn("w:sz"), size)
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    tblpr.append(borders)


def _table(doc, t: SampleTable, repeat_header: bool, open_sided: bool = False) -> None:
    grid = t.text_grid()
    n_rows, n_cols = len(grid), len(grid[0])
    table = doc.add_table(rows=n_rows, cols=n_cols)
    table.style = doc.styles["Table Grid"]
    if open_sided:
        _open_sides(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = COL_WIDTHS if n_cols == len(COL_WIDTHS) else [16.0 / n_cols] * n_cols
    for c, w in enumerate(widths):
        table.columns[c].width = Cm(w)
        for row in table.rows:
            row.cells[c].width = Cm(w)
    covered = set()
    for r0, c0, rs, cs in t.merges():
        origin = table.cell(r0, c0)
        origin.merge(table.cell(r0 + rs - 1, c0 + cs - 1))
        covered.update((r, c) for r in range(r0, r0 + rs) for c in range(c0, c0 + cs) if (r, c) != (r0, c0))
    header_rows = len(t.header)
    for r in range(n_rows):
        for c in range(n_cols):
            if (r, c) in covered or not grid[r][c]:
                continue
            figure = c >= t.text_columns and r >= header_rows
            _cell_text(table.cell(r, c), grid[r][c], WD_ALIGN_PARAGRAPH.RIGHT if figure else WD_ALIGN_PARAGRAPH.CENTER)
    for r, row in enumerate(table.rows):
        if r < header_rows and header_rows > 1:
            # Tall enough for a header cell merged over the rows to fit without growing
            # them: LibreOffice draws a *repeated* header at its rows' own height, and
            # text of a taller merged cell would spill into the first body row.
            row.height = Pt(17)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if repeat_header and r < header_rows:
            trpr.append(OxmlElement("w:tblHeader"))


def build_docx(report: SampleReport):
    doc = Document()
    _set_fonts(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    _footer(section)
    if report.name in RUNNING_HEADER:
        hp = section.header.paragraphs[0]
        hp.text = RUNNING_HEADER[report.name]
        hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    bullets = _add_numbering(doc)
    push = PUSH_TABLE.get(report.name, {})
    transfer_no = -1
    numerals = {t.numeral for t in report.transfers}
    for block in report.blocks():
        if isinstance(block, SampleTable):
            _table(doc, block, report.name in REPEAT_HEADER, report.name in OPEN_SIDED)
            doc.add_paragraph()  # a table must be followed by a paragraph in Word
            continue
        if block in numerals or any(block.startswith(t.numeral + " ") for t in report.transfers if t.title_inline):
            transfer_no += 1
        before = 0
        if block.startswith("(단위") and transfer_no in push:
            before = push[transfer_no]
        p = _paragraph(doc, block, bullets, report.bullet, before)
        if block == report.title:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in p.runs:
                run.font.size = Pt(15)
                run.bold = True
    return doc


def write_docx(report: SampleReport, out_dir: Path) -> Path:
    target = Path(out_dir) / f"{report.name}.docx"
    doc = build_docx(report)
    doc.core_properties.title = report.title
    doc.core_properties.author = "jeonyong samples"
    # Fixed timestamps keep re-renders byte-stable apart from zip metadata.
    import datetime as _dt

    stamp = _dt.datetime(2024, 1, 1, 0, 0, 0)
    doc.core_properties.created = stamp
    doc.core_properties.modified = stamp
    doc.core_properties.last_modified_by = "jeonyong"
    doc.save(str(target))
    return target


if __name__ == "__main__":
    from sample_reports import all_samples

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("samples")
    for r in all_samples():
        print(write_docx(r, out))

"""Render a sample report (scripts/sample_reports.py) as DOCX with python-docx.

What the rendering exercises in the DOCX reader:
- every printed line is one paragraph; `- …` lines and `○`/`ㅇ` sub-headings use real Word
  bullet numbering (the mark lives in numbering.xml, not in the text), nested ` - …` lines
  use the second list level (`SampleReport.word_bullets`; off: the marks are printed text);
  item numerals may be Word list numbering too (`word_item_numbering`);
- tables carry real merges (`cell.merge` → gridSpan / vMerge), ruled with "Table Grid";
  rows never split across pages unless the model allows it (`rows_can_split`); narrow name
  and figure columns make text wrap in the PDF (`col_widths`); portrait or landscape;
- a page footer `- N -` (a PAGE field) on every page, and a running page header
  (`running_header`), which must not become content;
- tables without left and right outer borders (`open_sided`: 004_culture);
- a table pushed down the page (`Transfer.push_pt`) so that it runs over a page break,
  with its header rows repeated (`repeat_header`: 003_transport) or not (the seed's
  three tables each leave their 총 계 row to the next page).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sample_reports import SampleReport, SampleTable, bound_reports, column_widths_cm, margins_cm, package_front, page_cm  # noqa: E402

FONT = "NanumGothic"
BULLET_LINE = re.compile(r"^(?P<indent>\s*)- (?P<rest>.*)$")


# Word list formats for item numerals printed by numbering (`word_item_numbering`): the
# numeral's kind → w:numFmt. Word has no format for the Unicode Roman numerals (Ⅰ, Ⅱ).
ITEM_NUM_FORMATS = {"roman": "upperRoman", "arabic": "decimal", "circled": "decimalEnclosedCircle"}


def numeral_kind(numeral: str) -> str:
    if numeral and "①" <= numeral <= "⑳":  # before isdigit(): Python counts circled digits as digits
        return "circled"
    if numeral.isascii() and numeral.isdigit():
        return "arabic"
    if numeral and set(numeral) <= set("IVX"):
        return "roman"
    return "other"


def _set_fonts(doc, font: str = FONT, size_pt: float = 10) -> None:
    style = doc.styles["Normal"]
    style.font.name = font
    style.font.size = Pt(size_pt)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "ko-KR")
    lang.set(qn("w:eastAsia"), "ko-KR")
    rpr.append(lang)
    pf = style.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(4)
    pf.line_spacing = 1.15


def _level(ilvl: int, fmt: str, text: str, indent: bool) -> OxmlElement:
    lvl = OxmlElement("w:lvl")
    lvl.set(qn("w:ilvl"), str(ilvl))
    for tag, val in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text), ("w:lvlJc", "left")):
        el = OxmlElement(tag)
        el.set(qn("w:val"), val)
        lvl.append(el)
    if indent:
        ppr = OxmlElement("w:pPr")
        ind = OxmlElement("w:ind")
        ind.set(qn("w:left"), str(360 + 360 * ilvl))
        ind.set(qn("w:hanging"), "280")
        ppr.append(ind)
        lvl.append(ppr)
    return lvl


def _add_list(doc, list_id: int, levels: list, multi_level_type=None) -> int:
    """An abstract numbering of these levels (before the template's own, as Word orders
    them) and a w:num using it, both numbered list_id; returns the numId."""
    numbering = doc.part.numbering_part.element
    an = OxmlElement("w:abstractNum")
    an.set(qn("w:abstractNumId"), str(list_id))
    if multi_level_type:
        mlt = OxmlElement("w:multiLevelType")
        mlt.set(qn("w:val"), multi_level_type)
        an.append(mlt)
    for lvl in levels:
        an.append(lvl)
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(an)
    else:
        numbering.append(an)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), str(list_id))
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), str(list_id))
    num.append(ref)
    numbering.append(num)
    return list_id


def _add_numbering(doc) -> dict[str, int]:
    """Bullet lists for `-` (two levels), `○` and `ㅇ`; returns mark → numId."""
    return {
        mark: _add_list(doc, 90 + k, [_level(i, "bullet", mark, indent=True) for i in range(levels)],
                        "hybridMultilevel" if levels > 1 else "singleLevel")
        for k, (mark, levels) in enumerate({"-": 2, "○": 1, "ㅇ": 1}.items())
    }


def _add_item_numbering(doc, report: SampleReport) -> int:
    """One list numbering the items, in the report's numeral style (`1.`, `(1)`, `I.`, `①`);
    returns its numId."""
    kinds = {numeral_kind(t.numeral) for t in report.transfers}
    forms = {t.numeral_form for t in report.transfers}
    if len(kinds) != 1 or len(forms) != 1 or kinds & {"other"} or not all(t.title_inline for t in report.transfers):
        raise ValueError("Word item numbering needs one numeral kind and form, every heading inline")
    return _add_list(doc, 99, [_level(0, ITEM_NUM_FORMATS[kinds.pop()], forms.pop().format("%1"), indent=False)])


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
    m = BULLET_LINE.match(text) if bullets else None
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


def _cell_text(cell, text: str, align, size_pt: float = 9) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = 1.0
    p.alignment = align
    run = p.add_run(text)
    run.font.size = Pt(size_pt)


# Table borders (w:tblBorders) by the model's `rules`, and for `open_sided` tables:
# (side, w:val, w:sz in eighths of a point).
BORDERS = {
    "open_sided": (("top", "single", "12"), ("left", "nil", "0"), ("bottom", "single", "12"), ("right", "nil", "0"),
                   ("insideH", "single", "4"), ("insideV", "single", "4")),
    "horizontal": (("top", "single", "8"), ("left", "nil", "0"), ("bottom", "single", "8"), ("right", "nil", "0"),
                   ("insideH", "single", "4"), ("insideV", "nil", "0")),
    "booktabs": (("top", "single", "12"), ("left", "nil", "0"), ("bottom", "single", "12"), ("right", "nil", "0"),
                 ("insideH", "nil", "0"), ("insideV", "nil", "0")),
}


def _under_header(table, header_rows: int) -> None:
    """booktabs: a rule under the header's last row (the only rule inside the table)."""
    for cell in table.rows[header_rows - 1].cells:
        tcpr = cell._tc.get_or_add_tcPr()
        borders = OxmlElement("w:tcBorders")
        el = OxmlElement("w:bottom")
        for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "0"), ("w:color", "000000")):
            el.set(qn(k), v)
        borders.append(el)
        tcpr.append(borders)


def _cell_padding(table, pad_pt: float) -> None:
    tblpr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(round(pad_pt * 20)))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblpr.append(mar)


def _open_sides(table, kind: str = "open_sided") -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side, val, size in BORDERS[kind]:
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), val)
        if val != "nil":
            el.set(qn("w:sz"), size)
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    tblpr.append(borders)


def _table(doc, t: SampleTable, report: SampleReport) -> None:
    repeat_header, rows_can_split = report.repeat_header, report.rows_can_split
    grid = t.text_grid()
    n_rows, n_cols = len(grid), len(grid[0])
    table = doc.add_table(rows=n_rows, cols=n_cols)
    table.style = doc.styles["Table Grid"]
    if report.rules != "grid":
        _open_sides(table, report.rules)
    elif report.open_sided:
        _open_sides(table)
    if report.cell_pad_pt is not None:
        _cell_padding(table, report.cell_pad_pt)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = column_widths_cm(report, t)
    # python-docx's table.cell(r, c) rebuilds the whole grid of cells at every call, so the
    # grid is taken once per stage (`table._cells`, row-major; what table.cell indexes).
    cells = table._cells
    for c, w in enumerate(widths):
        table.columns[c].width = Cm(w)
        for r in range(n_rows):
            cells[r * n_cols + c].width = Cm(w)
    covered = set()
    for r0, c0, rs, cs in t.merges():
        cells = table._cells
        origin = cells[r0 * n_cols + c0]
        origin.merge(cells[(r0 + rs - 1) * n_cols + c0 + cs - 1])
        covered.update((r, c) for r in range(r0, r0 + rs) for c in range(c0, c0 + cs) if (r, c) != (r0, c0))
    header_rows = len(t.header)
    cells = table._cells
    for r in range(n_rows):
        for c in range(n_cols):
            if (r, c) in covered or not grid[r][c]:
                continue
            figure = c >= t.text_columns and r >= header_rows
            _cell_text(cells[r * n_cols + c], grid[r][c], WD_ALIGN_PARAGRAPH.RIGHT if figure else WD_ALIGN_PARAGRAPH.CENTER, report.cell_pt)
    if report.rules == "booktabs":
        _under_header(table, header_rows)
    for r, row in enumerate(table.rows):
        if r < header_rows and header_rows > 1:
            # Tall enough for a header cell merged over the rows to fit without growing
            # them: LibreOffice draws a *repeated* header at its rows' own height, and
            # text of a taller merged cell would spill into the first body row.
            row.height = Pt(t.header_row_pt or 17)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        elif r >= header_rows and report.row_pt:
            row.height = Pt(report.row_pt)
            row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        trpr = row._tr.get_or_add_trPr()
        if not rows_can_split:
            trpr.append(OxmlElement("w:cantSplit"))
        if repeat_header and r < header_rows:
            trpr.append(OxmlElement("w:tblHeader"))


def build_docx(report: SampleReport):
    doc = Document()
    _set_fonts(doc, report.font, report.body_pt)
    section = doc.sections[0]
    width, height = page_cm(report)
    section.page_width, section.page_height = Cm(width), Cm(height)
    if report.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
    top, right, bottom, left = margins_cm(report)
    section.left_margin, section.right_margin = Cm(left), Cm(right)
    section.top_margin, section.bottom_margin = Cm(top), Cm(bottom)
    _footer(section)
    if report.running_header:
        hp = section.header.paragraphs[0]
        hp.text = report.running_header
        hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    bullets = _add_numbering(doc) if report.word_bullets else {}
    _cover(doc, report)
    for k, one in enumerate(bound_reports(report)):
        if k or report.cover:
            doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)  # each bound report begins a page
        _report_body(doc, one, report, bullets)
    return doc


def _cover(doc, report: SampleReport) -> None:
    """A package's cover page (its lines centred, large) and table of contents on a page of
    its own, before the first report."""
    front = package_front(report)
    n_cover = len(report.cover or ())
    for k, line in enumerate(front):
        if k == n_cover:
            doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)
        p = doc.add_paragraph(line)
        if k < n_cover or k == n_cover:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if k < n_cover:
            for run in p.runs:
                run.font.size = Pt(16)
                run.bold = True


def _report_body(doc, report: SampleReport, layout: SampleReport, bullets: dict) -> None:
    """One report's blocks; `layout`: the report whose page and table layout the file uses."""
    item_list = _add_item_numbering(doc, report) if report.word_item_numbering else None
    for printed in report.printed():
        block = printed.block
        if printed.role == "table":
            _table(doc, block, layout)
            doc.add_paragraph()  # a table must be followed by a paragraph in Word
            continue
        if printed.role == "heading" and item_list is not None:
            p = doc.add_paragraph(report.transfers[printed.transfer].title)
            _number(p, item_list, 0)
            continue
        t = report.transfers[printed.transfer] if printed.transfer is not None else None
        # The table is pushed down by space above its unit line (or its heading, when the unit is printed only in the table).
        before = t.push_pt if t is not None and t.pushes(printed.role) else 0
        p = _paragraph(doc, block, bullets, report.bullet, before)
        if printed.role == "unit" and layout.unit_align == "right":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if printed.role == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for run in p.runs:
                run.font.size = Pt(15)
                run.bold = True


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

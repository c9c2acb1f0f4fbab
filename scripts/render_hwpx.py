#!/usr/bin/env python3
"""Render a sample report (scripts/sample_reports.py) as HWPX, the OWPML package Hancom
Office writes (KS X 6101).

The package follows the published structure: `mimetype` (`application/hwp+zip`) stored
uncompressed as the first member, `version.xml`, `META-INF/container.xml` and
`META-INF/manifest.xml`, the OPF manifest `Contents/content.hpf`, the document header
`Contents/header.xml` (fonts, character/paragraph shapes, border fills, styles) and the body
`Contents/section0.xml`, plus `settings.xml`.

Each printed paragraph is one `hp:p`; each table is an `hp:tbl` anchored in its own
paragraph, with real merged cells: a merged cell is written once, at its origin, with
`hp:cellAddr` and `hp:cellSpan`, and the positions it covers are left out of their rows, as
Hancom does. Every report gets a page header (its title) and a page footer (page number and
office), and a transfer whose model says so (`Transfer.lead_footnote`: the transport
sample) a footnote, so that the reader is shown to skip them. Landscape pages and the
model's column widths (`SampleReport.landscape`, `col_widths`) are written as Hancom would.

Used by make_samples.py (`--only hwpx`); deterministic (fixed timestamps, no ids from the
clock), so re-rendering gives identical bytes.
"""
from __future__ import annotations

import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from sample_reports import SampleReport, SampleTable  # noqa: E402

NS = {
    "ha": "http://www.hancom.co.kr/hwpml/2011/app",
    "hp": "http://www.hancom.co.kr/hwpml/2011/paragraph",
    "hp10": "http://www.hancom.co.kr/hwpml/2016/paragraph",
    "hs": "http://www.hancom.co.kr/hwpml/2011/section",
    "hc": "http://www.hancom.co.kr/hwpml/2011/core",
    "hh": "http://www.hancom.co.kr/hwpml/2011/head",
    "hhs": "http://www.hancom.co.kr/hwpml/2011/history",
    "hm": "http://www.hancom.co.kr/hwpml/2011/master-page",
    "hpf": "http://www.hancom.co.kr/schema/2011/hpf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "opf": "http://www.idpf.org/2007/opf/",
    "ooxmlchart": "http://www.hancom.co.kr/hwpml/2016/ooxmlchart",
    "hwpunitchar": "http://www.hancom.co.kr/hwpml/2016/HwpUnitChar",
    "epub": "http://www.idpf.org/2007/ops",
    "config": "urn:oasis:names:tc:opendocument:xmlns:config:1.0",
}
XMLNS = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>'
FIXED_TIME = (2024, 1, 1, 0, 0, 0)

# A4 portrait in HWPUNIT (1/7200 inch): 210 × 297 mm, 30 mm left/right margins.
PAGE_W, PAGE_H = 59528, 84186
MARGIN_LR = 8504
TEXT_W = PAGE_W - 2 * MARGIN_LR  # 42520
ROW_H = 1800

# charPr ids: 0 body, 1 bold (headings), 2 table text (smaller)
# paraPr ids: 0 body (justify), 1 centred (title, table cells)
# borderFill ids: 1 none, 2 solid thin lines (table cells)


# ---------------------------------------------------------------- static parts
def version_xml() -> str:
    return (
        DECL + '<hv:HCFVersion xmlns:hv="http://www.hancom.co.kr/hwpml/2011/version" tagetApplication="WORDPROCESSOR" '
        'major="5" minor="1" micro="1" buildNumber="0" os="1" xmlVersion="1.5" application="jeonyong render_hwpx" appVersion="1.0"/>'
    )


def container_xml() -> str:
    return (
        DECL + '<ocf:container xmlns:ocf="urn:oasis:names:tc:opendocument:xmlns:container" '
        'xmlns:hpf="http://www.hancom.co.kr/schema/2011/hpf"><ocf:rootfiles>'
        '<ocf:rootfile full-path="Contents/content.hpf" media-type="application/hwpml-package+xml"/>'
        "</ocf:rootfiles></ocf:container>"
    )


def manifest_xml() -> str:
    return DECL + '<odf:manifest xmlns:odf="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'


def settings_xml() -> str:
    return (
        DECL + f'<ha:HWPApplicationSetting xmlns:ha="{NS["ha"]}" xmlns:config="{NS["config"]}">'
        '<ha:CaretPosition listIDRef="0" paraIDRef="0" pos="0"/></ha:HWPApplicationSetting>'
    )


def content_hpf(report: SampleReport) -> str:
    return (
        DECL + f'<opf:package {XMLNS} version="" unique-identifier="" id="">'
        f"<opf:metadata><opf:title>{escape(report.title)}</opf:title><opf:language>ko</opf:language>"
        '<opf:meta name="creator" content="text">jeonyong sample</opf:meta>'
        '<opf:meta name="CreatedDate" content="text">2024-01-01T00:00:00Z</opf:meta>'
        '<opf:meta name="ModifiedDate" content="text">2024-01-01T00:00:00Z</opf:meta>'
        "</opf:metadata><opf:manifest>"
        '<opf:item id="header" href="Contents/header.xml" media-type="application/xml"/>'
        '<opf:item id="section0" href="Contents/section0.xml" media-type="application/xml"/>'
        '<opf:item id="settings" href="settings.xml" media-type="application/xml"/>'
        '</opf:manifest><opf:spine><opf:itemref idref="header" linear="yes"/>'
        '<opf:itemref idref="section0" linear="yes"/></opf:spine></opf:package>'
    )


_LANGS = ("HANGUL", "LATIN", "HANJA", "JAPANESE", "OTHER", "SYMBOL", "USER")
_LANG_ATTRS = ("hangul", "latin", "hanja", "japanese", "other", "symbol", "user")


def _per_lang(name: str, value: str) -> str:
    return f"<hh:{name} " + " ".join(f'{a}="{value}"' for a in _LANG_ATTRS) + "/>"


def _border_fill(id_: int, line: str) -> str:
    width = "0.12 mm"
    sides = "".join(f'<hh:{s} type="{line}" width="{width}" color="#000000"/>' for s in ("leftBorder", "rightBorder", "topBorder", "bottomBorder"))
    return (
        f'<hh:borderFill id="{id_}" threeD="0" shadow="0" centerLine="NONE" breakCellSeparateLine="0">'
        '<hh:slash type="NONE" Crooked="0" isCounter="0"/><hh:backSlash type="NONE" Crooked="0" isCounter="0"/>'
        f'{sides}<hh:diagonal type="SOLID" width="0.1 mm" color="#000000"/></hh:borderFill>'
    )


def _char_pr(id_: int, height: int, bold: bool) -> str:
    return (
        f'<hh:charPr id="{id_}" height="{height}" textColor="#000000" shadeColor="none" useFontSpace="0" '
        f'useKerning="0" symMark="NONE" borderFillIDRef="1">'
        + _per_lang("fontRef", "0") + _per_lang("ratio", "100") + _per_lang("spacing", "0")
        + _per_lang("relSz", "100") + _per_lang("offset", "0")
        + ("<hh:bold/>" if bold else "")
        + '<hh:underline type="NONE" shape="SOLID" color="#000000"/><hh:strikeout shape="NONE" color="#000000"/>'
        '<hh:outline type="NONE"/><hh:shadow type="NONE" color="#C0C0C0" offsetX="10" offsetY="10"/></hh:charPr>'
    )


def _para_pr(id_: int, align: str) -> str:
    return (
        f'<hh:paraPr id="{id_}" tabPrIDRef="0" condense="0" fontLineHeight="0" snapToGrid="1" '
        'suppressLineNumbers="0" checked="0">'
        f'<hh:align horizontal="{align}" vertical="BASELINE"/><hh:heading type="NONE" idRef="0" level="0"/>'
        '<hh:breakSetting breakLatinWord="KEEP_WORD" breakNonLatinWord="KEEP_WORD" widowOrphan="0" keepWithNext="0" '
        'keepLines="0" pageBreakBefore="0" lineWrap="BREAK"/><hh:autoSpacing eAsianEng="0" eAsianNum="0"/>'
        '<hh:margin><hc:intent value="0" unit="HWPUNIT"/><hc:left value="0" unit="HWPUNIT"/>'
        '<hc:right value="0" unit="HWPUNIT"/><hc:prev value="0" unit="HWPUNIT"/><hc:next value="0" unit="HWPUNIT"/></hh:margin>'
        '<hh:lineSpacing type="PERCENT" value="160" unit="HWPUNIT"/>'
        '<hh:border borderFillIDRef="1" offsetLeft="0" offsetRight="0" offsetTop="0" offsetBottom="0" connect="0" ignoreMargin="0"/>'
        "</hh:paraPr>"
    )


def header_xml() -> str:
    fonts = "".join(
        f'<hh:fontface lang="{lang}" fontCnt="1"><hh:font id="0" face="함초롬바탕" type="TTF" isEmbedded="0">'
        '<hh:typeInfo familyType="FCAT_GOTHIC" weight="6" proportion="4" contrast="0" strokeVariation="1" '
        'armStyle="1" letterform="1" midline="1" xHeight="1"/></hh:font></hh:fontface>'
        for lang in _LANGS
    )
    return (
        DECL + f'<hh:head {XMLNS} version="1.5" secCnt="1">'
        '<hh:beginNum page="1" footnote="1" endnote="1" pic="1" tbl="1" equation="1"/>'
        f'<hh:refList><hh:fontfaces itemCnt="{len(_LANGS)}">{fonts}</hh:fontfaces>'
        f'<hh:borderFills itemCnt="2">{_border_fill(1, "NONE")}{_border_fill(2, "SOLID")}</hh:borderFills>'
        f'<hh:charProperties itemCnt="3">{_char_pr(0, 1100, False)}{_char_pr(1, 1300, True)}{_char_pr(2, 900, False)}</hh:charProperties>'
        '<hh:tabProperties itemCnt="1"><hh:tabPr id="0" autoTabLeft="0" autoTabRight="0"/></hh:tabProperties>'
        f'<hh:paraProperties itemCnt="2">{_para_pr(0, "JUSTIFY")}{_para_pr(1, "CENTER")}</hh:paraProperties>'
        '<hh:styles itemCnt="1"><hh:style id="0" type="PARA" name="바탕글" engName="Normal" paraPrIDRef="0" '
        'charPrIDRef="0" nextStyleIDRef="0" langID="1042" lockForm="0"/></hh:styles>'
        "</hh:refList>"
        '<hh:compatibleDocument targetProgram="HWP201X"><hh:layoutCompatibility/></hh:compatibleDocument>'
        '<hh:docOption><hh:linkinfo path="" pageInherit="0" footnoteInherit="0"/></hh:docOption>'
        "</hh:head>"
    )


# ---------------------------------------------------------------- body
class _Ids:
    def __init__(self):
        self.n = 0

    def next(self) -> int:
        self.n += 1
        return self.n


def _run(text: str, char: int = 0) -> str:
    return f'<hp:run charPrIDRef="{char}"><hp:t>{escape(text)}</hp:t></hp:run>'


def _p(ids: _Ids, inner: str, para: int = 0) -> str:
    return (
        f'<hp:p id="{ids.next()}" paraPrIDRef="{para}" styleIDRef="0" pageBreak="0" columnBreak="0" merged="0">'
        f"{inner}</hp:p>"
    )


def _sublist(ids: _Ids, paragraphs: str, vert: str = "TOP") -> str:
    return (
        f'<hp:subList id="" textDirection="HORIZONTAL" lineWrap="BREAK" vertAlign="{vert}" linkListIDRef="0" '
        f'linkListNextIDRef="0" textWidth="0" textHeight="0" hasTextRef="0" hasNumRef="0">{paragraphs}</hp:subList>'
    )


def _page(report: SampleReport) -> tuple[int, int]:
    """(width, height) of the page in HWPUNIT."""
    return (PAGE_H, PAGE_W) if report.landscape else (PAGE_W, PAGE_H)


def _sec_pr(report: SampleReport) -> str:
    width, height = _page(report)
    return (
        '<hp:secPr id="" textDirection="HORIZONTAL" spaceColumns="1134" tabStop="8000" tabStopVal="4000" '
        'tabStopUnit="HWPUNIT" outlineShapeIDRef="0" memoShapeIDRef="0" textVerticalWidthHead="0" masterPageCnt="0">'
        '<hp:grid lineGrid="0" charGrid="0" wonggojiFormat="0"/>'
        '<hp:startNum pageStartsOn="BOTH" page="0" pic="0" tbl="0" equation="0"/>'
        '<hp:visibility hideFirstHeader="0" hideFirstFooter="0" hideFirstMasterPage="0" border="SHOW_ALL" '
        'fill="SHOW_ALL" hideFirstPageNum="0" hideFirstEmptyLine="0" showLineNumber="0"/>'
        '<hp:lineNumberShape restartType="0" countBy="0" distance="0" startNumber="0"/>'
        f'<hp:pagePr landscape="{"NARROWLY" if report.landscape else "WIDELY"}" width="{width}" height="{height}" gutterType="LEFT_ONLY">'
        f'<hp:margin header="4252" footer="4252" gutter="0" left="{MARGIN_LR}" right="{MARGIN_LR}" top="5668" bottom="4252"/></hp:pagePr>'
        '<hp:footNotePr><hp:autoNumFormat type="DIGIT" userChar="" prefixChar="" suffixChar=")" supscript="0"/>'
        '<hp:noteLine length="-1" type="SOLID" width="0.12 mm" color="#000000"/>'
        '<hp:noteSpacing betweenNotes="283" belowLine="567" aboveLine="850"/>'
        '<hp:numbering type="CONTINUOUS" newNum="1"/><hp:placement place="EACH_COLUMN" beneathText="0"/></hp:footNotePr>'
        '<hp:endNotePr><hp:autoNumFormat type="DIGIT" userChar="" prefixChar="" suffixChar=")" supscript="0"/>'
        '<hp:noteLine length="14692344" type="SOLID" width="0.12 mm" color="#000000"/>'
        '<hp:noteSpacing betweenNotes="0" belowLine="567" aboveLine="850"/>'
        '<hp:numbering type="CONTINUOUS" newNum="1"/><hp:placement place="END_OF_DOCUMENT" beneathText="0"/></hp:endNotePr>'
        '<hp:pageBorderFill type="BOTH" borderFillIDRef="1" textBorder="PAPER" headerInside="0" footerInside="0" fillArea="PAPER">'
        '<hp:offset left="1417" right="1417" top="1417" bottom="1417"/></hp:pageBorderFill>'
        "</hp:secPr>"
    )


def _col_pr() -> str:
    return '<hp:ctrl><hp:colPr id="" type="NEWSPAPER" layout="LEFT" colCount="1" sameSz="1" sameGap="0"/></hp:ctrl>'


def _page_header(ids: _Ids, report: SampleReport) -> str:
    inner = _p(ids, _run(report.title, 2), 1)
    return (
        f'<hp:ctrl><hp:header id="{ids.next()}" applyPageType="BOTH">'
        f"{_sublist(ids, inner)}</hp:header></hp:ctrl>"
    )


def _page_footer(ids: _Ids, report: SampleReport) -> str:
    page_no = (
        '<hp:run charPrIDRef="2"><hp:t>- </hp:t><hp:ctrl><hp:autoNum num="1" numType="PAGE">'
        '<hp:autoNumFormat type="DIGIT" userChar="" prefixChar="" suffixChar="" supscript="0"/></hp:autoNum></hp:ctrl>'
        f"<hp:t> -  {escape(report.office)} 예산 전용 보고</hp:t></hp:run>"
    )
    return (
        f'<hp:ctrl><hp:footer id="{ids.next()}" applyPageType="BOTH">'
        f"{_sublist(ids, _p(ids, page_no, 1))}</hp:footer></hp:ctrl>"
    )


def _footnote(ids: _Ids, text: str) -> str:
    inner = _p(ids, _run(text, 2))
    return f'<hp:ctrl><hp:footNote number="1" suffixChar="41" instId="{ids.next()}">{_sublist(ids, inner)}</hp:footNote></hp:ctrl>'


def _col_widths(n: int, report: SampleReport) -> list[int]:
    text_w = _page(report)[0] - 2 * MARGIN_LR
    if report.col_widths is not None:
        total = sum(report.col_widths)
        w = [round(text_w * cm / total) for cm in report.col_widths]
        w[-1] += text_w - sum(w)
    elif n == 9:
        w = [5000, 5000, 5000, 5500, 5500, 4200, 3800, 3800, 4720]
    else:
        w = [text_w // n] * n
        w[-1] += text_w - sum(w)
    return w


def _table(ids: _Ids, t: SampleTable, report: SampleReport) -> str:
    grid = t.text_grid()
    n_rows, n_cols = len(grid), len(grid[0])
    span = {}  # origin → (rowspan, colspan)
    covered = set()
    for r0, c0, rs, cs in t.merges():
        span[(r0, c0)] = (rs, cs)
        for r in range(r0, r0 + rs):
            for c in range(c0, c0 + cs):
                if (r, c) != (r0, c0):
                    covered.add((r, c))
    widths = _col_widths(n_cols, report)
    header_rows = len(t.header)
    rows = []
    for r in range(n_rows):
        cells = []
        for c in range(n_cols):
            if (r, c) in covered:
                continue
            rs, cs = span.get((r, c), (1, 1))
            text = grid[r][c]
            numeric = c >= t.text_columns and r >= header_rows
            para = 0 if numeric else 1
            inner = _p(ids, _run(text, 2) if text else '<hp:run charPrIDRef="2"/>', para)
            cells.append(
                f'<hp:tc name="" header="{1 if r < header_rows else 0}" hasMargin="0" protect="0" editable="0" dirty="0" borderFillIDRef="2">'
                f"{_sublist(ids, inner, 'CENTER')}"
                f'<hp:cellAddr colAddr="{c}" rowAddr="{r}"/><hp:cellSpan colSpan="{cs}" rowSpan="{rs}"/>'
                f'<hp:cellSz width="{sum(widths[c:c + cs])}" height="{ROW_H * rs}"/>'
                '<hp:cellMargin left="141" right="141" top="141" bottom="141"/></hp:tc>'
            )
        rows.append("<hp:tr>" + "".join(cells) + "</hp:tr>")
    tbl = (
        f'<hp:tbl id="{ids.next()}" zOrder="0" numberingType="TABLE" textWrap="TOP_AND_BOTTOM" textFlow="BOTH_SIDES" '
        f'lock="0" dropcapstyle="None" pageBreak="CELL" repeatHeader="1" rowCnt="{n_rows}" colCnt="{n_cols}" '
        'cellSpacing="0" borderFillIDRef="2" noAdjust="0">'
        f'<hp:sz width="{sum(widths)}" widthRelTo="ABSOLUTE" height="{ROW_H * n_rows}" heightRelTo="ABSOLUTE" protect="0"/>'
        '<hp:pos treatAsChar="1" affectLSpacing="0" flowWithText="1" allowOverlap="0" holdAnchorAndSO="0" '
        'vertRelTo="PARA" horzRelTo="COLUMN" vertAlign="TOP" horzAlign="LEFT" vertOffset="0" horzOffset="0"/>'
        '<hp:outMargin left="0" right="0" top="0" bottom="0"/><hp:inMargin left="141" right="141" top="141" bottom="141"/>'
        + "".join(rows) + "</hp:tbl>"
    )
    return _p(ids, f'<hp:run charPrIDRef="0">{tbl}<hp:t/></hp:run>')


def section_xml(report: SampleReport) -> str:
    ids = _Ids()
    out = []
    for k, printed in enumerate(report.printed()):
        block = printed.block
        if printed.role == "table":
            out.append(_table(ids, block, report))
            continue
        char = 1 if k == 0 or block.startswith(("□", "Ⅰ", "Ⅱ", "Ⅲ")) else 0
        para = 1 if k == 0 else 0
        if k == 0:
            # The first paragraph carries the section's page setup, columns, page header
            # and page footer, as in every file Hancom writes.
            first = (
                f'<hp:run charPrIDRef="{char}">{_sec_pr(report)}{_col_pr()}{_page_header(ids, report)}'
                f"{_page_footer(ids, report)}</hp:run>" + _run(block, char)
            )
            out.append(_p(ids, first, para))
            continue
        t = report.transfers[printed.transfer] if printed.transfer is not None else None
        if printed.role == "lead" and t.lead_footnote and block is t.lead[0]:
            # A footnote on the first lead paragraph: its marker is no printed text and
            # its body is no content.
            out.append(_p(ids, _run(block, char) + f'<hp:run charPrIDRef="{char}">{_footnote(ids, t.lead_footnote)}</hp:run>', para))
            continue
        out.append(_p(ids, _run(block, char), para))
    return DECL + f"<hs:sec {XMLNS}>" + "".join(out) + "</hs:sec>"


# ---------------------------------------------------------------- package
def hwpx_bytes(report: SampleReport) -> bytes:
    import io

    parts = [
        ("version.xml", version_xml()),
        ("META-INF/container.xml", container_xml()),
        ("META-INF/manifest.xml", manifest_xml()),
        ("Contents/content.hpf", content_hpf(report)),
        ("Contents/header.xml", header_xml()),
        ("Contents/section0.xml", section_xml(report)),
        ("settings.xml", settings_xml()),
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("mimetype", FIXED_TIME)
        info.compress_type = zipfile.ZIP_STORED
        zf.writestr(info, "application/hwp+zip")
        for name, text in parts:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


def write_hwpx(report: SampleReport, out_dir: Path) -> Path:
    target = Path(out_dir) / f"{report.name}.hwpx"
    target.write_bytes(hwpx_bytes(report))
    return target


if __name__ == "__main__":
    from sample_reports import all_samples

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent / "samples"
    for rep in all_samples():
        print(write_hwpx(rep, out))

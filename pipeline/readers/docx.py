"""DOCX reports → the same blocks as the text reader.

Every part of the package is first inflated through `SafeZip`'s counters (a zip bomb stops
at the limit) and XML parts declaring a DTD are refused; only then does python-docx open
the package and resolve its parts (document, styles, numbering), with its own parser
(entities not resolved) and libxml2's depth cap, and the depth limit is checked again.
python-docx's object API repeats a merged cell at every position it covers and drops
`vMerge` continuity, so the body is walked on python-docx's underlying lxml elements:

- a paragraph (`w:p`) is one Paragraph (a `w:br` line break splits it into several, as
  the text rendering prints them on separate lines). Word numbering is printed the way a
  text export prints it: a bullet level's mark (`-`, `○`, `ㅇ`, …) or a counter
  (`1.`, `Ⅱ`, `가.`) followed by one space, then the text;
- a table (`w:tbl`) is one Table whose grid follows `w:tblGrid`: a cell spanning columns
  (`w:gridSpan`, legacy `w:hMerge`) or continuing a vertical merge (`w:vMerge`) puts its
  text at the merge origin and `Cell(text="", merged=True)` at every covered position;
  `w:gridBefore`/`w:gridAfter` leave empty positions. The text of a table nested in a cell
  joins that cell's text (row by row, cells separated by a space);
- text boxes anchored in a paragraph come before that paragraph's own text; content
  controls (`w:sdt`) are read through; deleted revisions, hidden runs (`w:vanish`),
  field instructions and the fallback copy of alternate content are not text.
Headers and footers live in their own parts and are never read.

Locations: `paragraph` = 1-based index of the body paragraph (python-docx's
`Document.paragraphs[i - 1]`), `cell` = (table, row, column), 1-based, tables numbered in
body order.
"""
from __future__ import annotations

import io
import zipfile
import unicodedata

import docx
import regex as re
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from lxml import etree

from ..errors import InputError
from ..ir import Block, Cell, Loc, Paragraph, Table
from ..limits import Limits
from .safezip import SafeZip, check_depth

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, TBL, TR, TC, SDT, SDT_CONTENT = _w("p"), _w("tbl"), _w("tr"), _w("tc"), _w("sdt"), _w("sdtContent")
T, TAB, BR, CR, DEL, INSTR, TXBX = _w("t"), _w("tab"), _w("br"), _w("cr"), _w("del"), _w("instrText"), _w("txbxContent")
FALLBACK = f"{{{MC}}}Fallback"
VAL = _w("val")
_WS = re.compile(r"[ \t\u00a0\u3000\r\n]+")
# Inline containers whose runs are text of the paragraph.
_INLINE = {_w(t) for t in ("r", "hyperlink", "ins", "smartTag", "customXml", "fldSimple", "sdt", "sdtContent", "moveTo", "dir", "bdo")}


def read_docx(data: bytes, limits: Limits) -> list[Block]:
    # Every part is inflated once through SafeZip's counters (a zip bomb stops at the limit)
    # and XML parts with a DTD are refused, before python-docx inflates and parses anything.
    z = SafeZip(data, limits, "DOCX")
    try:
        z.check_all()
    finally:
        z.close()
    try:
        document = docx.Document(io.BytesIO(data))
        # Parts the body refers to, when the package has them (python-docx's own accessors
        # would make a missing numbering part, and fail).
        styles = _related_element(document.part, RT.STYLES)
        numbering = _related_element(document.part, RT.NUMBERING)
    # AttributeError: python-docx meets a part whose XML root is not the element it expects
    except (KeyError, ValueError, TypeError, AttributeError, zipfile.BadZipFile, etree.XMLSyntaxError,
            PackageNotFoundError) as e:
        msg = getattr(e, "msg", None) or str(e) or type(e).__name__
        if "Excessive depth" in msg:
            raise InputError(f"DOCX XML nested more than {limits.max_xml_depth} levels deep") from None
        raise InputError(f"damaged DOCX ({msg.splitlines()[0][:120]})") from None
    root = document.element
    check_depth(root, limits.max_xml_depth, "DOCX document.xml")
    body = root.find(_w("body"))
    if body is None:
        raise InputError("DOCX without a document body")
    walker = _Walker(limits, _Numbering(numbering, styles))
    walker.body(body)
    return walker.blocks


def _related_element(part, reltype: str):
    """The XML root of the part `part` relates to by `reltype`, or None without one."""
    try:
        related = part.part_related_by(reltype)
    except KeyError:
        return None
    element = getattr(related, "element", None)  # a part of an unexpected content type has none
    return element if isinstance(element, etree._Element) else None


# ---------------------------------------------------------------- numbering
_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
_GANADA = "가나다라마바사아자차카타파하"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _roman(n: int) -> str:
    out = ""
    for v, s in _ROMAN:
        while n >= v:
            out += s
            n -= v
    return out


def _format(n: int, fmt: str) -> str:
    if fmt in ("upperRoman",):
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt in ("ganada", "koreanDigital"):
        return _GANADA[(n - 1) % len(_GANADA)] if fmt == "ganada" else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "none":
        return ""
    return str(n)


class _Numbering:
    """Word list numbering: numId → levels (format, text, start), counted in body order."""

    def __init__(self, numbering, styles):
        self.abstract: dict[str, dict] = {}
        self.nums: dict[str, tuple[str, dict]] = {}
        self.counters: dict[str, list[int]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        if numbering is not None:
            for an in numbering.iter(_w("abstractNum")):
                self.abstract[an.get(_w("abstractNumId"))] = {lvl.get(_w("ilvl"), "0"): _level(lvl) for lvl in an.iter(_w("lvl"))}
            for num in numbering.iter(_w("num")):
                ref = num.find(_w("abstractNumId"))
                overrides = {}
                for ov in num.iter(_w("lvlOverride")):
                    lvl = ov.find(_w("lvl"))
                    start = ov.find(_w("startOverride"))
                    if lvl is not None:
                        overrides[ov.get(_w("ilvl"), "0")] = _level(lvl)
                    elif start is not None:
                        overrides[ov.get(_w("ilvl"), "0")] = ("start", _int_attr(start, 1))
                if ref is not None:
                    self.nums[num.get(_w("numId"))] = (ref.get(VAL), overrides)
        if styles is not None:
            based: dict[str, str] = {}
            own: dict[str, tuple[str, int]] = {}
            for st in styles.iter(_w("style")):
                sid = st.get(_w("styleId"))
                b = st.find(_w("basedOn"))
                if b is not None:
                    based[sid] = b.get(VAL)
                numpr = st.find(f"{_w('pPr')}/{_w('numPr')}")
                if numpr is not None:
                    nid = numpr.find(_w("numId"))
                    ilvl = numpr.find(_w("ilvl"))
                    if nid is not None:
                        own[sid] = (nid.get(VAL), _int_attr(ilvl, 0))
            for sid in set(based) | set(own):
                cur, seen = sid, set()
                while cur and cur not in own and cur not in seen:
                    seen.add(cur)
                    cur = based.get(cur)
                if cur in own:
                    self.style_num[sid] = own[cur]

    def label(self, ppr) -> str:
        """The printed mark of a paragraph ('' when it is not numbered)."""
        num_id, ilvl = None, 0
        if ppr is not None:
            numpr = ppr.find(_w("numPr"))
            style = ppr.find(_w("pStyle"))
            if numpr is not None:
                nid = numpr.find(_w("numId"))
                lv = numpr.find(_w("ilvl"))
                num_id = nid.get(VAL) if nid is not None else None
                ilvl = _int_attr(lv, 0)
            elif style is not None and style.get(VAL) in self.style_num:
                num_id, ilvl = self.style_num[style.get(VAL)]
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        level = levels.get(str(ilvl))
        ov = overrides.get(str(ilvl))
        if isinstance(ov, tuple) and ov and ov[0] != "start":
            level = ov
        if level is None:
            return ""
        fmt, text, start = level
        if isinstance(ov, tuple) and ov[0] == "start":
            start = ov[1]
        if fmt == "bullet":
            return text.strip()
        counts = self.counters.setdefault(num_id, [0] * 9)
        if ilvl > 8:
            return ""
        if counts[ilvl] == 0:
            counts[ilvl] = start - 1
        counts[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = 0

        def sub(m):
            k = int(m.group(1)) - 1
            lv = levels.get(str(k))
            n = counts[k] if counts[k] else (lv[2] if lv else 1)
            return _format(n, lv[0] if lv else "decimal")

        return re.sub(r"%([1-9])", sub, text or "").strip()


def _level(lvl) -> tuple[str, str, int]:
    fmt = lvl.find(_w("numFmt"))
    text = lvl.find(_w("lvlText"))
    start = lvl.find(_w("start"))
    fonts = lvl.find(f"{_w('rPr')}/{_w('rFonts')}")
    n = _int_attr(start, 1)
    kind = fmt.get(VAL, "decimal") if fmt is not None else "decimal"
    label = text.get(VAL, "") if text is not None else ""
    if kind == "bullet":
        label = _bullet(label, fonts.get(_w("ascii"), "") if fonts is not None else "")
    return (kind, label, n)


# Bullets drawn from a symbol font are stored as a byte of that font (often shifted into
# the private-use area, U+F0xx); this is what they print as. LibreOffice, for one, saves
# `○` as Wingdings 2 0x81 and `•` as Symbol 0xB7.
_SYMBOL_FONTS = {
    "symbol": {0xB7: "•", 0x2D: "-", 0xAE: "→", 0xDE: "⇒", 0xA8: "♦", 0xF0: "□"},
    "wingdings": {0x6C: "●", 0x6E: "■", 0x6F: "□", 0x71: "❑", 0x77: "◆", 0x76: "❖", 0x9F: "•", 0xA1: "○", 0xA7: "▪", 0xA8: "◻", 0xD8: "➢", 0xE0: "⇒", 0xE8: "➔", 0xFC: "✓"},
    "wingdings 2": {0x81: "○", 0x97: "●", 0x98: "●", 0x99: "○", 0xA2: "□", 0xA3: "■"},
    "wingdings 3": {0x7D: "▶", 0x84: "►", 0x86: "▷", 0xE8: "➡"},
}


def _bullet(text: str, font: str = "") -> str:
    table = _SYMBOL_FONTS.get(font.strip().lower(), {})
    out = []
    for ch in (text or "").strip():
        code = ord(ch)
        byte = code - 0xF000 if 0xF000 <= code <= 0xF0FF else code
        if byte in table:
            out.append(table[byte])
        elif 0xE000 <= code <= 0xF8FF:
            out.append("•")  # a private-use glyph we cannot name: print it as a bullet
        else:
            out.append(ch)
    return "".join(out)


# ---------------------------------------------------------------- body
class _Walker:
    def __init__(self, limits: Limits, numbering: _Numbering):
        self.limits = limits
        self.numbering = numbering
        self.blocks: list[Block] = []
        self.n_paragraphs = 0
        self.n_tables = 0
        self.n_cells = 0

    def body(self, el) -> None:
        for child in el:
            tag = child.tag
            if tag == P:
                self.n_paragraphs += 1
                self.paragraph(child, self.n_paragraphs)
            elif tag == TBL:
                self.table(child)
            elif tag in (SDT, SDT_CONTENT) or tag == _w("customXml"):
                inner = child.find(SDT_CONTENT) if tag == SDT else child
                if inner is not None:
                    self.body(inner)

    def paragraph(self, p, index: int) -> None:
        loc = Loc(paragraph=index)
        for box in _text_boxes(p):
            for bp in box.iter(P):
                text = _clean("".join(_runs_text(bp)))
                if text:
                    self.blocks.append(Paragraph(text, loc))
        label = self.numbering.label(p.find(_w("pPr")))
        lines = "".join(_runs_text(p)).split("\n")
        first = True
        for line in lines:
            text = _clean(line)
            if first and label and text:
                text = f"{label} {text}"
            if text:
                self.blocks.append(Paragraph(text, loc))
                first = False

    def table(self, tbl) -> None:
        self.n_tables += 1
        t_no = self.n_tables
        grid_cols = len(tbl.findall(f"{_w('tblGrid')}/{_w('gridCol')}"))
        raw_rows = []  # per row: list of (col, span, vmerge, text)
        width = grid_cols
        for tr in _through_controls(tbl, TR):
            trpr = tr.find(_w("trPr"))
            col = _int_val(trpr, "gridBefore") if trpr is not None else 0
            cells = []
            h_continue = False
            for tc in _through_controls(tr, TC):
                tcpr = tc.find(_w("tcPr"))
                span = max(_int_val(tcpr, "gridSpan") or 1, 1) if tcpr is not None else 1
                vm = tcpr.find(_w("vMerge")) if tcpr is not None else None
                vmerge = None if vm is None else ("restart" if vm.get(VAL) == "restart" else "continue")
                hm = tcpr.find(_w("hMerge")) if tcpr is not None else None
                h_continue = hm is not None and hm.get(VAL) != "restart"
                cells.append((col, span, vmerge, _cell_text(tc), h_continue))
                col += span
            width = max(width, col + (_int_val(trpr, "gridAfter") if trpr is not None else 0))
            raw_rows.append(cells)
        self.n_cells += width * len(raw_rows)
        if self.n_cells > self.limits.max_table_cells:
            raise InputError(f"more than {self.limits.max_table_cells:,} table cells; not a report")
        rows: list[list[Cell]] = []
        for r, cells in enumerate(raw_rows, start=1):
            row = [Cell("", Loc(cell=(t_no, r, c))) for c in range(1, width + 1)]
            for col, span, vmerge, text, h_continue in cells:
                if col >= width:
                    continue
                if vmerge == "continue" and r > 1:
                    origin = self._origin_above(rows, col)
                    if text and origin is not None:
                        origin.text = _clean(f"{origin.text} {text}")
                    for c in range(col, min(col + span, width)):
                        row[c] = Cell("", Loc(cell=(t_no, r, c + 1)), merged=True)
                    continue
                if h_continue and col > 0:
                    left = next((row[c] for c in range(col - 1, -1, -1) if not row[c].merged), None)
                    if left is not None and text:
                        left.text = _clean(f"{left.text} {text}")
                    for c in range(col, min(col + span, width)):
                        row[c] = Cell("", Loc(cell=(t_no, r, c + 1)), merged=True)
                    continue
                row[col] = Cell(text, Loc(cell=(t_no, r, col + 1)))
                for c in range(col + 1, min(col + span, width)):
                    row[c] = Cell("", Loc(cell=(t_no, r, c + 1)), merged=True)
            rows.append(row)
        if rows:
            self.blocks.append(Table(rows, Loc(cell=(t_no, 1, 1))))

    @staticmethod
    def _origin_above(rows, col):
        for row in reversed(rows):
            if col < len(row) and not row[col].merged:
                return row[col]
        return None


def _int_val(parent, tag: str) -> int:
    return _int_attr(parent.find(_w(tag)) if parent is not None else None, 0)


def _int_attr(el, default: int, limit: int = 32767) -> int:
    """An element's integer `w:val` (a level, a start, a span); anything Word would not
    write (not a number, negative, past `limit`) is the default, so that hostile values
    can neither fail the read nor make a loop run for ever (`_roman` of a huge start)."""
    if el is None:
        return default
    try:
        n = int(el.get(VAL, default))
    except ValueError:
        return default
    return n if 0 <= n <= limit else default


def _through_controls(parent, tag: str):
    """Children of `parent` with `tag` (rows of a table, cells of a row), reading through
    the content controls and custom XML that may wrap them."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag in (SDT, _w("customXml")):
            content = child.find(SDT_CONTENT) if child.tag == SDT else child
            if content is not None:
                yield from _through_controls(content, tag)


def _cell_text(tc) -> str:
    """All text of a cell: its paragraphs and nested tables in order, joined by spaces."""
    parts: list[str] = []

    def walk(el):
        for child in el:
            if child.tag == P:
                for box in _text_boxes(child):
                    for bp in box.iter(P):
                        parts.append("".join(_runs_text(bp)))
                parts.append("".join(_runs_text(child)))
            elif child.tag == TBL:
                for tr in _through_controls(child, TR):
                    for inner in _through_controls(tr, TC):
                        walk(inner)
            elif child.tag in (SDT, SDT_CONTENT, _w("customXml")):
                inner = child.find(SDT_CONTENT) if child.tag == SDT else child
                if inner is not None:
                    walk(inner)

    walk(tc)
    return _clean(" ".join(p for p in parts if p.strip()))


def _runs_text(p):
    """Text of one paragraph's runs, in order; `w:br`/`w:cr` as a newline."""
    out: list[str] = []

    def walk(el):
        for child in el:
            tag = child.tag
            if tag == T:
                out.append(child.text or "")
            elif tag == TAB:
                out.append(" ")
            elif tag in (BR, CR):
                if child.get(_w("type")) in (None, "textWrapping"):
                    out.append("\n")
            elif tag == _w("noBreakHyphen"):
                out.append("-")
            elif tag == _w("sym"):  # a symbol-font character typed into the text
                try:
                    out.append(_bullet(chr(int(child.get(_w("char"), ""), 16)), child.get(_w("font"), "")))
                except (ValueError, OverflowError):
                    pass
            elif tag in (DEL, INSTR, _w("delText"), _w("moveFrom"), TXBX, FALLBACK, _w("pPr"), _w("rPr")):
                continue
            elif tag == _R:
                if not _hidden(child):
                    walk(child)
            elif tag in _INLINE or tag == f"{{{MC}}}AlternateContent" or tag == f"{{{MC}}}Choice":
                walk(child)

    walk(p)
    return out


_R = _w("r")
_OFF = {"0", "false", "off"}


def _hidden(run) -> bool:
    """A run formatted as hidden text (`w:vanish`) is not printed."""
    rpr = run.find(_w("rPr"))
    if rpr is None:
        return False
    v = rpr.find(_w("vanish"))
    return v is not None and v.get(VAL, "true") not in _OFF


def _text_boxes(p):
    """Text box contents anchored in a paragraph (not the VML fallback copy)."""
    out = []
    for box in p.iter(TXBX):
        anc = box.getparent()
        skip = False
        while anc is not None and anc is not p:
            if anc.tag == FALLBACK:
                skip = True
                break
            anc = anc.getparent()
        if not skip:
            out.append(box)
    return out


def _clean(s: str) -> str:
    s = unicodedata.normalize("NFC", s)
    return _WS.sub(" ", s).strip()

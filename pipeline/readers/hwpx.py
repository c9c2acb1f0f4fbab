"""HWPX (OWPML, KS X 6101): a zip of XML parts, read directly.

The package lists its sections in `Contents/content.hpf` (the OPF spine); each section
part (`Contents/section0.xml`, …) is a sequence of paragraphs `hp:p`, whose runs `hp:run`
hold text `hp:t` and objects. A table `hp:tbl` sits inside a run of the paragraph that
anchors it; its rows `hp:tr` hold cells `hp:tc`, each with its grid address
(`hp:cellAddr colAddr/rowAddr`, 0-based), its span (`hp:cellSpan colSpan/rowSpan`) and its
text in `hp:subList` paragraphs.

What becomes a block:
- each body paragraph with text → one `Paragraph` (a forced line break `hp:lineBreak`
  starts a new one, as the text export prints it on its own line);
- each top-level table → one `Table` whose grid has the text at each merge's origin and
  `Cell("", merged=True)` at the positions the merge covers; nested tables' text joins
  the text of the cell that holds them;
- text boxes (`hp:drawText`) → their paragraphs, in place.
Page headers and footers, footnotes and endnotes, hidden comments and field codes live in
`hp:ctrl` and are not content: they are skipped.

Locations: `Loc(section=s, paragraph=p)`, both 1-based (p counts the section's top-level
paragraphs); cells `Loc(section=s, paragraph=p, cell=(table, row, column))` with the table
counted through the whole document, as the text reader counts them.

Everything is read through `SafeZip` (inflate limits) and `parse_xml` (no DTD or entities,
bounded depth).
"""
from __future__ import annotations

import posixpath
import unicodedata

import regex as re

from ..errors import InputError
from ..ir import Block, Loc, Paragraph
from ..limits import Limits
from ..textutil import collapse
from .grid import CellBudget, build_table
from .safezip import SafeZip, parse_xml

_SECTION_NAME = re.compile(r"^Contents/section(\d+)\.xml$")

# Characters that stand for inline elements inside `hp:t`.
_INLINE_TEXT = {"tab": "\t", "nbSpace": " ", "fwSpace": " ", "hyphen": "-"}
# Run children that never hold body content (page headers/footers and notes live in hp:ctrl).
_SKIP_IN_RUN = {"ctrl", "secPr", "equation", "fieldBegin", "fieldEnd", "hiddenComment"}


_LOCAL: dict = {}


def _local(tag) -> str:
    """`{namespace}name` → `name` (cached: a document repeats a few dozen tags)."""
    name = _LOCAL.get(tag)
    if name is None:
        if not isinstance(tag, str):  # comments, processing instructions
            return ""
        name = tag.rsplit("}", 1)[-1]
        if len(_LOCAL) < 4096:
            _LOCAL[tag] = name
    return name


def text_lines(pieces: list[str], loc: Loc) -> list[Paragraph]:
    """A paragraph's text, split at its forced line breaks: one Paragraph per non-empty
    line, as the text export prints them (shared with the HWP reader, which must agree)."""
    return [Paragraph(text, loc) for text in map(clean, "".join(pieces).split("\n")) if text]


def clean(s: str) -> str:
    """NFC, whitespace runs collapsed: what the text reader does to every line and cell."""
    return collapse(unicodedata.normalize("NFC", s))


def section_parts(z: SafeZip, limits: Limits) -> list[str]:
    """Section part names in reading order: the content.hpf spine, else section<N>.xml by N."""
    names: list[str] = []
    if z.has("Contents/content.hpf"):
        root = parse_xml(z.read("Contents/content.hpf"), limits, "Contents/content.hpf")
        items = {}
        for el in root.iter():
            if _local(el.tag) == "item" and el.get("id") and el.get("href"):
                items[el.get("id")] = el.get("href")
        for el in root.iter():
            if _local(el.tag) == "itemref":
                href = items.get(el.get("idref") or "")
                if not href:
                    continue
                # hrefs are relative to the package root in Hancom's files; be lenient.
                for cand in (href, posixpath.normpath(posixpath.join("Contents", href))):
                    if _SECTION_NAME.match(cand) and z.has(cand) and cand not in names:
                        names.append(cand)
                        break
    if not names:
        found = [(int(m.group(1)), n) for n in z.names if (m := _SECTION_NAME.match(n))]
        names = [n for _, n in sorted(found)]
    return names


def read_hwpx(data: bytes, limits: Limits) -> list[Block]:
    z = SafeZip(data, limits, "HWPX")
    try:
        _refuse_encrypted(z, limits)
        sections = section_parts(z, limits)
        if not sections:
            raise InputError("HWPX without any section (Contents/section0.xml)")
        reader = _Reader(limits)
        for s, name in enumerate(sections, start=1):
            root = parse_xml(z.read(name), limits, name)
            reader.section(root, s)
        return reader.blocks
    finally:
        z.close()


def _refuse_encrypted(z: SafeZip, limits: Limits) -> None:
    """A password-protected HWPX keeps its parts encrypted and says so in the ODF-style
    manifest (`odf:encryption-data`); reading them would only give 'malformed XML'."""
    if not z.has("META-INF/manifest.xml"):
        return
    root = parse_xml(z.read("META-INF/manifest.xml"), limits, "META-INF/manifest.xml")
    if any(_local(el.tag) == "encryption-data" for el in root.iter()):
        raise InputError("password-protected (encrypted) HWPX document; save it without a password first")


class _Reader:
    def __init__(self, limits: Limits):
        self.limits = limits
        self.blocks: list[Block] = []
        self.n_tables = 0
        self.budget = CellBudget(limits.max_table_cells)

    # ------------------------------------------------------------ body
    def section(self, root, s: int) -> None:
        p_no = 0
        for el in root:
            if _local(el.tag) == "p":
                p_no += 1
                self.paragraph(el, s, p_no)

    def paragraph(self, p, s: int, p_no: int) -> None:
        """One body paragraph: its text (split at forced line breaks) and, in place, the
        tables and text boxes anchored in it."""
        loc = Loc(section=s, paragraph=p_no)
        pending: list[str] = []

        def flush():
            self.blocks.extend(text_lines(pending, loc))
            pending.clear()

        for run in p:
            if _local(run.tag) != "run":
                continue
            for child in run:
                name = _local(child.tag)
                if name == "t":
                    pending.append(_t_text(child, line_break="\n"))
                elif name == "tbl":
                    flush()
                    self.table(child, s, p_no)
                elif name in _SKIP_IN_RUN:
                    continue
                else:  # drawing objects: rect, container, pic … may carry a text box
                    for box in _iter_local(child, "drawText"):
                        flush()
                        for sub in _iter_local(box, "subList"):
                            for q in sub:
                                if _local(q.tag) == "p":
                                    pending.append(_plain_text(q, line_break="\n"))
                                    flush()
        flush()

    # ------------------------------------------------------------ tables
    def table(self, tbl, s: int, p_no: int) -> None:
        self.n_tables += 1
        t_no = self.n_tables
        cells = []
        for tr in tbl:
            if _local(tr.tag) != "tr":
                continue
            for tc in tr:
                if _local(tc.tag) != "tc":
                    continue
                addr = _child(tc, "cellAddr")
                span = _child(tc, "cellSpan")
                r = _int(addr, "rowAddr", -1)
                c = _int(addr, "colAddr", -1)
                rs = max(1, _int(span, "rowSpan", 1))
                cs = max(1, _int(span, "colSpan", 1))
                if r < 0 or c < 0:
                    raise InputError(f"HWPX table {t_no}: a cell without its address (hp:cellAddr)")
                cells.append((r, c, rs, cs, _cell_text(tc)))
        table = build_table(cells, _int(tbl, "rowCnt", 0), _int(tbl, "colCnt", 0), t_no, self.budget, s, p_no)
        if table is None:
            self.n_tables -= 1
            return
        self.blocks.append(table)


# ---------------------------------------------------------------- text helpers
def _t_text(t, line_break: str) -> str:
    """Text of one `hp:t`, with its inline elements (tab, line break, spaces) in place."""
    out = [t.text or ""]
    for el in t:
        name = _local(el.tag)
        if name == "lineBreak":
            out.append(line_break)
        elif name in _INLINE_TEXT:
            out.append(_INLINE_TEXT[name])
        out.append(el.tail or "")
    return "".join(out)


def _plain_text(p, line_break: str = " ") -> str:
    """All the text of a paragraph, nested tables and text boxes included (for cells and
    text boxes), headers/footers/notes excluded."""
    out: list[str] = []
    for run in p:
        if _local(run.tag) != "run":
            continue
        for child in run:
            name = _local(child.tag)
            if name == "t":
                out.append(_t_text(child, line_break))
            elif name in _SKIP_IN_RUN:
                continue
            else:  # nested table or drawing object: every paragraph inside it
                for q in _iter_local(child, "p"):
                    if _inside_ctrl(q, child):
                        continue
                    out.append(" ")
                    for r in q:
                        if _local(r.tag) == "run":
                            for t in r:
                                if _local(t.tag) == "t":
                                    out.append(_t_text(t, " "))
                    out.append(" ")
    return "".join(out)


def _inside_ctrl(el, stop) -> bool:
    el = el.getparent()
    while el is not None and el is not stop:
        if _local(el.tag) == "ctrl":
            return True
        el = el.getparent()
    return False


def _cell_text(tc) -> str:
    parts = []
    for sub in tc:
        if _local(sub.tag) == "subList":
            for p in sub:
                if _local(p.tag) == "p":
                    parts.append(_plain_text(p))
    return clean(" ".join(parts))


def _child(el, name: str):
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _iter_local(el, name: str):
    for d in el.iter():
        if _local(d.tag) == name:
            yield d


def _int(el, attr: str, default: int) -> int:
    if el is None:
        return default
    v = el.get(attr)
    if v is None:
        return default
    try:
        n = int(v)
    except ValueError:
        raise InputError(f"HWPX: attribute {attr}={v[:20]!r} is not a number") from None
    if n > 65535:
        raise InputError(f"HWPX: attribute {attr}={n} out of range")
    return n

#!/usr/bin/env python3
"""Text converted from PDF, as people get it, for the layout-text reader's tests.
Output: tests/fixtures/layout/.

For every PDF in samples/ (LibreOffice renderings of the sample reports):
  <name>.layout.txt         `pdftotext -layout` (poppler), UTF-8: columns aligned with
                            spaces, pages separated by form feeds
  <name>.layout.cp949.txt   the same, in CP949 (as a Windows converter writes it)
  <name>.raw.txt            plain `pdftotext` (no -layout), UTF-8: the table's columns come
                            out as blocks of their own; its layout is lost
  <name>.raw.cp949.txt      the same, in CP949
  <name>.plumber.txt        a second converter: pdfplumber's `extract_text(layout=True)`,
                            pages joined by form feeds
  <name>.viewer.txt         what a viewer's "save as text" gives: words placed on a
                            monospace grid where Hangul is two columns wide, pages one after
                            another with no form feed (only their header and footer lines)
and renderings of its own:
  split_row*.pdf            the transport sample with rows allowed to break across pages,
                            pushed down so that a row is cut by the page break (split_row:
                            after the first line of the first row, whose other cells go on
                            on the next page; split_row_name: between a 통계목 code and its
                            name), a running header that reads like a report title
                            (`교통실 보행정책과 예산 전용 보고`) and the meeting date printed
                            `2023년 10월`;
  split_row*.layout.txt     their `pdftotext -layout` text;
  gen_s<N>_case<K>.layout.txt   `pdftotext -layout` of LibreOffice's PDF of case K of the
                            layout generator's run N (scripts/layouts.py), chosen for what
                            their tables show (GENERATED), and
  gen_s<N>_case<K>.expected.json  that case's expected records (the generator's truth).

    python scripts/make_layout_fixtures.py              # needs pdftotext (poppler-utils)
    python scripts/make_layout_fixtures.py --render     # also re-renders split_row*.pdf
                                                        # (needs LibreOffice, python-docx)
    python scripts/make_layout_fixtures.py --generated  # (re)draws and renders the gen_* cases
                                                        # (needs LibreOffice, Hypothesis)
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
OUT = ROOT / "tests" / "fixtures" / "layout"

# Characters CP949 has no code for, written as a CP949 converter would.
CP949_FALLBACK = {"➡": "→"}


def pdftotext(pdf: Path, layout: bool) -> str:
    exe = shutil.which("pdftotext")
    if not exe:
        raise RuntimeError("pdftotext (poppler-utils) is needed: apt-get install poppler-utils")
    cmd = [exe, "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(pdf), "-"]
    return subprocess.run(cmd, capture_output=True, check=True).stdout.decode("utf-8")


def cp949(text: str) -> bytes:
    for ch, sub in CP949_FALLBACK.items():
        text = text.replace(ch, sub)
    return text.encode("cp949")


def plumber_layout(pdf: Path) -> str:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return "\f".join(p.extract_text(layout=True) for p in doc.pages) + "\f"


def viewer_text(pdf: Path) -> str:
    """Each line's words at the grid column of their left edge on the page, one column being
    half the width of a Hangul syllable (so Hangul is two columns wide); at least one space
    between words; pages one after another, separated by a blank line."""
    import pdfplumber

    pages = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            words = page.extract_words(x_tolerance=1.5, y_tolerance=2)
            hangul = [c["x1"] - c["x0"] for c in page.chars if "\uac00" <= c["text"] <= "\ud7a3"]
            unit = (sorted(hangul)[len(hangul) // 2] / 2) if hangul else 4.5
            rows: list[list[dict]] = []
            for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
                if rows and abs(rows[-1][0]["top"] - w["top"]) <= 2:
                    rows[-1].append(w)
                else:
                    rows.append([w])
            lines = []
            for row in rows:
                out, col = "", 0
                for w in sorted(row, key=lambda w: w["x0"]):
                    target = round(w["x0"] / unit)
                    if out:
                        target = max(target, col + 1)
                    out += " " * (target - col) + w["text"]
                    col = target + sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in w["text"])
                lines.append(out)
            pages.append("\n".join(lines))
    return "\n\n".join(pages) + "\n"


# Cases of the layout generator (run, case) and what their `pdftotext -layout` text shows.
GENERATED = {
    (1, 3): "columns one or two syllables wide: names and header cells a syllable a line, figures "
            "wrapped in three or four pieces (`1,3`/`88,`/`63`/`6`), tables over pages without their header",
    (1, 137): "codes cut by a wrap (`110-202-0`/`1 국내여비`), figures in two pieces, a merged name taller than its row",
    (1, 149): "a page without the table's header, packed afresh by the converter (its columns stand elsewhere)",
    (1, 193): "a total row cut by the page: its figures' last pieces alone at the top of the next page",
    (1, 67): "a table's header cut by the page, its last line on the next page",
    (1, 8): "a name that may run on into the next row whose parts have undecided breaks of their own "
            "(`평생학습네트` / `워크메타버스`): the one-name reading noted, its parts' breaks noted on them",
    (1, 28): "a row cut by the page after its code, the next page opening with its 통계목 name beside "
             "the rest of a merged department: set aside (which name goes on where cannot be told)",
    (1, 51): "a header cut by the page after a line of group words and the tops of two cells "
             "(`예산과목 예산 증감 전용`), the rest (`액`, `후 예산 액`) on the next page",
    (2, 7): "codes cut before their hyphen (`307`/`-02`), headers repeated over pages",
    (2, 98): "a header cut by the page whose parts the converter placed apart: put together by what they name",
    (0, 3): "names merged over rows that the text cannot tell from new ones: the one-name reading noted, "
            "spelled as its own break reads (`교류 교육교통`, `건꿇대중교통`)",
    (0, 7): "lines of two one-syllable words (`컸 먁`) that pdftotext prints without their space",
    (0, 8): "a row cut by the page after its code's first piece: the code's rest and the figures' last "
            "pieces alone at the top of the next page, packed afresh (`4 000 0 000`)",
    (0, 11): "a row cut by the page between its 통계목 code and its name: the name alone at the top of "
             "the next page, placed far from its column",
    (0, 16): "a report of lines shorter than its page: a transfer's title and the lead line after it "
             "(whose first word is long) are not one wrapped line; the tables show the margin",
    (0, 13): "a header cut by the page after its first row (`부서 정책사업 예산과목 예산현액 증감내역`), "
             "the rest over the body on the next page, placed afresh",
    (1, 157): "a header cut by the page after its group words alone (`예산과목  전용내역`), the columns "
              "on the next page: each group word spans only the columns it groups",
    (1, 190): "a table's first row the page cut after its line: its 정책사업 drawn on the next page, "
              "packed afresh without the header, where it stands under another column",
    (1, 216): "a row's merged 단위사업 drawn on the next page under the repeated header, beside the next "
              "row's code, where it was first read as the name above running on",
    (1, 192): "a header cut by the page after its first line (`부서명 정책 예산과목 예산 증감 전용`), the "
              "cells' rests (`사업`, `현액`, `후 예산 액`) on the next page, packed afresh: read by order",
    (1, 382): "a header cut by the page after its first line, no group word in it: the cells' rests "
              "(`업`, `액(단위: 천원)`, `후 예산 액`) placed apart on the next page: read by order",
    (1, 293): "a row cut by the page after its code's first piece (`110-401-`): the next page, packed "
              "afresh, opens with the code's rest, the rest of the row's names and its figures' last pieces "
              "on one line (`관 청년장 운영보수 01 시설비 31 3 14`)",
    (1, 481): "a total row cut by the page, its figures' last pieces under the next page's running header "
              "and a blank line; another table set aside (a page opening with names that cannot be placed)",
    (1, 361): "a 통계목 name's last line (`사업보조`) ending half the pages, right under its first "
              "(`민간경상`): a cell going on, not a running footer",
    (1, 147): "a page's last row printing its 세부사업 only, its 정책사업 and 단위사업 drawn on the next "
              "page (under the repeated header) beside the next row, the names above having ended before the foot",
    (1, 359): "a page's last row whose 부서 the converter drew on the next page, beside a 정책사업 going on",
    (1, 27): "a page's last row whose 부서 the converter cut a line before its 정책사업 (`관광스마` / "
             "`트폴담당` over the page): a name going on over the page though its row printed a line below it",
    (1, 444): "a page's last row whose 단위사업 the converter drew on the next page beside a new 세부사업: "
              "read as a new name there and noted, not taken for certain",
    (7, 75): "pages packed afresh opening with a new row whose code is cut before its hyphen (`203` / "
             "`-01`) beside its names and figures: not the rest of the row before; one table set aside",
    (0, 15): "a table of two rows each printing every name: a merged department running on into the "
             "second row (`데이터돌봄`/`안전`/`낀덩올팀`)",
    (10, 22): "a page without the header opening with a merged department's rest (`담당` / `관`) beside "
              "a new 단위사업, the 정책사업 between them ended on the page before: each name where it stands",
    (10, 88): "a merged 세부사업 a syllable wide over three rows, each full (`기후예` `술가` `청년`): the "
              "three-part one-name reading noted on each part",
    (10, 120): "a name broken by LibreOffice with room left for a syllable (`관미세먼지메` / `타버스` in a "
               "column printing `저감공공긔을냔`): read spaced, as most such breaks are, and noted",
    (10, 157): "a one-page report with a committee's page header above the title "
               "(`도시안전건설위원회 보고자료`): not the office",
    (10, 299): "a table whose decrease column is empty on its first page, whose increases the converter "
               "shifted into two islands: set aside, not read into the wrong column",
    (10, 275): "a header cut by the page after all but one line (`현액`, the rest of `전용후 예산`), its group "
               "words over columns all printed on the first page",
    (10, 43): "a header cut by the page whose rest (`백만원)`, `액`) could go on from two cells each "
              "(`증` / `액` and `전용후예산` / `액` both name columns): the reading whose parts stand nearest",
    (10, 202): "a header cut by the page whose rest could complete two cells: the reading whose parts stand nearest",
    (12, 121): "a page opening with the rest of a row the page cut, its 통계목 name beside the department's "
               "rest, each where its column stood: read whole",
    (12, 272): "the same in another table: read whole",
    (12, 154): "a row cut by the page inside its code (`100-206-0` | `1 재료비` under the repeated header): "
               "the `1` is the code's, not a figure going on (`4.95` read `4.951`)",
    (12, 265): "a page without the header printing no line of every figure, a figure column empty on it: "
               "set aside, not read by where another page's columns stood",
    (12, 224): "a 세부사업 merged over three rows read as three names (`녹색 자치` / `스마트` / `폴 기반`) and "
               "a fourth after them: each run of them noted with its one-name reading",
    (13, 7): "a page without the header whose 정책사업 and 단위사업 stand off their columns: one column "
             "each, not two names in one cell (whose width would then decide other cells' breaks)",
    (13, 207): "a 세부사업 merged over rows whose last line is one syllable (`역`) at the top of a row, the "
               "next row's new name right under it: the syllable goes on the name above",
    (14, 214): "a header cell `예산현액(단위:백만원)` cut by the page after `백만`: the unit read across the "
               "cut (`백만 원`), not taken for missing",
    (14, 284): "a total row of decimals cut by the page (`3,376.7` / `2`), every piece looking whole, its "
               "rest opening the next page under the running header: set aside, not read short",
    (14, 50): "a header cut by the page after its first row: `정책사업`, moved into the second part's frame, "
              "falls over `단위사업`; a cell of both parts must spell a header word, so the parts are read by order",
    (14, 67): "a page's last row printing no 단위사업, the next page opening with one taller than the row, going "
              "on into the row after: noted as possibly the last row's",
    (14, 83): "a name that may run on into the next row whose seam the document's words lean to a space "
              "(`민관 구축다문화` / `정책`): both spellings of the one name noted",
    (14, 157): "a page packed afresh without the header opening with a syllable alone (`과`, `댑` …, rests of "
               "names the page cut) beside a new row: not new names; set aside",
    (14, 208): "a name that may run on whose part has an undecided break of its own (`가족물순환` / `경제`)",
    (14, 222): "a row whose 세부사업 the converter drew on the next page, its 정책사업 and 단위사업 new: its "
               "부서 is new too, not the name above going on",
    (15, 141): "a table's first row alone on its page printing no 부서 (nothing above to go on): the one "
               "opening the next page, taller, is the row's, merged on",
    (15, 187): "a page's last row printing no 단위사업 (drawn on the next page) beside a new 세부사업: its "
               "정책사업 right under the name above is not taken for certain as that name going on (noted)",
    (16, 130): "a 세부사업 merged over three rows (`데이터` / `돌봄` / `스마트폴`) after a longer run of names "
               "that may run on: every run of up to four noted, spelled its likelier way",
    (11, 255): "a page of the header alone, then a page opening with a new row whose 세부사업, a syllable a "
               "line, goes on into the next row (`정` / `책` …): not the rest of the name above",
    (11, 291): "a page opening with the rest of a row the page cut (`터`, the department's, beside "
               "`기관` / `운영` …, its 통계목 name's): set aside, not read into the 단위사업",
    (11, 156): "a page's last row printing no 세부사업 (a row of blank zeros), the next page opening with one "
               "taller than that row was: read as the next row's, the other reading noted on the row",
}


def render_generated(out: Path) -> None:
    """The GENERATED cases: PDF by LibreOffice (as the layout tests render them), then
    `pdftotext -layout`, with their expected records."""
    import json

    from layout_render import draw_case, render

    cases = [draw_case(seed, k) for seed, k in sorted(GENERATED)]
    with tempfile.TemporaryDirectory() as tmp:
        paths = render(cases, Path(tmp), ["pdftotext"])
        for case in cases:
            name = f"gen_{case.name}"
            (out / f"{name}.layout.txt").write_text(paths[case.name, "pdftotext"].read_text(encoding="utf-8"), encoding="utf-8")
            (out / f"{name}.expected.json").write_text(json.dumps(case.expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# Points of space pushed before the table (tuned by rendering) → where the page break falls.
SPLITS = {"split_row": 189, "split_row_name": 168}


def render_split_row(out: Path, name: str) -> Path:
    """The transport sample with a row cut by the page break (see the module docstring)."""
    import render_docx
    from docx.oxml.ns import qn
    from render_pdf import docx_to_pdf
    from sample_reports import transport_2023q3

    report = transport_2023q3()
    report.name = name
    report.meeting = "2023년 10월"
    render_docx.RUNNING_HEADER[name] = "교통실 보행정책과 예산 전용 보고"
    render_docx.REPEAT_HEADER.add(name)
    render_docx.PUSH_TABLE[name] = {0: SPLITS[name]}
    doc = render_docx.build_docx(report)
    for tr_pr in doc.element.body.iter(qn("w:trPr")):
        for el in tr_pr.findall(qn("w:cantSplit")):
            tr_pr.remove(el)
    with tempfile.TemporaryDirectory() as tmp:
        docx = Path(tmp) / f"{name}.docx"
        doc.save(docx)
        return docx_to_pdf(docx, out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--render", action="store_true", help="re-render split_row*.pdf with LibreOffice")
    ap.add_argument("--generated", action="store_true", help="draw and render the layout generator's cases (GENERATED)")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    if args.generated:
        render_generated(OUT)
    for name in SPLITS:
        if args.render or not (OUT / f"{name}.pdf").exists():
            render_split_row(OUT, name)
    for pdf in sorted((ROOT / "samples").glob("*.pdf")):
        name = pdf.stem
        layout = pdftotext(pdf, layout=True)
        raw = pdftotext(pdf, layout=False)
        (OUT / f"{name}.layout.txt").write_text(layout, encoding="utf-8")
        (OUT / f"{name}.layout.cp949.txt").write_bytes(cp949(layout))
        (OUT / f"{name}.raw.txt").write_text(raw, encoding="utf-8")
        (OUT / f"{name}.raw.cp949.txt").write_bytes(cp949(raw))
        (OUT / f"{name}.plumber.txt").write_text(plumber_layout(pdf), encoding="utf-8")
        (OUT / f"{name}.viewer.txt").write_text(viewer_text(pdf), encoding="utf-8")
    for name in SPLITS:
        (OUT / f"{name}.layout.txt").write_text(pdftotext(OUT / f"{name}.pdf", layout=True), encoding="utf-8")
    print(f"wrote {len(list(OUT.glob('*')))} files to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

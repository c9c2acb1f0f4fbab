#!/usr/bin/env python3
"""Committee packages: several offices' reports bound in one file (issue 20).

    python scripts/make_package_fixtures.py [OUT_DIR]   # default tests/fixtures/packages

Three sample reports (scripts/sample_reports.py: climate, welfare, transport; three
offices) are bound one after the other, each starting on a new page, in two ways:

* `committee_cover_toc`: behind a cover page naming the committee (`환경수자원위원회`,
  never an office) with the quarter's title of its own, and a table of contents listing
  the offices; all three reports print the same title (one committee, one quarter), as
  packages do;
* `bare`: the reports one after the other, each with its own title, nothing before.

Each package is written as text (tab tables, UTF-8), DOCX (python-docx, the samples'
renderer, the bodies of the three rendered reports appended to one document) and PDF
(LibreOffice converts the DOCX; skipped when `soffice` is missing). Beside them, each
report alone, rendered the same way (`part<k>.<ext>`): the tests read a package's k-th
report against the same report read alone. The files are checked in.
"""
from __future__ import annotations

import copy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from docx.enum.text import WD_BREAK  # noqa: E402
from make_samples import render_text  # noqa: E402
from render_docx import build_docx  # noqa: E402
from sample_reports import climate_2022q1, transport_2023q3, welfare_2020q2  # noqa: E402

COMMITTEE = "환경수자원위원회"
SHARED_TITLE = "2022 회계연도 1/4분기 예산 전용 보고"


def parts(shared_title: bool):
    out = []
    for k, r in enumerate([climate_2022q1(), welfare_2020q2(), transport_2023q3()], start=1):
        r = copy.deepcopy(r)
        r.name = f"part{k}"
        r.word_bullets = False  # list numbering does not survive copying bodies between documents
        r.word_item_numbering = False
        if shared_title:
            r.title = SHARED_TITLE
        out.append(r)
    return out


def cover_lines(reports) -> list[str]:
    lines = [COMMITTEE, SHARED_TITLE, f"{COMMITTEE} 소관", "2022. 4.", "목 차"]
    lines += [f"{k}. {r.office} ·········· {k}" for k, r in enumerate(reports, start=1)]
    return lines


def package_text(reports, cover: bool) -> str:
    chunks = []
    if cover:
        chunks.append("\n\n".join(cover_lines(reports)) + "\n")
    for r in reports:
        r = copy.deepcopy(r)
        r.text_style, r.newline = "tab", "\n"
        chunks.append(render_text(r))
    return "\n\n".join(chunks)


def _page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def package_docx(reports, cover: bool):
    if cover:
        doc = build_docx(reports[0])
        body = doc.element.body
        first = body[0]
        for line in cover_lines(reports):
            p = doc.add_paragraph(line)
            first.addprevious(p._p)
        brk = doc.add_paragraph()
        brk.add_run().add_break(WD_BREAK.PAGE)
        first.addprevious(brk._p)
    else:
        doc = build_docx(reports[0])
    body = doc.element.body
    sect = body[-1]  # w:sectPr stays last
    for r in reports[1:]:
        _page_break(doc)
        other = build_docx(r).element.body
        for el in list(other):
            if el.tag.endswith("}sectPr"):
                continue
            sect.addprevious(copy.deepcopy(el))
    return doc


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    docx_files = []
    for name, cover in (("committee_cover_toc", True), ("bare", False)):
        reports = parts(shared_title=cover)
        (out / f"{name}.txt").write_text(package_text(reports, cover), encoding="utf-8")
        doc = package_docx(reports, cover)
        doc.save(str(out / f"{name}.docx"))
        docx_files.append(out / f"{name}.docx")
        for r in reports:
            stem = f"{name}.{r.name}"
            single = copy.deepcopy(r)
            single.text_style, single.newline = "tab", "\n"
            (out / f"{stem}.txt").write_text(render_text(single), encoding="utf-8")
            build_docx(r).save(str(out / f"{stem}.docx"))
            docx_files.append(out / f"{stem}.docx")
    try:
        from render_pdf import docx_to_pdfs

        for pdf in docx_to_pdfs(docx_files, out):
            print(pdf)
    except RuntimeError as e:
        print(f"PDF not made: {e}", file=sys.stderr)
    for p in sorted(out.iterdir()):
        print(p)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent / "tests" / "fixtures" / "packages")

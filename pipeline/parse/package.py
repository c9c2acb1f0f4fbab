"""Several reports in one file: a committee's package binds the reports of several offices
one after the other, often behind a cover page naming the committee and a table of
contents. Each report is found by meaning, on the IR, so the rule holds for every format.

A report opens at its title (`2021 회계연도 4/4분기 예산 전용 보고`: a line speaking of a
전용 보고 that names the year or the quarter) when its own header follows the title: a
header field (`일 시 :`, `장 소 :`, `보고기관 :` …) or the first item's numeral restarting
the numbering at 1, within the few lines a header takes and before any section heading.
A later report opens only after the one before it has printed a section (a transfer):
a title repeated at the top of a page (a running header a reader did not remove) is
followed by the running item's content, not by a header, and stays in it. Of several
titles with a header before a report's first section, the last heads the report: those
above it belong to a cover (whose contents number the offices from 1, as a report numbers
its first item).

What comes before the first report is front matter when it is not a report itself (it
prints no section): a cover page (the committee's name, the quarter's title), a table of
contents. Its lines are never a report's header or a transfer; they are listed in the
first report's `unparsed`. A file of one report keeps the lines above its title as today
(a page's header, read by the header rules), unless they hold a title of their own: then
they are a cover.
"""
from __future__ import annotations

from ..ir import Paragraph, Table
from ..records import Unparsed
from .numbering import numeral_of
from .report import FIELD, is_dated_title, is_report_title, section_of

# How many blocks after a title its header may take before its first field (an office
# line, a blank-free subtitle) — a header is a few lines, never a page.
HEADER_REACH = 4
FRONT_MATTER = "front matter before the first report (a cover page or contents): not a report's header or a transfer"


def _known_section(block) -> bool:
    if not isinstance(block, Paragraph):
        return False
    sec = section_of(block.text)
    return bool(sec) and not sec.startswith("other:")


def opens_report(blocks, i: int) -> bool:
    """Block i is a dated report title followed by the report's own header."""
    b = blocks[i]
    if not (isinstance(b, Paragraph) and is_dated_title(b.text)):
        return False
    for j in range(i + 1, min(len(blocks), i + 1 + HEADER_REACH)):
        nxt = blocks[j]
        if _known_section(nxt):
            return False
        if isinstance(nxt, Table):
            if any(FIELD.match(" ".join(c.text for c in row if c.text)) for row in nxt.rows):
                return True
            continue
        if FIELD.match(nxt.text):
            return True
        n = numeral_of(nxt.text)
        if n is not None:
            return n.value == 1
    return False


def report_starts(blocks) -> list[int]:
    """Block indices where the file's reports open (empty: no title with a header; the
    whole file is then read as one report, as it always was)."""
    starts: list[int] = []
    for i in range(len(blocks)):
        if not opens_report(blocks, i):
            continue
        if starts and not any(_known_section(b) for b in blocks[starts[-1] : i]):
            # No transfer since the last title: of titles before a report's first section,
            # the last one heads it; those above it are a cover's (a cover's contents list
            # the offices numbered from 1, as a report's first item is).
            starts[-1] = i
            continue
        starts.append(i)
    if starts and starts[0] > 0 and any(_known_section(b) for b in blocks[: starts[0]]):
        starts.insert(0, 0)  # what precedes is a report printed without header fields
    return starts


def split_reports(blocks) -> tuple[list, list[list]]:
    """(front matter, the blocks of each report). One report: front matter is empty
    unless the lines above its title hold a title of their own (a cover page)."""
    starts = report_starts(blocks)
    if not starts:
        return [], [list(blocks)]
    front = list(blocks[: starts[0]])
    if len(starts) == 1 and not any(isinstance(b, Paragraph) and is_report_title(b.text) for b in front):
        return [], [list(blocks)]
    ends = starts[1:] + [len(blocks)]
    return front, [list(blocks[a:b]) for a, b in zip(starts, ends)]


def front_matter_lines(front) -> list[Unparsed]:
    out = []
    for b in front:
        if isinstance(b, Table):
            for row in b.rows:
                line = " | ".join(c.text for c in row if c.text)
                if line:
                    out.append(Unparsed(line, FRONT_MATTER, row[0].loc))
        elif b.text.strip():
            out.append(Unparsed(b.text, FRONT_MATTER, b.loc))
    return out

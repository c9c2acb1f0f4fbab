"""What a page break can do to a budget table, read the same way for every reader.

A budget table is rows of cells: names (department … 통계목) at the left, figures at the
right, each budget line opening with its 통계목 code. Whatever the format, a page break
can cut it in a few ways only (docs/seam_rules.md lists them with the fixture proving
each): a row cut with its rest at the next page's top (above the next row, or beside its
cells), a merged cell running over, a header repeated or cut. The readers decide these
from what they see of their pages; this module holds what they share:

* the cell facts every rule reads (a figure, a code, a row of the header), over plain
  `ir.Cell`s, whatever produced them;
* the seam rules: ordered ladders of named rules over a format-neutral description of
  the two pages (`RowSeam` of `Part`s, `BandSeam`, `CellRun`, `HeaderCut`), each rule
  deciding certain, likely (read so and noted) or undecidable (kept apart and noted),
  as wraps.py decides a line break; a reader describes what its pages show and asks
  (`row_seam`, `rest_beside_next_row`, `cell_run`, `header_cut`, `header_repeated`);
* the last word (`enforce`): a stage run on every reader's blocks once its tables are
  built. A budget line names its 통계목 (code or name) and prints its figures; a body row
  printing names but no code and no figure is no budget line but a fragment, the rest of
  the row above that a page break cut and no seam rule put back. Read as a line it would
  be a line of zeros that passes every arithmetic check; so a table holding one is set
  aside with its reason (its lines go to `unparsed`, no figure read from them), never
  passed on.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..domain.reasons import NOT_REBUILT
from ..domain.codes import CODE_OPENS
from ..domain.figures import FIGURE, SPACE_IN_DIGITS
from ..domain.headers import is_header_piece
from ..ir import Block, Cell, Paragraph, Table

# The words every reader opens a table's reason with when it sets the table aside (the
# CLI counts those lines for its note on standard error).
# Why a table is set aside by the last check (the parser reports it with each of its lines).
# Why a table is set aside when a cell prints two texts one over the other.
OVERPRINTED = ("{not_rebuilt} (page {page}: text printed over other text in a cell, "
               "a cell's lines drawn over its neighbour's; no reading order can take them apart)")
FRAGMENT_ROW = ("{not_rebuilt} ({what}{where}: "
                "the rest of a row a page break cut, or a name the table could not place; read as a budget line "
                "it would be a line of zeros)")


# ---------------------------------------------------------------- cell facts
def unwrapped(text: str) -> str:
    """A draft's digits without the spaces its line breaks put between them."""
    return SPACE_IN_DIGITS.sub("", text.strip())


@lru_cache(maxsize=65536)
def is_figure(text: str) -> bool:
    """A printed figure, perhaps wrapped over lines (`25,12 1.7` is `25,121.7`)."""
    return bool(FIGURE.match(unwrapped(text)))


@lru_cache(maxsize=65536)
def opens_with_code(text: str) -> bool:
    return bool(CODE_OPENS.match(text.strip()))


def has_code(cell: Cell) -> bool:
    return not cell.merged and opens_with_code(cell.text)


def figures(row: list[Cell]) -> int:
    """How many of the row's own cells print a figure."""
    return sum(1 for c in row if not c.merged and is_figure(c.text))


def has_digits(row: list[Cell]) -> bool:
    """A header prints words; a body row prints its figures or at least its code."""
    return any(ch.isdigit() for c in row for ch in c.text)


def first_figure_column(rows: list) -> int:
    """The first column where a row prints a figure: the columns before it print names
    (and a budget line names all its programmes, so none of them is empty in it)."""
    first = None
    for row in rows:
        cols = [d for d, cell in enumerate(row) if not cell.merged and is_figure(cell.text)]
        if len(cols) >= 2 and (first is None or cols[0] < first):
            first = cols[0]
    return first if first is not None else 0


def header_words(rows: list) -> set:
    """The texts of the table's header: its rows above the first row of figures."""
    head = set()
    for r in rows:
        if figures(r) >= 2:
            break
        head.update(c.text for c in r if c.text)
    return head


def header_like(row: list[Cell], rows: list) -> bool:
    """row prints only words of the table's header (the rows above its first figures)."""
    if has_digits(row):
        return False
    head = header_words(rows)
    return all(c.text in head for c in row if c.text)


def body_row(rows: list, repeated: int) -> bool:
    """The table's last row so far (rows[-1]) is a body row, not its header: the header
    the next page repeats is above it, or a row with figures is, or it prints digits."""
    if repeated and len(rows) > repeated:
        return True
    if any(figures(r) >= 2 for r in rows[:-1]):
        return True
    return has_digits(rows[-1])


def header_over_figures(row: list[Cell], names_end: int) -> bool:
    """row prints words over the figure columns (those from `names_end` on): only a header
    labels them."""
    return any(c >= names_end and not cell.merged and cell.text.strip() and not is_figure(cell.text)
               for c, cell in enumerate(row))


def fragments(row: list[Cell], rows: list, names_end: Optional[int] = None) -> bool:
    """row prints text in the name columns only (words over the figure columns are a
    header's) and no digit: pieces of names, no row of its own (a budget line prints its
    code, a total its figures). `names_end`: the table's first figure column, when known."""
    if names_end is None:
        names_end = first_figure_column(rows)
    own = [c for c, cell in enumerate(row) if not cell.merged and cell.text.strip()]
    if not own or has_digits(row) or any(c >= names_end for c in own):
        return False
    return not all(is_header_piece(row[c].text) for c in own)  # (a header's words: the header, cut or repeated)


# ---------------------------------------------------------------- the last word
def fragment_row(table: Table) -> Optional[tuple[int, str]]:
    """The first body row of a budget table (one printing a row of figures) that is no
    budget line, with the reason: a row of fragments (`fragments`), or, where the table's
    통계목 cells print their codes, a row whose 통계목 cell prints text without one; in a
    table without a header, a row of fragments above its first line too. None when every
    row is a line, a total, the header or blank."""
    rows = table.rows
    start = next((k for k, r in enumerate(rows) if figures(r) >= 2 or any(has_code(c) for c in r)), None)
    if start is None or not any(figures(r) >= 2 for r in rows):
        return None  # no budget table: nothing read from it is a budget line
    coded: dict[int, int] = {}
    with_code = [False] * len(rows)
    for k, r in enumerate(rows):
        for c, cell in enumerate(r):
            if has_code(cell):
                with_code[k] = True
                if k >= start:
                    coded[c] = coded.get(c, 0) + 1
    code_col = max(coded, key=coded.get) if coded and max(coded.values()) >= 2 else None
    names_end = first_figure_column(rows)
    headless = not any(is_header_piece(c.text) for r in rows[:start] for c in r if not c.merged and c.text.strip())
    # A table opening without a header, on names alone: the rest of a row of the table
    # before it, which the reader did not join to it (rows[0] itself is looked at too).
    for k in range(0 if headless else start + 1, len(rows)):
        if k < start and not fragments(rows[k], rows, names_end):
            continue
        row = rows[k]
        if with_code[k] or header_over_figures(row, names_end):
            continue
        stat = row[code_col] if code_col is not None and code_col < len(row) else None
        nameless = stat is not None and not stat.merged and bool(stat.text.strip()) and not is_figure(stat.text)
        if not (nameless or fragments(row, rows, names_end)):
            continue
        own = [c for c in row if not c.merged and c.text.strip()]
        pages = {c.loc.page for c in own} - {None}
        above = {c.loc.page for c in rows[k - 1] if not c.merged and c.text} - {None} if k else set()
        where = f", at the top of page {min(pages)}" if pages and above and min(pages) > max(above) else ""
        what = ("a 통계목 printed without its code where the others print theirs" if nameless
                else "a row printing names without a 통계목 code or any figure")
        return k, FRAGMENT_ROW.format(not_rebuilt=NOT_REBUILT, what=what, where=where)
    return None


def enforce(blocks: list[Block]) -> list[Block]:
    """Every table holding a fragment row (`fragment_row`) replaced by its rows as lines set
    aside with the reason; the other blocks as they are."""
    out: list[Block] = []
    for b in blocks:
        found = fragment_row(b) if isinstance(b, Table) else None
        if found is None:
            out.append(b)
            continue
        out += set_aside(b, found[1])
    return out


def set_aside(table: Table, why: str) -> list[Paragraph]:
    """The table's rows as lines set aside with the reason (no figure read from them)."""
    out = []
    for row in table.rows:
        text = " | ".join(c.text for c in row if not c.merged and c.text)
        if text:
            loc = next((c.loc for c in row if not c.merged and c.text), row[0].loc)
            out.append(Paragraph(text, loc, set_aside=why))
    return out


# ---------------------------------------------------------------- the seam rules
# A reader describes the page break in this form (what it sees of the two pages, column by
# column) and asks the ladders below; each rung is a named rule that either does not apply
# (None) or decides, with how sure it is and why. The first rung that decides is the
# answer, as wraps.py decides a line break. docs/seam_rules.md: rule → fixture → test.
CERTAIN, LIKELY, UNDECIDABLE = "certain", "likely", "undecidable"


@dataclass(frozen=True)
class Verdict:
    rule: str  # the rule's name (docs/seam_rules.md)
    joined: bool  # the two parts are one (a row, or a cell), or not
    certainty: str  # CERTAIN; LIKELY (read so, and noted); UNDECIDABLE (kept apart or set aside, noted)
    reason: str


@dataclass(frozen=True)
class Part:
    """One grid column's cell on one side of the page break: the cell covering it at the
    foot of page n (`above`) or the first row's own cell at the top of page n+1 (`below`)."""

    text: str  # what it prints on its page ('' when nothing)
    covered: bool = False  # a position a merge covers (it prints nothing of its own)
    aligned: bool = True  # below: spans the same columns as the cell above it
    whole: bool = False  # above: its text ends with room under it, short of where the page cut the row
    empty: bool = True  # above: prints no line on page n

    @property
    def code(self) -> bool:
        return not self.covered and opens_with_code(self.text)


@dataclass(frozen=True)
class RowSeam:
    """The table's last row on page n (`above`) and its first on page n+1 (`below`), and
    what the table so far and the pages show around them."""

    above: tuple  # Part per column
    below: tuple
    figures_above: int
    figures_below: int  # not counting the last digits of a figure of `above` wrapped over the page
    left_open: bool  # no rule closes the row at the break (on either page)
    at_foot: bool  # the table reaches the foot of page n's text area
    top_aligned: bool  # the table's cells print from their top
    below_header_like: bool  # below prints only words of the table's header
    above_body: bool  # above is a body row, not the header
    in_header: bool  # the table has printed no row of figures yet
    below_fragments: bool  # below prints names only: no code, no figure (`fragments`)
    code_cut_from_name: bool  # a 통계목 code at the foot, its name (or the code's rest) at the top


def _texts_under(s: RowSeam):
    return [(a, b) for a, b in zip(s.above, s.below) if not b.covered and b.text]


def _misaligned(s: RowSeam):
    if any(not b.aligned for _, b in _texts_under(s)):
        return Verdict("part_spans_other_columns", False, CERTAIN, "a part spanning other columns than the cell above: not its rest")


def _under_whole(s: RowSeam):
    if any(a.whole for a, _ in _texts_under(s)):
        return Verdict("text_under_whole_cell", False, CERTAIN, "text under a cell whose text ends above the cut: not its rest")


def _under_empty(s: RowSeam):
    if s.top_aligned and any(a.empty for a, _ in _texts_under(s)):
        return Verdict("text_under_empty_cell", False, CERTAIN,
                       "text under an empty cell: a top-aligned cell prints its first line on page n")


def _two_codes(s: RowSeam):
    if any(a.code and b.code for a, b in zip(s.above, s.below)):
        return Verdict("two_codes", False, CERTAIN, "two budget codes: two rows (a row may print its zeros blank)")


def _left_open(s: RowSeam):
    if s.left_open:
        both = s.figures_above >= 2 and s.figures_below >= 2
        return Verdict("row_left_open", not both, CERTAIN,
                       "both parts print figures of their own: two whole rows of a table drawn without that rule" if both
                       else "no rule closes the row at the page break: it goes on")


def _fragments_under_line(s: RowSeam):
    if s.figures_above >= 2 and any(a.code for a in s.above) and s.below_fragments:
        return Verdict("row_rest_above_next_row", True, CERTAIN,
                       "names without a code or any figure under a budget line printing its code: no line of their own, "
                       "the rest of the line the page cut, wherever the page's foot is")


def _short_of_foot(s: RowSeam):
    if not s.at_foot:
        return Verdict("table_short_of_foot", False, CERTAIN, "the table stops short of the page's foot: the page did not cut its last row")


def _figures_then_rest(s: RowSeam):
    if s.figures_above >= 2 and s.figures_below == 0:
        return Verdict("figures_above_rest_below", not s.below_header_like, CERTAIN,
                       "the header printed again" if s.below_header_like else "the row's figures on page n, the rest of its names on n+1")


def _top_then_figures(s: RowSeam):
    if s.figures_below >= 2 and s.figures_above == 0:
        return Verdict("names_above_figures_below", s.above_body, CERTAIN,
                       "the row's top on page n, its figures on n+1" if s.above_body else "page n's last row is the header")


def _header_row_cut(s: RowSeam):
    if s.figures_above == 0 and s.figures_below == 0 and s.in_header:
        cut = all(not a.whole for a, _ in _texts_under(s))
        return Verdict("header_row_cut", cut, CERTAIN,
                       "a header row cut at the foot of each of its cells" if cut else "a header cell ends above the cut")


def _blank_zero_row(s: RowSeam):
    if s.figures_above == 0 and s.figures_below == 0:
        return Verdict("code_cut_from_its_name", s.code_cut_from_name, CERTAIN,
                       "a 통계목 code at the foot of page n, its name at the top of n+1" if s.code_cut_from_name
                       else "two rows printing their zeros blank")


# The ladder for a row the page may have cut, in order.
ROW_RULES = (_misaligned, _under_whole, _under_empty, _two_codes, _left_open, _fragments_under_line,
             _short_of_foot, _figures_then_rest, _top_then_figures, _header_row_cut, _blank_zero_row)


def row_seam(s: RowSeam) -> Verdict:
    """Whether the first row of page n+1 is the rest of the last row of page n."""
    if not any(a.text for a in s.above) or not any(b.text for b in s.below):
        return Verdict("nothing_to_join", False, CERTAIN, "a part prints nothing")
    for rule in ROW_RULES:
        verdict = rule(s)
        if verdict is not None:
            return verdict
    return Verdict("two_rows", False, CERTAIN, "both parts print figures of their own")


@dataclass(frozen=True)
class BandSeam:
    """The first grid row of page n+1 when some of its cells are closed under it (the band)
    and others run on down into the next row (tall), under the last row of page n."""

    band: tuple  # texts of the cells closed under the first row
    tall: tuple  # texts of the cells running on into the next row
    aligned: bool  # every band text stands in the columns of the cell above it
    above_line: bool  # the row above is a budget line (its figures, or its code)


def rest_beside_next_row(s: BandSeam) -> Verdict:
    """Whether the band is the rest of the row the page cut, printed beside the next row's
    cells (which start at the page's top too): certain when the band prints only pieces
    of names and the tall cells start a row (its figures or its code)."""
    name = "row_rest_beside_next_row"
    if not s.band or not s.tall or not any(s.band):
        return Verdict(name, False, CERTAIN, "no band beside taller cells")
    if any(ch.isdigit() for t in s.band for ch in t):
        return Verdict(name, False, CERTAIN, "a figure or a code in the band: a row of its own, not a rest")
    if not (sum(1 for t in s.tall if is_figure(t)) >= 2 or any(opens_with_code(t) for t in s.tall)):
        return Verdict(name, False, CERTAIN, "the tall cells start no row: the band is a rest above the next row (the row rules)")
    if not s.above_line:
        return Verdict(name, False, CERTAIN, "the row above is no budget line (a header): nothing of it goes on")
    if not s.aligned:
        return Verdict(name, False, CERTAIN, "a band cell spans other columns than the cell above: not its rest")
    return Verdict(name, True, CERTAIN, "pieces of names closed under the page's first row, beside the next row's "
                   "figures or code: the rest of the row the page cut")


@dataclass(frozen=True)
class CellRun:
    """A name's cell at the foot of page n (above) and the text at the top of page n+1 in
    its column (below), the rows themselves not one: whether the name runs on. (The
    layout-text reader asks the same of a name and the text under it at any row's top: a
    name merged over rows runs on into the next row as into the next page.)"""

    below_prints: bool  # below prints text
    aligned: bool  # in the same columns
    repeated_name: bool  # below prints the same name again (tables repeating names row by row)
    new_to_the_left: bool  # a cell to its left starts at below's row
    above_prints: bool  # above prints a line on page n
    above_blank: bool  # above's cell holds no text at all
    top_aligned: bool  # the table's cells print from their top
    goes_on_right: bool  # a column to its right that spans rows goes on at below's row
    continuable: bool  # below's first word would not have fitted on above's last line
    room_for_more: bool  # room for more lines under above's text
    one_line_room: bool  # about one line's room under above's text (whole, or a last line left unused)
    left_open: bool  # a drawn break space, or no rule closes the cell at the page break
    row_full: bool  # another cell of above's row fills the row to the cut
    last_line_full: bool  # above's last line leaves no room for below's first glyph
    one_syllable: bool = False  # either reading would leave a name of one syllable (no name is)


def _run_no_rest(s: CellRun):
    if not s.below_prints or not s.aligned:
        return Verdict("no_rest_below", False, CERTAIN, "nothing printed in the cell's columns below")
    if s.repeated_name:
        return Verdict("name_printed_again", False, CERTAIN, "the name printed again: the table repeats its names row by row")


def _run_new_to_left(s: CellRun):
    if s.new_to_the_left:
        return Verdict("names_nest_left_to_right", False, CERTAIN,
                       "a cell to its left starts at the row below: names nest left to right, so this one starts too")


def _run_empty_at_foot(s: CellRun):
    if not s.above_prints:
        joined = s.above_blank and s.top_aligned
        return Verdict("merged_name_empty_at_foot", joined, LIKELY,
                       "empty at the foot of page n in a table printing from the top: the name is all on page n+1"
                       if joined else "an empty cell that does not print from its top")


def _run_goes_on_right(s: CellRun):
    if s.goes_on_right:
        return Verdict("programme_goes_on", True, LIKELY,
                       "the cell to its right goes on over the page: so does this name, and the text below is its rest")


def _run_word_fits(s: CellRun):
    if not s.continuable:
        return Verdict("first_word_would_have_fitted", False, CERTAIN, "the text below would have fitted on the name's last line")


def _run_one_syllable(s: CellRun):
    if s.one_syllable:
        return Verdict("no_name_of_one_syllable", True, CERTAIN, "read apart, one of the two would be a name of one syllable: none is")


def _run_room(s: CellRun):
    if s.room_for_more:
        return Verdict("room_under_name", False, CERTAIN, "room for more lines under the name: the page did not cut it")
    if s.one_line_room:
        return Verdict("one_line_room_under_name", False, UNDECIDABLE,
                       "one line's room under the name: whole, or a merged cell whose last line was left unused")


def _run_open(s: CellRun):
    if s.left_open:
        return Verdict("merged_cell_left_open", True, CERTAIN, "a drawn break space, or no rule closes the cell at the page break")


def _run_row_height(s: CellRun):
    if not s.row_full:
        return Verdict("name_set_row_height", False, CERTAIN, "the name set its row's height: it is whole")


def _run_full_line(s: CellRun):
    if s.last_line_full:
        return Verdict("merged_cell_runs_over", True, LIKELY, "the name fills its cell to the cut and its last line is full")
    return Verdict("merged_cell_may_run_over", False, UNDECIDABLE,
                   "the name fills its cell to the cut but its last line ends short: a whole name as tall as its row looks the same")


# The ladder for a name that may run on over the page (a merged cell), in order.
RUN_RULES = (_run_no_rest, _run_new_to_left, _run_empty_at_foot, _run_goes_on_right, _run_word_fits, _run_one_syllable, _run_room,
             _run_open, _run_row_height, _run_full_line)


def cell_run(s: CellRun) -> Verdict:
    """Whether a name at the foot of page n runs on into the text below it on page n+1."""
    for rule in RUN_RULES:
        verdict = rule(s)
        if verdict is not None:
            return verdict
    raise AssertionError("the last rule always decides")


# ---------------------------------------------------------------- the header over a page break
def header_repeated(table_rows: list, rows: list, most: int) -> int:
    """Rule `header_repeated`: how many leading rows of a table's part on the next page are
    printed exactly like the table's first rows (its header repeated on the new page, to
    be dropped). At most `most`, and never the part's last row (a part is more than its
    header)."""
    k = 0
    while (k < len(rows) - 1 and k < len(table_rows) and k < most and any(c.text for c in rows[k])
           and [c.text for c in rows[k]] == [c.text for c in table_rows[k]]):
        k += 1
    return k


def header_over_rest(first: list, again: list, below: list) -> Optional[dict]:
    """Rule `header_repeated_over_rest`: a row of the next page's part printed like the
    table's header row `first` but for lines added at the foot of some of its cells, each
    over an empty cell of the row `below` (texts per column; `again`: each cell's printed
    lines): the rest of the row the page cut, printed high, its line crossing the repeated
    header's rule into the header's cells (pdfium's glyph boxes stand above the letters; a
    cut row's rest is printed without padding above it). Returns {column: the lines that
    go to the cell below}, or None when the row is not so (another header, or a row)."""
    moves = {}
    for c, (f, lines, b) in enumerate(zip(first, again, below)):
        if " ".join(lines) == f:
            continue
        n = next((n for n in range(1, len(lines)) if " ".join(lines[:n]) == f), None)
        if not f or n is None or b is None or b:
            return None  # another text, or the cell below prints its own (or is covered)
        moves[c] = lines[n:]
    return moves or None


@dataclass(frozen=True)
class HeaderCut:
    """A header cell at the foot of page n (above) and the text in its columns at the top
    of page n+1 (below), the page break falling between two rows of the header."""

    below_prints: bool  # below prints text of its own, in the same columns
    above_blank: bool  # above prints nothing on page n and is no merged position
    above_full: bool  # above's last line leaves no room for another under it


def header_cut(s: HeaderCut) -> Verdict:
    """Whether a header cell cut by the page goes on into the text under it."""
    if not s.below_prints:
        return Verdict("no_rest_below", False, CERTAIN, "nothing printed in the cell's columns below")
    if s.above_blank:
        return Verdict("header_text_on_next_page", True, CERTAIN,
                       "a header cell spanning both rows prints nothing on page n: not even its first line fitted, "
                       "its text is all on page n+1")
    if s.above_full:
        return Verdict("header_cell_runs_on", True, LIKELY,
                       "a header cell's last line on page n leaves no room for another: the text under it is its rest")
    return Verdict("header_cell_whole", False, CERTAIN, "room under the header cell's text: it is whole")

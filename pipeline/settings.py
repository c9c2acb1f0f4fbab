"""The readers' tolerances, as one explicit settings object (as pdfplumber's `TableSettings`).

Every distance, ratio and count a reader compares against lives here, documented in
docs/settings.md, validated when the object is made. Readers take a `ReadingSettings`
(the default instance when none is given) and pass its parts down to their stages; there
is no module-level state to change.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields


def _check(obj) -> None:
    """Types and ranges of every field: a number where a number is meant, within its bounds."""
    for f in fields(obj):
        value = getattr(obj, f.name)
        kind = f.metadata.get("kind", float)
        lo, hi = f.metadata.get("range", (None, None))
        name = f"{type(obj).__name__}.{f.name}"
        if kind is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{name} must be a whole number, not {value!r}")
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            raise ValueError(f"{name} must be a number, not {value!r}")
        if lo is not None and value < lo:
            raise ValueError(f"{name} must be at least {lo}, not {value!r}")
        if hi is not None and value > hi:
            raise ValueError(f"{name} must be at most {hi}, not {value!r}")


def _num(default: float, lo: float = 0.0, hi: float | None = None):
    return field(default=default, metadata={"kind": float, "range": (lo, hi)})


def _count(default: int, lo: int = 1, hi: int | None = None):
    return field(default=default, metadata={"kind": int, "range": (lo, hi)})


@dataclass(frozen=True)
class WrapSettings:
    """Deciding a text's line breaks (readers/wraps.py)."""

    tolerance: float = _num(0.5)  # points (or columns): slack when widths are compared
    clearly_fits: float = _num(1.07, 1.0, 2.0)  # ratio: room must exceed the next glyph by this to count
    space_em: float = _num(0.3, 0.05, 1.0)  # ems: a space's width when the document draws none
    max_whole_text_breaks: int = _count(6, 0, 16)  # ambiguous breaks tried together (2**n strings)
    context_chars: int = _count(16, 1)  # characters either side of a break looked up in the vocabulary

    def __post_init__(self):
        _check(self)


@dataclass(frozen=True)
class PageSettings:
    """Putting PDF pages together: paragraphs, and tables over page breaks (readers/pdf/pages.py)."""

    foot_em: float = _num(0.6)  # ems: a line's foot this near its box's foot fills the box
    spare_lines: float = _num(1.5)  # ems beyond a full cell's gap: room for one more line under a text
    cut_lines: float = _num(2.0)  # ems: a table ending within this of the lowest foot was cut by the page
    aligned_spread: float = _num(1.5)  # points: cells whose text starts within this of their top alike are top-aligned
    rule_slack: float = _num(2.0)  # points: a gap in a rule covers a cell when within this of its sides
    column_slack: float = _num(3.0)  # points: column edges this close are one edge
    line_gap_em: float = _num(0.8)  # ems of font size: the widest gap between two lines of one paragraph
    line_gap_over_tightest_em: float = _num(0.25)  # ems over the page's tightest line gap still one paragraph
    overlap: float = _num(0.5)  # points two lines may overlap and still be one above the other
    size_slack: float = _num(0.5)  # points: font sizes this close are one size
    room_slack_em: float = _num(0.5)  # ems: a first word must exceed the room left by this to have been wrapped
    fallback_size: float = _num(10.0, 1.0)  # points: font size assumed where a row prints no text
    max_repeated_header_rows: int = _count(4)  # rows a table's header repeated on a new page may take

    def __post_init__(self):
        _check(self)


@dataclass(frozen=True)
class LayoutSettings:
    """Rebuilding tables and paragraphs from text a PDF converter laid out with spaces
    (readers/pdftext/). Distances in characters (or display columns)."""

    moved_slack: float = _num(3.0)  # characters a column may stand off on a page without its header
    nearer_by: float = _num(3.0)  # characters one reading of a cut header must be nearer than the others
    max_header_readings: int = _count(8)  # readings of a cut header weighed against each other
    anchor_reach: float = _num(2.0)  # widths of its own text a cut header cell's part may stand from the rest it joins
    widest_line_slack: float = _num(0.6)  # ems: a line this much short of its column's widest is short
    narrow_column: float = _num(2.0)  # ems: a column narrower than this holds one syllable a line
    near_columns: int = _count(2, 0)  # characters: figures' right ends this close stand in one column
    header_lines: int = _count(12)  # lines a table's header may take
    display_spread_ratio: float = _num(0.5, 0.0, 1.0)  # display width is taken when it lines figures up this much better
    flush_right: float = _num(0.8, 0.0, 1.0)  # fraction of the page's width a page header's end reaches
    furniture_chars: int = _count(60)  # characters: the longest running header or footer
    page_header_chars: int = _count(30)  # characters: the longest page header alone on the first page
    narrowest_page: float = _num(30.0)  # ems: the narrowest text width a page is taken to have
    bullet_slack: float = _num(3.0)  # ems a bulleted line may end short of the right and still wrap
    line_slack: float = _num(0.5)  # ems a line may end short of the right and still wrap
    max_chain_links: int = _count(4)  # seams chained into one name, at most

    def __post_init__(self):
        _check(self)


@dataclass(frozen=True)
class LineSettings:
    """PDF characters into printed lines (readers/pdf/lines.py)."""

    line_overlap: float = _num(0.5)  # points: a glyph whose middle is this far outside a line's band still joins it
    word_gap_em: float = _num(0.2, 0.01, 2.0)  # ems: a gap wider than this is a space, where the PDF draws no space glyphs
    word_gap_spaced_em: float = _num(0.45, 0.01, 2.0)  # ems: the same where it draws them (a quarter-em gap in `4/4분기` stays glued)
    overprint: float = _num(0.5, 0.0, 1.0)  # glyph widths: the same glyph drawn this near itself is a fake-bold duplicate
    overprinted: float = _num(0.5, 0.0, 1.0)  # glyph widths: two different glyphs of a line overlapping more are two texts printed over each other
    align_tolerance: float = _num(1.0)  # points: a line this near a content edge is aligned to it

    def __post_init__(self):
        _check(self)


@dataclass(frozen=True)
class PdfSettings:
    """A PDF page's rules, tables and margins (readers/pdf/reader.py; the ruled-table finder's
    pdfplumber-style tolerances are passed to readers/pdf/tables.py)."""

    snap_tolerance: float = _num(3.0)  # points: parallel rules this close are snapped to one line (pdfplumber's default)
    join_tolerance: float = _num(3.0)  # points: collinear rules this close are joined (pdfplumber's default)
    edge_min_length: float = _num(3.0)  # points: shorter joined rules are dropped (pdfplumber's default)
    intersection_tolerance: float = _num(3.0)  # points: rules this close are taken to cross (pdfplumber's default)
    edge_min_length_prefilter: float = _num(1.0)  # points: shorter edges are dropped before merging (pdfplumber's default)
    rule_min: float = _num(2.0)  # points: a shorter edge is no rule (a dot, a rule's end cap)
    side_rule_min: float = _num(20.0)  # points: a shorter horizontal rule marks no table's side
    rule_merge: float = _num(1.5)  # points: rule positions this close are one (a rule's width, rounding)
    rule_reach: float = _num(2.0)  # points: a rule this near a table's top or foot is at it
    side_reach: float = _num(3.0)  # points: a column rule this near a side, or reaching this near a rule, meets it
    padding_min: float = _num(0.3)  # points: a smaller gap beside a line is no cell padding (the text touches the rule)
    padding_max: float = _num(8.0)  # points: a larger gap beside a line is no cell padding (the line is centred or indented)
    padding_default: float = _num(5.0)  # points: a cell's padding when no line shows it
    overflow: float = _num(0.2, 0.0, 1.0)  # ems: a glyph crossing its cell's top rule by more was drawn on from the cell above
    overflow_overprint: float = _num(0.05, 0.0, 1.0)  # ems: … so was one crossing it at all that overprints a lower glyph
    baseline_shift: float = _num(0.3)  # points: glyph tops or feet this far apart are on different lines
    overprint_width: float = _num(0.3, 0.0, 1.0)  # fraction of a glyph's width another must cover to overprint it
    overprint_height: float = _num(0.5, 0.0, 1.0)  # fraction of a glyph's height another must cover to overprint it
    line_pitch_slack: float = _num(0.5)  # points: lines of a cell this near one pitch apart are at its pitch
    probe: float = _num(0.5, 0.01)  # points above a rule where the cell above it is looked up
    number_band: float = _num(0.12, 0.0, 0.5)  # fraction of the page's height from an edge where page numbers stand
    header_band: float = _num(0.08, 0.0, 0.5)  # fraction of the page's height from an edge where running headers stand
    same_place: float = _num(2.0)  # points: furniture stands this alike from its edge on every page
    mirror: float = _num(6.0)  # points: a one-page header as far from the top as the page number from the foot, within this
    body_edge: float = _num(0.5)  # points: furniture stands clear of the body by at least this
    unruled_column_gap: float = _num(0.6, 0.05, 5.0)  # ems: a blank this wide in every row parts two columns of a table without vertical rules (a space between words is narrower)
    unruled_row_gap: float = _num(0.1, 0.01, 5.0)  # ems: a blank between text lines taller by this than the table's tightest (a cell's line spacing) parts two rows where no rule does
    unruled_min_columns: int = _count(3, 2)  # a table without vertical rules showing fewer columns is not rebuilt (prose between two rules)

    def __post_init__(self):
        _check(self)


@dataclass(frozen=True)
class GeometrySettings:
    """A PDF page's characters as its producer reads them: spaces the PDF engine's text
    page lost, given back (readers/pdf/geometry.py)."""

    start_grid: float = _num(1.0, 0.01)  # points: glyph starts are compared on a grid this fine, one cell either way
    start_slack: float = _num(0.1)  # points: a glyph starting this far left of a blank text's origin still follows it
    space_reach_em: float = _num(1.0, 0.0, 4.0)  # ems: a blank text's space ends at the next glyph when it starts within this
    open_space_em: float = _num(0.25, 0.0, 2.0)  # ems: a space's width at a line's end where none was learned
    lost_space_min: float = _num(0.9, 0.0, 1.0)  # space advances: the narrowest gap taken for a lost space glyph
    lost_space_max: float = _num(1.5, 1.0, 4.0)  # space advances: the widest gap taken for a lost space glyph
    baseline_split: float = _num(0.5)  # points: baselines this close yet apart are one line printed a hair apart

    def __post_init__(self):
        _check(self)
        if self.lost_space_min > self.lost_space_max:
            raise ValueError(f"GeometrySettings.lost_space_min ({self.lost_space_min!r}) must not exceed "
                             f"lost_space_max ({self.lost_space_max!r})")


@dataclass(frozen=True)
class ReadingSettings:
    """Every reader's tolerances."""

    pdf: PdfSettings = field(default_factory=PdfSettings)
    geometry: GeometrySettings = field(default_factory=GeometrySettings)
    lines: LineSettings = field(default_factory=LineSettings)
    wraps: WrapSettings = field(default_factory=WrapSettings)
    pages: PageSettings = field(default_factory=PageSettings)
    layout: LayoutSettings = field(default_factory=LayoutSettings)

    def __post_init__(self):
        for f in fields(self):
            part, kind = getattr(self, f.name), globals()[f.type] if isinstance(f.type, str) else f.type
            if not isinstance(part, kind):
                raise ValueError(f"ReadingSettings.{f.name} must be a {kind.__name__}, not {part!r}")


DEFAULT_SETTINGS = ReadingSettings()

"""Text wrapped over printed lines → the text as written, with a space only where one was.

A PDF (or a text rendering of one) prints a cell or a paragraph as lines; the line breaks
are the layout engine's, not the author's. At each break the author's text had either a
space (the engine broke there) or nothing (the engine broke inside a word). This module
decides which, for any reader that can measure its lines: the PDF reader in points, a
reader of `pdftotext -layout` output in character columns. It never sees a PDF object:
only the facts of each break (`LineBreak`).

How engines wrap, which is what the evidence rests on:
* Latin words and numbers are broken only when a word alone is wider than the line.
* Hangul is wrapped either at spaces (LibreOffice with Korean text, Word's 어절 mode) or at
  any syllable (HWP's default, LibreOffice with text not marked Korean, Chromium): then a
  full line ends wherever the next syllable no longer fits, inside a word or not.
* Some engines (LibreOffice) draw the space at which they broke, when it fits on the line.

The decision at one break, from strongest evidence to weakest:
1. a space glyph printed at the break: a space;
2. an opening bracket before it, a middle dot either side (`민·`/`관`), or a number/code split
   (`355,00`/`0`, `201-`/`01`, `201`/`-01`): nothing;
3. the next character would have fitted in the room left (with room to spare: widths are
   known to half a point): the engine broke at a space; where the room is only known to be
   at least the next syllable (text converted from PDF), most likely a space, but undecided;
4. the line is full and the scripts either side differ, or they are Latin: a space, except
   inside a single Latin word (forced);
5. Hangul on both sides of a full line: nothing when the producer draws break spaces and
   one would have fitted here; a space when the line holds several words and the document
   shows it wraps Hangul at spaces; otherwise **undecided**.
Undecided breaks are settled by the document's own vocabulary: the whole text, written
each possible way, printed elsewhere in the document (another row, the 전용개요, a title);
else the words either side of the break printed together or apart; else the likelier
reading: nothing at a full line (see `_DEFAULT`), a space where a syllable may have fitted.
Every undecided break is reported as a `Note` (the text as joined, the alternative, and
why), so that no heuristic choice is silent.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product
from statistics import median
from typing import Optional

from ..domain.codes import CODE_CHARS
from ..ir import Note
from ..settings import DEFAULT_SETTINGS, WrapSettings

# The tolerances (settings.WrapSettings, docs/settings.md): widths are compared with a
# slack (`tolerance`); room for the next character counts only with some to spare
# (`clearly_fits`: a cell's content width is known to about half a point, and a line that
# looks just full enough must not be read as broken at a space); a space is `space_em` of
# the font size when the document draws none to measure.
_OPENING = "([{〈《「『“‘【〔"
# Middle dots join words without a space (`민·관`, `민ㆍ관`); LibreOffice may break next to
# one, with room left on the line.
_JOINERS = "·・ㆍ‧"
_NUMBER_PUNCT = ",.'"
# An undecided break without evidence: nothing. The line is full and the scripts either
# side are Hangul: a forced break inside a word longer than the line (engines that wrap at
# spaces), or anywhere (engines that wrap at syllables, where most syllables are not
# followed by a space); a break at a space needs the word before it to fill the line.
_DEFAULT = ""
# Why a break was left to the vocabulary (the start of its note's reason).
FULL_LINE = "a full line of Hangul"
LEAN_SPACE = "the next syllable would just have fitted, if the cell is no wider than its column's widest line"


def kind(ch: str) -> str:
    """The script class that decides whether a break between two characters may split a word."""
    if ch.isdigit() or ch in _NUMBER_PUNCT:
        return "num"
    if ch in _JOINERS:
        return "other"
    if "\uac00" <= ch <= "\ud7a3" or "\u3131" <= ch <= "\u318e":
        return "hangul"
    if ch.isalpha():
        return "latin"
    return "other"


@dataclass(frozen=True)
class LineBreak:
    """The facts of one line break, measured by the reader (points, or columns)."""

    before: str  # the line before the break, as printed (no leading/trailing space)
    after: str  # the line after it
    room: float  # room left after the line before, to the right edge of its box
    next_w: float  # width of the first character after the break
    size: float  # font size of the line before (em)
    space_w: Optional[float] = None  # width of a space glyph in that font, when one is printed
    trailing_space: bool = False  # a space glyph is drawn after the last character before the break
    leading_space: bool = False  # … or before the first character after it
    align: str = "left"  # how the line before sits in its box: left, right, center, full, other
    # room and next_w are bounds (room at least, next_w at most), not measurements: the next
    # character fits without the margin measured widths need (text converted from PDF).
    bounds: bool = False


@dataclass(frozen=True)
class WrapStyle:
    """What a whole document shows about how its producer wraps lines."""

    # Alignments at which the producer draws the space it broke at (LibreOffice: left-aligned
    # lines, not centred ones).
    trailing_spaces: frozenset = frozenset()
    by_word: Optional[bool] = None  # Hangul wrapped at spaces (True), anywhere (False), unknown
    space_em: float = DEFAULT_SETTINGS.wraps.space_em
    settings: WrapSettings = DEFAULT_SETTINGS.wraps

    @classmethod
    def of(cls, breaks, settings: WrapSettings = DEFAULT_SETTINGS.wraps) -> "WrapStyle":
        """Read the producer's habits off every break of the document: a drawn break space
        means the producer draws them (for lines aligned like that one); a Hangul line left
        short although a space and the next syllable would have fitted means Hangul is
        wrapped at spaces; a multi-word line broken inside a word where a drawn space would
        have fitted means it is not."""
        breaks = list(breaks)
        trailing = frozenset(b.align for b in breaks if b.trailing_space)
        ems = [b.space_w / b.size for b in breaks if b.space_w and b.size]
        space_em = median(ems) if ems else settings.space_em
        tol = settings.tolerance
        by_word_seen = by_char_seen = False
        for b in breaks:
            if not b.before or not b.after or kind(b.before[-1]) != "hangul" or kind(b.after[0]) != "hangul":
                continue
            space_w = b.space_w or space_em * b.size
            first_word = b.after.split(" ", 1)[0]
            if len(first_word) >= 2 and b.room >= space_w + b.next_w + tol:
                by_word_seen = True
            elif (b.align in trailing and not b.trailing_space and not b.leading_space and " " in b.before
                  and space_w + tol <= b.room < b.next_w - tol):
                by_char_seen = True
        by_word = None
        if by_word_seen != by_char_seen:
            by_word = by_word_seen
        return cls(trailing, by_word, space_em, settings)


@dataclass(frozen=True)
class Decision:
    sep: str  # "" or " "
    certain: bool
    why: str


def decide(b: LineBreak, style: WrapStyle) -> Decision:
    """What one break stands for, from its geometry and the document's style (the module
    docstring's steps 1–5); `certain=False` leaves it to the vocabulary."""
    a, nxt = b.before, b.after
    if b.trailing_space or b.leading_space:
        return Decision(" ", True, "a space is printed at the break")
    last, first = a[-1], nxt[0]
    if last in _OPENING:
        return Decision("", True, "after an opening bracket")
    # A middle dot joins the words either side of it, unless a space printed beside it
    # says the document spaces it here (`민 · 관`).
    if (last in _JOINERS and " " not in a[-2:]) or (first in _JOINERS and " " not in nxt[:2]):
        return Decision("", True, "next to a middle dot, which joins words (`민·관`)")
    single = " " not in a
    ka, kb = kind(last), kind(first)
    if single and ka == "num" and first.isdigit():
        return Decision("", True, "a number split over two lines")
    if last == "-" and len(a) >= 2 and a[-2].isdigit() and first.isdigit():
        return Decision("", True, "a code split at its hyphen")
    if single and first == "-" and last.isdigit() and CODE_CHARS.match(a) and len(nxt) >= 2 and nxt[1].isdigit():
        return Decision("", True, "a code split before its hyphen")
    if b.room >= b.next_w * style.settings.clearly_fits:
        return Decision(" ", True, "the next character would have fitted: the line was broken at a space")
    if b.bounds and b.room >= b.next_w and kind(last) == kind(first) == "hangul":
        # The room is at least the next syllable (the cell at least as wide as its column's
        # widest line), perhaps no more: engines that break a word longer than its line
        # sometimes leave just that much (LibreOffice printed `관미세먼지메` / `타버스` in a
        # cell holding `저감공공긔을냔`). Most such breaks are spaces; none is certain.
        return Decision(" ", False, LEAN_SPACE)
    if ka != kb or ka not in ("hangul", "latin"):
        return Decision(" ", True, "a full line broken between different scripts")
    if ka == "latin":
        return Decision("" if single else " ", True, "Latin words are broken only when longer than the line")
    space_w = b.space_w or style.space_em * b.size
    if b.align in style.trailing_spaces and b.room >= space_w + style.settings.tolerance:
        return Decision("", True, "no space is printed where this document prints one at a break")
    if not single and style.by_word:
        return Decision(" ", True, "this document wraps Hangul at spaces")
    return Decision(_DEFAULT, False, FULL_LINE)


@dataclass
class Wrapped:
    """One cell's or paragraph's printed lines and the breaks between them."""

    pieces: list[str]
    breaks: list[LineBreak]  # len(pieces) - 1
    seps: list[str] = field(default_factory=list)
    certain: list[bool] = field(default_factory=list)
    whys: list[str] = field(default_factory=list)  # why each break was decided so
    notes: list[Note] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.joined(self.seps)

    def joined(self, seps) -> str:
        """The pieces joined with `seps`, runs of whitespace collapsed to one space."""
        if not self.pieces:
            return ""
        out = [self.pieces[0]]
        for sep, piece in zip(seps, self.pieces[1:]):
            out.append(sep)
            out.append(piece)
        return " ".join("".join(out).split())


def resolve(texts: list[Wrapped], style: Optional[WrapStyle] = None, settings: WrapSettings = DEFAULT_SETTINGS.wraps) -> WrapStyle:
    """Decide every break of every text of one document (texts are changed in place: `seps`,
    `notes`). Returns the style read off the document."""
    if style is None:
        style = WrapStyle.of((b for t in texts for b in t.breaks), settings)
    open_texts = []
    for t in texts:
        decisions = [decide(b, style) for b in t.breaks]
        t.seps = [d.sep for d in decisions]
        t.certain = [d.certain for d in decisions]
        t.whys = [d.why for d in decisions]
        if not all(t.certain):
            open_texts.append(t)
    if not open_texts:
        return style
    corpus = _Corpus(texts)
    for t in open_texts:
        _settle(t, corpus, style.settings)
    return style


def joined_readings(pairs: list, texts: list[Wrapped], style: WrapStyle) -> list[list[str]]:
    """For each (first, second, brk) — two texts that may be one, `second` going on after
    `first`'s last line at the break `brk` — the ways the one text is spelled: the break
    decided by the rule above, or both spellings when only the document's words lean one
    way (that one first) or nothing decides it (the default first). Texts already resolved."""
    corpus: Optional[_Corpus] = None
    out = []
    for first, second, brk in pairs:
        d = decide(brk, style)
        both = Wrapped([first.text, second.text], [brk])
        if d.certain:
            out.append([both.joined([d.sep])])
            continue
        if corpus is None:
            corpus = _Corpus(texts)
        both.seps, both.certain = [d.sep], [False]
        sep, _ = _by_context(both, 0, corpus, style.settings.context_chars)
        if sep is not None:
            # a stretch printed elsewhere leans one way; the other spelling stays a reading
            out.append([both.joined([sep]), both.joined(["" if sep else " "])])
        else:
            out.append([both.joined([d.sep]), both.joined(["" if d.sep else " "])])
    return out


class _Corpus:
    """Everything the document prints with certainty: each text with its decided breaks,
    cut (by a newline) at every undecided one, so that no text is its own evidence."""

    def __init__(self, texts: list[Wrapped]):
        parts = []
        for t in texts:
            out = [t.pieces[0]] if t.pieces else []
            for sep, certain, piece in zip(t.seps, t.certain, t.pieces[1:]):
                out.append(sep if certain else "\n")
                out.append(piece)
            parts.append("".join(out))
        self.text = "\n".join(parts)

    def has(self, s: str) -> bool:
        return s in self.text

    def has_word(self, s: str) -> bool:
        """s printed starting a word (a name inside a sentence may take a particle after
        it, never a syllable before it)."""
        start = 0
        while True:
            k = self.text.find(s, start)
            if k < 0:
                return False
            if k == 0 or not self.text[k - 1].isalnum():
                return True
            start = k + 1


def _settle(t: Wrapped, corpus: _Corpus, settings: WrapSettings) -> None:
    """Decide t's undecided breaks from the vocabulary, and note each one."""
    open_at = [k for k, c in enumerate(t.certain) if not c]
    if len(open_at) <= settings.max_whole_text_breaks:
        found = []
        for choice in product(("", " "), repeat=len(open_at)):
            seps = list(t.seps)
            for k, sep in zip(open_at, choice):
                seps[k] = sep
            candidate = t.joined(seps)
            if corpus.has_word(candidate):
                found.append(seps)
                if len(found) > 1:
                    break
        if len(found) == 1:
            t.seps = found[0]
            text = t.text
            for k in open_at:
                _note(t, k, f"{_why(t, k)}; the document prints “{text}” elsewhere", "vocabulary")
            return
    decided = []
    for k in open_at:
        if _why(t, k) == LEAN_SPACE:
            # Geometry leans to a space: only the whole text printed elsewhere outweighs it,
            # not a stretch of it (`_by_context` weighs breaks geometry cannot lean on).
            decided.append((k, f"{LEAN_SPACE}; read so", "default"))
            continue
        sep, why = _by_context(t, k, corpus, settings.context_chars)
        decided.append((k, f"{_why(t, k)}; {why}", "default" if sep is None else "vocabulary"))
        if sep is not None:
            t.seps[k] = sep  # else the decision's own lean (mostly nothing: see _DEFAULT)
    for k, why, basis in decided:
        _note(t, k, why, basis)


def _why(t: Wrapped, k: int) -> str:
    return t.whys[k] if k < len(t.whys) else FULL_LINE


def _note(t: Wrapped, k: int, why: str, basis: str) -> None:
    flipped = list(t.seps)
    flipped[k] = "" if flipped[k] else " "
    t.notes.append(Note(text=t.text, alternative=t.joined(flipped), reason=why, basis=basis))


def _by_context(t: Wrapped, k: int, corpus: _Corpus, context: int) -> tuple[Optional[str], str]:
    """Break k read by the longest stretch around it that the document prints elsewhere
    with nothing there versus with a space there."""
    left, right = _side(t, k, context, before=True), _side(t, k, context, before=False)
    (glued, glued_at), (spaced, spaced_at) = (_longest(left, sep, right, corpus) for sep in ("", " "))
    if glued == spaced:
        if glued:
            return None, "the document prints the words either side both joined and apart"
        return None, "no evidence elsewhere in the document"
    if glued > spaced:
        return "", f"the document prints “{glued_at}” elsewhere"
    return " ", f"the document prints “{spaced_at}” elsewhere"


def _side(t: Wrapped, k: int, context: int, before: bool) -> str:
    """The text either side of break k, as far as the neighbouring undecided break (or
    the end), with the breaks between decided."""
    if before:
        start = k
        while start > 0 and t.certain[start - 1]:
            start -= 1
        out = [t.pieces[start]]
        for j in range(start, k):
            out.append(t.seps[j])
            out.append(t.pieces[j + 1])
        return " ".join("".join(out).split())[-context:]
    end = k + 1
    while end < len(t.seps) and t.certain[end]:
        end += 1
    out = [t.pieces[k + 1]]
    for j in range(k + 1, end):
        out.append(t.seps[j])
        out.append(t.pieces[j + 1])
    return " ".join("".join(out).split())[:context]


def _longest(left: str, sep: str, right: str, corpus: _Corpus) -> tuple[int, str]:
    """The longest stretch around the break (at least one character each side) that the
    corpus prints with `sep` there: its letter count and the stretch. The stretches the
    corpus prints are closed under shrinking, so a walk along their edge needs one search
    per step."""
    best, shown = 0, ""
    r = len(right)
    for l in range(1, len(left) + 1):
        while r >= 1 and not corpus.has(left[-l:] + sep + right[:r]):
            r -= 1
        if r == 0:
            break
        n = _letters(left[-l:]) + _letters(right[:r])
        if n > best:
            best, shown = n, (left[-l:] + sep + right[:r]).strip()
    return best, shown


def _letters(s: str) -> int:
    return sum(1 for ch in s if not ch.isspace())

"""Line breaks inside the cells of a layout text's tables, decided for the whole document at
once (the PDF reader's rule, wraps.py), with the prose as vocabulary."""
from __future__ import annotations

from typing import Optional

import regex as re

from ...ir import Note, Paragraph
from ...settings import ReadingSettings
from ...textutil import collapse
from ..wraps import Wrapped, joined_readings, resolve

def decide_breaks(built: list, paragraphs: list[Paragraph], settings: ReadingSettings) -> None:
    """Every line break inside a table cell, decided for the whole document at once (the
    PDF reader's rule, wraps.py), with the prose as vocabulary; a break decided without
    evidence is kept as decided and noted on its cell."""
    cells = [tc for b in built for tc in b.text_cells]
    wrapped = [tc.wrapped for tc in cells] + [Wrapped([p.text], []) for p in paragraphs]
    style = resolve(wrapped, settings=settings.wraps)
    names = {id(tc) for b in built for tc in b.text_cells if b.stat_col is None or tc.col < b.stat_col}
    together: Optional[str] = None  # what the document prints on lines that are not two syllables alone
    for tc in cells:
        cell = tc.cell
        cell.text = collapse(tc.wrapped.text)
        if id(tc) in names and any(_TWO_SYLLABLES.match(p) for p in tc.wrapped.pieces):
            if together is None:
                together = "\n".join([p for t in cells for p in t.wrapped.pieces if not _TWO_SYLLABLES.match(p)] + [p.text for p in paragraphs])
            tc.wrapped.notes += _swallowed_spaces(tc.wrapped, together)
        for n in tc.wrapped.notes:
            n.loc = cell.loc
        if tc.wrapped.notes:
            cell.notes = tuple(tc.wrapped.notes)
    why = ("a name merged over rows may run on into the next row: the text above fills its row to the last line "
           "and the next row's name goes on from it without a gap; read as two names")
    # The other reading, one name, spelled as its own line break reads (both ways when
    # nothing decides that break either).
    pairs = [(above, new, brk) for b in built for above, new, brk in b.maybe]
    readings = joined_readings([(above.wrapped, new.wrapped, brk) for above, new, brk in pairs], wrapped, style)
    for (above, new, _), joined in zip(pairs, readings):
        for cell in (above.cell, new.cell):
            cell.notes = tuple(cell.notes) + tuple(Note(cell.text, j, why, "layout", cell.loc) for j in joined)
    drawn = ("a page's last row printing no name here is read as under the name above; the name opening the "
             "next page has more lines than that row had on its page, so it may be that row's, drawn on the next "
             "page (merged on into the row there)")
    for b in built:
        for cell, above, new in b.drawn_maybe:
            cell.notes = tuple(cell.notes) + (Note(above.cell.text, new.cell.text, drawn, "layout", cell.loc),)
    # A name that may run on into a row whose name may run on again (a merged name over
    # three rows, each full): its parts may all be one name, spelled link by link.
    for chain in _chains(pairs, readings, settings.layout.max_chain_links):
        parts = [chain[0][0]] + [new for _, new, _ in chain]
        for spelled in _chain_readings(chain):
            for tc in parts:
                tc.cell.notes = tuple(tc.cell.notes) + (Note(tc.cell.text, spelled, why, "layout", tc.cell.loc),)


def _chains(pairs: list, readings: list, max_links: int) -> list[list]:
    """Runs of two or more links (above, new, spellings) where each link's new name is the
    next one's name above: every such run within the longest (any of them may be the one
    name: `녹색 자치` / `스마트` / `폴 기반`, a new name after it)."""
    after = {id(above): (above, new, joined) for (above, new, _), joined in zip(pairs, readings)}
    news = {id(new) for _, new, _ in pairs}
    out = []
    for above, _, _ in pairs:
        if id(above) in news:
            continue  # not the head of its run
        chain = []
        at = above
        while id(at) in after and len(chain) < len(pairs):
            link = after[id(at)]
            chain.append(link)
            at = link[1]
        out += [chain[i:j] for i in range(len(chain)) for j in range(i + 2, min(len(chain), i + max_links) + 1)]
    return out


def _chain_readings(chain: list) -> list[str]:
    """A chain's one-name spelling: each link's likelier spelling of its two names (the
    other, where there is one, is in that link's own notes), overlapping on the name they
    share."""
    out = ""
    for k, (above, _, joined) in enumerate(chain):
        if not k:
            out = joined[0]
        elif joined[0].startswith(above.cell.text):
            out += joined[0][len(above.cell.text):]
        else:
            return []
    return [out]


# A line of a cell that is two Hangul syllables and nothing else.
_TWO_SYLLABLES = re.compile(r"^[가-힣]{2}$")


def _swallowed_spaces(w: Wrapped, together: str) -> list[Note]:
    """Notes for the spaces pdftotext may have left out of a name: it reads a space off the
    gaps between a line's characters, and when they are all alike (a line of two one-syllable
    words, `컸 먁`, `지 관`, has a single gap) it takes the line for one word and prints no
    space. So a line of two syllables alone may have had a space between them: read as
    printed, and noted unless the document prints them together on another line (`together`:
    its lines that are not two syllables alone), where the space would show."""
    notes = []
    for k, piece in enumerate(w.pieces):
        if _TWO_SYLLABLES.match(piece) and piece not in together:
            spaced = Wrapped(w.pieces[:k] + [f"{piece[0]} {piece[1]}"] + w.pieces[k + 1:], w.breaks)
            notes.append(Note(
                text=w.text, alternative=spaced.joined(w.seps),
                reason="pdftotext prints a line of two one-syllable words without the space between them "
                       "(the line's only gap looks like the gap inside a word); read as printed",
                basis="layout",
            ))
    return notes

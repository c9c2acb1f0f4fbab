"""Parse: segment a Document into the report, its transfers and their sections."""
from ..ir import Document, Note, Paragraph
from ..records import Report
from .budget import is_header_row
from .report import parse_document as _segment


def parse_document(doc: Document) -> Report:
    """The report printed in doc, with the readers' notes carried over."""
    report = _segment(doc)
    report.notes = notes_of(doc)
    return report


def notes_of(doc: Document) -> list[Note]:
    """The readers' notes (readings a heuristic decided, such as a space at a line break
    inside a name) in reading order, but for those on a table's header words: the parser
    reads headers by their words whatever their spaces, so no output depends on them."""
    out: list[Note] = []
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            out.extend(b.notes)
            continue
        for row in b.rows:
            if any(cell.notes for cell in row) and not is_header_row(row):
                out.extend(n for cell in row for n in cell.notes)
    return out


__all__ = ["parse_document", "notes_of"]

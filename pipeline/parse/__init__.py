"""Parse: segment a Document into the report, its transfers and their sections."""
from ..ir import Document
from ..records import Report
from .report import parse_document as _segment


def parse_document(doc: Document) -> Report:
    """The report printed in doc, with the readers' notes (readings a heuristic decided,
    such as a space at a line break inside a name) carried over in reading order."""
    report = _segment(doc)
    report.notes = doc.notes()
    return report


__all__ = ["parse_document"]

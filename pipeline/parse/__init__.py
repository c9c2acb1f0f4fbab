"""Parse: segment a Document into its reports (a committee's package binds several, see
package.py), each report into its header, its transfers and their sections."""
from ..ir import Document, Note, Paragraph
from ..records import Report
from .budget import is_header_row
from .package import front_matter_lines, split_reports
from .report import parse_report


def parse_reports(doc: Document) -> list[Report]:
    """Every report printed in doc, in file order, each with its own header, transfers
    numbered from 1, and the readers' notes on its own blocks. Front matter (a package's
    cover page, its contents) is listed in the first report's `unparsed`."""
    front, parts = split_reports(doc.blocks)
    reports = []
    for k, blocks in enumerate(parts, start=1):
        report = parse_report(doc, blocks)
        report.notes = notes_of(blocks) + report.notes
        report.report_index, report.reports_in_file = k, len(parts)
        reports.append(report)
    reports[0].unparsed[:0] = front_matter_lines(front)
    reports[0].notes[:0] = notes_of(front)
    return reports


def parse_document(doc: Document) -> Report:
    """The one report printed in doc (ValueError for a package: see parse_reports)."""
    reports = parse_reports(doc)
    if len(reports) != 1:
        raise ValueError(f"{doc.path} holds {len(reports)} reports; use parse_reports")
    return reports[0]


def notes_of(blocks) -> list[Note]:
    """The readers' notes on blocks (a Document's, or a list of blocks) (readings a heuristic decided, such as a space at a line break
    inside a name) in reading order, but for those on a table's header words: the parser
    reads headers by their words whatever their spaces, so no output depends on them."""
    out: list[Note] = []
    for b in getattr(blocks, "blocks", blocks):
        if isinstance(b, Paragraph):
            out.extend(b.notes)
            continue
        for row in b.rows:
            if any(cell.notes for cell in row) and not is_header_row(row):
                out.extend(n for cell in row for n in cell.notes)
    return out


__all__ = ["parse_reports", "parse_document", "notes_of"]

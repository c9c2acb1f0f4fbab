"""Render a sample report (scripts/sample_reports.py) as HTML for print, and print it to PDF
with headless Chromium: the second PDF producer of the layout harness, with its own table
geometry (CSS tables: column widths as given, cells wrapping at spaces and, for a word
wider than its cell, between syllables; rows that may split over a page or not; header rows
repeated as a `thead` or printed once; rules as the model draws them).

    chromium --headless --no-sandbox --disable-gpu --disable-background-networking
             --disable-component-update --disable-sync --no-first-run
             --user-data-dir=$(mktemp -d) --print-to-pdf=OUT.pdf --no-pdf-header-footer file:///….html

Nothing here imports `pipeline`.
"""
from __future__ import annotations

import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sample_reports import SampleReport, SampleTable, bound_reports, column_widths_cm, margins_cm, package_front, page_cm  # noqa: E402


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        exe = shutil.which(name)
        if exe:
            return exe
    raise RuntimeError("Chromium is needed to print HTML to PDF (apt-get install -y chromium)")


# Table rules by the model's `rules`: CSS for the table, its cells, and the header's last row.
_RULES = {
    "grid": "table.b td, table.b th { border: 0.6pt solid #000; }",
    "horizontal": "table.b { border-top: 0.8pt solid #000; border-bottom: 0.8pt solid #000; }"
                  " table.b tr + tr td, table.b tr + tr th, table.b tbody tr td { border-top: 0.5pt solid #000; }",
    "booktabs": "table.b { border-top: 1.2pt solid #000; border-bottom: 1.2pt solid #000; }"
                " table.b tr.last-head th { border-bottom: 0.7pt solid #000; }",
}


def _css(report: SampleReport) -> str:
    width, height = page_cm(report)
    top, right, bottom, left = margins_cm(report)
    pad = report.cell_pad_pt if report.cell_pad_pt is not None else 3
    return "\n".join([
        f"@page {{ size: {width}cm {height}cm; margin: {top}cm {right}cm {bottom}cm {left}cm; }}",
        f"body {{ font-family: '{report.font}'; font-size: {report.body_pt}pt; line-height: 1.3; margin: 0; }}",
        "p { margin: 0 0 4pt 0; }",
        "p.title { text-align: center; font-size: 15pt; font-weight: bold; }",
        "p.cover { text-align: center; font-size: 16pt; font-weight: bold; }",
        "p.right { text-align: right; }",
        ".page { break-before: page; }",
        "table.b { border-collapse: collapse; table-layout: fixed; margin: 0 auto 6pt auto; }",
        f"table.b td, table.b th {{ font-size: {report.cell_pt}pt; font-weight: normal; padding: 1pt {pad}pt;"
        " text-align: center; vertical-align: middle; overflow-wrap: anywhere; line-height: 1.15; }",
        "table.b td.fig { text-align: right; }",
        f"table.b tbody tr {{ {'height: %spt;' % report.row_pt if report.row_pt else ''}"
        f" {'' if report.rows_can_split else 'break-inside: avoid;'} }}",
        _RULES[report.rules],
    ])


def _table(t: SampleTable, report: SampleReport) -> str:
    widths = column_widths_cm(report, t)
    out = [f'<table class="b" style="width: {sum(widths):.2f}cm">', "<colgroup>"]
    out += [f'<col style="width: {w:.2f}cm">' for w in widths]
    out.append("</colgroup>")
    head = []
    for r, cells in enumerate(t.header):
        last = ' class="last-head"' if r == len(t.header) - 1 else ""
        head.append(f"<tr{last}>" + "".join(
            f'<th rowspan="{c.rowspan}" colspan="{c.colspan}">{html.escape(c.text)}</th>' for c in cells) + "</tr>")
    # A repeated header is a thead (Chromium prints it on every page the table runs over).
    out += ["<thead>", *head, "</thead><tbody>"] if report.repeat_header else ["<tbody>", *head]
    spans = {(r0, c0): rs for r0, c0, rs, cs in t.merges() if cs == 1 and r0 >= len(t.header)}
    covered = {(r0 + k, c0) for (r0, c0), rs in spans.items() for k in range(1, rs)}
    for i, row in enumerate(t.body):
        r = len(t.header) + i
        cells = []
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            rs = f' rowspan="{spans[r, c]}"' if spans.get((r, c), 1) > 1 else ""
            cls = ' class="fig"' if c >= t.text_columns else ""
            cells.append(f"<td{rs}{cls}>{html.escape(text)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    if t.total:
        out.append(f'<tr><td colspan="{t.text_columns}">{html.escape(t.total[0])}</td>'
                   + "".join(f'<td class="fig">{html.escape(x)}</td>' for x in t.total[1:]) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def build_html(report: SampleReport) -> str:
    body = []
    front = package_front(report)
    for k, line in enumerate(front):
        cls = "cover" if k < len(report.cover or ()) else ""
        page = " page" if k == len(report.cover or ()) else ""
        body.append(f'<p class="{cls}{page}">{html.escape(line)}</p>')
    for k, one in enumerate(bound_reports(report)):
        first = True
        for printed in one.printed():
            block = printed.block
            page = " page" if first and (k or front) else ""
            first = False
            if printed.role == "table":
                body.append(f'<div class="{page.strip()}">{_table(block, report)}</div>')
                continue
            t = one.transfers[printed.transfer] if printed.transfer is not None else None
            pushed = t is not None and t.pushes(printed.role)
            style = f' style="margin-top: {t.push_pt}pt"' if pushed and t.push_pt else ""
            cls = {"title": "title", "unit": "right" if report.unit_align == "right" else ""}.get(printed.role, "")
            text = html.escape(block.strip())
            body.append(f'<p class="{cls}{page}"{style}>{text}</p>')
    return ("<!DOCTYPE html>\n<html lang=\"ko\"><head><meta charset=\"utf-8\"><title>"
            + html.escape(report.title) + "</title><style>\n" + _css(report) + "\n</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def write_html(report: SampleReport, out_dir: Path) -> Path:
    target = Path(out_dir) / f"{report.name}.html"
    target.write_text(build_html(report), encoding="utf-8")
    return target


def html_to_pdf(page: Path, target: Path, timeout: int = 120) -> Path:
    """Print one HTML file to PDF with headless Chromium (a fresh profile, no network)."""
    with tempfile.TemporaryDirectory(prefix="chromium_profile_") as profile:
        cmd = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
               f"--print-to-pdf={target}", "--no-pdf-header-footer", Path(page).resolve().as_uri()]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if res.returncode != 0 or not Path(target).exists():
        raise RuntimeError(f"chromium failed on {page}: {res.stderr.strip()[-400:]}")
    return Path(target)


def write_pdf(report: SampleReport, out_dir: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        return html_to_pdf(write_html(report, Path(tmp)), Path(out_dir) / f"{report.name}.pdf")

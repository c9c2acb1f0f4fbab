"""Draw layout cases (scripts/layouts.py, scripts/layout_classes.py) reproducibly and render
them in every format.

Formats: the three text table styles (`tab`, `pipe`, `box`, each in the case's drawn
encoding and line ending), `docx` (python-docx), `pdf` (LibreOffice from the DOCX: one
LibreOffice run converts a whole batch), `pdftotext` (`pdftotext -layout` of that PDF:
text as PDF converters print it), `hwpx`, and `hwp` (python-hwpx's HWP 5 writer, from the
HWPX); and (`MORE_FORMATS`) the PDF of two more producers, each as PDF and converted to
text: Chromium printing the report's HTML (`chromium.pdf`, `chromium.layout`,
`chromium.plain`) and reportlab drawing it (`reportlab.*`), with LibreOffice's PDF as plain
`pdftotext` text (`pdf.plain`). A case whose model turns its pages (`turned`) has its PDFs'
landscape pages stored turned (/Rotate 90) after rendering. Nothing here imports `pipeline`.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from hypothesis import HealthCheck, Phase, Verbosity, given, settings  # noqa: E402
from hypothesis import seed as hypothesis_seed  # noqa: E402

from layouts import LayoutCase, layout_cases, named  # noqa: E402
from make_samples import render_text  # noqa: E402

FORMATS = ("tab", "pipe", "box", "docx", "pdf", "pdftotext", "hwpx", "hwp")
MORE_FORMATS = ("pdf.plain", "chromium.pdf", "chromium.layout", "chromium.plain", "reportlab.pdf", "reportlab.layout", "reportlab.plain")
ALL_FORMATS = FORMATS + MORE_FORMATS
SUFFIX = {
    "tab": ".tab.txt", "pipe": ".pipe.txt", "box": ".box.txt", "docx": ".docx", "pdf": ".pdf",
    "pdftotext": ".layout.txt", "hwpx": ".hwpx", "hwp": ".hwp", "pdf.plain": ".plain.txt",
    "chromium.pdf": ".chromium.pdf", "chromium.layout": ".chromium.layout.txt", "chromium.plain": ".chromium.plain.txt",
    "reportlab.pdf": ".reportlab.pdf", "reportlab.layout": ".reportlab.layout.txt", "reportlab.plain": ".reportlab.plain.txt",
}
# The PDF formats by producer: (producer, conversion); conversion `pdf` is the PDF itself,
# `layout` its `pdftotext -layout` text, `plain` its plain `pdftotext` text.
PDF_FORMATS = {
    "pdf": ("libreoffice", "pdf"), "pdftotext": ("libreoffice", "layout"), "pdf.plain": ("libreoffice", "plain"),
    "chromium.pdf": ("chromium", "pdf"), "chromium.layout": ("chromium", "layout"), "chromium.plain": ("chromium", "plain"),
    "reportlab.pdf": ("reportlab", "pdf"), "reportlab.layout": ("reportlab", "layout"), "reportlab.plain": ("reportlab", "plain"),
}
PRODUCER_TOOLS = {"libreoffice": ("soffice",), "chromium": ("chromium",), "reportlab": ("reportlab",)}
# Formats that need outside tools, and which (`reportlab` and `pypdf`: Python packages).
NEEDS = {f: PRODUCER_TOOLS[p] + (("pdftotext",) if conv != "pdf" else ()) for f, (p, conv) in PDF_FORMATS.items()}


def producer_and_conversion(fmt: str) -> tuple[str, str]:
    """(producer, conversion) of a format: ("libreoffice", "layout") for `pdftotext`; a
    format that is no PDF is its own producer, converted by nothing (`-`)."""
    return PDF_FORMATS.get(fmt, (fmt, "-"))


def case_seed(seed: int, k: int) -> int:
    """The Hypothesis seed of case k of a run seeded `seed`."""
    return seed * 1_000_003 + k


@contextmanager
def independent_of_loaded_code():
    """Hypothesis (since 6.131) mixes into its draws literals it harvests from the source of
    every local module loaded (`providers._get_local_constants`: the parser, the tests, this
    script). Case K of seed N would then change with whatever else is imported or edited,
    the parser under test included, and the suite's fixed batch would silently become
    another. Within this block Hypothesis sees no local literals. (Internal API: a Hypothesis
    without it needs nothing; tests/test_layouts.py checks that the cases stay put.)"""
    from hypothesis.internal.conjecture import providers

    original = getattr(providers, "_get_local_constants", None)
    if original is None or not hasattr(providers, "CONSTANTS_CACHE"):
        yield
        return
    empty = providers.Constants()
    providers._get_local_constants = lambda: empty
    providers.CONSTANTS_CACHE.cache.clear()
    try:
        yield
    finally:
        providers._get_local_constants = original
        providers.CONSTANTS_CACHE.cache.clear()


def run_case(seed: int, k: int, test, faults: Optional[bool] = None, shrink: bool = False, klass: Optional[str] = None):
    """Run `test(case)` on case k of run `seed` under Hypothesis: the run's first example is
    the simplest report, its second case k (a random draw). With `shrink`, a failure is
    shrunk to a minimal failing report and raised, as in any Hypothesis test. `klass`: a
    class of layout_classes.CLASSES (a clean report in random geometry); None: the
    original draw (layouts.layout_cases, faults as asked)."""
    phases = [Phase.generate, Phase.shrink] if shrink else [Phase.generate]
    if klass is None:
        strategy = layout_cases(faults)
    else:
        from layout_classes import class_cases

        strategy = class_cases(klass)

    @hypothesis_seed(case_seed(seed, k))
    @settings(max_examples=2, database=None, phases=phases, deadline=None,
              suppress_health_check=list(HealthCheck), print_blob=False, verbosity=Verbosity.quiet)
    @given(strategy)
    def run(case):
        test(case)

    with independent_of_loaded_code():
        run()


def draw_case(seed: int, k: int, faults: Optional[bool] = None, klass: Optional[str] = None) -> LayoutCase:
    """Case k of run `seed`: the same on every machine and run (for one Hypothesis version
    and one generator), whatever else is drawn beside it or loaded in the process (k = 0 is
    the simplest report the strategy makes). With `klass`, case k of that class (the same
    report underneath as every other class's case k of the seed, the class drawn on it)."""
    drawn: list[LayoutCase] = []
    run_case(seed, k, drawn.append, faults, klass=klass)
    name = f"s{seed}_case{k:04d}" if klass is None else f"s{seed}_{klass}_case{k:04d}"
    return named(drawn[0] if k == 0 else drawn[-1], name)


def draw_cases(n: int, seed: int = 0, faults: Optional[bool] = None) -> list[LayoutCase]:
    """Cases 0..n-1 of run `seed`. Each case is drawn by its own seeded Hypothesis run
    rather than as n examples of one run: one run's later examples are mostly mutations of
    its earlier ones, near-duplicates that would waste a batch whose every case is rendered
    eight ways (and by LibreOffice)."""
    return [draw_case(seed, k, faults) for k in range(n)]


def path_of(case: LayoutCase, fmt: str, out_dir: Path) -> Path:
    return Path(out_dir) / f"{case.name}{SUFFIX[fmt]}"


def render_one(case: LayoutCase, fmt: str, out_dir: Path) -> Path:
    """Render one case in one format other than pdf/pdftotext (see `render`)."""
    target = path_of(case, fmt, out_dir)
    report = case.report
    if fmt in ("tab", "pipe", "box"):
        target.write_bytes(render_text(report, fmt).encode(report.encoding))
    elif fmt == "docx":
        from render_docx import write_docx

        write_docx(report, Path(out_dir))
    elif fmt == "hwpx":
        from render_hwpx import write_hwpx

        write_hwpx(report, Path(out_dir))
    elif fmt == "hwp":
        from render_hwp import write_hwp

        write_hwp(report, Path(out_dir))
    else:
        raise ValueError(fmt)
    return target


def render(cases: list[LayoutCase], out_dir: Path, formats: Iterable[str] = FORMATS, batch: int = 40) -> dict:
    """Render every case in every format into out_dir; {(case name, format): path}. LibreOffice
    PDFs are made from the cases' DOCX renderings, `batch` files per LibreOffice run; Chromium
    prints each case's HTML; reportlab draws each case. A PDF is turned as its model says
    (`turned`) before anything reads it. A rendering that does not print its model, or that
    its producer could not make, gets a marker beside it (LOST_SUFFIX) saying why."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    formats = list(formats)
    paths = {}
    for fmt in formats:
        if fmt in PDF_FORMATS:
            continue
        for case in cases:
            paths[case.name, fmt] = render_one(case, fmt, out_dir)
    for producer in ("libreoffice", "chromium", "reportlab"):
        mine = [f for f in formats if f in PDF_FORMATS and PDF_FORMATS[f][0] == producer]
        if not mine:
            continue
        for case, (pdf, failed) in zip(cases, produce_pdfs(producer, cases, out_dir, paths, formats, batch)):
            why = failed or turn_as_drawn(case, pdf) or lost_in_rendering(case, pdf)
            for fmt in mine:
                conversion = PDF_FORMATS[fmt][1]
                target = pdf if conversion == "pdf" else path_of(case, fmt, out_dir)
                if conversion != "pdf":
                    if failed:
                        target.write_bytes(b"")
                    else:
                        flags = ["-layout"] if conversion == "layout" else []
                        subprocess.run(["pdftotext", *flags, str(pdf), str(target)], check=True, capture_output=True)
                marker = target.with_name(target.name + LOST_SUFFIX)
                marker.unlink(missing_ok=True)
                if why:
                    marker.write_text(why, encoding="utf-8")
                paths[case.name, fmt] = target
    return paths


def produce_pdfs(producer: str, cases: list[LayoutCase], out_dir: Path, paths: dict, formats: list, batch: int) -> list:
    """[(pdf path, why it could not be made or '')] for each case, by one producer."""
    out = []
    if producer == "libreoffice":
        from render_pdf import docx_to_pdfs

        docx_dir = out_dir if "docx" in formats else out_dir / "docx_for_pdf"
        docx_dir.mkdir(exist_ok=True)
        docx_files = [paths.get((c.name, "docx")) or render_one(c, "docx", docx_dir) for c in cases]
        for k in range(0, len(cases), batch):
            out += [(pdf, "") for pdf in docx_to_pdfs(docx_files[k : k + batch], out_dir)]
        if docx_dir != out_dir:
            shutil.rmtree(docx_dir)
        return out
    for case in cases:
        target = path_of(case, f"{producer}.pdf", out_dir)
        try:
            if producer == "chromium":
                from render_html import html_to_pdf, write_html

                page = write_html(case.report, out_dir)
                html_to_pdf(page, target)
                page.unlink()
            else:
                from render_reportlab import write_pdf

                write_pdf(case.report, out_dir, target)
            out.append((target, ""))
        except Exception as e:  # a producer that cannot lay a case out (reportlab: a cell taller than a page)
            target.write_bytes(b"")
            out.append((target, f"{producer} could not render it: {type(e).__name__}: {str(e)[:200]}"))
    return out


def turn_as_drawn(case: LayoutCase, pdf: Path) -> str:
    """Store the PDF's landscape pages turned (/Rotate 90) as the model says: every page, or
    those printing a budget code of the model. '' (or why it could not be done)."""
    how = case.report.turned
    if how == "none":
        return ""
    from render_pdf import turn_pages

    keys = {ln["stat_code"][-6:] for t in case.expected["transfers"] for ln in t["budget"]["lines"]}
    which = None if how == "all" else (lambda i, text: any(k in re.sub(r"\s+", "", text) for k in keys))
    return "" if turn_pages(pdf, which) else "no page was turned"


LOST_SUFFIX = ".lost"


def lost_in_rendering(case: LayoutCase, pdf: Path) -> str:
    """What of the case's budget tables the PDF does not print ('' when nothing): LibreOffice
    now and then leaves a long table's last rows off the page (a page printing only its
    number where the rows should go on). Such a rendering is not the model, and no reader
    can give the model back from it; the harness reports it apart. Checked on the text in
    drawing order (`pdftotext -raw`), where a cell's wrapped lines follow one another: every
    budget line's code must be printed (its head, as many times as the model prints it)."""
    if not shutil.which("pdftotext"):
        return ""
    raw = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True).stdout.decode("utf-8", "replace")
    printed = re.sub(r"\s+", "", raw)
    codes = [ln["stat_code"] for t in case.expected["transfers"] if t["budget"] for ln in t["budget"]["lines"] if ln["stat_code"]]
    # Each code's head (`110-201-` of `110-201-03`: a row the page splits can print its last
    # digits on the next page, after the figures) as often as the model's codes contain it
    # (codes recur between transfers, and `110-201-01` contains `201-`).
    heads = Counter(code[: code.rindex("-") + 1] for code in codes if "-" in code)
    short = {head: sum(head in code for code in codes) - printed.count(head) for head in heads}
    missing = [head for head, n in short.items() if n > 0]
    # A row cut by a page break may print a code's head cut too (`100-2` at the page's foot,
    # `01-03` under the next page's header): one code per page break is allowed for.
    if sum(max(n, 0) for n in short.values()) <= raw.count("\f") - 1 and all(n <= 1 for n in short.values()):
        return ""
    return f"the PDF prints budget codes starting {', '.join(missing[:5])} fewer times than the model{' …' if len(missing) > 5 else ''}" if missing else ""


def _have(tool: str) -> bool:
    if tool in ("reportlab", "pypdf"):
        import importlib.util

        return importlib.util.find_spec(tool) is not None
    if tool == "chromium":
        return any(shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome"))
    return shutil.which(tool) is not None


def missing_tools(formats: Iterable[str], klass: Optional[str] = None) -> list[str]:
    """The tools (programs, or Python packages) these formats need that are not installed;
    a class whose PDFs are turned needs pypdf too."""
    formats = list(formats)
    need = {tool for f in formats for tool in NEEDS.get(f, ())}
    if klass == "turned" and any(f in PDF_FORMATS for f in formats):
        need.add("pypdf")
    return sorted(t for t in need if not _have(t))

"""The layout classes of issues 20 and 21 (scripts/layout_classes.py: random page geometry, a
signed change column, unknown header words, unruled tables, turned pages, units printed
elsewhere, packages of reports), each drawn once from a fixed seed and rendered by every
producer where it makes sense: LibreOffice, Chromium and reportlab PDFs, each read as PDF,
as `pdftotext -layout` and as plain `pdftotext` text, and the text, DOCX, HWPX and HWP
renderings.

What is asserted, per class and producer: never a WRONG outcome (a figure, unit or budget
line unlike the model, a phantom line without 통계목, a name that is a fragment of the
model's, transfers lost or run together), never a crash, never a table missing without a
line set aside saying why. A table the readers cannot read yet may be set aside with its
reason, and a file refused with one; that is asserted precisely (the outcome `set_aside`
carries the reasons the report's `unparsed` gives). Where today's readers do give a WRONG
outcome (issue 20's packages read as one report, and the others listed in KNOWN_WRONG), the
test is an expected failure that turns into a failure the day the readers get it right, so
that its entry is removed and the test tightens.

`scripts/layout_run.py --classes all` is the long version (docs/layout_harness.md).
"""
from __future__ import annotations

import pytest

from conftest import ROOT  # conftest also puts scripts/ on the path  # noqa: F401
from layout_classes import CLASS_FORMATS, CLASSES
from layout_render import draw_case, missing_tools, producer_and_conversion, render
from layout_run import check_outcome

SEED, CASE = 3, 1
PRODUCERS = {
    "libreoffice": ("pdf", "pdftotext", "pdf.plain"),
    "chromium": ("chromium.pdf", "chromium.layout", "chromium.plain"),
    "reportlab": ("reportlab.pdf", "reportlab.layout", "reportlab.plain"),
    "text": ("tab", "pipe", "box"),
    "docx": ("docx",),
    "hwpx": ("hwpx", "hwp"),
}
ALLOWED = {"equal", "noted", "set_aside", "differs", "refused", "not_rendered"}
# (class, producer) → why today's readers give a WRONG outcome on this class: each an open
# issue, each an expected failure until a reader handles it (strict: it then fails, and the
# entry goes).
KNOWN_WRONG: dict[tuple[str, str], str] = {}


def _params():
    for klass in CLASSES:
        for producer, formats in PRODUCERS.items():
            if not set(formats) & set(CLASS_FORMATS[klass]):
                continue
            marks = [pytest.mark.producers] if producer in ("libreoffice", "chromium", "reportlab") else []
            if (klass, producer) in KNOWN_WRONG:
                marks.append(pytest.mark.xfail(reason=KNOWN_WRONG[klass, producer], strict=True))
            yield pytest.param(klass, producer, marks=marks, id=f"{klass}-{producer}")


class Rendered:
    """Case CASE of seed SEED of every class, rendered producer by producer when first asked."""

    def __init__(self, out):
        self.out = out
        self.cases = {klass: draw_case(SEED, CASE, klass=klass) for klass in CLASSES}
        self.paths: dict = {}
        self.done: set = set()

    def files(self, producer: str) -> dict:
        if producer not in self.done:
            # Cases that need the same formats are rendered together (one LibreOffice run).
            groups: dict = {}
            for klass, case in self.cases.items():
                mine = tuple(f for f in PRODUCERS[producer] if f in CLASS_FORMATS[klass])
                if mine and not missing_tools(mine, klass):
                    groups.setdefault(mine, []).append(case)
            for formats, cases in groups.items():
                self.paths.update(render(cases, self.out, formats))
            self.done.add(producer)
        return self.paths


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    return Rendered(tmp_path_factory.mktemp("layout_classes"))


@pytest.mark.parametrize("klass, producer", list(_params()))
def test_no_rendering_gives_a_wrong_record(rendered, klass, producer):
    formats = [f for f in PRODUCERS[producer] if f in CLASS_FORMATS[klass]]
    tools = missing_tools(formats, klass)
    if tools:
        pytest.skip(f"{producer} needs {', '.join(tools)} (installed by .ci/run)")
    case = rendered.cases[klass]
    paths = rendered.files(producer)
    seen = {}
    for fmt in formats:
        result = check_outcome(case, paths[case.name, fmt], fmt)
        seen[fmt] = result
        if result["outcome"] == "set_aside":
            # Set aside with its reason, never silently: the summary names the reasons the
            # report's unparsed lines give.
            assert "set aside: " in result["summary"] and result["summary"].split("set aside: ", 1)[1].strip(), result
    bad = {f: r for f, r in seen.items() if r["outcome"] not in ALLOWED}
    assert not bad, "\n".join(
        f"{case.name} [{f}] ({'/'.join(producer_and_conversion(f))}) {r['outcome']}: {r['summary']}\n"
        f"  reproduce: python scripts/layout_run.py --seed {SEED} --case {CASE} --classes {klass} --formats {f} --verbose"
        for f, r in bad.items())


def test_each_class_prints_what_its_model_says(rendered):
    """The classes are not vacuous: case CASE of each prints the class it is named for, and
    its expected records say what a reader must give."""
    cases = rendered.cases
    signed = cases["signed"]
    assert any(t.table.figure_columns == 3 for t in signed.report.transfers)
    assert any(t["budget"].get("signed_column") for t in signed.expected["transfers"])
    for t, rec in zip(signed.report.transfers, signed.expected["transfers"]):
        if t.table.figure_columns == 3:  # one line in three columns: before, signed change, after
            for row, ln in zip(t.table.body, rec["budget"]["lines"]):
                assert (ln["decrease"] == 0) != (ln["increase"] == 0) or ln["decrease"] == ln["increase"] == 0
                assert len(row) == 8
    from layout_classes import HEADER_WORDS

    words = {w for ws in HEADER_WORDS.values() for w in ws}
    assert all(any(c.text in words for row in t.table.header for c in row) for t in cases["header_words"].report.transfers)
    assert cases["unruled"].report.rules in ("horizontal", "booktabs")
    assert cases["turned"].report.turned in ("all", "tables") and cases["turned"].report.landscape
    assert 1 <= len(cases["package"].report.bound) <= 3
    assert len(cases["package"].expected["bound"]) == len(cases["package"].report.bound)
    unit = cases["unit_place"].report
    assert all(t.unit_form is None for t in unit.transfers) or all(t.unit_below for t in unit.transfers) or unit.unit_align == "right"
    if all(t.unit_form is None for t in unit.transfers):  # the unit only in the figure columns' header cells
        assert all(any(f"({t.unit})" in c.text for row in t.table.header for c in row) for t in unit.transfers)


# ---------------------------------------------------------------- the outcomes themselves
def _model_and_doc():
    """Case 2 of seed 3 (plain) and the contract JSON that carries exactly its records."""
    import copy

    from test_layouts import _as_contract_json

    case = draw_case(SEED, 2, klass="plain")
    expected = copy.deepcopy(case.expected)
    return expected, _as_contract_json(expected)


def test_outcomes_tell_wrong_from_set_aside():
    """`outcome` is not vacuous: the model's own records are equal; a phantom line (no
    통계목), a name cut to a piece of itself, a figure changed or a line lost are WRONG; a table
    missing with a line set aside saying why is set aside, and without one dropped; a cut
    name the report notes with the model's reading is only noted."""
    from layout_compare import compare, outcome, phantoms

    def judged(doc, expected):
        return outcome(expected, doc, compare(expected, doc))[0]

    expected, doc = _model_and_doc()
    assert judged(doc, expected) == "equal"
    lines = doc["transfers"][0]["budget"]["lines"]
    phantom = dict(lines[0], stat_code="", stat_name="", department="괄과", before=0, decrease=0, increase=0, after=0)
    lines.append(phantom)
    assert judged(doc, expected) == "WRONG"
    assert [p.split(":")[0] for p in phantoms(expected, doc)] == [f"transfer 1 line {len(lines)}"]

    expected, doc = _model_and_doc()
    line = doc["transfers"][0]["budget"]["lines"][0]
    whole = line["department"]
    line["department"] = whole.replace(" ", "")[:-1]  # a piece of the name, as a page cut prints it
    assert judged(doc, expected) == "WRONG"
    doc["notes"] = [{"text": line["department"], "alternative": whole, "reason": "", "basis": "layout", "loc": {}}]
    assert judged(doc, expected) == "noted"

    expected, doc = _model_and_doc()
    doc["transfers"][0]["budget"]["lines"][0]["after"] += 1000
    assert judged(doc, expected) == "WRONG"

    expected, doc = _model_and_doc()
    doc["transfers"][0]["budget"] = None
    doc["findings"] = []
    expected_findings = expected["findings"]
    assert judged(doc, expected) == "dropped"
    doc["unparsed"] = [{"text": "부서 정책사업 …", "reason": "budget table without columns for stat", "loc": {}}]
    assert judged(doc, expected) == "set_aside"
    assert expected_findings == expected["findings"]

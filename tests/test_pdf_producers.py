"""Issue 13: the PDF reader gives the same records whichever library reads the page
geometry (readers/pdf/geometry.py): pypdfium2 (the default) and pdfplumber (the reference). Every PDF
sample and fixture is read both ways; names must be exact, every figure, finding, note
and unplaced line equal, and every bbox within 0.5 pt. Hostile PDFs are refused alike."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pipeline.audit import audit_report
from pipeline.errors import InputError
from pipeline.ir import Document
from pipeline.limits import DEFAULT_LIMITS
from pipeline.parse import parse_reports
from pipeline.readers.pdf import read_pdf

from conftest import FIXTURES, SAMPLES

# Not the fuzzer's mutated inputs (fixtures/fuzz): what a damaged content stream draws is
# each interpreter's guess, and for them test_fuzz.py requires a clean outcome only.
PDFS = sorted(SAMPLES.glob("*.pdf")) + sorted(p for p in FIXTURES.rglob("*.pdf") if "fuzz" not in p.relative_to(FIXTURES).parts)


def records(path: Path, producer: str):
    data = path.read_bytes()
    try:
        blocks = read_pdf(data, DEFAULT_LIMITS, producer)
    except InputError as e:
        return ("refused", e.reason)
    docs = []
    for report in parse_reports(Document(str(path), "pdf", hashlib.sha256(data).hexdigest(), blocks)):
        report.findings = audit_report(report)
        docs.append(report.to_json())
    return docs[0] if len(docs) == 1 else {"reports": docs}


def differences(a, b, where="") -> list[str]:
    """Paths where two report JSONs differ; numbers inside a bbox may differ by 0.5 pt."""
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return [f"{where}: keys {sorted(a.keys() ^ b.keys())}"]
        return [d for k in a for d in differences(a[k], b[k], f"{where}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items vs {len(b)}"]
        if where.endswith(".bbox"):
            return [] if all(abs(x - y) <= 0.5 for x, y in zip(a, b)) else [f"{where}: {a} vs {b}"]
        return [d for k, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{where}[{k}]")]
    return [] if a == b else [f"{where}: {a!r} vs {b!r}"]


@pytest.mark.parametrize("path", PDFS, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_pdfium_and_pdfplumber_give_the_same_records(path):
    fast, reference = records(path, "pdfium"), records(path, "pdfplumber")
    if isinstance(reference, tuple) or isinstance(fast, tuple):
        assert isinstance(fast, tuple) and isinstance(reference, tuple), (fast, reference)
        return
    for f, r in zip(fast.get("reports", [fast]), reference.get("reports", [reference])):
        assert f["transfers"], "a readable PDF gives records"
        f["source"] = r["source"]
    assert differences(fast, reference) == []

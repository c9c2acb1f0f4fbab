#!/usr/bin/env python3
"""Build a corpus for testing and benchmarking `jeonyong ingest`: many reports in nested
folders, made from the checked-in samples (every format present under samples/), with
renamed copies and about one file in ten broken in a different way.

    python scripts/make_corpus.py OUT_DIR [--reports 300] [--broken 0.1] [--seed 1]

Text samples are varied into new reports: the office, the fiscal year (and every date with
it) and the amounts (all scaled by one factor, so the arithmetic still holds) change
together; the original encoding is kept. Other formats (PDF, DOCX, HWPX, HWP) are copied
as they are. Broken files: empty, binary junk, ordinary prose, a 5 MB single line, a report
cut off before its first item, a truncated zip (DOCX/HWPX) and a truncated PDF.

A manifest `OUT_DIR/.manifest.json` (hidden, so ingest passes it over) lists every file
with its kind, whether it should be archived (`expect`: report | fail) and its sha256.
"""
from __future__ import annotations

import argparse
import codecs
import hashlib
import io
import json
import random
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED = Path("/work/shared/seed/000_69d6960250ab482a.txt")
SKIP = {".py", ".md", ".json", ".csv", ".sh", ".png", ".html", ".sqlite"}

OFFICES = [
    "스마트도시정책관", "기후환경본부", "복지정책실", "도시교통실", "문화본부", "경제정책실", "재난안전관리실",
    "주택정책실", "교육협력국", "여성가족정책실", "시민건강국", "균형발전본부", "행정국", "재무국",
    "평생교육국", "관광체육국", "디지털정책관", "푸른도시여가국", "물순환안전국", "소방재난본부",
]

_AMOUNT = re.compile(r"(?<![\d,.])(\d{1,3}(?:,\d{3})+)(?![\d,])")
_YEAR4 = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_YEAR2 = re.compile(r"(['’‘])(\d\d)(?=\.)")


def sample_files(samples: Path = SAMPLES) -> list[Path]:
    files = sorted(p for p in samples.rglob("*") if p.is_file() and not p.name.startswith(".")
                   and p.suffix.lower() not in SKIP) if samples.is_dir() else []
    return files


def _encoding(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:4096]
    if b"\x00" in sample:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if odd > even and even == 0:
            return "utf-16-le"
        if even > odd and odd == 0:
            return "utf-16-be"
        return None
    for enc in ("utf-8", "cp949"):
        try:
            data.decode(enc)
            return enc
        except UnicodeDecodeError:
            continue
    return None


def _is_text(data: bytes) -> bool:
    return not data.startswith((b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) and b"%PDF-" not in data[:1024] \
        and _encoding(data) is not None


def vary(data: bytes, office: str, years: int, factor: int) -> bytes:
    """The same report for another office, `years` later, amounts times `factor`."""
    enc = _encoding(data)
    text = data.decode(enc)
    m = re.search(r"^\s*([가-힣]+(?:실|국|본부|정책관|관|과|단|센터))\s*$", text, re.M)
    if m:  # the office's own line only: a box-drawn table would lose its alignment
        text = text[: m.start(1)] + office + text[m.end(1):]
    text = _YEAR4.sub(lambda m: str(int(m.group(1)) + years), text)
    text = _YEAR2.sub(lambda m: f"{m.group(1)}{(int(m.group(2)) + years) % 100:02d}", text)
    if any(ch in text for ch in "│┃║"):
        factor = 1  # longer figures would break a box-drawn table's alignment
    text = _AMOUNT.sub(lambda m: f"{int(m.group(1).replace(',', '')) * factor:,}", text)
    try:
        return text.encode(enc)
    except UnicodeEncodeError:
        return text.encode("utf-8")


def _prose(rng: random.Random) -> bytes:
    words = ["오늘", "회의는", "예정대로", "진행되었다", "참석자는", "의견을", "나누었다", "다음", "일정은", "추후", "공지한다"]
    lines = [" ".join(rng.choice(words) for _ in range(rng.randint(5, 12))) + "." for _ in range(rng.randint(20, 60))]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _header_only(data: bytes) -> bytes:
    enc = _encoding(data) or "utf-8"
    text = data.decode(enc)
    lines = [ln for ln in text.splitlines() if ln.strip()][:3]
    return ("\n".join(lines) + "\n").encode(enc)


def _zip_bytes(binaries: list[bytes]) -> bytes:
    for b in binaries:
        if b.startswith(b"PK\x03\x04"):
            return b
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document>" + "<w:p><w:r><w:t>예산 전용 보고</w:t></w:r></w:p>" * 500 + "</w:document>")
    return buf.getvalue()


def _pdf_bytes(binaries: list[bytes]) -> bytes:
    for b in binaries:
        if b"%PDF-" in b[:1024]:
            return b
    body = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    return body + b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n" + b"3 0 obj\n<< /Length 5000 >>\nstream\n" + b"x" * 4000


def _parses(path: Path) -> bool:
    sys.path.insert(0, str(ROOT))
    from pipeline.extract import attempt

    return attempt(str(path)).ok


def build_corpus(out_dir, reports: int = 300, broken: float = 0.1, seed: int = 1,
                 samples: Path = SAMPLES, copies: float = 0.1, verify: bool = True,
                 text_only: bool = False) -> dict:
    """Write the corpus; return the manifest {"files": [{path, kind, expect, sha256}], ...}.
    `reports` is the number of report files (variants and copies); broken files come on top."""
    rng = random.Random(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    found = sample_files(samples)
    texts, binaries = [], []
    for p in found:
        data = p.read_bytes()
        if _is_text(data):
            texts.append((p, data))
        elif not text_only:
            binaries.append((p, data))
    if not texts:
        texts = [(SEED, SEED.read_bytes())]
    entries: list[dict] = []

    def put(rel: str, data: bytes, kind: str, expect: str) -> None:
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        entries.append({"path": str(target.resolve()), "kind": kind, "expect": expect,
                        "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})

    n_copies = int(reports * copies)
    n_binary = min(len(binaries), max(0, reports - n_copies))
    n_variants = max(0, reports - n_copies - n_binary)
    made: list[tuple[str, bytes]] = []
    for i, (p, data) in enumerate(binaries[:n_binary]):
        rel = f"formats/{p.suffix.lstrip('.') or 'bin'}/{i:03d}_{p.name}"
        # Readers of these formats are young: expect what the pipeline makes of the sample itself.
        ok = _parses(p) if verify else True
        put(rel, data, f"sample-{p.suffix.lstrip('.')}", "report" if ok else "fail")
        if ok:
            made.append((rel, data))
    for i in range(n_variants):
        p, data = texts[i % len(texts)]
        office = OFFICES[(i // len(texts)) % len(OFFICES)]
        years = (i // (len(texts) * len(OFFICES))) % 5 - 2
        factor = 1 + (i * 7) % 9
        variant = vary(data, office, years, factor)
        rel = f"{2019 + i % 5}/q{1 + i % 4}/{i:04d}_{p.stem}.txt"
        put(rel, variant, "variant", "report")
        made.append((rel, variant))
    for j in range(n_copies):
        rel, data = made[rng.randrange(len(made))] if made else ("x", b"")
        name = Path(rel).name
        # a renamed copy; every fourth without an extension (the format is in the bytes)
        new = f"copies/{j:03d}/사본_{name}" if j % 4 else f"copies/{j:03d}/{Path(name).stem}"
        put(new, data, "copy", "report")

    n_broken = max(7, round(reports * broken / (1 - broken))) if broken > 0 else 0
    zip_src, pdf_src = _zip_bytes([b for _, b in binaries]), _pdf_bytes([b for _, b in binaries])
    kinds = ["empty", "junk", "prose", "long-line", "header-only", "truncated-zip", "truncated-pdf"]
    for k in range(n_broken):
        kind = kinds[k % len(kinds)]
        base = texts[k % len(texts)][1]
        if kind == "empty":
            data, name = b"", f"empty_{k}.txt"
        elif kind == "junk":
            data, name = rng.randbytes(rng.randint(200, 20000)), f"scan_{k}.hwp"
        elif kind == "prose":
            data, name = _prose(rng), f"minutes_{k}.txt"
        elif kind == "long-line":
            data, name = (b"0123456789" * 524288)[: 5 * 1024 * 1024 + k], f"dump_{k}.txt"
        elif kind == "header-only":
            data, name = _header_only(base), f"cut_{k}.txt"
        elif kind == "truncated-zip":
            data, name = zip_src[: max(64, len(zip_src) * 2 // 5)], f"broken_{k}.docx"
        else:
            data, name = pdf_src[: min(1024, len(pdf_src) // 10 or 1)], f"broken_{k}.pdf"
        put(f"broken/{k // 7}/{name}", data, kind, "fail")

    manifest = {
        "samples": [str(p) for p, _ in texts + binaries],
        "files": entries,
        "report_hashes": sorted({e["sha256"] for e in entries if e["expect"] == "report"}),
        "broken_paths": sorted(e["path"] for e in entries if e["expect"] == "fail"),
    }
    (out / ".manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--reports", type=int, default=300, help="report files (variants and renamed copies)")
    ap.add_argument("--broken", type=float, default=0.1, help="share of broken files in the corpus")
    ap.add_argument("--copies", type=float, default=0.1, help="share of renamed copies among the reports")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--samples", type=Path, default=SAMPLES)
    ap.add_argument("--text-only", action="store_true", help="leave out the PDF/DOCX/HWPX/HWP samples")
    a = ap.parse_args(argv)
    m = build_corpus(a.out, a.reports, a.broken, a.seed, a.samples, a.copies, text_only=a.text_only)
    n = len(m["files"])
    print(f"{a.out}: {n} files, {len(m['report_hashes'])} distinct reports, {len(m['broken_paths'])} broken",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

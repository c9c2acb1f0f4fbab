#!/usr/bin/env python3
"""Text fixtures for the reader tests: the real seed report in every encoding and line
ending the reader must detect on its own, a decomposed-Hangul (NFD) copy, and the seed's
model rendered with each table style. Output: tests/fixtures/text/.

    python scripts/make_text_fixtures.py
"""
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from make_samples import SEED, render_text  # noqa: E402
from sample_reports import seed_2021q4  # noqa: E402

ENCODINGS = {
    "utf8": ("utf-8", b""),
    "utf8bom": ("utf-8", b"\xef\xbb\xbf"),
    "cp949": ("cp949", b""),
    "euckr": ("euc-kr", b""),
    "utf16": ("utf-16", b""),  # Python writes a BOM
    "utf16le-nobom": ("utf-16-le", b""),
    "utf16be-nobom": ("utf-16-be", b""),
}


def main() -> int:
    out = ROOT / "tests" / "fixtures" / "text"
    out.mkdir(parents=True, exist_ok=True)
    text = SEED.read_text(encoding="utf-8")
    # The seed's arrows ➡ have no CP949/EUC-KR code; those copies print → as a CP949 file would.
    for name, (enc, prefix) in ENCODINGS.items():
        body = text if enc.startswith("utf") else text.replace("➡", "→")
        (out / f"seed.{name}.txt").write_bytes(prefix + body.encode(enc))
    (out / "seed.crlf.txt").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    (out / "seed.nfd.txt").write_bytes(unicodedata.normalize("NFD", text).encode("utf-8"))
    model = seed_2021q4()
    for style in ("tab", "pipe", "box"):
        (out / f"seed_model.{style}.txt").write_text(render_text(model, style), encoding="utf-8")
    for p in sorted(out.iterdir()):
        print(p.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())

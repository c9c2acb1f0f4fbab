#!/usr/bin/env python3
"""Render a sample report as an HWP 5 binary document (.hwp).

The HWPX rendering (render_hwpx.py) is converted to HWP 5 by python-hwpx's HWP 5 writer
(`hwpx.hwp5.writer.write_hwp5`, Apache-2.0; a development-time tool only, installed with
the `test` extra, never needed at run time). It builds the DocInfo and BodyText records
(PARA_HEADER, PARA_TEXT, CTRL_HEADER 'tbl ', TABLE, cell LIST_HEADERs with their
addresses and spans, page header/footer and footnote controls), deflates them and writes
the OLE compound file. Using a writer that is not ours means the reader in
pipeline/readers/hwp.py is checked against someone else's reading of the specification,
not against itself.

Used by make_samples.py (`--only hwp`). Deterministic for a given python-hwpx version.
"""
from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from hwpx.hwp5.writer import write_hwp5  # noqa: E402  python-hwpx (Apache-2.0); make_samples skips hwp without it
from render_hwpx import hwpx_bytes  # noqa: E402
from sample_reports import SampleReport  # noqa: E402


def hwp_bytes(report: SampleReport) -> bytes:
    with zipfile.ZipFile(io.BytesIO(hwpx_bytes(report))) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    return write_hwp5(parts)


def write_hwp(report: SampleReport, out_dir: Path) -> Path:
    target = Path(out_dir) / f"{report.name}.hwp"
    target.write_bytes(hwp_bytes(report))
    return target


if __name__ == "__main__":
    from sample_reports import all_samples

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent / "samples"
    for rep in all_samples():
        print(write_hwp(rep, out))

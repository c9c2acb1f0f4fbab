"""Report JSON, one file per report."""
from __future__ import annotations

import json
from pathlib import Path

from .atomic import write_bytes


def dumps(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def write_json(target, doc: dict) -> None:
    write_bytes(target, dumps(doc).encode("utf-8"))


def output_name(path: str, sha256: str, used: set, index: int = 1, in_file: int = 1) -> str:
    """`DIR/<file name>.json` for a file of one report; `DIR/<file name>#1.json`,
    `DIR/<file name>#2.json` … for the reports of a package (the place as in its
    report_id). A second file with the same name gets its hash added
    (`<file name>.<sha256[:12]>.json`, `<file name>.<sha256[:12]>#2.json`)."""
    place = f"#{index}" if in_file > 1 else ""
    name = f"{Path(path).name}{place}.json"
    if name in used:
        name = f"{Path(path).name}.{sha256[:12]}{place}.json"
    used.add(name)
    return name

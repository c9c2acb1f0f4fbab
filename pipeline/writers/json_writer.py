"""Report JSON, one file per report."""
from __future__ import annotations

import json
from pathlib import Path

from .atomic import write_bytes


def dumps(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def write_json(target, doc: dict) -> None:
    write_bytes(target, dumps(doc).encode("utf-8"))


def output_name(path: str, sha256: str, used: set) -> str:
    """`DIR/<file name>.json`; a second report with the same file name gets its hash added."""
    name = Path(path).name + ".json"
    if name in used:
        name = f"{Path(path).name}.{sha256[:12]}.json"
    used.add(name)
    return name

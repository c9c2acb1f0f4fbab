"""Report JSON, one file per report."""
from __future__ import annotations

import json

from .atomic import write_bytes


def dumps(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def write_json(target, doc: dict) -> None:
    write_bytes(target, dumps(doc).encode("utf-8"))

"""Budget codes (통계목 코드) as the reports print them: groups of two or three digits
joined by hyphens, the last the two-digit 통계목 (`201-03`, `110-202-01`, `100-201-03`).

The leading groups vary between documents and even within one (shared/domain.md), so the
patterns below say what a code looks like, never which groups it must have. A page or a
narrow column may cut a code (`110-202-0` / `1`): the piece patterns recognise such cuts.
"""
from __future__ import annotations

import regex as re

# One group of a code.
GROUP = r"\d{2,3}"
# A whole code as printed, hyphens tight: its last group the two-digit 통계목.
CODE = rf"{GROUP}(?:-{GROUP})*-\d{{2}}"

CODE_WHOLE = re.compile(rf"^{CODE}$")
# A word that begins like a code: its first group and a hyphen (`110-202-0`, `201-01`, `110-`).
CODE_BEGUN = re.compile(rf"^{GROUP}-\d*")
# Text that opens with a code of two groups at least (`110-201-02 공공운영비`, `201-01`).
CODE_OPENS = re.compile(rf"^{GROUP}(?:-{GROUP})+(?!\d)")
# A code's beginning as a page may cut it (`110-202-0`, `110-`).
CODE_PREFIX = re.compile(rf"^{GROUP}(?:-\d{{1,3}})*-?$")
# Only what a code prints (digits and hyphens): a piece of one from either side of a cut.
CODE_CHARS = re.compile(r"^[\d\-]+$")
# A lone group, as a code broken at its hyphen leaves it.
CODE_GROUP = re.compile(rf"^{GROUP}$")
# The rest of a code a cell's wrap cut after a group (`100-206` / `-01 재료`): no bullet.
CODE_GOES_ON = re.compile(rf"^-{GROUP}(?:-{GROUP})*(?![\d,.])")
# The digits that complete a cut code, before its name (`1 공공운영비`).
CODE_REST = re.compile(r"^([\d-]+)\s")
# A 통계목 cell: the code (spaces allowed around its hyphens) and the name after it.
CODE_AND_NAME = re.compile(rf"^({GROUP}(?:\s*-\s*{GROUP}){{1,3}})\s*(.*)$")
# The part of a code that names it, 편성목-통계목 (`201-03` of `110-201-03`).
CODE_TAIL = re.compile(r"(\d{3})\s*-\s*(\d{2})\s*$")


def stat_key(code: str) -> str:
    """The part of a 통계목 code that names it: 편성목-통계목 (`201-03`). The leading group
    varies between documents and even within one (`110-201-01`, `100-201-03` in the seed;
    shared/domain.md), so `110-201-03`, `100-201-03` and `201-03` are one code when codes
    are compared. Codes are still reported as printed."""
    code = (code or "").strip()
    m = CODE_TAIL.search(code)
    return f"{m.group(1)}-{m.group(2)}" if m else code
# A 통계목 code as the records keep it (spaces removed), or none: the published schema's pattern.
RECORDED_CODE = rf"^({GROUP}(-{GROUP}){{1,3}})?$"

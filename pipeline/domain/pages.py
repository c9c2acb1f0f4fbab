"""Page furniture: the forms page numbers are printed in.

The PDF reader and the layout-text reader drop the same forms: a page number beyond doubt
(`- 3 -`, `3 / 10`, `3 of 10`, `page 3`, `p. 3 of 10`, `3쪽`, `3 페이지`, `페이지 3`), and a bare number
(`3`, `(3)`) only where the page's place and other pages say it is one (an item numeral,
or the rest of a code or figure the page cut, can stand alone on a line too).
"""
from __future__ import annotations

from typing import Optional

import regex as re

_DASHES = "[-–—‐]"
_N = r"(?P<n>\d{1,4})"
_OF = r"(?:\s*(?:of|/)\s*\d{1,4})?"
# `- 3 -`: a page number wherever it stands.
DASHED_PAGE_NUMBER = re.compile(rf"^{_DASHES}\s*{_N}\s*{_DASHES}$")
# A page number beyond doubt, in any of its printed forms.
PAGE_NUMBER = re.compile(
    rf"^(?:{_DASHES}\s*{_N}\s*{_DASHES}"
    rf"|(?P<n>\d{{1,4}})\s*(?:/|of)\s*\d{{1,4}}"
    rf"|(?:page|p\.)\s*(?P<n>\d{{1,4}}){_OF}"
    rf"|페이지\s*(?P<n>\d{{1,4}}){_OF}"
    rf"|(?P<n>\d{{1,4}})\s*(?:쪽|페이지){_OF})$",
    re.I,
)
# A bare number, `3` or `(3)`: a page number only where other pages print theirs.
BARE_PAGE_NUMBER = re.compile(r"^(?:(?P<n>\d{1,4})|\((?P<n>\d{1,4})\))$")


def page_number(text: str) -> Optional[int]:
    """The number a line prints as a page number, in any form, bare ones included; or None."""
    s = text.strip()
    m = PAGE_NUMBER.match(s) or BARE_PAGE_NUMBER.match(s)
    return int(m.group("n")) if m else None

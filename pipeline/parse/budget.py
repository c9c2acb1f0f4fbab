"""예산 현황 tables → budget lines: columns found by their header words, merges filled down.

The header is one to four rows whose cells merge differently from table to table (and
from one office to the next), so nothing here depends on positions: every column is
named by the words printed above it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import regex as re

from ..domain.codes import CODE_AND_NAME as _STAT
from ..domain.figures import USUAL_UNIT
from ..domain.headers import SUBTOTAL as _SUBTOTAL, TEXT_ROLES, TOTAL as _TOTAL, column_role, mentions_group
from ..ir import Cell, Loc, Table
from ..textutil import squash
from ..records import MONEY_FIELDS, Budget, BudgetLine, Unparsed
from .notation import NotationError, find_unit, looks_like_amount, parse_amount

_DIGIT = re.compile(r"\d")


def is_header_row(row: list[Cell]) -> bool:
    """Header words and no figures or codes."""
    roles = 0
    for cell in row:
        t = cell.text.strip()
        if not t:
            continue
        if _STAT.match(t) or (looks_like_amount(t) and _DIGIT.search(t)):
            return False
        if column_role(t) or mentions_group(t):
            roles += 1
    return roles >= 2 or (roles >= 1 and sum(1 for c in row if c.text.strip()) == roles)


@dataclass
class ColumnMap:
    roles: dict  # role → column index (0-based)
    header_rows: int

    def missing(self) -> list[str]:
        need = ("stat", "before", "decrease", "increase", "after")
        have = set(self.roles)
        if "stat_code" in have or "stat_name" in have:
            have.add("stat")
        return [r for r in need if r not in have]


def map_columns(rows: list[list[Cell]]) -> ColumnMap:
    n_header = 0
    for row in rows[:4]:
        if is_header_row(row):
            n_header += 1
        else:
            break
    width = max((len(r) for r in rows), default=0)
    roles: dict[str, int] = {}
    for c in range(width):
        # Most specific word wins: look at the lowest header row first.
        found = None
        for r in range(n_header - 1, -1, -1):
            if c < len(rows[r]):
                found = column_role(rows[r][c].text)
                if found:
                    break
        if found and found not in roles:
            roles[found] = c
        elif found == "stat" and "stat" in roles and "stat_name" not in roles:
            # 통계목 printed over two columns: code, then name.
            roles["stat_code"] = roles.pop("stat")
            roles["stat_name"] = c
    return ColumnMap(roles, n_header)


def _row_label(row: list[Cell], cmap: ColumnMap) -> str:
    """The text that says whether a row is a total: its leading text cells."""
    first_money = min((cmap.roles[r] for r in MONEY_FIELDS if r in cmap.roles), default=len(row))
    return squash(" ".join(c.text for c in row[:first_money] if c.text))


def _union_bbox(locs: list[Loc]):
    boxes = [lc.bbox for lc in locs if lc.bbox]
    if not boxes:
        return None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _figures_loc(cells: list[Cell]) -> Loc:
    """Where a line's figures are printed: the first figure's place, the box around them
    all, and every page the row runs over when a page break split it (PDF)."""
    first = cells[0].loc
    pages = sorted({p for c in cells for p in (c.loc.pages or ())})
    return Loc(
        page=first.page,
        line=first.line,
        bbox=_union_bbox([c.loc for c in cells if c.loc.page == first.page]),
        cell=first.cell,
        paragraph=first.paragraph,
        section=first.section,
        pages=tuple(pages) if len(pages) > 1 else None,
    )


def parse_budget_table(tables: list[Table], unit: Optional[str], unparsed: list[Unparsed]) -> Budget:
    """One or more tables (a table continued on the next page arrives as several) → Budget."""
    rows: list[list[Cell]] = []
    for k, t in enumerate(tables):
        body = t.rows
        if k > 0:
            # A continuation: drop its repeated header, if any.
            skip = 0
            while skip < len(body) and is_header_row(body[skip]):
                skip += 1
            body = body[skip:]
        rows.extend(body)
    # Rows narrower than the widest one (a reader that drops trailing empty cells) are
    # padded, so that every column the header names exists in every row.
    width = max((len(r) for r in rows), default=0)
    rows = [r if len(r) == width else r + [Cell("", r[-1].loc if r else tables[0].loc) for _ in range(width - len(r))] for r in rows]
    cmap = map_columns(rows)
    header = [[c.text for c in row] for row in rows[: cmap.header_rows]]
    if unit is None:
        for row in rows[: cmap.header_rows]:
            for c in row:
                unit = unit or find_unit(c.text)
    budget = Budget(unit=unit or USUAL_UNIT, loc=tables[0].loc, header=header)
    if unit is None:
        unparsed.append(Unparsed("(단위 없음)", f"the table prints no unit; figures read as {USUAL_UNIT}", tables[0].loc))
    missing = cmap.missing()
    if missing:
        for row in rows:
            text = " | ".join(c.text for c in row if c.text)
            if text:
                unparsed.append(Unparsed(text, f"budget table without columns for {', '.join(missing)}", row[0].loc))
        return budget

    filled = {r: "" for r in TEXT_ROLES + ("stat",)}
    for row in rows[cmap.header_rows:]:
        if not any(c.text.strip() for c in row):
            continue
        if is_header_row(row):
            continue  # a header repeated after a page break
        label = _row_label(row, cmap)
        if _SUBTOTAL.match(label):
            unparsed.append(Unparsed(" | ".join(c.text for c in row if c.text), "subtotal row (not a budget line)", row[0].loc))
            continue
        money, locs, printed, ok = {}, {}, {}, True
        for f in MONEY_FIELDS:
            cell = row[cmap.roles[f]] if cmap.roles[f] < len(row) else None
            if cell is None:
                money[f] = 0
                continue
            locs[f] = cell.loc
            printed[f] = cell.text
            try:
                amount = parse_amount(cell.text, budget.unit)
            except NotationError as e:
                unparsed.append(Unparsed(cell.text, f"{f}: {e}", cell.loc))
                ok = False
                continue
            if amount.irregular:
                unparsed.append(Unparsed(cell.text, f"{f}: irregular digit grouping, read as {amount.won:,}원", cell.loc))
            money[f] = amount.won
        if _TOTAL.match(label):
            if ok:
                budget.total = money
                budget.total_locs = locs
            continue
        if not ok:
            continue
        values = {}
        for role in TEXT_ROLES:
            col = cmap.roles.get(role)
            text = row[col].text.strip() if col is not None and col < len(row) else ""
            if text:
                filled[role] = text
            values[role] = filled[role]
        code, name = _stat_of(row, cmap, filled)
        figure_cells = [row[cmap.roles[f]] for f in MONEY_FIELDS if cmap.roles[f] < len(row)]
        budget.lines.append(
            BudgetLine(
                stat_code=code,
                stat_name=name,
                loc=_figures_loc(figure_cells),
                cell_locs=locs,
                printed=printed,
                **values,
                **money,
            )
        )
    return budget


def _stat_of(row: list[Cell], cmap: ColumnMap, filled: dict) -> tuple[str, str]:
    if "stat" in cmap.roles:
        text = row[cmap.roles["stat"]].text.strip()
        if not text:
            text = filled["stat"]
        filled["stat"] = text
        m = _STAT.match(text)
        if m:
            return squash(m.group(1)), m.group(2).strip()
        return "", text
    code = row[cmap.roles["stat_code"]].text.strip() if "stat_code" in cmap.roles else ""
    name = row[cmap.roles["stat_name"]].text.strip() if "stat_name" in cmap.roles else ""
    return code, name

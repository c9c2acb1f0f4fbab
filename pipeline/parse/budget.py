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
from ..domain.headers import SUBTOTAL as _SUBTOTAL, TEXT_ROLES, TOTAL as _TOTAL, column_role, is_header_label, mentions_group, names_change
from ..ir import Cell, Loc, Note, Table
from ..textutil import squash
from ..records import MONEY_FIELDS, Budget, BudgetLine, Unparsed
from .columns import decide_by_content, one_column_between
from .notation import UNIT_WON, NotationError, header_unit, looks_like_amount, parse_amount, parse_signed_amount, split_unit_suffix

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

    @property
    def signed(self) -> bool:
        """One signed change column instead of 감 and 증."""
        return "change" in self.roles and not ("decrease" in self.roles and "increase" in self.roles)

    def figure_roles(self) -> tuple:
        return ("before", "change", "after") if self.signed else MONEY_FIELDS

    def missing(self) -> list[str]:
        need = ("stat",) + self.figure_roles()
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
    # A header row may print only labels under words no list holds (`(B)` over `증액분`): a
    # row printing no digit at all and a label alone in a cell is a header row too.
    while n_header < min(4, len(rows)) and _label_row(rows[n_header]):
        n_header += 1
    width = max((len(r) for r in rows), default=0)
    roles: dict[str, int] = {}
    for c in range(width):
        # Most specific word wins: look at the lowest header row first.
        found = None
        below_blank = True  # no header row under this one prints words in this column
        for r in range(n_header - 1, -1, -1):
            if c < len(rows[r]):
                text = rows[r][c].text
                # A change word (`증감`) names this column only when nothing is printed under
                # it here: over words of their own (`감`/`증`, or words no list holds) it groups them.
                found = column_role(text) or ("change" if below_blank and names_change(text) else None)
                if found:
                    break
                below_blank = below_blank and not text.strip()
        if found and found not in roles:
            roles[found] = c
        elif found == "stat" and "stat" in roles and "stat_name" not in roles:
            # 통계목 printed over two columns: code, then name.
            roles["stat_code"] = roles.pop("stat")
            roles["stat_name"] = c
    if ("stat_code" in roles) != ("stat_name" in roles):
        # One 통계목 column named for its code or its name alone (`과목명`): it may print
        # both (`203-02 사무관리비`), read as any 통계목 column.
        roles["stat"] = roles.pop("stat_code", None) if "stat_code" in roles else roles.pop("stat_name")
    return ColumnMap(roles, n_header)


def _label_row(row: list[Cell]) -> bool:
    return not any(_DIGIT.search(c.text) for c in row) and any(is_header_label(c.text) for c in row)


def _row_label(row: list[Cell], cmap: ColumnMap) -> str:
    """The text that says whether a row is a total: its leading text cells."""
    first_money = min((cmap.roles[r] for r in MONEY_FIELDS + ("change",) if r in cmap.roles), default=len(row))
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


def _joined_rows(tables: list[Table]) -> list[list[Cell]]:
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
    return [r if len(r) == width else r + [Cell("", r[-1].loc if r else tables[0].loc) for _ in range(width - len(r))] for r in rows]


def _set_aside(rows: list[list[Cell]], reason: str, unparsed: list[Unparsed]) -> None:
    for row in rows:
        text = " | ".join(c.text for c in row if c.text)
        if text:
            unparsed.append(Unparsed(text, reason, row[0].loc))


def parse_budget_table(tables: list[Table], unit: Optional[str], unparsed: list[Unparsed],
                       tie_amount: Optional[int] = None, notes: Optional[list[Note]] = None) -> Budget:
    """One or more tables (a table continued on the next page arrives as several) → Budget.

    `unit`: the unit printed above or beside the table, if any. The unit is read, never
    assumed: else from a header cell (`예산액(천원)`), else from the figures themselves
    (`1,400천원`), else from the 전용개요 amount `tie_amount` (won), when it ties to the
    table's total 감 or 증 in exactly one unit (a note says so). A table whose unit cannot
    be established is set aside with its reason, its figures not read."""
    rows = _joined_rows(tables)
    cmap = map_columns(rows)
    header = [[c.text for c in row] for row in rows[: cmap.header_rows]]
    loc = tables[0].loc
    if cmap.signed and not one_column_between(rows[cmap.header_rows:], cmap.roles):
        cmap = ColumnMap({r: c for r, c in cmap.roles.items() if r != "change"}, cmap.header_rows)
    if cmap.missing():
        decided: list[Note] = []
        cmap = ColumnMap(decide_by_content(cmap.roles, header, rows[cmap.header_rows:], loc, decided), cmap.header_rows)
        if not cmap.missing() and notes is not None:
            notes.extend(decided)
    missing = cmap.missing()
    if missing:
        _set_aside(rows, f"budget table without columns for {', '.join(missing)}", unparsed)
        return Budget(unit=unit, loc=loc, header=header)
    body = rows[cmap.header_rows:]
    if unit is None:
        unit = next((u for row in rows[: cmap.header_rows] for c in row for u in [header_unit(c.text)] if u), None)
    if unit is None:
        printed_units = {split_unit_suffix(row[cmap.roles[f]].text)[1] for row in body for f in cmap.figure_roles()} - {None}
        if len(printed_units) > 1:
            _set_aside(rows, f"budget table prints its figures in several units ({', '.join(sorted(printed_units))}) "
                             "and no unit for the table: figures not read", unparsed)
            return Budget(unit=None, loc=loc, header=header)
        unit = next(iter(printed_units), None)
    if unit is None:
        unit, why = _unit_by_tie_out(body, cmap, tie_amount)
        if unit is None:
            _set_aside(rows, f"budget table prints no unit, {why}: figures not read (a unit is never assumed)", unparsed)
            return Budget(unit=None, loc=loc, header=header)
        if notes is not None:
            notes.append(Note(unit, why, f"the table prints no unit; the 전용개요 amount {tie_amount:,}원 ties to its "
                              f"total 감 or 증 read in {unit} and in no other unit", "arithmetic", loc))
    budget = Budget(unit=unit, loc=loc, header=header)
    _read_lines(budget, body, cmap, unparsed)
    return budget


def _unit_by_tie_out(body: list[list[Cell]], cmap: ColumnMap, tie_amount: Optional[int]) -> tuple[Optional[str], str]:
    """(the one unit in which the table's total 감 or 증 equals the 전용개요 amount, the other
    units tried) or (None, why not)."""
    if not tie_amount:
        return None, "and the 전용개요 prints no amount to tie its figures to"
    fits = []
    for u in UNIT_WON:
        trial = Budget(unit=u)
        _read_lines(trial, body, cmap, [])
        printed = trial.total or {}
        sides = [printed.get(f) if printed.get(f) is not None else sum(getattr(ln, f) for ln in trial.lines)
                 for f in ("decrease", "increase")]
        if trial.lines and tie_amount in sides:
            fits.append(u)
    if len(fits) == 1:
        return fits[0], "other units: " + ", ".join(u for u in UNIT_WON if u != fits[0])
    if not fits:
        return None, f"and the 전용개요 amount ({tie_amount:,}원) ties to its total in no unit"
    return None, f"and the 전용개요 amount ({tie_amount:,}원) ties to its total in several units ({', '.join(fits)})"


def _read_lines(budget: Budget, body: list[list[Cell]], cmap: ColumnMap, unparsed: list[Unparsed]) -> None:
    filled = {r: "" for r in TEXT_ROLES + ("stat",)}
    for row in body:
        if not any(c.text.strip() for c in row):
            continue
        if is_header_row(row):
            continue  # a header repeated after a page break
        label = _row_label(row, cmap)
        if _SUBTOTAL.match(label):
            unparsed.append(Unparsed(" | ".join(c.text for c in row if c.text), "subtotal row (not a budget line)", row[0].loc))
            continue
        money, locs, printed, ok = {}, {}, {}, True
        for f in cmap.figure_roles():
            cell = row[cmap.roles[f]] if cmap.roles[f] < len(row) else None
            if cell is None:
                money[f] = 0
                continue
            locs[f] = cell.loc
            printed[f] = cell.text
            figure, own_unit = split_unit_suffix(cell.text)  # `1,400천원`: the figure's own unit
            try:
                read = parse_signed_amount if f == "change" else parse_amount
                amount = read(figure, own_unit or budget.unit)
            except NotationError as e:
                unparsed.append(Unparsed(cell.text, f"{f}: {e}", cell.loc))
                ok = False
                continue
            if amount.irregular:
                unparsed.append(Unparsed(cell.text, f"{f}: irregular digit grouping, read as {amount.won:,}원", cell.loc))
            money[f] = amount.won
        if cmap.signed and ok:
            # A signed change is a decrease (negative) or an increase (positive) on a line;
            # the total row prints the net change, kept as printed (`change`).
            change = money.pop("change")
            money["decrease"], money["increase"] = max(-change, 0), max(change, 0)
            locs["decrease"] = locs["increase"] = locs.get("change")
            if _TOTAL.match(label):
                money = {"before": money["before"], "decrease": None, "increase": None, "after": money["after"], "change": change}
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
        figure_cells = [row[cmap.roles[f]] for f in cmap.figure_roles() if cmap.roles[f] < len(row)]
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

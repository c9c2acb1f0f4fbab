"""A table grid from word-processor cells with addresses and spans (HWPX, HWP).

Each cell is given by its 0-based origin, its span and its text. The grid gets the text at
the origin and `Cell("", merged=True)` at every position the merge covers, which is what
the parser expects from a reader that sees real merges (see ir.py). Positions no cell
claims (a damaged table) become empty, unmerged cells.
"""
from __future__ import annotations

from typing import Iterable

from ..errors import InputError
from ..ir import Cell, Loc, Table


class CellBudget:
    """Counts grid positions across one document against `Limits.max_table_cells`."""

    def __init__(self, limit: int):
        self.limit = limit
        self.used = 0

    def take(self, n: int) -> None:
        self.used += n
        if self.used > self.limit:
            raise InputError(f"tables with more than {self.limit:,} cells; refusing to read them")


def build_table(
    cells: Iterable[tuple[int, int, int, int, str]],
    n_rows: int,
    n_cols: int,
    table_no: int,
    budget: CellBudget,
    section: int | None = None,
    paragraph: int | None = None,
) -> Table | None:
    """cells: (row, col, rowspan, colspan, text), 0-based origins. The grid is at least
    n_rows × n_cols and grows to hold every cell. None for a table without any cell."""
    cells = list(cells)
    for r, c, rs, cs, _ in cells:
        if r < 0 or c < 0 or rs < 1 or cs < 1:
            raise InputError(f"table {table_no}: a cell with an impossible address or span")
        n_rows, n_cols = max(n_rows, r + rs), max(n_cols, c + cs)
    if n_rows * n_cols == 0:
        return None
    budget.take(n_rows * n_cols)
    if sum(rs * cs for _, _, rs, cs, _ in cells) > budget.limit:  # hostile overlapping spans
        raise InputError(f"table {table_no}: cells overlap far beyond the table's size")

    def loc(r: int, c: int) -> Loc:
        return Loc(section=section, paragraph=paragraph, cell=(table_no, r + 1, c + 1))

    grid: list[list] = [[None] * n_cols for _ in range(n_rows)]
    for r, c, rs, cs, text in cells:
        if grid[r][c] is None or grid[r][c].merged:
            grid[r][c] = Cell(text, loc(r, c))
        for rr in range(r, r + rs):
            for cc in range(c, c + cs):
                if (rr, cc) != (r, c) and grid[rr][cc] is None:
                    grid[rr][cc] = Cell("", loc(rr, cc), merged=True)
    for r in range(n_rows):
        for c in range(n_cols):
            if grid[r][c] is None:
                grid[r][c] = Cell("", loc(r, c))
    return Table(grid, loc(0, 0))

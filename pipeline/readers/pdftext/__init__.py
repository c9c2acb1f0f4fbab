"""Budget tables in text converted from PDF (`pdftotext -layout`): columns aligned with
spaces → the same `Table` blocks every reader gives.

pdftotext places each printed line (or block of lines) at a text column from where it
stands on the page, packing every page afresh: a table's columns keep their order, but not
their places from page to page, and a long name may reach under the next column's figures.
What the rules below rest on, then, is order, alignment and the table's own structure.
A table is read in stages, each a function returning a value: `placing.place` (its lines
placed in its columns page by page and cut into rows: `Placed`, over a frozen `TableFrame`),
`table.column_widths` (pooled over the document), `table.build_table` (the grid:
`BuiltTable`), then `breaks.decide_breaks` for the whole document.

* **The header** (`header_of`): its words wrapped over several lines are stacked into cells
  (`전용`/`후`/`예산`/`액`), each fragment under the nearest one above that it overlaps; group
  words (`예산과목`, `증감내역`) span cells; a header word that would change what the cell
  above names is a cell of its own. The header must name its columns once each, in the
  order every budget table prints them (department … 통계목, budget, its changes, result),
  with the figure columns at its right, or the table is not rebuilt. A header the page cut
  (`_cut_header`) is put together by what its parts name: the first part's group words
  stand over the second part's columns of their kind, which places the first part's own
  columns in the frame of the second page, where the body is; failing that, by order
  (`_cut_header_aligned`): both parts read left to right, a cell's top joined with its
  rest where the two spell a header word, every column named once, in order, one way
  only.
* **Columns** (`place_words`): a line's words a single space apart are one cell's (a figure
  or a 통계목 code always stands alone); words overlapping across lines are one column's
  ("islands"). Figures are right-aligned: a line printing every figure column says where
  each column's figures end, and every figure goes to the nearest, two on one line never to
  one column; without such a line, figure islands go to the columns in order. Text islands
  go to the text columns in order: one each when there are as many, else each to the
  nearest header cell. On a page that does not repeat the header, the names left of the
  codes are the last name columns (the hierarchy: below), or must stand where their
  columns stood on the page before.
* **Rows** (`rows.row_starts`): a row starts where its 통계목 code starts (every budget line prints
  one, at the top of its cell: cells are top-aligned), or at the total row's label with new
  figures; a code cut by a wrap (`110-202-0` / `1`, `307` / `-02`) goes on. A table printing
  no code starts a row at each line of new figures. Everything up to the next row's start
  is the row's, over a page break too (footer, form feed, running header and a repeated
  header dropped).
* **Figures** (`rows.figure_texts`): a cell's pieces joined (`1,3`/`88,`/`63`/`6`); a piece before the
  last must fill its line, and the whole must be a whole figure (a cut one whose rest went
  elsewhere, or an irregular grouping, cannot be told apart): else the table is not rebuilt.
  Pieces of figures alone at the top of a page go on with the figures the page cut.
* **Names merged over rows** (`_column_cells`, `_runs_on`, `_hierarchy`): a name can be
  taller than its first row, its lines running on into the next rows. Names are a
  hierarchy (a new department has new programmes under it), so a name column's text at a
  row's top continues the name above when a column to its right has no new name there;
  when the text cannot tell (the name above filled its last line), it is read as a new
  name and both are noted (basis `layout`). A name that ended above a row starting lower
  on its page had room to go on there: it does not go on over the page; text opening the next
  page in its column that is not new either (the names under it are not) is the previous
  page's last row's, drawn on this page. A row printing names either side of an empty
  one is the last of its page whose merged cell the converter drew on the next page, at
  its first row's top: in its column under a repeated header; on a page packed afresh,
  the names opening it fill the empty columns in order when there are as many.
* **Line breaks inside a name** (`_break`): decided for the whole document by the PDF
  reader's rule and vocabulary (wraps.py), from the facts text still shows, in ems (Hangul
  one em, other characters by their usual share): a cell is at least as wide as the widest
  line its column prints in any table of the same shape. A 통계목 name is one word.
Whatever cannot be rebuilt with confidence raises `Unbuildable` with the reason; the
caller sets the table's lines aside.
"""
from __future__ import annotations

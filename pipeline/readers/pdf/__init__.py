"""The PDF reader, as a package of stages (each a module of functions over plain values):

* `geometry`: a page's characters, their boxes and sizes, and its ruling lines, read once
  by pypdfium2 or pdfplumber behind one interface;
* `tables`: ruled tables found on that geometry (pdfplumber's table finder, lines only);
* `lines`: characters → printed lines and the texts of cells and paragraphs;
* `reader`: each page → its lines and its tables as grids (merged cells marked), page
  furniture dropped (`read_pdf`, the entry point);
* `pages`: the pages put together: paragraphs, tables over page breaks (the seam rules of
  readers/seams.py decide what a break did to a table), every line break decided at once.
"""
from .reader import read_image, read_pdf

__all__ = ["read_image", "read_pdf"]

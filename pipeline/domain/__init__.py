"""The budget reports ' vocabulary, spelled once: codes, figures and units, header words, marks, page furniture, labels, glyph widths."""

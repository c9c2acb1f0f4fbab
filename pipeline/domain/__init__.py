"""The budget reports' vocabulary, spelled once for every reader, the parser, the audit
and the writers:

* `codes`: 통계목 codes, whole, begun, cut; `stat_key`.
* `figures`: figures and their signs, zero dashes, units and their won multipliers, unit notices.
* `headers`: header words, the column roles they name, group words, total labels.
* `marks`: section marks and names, bullets, paragraph openers, item numerals.
* `pages`: page-number forms.
* `glyphs`: one glyph-width model (printed ems, display columns).
* `labels`: Korean labels the outputs print.
"""

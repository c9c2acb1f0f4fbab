"""Why a table was set aside, in the words every output prints: the readers give these reasons,
and the audit and the commands read them (a report holding one was not fully checked)."""

# A text converted from PDF without `-layout`: each column printed as a block of its own.
LAYOUT_LOST = "table layout lost in conversion: convert with `pdftotext -layout` or read the PDF itself"
# A table the readers could not rebuild without guessing (the reason's details follow it).
NOT_REBUILT = "table layout not rebuilt with confidence"

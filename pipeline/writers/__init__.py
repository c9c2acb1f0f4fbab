"""Writers: Report JSON → files. A new output is a new module here."""

"""Storage: the archive (schema, opening and migrating, writing a report in one transaction),
the ingest run (finding and hashing files, the worker pool, the run's phases), export of the
archive as the contract's tables, and the Datasette glue that serves it.

Modules, in the order data flows: `schema` → `archive` → `files`, `options`, `pool` →
`ingest`; `export` writes an archive out; `serve` shows one. Nothing here is imported by the
readers or the parser."""

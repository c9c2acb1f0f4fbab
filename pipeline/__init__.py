"""jeonyong: Korean local-government 예산 전용 보고 → validated JSON, CSV and SQLite.

Data flows one way: readers (one per format) → ir.Document → parse → audit/validate →
writers. See README.md.
"""
__version__ = "0.1.0"

"""Parse: segment a Document into the report, its transfers and their sections."""
from .report import parse_document

__all__ = ["parse_document"]

"""assay: what is inside Python software, and whether to trust it."""

__version__ = "0.1.0"

"""Build-time helpers for the book: data, Sphinx extension, single-page runs."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

"""tracker: coverage, gaps and timelines of a UN special procedure, from reviewable TOML files."""

__version__ = "0.1.0"

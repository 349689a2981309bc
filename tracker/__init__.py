"""tracker: coverage, gaps and timelines of a UN special procedure, from reviewable TOML files."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracker.api import Tracker

__version__ = "0.1.0"


def open(data: Any = None, db: Any = None) -> Tracker:
    """The library face: `tracker.open(data=..., db=...)` returns a Tracker whose methods
    return plain data (see tracker/api.py)."""
    from tracker.api import open as open_tracker

    return open_tracker(data, db)

"""tracker: coverage, gaps and timelines of a UN special procedure, from reviewable TOML files."""

__version__ = "0.1.0"


def open(data=None, db=None):
    """The library face: `tracker.open(data=..., db=...)` returns a tracker.api.Tracker,
    whose methods return plain data. (Unannotated, so that importing tracker, as every
    command does, loads nothing more.)"""
    from tracker.api import open as open_tracker

    return open_tracker(data, db)

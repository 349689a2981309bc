"""Records as read from the data files, and the data set they make.

The kinds of record and their fields are declared in tracker/kinds.py; this module
re-exports those declarations for the modules that read and write records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.constants import (
    DATED_VISIT_STATUSES,
    OPEN_VISIT_STATUSES,
    REPORT_BODIES,
    REPORT_KINDS,
    RESOLUTION_ACTIONS,
    RESOLUTION_BODIES,
    VISIT_STATUSES,
    VOTE_CHOICES,
)
from tracker.kinds import FILES, HISTORY_FIELDS, KINDS, Field, Kind, default_visit_id

# The data files as a tuple, for code that indexes them (tests); code that must see
# kinds declared later iterates FILES itself.
DATA_FILES = tuple(FILES)

__all__ = [
    "DATA_FILES",
    "DATED_VISIT_STATUSES",
    "FILES",
    "HISTORY_FIELDS",
    "KINDS",
    "OPEN_VISIT_STATUSES",
    "REPORT_BODIES",
    "REPORT_KINDS",
    "RESOLUTION_ACTIONS",
    "RESOLUTION_BODIES",
    "VISIT_STATUSES",
    "VOTE_CHOICES",
    "DataSet",
    "Field",
    "Kind",
    "Record",
    "default_visit_id",
    "record_key",
]


@dataclass(slots=True)  # slotted: at scale a data set holds about 100,000 of them
class Record:
    """One record as read from a data file, with where it stands there."""

    kind: str
    data: dict[str, Any]
    file: Path
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)
    # The key of the file it was read from (layout.py: `visits.toml`,
    # `mandate-0001/visits.toml`); "" for a record a command is adding.
    source: str = ""

    @property
    def key(self) -> str:
        return record_key(self.kind, self.data)

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name, self.line)

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)


def record_key(kind: str, data: dict[str, Any]) -> str:
    """The value that names a record (its key field, e.g. a report's symbol or id)."""
    return KINDS[kind].key_of(data)


@dataclass
class DataSet:
    """Everything read from a data folder, by kind, in file order."""

    folder: Path
    records: dict[str, list[Record]] = field(default_factory=lambda: {k: [] for k in KINDS})
    # Each file as parsed, by file name: the store caches them to skip unchanged files.
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)

    def of(self, kind: str) -> list[Record]:
        return self.records[kind]

    def index(self, kind: str) -> dict[str, Record]:
        return {key: r for r in self.records[kind] if (key := r.key)}

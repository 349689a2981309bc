"""The shape of the tracked data: record kinds, their fields, and where they live.

One table here describes every field a data file may hold. The loader, the
validator, the store, the writer and the docs all read it, so a field is added
in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.constants import (
    DATA_FILES,
    DATED_VISIT_STATUSES,
    FILES,
    OPEN_VISIT_STATUSES,
    REPORT_BODIES,
    REPORT_KINDS,
    RESOLUTION_ACTIONS,
    RESOLUTION_BODIES,
    VISIT_STATUSES,
    VOTE_CHOICES,
)

__all__ = [
    "DATA_FILES",
    "DATED_VISIT_STATUSES",
    "FILES",
    "OPEN_VISIT_STATUSES",
    "REPORT_BODIES",
    "REPORT_KINDS",
    "RESOLUTION_ACTIONS",
    "RESOLUTION_BODIES",
    "VISIT_STATUSES",
    "VOTE_CHOICES",
]


@dataclass(frozen=True)
class Field:
    """One field of a record kind.

    type is one of: text, slug, int, date, iso3, symbol, enum, list (of text),
    slugs (list of ids), vote (the resolution vote table), history (visit history).
    """

    name: str
    type: str
    required: bool = False
    choices: tuple[str, ...] = ()
    refers_to: str | None = None
    help: str = ""


@dataclass(frozen=True)
class Kind:
    name: str
    file: str
    key: str
    fields: tuple[Field, ...]
    plural: str = ""

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


SOURCE = Field("source", "text", required=True, help="UN document symbol or public URL")
NOTE = Field("note", "text", help="what is unconfirmed or inferred, and any remark")

KINDS: dict[str, Kind] = {
    "mandate": Kind(
        "mandate",
        "mandate.toml",
        "id",
        (
            Field("id", "slug", required=True),
            Field("title", "text", required=True),
            Field("established", "date", required=True),
            Field("established_by", "symbol", required=True),
            SOURCE,
            NOTE,
        ),
        plural="mandates",
    ),
    "holder": Kind(
        "holder",
        "mandate.toml",
        "id",
        (
            Field("id", "slug", required=True),
            Field("mandate", "slug", required=True, refers_to="mandate"),
            Field("name", "text", required=True),
            Field("nationality", "iso3"),
            Field("appointed", "date", help="when the holder was appointed, where known"),
            Field(
                "start",
                "date",
                help="when the holder took up the mandate; give it or `appointed`",
            ),
            Field("end", "date", help="absent while in office"),
            SOURCE,
            NOTE,
        ),
        plural="holders",
    ),
    "resolution": Kind(
        "resolution",
        "mandate.toml",
        "symbol",
        (
            Field("symbol", "symbol", required=True),
            Field("mandate", "slug", required=True, refers_to="mandate"),
            Field("body", "enum", required=True, choices=RESOLUTION_BODIES),
            Field("adopted", "date", required=True),
            Field("action", "enum", required=True, choices=RESOLUTION_ACTIONS),
            Field("term_years", "int"),
            SOURCE,
            NOTE,
            Field("vote", "vote", help="yes/no/abstain: ISO alpha-3 lists or tallies"),
        ),
        plural="resolutions",
    ),
    "visit": Kind(
        "visit",
        "visits.toml",
        "id",
        (
            Field("id", "slug", help="defaults to <iso3>-<year>"),
            Field("holder", "slug", required=True, refers_to="holder"),
            Field("country", "iso3", required=True),
            Field("status", "enum", required=True, choices=VISIT_STATUSES),
            Field("start", "date"),
            Field("end", "date"),
            Field("report", "symbol", refers_to="report"),
            Field("themes", "slugs", refers_to="theme"),
            Field("places", "list"),
            SOURCE,
            NOTE,
            Field("history", "history"),
        ),
        plural="visits",
    ),
    "theme": Kind(
        "theme",
        "themes.toml",
        "id",
        (
            Field("id", "slug", required=True),
            Field("mandate", "slug", required=True, refers_to="mandate"),
            Field("title", "text", required=True),
            Field("set_by", "slug", refers_to="holder"),
            Field("set_in", "symbol"),
            SOURCE,
            NOTE,
        ),
        plural="themes",
    ),
    "report": Kind(
        "report",
        "themes.toml",
        "symbol",
        (
            Field("symbol", "symbol", help="or `id` where the symbol is not known"),
            Field("id", "slug"),
            Field("holder", "slug", required=True, refers_to="holder", help="who presented it"),
            Field(
                "author",
                "slug",
                refers_to="holder",
                help="who wrote it, where not the presenter (default: holder)",
            ),
            Field("body", "enum", required=True, choices=REPORT_BODIES),
            Field("session", "int"),
            Field("date", "date"),
            Field("year", "int"),
            Field("kind", "enum", required=True, choices=REPORT_KINDS),
            Field("title", "text", required=True),
            Field("themes", "slugs", refers_to="theme"),
            Field("summary", "text"),
            SOURCE,
            NOTE,
        ),
        plural="reports",
    ),
}

HISTORY_FIELDS = (
    Field("date", "date", required=True),
    Field("status", "enum", required=True, choices=VISIT_STATUSES),
    Field("note", "text"),
)


@dataclass
class Record:
    """One record as read from a data file, with where it stands there."""

    kind: str
    data: dict[str, Any]
    file: Path
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return record_key(self.kind, self.data)

    def line_of(self, name: str) -> int:
        return self.field_lines.get(name, self.line)

    def get(self, name: str, default: Any = None) -> Any:
        return self.data.get(name, default)


def record_key(kind: str, data: dict[str, Any]) -> str:
    """The value that names a record: its id, or its symbol for resolutions and reports."""
    if kind == "report":
        return str(data.get("symbol") or data.get("id") or "")
    if kind == "visit" and not data.get("id"):
        return default_visit_id(data) or ""
    return str(data.get(KINDS[kind].key) or "")


def default_visit_id(data: dict[str, Any]) -> str | None:
    """`<iso3>-<year>` from the visit's start, else from its first history entry."""
    from tracker.dates import try_parse

    country = data.get("country")
    if not isinstance(country, str) or not country:
        return None
    when = try_parse(data.get("start"))
    history = data.get("history")
    if when is None and isinstance(history, list) and history and isinstance(history[0], dict):
        when = try_parse(history[0].get("date"))
    if when is None:
        return None
    return f"{country.lower()}-{when.year}"


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
        return {r.key: r for r in self.records[kind] if r.key}

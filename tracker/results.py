"""What the commands return: typed results, each drawn by every output format that can
show it (tracker/formats/). A command never takes a format string; the CLI hands its
result and the chosen format to formats.output()."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

Row = dict[str, Any]
Column = tuple[str, str]  # (key in the row, header shown)


class Rows(NamedTuple):
    """A list of records: a table of `columns`, titled."""

    rows: Sequence[Row]
    columns: Sequence[Column]
    title: str = ""
    # The rows as a table or Markdown shows them (e.g. a report's year from its date).
    shown: Callable[[Sequence[Row]], Sequence[Row]] | None = None
    # The rows as CSV gives them, when not as they are.
    flat: Callable[[Sequence[Row]], Sequence[Row]] | None = None


class Detail(NamedTuple):
    """One record and the tables of what relates to it (queries.show)."""

    result: dict[str, Any]


class Coverage(NamedTuple):
    """The coverage matrix: holders (the columns) and themes (the rows)."""

    data: dict[str, Any]


class Gaps(NamedTuple):
    """The gaps view: sections of differing shape."""

    data: dict[str, Any]


class Timeline(NamedTuple):
    """Dated events, and the holders' terms they fall in."""

    events: list[dict[str, Any]]
    holders: list[dict[str, Any]]


class Matches(NamedTuple):
    """Search results, best first, for the query `text` (`searchable`: it held a word)."""

    results: list[dict[str, Any]]
    text: str
    searchable: bool = True


class Sources(NamedTuple):
    """Each source the data cites with the records resting on it (provenance.sources)."""

    data: dict[str, Any]


class Document(NamedTuple):
    """The shareable coverage report (analysis.report_data)."""

    data: dict[str, Any]


Result = Rows | Detail | Coverage | Gaps | Timeline | Matches | Sources | Document

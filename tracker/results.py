"""What the commands return: typed results, each drawn by every output format that can
show it (tracker/formats/). A command never takes a format string; the CLI hands its
result and the chosen format to formats.output().

Plain classes with slots: the read path creates them on every run, and a NamedTuple
class costs more to define than these take to write.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

Row = dict[str, Any]
Column = tuple[str, str]  # (key in the row, header shown)


class Rows:
    """A list of records: a table of `columns`, titled. `shown`: the rows as a table or
    Markdown shows them (a report's year from its date); `flat`: as CSV gives them."""

    __slots__ = ("columns", "flat", "rows", "shown", "title")

    def __init__(
        self,
        rows: Sequence[Row],
        columns: Sequence[Column],
        title: str = "",
        shown: Callable[[Sequence[Row]], Sequence[Row]] | None = None,
        flat: Callable[[Sequence[Row]], Sequence[Row]] | None = None,
    ) -> None:
        self.rows, self.columns, self.title = rows, columns, title
        self.shown, self.flat = shown, flat


class Detail:
    """One record and the tables of what relates to it (queries.show)."""

    __slots__ = ("result",)

    def __init__(self, result: dict[str, Any]) -> None:
        self.result = result


class Coverage:
    """The coverage matrix: holders (the columns) and themes (the rows)."""

    __slots__ = ("data",)

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data


class Gaps(Coverage):
    """The gaps view: sections of differing shape."""

    __slots__ = ()


class Sources(Coverage):
    """Each source the data cites with the records resting on it (provenance.sources)."""

    __slots__ = ()


class Delivery:
    """What each resolution asked of the mandate, term by term, and what answered it
    (record_queries.delivery_view)."""

    __slots__ = ("data",)

    def __init__(self, data: list[dict[str, Any]]) -> None:
        self.data = data


class Document(Coverage):
    """The shareable coverage report (analysis.report_data)."""

    __slots__ = ()


class Timeline:
    """Dated events, and the holders' terms they fall in."""

    __slots__ = ("events", "holders")

    def __init__(self, events: list[dict[str, Any]], holders: list[dict[str, Any]]) -> None:
        self.events, self.holders = events, holders


class Matches:
    """Search results, best first, for the query `text` (`searchable`: it held a word)."""

    __slots__ = ("results", "searchable", "text", "total")

    def __init__(
        self, results: list[dict[str, Any]], text: str, searchable: bool = True, total: int = 0
    ) -> None:
        self.results, self.text, self.searchable = results, text, searchable
        # How many records match in all, when more than the results shown (else 0).
        self.total = total

    def more(self) -> str:
        """ "20 of 48 results shown: ..." when the limit cut the results short, else ""."""
        if self.total <= len(self.results):
            return ""
        shown, total = len(self.results), self.total
        return f"{shown} of {total} results shown: see more with --limit {total}."

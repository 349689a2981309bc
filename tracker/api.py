"""The library face of tracker: open a data folder, ask it questions, get plain data.

    import tracker

    t = tracker.open(data="data")            # the store beside it, built when needed
    t.visits(holder="okafor")                # [{"id": "swe-2018", "holder": "okafor", ...}]
    t.show("Qatar")["visits"]
    t.coverage(since="2017")["themes"]
    t.search("climate change", kind="report")

Every method opens the up-to-date store (rebuilt or updated in place when the TOML files
changed, as every command does), runs a query and returns lists and dicts of text and
numbers, keyed by the data files' field names: what `--format json` prints. The CLI's
commands (tracker/commands.py) are one user of this class; the tests are another.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from tracker import queries
from tracker.paths import Settings


def open(
    data: str | os.PathLike[str] | None = None, db: str | os.PathLike[str] | None = None
) -> Tracker:
    """The data folder `data` (default: as the CLI finds it: $TRACKER_DATA, ./data, else the
    shipped data) with its store `db` (default: tracker.db beside the data)."""
    return Tracker(Settings.resolve(data, db))


class Tracker:
    """One data folder and its store. Each method returns plain data."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def __repr__(self) -> str:
        return f"tracker.open(data={self.settings.data!r}, db={self.settings.db!r})"

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """The up-to-date store, for a query this class does not offer."""
        from tracker.store import store

        with store(self.settings) as conn:
            yield conn

    # --- lists ---------------------------------------------------------------------

    def holders(self, mandate: str | None = None) -> list[dict[str, Any]]:
        with self.connection() as conn:
            return queries.holders(conn, mandate)

    def themes(self, mandate: str | None = None) -> list[dict[str, Any]]:
        with self.connection() as conn:
            return queries.themes(conn, mandate)

    def resolutions(self, mandate: str | None = None) -> list[dict[str, Any]]:
        with self.connection() as conn:
            return queries.resolutions(conn, mandate)

    def visits(
        self,
        holder: str | None = None,
        country: str | None = None,
        status: str | list[str] | None = None,
        year: int | None = None,
        mandate: str | None = None,
    ) -> list[dict[str, Any]]:
        with self.connection() as conn:
            return queries.visits(conn, holder, country, status, year, mandate)

    def reports(
        self,
        holder: str | None = None,
        theme: str | None = None,
        body: str | None = None,
        year: int | None = None,
        mandate: str | None = None,
    ) -> list[dict[str, Any]]:
        with self.connection() as conn:
            return queries.reports(conn, holder, theme, body, year, mandate)

    def records(self, kind: str, /, **filters: Any) -> list[dict[str, Any]]:
        """Any declared kind's records (tracker/kinds.py): filters holder, country, year,
        since and until (dates of any precision: records that may overlap them), mandate,
        and any field's value (a kind may have a field named `kind`: hence the `/`)."""
        holder, country = filters.pop("holder", None), filters.pop("country", None)
        year, mandate = filters.pop("year", None), filters.pop("mandate", None)
        window = period(filters.pop("since", None), filters.pop("until", None))
        with self.connection() as conn:
            rows = queries.records(conn, kind, holder, country, year, mandate, filters)
        return queries.in_period(kind, rows, window)

    def show(self, key: str) -> dict[str, Any]:
        """Whatever KEY names (a holder, theme, report, visit, resolution, country or a record
        of another declared kind), with everything related to it."""
        with self.connection() as conn:
            return queries.show(conn, key)

    def search(
        self,
        text: str,
        kind: str | None = None,
        limit: int | None = 20,
        mandate: str | None = None,
    ) -> list[dict[str, Any]]:
        """The records matching the query, best first: kind, key, title, snippet (the
        matched words between ** and **), url."""
        from tracker import search
        from tracker.render_search import public

        with self.connection() as conn:
            mandate = queries.chosen_mandate(conn, mandate)
            return public(search.search(conn, text, mandate, kind, limit))

    # --- the analysis views --------------------------------------------------------

    def coverage(
        self,
        holder: str | None = None,
        since: str | None = None,
        until: str | None = None,
        mandate: str | None = None,
    ) -> dict[str, Any]:
        from tracker import analysis

        with self.connection() as conn:
            return analysis.coverage(conn, holder, period(since, until), mandate)

    def gaps(self, mandate: str | None = None) -> dict[str, Any]:
        from tracker import analysis

        with self.connection() as conn:
            return analysis.gaps(conn, mandate)

    def timeline(
        self,
        holder: str | None = None,
        since: str | None = None,
        until: str | None = None,
        kinds: Sequence[str] | None = None,
        mandate: str | None = None,
    ) -> list[dict[str, Any]]:
        from tracker import analysis

        with self.connection() as conn:
            return analysis.timeline(conn, holder, period(since, until), kinds, mandate)

    def sources(self) -> dict[str, Any]:
        """Each source the data cites, the records resting on it, and the records whose only
        source is a secondary catalogue or none a reader can find."""
        from tracker import provenance

        with self.connection() as conn:
            return provenance.sources(conn)

    # --- the data files ------------------------------------------------------------

    def check(self) -> list[dict[str, Any]]:
        """Every problem in the data files (file, line, severity, message...); [] when valid."""
        from tracker import sources
        from tracker.paths import today
        from tracker.problems import sort_problems
        from tracker.validate import validate

        dataset, problems = sources.load(self.settings.data_dir)
        return [p.as_dict() for p in sort_problems(problems + validate(dataset, today()))]

    def sync(self) -> dict[str, int]:
        """Rebuild the store from the data files now; the rows of each table."""
        from tracker.store import connect, counts, rebuild

        rebuild(self.settings)
        conn = connect(self.settings.db_path)
        try:
            return counts(conn)
        finally:
            conn.close()


def period(since: str | None, until: str | None) -> Any:
    """The --since/--until dates as a Period (tracker/dates.py); a bad date, or a window that ends
    before it starts, is a usage error (status 2): no date could lie in it."""
    from tracker.dates import DateError, Period, parse
    from tracker.problems import UsageError

    try:
        window = Period(parse(since) if since else None, parse(until) if until else None)
    except DateError as error:
        raise UsageError(str(error)) from None
    if window.since and window.until and window.since.earliest() > window.until.latest():
        raise UsageError(f"{since} is after {until}: no date lies in that window")
    return window

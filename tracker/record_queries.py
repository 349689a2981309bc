"""Queries over the mandate's wider record: engagements, communications, standing
invitations and what each resolution asked. Each reads the store and returns plain data,
leaving the rules to the plain-data modules (clock, delivery, record_gaps, votes, ical)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from tracker.dates import try_parse
from tracker.links import document_url
from tracker.paths import today
from tracker.queries import (
    REPORT_ORDER,
    chosen_mandate,
    holder_id,
    resolutions,
    resolve_country,
    with_country_names,
)

ENGAGEMENT_FIELDS = (
    "id",
    "holder",
    "date",
    "end",
    "forum",
    "kind",
    "place",
    "country",
    "report",
    "title",
)
COMMUNICATION_FIELDS = ("ref", "type", "holder", "country", "date", "joint_with", "summary")


def _mandate_of_holder(mandate: str | None, alias: str = "h") -> tuple[str, list[Any]]:
    return (f" and {alias}.mandate = ?", [mandate]) if mandate else ("", [])


def _themes(conn: sqlite3.Connection, table: str, column: str) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for key, theme in conn.execute(
        f"select {column}, theme from {table} order by {column}, position"
    ):
        grouped.setdefault(key, []).append(theme)
    return grouped


def _in_period(
    first: Any, last: Any, year: int | None, since: str | None, until: str | None
) -> bool:
    """Whether a record dated first..last may fall in `year` and in since..until."""
    start = try_parse(first) if first else None
    end = (try_parse(last) if last else None) or start
    if start is None or end is None:
        return year is None and since is None and until is None
    if year is not None and not start.year <= year <= end.year:
        return False
    low = try_parse(since) if since else None
    high = try_parse(until) if until else None
    if low and end.latest() < low.earliest():
        return False
    return not (high and start.earliest() > high.latest())


def engagements(
    conn: sqlite3.Connection,
    holder: str | None = None,
    country: str | None = None,
    year: int | None = None,
    since: str | None = None,
    until: str | None = None,
    mandate: str | None = None,
    theme: str | None = None,
) -> list[dict[str, Any]]:
    """Engagements in date order, each with its themes and the link to the report presented."""
    if holder:
        holder = holder_id(conn, holder)
    code = resolve_country(conn, country) if country else None
    clause, args = _mandate_of_holder(chosen_mandate(conn, mandate))
    rows = conn.execute(
        "select e.* from engagement e join holder h on h.id = e.holder "
        f"where 1 = 1{clause} order by e.date, e.id",
        args,
    )
    themes = _themes(conn, "engagement_theme", "engagement")
    found = []
    for row in rows:
        if (holder and row["holder"] != holder) or (code and row["country"] != code):
            continue
        if theme and theme not in themes.get(row["id"], []):
            continue
        if not _in_period(row["date"], row["end"], year, since, until):
            continue
        record = {name: row[name] for name in ENGAGEMENT_FIELDS}
        record["themes"] = themes.get(row["id"], [])
        record["source"], record["note"] = row["source"], row["note"]
        record["report_url"] = document_url(row["report"])
        found.append(record)
    return with_country_names(conn, found, ["country"])


def communications(
    conn: sqlite3.Connection,
    holder: str | None = None,
    country: str | None = None,
    year: int | None = None,
    since: str | None = None,
    until: str | None = None,
    mandate: str | None = None,
    theme: str | None = None,
) -> list[dict[str, Any]]:
    """Communications in date order, each with its themes and the replies recorded."""
    if holder:
        holder = holder_id(conn, holder)
    code = resolve_country(conn, country) if country else None
    clause, args = _mandate_of_holder(chosen_mandate(conn, mandate))
    rows = conn.execute(
        "select c.* from communication c join holder h on h.id = c.holder "
        f"where 1 = 1{clause} order by c.date, c.ref",
        args,
    )
    themes = _themes(conn, "communication_theme", "communication")
    found = []
    for row in rows:
        if (holder and row["holder"] != holder) or (code and row["country"] != code):
            continue
        if theme and theme not in themes.get(row["ref"], []):
            continue
        if not _in_period(row["date"], None, year, since, until):
            continue
        record = {name: row[name] for name in COMMUNICATION_FIELDS}
        record["themes"] = themes.get(row["ref"], [])
        record["replies"] = json.loads(row["replies"]) if row["replies"] else []
        record["source"], record["note"] = row["source"], row["note"]
        found.append(record)
    return with_country_names(conn, found, ["country"])


def invitations(conn: sqlite3.Connection, country: str | None = None) -> list[dict[str, Any]]:
    """Standing invitations by country code, with the country's name."""
    code = resolve_country(conn, country) if country else None
    rows = conn.execute(
        "select i.*, c.name as country_name from invitation i "
        "left join country c on c.iso3 = i.country order by i.country"
    )
    return [
        {
            "country": row["country"],
            "country_name": row["country_name"],
            "since": row["since"],
            "withdrawn": row["withdrawn"],
            "source": row["source"],
            "note": row["note"],
        }
        for row in rows
        if not code or row["country"] == code
    ]


# --- the inputs of the rules ----------------------------------------------------------


def _resolutions_with_requests(conn: sqlite3.Connection, mandate: str | None) -> list[dict]:
    requests: dict[str, list[dict[str, Any]]] = {}
    for row in conn.execute("select * from resolution_request order by resolution, seq"):
        requests.setdefault(row["resolution"], []).append(
            {
                "paragraph": row["paragraph"],
                "asks": row["asks"],
                "text": row["text"],
                "note": row["note"],
            }
        )
    return [{**r, "request": requests.get(r["symbol"], [])} for r in resolutions(conn, mandate)]


def _holders(conn: sqlite3.Connection, mandate: str | None) -> list[dict[str, Any]]:
    clause, args = ("where mandate = ?", [mandate]) if mandate else ("", [])
    sql = f'select id, name, start, "end" from holder {clause} order by term_order'
    return [dict(row) for row in conn.execute(sql, args)]


def _reports(conn: sqlite3.Connection, mandate: str | None) -> list[dict[str, Any]]:
    clause, args = _mandate_of_holder(mandate)
    rows = conn.execute(
        "select r.symbol, r.id, r.key, r.body, r.date, r.year, r.holder from report r "
        f"join holder h on h.id = r.holder where 1 = 1{clause} order by {REPORT_ORDER}",
        args,
    )
    return [dict(row) for row in rows]


def _visits(conn: sqlite3.Connection, mandate: str | None) -> list[dict[str, Any]]:
    clause, args = _mandate_of_holder(mandate)
    rows = conn.execute(
        'select v.id, v.holder, v.country, v.status, v.start, v."end", v.source from visit v '
        f"join holder h on h.id = v.holder where 1 = 1{clause} order by v.start, v.id",
        args,
    )
    return [dict(row) for row in rows]


# --- the views ------------------------------------------------------------------------


def mandate_clock(conn: sqlite3.Connection, mandate: str | None = None) -> dict[str, Any]:
    """The mandate's current term, its status and the clock's warnings (see clock.py)."""
    from tracker import clock

    mandate = chosen_mandate(conn, mandate)
    return clock.mandate_clock(resolutions(conn, mandate), _holders(conn, mandate), today())


def delivery_view(conn: sqlite3.Connection, mandate: str | None = None) -> list[dict[str, Any]]:
    """Each resolution's requests with what answered them and a verdict (see delivery.py)."""
    from tracker import delivery

    mandate = chosen_mandate(conn, mandate)
    reports = [{**r, "symbol": r["key"]} for r in _reports(conn, mandate)]
    return delivery.delivery(
        _resolutions_with_requests(conn, mandate),
        reports,
        engagements(conn, mandate=mandate),
        _visits(conn, mandate),
        today(),
    )


def record_gaps_view(conn: sqlite3.Connection, mandate: str | None) -> dict[str, Any]:
    """The sections `gaps` adds for the wider record (see record_gaps.py)."""
    from tracker import record_gaps

    now = today()
    invited = invitations(conn)
    visits = _visits(conn, mandate)
    never = record_gaps.invited_never_visited(invited, visits, now)
    requests = record_gaps.open_requests_to_invited(invited, visits, now)
    letters = record_gaps.unanswered_communications(communications(conn, mandate=mandate), now)
    return {
        # Each country code with the country's name beside it.
        "invited_never_visited": with_country_names(conn, never, ["country"]),
        "open_requests_to_invited": with_country_names(conn, requests, ["country"]),
        "unanswered_communications": with_country_names(conn, letters, ["country"]),
        "years_without_engagement": record_gaps.years_without_engagement(
            _holders(conn, mandate), engagements(conn, mandate=mandate), now
        ),
    }


def _country_names(conn: sqlite3.Connection) -> dict[str, str]:
    return {row[0]: row[1] for row in conn.execute("select iso3, name from country")}


def _groups(conn: sqlite3.Connection) -> list[tuple[str, str, list[str]]]:
    from tracker.queries import regional_groups

    return regional_groups(conn)


def votes_by_group(conn: sqlite3.Connection, symbol: str) -> dict[str, Any]:
    """A resolution's recorded vote broken down by UN regional group."""
    from tracker import votes

    [record] = resolutions(conn, symbol=symbol)
    return votes.by_group(record["vote"], _groups(conn))


def votes_view(conn: sqlite3.Connection, mandate: str | None = None) -> list[dict[str, Any]]:
    """Each State on a recorded vote list with the mandate's completed visits to it."""
    from tracker import votes

    mandate = chosen_mandate(conn, mandate)
    names = _country_names(conn)
    region = {row[0]: row[1] for row in conn.execute("select iso3, region from country")}
    rows = votes.votes_and_visits(resolutions(conn, mandate), _visits(conn, mandate))
    return [
        {**row, "country_name": names.get(row["country"]), "region": region.get(row["country"])}
        for row in rows
    ]


def calendar_events(conn: sqlite3.Connection, mandate: str | None = None) -> list[dict[str, Any]]:
    """The calendar's events: accepted and scheduled visits, coming engagements, the
    current term's end (see ical.py)."""
    from tracker import ical

    mandate = chosen_mandate(conn, mandate)
    term = mandate_clock(conn, mandate)["current"]
    return ical.calendar_events(
        _visits(conn, mandate),
        engagements(conn, mandate=mandate),
        term,
        today(),
        _country_names(conn),
    )

"""Queries over the mandate's wider record: engagements, communications, standing
invitations and what each resolution asked. Each reads the store and returns plain data,
leaving the rules to the plain-data modules (clock, delivery, record_gaps, votes, ical)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

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


def _holder_records(
    conn: sqlite3.Connection,
    table: str,
    key: str,
    fields: tuple[str, ...],
    holder: str | None,
    mandate: str | None,
    extra: Callable[[sqlite3.Row], dict[str, Any]],
) -> list[dict[str, Any]]:
    """A holder's records of a table (engagement, communication) in date order, with their
    themes, what `extra` adds from the row, their source and note, and country names."""
    clause, args = _mandate_of_holder(chosen_mandate(conn, mandate))
    if holder:
        clause += " and t.holder = ?"
        args.append(holder_id(conn, holder))
    rows = conn.execute(
        f"select t.* from {table} t join holder h on h.id = t.holder "
        f"where 1 = 1{clause} order by t.date, t.{key}",
        args,
    )
    themes = _themes(conn, f"{table}_theme", table)
    found = []
    for row in rows:
        record = {name: row[name] for name in fields}
        record["themes"] = themes.get(row[key], [])
        record.update(extra(row))
        record["source"], record["note"] = row["source"], row["note"]
        found.append(record)
    return with_country_names(conn, found, ["country"])


def engagements(
    conn: sqlite3.Connection, holder: str | None = None, mandate: str | None = None
) -> list[dict[str, Any]]:
    """Engagements in date order, each with its themes and the link to the report presented.
    (The `engagements` list itself is the declared kind's: queries.records.)"""

    def link(row: sqlite3.Row) -> dict[str, Any]:
        return {"report_url": document_url(row["report"])}

    return _holder_records(conn, "engagement", "id", ENGAGEMENT_FIELDS, holder, mandate, link)


def communications(
    conn: sqlite3.Connection, holder: str | None = None, mandate: str | None = None
) -> list[dict[str, Any]]:
    """Communications in date order, each with its themes and the replies recorded."""

    def replies(row: sqlite3.Row) -> dict[str, Any]:
        return {"replies": json.loads(row["replies"]) if row["replies"] else []}

    return _holder_records(
        conn, "communication", "ref", COMMUNICATION_FIELDS, holder, mandate, replies
    )


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

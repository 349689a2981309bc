"""The mandate's coming dates as an iCalendar (RFC 5545) file, built with the `icalendar`
library: accepted and scheduled visits, engagements from today on, and the date the
mandate's current term ends (its renewal date).

`calendar_events` picks the events as plain data; `to_ical` writes them. Each event is an
all-day event over the days its dates may stand for (a visit known only to the month spans
that month, and its description says so), carries the record's kind and key in its UID
and its DESCRIPTION, and links its source where the source is a URL or a UN symbol.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from tracker.constants import DATED_VISIT_STATUSES
from tracker.dates import PartialDate, try_parse
from tracker.links import document_url

PRODID = "-//tracker//mandate calendar//EN"


def _date(value: Any) -> PartialDate | None:
    return try_parse(value) if value not in (None, "") else None


def source_link(source: str | None) -> str | None:
    """The first part of a `source` that is a URL or a UN document symbol, as a link."""
    for part in (source or "").split(";"):
        part = part.strip()
        if part.startswith(("https://", "http://")):
            return part.split()[0]  # a URL, then perhaps words on where in it
        link = document_url(part)
        if link:
            return link
    return None


def calendar_events(
    visits: Sequence[Mapping[str, Any]],
    engagements: Sequence[Mapping[str, Any]],
    current_term: Mapping[str, Any] | None,
    today: dt.date,
    country_names: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The events to publish, in date order: {uid, kind, key, summary, first, last, url,
    description}; `first` and `last` are the first and last days the dates may stand for."""
    names = country_names or {}
    events = []
    for visit in visits:
        start = _date(visit.get("start"))
        if visit.get("status") not in DATED_VISIT_STATUSES or start is None:
            continue
        end = _date(visit.get("end")) or start
        country = str(visit.get("country"))
        summary = f"Visit to {names.get(country, country)} ({visit.get('status')})"
        events.append(_event("visit", visit, str(visit.get("id")), summary, start, end))
    for engagement in engagements:
        start = _date(engagement.get("date"))
        if start is None:
            continue
        end = _date(engagement.get("end")) or start
        if end.latest() < today:
            continue
        summary = f"{engagement.get('forum')}: {engagement.get('title') or engagement.get('kind')}"
        events.append(
            _event("engagement", engagement, str(engagement.get("id")), summary, start, end)
        )
    if current_term and current_term.get("ends"):
        ends = _date(current_term["ends"])
        if ends is not None:
            symbol = str(current_term.get("resolution"))
            summary = f"The mandate's term under {symbol} ends: renewal due"
            record = {"source": symbol}
            events.append(_event("renewal", record, symbol, summary, ends, ends))
    events.sort(key=lambda e: (e["first"], e["uid"]))
    return events


def _event(
    kind: str,
    record: Mapping[str, Any],
    key: str,
    summary: str,
    start: PartialDate,
    end: PartialDate,
) -> dict[str, Any]:
    precision = "" if start.precision == "day" else f" Dates known to the {start.precision} only."
    source = record.get("source")
    description = f"tracker {kind} {key}. Source: {source}.{precision}".replace("..", ".")
    return {
        "uid": f"{kind}-{key}@tracker".replace(" ", "-").replace("/", "-"),
        "kind": kind,
        "key": key,
        "summary": summary,
        "first": start.earliest(),
        "last": max(end.latest(), start.earliest()),
        "url": source_link(source if isinstance(source, str) else None),
        "description": description,
    }


def to_ical(events: Sequence[Mapping[str, Any]], stamp: dt.datetime) -> bytes:
    """An RFC 5545 calendar with one all-day VEVENT per event (DTEND is exclusive)."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "tracker: the mandate's dates")
    for item in events:
        event = icalendar.Event()
        event.add("uid", item["uid"])
        event.add("dtstamp", stamp)
        event.add("summary", item["summary"])
        event.add("dtstart", item["first"])
        event.add("dtend", item["last"] + dt.timedelta(days=1))
        event.add("description", item["description"])
        event.add("categories", [item["kind"]])
        if item["url"]:
            event.add("url", item["url"])
        calendar.add_component(event)
    return bytes(calendar.to_ical())

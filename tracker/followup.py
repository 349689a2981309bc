"""From visit to follow-up: the recommendations a report made to a State and what followed
in that State (later communications, visits and engagements). Plain data in and out; the
rule is in docs/analysis.md.

"Followed" means dated after the report: an event's earliest possible day comes after the
report's last possible day (its publication date as UHRI gives it, else the report's date
or year). What the data does not record cannot be listed: an empty list means "none
recorded", never "none".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tracker.dates import PartialDate, try_parse


def _date(value: Any) -> PartialDate | None:
    return try_parse(value) if value not in (None, "") else None


def report_day(report: Mapping[str, Any], recommendations: Sequence[Mapping[str, Any]]) -> Any:
    """The date the follow-up is counted from: the latest publication date UHRI gives for
    the report's recommendations, else the report's own date or year."""
    published = [r["published"] for r in recommendations if _date(r.get("published"))]
    if published:
        return max(published, key=lambda value: _date(value).latest())  # type: ignore[union-attr]
    return report.get("date") or report.get("year")


def events_after(
    since: Any,
    communications: Sequence[Mapping[str, Any]],
    visits: Sequence[Mapping[str, Any]],
    engagements: Sequence[Mapping[str, Any]],
    leave_out_visit: str | None = None,
) -> list[dict[str, Any]]:
    """The events dated after `since`, in date order: each as date, kind, key and what."""
    start = _date(since)
    found: list[dict[str, Any]] = []

    def add(when: Any, kind: str, key: str, what: str) -> None:
        day = _date(when)
        if day is None or (start is not None and day.earliest() <= start.latest()):
            return
        found.append({"date": str(day), "kind": kind, "key": key, "what": what})

    for letter in communications:
        replies = letter.get("replies") or []
        answered = f"{len(replies)} " + ("reply" if len(replies) == 1 else "replies")
        what = f"{letter['type']}; " + (answered if replies else "no reply recorded")
        if letter.get("summary"):
            what += f": {letter['summary']}"
        add(letter.get("date"), "communication", str(letter["ref"]), what)
    for visit in visits:
        if visit["id"] != leave_out_visit:
            add(visit.get("start"), "visit", str(visit["id"]), str(visit.get("status") or ""))
    for engagement in engagements:
        what = f"{engagement['kind']} at {engagement['forum']}: {engagement['title']}"
        add(engagement.get("date"), "engagement", str(engagement["id"]), what)
    return sorted(found, key=lambda e: (_date(e["date"]).earliest(), e["kind"], e["key"]))  # type: ignore[union-attr]


def by_report(
    code: str,
    recommendations: Sequence[Mapping[str, Any]],
    reports: Mapping[str, Mapping[str, Any]],
    visits: Sequence[Mapping[str, Any]],
    communications: Sequence[Mapping[str, Any]],
    engagements: Sequence[Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """The recommendations made to the State `code`, grouped by the report that made them
    (in report order), each group with the visit it reports on and what followed.

    visits, communications, engagements: those of that State (any holder)."""
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for recommendation in recommendations:
        if code in (recommendation.get("countries") or []):
            grouped.setdefault(str(recommendation["report"]), []).append(recommendation)
    chains = []
    for symbol, report in reports.items():
        if symbol not in grouped:
            continue
        made = grouped[symbol]
        visit = next((v for v in visits if v.get("report") == symbol), None)
        since = report_day(report, made)
        chains.append(
            {
                "report": symbol,
                "report_title": report.get("title"),
                "since": since,
                "visit": visit["id"] if visit else None,
                "visit_start": visit.get("start") if visit else None,
                "recommendations": [dict(r) for r in made],
                "followed": events_after(
                    since,
                    communications,
                    visits,
                    engagements,
                    leave_out_visit=visit["id"] if visit else None,
                ),
            }
        )
    return chains

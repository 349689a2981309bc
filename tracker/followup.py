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
    """A date of any precision; a year may be a whole number (a report's `year`)."""
    if value in (None, ""):
        return None
    return try_parse(str(value) if isinstance(value, int) else value)


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


def visit_steps(
    visits: Sequence[Mapping[str, Any]],
    reports: Mapping[str, Mapping[str, Any]],
    recommendations: Sequence[Mapping[str, Any]],
    communications: Sequence[Mapping[str, Any]],
    engagements: Sequence[Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """One visited State's chain, step by step: each completed visit, its report, the
    report's recommendations to that State, then what followed the report there.

    visits, communications, engagements: those of that State; recommendations: those
    addressed to it. Each step: date, step, key, what."""
    steps: list[dict[str, Any]] = []
    for visit in visits:
        if visit.get("status") != "completed":
            continue
        steps.append(_step(visit.get("start"), "visit", visit["id"], _visit_what(visit)))
        symbol = visit.get("report")
        report = reports.get(symbol) if symbol else None
        made = [r for r in recommendations if r.get("report") == symbol] if symbol else []
        if report is not None:
            when = report.get("date") or report.get("year")
            steps.append(_step(when, "report", str(symbol), str(report.get("title") or "")))
        for recommendation in made:
            steps.append(
                _step(
                    recommendation.get("published"),
                    str(recommendation["type"]),
                    str(recommendation["id"]),
                    str(recommendation["text"]),
                )
            )
        since = report_day(report, made) if report is not None else visit.get("end")
        for event in events_after(
            since or visit.get("start"),
            communications,
            visits,
            engagements,
            leave_out_visit=visit["id"],
        ):
            steps.append({**event, "step": f"then: {event['kind']}"})
    return steps


def _visit_what(visit: Mapping[str, Any]) -> str:
    dates = " to ".join(str(d) for d in (visit.get("start"), visit.get("end")) if d)
    return f"visit by {visit.get('holder')}" + (f", {dates}" if dates else "")


def _step(when: Any, step: str, key: str, what: str) -> dict[str, Any]:
    day = _date(when)
    return {"date": str(day) if day else "", "step": step, "key": key, "what": what}

"""Show the mandate's wider record: delivery as plain-text sections (render_analysis.Section,
drawn by the formats as Rich tables, plain text or Markdown; CSV one row per request) and
the votes crossed with visits as table rows. Nothing here touches SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tracker.render import Column, Linked
from tracker.render_analysis import Section

NOT_RECORDED = "not recorded."

# --- delivery -------------------------------------------------------------------------

DELIVERY_COLUMNS: list[Column] = [
    ("paragraph", "Para"),
    ("asks", "Asks"),
    ("verdict", "Verdict"),
    ("answered", "Answered by"),
    ("why", "Why"),
    ("text", "Request"),
]


def answered_by(request: dict[str, Any]) -> Linked | str:
    """The records that answer a request: by year for reports, else a list."""
    from tracker.links import document_url

    if request["by_year"]:
        parts = [
            Linked.join(
                "",
                [
                    Linked.of([(f"{year['year']}: ", None)]),
                    Linked.join(", ", (Linked.symbol(s, document_url(s)) for s in year["records"])),
                ],
            )
            if year["records"]
            else Linked.of([(f"{year['year']}: not recorded", None)])
            for year in request["by_year"]
        ]
        return Linked.join("; ", parts)
    if request["records"]:
        return ", ".join(request["records"])
    return "" if request["verdict"] == "not judged" else "not recorded"


def term_title(entry: dict[str, Any]) -> str:
    title = f"{entry['resolution']} (adopted {entry['adopted']}"
    if entry["term_years"]:
        years = entry["years"]
        title += (
            f", {entry['term_years']} years to {entry['ends']}; answers for {years[0]}-{years[-1]})"
        )
    else:
        title += "; term length not recorded)"
    return title


def delivery_sections(data: Sequence[dict[str, Any]]) -> list[Section]:
    sections = []
    for entry in data:
        rows = [{**r, "answered": answered_by(r)} for r in entry["requests"]]
        sections.append(Section(term_title(entry), rows, DELIVERY_COLUMNS, empty=NOT_RECORDED))
    if not sections:
        sections.append(
            Section(
                "Requests of the mandate's resolutions", [], DELIVERY_COLUMNS, empty=NOT_RECORDED
            )
        )
    return sections


RULE_NOTE = (
    "A term answers for the term_years calendar years after its adoption year. report-hrc, "
    "report-ga: a report to that body in each of those years; forums, consult, visits: at "
    "least one engagement (or completed visit) in them. See docs/analysis.md."
)


def delivery_rows(data: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One flat row per request, for CSV."""
    return [
        {
            "resolution": entry["resolution"],
            "adopted": entry["adopted"],
            "term_years": entry["term_years"],
            "ends": entry["ends"],
            "paragraph": request["paragraph"],
            "asks": request["asks"],
            "verdict": request["verdict"],
            "records": request["records"],
            "why": request["why"],
            "text": request["text"],
        }
        for entry in data
        for request in entry["requests"]
    ]


# --- votes ----------------------------------------------------------------------------

VOTES_COLUMNS: list[Column] = [
    ("resolution", "Resolution"),
    ("country", "Country"),
    ("country_name", "Name"),
    ("region", "Group"),
    ("vote", "Vote"),
    ("visited", "Visited"),
]


def votes_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            **row,
            "visited": ", ".join(f"{v['year']} ({v['id']})" for v in row["visits"])
            or "no visit recorded",
        }
        for row in rows
    ]


def votes_flat(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The votes as CSV gives them: the visits as text."""
    return [{k: v for k, v in row.items() if k != "visits"} for row in votes_rows(rows)]


# --- the shareable report's wider record ------------------------------------------------

ENGAGEMENT_REPORT_COLUMNS: list[Column] = [
    ("date", "Date"),
    ("holder", "Holder"),
    ("forum", "Forum"),
    ("kind", "Kind"),
    ("title", "Title"),
]
COMMUNICATION_REPORT_COLUMNS: list[Column] = [
    ("date", "Date"),
    ("ref", "Reference"),
    ("type", "Type"),
    ("country_name", "Country"),
    ("holder", "Holder"),
    ("replied", "Replies"),
]
CALENDAR_COLUMNS: list[Column] = [
    ("when", "When"),
    ("kind", "Kind"),
    ("summary", "Event"),
]


def record_sections(data: dict[str, Any]) -> list[Section]:
    """The report's sections on the wider record: engagements, communications, the
    calendar's dates and the recorded votes crossed with visits."""
    communications = [
        {**row, "replied": ", ".join(row["replies"]) or "no reply recorded"}
        for row in data.get("communications", [])
    ]
    calendar = [
        {
            **event,
            "when": event["first"]
            if event["first"] == event["last"]
            else f"{event['first']} – {event['last']}",
        }
        for event in data.get("calendar", [])
    ]
    return [
        Section("Engagements", data.get("engagements", []), ENGAGEMENT_REPORT_COLUMNS),
        Section("Communications", communications, COMMUNICATION_REPORT_COLUMNS),
        Section(
            "Dates in the calendar (tracker calendar)",
            calendar,
            CALENDAR_COLUMNS,
            notes=["Accepted and scheduled visits, coming engagements and the term's end."],
        ),
        Section(
            "Recorded votes and the mandate's visits",
            votes_rows(data.get("votes", [])),
            VOTES_COLUMNS,
        ),
    ]

"""Gaps in the mandate's wider record: standing invitations never taken up, open requests to
States that invite all special procedures, letters with no recorded reply, and years of a
holder's term with no engagement recorded. Plain data in and out; rules in docs/analysis.md.

Every list rests on data that may be incomplete, so an empty one means "not recorded",
never "none".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from tracker.constants import OPEN_VISIT_STATUSES
from tracker.dates import PartialDate, try_parse

# OHCHR asks States to reply to a communication within 60 days.
REPLY_DAYS = 60


def _date(value: Any) -> PartialDate | None:
    return try_parse(value) if value not in (None, "") else None


def standing(invitations: Sequence[Mapping[str, Any]], today: dt.date) -> list[Mapping[str, Any]]:
    """The invitations in force today: not withdrawn, or withdrawn only after today."""
    kept = []
    for invitation in invitations:
        withdrawn = _date(invitation.get("withdrawn"))
        if withdrawn is None or withdrawn.earliest() > today:
            kept.append(invitation)
    return kept


def invited_never_visited(
    invitations: Sequence[Mapping[str, Any]],
    visits: Sequence[Mapping[str, Any]],
    today: dt.date,
) -> list[dict[str, Any]]:
    """States with a standing invitation in force and no completed visit of the mandate."""
    visited = {v.get("country") for v in visits if v.get("status") == "completed"}
    found = [
        {"country": i.get("country"), "since": _text(i.get("since"))}
        for i in standing(invitations, today)
        if i.get("country") not in visited
    ]
    return sorted(found, key=lambda row: str(row["country"]))


def open_requests_to_invited(
    invitations: Sequence[Mapping[str, Any]],
    visits: Sequence[Mapping[str, Any]],
    today: dt.date,
) -> list[dict[str, Any]]:
    """Visits still open (requested ... postponed) to States that invite all special procedures:
    such a State has said yes in advance, so an open request to it is worth chasing first."""
    invited = {i.get("country") for i in standing(invitations, today)}
    found = [
        {
            "id": v.get("id"),
            "holder": v.get("holder"),
            "country": v.get("country"),
            "status": v.get("status"),
        }
        for v in visits
        if v.get("status") in OPEN_VISIT_STATUSES and v.get("country") in invited
    ]
    return sorted(found, key=lambda row: (str(row["country"]), str(row["id"])))


def unanswered_communications(
    communications: Sequence[Mapping[str, Any]], today: dt.date, days: int = REPLY_DAYS
) -> list[dict[str, Any]]:
    """Communications with no reply recorded more than `days` days after they were sent
    (counted from the last day their date may stand for), oldest first."""
    found = []
    for letter in communications:
        sent = _date(letter.get("date"))
        if sent is None or letter.get("replies"):
            continue
        waited = (today - sent.latest()).days
        if waited > days:
            found.append(
                {
                    "ref": letter.get("ref"),
                    "type": letter.get("type"),
                    "holder": letter.get("holder"),
                    "country": letter.get("country"),
                    "date": str(sent),
                    "days_without_reply": waited,
                }
            )
    return sorted(found, key=lambda row: (-row["days_without_reply"], str(row["ref"])))


def years_without_engagement(
    holders: Sequence[Mapping[str, Any]],
    engagements: Sequence[Mapping[str, Any]],
    today: dt.date,
) -> list[dict[str, Any]]:
    """For each holder, the calendar years of the term (up to today's for a holder in office)
    in which none of that holder's engagements is recorded."""
    found = []
    for holder in holders:
        start, end = _date(holder.get("start")), _date(holder.get("end"))
        if start is None:
            continue
        last = end.year if end else today.year
        engaged = {
            when.year
            for e in engagements
            if e.get("holder") == holder.get("id") and (when := _date(e.get("date")))
        }
        years = [year for year in range(start.year, last + 1) if year not in engaged]
        if years:
            found.append({"holder": holder.get("id"), "years": years})
    return found


def _text(value: Any) -> str | None:
    when = _date(value)
    return str(when) if when else None

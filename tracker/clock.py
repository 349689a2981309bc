"""The mandate's own clock: its renewal terms, whether the last one has run out, and
whether a holder's term ended with no successor. Plain data in, plain data out.

A term runs from a resolution's adoption (an establishment or a renewal) for its
`term_years`: 53/5, adopted on 12 July 2023 for three years, runs to 12 July 2026.
A date known only to the month or the year gives an end of the same precision
("2017" for three years ends in "2020"). The rules are in docs/analysis.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from tracker.dates import PartialDate, try_parse
from tracker.links import document_url

TERM_ACTIONS = ("establishment", "renewal")


def add_years(when: PartialDate, years: int) -> PartialDate:
    """The same day (or month, or year) `years` later; 29 February becomes the 28th."""
    day = when.day
    if day is not None and when.month == 2 and day == 29:
        try:
            dt.date(when.year + years, 2, 29)
        except ValueError:
            day = 28
    return PartialDate(when.year + years, when.month, day)


def _date(value: Any) -> PartialDate | None:
    return try_parse(value) if value not in (None, "") else None


def plausible_years(adopted: PartialDate, years: Any) -> bool:
    """A term length the clock can count: a whole number of years (not a bool) that ends
    within the calendar (check reports any other value as a field error)."""
    return (
        isinstance(years, int)
        and not isinstance(years, bool)
        and years > 0
        and adopted.year + years <= 9999
    )


def renewal_terms(resolutions: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each establishment or renewal with a known adoption date, oldest first:
    {resolution, adopted, term_years, ends} (`ends` None when the term length is not recorded)."""
    terms: list[dict[str, Any]] = []
    for resolution in resolutions:
        adopted = _date(resolution.get("adopted"))
        if resolution.get("action") not in TERM_ACTIONS or adopted is None:
            continue
        years: Any = resolution.get("term_years")
        ends = add_years(adopted, int(years)) if plausible_years(adopted, years) else None
        terms.append(
            {
                "resolution": resolution.get("symbol"),
                "adopted": adopted,
                "term_years": years if ends else None,
                "ends": ends,
            }
        )
    terms.sort(key=lambda term: (term["adopted"].earliest(), str(term["resolution"])))
    return terms


def term_granted(resolutions: Iterable[Mapping[str, Any]], now: dt.date) -> dict[str, Any] | None:
    """Of resolutions that established or renewed one mandate (plain dicts with `symbol`,
    `adopted`, `action`, `term_years`), the latest and the term it granted: `ends` (adoption
    plus term_years, at the adoption date's precision), and `ended`: true once that day has
    certainly passed with no later renewal among the resolutions, null when the term's
    length is not recorded. None when there is no such resolution.

    Plain data in, plain data out: `tracker gaps` asks it of the store, `tracker check` of
    the TOML records (through mandate_clock)."""
    dated: list[tuple[PartialDate, Mapping[str, Any]]] = []
    for resolution in resolutions:
        adopted = _date(resolution.get("adopted"))
        if adopted is not None and resolution.get("action") in TERM_ACTIONS:
            dated.append((adopted, resolution))
    if not dated:
        return None
    when, latest = max(dated, key=lambda pair: (pair[0].earliest(), str(pair[1].get("symbol"))))
    years: Any = latest.get("term_years")
    ends = add_years(when, int(years)) if plausible_years(when, years) else None
    return {
        "resolution": latest.get("symbol"),
        "action": latest.get("action"),
        "adopted": str(when),
        "term_years": years,
        "ends": str(ends) if ends else None,
        "ended": ends.latest() < now if ends else None,
        "url": document_url(str(latest.get("symbol"))),
    }


def term_years(term: Mapping[str, Any]) -> list[int]:
    """The calendar years a term answers for: the `term_years` years after its adoption year.

    A renewal adopted in 2020 for three years answers for 2021, 2022 and 2023: the reports of
    the adoption year were due under the term before, so consecutive terms share no year."""
    years = term.get("term_years")
    if not years:
        return []
    first = term["adopted"].year + 1
    return list(range(first, first + int(years)))


def mandate_clock(
    resolutions: Iterable[Mapping[str, Any]],
    holders: Iterable[Mapping[str, Any]],
    today: dt.date,
) -> dict[str, Any]:
    """The mandate's current term (term_granted) and the warnings `check` gives about it.

    `status` is `running` (the last term has not run out), `ran out` (it has and no later
    renewal is recorded), or `not recorded` (no establishment or renewal, or its term's
    length is not recorded)."""
    resolutions = list(resolutions)
    current = term_granted(resolutions, today)
    warnings: list[str] = []
    if current is None:
        status = "not recorded"
    elif current["ends"] is None:
        status = "not recorded"
        warnings.append(
            f"the last recorded renewal, {current['resolution']} ({current['adopted']}), has "
            "no term_years: when the mandate's term ends is not recorded"
        )
    elif current["ended"]:
        status = "ran out"
        warnings.append(term_warning(current))
    else:
        status = "running"
    warnings.extend(
        successor_warning(holder) for holder in ended_without_successor(list(holders), today)
    )
    return {
        "terms": [_public(term) for term in renewal_terms(resolutions)],
        "current": current,
        "status": status,
        "warnings": warnings,
    }


def term_warning(term: Mapping[str, Any]) -> str:
    return (
        f"the mandate's term under {term['resolution']} (adopted {term['adopted']}, "
        f"{term['term_years']} years) ran out on {term['ends']} and no renewal is recorded"
    )


def successor_warning(holder: Mapping[str, Any]) -> str:
    return (
        f"holder '{holder.get('id')}' ended the term on {_date(holder.get('end'))} "
        "and no successor is recorded"
    )


def ended_without_successor(
    holders: list[Mapping[str, Any]], today: dt.date
) -> list[Mapping[str, Any]]:
    """The holders whose term has ended while no holder is recorded as starting after them
    (a holder whose first day is not recorded counts from the appointment)."""
    dated = [
        (h, _date(h.get("start")) or _date(h.get("appointed")), _date(h.get("end")))
        for h in holders
    ]
    found = []
    for holder, start, end in dated:
        if end is None or end.latest() >= today:
            continue
        successor = any(
            other is not holder
            and s is not None
            and start is not None
            and s.earliest() > start.earliest()
            for other, s, _ in dated
        )
        if not successor:
            found.append(holder)
    return found


def _public(term: Mapping[str, Any]) -> dict[str, Any]:
    """A term with its dates as text, as JSON and the renderers show them."""
    ends = term["ends"]
    return {
        "resolution": term["resolution"],
        "adopted": str(term["adopted"]),
        "term_years": term["term_years"],
        "ends": str(ends) if ends else None,
        "years": term_years(term),
    }

"""Did the mandate do what each resolution asked of it, term by term? Plain data in and out.

For each resolution with requests (`[[resolution.request]]`) and a term (`term_years`), each
request gets the records that answer it within the term and a verdict. The rules, also in
docs/analysis.md:

- A term answers for the `term_years` calendar years after its adoption year (see
  clock.term_years): 44/11, adopted in July 2020 for three years, answers for 2021-2023.
- `report-hrc`, `report-ga`: a report to that body (by its date, else its year) in **each**
  term year. `met` when every year has one; `partly met` when some ended years have none;
  `in progress` when only years not ended yet lack one; `not recorded` when none is recorded
  and a year of the term has ended without one.
- `forums`: engagements other than consultations in the term years; `consult`:
  engagements of kind `consultation`; `visits`: completed visits (by their start). `met`
  when at least one is recorded; otherwise `in progress` while the term's last year has not
  ended, then `not recorded`.
- `other`: `not judged`; the request is listed with nothing matched against it.

"Not recorded" is never "none": the data may be incomplete.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tracker.clock import add_years, plausible_years, term_years
from tracker.dates import PartialDate, try_parse
from tracker.kinds import report_date

VERDICTS = ("met", "partly met", "in progress", "not recorded", "not judged")
REPORT_BODY = {"report-hrc": "HRC", "report-ga": "GA"}


def _date(value: Any) -> PartialDate | None:
    return try_parse(value) if value not in (None, "") else None


def delivery(
    resolutions: Iterable[Mapping[str, Any]],
    reports: Sequence[Mapping[str, Any]],
    engagements: Sequence[Mapping[str, Any]],
    visits: Sequence[Mapping[str, Any]],
    today: dt.date,
) -> list[dict[str, Any]]:
    """One entry per resolution that asks something of the mandate, oldest first."""
    found = []
    for resolution in resolutions:
        requests = resolution.get("request") or []
        adopted = _date(resolution.get("adopted"))
        if not requests or adopted is None:
            continue
        given = resolution.get("term_years")
        years = given if plausible_years(adopted, given) else None
        covered = term_years({"adopted": adopted, "term_years": years})
        ends = add_years(adopted, years) if years else None
        answers = [
            _answer(request, covered, reports, engagements, visits, today) for request in requests
        ]
        found.append(
            {
                "resolution": resolution.get("symbol"),
                "adopted": str(adopted),
                "term_years": years,
                "ends": str(ends) if ends else None,
                "years": covered,
                "requests": answers,
            }
        )
    found.sort(key=lambda entry: (entry["adopted"], str(entry["resolution"])))
    return found


def _answer(
    request: Mapping[str, Any],
    years: list[int],
    reports: Sequence[Mapping[str, Any]],
    engagements: Sequence[Mapping[str, Any]],
    visits: Sequence[Mapping[str, Any]],
    today: dt.date,
) -> dict[str, Any]:
    asks = str(request.get("asks", "other"))
    entry = {
        "paragraph": request.get("paragraph"),
        "asks": asks,
        "text": request.get("text"),
        "note": request.get("note"),
    }
    if not years:
        return {
            **entry,
            "by_year": [],
            "records": [],
            "verdict": "not judged",
            "why": "the term's length is not recorded",
        }
    if asks in REPORT_BODY:
        return {**entry, **_yearly_reports(REPORT_BODY[asks], years, reports, today)}
    if asks == "other":
        return {
            **entry,
            "by_year": [],
            "records": [],
            "verdict": "not judged",
            "why": "no rule matches records to this request",
        }
    records = _matching(asks, years, engagements, visits)
    if records:
        verdict, why = "met", f"{len(records)} recorded in the term"
    elif today.year <= years[-1]:
        verdict, why = "in progress", "nothing recorded yet; the term's last year has not ended"
    else:
        verdict, why = "not recorded", "nothing recorded in the term"
    return {**entry, "by_year": [], "records": records, "verdict": verdict, "why": why}


def _yearly_reports(
    body: str, years: list[int], reports: Sequence[Mapping[str, Any]], today: dt.date
) -> dict[str, Any]:
    by_year: list[dict[str, Any]] = []
    for year in years:
        found = [
            str(r.get("symbol") or r.get("id"))
            for r in reports
            if r.get("body") == body and (when := report_date(r)) is not None and when.year == year
        ]
        by_year.append({"year": year, "records": sorted(found)})
    missing = [y["year"] for y in by_year if not y["records"]]
    past_missing = [year for year in missing if year < today.year]
    records = [symbol for y in by_year for symbol in y["records"]]
    if not missing:
        verdict, why = "met", f"a report to the {body} in each of {_span(years)}"
    elif past_missing and not records:
        verdict, why = "not recorded", f"no report to the {body} recorded in {_span(years)}"
    elif past_missing:
        verdict = "partly met"
        why = f"no report to the {body} recorded for {', '.join(map(str, past_missing))}"
    else:
        verdict = "in progress"
        why = f"{', '.join(map(str, missing))} not ended yet"
    return {"by_year": by_year, "records": records, "verdict": verdict, "why": why}


def _matching(
    asks: str,
    years: list[int],
    engagements: Sequence[Mapping[str, Any]],
    visits: Sequence[Mapping[str, Any]],
) -> list[str]:
    first, last = years[0], years[-1]

    def within(value: Any) -> bool:
        when = _date(value)
        return when is not None and first <= when.year <= last

    if asks == "visits":
        return [
            str(v.get("id"))
            for v in visits
            if v.get("status") == "completed" and within(v.get("start"))
        ]
    consultation = asks == "consult"
    return [
        str(e.get("id"))
        for e in engagements
        if (e.get("kind") == "consultation") == consultation and within(e.get("date"))
    ]


def _span(years: list[int]) -> str:
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"

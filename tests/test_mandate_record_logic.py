"""The mandate's record as plain data: its clock, delivery verdicts, the gaps in its wider
record, votes by regional group and the calendar, each on small data worked out by hand."""

from __future__ import annotations

import datetime as dt

import icalendar

from tracker.clock import add_years, mandate_clock, renewal_terms, term_years
from tracker.dates import PartialDate
from tracker.delivery import delivery
from tracker.ical import calendar_events, source_link, to_ical
from tracker.record_gaps import (
    invited_never_visited,
    open_requests_to_invited,
    unanswered_communications,
    years_without_engagement,
)
from tracker.votes import by_group, choice_of, votes_and_visits

TODAY = dt.date(2026, 12, 2)

RESOLUTIONS = [
    {"symbol": "E/CN.4/RES/2005/55", "adopted": dt.date(2005, 4, 20), "action": "establishment"},
    {"symbol": "A/HRC/RES/7/5", "adopted": "2008", "action": "renewal"},
    {"symbol": "A/HRC/RES/18/5", "adopted": "2011", "action": "other"},
    {"symbol": "A/HRC/RES/44/11", "adopted": dt.date(2020, 7, 16), "action": "renewal",
     "term_years": 3},
    {"symbol": "A/HRC/RES/53/5", "adopted": dt.date(2023, 7, 12), "action": "renewal",
     "term_years": 3},
]  # fmt: skip
HOLDERS = [
    {"id": "one", "start": "2005", "end": "2011"},
    {"id": "two", "start": dt.date(2011, 8, 1), "end": dt.date(2023, 10, 31)},
    {"id": "three", "start": "2023-10"},
]


# --- the clock ------------------------------------------------------------------------


def test_a_term_runs_from_adoption_for_its_years_keeping_precision() -> None:
    assert add_years(PartialDate(2023, 7, 12), 3) == PartialDate(2026, 7, 12)
    assert add_years(PartialDate(2017), 3) == PartialDate(2020)
    assert add_years(PartialDate(2024, 2, 29), 3) == PartialDate(2027, 2, 28)
    terms = renewal_terms(RESOLUTIONS)
    assert [t["resolution"] for t in terms] == [
        "E/CN.4/RES/2005/55", "A/HRC/RES/7/5", "A/HRC/RES/44/11", "A/HRC/RES/53/5"
    ]  # fmt: skip
    assert terms[0]["ends"] is None  # no term_years recorded
    assert term_years(terms[2]) == [2021, 2022, 2023]


def test_the_clock_warns_when_the_last_term_ran_out_with_no_renewal() -> None:
    clock = mandate_clock(RESOLUTIONS, HOLDERS, TODAY)
    assert clock["status"] == "ran out"
    assert clock["current"]["resolution"] == "A/HRC/RES/53/5"
    assert clock["current"]["ends"] == "2026-07-12"
    assert clock["warnings"] == [
        "the mandate's term under A/HRC/RES/53/5 (adopted 2023-07-12, 3 years) ran out on "
        "2026-07-12 and no renewal is recorded"
    ]
    # The day the term ends it still runs.
    assert mandate_clock(RESOLUTIONS, HOLDERS, dt.date(2026, 7, 12))["status"] == "running"


def test_the_clock_warns_when_a_holder_ended_with_no_successor() -> None:
    holders = [{"id": "one", "start": "2005", "end": "2011"}, {"id": "two", "start": "2011-08",
               "end": dt.date(2020, 3, 1)}]  # fmt: skip
    clock = mandate_clock(RESOLUTIONS[:4], holders, dt.date(2021, 1, 1))
    assert clock["status"] == "running"
    assert clock["warnings"] == [
        "holder 'two' ended the term on 2020-03-01 and no successor is recorded"
    ]


def test_a_last_renewal_without_a_length_is_not_recorded_never_running() -> None:
    clock = mandate_clock(RESOLUTIONS[:3], [], TODAY)
    assert clock["status"] == "not recorded"
    assert "has no term_years" in clock["warnings"][0]
    assert mandate_clock([], [], TODAY)["status"] == "not recorded"


# --- delivery -------------------------------------------------------------------------

REQUESTS = [
    {"paragraph": 16, "asks": "report-hrc", "text": "report regularly"},
    {"paragraph": 16, "asks": "report-ga", "text": "report regularly"},
    {"paragraph": 12, "asks": "forums", "text": "participate in forums"},
    {"paragraph": 15, "asks": "consult", "text": "seek views"},
    {"paragraph": 11, "asks": "visits", "text": "accept visits"},
    {"paragraph": 14, "asks": "other", "text": "resources"},
]
REPORTS = [
    {"symbol": "A/HRC/47/31", "body": "HRC", "year": 2021},
    {"symbol": "A/HRC/50/37", "body": "HRC", "date": "2022-06"},
    {"symbol": "A/HRC/53/32", "body": "HRC", "date": dt.date(2023, 6, 28)},
    {"symbol": "A/76/176", "body": "GA", "year": 2021},
    {"symbol": "A/78/176", "body": "GA", "year": 2023},
    {"symbol": "A/HRC/44/44", "body": "HRC", "year": 2020},  # before the term's years
    {"symbol": "A/HRC/56/57", "body": "HRC", "year": 2024},
]
ENGAGEMENTS = [
    {"id": "cop", "kind": "statement", "date": "2021-11"},
    {"id": "geneva-consultation", "kind": "consultation", "date": "2023-01"},
    {"id": "after", "kind": "panel", "date": "2024-03-01"},
]
VISITS = [
    {"id": "cri-2022", "country": "CRI", "status": "completed", "start": dt.date(2022, 2, 21)},
    {"id": "qat-2019", "country": "QAT", "status": "completed", "start": dt.date(2019, 9, 2)},
]


def _verdicts(entry: dict) -> dict[str, tuple[str, list[str]]]:
    return {r["asks"]: (r["verdict"], r["records"]) for r in entry["requests"]}


def test_delivery_judges_each_request_of_a_finished_term_by_hand() -> None:
    resolution = {**RESOLUTIONS[3], "request": REQUESTS}
    [entry] = delivery([resolution], REPORTS, ENGAGEMENTS, VISITS, TODAY)
    assert entry["years"] == [2021, 2022, 2023]
    assert entry["ends"] == "2023-07-16"
    assert _verdicts(entry) == {
        "report-hrc": ("met", ["A/HRC/47/31", "A/HRC/50/37", "A/HRC/53/32"]),
        "report-ga": ("partly met", ["A/76/176", "A/78/176"]),
        "forums": ("met", ["cop"]),
        "consult": ("met", ["geneva-consultation"]),
        "visits": ("met", ["cri-2022"]),
        "other": ("not judged", []),
    }
    ga = next(r for r in entry["requests"] if r["asks"] == "report-ga")
    assert ga["why"] == "no report to the GA recorded for 2022"
    assert ga["by_year"] == [
        {"year": 2021, "records": ["A/76/176"]},
        {"year": 2022, "records": []},
        {"year": 2023, "records": ["A/78/176"]},
    ]


def test_delivery_of_a_running_term_is_in_progress_and_of_an_empty_one_not_recorded() -> None:
    resolution = {**RESOLUTIONS[4], "request": REQUESTS[:4]}
    [entry] = delivery([resolution], REPORTS, ENGAGEMENTS, [], dt.date(2025, 3, 1))
    assert entry["years"] == [2024, 2025, 2026]
    assert _verdicts(entry) == {
        "report-hrc": ("in progress", ["A/HRC/56/57"]),
        "report-ga": ("not recorded", []),  # 2024 ended with no GA report
        "forums": ("met", ["after"]),
        "consult": ("in progress", []),
    }
    [later] = delivery([resolution], [], [], [], dt.date(2027, 1, 1))
    assert {r["verdict"] for r in later["requests"]} == {"not recorded"}


def test_delivery_skips_resolutions_that_ask_nothing() -> None:
    assert delivery(RESOLUTIONS, REPORTS, ENGAGEMENTS, VISITS, TODAY) == []


# --- gaps in the wider record ---------------------------------------------------------

INVITATIONS = [
    {"country": "CRI", "since": "2002"},
    {"country": "NOR", "since": "2001"},
    {"country": "URY", "since": "2005", "withdrawn": "2030"},
    {"country": "PER", "since": "2002", "withdrawn": "2019-05"},
]
OPEN = [
    {"id": "nor-2027", "holder": "three", "country": "NOR", "status": "requested"},
    {"id": "per-2020", "holder": "two", "country": "PER", "status": "requested"},
    {"id": "ury-2016", "holder": "two", "country": "URY", "status": "declined"},
]


def test_standing_invitations_never_taken_up_by_hand() -> None:
    assert invited_never_visited(INVITATIONS, VISITS + OPEN, TODAY) == [
        {"country": "NOR", "since": "2001"},
        {"country": "URY", "since": "2005"},
    ]
    assert open_requests_to_invited(INVITATIONS, VISITS + OPEN, TODAY) == [
        {"id": "nor-2027", "holder": "three", "country": "NOR", "status": "requested"}
    ]


def test_communications_without_a_reply_after_sixty_days() -> None:
    letters = [
        {"ref": "AL CUB 1/2026", "type": "AL", "date": dt.date(2026, 10, 2), "replies": []},
        {"ref": "AL CUB 2/2026", "type": "AL", "date": dt.date(2026, 10, 3)},
        {"ref": "UA NLD 1/2026", "type": "UA", "date": "2026-01",
         "replies": [dt.date(2026, 2, 1)]},
        {"ref": "OL OTH 1/2025", "type": "OL", "date": "2025"},
    ]  # fmt: skip
    found = unanswered_communications(letters, TODAY)
    assert [(r["ref"], r["days_without_reply"]) for r in found] == [
        ("OL OTH 1/2025", 336),
        ("AL CUB 1/2026", 61),
    ]


def test_years_of_a_term_with_no_engagement_recorded() -> None:
    holders = [{"id": "two", "start": "2020-08", "end": "2023-10-31"},
               {"id": "three", "start": "2025"}]  # fmt: skip
    engagements = [{"holder": "two", "date": "2021-11"}, {"holder": "two", "date": "2023"},
                   {"holder": "three", "date": "2025-02-01"}]  # fmt: skip
    assert years_without_engagement(holders, engagements, TODAY) == [
        {"holder": "two", "years": [2020, 2022]},
        {"holder": "three", "years": [2026]},
    ]


# --- votes ----------------------------------------------------------------------------

GROUPS = [("weog", "Western European and others", ("NLD", "DEU")),
          ("grulac", "Latin America and Caribbean", ("CRI", "MEX"))]  # fmt: skip


def test_a_vote_by_regional_group() -> None:
    vote = {"yes": ["CRI"], "no": ["DEU", "NLD"], "abstain": ["MEX", "PSE"]}
    result = by_group(vote, GROUPS)
    assert [(g["region"], g["yes"], g["no"], g["abstain"]) for g in result["groups"]] == [
        ("weog", 0, 2, 0),
        ("grulac", 1, 0, 1),
    ]
    assert result["outside"] == ["PSE"]
    assert by_group({"yes": 31, "no": 13, "abstain": 3}, GROUPS)["lists"] is False
    assert by_group(None, GROUPS)["recorded"] is False
    assert choice_of(vote, "NLD") == "no"
    assert choice_of({"yes": 31, "no": 13, "abstain": 3}, "NLD") is None


def test_votes_crossed_with_visits() -> None:
    resolutions = [{"symbol": "A/HRC/RES/44/11", "adopted": "2020-07-16",
                    "vote": {"yes": ["QAT"], "no": ["NLD"], "abstain": []}},
                   {"symbol": "A/HRC/RES/53/5", "vote": {"yes": 31, "no": 13, "abstain": 3}}]  # fmt: skip
    visits = [{"id": "nld-2018", "country": "NLD", "status": "completed", "start": "2018-11-05"},
              {"id": "nld-2030", "country": "NLD", "status": "requested"}]  # fmt: skip
    assert votes_and_visits(resolutions, visits) == [
        {"resolution": "A/HRC/RES/44/11", "adopted": "2020-07-16", "country": "NLD",
         "vote": "no", "visits": [{"id": "nld-2018", "year": 2018}]},
        {"resolution": "A/HRC/RES/44/11", "adopted": "2020-07-16", "country": "QAT",
         "vote": "yes", "visits": []},
    ]  # fmt: skip


# --- calendar -------------------------------------------------------------------------


def test_the_calendar_parses_back_with_the_same_events() -> None:
    visits = [
        {"id": "arg-2027", "country": "ARG", "status": "scheduled", "start": "2027-03-01",
         "end": "2027-03-10", "source": "https://example.org/note?a=1&b=2"},
        {"id": "chl-2027", "country": "CHL", "status": "accepted", "start": "2027-05",
         "source": "A/HRC/62/38"},
        {"id": "nld-2018", "country": "NLD", "status": "completed", "start": "2018-11-05"},
        {"id": "per-2027", "country": "PER", "status": "requested"},
    ]  # fmt: skip
    engagements = [
        {"id": "ga-2027", "forum": "GA Third Committee", "kind": "statement",
         "date": dt.date(2027, 10, 15), "source": "A/82/1; see note"},
        {"id": "cop-2011", "forum": "COP 17", "kind": "statement", "date": "2011-11-28"},
    ]  # fmt: skip
    term = {"resolution": "A/HRC/RES/53/5", "ends": "2026-07-12"}
    events = calendar_events(visits, engagements, term, TODAY, {"ARG": "Argentina"})
    assert [(e["uid"], e["first"], e["last"]) for e in events] == [
        ("renewal-A-HRC-RES-53-5@tracker", dt.date(2026, 7, 12), dt.date(2026, 7, 12)),
        ("visit-arg-2027@tracker", dt.date(2027, 3, 1), dt.date(2027, 3, 10)),
        ("visit-chl-2027@tracker", dt.date(2027, 5, 1), dt.date(2027, 5, 31)),
        ("engagement-ga-2027@tracker", dt.date(2027, 10, 15), dt.date(2027, 10, 15)),
    ]
    text = to_ical(events, dt.datetime(2026, 12, 2, tzinfo=dt.UTC))
    parsed = icalendar.Calendar.from_ical(text)
    back = [
        (str(e["uid"]), e.decoded("dtstart"), e.decoded("dtend"), str(e["summary"]),
         str(e.get("url")) if e.get("url") else None)
        for e in parsed.walk("VEVENT")
    ]  # fmt: skip
    assert back == [
        ("renewal-A-HRC-RES-53-5@tracker", dt.date(2026, 7, 12), dt.date(2026, 7, 13),
         "The mandate's term under A/HRC/RES/53/5 ends: renewal due",
         "https://docs.un.org/en/A/HRC/RES/53/5"),
        ("visit-arg-2027@tracker", dt.date(2027, 3, 1), dt.date(2027, 3, 11),
         "Visit to Argentina (scheduled)", "https://example.org/note?a=1&b=2"),
        ("visit-chl-2027@tracker", dt.date(2027, 5, 1), dt.date(2027, 6, 1),
         "Visit to CHL (accepted)", "https://docs.un.org/en/A/HRC/62/38"),
        ("engagement-ga-2027@tracker", dt.date(2027, 10, 15), dt.date(2027, 10, 16),
         "GA Third Committee: statement", "https://docs.un.org/en/A/82/1"),
    ]  # fmt: skip
    chl = parsed.walk("VEVENT")[2]
    assert "Dates known to the month only." in str(chl["description"])
    assert "tracker visit chl-2027" in str(chl["description"])


def test_source_link_takes_the_first_url_or_symbol() -> None:
    assert (
        source_link("A/78/176, para 2; A/HRC/RES/53/5") == "https://docs.un.org/en/A/HRC/RES/53/5"
    )
    assert source_link("seed 003 para 64") is None
    assert (
        source_link("https://www.ohchr.org/x (history, note 3); A/72/171")
        == "https://www.ohchr.org/x"
    )
    assert source_link(None) is None

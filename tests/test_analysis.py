"""Coverage, gaps, timeline and the country profile: each rule on a small purpose-built
data set, then the issue's expectations on the shipped data."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import MINIMAL_MANDATE
from rich.console import Console

from tracker import render_analysis
from tracker.analysis import Period
from tracker.dates import parse

RESOLUTIONS = """
[[resolution]]
symbol = "A/HRC/RES/1/1"
mandate = "test-mandate"
body = "HRC"
adopted = 2010-01-01
action = "establishment"
source = "A/HRC/RES/1/1"

[[resolution]]
symbol = "A/HRC/RES/22/2"
mandate = "test-mandate"
body = "HRC"
adopted = 2013-03-28
action = "renewal"
term_years = 3
source = "A/HRC/RES/22/2"

[resolution.vote]
yes = 30
no = 10
abstain = 7
"""

# Holders: first (2010-06-01 to 2014-05-31), second (since 2014-06-01). Each theme tests one rule.
THEMES = """\
[[theme]]
id = "water"
mandate = "test-mandate"
title = "Water"
set_by = "first"
source = "A/HRC/16/1"

[[theme]]
id = "declared"
mandate = "test-mandate"
title = "The declaration"
set_by = "second"
source = "A/HRC/30/1"

[[theme]]
id = "annual-only"
mandate = "test-mandate"
title = "Only in an annual report"
set_by = "first"
set_in = "A/HRC/16/1"
source = "A/HRC/16/1"

[[theme]]
id = "overview-only"
mandate = "test-mandate"
title = "Only in an overview"
source = "A/71/1"

[[theme]]
id = "visit-only"
mandate = "test-mandate"
title = "Only on a visit"
set_by = "second"
source = "A/HRC/27/1/Add.1"

[[theme]]
id = "planned-only"
mandate = "test-mandate"
title = "Only on a planned visit"
source = "A/HRC/30/1"

[[theme]]
id = "late"
mandate = "test-mandate"
title = "Announced by first, addressed by second"
set_by = "first"
set_in = "A/HRC/16/1"
source = "A/HRC/16/1"

[[theme]]
id = "nothing"
mandate = "test-mandate"
title = "Nothing lists it"
source = "A/HRC/16/1"

[[report]]
symbol = "A/HRC/16/1"
holder = "first"
body = "HRC"
session = 16
year = 2011
kind = "thematic"
title = "Water and solidarity"
themes = ["water"]
source = "A/HRC/16/1"

[[report]]
symbol = "A/HRC/19/1"
holder = "first"
body = "HRC"
session = 19
year = 2012
kind = "annual"
title = "Annual report"
themes = ["annual-only"]
source = "A/HRC/19/1"

[[report]]
symbol = "A/HRC/27/1/Add.1"
holder = "second"
body = "HRC"
session = 27
date = 2014-06-01
kind = "visit"
title = "Visit to Kenya"
themes = ["visit-only"]
source = "A/HRC/27/1/Add.1"

[[report]]
symbol = "A/HRC/30/1"
holder = "second"
body = "HRC"
session = 30
date = 2015-09-14
kind = "declaration"
title = "Draft declaration"
themes = ["declared"]
source = "A/HRC/30/1"

[[report]]
symbol = "A/71/1"
holder = "second"
body = "GA"
session = 71
year = 2016
kind = "overview"
title = "Overview"
themes = ["overview-only"]
source = "A/71/1"

[[report]]
symbol = "A/HRC/31/1"
holder = "second"
body = "HRC"
session = 31
year = 2016
kind = "thematic"
title = "Late theme"
themes = ["late"]
source = "A/HRC/31/1"

[[report]]
id = "statement-2017"
holder = "second"
body = "GA"
year = 2017
kind = "thematic"
title = "A statement with no symbol"
themes = ["late"]
source = "https://example.org/statement"
"""

VISITS = """\
[[visit]]
holder = "first"
country = "KEN"
status = "completed"
start = 2012-05-01
end = 2012-05-05
report = "A/HRC/27/1/Add.1"
themes = ["visit-only"]
source = "A/HRC/27/1/Add.1"

[[visit]]
holder = "second"
country = "BRA"
status = "completed"
start = 2015-03-02
end = 2015-03-06
source = "A/HRC/30/1"

[[visit]]
holder = "second"
country = "FRA"
status = "completed"
start = "2016"
source = "A/71/1"

[[visit]]
holder = "second"
country = "PSE"
status = "completed"
start = 2017-02-01
source = "A/71/1"

[[visit]]
id = "pol-2017"
holder = "second"
country = "POL"
status = "declined"
source = "A/71/1"

[[visit.history]]
date = "2017-05"
status = "requested"

[[visit.history]]
date = 2017-12-01
status = "declined"

[[visit]]
holder = "second"
country = "CHN"
status = "requested"
source = "A/71/1"

[[visit.history]]
date = 2019-02-10
status = "requested"

[[visit]]
holder = "second"
country = "IND"
status = "accepted"
start = 2021-05-03
end = 2021-05-07
source = "A/71/1"

[[visit.history]]
date = "2020-01"
status = "requested"

[[visit.history]]
date = 2020-06-15
status = "accepted"

[[visit]]
holder = "second"
country = "JPN"
status = "scheduled"
start = 2027-01-10
end = 2027-01-15
themes = ["planned-only"]
source = "A/71/1"

[[visit.history]]
date = 2025-12-01
status = "requested"

[[visit.history]]
date = 2026-06-01
status = "scheduled"

[[visit]]
holder = "second"
country = "MEX"
status = "postponed"
start = "2025-11"
source = "A/71/1"

[[visit.history]]
date = "2024-03"
status = "requested"

[[visit.history]]
date = 2025-02-10
status = "accepted"

[[visit.history]]
date = "2025-10"
status = "postponed"

[[visit]]
id = "usa-request"
holder = "second"
country = "USA"
status = "requested"
source = "A/71/1"
"""


@pytest.fixture
def mini(make_data, tracker_for):
    return tracker_for(make_data(MINIMAL_MANDATE + RESOLUTIONS, VISITS, THEMES))


def as_json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def by_theme(rows):
    return {row["theme"]: row for row in rows}


# --- coverage on small data ------------------------------------------------------


def test_status_rules(mini):
    rows = by_theme(as_json(mini("coverage", "--format", "json")))
    assert {theme: row["status"] for theme, row in rows.items()} == {
        "water": "addressed",  # a thematic report
        "declared": "addressed",  # a declaration report counts as thematic
        "annual-only": "touched",  # an annual report only touches
        "overview-only": "touched",  # so does an overview
        "visit-only": "touched",  # a completed visit and a visit report
        "planned-only": "gap",  # a visit not yet made covers nothing
        # Announced by first, addressed only by second: judged in first's term, a gap.
        "late": "gap",
        "nothing": "gap",
    }
    assert rows["late"]["status_overall"] == "addressed"
    assert rows["late"]["in_term"]["verdict"] == (
        "not addressed in the term; addressed after by A/HRC/31/1 (2016), statement-2017 (2017)"
    )
    assert rows["water"]["in_term"]["verdict"] == "addressed in the term"
    assert rows["nothing"]["in_term"] is None  # nobody announced it


def test_coverage_json_shape(mini):
    rows = by_theme(as_json(mini("coverage", "-f", "json")))
    assert list(rows["visit-only"]) == [
        "theme",
        "title",
        "status",
        "status_overall",
        "set_by",
        "in_term",
        "reports",
        "visits",
        "engagements",
        "communications",
    ]
    assert rows["visit-only"]["reports"] == [
        {
            "symbol": "A/HRC/27/1/Add.1",
            "holder": "second",
            "presented_by": "second",
            "year": 2014,
            "kind": "visit",
            "url": "https://docs.un.org/en/A/HRC/27/1/Add.1",
        }
    ]
    assert rows["visit-only"]["visits"] == [
        {
            "id": "ken-2012",
            "country": "KEN",
            "country_name": "Kenya",
            "holder": "first",
            "year": 2012,
        }
    ]
    # A report known only by its id is listed under that id.
    assert [r["symbol"] for r in rows["late"]["reports"]] == ["A/HRC/31/1", "statement-2017"]
    assert rows["nothing"] == {
        "theme": "nothing",
        "title": "Nothing lists it",
        "status": "gap",
        "status_overall": "gap",
        "set_by": None,
        "in_term": None,
        "reports": [],
        "visits": [],
        "engagements": [],
        "communications": [],
    }


def test_cells_follow_the_holder_named_in_the_record(mini):
    """The visit report of first's visit, presented by second, sits in second's column."""
    result = mini("coverage", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == ["theme", "title", "status", "set_by", "first", "second"]
    visit_only = next(row for row in rows if row["theme"] == "visit-only")
    assert (visit_only["first"], visit_only["second"]) == (
        "visit: Kenya 2012",
        "A/HRC/27/1/Add.1 (2014, visit)",
    )


def test_holder_filter_keeps_one_column_and_judges_its_work_only(mini):
    rows = by_theme(as_json(mini("coverage", "--holder", "first", "-f", "json")))
    assert rows["late"]["status"] == "gap"  # only second addressed it
    assert rows["water"]["status"] == "addressed"
    assert rows["visit-only"]["reports"] == []  # the report is second's
    table = mini("coverage", "--holder", "first").stdout
    assert "First Holder (2010-06-01 – 2014-05-31)" in table
    assert "Second Holder" not in table


def test_period_filters_take_years_or_dates(mini):
    rows = by_theme(
        as_json(mini("coverage", "--since", "2015", "--until", "2015-12-31", "-f", "json"))
    )
    assert [t for t, r in rows.items() if r["status"] != "gap"] == ["declared"]
    # A date known only to the year is kept when the period may overlap it.
    rows = by_theme(as_json(mini("coverage", "--until", "2016-01-15", "-f", "json")))
    assert rows["late"]["reports"] == [
        {
            "symbol": "A/HRC/31/1",
            "holder": "second",
            "presented_by": "second",
            "year": 2016,
            "kind": "thematic",
            "url": "https://docs.un.org/en/A/HRC/31/1",
        }
    ]
    assert rows["water"]["status"] == "addressed"
    rows = by_theme(as_json(mini("coverage", "--since", "2014-06", "-f", "json")))
    assert rows["water"]["status"] == "gap"
    assert rows["visit-only"]["visits"] == []


def test_period_filter_drops_holders_outside_it(mini):
    table = mini("coverage", "--since", "2015").stdout
    assert "Second Holder" in table and "First Holder" not in table


def test_bad_dates_and_unknown_holders(mini):
    result = mini("coverage", "--since", "2015-13")
    assert result.exit_code == 2
    assert "has no month 13" in result.output
    result = mini("coverage", "--holder", "nobody")
    assert result.exit_code == 1
    assert "no holder 'nobody' (known: first, second)" in result.output


def test_period_overlap():
    period = Period(parse("2015"), parse("2015-06"))
    assert period.holds(parse("2015-06-30"))
    assert not period.holds(parse("2015-07-01"))
    assert period.holds(parse("2014"), parse("2015-01"))
    assert not period.holds(None)
    assert Period().holds(None)


def test_coverage_markdown_and_rich_view(mini):
    md = mini("coverage", "-f", "md").stdout
    assert md.startswith("## Coverage\n")
    assert "| Water | addressed | [A/HRC/16/1](https://docs.un.org/en/A/HRC/16/1) (2011) |  |" in md
    assert "2 addressed, 3 touched, 3 gap." in md  # "late" is a gap in its holder's term
    data = {
        "holders": [
            {"id": "a", "name": "Ann", "start": "2010", "end": "2012"},
            {"id": "b", "name": "Bo", "start": "2012"},
        ],
        "themes": [
            {
                "theme": "t",
                "title": "Topic",
                "status": "addressed",
                "set_by": None,
                "reports": [{"symbol": "X/1", "holder": "b", "year": 2013, "kind": "thematic"}],
                "visits": [{"id": "v", "country": "KEN", "holder": "a", "year": 2011}],
            }
        ],
    }
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None)
    for renderable in render_analysis.coverage_view(data):
        console.print(renderable)
    text = out.getvalue()
    assert text.index("Ann") < text.index("Bo")  # columns in term order
    assert "since 2012" in text and "X/1 (2013)" in text and "visit: KEN 2011" in text


# --- gaps on small data -------------------------------------------------------------


def test_gaps_json_has_one_key_per_section(mini):
    gaps = as_json(mini("gaps", "-f", "json"))
    assert list(gaps) == [
        "recorded_only",
        "mandate_term",
        "themes",
        "priorities",
        "open_requests",
        "regional_balance",
        "holders_without_visits",
        "invited_never_visited",
        "open_requests_to_invited",
        "unanswered_communications",
        "years_without_engagement",
    ]
    assert gaps["recorded_only"] is True
    assert [t["theme"] for t in gaps["themes"]["gap"]] == ["planned-only", "late", "nothing"]
    assert [t["theme"] for t in gaps["themes"]["touched"]] == [
        "annual-only",
        "overview-only",
        "visit-only",
    ]


def test_priorities_a_holder_did_not_address(mini):
    priorities = as_json(mini("gaps", "-f", "json"))["priorities"]
    assert [(p["holder"], p["theme"], p["status"]) for p in priorities] == [
        ("first", "annual-only", "touched"),  # only an annual report of first's
        ("first", "late", "gap"),  # addressed, but only later, by second
        ("second", "visit-only", "touched"),
    ]
    late = priorities[1]
    assert [r["symbol"] for r in late["addressed_by"]] == ["A/HRC/31/1", "statement-2017"]
    assert late["addressed_after"] == late["addressed_by"] and late["addressed_before"] == []
    assert late["set_in"] == "A/HRC/16/1"


def test_open_requests_oldest_first_with_age_and_stale(mini):
    requests = as_json(mini("gaps", "-f", "json"))["open_requests"]
    # TRACKER_TODAY is 2026-11-23 (conftest); completed and declined visits are not open.
    assert [(r["id"], r["status"], r["age_days"], r["stale"]) for r in requests] == [
        ("chn-2019", "requested", 2843, False),
        ("ind-2021", "accepted", 2518, True),  # agreed dates passed without an update
        ("mex-2025", "postponed", 997, False),  # from "2024-03": its first possible day
        ("jpn-2027", "scheduled", 357, False),  # dates still ahead
        ("usa-request", "requested", None, False),  # no history: age unknown, listed last
    ]
    assert requests[1]["requested"] == "2020-01"
    assert requests[1]["last_update"] == "2020-06-15"
    assert requests[1]["country_name"] == "India"


def test_age_follows_tracker_today(make_data, tracker_for, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2019-02-20")
    visits = VISITS[VISITS.index('[[visit]]\nholder = "second"\ncountry = "CHN"') :]
    visits = visits[: visits.index('[[visit]]\nholder = "second"\ncountry = "IND"')]
    requests = as_json(tracker_for(make_data(visits=visits))("gaps", "-f", "json"))["open_requests"]
    assert [(r["id"], r["age_days"]) for r in requests] == [("chn-2019", 10)]


def test_regional_balance(mini):
    balance = as_json(mini("gaps", "-f", "json"))["regional_balance"]
    groups = {g["region"]: g for g in balance["groups"]}
    assert list(groups) == ["african", "asia_pacific", "eeg", "grulac", "weog"]
    assert balance["completed_visits"] == 4
    assert balance["member_states"] == 193
    assert groups["african"] == {
        "region": "african",
        "name": "African Group",
        "members": 54,
        "visits": 1,
        "countries": ["KEN"],
        "country_names": ["Kenya (KEN)"],
        "member_percent": 28.0,
        "visit_percent": 25.0,
        "expected_visits": 1.1,
    }
    assert groups["eeg"]["visits"] == 0  # the declined visit to Poland does not count
    assert [g["region"] for g in balance["never_visited"]] == ["asia_pacific", "eeg"]
    assert balance["outside_groups"] == ["PSE"]
    assert balance["source"] == "https://www.un.org/dgacm/en/content/regional-groups"


def test_holders_without_visits(make_data, tracker_for):
    visits = """\
[[visit]]
holder = "first"
country = "KEN"
status = "completed"
start = 2012-05-01
source = "A/HRC/20/1/Add.1"

[[visit]]
id = "chn-request"
holder = "second"
country = "CHN"
status = "requested"
source = "A/HRC/30/1"
"""
    tracker = tracker_for(make_data(visits=visits))
    rows = as_json(tracker("gaps", "-f", "json"))["holders_without_visits"]
    assert rows == [
        {
            "holder": "second",
            "name": "Second Holder",
            "appointed": None,
            "start": "2014-06-01",
            "end": None,
            "open_requests": 1,
        }
    ]
    text = tracker("gaps").stdout
    assert "Holders with no completed visit recorded" in text and "Second Holder" in text


def test_gaps_text_and_markdown(mini):
    text = mini("gaps").stdout
    assert "No completed visit recorded: Asia-Pacific Group" in text
    assert "Visits outside the groups: PSE." in text
    assert "STALE: dates passed" in text
    md = mini("gaps", "-f", "md").stdout
    for heading in (
        "## Term of the mandate",
        "## Gaps: themes no recorded report or visit lists (a priority: in its holder's term)",
        "## Priorities a holder announced but did not address in the term",
        "## Open visit requests, oldest first",
        "## Regional balance of completed visits",
        "## Holders with no completed visit recorded",
    ):
        assert heading in md
    assert "_None recorded._" in md  # no holder without a visit here


def test_gaps_on_empty_data(make_data, tracker_for):
    tracker = tracker_for(make_data())
    gaps = as_json(tracker("gaps", "-f", "json"))
    assert gaps["themes"] == {"touched": [], "gap": []}
    assert gaps["regional_balance"]["completed_visits"] == 0
    assert len(gaps["regional_balance"]["never_visited"]) == 5
    assert [h["holder"] for h in gaps["holders_without_visits"]] == ["first", "second"]
    assert tracker("coverage").stdout == "No themes.\n"
    assert tracker("timeline", "--kind", "visit").stdout == "No dated events.\n"


# --- timeline on small data ------------------------------------------------------------


def test_timeline_json_in_date_order(mini):
    events = as_json(mini("timeline", "-f", "json"))
    keys = ["date", "precision", "kind", "holder", "key", "label", "url"]
    assert all(list(e) == keys for e in events)
    starts = [parse(e["date"]).earliest() for e in events]
    assert starts == sorted(starts)
    assert events[0] == {
        "date": "2010-01-01",
        "precision": "day",
        "kind": "establishment",
        "holder": None,  # before the first holder took office
        "key": "A/HRC/RES/1/1",
        "label": "Mandate established by HRC resolution A/HRC/RES/1/1; vote not recorded",
        "url": "https://docs.un.org/en/A/HRC/RES/1/1",
    }
    renewal = next(e for e in events if e["kind"] == "renewal")
    assert renewal["holder"] == "first"  # in office on the day
    assert renewal["label"] == (
        "Mandate renewed by HRC resolution A/HRC/RES/22/2 for 3 years; "
        "recorded vote: 30 in favour, 10 against, 7 abstaining"
    )
    same_day = [e["kind"] for e in events if e["date"] == "2014-06-01"]
    assert same_day == ["term-start", "report"]
    report = next(e for e in events if e["key"] == "A/HRC/30/1")
    assert report["label"] == "HRC 30 declaration report A/HRC/30/1: Draft declaration"
    declined = next(e for e in events if e["key"] == "pol-2017")
    assert (declined["date"], declined["precision"]) == ("2017-05", "month")  # first history entry
    assert declined["label"] == "Visit to Poland (declined, no dates yet)"


def test_timeline_filters(mini):
    def keys(*args):
        return [e["key"] for e in as_json(mini("timeline", "-f", "json", *args))]

    assert keys("--kind", "establishment", "--kind", "renewal") == [
        "A/HRC/RES/1/1",
        "A/HRC/RES/22/2",
    ]
    assert keys("--holder", "first") == [
        "first",
        "A/HRC/16/1",
        "A/HRC/19/1",
        "ken-2012",
        "A/HRC/RES/22/2",
        "first",
    ]
    assert keys("--from", "2015", "--to", "2015-12") == ["bra-2015", "A/HRC/30/1"]
    assert keys("--from", "2026-06-02", "--kind", "visit") == ["jpn-2027"]
    result = mini("timeline", "--kind", "birthday")
    assert result.exit_code == 2


def test_timeline_views(mini):
    text = mini("timeline", "--holder", "first").stdout
    lines = text.splitlines()
    assert lines[0] == "First Holder (2010-06-01 – 2014-05-31)"
    assert lines[1].startswith("2010 ")  # events per year, one bar each
    assert "2010 ┃ ▶ 2010-06-01 First Holder takes up the mandate" in lines
    assert "2014 ┃ ◀ 2014-05-31 First Holder's term ends" in lines
    csv_lines = mini("timeline", "-f", "csv", "--kind", "term-end").stdout.splitlines()
    assert csv_lines == [
        "date,precision,kind,holder,key,label,url",
        "2014-05-31,day,term-end,first,first,First Holder's term ends,",
    ]
    md = mini("timeline", "-f", "md").stdout
    assert "### Outside any holder's term" in md
    assert (
        "| 2013-03-28 | renewal | Mandate renewed by HRC resolution "
        "[A/HRC/RES/22/2](https://docs.un.org/en/A/HRC/RES/22/2) for 3 years;" in md
    )


def test_timeline_rich_view_shows_empty_years_on_the_axis():
    events = [
        {
            "date": "2010",
            "precision": "year",
            "kind": "report",
            "holder": "a",
            "key": "X/1",
            "label": "Report X/1",
        },
        {
            "date": "2013-02-01",
            "precision": "day",
            "kind": "visit",
            "holder": "a",
            "key": "v",
            "label": "Visit V",
        },
    ]
    holders = [{"id": "a", "name": "Ann", "start": "2010", "end": "2013"}]
    out = io.StringIO()
    console = Console(file=out, width=100, color_system=None)
    for renderable in render_analysis.timeline_view(events, holders):
        console.print(renderable)
    text = out.getvalue()
    assert "Ann (2010 – 2013)" in text
    assert "2010 █  2011 ·  2012 ·  2013 █" in text
    assert text.count("no event") == 2
    assert text.index("2011 ┃") < text.index("2012 ┃") < text.index("Visit V")


# --- SVG ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["coverage", "gaps", "timeline"])
def test_svg_export(mini, tmp_path, command):
    target = tmp_path / f"{command}.svg"
    result = mini(command, "--svg", str(target), "-f", "json")
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)  # the chosen format still goes to standard output
    svg = target.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert 'url("http' not in svg and "cdnjs" not in svg  # no web fonts: opens offline
    words = {"coverage": "Water", "gaps": "Eastern&#160;European", "timeline": "First&#160;Holder"}
    assert words[command] in svg


def test_svg_to_an_unwritable_place_is_a_clear_error(mini, tmp_path):
    result = mini("coverage", "--svg", str(tmp_path / "missing" / "c.svg"))
    assert result.exit_code == 1
    assert "cannot write" in result.output and "Traceback" not in result.output


# --- the country profile ---------------------------------------------------------------


def test_country_profile_on_small_data(mini):
    profile = as_json(mini("show", "India", "-f", "json"))
    assert profile["record"]["region"] == "asia_pacific"
    assert profile["record"]["open_requests"] == 1
    assert profile["record"]["completed_visits"] == 0
    assert [(v["id"], v["status"]) for v in profile["visits"]] == [("ind-2021", "accepted")]
    votes = {v["resolution"]: v["vote"] for v in profile["votes"]}
    assert votes == {
        "A/HRC/RES/1/1": "vote not recorded",
        "A/HRC/RES/22/2": "unknown (only the tally is recorded)",
    }
    kenya = as_json(mini("show", "KEN", "-f", "json"))
    assert [r["symbol"] for r in kenya["reports"]] == ["A/HRC/27/1/Add.1"]
    assert kenya["record"]["completed_visits"] == 1


# --- the shipped data: the Done-when ------------------------------------------


def test_shipped_coverage_statuses(tracker):
    rows = by_theme(as_json(tracker("coverage", "--format", "json")))
    for theme in (
        "migration",
        "refugees",
        "climate-change",
        "populism",
        "economic-security",
        "extraterritorial-obligations",
    ):
        assert rows[theme]["status"] == "addressed", theme
    assert rows["taxation"]["status"] == "touched"
    assert {r["kind"] for r in rows["taxation"]["reports"]} == {"visit"}  # visits only
    assert [v["country"] for v in rows["taxation"]["visits"]] == ["NLD", "CRI"]
    for theme in ("cities-and-local-governments", "global-citizenship"):
        assert rows[theme]["status"] == "gap"
        assert rows[theme]["reports"] == rows[theme]["visits"] == []
    technology = rows["technology-and-innovation"]
    # Okafor announced it; only Bailliet addressed it: a gap in his term.
    assert (technology["status"], technology["status_overall"]) == ("gap", "addressed")
    assert technology["reports"] == [
        {
            "symbol": "A/79/170",
            "holder": "bailliet",
            "presented_by": "bailliet",
            "year": 2024,
            "kind": "thematic",
            "url": "https://docs.un.org/en/A/79/170",
        }
    ]
    okafor = by_theme(as_json(tracker("coverage", "--holder", "okafor", "-f", "json")))
    assert okafor["technology-and-innovation"]["status"] == "gap"
    rizki = by_theme(as_json(tracker("coverage", "--until", "2010", "-f", "json")))
    assert rizki["south-south-cooperation"]["reports"][0]["symbol"] == "A/HRC/15/32"


def test_shipped_coverage_columns_in_term_order(tracker):
    header = tracker("coverage", "-f", "csv").stdout.splitlines()[0]
    assert header == "theme,title,status,set_by,rizki,dandan,okafor,bailliet"


def test_shipped_gaps(tracker):
    gaps = as_json(tracker("gaps", "--format", "json"))
    assert gaps["regional_balance"]["never_visited"] == [
        {"region": "eeg", "name": "Eastern European Group (EEG)"}
    ]
    assert [h["holder"] for h in gaps["holders_without_visits"]] == ["rizki", "bailliet"]
    technology = next(p for p in gaps["priorities"] if p["theme"] == "technology-and-innovation")
    assert technology["holder"] == "okafor"
    assert [r["symbol"] for r in technology["addressed_by"]] == ["A/79/170"]
    unaddressed = {p["theme"] for p in gaps["priorities"] if p["holder"] == "okafor"}
    assert unaddressed == {
        "civil-society",
        "global-citizenship",
        "south-south-cooperation",
        "technology-and-innovation",
        "cities-and-local-governments",
        "taxation",
    }
    text = tracker("gaps").stdout
    assert "No completed visit recorded: Eastern European Group (EEG)." in text
    holders = text[text.index("Holders with no completed visit recorded") :]
    assert "rizki" in holders and "Rudi Muhammad Rizki" in holders
    priorities = text[text.index("Priorities a holder announced") : text.index("Open visit")]
    assert "technology-and-innovation" in priorities and "A/79/170 (2024) by bailliet" in priorities


def test_shipped_timeline_runs_from_establishment_to_the_latest_report(tracker):
    events = as_json(tracker("timeline", "--format", "json"))
    assert events[0]["date"] == "2005-04-20" and events[0]["kind"] == "establishment"
    assert events[-1]["kind"] == "report"
    reports = as_json(tracker("reports", "--format", "json"))
    latest = max(int(r.get("year") or str(r["date"])[:4]) for r in reports)
    assert events[-1]["date"] == str(latest)
    starts = [parse(e["date"]).earliest() for e in events]
    assert starts == sorted(starts)
    kinds = {e["kind"] for e in events}
    # "resolution": the annual resolutions and decision 16/118, which renewed nothing.
    assert kinds == {
        "establishment",
        "renewal",
        "resolution",
        "term-start",
        "term-end",
        "visit",
        "report",
        "engagement",
    }
    vote = next(e for e in events if e["key"] == "A/HRC/RES/44/11")
    assert "31 in favour, 15 against, 1 abstaining" in vote["label"]


def test_shipped_country_profile(tracker):
    qatar = as_json(tracker("show", "Qatar", "-f", "json"))
    assert qatar["record"]["region_name"].startswith("Asia-Pacific Group")
    assert qatar["record"]["completed_visits"] == 1
    votes = {v["resolution"]: v["vote"] for v in qatar["votes"]}
    assert votes["A/HRC/RES/44/11"] == "yes"
    assert votes["A/HRC/RES/35/3"] == "vote not recorded"
    assert votes["A/HRC/RES/53/5"] == "unknown (only the tally is recorded)"
    norway = as_json(tracker("show", "Norway", "-f", "json"))  # in none of 44/11's lists
    votes = {v["resolution"]: v["vote"] for v in norway["votes"]}
    assert votes["A/HRC/RES/44/11"] == "not recorded (not a voting member, or absent)"
    assert list(votes) == [r["symbol"] for r in as_json(tracker("resolutions", "-f", "json"))]
    assert [r["symbol"] for r in norway["reports"]] == ["A/HRC/35/35/Add.1"]
    text = tracker("show", "Qatar").stdout
    assert "completed visits recorded" in text and "A/HRC/44/44/Add.1" in text
    assert "open requests recorded     0" in text
    assert as_json(tracker("show", "Qatar", "-f", "json"))["recorded_only"] is True


OTHER_MANDATE = """
[[mandate]]
id = "other-mandate"
title = "Special Rapporteur on something else"
established = 2012-01-01
established_by = "A/HRC/RES/19/9"
source = "A/HRC/RES/19/9"

[[holder]]
id = "third"
mandate = "other-mandate"
name = "Third Holder"
start = 2012-06-01
source = "A/HRC/20/2"
"""

OTHER_THEMES = """
[[theme]]
id = "elsewhere"
mandate = "other-mandate"
title = "A theme of the other mandate"
set_by = "third"
source = "A/HRC/20/2"
"""


def test_mandate_option_limits_every_view(make_data, tracker_for):
    water = THEMES[: THEMES.index("[[theme]]", 1)]  # the first theme only
    data = make_data(MINIMAL_MANDATE + OTHER_MANDATE, themes=water + OTHER_THEMES)
    tracker = tracker_for(data)
    rows = as_json(tracker("coverage", "--mandate", "other-mandate", "-f", "json"))
    assert [r["theme"] for r in rows] == ["elsewhere"]
    header = tracker("coverage", "--mandate", "other-mandate", "-f", "csv").stdout.splitlines()[0]
    assert header == "theme,title,status,set_by,third"
    gaps = as_json(tracker("gaps", "--mandate", "other-mandate", "-f", "json"))
    assert [p["theme"] for p in gaps["priorities"]] == ["elsewhere"]
    assert [h["holder"] for h in gaps["holders_without_visits"]] == ["third"]
    events = as_json(tracker("timeline", "--mandate", "test-mandate", "-f", "json"))
    # The establishment (from the mandate's own record) falls before any holder's term.
    assert {e["holder"] for e in events} == {"first", "second", None}
    assert [e["key"] for e in events if e["holder"] is None] == ["A/HRC/RES/1/1"]
    md = tracker("report", "--mandate", "other-mandate").stdout
    assert md.startswith("# Coverage report: Special Rapporteur on something else\n")
    result = tracker("gaps", "--mandate", "nope")
    assert result.exit_code == 1
    assert "no mandate 'nope' (known: test-mandate, other-mandate)" in result.output


# --- links to UN documents (issue 6) -------------------------------------------------------

UN = "https://docs.un.org/en/"


def test_coverage_json_links_every_report_with_a_symbol(mini):
    rows = as_json(mini("coverage", "-f", "json"))
    reports = [r for row in rows for r in row["reports"]]
    assert reports and all(
        list(r) == ["symbol", "holder", "presented_by", "year", "kind", "url"] for r in reports
    )
    assert {r["symbol"]: r["url"] for r in reports} == {
        "A/HRC/16/1": UN + "A/HRC/16/1",
        "A/HRC/19/1": UN + "A/HRC/19/1",
        "A/HRC/27/1/Add.1": UN + "A/HRC/27/1/Add.1",
        "A/HRC/30/1": UN + "A/HRC/30/1",
        "A/71/1": UN + "A/71/1",
        "A/HRC/31/1": UN + "A/HRC/31/1",
        "statement-2017": None,  # known only by an id: nothing to link
    }


def test_gaps_json_links_the_reports_of_a_priority(mini):
    gaps = as_json(mini("gaps", "-f", "json"))
    late = next(p for p in gaps["priorities"] if p["theme"] == "late")
    assert list(late) == [
        "holder",
        "theme",
        "title",
        "set_in",
        "status",
        "verdict",
        "addressed_by",
        "addressed_before",
        "addressed_after",
        "set_in_url",
    ]
    assert late["set_in_url"] == UN + "A/HRC/16/1"
    assert [(r["symbol"], r["url"]) for r in late["addressed_by"]] == [
        ("A/HRC/31/1", UN + "A/HRC/31/1"),
        ("statement-2017", None),
    ]
    touched = next(t for t in gaps["themes"]["touched"] if t["theme"] == "visit-only")
    assert touched["reports"][0]["url"] == UN + "A/HRC/27/1/Add.1"


def test_timeline_json_links_resolutions_and_reports(mini):
    events = as_json(mini("timeline", "-f", "json"))
    documents = ("establishment", "renewal", "resolution", "report")
    for event in events:
        if event["kind"] in documents and event["key"].startswith("A/"):
            assert event["url"] == UN + event["key"], event
        else:  # visits, terms and a report without symbol
            assert event["url"] is None, event
    assert {e["key"] for e in events if e["kind"] == "report" and not e["url"]} == {
        "statement-2017"
    }


def test_markdown_views_link_every_symbol(mini):
    md = mini("coverage", "-f", "md").stdout
    assert (
        "| Only on a visit | touched | visit: Kenya 2012 | "
        f"[A/HRC/27/1/Add.1]({UN}A/HRC/27/1/Add.1) (2014, visit) |"
    ) in md
    assert f"[A/HRC/31/1]({UN}A/HRC/31/1) (2016); statement-2017 (2017) |" in md
    gaps = mini("gaps", "-f", "md").stdout
    assert (
        f"| first | late | [A/HRC/16/1]({UN}A/HRC/16/1) | not addressed in the term | "
        "none recorded | "
        f"[A/HRC/31/1]({UN}A/HRC/31/1) (2016) by second; statement-2017 (2017) by second |"
    ) in gaps
    assert (
        f"[A/HRC/27/1/Add.1]({UN}A/HRC/27/1/Add.1) (2014, visit) by second; "
        "visit: Kenya 2012 by first |"
    ) in gaps
    timeline = mini("timeline", "-f", "md").stdout
    assert (
        f"| 2015-09-14 | report | HRC 30 declaration report [A/HRC/30/1]({UN}A/HRC/30/1): "
        "Draft declaration |"
    ) in timeline
    assert "| 2017 | report | GA thematic report statement-2017: A statement with no symbol |" in (
        timeline
    )


def test_plain_text_views_print_no_links(mini):
    for command in ("coverage", "gaps", "timeline"):
        text = mini(command).stdout
        assert UN not in text and "A/HRC/31/1" in text, command


def linked_spans(text) -> dict[str, str]:
    """The pieces of a Rich Text that are hyperlinks: {text: url}."""
    return {
        text.plain[span.start : span.end]: span.style.link
        for span in text.spans
        if not isinstance(span.style, str) and span.style.link
    }


def test_rich_views_make_symbols_hyperlinks(mini):
    data = as_json(mini("coverage", "-f", "json"))
    coverage = {
        "holders": [
            {"id": "first", "name": "First Holder", "start": "2010-06-01", "end": "2014-05-31"},
            {"id": "second", "name": "Second Holder", "start": "2014-06-01"},
        ],
        "themes": data,
    }
    table = render_analysis.coverage_table(coverage)
    second = list(table.columns[3].cells)
    late = second[[row["theme"] for row in data].index("late")]
    assert late.plain == "A/HRC/31/1 (2016)\nstatement-2017 (2017)"
    assert linked_spans(late) == {"A/HRC/31/1": UN + "A/HRC/31/1"}
    events = as_json(mini("timeline", "--kind", "renewal", "-f", "json"))
    group = render_analysis.timeline_groups(events, coverage["holders"])[0]
    [label] = [
        cell
        for cell in render_analysis.timeline_table(group).columns[1].cells
        if "A/HRC/RES/22/2" in cell.plain
    ]
    assert linked_spans(label) == {"A/HRC/RES/22/2": UN + "A/HRC/RES/22/2"}
    gaps = as_json(mini("gaps", "-f", "json"))
    section = render_analysis.gap_sections(gaps)[3]  # priorities
    table = render_analysis.sections_view([section])[0]
    cells = {column.header: list(column.cells) for column in table.columns}
    assert linked_spans(cells["Set in"][0]) == {"A/HRC/16/1": UN + "A/HRC/16/1"}
    # And on a terminal that supports them, Rich writes the OSC 8 hyperlink.
    out = io.StringIO()
    console = Console(file=out, width=120, color_system="standard", force_terminal=True)
    console.print(table)
    assert "\x1b]8;id=" in out.getvalue() and f";{UN}A/HRC/16/1\x1b\\" in out.getvalue()


# --- --mandate on a store with two mandates (issue 6) --------------------------------------

FOOD_RESOLUTION = """
[[resolution]]
symbol = "A/HRC/RES/6/2"
mandate = "test-food"
body = "HRC"
adopted = 2007-09-27
action = "renewal"
term_years = 3
source = "A/HRC/RES/6/2"
"""


@pytest.fixture
def two_mandates(shipped, tmp_path, tracker_for):
    """The shipped mandate and a second one made with `tracker init`, in one data folder
    (as tests/test_init.py builds it), plus a renewal of the second during Rizki's term."""
    from test_init import fill, init

    food = tmp_path / "food"
    init(food)
    fill(food)
    for name in ("mandate.toml", "visits.toml", "themes.toml"):
        records = "".join(
            line
            for line in (food / name).read_text().splitlines(keepends=True)
            if not line.startswith("#")
        )
        with (shipped / name).open("a", encoding="utf-8") as file:
            file.write(records + (FOOD_RESOLUTION if name == "mandate.toml" else ""))
    tracker = tracker_for(shipped)
    assert tracker("check").exit_code == 0
    return tracker


SEVERAL = (
    "Error: the data holds several mandates: choose one with --mandate "
    "(international-solidarity, test-food)\n"
)


@pytest.mark.parametrize("command", ["coverage", "gaps", "report"])
def test_one_mandate_views_need_a_mandate_when_there_are_several(two_mandates, command):
    result = two_mandates(command)
    assert result.exit_code == 1
    assert result.output == SEVERAL
    assert two_mandates(command, "--mandate", "nope").output == (
        "Error: no mandate 'nope' (known: international-solidarity, test-food)\n"
    )


def test_each_view_shows_only_its_mandate(two_mandates):
    coverage = as_json(two_mandates("coverage", "--mandate", "test-food", "-f", "json"))
    assert coverage == [
        {
            "theme": "hunger",
            "title": "Hunger and famine",
            "status": "addressed",
            "status_overall": "addressed",
            "set_by": "first-food",
            "in_term": {
                "holder": "first-food",
                "status": "addressed",
                "addressed_before": [],
                "addressed_after": [],
                "verdict": "addressed in the term",
            },
            "reports": [
                {
                    "symbol": "A/56/210",
                    "holder": "first-food",
                    "presented_by": "first-food",
                    "year": 2001,
                    "kind": "thematic",
                    "url": UN + "A/56/210",
                }
            ],
            "visits": [
                {
                    "id": "bra-2002",
                    "country": "BRA",
                    "country_name": "Brazil",
                    "holder": "first-food",
                    "year": 2002,
                }
            ],
            "engagements": [],
            "communications": [],
        }
    ]
    header = two_mandates("coverage", "--mandate", "test-food", "-f", "csv").stdout.splitlines()
    assert header[0] == "theme,title,status,set_by,first-food"
    shipped = by_theme(
        as_json(two_mandates("coverage", "--mandate", "international-solidarity", "-f", "json"))
    )
    assert "hunger" not in shipped and shipped["taxation"]["status"] == "touched"

    gaps = as_json(two_mandates("gaps", "--mandate", "test-food", "-f", "json"))
    assert gaps["themes"] == {"touched": [], "gap": []}
    assert gaps["priorities"] == gaps["open_requests"] == gaps["holders_without_visits"] == []
    assert gaps["regional_balance"]["completed_visits"] == 1
    assert [g["countries"] for g in gaps["regional_balance"]["groups"] if g["visits"]] == [["BRA"]]

    events = as_json(two_mandates("timeline", "--mandate", "test-food", "-f", "json"))
    assert [(e["kind"], e["key"]) for e in events] == [
        ("establishment", "E/CN.4/RES/2000/10"),
        ("term-start", "first-food"),
        ("report", "A/56/210"),
        ("visit", "bra-2002"),
        ("renewal", "A/HRC/RES/6/2"),
        ("term-end", "first-food"),
    ]
    assert events[4]["label"].startswith("Mandate renewed by HRC resolution A/HRC/RES/6/2")

    md = two_mandates("report", "--mandate", "test-food").stdout
    assert md.startswith("# Coverage report: Special Rapporteur on testing food\n")
    assert f"[A/56/210]({UN}A/56/210) (2001)" in md
    assert "okafor" not in md.lower() and "Rizki" not in md


def test_timeline_without_mandate_shows_every_mandate(two_mandates):
    events = as_json(two_mandates("timeline", "-f", "json"))
    holders = {e["holder"] for e in events}
    assert {"first-food", "rizki", "okafor"} <= holders
    starts = [parse(e["date"]).earliest() for e in events]
    assert starts == sorted(starts)
    renewal = next(e for e in events if e["key"] == "A/HRC/RES/6/2")
    # Adopted during both Rizki's and First Food's terms: it belongs to its own mandate's holder.
    assert renewal["holder"] == "first-food"
    assert renewal["label"].startswith("Mandate test-food renewed by HRC resolution")
    # The second mandate, established in 2000 (from its own record), comes first.
    assert [e["key"] for e in events[:2]] == ["E/CN.4/RES/2000/10", "first-food"]
    assert events[0]["label"] == "Mandate test-food established by E/CN.4/RES/2000/10"
    establishment = next(e for e in events if e["key"] == "E/CN.4/RES/2005/55")
    assert establishment["label"].startswith(
        "Mandate international-solidarity established by CHR resolution E/CN.4/RES/2005/55"
    )
    # With one mandate named, labels stay as they are on a one-mandate store.
    own = as_json(two_mandates("timeline", "--mandate", "international-solidarity", "-f", "json"))
    assert own[0]["label"].startswith("Mandate established by")


def test_holder_of_another_mandate_is_an_error(two_mandates):
    result = two_mandates("coverage", "--mandate", "test-food", "--holder", "okafor")
    assert result.exit_code == 1
    assert result.output == (
        "Error: holder 'okafor' belongs to mandate 'international-solidarity', not 'test-food'\n"
    )


def test_timeline_starts_with_the_mandates_own_establishment_when_no_resolution_records_it(
    make_data, tracker_for
):
    import json as json_module

    result = tracker_for(make_data())("timeline", "--format", "json")
    assert result.exit_code == 0, result.output
    first = json_module.loads(result.output)[0]
    assert first["kind"] == "establishment"
    assert first["date"] == "2010-01-01"
    assert first["key"] == "A/HRC/RES/1/1"
    assert first["label"] == "Mandate established by A/HRC/RES/1/1"

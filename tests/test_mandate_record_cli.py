"""The wider record end to end: on a data folder tracker has never seen (record_fixture), with
engagements, communications, standing invitations and requests filled in, check passes, every
view answers, and the standing-invitation gaps, delivery verdicts and calendar are the ones
worked out by hand; on the shipped data, check warns of 53/5's term and delivery shows each of
35/3, 44/11 and 53/5 with its requests."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import icalendar
import pytest
import record_fixture as fx


@pytest.fixture
def unseen(tmp_path: Path) -> Path:
    folder = tmp_path / "unseen"
    fx.write_folder(folder)
    return folder


@pytest.fixture
def run(unseen, tracker_for):
    tracker = tracker_for(unseen)

    def invoke(*args: str) -> str:
        result = tracker(*args)
        assert result.exit_code == 0, result.output
        return result.output

    return invoke


def test_check_passes_and_warns_only_of_the_mandates_clock(unseen, tracker_for):
    result = tracker_for(unseen)("check")
    assert result.exit_code == 0, result.output
    assert "0 error(s), 1 warning(s)" in result.output
    assert (
        "the mandate's term under A/HRC/RES/38/1 (adopted 2022-07-05, 3 years) ran out on "
        "2025-07-05 and no renewal is recorded"
    ) in result.output


def test_delivery_verdicts_are_the_ones_worked_out_by_hand(run):
    data = json.loads(run("delivery", "--format", "json"))
    found = {
        entry["resolution"]: {r["asks"]: (r["verdict"], r["records"]) for r in entry["requests"]}
        for entry in data
    }
    assert found == fx.DELIVERY
    rows = list(csv.DictReader(io.StringIO(run("delivery", "--format", "csv"))))
    assert [(r["resolution"], r["asks"], r["verdict"]) for r in rows][:3] == [
        ("A/HRC/RES/20/1", "visits", "met"),
        ("A/HRC/RES/20/1", "forums", "met"),
        ("A/HRC/RES/20/1", "report-hrc", "partly met"),
    ]
    table = run("delivery")
    assert (
        "A/HRC/RES/20/1 (adopted 2016-06-30, 3 years to 2019-06-30; answers for 2017-2019)" in table
    )
    assert "2019: not recorded" in table
    assert "| report-hrc | partly met |" in run("delivery", "--format", "md")


def test_gaps_add_the_wider_record_as_worked_out_by_hand(run):
    data = json.loads(run("gaps", "--format", "json"))
    assert [r["country"] for r in data["invited_never_visited"]] == fx.INVITED_NEVER_VISITED
    assert [r["id"] for r in data["open_requests_to_invited"]] == fx.OPEN_REQUESTS_TO_INVITED
    assert [
        (r["ref"], r["days_without_reply"]) for r in data["unanswered_communications"]
    ] == fx.UNANSWERED
    assert {
        r["holder"]: r["years"] for r in data["years_without_engagement"]
    } == fx.YEARS_WITHOUT_ENGAGEMENT
    assert data["mandate_term"]["ended"] is True
    assert data["mandate_term"]["ends"] == "2025-07-05"
    text = run("gaps")
    assert "States with a standing invitation never visited" in text
    assert "Communications with no reply recorded after 60 days" in text
    assert "AL BRA 1/2026" in text


def test_gaps_say_not_recorded_where_the_data_records_nothing(make_data, tracker_for):
    result = tracker_for(make_data())("gaps")
    assert result.exit_code == 0, result.output
    assert "Open visit requests to States with a standing invitation: no open request recorded" in (
        result.output
    )
    assert "Communications with no reply recorded after 60 days: not recorded" in result.output
    assert "with a standing invitation never visited: not recorded" in result.output


def test_the_calendar_parses_back_with_the_same_events(run, unseen, tmp_path):
    target = tmp_path / "mandate.ics"
    run("calendar", "-o", str(target))
    parsed = icalendar.Calendar.from_ical(target.read_bytes())
    events = [
        (str(e["uid"]), e.decoded("dtstart").isoformat(), e.decoded("dtend").isoformat())
        for e in parsed.walk("VEVENT")
    ]
    assert events == fx.CALENDAR
    visit = parsed.walk("VEVENT")[2]
    assert str(visit["summary"]) == "Visit to Brazil (scheduled)"
    assert str(visit["url"]) == "https://example.org/visits/bra?year=2027&x=<b>"
    assert "tracker visit bra-2027" in str(visit["description"])
    # Standard output carries the same calendar.
    assert icalendar.Calendar.from_ical(run("calendar")).walk("VEVENT")[0]["uid"] == (
        "renewal-A-HRC-RES-38-1@tracker"
    )


def test_lists_answer_with_their_filters_in_every_format(run):
    engagements = json.loads(run("engagements", "--format", "json"))
    assert [e["id"] for e in engagements] == ["ga-2017", "states-2021", "panel-2027"]
    assert [e["id"] for e in json.loads(run("engagements", "--year", "2021", "-f", "json"))] == [
        "states-2021"
    ]
    since = json.loads(run("engagements", "--since", "2021", "--until", "2026", "-f", "json"))
    assert [e["id"] for e in since] == ["states-2021"]
    assert [
        e["id"] for e in json.loads(run("engagements", "--country", "Chile", "-f", "json"))
    ] == ["states-2021"]
    assert "Statement to the Third Committee" in run("engagements")
    assert "| ga-2017 |" in run("engagements", "--format", "md")
    assert run("engagements", "--format", "csv").splitlines()[0].startswith("id,holder,date")
    letters = json.loads(run("communications", "--holder", "second", "-f", "json"))
    assert [c["ref"] for c in letters] == ["OL OTH 1/2025", "AL BRA 1/2026", "UA NLD 2/2026"]
    assert letters[0]["replies"] == ["2025-04-20"]
    assert [
        c["ref"] for c in json.loads(run("communications", "--country", "BRA", "-f", "json"))
    ] == ["AL BRA 1/2026"]
    assert "AL BRA 1/2026" in run("communications", "--format", "csv")
    assert [i["country"] for i in json.loads(run("invitations", "-f", "json"))] == [
        "CHL", "NLD", "NOR", "PER"
    ]  # fmt: skip


def test_show_search_timeline_and_coverage_see_the_new_kinds(run):
    holder = json.loads(run("show", "second", "-f", "json"))
    assert [e["id"] for e in holder["engagements"]] == ["ga-2017", "states-2021", "panel-2027"]
    assert len(holder["communications"]) == 3
    country = json.loads(run("show", "Chile", "-f", "json"))
    assert country["invitations"][0]["since"] == "2005-03"
    assert [e["id"] for e in country["engagements"]] == ["states-2021"]
    netherlands = json.loads(run("show", "NLD", "-f", "json"))
    assert netherlands["group_votes"][0]["no"] == 2
    theme = json.loads(run("show", "water", "-f", "json"))
    assert [c["ref"] for c in theme["communications"]] == ["AL BRA 1/2026"]
    resolution = json.loads(run("show", "A/HRC/RES/38/1", "-f", "json"))
    groups = {
        g["region"]: (g["yes"], g["no"], g["abstain"])
        for g in resolution["vote_by_group"]["groups"]
    }
    assert (
        groups["weog"] == (0, 2, 0)
        and groups["grulac"] == (1, 0, 1)
        and groups["african"] == (1, 0, 0)
    )
    assert [r["asks"] for r in json.loads(run("show", "A/HRC/RES/20/1", "-f", "json"))["requests"]] == [
        "visits", "forums", "report-hrc", "report-ga", "other"
    ]  # fmt: skip
    assert (
        json.loads(run("show", "ga-2017", "-f", "json"))["record"]["forum"] == "GA Third Committee"
    )
    assert "Communication AL BRA 1/2026" in run("show", "AL BRA 1/2026")
    assert "ga-2017" in run("search", "Third Committee")
    assert "AL BRA 1/2026" in run("search", "Water cuts")
    events = json.loads(
        run("timeline", "--kind", "engagement", "--kind", "communication", "-f", "json")
    )
    assert [e["key"] for e in events] == [
        "ga-2017", "states-2021", "OL OTH 1/2025", "AL BRA 1/2026", "UA NLD 2/2026", "panel-2027"
    ]  # fmt: skip
    coverage = {row["theme"]: row for row in json.loads(run("coverage", "-f", "json"))}
    # The 2017 statement lists taxation: it touches the theme, never addresses it.
    assert coverage["tax"]["status"] == "touched"
    assert [e["id"] for e in coverage["tax"]["engagements"]] == ["ga-2017"]


def test_the_new_kinds_name_their_countries(run):
    """Country names beside codes (issue 15) in the lists, `show` and the gaps and timeline
    of the wider record: a table shows the name, JSON and CSV have country_name too."""
    import re

    assert re.search(r"states-2021 .* Chile ", run("engagements"))
    letters = list(csv.DictReader(io.StringIO(run("communications", "-f", "csv"))))
    header = list(letters[0])
    assert header.index("country_name") == header.index("country") + 1
    assert {r["ref"]: r["country_name"] for r in letters}["AL BRA 1/2026"] == "Brazil"
    assert re.search(r"AL BRA 1/2026 +AL +second +Brazil ", run("communications"))
    shown = run("show", "AL BRA 1/2026")
    assert re.search(r"country name +Brazil", shown), shown
    second = run("show", "second")
    engagements = second.split("Engagements")[1].split("\n\n")[0]
    assert "Chile" in engagements and "CHL" not in engagements
    gaps = run("gaps")
    assert re.search(r"AL BRA 1/2026 +AL +second +Brazil +2026-08-01 +114", gaps), gaps
    assert re.search(r"chl-2021 +second +Chile ", gaps), gaps
    events = json.loads(run("timeline", "--kind", "communication", "-f", "json"))
    assert any("to Brazil" in e["label"] for e in events), events


def test_votes_cross_each_vote_with_visits(run):
    rows = {r["country"]: r for r in json.loads(run("votes", "-f", "json"))}
    assert rows["NLD"]["vote"] == "no"
    assert rows["NLD"]["visits"] == [{"id": "nld-2018", "year": 2018}]
    assert rows["BRA"]["visits"] == []  # scheduled, not made
    assert "2018 (nld-2018)" in run("votes")


def test_the_report_carries_delivery_and_the_new_gaps(run):
    text = run("report", "--format", "md")
    assert "States with a standing invitation never visited" in text
    assert "A/HRC/RES/20/1" in text
    record = text.split("## The wider record")[1].split("## Timeline")[0]
    engagements = record.split("### Engagements")[1].split("### Communications")[0]
    assert [line.split(" | ")[0] for line in engagements.splitlines() if "| 20" in line] == [
        "| 2017-10-17", "| 2021-05", "| 2027-02-10"
    ]  # fmt: skip
    letters = record.split("### Communications")[1].split("### Dates in the calendar")[0]
    assert "| 2025-03-01 | OL OTH 1/2025 | OL |  | second | 2025-04-20 |" in letters
    assert "| 2026-08-01 | AL BRA 1/2026 | AL | Brazil | second | no reply recorded |" in letters
    calendar = record.split("### Dates in the calendar")[1].split("### Recorded votes")[0]
    assert "| 2025-07-05 | renewal | The mandate's term under A/HRC/RES/38/1 ends" in calendar
    assert "| 2027-02-10 | engagement | HRC 64: Panel on water |" in calendar
    votes = record.split("### Recorded votes and the mandate's visits")[1]
    assert "| NLD | Netherlands (Kingdom of the) | weog | no | 2018 (nld-2018) |" in votes
    html = run("report", "--format", "html")
    assert '<section id="record"><h2>The wider record</h2>' in html
    assert "Panel on water" in html and "no reply recorded" in html


def test_lists_of_the_new_kinds_name_their_countries(run):
    engagements = json.loads(run("engagements", "-f", "json"))
    chile = next(e for e in engagements if e["id"] == "states-2021")
    assert list(chile)[list(chile).index("country") + 1] == "country_name"
    assert chile["country_name"] == "Chile"
    header = run("communications", "-f", "csv").splitlines()[0].split(",")
    assert header[header.index("country") + 1] == "country_name"
    assert "Brazil" in run("communications")
    assert "Chile" in run("invitations")


def test_add_update_remove_each_new_kind(unseen, tracker_for):
    tracker = tracker_for(unseen)
    steps = [
        ("add", "engagement", "--id", "side-2026", "--holder", "second", "--date", "2026-03",
         "--forum", "HRC 61", "--kind", "side-event", "--title", "A side event",
         "--source", "https://example.org/side"),
        ("update", "engagement", "side-2026", "--country", "Peru"),
        ("add", "communication", "--ref", "JUA PER 3/2026", "--type", "JUA", "--holder", "second",
         "--country", "PER", "--date", "2026-05-02", "--summary", "Defenders",
         "--source", "https://example.org/jua"),
        ("update", "communication", "JUA PER 3/2026", "--replies", "2026-06-30"),
        ("add", "invitation", "--country", "Brazil", "--since", "2001",
         "--source", "https://example.org/invitations"),
        ("update", "invitation", "BRA", "--withdrawn", "2026-01"),
    ]  # fmt: skip
    for step in steps:
        result = tracker(*step)
        assert result.exit_code == 0, (step, result.output)
    text = (unseen / "communications.toml").read_text()
    assert 'ref = "JUA PER 3/2026"' in text and "replies = [2026-06-30]" in text
    assert 'withdrawn = "2026-01"' in (unseen / "invitations.toml").read_text()
    assert tracker("check").exit_code == 0
    gaps = json.loads(tracker("gaps", "-f", "json").output)
    assert "JUA PER 3/2026" not in [r["ref"] for r in gaps["unanswered_communications"]]
    for kind, key in (("engagement", "side-2026"), ("communication", "JUA PER 3/2026"),
                      ("invitation", "BRA")):  # fmt: skip
        result = tracker("remove", kind, key)
        assert result.exit_code == 0, result.output
    assert "side-2026" not in (unseen / "engagements.toml").read_text()
    assert "BRA" not in (unseen / "invitations.toml").read_text()


def test_bad_values_in_the_new_kinds_are_clear_errors(unseen, tracker_for):
    (unseen / "communications.toml").write_text(
        '[[communication]]\nref = "AL X 1/2026"\ntype = "XX"\nholder = "nobody"\n'
        'date = 2026-01-01\nreplies = ["soon"]\nsource = "x"\n',
        encoding="utf-8",
    )
    (unseen / "engagements.toml").write_text(
        '[[engagement]]\nid = "e"\nholder = "second"\ndate = 2026-05-01\nend = 2026-04-01\n'
        'forum = "f"\nkind = "statement"\ntitle = "t"\nsource = "x"\n',
        encoding="utf-8",
    )
    result = tracker_for(unseen)("check")
    assert result.exit_code == 1
    out = result.output
    assert (
        "communications.toml:3: error: communication 'AL X 1/2026' field 'type': 'XX' is not one of"
        in out
    )
    assert "field 'replies': 'soon' is not a date" in out
    assert "holder" in out and "nobody" in out
    assert (
        "engagements.toml:5: error: engagement 'e' field 'end': 2026-04-01 is before date 2026-05-01"
        in out
    )
    assert "Traceback" not in out


def test_shipped_data_delivery_shows_each_renewal_with_its_requests(tracker):
    data = {e["resolution"]: e for e in json.loads(tracker("delivery", "-f", "json").output)}
    assert list(data) == ["A/HRC/RES/35/3", "A/HRC/RES/44/11", "A/HRC/RES/53/5"]
    asks = {symbol: [r["asks"] for r in entry["requests"]] for symbol, entry in data.items()}
    assert asks["A/HRC/RES/44/11"] == [
        "visits", "forums", "other", "consult", "consult", "report-hrc", "report-ga"
    ]  # fmt: skip
    report_hrc = next(r for r in data["A/HRC/RES/44/11"]["requests"] if r["asks"] == "report-hrc")
    assert report_hrc["verdict"] == "met"
    assert report_hrc["by_year"][0] == {"year": 2021, "records": ["A/HRC/47/31"]}
    visits = data["A/HRC/RES/35/3"]["requests"][0]
    assert (visits["asks"], visits["verdict"], visits["records"]) == (
        "visits", "met", ["swe-2018", "nld-2018", "qat-2019"]
    )  # fmt: skip
    assert data["A/HRC/RES/53/5"]["ends"] == "2026-07-12"
    statement = json.loads(tracker("show", "okafor-ga72-2017", "-f", "json").output)["record"]
    assert (statement["date"], statement["report"]) == ("2017-10-17", "A/72/171")


@pytest.mark.slow
def test_datasette_answers_the_new_views(unseen, tracker_for):
    """The views of the new kinds answer in Datasette as the CLI does."""
    from test_datasette import tool

    tracker = tracker_for(unseen)
    assert tracker("sync").exit_code == 0
    store = unseen / "tracker.db"
    metadata = unseen / "metadata.json"
    assert tracker("datasette-metadata", "--output", str(metadata)).exit_code == 0

    def get(path: str) -> list[dict]:
        text = tool("datasette", str(store), "--metadata", str(metadata), "--get", path)
        return json.loads(text)

    engagements = get("/tracker/engagement_detail.json?_shape=array")
    assert [e["id"] for e in engagements] == ["ga-2017", "states-2021", "panel-2027"]
    assert engagements[0]["report"] == "A/72/1"
    assert json.loads(engagements[0]["themes"]) == ["tax"]
    letters = get("/tracker/communication_detail.json?_shape=array")
    assert [(c["ref"], json.loads(c["replies"] or "[]")) for c in letters] == [
        ("OL OTH 1/2025", ["2025-04-20"]), ("AL BRA 1/2026", []), ("UA NLD 2/2026", [])
    ]  # fmt: skip
    invited = get("/tracker/invitation_detail.json?_shape=array")
    assert [(i["country"], i["country_name"]) for i in invited] == [
        ("CHL", "Chile"), ("NLD", "Netherlands (Kingdom of the)"), ("NOR", "Norway"),
        ("PER", "Peru"),
    ]  # fmt: skip
    requests = get("/tracker/request_detail.json?_shape=array&resolution=A/HRC/RES/20/1")
    assert [r["asks"] for r in requests] == ["visits", "forums", "report-hrc", "report-ga", "other"]
    groups = {g["region"]: g for g in get("/tracker/vote_by_group.json?_shape=array")}
    assert (groups["weog"]["yes"], groups["weog"]["no"]) == (0, 2)
    assert (groups["grulac"]["yes"], groups["grulac"]["abstain"]) == (1, 1)


def test_a_window_that_ends_before_it_starts_is_a_usage_error_for_every_list(unseen, tracker_for):
    tracker = tracker_for(unseen)
    for command in ("engagements", "communications", "invitations", "visits", "reports"):
        result = tracker(command, "--since", "2030", "--until", "2020")
        assert result.exit_code == 2, (command, result.output)
        assert "2030 is after 2020: no date lies in that window" in result.output, command
    # A window that holds them keeps what may overlap it, by the one rule (Period.holds).
    result = tracker("engagements", "--since", "2017-10", "--until", "2017-10", "-f", "json")
    assert [e["id"] for e in json.loads(result.output)] == ["ga-2017"]

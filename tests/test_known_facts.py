"""The shipped data says exactly what is known (issue 12): who wrote and who presented a report,
one rule for a report that sets a theme, appointment apart from taking up the mandate, and
the resolutions and decision with the dates and votes their sources give."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import MINIMAL_MANDATE

CARRIED_OVER = ("A/72/171", "A/HRC/38/40/Add.1")  # written by Dandan, presented by Okafor


def as_json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# --- who wrote it, who presented it ---------------------------------------------------


def test_both_carried_over_reports_are_recorded_by_one_rule(tracker):
    reports = {r["symbol"]: r for r in as_json(tracker("reports", "-f", "json"))}
    for symbol in CARRIED_OVER:
        assert (reports[symbol]["holder"], reports[symbol]["author"]) == ("okafor", "dandan")
    # Every other report was written by the holder who presented it.
    others = [r for s, r in reports.items() if s not in CARRIED_OVER]
    assert others and all(r["author"] == r["holder"] for r in others)


def test_show_lists_written_and_presented_apart(tracker):
    dandan = as_json(tracker("show", "dandan", "-f", "json"))
    okafor = as_json(tracker("show", "okafor", "-f", "json"))
    written = {r["symbol"] for r in dandan["reports"]}
    assert set(CARRIED_OVER) <= written
    assert dandan["presented_for_others"] == []
    assert not set(CARRIED_OVER) & {r["symbol"] for r in okafor["reports"]}
    assert [r["symbol"] for r in okafor["presented_for_others"]] == list(CARRIED_OVER)


def test_show_holder_text_has_both_sections(tracker):
    out = tracker("show", "okafor").output
    written = out.index("Reports written")
    presented = out.index("Reports presented, written by another holder")
    assert written < presented
    section = out[presented : out.index("Priorities announced")]
    assert "A/72/171" in section and "A/HRC/38/40/Add.1" in section
    assert "A/72/171" not in out[written:presented]
    assert (
        "Reports presented, written by another holder: none recorded."
        in tracker("show", "dandan").output
    )


def test_coverage_credits_the_author(tracker):
    rows = {r["theme"]: r for r in as_json(tracker("coverage", "-f", "json"))}
    [entry] = [
        r for r in rows["right-to-international-solidarity"]["reports"] if r["symbol"] == "A/72/171"
    ]
    assert entry["holder"] == "dandan" and entry["presented_by"] == "okafor"
    only_okafor = as_json(tracker("coverage", "--holder", "okafor", "-f", "json"))
    symbols = {r["symbol"] for row in only_okafor for r in row["reports"]}
    assert "A/72/171" not in symbols and "A/HRC/53/32" in symbols


# --- a report does not both set and address a theme -----------------------------------


def test_no_shipped_report_addresses_a_theme_it_set(tracker):
    themes = as_json(tracker("themes", "-f", "json"))
    reports = {r["symbol"]: r for r in as_json(tracker("reports", "-f", "json"))}
    for theme in themes:
        if theme["set_in"]:
            assert theme["id"] not in reports[theme["set_in"]]["themes"], theme
    # A/HRC/15/32 set Rizki's two areas of focus; it still addresses South-South cooperation.
    assert reports["A/HRC/15/32"]["themes"] == ["south-south-cooperation"]


REPORT_THAT_SETS = """\
[[theme]]
id = "water"
mandate = "test-mandate"
title = "Water"
set_by = "first"
set_in = "A/HRC/16/1"
source = "A/HRC/16/1"

[[report]]
symbol = "A/HRC/16/1"
holder = "first"
author = "first"
body = "HRC"
year = 2011
kind = "thematic"
title = "Water"
themes = ["water"]
source = "A/HRC/16/1"
"""


def test_check_refuses_a_report_that_sets_and_addresses_a_theme(make_data, tracker_for):
    result = tracker_for(make_data(themes=REPORT_THAT_SETS))("check")
    assert result.exit_code == 1
    assert (
        "error: report 'A/HRC/16/1' field 'themes': lists water, which it set (their set_in)"
        in result.output
    )
    assert "warning: report 'A/HRC/16/1' field 'author': is the holder" in result.output


def test_an_author_must_be_a_holder(make_data, tracker_for):
    themes = REPORT_THAT_SETS.replace('author = "first"', 'author = "nobody"')
    result = tracker_for(make_data(themes=themes))("check")
    assert "report 'A/HRC/16/1' field 'author': no holder 'nobody' in mandate.toml" in result.output


# --- appointment and taking up the mandate --------------------------------------------


def test_appointment_and_start_are_apart(tracker):
    holders = {h["id"]: h for h in as_json(tracker("holders", "-f", "json"))}
    assert (holders["okafor"]["appointed"], holders["okafor"]["start"]) == ("2017-06", "2017-08-01")
    assert (holders["bailliet"]["appointed"], holders["bailliet"]["start"]) == ("2023-10", None)
    assert (holders["rizki"]["appointed"], holders["rizki"]["start"]) == ("2005-07-29", None)
    assert holders["bailliet"]["nationality"] == "ARG"
    assert "universal-rights.org" in holders["bailliet"]["source"]


def test_timeline_says_when_only_the_appointment_is_known(tracker):
    events = as_json(
        tracker("timeline", "--holder", "bailliet", "--kind", "term-start", "-f", "json")
    )
    assert [(e["date"], e["label"]) for e in events] == [
        (
            "2023-10",
            "Cecilia M. Bailliet appointed (the day of taking up the mandate is not recorded)",
        )
    ]


@pytest.mark.parametrize(
    "fields, message",
    [
        ("", "holder 'second' field 'start': missing (give `start`, or `appointed`"),
        (
            "appointed = 2014-07-01\nstart = 2014-06-01\n",
            "field 'start': 2014-06-01 is before appointed",
        ),
    ],
)
def test_holder_needs_start_or_appointment_in_order(make_data, tracker_for, fields, message):
    mandate = MINIMAL_MANDATE.replace("start = 2014-06-01\n", fields)
    result = tracker_for(make_data(mandate=mandate))("check")
    assert result.exit_code == 1 and message in result.output


def test_a_holder_known_only_by_appointment_is_valid(make_data, tracker_for):
    mandate = MINIMAL_MANDATE.replace("start = 2014-06-01", 'appointed = "2014-06"')
    result = tracker_for(make_data(mandate=mandate))("check")
    assert result.exit_code == 0, result.output


# --- resolutions and the decision -----------------------------------------------------


def test_renewal_dates_and_annual_resolutions(tracker):
    resolutions = {r["symbol"]: r for r in as_json(tracker("resolutions", "-f", "json"))}
    renewals = {s: r["adopted"] for s, r in resolutions.items() if r["action"] == "renewal"}
    assert renewals == {
        "A/HRC/RES/7/5": "2008-03-27",
        "A/HRC/RES/17/6": "2011-06-16",
        "A/HRC/RES/26/6": "2014-06-26",
        "A/HRC/RES/35/3": "2017-06-22",
        "A/HRC/RES/44/11": "2020-07-16",
        "A/HRC/RES/53/5": "2023-07-12",
    }
    annual = {s: r["adopted"] for s, r in resolutions.items() if s.startswith("A/HRC/RES/")}
    for symbol in ("6/3", "9/2", "12/9", "15/13", "18/5", "21/10", "23/12", "29/3", "32/9"):
        full = f"A/HRC/RES/{symbol}"
        assert resolutions[full]["action"] == "other"
        assert resolutions[full]["source"] == "A/HRC/RES/35/3, preamble"
    assert annual["A/HRC/RES/23/12"] == "2013-06-13"


def test_decision_16_118_with_its_recorded_vote(tracker):
    decision = as_json(tracker("show", "A/HRC/DEC/16/118", "-f", "json"))["record"]
    assert (decision["adopted"], decision["action"]) == ("2011-03-25", "other")
    vote = decision["vote"]
    assert (len(vote["yes"]), len(vote["no"]), vote["abstain"]) == (32, 14, [])
    assert "CHN" in vote["yes"] and "USA" in vote["no"]
    assert "right-docs.org/doc/a-hrc-dec-16-118" in decision["source"]
    profile = as_json(tracker("show", "Norway", "-f", "json"))
    assert {
        "resolution": "A/HRC/DEC/16/118",
        "adopted": "2011-03-25",
        "action": "other",
        "vote": "no",
    } in profile["votes"]


# --- sources that hold the facts ------------------------------------------------------


def test_visit_dates_cite_a_source_that_gives_them(tracker):
    visits = {v["id"]: v for v in as_json(tracker("visits", "-f", "json"))}
    assert "press-releases/2012/06" in visits["bra-2012"]["source"]
    assert visits["cub-2017"]["source"].startswith("A/HRC/38/40/Add.1")
    reports = {r["symbol"]: r for r in as_json(tracker("reports", "-f", "json"))}
    assert "28 June 2023" in reports["A/HRC/53/32"]["note"]
    assert "press-releases/2023/06" in reports["A/HRC/53/32"]["source"]


# --- gaps: what is recorded, the term of 53/5, priorities judged in the term --------------


def test_gaps_says_no_open_request_is_recorded(tracker):
    text = tracker("gaps").stdout
    assert "Open visit requests, oldest first: no open request recorded." in text
    assert "Open requests: none" not in text and ": none." not in text
    gaps = as_json(tracker("gaps", "-f", "json"))
    assert gaps["recorded_only"] is True and gaps["open_requests"] == []
    md = tracker("gaps", "-f", "md").stdout
    assert "## Open visit requests, oldest first\n\n_No open request recorded._" in md


def test_gaps_names_the_term_of_53_5_as_ended(tracker):
    term = as_json(tracker("gaps", "-f", "json"))["mandate_term"]
    assert term == {
        "resolution": "A/HRC/RES/53/5",
        "action": "renewal",
        "adopted": "2023-07-12",
        "term_years": 3,
        "ends": "2026-07-12",
        "ended": True,  # TRACKER_TODAY is 2026-11-23 (conftest)
        "url": "https://docs.un.org/en/A/HRC/RES/53/5",
    }
    text = tracker("gaps").stdout
    section = text[text.index("Term of the mandate") : text.index("Gaps: themes")]
    assert "A/HRC/RES/53/5" in section and "2026-07-12" in section
    assert "ENDED: no renewal recorded after it" in section


def test_the_term_runs_before_its_end(tracker, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2026-07-12")
    term = as_json(tracker("gaps", "-f", "json"))["mandate_term"]
    assert term["ended"] is False
    assert "running" in tracker("gaps").stdout


@pytest.mark.parametrize(
    "resolutions, expected",
    [
        ([], None),
        (  # the annual resolutions renew nothing
            [{"symbol": "R/1", "adopted": "2020-01-01", "action": "other", "term_years": None}],
            None,
        ),
        (
            [
                {
                    "symbol": "E/1",
                    "adopted": "2005-04-20",
                    "action": "establishment",
                    "term_years": 3,
                },
                {"symbol": "R/2", "adopted": "2008", "action": "renewal", "term_years": None},
            ],
            ("R/2", None, None),  # the latest renewal's term is not recorded: cannot tell
        ),
        (
            [{"symbol": "R/3", "adopted": "2024-02-29", "action": "renewal", "term_years": 2}],
            ("R/3", "2026-02-28", True),
        ),
        (  # a month: ended only once its whole month has passed
            [{"symbol": "R/4", "adopted": "2023-11", "action": "renewal", "term_years": 3}],
            ("R/4", "2026-11", False),
        ),
    ],
)
def test_term_granted(resolutions, expected):
    import datetime as dt

    from tracker.analysis import term_granted

    found = term_granted(resolutions, dt.date(2026, 11, 23))
    if expected is None:
        assert found is None
    else:
        assert (found["resolution"], found["ends"], found["ended"]) == expected


def test_south_south_is_judged_in_okafors_term(tracker):
    rows = {r["theme"]: r for r in as_json(tracker("coverage", "-f", "json"))}
    south = rows["south-south-cooperation"]
    assert (south["status"], south["status_overall"]) == ("gap", "addressed")
    assert south["in_term"]["verdict"] == (
        "not addressed in the term; addressed before by A/HRC/15/32 (2010)"
    )
    gaps = as_json(tracker("gaps", "-f", "json"))
    [priority] = [p for p in gaps["priorities"] if p["theme"] == "south-south-cooperation"]
    assert priority["holder"] == "okafor" and priority["status"] == "gap"
    assert [r["symbol"] for r in priority["addressed_before"]] == ["A/HRC/15/32"]
    text = tracker("gaps").stdout
    line = next(x for x in text.splitlines() if x.startswith("south-south-cooperation"))
    assert "not addressed in the term; addressed before by A/HRC/15/32 (2010)" in line
    # Rizki's own areas of focus: set in A/HRC/15/32, which does not address them.
    assert {p["theme"] for p in gaps["priorities"] if p["holder"] == "rizki"} == {
        "sustainable-development",
        "financing-for-development",
    }


def test_the_report_document_says_it_too(tracker, tmp_path):
    md = tracker("report", "--format", "md").stdout
    assert "_No open request recorded._" in md
    assert "ENDED: no renewal recorded after it" in md
    assert "not addressed in the term; addressed before by [A/HRC/15/32]" in md
    out = tmp_path / "report.html"
    assert tracker("report", "--format", "html", "-o", str(out)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "No open request recorded." in page and "ENDED: no renewal recorded after it" in page


# --- provenance: tracker sources, check --strict ----------------------------------------


def test_sources_lists_each_source_and_its_records(tracker):
    data = as_json(tracker("sources", "-f", "json"))
    by_source = {s["source"]: s for s in data["sources"]}
    decision = by_source["https://www.right-docs.org/doc/a-hrc-dec-16-118/"]
    assert decision["kind"] == "url"
    assert decision["records"] == [
        {
            "kind": "resolution",
            "key": "A/HRC/DEC/16/118",
            "cited_as": "https://www.right-docs.org/doc/a-hrc-dec-16-118/",
        }
    ]
    preamble = by_source["A/HRC/RES/35/3"]
    assert preamble["kind"] == "document" and preamble["count"] == 12
    assert {
        "kind": "resolution",
        "key": "A/HRC/RES/7/5",
        "cited_as": "A/HRC/RES/35/3, preamble",
    } in (preamble["records"])
    counts = [s["count"] for s in data["sources"]]
    assert counts == sorted(counts, reverse=True)  # most cited first
    # The 2010 joint statement that 56 standing invitations rest on, then A/78/176.
    assert [s["source"] for s in data["sources"][:2]] == [
        "https://geneva.mission.gov.au/gene/statement138.html",
        "A/78/176",
    ]


def test_sources_flags_records_resting_only_on_a_catalogue(tracker):
    data = as_json(tracker("sources", "-f", "json"))
    only = {(r["kind"], r["key"]) for r in data["catalogue_only"]}
    assert only == {
        ("theme", "indigenous-peoples"),
        ("theme", "corporations"),
        ("theme", "peace"),
        ("report", "A/HRC/18/34"),
        ("report", "A/HRC/59/40"),
        ("report", "A/80/172"),
        ("report", "A/HRC/62/38"),
    }
    # A/78/176 cites the catalogue for its symbol, but the document itself too.
    assert ("report", "A/78/176") not in only
    assert data["no_source"] == []
    text = tracker("sources").stdout
    flagged = text[text.index("Records whose only source is a secondary catalogue") :]
    assert "A/HRC/62/38" in flagged and "A/78/176" not in flagged
    assert "Records with no source a reader can find: none recorded." in text
    md = tracker("sources", "-f", "md").stdout
    assert md.startswith("# Sources\n") and "[A/78/176](https://docs.un.org/en/A/78/176)" in md


SOURCELESS = """\
[[mandate]]
id = "test-mandate"
title = "Independent Expert on testing"
established = 2010-01-01
established_by = "A/HRC/RES/1/1"
source = "seed 003; FACTS.md"

[[holder]]
id = "first"
mandate = "test-mandate"
name = "First Holder"
start = 2010-06-01
source = "A/HRC/1/1; notes"
"""


def test_check_strict_fails_on_a_record_with_no_source_a_reader_can_find(make_data, tracker_for):
    tracker = tracker_for(make_data(mandate=SOURCELESS))
    result = tracker("check")
    assert result.exit_code == 0, result.output  # warnings only
    assert (
        "mandate.toml:6: warning: mandate 'test-mandate' field 'source': 'seed 003' is no source "
        "a reader can find" in result.output
    )
    assert "holder 'first' field 'source': 'notes' is no source a reader can find" in result.output
    assert tracker("check", "--strict").exit_code == 1
    data = as_json(tracker("sources", "-f", "json"))
    assert data["no_source"] == [
        {"kind": "mandate", "key": "test-mandate", "source": "seed 003; FACTS.md"}
    ]  # the holder cites A/HRC/1/1 as well


def test_check_strict_fails_on_a_record_with_no_source_field(make_data, tracker_for):
    mandate = SOURCELESS.replace('source = "A/HRC/1/1; notes"\n', "")
    result = tracker_for(make_data(mandate=mandate))("check", "--strict")
    assert result.exit_code == 1
    assert "holder 'first' field 'source': missing" in result.output


@pytest.mark.parametrize(
    "text, kind, source",
    [
        ("A/78/176, para 2", "document", "A/78/176"),
        ("A/HRC/RES/35/3, preamble", "document", "A/HRC/RES/35/3"),
        ("https://x.org/a (note 1)", "url", "https://x.org/a"),
        ("catalogue: a list", "catalogue", "a list"),
        ("Catalogue: A list", "catalogue", "A list"),
        ("seed 003", "unknown", "seed 003"),
        ("a/78/176", "unknown", "a/78/176"),
    ],
)
def test_citations_are_read_by_kind(text, kind, source):
    from tracker.provenance import citations

    [citation] = citations(text)
    assert (citation.kind, citation.source, citation.text) == (kind, source, text)


def test_timeline_labels_the_decision_and_the_annual_resolutions(tracker):
    events = as_json(tracker("timeline", "--kind", "resolution", "-f", "json"))
    labels = {e["key"]: e["label"] for e in events}
    assert labels["A/HRC/DEC/16/118"] == (
        "HRC decision A/HRC/DEC/16/118 (not a renewal); "
        "recorded vote: 32 in favour, 14 against, 0 abstaining"
    )
    assert labels["A/HRC/RES/29/3"] == (
        "HRC resolution A/HRC/RES/29/3 (not a renewal); vote not recorded"
    )


def test_sources_from_the_data_are_text_not_links_or_markup(make_data, tracker_for):
    hostile = "https://x.org/a)<script>alert(1)</script>[x](javascript:alert(1)); catalogue: <b>*b*</b> | p"
    mandate = SOURCELESS.replace('"seed 003; FACTS.md"', f'"{hostile}"')
    md = tracker_for(make_data(mandate=mandate))("sources", "-f", "md").stdout
    assert "alert(1)" in md and "<script>" not in md
    assert not re.search(r"(?<!\\)\]\(javascript", md)  # every ] from the data is escaped
    assert "](https://x.org" not in md  # a URL that could end a link is shown, not linked
    assert "\\<b\\>\\*b\\*\\</b\\> \\| p" in md

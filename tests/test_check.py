"""`tracker check`: every rule, every problem listed with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.links import document_url

VISITS_OK = """\
[[visit]]
id = "ken-2012"
holder = "first"
country = "KEN"
status = "completed"
start = 2012-03-01
end = 2012-03-05
source = "A/HRC/20/1/Add.1"
"""


def check(tracker_for, folder: Path, *args: str):
    result = tracker_for(folder)("check", *args)
    return result, result.output


def test_shipped_data_passes(tracker):
    """No error; the one warning is the mandate's own clock: 53/5's three years ran out on
    12 July 2026 and no renewal is recorded (so --strict fails on it, and on nothing else)."""
    result = tracker("check")
    assert result.exit_code == 0, result.output
    assert "Checked 153 records" in result.output
    assert "0 error(s), 1 warning(s)" in result.output
    assert (
        "warning: resolution 'A/HRC/RES/53/5' field 'term_years': the mandate's term under "
        "A/HRC/RES/53/5 (adopted 2023-07-12, 3 years) ran out on 2026-07-12 and no renewal "
        "is recorded"
    ) in result.output
    assert tracker("check", "--strict").exit_code == 1


def test_small_valid_data_passes(make_data, tracker_for):
    result, output = check(tracker_for, make_data(visits=VISITS_OK))
    assert result.exit_code == 0, output
    assert "Checked 4 records" in output


def test_toml_syntax_error_names_file_and_line(make_data, tracker_for):
    folder = make_data(visits=VISITS_OK.replace('status = "completed"', "status = completed"))
    result, output = check(tracker_for, folder)
    assert result.exit_code == 1
    assert "visits.toml:5: error: TOML syntax: Invalid value" in output


def test_every_problem_is_listed_not_just_the_first(make_data, tracker_for):
    broken = VISITS_OK.replace('"KEN"\n', '"XXX"\n').replace('"completed"', '"complete"')
    broken = broken.replace('source = "A/HRC/20/1/Add.1"\n', 'colour = "red"\n')
    result, output = check(tracker_for, make_data(visits=broken))
    assert result.exit_code == 1
    lines = [line for line in output.splitlines() if ": error:" in line]
    assert any(
        "visits.toml:4:" in line and "'XXX' is not an ISO 3166-1 alpha-3" in line for line in lines
    )
    assert any(
        "visits.toml:5:" in line and "field 'status'" in line and "'complete' is not one of" in line
        for line in lines
    )
    assert any(
        "visits.toml:8:" in line and "field 'colour': unknown field" in line for line in lines
    )
    assert any("visits.toml:1:" in line and "field 'source': missing" in line for line in lines)
    assert "4 error(s)" in output


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('"first"', '"nobody"', "field 'holder': no holder 'nobody' in mandate.toml"),
        (
            "end = 2012-03-05",
            "end = 2012-02-05",
            "field 'end': 2012-02-05 is before start 2012-03-01",
        ),
        ("start = 2012-03-01", "start = 2009-03-01", "is before first's term began (2010-06-01)"),
        (
            '"A/HRC/20/1/Add.1"',
            '"A/HRC/20/1/Add.1"\nreport = "a/hrc/20/1"',
            "is not a UN document symbol",
        ),
        ('id = "ken-2012"', 'id = "Ken 2012"', "'Ken 2012' is not an id"),
        ('"KEN"', '"ken"', "(write it in capitals: KEN)"),
        ("start = 2012-03-01", 'start = "2012-02-30"', "is not a day of the calendar"),
        (
            '"A/HRC/20/1/Add.1"',
            '"A/HRC/20/1/Add.1"\nthemes = ["water"]',
            "no theme 'water' in themes.toml",
        ),
    ],
)
def test_visit_rules(make_data, tracker_for, old, new, expected):
    result, output = check(tracker_for, make_data(visits=VISITS_OK.replace(old, new, 1)))
    assert result.exit_code == 1, output
    assert expected in output
    assert "visits.toml:" in output


def test_duplicate_ids_point_to_the_first(make_data, tracker_for):
    result, output = check(tracker_for, make_data(visits=VISITS_OK + "\n" + VISITS_OK))
    assert result.exit_code == 1
    assert (
        "visits.toml:11: error: visit 'ken-2012' field 'id': duplicate visit 'ken-2012' (first at"
        in output
    )
    assert "visits.toml:1)" in output


def test_default_visit_id_from_country_and_year(make_data, tracker_for):
    folder = make_data(visits=VISITS_OK.replace('id = "ken-2012"\n', ""))
    assert check(tracker_for, folder)[0].exit_code == 0
    result = tracker_for(folder)("visits", "--format", "json")
    assert '"id": "ken-2012"' in result.output


def test_history_must_agree_with_status(make_data, tracker_for):
    visits = (
        VISITS_OK
        + """
[[visit.history]]
date = 2011-01-10
status = "requested"

[[visit.history]]
date = 2011-06-01
status = "accepted"
"""
    )
    result, output = check(tracker_for, make_data(visits=visits))
    assert result.exit_code == 1
    assert (
        "visits.toml:5: error: visit 'ken-2012' field 'status': is 'completed' but the last history entry says 'accepted'"
        in output
    )


def test_history_out_of_order(make_data, tracker_for):
    visits = (
        VISITS_OK
        + """
[[visit.history]]
date = 2012-06-01
status = "requested"

[[visit.history]]
date = 2011-01-01
status = "completed"
"""
    )
    _, output = check(tracker_for, make_data(visits=visits))
    assert "visits.toml:15:" in output
    assert "keep the history in date order" in output


def test_stale_visit_is_a_warning_that_strict_makes_fatal(make_data, tracker_for):
    stale = VISITS_OK.replace('"completed"', '"scheduled"').replace("2012-03", "2015-03")
    folder = make_data(visits=stale.replace('"first"', '"second"'))
    result, output = check(tracker_for, folder)
    assert result.exit_code == 0
    assert "warning: visit 'ken-2012' field 'status': stale: still 'scheduled'" in output
    assert check(tracker_for, folder, "--strict")[0].exit_code == 1


def test_holder_and_resolution_rules(make_data, tracker_for):
    from tests.conftest import MINIMAL_MANDATE

    mandate = (
        MINIMAL_MANDATE.replace("end = 2014-05-31", "end = 2009-05-31")
        + """
[[resolution]]
symbol = "A/HRC/RES/5/5"
mandate = "test-mandate"
body = "UNGA"
adopted = 2013-03-01
action = "renewal"
source = "A/HRC/RES/5/5"

[resolution.vote]
yes = ["KEN", "FRA"]
no = ["FRA"]
maybe = 3
"""
    )
    result, output = check(tracker_for, make_data(mandate=mandate))
    assert result.exit_code == 1
    assert (
        "mandate.toml:14: error: holder 'first' field 'end': 2009-05-31 is before start 2010-06-01"
        in output
    )
    assert "field 'body': 'UNGA' is not one of: CHR, HRC, GA" in output
    assert "field 'vote': FRA voted more than once" in output
    assert "field 'vote.maybe': unknown field (allowed: yes, no, abstain)" in output


def test_other_commands_refuse_invalid_data_without_traceback(make_data, tracker_for):
    folder = make_data(visits=VISITS_OK.replace('"KEN"', '"XXX"'))
    result = tracker_for(folder)("visits")
    assert result.exit_code == 1
    assert "visits.toml:4: error: visit 'ken-2012' field 'country'" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_check_json(make_data, tracker_for):
    import json

    folder = make_data(visits=VISITS_OK.replace('"KEN"', '"XXX"'))
    result = tracker_for(folder)("check", "--format", "json")
    report = json.loads(result.output)
    assert report["errors"] == 1
    assert report["problems"][0]["line"] == 4
    assert report["problems"][0]["field"] == "country"


def test_unknown_table_and_missing_folder(make_data, tracker_for, tmp_path):
    folder = make_data(visits="[[visits]]\nid = 'x'\n")
    _, output = check(tracker_for, folder)
    assert "visits.toml:1: error: unknown table [[visits]] (this file holds [[visit]])" in output
    result = tracker_for(tmp_path / "nowhere")("check")
    assert result.exit_code == 1
    assert "no data folder at" in result.output


def test_a_trailing_newline_is_no_part_of_an_id_or_symbol(make_data, tracker_for):
    """A regular expression's `$` also matches before a final newline: ids and symbols
    are matched whole, and the problem shows the newline as an escape, on one line."""
    visits = VISITS_OK.replace('id = "ken-2012"', 'id = "ken-2012\\n"', 1)
    result, output = check(tracker_for, make_data(visits=visits))
    assert result.exit_code == 1
    line = next(line for line in output.splitlines() if "field 'id'" in line)
    assert line.endswith(
        "visits.toml:2: error: visit 'ken-2012\\n' field 'id': "
        "'ken-2012\\n' is not an id (lower-case letters, digits and single hyphens)"
    )
    assert document_url("A/HRC/20/1/Add.1") == "https://docs.un.org/en/A/HRC/20/1/Add.1"
    assert document_url("A/HRC/20/1/Add.1\n") is None  # a symbol with a newline is none

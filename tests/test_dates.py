import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.dates import DateError, PartialDate, parse


def test_full_date_from_toml_date():
    assert parse(dt.date(2020, 7, 16)) == PartialDate(2020, 7, 16)
    assert str(parse(dt.date(2020, 7, 16))) == "2020-07-16"


@pytest.mark.parametrize(
    ("text", "precision", "shown"),
    [
        ("2011", "year", "2011"),
        ("2023-10", "month", "2023-10"),
        ("2011-08-01", "day", "2011-08-01"),
    ],
)
def test_partial_dates_keep_their_precision(text, precision, shown):
    value = parse(text)
    assert value.precision == precision
    assert str(value) == shown


def test_bounds_of_a_partial_date():
    assert parse("2011").earliest() == dt.date(2011, 1, 1)
    assert parse("2011").latest() == dt.date(2011, 12, 31)
    assert parse("2024-02").latest() == dt.date(2024, 2, 29)


@pytest.mark.parametrize("bad", ["2023-02-30", "2023-13", "20", "July 2020", "", 2020, None])
def test_not_dates(bad):
    with pytest.raises(DateError):
        parse(bad)


def test_datetime_is_refused():
    with pytest.raises(DateError, match="time of day"):
        parse(dt.datetime(2020, 1, 1, 10, 0))


def test_toml_value_is_a_date_only_for_full_days():
    assert parse("2020-07-16").toml_value() == dt.date(2020, 7, 16)
    assert parse("2020-07").toml_value() == "2020-07"


@given(st.dates(min_value=dt.date(1900, 1, 1)), st.sampled_from(["year", "month", "day"]))
def test_text_round_trip(day, precision):
    text = {"year": f"{day:%Y}", "month": f"{day:%Y-%m}", "day": day.isoformat()}[precision]
    assert str(parse(text)) == text
    assert parse(text).earliest() <= day <= parse(text).latest()


# The whole range of the format: years 1 to 9999, at every precision.
EDGES = ["0001", "0001-01", "0001-01-01", "9999", "9999-12", "9999-12-31"]


@pytest.mark.parametrize("text", EDGES)
def test_the_first_and_last_years_have_bounds(text):
    """December 9999 has no next month: its last day was a traceback (year 10000)."""
    value = parse(text)
    assert value.earliest() <= value.latest()
    assert value.latest().year == value.earliest().year


def holder_ending(make_data, end: str):
    from conftest import MINIMAL_MANDATE

    return make_data(
        mandate=MINIMAL_MANDATE.replace("start = 2014-06-01", f'start = 2014-06-01\nend = "{end}"')
    )


@pytest.mark.parametrize("end", ["9999", "9999-12", "9999-12-31"])
def test_a_term_ending_in_year_9999_is_refused_by_check_with_the_reason(
    make_data, tracker_for, end
):
    tracker = tracker_for(holder_ending(make_data, end))
    for command in (["check"], ["holders"], ["timeline"], ["coverage"]):
        result = tracker(*command)
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert (
            f"holder 'second' field 'end': {end} is more than 10 years after today" in result.stderr
        )


@pytest.mark.parametrize("date", ["0001", "0001-01-01", "9999", "9999-12", "9999-12-31"])
def test_a_visit_history_date_far_outside_the_mandate_is_refused(make_data, tracker_for, date):
    visits = f"""\
        [[visit]]
        id = "fra-2015"
        holder = "second"
        country = "FRA"
        status = "requested"
        source = "A/HRC/1/1"

        [[visit.history]]
        date = "{date}"
        status = "requested"
        """
    tracker = tracker_for(make_data(visits=visits))
    result = tracker("check")
    assert result.exit_code == 1
    reason = (
        "before the mandate was established (2010-01-01)"
        if date < "2"
        else "more than 10 years after today"
    )
    assert f"field 'history[0].date': {date} is {reason}: a typing mistake?" in result.stderr
    # ... and the timeline never draws thousands of empty years: it refuses the same way
    assert tracker("timeline").exit_code == 1


@pytest.mark.slow  # twelve data sets, each built into a store and drawn by five commands
def test_every_edge_year_in_every_date_field_ends_well(make_data, tracker_for, ledger):
    """Each edge date in each date field of a small data set: check answers (exit 0 or 1,
    a message), never a traceback; and every view survives what check accepts."""
    from tracker.model import KINDS

    row = ledger.row(
        "edge-dates",
        "Bad input",
        "The first and last dates the format allows (years 1 and 9999, at every precision) "
        "as a mandate's establishment and a holder's start, through check and four views",
    )

    base = {
        "mandate": ("established = 2010-01-01", "established = {v}"),
        "holder": ("start = 2010-06-01", "start = {v}"),
    }
    for kind, (old, new) in base.items():
        for value in EDGES:
            toml_value = value if len(value) == 10 else f'"{value}"'
            from conftest import MINIMAL_MANDATE

            folder = make_data(
                mandate=MINIMAL_MANDATE.replace(old, new.format(v=toml_value), 1),
                name=f"{kind}-{value}",
            )
            tracker = tracker_for(folder)
            checked = tracker("check")
            assert checked.exception is None or isinstance(checked.exception, SystemExit), (
                checked.output
            )
            assert checked.exit_code in (0, 1)
            for view in (["holders"], ["timeline"], ["gaps"], ["coverage", "-f", "md"]):
                shown = tracker(*view)
                assert shown.exception is None or isinstance(shown.exception, SystemExit), (
                    kind,
                    value,
                    view,
                    shown.output,
                )
                assert shown.exit_code == checked.exit_code
            row.case(
                "check and the views: exit 0"
                if checked.exit_code == 0
                else "check and the views: clear message, exit 1"
            )
    assert "date" in {spec.type for spec in KINDS["visit"].fields}


NOT_PLAIN = ["²", "+5", "1_000", " 5", "5 ", "٥", "0x10", "-1", "0", "1" * 25, ""]


@pytest.mark.parametrize("fast", [True, False], ids=["fast path", "Typer"])
@pytest.mark.parametrize(
    ("command", "option", "too_big"),
    [
        (["visits"], "--year", "10000"),
        (["reports"], "--year", "10000"),
        (["search", "climate"], "--limit", "1000001"),
    ],
)
def test_numeric_options_refuse_what_is_not_a_plain_number_in_range(
    shipped_with_store, monkeypatch, capsys, fast, command, option, too_big, ledger
):
    shipped = shipped_with_store
    from tracker.cli import main

    row = ledger.row(
        "numeric-options",
        "Bad input",
        "Numbers that are not plain or not in range (², +5, 1_000, ٥, 0x10, -1, 0, 25 digits, "
        "empty, one past the largest) in --year and --limit, on the fast path and on Typer",
    )

    if fast:
        monkeypatch.delenv("TRACKER_NO_FAST", raising=False)
    else:
        monkeypatch.setenv("TRACKER_NO_FAST", "1")
    for value in [*NOT_PLAIN, too_big]:
        with pytest.raises(SystemExit) as end:
            main(["--data", str(shipped), *command, option, value])
        captured = capsys.readouterr()
        assert end.value.code == 2, (value, captured.err)
        assert "Invalid value for" in captured.err and "Traceback" not in captured.err
        row.case("usage error naming the option, exit 2")
    with pytest.raises(SystemExit) as end:
        main(["--data", str(shipped), *command, option, "2019"])
    assert end.value.code == 0

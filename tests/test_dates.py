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

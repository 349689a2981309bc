"""Dates of known precision: a full day, a month ("YYYY-MM") or a year ("YYYY").

UN records often give only the year or month of an event. Such a date keeps its
precision everywhere: in the store, in every output format, and when written back.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")

PRECISIONS = ("year", "month", "day")


class DateError(ValueError):
    """A value that is not a date of any accepted precision."""


class PartialDate(NamedTuple):
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def earliest(self) -> dt.date:
        """The first day this date may stand for."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        """The last day this date may stand for."""
        month = self.month or 12
        day = self.day or days_in_month(self.year, month)
        return dt.date(self.year, month, day)

    def toml_value(self) -> dt.date | str:
        """A TOML date for a full day, otherwise the "YYYY" or "YYYY-MM" string."""
        if self.day is not None:
            return self.earliest()
        return str(self)

    def __str__(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


def days_in_month(year: int, month: int) -> int:
    # (calendar, not "the day before the next month's first": December 9999 has no next month)
    return calendar.monthrange(year, month)[1]


def parse(value: object) -> PartialDate:
    """Read a TOML date or a "YYYY" / "YYYY-MM" / "YYYY-MM-DD" string."""
    if isinstance(value, dt.datetime):
        raise DateError(f"{value.isoformat()} has a time of day; give a date only")
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise DateError(f'{value!r} is not a date (use 2020-07-16, "2020-07" or "2020")')
    match = _PARTIAL.match(value.strip())
    if not match:
        raise DateError(f'{value!r} is not a date (use 2020-07-16, "2020-07" or "2020")')
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    if year == 0:
        raise DateError(f"{value!r} has no year 0 (the calendar starts at year 1)")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"{value!r} has no month {month}")
    if day is not None:
        assert month is not None
        try:
            dt.date(year, month, day)
        except ValueError:
            raise DateError(f"{value!r} is not a day of the calendar") from None
    return PartialDate(year, month, day)


def try_parse(value: object) -> PartialDate | None:
    try:
        return parse(value)
    except DateError:
        return None

"""Dates of known precision: a full day, a month ("YYYY-MM") or a year ("YYYY").

UN records often give only the year or month of an event. Such a date keeps its
precision everywhere: in the store, in every output format, and when written back.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import namedtuple
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from tracker.plain import Plain

# Matched through re's own cache rather than compiled at import: most commands import this
# module (for a --since window, say) without reading a date from text.
_PARTIAL = r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$"

PRECISIONS = ("year", "month", "day")


class DateError(ValueError):
    """A value that is not a date of any accepted precision."""


if TYPE_CHECKING:

    class _PartialDate(NamedTuple):
        year: int
        month: int | None = None
        day: int | None = None

else:  # no typing.NamedTuple at run time: see tracker/plain.py
    _PartialDate = namedtuple(
        "_PartialDate",
        ("year", "month", "day"),
        defaults=(None, None),
    )


class PartialDate(_PartialDate):
    __slots__ = ()

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
    # By the rule, not "the day before the next month's first" (December 9999 has no next
    # month), and not with the calendar module, which would load locale on every command.
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def parse(value: object) -> PartialDate:
    """Read a TOML date or a "YYYY" / "YYYY-MM" / "YYYY-MM-DD" string."""
    if isinstance(value, dt.datetime):
        raise DateError(f"{value.isoformat()} has a time of day; give a date only")
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if not isinstance(value, str):
        raise DateError(f'{value!r} is not a date (use 2020-07-16, "2020-07" or "2020")')
    return _parse_text(value)


@lru_cache(maxsize=4096)
def _parse_text(value: str) -> PartialDate:
    """parse() of a text. Cached: a view reads the same few hundred dates many times over
    (the timeline asks each event's year of its date), and a PartialDate is immutable."""
    match = re.match(_PARTIAL, value.strip())
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


def date_of(value: object) -> PartialDate | None:
    """A stored value as a date, None when it is empty or not a date."""
    return try_parse(value) if value not in (None, "") else None


def year_of(value: object) -> int | None:
    """The year of a stored value, None when it is empty or not a date."""
    parsed = date_of(value)
    return parsed.year if parsed else None


class Period(Plain):
    """An optional window of dates: items that may overlap it are kept."""

    __slots__ = ("since", "until")

    def __init__(self, since: PartialDate | None = None, until: PartialDate | None = None):
        self.since, self.until = since, until

    @property
    def is_open(self) -> bool:
        return self.since is None and self.until is None

    def holds(self, first: PartialDate | None, last: PartialDate | None = None) -> bool:
        """Whether the span first..last (or the one date first) may overlap the period.

        An undated item is kept only when no window is set: it cannot be placed.
        """
        if self.is_open:
            return True
        if first is None:
            return False
        last = last or first
        if self.since and last.latest() < self.since.earliest():
            return False
        return not (self.until and first.earliest() > self.until.latest())

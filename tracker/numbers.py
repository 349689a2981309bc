"""Numbers typed on the command line: plain digits in a range, or nothing.

Python's int() takes much more than a person means by a number ("+5", " 5", "1_000",
"٥"), and str.isdigit() admits "²", which int() then refuses with a traceback. Both the
fast path and the Typer app read numeric options through plain_number, so both refuse the
same values, with a usage error (status 2).
"""

from __future__ import annotations

YEARS = (1, 9999)  # the years a date in the data files can have
LIMITS = (1, 1_000_000)
COUNTS = (0, 1_000_000)  # whole numbers in records: a term's years, a vote's tally


def plain_number(text: str, low: int, high: int) -> int | None:
    """The number text spells in ASCII digits, when it lies in low..high; else None."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(high)) + 2:
        return None
    number = int(text)
    return number if low <= number <= high else None


def range_text(low: int, high: int) -> str:
    return f"a whole number from {low} to {high:,}, in digits"

"""Option types shared by the commands."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tracker.cli import complete
from tracker.model import REPORT_BODIES, VISIT_STATUSES
from tracker.numbers import LIMITS, YEARS, plain_number, range_text


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"


class DetailFormat(StrEnum):
    """Formats of a view whose sections differ in shape (no CSV)."""

    table = "table"
    json = "json"
    md = "md"


class CheckFormat(StrEnum):
    text = "text"
    json = "json"


# Built from the model so that a new status or body needs no change here.
Status = Enum("Status", {name: name for name in VISIT_STATUSES}, type=str)  # type: ignore[misc]
StatusFilter = Enum(  # type: ignore[misc]
    "StatusFilter", {name: name for name in (*VISIT_STATUSES, "open")}, type=str
)
Body = Enum("Body", {name: name for name in REPORT_BODIES}, type=str)  # type: ignore[misc]

FormatOption = Annotated[
    Format,
    typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
]
MandateOption = Annotated[
    str | None,
    typer.Option(
        "--mandate",
        help="Only this mandate (id); the default is the only mandate, or every mandate.",
        autocompletion=complete.mandates,
    ),
]
# For views of one mandate (coverage, gaps, report): its columns are one mandate's holders.
OneMandateOption = Annotated[
    str | None,
    typer.Option(
        "--mandate",
        help="The mandate (id); needed only when the store holds several.",
        autocompletion=complete.mandates,
    ),
]
HolderOption = Annotated[
    str | None,
    typer.Option("--holder", help="Holder id, e.g. okafor.", autocompletion=complete.holders),
]
ThemeOption = Annotated[
    str | None,
    typer.Option(
        "--theme", help="Only reports addressing this theme id.", autocompletion=complete.themes
    ),
]
CountryOption = Annotated[
    str | None,
    typer.Option(
        "--country",
        help="Country: alpha-3, alpha-2 or UN name, e.g. Qatar.",
        autocompletion=complete.countries,
    ),
]


SinceOption = Annotated[
    str | None,
    typer.Option(
        "--since", help="Only records from this date on (2018, 2018-06, ...).", metavar="DATE"
    ),
]
UntilOption = Annotated[
    str | None,
    typer.Option(
        "--until", help="Only records up to this date (2020, 2020-12-31, ...).", metavar="DATE"
    ),
]
SortOption = Annotated[
    str | None,
    typer.Option(
        "--sort",
        help="Order the rows by this field (e.g. country, start); missing values last.",
        metavar="FIELD",
    ),
]

SvgOption = Annotated[
    Path | None,
    typer.Option(
        "--svg",
        help="Also save the table view as an SVG image (Rich's console export) to this file.",
        dir_okay=False,
        metavar="FILE",
    ),
]


def number_parser(low: int, high: int) -> Callable[[str | int], int]:
    """A Typer parser for plain whole numbers from low to high (see tracker.numbers)."""

    def parse(text: str | int) -> int:
        if isinstance(text, int):  # a default value
            return text
        number = plain_number(text, low, high)
        if number is None:
            raise typer.BadParameter(f"{text!r} is not {range_text(low, high)}")
        return number

    return parse


def year_option(help_text: str) -> typer.models.OptionInfo:
    return typer.Option(help=help_text, parser=number_parser(*YEARS), metavar="YEAR")


LimitOption = Annotated[
    int,
    typer.Option(
        parser=number_parser(*LIMITS),
        metavar="N",
        help="Show at most this many results (1 to 1,000,000).",
    ),
]


def value(choice: Enum | None) -> str | None:
    return None if choice is None else str(choice.value)

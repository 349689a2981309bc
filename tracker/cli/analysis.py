"""Report commands: coverage, gaps, timeline and the shareable coverage report.

The *_command functions are the command bodies, free of Typer (tests and a fast
path may call them directly); the Typer functions below only parse options.
"""

from __future__ import annotations

from enum import Enum, StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tracker import commands
from tracker.analysis import EVENT_KINDS
from tracker.cli.common import flowing, run, settings
from tracker.cli.options import (
    DetailFormat,
    Format,
    FormatOption,
    HolderOption,
    MandateOption,
    OneMandateOption,
    SvgOption,
    value,
)
from tracker.dates import DateError, parse

PANEL = "Report"


# A view whose sections differ in shape has no CSV: the formats of `show`.
ViewFormat = DetailFormat


class DocFormat(StrEnum):
    md = "md"
    html = "html"


EventKind = Enum("EventKind", {name: name for name in EVENT_KINDS}, type=str)  # type: ignore[misc]


def register(app: typer.Typer) -> None:
    for command in (coverage, gaps, timeline, report):
        app.command(rich_help_panel=PANEL, help=flowing(command.__doc__))(command)


# --- options -------------------------------------------------------------------


def check_date(text: str | None) -> str | None:
    """Reject a malformed date as a usage error (exit 2) before anything runs."""
    if text is not None:
        try:
            parse(text)
        except DateError as error:
            raise typer.BadParameter(str(error)) from None
    return text


def date_option(flag: str, text: str) -> object:
    return typer.Option(flag, help=text, callback=check_date, metavar="DATE")


ViewFormatOption = Annotated[
    ViewFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
]


# --- commands ------------------------------------------------------------------


def coverage(
    ctx: typer.Context,
    holder: HolderOption = None,
    since: Annotated[
        str | None, date_option("--since", "Only work from this date on (2018, 2018-06, ...).")
    ] = None,
    until: Annotated[
        str | None, date_option("--until", "Only work up to this date (2020, 2020-12-31, ...).")
    ] = None,
    fmt: FormatOption = Format.table,
    svg: SvgOption = None,
    mandate: OneMandateOption = None,
) -> None:
    """Which themes each holder addressed: one row per theme, one column per holder.

    A theme is [bold]addressed[/bold] when a thematic report lists it (draft-declaration
    reports count as thematic), [bold]touched[/bold] when only completed visits or annual,
    overview or visit reports list it, and a [bold]gap[/bold] when nothing does. A report or
    visit counts for the holder its record names.

    Example: tracker coverage --since 2017 --format json
    """
    run(
        lambda: commands.coverage(
            settings(ctx), fmt.value, holder, commands.period(since, until), mandate, svg
        )
    )


def gaps(
    ctx: typer.Context,
    fmt: ViewFormatOption = ViewFormat.table,
    svg: SvgOption = None,
    mandate: OneMandateOption = None,
) -> None:
    """What the mandate left undone, section by section, as far as the data records it.

    The term the latest renewal granted, and whether it ended with no renewal recorded;
    themes not addressed (gap, or only touched), a priority judged in the term of the
    holder who announced it; priorities a holder announced but did not address in the
    term, with the work of earlier and later holders apart; open visit requests, oldest
    first, with stale ones flagged; completed visits per UN regional group against the
    group's share of member States; holders with no completed visit recorded.

    Example: tracker gaps --format json
    """
    run(lambda: commands.gaps(settings(ctx), fmt.value, mandate, svg))


def timeline(
    ctx: typer.Context,
    holder: HolderOption = None,
    from_: Annotated[
        str | None, date_option("--from", "Only events from this date on (2017, 2017-08, ...).")
    ] = None,
    to: Annotated[
        str | None, date_option("--to", "Only events up to this date (2023, 2023-10-31, ...).")
    ] = None,
    kind: Annotated[
        list[EventKind] | None,
        typer.Option("--kind", help="Only events of this kind (repeat for several)."),
    ] = None,
    fmt: FormatOption = Format.table,
    svg: SvgOption = None,
    mandate: MandateOption = None,
) -> None:
    """Every dated event in date order, grouped by holder term on a year axis.

    Events: establishment and renewals (with the vote), holder terms, visits and reports.
    Resolutions and reports link to their UN documents. With several mandates in the store
    and no --mandate, every mandate's events are shown.

    Example: tracker timeline --holder okafor --kind visit --kind report
    """
    kinds = [str(value(k)) for k in kind] if kind else None
    run(
        lambda: commands.timeline(
            settings(ctx), fmt.value, holder, commands.period(from_, to), kinds, mandate, svg
        )
    )


def report(
    ctx: typer.Context,
    fmt: Annotated[
        DocFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Markdown (md) or one self-contained HTML file (html); by default, from the -o "
            "file's extension "
            "(.html, .htm), else md.",
            case_sensitive=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write to this file (default: standard output).",
            dir_okay=False,
            metavar="FILE",
        ),
    ] = None,
    mandate: OneMandateOption = None,
) -> None:
    """Write a coverage report to share: the coverage matrix, the gaps and the timeline.

    The HTML is a single file (inline CSS, the timeline as inline SVG, no scripts or
    network requests) that prints well; the Markdown renders on a code-hosting site.
    In both, document symbols link to the UN documents.

    Example: tracker report --format html -o coverage.html
    """
    chosen = fmt.value if fmt else doc_format_of(output)
    run(lambda: commands.share_report(settings(ctx), chosen, output, mandate))


def doc_format_of(output: Path | None) -> str:
    """The report's format when --format is not given: HTML for a .html or .htm file."""
    if output is not None and output.suffix.lower() in (".html", ".htm"):
        return DocFormat.html.value
    return DocFormat.md.value

"""Query commands: holders, visits, themes, reports, resolutions, show."""

from __future__ import annotations

from typing import Annotated

import typer

from tracker import commands
from tracker.cli import complete
from tracker.cli.common import run, settings
from tracker.cli.options import (
    Body,
    CountryOption,
    DetailFormat,
    Format,
    FormatOption,
    HolderOption,
    MandateOption,
    SinceOption,
    SortOption,
    StatusFilter,
    SvgOption,
    ThemeOption,
    UntilOption,
    value,
    year_option,
)

PANEL = "Query"


def register(app: typer.Typer) -> None:
    for command in (holders, visits, themes, reports, resolutions, show):
        app.command(rich_help_panel=PANEL)(command)


def holders(
    ctx: typer.Context,
    fmt: FormatOption = Format.table,
    mandate: MandateOption = None,
    svg: SvgOption = None,
    sort: SortOption = None,
) -> None:
    """List the mandate holders in term order.

    Example: tracker holders --format json
    """
    run(lambda: commands.holders(settings(ctx), fmt.value, mandate, svg, sort))


def visits(
    ctx: typer.Context,
    holder: HolderOption = None,
    country: CountryOption = None,
    status: Annotated[
        list[StatusFilter] | None,
        typer.Option(
            help="Only visits in this status: requested, invited, accepted, scheduled, "
            "completed, postponed, declined, cancelled, or open (requested, invited, accepted, "
            "scheduled or postponed); repeat for several."
        ),
    ] = None,
    year: Annotated[int | None, year_option("Only visits whose dates touch this year.")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    fmt: FormatOption = Format.table,
    mandate: MandateOption = None,
    svg: SvgOption = None,
    sort: SortOption = None,
) -> None:
    """List country visits and visit requests, oldest first.

    Example: tracker visits --holder okafor --format json
    """
    filters = {
        "holder": holder,
        "country": country,
        "status": [str(value(s)) for s in status] if status else None,
        "year": year,
        "mandate": mandate,
    }
    run(
        lambda: commands.visits(
            settings(ctx), fmt.value, svg=svg, since=since, until=until, sort=sort, **filters
        )
    )


def themes(
    ctx: typer.Context,
    fmt: FormatOption = Format.table,
    mandate: MandateOption = None,
    svg: SvgOption = None,
    sort: SortOption = None,
) -> None:
    """List the thematic priorities and who set them.

    Example: tracker themes --format md
    """
    run(lambda: commands.themes(settings(ctx), fmt.value, mandate, svg, sort))


def reports(
    ctx: typer.Context,
    holder: HolderOption = None,
    theme: ThemeOption = None,
    body: Annotated[
        Body | None,
        typer.Option(help="Only reports to this body: HRC or GA (any case).", case_sensitive=False),
    ] = None,
    year: Annotated[int | None, year_option("Only reports of this year.")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    fmt: FormatOption = Format.table,
    mandate: MandateOption = None,
    svg: SvgOption = None,
    sort: SortOption = None,
) -> None:
    """List reports in the order they were presented.

    Example: tracker reports --theme climate-change
    """
    filters = {
        "holder": holder,
        "theme": theme,
        "body": value(body),
        "year": year,
        "mandate": mandate,
    }
    run(
        lambda: commands.reports(
            settings(ctx), fmt.value, svg=svg, since=since, until=until, sort=sort, **filters
        )
    )


def resolutions(
    ctx: typer.Context,
    fmt: FormatOption = Format.table,
    mandate: MandateOption = None,
    svg: SvgOption = None,
    sort: SortOption = None,
) -> None:
    """List the resolutions that established and renewed the mandate, with their votes.

    Example: tracker resolutions --format json
    """
    run(lambda: commands.resolutions(settings(ctx), fmt.value, mandate, svg, sort))


def show(
    ctx: typer.Context,
    key: Annotated[
        str,
        typer.Argument(
            help="A holder id, theme id, report symbol, visit id, resolution symbol, "
            "or a country (alpha-3, alpha-2 or name).",
            autocompletion=complete.keys,
        ),
    ],
    fmt: Annotated[
        DetailFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = DetailFormat.table,
    svg: SvgOption = None,
) -> None:
    """Show one record and everything related to it.

    Example: tracker show Netherlands
    """
    run(lambda: commands.show(settings(ctx), key, fmt.value, svg))

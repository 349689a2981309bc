"""Data commands: check, sources, sync, db."""

from __future__ import annotations

from typing import Annotated

import typer

from tracker import commands
from tracker.cli.common import flowing, run, settings
from tracker.cli.options import CheckFormat, DetailFormat, Format, FormatOption

PANEL = "Data"


def register(app: typer.Typer) -> None:
    for command in (check, sources, sync, db):
        app.command(rich_help_panel=PANEL, help=flowing(command.__doc__))(command)


def check(
    ctx: typer.Context,
    strict: Annotated[bool, typer.Option(help="Fail on warnings too.")] = False,
    fmt: Annotated[
        CheckFormat, typer.Option("--format", "-f", help="Output format.", case_sensitive=False)
    ] = CheckFormat.text,
) -> None:
    """Validate every data file and list every problem with its file and line.

    Errors exit 1; warnings (e.g. a stale visit, or a source no reader can find) exit 0
    unless --strict.

    Example: tracker check --strict
    """
    run(lambda: commands.check(settings(ctx), strict, fmt.value))


def sources(
    ctx: typer.Context,
    fmt: Annotated[
        DetailFormat,
        typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
    ] = DetailFormat.table,
) -> None:
    """List each source the data cites and the records that rest on it, most used first.

    Also names the records whose only source is a secondary catalogue (a transcription of a
    list of documents, cited as `catalogue: ...`) and those with no source a reader can find.

    Example: tracker sources --format json
    """
    run(lambda: commands.present(commands.sources(settings(ctx)), fmt.value))


def sync(ctx: typer.Context) -> None:
    """Rebuild the store from the data files now (other commands do it when needed).

    Example: tracker sync
    """
    run(lambda: commands.sync(settings(ctx)))


def db(
    ctx: typer.Context,
    fmt: FormatOption = Format.table,
) -> None:
    """Print where the store is and how many rows each table holds.

    Example: tracker db
    """
    run(lambda: commands.db(settings(ctx), fmt.value))

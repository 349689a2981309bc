"""The Typer application: global options and the command groups."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tracker import __version__
from tracker.cli import analysis, data, ecosystem, edit, helptext, query
from tracker.paths import Settings


def show_version(wanted: bool) -> None:
    if wanted:
        typer.echo(f"tracker {__version__}")
        raise typer.Exit()


def options(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data",
            envvar="TRACKER_DATA",
            help="Data folder (default: ./data, else the data shipped with tracker).",
            show_envvar=True,
        ),
    ] = None,
    db_path: Annotated[
        Path | None,
        typer.Option(
            "--db",
            envvar="TRACKER_DB",
            help="Store file (default: tracker.db beside the data).",
            show_envvar=True,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=show_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    ctx.obj = Settings.resolve(data_dir, db_path)


def build() -> typer.Typer:
    """The app, with a command for every kind declared now (tracker/kinds.py)."""
    helptext.install()  # value names, not Python types, in --help
    app = typer.Typer(
        name="tracker",
        help="Country visits, thematic priorities and reports of a UN special procedure: "
        "coverage, gaps and timelines from reviewable TOML files.",
        no_args_is_help=True,
        rich_markup_mode="rich",
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(options)
    # In this order `tracker --help` shows the panels Query, Report, Edit, Data.
    query.register(app)
    analysis.register(app)
    edit.register(app)
    data.register(app)
    ecosystem.register(app)
    return app


app = build()

"""Commands that meet other tools: search (Query), init and datasette-metadata (Data)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tracker.cli import build
from tracker.cli.common import flowing, run, settings
from tracker.cli.table import commands


def register(app: typer.Typer) -> None:
    build.register(app, [commands()["search"]])
    app.command(rich_help_panel="Data", help=INIT_HELP)(init)
    app.command(
        "datasette-metadata", rich_help_panel="Data", help=flowing(datasette_metadata.__doc__)
    )(datasette_metadata)


# Kept out of the docstring so that the one-line example can be longer than a code line.
INIT_HELP = (
    "Create an empty, valid data folder for another mandate.\n\n"
    "Writes mandate.toml (with the \\[\\[mandate]] record), visits.toml and themes.toml, "
    "each with its comment block. Use it with --data FOLDER. Fails if FOLDER already "
    "holds data files.\n\n"
    'Example: tracker init food --mandate food --title "Special Rapporteur on the right to '
    'food" --established 2000-04-17 --established-by E/CN.4/RES/2000/10'
)


def init(
    folder: Annotated[
        Path,
        typer.Argument(
            help="New or empty folder for the data files, or a data folder whose mandates "
            "are in sub-folders (the new one gets its own)."
        ),
    ],
    mandate: Annotated[
        str, typer.Option("--mandate", help="Id of the mandate, e.g. food.", show_default=False)
    ],
    title: Annotated[str, typer.Option(help="Official title of the mandate.")],
    established: Annotated[
        str, typer.Option(help="Date the establishing resolution was adopted (YYYY[-MM[-DD]]).")
    ],
    established_by: Annotated[
        str, typer.Option(help="Symbol of the establishing resolution, e.g. E/CN.4/RES/2000/10.")
    ],
    source: Annotated[
        str | None, typer.Option(help="Where these facts come from (default: --established-by).")
    ] = None,
    note: Annotated[str | None, typer.Option(help="What is unconfirmed, if anything.")] = None,
) -> None:
    from tracker import scaffold

    def body() -> None:
        written = scaffold.init(folder, mandate, title, established, established_by, source, note)
        names = ", ".join(path.name for path in written)
        where = written[0].parent  # the folder, or the mandate's new sub-folder in it
        typer.echo(f"Created {where} for mandate '{mandate}': {names}.")
        typer.echo(
            f"Next: add holders to {where / 'mandate.toml'}, then `tracker --data {folder} check`."
        )

    run(body)


def datasette_metadata(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (default: print).")
    ] = None,
    license_name: Annotated[
        str | None,
        typer.Option("--license", help="License of the data (default: MIT for the shipped data)."),
    ] = None,
    license_url: Annotated[str | None, typer.Option(help="Link to the license text.")] = None,
) -> None:
    """Write the metadata that lets Datasette browse the store: titles, sources, license.

    The store is an ordinary SQLite file with views (visit_detail, report_detail, ...)
    and a full-text index, so `datasette STORE --metadata FILE` opens a usable site.

    Example: tracker datasette-metadata -o metadata.json
    """
    from tracker import datasette_metadata as meta

    run(lambda: meta.command(settings(ctx), output, license_name, license_url))

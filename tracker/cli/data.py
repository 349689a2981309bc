"""Data commands: check, sources, sync, db, import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tracker import commands
from tracker.cli.common import flowing, run, settings
from tracker.cli.options import CheckFormat, DetailFormat, Format, FormatOption

PANEL = "Data"


def register(app: typer.Typer) -> None:
    for command in (check, sources, sync, db):
        app.command(rich_help_panel=PANEL, help=flowing(command.__doc__))(command)
    for importer in (import_uhri, import_communications):
        importer.__doc__ = flowing(importer.__doc__)
    app.add_typer(import_app, name="import", rich_help_panel=PANEL)


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


# --- import -------------------------------------------------------------------------------

import_app = typer.Typer(
    help="Import what the UN publishes: UHRI recommendations, the communications export."
    "\n\nExample: tracker import uhri export-full-en.json --dry-run",
    no_args_is_help=True,
)
DryRunImport = Annotated[
    bool, typer.Option("--dry-run", help="Show the summary and the diff; write nothing.")
]
SkipBad = Annotated[
    bool,
    typer.Option(
        "--skip-bad", help="Import the rows that can be read, listing the others (row number)."
    ),
]
Exported = Annotated[
    str | None,
    typer.Option(
        "--exported",
        metavar="DATE",
        help="The export's date, for each record's source (default: the file's date).",
    ),
]
ExportFile = Annotated[Path, typer.Argument(help="The exported file.")]


@import_app.command("uhri")
def import_uhri(
    ctx: typer.Context,
    file: ExportFile,
    dry_run: DryRunImport = False,
    skip_bad: SkipBad = False,
    exported: Exported = None,
) -> None:
    """Import the recommendations of the mandate's reports from a Universal Human Rights
    Index export (JSON or XLSX, told apart by content) into data/recommendations.toml.

    Keeps the annotations of reports in the data (and lists those of the mandate's reports
    that are not); countries are matched to the UN's names, an unknown name is listed, never
    guessed. Importing the same file again changes nothing. The full JSON export (hundreds of
    megabytes) is read as a stream, with a progress bar on a terminal.

    Example: tracker import uhri export-full-en.json --dry-run
    """
    run(lambda: _import(ctx, "uhri", file, dry_run, skip_bad, exported))


@import_app.command("communications")
def import_communications(
    ctx: typer.Context,
    file: ExportFile,
    dry_run: DryRunImport = False,
    skip_bad: SkipBad = False,
    exported: Exported = None,
) -> None:
    """Import the mandate's letters and their replies from the special procedures'
    communications export (XLSX) into data/communications.toml.

    Keeps the rows whose Mandates name the mandate; the holder is the one in office on the
    letter's date, other mandates that joined it go to joint_with, replies are read from
    every Replies column. Importing the same file again changes nothing.

    Example: tracker import communications communications.xlsx
    """
    run(lambda: _import(ctx, "communications", file, dry_run, skip_bad, exported))


def _import(
    ctx: typer.Context, what: str, file: Path, dry_run: bool, skip_bad: bool, exported: str | None
) -> None:
    from tracker import importer  # only `tracker import` pays for the export readers

    importer.run(settings(ctx), what, file, dry_run, skip_bad, exported)

"""Report commands: coverage, gaps and timeline (from the command table,
tracker/cli/table.py), and the shareable coverage report."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from tracker import commands as bodies
from tracker.cli import build
from tracker.cli.common import flowing, run, settings
from tracker.cli.options import OneMandateOption
from tracker.cli.table import commands

PANEL = "Report"


def document_formats() -> type[StrEnum]:
    """The formats that write the shareable report (tracker/formats/)."""
    from tracker.formats import formats_for

    return StrEnum("DocFormat", {name: name for name in formats_for("document")})  # type: ignore[return-value]


DocFormat: Any = document_formats()


def register(app: typer.Typer) -> None:
    table = commands()
    build.register(app, [table[name] for name in ("coverage", "gaps", "timeline")])
    app.command(rich_help_panel=PANEL, help=flowing(report.__doc__))(report)


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
    """Write a coverage report to share: the coverage matrix, the gaps, what the
    resolutions asked and what answered it, the wider record (engagements,
    communications, the calendar's dates, recorded votes against visits) and the timeline.

    The HTML is a single file (inline CSS, the timeline as inline SVG, no scripts or
    network requests) that prints well; the Markdown renders on a code-hosting site.
    In both, document symbols link to the UN documents.

    Example: tracker report --format html -o coverage.html
    """
    chosen = fmt.value if fmt else doc_format_of(output)
    run(lambda: bodies.write_document(bodies.share_report(settings(ctx), mandate), chosen, output))


def doc_format_of(output: Path | None) -> str:
    """The report's format when --format is not given: HTML for a .html or .htm file."""
    if output is not None and output.suffix.lower() in (".html", ".htm"):
        return DocFormat.html.value
    return DocFormat.md.value

"""The command-line interface: thin glue between argument parsing and tracker.commands."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `tracker` command."""
    from tracker.cli.app import app

    app(args=sys.argv[1:] if argv is None else argv, prog_name="tracker")

"""The command-line interface: thin glue between argument parsing and tracker.commands."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `tracker` command.

    Plain read commands take the fast path (tracker.cli.fast), which skips
    importing Typer; everything else, and anything the fast path is unsure of,
    goes to the Typer app. TRACKER_NO_FAST=1 turns the fast path off.
    """
    args = sys.argv[1:] if argv is None else list(argv)
    if not os.environ.get("TRACKER_NO_FAST"):
        from tracker.cli.fast import try_run

        code = try_run(args)
        if code is not None:
            sys.stdout.flush()
            sys.exit(code)
    from tracker.cli.app import app

    app(args=args, prog_name="tracker")

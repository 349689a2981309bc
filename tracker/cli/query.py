"""Query commands: holders, visits, themes, reports, resolutions, show, and a list of each
declared kind without one; all made from the command table (tracker/cli/table.py)."""

from __future__ import annotations

import typer

from tracker.cli import build
from tracker.cli.table import commands

NAMES = ("holders", "visits", "themes", "reports", "resolutions", "show")


def register(app: typer.Typer) -> None:
    table = commands()
    from tracker.cli.table import COMMANDS

    others = [name for name in table if name not in {c.name for c in COMMANDS}]
    build.register(app, [table[name] for name in (*NAMES, *others)])

"""Helpers every command module uses."""

from __future__ import annotations

from collections.abc import Callable

import typer

from tracker.commands import guarded
from tracker.paths import Settings


def settings(ctx: typer.Context) -> Settings:
    found = ctx.find_root().obj
    assert isinstance(found, Settings)
    return found


def run(action: Callable[[], int | None]) -> None:
    """Run a command body and exit with its status (1 on a TrackerError)."""
    code = guarded(action)
    if code:
        raise typer.Exit(code)

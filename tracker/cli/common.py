"""Helpers every command module uses."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import typer

from tracker.commands import guarded
from tracker.paths import Settings


def settings(ctx: typer.Context) -> Settings:
    found = ctx.find_root().obj
    assert isinstance(found, Settings)
    return found


def flowing(doc: str | None) -> str:
    """A docstring as help text whose paragraphs reflow to the terminal's width.

    With rich_markup_mode="rich", Typer prints a paragraph's source line breaks as they
    are; joining each paragraph's lines lets Rich wrap it instead. Paragraphs (blank
    lines) stay, so the "Example: tracker ..." line stays on its own.
    """
    paragraphs = inspect.cleandoc(doc or "").split("\n\n")
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


def run(action: Callable[[], int | None]) -> None:
    """Run a command body and exit with its status (1 on a TrackerError)."""
    code = guarded(action)
    if code:
        raise typer.Exit(code)

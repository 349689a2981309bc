"""The output formats, a registry: each format is one module of this package with a
RENDERERS table, from the kind of result it draws (tracker/results.py) to a function
that writes it. A format that cannot show a kind of result (CSV and a record's detail)
leaves it out, and the --format choices of each command come from here.

To add a format: a module here with its RENDERERS, and its name and the kinds of result it
draws in FORMATS (kept here so that reading --format needs no format module imported;
tests/test_layers.py checks the two agree).
"""

from __future__ import annotations

import sys
from typing import IO, Any

# delivery: one section per resolution, one row per request (so CSV can list it too).
_LISTS = ("rows", "coverage", "timeline", "matches", "delivery")
_VIEWS = ("detail", "gaps", "sources")
# The formats, in the order --help lists them, and the kinds of result each draws.
FORMATS: dict[str, tuple[str, ...]] = {
    "table": (*_LISTS, *_VIEWS),
    "json": (*_LISTS, *_VIEWS),
    "csv": _LISTS,  # one row per record: no detail, gaps or sources, whose sections differ
    "md": (*_LISTS, *_VIEWS, "document"),
    "html": ("document",),
}


def renderers(name: str) -> dict[str, Any]:
    module = __import__(f"tracker.formats.{name}", fromlist=["RENDERERS"])
    table: dict[str, Any] = module.RENDERERS
    return table


def formats_for(result: str) -> tuple[str, ...]:
    """The formats that draw this kind of result ("rows", "detail", "coverage"...)."""
    return tuple(name for name, draws in FORMATS.items() if result in draws)


def output(result: Any, fmt: str, out: IO[str] | None = None, **options: Any) -> None:
    """Write a command's result in the chosen format (standard output by default)."""
    draw = renderers(fmt)[type(result).__name__.lower()]
    draw(result, out or sys.stdout, **options)

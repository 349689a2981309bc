"""The output formats, a registry: each format is one module of this package with a
RENDERERS table, from the kind of result it draws (tracker/results.py) to a function
that writes it. A format that cannot show a kind of result (CSV and a record's detail)
leaves it out, and the --format choices of each command come from here.

To add a format: a module here with its RENDERERS, and its name in FORMATS.
"""

from __future__ import annotations

import sys
from importlib import import_module
from typing import IO, Any

# The formats, in the order --help lists them.
FORMATS = ("table", "json", "csv", "md", "html")


def renderers(name: str) -> dict[str, Any]:
    module = import_module(f"tracker.formats.{name}")
    table: dict[str, Any] = module.RENDERERS
    return table


def formats_for(result: str) -> tuple[str, ...]:
    """The formats that draw this kind of result ("rows", "detail", "coverage"...)."""
    return tuple(name for name in FORMATS if result in renderers(name))


def output(result: Any, fmt: str, out: IO[str] | None = None, **options: Any) -> None:
    """Write a command's result in the chosen format (standard output by default)."""
    draw = renderers(fmt)[type(result).__name__.lower()]
    draw(result, out or sys.stdout, **options)

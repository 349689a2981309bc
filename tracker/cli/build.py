"""Typer commands made from the command table (tracker/cli/table.py).

Each option of the table becomes a Typer option of the same flags, help, type, choices
and default; the command's body hands the values, by name, to the table's action, as the
fast path does.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from tracker.cli import complete
from tracker.cli.common import flowing, run, settings
from tracker.cli.options import number_parser
from tracker.cli.table import Command, Opt
from tracker.dates import DateError, parse
from tracker.numbers import LIMITS, YEARS


def check_date(text: str | None) -> str | None:
    """Reject a malformed date as a usage error (exit 2) before anything runs."""
    if text is not None:
        try:
            parse(text)
        except DateError as error:
            raise typer.BadParameter(str(error)) from None
    return text


_ENUMS: dict[tuple[str, ...], Any] = {}


def choices_enum(name: str, values: tuple[str, ...]) -> Any:
    """A str Enum of the values, so that --help lists them and Typer checks them."""
    if values not in _ENUMS:
        _ENUMS[values] = Enum(name, {value: value for value in values}, type=str)
    return _ENUMS[values]


def option_parameter(option: Opt) -> inspect.Parameter:
    """The Typer parameter of one option of the table."""
    completion = getattr(complete, option.complete) if option.complete else None
    extra: dict[str, Any] = {"autocompletion": completion} if completion else {}
    default = option.default
    if option.type == "choice":
        kind = choices_enum(option.dest.title(), option.values())
        extra["case_sensitive"] = option.case_sensitive
        value_type: Any = list[kind] | None if option.repeat else kind | None  # type: ignore[valid-type]
        default = kind(default) if default is not None else None
    elif option.type in ("int", "positive"):
        # Plain digits in range, as the fast path reads them (tracker.numbers).
        value_type = int if default is not None else int | None
        extra["parser"] = number_parser(*(YEARS if option.type == "int" else LIMITS))
        # A value name a person reads (see cli/helptext.py): YEAR, N.
        extra.setdefault("metavar", "YEAR" if option.type == "int" else "N")
    elif option.type == "date":
        value_type = str | None
        extra["callback"] = check_date
    elif option.type == "path":
        value_type = Path | None
        extra["dir_okay"] = False
    else:
        value_type = str | None
    if option.metavar:
        extra["metavar"] = option.metavar
    annotation = Annotated[value_type, typer.Option(*option.flags, help=option.help, **extra)]
    return inspect.Parameter(
        option.dest, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default
    )


def plain(value: Any) -> Any:
    """A value as the actions take it: a choice as its text, choices as a list of text."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def typer_command(command: Command) -> Callable[..., None]:
    """The Typer function of a command of the table."""
    parameters = [
        inspect.Parameter(
            argument.dest,
            inspect.Parameter.KEYWORD_ONLY,
            annotation=Annotated[
                str,
                typer.Argument(
                    help=argument.help,
                    **(
                        {"autocompletion": getattr(complete, argument.complete)}
                        if argument.complete
                        else {}
                    ),
                ),
            ],
        )
        for argument in command.arguments
    ]
    parameters += [option_parameter(option) for option in command.options]

    def body(ctx: typer.Context, **values: Any) -> None:
        given = {name: plain(value) for name, value in values.items()}
        run(lambda: command.action(settings(ctx), given))

    def function(**values: Any) -> None:
        body(**values)

    context = inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context)
    function.__signature__ = inspect.Signature([context, *parameters])  # type: ignore[attr-defined]
    function.__annotations__ = {p.name: p.annotation for p in [context, *parameters]}
    function.__name__ = command.name
    function.__doc__ = command.help
    return function


def register(app: typer.Typer, commands: list[Command]) -> None:
    """Add these commands of the table to the app, in their order."""
    for command in commands:
        help_text = flowing(command.help) if command.flowing else None
        app.command(command.name, rich_help_panel=command.panel, help=help_text)(
            typer_command(command)
        )

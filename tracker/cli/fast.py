"""A fast path for the read commands: parse plain, valid arguments without Typer.

Importing Typer (and the pydantic it loads) costs several times Python's own
start-up, more than the whole of a query. Read commands are what people type
most, so when their arguments are simple and valid this module runs them
directly. Anything else (help, completion, a typo, an invalid value, any write)
returns None and the Typer app handles it, with its usual messages. Both read the
same command table (tracker/cli/table.py), so they take the same options and choices;
tests still check that both paths print the same output.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tracker.cli.table import Command, Opt, command_named, commands
from tracker.plain import Plain


def _year(text: str) -> int | None:
    from tracker.numbers import YEARS, plain_number

    return plain_number(text, *YEARS)


def _positive(text: str) -> int | None:
    from tracker.numbers import LIMITS, plain_number

    return plain_number(text, *LIMITS)


def _date(text: str) -> str | None:
    """The text, when it is a date of any precision (2018, 2018-06, 2018-06-30)."""
    from tracker.dates import try_parse

    return text if try_parse(text) else None


class Option(Plain):
    __slots__ = ("choices", "convert", "defer", "dest")

    def __init__(
        self,
        dest: str,
        choices: tuple[str, ...] = (),
        convert: Callable[[str], Any] | None = None,
        # An option the fast path knows but leaves to Typer (e.g. --svg, which needs Rich).
        defer: bool = False,
    ) -> None:
        self.dest, self.choices, self.convert, self.defer = dest, choices, convert, defer

    def parse(self, text: str) -> Any:
        """The option's value, or None when it is not plainly valid."""
        if self.choices:
            return text if text in self.choices else None
        if self.convert:
            return self.convert(text)
        return text


CONVERT: dict[str, Callable[[str], Any]] = {"int": _year, "positive": _positive, "date": _date}


def fast_option(option: Opt) -> Option:
    """The table's option as the fast path reads it: plain, valid values only."""
    if option.type == "choice":
        if callable(option.choices):  # known only when asked (kinds declared later)
            values = option.choices
            return Option(option.dest, convert=lambda text: text if text in values() else None)
        return Option(option.dest, option.choices)
    return Option(option.dest, convert=CONVERT.get(option.type), defer=not option.fast)


def fast_command(command: Command) -> tuple[dict[str, Option], int]:
    """A command of the table as the fast path reads it: its options by flag, and how many
    arguments it takes."""
    options = {flag: fast_option(option) for option in command.options for flag in option.flags}
    return options, len(command.arguments)


def fast_commands() -> dict[str, tuple[dict[str, Option], int]]:
    """fast_command of every command of the table."""
    return {command.name: fast_command(command) for command in commands().values()}


def __getattr__(name: str) -> Any:
    """fast.COMMANDS: the table as it stands (for tests); parse() reads it afresh."""
    if name == "COMMANDS":
        return fast_commands()
    raise AttributeError(name)


GLOBAL_OPTIONS = {"--data": "data", "--db": "db"}


class Parsed(Plain):
    __slots__ = ("command", "globals", "options", "positional")

    def __init__(
        self, command: str, globals: dict[str, str], options: dict[str, Any], positional: list[str]
    ) -> None:
        self.command, self.globals, self.options, self.positional = (
            command,
            globals,
            options,
            positional,
        )


def split_flag(argument: str) -> tuple[str, str | None]:
    if argument.startswith("--") and "=" in argument:
        flag, value = argument.split("=", 1)
        return flag, value
    return argument, None


def read_globals(argv: list[str]) -> tuple[dict[str, str], int] | None:
    """The global options before the command (--data, --db) and where the command starts;
    None when one is not plainly valid."""
    globals_: dict[str, str] = {}
    index = 0
    while index < len(argv) and argv[index].startswith("-"):
        flag, value = split_flag(argv[index])
        if flag not in GLOBAL_OPTIONS:
            return None
        if value is None:
            if index + 1 >= len(argv):
                return None
            value = argv[index + 1]
            index += 1
        if not value:
            return None
        globals_[GLOBAL_OPTIONS[flag]] = value
        index += 1
    return globals_, index


def parse(argv: list[str]) -> Parsed | None:
    """Parse argv when it is a plain, valid read command; otherwise None."""
    start = read_globals(argv)
    if start is None:
        return None
    globals_, index = start
    found = command_named(argv[index]) if index < len(argv) else None
    if found is None:
        return None
    command = found.name
    spec, wanted_positional = fast_command(found)
    options: dict[str, Any] = {}
    positional: list[str] = []
    rest = argv[index + 1 :]
    position = 0
    while position < len(rest):
        argument = rest[position]
        if argument == "--" or (argument.startswith("-") and argument != "-"):
            flag, value = split_flag(argument)
            option = spec.get(flag)
            if option is None or option.defer or option.dest in options:
                return None
            if value is None:
                if position + 1 >= len(rest):
                    return None
                value = rest[position + 1]
                position += 1
            parsed = option.parse(value)
            if parsed is None or parsed == "":
                return None
            options[option.dest] = parsed
        else:
            positional.append(argument)
        position += 1
    if len(positional) != wanted_positional:
        return None
    return Parsed(command, globals_, options, positional)


def run(parsed: Parsed) -> int:
    """Run a parsed read command with its table's action, and return its exit status."""
    from tracker import commands as bodies
    from tracker.paths import Settings

    settings = Settings.resolve(parsed.globals.get("data"), parsed.globals.get("db"))
    command = command_named(parsed.command)
    assert command is not None  # parse() found it
    values = values_of(command, parsed)
    return bodies.guarded(lambda: command.action(settings, values))


def values_of(command: Command, parsed: Parsed) -> dict[str, Any]:
    """Every value the action takes, as the Typer path gives them: defaults for the options
    not given, a repeatable option as a list."""
    values: dict[str, Any] = {option.dest: option.default for option in command.options}
    for option in command.options:
        if option.dest in parsed.options:
            given = parsed.options[option.dest]
            values[option.dest] = [given] if option.repeat else given
    for argument, text in zip(command.arguments, parsed.positional, strict=True):
        values[argument.dest] = text
    return values


def try_run(argv: list[str]) -> int | None:
    """The exit status if argv was handled here, or None to hand it to Typer."""
    parsed = parse(argv)
    return None if parsed is None else run(parsed)

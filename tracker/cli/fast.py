"""A fast path for the read commands: parse plain, valid arguments without Typer.

Importing Typer (and the pydantic it loads) costs several times Python's own
start-up, more than the whole of a query. Read commands are what people type
most, so when their arguments are simple and valid this module runs them
directly. Anything else (help, completion, a typo, an invalid value, any write)
returns None and the Typer app handles it, with its usual messages. The Typer
definitions stay the reference: tests check that both paths accept the same
options and print the same output.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from tracker.constants import EVENT_KINDS, REPORT_BODIES, SEARCH_KINDS, VISIT_STATUSES

FORMATS = ("table", "json", "csv", "md")
DETAIL_FORMATS = ("table", "json", "md")


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


class Option(NamedTuple):
    dest: str
    choices: tuple[str, ...] = ()
    convert: Callable[[str], Any] | None = None
    # An option the fast path knows but leaves to Typer (e.g. --svg, which needs Rich anyway).
    defer: bool = False

    def parse(self, text: str) -> Any:
        """The option's value, or None when it is not plainly valid."""
        if self.choices:
            return text if text in self.choices else None
        if self.convert:
            return self.convert(text)
        return text


FORMAT = Option("fmt", FORMATS)
SORT = Option("sort")
SINCE = Option("since", convert=_date)
UNTIL = Option("until", convert=_date)
MANDATE = Option("mandate")
HOLDER = Option("holder")
YEAR = Option("year", convert=_year)
SVG = Option("svg", defer=True)
VIEW_FORMAT = Option("fmt", DETAIL_FORMATS)  # views whose sections differ in shape: no CSV

# Per command: its options by flag, and how many positional arguments it takes.
COMMANDS: dict[str, tuple[dict[str, Option], int]] = {
    "holders": (
        {"--format": FORMAT, "-f": FORMAT, "--mandate": MANDATE, "--svg": SVG, "--sort": SORT},
        0,
    ),
    "themes": (
        {"--format": FORMAT, "-f": FORMAT, "--mandate": MANDATE, "--svg": SVG, "--sort": SORT},
        0,
    ),
    "resolutions": (
        {"--format": FORMAT, "-f": FORMAT, "--mandate": MANDATE, "--svg": SVG, "--sort": SORT},
        0,
    ),
    "visits": (
        {
            "--holder": HOLDER,
            "--country": Option("country"),
            "--status": Option("status", VISIT_STATUSES),  # repeated or `open`: to Typer
            "--year": YEAR,
            "--since": SINCE,
            "--until": UNTIL,
            "--format": FORMAT,
            "-f": FORMAT,
            "--mandate": MANDATE,
            "--svg": SVG,
            "--sort": SORT,
        },
        0,
    ),
    "reports": (
        {
            "--holder": HOLDER,
            "--theme": Option("theme"),
            "--body": Option("body", REPORT_BODIES),
            "--year": YEAR,
            "--since": SINCE,
            "--until": UNTIL,
            "--format": FORMAT,
            "-f": FORMAT,
            "--mandate": MANDATE,
            "--svg": SVG,
            "--sort": SORT,
        },
        0,
    ),
    "show": (
        {
            "--format": Option("fmt", DETAIL_FORMATS),
            "-f": Option("fmt", DETAIL_FORMATS),
            "--svg": SVG,
        },
        1,
    ),
}
COMMANDS.update(
    {
        "coverage": (
            {
                "--holder": HOLDER,
                "--since": Option("since", convert=_date),
                "--until": Option("until", convert=_date),
                "--format": FORMAT,
                "-f": FORMAT,
                "--svg": SVG,
                "--mandate": MANDATE,
            },
            0,
        ),
        "gaps": (
            {"--format": VIEW_FORMAT, "-f": VIEW_FORMAT, "--svg": SVG, "--mandate": MANDATE},
            0,
        ),
        "timeline": (
            {
                "--holder": HOLDER,
                "--from": Option("since", convert=_date),
                "--to": Option("until", convert=_date),
                "--kind": Option("kind", EVENT_KINDS),  # repeated --kind goes to Typer
                "--format": FORMAT,
                "-f": FORMAT,
                "--svg": SVG,
                "--mandate": MANDATE,
            },
            0,
        ),
        "search": (
            {
                "--kind": Option("kind", SEARCH_KINDS),
                "--limit": Option("limit", convert=_positive),
                "--format": FORMAT,
                "-f": FORMAT,
                "--mandate": MANDATE,
                "--svg": SVG,
            },
            1,
        ),
    }
)
GLOBAL_OPTIONS = {"--data": "data", "--db": "db"}


class Parsed(NamedTuple):
    command: str
    globals: dict[str, str]
    options: dict[str, Any]
    positional: list[str]


def _split(argument: str) -> tuple[str, str | None]:
    if argument.startswith("--") and "=" in argument:
        flag, value = argument.split("=", 1)
        return flag, value
    return argument, None


def parse(argv: list[str]) -> Parsed | None:
    """Parse argv when it is a plain, valid read command; otherwise None."""
    globals_: dict[str, str] = {}
    index = 0
    while index < len(argv) and argv[index].startswith("-"):
        flag, value = _split(argv[index])
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
    if index >= len(argv) or argv[index] not in COMMANDS:
        return None
    command = argv[index]
    spec, wanted_positional = COMMANDS[command]
    options: dict[str, Any] = {}
    positional: list[str] = []
    rest = argv[index + 1 :]
    position = 0
    while position < len(rest):
        argument = rest[position]
        if argument == "--" or (argument.startswith("-") and argument != "-"):
            flag, value = _split(argument)
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
    """Run a parsed read command and return its exit status."""
    from tracker import commands
    from tracker.paths import Settings

    settings = Settings.resolve(parsed.globals.get("data"), parsed.globals.get("db"))
    options = dict(parsed.options)
    fmt = options.pop("fmt", "table")
    action = ACTIONS.get(parsed.command)
    if action is None:
        simple = getattr(commands, parsed.command)
        return commands.guarded(lambda: simple(settings, fmt, **options))
    return commands.guarded(lambda: action(settings, fmt, parsed.positional, options))


def _show(settings: Any, fmt: str, positional: list[str], options: dict[str, Any]) -> None:
    from tracker import commands

    commands.show(settings, positional[0], fmt)


def _coverage(settings: Any, fmt: str, positional: list[str], options: dict[str, Any]) -> None:
    from tracker import commands

    period = commands.period(options.get("since"), options.get("until"))
    commands.coverage(settings, fmt, options.get("holder"), period, options.get("mandate"))


def _gaps(settings: Any, fmt: str, positional: list[str], options: dict[str, Any]) -> None:
    from tracker import commands

    commands.gaps(settings, fmt, options.get("mandate"))


def _timeline(settings: Any, fmt: str, positional: list[str], options: dict[str, Any]) -> None:
    from tracker import commands

    period = commands.period(options.get("since"), options.get("until"))
    kinds = [options["kind"]] if "kind" in options else None
    commands.timeline(settings, fmt, options.get("holder"), period, kinds, options.get("mandate"))


def _search(settings: Any, fmt: str, positional: list[str], options: dict[str, Any]) -> None:
    from tracker import search

    limit = options.get("limit", 20)
    search.command(settings, positional[0], fmt, options.get("mandate"), options.get("kind"), limit)


# Commands whose body takes more than (settings, format, **options).
ACTIONS: dict[str, Callable[[Any, str, list[str], dict[str, Any]], None]] = {
    "show": _show,
    "coverage": _coverage,
    "gaps": _gaps,
    "timeline": _timeline,
    "search": _search,
}


def try_run(argv: list[str]) -> int | None:
    """The exit status if argv was handled here, or None to hand it to Typer."""
    parsed = parse(argv)
    return None if parsed is None else run(parsed)

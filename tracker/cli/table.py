"""The read commands, declared once: name, help, example, panel, arguments and options
(flags, help, type, choices, default, completion), and the action that runs them.

Both command-line paths are built from this table, so they cannot disagree: the Typer
app (tracker/cli/build.py turns each entry into a Typer command, with its --help) and
the fast path (tracker/cli/fast.py parses plain, valid arguments with it, without
importing Typer). An action takes the settings and the values by name, as both paths
give them: choices as their text, dates checked, --kind of timeline as a list.

Plain classes (tracker/plain.py), so that the fast path pays little to import this.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tracker.constants import EVENT_KINDS, REPORT_BODIES, VISIT_STATUSES
from tracker.plain import Plain


def formats_of(result: str) -> Callable[[], tuple[str, ...]]:
    """The --format choices of a command: the formats that draw its kind of result
    (tracker/formats/), read when they are needed."""

    def choices() -> tuple[str, ...]:
        from tracker.formats import formats_for

        return formats_for(result)

    return choices


class Opt(Plain):
    """One option of a command."""

    __slots__ = (
        "case_sensitive",
        "choices",
        "complete",
        "default",
        "dest",
        "fast",
        "flags",
        "help",
        "metavar",
        "repeat",
        "type",
    )

    def __init__(
        self,
        flags: tuple[str, ...],
        # The name its value goes by (the action's key, Typer's parameter name).
        dest: str,
        help: str,
        # text, int, positive (a whole number from 1), date (any precision), choice, path
        type: str = "text",
        # The values a choice takes: a tuple, or a function giving them (kinds declared
        # later).
        choices: tuple[str, ...] | Callable[[], tuple[str, ...]] = (),
        default: Any = None,
        case_sensitive: bool = True,
        # The completion function's name in tracker/cli/complete.py.
        complete: str = "",
        # Given several times, it makes a list (the fast path leaves that to Typer).
        repeat: bool = False,
        # Known to the fast path but left to Typer (--svg needs Rich anyway).
        fast: bool = True,
        metavar: str = "",
    ) -> None:
        self.flags, self.dest, self.help, self.type = flags, dest, help, type
        self.choices, self.default, self.case_sensitive = choices, default, case_sensitive
        self.complete, self.repeat, self.fast, self.metavar = complete, repeat, fast, metavar

    def values(self) -> tuple[str, ...]:
        return self.choices() if callable(self.choices) else self.choices


class Arg(Plain):
    """A positional argument."""

    __slots__ = ("complete", "dest", "help")

    def __init__(self, dest: str, help: str, complete: str = "") -> None:
        self.dest, self.help, self.complete = dest, help, complete


class Command(Plain):
    __slots__ = ("action", "arguments", "flowing", "help", "name", "options", "panel")

    def __init__(
        self,
        name: str,
        # The help: a summary line, paragraphs, then "Example: ...".
        help: str,
        panel: str,
        options: tuple[Opt, ...],
        action: Callable[[Any, dict[str, Any]], int | None],
        arguments: tuple[Arg, ...] = (),
        # Help written with blank lines between paragraphs that Rich should reflow.
        flowing: bool = False,
    ) -> None:
        self.name, self.help, self.panel, self.options = name, help, panel, options
        self.action, self.arguments, self.flowing = action, arguments, flowing


# --- the options several commands share ---------------------------------------------

FORMAT = Opt(
    ("--format", "-f"),
    "fmt",
    "Output format.",
    "choice",
    formats_of("rows"),
    "table",
    case_sensitive=False,
)


def format_for(result: str) -> Opt:
    """--format of a command whose result is of this kind."""
    return FORMAT._replace(choices=formats_of(result))


MANDATE = Opt(
    ("--mandate",),
    "mandate",
    "Only this mandate (id); the default is the only mandate, or every mandate.",
    complete="mandates",
)
# For views of one mandate (coverage, gaps): its columns are one mandate's holders.
ONE_MANDATE = MANDATE._replace(help="The mandate (id); needed only when the store holds several.")
HOLDER = Opt(("--holder",), "holder", "Holder id, e.g. okafor.", complete="holders")
COUNTRY = Opt(
    ("--country",),
    "country",
    "Country: alpha-3, alpha-2 or UN name, e.g. Qatar.",
    complete="countries",
)
SVG = Opt(
    ("--svg",),
    "svg",
    "Also save the table view as an SVG image (Rich's console export) to this file.",
    "path",
    fast=False,
    metavar="FILE",
)


def _searched_kinds() -> tuple[str, ...]:
    from tracker.kinds import searched_kinds

    return searched_kinds()


# Lists: a window of dates and an order (issue 15).
SINCE = Opt(
    ("--since",),
    "since",
    "Only records from this date on (2018, 2018-06, ...).",
    "date",
    metavar="DATE",
)
UNTIL = Opt(
    ("--until",),
    "until",
    "Only records up to this date (2020, 2020-12-31, ...).",
    "date",
    metavar="DATE",
)
SORT = Opt(
    ("--sort",),
    "sort",
    "Order the rows by this field (e.g. country, start); missing values last.",
    metavar="FIELD",
)
STATUS = Opt(
    ("--status",),
    "status",
    "Only visits in this status: requested, invited, accepted, scheduled, completed, "
    "postponed, declined, cancelled, or open (requested, invited, accepted, scheduled or "
    "postponed); repeat for several.",
    "choice",
    (*VISIT_STATUSES, "open"),
    repeat=True,
    metavar="STATUS",
)


# --- actions: what each command does with its values ----------------------------------


def _present(command: str, make: Callable[[Any, dict[str, Any]], Any]) -> Any:
    """An action: the command's result (tracker/commands.py), in the chosen format."""

    def action(settings: Any, v: dict[str, Any]) -> None:
        from tracker import commands

        commands.present(make(settings, v), v["fmt"], v.get("svg"), command)

    return action


def _holders(settings: Any, v: dict[str, Any]) -> Any:
    from tracker import commands

    return commands.holders(settings, v["mandate"], v.get("sort"))


def _themes(settings: Any, v: dict[str, Any]) -> Any:
    from tracker import commands

    return commands.themes(settings, v["mandate"], v.get("sort"))


def _resolutions(settings: Any, v: dict[str, Any]) -> Any:
    from tracker import commands

    return commands.resolutions(settings, v["mandate"], v.get("sort"))


def _visits(settings: Any, v: dict[str, Any]) -> Any:
    from tracker import commands

    window = {k: v.get(k) for k in ("since", "until", "sort")}
    return commands.visits(
        settings, **window, **{k: v[k] for k in ("holder", "country", "status", "year", "mandate")}
    )


def _reports(settings: Any, v: dict[str, Any]) -> Any:
    from tracker import commands

    window = {k: v.get(k) for k in ("since", "until", "sort")}
    return commands.reports(
        settings, **window, **{k: v[k] for k in ("holder", "theme", "body", "year", "mandate")}
    )


def _show(settings: Any, v: dict[str, Any]) -> Any:
    from tracker import commands

    return commands.show(settings, v["key"])


def _coverage(settings: Any, v: dict[str, Any]) -> Any:
    from tracker import commands

    return commands.coverage(settings, v["holder"], v["since"], v["until"], v["mandate"])


def _gaps(settings: Any, v: dict[str, Any]) -> Any:
    from tracker import commands

    return commands.gaps(settings, v["mandate"])


def _timeline(settings: Any, v: dict[str, Any]) -> Any:
    from tracker import commands

    kinds = v["kind"] or None
    return commands.timeline(settings, v["holder"], v["since"], v["until"], kinds, v["mandate"])


def _search(settings: Any, v: dict[str, Any]) -> Any:
    from tracker import commands

    return commands.search(settings, v["text"], v["mandate"], v["kind"], v["limit"])


def _delivery(settings: Any, v: dict[str, Any]) -> Any:
    from tracker import commands

    return commands.delivery(settings, v["mandate"])


def _votes(settings: Any, v: dict[str, Any]) -> Any:
    from tracker import commands

    return commands.votes(settings, v["mandate"])


def _calendar(settings: Any, v: dict[str, Any]) -> None:
    """Not a view in a format: the iCalendar file itself."""
    from pathlib import Path

    from tracker import commands

    output = Path(v["output"]) if v["output"] else None
    commands.calendar(settings, output, v["mandate"])


def _records(kind: str) -> Callable[[Any, dict[str, Any]], Any]:
    def make(settings: Any, v: dict[str, Any]) -> Any:
        from tracker import commands

        filters = {k: value for k, value in v.items() if k not in ("fmt", "svg")}
        return commands.records(settings, kind, filters)

    return make


# --- the table ---------------------------------------------------------------------------

QUERY, REPORT = "Query", "Report"

COMMANDS: tuple[Command, ...] = (
    Command(
        "holders",
        "List the mandate holders in term order.\n\nExample: tracker holders --format json",
        QUERY,
        (FORMAT, MANDATE, SVG, SORT),
        _present("holders", _holders),
    ),
    Command(
        "visits",
        "List country visits and visit requests, oldest first.\n\n"
        "Example: tracker visits --holder okafor --format json",
        QUERY,
        (
            HOLDER,
            COUNTRY,
            STATUS,
            Opt(("--year",), "year", "Only visits whose dates touch this year.", "int"),
            SINCE,
            UNTIL,
            FORMAT,
            MANDATE,
            SVG,
            SORT,
        ),
        _present("visits", _visits),
    ),
    Command(
        "themes",
        "List the thematic priorities and who set them.\n\nExample: tracker themes --format md",
        QUERY,
        (FORMAT, MANDATE, SVG, SORT),
        _present("themes", _themes),
    ),
    Command(
        "reports",
        "List reports in the order they were presented.\n\n"
        "Example: tracker reports --theme climate-change",
        QUERY,
        (
            HOLDER,
            Opt(
                ("--theme",),
                "theme",
                "Only reports addressing this theme id.",
                complete="themes",
            ),
            Opt(
                ("--body",),
                "body",
                "Only reports to this body: HRC or GA (any case).",
                "choice",
                REPORT_BODIES,
                case_sensitive=False,
            ),
            Opt(("--year",), "year", "Only reports of this year.", "int"),
            SINCE,
            UNTIL,
            FORMAT,
            MANDATE,
            SVG,
            SORT,
        ),
        _present("reports", _reports),
    ),
    Command(
        "resolutions",
        "List the resolutions that established and renewed the mandate, with their votes.\n\n"
        "Example: tracker resolutions --format json",
        QUERY,
        (FORMAT, MANDATE, SVG, SORT),
        _present("resolutions", _resolutions),
    ),
    Command(
        "show",
        "Show one record and everything related to it.\n\nExample: tracker show Netherlands",
        QUERY,
        (format_for("detail"), SVG),
        _present("show", _show),
        arguments=(
            Arg(
                "key",
                "A holder id, theme id, report symbol, visit id, resolution symbol, "
                "or a country (alpha-3, alpha-2 or name).",
                complete="keys",
            ),
        ),
    ),
    Command(
        "coverage",
        """Which themes each holder addressed: one row per theme, one column per holder.

        A theme is [bold]addressed[/bold] when a thematic report lists it (draft-declaration
        reports count as thematic), [bold]touched[/bold] when only completed visits, engagements,
        communications or annual, overview or visit reports list it, and a [bold]gap[/bold] when
        nothing does. A report, visit, engagement or communication counts for the holder its
        record names.

        Example: tracker coverage --since 2017 --format json
        """,
        REPORT,
        (
            HOLDER,
            Opt(
                ("--since",),
                "since",
                "Only work from this date on (2018, 2018-06, ...).",
                "date",
                metavar="DATE",
            ),
            Opt(
                ("--until",),
                "until",
                "Only work up to this date (2020, 2020-12-31, ...).",
                "date",
                metavar="DATE",
            ),
            format_for("coverage"),
            SVG,
            ONE_MANDATE,
        ),
        _present("coverage", _coverage),
        flowing=True,
    ),
    Command(
        "gaps",
        """What the mandate left undone, section by section, as far as the data records it.

        The term the latest renewal granted, and whether it ended with no renewal recorded;
        themes not addressed (gap, or only touched), a priority judged in the term of the
        holder who announced it; priorities a holder announced but did not address in the
        term, with the work of earlier and later holders apart; open visit requests, oldest
        first, with stale ones flagged; completed visits per UN regional group against the
        group's share of member States; holders with no completed visit recorded.
        The wider record: States with a standing invitation never visited, and open
        requests to them; communications with no reply recorded after 60 days; years of a
        holder's term with no engagement recorded.

        Example: tracker gaps --format json
        """,
        REPORT,
        (format_for("gaps"), SVG, ONE_MANDATE),
        _present("gaps", _gaps),
        flowing=True,
    ),
    Command(
        "timeline",
        """Every dated event in date order, grouped by holder term on a year axis.

        Events: establishment and renewals (with the vote), holder terms, visits, reports,
        engagements and communications.
        Resolutions and reports link to their UN documents. With several mandates in the store
        and no --mandate, every mandate's events are shown.

        Example: tracker timeline --holder okafor --kind visit --kind report
        """,
        REPORT,
        (
            HOLDER,
            Opt(
                ("--from",),
                "since",
                "Only events from this date on (2017, 2017-08, ...).",
                "date",
                metavar="DATE",
            ),
            Opt(
                ("--to",),
                "until",
                "Only events up to this date (2023, 2023-10-31, ...).",
                "date",
                metavar="DATE",
            ),
            Opt(
                ("--kind",),
                "kind",
                "Only events of this kind (repeat for several).",
                "choice",
                EVENT_KINDS,
                repeat=True,
            ),
            format_for("timeline"),
            SVG,
            MANDATE,
        ),
        _present("timeline", _timeline),
        flowing=True,
    ),
    Command(
        "search",
        """Full-text search of reports, visits, themes, holders and resolutions,
        best match first.

        Every word must match (stemmed: "visits" finds "visit"); "two words" match as a
        phrase; a OR b matches either; NOT a excludes; word* matches a prefix. A UN document
        symbol such as A/HRC/44/44 finds its record first. Any other character is just text.

        Example: tracker search "climate change" --kind report
        """,
        QUERY,
        (
            Opt(
                ("--kind",),
                "kind",
                "Only records of this kind.",
                "choice",
                _searched_kinds,
                case_sensitive=False,
            ),
            Opt(
                ("--limit",),
                "limit",
                "Show at most this many results (1 to 1,000,000).",
                "positive",
                default=20,
            ),
            format_for("matches"),
            MANDATE,
            SVG,
        ),
        _present("search", _search),
        arguments=(Arg("text", "Words to look for; see below for the syntax."),),
        flowing=True,
    ),
)


# The mandate's wider record (tracker/record_queries.py).
RECORD_COMMANDS: tuple[Command, ...] = (
    Command(
        "delivery",
        """Did the mandate do what each resolution asked of it, term by term?

        For each resolution with recorded requests: its term (from adoption for term_years;
        it answers for the term_years calendar years after the adoption year) and each
        request with the records that answer it: reports to the HRC or the GA by year,
        engagements for forums and consultations, completed visits. Verdicts: met, partly
        met, in progress, not recorded, not judged (the rules: docs/analysis.md).

        Example: tracker delivery --format md
        """,
        REPORT,
        (format_for("delivery"), ONE_MANDATE),
        _present("delivery", _delivery),
        flowing=True,
    ),
    Command(
        "votes",
        "Each State on a recorded vote list, with its regional group and the mandate's "
        "completed visits to it.\n\nExample: tracker votes --format csv",
        REPORT,
        (FORMAT, MANDATE, SVG),
        _present("votes", _votes),
    ),
    Command(
        "calendar",
        """Write an iCalendar (RFC 5545) file of the mandate's coming dates.

        Visits accepted or scheduled, engagements that end today or later, and the day the
        mandate's current term ends (its renewal date); each event carries the record's id
        and a link to its source.

        Example: tracker calendar -o mandate.ics
        """,
        REPORT,
        (
            Opt(
                ("--output", "-o"),
                "output",
                "Write to this file (default: standard output).",
                "path",
                metavar="FILE",
            ),
            MANDATE,
        ),
        _calendar,
        flowing=True,
    ),
)


def kind_command(kind: str) -> Command:
    """The list command of a declared kind without a command of its own: its plural, with
    --holder, --country, one option per choice field and --year, as its fields allow."""
    from tracker.kinds import KINDS

    spec = KINDS[kind]
    options: list[Opt] = []
    if any(f.refers_to == "holder" for f in spec.fields):
        options.append(HOLDER)
    if any(f.type == "iso3" for f in spec.fields):
        options.append(COUNTRY)
    for field in spec.fields:
        if field.type == "enum":
            help_text = f"Only {spec.plural} with this {field.name}."
            options.append(
                Opt((f"--{field.name}",), field.name, help_text, "choice", field.choices)
            )
    if any(f.type == "date" for f in spec.fields):
        options.append(Opt(("--year",), "year", f"Only {spec.plural} of this year.", "int"))
        for flag, dest, text in (
            ("--since", "since", "from this date on (2018, 2018-06, ...)"),
            ("--until", "until", "up to this date (2020, 2020-12-31, ...)"),
        ):
            help_text = f"Only {spec.plural} {text}."
            options.append(Opt((flag,), dest, help_text, "date", metavar="DATE"))
    options += [SORT, FORMAT, MANDATE]
    help_text = f"List the {spec.title.lower()}.\n\nExample: tracker {spec.plural} --format json"
    return Command(
        spec.plural, help_text, QUERY, tuple(options), _present(spec.plural, _records(kind))
    )


def commands() -> dict[str, Command]:
    """Every command of the table, and a list command of each declared kind without one."""
    from tracker.kinds import BUILT_IN, KINDS

    table = {command.name: command for command in (*COMMANDS, *RECORD_COMMANDS)}
    for kind, spec in KINDS.items():
        if kind not in BUILT_IN and spec.plural not in table:
            table[spec.plural] = kind_command(kind)
    return table


def command_named(name: str) -> Command | None:
    """The command called `name`: from the table itself when it is there, so that the fast
    path of a built-in command reads no kind declarations; else a declared kind's list."""
    for command in (*COMMANDS, *RECORD_COMMANDS):
        if command.name == name:
            return command
    return commands().get(name)

"""The write commands' bodies (add, update, link, unlink, remove), and a fast path that runs
plain, valid writes without importing Typer.

Typer 0.29 and the pydantic it imports cost about 130 ms before a command starts: more
than a write of one record costs now that a write follows the record, not the data
(docs/performance.md). So, as for reads (tracker/cli/fast.py), a write whose arguments
are plainly valid runs here; anything else (--help, a typo, a value Typer would convert
or refuse, a vote option, a missing value at a terminal) goes to the Typer app, which
stays the reference for messages.

Both paths are built from one declaration: `write_options` gives the options of
`add KIND` and `update KIND` from the kind's fields (tracker/kinds.py), and
tracker/cli/edit.py builds the Typer commands and their --help from that same list; both
run the bodies below. tests/test_fast_writes.py runs writes both ways and compares the
files, the output and the exit status. TRACKER_NO_FAST=1 turns the fast path off.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from tracker.constants import VOTE_CHOICES
from tracker.paths import Settings

WRITE_COMMANDS = ("add", "update", "link", "unlink", "remove")


# --- the bodies, which both paths run --------------------------------------------------


def option_values(kind: str, values: dict[str, Any]) -> dict[str, Any]:
    """The command's values keyed by field name (list options are named in the singular;
    a choice may come as Typer's Enum member or as its text)."""
    from tracker.edit import LIST_OPTION
    from tracker.kinds import KINDS

    raw = {}
    for spec in KINDS[kind].fields:
        value = values.get(spec.name)
        raw[spec.name] = getattr(value, "value", value)
    for name, singular in LIST_OPTION.items():
        if singular in values:
            raw[name] = values[singular]
    return raw


def vote_values(values: dict[str, Any]) -> dict[str, Any]:
    from tracker.edit import convert_vote

    return convert_vote({c: values.get(f"vote_{c}") or [] for c in VOTE_CHOICES})


def status_change(values: dict[str, Any]) -> Any:
    from tracker.dates import DateError, parse
    from tracker.edit import OptionError, StatusChange

    date = values.get("status_date")
    try:
        when = parse(date.strip()).toml_value() if date else None
    except DateError as error:
        raise OptionError(f"--status-date: {error}") from None
    return StatusChange(when, values.get("status_note"))


def add_record(
    config: Settings,
    kind: str,
    values: dict[str, Any],
    interactive: bool,
    ask: Callable[[str, str, Any], Any],
) -> None:
    """Add a record from the command's values; missing required values are asked for
    (`ask`) when `interactive`, and are an error otherwise."""
    from tracker import edit, layout, sources, writer
    from tracker.kinds import KINDS

    record_values = edit.from_options(kind, option_values(kind, values))
    if KINDS[kind].field("vote"):
        vote = vote_values(values)
        if vote:
            record_values["vote"] = vote
    if "mandate" in edit.missing_required(kind, record_values) and config.data_dir.is_dir():
        # Mandates are all in mandate.toml: the other files need not be read.
        files = layout.files_of_kind(config.data_dir, "mandate")
        mandates = sources.load(config.data_dir, with_positions=False, files=files)
        mandate = edit.default_mandate(mandates[0])
        if mandate:
            record_values["mandate"] = mandate
    missing = edit.missing_required(kind, record_values)
    if missing and not interactive:
        names = ", ".join(edit.option_name(name) for name in missing)
        raise edit.OptionError(
            f"missing {names} (stdin is not a terminal, so tracker does not ask)"
        )
    for name in missing:
        record_values[name] = ask(kind, name, config.data_dir)
    status = status_change(values) if kind == "visit" else None
    record, outcome = writer.transaction(
        config,
        lambda dataset: edit.add(dataset, kind, record_values, status),
        dry_run=values["dry_run"],
        on_wait=waiting,
        touches=[KINDS[kind].file],
        one_record=True,
    )
    report(outcome, f"Added {kind} '{record.key}' to {record.file}.")


def update_record(config: Settings, kind: str, values: dict[str, Any]) -> None:
    """Change fields of a record; `values["clear"]`: the names of the fields to remove."""
    from tracker import edit, writer
    from tracker.kinds import KINDS

    record_values = edit.from_options(kind, option_values(kind, values))
    if KINDS[kind].field("vote"):
        vote = vote_values(values)
        if vote:
            record_values["vote"] = vote
    clear = [getattr(c, "value", c) for c in values.get("clear") or []]
    status_given = values.get("status_date") or values.get("status_note")
    if not record_values and not clear and not status_given:
        raise edit.OptionError("nothing to change: give at least one field option or --clear")
    status = status_change(values) if kind == "visit" else None
    updated, outcome = writer.transaction(
        config,
        lambda dataset: edit.update(dataset, kind, values["key"], record_values, clear, status),
        dry_run=values["dry_run"],
        on_wait=waiting,
        touches=[KINDS[kind].file],
        one_record=True,
    )
    record = updated.record
    what = ", ".join(updated.changed)
    # Nothing changed: only "Nothing to change", not "Updated ...: nothing." before it.
    message = f"Updated {kind} '{record.key}' in {record.file}: {what}." if what else ""
    if what and updated.references_renamed:
        message += f" Renamed {updated.references_renamed} reference(s) to it."
    report(outcome, message)


def link_themes(
    config: Settings, key: str, themes: list[str], dry_run: bool, linking: bool
) -> None:
    from tracker import edit, writer

    action = edit.link if linking else edit.unlink
    (record, done), outcome = writer.transaction(
        config,
        lambda dataset: action(dataset, key, themes),
        dry_run,
        on_wait=waiting,
        one_record=True,
    )
    others = [t for t in themes if t not in done]
    if linking:
        message = f"Linked {record.kind} '{record.key}' to {', '.join(done)}." if done else ""
        if others:
            message += f" Already linked: {', '.join(others)}."
    else:
        message = f"Unlinked {', '.join(done)} from {record.kind} '{record.key}'." if done else ""
        if others:
            message += f" Not linked: {', '.join(others)}."
    report(outcome, message.strip())


def remove_record(config: Settings, kind: str, key: str, cascade: bool, dry_run: bool) -> None:
    from tracker import edit, writer
    from tracker.kinds import KINDS

    effects, outcome = writer.transaction(
        config,
        lambda dataset: edit.remove(dataset, kind, key, cascade),
        dry_run,
        on_wait=waiting,
        touches=[KINDS[kind].file],  # a cascade may reach other files too
        one_record=True,
    )
    main, *also = [effect.describe() for effect in effects]
    rest = f" Also: {'; '.join(also)}." if also else ""
    report(outcome, f"Done: {main}.{rest}", dry_message=f"Would {main}.{rest}")


def waiting() -> None:
    sys.stderr.write("Waiting for another tracker write to this data folder to finish...\n")
    sys.stderr.flush()


def report(
    outcome: Any,
    message: str,
    dry_message: str = "",
    unchanged: str = "Nothing to change: the data files already say this.",
) -> None:
    """What was written, or the diff a dry run would write; then any new warnings."""
    if not outcome.changes:
        sys.stdout.write("".join(f"{text}\n" for text in (message, unchanged) if text))
    elif outcome.written:
        sys.stdout.write(f"{message}\n" if message else "")
    else:
        sys.stdout.write(outcome.diff())
        sys.stdout.flush()  # a diff that cannot be written ends here, before what follows it
        sys.stderr.write(f"{dry_message}\n" if dry_message else "")
        sys.stderr.write("Dry run: nothing was written.\n")
    from tracker.commands import fitted

    for warning in outcome.warnings:
        sys.stderr.write(fitted(f"{warning}\n", sys.stderr))


# --- the options, from the kinds' declarations -----------------------------------------


class Option:
    """One option of a write command: what Typer's command is built from (tracker/cli/edit.py)
    and what the fast path reads, so that the two cannot disagree."""

    __slots__ = ("choices", "dest", "fast", "flag", "help", "high", "low", "metavar", "type")

    def __init__(
        self,
        flag: str,
        # The value's name: Typer's parameter name, the key the bodies read.
        dest: str,
        help: str,
        # text, list (repeat the option), int (from low to high), choice (one of
        # `choices`), flag (takes no value: True when given; "no": False, as --no-cascade),
        # clear (--clear's fields: a list of choices)
        type: str = "text",
        choices: tuple[str, ...] = (),
        low: int = 0,
        high: int = 0,
        metavar: str = "",
        # False: Typer's path only (a vote's options, whose values Typer reads more ways).
        fast: bool = True,
    ) -> None:
        self.flag, self.dest, self.help, self.type = flag, dest, help, type
        self.choices, self.low, self.high = choices, low, high
        self.metavar, self.fast = metavar, fast

    @property
    def repeat(self) -> bool:
        return self.type in ("list", "clear")

    def convert(self, text: str) -> Any:
        """The text as a value, None when it is not plainly valid (then Typer decides)."""
        if self.type in ("choice", "clear"):
            # Exactly one of the choices; another case (Typer takes it) goes to Typer.
            return text if text in self.choices else None
        if self.type == "int":
            from tracker.numbers import plain_number

            return plain_number(text, self.low, self.high)
        return text


def number_range(name: str) -> tuple[int, int]:
    """The whole numbers a field may hold: a year is a year, other counts are counts."""
    from tracker.numbers import COUNTS, YEARS

    return YEARS if name == "year" else COUNTS


DRY_RUN = Option("--dry-run", "dry_run", "Print the diff this would make; change nothing.", "flag")


def write_options(kind: str, for_update: bool) -> list[Option]:
    """The options of `add KIND` (or `update KIND`), in --help's order: one per field of the
    kind (three for a vote), a visit's status change, --dry-run, and update's --clear."""
    from tracker.edit import LIST_OPTION, option_name
    from tracker.kinds import KINDS

    options: list[Option] = []
    for spec in KINDS[kind].fields:
        if spec.type == "records":
            continue
        if spec.type == "vote":
            options += vote_options()
            continue
        flag, dest = option_name(spec.name), LIST_OPTION.get(spec.name, spec.name)
        text = field_help(spec, required=spec.required and not for_update)
        if spec.type in ("list", "slugs", "dates"):
            options.append(Option(flag, dest, text, "list"))
        elif spec.type == "int":
            low, high = number_range(spec.name)
            options.append(Option(flag, dest, text, "int", low=low, high=high, metavar="N"))
        elif spec.type == "enum":
            options.append(Option(flag, dest, text, "choice", spec.choices))
        else:
            options.append(Option(flag, dest, text))
    if kind == "visit":
        options += [
            Option(
                "--status-date",
                "status_date",
                "When the status changed, for the history (default: today).",
            ),
            Option(
                "--status-note", "status_note", "A remark on the status change, for the history."
            ),
        ]
    options.append(DRY_RUN)
    if for_update:
        optional = tuple(
            f.name for f in KINDS[kind].fields if not f.required and f.type != "records"
        )
        # Named in the sentence, which wraps at spaces: as the value's name, a list of
        # fields would be folded mid-word on a narrow terminal.
        text = f"Remove an optional field ({', '.join(optional)}); repeat for several."
        options.append(Option("--clear", "clear", text, "clear", optional, metavar="FIELD..."))
    return options


def vote_options() -> list[Option]:
    return [
        Option(
            f"--vote-{choice}",
            f"vote_{choice}",
            f"{choice.capitalize()} votes: one number (a tally), or countries "
            "(repeat the option for each).",
            "list",
            fast=False,
        )
        for choice in VOTE_CHOICES
    ]


def field_help(spec: Any, required: bool) -> str:
    """A field's option help: its meaning, the form its value takes, whether required."""
    how = {
        "date": "YYYY-MM-DD, YYYY-MM or YYYY",
        "iso3": "alpha-3, alpha-2 or UN name; stored as alpha-3",
        "slugs": "repeat for several",
        "list": "repeat for several",
        "dates": "YYYY-MM-DD, YYYY-MM or YYYY; repeat for several",
    }.get(spec.type, "")
    if spec.refers_to:
        name = "symbol" if spec.refers_to == "report" else "id"
        how = f"{spec.refers_to} {name}" + (f"; {how}" if how else "")
    choices = f"one of {', '.join(spec.choices)}" if spec.choices else ""
    if spec.name == "mandate" and required:
        # Not required when the data holds one mandate: add fills it in (see add_record).
        required, how = False, "default: the only mandate in the data"
    parts = [spec.help, how, choices, "required" if required else ""]
    text = "; ".join(p for p in parts if p) or spec.name.replace("_", " ")
    return sentence(text)


def sentence(text: str) -> str:
    """Help text as a sentence: a capital first, a full stop last."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", ")")) else text + "."


def defaults(options: list[Option]) -> dict[str, Any]:
    """Every value the body reads, as Typer gives it when an option is not given."""
    return {option.dest: False if option.type == "flag" else None for option in options}


# --- the fast path ---------------------------------------------------------------------


LINK_OPTIONS = [DRY_RUN]
# `remove` and `link` are declared in tracker/cli/edit.py; the fast path reads their few
# options here (tests/test_fast_writes.py checks they are Typer's).
REMOVE_FAST = {
    "--cascade": Option("--cascade", "cascade", "", "flag"),
    "--no-cascade": Option("--no-cascade", "cascade", "", "no"),
    "--dry-run": DRY_RUN,
}


def by_flag(options: list[Option]) -> dict[str, Option]:
    """The options the fast path reads, by flag."""
    return {option.flag: option for option in options if option.fast}


def read_arguments(
    words: list[str], options: dict[str, Option]
) -> tuple[dict[str, Any], list[str]] | None:
    """The options given (by dest) and the positional words, or None when anything is not
    plainly valid: an unknown flag, a value missing, empty or taken for a flag, a value
    Typer would convert, a single option given twice."""
    from tracker.cli.fast import split_flag

    given: dict[str, Any] = {}
    positional: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if not word.startswith("-"):
            positional.append(word)
            continue
        flag, value = split_flag(word)
        option = options.get(flag)
        if option is None:
            return None
        if option.type in ("flag", "no"):
            if value is not None or option.dest in given:
                return None
            given[option.dest] = option.type == "flag"
            continue
        if value is None:
            if index >= len(words):
                return None
            value = words[index]
            index += 1
        if not value or value.startswith("-"):
            return None
        converted = option.convert(value)
        if converted is None:
            return None
        if option.repeat:
            given.setdefault(option.dest, []).append(converted)
        elif option.dest in given:
            return None
        else:
            given[option.dest] = converted
    return given, positional


def plan(command: str, words: list[str]) -> Callable[[Settings], None] | None:
    """The body to run for a write command's words (after the command), or None."""
    from tracker.kinds import KINDS

    if command in ("add", "update"):
        if not words or words[0] not in KINDS:
            return None
        kind = words[0]
        declared = write_options(kind, for_update=command == "update")
        parsed = read_arguments(words[1:], by_flag(declared))
        if parsed is None:
            return None
        given, positional = parsed
        values = {**defaults(declared), **given}
        if command == "add" and not positional:
            # At a terminal Typer's path asks for missing values: it gets those writes.
            if at_terminal() and missing_any(kind, values):
                return None
            return lambda config: add_record(config, kind, values, False, no_prompt)
        if command == "update" and len(positional) == 1:
            values["key"] = positional[0]
            return lambda config: update_record(config, kind, values)
        return None
    if command in ("link", "unlink"):
        parsed = read_arguments(words, by_flag(LINK_OPTIONS))
        if parsed is None or len(parsed[1]) < 2:
            return None
        dry_run, (key, *themes) = parsed[0].get("dry_run", False), parsed[1]
        linking = command == "link"
        return lambda config: link_themes(config, key, themes, dry_run, linking)
    if command == "remove":
        parsed = read_arguments(words, REMOVE_FAST)
        if parsed is None or len(parsed[1]) != 2 or parsed[1][0] not in KINDS:
            return None
        given, (kind, key) = parsed
        cascade, dry_run = given.get("cascade", False), given.get("dry_run", False)
        return lambda config: remove_record(config, kind, key, cascade, dry_run)
    return None


def at_terminal() -> bool:
    """Whether missing values may be asked for (never in scripts or tests)."""
    return sys.stdin.isatty()


def missing_any(kind: str, values: dict[str, Any]) -> bool:
    """Whether add_record would find a required value missing (edit.missing_required's
    rule: required fields, and one of each either-or pair), before any default."""
    from tracker.edit import missing_required

    given = {name: v for name, v in option_values(kind, values).items() if v is not None}
    return bool(missing_required(kind, given))


def no_prompt(kind: str, name: str, data_dir: Any) -> Any:
    raise AssertionError("the fast path never asks: at a terminal Typer's path does")


def try_run(argv: list[str]) -> int | None:
    """The exit status if argv was a plain write handled here, or None to hand it to Typer."""
    from tracker.cli.fast import read_globals

    found = read_globals(argv)
    if found is None:
        return None
    globals_, index = found
    if index >= len(argv) or argv[index] not in WRITE_COMMANDS:
        return None
    body = plan(argv[index], argv[index + 1 :])
    if body is None:
        return None
    from tracker.commands import guarded

    config = Settings.resolve(globals_.get("data"), globals_.get("db"))
    return guarded(lambda: body(config))

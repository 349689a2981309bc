"""Edit commands: add, update, link, unlink, remove (panel "Edit"), and fmt (panel "Data").

The `add KIND` and `update KIND` commands are built from the model (tracker/model.py):
one option per field, so a field added there appears here with no change. Every
write goes through tracker.writer.transaction (lock, validation, atomic write).
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from tracker.cli import writes
from tracker.cli.common import flowing, run, settings
from tracker.cli.options import number_parser
from tracker.cli.writes import at_terminal, number_range, report, waiting
from tracker.model import KINDS
from tracker.numbers import plain_number, range_text

PANEL = "Edit"
DATA_PANEL = "Data"

EXAMPLES = {
    "mandate": 'tracker add mandate --id housing --title "Special Rapporteur on housing" '
    "--established 2000-04-17 --established-by E/CN.4/RES/2000/9 --source E/CN.4/RES/2000/9",
    "holder": 'tracker add holder --id bailliet --name "Cecilia M. Bailliet" '
    '--nationality Argentina --start 2023-10 --source "A/78/176, para 4"',
    "resolution": "tracker add resolution --symbol A/HRC/RES/56/2 --body HRC --adopted 2024-07-10 "
    "--action renewal --term-years 3 --vote-yes 30 --vote-no 14 --vote-abstain 3 "
    "--source A/HRC/RES/56/2",
    "visit": "tracker add visit --holder bailliet --country Chile --status requested "
    '--source "A/HRC/62/38, para 5"',
    "theme": 'tracker add theme --id water --title "Water and international solidarity" '
    "--set-by bailliet --source A/HRC/62/38",
    "report": "tracker add report --symbol A/81/170 --holder bailliet --body GA --year 2026 "
    '--kind thematic --title "Debt and international solidarity" --theme corporations '
    "--source A/81/170",
    "engagement": "tracker add engagement --id bailliet-hrc62-2026 --holder bailliet "
    '--date 2026-06 --forum "HRC 62" --kind statement --report A/HRC/62/38 '
    '--title "Presentation of the report on peace" --source A/HRC/62/38',
    "communication": 'tracker add communication --ref "AL CUB 4/2019" --type AL --holder okafor '
    '--country Cuba --date 2019-05-02 --summary "..." --source "https://spcommreports.ohchr.org/"',
    "invitation": "tracker add invitation --country Chile --since 2009 "
    '--source "https://spinternet.ohchr.org/StandingInvitations.aspx"',
    "recommendation": "tracker add recommendation --id 1234567 --report A/HRC/41/44/Add.2 "
    '--countries NLD --type recommendation --text "..." --source "https://uhri.ohchr.org/"',
}
UPDATE_EXAMPLES = {
    "mandate": 'tracker update mandate international-solidarity --note "..."',
    "holder": "tracker update holder bailliet --end 2026-10-31",
    "resolution": "tracker update resolution A/HRC/RES/17/6 --adopted 2011-06-17",
    "visit": "tracker update visit chl-2025 --status accepted --status-note 'Invitation received'",
    "theme": "tracker update theme peace --set-by bailliet",
    "report": "tracker update report A/HRC/62/38 --date 2026-07-01",
    "engagement": "tracker update engagement okafor-ga72-2017 --end 2017-10-17",
    "communication": 'tracker update communication "AL CUB 4/2019" --replies 2019-07-01',
    "invitation": "tracker update invitation QAT --since 2010",
    "recommendation": 'tracker update recommendation 1234567 --note "Checked against the report"',
}

DryRun = Annotated[bool, typer.Option(writes.DRY_RUN.flag, help=writes.DRY_RUN.help)]


def register(app: typer.Typer) -> None:
    add_app = typer.Typer(
        help="Add a record (one option per field).\n\nExample: " + EXAMPLES["visit"],
        no_args_is_help=True,
    )
    update_app = typer.Typer(
        help="Change fields of a record; a visit's new status is added to its history.\n\n"
        "Example: tracker update visit cri-2022 --status completed",
        no_args_is_help=True,
    )
    for kind in KINDS:  # every declared kind, with one option per field
        add_app.command(kind)(add_command(kind))
        update_app.command(kind)(update_command(kind))
    app.add_typer(add_app, name="add", rich_help_panel=PANEL)
    app.add_typer(update_app, name="update", rich_help_panel=PANEL)
    for command in (link, unlink, remove_command()):
        app.command(rich_help_panel=PANEL)(command)
    app.command("edit", rich_help_panel=PANEL, help=flowing(edit_in_editor.__doc__))(edit_in_editor)
    app.command(rich_help_panel=DATA_PANEL)(fmt)


# --- options built from the model -----------------------------------------------------

_CHOICES: dict[tuple[str, ...], Any] = {}


def make_enum(name: str, values: tuple[str, ...]) -> Any:
    """A str Enum built at run time, from the model's values."""
    return Enum(name, {value: value for value in values}, type=str)


def choices_of(name: str, choices: tuple[str, ...]) -> Any:
    """An Enum of a field's allowed values, so --help lists them and Typer checks them."""
    if choices not in _CHOICES:
        _CHOICES[choices] = make_enum(name.title().replace("_", ""), choices)
    return _CHOICES[choices]


def field_parameters(kind: str, for_add: bool) -> list[inspect.Parameter]:
    """The Typer parameters of `add KIND` or `update KIND`, from the options both paths read
    (tracker/cli/writes.py, from the kind's fields)."""
    return [typer_parameter(kind, o) for o in writes.write_options(kind, for_update=not for_add)]


def typer_parameter(kind: str, option: writes.Option) -> inspect.Parameter:
    if option.type == "flag":
        return _keyword(option.dest, DryRun, False)
    value_type: Any = str | None
    settings: dict[str, Any] = {"help": option.help}
    if option.type == "list":
        value_type = list[str] | None
    elif option.type == "int":
        value_type = int | None
        settings.update(parser=number_parser(option.low, option.high), metavar=option.metavar)
    elif option.type == "choice":
        value_type = choices_of(option.dest, option.choices) | None
        settings.update(case_sensitive=False)
    elif option.type == "clear":
        # --clear FIELD...: named from the parameter, its value's name given.
        fields = make_enum(f"{kind.title()}Field", option.choices)
        clear = typer.Option(**settings, metavar=option.metavar)
        return _keyword(option.dest, Annotated[list[fields] | None, clear])  # type: ignore[valid-type]
    return _keyword(option.dest, Annotated[value_type, typer.Option(option.flag, **settings)])


def _keyword(name: str, annotation: Any, default: Any = None) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default
    )


def with_signature(
    body: Callable[..., None], name: str, doc: str, parameters: list[inspect.Parameter]
) -> Callable[..., None]:
    """Give a generic command body the parameters Typer should read (from the model)."""

    def command(**values: Any) -> None:
        body(**values)

    context = inspect.Parameter("ctx", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context)
    command.__signature__ = inspect.Signature([context, *parameters])  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in [context, *parameters]}
    command.__name__ = name
    command.__doc__ = doc
    return command


# --- add ------------------------------------------------------------------------------


def add_command(kind: str) -> Callable[..., None]:
    parameters = field_parameters(kind, for_add=True)
    doc = (
        f"Add a {kind}. Missing required fields are asked for at a terminal, "
        f"and are an error otherwise."
        + (f"\n\nExample: {EXAMPLES[kind]}" if kind in EXAMPLES else "")
    )

    def body(ctx: typer.Context, **values: Any) -> None:
        run(lambda: writes.add_record(settings(ctx), kind, values, at_terminal(), ask))

    return with_signature(body, kind, doc, parameters)


def ask(kind: str, name: str, data_dir: Path | None = None) -> Any:
    """Prompt for one field until the value converts. A reference (a visit's holder) lists
    the known keys and takes any form the resolver knows (a surname, any case)."""
    from tracker import resolve
    from tracker.edit import TrackerError, convert
    from tracker.problems import listed
    from tracker.validate import check_value

    spec = KINDS[kind].field(name)
    assert spec is not None
    label = name.replace("_", " ")
    keys, names = known_keys(spec.refers_to, data_dir)
    if spec.choices:
        label += f" ({'/'.join(spec.choices)})"
    elif keys:
        label += f" ({listed(keys, 12)})"
    elif spec.type in ("date", "iso3"):
        label += f" ({writes.field_help(spec, False)})"

    def check(text: str) -> Any:
        value: Any = text
        if keys and spec.refers_to:
            try:
                value = text = resolve.resolve(spec.refers_to, text, keys, names)
            except resolve.KeyNotFound as error:
                raise typer.BadParameter(str(error)) from None
        if spec.type == "int":
            value = plain_number(text.strip(), *number_range(name))
            if value is None:
                raise typer.BadParameter(f"give {range_text(*number_range(name))}")
        if spec.choices and text not in spec.choices:
            raise typer.BadParameter(f"choose one of {', '.join(spec.choices)}")
        try:
            value = convert(kind, name, value)
        except TrackerError as error:
            raise typer.BadParameter(str(error)) from None
        for problem in check_value(spec, value):
            raise typer.BadParameter(problem)
        return value

    return typer.prompt(label, value_proc=check)


def known_keys(
    kind: str | None, data_dir: Path | None
) -> tuple[list[str], dict[str, list[str]] | None]:
    """The keys of `kind` in the data folder (and holders' names), to offer in a prompt."""
    from tracker import layout, resolve, sources

    if not kind or data_dir is None or not data_dir.is_dir():
        return [], None
    files = layout.files_of_kind(data_dir, kind)
    dataset = sources.load(data_dir, with_positions=False, files=files)[0]
    records = dataset.of(kind)
    names = resolve.surnames(r.data for r in records) if kind == "holder" else None
    return [r.key for r in records if r.key], names


# --- update ---------------------------------------------------------------------------


def update_command(kind: str) -> Callable[..., None]:
    key_name = " or ".join(KINDS[kind].key_fields)
    key = _keyword(
        "key",
        Annotated[str, typer.Argument(help=f"The {kind}'s {key_name}.")],
        inspect.Parameter.empty,
    )
    parameters = field_parameters(kind, for_add=False)
    doc = (
        f"Change fields of a {kind}. A list option (--theme, --place) replaces the whole list; "
        "a new id or symbol renames the references to it too."
        + (
            " A new --status is added to the visit's history, dated today or --status-date."
            if kind == "visit"
            else ""
        )
        + (f"\n\nExample: {UPDATE_EXAMPLES[kind]}" if kind in UPDATE_EXAMPLES else "")
    )

    def body(ctx: typer.Context, **values: Any) -> None:
        run(lambda: writes.update_record(settings(ctx), kind, values))

    return with_signature(body, kind, doc, [key, *parameters])


# --- link, unlink, remove, fmt --------------------------------------------------------


def link(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="A report symbol (or id), or a visit id.")],
    themes: Annotated[list[str], typer.Argument(help="Theme ids to add.")],
    dry_run: DryRun = False,
) -> None:
    """Tag a report (or visit) with themes it addresses.

    Example: tracker link A/HRC/62/38 peace civil-society
    """
    run(lambda: writes.link_themes(settings(ctx), key, themes, dry_run, linking=True))


def unlink(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="A report symbol (or id), or a visit id.")],
    themes: Annotated[list[str], typer.Argument(help="Theme ids to remove.")],
    dry_run: DryRun = False,
) -> None:
    """Remove themes from a report (or visit).

    Example: tracker unlink A/HRC/62/38 civil-society
    """
    run(lambda: writes.link_themes(settings(ctx), key, themes, dry_run, linking=False))


def remove_command() -> Callable[..., None]:
    """`tracker remove KIND KEY`, its KIND one of the kinds declared now."""
    kind_choice = make_enum("KindChoice", tuple(KINDS))
    parameters = [
        _keyword(
            "kind",
            Annotated[kind_choice, typer.Argument(help="The kind of record.")],
            inspect.Parameter.empty,
        ),
        _keyword(
            "key",
            Annotated[str, typer.Argument(help="Its id (or symbol, for reports and resolutions).")],
            inspect.Parameter.empty,
        ),
        _keyword(
            "cascade",
            Annotated[
                bool,
                typer.Option(
                    help="Also remove the records that need it (e.g. a holder's visits and "
                    "reports), and clear or unlink the other references to it."
                ),
            ],
            False,
        ),
        _keyword("dry_run", DryRun, False),
    ]
    doc = (
        "Remove a record. Refuses while other records refer to it, unless --cascade.\n\n"
        "Example: tracker remove visit chl-2025 --dry-run"
    )

    def body(ctx: typer.Context, **values: Any) -> None:
        remove(ctx, values["kind"], values["key"], values["cascade"], values["dry_run"])

    return with_signature(body, "remove", doc, parameters)


def remove(ctx: typer.Context, kind: Any, key: str, cascade: bool, dry_run: bool) -> None:
    run(lambda: writes.remove_record(settings(ctx), str(kind.value), key, cascade, dry_run))


EditKind = make_enum("EditKind", tuple(KINDS))
EDIT_KIND_HELP = f"The kind of record: {', '.join(KINDS)}."


def edit_in_editor(
    ctx: typer.Context,
    kind: Annotated[EditKind, typer.Argument(help=EDIT_KIND_HELP)],  # type: ignore[valid-type]
    key: Annotated[str, typer.Argument(help="Its id (or symbol, for reports and resolutions).")],
    dry_run: DryRun = False,
) -> None:
    """Open one record in your editor ($VISUAL, else $EDITOR, else vi) as TOML; when you
    save and quit, it is written back through the writer: validated with the whole data
    set, in canonical layout. If it is invalid nothing changes, the problems are shown and
    your edit is kept in a file named in the message.

    Example: tracker edit visit cri-2022
    """
    kind_name = str(kind.value)  # type: ignore[attr-defined]
    run(lambda: edit_one(settings(ctx), kind_name, key, dry_run))


def edit_one(config: Any, kind: str, key: str, dry_run: bool) -> None:
    import os
    import shlex
    import subprocess
    import tempfile
    import tomllib

    from tracker import edit, layout, sources, writer
    from tracker.problems import DataError, TrackerError

    files = layout.files_of_kind(config.data_dir, kind)
    dataset = sources.load(config.data_dir, with_positions=False, files=files)[0]
    record = edit.find(dataset, kind, key)
    original = writer.record_text(kind, record.data)
    handle, name = tempfile.mkstemp(prefix=f"tracker-{kind}-", suffix=".toml")
    path = Path(name)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(original)
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    status = subprocess.run([*shlex.split(editor), str(path)], check=False).returncode
    if status != 0:
        path.unlink()
        raise TrackerError(f"the editor ({editor}) exited with status {status}: nothing changed")
    edited = path.read_text(encoding="utf-8")
    if edited == original:
        path.unlink()
        sys.stdout.write("Nothing to change: the record is as it was.\n")
        return
    kept = f"your edit is kept in {path}"
    try:
        document = tomllib.loads(edited)
    except tomllib.TOMLDecodeError as error:
        raise TrackerError(f"{path}: TOML syntax: {error}; nothing changed ({kept})") from None
    records = document.get(kind)
    if set(document) != {kind} or not isinstance(records, list) or len(records) != 1:
        raise TrackerError(f"{path} must hold one [[{kind}]] record; nothing changed ({kept})")

    def change(data: Any) -> Any:
        target = edit.find(data, kind, record.key)
        target.data.clear()
        target.data.update(records[0])
        return target

    try:
        written, outcome = writer.transaction(
            config, change, dry_run, on_wait=waiting, touches=[KINDS[kind].file]
        )
    except DataError as error:
        sys.stderr.write(error.report() + "\n")
        raise TrackerError(f"the edited record is invalid: nothing changed ({kept})") from None
    path.unlink()
    report(outcome, f"Edited {kind} '{written.key}' in {written.file}.")


def fmt(
    ctx: typer.Context,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Change nothing; exit 1 when a file is not in canonical layout."
        ),
    ] = False,
    dry_run: DryRun = False,
) -> None:
    """Rewrite the data files into their canonical layout (records and values unchanged).

    Example: tracker fmt --check
    """
    run(lambda: check_layout(ctx) if check else format_files(ctx, dry_run))


def check_layout(ctx: typer.Context) -> int:
    from tracker import writer
    from tracker.problems import relative

    config = settings(ctx)
    folder = config.data_dir
    found = writer.not_canonical(folder, config.db_path)
    for path, stray in found:
        sys.stdout.write(f"{relative(path)}: not in canonical layout (run `tracker fmt`)\n")
        for line, comment in stray:
            sys.stdout.write(
                f"{relative(path)}:{line}: comment outside the leading block, "
                f"which `tracker fmt` would refuse to drop: {comment}\n"
            )
    if not found:
        sys.stdout.write(f"All data files in {relative(folder)} are in canonical layout.\n")
    return 1 if found else 0


def format_files(ctx: typer.Context, dry_run: bool) -> None:
    from tracker import writer
    from tracker.problems import relative

    outcome = writer.fmt(settings(ctx), dry_run)
    files = ", ".join(str(relative(c.path)) for c in outcome.changes)
    report(
        outcome,
        f"Formatted {files}." if files else "",
        unchanged="All data files are already in canonical layout.",
    )


# --- output ---------------------------------------------------------------------------

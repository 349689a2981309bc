"""The fast path for read commands must accept exactly what the Typer app accepts
and print exactly what it prints; anything it is unsure of goes to Typer."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import typer

from tracker.cli import fast
from tracker.cli.app import app


def typer_options(command_name: str) -> set[str]:
    group = typer.main.get_command(app)
    command = group.commands[command_name]  # type: ignore[attr-defined]
    flags: set[str] = set()
    for param in command.params:
        if param.param_type_name == "option":
            flags.update(param.opts)
    return flags - {"--help", "-h"}


@pytest.mark.parametrize("name", sorted(fast.COMMANDS))
def test_fast_path_accepts_the_same_options_as_typer(name):
    spec, _ = fast.COMMANDS[name]
    assert set(spec) == typer_options(name)


def test_fast_path_global_options_match_typer():
    group = typer.main.get_command(app)
    flags = {opt for p in group.params if p.param_type_name == "option" for opt in p.opts}
    assert set(fast.GLOBAL_OPTIONS) <= flags


@pytest.mark.parametrize(
    "argv",
    [
        ["visits", "--help"],
        ["visits", "-h"],
        ["visits", "--format", "xml"],
        ["visits", "--format", "JSON"],
        ["visits", "--year", "twenty"],
        ["visits", "--colour", "red"],
        ["visits", "--holder"],
        ["visits", "--holder", "a", "--holder", "b"],
        ["visits", "extra"],
        ["timeline", "--kind", "visit", "--kind", "report"],
        ["coverage", "--since", "2018-13"],
        ["search", "x", "--limit", "0"],
        ["gaps", "-f", "csv"],
        ["search"],
        ["show"],
        ["show", "a", "b"],
        ["--verbose", "visits"],
        ["add", "visit"],
        ["check"],
        [],
    ],
)
def test_anything_unusual_goes_to_typer(argv):
    assert fast.parse(argv) is None


def test_plain_arguments_are_parsed():
    parsed = fast.parse(["--data=d", "visits", "--holder", "okafor", "--year=2019", "-f", "json"])
    assert parsed is not None
    assert parsed.command == "visits"
    assert parsed.globals == {"data": "d"}
    assert parsed.options == {"holder": "okafor", "year": 2019, "fmt": "json"}


CASES = [
    ["visits", "--holder", "okafor", "--format", "json"],
    ["visits", "--country", "Netherlands"],
    ["visits", "--status", "completed", "-f", "csv"],
    ["reports", "--theme", "climate-change", "--body", "HRC", "-f", "md"],
    ["holders"],
    ["themes", "-f", "json"],
    ["resolutions"],
    ["show", "Qatar"],
    ["show", "okafor", "-f", "json"],
    ["visits", "--holder", "nobody"],
    ["show", "Korea"],
    ["coverage", "--format", "json"],
    ["coverage", "--holder", "okafor", "--since", "2018"],
    ["gaps", "-f", "md"],
    ["gaps"],
    ["timeline", "--kind", "visit", "--from", "2017", "--to", "2019-06", "-f", "json"],
    ["timeline", "--holder", "dandan"],
    ["search", "climate"],
    ["search", '"A/HRC', "-f", "json"],
    ["search", "NOT (", "--kind", "report", "--limit", "3"],
]


def run(argv: list[str], data: str, no_fast: bool) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRACKER_DATA": data}
    env.pop("TRACKER_NO_FAST", None)
    if no_fast:
        env["TRACKER_NO_FAST"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "tracker", *argv], capture_output=True, text=True, env=env
    )


def run_in_process(argv: list[str], monkeypatch, capsys, no_fast: bool) -> tuple[int, str, str]:
    """tracker.cli.run as the program calls it, in this process: same code, same output."""
    from tracker.cli import run as run_command

    if no_fast:
        monkeypatch.setenv("TRACKER_NO_FAST", "1")
    else:
        monkeypatch.delenv("TRACKER_NO_FAST", raising=False)
    code, _ = run_command(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("argv", CASES, ids=[" ".join(c) for c in CASES])
def test_fast_and_typer_paths_print_the_same_in_process(
    argv, shipped_with_store, monkeypatch, capsys
):
    """The everyday loop's version of the test below: both paths in this process."""
    monkeypatch.setenv("TRACKER_DATA", str(shipped_with_store))
    quick = run_in_process(argv, monkeypatch, capsys, no_fast=False)
    slow = run_in_process(argv, monkeypatch, capsys, no_fast=True)
    assert quick == slow
    assert quick[1] or quick[2]


# Slow (two whole processes a case): the in-process test above covers the everyday loop.
@pytest.mark.slow
@pytest.mark.parametrize("argv", CASES, ids=[" ".join(c) for c in CASES])
def test_fast_and_typer_paths_print_the_same(argv, shipped):
    quick = run(argv, str(shipped), no_fast=False)
    slow = run(argv, str(shipped), no_fast=True)
    assert (quick.returncode, quick.stdout, quick.stderr) == (
        slow.returncode,
        slow.stdout,
        slow.stderr,
    )
    assert quick.stdout or quick.stderr


def test_fast_path_does_not_import_typer_or_rich(shipped):
    code = (
        "import sys, runpy; sys.argv = ['tracker', 'visits', '--format', 'json'];\n"
        "from tracker.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = sorted(m for m in ('typer', 'rich', 'pydantic', 'sqlite_utils', 'tomli_w', "
        "'pycountry') if m in sys.modules)\n"
        "print('LOADED', loaded, file=sys.stderr)"
    )
    env = {**os.environ, "TRACKER_DATA": str(shipped)}
    subprocess.run(
        [sys.executable, "-m", "tracker", "sync"], env=env, check=True, capture_output=True
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert "LOADED []" in result.stderr


@pytest.mark.parametrize("name", sorted(fast.COMMANDS))
def test_svg_is_left_to_typer(name):
    """--svg draws with Rich, so the fast path hands it to the Typer app."""
    plain = [name, "okafor"] if name in ("show", "search") else [name]
    assert fast.parse(plain) is not None
    assert fast.parse([*plain, "--svg", "out.svg"]) is None
    assert fast.parse([*plain, "--svg=out.svg"]) is None

"""The fast path for writes (tracker/cli/writes.py) must take exactly the options the Typer
app takes, write exactly the files Typer's path writes and print what it prints; anything
it is unsure of goes to Typer."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from tracker.cli import writes
from tracker.cli.app import app
from tracker.kinds import KINDS


def typer_flags(*path: str) -> set[str]:
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    flags: set[str] = set()
    for param in command.params:
        if param.param_type_name == "option":
            flags.update(param.opts)
            flags.update(getattr(param, "secondary_opts", []))
    return flags - {"--help", "-h"}


def declared_flags(kind: str, for_update: bool) -> set[str]:
    return {option.flag for option in writes.write_options(kind, for_update)}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_add_and_update_are_built_from_the_declared_options(kind):
    # Typer's commands are built from write_options: the same flags, whatever the kind.
    assert declared_flags(kind, for_update=False) == typer_flags("add", kind)
    assert declared_flags(kind, for_update=True) == typer_flags("update", kind)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_fast_path_reads_every_declared_option_but_a_vote(kind):
    for for_update in (False, True):
        fast = set(writes.by_flag(writes.write_options(kind, for_update)))
        assert declared_flags(kind, for_update) - fast <= {
            "--vote-yes",
            "--vote-no",
            "--vote-abstain",
        }


def test_link_unlink_and_remove_take_the_options_typer_takes():
    assert set(writes.by_flag(writes.LINK_OPTIONS)) == typer_flags("link") == typer_flags("unlink")
    assert typer_flags("remove") == set(writes.REMOVE_FAST)


@pytest.mark.parametrize(
    "argv",
    [
        ["add", "visit", "--help"],
        ["add", "visit", "-h"],
        ["add", "visit", "--status", "Requested"],  # Typer takes any case
        ["add", "visit", "--note"],
        ["add", "visit", "--note", ""],
        ["add", "visit", "--note", "-x"],
        ["add", "visit", "--note", "a", "--note", "b"],
        ["add", "visit", "--colour", "red"],
        ["add", "visit", "--data", "elsewhere"],
        ["add", "visit", "extra"],
        ["add", "resolution", "--vote-yes", "30"],
        ["add", "report", "--year", "twenty"],
        ["add", "report", "--year", "0"],
        ["add", "nothing"],
        ["add"],
        ["update", "visit"],
        ["update", "visit", "a", "b"],
        ["update", "visit", "a", "--clear", "holder"],  # a required field
        ["link", "A/HRC/15/32"],
        ["link", "--dry-run"],
        ["remove", "visit"],
        ["remove", "nothing", "x"],
        ["remove", "visit", "x", "--cascade=yes"],
        ["--verbose", "add", "visit"],
        ["fmt"],
        ["visits"],
    ],
)
def test_anything_unusual_goes_to_typer(argv):
    if argv and argv[0] in writes.WRITE_COMMANDS:
        assert writes.plan(argv[0], argv[1:]) is None
    assert writes.try_run(argv) is None


def test_plain_writes_are_planned():
    assert writes.plan("add", ["visit", "--holder", "okafor", "--theme", "a", "--theme=b"])
    assert writes.plan("update", ["visit", "swe-2018", "--status", "accepted", "--dry-run"])
    assert writes.plan("update", ["visit", "swe-2018", "--clear", "note", "--clear", "places"])
    assert writes.plan("link", ["A/HRC/15/32", "peace", "migration"])
    assert writes.plan("remove", ["holder", "okafor", "--no-cascade"])


SOURCE = "--source https://example.org/test"
CASES = [
    shlex.split(case)
    for case in (
        "add visit --id chl-2030 --holder bailliet --country Chile --status requested "
        f"--theme peace --status-date 2025-01-02 {SOURCE}",
        f"add visit --holder bailliet --country Atlantis --status requested {SOURCE}",
        "add visit --holder bailliet --country Chile",
        f"add visit --holder bailliet --country CHL --status requested --dry-run {SOURCE}",
        f"add theme --id water --title Water --set-by bailliet {SOURCE}",
        "add report --symbol A/HRC/99/1 --holder bailliet --body HRC --year 2026 "
        f"--kind thematic --title 'A test' --theme peace {SOURCE}",
        "update visit swe-2018 --note Checked --place Stockholm",
        "update visit cub-2017 --clear note",
        "update visit nowhere-2000 --note x",
        "update visit swe-2018",
        "update report A/HRC/15/32 --title Renamed --dry-run",
        "update theme migration --id human-mobility",
        "link A/HRC/15/32 migration refugees",
        "link A/HRC/15/32 south-south-cooperation",
        "link A/HRC/15/32 no-such-theme",
        "unlink A/HRC/15/32 south-south-cooperation migration --dry-run",
        "remove visit swe-2018",
        "remove holder okafor",
        "remove holder okafor --cascade --dry-run",
        "remove theme nothing-here",
    )
]


def run_in_process(argv, data: Path, monkeypatch, capsys, no_fast: bool):
    from tracker.cli import run as run_command

    monkeypatch.setenv("TRACKER_DATA", str(data))
    monkeypatch.setenv("TRACKER_TODAY", "2026-11-23")
    if no_fast:
        monkeypatch.setenv("TRACKER_NO_FAST", "1")
    else:
        monkeypatch.delenv("TRACKER_NO_FAST", raising=False)
    code, _ = run_command(list(argv))
    captured = capsys.readouterr()
    shown = (captured.out + "\0" + captured.err).replace(str(data), "DATA")
    files = {p.name: p.read_bytes() for p in sorted(data.glob("*.toml"))}
    return code, shown, files


@pytest.mark.parametrize("argv", CASES, ids=[" ".join(c) for c in CASES])
def test_fast_and_typer_paths_write_and_print_the_same(
    argv, shipped_with_store, tmp_path, monkeypatch, capsys
):
    assert writes.plan(argv[0], argv[1:]) is not None  # the fast path runs it
    other = tmp_path / "other" / "data"
    shutil.copytree(shipped_with_store, other)
    quick = run_in_process(argv, shipped_with_store, monkeypatch, capsys, no_fast=False)
    slow = run_in_process(argv, other, monkeypatch, capsys, no_fast=True)
    assert quick[0] == slow[0]
    assert quick[1] == slow[1]
    assert quick[2] == slow[2]
    assert quick[1].strip("\0")  # every case says something


def test_a_fast_write_does_not_import_typer(shipped_with_store):
    code = (
        "import sys\n"
        "sys.argv = ['tracker', 'update', 'visit', 'swe-2018', '--note', 'Checked']\n"
        "from tracker.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = sorted(m for m in ('typer', 'click', 'pydantic', 'rich') if m in sys.modules)\n"
        "print('LOADED', loaded, file=sys.stderr)"
    )
    env = {**os.environ, "TRACKER_DATA": str(shipped_with_store)}
    env.pop("TRACKER_NO_FAST", None)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert "Updated visit 'swe-2018'" in result.stdout
    assert "LOADED []" in result.stderr
    assert 'note = "Checked"' in (shipped_with_store / "visits.toml").read_text("utf-8")


def test_at_a_terminal_a_missing_value_goes_to_typer_which_asks(monkeypatch):
    # Typer's path asks for what add_record finds missing: a required field, or one of an
    # either-or pair (a report's date or year); the fast path never asks, so leaves it.
    monkeypatch.setattr(writes, "at_terminal", lambda: True)
    report = "report --symbol A/HRC/99/9 --holder bailliet --body HRC --kind thematic --title T"
    assert writes.plan("add", shlex.split(f"{report} {SOURCE}")) is None
    assert writes.plan("add", shlex.split(f"{report} --year 2026 {SOURCE}")) is not None
    assert writes.plan("add", shlex.split(f"{report} --year 2026")) is None
    monkeypatch.setattr(writes, "at_terminal", lambda: False)
    assert writes.plan("add", shlex.split(f"{report} {SOURCE}")) is not None

"""The output itself failing: a full device, a reader that went away.

Run as whole processes through the program's entry point (`python -m tracker`), which
after a fast read leaves without the interpreter's teardown (tracker.cli.exit_now).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

FULL = Path("/dev/full")


def tracker(
    data: Path,
    *args: str,
    no_fast: bool = False,
    env_extra: dict[str, str] | None = None,
    text: bool = True,
    **options,
) -> subprocess.CompletedProcess:
    env = {**os.environ, "TRACKER_DATA": str(data), **(env_extra or {})}
    env.pop("TRACKER_NO_FAST", None)
    if "PYTHONUNBUFFERED" not in (env_extra or {}):
        env.pop("PYTHONUNBUFFERED", None)  # as no user has it: output is block-buffered
    if no_fast:
        env["TRACKER_NO_FAST"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args], env=env, text=text, timeout=120, **options
    )


@pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(
    "no_fast",
    # Slow (two whole processes each): the everyday loop keeps the fast path's `holders`.
    [False, pytest.param(True, marks=pytest.mark.slow)],
    ids=["fast path", "Typer"],
)
@pytest.mark.parametrize(
    "args",
    [
        ["holders"],
        *(
            pytest.param(args, marks=pytest.mark.slow)
            for args in (
                ["coverage", "--format", "json"],
                ["show", "okafor"],
                ["check"],
                ["--help"],
            )
        ),
    ],
)
def test_output_to_a_full_device_is_a_message_and_status_1(shipped, args, no_fast):
    tracker(shipped, "sync", capture_output=True, check=True)
    with FULL.open("w") as full:
        result = tracker(shipped, *args, no_fast=no_fast, stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 1
    assert result.stderr == "Error: cannot write the output: No space left on device\n"


def test_a_fast_read_prints_all_of_its_output_before_leaving(shipped_with_store):
    shipped = shipped_with_store
    """exit_now skips the teardown, never the flush: the whole JSON arrives."""
    result = tracker(shipped, "reports", "--format", "json", capture_output=True)
    assert result.returncode == 0 and result.stderr == ""
    assert len(json.loads(result.stdout)) == 38


def test_a_fast_read_that_fails_keeps_its_status_and_message(shipped_with_store):
    shipped = shipped_with_store
    result = tracker(shipped, "show", "no-such-key", capture_output=True)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("Error: 'no-such-key' is not a holder, theme,")


@pytest.mark.slow  # two whole processes each
@pytest.mark.parametrize("no_fast", [False, True], ids=["fast path", "Typer"])
def test_a_reader_that_went_away_is_not_an_error(shipped, no_fast):
    """`tracker reports | head -1`: the pipe closes; tracker stops quietly, status 0."""
    tracker(shipped, "sync", capture_output=True, check=True)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written
    with os.fdopen(write_end, "w") as pipe:
        result = tracker(
            shipped,
            "reports",
            "--format",
            "json",
            no_fast=no_fast,
            stdout=pipe,
            stderr=subprocess.PIPE,
        )
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.parametrize("no_fast", [False, True], ids=["fast path", "Typer"])
def test_a_closed_standard_output_is_a_message_and_status_1(shipped, no_fast):
    closed_stdout = tracker(
        shipped, "holders", no_fast=no_fast, stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1)
    )
    assert closed_stdout.returncode == 1
    assert closed_stdout.stderr == "Error: cannot write the output: standard output is closed\n"


# Every kind of command: reads on the fast path and on Typer, checks, a dry run (a diff on
# standard output), a real write (its message on standard error) and help.
DRY_RUN = ("update", "holder", "bailliet", "--note", "Checked.", "--dry-run")
WRITE = ("add", "theme", "--id", "debt", "--title", "Debt", "--source", "A/HRC/00/00")
EVERY_KIND = [
    ("holders",),
    ("show", "cri-2022"),
    ("coverage", "--format", "json"),
    ("check",),
    ("db",),
    ("fmt", "--check"),
    ("--help",),
    DRY_RUN,
    WRITE,
]
IDS = [" ".join(args) for args in EVERY_KIND]


def files_of(data: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(data.glob("*.toml"))}


@pytest.mark.slow
@pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("args", EVERY_KIND, ids=IDS)
def test_every_command_on_a_full_device(shipped, args):
    """Standard output on a full device: one line and status 1 for every command (with or
    without PYTHONUNBUFFERED); a write is done, only its message is lost."""
    tracker(shipped, "sync", capture_output=True, check=True)
    for buffered in (True, False):
        env_extra = {} if buffered else {"PYTHONUNBUFFERED": "1"}
        with FULL.open("w") as full:
            result = tracker(
                shipped, *args, stdout=full, stderr=subprocess.PIPE, **with_env(env_extra)
            )
        assert result.returncode == 1, result.stderr
        assert result.stderr == "Error: cannot write the output: No space left on device\n"
        if args == WRITE:
            assert 'id = "debt"' in (shipped / "themes.toml").read_text(encoding="utf-8")
            tracker(shipped, "remove", "theme", "debt", capture_output=True, check=True)


@pytest.mark.slow
@pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("args", EVERY_KIND, ids=IDS)
def test_every_command_with_standard_error_on_a_full_device(shipped, args):
    """Nowhere to say anything: no traceback, no 120; status 1 whenever a message was lost."""
    with FULL.open("w") as full:
        result = tracker(shipped, *args, stdout=subprocess.PIPE, stderr=full)
    assert result.returncode in (0, 1)
    assert result.returncode == (1 if args == DRY_RUN else 0)  # (its note is on stderr)
    if args == WRITE:  # its message goes to standard output
        assert 'id = "debt"' in (shipped / "themes.toml").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("args", EVERY_KIND, ids=IDS)
def test_every_command_with_a_closed_standard_stream(shipped, args):
    """A closed stdout or stderr: one line on the other, status 1, nothing done. A closed
    stdin reads as empty: the command works as usual."""
    normal = tracker(shipped, *args, capture_output=True)
    if args == WRITE:
        tracker(shipped, "remove", "theme", "debt", capture_output=True, check=True)
    before = files_of(shipped)

    closed_out = tracker(shipped, *args, stderr=subprocess.PIPE, preexec_fn=lambda: os.close(1))
    assert closed_out.returncode == 1
    assert closed_out.stderr == "Error: cannot write the output: standard output is closed\n"

    closed_err = tracker(shipped, *args, stdout=subprocess.PIPE, preexec_fn=lambda: os.close(2))
    assert closed_err.returncode == 1
    assert closed_err.stdout == "Error: cannot write messages: standard error is closed\n"
    assert files_of(shipped) == before  # nothing was done

    closed_in = tracker(shipped, *args, capture_output=True, preexec_fn=lambda: os.close(0))
    assert (closed_in.returncode, closed_in.stdout, closed_in.stderr) == (
        normal.returncode,
        normal.stdout,
        normal.stderr,
    )


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize("args", EVERY_KIND, ids=IDS)
def test_an_output_encoding_that_cannot_hold_the_text_gets_escapes(shipped, args, encoding):
    """PYTHONIOENCODING=ascii (or a Latin-1 locale): text it cannot hold comes out as escapes."""
    (shipped / "themes.toml").write_text(
        (shipped / "themes.toml")
        .read_text(encoding="utf-8")
        .replace('title = "', 'title = "Ελληνικά ', 1),
        encoding="utf-8",
    )
    result = tracker(
        shipped, *args, capture_output=True, text=False, **with_env({"PYTHONIOENCODING": encoding})
    )
    stdout, stderr = result.stdout.decode(encoding), result.stderr.decode(encoding)
    assert result.returncode == 0, stderr
    assert "Traceback" not in stderr
    if args == ("show", "cri-2022"):
        assert "San Jos\\xe9" in stdout if encoding == "ascii" else "San José" in stdout
    if args == ("coverage", "--format", "json"):
        assert "\\u0395" in stdout  # JSON's own escapes: still exact
        assert "Ελληνικά" in json.dumps(json.loads(stdout), ensure_ascii=False)


def with_env(extra: dict[str, str]) -> dict[str, dict[str, str]]:
    return {"env_extra": extra}

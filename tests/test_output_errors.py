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
    data: Path, *args: str, no_fast: bool = False, **options
) -> subprocess.CompletedProcess:
    env = {**os.environ, "TRACKER_DATA": str(data)}
    env.pop("TRACKER_NO_FAST", None)
    if no_fast:
        env["TRACKER_NO_FAST"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args], env=env, text=True, timeout=120, **options
    )


@pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("no_fast", [False, True], ids=["fast path", "Typer"])
@pytest.mark.parametrize(
    "args",
    [["holders"], ["coverage", "--format", "json"], ["show", "okafor"], ["check"], ["--help"]],
)
def test_output_to_a_full_device_is_a_message_and_status_1(shipped, args, no_fast):
    tracker(shipped, "sync", capture_output=True, check=True)
    with FULL.open("w") as full:
        result = tracker(shipped, *args, no_fast=no_fast, stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 1
    assert result.stderr == "Error: cannot write the output: No space left on device\n"


def test_a_fast_read_prints_all_of_its_output_before_leaving(shipped):
    """exit_now skips the teardown, never the flush: the whole JSON arrives."""
    result = tracker(shipped, "reports", "--format", "json", capture_output=True)
    assert result.returncode == 0 and result.stderr == ""
    assert len(json.loads(result.stdout)) == 38


def test_a_fast_read_that_fails_keeps_its_status_and_message(shipped):
    result = tracker(shipped, "show", "no-such-key", capture_output=True)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("Error: 'no-such-key' is not a holder, theme,")


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

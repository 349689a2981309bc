"""Writes that are killed half-way, and writers that run at the same time, lose nothing.

These run the real command in separate processes (`python -m tracker`). A test hook,
TRACKER_TEST_PAUSE_BEFORE_REPLACE, makes a writer stop after its temporary file is on
disk and before the rename, and say so on stderr, so a test kills it at that moment
without guessing at timings.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from tracker import sources
from tracker.validate import validate
from tracker.writer import PAUSE_ENV, not_canonical

# Slow (concurrent writer and reader processes): out of the everyday `pytest -m "not slow"`.
pytestmark = pytest.mark.slow

TODAY = dt.date(2026, 11, 23)


def command(data: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "tracker", "--data", str(data), *args]


def environment(pause: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop(PAUSE_ENV, None)
    if pause:
        env[PAUSE_ENV] = pause
    return env


def add_visit(visit_id: str) -> list[str]:
    return [
        "add", "visit", "--id", visit_id, "--holder", "bailliet", "--country", "NLD",
        "--status", "requested", "--source", "A/HRC/00/00",
    ]  # fmt: skip


def start_paused(data: Path, *args: str, at: str = "") -> subprocess.Popen[str]:
    """Run a write that pauses before renaming its file (only the file at, if given)."""
    process = subprocess.Popen(
        command(data, *args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(pause=f"600:{at}" if at else "600"),
    )
    # A safety net, not a timing: never leave a paused writer behind if a test goes wrong.
    watchdog = threading.Timer(120, process.kill)
    watchdog.daemon = True
    watchdog.start()
    return process


def wait_for_pause(process: subprocess.Popen[str]) -> str:
    """Read stderr until the writer says it paused; return the file it paused on."""
    assert process.stderr is not None
    while True:
        line = process.stderr.readline()
        assert line, f"the writer ended before pausing: {process.wait()}"
        if line.startswith("tracker: paused before replacing "):
            return line.strip().rsplit(" ", 1)[1]


def kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL


def valid_records(data: Path) -> dict[str, list[str]]:
    """Every file parses and the whole data set validates; the keys of every kind."""
    dataset, problems = sources.load(data)
    assert problems == []
    errors = [p for p in validate(dataset, TODAY) if p.is_error]
    assert errors == []
    return {kind: [r.key for r in dataset.of(kind)] for kind in dataset.records}


def contents(data: Path) -> dict[str, bytes]:
    return {
        name: (data / name).read_bytes() for name in ("mandate.toml", "visits.toml", "themes.toml")
    }


def test_killed_before_the_rename_leaves_the_old_file_and_the_lock_free(shipped, tracker):
    before = contents(shipped)
    keys = valid_records(shipped)
    process = start_paused(shipped, *add_visit("nld-2026"))
    assert wait_for_pause(process) == "visits.toml"
    leftover = list(shipped.glob(".visits.toml.*.tmp"))
    assert len(leftover) == 1  # the new text is on disk, beside the file
    assert "nld-2026" in leftover[0].read_text()
    kill(process)
    assert contents(shipped) == before
    assert valid_records(shipped) == keys
    # The lock died with the process: the next write goes through and tidies up.
    result = tracker(*add_visit("nld-2027"))
    assert result.exit_code == 0, result.output
    assert valid_records(shipped)["visit"] == [*keys["visit"], "nld-2027"]
    assert not list(shipped.glob(".*.tmp"))


def test_killed_between_the_renames_of_a_change_spanning_files(shipped):
    """Removing a theme unlinks it in visits.toml first: the files still agree."""
    process = start_paused(shipped, "remove", "theme", "covid-19", "--cascade", at="themes.toml")
    assert wait_for_pause(process) == "themes.toml"
    kill(process)
    keys = valid_records(shipped)
    assert "covid-19" in keys["theme"]  # themes.toml is the old one ...
    assert "covid-19" not in (shipped / "visits.toml").read_text()  # ... visits.toml the new


def test_killed_at_random_moments(shipped):
    """Kill writers at random moments, many times: every file stays valid, nothing is lost."""
    rng = random.Random(20261123)
    expected = valid_records(shipped)["visit"]
    for attempt in range(8):
        visit_id = f"kill-{attempt}"
        process = subprocess.Popen(
            command(shipped, *add_visit(visit_id)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=environment(),
        )
        time.sleep(rng.uniform(0.0, 0.6))  # when to kill, not an assertion on time
        process.kill()
        process.wait()
        visits = valid_records(shipped)["visit"]
        if visit_id in visits:
            expected.append(visit_id)
        assert visits == expected


WORKER = textwrap.dedent(
    """\
    import subprocess, sys
    data, prefix = sys.argv[1], sys.argv[2]
    for number in range(50):
        subprocess.run(
            [sys.executable, "-m", "tracker", "--data", data, "add", "visit",
             "--id", f"{prefix}-{number}", "--holder", "bailliet", "--country", "NLD",
             "--status", "requested", "--source", "A/HRC/00/00"],
            check=True, stdout=subprocess.DEVNULL,
        )
    """
)


def test_two_processes_adding_fifty_visits_each_lose_nothing(shipped, tracker):
    before = valid_records(shipped)["visit"]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(shipped), prefix],
            env=environment(),
            stderr=subprocess.PIPE,
            text=True,
        )
        for prefix in ("left", "right")
    ]
    for worker in workers:
        _, errors = worker.communicate()
        assert worker.returncode == 0, errors
    visits = valid_records(shipped)["visit"]
    added = {f"{p}-{n}" for p in ("left", "right") for n in range(50)}
    assert len(visits) == len(before) + 100
    assert set(visits) == set(before) | added
    listed = tracker("visits", "--status", "requested", "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert len(json.loads(listed.stdout)) == 100  # the store was refreshed too
    assert "visits.toml" not in [path.name for path, _ in not_canonical(shipped)]

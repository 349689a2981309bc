"""Stress, bounded in time: tracker writers, readers and a person editing by hand, at once.

Three writer processes add visits (`tracker add visit`, one process a visit), reader
processes list the visits as JSON over and over, and a hand editor appends visits to
visits.toml as a person would: in place, or by saving a copy and renaming it over the
file, checking first, as an editor does, that nobody saved the file since it read it.
The editor takes no lock; tracker's writers check before each rename that the file is
still the one they read (tracker.writer), and readers check that the store they open
was built from the files they saw or later ones (tracker.store).

At the end every visit that any of them saved is there, every reader's output was some
version of the files (valid JSON; a record once listed is listed by every later read of
that reader; never fewer visits than at the start, nor more than were added), and
`tracker check` is clean. Each loop has a fixed number of turns, and every process a
timeout: the test ends in bounded time whatever happens.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from reliability import Budget, Ledger
from test_faults import environment, run
from test_store_faults import fresh_data

pytestmark = pytest.mark.slow

WRITER_PROCESSES = 3

WRITER = """\
import json, subprocess, sys
data, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
ends = []
for number in range(count):
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "--data", data, "add", "visit",
         "--id", f"{prefix}-{number}", "--holder", "bailliet", "--country", "NLD",
         "--status", "requested", "--source", "A/HRC/00/00"],
        capture_output=True, text=True, timeout=300,
    )
    ends.append({"id": f"{prefix}-{number}", "code": done.returncode, "stderr": done.stderr[-800:]})
print(json.dumps(ends))
"""

READER = """\
import json, os, subprocess, sys
data, stop = sys.argv[1], sys.argv[2]
runs = []
while not os.path.exists(stop) or len(runs) < 2:
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "--data", data, "visits", "--format", "json"],
        capture_output=True, text=True, timeout=300,
    )
    try:
        ids = sorted(visit["id"] for visit in json.loads(done.stdout))
    except (ValueError, TypeError, KeyError):
        ids = None
    runs.append({"code": done.returncode, "ids": ids, "stderr": done.stderr[-800:]})
print(json.dumps(runs))
"""


def hand_visit(number: int) -> str:
    return (
        f'\n[[visit]]\nid = "hand-{number}"\nholder = "bailliet"\ncountry = "NOR"\n'
        'status = "requested"\nsource = "A/HRC/00/00"\n'
    )


def save_by_rename(path: Path, addition: str) -> None:
    """As an editor saves: read, write a copy, and rename it over the file, unless the
    file changed since it was read (then start again, as an editor asks to reload)."""
    while True:
        before = path.read_bytes()
        copy = path.with_name(f".{path.name}.editor~")
        copy.write_bytes(before + addition.encode())
        if path.read_bytes() == before:
            os.replace(copy, path)
            return
        copy.unlink()


def edit_by_hand(path: Path, count: int, rng: random.Random) -> list[str]:
    """Append count visits to path, in place and by rename in turn; their ids."""
    saved = []
    for number in range(count):
        time.sleep(rng.uniform(0.05, 0.4))
        if number % 2:
            save_by_rename(path, hand_visit(number))
        else:
            with path.open("a", encoding="utf-8") as file:
                file.write(hand_visit(number))
        saved.append(f"hand-{number}")
    return saved


def test_writers_readers_and_a_hand_editor_at_once_lose_nothing(
    ledger: Ledger, budget: Budget, tmp_path: Path
) -> None:
    writes = budget.writes
    row = ledger.row(
        "stress",
        "Concurrency",
        f"Stress: {WRITER_PROCESSES} writer processes adding visits, reader processes "
        "listing them, and a hand editor appending visits to visits.toml (in place and by "
        "rename), all at once",
        scale="open",
    )
    folder = fresh_data(tmp_path)
    assert run(folder, "sync").returncode == 0
    before = len(json.loads(run(folder, "visits", "--format", "json").stdout))
    stop = tmp_path / "stop"
    env = environment()
    deadline = 600  # seconds; every loop below has a fixed number of turns
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(folder), str(stop)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(budget.readers)
    ]
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(folder), f"w{n}", str(writes)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for n in range(WRITER_PROCESSES)
    ]
    try:
        hand_saved = edit_by_hand(folder / "visits.toml", writes, random.Random(11))
        saved = set(hand_saved)
        for _ in hand_saved:
            row.case("hand edit: saved")
        for writer in writers:
            output, _ = writer.communicate(timeout=deadline)
            for end in json.loads(output):
                if "Traceback" in end["stderr"]:
                    row.fail("tracebacks", end["stderr"])
                if end["code"] == 0:
                    saved.add(end["id"])
                    row.case("writer: saved, exit 0")
                elif end["code"] == 1 and "changed while tracker was writing it" in end["stderr"]:
                    row.case(
                        "writer: refused, the file changed at every try (clear message, exit 1)"
                    )
                else:
                    row.fail("wrong or unclear results", json.dumps(end))
    finally:
        stop.touch()
        for process in [*writers, *readers]:
            if process.poll() is None and process not in readers:
                process.kill()
    high = before + WRITER_PROCESSES * writes + writes
    for reader in readers:
        output, _ = reader.communicate(timeout=deadline)
        seen: set[str] = set()
        for one in json.loads(output):
            if "Traceback" in one["stderr"]:
                row.fail("tracebacks", one["stderr"])
            ids = set(one["ids"] or ())
            if one["code"] != 0 or one["ids"] is None or one["stderr"]:
                row.fail("wrong or unclear results", json.dumps(one))
            elif not before <= len(ids) <= high:
                row.fail("wrong or unclear results", f"{len(ids)} visits listed")
            elif not seen <= ids:
                row.fail("lost records", f"listed before, then not: {sorted(seen - ids)}")
            seen = ids
            row.case("reader: exit 0, a version of the files listed")
    final = run(folder, "visits", "--format", "json")
    listed = {visit["id"] for visit in json.loads(final.stdout)}
    if not saved <= listed:
        row.fail("lost records", f"saved, then missing: {sorted(saved - listed)}")
    row.case(f"at the end: every saved visit there ({len(saved)})")
    checked = run(folder, "check")
    if checked.returncode != 0:
        row.fail("wrong or unclear results", f"check: {checked.stdout}{checked.stderr}")
    leftovers = sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))
    if leftovers:
        row.fail("half-written files", f"temporary files left: {leftovers}")
    row.case("at the end: check clean, no temporary file left")
    row.assert_clean()

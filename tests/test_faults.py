"""Faults during writes: killed writers, a full disk, read-only, missing and partial folders.

After every fault: each data file parses and holds either its old content or its new
content (byte for byte), no record is lost, the store rebuilds and shows what the files
hold, and the user saw a clear message (exit 1, no traceback). The writes run as real
processes (`python -m tracker`), killed with SIGKILL: at the moment the writer's test
hook (TRACKER_TEST_PAUSE_BEFORE_REPLACE) announces a rename, and at random moments
without it. Each test records its cases in the reliability ledger (tests/reliability.py).
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import SHIPPED, TODAY
from reliability import Budget, Ledger, Row
from typer.testing import CliRunner

from tracker import sources
from tracker.cli.app import app
from tracker.model import DATA_FILES
from tracker.validate import validate
from tracker.writer import PAUSE_ENV

# Slow (writers killed and disks filled, in real processes): out of the everyday `pytest -m "not slow"`.
pytestmark = pytest.mark.slow

AREA = "Faults on write"
PAUSED = "tracker: paused before replacing "


# --- running the real program ---------------------------------------------------------


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env["TRACKER_TODAY"] = TODAY
    env.update(extra)
    return env


def tracker_command(folder: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "tracker", "--data", str(folder), *args]


def run(folder: Path, *args: str, **options: Any) -> subprocess.CompletedProcess[str]:
    options.setdefault("env", environment())
    return subprocess.run(
        tracker_command(folder, *args), capture_output=True, text=True, timeout=120, **options
    )


def start(folder: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        tracker_command(folder, *args),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(**env),
    )
    # A safety net, not a timing: never leave a writer behind if a test goes wrong.
    watchdog = threading.Timer(120, process.kill)
    watchdog.daemon = True
    watchdog.start()
    return process


def kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait()


CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 1, 2, 3
PR_CAPBSET_DROP = 24


def as_ordinary_user() -> Callable[[], None] | None:
    """A preexec_fn under which file permissions bind a root process's child too.

    Tests here often run as root, whom a read-only folder does not stop; dropping the
    capabilities that override permissions makes the child meet them like any user.
    """
    if os.geteuid() != 0:
        return None
    libc = ctypes.CDLL(None, use_errno=True)

    def drop() -> None:
        for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
            if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "cannot drop a capability")

    return drop


def can_drop_capabilities() -> bool:
    drop = as_ordinary_user()
    if drop is None:
        return True
    try:
        subprocess.run(["true"], preexec_fn=drop, check=True)
    except (OSError, subprocess.SubprocessError):
        return False
    return True


# --- what the folder holds ------------------------------------------------------------


def contents(folder: Path) -> dict[str, bytes | None]:
    found: dict[str, bytes | None] = {}
    for name in DATA_FILES:
        path = folder / name
        found[name] = path.read_bytes() if path.is_file() else None
    return found


def keys(folder: Path) -> dict[str, set[str]]:
    """The key of every record; the files must parse and the data set validate."""
    dataset, problems = sources.load(folder)
    errors = problems + [p for p in validate(dataset) if p.is_error]
    assert not errors, [str(p) for p in errors]
    return {kind: {r.key for r in dataset.of(kind)} for kind in dataset.records}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def store_shows(folder: Path, row: Row) -> None:
    """The store rebuilds (or updates) and lists exactly the visits the files hold."""
    result = CliRunner().invoke(app, ["--data", str(folder), "visits", "--format", "json"])
    if result.exception and not isinstance(result.exception, SystemExit):
        row.fail("tracebacks", f"reading after the fault: {result.exception!r}")
    if result.exit_code != 0:
        row.fail("wrong or unclear results", f"reading after the fault: {result.output}")
    listed = {visit["id"] for visit in json.loads(result.stdout)}
    if listed != keys(folder)["visit"]:
        row.fail("wrong or unclear results", f"the store shows {sorted(listed)}")


# --- the writes -----------------------------------------------------------------------


@dataclass(frozen=True)
class Write:
    """A write command and the records it adds and removes (by kind)."""

    label: str
    args: tuple[str, ...]
    added: tuple[tuple[str, str], ...] = ()
    removed: tuple[tuple[str, str], ...] = ()


ADD_VISIT = (
    "add", "visit", "--id", "nld-2026", "--holder", "bailliet", "--country", "NLD",
    "--status", "requested", "--source", "A/HRC/00/00",
)  # fmt: skip
ADD_THEME = (
    "add", "theme", "--id", "debt", "--title", "Debt", "--mandate", "international-solidarity",
    "--source", "A/HRC/00/00",
)  # fmt: skip

WRITES = [
    Write("add a visit", ADD_VISIT, added=(("visit", "nld-2026"),)),
    Write("update a visit", ("update", "visit", "cri-2022", "--note", "Checked again.")),
    Write(
        "remove a theme and unlink it (two files)",
        ("remove", "theme", "covid-19", "--cascade"),
        removed=(("theme", "covid-19"),),
    ),
    Write("update a holder", ("update", "holder", "bailliet", "--note", "Checked.")),
    Write("add a theme", ADD_THEME, added=(("theme", "debt"),)),
]


@dataclass
class Reference:
    """A write run to completion on a copy of the shipped data: its old and new files."""

    write: Write
    old: dict[str, bytes | None]
    new: dict[str, bytes | None]
    seconds: float


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Reference]:
    found = {}
    for write in WRITES:
        folder = tmp_path_factory.mktemp("reference") / "data"
        shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns("*.db*", ".*"))
        old = contents(folder)
        began = time.monotonic()
        done = run(folder, *write.args)
        assert done.returncode == 0, done.stderr
        found[write.label] = Reference(write, old, contents(folder), time.monotonic() - began)
        assert found[write.label].new != old
    return found


def fresh_copy(base: Path, number: int) -> Path:
    folder = base / f"data-{number}"
    shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns("*.db*", ".*"))
    return folder


def judge_files(folder: Path, reference: Reference, row: Row) -> str:
    """Each file old or new, byte for byte; no record lost; the store agrees."""
    now = contents(folder)
    states = []
    for name in DATA_FILES:
        if now[name] == reference.old[name]:
            states.append("old")
        elif now[name] == reference.new[name]:
            states.append("new")
        else:
            row.fail("half-written files", f"{reference.write.label}: {name} is neither")
    try:
        found = keys(folder)
    except AssertionError as error:
        row.fail("half-written files", f"{reference.write.label}: {error}")
    old_keys = keys_of(reference.old, folder)
    for kind, records in old_keys.items():
        missing = records - found[kind] - {k for t, k in reference.write.removed if t == kind}
        if missing:
            row.fail("lost records", f"{reference.write.label}: {kind} {sorted(missing)}")
    left = leftovers(folder)
    store_shows(folder, row)
    changed = [
        state
        for state, name in zip(states, DATA_FILES, strict=True)
        if reference.old[name] != reference.new[name]
    ]
    if set(changed) == {"old"}:
        outcome = "old files"
    elif set(changed) == {"new"}:
        outcome = "new files"
    else:
        outcome = "one file new, the other old (each whole and valid)"
    if any(name.startswith(".tracker.db") for name in left):
        outcome += ", a killed rebuild's temporary store left behind"
    elif left:
        outcome += ", the new file left beside it (the next write removes it)"
    return outcome


def keys_of(files: dict[str, bytes | None], scratch: Path) -> dict[str, set[str]]:
    folder = scratch.parent / f"{scratch.name}-old"
    folder.mkdir(exist_ok=True)
    for name, content in files.items():
        if content is not None:
            (folder / name).write_bytes(content)
    return keys(folder)


# --- SIGKILL --------------------------------------------------------------------------


def test_writers_killed_at_each_rename(
    ledger: Ledger, budget: Budget, references: dict[str, Reference], tmp_path: Path
) -> None:
    row = ledger.row(
        "kill-at-rename",
        AREA,
        "Writers killed (SIGKILL) with the new file on disk, just before its rename; "
        "for changes spanning two files, before either rename",
        scale="kills",
    )
    rng = random.Random(f"{budget.name}-rename")
    for number in range(budget.kills):
        reference = references[WRITES[number % len(WRITES)].label]
        folder = fresh_copy(tmp_path, number)
        changed = [n for n in DATA_FILES if reference.old[n] != reference.new[n]]
        at = rng.randrange(len(changed))  # how many renames to let through first
        process = start(folder, *reference.write.args, **{PAUSE_ENV: "0.5"})
        assert process.stderr is not None
        for _ in range(at + 1):
            line = process.stderr.readline()
            while line and not line.startswith(PAUSED):
                line = process.stderr.readline()
            assert line, f"the writer ended before pausing: {process.wait()}"
            name = line.strip().removeprefix(PAUSED)
            pending = list(folder.glob(f".{name}.*.tmp"))
            if pending[0].read_bytes() != reference.new[name]:
                row.fail("half-written files", f"the new {name} on disk is not the whole file")
        kill(process)
        row.case(judge_files(folder, reference, row))
    # The lock died with the writers, and the next write removes what they left behind.
    assert leftovers(folder)
    done = run(folder, *AFTER)
    assert done.returncode == 0, done.stderr
    assert leftovers(folder) == []
    row.assert_clean()


AFTER = (
    "add", "theme", "--id", "after-the-kill", "--title", "After the kill", "--mandate",
    "international-solidarity", "--source", "A/HRC/00/00",
)  # fmt: skip


def test_writers_killed_at_random_moments(
    ledger: Ledger, budget: Budget, references: dict[str, Reference], tmp_path: Path
) -> None:
    row = ledger.row(
        "kill-random",
        AREA,
        "Writers killed (SIGKILL) at random moments, from start-up to the store refresh",
        scale="kills",
    )
    rng = random.Random(f"{budget.name}-random")
    for number in range(budget.kills):
        reference = references[WRITES[number % len(WRITES)].label]
        folder = fresh_copy(tmp_path, number)
        process = start(folder, *reference.write.args)
        time.sleep(rng.uniform(0, reference.seconds * 1.2))  # when to kill; not a check
        kill(process)
        row.case(judge_files(folder, reference, row))
    row.assert_clean()


# --- a full disk ----------------------------------------------------------------------


def no_space(*_: Any, **__: Any) -> Any:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class HalfWriting:
    """A file that takes half of what it is given, then finds the disk full."""

    def __init__(self, handle: Any):
        self.handle = handle

    def write(self, text: str) -> int:
        self.handle.write(text[: len(text) // 2])
        self.handle.flush()
        no_space()
        return 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)

    def __enter__(self) -> HalfWriting:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.handle.close()


@contextmanager
def full_disk(monkeypatch: pytest.MonkeyPatch, step: str, nth: int = 1) -> Iterator[None]:
    """Make one step of writing the nth data file fail with ENOSPC, in this process."""
    from tracker import writer

    real_open, real_fsync, real_replace = open, os.fsync, os.replace
    seen = {"write": 0, "fsync": 0, "rename": 0}

    def reached(what: str) -> bool:
        seen[what] += 1
        return seen[what] == nth

    def half_open(path: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        handle = real_open(path, mode, *args, **kwargs)
        if str(path).endswith(".tmp") and "w" in mode and reached("write"):
            return HalfWriting(handle)
        return handle

    def fsync(descriptor: int) -> None:
        if os.path.isfile(f"/proc/self/fd/{descriptor}") and reached("fsync"):
            no_space()
        real_fsync(descriptor)

    def replace(source: Any, target: Any) -> None:
        if str(target).endswith(".toml") and reached("rename"):
            no_space()
        real_replace(source, target)

    with monkeypatch.context() as patch:
        if step == "write":
            patch.setattr(writer, "open", half_open, raising=False)
        elif step == "fsync":
            patch.setattr(os, "fsync", fsync)
        else:
            patch.setattr(os, "replace", replace)
        yield


STEPS = ("write", "fsync", "rename")


def test_a_full_disk_while_writing_leaves_the_files_whole(
    ledger: Ledger,
    references: dict[str, Reference],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    row = ledger.row(
        "disk-full",
        AREA,
        "Disk full (ENOSPC) while writing the new file, at its fsync, and at its rename, "
        "for every kind of write",
    )
    cases = [(step, reference, 1) for step in STEPS for reference in references.values()]
    # A change that spans two files: the disk fills up at the second one.
    cases += [
        (step, reference, 2)
        for step in STEPS
        for reference in references.values()
        if sum(reference.old[n] != reference.new[n] for n in DATA_FILES) > 1
    ]
    for number, (step, reference, nth) in enumerate(cases):
        folder = fresh_copy(tmp_path, number)
        runner = CliRunner()
        runner.invoke(app, ["--data", str(folder), "sync"])
        with full_disk(monkeypatch, step, nth):
            result = runner.invoke(app, ["--data", str(folder), *reference.write.args])
        where = f"{reference.write.label}, {step} of file {nth}"
        if result.exception and not isinstance(result.exception, SystemExit):
            row.fail("tracebacks", f"{where}: {result.exception!r}")
        if result.exit_code != 1 or "No space left on device" not in result.stderr:
            row.fail("wrong or unclear results", f"{where}: {result.output}")
        if leftovers(folder):
            row.fail("half-written files", f"{where}: left {leftovers(folder)}")
        outcome = judge_files(folder, reference, row)
        if "one file new" in outcome and "already holds its part" not in result.stderr:
            row.fail("wrong or unclear results", f"{where}: not told what was written")
        row.case(f"clear message, exit 1, {outcome}")
    row.assert_clean()


def file_size_limit(limit: int) -> Callable[[], None]:
    """A preexec_fn: no file the process writes may grow beyond limit bytes (EFBIG),
    the way a full disk stops a write part-way."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def write_under_a_size_limit(row: Row, reference: Reference, folder: Path, limit: int) -> None:
    assert run(folder, "sync").returncode == 0
    done = run(folder, *reference.write.args, preexec_fn=file_size_limit(limit))
    if leftovers(folder):
        row.fail("half-written files", f"limit {limit}: left {leftovers(folder)}")
    outcome = judge_files(folder, reference, row)
    if "Traceback" in done.stderr:
        row.fail("tracebacks", f"limit {limit}: {done.stderr[-1500:]}", stop=False)
    elif done.returncode != 1 or not done.stderr.startswith("Error: "):
        row.fail("wrong or unclear results", f"limit {limit}: {done.stderr}", stop=False)
    else:
        row.case(f"clear message, exit 1, {outcome}")


def test_a_file_size_limit_stops_the_data_write_cleanly(
    ledger: Ledger, references: dict[str, Reference], tmp_path: Path
) -> None:
    row = ledger.row(
        "file-size-limit",
        AREA,
        "A real limit on file size (RLIMIT_FSIZE, as a full disk) too small for the new "
        "data file, for every kind of write",
    )
    for number, reference in enumerate(references.values()):
        sizes = [len(reference.new[name] or b"") for name in DATA_FILES]
        limit = min(size for size in sizes if size) // 2
        write_under_a_size_limit(row, reference, fresh_copy(tmp_path, number), limit)
    row.assert_clean()


def test_a_file_size_limit_stops_the_store_refresh_cleanly(
    ledger: Ledger, budget: Budget, references: dict[str, Reference], tmp_path: Path
) -> None:
    row = ledger.row(
        "store-size-limit",
        AREA,
        "A real limit on file size (RLIMIT_FSIZE, as a full disk) that lets the data file "
        "through but not the store's refresh",
    )
    chosen = list(references.values())
    if budget.name == "ci":
        chosen = [references["add a visit"], references["remove a theme and unlink it (two files)"]]
    for number, reference in enumerate(chosen):
        limit = max(len(reference.new[name] or b"") for name in DATA_FILES) + 4096
        write_under_a_size_limit(row, reference, fresh_copy(tmp_path, number), limit)
    row.assert_clean()


# --- read-only, missing and partial data folders --------------------------------------


@pytest.mark.skipif(not can_drop_capabilities(), reason="cannot make a folder read-only here")
def test_a_read_only_data_folder(
    ledger: Ledger, references: dict[str, Reference], tmp_path: Path
) -> None:
    row = ledger.row(
        "read-only",
        AREA,
        "A read-only data folder: every write refused with a clear message; reads work "
        "(the store goes to the cache folder)",
    )
    folder = fresh_copy(tmp_path, 0)
    cache = tmp_path / "cache"
    cache.mkdir()
    before = contents(folder)
    expected = run(fresh_copy(tmp_path, 1), "visits", "--format", "json").stdout
    folder.chmod(0o555)
    env = environment(XDG_CACHE_HOME=str(cache))
    try:
        for reference in references.values():
            done = run(folder, *reference.write.args, env=env, preexec_fn=as_ordinary_user())
            if "Traceback" in done.stderr:
                row.fail("tracebacks", done.stderr[-1500:])
            if done.returncode != 1 or "cannot write in the data folder" not in done.stderr:
                row.fail("wrong or unclear results", f"{reference.write.label}: {done.stderr}")
            if contents(folder) != before:
                row.fail("half-written files", f"{reference.write.label} changed a file")
            row.case("write refused: clear message, exit 1, files unchanged")
        for args in (("visits", "--format", "json"), ("check",), ("report", "--format", "md")):
            done = run(folder, *args, env=env, preexec_fn=as_ordinary_user())
            if done.returncode != 0 or "Traceback" in done.stderr:
                row.fail("tracebacks", f"{args}: {done.stderr[-1500:]}")
            if args[0] == "visits" and done.stdout != expected:
                row.fail("wrong or unclear results", "visits differ in a read-only folder")
            row.case("read: exit 0, same output")
    finally:
        folder.chmod(0o755)
    assert list((cache / "tracker").glob("*.db")), "the store went to the cache folder"
    row.assert_clean()


def test_a_missing_data_folder(ledger: Ledger, tmp_path: Path) -> None:
    row = ledger.row(
        "missing-folder",
        AREA,
        "A missing data folder, or a file where the folder should be, for reads, checks, "
        "reports and writes",
    )
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    commands = [
        ("visits",),
        ("check",),
        ("report", "--format", "html"),
        ADD_VISIT,
    ]
    refused_everywhere(row, tmp_path, commands)


def refused_everywhere(row: Row, tmp_path: Path, commands: list[tuple[str, ...]]) -> None:
    """Each command, for a missing folder, a file, and a folder under a missing one.
    In-process, except the first command for the first folder (a real process)."""
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    cache = tmp_path / "cache"
    env = environment(XDG_CACHE_HOME=str(cache))
    real = True
    for folder in (tmp_path / "nowhere", a_file, tmp_path / "nowhere" / "deeper"):
        for args in commands:
            if real:
                done = run(folder, *args, env=env)
                code, stderr, real = done.returncode, done.stderr, False
            else:
                result = CliRunner().invoke(app, ["--data", str(folder), *args], env=env)
                if result.exception and not isinstance(result.exception, SystemExit):
                    row.fail("tracebacks", f"{args}: {result.exception!r}")
                code, stderr = result.exit_code, result.stderr
            if "Traceback" in stderr:
                row.fail("tracebacks", f"{args}: {stderr[-1500:]}")
            if code != 1 or f"no data folder at {folder}" not in stderr:
                row.fail("wrong or unclear results", f"{folder} {args}: {stderr}")
            row.case("clear message naming the folder, exit 1")
    assert not (tmp_path / "nowhere").exists()  # nothing created by mistake
    assert not cache.exists(), "a store was built for a folder that does not exist"
    row.assert_clean()


def test_sync_of_a_missing_data_folder(ledger: Ledger, tmp_path: Path) -> None:
    row = ledger.row(
        "missing-folder-sync",
        AREA,
        "`tracker sync` of a missing data folder, or of a file where the folder should be",
    )
    refused_everywhere(row, tmp_path, [("sync",)])


def test_a_data_folder_with_only_some_files(ledger: Ledger, tmp_path: Path) -> None:
    row = ledger.row(
        "partial-folder",
        AREA,
        "A data folder with only some of the three files (every subset): reads, checks and writes",
    )
    number = 0
    for mask in range(8):
        kept = [name for bit, name in enumerate(DATA_FILES) if mask & (1 << bit)]
        for args in (("check",), ("visits", "--format", "json"), ADD_THEME):
            number += 1
            folder = tmp_path / f"partial-{number}"
            folder.mkdir()
            for name in kept:
                shutil.copy(SHIPPED / name, folder / name)
            before = contents(folder)
            done = CliRunner().invoke(app, ["--data", str(folder), *args])
            if done.exception and not isinstance(done.exception, SystemExit):
                row.fail("tracebacks", f"{kept} {args}: {done.exception!r}")
            if done.exit_code == 0:
                keys(folder)  # whatever was written is whole and valid
                outcome = "exit 0" if contents(folder) == before else "exit 0, file written"
            elif done.exit_code == 1 and done.stderr.strip():
                if contents(folder) != before:
                    row.fail("half-written files", f"{kept} {args}: refused but changed")
                outcome = "clear message, exit 1, files unchanged"
            else:
                row.fail("wrong or unclear results", f"{kept} {args}: {done.stderr}")
            row.case(outcome)
    row.assert_clean()

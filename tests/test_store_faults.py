"""Faults in the store: deleted, truncated, corrupted, read-only, from another schema,
and read by many processes while writers write.

The store is derived from the TOML files, so the rule is: a damaged or outdated store is
detected and rebuilt (the output is then exactly what a fresh store gives), or reported
with a clear message; it is never trusted to give a wrong answer, and never ends in a
traceback. Each test records its cases in the reliability ledger (tests/reliability.py).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SHIPPED
from reliability import Budget, Ledger, Row
from test_faults import as_ordinary_user, can_drop_capabilities, environment, run
from typer.testing import CliRunner

from tracker.cli.app import app
from tracker.store import SCHEMA_VERSION

# Slow (store faults: many stores built and broken): out of the everyday `pytest -m "not slow"`.
pytestmark = pytest.mark.slow

AREA = "Faults in the store"

# Read commands whose output must not change whatever happened to the store.
READS = [
    ("holders", "--format", "json"),
    ("visits", "--format", "json"),
    ("reports", "--format", "json"),
    ("themes", "--format", "json"),
    ("resolutions", "--format", "json"),
    ("search", "solidarity", "--limit", "50", "--format", "json"),
]


def invoke(folder: Path, *args: str) -> Any:
    return CliRunner().invoke(app, ["--data", str(folder), *args])


def fresh_data(base: Path, name: str = "data") -> Path:
    folder = base / name
    shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns("*.db*", ".*"))
    return folder


def outputs(folder: Path) -> list[str]:
    return [invoke(folder, *args).stdout for args in READS]


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, list[str], bytes]:
    """A data folder with a freshly built store: the folder, the expected outputs of READS,
    and the store's bytes."""
    folder = fresh_data(tmp_path)
    expected = outputs(folder)
    assert all(expected)
    return folder, expected, (folder / "tracker.db").read_bytes()


def judge_reads(folder: Path, expected: list[str], row: Row, what: str, stop: bool = True) -> None:
    """Every read gives the output a fresh store gives, or a clear message (exit 1).
    Records the case in row."""
    messages = 0
    for args, wanted in zip(READS, expected, strict=True):
        result = invoke(folder, *args)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            row.fail("tracebacks", f"{what}: {args[0]}: {result.exception!r}", stop)
            return
        if result.exit_code == 1 and result.stderr.startswith("Error: "):
            messages += 1
        elif result.exit_code != 0 or result.stdout != wanted:
            row.fail("wrong or unclear results", f"{what}: {args[0]} gave other output", stop)
            return
    row.case("clear message, exit 1" if messages else "same output as a fresh store")


# --- deleted, truncated, replaced -----------------------------------------------------


def test_a_deleted_or_replaced_store_is_rebuilt(
    ledger: Ledger, built: tuple[Path, list[str], bytes]
) -> None:
    row = ledger.row(
        "store-replaced",
        AREA,
        "Store deleted, emptied, replaced by text, by another SQLite database, by a "
        "dangling link, or its leftover journal beside it",
    )
    folder, expected, good = built
    store = folder / "tracker.db"

    def other_database() -> None:
        conn = sqlite3.connect(store)
        conn.execute("create table notes (text)")
        conn.execute("insert into notes values ('not tracker')")
        conn.commit()
        conn.close()

    def hot_journal() -> None:
        store.write_bytes(good)
        (folder / "tracker.db-journal").write_bytes(os.urandom(2048))

    damage: dict[str, Callable[[], object]] = {
        "deleted": store.unlink,
        "emptied": lambda: store.write_bytes(b""),
        "replaced by text": lambda: store.write_text("not a database\n" * 100),
        "replaced by another SQLite database": other_database,
        "a dangling symbolic link": lambda: store.symlink_to(folder / "nowhere.db"),
        "a journal of random bytes beside it": hot_journal,
    }
    for label, act in damage.items():
        store.unlink(missing_ok=True)
        store.write_bytes(good)
        if label in ("replaced by another SQLite database", "a dangling symbolic link"):
            store.unlink()
        act()
        judge_reads(folder, expected, row, label)
        (folder / "tracker.db-journal").unlink(missing_ok=True)
    row.assert_clean()


def test_a_truncated_store_is_rebuilt(
    ledger: Ledger, budget: Budget, built: tuple[Path, list[str], bytes]
) -> None:
    row = ledger.row(
        "store-truncated",
        AREA,
        "Store cut short: inside its header, at page boundaries, at random lengths",
        scale="corruptions/4",
    )
    folder, expected, good = built
    rng = random.Random(f"{budget.name}-truncate")
    lengths = [1, 50, 99, 100, 4095, 4096, 8192, len(good) // 2, len(good) - 4096, len(good) - 1]
    lengths += [rng.randrange(len(good)) for _ in range(budget.corruptions // 4)]
    for length in lengths:
        (folder / "tracker.db").write_bytes(good[:length])
        judge_reads(folder, expected, row, f"cut at {length} of {len(good)}")
    row.assert_clean()


# --- corrupted bytes ------------------------------------------------------------------


def test_a_store_with_corrupted_bytes_is_never_trusted(
    ledger: Ledger, budget: Budget, built: tuple[Path, list[str], bytes]
) -> None:
    row = ledger.row(
        "store-corrupted",
        AREA,
        "Store with random bytes changed (one bit, one byte, a run of bytes), anywhere in the file",
        scale="corruptions",
    )
    folder, expected, good = built
    rng = random.Random(f"{budget.name}-corrupt")
    for number in range(budget.corruptions):
        damaged = bytearray(good)
        at = rng.randrange(len(damaged))
        how = ("bit", "byte", "run")[number % 3]
        if how == "bit":
            damaged[at] ^= 1 << rng.randrange(8)
        elif how == "byte":
            damaged[at] = (damaged[at] + rng.randrange(1, 256)) % 256
        else:
            damaged[at : at + 64] = os.urandom(len(damaged[at : at + 64]))
        (folder / "tracker.db").write_bytes(bytes(damaged))
        judge_reads(folder, expected, row, f"{how} at {at}", stop=False)
    row.assert_clean()


# Stored values of the shipped data, and what one changed letter makes of them.
CONTENT = [("Okafor", "Okafar"), ("Cecilia", "Cecelia"), ("NOR", "NLR"), ("Norway", "Nerway")]


def test_a_store_with_a_changed_value_is_never_trusted(
    ledger: Ledger, built: tuple[Path, list[str], bytes]
) -> None:
    row = ledger.row(
        "store-content-changed",
        AREA,
        "Store with one letter changed inside a stored value (a name, a country code), "
        "its structure intact",
    )
    folder, expected, good = built
    for old, new in CONTENT:
        assert old.encode() in good, old
        # Everywhere it is stored (its table, the search index, the parse cache).
        (folder / "tracker.db").write_bytes(good.replace(old.encode(), new.encode()))
        judge_reads(folder, expected, row, f"{old} changed to {new}", stop=False)
    row.assert_clean()


def test_a_tampered_parse_cache_is_never_trusted(
    ledger: Ledger, built: tuple[Path, list[str], bytes]
) -> None:
    row = ledger.row(
        "store-cache-tampered",
        AREA,
        "The store's cache of parsed files (incremental sync) holding broken JSON, another "
        "shape, or a record too few, when another file changes",
    )
    folder, expected, good = built
    tampering = {
        "broken JSON": "{",
        "a list instead of a table": "[]",
        "a kind that is not a list": '{"visit": 5}',
    }
    visits = json.loads(cached(folder, "visits.toml"))
    visits["visit"] = visits["visit"][1:]
    tampering["a visit too few"] = json.dumps(visits)
    for label, document in tampering.items():
        (folder / "tracker.db").write_bytes(good)
        conn = sqlite3.connect(folder / "tracker.db")
        conn.execute("update source_cache set document = ? where file = 'visits.toml'", (document,))
        conn.commit()
        conn.close()
        touch_themes(folder)
        # A comment more in themes.toml changes no output.
        judge_reads(folder, expected, row, label, stop=False)
        shutil.copy(SHIPPED / "themes.toml", folder / "themes.toml")
    row.assert_clean()


def cached(folder: Path, name: str) -> str:
    conn = sqlite3.connect(folder / "tracker.db")
    try:
        return conn.execute("select document from source_cache where file = ?", (name,)).fetchone()[
            0
        ]
    finally:
        conn.close()


def touch_themes(folder: Path) -> None:
    """Change themes.toml (a comment more), so that the store updates in place."""
    path = folder / "themes.toml"
    path.write_text("# touched\n" + path.read_text(encoding="utf-8"), encoding="utf-8")


# --- read-only store ------------------------------------------------------------------


@pytest.mark.skipif(not can_drop_capabilities(), reason="cannot make a file read-only here")
def test_a_read_only_store_file(ledger: Ledger, tmp_path: Path) -> None:
    row = ledger.row(
        "store-read-only-file",
        AREA,
        "A read-only store file, fresh and after the data changed (an ordinary user's "
        "permissions, in a real process)",
    )
    folder = fresh_data(tmp_path)
    expected = [run(folder, *args).stdout for args in READS]
    store = folder / "tracker.db"
    for stale in (False, True):
        store.chmod(0o444)
        if stale:
            touch_themes(folder)
        for args, wanted in zip(READS, expected, strict=True):
            done = run(folder, *args, preexec_fn=as_ordinary_user())
            if "Traceback" in done.stderr:
                row.fail("tracebacks", f"stale={stale} {args[0]}: {done.stderr[-1500:]}")
            if done.returncode != 0 or done.stdout != wanted:
                row.fail("wrong or unclear results", f"stale={stale} {args[0]}: {done.stderr}")
            row.case("same output" + (" after the data changed" if stale else ""))
    row.assert_clean()


@pytest.mark.skipif(not can_drop_capabilities(), reason="cannot make a folder read-only here")
def test_a_store_that_cannot_be_written(ledger: Ledger, tmp_path: Path) -> None:
    row = ledger.row(
        "store-unwritable",
        AREA,
        "A store that cannot be written when the data changed: in a read-only folder, "
        "under a path whose parent is a file, or a folder where the file should be",
    )
    folder = fresh_data(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    assert run(folder, "--db", str(locked / "tracker.db"), "sync").returncode == 0
    touch_themes(folder)
    locked.chmod(0o555)
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    (tmp_path / "a-folder.db").mkdir()
    places = [locked / "tracker.db", a_file / "tracker.db", tmp_path / "a-folder.db"]
    try:
        for place in places:
            for args in READS[:2]:
                done = run(folder, "--db", str(place), *args, preexec_fn=as_ordinary_user())
                if "Traceback" in done.stderr:
                    row.fail("tracebacks", f"{place}: {done.stderr[-800:]}", stop=False)
                elif done.returncode != 1 or "cannot write the store" not in done.stderr:
                    row.fail("wrong or unclear results", f"{place}: {done.stderr}", stop=False)
                else:
                    row.case("clear message, exit 1")
    finally:
        locked.chmod(0o755)
    row.assert_clean()


# --- another schema -------------------------------------------------------------------


def test_a_store_from_another_schema_is_rebuilt(
    ledger: Ledger, built: tuple[Path, list[str], bytes]
) -> None:
    row = ledger.row(
        "store-schema",
        AREA,
        "A store from an older or newer schema version (meta edited, or tables of an older "
        "release), or without its meta table",
    )
    folder, expected, good = built
    store = folder / "tracker.db"

    def edit(*statements: str) -> Callable[[], None]:
        def apply() -> None:
            conn = sqlite3.connect(store)
            for sql in statements:
                conn.execute(sql)
            conn.commit()
            conn.close()

        return apply

    older = SCHEMA_VERSION - 1
    fingerprint = "replace(value, 'schema={0}', 'schema={1}')"
    changes = {
        "an older schema_version": edit(
            f"update meta set value = '{older}' where key = 'schema_version'"
        ),
        "an older schema in the fingerprint": edit(
            "update meta set value = "
            + fingerprint.format(SCHEMA_VERSION, older)
            + " where key = 'fingerprint'",
        ),
        "both, and no parse cache (the previous release)": edit(
            f"update meta set value = '{older}' where key = 'schema_version'",
            "update meta set value = "
            + fingerprint.format(SCHEMA_VERSION, older)
            + " where key = 'fingerprint'",
            "drop table source_cache",
        ),
        "a newer schema": edit(
            "update meta set value = "
            + fingerprint.format(SCHEMA_VERSION, SCHEMA_VERSION + 1)
            + " where key = 'fingerprint'",
            f"update meta set value = '{SCHEMA_VERSION + 1}' where key = 'schema_version'",
        ),
        "no meta table": edit("drop table meta"),
        "no fingerprint": edit("delete from meta where key = 'fingerprint'"),
    }
    for label, change in changes.items():
        for also_changed in (False, True):
            store.write_bytes(good)
            change()
            if also_changed:
                touch_themes(folder)  # an incremental update must not reuse it either
            judge_reads(folder, expected, row, label)
            shutil.copy(SHIPPED / "themes.toml", folder / "themes.toml")
    row.assert_clean()


# --- readers while writers write ------------------------------------------------------

READER = """\
import json, subprocess, sys
data, stop, low, high = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
import os
runs = []
while not os.path.exists(stop) or len(runs) < 2:
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "--data", data, "visits", "--format", "json"],
        capture_output=True, text=True,
    )
    count = None
    if done.returncode == 0:
        try:
            count = len(json.loads(done.stdout))
        except ValueError:
            count = None
    ok = done.returncode == 0 and count is not None and low <= count <= high and not done.stderr
    runs.append({"ok": ok, "count": count, "code": done.returncode, "stderr": done.stderr[-800:]})
print(json.dumps(runs))
"""

WRITER = """\
import subprocess, sys
data, prefix, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for number in range(count):
    subprocess.run(
        [sys.executable, "-m", "tracker", "--data", data, "add", "visit",
         "--id", f"{prefix}-{number}", "--holder", "bailliet", "--country", "NLD",
         "--status", "requested", "--source", "A/HRC/00/00"],
        check=True, stdout=subprocess.DEVNULL,
    )
"""


def test_readers_never_see_a_half_built_store(
    ledger: Ledger, budget: Budget, tmp_path: Path
) -> None:
    row = ledger.row(
        "readers-and-writers",
        "Concurrency",
        "Reader processes listing visits while two writer processes add visits (each "
        "write refreshes the store; so does each reader that finds it stale)",
        scale="open",
    )
    folder = fresh_data(tmp_path)
    assert run(folder, "sync").returncode == 0
    before = len(json.loads(run(folder, "visits", "--format", "json").stdout))
    after = before + 2 * budget.writes
    stop = tmp_path / "stop"
    env = environment()
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(folder), str(stop), str(before), str(after)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(budget.readers)
    ]
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(folder), prefix, str(budget.writes)],
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for prefix in ("left", "right")
    ]
    for writer in writers:
        _, errors = writer.communicate(timeout=600)
        if writer.returncode != 0:
            row.fail("wrong or unclear results", f"a writer failed: {errors[-1500:]}")
    stop.touch()
    for reader in readers:
        output, _ = reader.communicate(timeout=600)
        for one in json.loads(output):
            if "Traceback" in one["stderr"]:
                row.fail("tracebacks", one["stderr"])
            if not one["ok"]:
                row.fail("wrong or unclear results", json.dumps(one))
            row.case("reader: exit 0, every visit of some moment listed")
    listed = json.loads(run(folder, "visits", "--format", "json").stdout)
    ids = {visit["id"] for visit in listed}
    added = {f"{side}-{n}" for side in ("left", "right") for n in range(budget.writes)}
    if len(listed) != after or not added <= ids:
        row.fail("lost records", f"{len(listed)} visits, missing {sorted(added - ids)}")
    row.case(f"writers: all {2 * budget.writes} visits there")
    row.assert_clean()

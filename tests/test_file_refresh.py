"""A store refreshed after data files changed outside tracker, file by file
(store.update_files, tracker/file_refresh.py) against one rebuilt from the files: for
random sequences of changes, made by a writer in another copy of the folder and copied
over as an editor or `git pull` would, the store equals a rebuild (every table's rows,
and what a search finds); a change that leaves an error is refused with the words a
rebuild uses."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_record_writes import HEALTH, OPS, folder_with_store, run, tables

from tracker import layout, store
from tracker.paths import Settings
from tracker.problems import DataError


class Counted:
    """store.update_files, counting the refreshes it did (not those it handed on)."""

    def __init__(self) -> None:
        self.done = 0
        self.real = store.update_files

    def __call__(self, *args: Any) -> bool:
        found = self.real(*args)
        self.done += found
        return found


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counted:
    counter = Counted()
    monkeypatch.setattr(store, "update_files", counter)
    return counter


def copy_files(source: Settings, target: Settings) -> None:
    """The data files of source that differ over target's, as a pull leaves them."""
    for key in layout.data_files(source.data_dir):
        mine, theirs = source.data_dir / key, target.data_dir / key
        if not mine.exists():
            theirs.unlink(missing_ok=True)
        elif not theirs.exists() or mine.read_bytes() != theirs.read_bytes():
            shutil.copyfile(mine, theirs)


def rebuilt_tables(config: Settings, root: Path) -> dict[str, list[tuple[Any, ...]]]:
    rebuilt = Settings(config.data_dir, root / "rebuilt.db")
    if rebuilt.db_path.exists():
        rebuilt.db_path.unlink()
    store.rebuild(rebuilt)
    return tables(rebuilt.db_path)


def refreshed(config: Settings) -> str:
    """What a refresh says: nothing, or the problems it refuses the data for."""
    try:
        store.refresh(config)
    except DataError as error:
        return error.report().replace(str(config.data_dir), "DATA")
    return ""


def check_sequence(root: Path, ops: list[tuple[Any, ...]], sub_folder: bool) -> None:
    edited = folder_with_store(root, "edited", sub_folder)
    scratch = folder_with_store(root, "scratch", sub_folder)
    for op in ops:
        os.environ["TRACKER_WHOLE_DATA_WRITES"] = "1"
        try:
            run(scratch, op)
        finally:
            del os.environ["TRACKER_WHOLE_DATA_WRITES"]
        copy_files(scratch, edited)
        assert refreshed(edited) == "", op
        assert store.open_if_fresh(edited.db, store.fingerprint(edited.data)) is not None
        assert tables(edited.db_path) == rebuilt_tables(edited, root), op


@given(ops=st.lists(OPS, min_size=1, max_size=6), sub_folder=st.booleans())
@settings(max_examples=6, deadline=None, suppress_health_check=HEALTH)
def test_a_store_refreshed_file_by_file_equals_a_rebuild(
    tmp_path_factory: pytest.TempPathFactory, ops: list[tuple[Any, ...]], sub_folder: bool
) -> None:
    check_sequence(tmp_path_factory.mktemp("refresh"), ops, sub_folder)


@pytest.mark.slow
@given(ops=st.lists(OPS, min_size=1, max_size=20), sub_folder=st.booleans())
@settings(max_examples=50, deadline=None, suppress_health_check=HEALTH)
def test_a_store_refreshed_file_by_file_equals_a_rebuild_at_length(
    tmp_path_factory: pytest.TempPathFactory, ops: list[tuple[Any, ...]], sub_folder: bool
) -> None:
    check_sequence(tmp_path_factory.mktemp("refresh"), ops, sub_folder)


def edit(config: Settings, name: str, old: str, new: str) -> None:
    path = next(config.data_dir.rglob(name))
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("sub_folder", [False, True], ids=["flat", "sub-folder"])
def test_hand_edits_take_the_file_path_and_read_as_rebuilt(
    tmp_path: Path, counted: Counted, sub_folder: bool
) -> None:
    config = folder_with_store(tmp_path, "data", sub_folder)
    # A note added, a file touched (the same bytes), a status changed.
    edit(config, "visits.toml", 'country = "BRA"\n', 'country = "BRA"\nnote = "Hand-typed"\n')
    assert refreshed(config) == ""
    edit(config, "themes.toml", 'title = "Water', 'title = "Water')  # touched: same bytes
    assert refreshed(config) == ""
    edit(config, "visits.toml", 'status = "scheduled"', 'status = "accepted"')
    assert refreshed(config) == ""
    assert counted.done == 3
    assert tables(config.db_path) == rebuilt_tables(config, tmp_path)
    conn = sqlite3.connect(config.db_path)
    conn.row_factory = sqlite3.Row
    from tracker import search

    hits = search.search(conn, "Hand-typed", limit=None)
    assert [(h["kind"], h["key"]) for h in hits] == [("visit", "bra-2027")]
    conn.close()


ERRORS = [
    # A reference to nothing, in the changed file.
    ("visits.toml", 'holder = "second"', 'holder = "nobody"', "no holder 'nobody'"),
    # A key twice: the second in the changed file.
    ("visits.toml", 'id = "bra-2027"', 'id = "nld-2018"', "duplicate visit 'nld-2018'"),
    # A theme removed that a visit (in another file) names.
    ("themes.toml", 'id = "water"', 'id = "well"', "no theme 'water'"),
    # A value of the wrong type.
    ("visits.toml", 'status = "requested"', 'status = "asked"', "'asked' is not one of"),
]


@pytest.mark.parametrize("name, old, new, said", ERRORS)
def test_an_edit_with_an_error_is_refused_as_a_rebuild_refuses_it(
    tmp_path: Path, counted: Counted, name: str, old: str, new: str, said: str
) -> None:
    config = folder_with_store(tmp_path, "data", sub_folder=True)
    before = tables(config.db_path)
    edit(config, name, old, new)
    refusal = refreshed(config)
    assert said in refusal
    assert counted.done == 0
    fresh = Settings(config.data_dir, tmp_path / "fresh.db")
    with pytest.raises(DataError) as rebuilt:
        store.rebuild(fresh)
    assert refusal == rebuilt.value.report().replace(str(config.data_dir), "DATA")
    assert tables(config.db_path) == before  # the store keeps showing the data as it was


def test_a_change_to_a_mandate_file_takes_the_usual_path(tmp_path: Path, counted: Counted) -> None:
    config = folder_with_store(tmp_path, "data", sub_folder=True)
    edit(config, "mandate.toml", 'name = "Second Holder"', 'name = "Second Holder Renamed"')
    assert refreshed(config) == ""
    assert counted.done == 0
    assert tables(config.db_path) == rebuilt_tables(config, tmp_path)


def test_a_generated_folder_reads_the_same_after_a_hand_edit_as_rebuilt(
    tmp_path: Path, counted: Counted
) -> None:
    """Several mandates in sub-folders (bench/generate.py): after a hand edit of one
    mandate's files, the file-by-file refresh shows what a fresh store shows, command by
    command, lists in their order (the refreshed records' rows are at the end of their
    tables, which no list may show)."""
    from typer.testing import CliRunner

    from bench import edit_one, generate
    from tracker.cli.app import app

    folder = tmp_path / "generated"
    generate.write(folder, 0.05, seed=4)
    refreshed_db, fresh_db = tmp_path / "refreshed.db", tmp_path / "fresh.db"

    def output(db: Path, *args: str) -> str:
        result = CliRunner().invoke(app, ["--data", str(folder), "--db", str(db), *args])
        assert result.exit_code == 0, result.output
        return result.output

    output(refreshed_db, "sync")
    edit_one.toggle(folder / "mandate-0001" / "visits.toml")
    edit_one.toggle(folder / "mandate-0002" / "themes.toml")
    commands = [
        ("sources", "--format", "json"),
        ("visits", "--format", "json"),
        ("reports", "--format", "json"),
        ("themes", "--format", "json"),
        ("search", "edited", "--format", "json"),
        ("coverage", "--mandate", "mandate-0002", "--format", "json"),
    ]
    seen = [output(refreshed_db, *command) for command in commands]
    assert counted.done == 1
    assert seen == [output(fresh_db, *command) for command in commands]
    assert '"Edited by hand for the benchmark."' in seen[1]

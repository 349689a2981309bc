"""Every path tracker writes is checked before anything is written (tracker.outputs):
the store only over nothing or a store tracker built; an output only to a new path or a
regular file, never over a data file, a store, a device, a FIFO, or through a symlink."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tracker.outputs import write_output
from tracker.problems import TrackerError


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry of folder: a file's bytes, a link's target, the kind of anything else."""
    found: dict[str, bytes | str] = {}
    for entry in sorted(folder.iterdir()):
        if entry.is_symlink():
            found[entry.name] = "-> " + os.readlink(entry)
        elif entry.is_file():
            found[entry.name] = entry.read_bytes()
        else:
            found[entry.name] = "other"
    return found


@pytest.fixture
def places(tmp_path: Path) -> dict[str, Path]:
    mine = tmp_path / "notes.txt"
    mine.write_text("my own notes\n", encoding="utf-8")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    link = tmp_path / "link.md"
    link.symlink_to(mine)
    return {"text": mine, "fifo": fifo, "link": link, "folder": tmp_path}


def test_the_store_never_replaces_what_tracker_did_not_build(tracker_for, shipped, places):
    data_file = shipped / "visits.toml"
    cases = {
        data_file: "it is a data file",
        places["text"]: "it is not a store tracker built",
        places["fifo"]: "it is not a regular file",
        places["link"]: "it is a symbolic link",
        Path("/dev/null"): "it is not a regular file",
    }
    before = snapshot(places["folder"]), snapshot(shipped)
    for db, reason in cases.items():
        result = tracker_for(shipped)("--db", str(db), "holders")
        assert result.exit_code == 1, (db, result.output)
        assert f"cannot write the store {db}: {reason}" in result.stderr
    assert (snapshot(places["folder"]), snapshot(shipped)) == before
    # A new path, and a store tracker built there, are fine.
    fresh = places["folder"] / "new.db"
    assert tracker_for(shipped)("--db", str(fresh), "holders").exit_code == 0
    (shipped / "visits.toml").write_text(
        data_file.read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    assert tracker_for(shipped)("--db", str(fresh), "holders").exit_code == 0


@pytest.mark.parametrize(
    "command",
    [["report", "-o"], ["holders", "--svg"], ["timeline", "--svg"], ["datasette-metadata", "-o"]],
)
def test_outputs_go_only_to_a_new_path_or_a_regular_file(tracker_for, shipped, places, command):
    tracker = tracker_for(shipped)
    assert tracker("sync").exit_code == 0
    cases = {
        shipped / "visits.toml": "it is a data file",
        shipped / "tracker.db": "it is a tracker store",
        places["fifo"]: "it is not a regular file",
        places["link"]: "it is a symbolic link",
        Path("/dev/full"): "it is not a regular file",
    }
    before = snapshot(places["folder"]), snapshot(shipped)
    for target, reason in cases.items():
        result = tracker(*command, str(target))
        assert result.exit_code == 1, (target, result.output)
        assert f"will not write {target}: {reason}" in result.stderr
    assert (snapshot(places["folder"]), snapshot(shipped)) == before
    new = places["folder"] / "out.file"
    assert tracker(*command, str(new)).exit_code == 0 and new.stat().st_size > 0
    assert tracker(*command, str(new)).exit_code == 0  # over its own earlier output
    assert not [p for p in places["folder"].iterdir() if p.name.endswith(".tmp")]


def test_a_killed_writers_temporary_file_is_removed_by_the_next_write(tmp_path):
    target = tmp_path / "report.md"
    leftover = tmp_path / f".report.md.{2**22 + 12345}.tmp"  # no such process
    leftover.write_text("half", encoding="utf-8")
    write_output(target, "whole\n")
    assert target.read_text(encoding="utf-8") == "whole\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


def test_a_refused_output_leaves_no_temporary_file(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(TrackerError, match="not a regular file"):
        write_output(tmp_path / "fifo", "text")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fifo"]

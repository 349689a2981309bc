"""A hand edit saved while a tracker write is running is never lost.

The lock keeps tracker writers apart, but an editor takes no lock. So right before each
rename the writer checks that every file it is about to replace still holds the bytes
it read and validated (a digest of them, not the file's times); if one does not, it
reads the files again and applies the change again, and after a few tries it refuses,
naming the file, with nothing written and no temporary file left.

The tests pause the writer at that moment (tracker.writer.pause_for_tests, the hook the
fault tests use) and edit the file as a person would: in place, or by writing a copy
and renaming it over the file, as most editors save.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from reliability import Ledger, Row

from tracker import writer

HAND_VISIT = """
[[visit]]
id = "hand-added"
holder = "bailliet"
country = "NOR"
status = "requested"
source = "A/HRC/00/00"
"""

ADD_VISIT = (
    "add", "visit", "--id", "tracker-added", "--holder", "bailliet", "--country", "NLD",
    "--status", "requested", "--source", "A/HRC/00/00",
)  # fmt: skip


def hand_edit_row(ledger: Ledger) -> Row:
    return ledger.row(
        "hand-edits",
        "Faults on write",
        "A data file edited by hand, in place and by rename, while a write waits to rename it: "
        "once, at every try, breaking the file, and the second file of a change spanning files "
        "(in-process through the pause hook, and a real writer process stopped there)",
    )


def edit_in_place(path: Path, addition: str = HAND_VISIT) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write(addition)


def edit_by_rename(path: Path, addition: str = HAND_VISIT) -> None:
    saved = path.with_name(f"{path.name}~editor")
    saved.write_text(path.read_text(encoding="utf-8") + addition, encoding="utf-8")
    os.replace(saved, path)


EDITS = {"in place": edit_in_place, "by rename": edit_by_rename}


def edit_at_pause(monkeypatch, edit, times: int = 1, only: str = "visits.toml") -> list[str]:
    """Make the writer's pause before a rename run edit on the file (the first `times`
    pauses over `only`); returns the names of every file it paused on."""
    paused: list[str] = []

    def pause(path: Path) -> None:
        paused.append(path.name)
        if path.name == only and paused.count(only) <= times:
            edit(path)

    monkeypatch.setattr(writer, "pause_for_tests", pause)
    return paused


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def visit_ids(tracker) -> set[str]:
    import json

    result = tracker("visits", "--format", "json")
    assert result.exit_code == 0, result.output
    return {visit["id"] for visit in json.loads(result.output)}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_a_hand_edit_during_a_write_is_kept_and_the_change_applied_again(
    tracker, shipped, monkeypatch, edit, ledger
):
    row = hand_edit_row(ledger)
    paused = edit_at_pause(monkeypatch, edit)
    result = tracker(*ADD_VISIT)
    assert result.exit_code == 0, result.output
    assert paused == ["visits.toml", "visits.toml"]  # the second try found it unchanged
    text = (shipped / "visits.toml").read_text(encoding="utf-8")
    assert 'id = "hand-added"' in text and 'id = "tracker-added"' in text
    assert {"hand-added", "tracker-added"} <= visit_ids(tracker)
    assert tracker("check").exit_code == 0
    assert leftovers(shipped) == []
    row.case("the edit kept, the change applied again: exit 0")


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_a_file_edited_at_every_try_is_refused_by_name_with_nothing_written(
    tracker, shipped, monkeypatch, edit, ledger
):
    row = hand_edit_row(ledger)
    additions = iter(HAND_VISIT.replace("hand-added", f"hand-{n}") for n in range(100))
    edit_at_pause(monkeypatch, lambda path: edit(path, next(additions)), times=100)
    result = tracker(*ADD_VISIT)
    assert result.exit_code == 1
    assert "visits.toml changed while tracker was writing it" in result.output
    assert "Nothing was written" in result.output
    assert "Traceback" not in result.output
    text = (shipped / "visits.toml").read_text(encoding="utf-8")
    assert 'id = "tracker-added"' not in text
    edits = [f'id = "hand-{n}"' for n in range(writer.ATTEMPTS)]
    assert all(edit in text for edit in edits)  # every hand edit is there, whole
    assert leftovers(shipped) == []
    row.case("refused naming the file, exit 1, every edit kept, nothing written")


def test_a_hand_edit_that_breaks_the_file_refuses_the_write_naming_its_line(
    tracker, shipped, monkeypatch, ledger
):
    row = hand_edit_row(ledger)
    edit_at_pause(monkeypatch, lambda path: edit_in_place(path, "\n[[visit]\n"))
    result = tracker(*ADD_VISIT)
    assert result.exit_code == 1
    assert "visits.toml:" in result.output and "Nothing was written" in result.output
    text = (shipped / "visits.toml").read_text(encoding="utf-8")
    assert text.endswith("\n[[visit]\n") and 'id = "tracker-added"' not in text
    assert leftovers(shipped) == []
    row.case("refused naming the file and line, exit 1, the edit kept, nothing written")


def test_a_change_spanning_two_files_is_applied_again_when_the_second_was_edited(
    tracker, shipped, monkeypatch, ledger
):
    """Removing a theme also unlinks it from the visits. An edit to the file renamed
    second, made while the first waits for its rename, is noticed before that rename:
    neither file is replaced, everything is read again, and both edits are kept."""
    paused: list[str] = []

    def pause(path: Path) -> None:
        paused.append(path.name)
        if len(paused) == 1:
            other = "themes.toml" if path.name == "visits.toml" else "visits.toml"
            edit_in_place(shipped / other, HAND_THEME if other == "themes.toml" else HAND_VISIT)

    theme = _a_theme_linked_from_a_visit(shipped)
    monkeypatch.setattr(writer, "pause_for_tests", pause)
    result = tracker("remove", "theme", theme, "--cascade")
    assert result.exit_code == 0, result.output
    # The first rename refused; then every file of the change renamed, once each.
    assert paused[0] in paused[1:] and len(paused[1:]) == len(set(paused[1:])) >= 2
    themes = (shipped / "themes.toml").read_text(encoding="utf-8")
    visits = (shipped / "visits.toml").read_text(encoding="utf-8")
    assert f'id = "{theme}"' not in themes and f'"{theme}"' not in visits
    assert 'id = "hand-added"' in (themes if paused[0] == "visits.toml" else visits)
    assert tracker("check").exit_code == 0
    assert leftovers(shipped) == []
    hand_edit_row(ledger).case("the edit kept, the change applied again: exit 0")


HAND_THEME = """
[[theme]]
id = "hand-added"
mandate = "international-solidarity"
title = "A theme added by hand"
source = "A/HRC/00/00"
"""


def _a_theme_linked_from_a_visit(folder: Path) -> str:
    import tomllib

    visits = tomllib.loads((folder / "visits.toml").read_text(encoding="utf-8"))["visit"]
    return next(theme for visit in visits for theme in visit.get("themes", []))


@pytest.mark.slow  # a real writer process, paused twice
@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_a_real_writer_paused_and_stopped_keeps_a_hand_edit(shipped, edit, ledger):
    """The same in a real process: the writer is paused by the test hook and stopped
    (SIGSTOP) while the file is edited, so no timing is guessed."""
    env = {**os.environ, writer.PAUSE_ENV: "1:visits.toml"}
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--data", str(shipped), *ADD_VISIT],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert line.startswith("tracker: paused before replacing visits.toml"), line
        os.kill(process.pid, signal.SIGSTOP)
        edit(shipped / "visits.toml")
        os.kill(process.pid, signal.SIGCONT)
        _, err = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 0, err
    text = (shipped / "visits.toml").read_text(encoding="utf-8")
    assert 'id = "hand-added"' in text and 'id = "tracker-added"' in text
    assert leftovers(shipped) == []
    hand_edit_row(ledger).case("the edit kept, the change applied again: exit 0")

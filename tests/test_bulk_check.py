"""Validation at bulk: the second pass of `check` (once records know their lines) runs only
for the files with problems, and must give what a validation of everything gives there."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from tracker import sources
from tracker.validate import validate

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 11, 23)


def broken_copy(tmp_path: Path) -> Path:
    """The shipped data with problems in two files (and none in the others)."""
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "data", folder)
    visits = folder / "visits.toml"
    text = visits.read_text("utf-8")
    text = text.replace('status = "completed"', 'status = "done"', 1)
    text = text.replace("start = 20", "start = 19", 1)
    visits.write_text(text + '\n[[visit]]\nid = "x"\nholder = "nobody"\n', "utf-8")
    themes = folder / "themes.toml"
    themes.write_text(themes.read_text("utf-8") + '\n[[theme]]\nid = "Bad Id"\n', "utf-8")
    return folder


def test_validating_some_files_gives_their_problems_as_validating_all(tmp_path: Path) -> None:
    folder = broken_copy(tmp_path)
    dataset, problems = sources.load(folder)
    assert not problems
    everything = validate(dataset, TODAY)
    files = {p.file for p in everything}
    assert len(files) >= 2  # the mandate's clock warns in mandate.toml too
    for file in files:
        expected = [p for p in everything if p.file == file]
        assert validate(dataset, TODAY, files={file}) == expected
    assert validate(dataset, TODAY, files=files) == everything
    assert validate(dataset, TODAY, files=set()) == []


def test_check_names_lines_only_found_in_the_second_pass(tracker_for, tmp_path: Path) -> None:
    folder = broken_copy(tmp_path)
    result = tracker_for(folder)("check")
    assert result.exit_code == 1
    dataset, _ = sources.load(folder)
    for problem in validate(dataset, TODAY):
        assert problem.line > 0
        assert f"{problem.file.name}:{problem.line}: " in result.output.replace("\n", " ")

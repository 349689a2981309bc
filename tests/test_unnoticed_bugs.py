"""Bugs that went unnoticed when put into the code on purpose: each now fails a test here
(besides the UN names, tests/test_un_names.py)."""

from __future__ import annotations

import json

from tracker import search, writer

VISITS = """\
[[visit]]
id = "fra-2019"
holder = "second"
country = "FRA"
status = "completed"
start = 2019-12-28
end = 2020-01-03
source = "A/HRC/1/1"
"""

THEMES = """\
[[report]]
symbol = "A/HRC/43/1"
holder = "second"
body = "HRC"
date = 2020-03-02
kind = "annual"
title = "Known by its date only"
source = "A/HRC/43/1"

[[report]]
symbol = "A/HRC/40/1"
holder = "second"
body = "HRC"
year = 2019
kind = "annual"
title = "Known by its year"
source = "A/HRC/40/1"
"""


def keys(result, field):
    assert result.exit_code == 0, result.output
    return [row[field] for row in json.loads(result.stdout)]


def test_visits_year_counts_every_day_of_the_visit(make_data, tracker_for):
    """A 2019-12-28..2020-01-03 visit touches 2019 and 2020 (it was missing from 2020)."""
    tracker = tracker_for(make_data(visits=VISITS))
    for year in ("2019", "2020"):
        assert keys(tracker("visits", "--year", year, "-f", "json"), "id") == ["fra-2019"]
    assert keys(tracker("visits", "--year", "2021", "-f", "json"), "id") == []


def test_reports_year_finds_reports_known_only_by_their_date(make_data, tracker_for):
    tracker = tracker_for(make_data(themes=THEMES))
    assert keys(tracker("reports", "--year", "2020", "-f", "json"), "symbol") == ["A/HRC/43/1"]
    assert keys(tracker("reports", "--year", "2019", "-f", "json"), "symbol") == ["A/HRC/40/1"]


def test_like_wildcards_in_a_searched_symbol_are_escaped():
    assert search._like_escape("A/HRC/1_%\\") == "A/HRC/1\\_\\%\\\\"


def test_a_write_syncs_the_folder_after_its_rename(tracker, monkeypatch):
    synced = []
    original = writer.sync_folder
    monkeypatch.setattr(
        writer, "sync_folder", lambda folder: (synced.append(folder), original(folder))
    )
    result = tracker("update", "visit", "cri-2022", "--note", "Checked again.")
    assert result.exit_code == 0, result.output
    assert tracker.data.resolve() in {folder.resolve() for folder in synced}

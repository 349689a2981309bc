"""One resolver for every key a person types (issue 15): case and surrounding space are
ignored, a report or resolution is found by any unambiguous tail of its symbol, a holder by
id or surname; otherwise the closest candidates are named."""

from __future__ import annotations

import json

import pytest

from tracker import resolve
from tracker.cli import edit as cli_edit

SYMBOLS = ["A/HRC/44/44", "A/HRC/44/44/Add.1", "A/HRC/RES/44/11", "A/HRC/41/44"]
HOLDERS = [
    {"id": "okafor", "name": "Obiora Chinedu Okafor"},
    {"id": "bailliet", "name": "X Bailliet"},
]


def test_keys_match_whole_in_any_case_and_space_then_by_name_then_by_symbol_tail():
    assert resolve.matches(" a/hrc/44/44 ", SYMBOLS) == ["A/HRC/44/44"]
    assert resolve.matches("44/11", SYMBOLS) == ["A/HRC/RES/44/11"]
    assert resolve.matches("44/44/add.1", SYMBOLS) == ["A/HRC/44/44/Add.1"]
    assert resolve.matches("44", SYMBOLS) == ["A/HRC/44/44", "A/HRC/41/44"]  # ambiguous
    names = resolve.surnames(HOLDERS)
    assert resolve.matches("Okafor", ["okafor", "bailliet"], names) == ["okafor"]
    assert resolve.matches("obiora chinedu okafor", ["okafor"], names) == ["okafor"]
    assert resolve.matches("", SYMBOLS) == []


def test_an_unknown_or_ambiguous_key_names_the_candidates():
    with pytest.raises(resolve.KeyNotFound, match="'44' may be any of A/HRC/44/44, A/HRC/41/44"):
        resolve.resolve("report", "44", SYMBOLS)
    with pytest.raises(resolve.KeyNotFound, match=r"no holder 'okafr' \(did you mean okafor\?"):
        resolve.resolve("holder", "okafr", ["okafor", "bailliet"])


@pytest.mark.parametrize(
    ("typed", "heading"),
    [
        ("Okafor", "Holder Obiora Chinedu Okafor (okafor)"),
        ("a/hrc/44/44", "Report A/HRC/44/44: Climate change"),
        ("A/HRC/44/44 ", "Report A/HRC/44/44: Climate change"),
        ("44/11", "Resolution A/HRC/RES/44/11"),
        ("A/HRC/RES/44/11", "Resolution A/HRC/RES/44/11"),
        ("CRI-2022", "Visit cri-2022: Costa Rica"),
        ("TAXATION", "Theme Taxation"),
        ("Holland", "Country Netherlands"),
        ("DRC", "Country Democratic Republic of the Congo (COD)"),
    ],
)
def test_show_finds_what_a_person_types(tracker, typed, heading):
    result = tracker("show", typed)
    assert result.exit_code == 0, result.output
    assert heading in result.output


def test_show_of_a_misspelt_key_suggests_the_closest(tracker):
    result = tracker("show", "taxatoin")
    assert result.exit_code == 1
    assert "did you mean taxation?" in result.output
    result = tracker("show", "44")
    assert result.exit_code == 1
    assert "'44' may be any of" in result.output and "A/HRC/44/44" in result.output


def test_filters_take_surnames_and_any_case(tracker):
    by_id = json.loads(tracker("visits", "--holder", "okafor", "-f", "json").output)
    assert by_id
    assert json.loads(tracker("visits", "--holder", "Okafor", "-f", "json").output) == by_id
    reports = tracker("reports", "--holder", "Okafor", "--theme", "Climate-Change", "-f", "json")
    assert reports.exit_code == 0, reports.output
    assert {r["holder"] for r in json.loads(reports.output)} == {"okafor"}
    timeline = tracker("timeline", "--holder", "OKAFOR", "-f", "json")
    assert timeline.exit_code == 0 and "okafor" in timeline.output


def test_writes_take_what_a_person_types(tracker):
    result = tracker("link", "44/44", "TAXATION", "--dry-run")
    assert result.exit_code == 0, result.output
    assert '+themes = ["climate-change", "taxation"]' in result.output  # A/HRC/44/44's
    result = tracker("update", "visit", "CRI-2022", "--note", "checked", "--dry-run")
    assert result.exit_code == 0, result.output
    added = tracker(
        "add",
        "visit",
        "--holder",
        "Bailliet",
        "--country",
        "Holland",
        "--status",
        "requested",
        "--source",
        "https://example.org",
        "--dry-run",
    )
    assert added.exit_code == 0, added.output
    assert 'holder = "bailliet"' in added.output and 'country = "NLD"' in added.output


def test_data_file_messages_suggest_the_id_or_code(tracker, shipped):
    visits = shipped / "visits.toml"
    text = visits.read_text(encoding="utf-8")
    text = text.replace('country = "BRA"', 'country = "Tanzania"', 1)
    text = text.replace('holder = "dandan"', 'holder = "Okafor"', 1)
    visits.write_text(text, encoding="utf-8")
    result = tracker("check")
    assert result.exit_code == 1
    assert "no holder 'Okafor' in mandate.toml (did you mean 'okafor'?)" in result.output
    assert "'Tanzania' is not an ISO 3166-1 alpha-3 country code (did you mean 'TZA'?" in (
        result.output
    )


def test_the_prompt_lists_the_holders_and_takes_a_surname(shipped, monkeypatch):
    monkeypatch.setattr("typer.prompt", lambda label, value_proc: value_proc("Bailliet"))
    assert cli_edit.ask("visit", "holder", shipped) == "bailliet"
    labels = []
    monkeypatch.setattr(
        "typer.prompt", lambda label, value_proc: labels.append(label) or value_proc("okafor")
    )
    cli_edit.ask("visit", "holder", shipped)
    assert labels == ["holder (rizki, dandan, okafor, bailliet)"]

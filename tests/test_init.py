"""tracker init: an empty, valid data folder for another mandate, and a store that holds
several mandates without one changing what the other shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker.cli.app import app

INIT = [
    "--mandate",
    "test-food",
    "--title",
    "Special Rapporteur on testing food",
    "--established",
    "2000-04-17",
    "--established-by",
    "E/CN.4/RES/2000/10",
]

# A purpose-built second mandate: one holder, one theme, one report, one visit.
HOLDER = """
[[holder]]
id = "first-food"
mandate = "test-food"
name = "First Food Rapporteur"
nationality = "CHE"
start = 2000-09-01
end = 2008-04-30
source = "E/CN.4/2001/53"
"""
THEMES = """
[[theme]]
id = "hunger"
mandate = "test-food"
title = "Hunger and famine"
set_by = "first-food"
source = "E/CN.4/2001/53"

[[report]]
symbol = "A/56/210"
holder = "first-food"
body = "GA"
session = 56
year = 2001
kind = "thematic"
title = "Hunger in conflict"
themes = ["hunger"]
source = "A/56/210"
"""
VISITS = """
[[visit]]
holder = "first-food"
country = "BRA"
status = "completed"
start = 2002-03-01
end = 2002-03-18
themes = ["hunger"]
source = "E/CN.4/2003/54/Add.1"
"""


def init(folder: Path, *extra: str):
    return CliRunner().invoke(app, ["init", str(folder), *INIT, *extra])


def run(folder: Path, *args: str):
    return CliRunner().invoke(app, ["--data", str(folder), *args])


def as_json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def fill(folder: Path) -> None:
    """Add the second mandate's records as a person editing the TOML would."""
    for name, text in (("mandate.toml", HOLDER), ("themes.toml", THEMES), ("visits.toml", VISITS)):
        with (folder / name).open("a", encoding="utf-8") as file:
            file.write(text)


def test_init_writes_three_valid_files(tmp_path):
    folder = tmp_path / "food"
    result = init(folder)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        f"Created {folder} for mandate 'test-food': mandate.toml, visits.toml, themes.toml, "
        "engagements.toml, communications.toml, invitations.toml, recommendations.toml, .gitignore."
    )
    mandate = (folder / "mandate.toml").read_text()
    assert mandate.startswith("# The mandate of the Special Rapporteur on testing food:\n#")
    assert mandate.endswith(
        "\n\n[[mandate]]\n"
        'id = "test-food"\n'
        'title = "Special Rapporteur on testing food"\n'
        "established = 2000-04-17\n"
        'established_by = "E/CN.4/RES/2000/10"\n'
        'source = "E/CN.4/RES/2000/10"\n'
    )
    for name in (
        "visits.toml",
        "themes.toml",
        "engagements.toml",
        "communications.toml",
        "invitations.toml",
        "recommendations.toml",
    ):
        lines = (folder / name).read_text().splitlines()
        assert lines and all(line.startswith("# ") for line in lines), name
    check = run(folder, "check")
    assert check.exit_code == 0
    assert check.output.endswith(": ok\n")
    assert sorted(p.name for p in folder.iterdir()) == [
        ".gitignore",  # the store and the lock are never committed
        "communications.toml",
        "engagements.toml",
        "invitations.toml",
        "mandate.toml",
        "recommendations.toml",
        "themes.toml",
        "visits.toml",
    ]


def test_every_command_works_on_the_empty_folder(tmp_path):
    folder = tmp_path / "food"
    init(folder)
    for command in ("holders", "visits", "themes", "reports", "resolutions"):
        assert as_json(run(folder, command, "-f", "json")) == [], command
    assert run(folder, "visits").output == "Country visits: no records.\n"
    assert as_json(run(folder, "search", "food", "-f", "json")) == []
    for command in ("coverage", "gaps", "timeline"):
        assert run(folder, command, "-f", "json").exit_code == 0, command
    metadata = as_json(run(folder, "datasette-metadata"))
    assert metadata["title"] == "tracker: Special Rapporteur on testing food"


def test_optional_source_and_note_and_partial_dates(tmp_path):
    folder = tmp_path / "food"
    args = [a if a != "2000-04-17" else "2000-04" for a in INIT]
    result = CliRunner().invoke(
        app,
        [
            "init",
            str(folder),
            *args,
            "--source",
            "https://example.org/food",
            "--note",
            "Month only.",
        ],
    )
    assert result.exit_code == 0, result.output
    text = (folder / "mandate.toml").read_text()
    assert 'established = "2000-04"\n' in text
    assert 'source = "https://example.org/food"\nnote = "Month only."\n' in text
    assert run(folder, "check").exit_code == 0


def test_init_refuses_a_folder_that_holds_data(tmp_path, shipped):
    before = {p.name: p.read_bytes() for p in shipped.iterdir() if p.is_file()}
    result = init(shipped)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {shipped} already holds data (mandate.toml, visits.toml, themes.toml, "
        "engagements.toml, communications.toml, invitations.toml, recommendations.toml); "
        "`tracker init` only writes into a new or empty folder\n"
    )
    assert {p.name: p.read_bytes() for p in shipped.iterdir() if p.is_file()} == before
    partly = tmp_path / "partly"
    partly.mkdir()
    (partly / "themes.toml").write_text("# mine\n")
    assert init(partly).exit_code == 1
    assert (partly / "themes.toml").read_text() == "# mine\n"
    assert not (partly / "mandate.toml").exists()


def test_init_accepts_a_folder_with_other_files(tmp_path):
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "README.md").write_text("notes\n")
    assert init(folder).exit_code == 0
    assert (folder / "README.md").read_text() == "notes\n"


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--mandate", "Test Food", "Error: --mandate: 'Test Food' is not an id"),
        ("--established", "17 April 2000", "Error: --established: '17 April 2000' is not a date"),
        (
            "--established-by",
            "resolution 2000/10",
            "Error: --established-by: 'resolution 2000/10' is not a UN document symbol",
        ),
        ("--title", "   ", "Error: --title: is empty"),
    ],
)
def test_bad_values_are_refused_before_anything_is_written(tmp_path, option, value, message):
    folder = tmp_path / "food"
    args = list(INIT)
    args[args.index(option) + 1] = value
    result = CliRunner().invoke(app, ["init", str(folder), *args])
    assert result.exit_code == 1
    assert result.output.startswith(message), result.output
    assert not folder.exists() or not any(folder.iterdir())


def test_missing_required_options_are_usage_errors(tmp_path):
    result = CliRunner().invoke(
        app, ["init", str(tmp_path / "x"), "--mandate", "x", "--title", "X"]
    )
    assert result.exit_code == 2
    assert "--established" in result.output


def test_a_second_mandate_shows_its_own_views(tmp_path):
    folder = tmp_path / "food"
    init(folder)
    fill(folder)
    assert run(folder, "check").exit_code == 0
    assert [h["id"] for h in as_json(run(folder, "holders", "-f", "json"))] == ["first-food"]
    assert [v["id"] for v in as_json(run(folder, "visits", "-f", "json"))] == ["bra-2002"]
    report = as_json(run(folder, "reports", "-f", "json"))[0]
    assert (report["symbol"], report["url"]) == ("A/56/210", "https://docs.un.org/en/A/56/210")
    coverage = as_json(run(folder, "coverage", "-f", "json"))
    assert [row["theme"] for row in coverage] == ["hunger"]
    timeline = as_json(run(folder, "timeline", "-f", "json"))
    # Every event is this mandate's: its establishment (before any term) and its holder's.
    assert {event["holder"] for event in timeline} == {"first-food", None}
    assert [e["kind"] for e in timeline if e["holder"] is None] == ["establishment"]
    assert [e["key"] for e in timeline if e["kind"] == "visit"] == ["bra-2002"]
    gaps = as_json(run(folder, "gaps", "-f", "json"))
    assert "hunger" not in [t["theme"] for t in gaps["themes"]["gap"]]
    found = as_json(run(folder, "search", "hunger", "-f", "json"))
    assert {(r["kind"], r["key"]) for r in found} == {
        ("theme", "hunger"),
        ("report", "A/56/210"),
        ("visit", "bra-2002"),
    }


COMMANDS = ("holders", "visits", "themes", "reports", "resolutions", "coverage", "gaps", "timeline")


def test_one_store_holds_two_mandates_and_the_shipped_views_are_unchanged(tmp_path, shipped):
    before = {c: run(shipped, c, "-f", "json").output for c in COMMANDS}
    food = tmp_path / "food"
    init(food)
    fill(food)
    # Both mandates in one data folder: the new files' records appended to the shipped ones.
    for name in ("mandate.toml", "visits.toml", "themes.toml"):
        records = "".join(
            line
            for line in (food / name).read_text().splitlines(keepends=True)
            if not line.startswith("#")
        )
        with (shipped / name).open("a", encoding="utf-8") as file:
            file.write(records)
    assert run(shipped, "check").exit_code == 0
    for command in COMMANDS:
        after = run(shipped, command, "--mandate", "international-solidarity", "-f", "json")
        assert after.output == before[command], command
    holders = as_json(run(shipped, "holders", "-f", "json"))
    assert [h["id"] for h in holders] == ["rizki", "dandan", "okafor", "bailliet", "first-food"]
    own = as_json(run(shipped, "visits", "--mandate", "test-food", "-f", "json"))
    assert [v["id"] for v in own] == ["bra-2002"]
    coverage = as_json(run(shipped, "coverage", "--mandate", "test-food", "-f", "json"))
    assert [row["theme"] for row in coverage] == ["hunger"]
    unknown = run(shipped, "visits", "--mandate", "nope")
    assert unknown.exit_code == 1
    assert unknown.output == (
        "Error: no mandate 'nope' (known: international-solidarity, test-food)\n"
    )

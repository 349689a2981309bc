"""Shell completion of holders, themes, countries and show keys from the current data."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tracker.cli.app import app


def complete(line: str, data: Path | None = None, env: dict[str, str] | None = None) -> list[str]:
    """The values zsh would be offered for LINE (the text typed so far)."""
    environment = {"_TRACKER_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": line, **(env or {})}
    if data is not None:
        environment["TRACKER_DATA"] = str(data)
    result = CliRunner().invoke(app, [], prog_name="tracker", env=environment)
    assert result.exit_code == 0, result.output
    if result.output.strip() == "_files":
        return []
    # _arguments '*: :(("value":"help" ...))'
    body = result.output.split("((", 1)[1].rsplit("))", 1)[0]
    return [entry.split('":"', 1)[0].lstrip('"') for entry in body.splitlines()]


def test_holders_complete_from_the_data(shipped):
    assert complete("tracker visits --holder ", shipped) == [
        "rizki",
        "dandan",
        "okafor",
        "bailliet",
    ]
    assert complete("tracker visits --holder o", shipped) == ["okafor"]


def test_the_data_option_on_the_line_is_used(shipped, make_data):
    other = make_data()
    assert complete(f"tracker --data {other} visits --holder ", shipped) == ["first", "second"]


def test_themes_complete_for_reports(shipped):
    assert complete("tracker reports --theme cl", shipped) == ["climate-change"]
    assert complete("tracker reports --theme south", shipped) == ["south-south-cooperation"]


def test_countries_complete_by_code_and_name(shipped):
    assert complete("tracker visits --country N", shipped) == [
        "NGA",
        "NLD",
        "NOR",
        "NZL",  # standing invitations name New Zealand and North Macedonia
        "North Macedonia",
        "Nigeria",
        "Netherlands (Kingdom of the)",  # issue 15: multi-word names complete too
        "Netherlands",  # and their short form, which needs no quoting
        "Norway",
        "New Zealand",
    ]
    assert complete("tracker visits --country Qa", shipped) == ["Qatar"]
    # A country the data never mentions still completes, from every UN country.
    assert complete("tracker visits --country Zimb", shipped) == ["Zimbabwe"]


def test_show_completes_every_kind_of_key(shipped):
    assert complete("tracker show A/HRC/44", shipped) == ["A/HRC/44/44", "A/HRC/44/44/Add.1"]
    assert complete("tracker show qat", shipped) == ["qat-2019"]
    assert complete("tracker show A/HRC/RES/5", shipped) == ["A/HRC/RES/53/5"]
    assert "okafor" in complete("tracker show ok", shipped)


def test_mandates_complete(shipped):
    assert complete("tracker holders --mandate ", shipped) == ["international-solidarity"]


def test_unreadable_data_completes_nothing_and_prints_no_error(tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "mandate.toml").write_text("[[mandate]\n")
    assert complete("tracker visits --holder ", broken) == []
    assert complete("tracker visits --holder ", tmp_path / "missing") == []

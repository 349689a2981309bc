"""The library face: tracker.open(data=..., db=...) answers as the CLI's --format json does."""

from __future__ import annotations

import json
from pathlib import Path

import tracker


def cli_json(tracker_cli, *args: str):
    result = tracker_cli(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_open_answers_as_the_cli(tracker, shipped: Path) -> None:
    # `tracker` here is conftest's CLI runner on the same data folder; the API is the module's.
    import tracker as library

    api = library.open(data=shipped, db=shipped / "tracker.db")
    assert api.visits(holder="okafor") == cli_json(tracker, "visits", "--holder", "okafor")
    assert api.reports(theme="climate-change") == cli_json(
        tracker, "reports", "--theme", "climate-change"
    )
    assert api.holders() == cli_json(tracker, "holders")
    assert api.resolutions() == cli_json(tracker, "resolutions")
    assert api.show("Qatar") == cli_json(tracker, "show", "Qatar")
    coverage = api.coverage(since="2017")
    assert coverage["themes"] == cli_json(tracker, "coverage", "--since", "2017")
    assert api.gaps() == cli_json(tracker, "gaps")
    assert api.search("climate", kind="report") == cli_json(
        tracker, "search", "climate", "--kind", "report"
    )


def test_plain_data_and_checks(shipped: Path) -> None:
    api = tracker.open(data=shipped, db=shipped / "tracker.db")
    # No error; the one warning: 53/5's term ran out with no renewal recorded.
    assert [(p["severity"], p["record"]) for p in api.check()] == [
        ("warning", "resolution 'A/HRC/RES/53/5'")
    ]
    counts = api.sync()
    assert counts["visit"] == len(api.visits()) and counts["holder"] == 4
    okafor = api.show("okafor")
    assert okafor["kind"] == "holder" and okafor["record"]["name"] == "Obiora Chinedu Okafor"
    assert [e["kind"] for e in api.timeline(holder="okafor", kinds=["visit"])] == ["visit"] * 4
    assert api.records("theme") == [{k: v for k, v in theme.items()} for theme in api.themes()]
    (shipped / "visits.toml").write_text("[[visit]]\nholder = 1\n", encoding="utf-8")
    problems = [p for p in api.check() if p["severity"] == "error"]
    assert problems and all(p["file"].endswith("visits.toml") for p in problems)
    assert "tracker.open(data=" in repr(api)

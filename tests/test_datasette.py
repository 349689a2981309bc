"""The store as real SQLite clients see it: Datasette (with the generated metadata) and
the sqlite-utils CLI answer the same questions as tracker's own commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# Slow (a real datasette client per test): out of the everyday `pytest -m "not slow"`.
pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent


def tool(name: str, *args: str) -> str:
    """Run a console script installed beside this Python; its standard output."""
    result = subprocess.run(
        [str(BIN / name), *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, f"{name} {' '.join(args)}:\n{result.stderr[-2000:]}"
    return result.stdout


def cli_json(tracker, *args: str):
    result = tracker(*args, "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture
def store(tracker, shipped: Path) -> Path:
    """A freshly built store of the shipped data, and its Datasette metadata beside it."""
    assert tracker("sync").exit_code == 0
    path = shipped / "tracker.db"
    assert path.is_file()
    result = tracker("datasette-metadata", "--output", str(shipped / "metadata.json"))
    assert result.exit_code == 0, result.output
    return path


def datasette_get(store: Path, url: str) -> object:
    metadata = store.parent / "metadata.json"
    return json.loads(tool("datasette", str(store), "--metadata", str(metadata), "--get", url))


def test_visit_detail_answers_as_tracker_visits(tracker, store):
    rows = datasette_get(store, "/tracker/visit_detail.json?_shape=array&_size=max")
    visits = cli_json(tracker, "visits")
    assert [r["id"] for r in rows] == [v["id"] for v in visits]
    for row, visit in zip(rows, visits, strict=True):
        for field in ("holder", "country", "status", "start", "end", "report", "report_url"):
            assert row[field] == visit[field], (visit["id"], field)
        assert json.loads(row["themes"]) == visit["themes"]
        assert json.loads(row["places"]) == visit["places"]
    qatar = next(r for r in rows if r["id"] == "qat-2019")
    assert qatar["holder_name"] == "Obiora Chinedu Okafor"
    assert qatar["country_name"] == "Qatar"
    assert qatar["report_url"] == "https://docs.un.org/en/A/HRC/44/44/Add.1"


def test_filters_match_the_cli_filters(tracker, store):
    by_holder = datasette_get(store, "/tracker/visit_detail.json?_shape=array&holder=okafor")
    assert [r["id"] for r in by_holder] == [
        v["id"] for v in cli_json(tracker, "visits", "--holder", "okafor")
    ]
    ga = datasette_get(store, "/tracker/report_detail.json?_shape=array&body=GA&year=2019")
    cli = cli_json(tracker, "reports", "--body", "GA", "--year", "2019")
    assert [r["symbol"] for r in ga] == [r["symbol"] for r in cli] == ["A/74/185"]


def test_report_detail_answers_as_tracker_reports(tracker, store):
    rows = datasette_get(store, "/tracker/report_detail.json?_shape=array&_size=max")
    reports = cli_json(tracker, "reports")
    assert [r["key"] for r in rows] == [r.get("symbol") or r.get("id") for r in reports]
    for row, report in zip(rows, reports, strict=True):
        assert row["title"] == report["title"]
        assert row["url"] == report["url"]
        assert json.loads(row["themes"]) == report["themes"]
        expected_year = report["year"] or int(str(report["date"])[:4])
        assert row["year"] == expected_year


def test_theme_and_holder_views(tracker, store):
    themes = datasette_get(store, "/tracker/theme_detail.json?_shape=array&_size=max")
    assert [t["id"] for t in themes] == [t["id"] for t in cli_json(tracker, "themes")]
    climate = next(t for t in themes if t["id"] == "climate-change")
    shown = cli_json(tracker, "show", "climate-change")
    assert climate["reports"] == len(shown["reports"])
    assert climate["visits"] == len(shown["visits"]) == 4
    assert climate["set_by_name"] == "Obiora Chinedu Okafor"
    holders = datasette_get(store, "/tracker/holder_detail.json?_shape=array")
    assert [(h["id"], h["visits"]) for h in holders] == [
        ("rizki", 0),
        ("dandan", 4),
        ("okafor", 4),
        ("bailliet", 0),
    ]


def test_resolution_view_matches_the_recorded_votes(tracker, store):
    rows = datasette_get(store, "/tracker/resolution_detail.json?_shape=array")
    resolutions = cli_json(tracker, "resolutions")
    assert [r["symbol"] for r in rows] == [r["symbol"] for r in resolutions]
    by_symbol = {r["symbol"]: r for r in rows}
    assert (by_symbol["A/HRC/RES/53/5"]["yes"], by_symbol["A/HRC/RES/53/5"]["no"]) == (31, 13)
    assert by_symbol["A/HRC/RES/44/11"]["url"] == "https://docs.un.org/en/A/HRC/RES/44/11"


def test_datasette_search_box_uses_the_index(store):
    rows = datasette_get(store, "/tracker/search_index.json?_shape=array&_search=climate&_size=max")
    assert ("report", "A/HRC/44/44") in [(r["kind"], r["key"]) for r in rows]
    # The metadata sets escaped search: FTS syntax typed in the box is text, not an error.
    odd = datasette_get(store, "/tracker/search_index.json?_shape=array&_search=%22A/HRC")
    assert isinstance(odd, list)


def test_metadata_describes_the_site(store):
    metadata = datasette_get(store, "/-/metadata.json")
    assert metadata["title"] == (
        "tracker: Independent Expert on human rights and international solidarity"
    )
    assert metadata["source_url"] == "https://docs.un.org/"
    tables = metadata["databases"]["tracker"]["tables"]
    assert tables["visit_detail"]["description"].startswith("Country visits with the holder's")
    assert tables["holder"]["label_column"] == "name"
    assert tables["country"]["label_column"] == "name"
    page = tool(
        "datasette",
        str(store),
        "--metadata",
        str(store.parent / "metadata.json"),
        "--get",
        "/tracker/visit_detail",
    )
    assert "Country visits with the holder&#39;s and the country&#39;s names" in page


def test_the_shipped_data_is_mit_licensed_and_other_data_says_nothing(tracker, store, make_data):
    copy = json.loads((store.parent / "metadata.json").read_text())
    assert "license" not in copy  # a copy of the data is someone's own data set
    result = tracker("datasette-metadata", "--license", "CC-BY-4.0")
    assert json.loads(result.output)["license"] == "CC-BY-4.0"
    from typer.testing import CliRunner

    from tracker.cli.app import app
    from tracker.paths import shipped_data_dir

    shipped = CliRunner().invoke(
        app,
        [
            "--data",
            str(shipped_data_dir()),
            "--db",
            str(store.parent / "x.db"),
            "datasette-metadata",
        ],
    )
    info = json.loads(shipped.output)
    assert (info["license"], info["license_url"]) == ("MIT", "https://opensource.org/license/mit")
    assert list(info["databases"]) == ["x"]


def test_sqlite_utils_sees_the_same_tables_and_rows(tracker, store):
    counts = {
        t["table"]: t["count"]
        for t in json.loads(tool("sqlite-utils", "tables", str(store), "--counts"))
    }
    for row in cli_json(tracker, "db")["tables"]:
        assert counts[row["table"]] == row["rows"], row["table"]
    views = {v["view"] for v in json.loads(tool("sqlite-utils", "views", str(store)))}
    assert {"visit_detail", "report_detail", "theme_detail", "holder_detail"} <= views
    okafor = json.loads(
        tool(
            "sqlite-utils",
            "query",
            str(store),
            "select id from visit_detail where holder = :holder",
            "-p",
            "holder",
            "okafor",
        )
    )
    assert [r["id"] for r in okafor] == [
        v["id"] for v in cli_json(tracker, "visits", "--holder", "okafor")
    ]


def test_foreign_keys_are_declared(store):
    rows = json.loads(
        tool(
            "sqlite-utils",
            "query",
            str(store),
            'select "table", "from", "to" from pragma_foreign_key_list(\'visit\')',
        )
    )
    assert {(r["from"], r["table"], r["to"]) for r in rows} == {
        ("holder", "holder", "id"),
        ("country", "country", "iso3"),
    }

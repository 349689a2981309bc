"""Each kind of record is declared once (tracker/kinds.py), and everything else follows.

A kind declared here, in the test alone, is checked, stored (afresh and incrementally),
listed as a table, JSON and CSV, shown, searched, served by Datasette, added, updated,
removed and set up by `init`, with no other module told about it. A field added to an
existing kind the same way reaches every output.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker import kinds
from tracker.kinds import NOTE, SOURCE, Field, Kind

BIN = Path(sys.executable).parent

BRIEFING = Kind(
    "briefing",
    "briefings.toml",
    "id",
    (
        Field("id", "slug", required=True, help="slug of the briefing", shown="Id"),
        Field("holder", "slug", required=True, refers_to="holder", shown="Holder"),
        Field("date", "date", required=True, shown="Date"),
        Field("forum", "text", required=True, shown="Forum", searched="title"),
        Field("kind", "enum", choices=("statement", "panel"), shown="Kind"),
        Field("country", "iso3", shown="Country"),
        Field("themes", "slugs", refers_to="theme", shown="Themes"),
        Field("summary", "text", searched="text"),
        SOURCE,
        NOTE,
    ),
    plural="briefings",
    title="Briefings",
    about="Statements and panels the holders took part in.",
    order=("date",),
    label=("forum",),
    rules=("end_after_start",),
)

BRIEFINGS = """\
# Briefings (a kind declared by tests/test_declared_once.py only).

[[briefing]]
id = "ga-2017"
holder = "dandan"
date = 2017-10-17
forum = "General Assembly Third Committee"
kind = "statement"
themes = ["climate-change"]
summary = "Presented the report on the zephyrine draft declaration."
source = "A/72/171"

[[briefing]]
id = "panel-2019"
holder = "okafor"
date = "2019-06"
forum = "Human Rights Council panel"
kind = "panel"
country = "QAT"
source = "A/HRC/41/44"
"""


@pytest.fixture
def declared() -> Iterator[None]:
    kinds.declare(BRIEFING)
    try:
        yield
    finally:
        kinds.forget("briefing")


class Cli:
    """The Typer app built while the test kind is declared, run in-process."""

    def __init__(self, data: Path):
        from tracker.cli.app import build

        self.data = data
        self.app = build()

    def __call__(self, *args: str, code: int = 0) -> str:
        result = CliRunner().invoke(self.app, ["--data", str(self.data), *args])
        assert result.exit_code == code, (args, result.output, result.exception)
        return result.output


@pytest.fixture
def cli(declared: None, shipped: Path) -> Cli:
    (shipped / "briefings.toml").write_text(BRIEFINGS, encoding="utf-8")
    return Cli(shipped)


def as_json(cli: Cli, *args: str) -> object:
    return json.loads(cli(*args, "--format", "json"))


def test_check_reads_and_validates_the_new_kind(cli: Cli, shipped: Path) -> None:
    before = cli("check")
    # No error (the shipped data's one warning is the mandate's clock: 53/5's term ran out).
    assert "Checked" in before and "0 error(s)" in before
    text = (shipped / "briefings.toml").read_text()
    (shipped / "briefings.toml").write_text(text.replace('holder = "okafor"', 'holder = "nobody"'))
    output = cli("check", code=1)
    assert "briefings.toml" in output and "no holder 'nobody' in mandate.toml" in output


def test_store_lists_and_formats(cli: Cli, shipped: Path) -> None:
    sync = cli("sync")
    assert "Rebuilt" in sync
    rows = as_json(cli, "briefings")
    assert [r["id"] for r in rows] == ["ga-2017", "panel-2019"]
    assert rows[0]["themes"] == ["climate-change"] and rows[1]["country"] == "QAT"
    assert rows[0]["summary"].startswith("Presented the report")
    assert [r["id"] for r in as_json(cli, "briefings", "--holder", "okafor")] == ["panel-2019"]
    assert [r["id"] for r in as_json(cli, "briefings", "--kind", "panel")] == ["panel-2019"]
    assert [r["id"] for r in as_json(cli, "briefings", "--country", "Qatar")] == ["panel-2019"]
    assert [r["id"] for r in as_json(cli, "briefings", "--year", "2017")] == ["ga-2017"]
    table = cli("briefings")
    assert "Briefings" in table and "General Assembly Third Committee" in table
    assert "Human Rights Council panel" in table
    rows_csv = list(csv.DictReader(io.StringIO(cli("briefings", "--format", "csv"))))
    assert [r["id"] for r in rows_csv] == ["ga-2017", "panel-2019"]
    assert rows_csv[0]["themes"] == "climate-change"
    assert "| ga-2017 |" in cli("briefings", "--format", "md")
    counts = {t["table"]: t["rows"] for t in as_json(cli, "db")["tables"]}
    assert counts["briefing"] == 2 and counts["briefing_theme"] == 1


def test_incremental_sync_after_an_edit(cli: Cli, shipped: Path) -> None:
    cli("sync")
    path = shipped / "briefings.toml"
    path.write_text(path.read_text().replace("Human Rights Council panel", "HRC 41 panel"))
    assert [r["forum"] for r in as_json(cli, "briefings")][1] == "HRC 41 panel"
    found = as_json(cli, "search", "HRC 41 panel")
    assert ("briefing", "panel-2019") in [(r["kind"], r["key"]) for r in found]
    # A holder renamed in mandate.toml reaches the briefing's search row too.
    mandate = shipped / "mandate.toml"
    mandate.write_text(mandate.read_text().replace("Obiora Chinedu Okafor", "Obiora C. Okafor"))
    assert cli("sync").startswith("Rebuilt")


def test_show_and_search(cli: Cli) -> None:
    shown = as_json(cli, "show", "ga-2017")
    assert shown["kind"] == "briefing"
    assert shown["record"]["forum"] == "General Assembly Third Committee"
    table = cli("show", "ga-2017")
    assert "Briefing ga-2017" in table and "General Assembly Third Committee" in table
    # The holder, the theme and the country it names show it among theirs.
    assert [e["id"] for e in as_json(cli, "show", "dandan")["briefings"]] == ["ga-2017"]
    assert "Briefings" in cli("show", "dandan")
    assert [e["id"] for e in as_json(cli, "show", "climate-change")["briefings"]] == ["ga-2017"]
    assert [e["id"] for e in as_json(cli, "show", "Qatar")["briefings"]] == ["panel-2019"]
    found = as_json(cli, "search", "zephyrine")
    assert [(r["kind"], r["key"]) for r in found] == [("briefing", "ga-2017")]
    assert [r["key"] for r in as_json(cli, "search", "zephyrine", "--kind", "briefing")] == [
        "ga-2017"
    ]


@pytest.mark.slow  # runs datasette as a process
def test_datasette_serves_the_new_kind(cli: Cli, shipped: Path) -> None:
    cli("sync")
    cli("datasette-metadata", "--output", str(shipped / "metadata.json"))
    store = shipped / "tracker.db"
    result = subprocess.run(
        [
            str(BIN / "datasette"),
            str(store),
            "--metadata",
            str(shipped / "metadata.json"),
            "--get",
            "/tracker/briefing_detail.json?_shape=array",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == ["ga-2017", "panel-2019"]
    assert rows[0]["holder_name"] == "Virginia B. Dandan"
    assert json.loads(rows[0]["themes"]) == ["climate-change"]
    assert rows[1]["country_name"] == "Qatar"
    metadata = json.loads((shipped / "metadata.json").read_text())
    table = metadata["databases"]["tracker"]["tables"]["briefing"]
    assert table["description"] == BRIEFING.about and table["label_column"] == "forum"


def test_add_update_remove(cli: Cli, shipped: Path) -> None:
    added = cli(
        "add",
        "briefing",
        "--id",
        "cop-2021",
        "--holder",
        "okafor",
        "--date",
        "2021-11",
        "--forum",
        "COP 26 side event",
        "--kind",
        "panel",
        "--theme",
        "climate-change",
        "--source",
        "https://example.org/cop26",
    )
    assert "Added briefing 'cop-2021' to" in added
    text = (shipped / "briefings.toml").read_text()
    assert '[[briefing]]\nid = "cop-2021"\nholder = "okafor"\ndate = "2021-11"' in text
    assert [r["id"] for r in as_json(cli, "briefings")] == ["ga-2017", "panel-2019", "cop-2021"]
    cli("update", "briefing", "cop-2021", "--forum", "COP 26 panel")
    assert as_json(cli, "show", "cop-2021")["record"]["forum"] == "COP 26 panel"
    refused = cli("remove", "holder", "okafor", code=1)
    assert "briefing 'cop-2021' (holder)" in refused
    cli("remove", "briefing", "cop-2021")
    assert "cop-2021" not in (shipped / "briefings.toml").read_text()
    assert cli("fmt", "--check").startswith("All data files")


def test_init_writes_the_new_file(declared: None, tmp_path: Path) -> None:
    folder = tmp_path / "new"
    output = Cli(folder)(
        "init",
        str(folder),
        "--mandate",
        "food",
        "--title",
        "Special Rapporteur on food",
        "--established",
        "2000-04-17",
        "--established-by",
        "E/CN.4/RES/2000/10",
    )
    assert "briefings.toml" in output
    header = (folder / "briefings.toml").read_text()
    assert header.startswith("# Statements and panels the holders took part in.")
    assert "Checked" in Cli(folder)("check")


# --- a field added to an existing kind ------------------------------------------------


@pytest.fixture
def language(shipped: Path) -> Iterator[Cli]:
    """report gains a `language` field (shown, searched) for the length of a test."""
    original = kinds.KINDS["report"]
    fields = list(original.fields)
    fields.insert(
        fields.index(SOURCE), Field("language", "text", shown="Language", searched="text")
    )
    kinds.declare(original._replace(fields=tuple(fields)))
    try:
        yield Cli(shipped)
    finally:
        kinds.declare(original)


@pytest.mark.slow  # runs datasette as a process
def test_a_new_field_reaches_every_output(language: Cli, shipped: Path) -> None:
    cli = language
    cli("update", "report", "A/HRC/44/44", "--language", "Quenya")
    assert 'language = "Quenya"' in (shipped / "themes.toml").read_text()
    assert "Checked" in cli("check")
    report = next(r for r in as_json(cli, "reports") if r.get("symbol") == "A/HRC/44/44")
    assert report["language"] == "Quenya"
    assert as_json(cli, "show", "A/HRC/44/44")["record"]["language"] == "Quenya"
    rows = list(csv.DictReader(io.StringIO(cli("reports", "--format", "csv"))))
    assert {r["language"] for r in rows} == {"", "Quenya"}
    assert "Language" in cli("reports", "--format", "md") and "Quenya" in cli("reports")
    found = as_json(cli, "search", "Quenya")
    assert [(r["kind"], r["key"]) for r in found] == [("report", "A/HRC/44/44")]
    cli("sync")
    cli("datasette-metadata", "--output", str(shipped / "metadata.json"))
    result = subprocess.run(
        [
            str(BIN / "datasette"),
            str(shipped / "tracker.db"),
            "--get",
            "/tracker/report.json?_shape=array&language=Quenya",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert [r["key"] for r in json.loads(result.stdout)] == ["A/HRC/44/44"]
    assert "--language" in cli("add", "report", "--help")


def test_docs_data_format_field_tables_are_generated() -> None:
    from scripts import gen_data_docs

    current = gen_data_docs.DOC.read_text(encoding="utf-8")
    assert current == gen_data_docs.render(current), (
        "docs/data-format.md is stale: run `python scripts/gen_data_docs.py`"
    )
    from tracker.kinds import KINDS

    for kind in KINDS.values():  # every kind, and every list of sub-records, has its table
        assert f"<!-- fields: {kind.name} -->" in current, kind.name
        for field in kind.fields:
            if field.type == "records":
                assert f"<!-- fields: {kind.name}.{field.name} -->" in current

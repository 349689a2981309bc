"""A researcher's first hour (issue 15): answers that do not contradict each other, filters
that say when they cannot match, and names beside codes."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

from typer.testing import CliRunner

from tracker.cli.app import app


def test_report_takes_its_format_from_the_output_file(tracker, tmp_path):
    html = tmp_path / "report.html"
    assert tracker("report", "-o", str(html)).exit_code == 0
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    md = tmp_path / "report.md"
    assert tracker("report", "-o", str(md)).exit_code == 0
    assert md.read_text(encoding="utf-8").startswith("#")
    forced = tmp_path / "forced.html"
    assert tracker("report", "-f", "md", "-o", str(forced)).exit_code == 0
    assert not forced.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_search_says_how_many_it_shows_and_how_to_see_more(tracker):
    result = CliRunner().invoke(app, ["--data", str(tracker.data), "search", "solidar*"])
    assert result.exit_code == 0
    found = re.search(r"20 of (\d+) results shown: see more with --limit (\d+)\.", result.output)
    assert found and found.group(1) == found.group(2) and int(found.group(1)) > 20
    everything = tracker("search", "solidar*", "--limit", found.group(1))
    assert "results shown" not in everything.output


def test_the_timeline_axis_starts_where_its_filter_does(tracker):
    text = tracker("timeline", "--from", "2025").output
    assert "2023 · no event" not in text and "2024 · no event" not in text
    assert "2025" in text
    axes = [line for line in text.splitlines() if "█" in line or "▄" in line]
    assert axes and all(line.startswith("2025 ") for line in axes), axes
    ended = tracker("timeline", "--from", "2010", "--to", "2012").output
    years = {int(y) for y in re.findall(r"(?m)^(\d{4}) ", ended)}
    assert years and min(years) >= 2010 and max(years) <= 2012, sorted(years)


def test_contradictory_or_empty_filters_are_usage_errors(tracker):
    result = tracker("coverage", "--since", "2026", "--until", "2024")
    assert result.exit_code == 2
    assert "2026 is after 2024" in result.output
    assert tracker("visits", "--since", "2026", "--until", "2024").exit_code == 2
    result = tracker("visits", "--holder", "")
    assert result.exit_code == 2 and "--holder is empty" in result.output
    assert tracker("visits", "--since", "2019-13").exit_code == 2


def test_status_repeats_and_takes_open(tracker):
    result = tracker("visits", "--status", "requested", "--status", "completed", "-f", "json")
    assert result.exit_code == 0, result.output
    statuses = {v["status"] for v in json.loads(result.output)}
    assert statuses == {"completed"}  # the shipped data has no requests; both were kept
    tracker(
        "add",
        "visit",
        "--holder",
        "bailliet",
        "--country",
        "CHL",
        "--status",
        "requested",
        "--source",
        "https://example.org",
    )
    both = json.loads(
        tracker("visits", "--status", "requested", "--status", "completed", "-f", "json").output
    )
    assert {v["status"] for v in both} == {"requested", "completed"}
    open_ = json.loads(tracker("visits", "--status", "open", "-f", "json").output)
    assert [v["country"] for v in open_] == ["CHL"]


def test_visits_and_reports_take_since_until_and_lists_take_sort(tracker):
    visits = json.loads(
        tracker("visits", "--since", "2019", "--until", "2022", "-f", "json").output
    )
    assert [v["id"] for v in visits] == ["qat-2019", "cri-2022"]
    reports = json.loads(tracker("reports", "--since", "2025", "-f", "json").output)
    assert reports and all(str(r.get("date") or r.get("year"))[:4] >= "2025" for r in reports)
    by_country = json.loads(tracker("visits", "--sort", "country", "-f", "json").output)
    assert [v["country"] for v in by_country] == sorted(v["country"] for v in by_country)
    assert tracker("holders", "--sort", "nope").exit_code == 2
    # The lists of the wider record too (issue 14's kinds, and any declared later).
    named = json.loads(tracker("invitations", "--sort", "country_name", "-f", "json").output)
    names = [row["country_name"] for row in named]
    assert names == sorted(names) and names[0] == "Albania"
    dated = json.loads(tracker("engagements", "--sort", "forum", "-f", "json").output)
    assert [row["forum"] for row in dated] == sorted(row["forum"] for row in dated)
    assert tracker("engagements", "--sort", "nope").exit_code == 2


def test_country_names_beside_codes(tracker):
    rows = list(csv.DictReader(io.StringIO(tracker("visits", "-f", "csv").output)))
    header = list(rows[0])
    assert header.index("country_name") == header.index("country") + 1
    assert {r["country_name"] for r in rows if r["country"] == "MAR"} == {"Morocco"}
    assert "Morocco" in tracker("visits").output
    gaps = tracker("gaps").output
    assert "Morocco (MAR)" in gaps
    vote = tracker("show", "A/HRC/RES/44/11").output
    assert "Argentina (ARG)" in vote


def test_country_names_in_shows_sections_and_every_list(tracker):
    """ "Country names beside codes in every list and detail": the visits `show` lists for a
    holder, a theme, a report and a country; a holder's nationality; the standing
    invitations; the coverage and gaps cells that name visits."""
    dandan = tracker("show", "dandan").output
    assert re.search(r"mar-2016 +dandan +Morocco +completed", dandan), dandan
    assert "nationality name  Philippines" in dandan
    taxation = tracker("show", "taxation").output
    visits = taxation.split("Visits that focused on it")[1]
    assert "Netherlands (Kingdom of the)" in visits and "Costa Rica" in visits
    assert " NLD " not in visits and " CRI " not in visits
    report = tracker("show", "A/HRC/41/44/Add.2").output
    assert "Netherlands (Kingdom of the)" in report.split("Visits it reports on")[1]
    country = tracker("show", "Qatar").output
    assert re.search(r"qat-2019 +okafor +Qatar +completed", country), country
    holders = tracker("holders").output
    assert "Nigeria" in holders and "Argentina" in holders
    rows = json.loads(tracker("holders", "-f", "json").output)
    assert list(rows[0])[3:5] == ["nationality", "nationality_name"]
    assert {r["id"]: r["nationality_name"] for r in rows}["okafor"] == "Nigeria"
    assert re.search(r"(?m)^Albania +", tracker("invitations").output)
    invitations = list(csv.DictReader(io.StringIO(tracker("invitations", "-f", "csv").output)))
    assert list(invitations[0])[:2] == ["country", "country_name"]
    assert {r["country"]: r["country_name"] for r in invitations}["USA"] == (
        "United States of America"
    )
    engagements = json.loads(tracker("engagements", "-f", "json").output)
    assert all(list(e).index("country_name") == list(e).index("country") + 1 for e in engagements)
    assert "visits: Sweden 2018, Costa Rica 2022" in tracker("coverage", "-f", "md").output
    gaps = tracker("gaps").output
    assert "visit: Netherlands (Kingdom of the) 2018 by okafor" in gaps
    by_group = tracker("show", "44/11").output.split("Vote by UN regional group")[1]
    assert "yes: Argentina, Bahamas, Brazil, Chile, Peru, Uruguay" in by_group
    assert "abstain: Mexico" in by_group and "MEX" not in by_group
    touched = json.loads(tracker("gaps", "-f", "json").output)["themes"]["touched"]
    assert {v["country_name"] for t in touched for v in t["visits"]} == {
        "Netherlands (Kingdom of the)",
        "Costa Rica",
    }


def test_small_things(tracker, shipped, tmp_path):
    assert tracker("update", "holder", "bailliet", "--note", "x", "--dry-run").exit_code == 0
    assert not (shipped / ".tracker.lock").exists()
    result = tracker("update", "holder", "bailliet", "--name", "Cecilia M. Bailliet")
    assert result.output == "Nothing to change: the data files already say this.\n"
    assert "region name" in tracker("show", "NLD", "-f", "md").output
    assert "region\\_name" not in tracker("show", "NLD", "-f", "md").output
    visits = shipped / "visits.toml"
    visits.write_text(
        visits.read_text(encoding="utf-8").replace("start = 2012-06-25", "start = 2019-13-02"),
        encoding="utf-8",
    )
    assert "2019-13-02 has no month 13" in tracker("check").output


def test_init_writes_a_gitignore(tmp_path):
    folder = tmp_path / "new"
    result = CliRunner().invoke(
        app,
        [
            "init",
            str(folder),
            "--mandate",
            "test-food",
            "--title",
            "Special Rapporteur on food",
            "--established",
            "2000-04-17",
            "--established-by",
            "E/CN.4/RES/2000/10",
        ],
    )
    assert result.exit_code == 0, result.output
    ignore = (folder / ".gitignore").read_text(encoding="utf-8")
    assert "tracker.db" in ignore and "*.lock" in ignore
    assert os.path.exists(folder / "mandate.toml")


def test_check_counts_one_record_in_the_singular(tmp_path):
    """check said "Checked 1 records" of a new mandate's folder, which holds one record."""
    folder = tmp_path / "one"
    created = CliRunner().invoke(
        app,
        [
            "init",
            str(folder),
            "--mandate",
            "test-food",
            "--title",
            "Special Rapporteur on food",
            "--established",
            "2000-04-17",
            "--established-by",
            "E/CN.4/RES/2000/10",
        ],
    )
    assert created.exit_code == 0, created.output
    result = CliRunner().invoke(app, ["--data", str(folder), "check"])
    assert result.exit_code == 0, result.output
    assert f"Checked 1 record in {folder}: ok" in result.output


def test_help_never_repeats_an_option_name_as_its_sentence():
    """Help lines read "--session session"; every option has a sentence of its own now."""
    doc = (Path(__file__).resolve().parent.parent / "docs" / "cli.md").read_text(encoding="utf-8")
    pages = [doc]
    for command in (["add", "report"], ["update", "report"], ["add", "visit"], ["add", "theme"]):
        result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        pages.append(result.output)
    assert [re.findall(r"--([a-z-]+) +\1\b", page) for page in pages] == [[]] * len(pages)
    assert re.search(r"--session +N +Session of the body", pages[1])


def test_completion_offers_the_netherlands(tracker):
    from tracker.cli import complete

    class Root:
        obj = None

        def __init__(self):
            self.params = {"data_dir": str(tracker.data), "db_path": None}

        def find_root(self):
            return self

    offered = [value for value, _ in complete.keys(Root(), "Ne")]
    assert "Netherlands" in offered and "Netherlands (Kingdom of the)" in offered


def test_edit_opens_one_record_in_the_editor_and_writes_it_back(tracker, shipped, monkeypatch):
    monkeypatch.setenv("EDITOR", "sed -i s/Guatuso/Upala/")
    monkeypatch.delenv("VISUAL", raising=False)
    result = tracker("edit", "visit", "CRI-2022")
    assert result.exit_code == 0, result.output
    assert "Edited visit 'cri-2022'" in result.output
    assert "Upala (Alajuela)" in (shipped / "visits.toml").read_text(encoding="utf-8")
    before = (shipped / "visits.toml").read_text(encoding="utf-8")
    monkeypatch.setenv("EDITOR", "sed -i s/completed/finished/")
    refused = tracker("edit", "visit", "cri-2022")
    assert refused.exit_code == 1
    assert "'finished' is not one of" in refused.output
    kept = refused.output.split("your edit is kept in ")[1].split(")")[0]
    assert 'status = "finished"' in Path(kept).read_text(encoding="utf-8")
    assert (shipped / "visits.toml").read_text(encoding="utf-8") == before  # record kept
    monkeypatch.setenv("EDITOR", "true")
    assert "Nothing to change" in tracker("edit", "holder", "Okafor").output


def test_data_after_the_command_says_where_it_goes(tracker):
    from tracker.cli import misplaced_global

    message = misplaced_global(["visits", "--data", "DIR"])
    assert message == (
        "--data goes before the command: tracker --data DIR visits ... "
        "(it is an option of tracker itself, not of visits)"
    )
    assert misplaced_global(["--data", "DIR", "visits", "--holder", "x"]) is None
    assert misplaced_global(["show", "--", "--data"]) is None
    assert misplaced_global(["--db=x.db", "gaps", "--db=y.db"]).startswith("--db goes before")


def test_data_after_the_command_is_a_usage_error_that_says_where_it_goes(capsys):
    """`tracker visits --data DIR` said "No such option": the entry point itself answers."""
    from tracker.cli import run

    assert run(["visits", "--data", "DIR"]) == (2, False)
    error = capsys.readouterr().err
    assert error == (
        "Error: --data goes before the command: tracker --data DIR visits ... "
        "(it is an option of tracker itself, not of visits)\n"
    )


def test_body_reads_the_same_in_the_list_and_in_add(tracker):
    """`reports --body` refused `ga` while `add report --body` showed `<hrc|ga>`: both show
    HRC|GA and take either case."""
    for command in (["reports"], ["add", "report"]):
        result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
        assert re.search(r"--body +HRC\|GA ", result.output), command
    assert json.loads(tracker("reports", "--body", "ga", "-f", "json").output)
    added = tracker(
        "add", "report", "--symbol", "A/81/999", "--holder", "bailliet", "--body", "ga",
        "--year", "2026", "--kind", "thematic", "--title", "Debt", "--source", "A/81/999",
        "--dry-run",
    )  # fmt: skip
    assert added.exit_code == 0 and 'body = "GA"' in added.output, added.output


def test_init_help_keeps_its_brackets():
    result = CliRunner().invoke(app, ["init", "--help"], env={"COLUMNS": "200"})
    assert "with the [[mandate]] record" in result.output
    doc = (Path(__file__).resolve().parent.parent / "docs" / "cli.md").read_text(encoding="utf-8")
    assert "(with the [[mandate]] record)" in doc and "with the [] record" not in doc

"""add, update, link, unlink, remove: through the CLI, on the shipped data and on small data."""

from __future__ import annotations

import json
import textwrap

import pytest

from tracker import edit, sources
from tracker.model import DataSet


def ok(result):
    assert result.exit_code == 0, result.output
    return result


def as_json(result):
    return json.loads(ok(result).stdout)


def records(folder, kind):
    dataset, problems = sources.load(folder)
    assert problems == []
    return {record.key: record.data for record in dataset.of(kind)}


# --- the story of a visit request -----------------------------------------------------


def test_a_visit_request_recorded_accepted_postponed_and_completed(tracker, shipped, monkeypatch):
    def on(day, *args):
        monkeypatch.setenv("TRACKER_TODAY", day)
        return ok(tracker(*args))

    added = on(
        "2025-01-10",
        "add", "visit", "--holder", "bailliet", "--country", "Chile", "--status", "requested",
        "--source", "A/HRC/62/38, para 5", "--status-note", "Request sent by letter",
    )  # fmt: skip
    assert added.stdout == f"Added visit 'chl-2025' to {shipped / 'visits.toml'}.\n"
    on("2025-03-01", "update", "visit", "chl-2025", "--status", "accepted")
    on("2025-06-01", "update", "visit", "chl-2025", "--status", "postponed",
       "--status-note", "At the Government's request")  # fmt: skip
    done = on(
        "2026-03-01",
        "update", "visit", "chl-2025", "--status", "completed",
        "--start", "2026-02-09", "--end", "2026-02-13",
    )  # fmt: skip
    assert "Updated visit 'chl-2025'" in done.stdout
    assert "status, start, end, history." in done.stdout

    shown = ok(tracker("show", "chl-2025")).stdout
    assert "Visit chl-2025: Chile, Cecilia M. Bailliet" in shown
    history = shown[shown.index("History") :].splitlines()
    rows = [line.split(None, 2) for line in history[3:] if line.strip()]
    assert rows == [
        ["2025-01-10", "requested", "Request sent by letter"],
        ["2025-03-01", "accepted"],
        ["2025-06-01", "postponed", "At the Government's request"],
        ["2026-02-13", "completed"],  # a completion is dated by the visit's last day
    ]
    detail = as_json(tracker("show", "chl-2025", "--format", "json"))["record"]
    assert detail["status"] == "completed"
    assert (detail["start"], detail["end"]) == ("2026-02-09", "2026-02-13")
    assert [h["status"] for h in detail["history"]] == [
        "requested", "accepted", "postponed", "completed",
    ]  # fmt: skip
    assert ok(tracker("check", "--strict"))
    assert ok(tracker("fmt", "--check"))
    assert (
        textwrap.dedent(
            """\
        [[visit]]
        id = "chl-2025"
        holder = "bailliet"
        country = "CHL"
        status = "completed"
        start = 2026-02-09
        end = 2026-02-13
        source = "A/HRC/62/38, para 5"

        [[visit.history]]
        date = 2025-01-10
        status = "requested"
        note = "Request sent by letter"
        """
        )
        in (shipped / "visits.toml").read_text()
    )


def test_status_change_on_a_visit_without_history_starts_one(tracker, shipped):
    ok(tracker("update", "visit", "cri-2022", "--status", "completed", "--note", "Checked."))
    assert "history" not in records(shipped, "visit")["cri-2022"]  # same status: no entry
    result = tracker(
        "update", "visit", "qat-2019", "--status", "cancelled", "--status-date", "2019-08"
    )  # fmt: skip
    ok(result)
    qatar = records(shipped, "visit")["qat-2019"]
    assert qatar["history"] == [{"date": "2019-08", "status": "cancelled"}]


def test_status_note_needs_a_new_status(tracker):
    result = tracker("update", "visit", "cri-2022", "--status-note", "why")
    assert result.exit_code == 2
    assert "--status-date and --status-note go with --status and a new status" in result.stderr


def test_history_out_of_order_is_refused(tracker, shipped, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2025-05-01")
    ok(tracker("add", "visit", "--holder", "bailliet", "--country", "CL", "--status", "requested",
               "--source", "A/1/1"))  # fmt: skip
    result = tracker(
        "update", "visit", "chl-2025", "--status", "accepted", "--status-date", "2024-12-01"
    )
    assert result.exit_code == 1
    assert "keep the history in date order" in result.stderr


# --- add ------------------------------------------------------------------------------


def test_add_each_kind_to_small_data(make_data, tracker_for):
    folder = make_data()
    run = tracker_for(folder)
    ok(run("add", "theme", "--id", "water", "--title", "Water", "--set-by", "second",
           "--source", "A/HRC/30/1"))  # fmt: skip
    ok(run("add", "report", "--symbol", "A/HRC/30/1", "--holder", "second", "--body", "hrc",
           "--year", "2015", "--kind", "thematic", "--title", "Water", "--theme", "water",
           "--source", "A/HRC/30/1"))  # fmt: skip
    ok(run("add", "holder", "--id", "third", "--name", "Third Holder", "--nationality", "ke",
           "--start", "2020-08", "--source", "A/HRC/3/3"))  # fmt: skip
    ok(run("add", "resolution", "--symbol", "A/HRC/RES/15/2", "--body", "HRC",
           "--adopted", "2015-06-30", "--action", "renewal", "--term-years", "3",
           "--vote-yes", "Kenya", "--vote-yes", "NLD", "--vote-no", "Qatar",
           "--vote-abstain", "0", "--source", "A/HRC/RES/15/2"))  # fmt: skip
    ok(run("add", "visit", "--holder", "second", "--country", "Netherlands",
           "--status", "completed", "--start", "2016-05-02", "--end", "2016-05-06",
           "--theme", "water", "--place", "The Hague", "--place", "Bonaire",
           "--report", "A/HRC/30/1", "--source", "A/HRC/33/1/Add.1"))  # fmt: skip
    themes = records(folder, "theme")
    assert themes["water"]["mandate"] == "test-mandate"  # the only mandate, by default
    report = records(folder, "report")["A/HRC/30/1"]
    assert (report["body"], report["year"], report["themes"]) == ("HRC", 2015, ["water"])
    assert records(folder, "holder")["third"]["nationality"] == "KEN"
    assert records(folder, "holder")["third"]["start"] == "2020-08"
    vote = records(folder, "resolution")["A/HRC/RES/15/2"]["vote"]
    assert vote == {"yes": ["KEN", "NLD"], "no": ["QAT"], "abstain": 0}
    visit = records(folder, "visit")["nld-2016"]
    assert visit["places"] == ["The Hague", "Bonaire"]
    assert "history" not in visit  # a finished visit added after the fact has no history
    assert ok(run("fmt", "--check"))
    shown = as_json(run("visits", "--format", "json"))
    assert [(v["id"], v["country"], v["themes"]) for v in shown] == [("nld-2016", "NLD", ["water"])]


def test_add_refuses_a_duplicate(tracker):
    result = tracker("add", "theme", "--id", "peace", "--title", "Peace", "--source", "A/1/1")
    assert result.exit_code == 1
    assert "theme 'peace' already exists at " in result.stderr
    assert "themes.toml:" in result.stderr
    assert "use `tracker update theme peace` to change it" in result.stderr


def test_missing_required_fields_are_an_error_when_not_at_a_terminal(tracker, shipped):
    before = (shipped / "themes.toml").read_bytes()
    result = tracker("add", "report", "--holder", "bailliet", "--title", "T")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: missing --symbol, --body, --date, --kind, --source "
        "(stdin is not a terminal, so tracker does not ask)\n"
    )
    assert (shipped / "themes.toml").read_bytes() == before


def test_missing_required_fields_are_asked_for_at_a_terminal(tracker, shipped, monkeypatch):
    from tracker.cli import edit as cli_edit

    monkeypatch.setattr(cli_edit, "at_terminal", lambda: True)
    answers = "\n".join(["nope", "A/HRC/63/1", "hrc", "HRC", "2026-09", "bad", "thematic", "S"])
    result = tracker("add", "report", "--holder", "bailliet", "--title", "T", input=answers + "\n")
    ok(result)
    report = records(shipped, "report")["A/HRC/63/1"]
    assert (report["body"], report["date"], report["kind"], report["source"]) == (
        "HRC", "2026-09", "thematic", "S",
    )  # fmt: skip
    assert "'nope' is not a UN document symbol" in result.output
    assert "choose one of CHR, HRC, GA" not in result.output  # a report's body is HRC or GA
    assert "choose one of HRC, GA" in result.output
    assert "choose one of thematic, visit, annual, overview, declaration" in result.output


def test_bad_option_values_are_usage_errors(tracker):
    result = tracker("add", "holder", "--id", "x", "--name", "X", "--start", "2023-13",
                     "--source", "s")  # fmt: skip
    assert result.exit_code == 2
    assert "--start: '2023-13' has no month 13" in result.stderr
    result = tracker("add", "visit", "--holder", "bailliet", "--country", "Niger",
                     "--status", "requested", "--source", "s")  # fmt: skip
    assert result.exit_code == 0, result.output  # Niger is Niger, not Nigeria
    result = tracker("add", "visit", "--holder", "bailliet", "--country", "Korea",
                     "--status", "requested", "--source", "s")  # fmt: skip
    assert result.exit_code == 2
    assert "--country: unknown country 'Korea'. Did you mean:" in result.stderr
    result = tracker("add", "resolution", "--symbol", "A/HRC/RES/1/2", "--body", "HRC",
                     "--adopted", "2020", "--action", "other", "--vote-yes", "3",
                     "--vote-yes", "NLD", "--source", "s")  # fmt: skip
    assert result.exit_code == 2
    assert "--vote-yes: give one number (a tally) or countries, not both" in result.stderr


# --- update ---------------------------------------------------------------------------


def test_update_sets_and_clears_fields(tracker, shipped):
    ok(tracker("update", "holder", "bailliet", "--end", "2029-07-31", "--clear", "note"))
    holder = records(shipped, "holder")["bailliet"]
    assert holder["end"].isoformat() == "2029-07-31"
    assert "note" not in holder
    result = tracker("update", "holder", "bailliet", "--clear", "nationality", "--clear", "end")
    assert ok(result).stdout == (
        f"Updated holder 'bailliet' in {shipped / 'mandate.toml'}: nationality, end.\n"
    )
    result = tracker("update", "holder", "bailliet")
    assert result.exit_code == 2
    assert "nothing to change" in result.stderr


def test_update_report_date_replaces_year(tracker, shipped):
    ok(tracker("update", "report", "A/HRC/62/38", "--date", "2026-03-02"))
    report = records(shipped, "report")["A/HRC/62/38"]
    assert report["date"].isoformat() == "2026-03-02"
    assert "year" not in report


def test_renaming_a_holder_renames_every_reference(tracker, shipped):
    result = ok(tracker("update", "holder", "dandan", "--id", "dandan-v"))
    assert "Renamed 23 reference(s) to it." in result.stdout
    assert {v["holder"] for v in records(shipped, "visit").values()} == {"dandan-v", "okafor"}
    assert records(shipped, "theme")["right-to-international-solidarity"]["set_by"] == "dandan-v"
    assert records(shipped, "report")["A/72/171"]["author"] == "dandan-v"  # who wrote it
    assert "dandan-v" in (shipped / "engagements.toml").read_text()  # her 3 engagements
    assert ok(tracker("check"))
    holders = as_json(tracker("holders", "--format", "json"))
    assert [h["id"] for h in holders] == ["rizki", "dandan-v", "okafor", "bailliet"]


def test_update_unknown_record(tracker):
    result = tracker("update", "visit", "xyz-2020", "--status", "declined")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no visit 'xyz-2020' (known: bra-2012, mar-2016,")


def test_update_of_a_visit_with_a_derived_id_keeps_its_id(make_data, tracker_for):
    folder = make_data(
        visits="""\
        [[visit]]
        holder = "second"
        country = "KEN"
        status = "accepted"
        start = "2026-12"
        source = "A/1/1"
        """
    )
    run = tracker_for(folder)
    ok(run("update", "visit", "ken-2026", "--status", "postponed", "--start", "2027-03"))
    visit = records(folder, "visit")["ken-2026"]
    assert (visit["id"], visit["start"], visit["status"]) == ("ken-2026", "2027-03", "postponed")


# --- link and unlink ------------------------------------------------------------------


def test_link_and_unlink_report_themes(tracker, shipped):
    result = ok(tracker("link", "A/HRC/62/38", "civil-society", "peace"))
    assert result.stdout == "Linked report 'A/HRC/62/38' to civil-society. Already linked: peace.\n"
    assert records(shipped, "report")["A/HRC/62/38"]["themes"] == ["peace", "civil-society"]
    theme = as_json(tracker("show", "civil-society", "--format", "json"))
    assert "A/HRC/62/38" in [r["symbol"] for r in theme["reports"]]
    ok(tracker("unlink", "A/HRC/62/38", "peace", "civil-society"))
    assert "themes" not in records(shipped, "report")["A/HRC/62/38"]
    again = ok(tracker("unlink", "A/HRC/62/38", "peace"))
    assert again.stdout == (
        "Not linked: peace.\nNothing to change: the data files already say this.\n"
    )


def test_link_a_visit_and_unknown_names(tracker, shipped):
    ok(tracker("link", "qat-2019", "civil-society"))
    assert records(shipped, "visit")["qat-2019"]["themes"][-1] == "civil-society"
    result = tracker("link", "A/HRC/62/38", "nope")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no theme 'nope' (known: migration, refugees,")
    result = tracker("link", "A/HRC/99/1", "peace")
    assert result.exit_code == 1
    assert "no report or visit 'A/HRC/99/1'" in result.stderr


# --- remove ---------------------------------------------------------------------------


def test_remove_refuses_while_referred_to_and_says_what_cascade_would_do(tracker, shipped):
    before = (shipped / "themes.toml").read_bytes()
    result = tracker("remove", "theme", "covid-19")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: theme 'covid-19' is referred to by visit 'cri-2022' (themes), "
        "report 'A/HRC/47/31' (themes), report 'A/77/173' (themes), "
        "report 'A/HRC/53/32/Add.1' (themes).\n"
        "With --cascade, tracker would: remove theme 'covid-19'; "
        "unlink covid-19 from the themes of visit 'cri-2022'; "
        "unlink covid-19 from the themes of report 'A/HRC/47/31'; "
        "unlink covid-19 from the themes of report 'A/77/173'; "
        "unlink covid-19 from the themes of report 'A/HRC/53/32/Add.1'.\n"
    )
    assert (shipped / "themes.toml").read_bytes() == before


def test_remove_cascade(tracker, shipped):
    dry = ok(tracker("remove", "holder", "rizki", "--cascade", "--dry-run"))
    assert "Would remove holder 'rizki'. Also: remove report 'A/HRC/15/32'; " in dry.stderr
    assert "clear set_by of theme 'sustainable-development'" in dry.stderr
    assert '-id = "rizki"' in dry.stdout
    assert "rizki" in records(shipped, "holder")
    ok(tracker("remove", "holder", "rizki", "--cascade"))
    assert "rizki" not in records(shipped, "holder")
    assert {r["holder"] for r in records(shipped, "report").values()} == {
        "dandan", "okafor", "bailliet",
    }  # fmt: skip
    assert "set_by" not in records(shipped, "theme")["sustainable-development"]
    assert ok(tracker("check"))


def test_remove_a_record_nothing_refers_to(tracker, shipped):
    result = ok(tracker("remove", "visit", "bra-2012"))
    assert result.stdout == "Done: remove visit 'bra-2012'.\n"
    assert "bra-2012" not in records(shipped, "visit")
    visits = as_json(tracker("visits", "--format", "json"))
    assert len(visits) == 7


# --- the logic without the CLI --------------------------------------------------------


def test_remove_cascade_of_a_mandate_removes_everything_that_needs_it(shipped):
    dataset, _ = sources.load(shipped)
    effects = edit.remove(dataset, "mandate", "international-solidarity", cascade=True)
    # Standing invitations are to every special procedure, not to one mandate: they stay.
    assert all(not dataset.of(kind) for kind in dataset.records if kind != "invitation")
    assert len(dataset.of("invitation")) == 58
    assert effects[0].describe() == "remove mandate 'international-solidarity'"
    assert {e.action for e in effects} == {"remove"}
    assert len(effects) == 95  # 87, and the 8 engagements of its holders


def test_add_visit_needs_an_id_or_a_date():
    dataset = DataSet(folder=__import__("pathlib").Path("."))
    with pytest.raises(edit.EditError, match="give --id, or --start"):
        edit.add(dataset, "visit", {"holder": "x", "country": "KEN", "status": "completed"})


def test_update_of_a_vote_changes_only_the_choices_given(tracker, shipped):
    ok(tracker("update", "resolution", "A/HRC/RES/53/5", "--vote-no", "12"))
    vote = records(shipped, "resolution")["A/HRC/RES/53/5"]["vote"]
    assert vote == {"yes": 31, "no": 12, "abstain": 3}
    ok(tracker("update", "resolution", "A/HRC/RES/53/5", "--clear", "vote"))
    assert "vote" not in records(shipped, "resolution")["A/HRC/RES/53/5"]

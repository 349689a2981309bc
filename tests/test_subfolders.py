"""A data folder in the sub-folder form (one sub-folder per mandate, docs/data-format.md),
never seen before: two mandates, `test-mandate` (record_fixture's records, moved into its
sub-folder) and `other-mandate` (written here), and the standing invitations at the top.
Check, sync, incremental sync, the read commands, the writes and init all work on it, and
a record in the wrong sub-folder is named by file, line and field."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
import record_fixture as fx
from typer.testing import CliRunner

from tracker import sources, store
from tracker.cli.app import app
from tracker.paths import Settings

OTHER_MANDATE = """\
[[mandate]]
id = "other-mandate"
title = "Special Rapporteur on other things"
established = 2015-03-27
established_by = "A/HRC/RES/28/9"
source = "A/HRC/RES/28/9"

[[holder]]
id = "third"
mandate = "other-mandate"
name = "Third Holder"
nationality = "KEN"
start = 2015-08-01
source = "A/HRC/31/9"

[[resolution]]
symbol = "A/HRC/RES/28/9"
mandate = "other-mandate"
body = "HRC"
adopted = 2015-03-27
action = "establishment"
term_years = 3
source = "A/HRC/RES/28/9"
"""

OTHER_THEMES = """\
[[theme]]
id = "housing"
mandate = "other-mandate"
title = "Housing"
set_by = "third"
source = "A/HRC/31/9"

[[report]]
symbol = "A/HRC/31/9"
holder = "third"
body = "HRC"
year = 2016
kind = "thematic"
title = "Housing for all"
themes = ["housing"]
source = "A/HRC/31/9"
"""

OTHER_VISITS = """\
[[visit]]
id = "ury-2016"
holder = "third"
country = "URY"
status = "completed"
start = 2016-05-02
end = 2016-05-06
source = "A/HRC/34/9/Add.1"
"""

MORE_VISITS = """
[[visit]]
id = "per-2017"
holder = "third"
country = "PER"
status = "completed"
start = 2017-09-04
end = 2017-09-08
source = "A/HRC/37/9/Add.1"
"""


def write_two_mandates(folder: Path) -> None:
    """record_fixture's folder as test-mandate's sub-folder (its standing invitations at
    the top: they belong to no mandate), and other-mandate's sub-folder beside it."""
    fx.write_folder(folder / "test-mandate")
    (folder / "test-mandate" / "invitations.toml").rename(folder / "invitations.toml")
    other = folder / "other-mandate"
    other.mkdir()
    for name, text in (
        ("mandate.toml", OTHER_MANDATE),
        ("themes.toml", OTHER_THEMES),
        ("visits.toml", OTHER_VISITS),
    ):
        (other / name).write_text(text, encoding="utf-8")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    write_two_mandates(data)
    return data


def invoke(folder: Path, *args: str):
    return CliRunner().invoke(app, ["--data", str(folder), *args])


def ok(folder: Path, *args: str) -> str:
    result = invoke(folder, *args)
    assert result.exit_code == 0, result.output
    return result.output


def as_json(folder: Path, *args: str):
    return json.loads(ok(folder, *args, "--format", "json"))


def drop_comments(path: Path) -> None:
    path.write_text("".join(line for line in path.open() if not line.startswith("#")))


def mandates(folder: Path) -> set[str]:
    ok(folder, "sync")
    with sqlite3.connect(folder / "tracker.db") as conn:
        return {row[0] for row in conn.execute("select id from mandate")}


def cached_files(folder: Path) -> list[str]:
    with sqlite3.connect(folder / "tracker.db") as conn:
        return sorted(row[0] for row in conn.execute("select file from source_cache"))


def test_check_reads_every_sub_folder(folder, tmp_path):
    flat = tmp_path / "flat"
    fx.write_folder(flat)
    flat_report = json.loads(invoke(flat, "check", "--format", "json").output)
    report = json.loads(invoke(folder, "check", "--format", "json").output)
    assert report["errors"] == 0, report["problems"]
    # The flat fixture's records, and other-mandate's six (mandate, holder, resolution,
    # theme, report, visit).
    assert report["records"] == flat_report["records"] + 6
    # The warnings name the sub-folder's file.
    files = {p["file"] for p in report["problems"]}
    assert files and all(f.startswith(str(folder)) for f in files)
    assert any(f.endswith("test-mandate/mandate.toml") for f in files)


def test_sync_keys_files_by_their_path_in_the_folder(folder):
    ok(folder, "sync")
    assert cached_files(folder) == sorted(
        [
            "communications.toml",
            "engagements.toml",
            "invitations.toml",
            "mandate.toml",
            "other-mandate/mandate.toml",
            "other-mandate/themes.toml",
            "other-mandate/visits.toml",
            "recommendations.toml",
            "test-mandate/communications.toml",
            "test-mandate/engagements.toml",
            "test-mandate/mandate.toml",
            "test-mandate/themes.toml",
            "test-mandate/visits.toml",
            "themes.toml",
            "visits.toml",
        ]
    )
    holders = as_json(folder, "holders")
    assert sorted(h["id"] for h in holders) == ["first", "second", "third"]


def test_read_commands_show_both_mandates(folder):
    visits = as_json(folder, "visits")
    assert sorted(v["id"] for v in visits) == ["bra-2027", "chl-2021", "nld-2018", "ury-2016"]
    assert [v["id"] for v in as_json(folder, "visits", "--mandate", "other-mandate")] == [
        "ury-2016"
    ]
    shown = ok(folder, "show", "ury-2016")
    assert "Third Holder" in shown and "Uruguay" in shown
    found = as_json(folder, "search", "housing")
    assert ("report", "A/HRC/31/9") in {(r["kind"], r["key"]) for r in found}
    assert ("theme", "housing") in {(r["kind"], r["key"]) for r in found}
    invitations = as_json(folder, "invitations")
    assert invitations and {"CHL", "PER"} <= {i["country"] for i in invitations}


def test_an_edit_to_one_sub_folder_rereads_only_that_file(folder, monkeypatch):
    settings = Settings(folder, folder / "tracker.db")
    ok(folder, "sync")
    read: list[str] = []
    real_read_file = sources.read_file

    def spy(path, *args, **options):
        read.append(path.relative_to(folder).as_posix())
        return real_read_file(path, *args, **options)

    monkeypatch.setattr(sources, "read_file", spy)
    path = folder / "other-mandate" / "visits.toml"
    path.write_text(path.read_text(encoding="utf-8") + MORE_VISITS, encoding="utf-8")
    with store.store(settings) as conn:
        ids = sorted(row[0] for row in conn.execute("select id from visit"))
    assert read == ["other-mandate/visits.toml"]
    assert ids == ["bra-2027", "chl-2021", "nld-2018", "per-2017", "ury-2016"]
    assert [v["id"] for v in as_json(folder, "visits", "--mandate", "other-mandate")] == [
        "ury-2016",
        "per-2017",
    ]


def test_a_removed_sub_folder_leaves_the_store(folder):
    ok(folder, "sync")
    shutil.rmtree(folder / "other-mandate")
    assert sorted(h["id"] for h in as_json(folder, "holders")) == ["first", "second"]
    assert not [f for f in cached_files(folder) if f.startswith("other-mandate/")]


def test_writes_go_to_the_mandates_sub_folder(folder):
    other = folder / "other-mandate" / "visits.toml"
    mine = folder / "test-mandate" / "visits.toml"
    before_mine = mine.read_text(encoding="utf-8")
    output = ok(
        folder,
        "add",
        "visit",
        "--holder",
        "third",
        "--country",
        "Peru",
        "--status",
        "completed",
        "--start",
        "2017-09-04",
        "--end",
        "2017-09-08",
        "--source",
        "A/HRC/37/9/Add.1",
    )
    assert "Added visit 'per-2017' to " in output and "other-mandate/visits.toml" in output
    assert 'id = "per-2017"\nholder = "third"\ncountry = "PER"\n' in other.read_text()
    assert mine.read_text(encoding="utf-8") == before_mine
    assert not (folder / "visits.toml").exists()

    output = ok(folder, "update", "visit", "per-2017", "--note", "Lima and Cusco.")
    assert "other-mandate/visits.toml" in output
    assert 'note = "Lima and Cusco."' in other.read_text(encoding="utf-8")

    ok(folder, "add", "theme", "--id", "land", "--title", "Land", "--mandate", "other-mandate",
       "--source", "A/HRC/31/9")  # fmt: skip
    assert 'id = "land"' in (folder / "other-mandate" / "themes.toml").read_text()
    assert 'id = "land"' not in (folder / "test-mandate" / "themes.toml").read_text()

    ok(folder, "add", "invitation", "--country", "URY", "--source", "https://example.org/si")
    assert 'country = "URY"' in (folder / "invitations.toml").read_text(encoding="utf-8")

    ok(folder, "remove", "visit", "per-2017")
    assert "per-2017" not in other.read_text(encoding="utf-8")
    assert "ury-2016" in other.read_text(encoding="utf-8")
    assert ": 0 error(s)" in ok(folder, "check")
    assert sorted(v["id"] for v in as_json(folder, "visits", "--mandate", "other-mandate")) == [
        "ury-2016"
    ]


def test_a_visit_moved_to_another_mandate_moves_to_its_sub_folder(folder):
    ok(folder, "update", "visit", "ury-2016", "--holder", "second")
    assert "ury-2016" in (folder / "test-mandate" / "visits.toml").read_text(encoding="utf-8")
    assert "ury-2016" not in (folder / "other-mandate" / "visits.toml").read_text()


def test_a_new_mandate_gets_its_sub_folder(folder):
    ok(
        folder,
        "add",
        "mandate",
        "--id",
        "third-mandate",
        "--title",
        "Independent Expert on a third thing",
        "--established",
        "2020-06-22",
        "--established-by",
        "A/HRC/RES/44/3",
        "--source",
        "A/HRC/RES/44/3",
    )
    text = (folder / "third-mandate" / "mandate.toml").read_text(encoding="utf-8")
    assert text.startswith("# The mandate of the Independent Expert on a third thing:\n")
    assert '[[mandate]]\nid = "third-mandate"\n' in text
    assert "third-mandate" not in (folder / "other-mandate" / "mandate.toml").read_text()
    assert not (folder / "mandate.toml").exists()
    assert mandates(folder) == {"test-mandate", "other-mandate", "third-mandate"}


def test_a_record_in_the_wrong_sub_folder_is_named_by_file_line_and_field(folder):
    mine = folder / "test-mandate" / "visits.toml"
    lines = len(mine.read_text(encoding="utf-8").splitlines())
    mine.write_text(mine.read_text(encoding="utf-8") + MORE_VISITS, encoding="utf-8")
    result = invoke(folder, "check")
    assert result.exit_code == 1
    # MORE_VISITS starts with a blank line: [[visit]] is 2 lines after the old end, holder 4.
    assert (
        f"{folder}/test-mandate/visits.toml:{lines + 4}: error: visit 'per-2017' field "
        "'holder': it belongs to mandate 'other-mandate', whose records are in its sub-folder "
        "'other-mandate/': move it to other-mandate/visits.toml"
    ) in result.output
    # Every command refuses, with the same message.
    refused = invoke(folder, "visits")
    assert refused.exit_code == 1 and "move it to other-mandate/visits.toml" in refused.output


def test_a_mandate_in_a_folder_not_named_for_it_is_an_error(folder):
    (folder / "other-mandate").rename(folder / "misc")
    result = invoke(folder, "check")
    assert result.exit_code == 1
    assert (
        f"{folder}/misc/mandate.toml:2: error: mandate 'other-mandate' field 'id': mandate "
        "'other-mandate' is in the sub-folder 'misc/', which is named for mandate 'misc': a "
        "mandate's sub-folder has its id as its name; move the record to "
        "other-mandate/mandate.toml (or rename the folder)"
    ) in result.output


def test_a_mandates_records_at_the_top_are_misplaced(folder):
    (folder / "visits.toml").write_text(OTHER_VISITS.replace("ury", "arg").replace("URY", "ARG"))
    result = invoke(folder, "check")
    assert result.exit_code == 1
    assert (
        f"{folder}/visits.toml:3: error: visit 'arg-2016' field 'holder': it belongs to "
        "mandate 'other-mandate', whose records are in its sub-folder 'other-mandate/': move "
        "it to other-mandate/visits.toml"
    ) in result.output


def test_standing_invitations_in_a_sub_folder_are_an_error(folder):
    shutil.copy(folder / "invitations.toml", folder / "other-mandate" / "invitations.toml")
    result = invoke(folder, "check")
    assert result.exit_code == 1
    assert (
        f"{folder}/other-mandate/invitations.toml: error: invitations.toml holds records of no "
        "one mandate: it belongs at the top of the data folder, not in a mandate's sub-folder "
        "(it was not read)"
    ) in result.output


def test_fmt_and_its_check_name_the_sub_folder_file(folder):
    path = folder / "other-mandate" / "visits.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('id = "ury-2016"\n', "") + "\n")
    result = invoke(folder, "fmt", "--check")
    assert result.exit_code == 1
    assert "other-mandate/visits.toml" in result.output
    assert "test-mandate/visits.toml" not in result.output
    drop_comments(folder / "test-mandate" / "mandate.toml")  # (they would stop fmt)
    ok(folder, "fmt")
    assert path.read_text(encoding="utf-8") == OTHER_VISITS.replace('id = "ury-2016"\n', "")


def test_init_adds_a_sub_folder_to_a_folder_in_the_sub_folder_form(folder):
    result = CliRunner().invoke(
        app,
        [
            "init",
            str(folder),
            "--mandate",
            "test-food",
            "--title",
            "Special Rapporteur on testing food",
            "--established",
            "2000-04-17",
            "--established-by",
            "E/CN.4/RES/2000/10",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        f"Created {folder / 'test-food'} for mandate 'test-food': mandate.toml, visits.toml, "
        "themes.toml, engagements.toml, communications.toml, recommendations.toml."
    )
    assert sorted(p.name for p in (folder / "test-food").iterdir()) == [
        "communications.toml",
        "engagements.toml",
        "mandate.toml",
        "recommendations.toml",
        "themes.toml",
        "visits.toml",
    ]
    assert not [p for p in folder.iterdir() if p.name.startswith(".tracker-init-")]
    assert mandates(folder) == {"test-food", "other-mandate", "test-mandate"}
    again = CliRunner().invoke(
        app,
        [
            "init",
            str(folder),
            "--mandate",
            "test-food",
            "--title",
            "x",
            "--established",
            "2000",
            "--established-by",
            "E/CN.4/RES/2000/10",
        ],
    )
    assert again.exit_code == 1
    assert f"{folder / 'test-food'} already exists" in again.output


def store_rows(folder: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(folder / "tracker.db") as conn:
        return {
            table: sorted(map(tuple, conn.execute(f'select * from "{table}"')))
            for table in ("visit", "visit_history", "theme", "report", "report_theme")
        }


def test_record_writes_find_the_sub_folder_file(folder, monkeypatch):
    """Writes of one record (writer.record_write) read and write the record's own file in
    its mandate's sub-folder, and leave the store as a rebuild from the files makes it."""
    from tracker import writer

    drop_comments(folder / "test-mandate" / "mandate.toml")  # (they would stop fmt)
    ok(folder, "fmt")  # (the record path writes only files known to be canonical)
    taken: list[str] = []
    real = writer.record_write

    def counted(*args, **options):
        result = real(*args, **options)
        taken.append("record")
        return result

    monkeypatch.setattr(writer, "record_write", counted)
    other = folder / "other-mandate" / "visits.toml"
    ok(folder, "add", "visit", "--id", "per-2017", "--holder", "third", "--country", "PER",
       "--status", "requested", "--source", "A/HRC/37/9")  # fmt: skip
    ok(folder, "add", "visit", "--id", "ken-2019", "--holder", "third", "--country", "KEN",
       "--status", "requested", "--source", "A/HRC/40/9")  # fmt: skip
    ok(folder, "update", "visit", "per-2017", "--status", "accepted")
    ok(folder, "remove", "visit", "ken-2019")
    ok(folder, "add", "theme", "--id", "land", "--title", "Land", "--mandate", "other-mandate",
       "--source", "A/HRC/31/9")  # fmt: skip
    assert len(taken) >= 3
    text = other.read_text(encoding="utf-8")
    assert 'id = "per-2017"' in text and "ken-2019" not in text
    assert 'status = "accepted"' in text
    assert "per-2017" not in (folder / "test-mandate" / "visits.toml").read_text()
    assert 'id = "land"' in (folder / "other-mandate" / "themes.toml").read_text()
    written = store_rows(folder)
    (folder / "tracker.db").unlink()
    ok(folder, "sync")
    assert store_rows(folder) == written


def test_an_import_writes_to_the_mandates_sub_folder(shipped, tmp_path):
    """The shipped data moved into its mandate's sub-folder (the standing invitations at
    the top): `import uhri` writes the recommendations to the sub-folder's file."""
    from test_import import uhri_xlsx

    from tracker import layout

    sub = shipped / "international-solidarity"
    sub.mkdir()
    for name in layout.mandate_files():
        if (shipped / name).exists():
            (shipped / name).rename(sub / name)
    result = invoke(shipped, "import", "uhri", str(uhri_xlsx(tmp_path)), "--exported", "2026-12-01")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2 new, 0 changed, 0 unchanged, 1 skipped")
    text = (sub / "recommendations.toml").read_text(encoding="utf-8")
    assert 'id = "nld-001"\nreport = "A/HRC/41/44/Add.2"\n' in text
    assert not (shipped / "recommendations.toml").exists()
    assert json.loads(invoke(shipped, "check", "--format", "json").output)["errors"] == 0


def test_a_bad_field_in_one_changed_sub_folder_file_is_still_found(folder):
    """An incremental sync skips the field checks of the files it takes from its cache,
    never those of the file that changed."""
    ok(folder, "sync")
    path = folder / "other-mandate" / "visits.toml"
    path.write_text(path.read_text().replace('status = "completed"', 'status = "done"'))
    result = invoke(folder, "visits")
    assert result.exit_code == 1
    assert f"{folder}/other-mandate/visits.toml:5: error: visit 'ury-2016' field 'status'" in (
        result.output
    )
    path.write_text(path.read_text().replace('status = "done"', 'status = "completed"'))
    assert "ury-2016" in {v["id"] for v in as_json(folder, "visits")}


def test_the_generated_sets_are_in_the_sub_folder_form(tmp_path):
    """bench/generate.py writes one sub-folder per mandate (60 at 1x; here 3 at 0.05x), the
    files of no one mandate at the top, and the result passes check; --flat keeps one set."""
    from bench import generate

    folder = tmp_path / "generated"
    written = generate.write(folder, 0.05, seed=3)
    assert written["mandate"] == 3
    subs = sorted(p.name for p in folder.iterdir() if p.is_dir())
    assert subs == ["mandate-0001", "mandate-0002", "mandate-0003"]
    assert sorted(p.name for p in (folder / "mandate-0002").iterdir()) == [
        "mandate.toml",
        "themes.toml",
        "visits.toml",
    ]
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == ["invitations.toml"]
    report = json.loads(invoke(folder, "check", "--format", "json").output)
    assert report["errors"] == 0 and report["records"] == sum(written.values())
    visits = {v["id"] for v in as_json(folder, "visits", "--mandate", "mandate-0002")}
    text = (folder / "mandate-0002" / "visits.toml").read_text(encoding="utf-8")
    assert visits and all(f'id = "{v}"' in text for v in visits)
    flat = tmp_path / "flat"
    generate.write(flat, 0.05, seed=3, flat=True)
    assert not [p for p in flat.iterdir() if p.is_dir()]

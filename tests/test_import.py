"""`tracker import uhri|communications FILE` (issue 16): small exports of both formats built
here, with every known quirk (misspelt headers, "- " prefixes, several values a cell, Excel
serial dates, "IE ..." body names, extra unknown columns), imported into the shipped data."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

openpyxl = pytest.importorskip("openpyxl")

IE = "- IE human rights and international solidarity"
UHRI_HEADERS = [
    "Text",
    "Countries Concerned",
    "Reccomending Body",
    "Document Symbol",
    "Themes",
    "Affected Persons",
    "Sdgs",
    "Document Publication Date",
    "UPR Reccomending States",
    "UPR Position",
    "Type",
    "OHCHR Annotation Id",
    "UPR Session",
    "Regions Concerned",
    "Recommending Regions",
    "Date of publication on UHRI",
    "Something new",  # a column no export had before: ignored
]


def serial(day: dt.date) -> int:
    """The Excel serial number of a day."""
    return (day - dt.date(1899, 12, 30)).days


# The annotations, as the XLSX writes them (row 2 onwards).
ANNOTATIONS: list[dict[str, Any]] = [
    {
        "Text": "<p>The Government should <b>raise</b> its official development assistance "
        "to 0.7&nbsp;per cent &amp; keep it there.</p>",
        "Countries Concerned": "- Netherlands (Kingdom of the)",
        "Reccomending Body": IE,
        "Document Symbol": "A/HRC/41/44/Add.2",
        "Themes": "- Development\n- International cooperation",
        "Affected Persons": "- Migrants",
        "Sdgs": "- 17 - Partnerships for the goals",
        "Document Publication Date": serial(dt.date(2019, 5, 10)),
        "Type": "- Recommendations",
        "OHCHR Annotation Id": "nld-001",
        "Regions Concerned": "- Western European and other States",
        "Date of publication on UHRI": serial(dt.date(2019, 8, 1)),
        "Something new": "x",
    },
    {
        "Text": "Concern that solidarity programmes were cut.",
        "Countries Concerned": "- Brazil\n- Atlantis",
        "Reccomending Body": IE,
        "Document Symbol": "A/HRC/23/45/Add.1",
        "Themes": "- Development",
        "Type": "- Concerns/Observations",
        "OHCHR Annotation Id": "bra-001",
        "Document Publication Date": dt.datetime(2013, 4, 2),
    },
    {  # another mechanism: left out
        "Text": "Ensure the right to food.",
        "Countries Concerned": "- Brazil",
        "Reccomending Body": "- SR food",
        "Document Symbol": "A/HRC/40/56",
        "Type": "- Recommendations",
        "OHCHR Annotation Id": "food-001",
    },
    {  # the mandate's, of a report the data does not hold: skipped, and said so
        "Text": "A report not in the data.",
        "Countries Concerned": "- Brazil",
        "Reccomending Body": IE,
        "Document Symbol": "A/HRC/99/2",
        "Type": "- Recommendations",
        "OHCHR Annotation Id": "x-001",
    },
]

JSON_KEYS = {
    "OHCHR Annotation Id": "AnnotationId",
    "Text": "Text",
    "Document Symbol": "Symbol",
    "Reccomending Body": "Body",
    "Countries Concerned": "Countries",
    "Themes": "Themes",
    "Sdgs": "Sdgs",
    "Affected Persons": "AffectedPersons",
    "Regions Concerned": "Regions",
    "Type": "AnnotationType",
    "Document Publication Date": "PublicationDate",
}


def write_xlsx(path: Path, headers: list[str], rows: list[dict[str, Any]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header, "") for header in headers])
    workbook.save(path)
    return path


def uhri_xlsx(folder: Path, rows=ANNOTATIONS, headers=UHRI_HEADERS, name="uhri.xlsx") -> Path:
    return write_xlsx(folder / name, headers, rows)


def json_value(header: str, value: Any) -> Any:
    """A value as the JSON export gives it: lists for several values, ISO dates."""
    if isinstance(value, int) and "Date" in header:
        value = dt.date(1899, 12, 30) + dt.timedelta(days=value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat() + "T00:00:00"
    if header in (
        "Countries Concerned",
        "Themes",
        "Affected Persons",
        "Sdgs",
        "Regions Concerned",
        "Reccomending Body",
    ):
        return [line.removeprefix("- ") for line in str(value).splitlines()]
    if header == "Type":
        return str(value).removeprefix("- ")
    return value


def uhri_json(folder: Path, rows=ANNOTATIONS, name="uhri.json") -> Path:
    items = [
        {JSON_KEYS[h]: json_value(h, v) for h, v in row.items() if h in JSON_KEYS}
        | {"UprCycle": None, "UprRecommendingCountry": None, "Unknown": 1}
        for row in rows
    ]
    path = folder / name
    path.write_text(json.dumps(items, indent=1), encoding="utf-8")
    return path


def data_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.toml"))}


SUMMARY = (
    "2 new, 0 changed, 0 unchanged, 1 skipped (report A/HRC/99/2 not in the data). "
    "1 row(s) of other mandates left out."
)


@pytest.mark.parametrize("kind", ["xlsx", "json"])
def test_uhri_export_imports_and_reimport_changes_nothing(shipped, tracker_for, tmp_path, kind):
    export = uhri_xlsx(tmp_path) if kind == "xlsx" else uhri_json(tmp_path)
    run = tracker_for(shipped)
    result = run("import", "uhri", str(export), "--exported", "2026-12-01")
    assert result.exit_code == 0, result.output
    unit = "row 3" if kind == "xlsx" else "item 2"
    summary = SUMMARY.replace("row(s)", "row(s)" if kind == "xlsx" else "item(s)")
    assert summary in result.output
    assert f"Not a UN country name, so not guessed: 'Atlantis' ({unit})." in result.output
    text = (shipped / "recommendations.toml").read_text(encoding="utf-8")
    assert (
        '[[recommendation]]\nid = "nld-001"\nreport = "A/HRC/41/44/Add.2"\ncountries = ["NLD"]\n'
        'type = "recommendation"\npublished = 2019-05-10\n'
        'text = "The Government should raise its official development assistance to 0.7 per '
        'cent & keep it there."\n'
        'themes = ["Development", "International cooperation"]\n'
        'sdgs = ["17 - Partnerships for the goals"]\naffected_persons = ["Migrants"]\n'
        'source = "https://uhri.ohchr.org/ (export of 2026-12-01)"\n'
    ) in text
    assert (
        'id = "bra-001"\nreport = "A/HRC/23/45/Add.1"\ncountries = ["BRA"]\n'
        'type = "observation"\npublished = 2013-04-02\n'
    ) in text
    assert "food-001" not in text and "x-001" not in text
    assert run("check").exit_code == 0

    shown = run("show", "A/HRC/41/44/Add.2").output
    assert "nld-001  A/HRC/41/44/Add.2  NLD        recommendation  2019-05-10" in shown
    country = run("show", "Brazil").output
    assert "Recommendations of A/HRC/23/45/Add.1 (visit bra-2012)" in country
    assert (
        "bra-001  observation  2013-04-02  Concern that solidarity programmes were cut." in country
    )
    assert "What followed A/HRC/23/45/Add.1 in Brazil (after 2013-04-02): none recorded." in country

    before = data_files(shipped)
    again = run("import", "uhri", str(export), "--exported", "2026-12-05")
    assert again.exit_code == 0, again.output
    assert again.output.startswith("0 new, 0 changed, 2 unchanged, 1 skipped")
    assert data_files(shipped) == before


def test_both_formats_give_the_same_records(shipped, tracker_for, tmp_path):
    run = tracker_for(shipped)
    run("import", "uhri", str(uhri_xlsx(tmp_path)), "--exported", "2026-12-01")
    from_xlsx = (shipped / "recommendations.toml").read_text(encoding="utf-8")
    (shipped / "recommendations.toml").write_text("", encoding="utf-8")
    run("import", "uhri", str(uhri_json(tmp_path)), "--exported", "2026-12-01")
    assert (shipped / "recommendations.toml").read_text(encoding="utf-8") == from_xlsx.split(
        "\n\n", 1
    )[1]


def test_a_newer_export_updates_what_changed_and_keeps_notes(shipped, tracker_for, tmp_path):
    run = tracker_for(shipped)
    run("import", "uhri", str(uhri_xlsx(tmp_path)), "--exported", "2026-12-01")
    path = shipped / "recommendations.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'source = "https://uhri.ohchr.org/ (export of 2026-12-01)"\n\n[[recommendation]]\nid = "nld-001"',
            'source = "https://uhri.ohchr.org/ (export of 2026-12-01)"\nnote = "Checked against the report."\n\n[[recommendation]]\nid = "nld-001"',
        ),
        encoding="utf-8",
    )
    assert "Checked against the report." in path.read_text(encoding="utf-8")
    newer = [dict(row) for row in ANNOTATIONS]
    newer[1]["Text"] = "Concern that solidarity programmes were cut in 2012."
    newer.append(
        {
            "Text": "A second recommendation to Brazil.",
            "Countries Concerned": "- Brazil",
            "Reccomending Body": IE,
            "Document Symbol": "A/HRC/23/45/Add.1",
            "Type": "- Recommendations",
            "OHCHR Annotation Id": "bra-002",
        }
    )
    result = run(
        "import",
        "uhri",
        str(uhri_xlsx(tmp_path, newer, name="newer.xlsx")),
        "--exported",
        "2026-12-09",
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 new, 1 changed, 1 unchanged, 1 skipped")
    text = path.read_text(encoding="utf-8")
    assert "were cut in 2012." in text
    assert "Checked against the report." in text  # the data's own note stays
    # Only what changed carries the newer export's date.
    assert text.count("(export of 2026-12-09)") == 2
    assert text.count("(export of 2026-12-01)") == 1


def test_dry_run_shows_summary_and_diff_and_writes_nothing(shipped, tracker_for, tmp_path):
    before = data_files(shipped)
    result = tracker_for(shipped)(
        "import", "uhri", str(uhri_xlsx(tmp_path)), "--dry-run", "--exported", "2026-12-01"
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(SUMMARY)
    assert '+id = "nld-001"' in result.output
    assert "+++ b/" in result.output and "recommendations.toml" in result.output
    assert "Dry run: nothing was written." in result.output
    assert data_files(shipped) == before


def expect_refused(run, shipped: Path, export: Path, *messages: str) -> None:
    before = data_files(shipped)
    result = run("import", "uhri", str(export))
    assert result.exit_code == 1, result.output
    for message in messages:
        assert message in result.output
    assert "Traceback" not in result.output
    assert data_files(shipped) == before


def test_bad_files_are_refused_naming_the_row_or_column(shipped, tracker_for, tmp_path):
    run = tracker_for(shipped)
    text = tmp_path / "notes.xlsx"
    text.write_text("just some notes\n", encoding="utf-8")
    expect_refused(run, shipped, text, "not a UHRI export: neither JSON")

    zipped = tmp_path / "broken.xlsx"
    zipped.write_bytes(b"PK\x03\x04 not really a zip")
    expect_refused(run, shipped, zipped, "not a readable XLSX workbook")

    headers = [h for h in UHRI_HEADERS if h != "Document Symbol"]
    missing = uhri_xlsx(tmp_path, headers=headers, name="missing.xlsx")
    expect_refused(run, shipped, missing, "no column 'Symbol / Document Symbol'")

    whole = uhri_json(tmp_path).read_bytes()
    cut = tmp_path / "cut.json"
    cut.write_bytes(whole[: len(whole) // 2])
    expect_refused(run, shipped, cut, "cut.json: the JSON is cut short or malformed after item")

    other = tmp_path / "other.json"
    other.write_text('{"not": "an array"}', encoding="utf-8")
    expect_refused(run, shipped, other, "not a UHRI export: the JSON is not an array")

    rows = [dict(row) for row in ANNOTATIONS]
    rows[1]["Document Publication Date"] = "2 Aprill 2013"
    bad = uhri_xlsx(tmp_path, rows, name="bad.xlsx")
    expect_refused(
        run,
        shipped,
        bad,
        "bad.xlsx: row 3: column 'Document Publication Date': '2 Aprill 2013' is not a date",
        "1 row(s) cannot be read. Nothing was written",
    )
    # With --skip-bad the rest goes in, and the bad row is named.
    result = run("import", "uhri", str(bad), "--skip-bad", "--exported", "2026-12-01")
    assert result.exit_code == 0, result.output
    assert "row 3: column 'Document Publication Date'" in result.output
    assert "1 new, 0 changed, 0 unchanged, 2 skipped" in result.output
    assert "nld-001" in (shipped / "recommendations.toml").read_text(encoding="utf-8")


# --- communications -------------------------------------------------------------------

COMMUNICATION_HEADERS = [
    "Date",
    "Country",
    "Type",
    "Ref. no.",
    "Mandates",
    "Summary",
    "UN Region",
    "OHCHR Region",
    "Nb. of alleged victims",
    "Nb. of replies",
    "Replies",
    "Replies2",
    "Replies3",
    "Not documented",
]
LETTERS: list[dict[str, Any]] = [
    {
        "Date": serial(dt.date(2020, 3, 2)),
        "Country": "Netherlands (Kingdom of the)",
        "Type": "AL",
        "Ref. no.": "AL NLD 2/2020",
        "Mandates": "- Independent Expert on human rights and international solidarity\n"
        "- Special Rapporteur on extreme poverty and human rights",
        "Summary": "Cuts to development aid",
        "Nb. of replies": 2,
        "Replies": "2020-05-01",
        "Replies2": serial(dt.date(2020, 6, 15)),
    },
    {
        "Date": dt.datetime(2019, 10, 1),
        "Country": "Brazil",
        "Type": "Urgent appeal",
        "Ref. no.": "UA BRA 1/2019",
        "Mandates": "- IE human rights and international solidarity",
        "Summary": "Aid to the Amazon region",
        "Nb. of replies": 0,
    },
    {  # another mandate's letter: left out
        "Date": serial(dt.date(2021, 1, 4)),
        "Country": "Brazil",
        "Type": "AL",
        "Ref. no.": "AL BRA 9/2021",
        "Mandates": "- Special Rapporteur on the right to food",
    },
]


def test_communications_export_imports_with_replies_and_gaps_follow(shipped, tracker_for, tmp_path):
    export = write_xlsx(tmp_path / "communications.xlsx", COMMUNICATION_HEADERS, LETTERS)
    run = tracker_for(shipped)
    result = run("import", "communications", str(export), "--exported", "2026-12-01")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "2 new, 0 changed, 0 unchanged, 0 skipped. 1 row(s) of other mandates left out."
    )
    text = (shipped / "communications.toml").read_text(encoding="utf-8")
    assert (
        '[[communication]]\nref = "UA BRA 1/2019"\ntype = "UA"\nholder = "okafor"\n'
        'country = "BRA"\ndate = 2019-10-01\nsummary = "Aid to the Amazon region"\n'
        'source = "https://spcommreports.ohchr.org/ (export of 2026-12-01)"\n'
    ) in text
    assert (
        '[[communication]]\nref = "AL NLD 2/2020"\ntype = "JAL"\nholder = "okafor"\n'
        'country = "NLD"\ndate = 2020-03-02\n'
        'joint_with = "Special Rapporteur on extreme poverty and human rights"\n'
        'summary = "Cuts to development aid"\nreplies = [2020-05-01, 2020-06-15]\n'
    ) in text
    gaps = json.loads(run("gaps", "--format", "json").output)
    unanswered = [row["ref"] for row in gaps["unanswered_communications"]]
    assert unanswered == ["UA BRA 1/2019"]  # the Netherlands replied

    before = data_files(shipped)
    again = run("import", "communications", str(export), "--exported", "2026-12-03")
    assert again.output.startswith("0 new, 0 changed, 2 unchanged, 0 skipped.")
    assert data_files(shipped) == before


def test_uhri_and_communications_make_the_chain(shipped, tracker_for, tmp_path):
    run = tracker_for(shipped)
    run("import", "uhri", str(uhri_json(tmp_path)), "--exported", "2026-12-01")
    export = write_xlsx(tmp_path / "communications.xlsx", COMMUNICATION_HEADERS, LETTERS)
    run("import", "communications", str(export), "--exported", "2026-12-01")
    shown = run("show", "Netherlands").output
    title = "What followed A/HRC/41/44/Add.2 in Netherlands (Kingdom of the) (after 2019-05-10)"
    followed = shown.split(title + "\n", 1)[1].split("\n\n", 1)[0]
    assert (
        "2020-03-02  communication  AL NLD 2/2020  JAL; 2 replies: Cuts to development aid"
        in followed
    )


def test_communications_bad_files(shipped, tracker_for, tmp_path):
    run = tracker_for(shipped)
    before = data_files(shipped)
    headers = [h for h in COMMUNICATION_HEADERS if h != "Mandates"]
    missing = write_xlsx(tmp_path / "missing.xlsx", headers, LETTERS)
    result = run("import", "communications", str(missing))
    assert result.exit_code == 1
    assert "not a communications export: no column 'Mandates'" in result.output
    json_file = uhri_json(tmp_path)
    result = run("import", "communications", str(json_file))
    assert result.exit_code == 1
    assert "not a communications export: it is not an XLSX workbook" in result.output
    letters = [dict(row) for row in LETTERS]
    letters[1]["Date"] = "sometime"
    bad = write_xlsx(tmp_path / "bad.xlsx", COMMUNICATION_HEADERS, letters)
    result = run("import", "communications", str(bad))
    assert result.exit_code == 1
    assert "bad.xlsx: row 3: column 'Date': 'sometime' is not a date" in result.output
    assert data_files(shipped) == before


def test_shared_report_has_from_visit_to_follow_up(shipped, tracker_for, tmp_path):
    run = tracker_for(shipped)
    run("import", "uhri", str(uhri_xlsx(tmp_path)), "--exported", "2026-12-01")
    export = write_xlsx(tmp_path / "communications.xlsx", COMMUNICATION_HEADERS, LETTERS)
    run("import", "communications", str(export), "--exported", "2026-12-01")
    text = run("report", "--format", "md").output
    section = text.split("## From visit to follow-up\n", 1)[1].split("\n## ", 1)[0]
    netherlands = section.split("### Netherlands (Kingdom of the) (NLD)\n", 1)[1].split("###", 1)[0]
    assert (
        "| 2018-11-05 | visit | nld-2018 | visit by okafor, 2018-11-05 to 2018-11-13 |\n"
        "| 2019 | report | [A/HRC/41/44/Add.2](https://docs.un.org/en/A/HRC/41/44/Add.2) "
        "| Visit to the Kingdom of the Netherlands |\n"
        "| 2019-05-10 | recommendation | nld-001 | The Government should raise its official "
        "development assistance to 0.7 per cent & keep it there. |\n"
        "| 2020-03-02 | then: communication | AL NLD 2/2020 | JAL; 2 replies: Cuts to development aid |\n"
    ) in netherlands
    brazil = section.split("### Brazil (BRA)\n", 1)[1].split("###", 1)[0]
    assert "| 2013-04-02 | observation | bra-001 |" in brazil
    assert "| 2019-10-01 | then: communication | UA BRA 1/2019 | UA; no reply recorded" in brazil
    cuba = section.split("### Cuba (CUB)\n", 1)[1].split("###", 1)[0]
    assert "No recommendation of its visit report is recorded" in cuba
    html = tmp_path / "report.html"
    assert run("report", "-o", str(html)).exit_code == 0
    page = html.read_text(encoding="utf-8")
    assert '<a href="#follow-up">Follow-up</a>' in page
    assert '<section id="follow-up"><h2>From visit to follow-up</h2>' in page


def test_a_title_row_above_the_header(shipped, tracker_for, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Universal Human Rights Index: export of 1 December 2026"])
    sheet.append([])
    sheet.append(UHRI_HEADERS)
    sheet.append([ANNOTATIONS[0].get(header, "") for header in UHRI_HEADERS])
    path = tmp_path / "titled.xlsx"
    workbook.save(path)
    result = tracker_for(shipped)("import", "uhri", str(path), "--exported", "2026-12-01")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 new, 0 changed, 0 unchanged, 0 skipped.")


def test_hostile_text_is_kept_as_text(shipped, tracker_for, tmp_path):
    rows = [dict(ANNOTATIONS[0])]
    rows[0]["Text"] = 'Ensure [bold]"quotes"[/bold] \\ and\ttabs\x1b[31m stay; # no comment'
    run = tracker_for(shipped)
    result = run("import", "uhri", str(uhri_json(tmp_path, rows)), "--exported", "2026-12-01")
    assert result.exit_code == 0, result.output
    assert run("check").exit_code == 0
    shown = run("show", "nld-001").output
    assert '[bold]"quotes"[/bold] \\ and tabs' in shown  # markup shown as text
    assert "\x1b" not in shown
    again = run("import", "uhri", str(uhri_json(tmp_path, rows)), "--exported", "2026-12-02")
    assert again.output.startswith("0 new, 0 changed, 1 unchanged")

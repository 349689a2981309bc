"""The everyday query commands, through the CLI, on the shipped data and on small data."""

from __future__ import annotations

import csv
import io
import json

import pytest


def as_json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_okafor_visits_json(tracker):
    visits = as_json(tracker("visits", "--holder", "okafor", "--format", "json"))
    assert [(v["country"], v["start"], v["end"], v["report"]) for v in visits] == [
        ("SWE", "2018-04-23", "2018-04-27", "A/HRC/41/44/Add.1"),
        ("NLD", "2018-11-05", "2018-11-13", "A/HRC/41/44/Add.2"),
        ("QAT", "2019-09-02", "2019-09-10", "A/HRC/44/44/Add.1"),
        ("CRI", "2022-02-21", "2022-03-02", "A/HRC/53/32/Add.1"),
    ]
    keys = set(visits[0])
    assert {"id", "holder", "country", "status", "themes", "places", "source", "note"} <= keys
    assert visits[1]["places"] == ["The Hague", "Amsterdam", "Bonaire"]


def test_visit_filters(tracker):
    assert [v["id"] for v in as_json(tracker("visits", "--country", "Brazil", "-f", "json"))] == [
        "bra-2012"
    ]
    assert [v["id"] for v in as_json(tracker("visits", "--year", "2016", "-f", "json"))] == [
        "mar-2016",
        "nor-2016",
    ]
    assert as_json(tracker("visits", "--holder", "rizki", "-f", "json")) == []
    assert len(as_json(tracker("visits", "--status", "completed", "-f", "json"))) == 8


def test_unknown_holder_and_country_are_errors(tracker):
    result = tracker("visits", "--holder", "nobody")
    assert result.exit_code == 1
    assert "no holder 'nobody' (known: rizki, dandan, okafor, bailliet)" in result.output
    result = tracker("visits", "--country", "Korea")
    assert result.exit_code == 1
    assert "unknown country 'Korea'. Did you mean: Republic of Korea (KOR);" in result.output


def test_unknown_keys_among_many_suggest_the_closest_not_all(shipped, make_data, tracker_for):
    """A store of every special procedure holds thousands of keys: a message names the
    closest few and how many there are, never the whole list."""
    # Terms within the mandate's life: check refuses one before its establishment (2005-04-20).
    holders = "".join(
        f"""
[[holder]]
id = "holder-{n:02}"
mandate = "test-mandate"
name = "Holder {n}"
nationality = "KEN"
start = {2005 + n}-01-01
end = {2005 + n}-12-31
source = "A/HRC/1/1"
"""
        for n in range(1, 31)
    )
    mandate = (shipped / "mandate.toml").read_text(encoding="utf-8")
    mandate = mandate[: mandate.index("[[holder]]")].replace(
        "international-solidarity", "test-mandate"
    )
    folder = make_data(mandate=mandate + holders)
    result = tracker_for(folder)("visits", "--holder", "holder-7")
    assert result.exit_code == 1
    assert result.output.startswith("Error: no holder 'holder-7' (did you mean ")
    assert "holder-07" in result.output and result.output.count("holder-") == 1 + 5
    assert result.output.endswith("? 30 holders are known)\n")
    result = tracker_for(folder)("visits", "--holder", "zzz")
    assert result.output == "Error: no holder 'zzz' (30 holders are known)\n"


def test_holders_in_term_order_with_partial_dates(tracker):
    holders = as_json(tracker("holders", "-f", "json"))
    assert [h["id"] for h in holders] == ["rizki", "dandan", "okafor", "bailliet"]
    assert holders[0]["end"] == "2011"
    # Bailliet: appointed in October 2023; the day she took up the mandate is not recorded.
    assert holders[3]["appointed"] == "2023-10" and holders[3]["start"] is None
    assert holders[0]["appointed"] == "2005-07-29" and holders[0]["start"] is None
    assert holders[2]["appointed"] == "2017-06" and holders[2]["start"] == "2017-08-01"
    assert holders[3]["end"] is None


def test_reports_filters(tracker):
    climate = as_json(tracker("reports", "--theme", "climate-change", "-f", "json"))
    symbols = [r["symbol"] for r in climate]
    assert "A/HRC/44/44" in symbols
    assert all("climate-change" in r["themes"] for r in climate)
    ga_2019 = as_json(tracker("reports", "--body", "GA", "--year", "2019", "-f", "json"))
    assert [r["symbol"] for r in ga_2019] == ["A/74/185"]
    bailliet = as_json(tracker("reports", "--holder", "bailliet", "-f", "json"))
    assert [r["symbol"] for r in bailliet] == [
        "A/HRC/56/57",
        "A/79/170",
        "A/HRC/59/40",
        "A/80/172",
        "A/HRC/62/38",
    ]


def test_resolutions_with_votes(tracker):
    resolutions = as_json(tracker("resolutions", "-f", "json"))
    by_symbol = {r["symbol"]: r for r in resolutions}
    vote = by_symbol["A/HRC/RES/44/11"]["vote"]
    assert (len(vote["yes"]), len(vote["no"]), vote["abstain"]) == (31, 15, ["MEX"])
    assert "NLD" in vote["no"] and "QAT" in vote["yes"]
    assert by_symbol["A/HRC/RES/53/5"]["vote"] == {"yes": 31, "no": 13, "abstain": 3}
    assert by_symbol["E/CN.4/RES/2005/55"]["adopted"] == "2005-04-20"
    assert resolutions[0]["symbol"] == "E/CN.4/RES/2005/55"


def test_show_country_by_name_code_and_variant(tracker):
    for key in ("Qatar", "QAT", "qa"):
        result = tracker("show", key)
        assert result.exit_code == 0, result.output
        assert "Country Qatar (QAT)" in result.output
        assert "qat-2019" in result.output
        assert "2019-09-02" in result.output
    netherlands = as_json(tracker("show", "Netherlands", "-f", "json"))
    assert netherlands["record"]["iso3"] == "NLD"
    assert [v["id"] for v in netherlands["visits"]] == ["nld-2018"]
    votes = {v["resolution"]: v["vote"] for v in netherlands["votes"]}
    assert votes["A/HRC/RES/44/11"] == "no"


@pytest.mark.parametrize(
    ("key", "heading", "related"),
    [
        ("okafor", "Holder Obiora Chinedu Okafor (okafor)", "A/HRC/44/44"),
        ("climate-change", "Theme", "A/HRC/44/44"),
        ("A/HRC/44/44/Add.1", "Report A/HRC/44/44/Add.1", "qat-2019"),
        ("cri-2022", "Visit cri-2022: Costa Rica, Obiora Chinedu Okafor", "Guatuso"),
        ("A/HRC/RES/44/11", "Resolution A/HRC/RES/44/11", "31 yes, 15 no, 1 abstaining"),
    ],
)
def test_show_each_kind(tracker, key, heading, related):
    result = tracker("show", key)
    assert result.exit_code == 0, result.output
    assert heading in result.output
    assert related in result.output


def test_show_unknown_key(tracker):
    result = tracker("show", "A/HRC/99/99")
    assert result.exit_code == 1
    assert "no report or resolution 'A/HRC/99/99'" in result.output


def test_csv_and_markdown(tracker):
    rows = list(csv.DictReader(io.StringIO(tracker("visits", "-f", "csv").output)))
    assert len(rows) == 8
    assert rows[0]["id"] == "bra-2012"
    nld = next(r for r in rows if r["country"] == "NLD")
    assert nld["places"] == "The Hague; Amsterdam; Bonaire"
    md = tracker("themes", "-f", "md").output
    assert md.startswith("## Thematic priorities\n\n| Id | Title | Set by | Set in |")
    assert "| technology-and-innovation |" in md.replace("\\-", "-")


def test_table_is_plain_when_piped(tracker):
    output = tracker("holders").output
    assert "\x1b[" not in output
    assert "Virginia B. Dandan" in output


def test_bad_format_is_a_usage_error(tracker):
    result = tracker("visits", "--format", "xml")
    assert result.exit_code == 2


def test_store_follows_the_toml(tracker, shipped):
    assert len(as_json(tracker("visits", "-f", "json"))) == 8
    text = (shipped / "visits.toml").read_text()
    (shipped / "visits.toml").write_text(
        text
        + '\n[[visit]]\nholder = "bailliet"\ncountry = "CHL"\nstatus = "requested"\n'
        + 'source = "https://example.org"\n\n[[visit.history]]\ndate = 2025-01-15\n'
        + 'status = "requested"\n'
    )
    visits = as_json(tracker("visits", "-f", "json"))
    assert visits[-1]["id"] == "chl-2025"
    assert visits[-1]["history"] == [{"date": "2025-01-15", "status": "requested", "note": None}]


def test_store_deleted_or_corrupt_is_rebuilt(tracker, shipped):
    assert tracker("sync").exit_code == 0
    store = shipped / "tracker.db"
    assert store.exists()
    store.write_bytes(b"not a database at all")
    assert len(as_json(tracker("holders", "-f", "json"))) == 4
    store.unlink()
    assert len(as_json(tracker("holders", "-f", "json"))) == 4


def test_db_and_sync_report_counts(tracker, shipped):
    result = tracker("sync")
    assert "mandate 1, holder 4, resolution 17, visit 8, theme 19, report 38" in result.output
    info = as_json(tracker("db", "-f", "json"))
    assert info["path"].endswith("tracker.db")
    counts = {t["table"]: t["rows"] for t in info["tables"]}
    assert counts["vote"] == 93  # 44/11 country by country (47), decision 16/118 (46)
    assert counts["visit"] == 8


def test_db_env_var_and_option(tracker_for, shipped, tmp_path, monkeypatch):
    target = tmp_path / "elsewhere.db"
    result = tracker_for(shipped)("--db", str(target), "db", "-f", "json")
    assert json.loads(result.output)["path"] == str(target)
    assert target.exists()


# --- --svg on every view (issue 3) ---------------------------------------------------------

SVG_CASES = [
    (["holders"], "Obiora&#160;Chinedu&#160;Okafor"),
    (["visits", "--holder", "okafor"], "swe-2018"),
    (["themes"], "technology-and-innovation"),
    (["reports", "--year", "2020"], "A/HRC/44/44"),
    (["resolutions"], "A/HRC/RES/44/11"),
    (["show", "Qatar"], "Country&#160;Qatar&#160;(QAT)"),
    (["search", "climate"], "A/HRC/44/44"),
    (["visits", "--holder", "rizki"], "Country&#160;visits:&#160;no&#160;records."),
]


@pytest.mark.parametrize(("args", "shown"), SVG_CASES, ids=[" ".join(a) for a, _ in SVG_CASES])
def test_every_view_saves_svg_and_still_prints_its_format(tracker, tmp_path, args, shown):
    target = tmp_path / "view.svg"
    plain = tracker(*args, "-f", "json")
    result = tracker(*args, "-f", "json", "--svg", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == plain.stdout  # the chosen format still goes to standard output
    assert f"Saved {target}" in result.output
    svg = target.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert 'url("http' not in svg  # no web fonts: the file opens offline
    assert shown in svg
    assert f"tracker&#160;{args[0]}" in svg  # the title of the window drawn around it


def test_svg_to_an_unwritable_place_is_a_clear_error(tracker, tmp_path):
    result = tracker("holders", "--svg", str(tmp_path / "missing" / "h.svg"))
    assert result.exit_code == 1
    assert "cannot write" in result.output and "Traceback" not in result.output


def test_svg_is_the_same_whatever_the_terminal_says(tracker, tmp_path, monkeypatch):
    """TERM=dumb made Rich draw the SVG at 80 columns (it asks a dumb terminal's size)."""
    plain, dumb = tmp_path / "plain.svg", tmp_path / "dumb.svg"
    monkeypatch.delenv("TERM", raising=False)
    assert tracker("holders", "--svg", str(plain)).exit_code == 0
    monkeypatch.setenv("TERM", "dumb")
    assert tracker("holders", "--svg", str(dumb)).exit_code == 0
    assert "Obiora&#160;Chinedu&#160;Okafor" in dumb.read_text(encoding="utf-8")
    assert dumb.read_text(encoding="utf-8") == plain.read_text(encoding="utf-8")

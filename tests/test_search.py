"""tracker search: full-text search that takes any text, finds symbols and ranks matches."""

from __future__ import annotations

import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console

from tests.conftest import SHIPPED
from tracker import render_search, search
from tracker.paths import Settings
from tracker.store import rebuild


def as_json(result) -> list[dict]:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def keys(results: list[dict]) -> list[tuple[str, str]]:
    return [(r["kind"], r["key"]) for r in results]


def test_climate_finds_the_report_and_the_visits_that_focused_on_climate(tracker):
    results = as_json(tracker("search", "climate", "--limit", "50", "-f", "json"))
    assert ("report", "A/HRC/44/44") in keys(results)
    assert ("theme", "climate-change") in keys(results)
    climate_visits = [
        v["id"] for v in as_json(tracker("visits", "-f", "json")) if "climate-change" in v["themes"]
    ]
    assert climate_visits == ["swe-2018", "nld-2018", "qat-2019", "cri-2022"]
    found_visits = {r["key"] for r in results if r["kind"] == "visit"}
    assert found_visits == set(climate_visits)
    report = next(r for r in results if r["key"] == "A/HRC/44/44")
    assert report["title"] == "Climate change"
    assert report["url"] == "https://docs.un.org/en/A/HRC/44/44"
    assert "**climate**" in report["snippet"].lower()


def test_the_best_matches_come_first(tracker):
    results = as_json(tracker("search", "climate", "-f", "json"))
    # The theme and the thematic report are titled "Climate ...": they outrank records
    # that only mention climate in a note or a tag.
    assert keys(results)[:2] == [("theme", "climate-change"), ("report", "A/HRC/44/44")]


def test_a_symbol_finds_its_record_first(tracker):
    results = as_json(tracker("search", "A/HRC/44/44", "-f", "json"))
    assert keys(results)[0] == ("report", "A/HRC/44/44")
    # Its addendum (symbol prefix) and the visit it reports on (tagged with it) follow.
    assert ("report", "A/HRC/44/44/Add.1") in keys(results)
    assert ("visit", "qat-2019") in keys(results)
    lower = as_json(tracker("search", "a/hrc/44/44", "-f", "json"))
    assert keys(lower)[0] == ("report", "A/HRC/44/44")


def test_a_resolution_symbol_and_a_symbol_prefix(tracker):
    results = as_json(tracker("search", "A/HRC/RES/44/11", "-f", "json"))
    assert keys(results)[0] == ("resolution", "A/HRC/RES/44/11")
    assert results[0]["url"] == "https://docs.un.org/en/A/HRC/RES/44/11"
    prefix = as_json(tracker("search", "A/HRC/RES/", "--kind", "resolution", "-f", "json"))
    assert sorted(r["key"] for r in prefix) == sorted(
        f"A/HRC/RES/{n}"
        for n in (
            "6/3", "7/5", "9/2", "12/9", "15/13", "17/6", "18/5", "21/10",
            "23/12", "26/6", "29/3", "32/9", "35/3", "44/11", "53/5",
        )  # renewals and the annual resolutions; not the decision A/HRC/DEC/16/118
    )  # fmt: skip


def test_an_unclosed_quote_is_just_text(tracker):
    result = tracker("search", '"A/HRC', "--limit", "100", "-f", "json")
    results = as_json(result)
    assert results, "the symbol prefix A/HRC matches the Council's documents"
    symbols = [r["key"] for r in results if r["kind"] in ("report", "resolution")]
    assert symbols and all(key.startswith("A/HRC/") for key in symbols)


def test_operators_without_operands_answer_without_error(tracker):
    result = tracker("search", "NOT (")
    assert result.exit_code == 0
    assert result.output == "Nothing to search for in 'NOT (': give a word to look for.\n"
    assert as_json(tracker("search", "NOT (", "-f", "json")) == []


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "(",
        ")",
        "*",
        "-",
        "AND",
        "OR",
        "NOT",
        "climate)",
        "NEAR(a b)",
        "a:b",
        "^x",
        "{}",
        "'",
        "x'",
        "a\x00b",
        "\udcff",
    ],
)
def test_fts_syntax_is_never_passed_through(tracker, text):
    result = tracker("search", text, "-f", "json")
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.output), list)


def test_hyphens_and_phrases(tracker):
    assert keys(as_json(tracker("search", "south-south", "-f", "json")))[0] == (
        "theme",
        "south-south-cooperation",
    )
    phrase = as_json(tracker("search", '"water management"', "-f", "json"))
    assert keys(phrase) == [("visit", "nld-2018")]
    # The same words apart are not the phrase.
    assert as_json(tracker("search", '"management water"', "-f", "json")) == []


def test_stemming_and_accents(tracker):
    assert ("visit", "cri-2022") in keys(as_json(tracker("search", "jose", "-f", "json")))
    assert ("visit", "cri-2022") in keys(as_json(tracker("search", "José", "-f", "json")))
    refugee = keys(as_json(tracker("search", "refugee", "--kind", "theme", "-f", "json")))
    assert refugee == [("theme", "refugees")]


THEMES = """\
[[theme]]
id = "alpha"
mandate = "test-mandate"
title = "Alpha matters"
source = "A/HRC/1/1"

[[theme]]
id = "beta"
mandate = "test-mandate"
title = "Beta matters"
source = "A/HRC/1/1"

[[report]]
symbol = "A/HRC/20/1"
holder = "first"
body = "HRC"
year = 2012
kind = "thematic"
title = "Alpha and beta together"
source = "A/HRC/20/1"

[[report]]
symbol = "A/HRC/20/2"
holder = "first"
body = "HRC"
year = 2012
kind = "thematic"
title = "Only gamma"
summary = "Nothing about the first two letters; prefixes: gammaray."
source = "A/HRC/20/2"
"""


def test_or_not_and_prefix_on_a_small_data_set(make_data, tracker_for):
    tracker = tracker_for(make_data(themes=THEMES))

    def found(text: str) -> set[str]:
        return {r["key"] for r in as_json(tracker("search", text, "-f", "json"))}

    assert found("alpha") == {"alpha", "A/HRC/20/1"}
    assert found("alpha beta") == {"A/HRC/20/1"}
    assert found("alpha OR gamma") == {"alpha", "A/HRC/20/1", "A/HRC/20/2"}
    assert found("matters NOT beta") == {"alpha"}
    assert found("gamma*") == {"A/HRC/20/2"}
    assert found("gammar*") == {"A/HRC/20/2"}
    assert found("gammar") == set()
    # Lower-case operators are words like any other.
    assert found("alpha or gamma") == set()
    # NOT alone excludes from everything there is.
    assert "A/HRC/20/2" not in found("NOT gamma")
    assert "alpha" in found("NOT gamma")


def test_several_mandates_and_the_mandate_option(make_data, tracker_for):
    from tests.conftest import MINIMAL_MANDATE

    second = MINIMAL_MANDATE.replace("test-mandate", "other").replace('"first"', '"third"')
    second = second.replace('"second"', '"fourth"').replace("A/HRC/RES/1/1", "A/HRC/RES/2/2")
    themes = THEMES + THEMES.replace("test-mandate", "other").replace(
        '"alpha"', '"alpha2"'
    ).replace('"beta"', '"beta2"').replace("A/HRC/20/", "A/HRC/21/").replace(
        'holder = "first"', 'holder = "third"'
    )
    tracker = tracker_for(make_data(mandate=MINIMAL_MANDATE + "\n" + second, themes=themes))
    everything = as_json(tracker("search", "alpha", "-f", "json"))
    assert {r["mandate"] for r in everything} == {"test-mandate", "other"}
    other = as_json(tracker("search", "alpha", "--mandate", "other", "-f", "json"))
    assert {r["key"] for r in other} == {"alpha2", "A/HRC/21/1"}
    unknown = tracker("search", "alpha", "--mandate", "nope")
    assert unknown.exit_code == 1
    assert "no mandate 'nope' (known: test-mandate, other)" in unknown.output


def test_markdown_links_symbols_and_highlights_matches(tracker):
    text = tracker("search", "populism", "--kind", "report", "-f", "md").output
    assert text.splitlines()[:4] == [
        "## Search: populism",
        "",
        "| Kind | Key | Title | Match |",
        "| --- | --- | --- | --- |",
    ]
    assert "| report | [A/75/180](https://docs.un.org/en/A/75/180) | **Populism** |" in text


def test_csv_has_every_field(tracker):
    lines = tracker("search", "populism", "--kind", "report", "-f", "csv").output.splitlines()
    assert lines[0] == "kind,key,mandate,title,snippet,url"
    assert lines[1].startswith("report,A/75/180,international-solidarity,Populism,")


def test_plain_table_when_piped(tracker):
    output = tracker("search", "populism", "--kind", "report").output
    assert output.splitlines()[0] == "Search: populism"
    assert "A/75/180" in output and "**Populism**" in output
    assert tracker("search", "zzzzqqq").output == "No matches for 'zzzzqqq'.\n"


@pytest.fixture(scope="module")
def shipped_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    import shutil

    folder = tmp_path_factory.mktemp("store") / "data"
    shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns("*.db*", ".*"))
    settings_ = Settings(folder, folder / "tracker.db")
    rebuild(settings_)
    conn = sqlite3.connect(settings_.db_path)
    yield conn
    conn.close()


def test_rich_table_highlights_and_links(shipped_store):
    results = search.search(shipped_store, "populism", kind="report")
    buffer = io.StringIO()
    render_search.table(results, "populism", Console(file=buffer, width=120, color_system=None))
    text = buffer.getvalue()
    assert "Search: populism" in text
    assert "A/75/180" in text and "Populism" in text
    assert OPEN_OR_CLOSE not in text


OPEN_OR_CLOSE = search.OPEN


def test_parse_reads_operators_itself():
    terms = search.parse('climate OR "water management" NOT refugees clim* (')
    assert [[(t.text, t.prefix, t.negated) for t in group] for group in terms] == [
        [("climate", False, False), ("water management", False, False)],
        [("refugees", False, True)],
        [("clim", True, False)],
    ]
    assert search.parse("NOT (") == []
    assert search.parse('"') == []
    assert search.Term('say "hi"').fts() == '"say ""hi"""'


QUERY_PIECES = st.sampled_from(
    [
        "AND",
        "OR",
        "NOT",
        '"',
        "(",
        ")",
        "*",
        "-",
        "^",
        ":",
        "NEAR",
        "{",
        "}",
        "+",
        "A/HRC/44/44",
        "climate",
        "A/",
        "/",
        "%",
        "_",
        "\\",
        "'",
        "\x00",
        "é",
    ]
)


@pytest.mark.slow  # fuzz: 300 generated queries
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.one_of(
        st.text(max_size=40),
        st.lists(QUERY_PIECES, max_size=8).map(" ".join),
        st.lists(QUERY_PIECES, max_size=8).map("".join),
    )
)
def test_any_text_is_a_valid_query(shipped_store, text):
    results = search.search(shipped_store, text)
    assert isinstance(results, list)
    for result in results:
        assert result["kind"] in search.KINDS


def test_the_index_holds_every_record(shipped_store):
    counts = dict(shipped_store.execute("select kind, count(*) from search_index group by kind"))
    tables = {
        kind: shipped_store.execute(f"select count(*) from {kind}").fetchone()[0]
        for kind in search.KINDS
    }
    assert counts == {kind: count for kind, count in tables.items() if count}


def test_search_cli_rebuilds_an_old_store(tracker, shipped: Path):
    # A store from before the index existed (older schema) is rebuilt, not queried and failed.
    assert tracker("search", "climate", "-f", "json").exit_code == 0
    conn = sqlite3.connect(shipped / "tracker.db")
    conn.execute("drop table search_index_fts")
    conn.execute("update meta set value = 'old' where key = 'fingerprint'")
    conn.commit()
    conn.close()
    assert ("report", "A/HRC/44/44") in keys(as_json(tracker("search", "climate", "-f", "json")))

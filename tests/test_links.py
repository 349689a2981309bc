"""Every report symbol shown links to its UN document: JSON url, Markdown links, Rich links."""

from __future__ import annotations

import json

from tracker import render
from tracker.links import document_url


def test_document_url_is_the_ods_permalink():
    assert document_url("A/HRC/44/44") == "https://docs.un.org/en/A/HRC/44/44"
    assert document_url("A/HRC/41/44/Add.1") == "https://docs.un.org/en/A/HRC/41/44/Add.1"
    assert document_url("E/CN.4/RES/2005/55") == "https://docs.un.org/en/E/CN.4/RES/2005/55"
    # Not symbols: nothing to link.
    for text in (None, "", "report-2026", "https://www.ohchr.org/x", "A/78/176, para 2"):
        assert document_url(text) is None


def test_json_has_url_for_reports_and_report_url_for_visits(tracker):
    reports = json.loads(tracker("reports", "--year", "2020", "-f", "json").output)
    assert {r["symbol"]: r["url"] for r in reports} == {
        "A/HRC/44/44": "https://docs.un.org/en/A/HRC/44/44",
        "A/HRC/44/44/Add.1": "https://docs.un.org/en/A/HRC/44/44/Add.1",
        "A/75/180": "https://docs.un.org/en/A/75/180",
    }
    visit = json.loads(tracker("show", "qat-2019", "-f", "json").output)["record"]
    assert visit["report_url"] == "https://docs.un.org/en/A/HRC/44/44/Add.1"


def test_a_report_without_symbol_has_no_link(make_data, tracker_for):
    themes = """\
[[report]]
id = "unnumbered-2026"
holder = "second"
body = "HRC"
year = 2026
kind = "thematic"
title = "Not yet numbered"
source = "https://example.org/advance-version"
"""
    tracker = tracker_for(make_data(themes=themes))
    [report] = json.loads(tracker("reports", "-f", "json").output)
    assert report["id"] == "unnumbered-2026"
    assert report["url"] is None
    assert "| unnumbered-2026 |" in tracker("reports", "-f", "md").output


def test_markdown_lists_link_symbols(tracker):
    lines = tracker("visits", "--holder", "okafor", "-f", "md").output.splitlines()
    assert (
        "| swe-2018 | okafor | Sweden | completed | 2018-04-23 | 2018-04-27 | "
        "[A/HRC/41/44/Add.1](https://docs.un.org/en/A/HRC/41/44/Add.1) | "
        "climate-change, migration, refugees |"
    ) in lines


def test_markdown_detail_links_the_symbol_and_drops_the_bare_url(tracker):
    lines = tracker("show", "A/HRC/44/44", "-f", "md").output.splitlines()
    assert "- **symbol**: [A/HRC/44/44](https://docs.un.org/en/A/HRC/44/44)" in lines
    assert not any(line.startswith("- **url**") for line in lines)


def test_plain_detail_prints_the_url(tracker):
    lines = tracker("show", "A/HRC/44/44").output.splitlines()
    assert "url      https://docs.un.org/en/A/HRC/44/44" in lines


def test_rich_tables_make_symbols_hyperlinks():
    rows = [
        {"symbol": "A/75/180", "title": "Populism", "url": "https://docs.un.org/en/A/75/180"},
        {"symbol": "x-1", "title": "No symbol", "url": None},
    ]
    table = render.rich_table(rows, [("symbol", "Symbol"), ("title", "Title")])
    cells = list(table.columns[0].cells)
    assert str(cells[0]) == "A/75/180"
    assert cells[0].style.link == "https://docs.un.org/en/A/75/180"
    assert not cells[1].style
    assert not next(iter(table.columns[1].cells)).style

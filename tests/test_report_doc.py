"""`tracker report`: the shareable Markdown and single-file HTML coverage report."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from conftest import MINIMAL_MANDATE

# Tags HTML allows to stay open; every other tag must be closed, in order.
VOID = {"meta", "br", "hr", "img", "input", "link", "line", "rect", "circle", "polygon"}


class Structure(HTMLParser):
    """Checks that tags nest properly and records what a browser would fetch or run."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[str] = []
        self.fetching: list[str] = []
        self.links: list[str] = []  # <a href>: followed when clicked, never fetched

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if tag == "a" and name == "href" and value and not value.startswith("#"):
                self.links.append(value)
            elif name in ("src", "srcset", "action", "data") or (
                name in ("href", "xlink:href") and value and not value.startswith("#")
            ):
                self.fetching.append(f"{tag} {name}={value}")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
            return
        self.stack.pop()


def parse_html(text: str) -> Structure:
    parser = Structure()
    parser.feed(text)
    parser.close()
    return parser


def test_markdown_report_on_shipped_data(tracker):
    result = tracker("report", "--format", "md")
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert md.startswith(
        "# Coverage report: Independent Expert on human rights and international solidarity\n"
    )
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Coverage",
        "## Gaps",
        "## What the resolutions asked",
        "## The wider record",
        "## From visit to follow-up",
        "## Timeline",
    ]
    assert "### Regional balance of completed visits" in md
    assert "No completed visit recorded: Eastern European Group (EEG)." in md
    assert (
        "| The threat of populism to the principle of international solidarity | addressed |" in md
    )
    assert "### Obiora Chinedu Okafor (2017-08-01 – 2023-10-31)" in md
    assert "Report of 2026-11-23" in md  # TRACKER_TODAY, for reproducible reports
    # Every table row has as many cells as its header (a broken row breaks the rendering).
    for table in re.findall(r"(?:^\|.*\|\n)+", md, flags=re.M):
        widths = {row.count(" | ") for row in table.splitlines() if not row.startswith("|---")}
        assert len(widths) == 1, table[:200]


def test_html_report_is_self_contained(tracker):
    result = tracker("report", "--format", "html")
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>")
    structure = parse_html(page)
    assert structure.errors == []
    assert structure.stack == []
    assert structure.fetching == []  # no src=, no external href: nothing is fetched
    assert "script" not in structure.tags and "link" not in structure.tags
    for forbidden in ("<script", "@import", "url(", "javascript:", "<iframe", "<img"):
        assert forbidden not in page.lower()
    assert structure.tags.count("svg") == 3  # timeline, visits by year, regional balance
    assert "@media print" in page and "@page" in page


def test_html_report_content(tracker):
    page = tracker("report", "-f", "html").stdout
    assert (
        "<h1>Coverage report: Independent Expert on human rights and international solidarity</h1>"
        in page
    )
    assert '<td class="status gap">gap</td>' in page
    # 19 themes: 7 gaps (5 of Okafor's priorities and Rizki's 2, judged in their terms), 1 touched
    assert page.count('<td class="status addressed">') == 11
    assert '<td class="status touched">touched</td>' in page
    assert "No completed visit recorded: Eastern European Group (EEG)." in page
    assert '<td class="code">rizki</td><td>Rudi Muhammad Rizki</td>' in page
    # The timeline drawing: one band per holder, one marker per visit, report and resolution.
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert svg.count("<rect x=") - svg.count('width="8" height="8"') == 4
    assert svg.count("<circle") == 8
    assert svg.count('<g class="event report">') == 38
    assert svg.count('<g class="event renewal">') == 6
    assert "<title>2020-07-16: Mandate renewed by HRC resolution A/HRC/RES/44/11" in svg
    for year in (2005, 2026):
        assert f">{year}</text>" in svg


def test_report_to_a_file(tracker, tmp_path):
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "coverage.html"
    result = tracker("report", "--format", "html", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"Wrote {target}" in result.output
    assert target.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert [p.name for p in target.parent.iterdir()] == ["coverage.html"]  # no temporary file left
    result = tracker("report", "-o", str(tmp_path / "none" / "r.md"))
    assert result.exit_code == 1
    assert "cannot write" in result.output
    assert tracker("report", "--format", "pdf").exit_code == 2


HOSTILE = """\
[[theme]]
id = "hostile"
mandate = "test-mandate"
title = "<script>alert('x')</script> & \\"quoted\\" | piped *starred*"
set_by = "first"
source = "A/HRC/1/1"

[[report]]
symbol = "A/HRC/16/1"
holder = "first"
body = "HRC"
session = 16
year = 2011
kind = "thematic"
title = "</table><img src=x onerror=alert(1)>"
themes = ["hostile"]
source = "A/HRC/16/1"
"""


def test_every_text_is_escaped(make_data, tracker_for):
    mandate = MINIMAL_MANDATE.replace('name = "First Holder"', 'name = "First <b>Holder</b> & Co"')
    tracker = tracker_for(make_data(mandate, themes=HOSTILE))
    page = tracker("report", "-f", "html").stdout
    structure = parse_html(page)
    assert structure.errors == [] and structure.fetching == []
    assert (
        "script" not in structure.tags and "img" not in structure.tags and "b" not in structure.tags
    )
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;quoted&quot;" in page
    assert "&lt;/table&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "First &lt;b&gt;Holder&lt;/b&gt; &amp; Co" in page
    md = tracker("report", "-f", "md").stdout
    assert "\\<script\\>alert('x')\\</script\\> & \"quoted\" \\| piped \\*starred\\*" in md
    assert re.search(r"(?<!\\)<", md) is None  # every < is escaped


def test_report_on_data_without_events(make_data, tracker_for):
    """A mandate with no theme, visit or report still gives a whole document."""
    tracker = tracker_for(make_data())
    page = tracker("report", "-f", "html").stdout
    assert parse_html(page).errors == []
    assert "Independent Expert on testing" in page
    assert "0 addressed, 0 touched, 0 gap." in page
    md = tracker("report", "-f", "md").stdout
    assert "## Timeline" in md and "### First Holder (2010-06-01 – 2014-05-31)" in md


UN = "https://docs.un.org/en/"


def test_markdown_report_links_every_symbol(tracker):
    md = tracker("report", "--format", "md").stdout
    assert f"by [E/CN.4/RES/2005/55]({UN}E/CN.4/RES/2005/55).\n" in md  # the establishment
    assert f"| [A/75/180]({UN}A/75/180) (2020) |" in md  # a coverage cell
    assert (
        f"| okafor | technology-and-innovation | [A/HRC/38/40]({UN}A/HRC/38/40) | "
        f"not addressed in the term | none recorded | [A/79/170]({UN}A/79/170) (2024) by bailliet |"
    ) in md  # a priority: where it was set, and who addressed it
    assert (
        f"| 2020-07-16 | renewal | Mandate renewed by HRC resolution "
        f"[A/HRC/RES/44/11]({UN}A/HRC/RES/44/11) for 3 years;"
    ) in md  # a timeline event
    # No symbol is left unlinked: every A/... in a table cell sits inside a link.
    bare = re.findall(r"(?<![\[/])\bA/(?:HRC/)?\d+/\d+(?:/Add\.\d+)?\b(?![\]/])", md)
    assert bare == []


def test_html_report_links_every_symbol_and_fetches_nothing(tracker):
    page = tracker("report", "--format", "html").stdout
    structure = parse_html(page)
    assert structure.errors == [] and structure.fetching == []
    # UN documents, and the sources given as URLs (issue 15: links wherever a URL appears).
    assert structure.links and all(link.startswith(UN) for link in structure.links[:20])
    assert all(link.startswith(("https://", "http://")) for link in structure.links)
    source = "https://www.ohchr.org/en/special-procedures/ie-international-solidarity"
    assert f'<a href="{source}">{source}</a> (history of the mandate, note 1)' in page
    assert f'<a href="{UN}A/79/170">A/79/170</a> (2024)' in page
    assert f'by <a href="{UN}E/CN.4/RES/2005/55">E/CN.4/RES/2005/55</a>.</p>' in page
    assert (
        f'HRC 44 thematic report <a href="{UN}A/HRC/44/44">A/HRC/44/44</a>: Climate change' in page
    )
    # Every report of the timeline drawing appears as a link in the page.
    svg = page[page.index("<svg") : page.index("</svg>")]
    drawn = set(re.findall(r"report (A/[^:]+):", svg))
    assert drawn and all(f'<a href="{UN}{symbol}">' in page for symbol in drawn)


def test_html_report_link_text_is_escaped(make_data, tracker_for):
    tracker = tracker_for(make_data(themes=HOSTILE))
    page = tracker("report", "-f", "html").stdout
    assert f'<a href="{UN}A/HRC/16/1">A/HRC/16/1</a> (2011)' in page
    structure = parse_html(page)
    assert structure.errors == [] and structure.fetching == []
    assert structure.links and all(link.startswith(UN) for link in structure.links)

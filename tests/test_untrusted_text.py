"""Text from the data is untrusted where it leaves: control and bidi characters are shown
as escapes on a terminal and in every text format, Markdown cells cannot be ended by a
value, CSV cells are never formulas, and JSON stays exact."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from tracker.render import csv_cell, escape_acting, md_escape

HOSTILE = "=HYPERLINK(1)\x1b[2J\x1b]8;;http://evil\x07x\u202eevil\rcr\u2028|pipe Migration"
ACTING = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


@pytest.fixture
def hostile(tracker):
    themes = tracker.data / "themes.toml"
    text = themes.read_text(encoding="utf-8")
    value = json.dumps(HOSTILE)  # a TOML basic string is a JSON string here
    themes.write_text(text.replace('title = "', f"title = {value[:-1]} ", 1), encoding="utf-8")
    return tracker


VIEWS = [
    ["themes"],
    ["themes", "-f", "md"],
    ["themes", "-f", "csv"],
    ["show", "migration"],
    ["show", "migration", "-f", "md"],
    ["coverage"],
    ["coverage", "-f", "md"],
    ["coverage", "-f", "csv"],
    ["gaps"],
    ["gaps", "-f", "md"],
    ["timeline"],
    ["search", "HYPERLINK"],
    ["search", "HYPERLINK", "-f", "md"],
    ["report"],
    ["report", "--format", "html"],
]


@pytest.mark.parametrize("args", VIEWS, ids=[" ".join(a) for a in VIEWS])
def test_acting_characters_leave_only_as_escapes(hostile, args):
    result = hostile(*args)
    assert result.exit_code == 0, result.output
    assert not ACTING.findall(result.stdout.replace("\n", "")), args
    if "HYPERLINK" in result.stdout:  # (gaps lists only what was not addressed)
        assert "\\x1b[2J" in result.stdout.replace("\\\\", "\\").replace("\\[", "[")
    if "md" in args or args == ["report"]:
        # Each table row is still one line, with its own cells only.
        for line in result.stdout.splitlines():
            if "HYPERLINK" in line and line.startswith("|"):
                assert line.endswith("|") and not re.search(r"(?<!\\)\|pipe", line)


def test_json_stays_exact(hostile):
    shown = json.loads(hostile("themes", "-f", "json").stdout)
    assert any(theme["title"].startswith(HOSTILE) for theme in shown)


def test_csv_cells_are_never_formulas(hostile):
    rows = list(csv.reader(io.StringIO(hostile("themes", "-f", "csv").stdout)))
    titles = [row[rows[0].index("title")] for row in rows[1:]]
    assert any(t.startswith("'=HYPERLINK(1)") for t in titles)
    for start in "=+-@\t\r":
        assert csv_cell(start + "SUM(A1)").startswith("'")
    assert csv_cell(-3) == "-3" and csv_cell("plain") == "plain"


def test_markdown_cells_escape_what_could_end_them():
    assert md_escape("a\rb|c\nd\u2028e") == "a\\\\x0db\\|c d\\\\u2028e"
    assert escape_acting("Côte d'Ivoire مقررة") == "Côte d'Ivoire مقررة"


@pytest.mark.parametrize("command", ["themes", "coverage", "search"])
def test_svg_after_json_is_made_safe(hostile, tmp_path, command):
    svg = tmp_path / "view.svg"
    args = [command, "HYPERLINK"] if command == "search" else [command]
    result = hostile(*args, "-f", "json", "--svg", str(svg))
    assert result.exit_code == 0, result.output
    assert "\\u001b[2J" in result.stdout  # JSON stays exact
    drawn = svg.read_text(encoding="utf-8")
    assert not ACTING.findall(drawn.replace("\n", "")), command
    assert "x1b[2J" in drawn  # the hostile title is drawn, as escapes


def test_every_acting_character_is_one_python_counts_as_not_printable():
    # escape_acting skips its search for printable text; that is right only while no
    # character it escapes is printable.
    from tracker.render import ACTING

    acting = [chr(c) for c in range(0x110000) if re.fullmatch(ACTING, chr(c))]
    assert len(acting) > 60
    assert [c for c in acting if c.isprintable()] == []
    assert escape_acting("Bahraïn \u202e2018") == "Bahraïn \\u202e2018"

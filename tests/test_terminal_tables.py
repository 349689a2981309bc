"""Tables on a terminal fit its width: nothing is cut off, and what is left out is named.

Rendered into Console(file=StringIO(), width=..., color_system=None), so no test
depends on the real terminal's width or colours.
"""

from __future__ import annotations

import io
import re

from rich.console import Console

from tracker import render, render_analysis

BORDERS = "│┃┓┐┤┩┘┫"

VISITS = [
    {
        "id": "cri-2022-request",
        "holder": "bailliet",
        "country": "CRI",
        "country_name": "Costa Rica",
        "status": "completed",
        "start": "2022-06-01",
        "end": "2022-06-10",
        "report": "A/HRC/53/32/Add.1",
        "themes": [],
    },
    {
        "id": "swe-2018",
        "holder": "okafor",
        "country": "SWE",
        "country_name": "Sweden",
        "status": "requested",
        "start": None,
        "end": None,
        "report": None,
        "themes": [],
    },
]


def draw(width: int, print_it) -> str:
    out = io.StringIO()
    print_it(Console(file=out, width=width, color_system=None))
    return out.getvalue()


def table_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line[:1] in "┏┃┡│├└"]


def assert_drawn_whole(text: str, width: int) -> None:
    """No line wider than the console, and every table line keeps its right border:
    Rich crops a table wider than the console, losing its last column."""
    for line in table_lines(text):
        assert len(line) <= width
        assert line.rstrip()[-1] in BORDERS, line


def test_a_list_too_wide_for_the_terminal_leaves_out_columns_and_says_which():
    text = draw(
        70,
        lambda console: render.write_rows(
            VISITS, "table", render.VISIT_COLUMNS, "Country visits", console=console
        ),
    )
    assert_drawn_whole(text, 70)
    assert "…" not in text  # ids and dates are never cut short
    for whole in ("cri-2022-request", "bailliet", "2022-06-01", "completed"):
        assert whole in text
    assert "Themes" not in table_lines(text)[1]  # empty everywhere: the first to go
    assert "Not shown at this width: End, Report, Themes" in " ".join(text.split())
    assert "A/HRC/53/32/Add.1" not in text


def test_a_list_that_fits_shows_every_column_and_no_note():
    text = draw(
        200,
        lambda console: render.write_rows(
            VISITS, "table", render.VISIT_COLUMNS, "Country visits", console=console
        ),
    )
    header = table_lines(text)[1]
    for _, title in render.VISIT_COLUMNS:
        assert title in header
    assert "Not shown" not in text and "A/HRC/53/32/Add.1" in text


def test_fit_columns_drops_empty_columns_then_codes_then_free_text_never_the_first():
    rows = [{"id": "x" * 30, "code": "y" * 20, "text": "some words here", "empty": ""}]
    columns = [("id", "Id"), ("text", "Text"), ("code", "Code"), ("empty", "Empty")]
    assert "id" in render.NO_WRAP and "code" not in render.NO_WRAP  # "code" counts as text
    shown, hidden = render.fit_columns(rows, columns, 200)
    assert (shown, hidden) == (columns, [])
    shown, hidden = render.fit_columns(rows, columns, 75)
    assert hidden == [("empty", "Empty")]
    shown, hidden = render.fit_columns(rows, columns, 50)
    assert hidden == [("code", "Code"), ("empty", "Empty")]  # free text from the right
    shown, hidden = render.fit_columns(rows, columns, 10)
    assert shown == [("id", "Id")]  # the first column stays, even alone and too wide
    assert hidden == [("text", "Text"), ("code", "Code"), ("empty", "Empty")]


def test_free_text_wraps_at_spaces_before_any_column_is_left_out():
    rows = [{f"c{i}": "several words of free text" for i in range(7)}]
    columns = [(f"c{i}", f"Column {i}") for i in range(7)]
    shown, hidden = render.fit_columns(rows, columns, 110)  # each 12 wide: 7 * 15 + 1
    assert hidden == [] and shown == columns
    text = draw(110, lambda console: render.write_rows(rows, "table", columns, console=console))
    assert "several" in text and "free text" in text and "sever" not in text.replace("several", "")
    shown, hidden = render.fit_columns(rows, columns, 100)
    assert hidden == [("c6", "Column 6")]


def test_no_word_is_split_and_long_free_text_is_shortened():
    """Issue 15: at 80 columns `reports` showed `Titl e` and `Clim ate chan ge`, `holders`
    gave its Note 11 characters and four holders took 60 lines."""
    note = " ".join(["Appointed on 29 July 2005 (UN News, 29 July 2005)."] * 6)
    rows = [
        {"id": "rizki", "name": "Rudi Muhammad Rizki", "start": "2005-07-29", "note": note},
        {"id": "x", "name": "Climate change", "start": "2011", "note": "short"},
    ]
    columns = [("id", "Id"), ("name", "Title"), ("start", "Start"), ("note", "Note")]
    for width in (40, 60, 80):
        text = draw(width, lambda c: render.write_rows(rows, "table", columns, console=c))
        assert_drawn_whole(text, width)
        words = set(" ".join(rows[0].values()).split()) | set(" ".join(rows[1].values()).split())
        cells = re.sub("[\u2500-\u257f]", " ", " ".join(table_lines(text)))
        for word in cells.split():
            assert word in words | {"Id", "Title", "Start", "Note"} or word.endswith("…"), word
        assert len(table_lines(text)) <= 12  # the note is shortened, never 30 lines long


def test_wrap_text_never_breaks_inside_a_word():
    assert render.wrap_text("Climate change and more", 8) == "Climate\nchange\nand more"
    assert render.wrap_text("one two three four five", 9, max_lines=2) == "one two\nthree…"
    assert render.wrap_text("https://example.org/a/very/long/url", 10) == "https://e…"


def test_rich_tables_print_data_as_it_is_no_markup_or_emoji_codes():
    rows = [{"id": "t1", "title": "[bold]Rights[/bold] :smile: [link=x]y[/link]"}]
    text = draw(
        120,
        lambda console: render.write_rows(
            rows, "table", [("id", "Id"), ("title", "Title")], "Themes", console=console
        ),
    )
    assert "[bold]Rights[/bold] :smile: [link=x]y[/link]" in text
    assert "😄" not in text


# --- coverage ---------------------------------------------------------------------

HOLDERS = [
    {"id": "rizki", "name": "Rudi Muhammad Rizki", "start": "2005-07-29", "end": "2011"},
    {"id": "dandan", "name": "Virginia B. Dandan", "start": "2011-08-01", "end": "2017-07-31"},
    {"id": "okafor", "name": "Obiora Chinedu Okafor", "start": "2017-08-01", "end": "2023-10-31"},
    {"id": "bailliet", "name": "Cecilia M. Bailliet", "start": "2023-10"},
]


def theme(key: str, reports: list[tuple[str, str, int]]) -> dict:
    return {
        "theme": key,
        "title": f"Theme {key} and international solidarity",
        "status": "addressed",
        "set_by": None,
        "reports": [
            {"symbol": symbol, "holder": holder, "year": year, "kind": "thematic"}
            for symbol, holder, year in reports
        ],
        "visits": [{"id": "v", "country": "SWE", "holder": "okafor", "year": 2018}],
    }


COVERAGE = {
    "holders": HOLDERS,
    "themes": [
        theme("a", [("A/HRC/41/44/Add.1", "okafor", 2019), ("A/HRC/59/48", "bailliet", 2025)]),
        theme("b", [("A/HRC/15/32", "rizki", 2010), ("A/HRC/23/45", "dandan", 2013)]),
    ],
}
SYMBOLS = ["A/HRC/41/44/Add.1", "A/HRC/59/48", "A/HRC/15/32", "A/HRC/23/45"]


def draw_coverage(width: int) -> str:
    def print_it(console: Console) -> None:
        for renderable in render_analysis.coverage_view(COVERAGE, console.width):
            console.print(renderable)

    return draw(width, print_it)


def test_coverage_on_a_narrow_terminal_lists_each_theme_by_holder_whole():
    assert render_analysis.matrix_width(COVERAGE) > 80
    text = draw_coverage(80)
    assert_drawn_whole(text, 80)
    assert "Reports and visits, by holder" in text
    flat = " ".join(text.split())
    for symbol in SYMBOLS:  # the last holder's column is not cropped away
        assert symbol in flat
    cells = [text.plain for text in render_analysis.coverage_by_theme(COVERAGE).columns[2].cells]
    assert cells[0] == (
        "Obiora Chinedu Okafor: A/HRC/41/44/Add.1 (2019), visit: SWE 2018\n"
        "Cecilia M. Bailliet: A/HRC/59/48 (2025)"
    )
    assert "Holders: Rudi Muhammad Rizki (2005-07-29 – 2011);" in flat
    assert "Cecilia M. Bailliet (since 2023-10)." in flat


def test_coverage_on_a_wide_terminal_is_the_matrix():
    width = render_analysis.matrix_width(COVERAGE)
    text = draw_coverage(width)
    assert_drawn_whole(text, width)
    assert "Reports and visits, by holder" not in text
    header = " ".join(" ".join(table_lines(text)[:6]).split())
    assert "Cecilia M." in header and "since 2023-10" in header
    for symbol in SYMBOLS:
        assert symbol in text  # each whole on its line of the holder's column
    assert draw_coverage(width - 1).count("Reports and visits, by holder") == 1


def test_coverage_on_a_very_narrow_terminal_is_indented_lines_with_symbols_whole():
    width = render_analysis.by_theme_width(COVERAGE) - 1
    assert width < 60
    text = draw_coverage(width)
    assert table_lines(text) == []  # no table: it could not hold a symbol whole
    lines = text.splitlines()
    assert all(len(line) <= width for line in lines)
    for symbol in SYMBOLS:
        assert any(symbol in line for line in lines)  # on one line, not split
    assert "Theme a and international solidarity (addressed)" in " ".join(text.split())
    assert "  Cecilia M. Bailliet: A/HRC/59/48 (2025)" in text
    wider = draw_coverage(width + 1)  # one column more: the theme-by-theme table
    assert table_lines(wider) and "Reports and" in wider
    assert_drawn_whole(wider, width + 1)


def test_a_header_wider_than_its_codes_wraps_at_a_space_never_cut_short():
    rows = [{"id": "a", "holder": "okafor", "title": "Climate change and more words"}]
    columns = [("id", "Id"), ("holder", "Presented by"), ("title", "Title")]
    text = draw(40, lambda c: render.write_rows(rows, "table", columns, console=c))
    assert "…" not in text and "Presented" in text and "okafor" in text

"""Turn query results into text: a Rich table, JSON, CSV or Markdown.

The tables, cells, escaping and links that the output formats (tracker/formats/) use;
write_rows() prints a list in any of them. Rich is imported only to
draw a table, so JSON, CSV and Markdown output never pay for it. Nothing here
touches SQL.
"""

from __future__ import annotations

import io
import json
from collections import namedtuple
from collections.abc import Iterable, Sequence
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from tracker.kinds import columns as kind_columns
from tracker.kinds import report_year

if TYPE_CHECKING:
    from rich.console import Console

Column = tuple[str, str]  # (key in the row, header shown)
# Short codes that must stay on one line; free text wraps instead.
NO_WRAP = frozenset(
    {
        "id",
        "symbol",
        "holder",
        "author",
        "theme",
        "set_by",
        "appointed",
        "country",
        "status",
        "start",
        "end",
        "date",
        "adopted",
        "report",
        "body",
        "session",
        "year",
        "kind",
        "nationality",
        "resolution",
        "action",
        "key",
    }
)


def make_console(file: IO[str] | None = None, width: int | None = None) -> Console:
    """The console for terminal output: colour only on a terminal and without NO_COLOR."""
    from rich.console import Console

    # Data is printed as it is: no [markup] or :emoji: codes are read in it (and the
    # emoji table is not loaded).
    console = Console(file=file, width=width, highlight=False, markup=False, emoji=False)
    if width is None and not console.is_terminal:
        # Piped output has no width to fit; Rich's 80 columns would fold ids and dates.
        console.width = 160
    return console


# Characters that act instead of showing: C0 and C1 controls (ESC starts terminal
# sequences: colours, OSC 8 links, clear-screen; CR rewrites a line), bidi overrides and
# isolates (they reorder what follows), line and paragraph separators. A newline stays a
# newline (each format folds it as it must); everything else here is shown as an escape.
ACTING = "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"


def escape_acting(text: str) -> str:
    """text with every character that would act on a terminal or reader shown as an
    escape (\\x1b, \\u202e); other text unchanged."""
    # Every character of ACTING is one Python counts as not printable, so printable text
    # (nearly every cell) needs no search: a table of a few hundred cells spent a tenth
    # of its drawing time here.
    if text.isprintable():
        return text
    import re

    return re.sub(ACTING, _escape, text)


def _escape(match: Any) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(value: Any) -> Any:
    """value with all its text made safe to show (escape_acting), for every format but JSON,
    which stays exact. A link whose URL holds such a character is shown without its link."""
    if isinstance(value, str):
        return escape_acting(value)
    if isinstance(value, dict):
        return {k: visible(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(visible(v) for v in value)
    if isinstance(value, Linked):
        return Linked.of(
            (escape_acting(text), url if url is None or url == escape_acting(url) else None)
            for text, url in value.pieces
        )
    return value


def visible_result(result: Any) -> Any:
    """A copy of the result with all text from the data made safe to show
    (visible: control and bidi characters as escapes), for every format but JSON,
    which stays exact. Search results keep their highlight markers."""
    from tracker import results

    if isinstance(result, results.Rows):
        return results.Rows(
            visible(list(result.rows)),
            result.columns,
            result.title,
            result.shown,
            result.flat,
        )
    if isinstance(result, results.Detail):
        return results.Detail(visible(result.result))
    if isinstance(result, results.Coverage):  # and Gaps, Sources, Document
        return type(result)(visible(result.data))
    if isinstance(result, results.Timeline):
        return results.Timeline(visible(result.events), visible(result.holders))
    if isinstance(result, results.Delivery):
        return results.Delivery(visible(result.data))
    if isinstance(result, results.Matches):
        shown = [_visible_match(match) for match in result.results]
        return results.Matches(shown, result.text, result.searchable, result.total)
    return result


def _visible_match(match: dict[str, Any]) -> dict[str, Any]:
    from tracker.search import CLOSE, OPEN

    marked = ("snippet", "title_marked")
    shown: dict[str, Any] = visible({k: v for k, v in match.items() if k not in marked})
    for key in marked:
        value = match.get(key)
        if isinstance(value, str):  # escaped between the markers, which stay
            shown[key] = OPEN.join(
                CLOSE.join(escape_acting(piece) for piece in part.split(CLOSE))
                for part in value.split(OPEN)
            )
        elif key in match:
            shown[key] = value
    return shown


def made_visible(table: dict[str, Any]) -> dict[str, Any]:
    """A format's RENDERERS, each drawing the result made safe to show (visible_result): the one
    place a format other than JSON neutralises text from the data."""

    def safe(draw: Any) -> Any:
        def drawn(result: Any, out: IO[str], **options: Any) -> None:
            draw(visible_result(result), out, **options)

        return drawn

    return {kind: safe(draw) for kind, draw in table.items()}


def cell(value: Any) -> str:
    """A value as one cell of text: lists joined, nothing for missing values."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(cell(v) if not isinstance(v, dict) else json_text(v) for v in value)
    if isinstance(value, dict):
        return json_text(value)
    return str(value)


def json_text(value: Any, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent, default=str)


def to_json(value: Any) -> str:
    return json_text(value, indent=2) + "\n"


def to_csv(rows: Sequence[dict[str, Any]], keys: Sequence[str] | None = None) -> str:
    """Every field of every row; lists become '; '-separated text, tables JSON."""
    keys = list(keys or (rows[0].keys() if rows else []))
    import csv  # only CSV output needs it

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(keys)
    for row in rows:
        writer.writerow([csv_cell(row.get(key)) for key in keys])
    return buffer.getvalue()


# A cell a spreadsheet would run as a formula starts with one of these (OWASP, "CSV
# Injection"); such a cell gets a leading apostrophe, which spreadsheets take as "text".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        text = "; ".join(cell(v) for v in value)
    elif isinstance(value, list | dict):
        text = json_text(value)
    else:
        text = cell(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return text  # a number is data, even when negative
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def md_escape(text: str) -> str:
    """Text safe inside a Markdown table cell: pipes, markup and HTML are neutralised, and
    nothing can end the cell or its row (a newline becomes a space; CR, the Unicode line
    and paragraph separators and other controls become escapes)."""
    text = escape_acting(text)
    for char in ("\\", "|", "*", "_", "`", "[", "]", "<", ">"):
        text = text.replace(char, "\\" + char)
    return text.replace("\n", " ")


# Columns whose value is a UN document symbol, and the field of the row that holds its link.
LINK_KEYS = {"symbol": "url", "report": "report_url"}


def link_of(row: dict[str, Any], key: str) -> str | None:
    """The UN document link for the value of this column, if the row carries one."""
    link_key = LINK_KEYS.get(key)
    return row.get(link_key) if link_key else None


def md_cell(row: dict[str, Any], key: str) -> str:
    """A Markdown table cell; a document symbol becomes a link to the document."""
    if isinstance(row.get(key), Linked):
        return row[key].markdown()
    return md_link(md_escape(cell(row.get(key))), link_of(row, key))


def md_link(text: str, url: str | None) -> str:
    return f"[{text}]({url})" if url and text else text


def linked_fields(fields: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Fields without the bare links, where the symbols themselves are links (Markdown, Rich)."""
    return [(k, v) for k, v in fields if k not in LINK_KEYS.values()]


def to_markdown(rows: Sequence[dict[str, Any]], columns: Sequence[Column], title: str = "") -> str:
    lines = [f"## {md_escape(title)}", ""] if title else []
    lines.append("| " + " | ".join(md_escape(header) for _, header in columns) + " |")
    lines.append("|" + "|".join(" --- " for _ in columns) + "|")
    for row in rows:
        lines.append("| " + " | ".join(md_cell(row, k) for k, _ in columns) + " |")
    if not rows:
        lines.append("")
        lines.append("_No records._")
    return "\n".join(lines) + "\n"


# A free-text column is drawn at least this wide (or as wide as its longest text).
FREE_TEXT_MIN = 12
# A word of free text longer than this (a URL, say) is shortened with "…" when it does not fit.
LONG_WORD = 24
# In a table, free text is shortened with "…" to this many lines (`show` has it whole);
# a note, the least useful text in a list, to fewer.
TEXT_LINES = 4
NOTE_LINES = 2
# Columns left out first when a table is too wide, most expendable first (after empty ones).
LEAST_USEFUL = ("note", "session", "body", "kind", "end", "report", "places", "source")


if TYPE_CHECKING:

    class _Layout(NamedTuple):
        shown: list[Column]
        widths: list[int]
        hidden: list[Column]

else:  # no typing.NamedTuple at run time: see tracker/plain.py
    _Layout = namedtuple("_Layout", ("shown", "widths", "hidden"))


class Layout(_Layout):
    """How a table is drawn at a width: the columns shown, their widths, those left out."""

    __slots__ = ()


def is_free_text(rows: Sequence[dict[str, Any]], key: str) -> bool:
    """Plain text that may be shortened: not a code, a list of codes or linked symbols."""
    return key not in NO_WRAP and all(isinstance(row.get(key), str | None) for row in rows)


def longest_word(texts: Iterable[str]) -> int:
    return max((len(word) for text in texts for word in text.split()), default=0)


def column_widths(rows: Sequence[dict[str, Any]], key: str, header: str) -> tuple[int, int]:
    """A column's narrowest width (no word, id, symbol or date split) and its natural one."""
    texts = [cell(row.get(key)) for row in rows]
    natural = max(len(line) for text in [header, *texts] for line in text.split("\n") or [""])
    header_word = longest_word([header])
    if key in NO_WRAP:
        narrowest = max([header_word] + [len(line) for t in texts for line in t.split("\n")])
    elif is_free_text(rows, key):
        # As wide as its longest word (up to LONG_WORD; longer ones are shortened).
        word = min(longest_word(texts), LONG_WORD)
        narrowest = max(header_word, min(natural, max(FREE_TEXT_MIN, word)))
    else:  # lists of ids, symbols with their links: wrap between them, never inside one
        narrowest = max(header_word, longest_word(texts))
    return narrowest, max(natural, narrowest)


def table_width(widths: Iterable[int]) -> int:
    """A boxed table's width: each column's text, one of padding each side and a border."""
    widths = list(widths)
    return sum(widths) + 3 * len(widths) + 1


def fit_columns(
    rows: Sequence[dict[str, Any]], columns: Sequence[Column], width: int
) -> tuple[list[Column], list[Column]]:
    """The columns a terminal `width` can show, and those left out (see `layout`)."""
    fit = layout(rows, columns, width)
    return fit.shown, fit.hidden


def layout(rows: Sequence[dict[str, Any]], columns: Sequence[Column], width: int) -> Layout:
    """Columns and widths for a table of `width` in which no word, id, symbol or date is split.

    Each column is at least as wide as its longest word (ids, dates and symbols whole;
    free text at least FREE_TEXT_MIN). While those do not fit, columns are left out:
    first those with nothing in them, then the least useful kinds (notes, sessions...),
    then short-code columns from the right, then free text from the right; the first
    column always stays. The room left is shared out to the columns that want more,
    the one furthest from its natural width first.
    """
    needs = {key: column_widths(rows, key, header) for key, header in columns}
    empty = [c for c in columns[1:] if not any(cell(row.get(c[0])) for row in rows)]
    ranked = [c for name in LEAST_USEFUL for c in columns[1:] if c[0] == name]
    codes = [c for c in reversed(columns[1:]) if c[0] in NO_WRAP]
    text = [c for c in reversed(columns[1:]) if c[0] not in NO_WRAP]
    shown = list(columns)
    for column in dict.fromkeys(empty + ranked + codes + text):
        if table_width(needs[key][0] for key, _ in shown) <= width:
            break
        shown.remove(column)
    widths = [needs[key][0] for key, _ in shown]
    room = width - table_width(widths)
    while room > 0:
        wants = [needs[key][1] - w for (key, _), w in zip(shown, widths, strict=True)]
        most = max(range(len(wants)), key=wants.__getitem__, default=0)
        if not wants or wants[most] <= 0:
            break
        widths[most] += 1
        room -= 1
    return Layout(shown, widths, [c for c in columns if c not in shown])


def shorten_word(word: str, width: int) -> str:
    return word if len(word) <= width else word[: max(width - 1, 0)] + "…"


def wrap_text(text: str, width: int, max_lines: int | None = None) -> str:
    """Text wrapped at spaces to `width`; a word longer than the width, and text beyond
    `max_lines`, shortened with "…". Never breaks inside a word."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            word = shorten_word(word, width)
            if line and len(line) + 1 + len(word) <= width:
                line += " " + word
            else:
                if line:
                    lines.append(line)
                line = word
        lines.append(line)
    if max_lines is not None and len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and len(last) + 1 > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines = [*lines[: max_lines - 1], last.rstrip(".,;:") + "…"]
    return "\n".join(lines)


def hidden_note(hidden: Sequence[Column]) -> str:
    names = ", ".join(header for _, header in hidden)
    return f"Not shown at this width: {names} (widen the terminal, or use --format md or json)."


def rich_table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    title: str = "",
    widths: Sequence[int] | None = None,
) -> Any:
    """A Rich table; with `widths`, each column drawn that wide, free text wrapped at
    spaces and shortened to a few lines (see `layout`)."""
    from rich.table import Table

    table = Table(title=title or None, title_justify="left", header_style="bold")
    sizes: Sequence[int | None] = widths if widths is not None else [None] * len(columns)
    free = {key for key, _ in columns if is_free_text(rows, key)}
    for (key, header), size in zip(columns, sizes, strict=True):
        if key in NO_WRAP and size is None:
            table.add_column(header, no_wrap=True, width=size)
        elif key in NO_WRAP:
            # Fitted: the width holds every value whole, so only the header may wrap (at a
            # space: "Presented by"); no_wrap would cut the header short with "…".
            table.add_column(header, overflow="fold", width=size)
        else:
            table.add_column(header, overflow="fold", width=size)
    for row in rows:
        cells = []
        for (key, _), size in zip(columns, sizes, strict=True):
            if size is not None and key in free and row.get(key):
                lines = NOTE_LINES if key == "note" else TEXT_LINES
                cells.append(linked_text(wrap_text(row[key], size, lines), link_of(row, key)))
            else:
                cells.append(rich_cell(row, key))
        table.add_row(*cells)
    return table


def fitted_table(
    rows: Sequence[dict[str, Any]], columns: Sequence[Column], title: str, width: int
) -> list[Any]:
    """A Rich table that fits `width`, and a note naming any column left out."""
    from rich.text import Text

    fit = layout(rows, columns, width)
    table = rich_table(rows, fit.shown, title, fit.widths)
    return [table, Text(hidden_note(fit.hidden), style="dim")] if fit.hidden else [table]


def print_table(
    console: Console, rows: Sequence[dict[str, Any]], columns: Sequence[Column], title: str
) -> None:
    """A table drawn to fit the console, with a note naming any column left out."""
    for renderable in fitted_table(rows, columns, title, console.width):
        console.print(renderable)


def rich_cell(row: dict[str, Any], key: str) -> Any:
    value = row.get(key)
    if isinstance(value, Linked):
        return value.rich()
    return linked_text(cell(value), link_of(row, key))


def linked_text(text: str, url: str | None) -> Any:
    """Rich text that terminals supporting hyperlinks make clickable."""
    from rich.style import Style
    from rich.text import Text

    return Text(text, style=Style(link=url)) if url else Text(text)


class Linked:
    """Text made of pieces, some of them UN document symbols with their links: each piece
    is (text, url or None). A table cell holds one where symbols sit inside other text (a
    coverage cell, an event label). Plain text, CSV and JSON see only the text (str());
    Markdown, Rich and HTML make the pieces that have a URL links."""

    # A plain class: a dataclass would import the dataclasses module on every start-up.
    __slots__ = ("pieces",)

    def __init__(self, pieces: tuple[tuple[str, str | None], ...] = ()) -> None:
        self.pieces = pieces

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Linked) and other.pieces == self.pieces

    def __hash__(self) -> int:
        return hash(self.pieces)

    def __repr__(self) -> str:
        return f"Linked({self.pieces!r})"

    @classmethod
    def of(cls, pieces: Iterable[tuple[str, str | None]]) -> Linked:
        return cls(tuple((text, url) for text, url in pieces if text))

    @classmethod
    def symbol(cls, text: str, url: str | None, rest: str = "") -> Linked:
        """A symbol (a link when it has a URL) and the text that follows it."""
        return cls.of([(text, url), (rest, None)])

    @classmethod
    def join(cls, separator: str, parts: Iterable[Linked]) -> Linked:
        pieces: list[tuple[str, str | None]] = []
        for index, part in enumerate(parts):
            pieces += ([(separator, None)] if index else []) + list(part.pieces)
        return cls.of(pieces)

    def __str__(self) -> str:
        return "".join(text for text, _ in self.pieces)

    def __bool__(self) -> bool:
        return bool(self.pieces)

    def __add__(self, other: str) -> Linked:
        return Linked.of([*self.pieces, (other, None)])

    def markdown(self) -> str:
        return "".join(md_link(md_escape(text), url) for text, url in self.pieces)

    def rich(self, style: str = "") -> Any:
        from rich.style import Style
        from rich.text import Text

        text = Text(style=style)
        for piece, url in self.pieces:
            text.append(piece, style=Style(link=url) if url else None)
        return text


def use_rich(out: IO[str]) -> bool:
    """Rich draws tables on a terminal, fitted to its width; piped output gets plain text.

    NO_COLOR only takes the colour away (Rich follows it): a terminal still gets tables
    that fit. FORCE_COLOR (a convention Rich follows too) asks for Rich even when piped.
    """
    import os

    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


def plain_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], title: str = "") -> str:
    """An aligned text table with no colour or box drawing, easy to grep and diff."""
    cells = [[cell(row.get(key)).replace("\n", " ") for key, _ in columns] for row in rows]
    headers = [header for _, header in columns]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    lines = [title] if title else []
    lines.append(line(headers))
    lines.append(line(["-" * w for w in widths]))
    lines += [line(r) for r in cells]
    return "\n".join(lines) + "\n"


def write_rows(
    rows: Sequence[dict[str, Any]],
    fmt: str,
    columns: Sequence[Column],
    title: str = "",
    out: IO[str] | None = None,
    console: Console | None = None,
) -> None:
    """Print a list of records in the chosen format (tracker/formats/)."""
    from tracker.formats import output
    from tracker.results import Rows

    output(Rows(rows, columns, title), fmt, out, console=console)


def rows_table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[Column],
    title: str,
    out: IO[str],
    console: Console | None = None,
) -> None:
    """A list of records as a table: Rich on a terminal (or the console given), else plain."""
    if not rows:
        out.write(f"{title}: no records.\n" if title else "No records.\n")
    elif console is None and not use_rich(out):
        out.write(plain_table(rows, columns, title))
    else:
        print_table(console or make_console(out), rows, columns, title)


# --- one record in detail (tracker show) ------------------------------------

# The columns of each kind's list: its fields declared `shown` (tracker/kinds.py).
VISIT_COLUMNS: list[Column] = kind_columns("visit")
REPORT_COLUMNS: list[Column] = kind_columns("report")
HOLDER_COLUMNS: list[Column] = kind_columns("holder")
THEME_COLUMNS: list[Column] = kind_columns("theme")
RESOLUTION_COLUMNS: list[Column] = kind_columns("resolution")
HISTORY_COLUMNS: list[Column] = [("date", "Date"), ("status", "Status"), ("note", "Note")]
VOTE_COLUMNS: list[Column] = [
    ("resolution", "Resolution"),
    ("adopted", "Adopted"),
    ("action", "Action"),
    ("vote", "Vote"),
]


def report_rows(reports: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reports as table rows: the symbol (or id) in one column, the year from the date."""
    return [
        {
            **r,
            "symbol": r.get("symbol") or r.get("id"),
            "year": report_year(r),
        }
        for r in reports
    ]


def vote_summary(vote: dict[str, Any] | None) -> str:
    if vote is None:
        return "not recorded"
    counts = [len(v) if isinstance(v, list) else v for v in (vote.get(c, 0) for c in VOTE_KEYS)]
    return "{} yes, {} no, {} abstaining".format(*counts)


VOTE_KEYS = ("yes", "no", "abstain")


def resolution_rows(resolutions: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "vote_summary": vote_summary(r.get("vote"))} for r in resolutions]


Section = tuple[str, list[dict[str, Any]], list[Column]]


REQUEST_COLUMNS: list[Column] = [
    ("paragraph", "Para"),
    ("asks", "Asks"),
    ("text", "Request"),
    ("note", "Note"),
]
GROUP_VOTE_COLUMNS: list[Column] = [
    ("resolution", "Resolution"),
    ("group", "Regional group"),
    ("yes", "Yes"),
    ("no", "No"),
    ("abstain", "Abstain"),
]


GROUP_COLUMNS: list[Column] = [
    ("name", "Regional group"),
    ("yes", "Yes"),
    ("no", "No"),
    ("abstain", "Abstain"),
    ("who", "Who"),
]


def group_rows(breakdown: dict[str, Any], names: dict[str, str]) -> list[dict[str, Any]]:
    """A vote by regional group as table rows (empty when only a tally is recorded), each
    State by its name. `who` is a list, not free text: it wraps, but is never shortened."""
    rows = []
    for group in breakdown["groups"]:
        who = "; ".join(
            f"{choice}: {', '.join(names.get(code, code) for code in codes)}"
            for choice, codes in group["countries"].items()
            if codes
        )
        rows.append({**group, "who": Linked.of([(who, None)])})
    if breakdown["outside"]:
        outside = ", ".join(names.get(code, code) for code in breakdown["outside"])
        rows.append({"name": "in no group", "who": Linked.of([(outside, None)])})
    return rows


def group_note(breakdown: dict[str, Any]) -> str:
    if not breakdown["recorded"]:
        return "Vote not recorded."
    if not breakdown["lists"]:
        return "Only the tally is recorded: the country lists are not recorded."
    return "Regional groups: tracker/reference/un_regional_groups.toml."


def detail(result: dict[str, Any]) -> tuple[str, list[tuple[str, Any]], list[Section]]:
    """A shown record as a title, its fields, and tables of what relates to it."""
    kind, record = result["kind"], result["record"]
    fields = [(k, v) for k, v in record.items() if v not in (None, [], "") and k != "history"]
    sections: list[Section] = []
    if kind == "holder":
        title = f"Holder {record['name']} ({record['id']})"
        sections = [
            ("Visits", result["visits"], kind_columns("visit")),
            ("Reports written", report_rows(result["reports"]), kind_columns("report")),
            (
                "Reports presented, written by another holder",
                report_rows(result["presented_for_others"]),
                kind_columns("report"),
            ),
            ("Priorities announced", result["themes_set"], kind_columns("theme")),
        ]
    elif kind == "theme":
        from tracker.queries import ADDRESSING_KINDS

        title = f"Theme {record['title']} ({record['id']})"
        # The status first, by the same rule as coverage and gaps (queries.theme_status).
        fields = [("status", f"{result['status']}: {result['status_meaning']}"), *fields]
        rows = report_rows(result["reports"])
        sections = [
            (
                "Reports that addressed it (thematic)",
                [r for r in rows if r["kind"] in ADDRESSING_KINDS],
                kind_columns("report"),
            ),
            (
                "Reports that touched it (annual, overview or visit)",
                [r for r in rows if r["kind"] not in ADDRESSING_KINDS],
                kind_columns("report"),
            ),
            ("Visits that focused on it", result["visits"], kind_columns("visit")),
        ]
    elif kind == "report":
        title = f"Report {result['key']}: {record['title']}"
        sections = [("Visits it reports on", result["visits"], kind_columns("visit"))]
    elif kind == "visit":
        title = f"Visit {record['id']}: {result['country_name']}, {result['holder_name']}"
        sections = [("History", record["history"], HISTORY_COLUMNS)]
    elif kind == "resolution":
        title = f"Resolution {record['symbol']}"
        fields = [(k, v) for k, v in fields if k != "vote"]
        fields.append(("vote", vote_summary(record.get("vote"))))
        vote = record.get("vote") or {}
        names = result.get("country_names", {})
        for choice, label in zip(VOTE_KEYS, ("In favour", "Against", "Abstaining"), strict=True):
            if isinstance(vote.get(choice), list):
                voters = [f"{names.get(code, code)} ({code})" for code in vote[choice]]
                fields.append((label, ", ".join(voters) or "none"))
        fields = [(k, v) for k, v in fields if k != "request"]
        sections = [("What it asks of the mandate", result.get("requests", []), REQUEST_COLUMNS)]
        if "vote_by_group" in result:
            breakdown = result["vote_by_group"]
            fields.append(("vote by group", group_note(breakdown)))
            rows = group_rows(breakdown, names)
            sections.append(("Vote by UN regional group", rows, GROUP_COLUMNS))
    elif kind == "country":
        title = f"Country {record['name']} ({record['iso3']})"
        # Counts of what the data records, which may be incomplete: say so.
        recorded = {"completed_visits", "open_requests"}
        fields = [(f"{k} recorded" if k in recorded else k, v) for k, v in fields]
        sections = [
            ("Visits and requests", result["visits"], kind_columns("visit")),
            ("Reports on it", report_rows(result["reports"]), kind_columns("report")),
            ("Votes on the mandate's resolutions", result["votes"], VOTE_COLUMNS),
            ("Its regional group's votes", result.get("group_votes", []), GROUP_VOTE_COLUMNS),
            *follow_up_sections(result.get("follow_up", []), record["name"]),
        ]
    else:  # any other declared kind: its fields, as declared
        title = f"{kind.replace('_', ' ').capitalize()} {result['key']}"
        fields = [
            (k, v)
            for k, v in fields
            if not isinstance(v, list) or not v or not isinstance(v[0], dict)
        ]
    return title, fields, sections + related_sections(result)


RECOMMENDATION_COLUMNS: list[Column] = [
    ("id", "Id"),
    ("type", "Type"),
    ("published", "Published"),
    ("text", "Text"),
]
FOLLOWED_COLUMNS: list[Column] = [
    ("date", "Date"),
    ("kind", "Kind"),
    ("key", "Record"),
    ("what", "What"),
]


def follow_up_sections(chains: list[dict[str, Any]], country: str) -> list[Section]:
    """For each report that made recommendations to a State: them, then what followed
    there (queries.follow_up)."""
    if not chains:
        return [("Recommendations made to it", [], RECOMMENDATION_COLUMNS)]
    sections: list[Section] = []
    for chain in chains:
        came = f"visit {chain['visit']}" if chain["visit"] else "no visit recorded"
        sections += [
            (
                f"Recommendations of {chain['report']} ({came})",
                chain["recommendations"],
                RECOMMENDATION_COLUMNS,
            ),
            (
                f"What followed {chain['report']} in {country} (after {chain['since']})",
                chain["followed"],
                FOLLOWED_COLUMNS,
            ),
        ]
    return sections


def related_sections(result: dict[str, Any]) -> list[Section]:
    """The records of other declared kinds that name the shown one (queries.related)."""
    from tracker.kinds import KINDS, columns

    return [
        (spec.title, result[spec.plural], columns(spec.name) or [(spec.key_column, "Key")])
        for spec in KINDS.values()
        if isinstance(result.get(spec.plural), list) and spec.plural not in SECTION_KEYS
    ]


# The keys of a shown record's result that the sections above already draw.
SECTION_KEYS = ("visits", "reports", "themes_set", "votes", "requests", "group_votes")


def detail_markdown(result: dict[str, Any]) -> str:
    title, fields, sections = detail(result)
    lines = [f"# {md_escape(title)}", ""]
    record = result["record"]
    lines += [
        f"- **{md_escape(field_label(k))}**: {md_link(md_escape(cell(v)), link_of(record, k))}"
        for k, v in linked_fields(fields)
    ]
    text = "\n".join(lines) + "\n"
    for name, rows, columns in sections:
        text += "\n" + to_markdown(rows, columns, name)
    return text


def detail_table(result: dict[str, Any], out: IO[str], console: Console | None = None) -> None:
    """A shown record on a terminal (Rich) or as plain text."""
    title, fields, sections = detail(result)
    if console is None and not use_rich(out):
        out.write(plain_detail(title, fields, sections))
        return
    fields = linked_fields(fields)
    from rich.table import Table
    from rich.text import Text

    console = console or make_console(out)
    console.print(Text(title, style="bold"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    # Values wrap at spaces; a word wider than the room left (a long URL) is shortened
    # with "…", and stays a link where the terminal supports them.
    room = max(console.width - max((len(field_label(k)) for k, _ in fields), default=0) - 2, 8)
    for key, value in fields:
        text = cell(value)
        url = link_of(result["record"], key)
        if url is None and text.startswith(("https://", "http://")):
            url = text.split()[0]
        grid.add_row(field_label(key), linked_text(wrap_text(text, room), url))
    console.print(grid)
    for name, rows, columns in sections:
        console.print()
        if rows:
            print_table(console, rows, columns, name)
        else:
            console.print(f"{name}: none recorded.")


def field_label(key: str) -> str:
    """A field's name as a reader sees it: region_name -> region name."""
    return key.replace("_", " ")


def plain_detail(title: str, fields: list[tuple[str, Any]], sections: list[Section]) -> str:
    width = max((len(k) for k, _ in fields), default=0)
    parts = [title, *(f"{field_label(k).ljust(width)}  {cell(v)}" for k, v in fields)]
    for name, rows, columns in sections:
        parts.append("")
        parts.append(
            plain_table(rows, columns, name).rstrip("\n") if rows else f"{name}: none recorded."
        )
    return "\n".join(parts) + "\n"

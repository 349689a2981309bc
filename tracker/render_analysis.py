"""Show coverage, gaps and timelines: Rich views for the terminal (and SVG), Markdown, CSV.

The views are built in two steps: plain-text sections (rows of strings, shared
with the Markdown output and the HTML report), then Rich tables drawn from
them. Rich is imported only inside the functions that draw, so JSON, CSV and
Markdown never pay for it. Nothing here touches SQL.
"""

from __future__ import annotations

import io
import re
import sys
from collections import namedtuple
from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from tracker.analysis import ADDRESSING_KINDS
from tracker.links import document_url
from tracker.queries import STATUS_MEANING, STATUSES
from tracker.render import (
    Column,
    Linked,
    fitted_table,
    md_escape,
    plain_table,
    rich_table,
    to_markdown,
)

if TYPE_CHECKING:
    from pathlib import Path

    from rich.console import Console, RenderableType

STATUS_STYLE = {"addressed": "green", "touched": "yellow", "gap": "bold red"}
# The legend states the one rule of queries.theme_status, in its own words.
STATUS_LEGEND = (
    "; ".join(f"{status}: {STATUS_MEANING[status]}" for status in STATUSES)
    + ". A priority a holder announced is judged by that holder's own work: other holders' "
    "reports in its row do not count for it (see `tracker gaps`)."
)
KIND_GLYPH = {
    "establishment": "◆",
    "renewal": "◇",
    "resolution": "◇",
    "term-start": "▶",
    "term-end": "◀",
    "visit": "●",
    "report": "■",
    "engagement": "▲",
    "communication": "✉",
}
KIND_STYLE = {
    "establishment": "bold magenta",
    "renewal": "magenta",
    "resolution": "magenta",
    "term-start": "bold cyan",
    "term-end": "cyan",
    "visit": "green",
    "report": "blue",
    "engagement": "yellow",
    "communication": "red",
}
GLYPH_KIND = {glyph: kind for kind, glyph in reversed(KIND_GLYPH.items())}
SPARKS = "▁▂▃▄▅▆▇█"
SVG_WIDTH = 140


if TYPE_CHECKING:

    class _Section(NamedTuple):
        title: str
        rows: list[dict[str, Any]]
        columns: list[Column]
        notes: Sequence[str] = ()
        # The data may be incomplete: an empty list means none is recorded, not that none exists.
        empty: str = "none recorded."

else:  # no typing.NamedTuple at run time: see tracker/plain.py
    _Section = namedtuple(
        "_Section",
        ("title", "rows", "columns", "notes", "empty"),
        defaults=((), "none recorded."),
    )


class Section(_Section):
    """One titled table of plain text, with optional notes printed after it."""

    __slots__ = ()


# --- shared text -------------------------------------------------------------


def year_text(year: Any) -> str:
    return str(year) if year else "n.d."


def report_item(report: dict[str, Any]) -> Linked:
    """A report in a coverage cell: symbol (linked to the document) and year, and its kind
    when it only touches the theme."""
    year = year_text(report["year"])
    rest = f" ({year})" if report["kind"] in ADDRESSING_KINDS else f" ({year}, {report['kind']})"
    return Linked.symbol(report["symbol"], report.get("url"), rest)


def visits_item(visits: Sequence[dict[str, Any]]) -> str:
    """Visits in one cell line, by the countries' names: `visits: Sweden 2018, Qatar 2019`."""
    places = ", ".join(
        f"{v.get('country_name') or v['country']} {year_text(v['year'])}" for v in visits
    )
    return f"{'visits' if len(visits) > 1 else 'visit'}: {places}"


def cell_items(row: dict[str, Any], holder: str) -> list[tuple[Linked, str]]:
    """What a coverage cell lists, each with its role: addressing, touching or visit."""
    items = [
        (report_item(r), "addressing" if r["kind"] in ADDRESSING_KINDS else "touching")
        for r in row["reports"]
        if r["holder"] == holder
    ]
    visits = [v for v in row["visits"] if v["holder"] == holder]
    items += [(Linked.of([(visits_item(visits), None)]), "visit")] if visits else []
    engaged = [e for e in row.get("engagements", []) if e["holder"] == holder]
    if engaged:
        text = "engaged: " + ", ".join(f"{e['forum']} {year_text(e['year'])}" for e in engaged)
        items.append((Linked.of([(text, None)]), "visit"))
    letters = [c for c in row.get("communications", []) if c["holder"] == holder]
    if letters:
        text = "letters: " + ", ".join(c["ref"] for c in letters)
        items.append((Linked.of([(text, None)]), "visit"))
    return items


def term_text(holder: dict[str, Any]) -> str:
    if not holder.get("start"):
        # Appointed, but the day of taking up the mandate is not recorded: say so.
        began = f"appointed {holder.get('appointed')}, start not recorded"
        return f"{began} – {holder['end']}" if holder.get("end") else began
    if holder.get("end"):
        return f"{holder['start']} – {holder['end']}"
    return f"since {holder['start']}"


def term_first(holder: dict[str, Any]) -> str:
    """The first date of a term as written: its start, else (not known) the appointment."""
    return str(holder.get("start") or holder.get("appointed"))


def holder_heading(holder: dict[str, Any]) -> str:
    return f"{holder['name']} ({term_text(holder)})"


def status_counts(rows: Sequence[dict[str, Any]]) -> str:
    counts = {status: sum(r["status"] == status for r in rows) for status in STATUS_STYLE}
    return ", ".join(f"{n} {status}" for status, n in counts.items())


# --- coverage ----------------------------------------------------------------


def coverage_rows(data: dict[str, Any], sep: str = "; ") -> list[dict[str, Any]]:
    """One flat row per theme: id, title, status, set_by and one text cell per holder."""
    return [
        {
            "theme": row["theme"],
            "title": row["title"],
            "status": row["status"],
            "set_by": row["set_by"],
            **{
                h["id"]: Linked.join(sep, (t for t, _ in cell_items(row, h["id"])))
                for h in data["holders"]
            },
        }
        for row in data["themes"]
    ]


def coverage_columns(data: dict[str, Any]) -> list[Column]:
    return [("title", "Theme"), ("status", "Status")] + [
        (h["id"], holder_heading(h)) for h in data["holders"]
    ]


def coverage_markdown(data: dict[str, Any], title: str = "Coverage") -> str:
    table = to_markdown(coverage_rows(data), coverage_columns(data), title)
    summary = f"{status_counts(data['themes'])}. {STATUS_LEGEND}"
    return f"{table}\n{md_escape(summary)}\n"


# A holder's column of the matrix is at least this wide, so that symbols stay whole.
HOLDER_COLUMN_MIN = 18
THEME_COLUMN_MIN = 16
CELL_STYLES = {"addressing": "bold", "touching": "", "visit": "dim"}


def matrix_width(data: dict[str, Any]) -> int:
    """The narrowest the theme-by-holder matrix can be drawn without breaking a document
    symbol or cropping a column: each column's narrowest width, padding and borders."""
    status = max([len("Status")] + [len(row["status"]) for row in data["themes"]])
    holders = [
        max(
            [HOLDER_COLUMN_MIN]
            + [
                len(word)
                for row in data["themes"]
                for item, _ in cell_items(row, holder["id"])
                for word in str(item).split()
            ]
        )
        for holder in data["holders"]
    ]
    widths = [THEME_COLUMN_MIN, status, *holders]
    return sum(widths) + 2 * len(widths) + len(widths) + 1


def coverage_table(data: dict[str, Any]) -> Any:
    """The theme-by-holder matrix: one column per holder, in term order."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Coverage of the themes by holder", title_justify="left", show_lines=True)
    table.add_column("Theme", overflow="fold", min_width=THEME_COLUMN_MIN)
    table.add_column("Status", no_wrap=True)
    for holder in data["holders"]:
        table.add_column(f"{holder['name']}\n{term_text(holder)}", overflow="fold")
    for row in data["themes"]:
        cells = [Text(row["title"]), Text(row["status"], style=STATUS_STYLE[row["status"]])]
        for holder in data["holders"]:
            cells.append(Text("\n").join(holder_items(row, holder)))
        table.add_row(*cells)
    return table


def holder_items(row: dict[str, Any], holder: dict[str, Any]) -> list[Any]:
    """A holder's reports and visits on the theme, as Rich text styled by their role."""
    return [item.rich(style=CELL_STYLES[role]) for item, role in cell_items(row, holder["id"])]


def holder_lines(row: dict[str, Any], holders: Sequence[dict[str, Any]]) -> list[Any]:
    """One Rich line per holder who addressed or touched the theme: name, then items."""
    from rich.text import Text

    lines = []
    for holder in holders:
        items = holder_items(row, holder)
        if items:
            lines.append(Text.assemble((f"{holder['name']}: ", "italic"), Text(", ").join(items)))
    return lines


def by_theme_width(data: dict[str, Any]) -> int:
    """The narrowest the theme-by-theme table can be drawn with every symbol whole."""
    status = max([len("Status")] + [len(row["status"]) for row in data["themes"]])
    longest = max(
        [HOLDER_COLUMN_MIN]
        + [
            len(word)
            for row in data["themes"]
            for holder in data["holders"]
            for item, _ in cell_items(row, holder["id"])
            for word in str(item).split()
        ]
    )
    widths = [THEME_COLUMN_MIN, status, longest]
    return sum(widths) + 2 * len(widths) + len(widths) + 1


def coverage_by_theme(data: dict[str, Any]) -> Any:
    """The same coverage for a terminal too narrow for the matrix: one row per theme, and
    in it one line per holder who addressed or touched the theme."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Coverage of the themes by holder", title_justify="left", show_lines=True)
    table.add_column("Theme", overflow="fold", min_width=THEME_COLUMN_MIN)
    table.add_column("Status", no_wrap=True)
    table.add_column("Reports and visits, by holder", overflow="fold")
    for row in data["themes"]:
        status = Text(row["status"], style=STATUS_STYLE[row["status"]])
        table.add_row(
            Text(row["title"]), status, Text("\n").join(holder_lines(row, data["holders"]))
        )
    return table


def coverage_stacked(data: dict[str, Any]) -> list[RenderableType]:
    """The coverage for a terminal too narrow for any table: each theme's title and status,
    then its holders' lines, indented; plain wrapped text at any width."""
    from rich.padding import Padding
    from rich.text import Text

    view: list[RenderableType] = [Text("Coverage of the themes by holder", style="italic")]
    for row in data["themes"]:
        status = (row["status"], STATUS_STYLE[row["status"]])
        view.append(Text.assemble((row["title"], "bold"), " (", status, ")"))
        view += [Padding(line, (0, 0, 0, 2)) for line in holder_lines(row, data["holders"])]
    return view


def holders_legend(data: dict[str, Any]) -> str:
    terms = "; ".join(f"{h['name']} ({term_text(h)})" for h in data["holders"])
    return f"Holders: {terms}."


def coverage_view(data: dict[str, Any], width: int | None = None) -> list[RenderableType]:
    """The matrix; or, when `width` is too narrow for it, the coverage theme by theme, as a
    table while every symbol fits whole in one, else as indented lines."""
    from rich.text import Text

    if not data["themes"]:
        return [Text("No themes.")]
    legend = Text(f"{status_counts(data['themes'])}. {STATUS_LEGEND}", style="dim")
    if width is None or width >= matrix_width(data):
        return [coverage_table(data), legend]
    terms = Text(holders_legend(data), style="dim")
    if width >= by_theme_width(data):
        return [coverage_by_theme(data), terms, legend]
    return [*coverage_stacked(data), terms, legend]


def coverage_plain(data: dict[str, Any]) -> str:
    """The matrix as aligned plain text (piped output, NO_COLOR): easy to grep and diff."""
    if not data["themes"]:
        return "No themes.\n"
    table = plain_table(
        coverage_rows(data), coverage_columns(data), "Coverage of the themes by holder"
    )
    return f"{table}\n{status_counts(data['themes'])}. {STATUS_LEGEND}\n"


# --- gaps --------------------------------------------------------------------


def touched_by(row: dict[str, Any]) -> Linked:
    items = [report_item(r) + f" by {r['holder']}" for r in row["reports"]]
    visits = [Linked.of([(f"{visits_item([v])} by {v['holder']}", None)]) for v in row["visits"]]
    others = [
        Linked.of([(f"engagement {e['id']} by {e['holder']}", None)])
        for e in row.get("engagements", [])
    ] + [
        Linked.of([(f"communication {c['ref']} by {c['holder']}", None)])
        for c in row.get("communications", [])
    ]
    return Linked.join("; ", items + visits + others)


def gap_sections(data: dict[str, Any]) -> list[Section]:
    """The sections of `tracker gaps`, as plain text tables."""
    theme_columns: list[Column] = [
        ("theme", "Theme"),
        ("title", "Title"),
        ("set_by", "Set by"),
        ("verdict", "In the term of the holder who set it"),
    ]

    def with_verdict(row: dict[str, Any]) -> dict[str, Any]:
        return {**row, "verdict": verdict_text(row["in_term"]) if row.get("in_term") else ""}

    gaps = [with_verdict(row) for row in data["themes"]["gap"]]
    touched = [{**with_verdict(row), "by": touched_by(row)} for row in data["themes"]["touched"]]
    return [
        term_section(data.get("mandate_term")),
        Section(
            "Gaps: themes no recorded report or visit lists (a priority: in its holder's term)",
            gaps,
            theme_columns,
        ),
        Section(
            "Themes only touched (by visits or non-thematic reports)",
            touched,
            [*theme_columns, ("by", "Touched by")],
        ),
        priorities_section(data["priorities"]),
        requests_section(data["open_requests"]),
        balance_section(data["regional_balance"]),
        Section(
            "Holders with no completed visit recorded",
            [{**h, "term": term_text(h)} for h in data["holders_without_visits"]],
            [
                ("holder", "Holder"),
                ("name", "Name"),
                ("term", "Term"),
                ("open_requests", "Open requests recorded"),
            ],
        ),
        *(record_gap_sections(data) if "invited_never_visited" in data else []),
    ]


def verdict_text(judged: dict[str, Any]) -> Linked:
    """analysis.verdict's sentence with its symbols linked to their documents."""
    if judged["status"] == "addressed":
        return Linked.of([("addressed in the term", None)])
    parts = [Linked.of([(IN_TERM[judged["status"]], None)])]
    for when, reports in (
        ("before", judged["addressed_before"]),
        ("after", judged["addressed_after"]),
    ):
        if reports:
            listed = Linked.join(", ", (report_item(r) for r in reports))
            parts.append(Linked.of([(f"addressed {when} by ", None), *listed.pieces]))
    return Linked.join("; ", parts)


def term_section(term: dict[str, Any] | None) -> Section:
    """The term the latest recorded renewal granted, and whether it has run out."""
    title = "Term of the mandate"
    if term is None:
        return Section(title, [], [], empty="no establishment or renewal recorded.")
    row = {
        "resolution": Linked.symbol(term["resolution"], term.get("url")),
        "adopted": term["adopted"],
        "term": f"{term['term_years']} years" if term["term_years"] else "not recorded",
        "ends": term["ends"] or "not recorded",
        "state": term_state(term),
    }
    columns: list[Column] = [
        ("resolution", "Latest renewal recorded"),
        ("adopted", "Adopted"),
        ("term", "Term granted"),
        ("ends", "Term ends"),
        ("state", "State"),
    ]
    return Section(title, [row], columns)


def term_state(term: dict[str, Any]) -> str:
    if term["ended"] is None:
        return "term length not recorded"
    if term["ended"]:
        return "ENDED: no renewal recorded after it"
    return "running"


def priorities_section(priorities: list[dict[str, Any]]) -> Section:
    rows = [
        {
            **p,
            "set_in": Linked.symbol(p["set_in"] or "", p.get("set_in_url")),
            "in_term": IN_TERM[p["status"]],
            "before": addressed_by(p["addressed_before"]) or "none recorded",
            "after": addressed_by(p["addressed_after"]) or "none recorded",
        }
        for p in priorities
    ]
    columns: list[Column] = [
        ("holder", "Announced by"),
        ("theme", "Theme"),
        ("set_in", "Set in"),
        ("in_term", "In the term"),
        ("before", "Addressed before, by an earlier holder"),
        ("after", "Addressed after, by a later holder"),
    ]
    return Section("Priorities a holder announced but did not address in the term", rows, columns)


IN_TERM = {"gap": "not addressed in the term", "touched": "only touched in the term"}


def addressed_by(reports: Sequence[dict[str, Any]]) -> Linked:
    return Linked.join("; ", (report_item(r) + f" by {r['holder']}" for r in reports))


def requests_section(requests: list[dict[str, Any]]) -> Section:
    rows = [
        {
            **r,
            "dates": " to ".join(str(d) for d in (r["start"], r["end"]) if d),
            "age": "unknown" if r["age_days"] is None else f"{r['age_days']} days",
            "stale": "STALE: dates passed" if r["stale"] else "",
        }
        for r in requests
    ]
    columns: list[Column] = [
        ("id", "Visit"),
        ("holder", "Holder"),
        ("country_name", "Country"),
        ("status", "Status"),
        ("requested", "Requested"),
        ("age", "Age"),
        ("last_update", "Last update"),
        ("dates", "Dates"),
        ("stale", "Stale"),
    ]
    note = "Age counts from the first entry of the visit's history; stale: agreed dates passed."
    return Section(
        "Open visit requests, oldest first",
        rows,
        columns,
        [note] if rows else [],
        empty="no open request recorded.",
    )


def balance_section(balance: dict[str, Any]) -> Section:
    rows = [
        {
            **g,
            "member_share": f"{g['member_percent']}%",
            "visit_share": f"{g['visit_percent']}%",
        }
        for g in balance["groups"]
    ]
    columns: list[Column] = [
        ("name", "Regional group"),
        ("members", "Members"),
        ("member_share", "Share of members"),
        ("visits", "Visits"),
        ("visit_share", "Share of visits"),
        ("expected_visits", "Visits if proportional"),
        ("country_names", "Countries visited"),
    ]
    never = [g["name"] for g in balance["never_visited"]]
    notes = [
        f"{balance['completed_visits']} completed visits; "
        f"{balance['member_states']} member States.",
        "No completed visit recorded: " + ("; ".join(never) if never else "none") + ".",
    ]
    if balance["outside_groups"]:
        notes.append("Visits outside the groups: " + ", ".join(balance["outside_groups"]) + ".")
    notes.append(f"Group membership: {balance['source']}")
    return Section("Regional balance of completed visits", rows, columns, notes)


# --- gaps in the wider record ---------------------------------------------------------


def record_gap_sections(data: dict[str, Any]) -> list[Section]:
    """The sections `tracker gaps` adds for the mandate's wider record."""
    invited: list[Column] = [("country", "Country"), ("country_name", "Name"), ("since", "Since")]
    requests: list[Column] = [
        ("id", "Visit"),
        ("holder", "Holder"),
        ("country_name", "Country"),
        ("status", "Status"),
    ]
    letters: list[Column] = [
        ("ref", "Ref"),
        ("type", "Type"),
        ("holder", "Holder"),
        ("country_name", "Country"),
        ("date", "Sent"),
        ("days_without_reply", "Days without reply"),
    ]
    quiet = [
        {"holder": row["holder"], "years": ", ".join(map(str, row["years"]))}
        for row in data["years_without_engagement"]
    ]
    return [
        Section(
            "States with a standing invitation never visited",
            data["invited_never_visited"],
            invited,
            empty="not recorded (no standing invitation recorded, or every such State visited).",
        ),
        Section(
            "Open visit requests to States with a standing invitation",
            data["open_requests_to_invited"],
            requests,
            empty="no open request recorded.",
        ),
        Section(
            "Communications with no reply recorded after 60 days",
            data["unanswered_communications"],
            letters,
            empty="not recorded (no communication without a reply recorded).",
        ),
        Section(
            "Years of a holder's term with no engagement recorded",
            quiet,
            [("holder", "Holder"), ("years", "Years")],
            empty="not recorded.",
        ),
    ]


def sections_markdown(sections: Sequence[Section], level: int = 2) -> str:
    parts = []
    for section in sections:
        table = to_markdown(section.rows, section.columns).rstrip() if section.rows else ""
        empty = f"_{section.empty.capitalize()}_"
        lines = [f"{'#' * level} {md_escape(section.title)}", "", table or empty]
        lines += [f"\n{md_escape(note)}" for note in section.notes]
        parts.append("\n".join(lines).rstrip() + "\n")
    return "\n".join(parts)


def sections_plain(sections: Sequence[Section]) -> str:
    parts = []
    for section in sections:
        if section.rows:
            text = plain_table(section.rows, section.columns, section.title).rstrip("\n")
        else:
            text = f"{section.title}: {section.empty}"
        parts.append("\n".join([text, *section.notes]))
    return "\n\n".join(parts) + "\n"


def sections_view(sections: Sequence[Section], width: int | None = None) -> list[RenderableType]:
    """The sections as Rich tables; in a terminal `width`, without the columns that do not
    fit (named in a note, see render.fit_columns)."""
    from rich.text import Text

    view: list[RenderableType] = []
    for section in sections:
        if section.rows and width is not None:
            view += fitted_table(section.rows, section.columns, section.title, width)
        elif section.rows:
            view.append(rich_table(section.rows, section.columns, section.title))
        else:
            view.append(Text(f"{section.title}: {section.empty}", style="bold"))
        view += [Text(note, style="dim") for note in section.notes]
        view.append(Text(""))
    return view[:-1]


# --- sources -----------------------------------------------------------------


# A URL from the data is made a link only when it has nothing that could end a Markdown link
# or start markup: it is untrusted text.
LINKABLE_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+")


def source_link(source: dict[str, Any]) -> str | None:
    if source["kind"] == "document":
        return document_url(source["source"])
    if source["kind"] == "url" and LINKABLE_URL.fullmatch(source["source"]):
        return str(source["source"])
    return None


def source_sections(data: dict[str, Any]) -> list[Section]:
    """The sections of `tracker sources`: each source, then the records to look at."""
    rows = [
        {
            "source": Linked.symbol(s["source"], source_link(s)),
            "kind": s["kind"],
            "count": s["count"],
            "records": ", ".join(f"{r['kind']} {r['key']}" for r in s["records"]),
        }
        for s in data["sources"]
    ]
    record_columns: list[Column] = [("kind", "Kind"), ("key", "Record"), ("source", "Source")]
    return [
        Section(
            "Sources, most cited first",
            rows,
            [("source", "Source"), ("kind", "Kind"), ("count", "Records"), ("records", "Cited by")],
        ),
        Section(
            "Records whose only source is a secondary catalogue",
            data["catalogue_only"],
            record_columns,
        ),
        Section("Records with no source a reader can find", data["no_source"], record_columns),
    ]


# --- timeline ----------------------------------------------------------------

TIMELINE_COLUMNS: list[Column] = [("date", "Date"), ("kind", "Kind"), ("label", "Event")]


def timeline_groups(
    events: Sequence[dict[str, Any]], holders: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Events grouped by holder term, groups in the order their first event happened."""
    by_id = {h["id"]: h for h in holders}
    groups: dict[str | None, dict[str, Any]] = {}
    for event in events:
        holder = by_id.get(event["holder"]) if event["holder"] else None
        group = groups.setdefault(
            event["holder"],
            {
                "holder": holder,
                "title": holder_heading(holder) if holder else "Outside any holder's term",
                "events": [],
            },
        )
        group["events"].append(event)
    return list(groups.values())


def event_label(event: dict[str, Any]) -> Linked:
    """An event's label with the symbol in it linked to its document (resolutions, reports)."""
    label, key, url = event["label"], event["key"], event.get("url")
    if not url or key not in label:
        return Linked.of([(label, None)])
    before, _, after = label.partition(key)
    return Linked.of([(before, None), (key, url), (after, None)])


def event_year(event: dict[str, Any]) -> int:
    """The year of a timeline event (every event has a date: the timeline dates each)."""
    from tracker.dates import parse

    return parse(event["date"]).year


def group_years(group: dict[str, Any]) -> range:
    """The years a group's axis spans: its term (when known) and all its events."""
    years = [event_year(e) for e in group["events"]]
    holder = group["holder"]
    if holder:
        # A filtered timeline (--from/--to) gives the years its window allows: the axis
        # starts and ends where the filters do, not where the term does.
        first, last = holder.get("window") or (None, None)
        term = [int(term_first(holder)[:4])]
        if holder.get("end"):
            term.append(int(str(holder["end"])[:4]))
        years += [y for y in term if (first is None or y >= first) and (last is None or y <= last)]
    return range(min(years), max(years) + 1)


def year_counts(group: dict[str, Any]) -> dict[int, int]:
    counts = dict.fromkeys(group_years(group), 0)
    for event in group["events"]:
        counts[event_year(event)] += 1
    return counts


def rhythm(group: dict[str, Any]) -> str:
    """Events per year as a row of bars, e.g. `2018 █ 2019 ▆ 2020 ▃`."""
    counts = year_counts(group)
    top = max(counts.values()) or 1
    bars = []
    for year, n in counts.items():
        bars.append(f"{year} {SPARKS[(n * (len(SPARKS) - 1)) // top] if n else '·'}")
    return "  ".join(bars)


def timeline_markdown(events: Sequence[dict[str, Any]], holders: Sequence[dict[str, Any]]) -> str:
    if not events:
        return "## Timeline\n\n_No dated events._\n"
    parts = ["## Timeline\n"]
    for group in timeline_groups(events, holders):
        counts = ", ".join(f"{y}: {n}" for y, n in year_counts(group).items())
        parts.append(f"### {md_escape(group['title'])}\n\nEvents per year: {counts}.\n")
        rows = [{**event, "label": event_label(event)} for event in group["events"]]
        parts.append(to_markdown(rows, TIMELINE_COLUMNS))
    return "\n".join(parts)


def axis_rows(group: dict[str, Any]) -> list[tuple[str, str, str, Linked]]:
    """(axis, glyph, date, label) for every year of a group: a year with no event gets a dot."""
    by_year: dict[int, list[dict[str, Any]]] = {y: [] for y in group_years(group)}
    for event in group["events"]:
        by_year[event_year(event)].append(event)
    rows = []
    for year, events in by_year.items():
        if not events:
            rows.append((f"{year} ┃", "·", "", Linked.of([("no event", None)])))
        for index, event in enumerate(events):
            axis = f"{year} ┃" if index == 0 else "     ┃"
            rows.append((axis, KIND_GLYPH[event["kind"]], str(event["date"]), event_label(event)))
    return rows


def timeline_plain(events: Sequence[dict[str, Any]], holders: Sequence[dict[str, Any]]) -> str:
    if not events:
        return "No dated events.\n"
    parts = []
    for group in timeline_groups(events, holders):
        lines = [group["title"], rhythm(group)]
        lines += [f"{a} {g} {d:<10} {label!s}".rstrip() for a, g, d, label in axis_rows(group)]
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


def timeline_table(group: dict[str, Any]) -> Any:
    """One term on a year axis: every year of the term, its events beside it."""
    from rich.table import Table
    from rich.text import Text

    # Two columns: a gutter (year axis, glyph, date) of fixed width, and the event, which
    # wraps. The gaps are part of the gutter's text, not Rich's cell padding: it looks the
    # same and draws in half the time (Rich renders every cell, and every padded cell,
    # as a renderable of its own; a term has a row for each year and each event).
    rows = axis_rows(group)
    date_width = max(len(date) for _, _, date, _ in rows)
    table = Table(box=None, show_header=False, padding=0)
    table.add_column("When", no_wrap=True)
    table.add_column("Event", overflow="fold")
    gap = "  "
    for axis, glyph, date, label in rows:
        style = "dim" if glyph == "·" else KIND_STYLE[GLYPH_KIND[glyph]]
        when = Text.assemble((axis, "bold"), gap, (glyph, style), gap, date.ljust(date_width), gap)
        table.add_row(when, label.rich("dim" if not date else ""))
    return table


def timeline_view(
    events: Sequence[dict[str, Any]], holders: Sequence[dict[str, Any]]
) -> list[RenderableType]:
    from rich.text import Text

    if not events:
        return [Text("No dated events.")]
    view: list[RenderableType] = []
    for group in timeline_groups(events, holders):
        view.append(Text(group["title"], style="bold underline"))
        view.append(Text(rhythm(group), style="dim"))
        view.append(timeline_table(group))
        view.append(Text(""))
    legend = "  ".join(f"{glyph} {kind}" for kind, glyph in KIND_GLYPH.items())
    return [*view, Text(legend, style="dim")]


# --- output ------------------------------------------------------------------


def print_view(
    view: Sequence[RenderableType] | Callable[[int], Sequence[RenderableType]], out: IO[str]
) -> None:
    """Print a view on a terminal; a view that depends on the terminal's width is given as
    a function of it."""
    from tracker.render import make_console

    console = make_console(out)
    for renderable in view(console.width) if callable(view) else view:
        console.print(renderable)


def svg_format() -> str:
    """Rich's SVG template without its web-font URLs, so the file makes no network request."""
    from rich.console import CONSOLE_SVG_FORMAT

    return re.sub(r',\s*url\("[^"]*"\) format\("[^"]*"\)', "", CONSOLE_SVG_FORMAT)


SVG_HEIGHT = 50  # never used for drawing: see drawn_svg


def drawn_svg(draw: Callable[[Console], None], title: str, width: int = SVG_WIDTH) -> str:
    """What `draw` prints on a Rich console of a fixed width, exported as SVG (colours kept,
    whatever NO_COLOR)."""
    from rich.console import Console

    console = Console(
        record=True,
        file=io.StringIO(),
        width=width,
        # With a width but no height, Rich asks the terminal for both, and a dumb terminal
        # (TERM=dumb) answers 80 columns: a height keeps the file independent of TERM.
        height=SVG_HEIGHT,
        color_system="truecolor",
        force_terminal=True,
        no_color=False,
        highlight=False,
        markup=False,
        emoji=False,
    )
    draw(console)
    return console.export_svg(title=title, code_format=svg_format())


def svg_text(view: Sequence[RenderableType], title: str, width: int = SVG_WIDTH) -> str:
    """A view drawn by Rich at a fixed width, exported as SVG."""

    def draw(console: Console) -> None:
        for renderable in view:
            console.print(renderable)

    return drawn_svg(draw, title, width)


def save_svg(
    view: Sequence[RenderableType], path: Path, title: str, width: int = SVG_WIDTH
) -> None:
    write_file(path, svg_text(view, title, width))
    sys.stderr.write(f"Saved {path}\n")


def save_drawn_svg(
    draw: Callable[[Console], None], path: Path, title: str, width: int = SVG_WIDTH
) -> None:
    """Save as SVG what `draw` prints on a Rich console (the table view of any command)."""
    write_file(path, drawn_svg(draw, title, width))
    sys.stderr.write(f"Saved {path}\n")


def save_rows_svg(
    rows: Sequence[dict[str, Any]], columns: Sequence[Column], title: str, path: Path, command: str
) -> None:
    """The table view of a list command, as `write_rows` draws it, saved as SVG."""

    def draw(console: Console) -> None:
        if rows:
            console.print(rich_table(rows, columns, title))
        else:
            console.print(f"{title}: no records.")

    save_drawn_svg(draw, path, f"tracker {command}")


def write_file(path: Path, text: str) -> None:
    """Write a whole file or nothing, only where an output may go (tracker.outputs)."""
    from tracker.outputs import write_output

    write_output(path, text)

"""The coverage report to share: one Markdown or one self-contained HTML document.

Both hold the coverage matrix, the gaps and the timeline built by
tracker.analysis.report_data(). The HTML is a single file: inline CSS, the
timeline drawn as inline SVG, no scripts, no fonts or images fetched from
anywhere, every piece of data escaped. It reads on a screen and prints on A4.
The Markdown uses only tables, headings and paragraphs, so it renders on a
code-hosting site. In both, every document symbol links to the UN document
(tracker.links): a link is followed only when a reader clicks it, never fetched.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from html import escape
from typing import Any

from tracker import render_analysis as views
from tracker import render_record
from tracker.analysis import ADDRESSING_KINDS
from tracker.dates import PartialDate, parse
from tracker.links import document_url
from tracker.render import Column, Linked, cell, md_escape

# --- Markdown --------------------------------------------------------------------


def title_of(data: dict[str, Any]) -> str:
    titles = [m["title"] for m in data["mandates"]]
    return "Coverage report: " + ("; ".join(titles) if titles else "no mandate")


def intro(data: dict[str, Any]) -> list[Linked]:
    """Sentences that open the report: establishment (the resolution linked), holders, date."""
    lines = [
        Linked.of(
            [
                (f"{m['title']}: established on {m['established']} by ", None),
                (m["established_by"], document_url(m["established_by"])),
                (".", None),
            ]
        )
        for m in data["mandates"]
    ]
    if data["holders"]:
        names = "; ".join(views.holder_heading(h) for h in data["holders"])
        lines.append(Linked.of([(f"Holders: {names}.", None)]))
    lines.append(
        Linked.of(
            [
                (
                    f"Report of {data['today']}, built by tracker from the data files; "
                    "every record there names its source.",
                    None,
                )
            ]
        )
    )
    return lines


def markdown(data: dict[str, Any]) -> str:
    parts = [f"# {md_escape(title_of(data))}", ""]
    parts += [line.markdown() + "\n" for line in intro(data)]
    parts.append(views.coverage_markdown(data["coverage"]))
    parts.append("## Gaps\n")
    parts.append(views.sections_markdown(views.gap_sections(data["gaps"]), level=3))
    parts.append("## What the resolutions asked\n")
    delivery = render_record.delivery_sections(data.get("delivery", []))
    parts.append(views.sections_markdown(delivery, level=3))
    parts.append("## The wider record\n")
    parts.append(views.sections_markdown(render_record.record_sections(data), level=3))
    parts.append("## From visit to follow-up\n")
    parts.append(views.sections_markdown(follow_up_sections(data.get("follow_up", [])), level=3))
    parts.append(views.timeline_markdown(data["timeline"], data["holders"]))
    return "\n".join(parts).rstrip() + "\n"


FOLLOW_UP_COLUMNS = [("date", "Date"), ("step", "Step"), ("key", "Record"), ("what", "What")]
FOLLOW_UP_NOTE = (
    "No recommendation of its visit report is recorded: tracker import uhri FILE adds them "
    "from the UN's Universal Human Rights Index."
)


def follow_up_sections(countries: Sequence[dict[str, Any]]) -> list[views.Section]:
    """One section per visited State: visit, report, recommendations, what followed
    (queries.visit_follow_up; the rule in docs/analysis.md)."""
    sections = []
    for country in countries:
        steps = [
            {**step, "key": Linked.symbol(step["key"], document_url(step["key"]))}
            if step["step"] == "report"
            else step
            for step in country["steps"]
        ]
        made = any(step["step"] in ("recommendation", "observation") for step in steps)
        sections.append(
            views.Section(
                f"{country['country_name']} ({country['country']})",
                steps,
                FOLLOW_UP_COLUMNS,
                notes=() if made else (FOLLOW_UP_NOTE,),
            )
        )
    if not sections:
        sections.append(views.Section("Visited States", [], FOLLOW_UP_COLUMNS))
    return sections


# --- HTML ------------------------------------------------------------------------

CSS = """
:root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0 auto; padding: 1.5rem 2rem 3rem; max-width: 78rem; }
h1 { font-size: 1.7rem; margin: 0 0 .4rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid var(--line); padding-bottom: .2rem;
     margin-top: 2.2rem; }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
p { margin: .3rem 0; }
.meta, .note, .legend, small { color: var(--muted); }
nav ul { list-style: none; padding: 0; display: flex; gap: 1.2rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 .6rem; font-size: .88rem; }
th, td { border: 1px solid var(--line); padding: .3rem .45rem; text-align: left;
         vertical-align: top; }
th { background: var(--head); font-weight: 600; }
th small, td small { display: block; font-weight: normal; }
table.coverage td:first-child { min-width: 10rem; }
.status { font-weight: 600; white-space: nowrap; }
td.code { white-space: nowrap; }
.addressed { background: #dafbe1; }
.touched { background: #fff1c2; }
.gap { background: #ffd8d3; }
.items span { display: block; }
.items .addressing { font-weight: 600; }
.items .visit { color: #1a7f37; }
.stale { color: #cf222e; font-weight: 600; }
figure { margin: .6rem 0 1rem; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: .85rem; }
.empty { font-style: italic; color: var(--muted); }
a { color: #0550ae; text-decoration-thickness: 1px; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .85rem; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { font-size: 10pt; max-width: none; padding: 0; }
  nav { display: none; }
  table { font-size: 8.5pt; }
  thead { display: table-header-group; }
  tr, figure, .items span { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  h2 { break-before: page; }
  header + nav + section h2, header + section h2 { break-before: auto; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def html(data: dict[str, Any]) -> str:
    title = escape(title_of(data))
    body = [
        f"<header><h1>{title}</h1>",
        *(f'<p class="meta">{linked_html(line)}</p>' for line in intro(data)),
        "</header>",
        '<nav><ul><li><a href="#coverage">Coverage</a></li><li><a href="#gaps">Gaps</a></li>'
        '<li><a href="#delivery">Delivery</a></li><li><a href="#record">Wider record</a></li>'
        '<li><a href="#follow-up">Follow-up</a></li>'
        '<li><a href="#timeline">Timeline</a></li><li><a href="#visits">Visits</a></li></ul></nav>',
        coverage_html(data["coverage"]),
        gaps_html(data["gaps"]),
        sections_html(
            "delivery",
            "What the resolutions asked",
            render_record.delivery_sections(data.get("delivery", [])),
        ),
        sections_html("record", "The wider record", render_record.record_sections(data)),
        sections_html(
            "follow-up", "From visit to follow-up", follow_up_sections(data.get("follow_up", []))
        ),
        timeline_html(data),
        visits_html(data),
        f"<footer>Generated by tracker on {escape(data['today'])}.</footer>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def linked_html(text: Linked) -> str:
    """Escaped text whose document symbols are links (plain <a href>: nothing is fetched)."""
    return "".join(
        f'<a href="{escape(url)}">{escape(piece)}</a>' if url else escape(piece)
        for piece, url in text.pieces
    )


URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:)]")


def cell_html(value: Any) -> str:
    """A cell's text escaped; document symbols (Linked) and any URL in it are links."""
    if isinstance(value, Linked):
        return linked_html(value)
    text = cell(value)
    pieces: list[tuple[str, str | None]] = []
    at = 0
    for found in URL.finditer(text):
        pieces += [(text[at : found.start()], None), (found.group(0), found.group(0))]
        at = found.end()
    return linked_html(Linked.of([*pieces, (text[at:], None)]))


def cell_class(value: Any) -> str:
    """Ids, dates and symbols (one short word) stay on one line: never split at a hyphen."""
    text = cell(value)
    return ' class="code"' if text and " " not in text and len(text) <= 24 else ""


def table_html(rows: Sequence[dict[str, Any]], columns: Sequence[Column]) -> str:
    head = "".join(f"<th>{escape(header)}</th>" for _, header in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{cell_class(row.get(key))}>{cell_html(row.get(key))}</td>" for key, _ in columns
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def coverage_html(coverage: dict[str, Any]) -> str:
    holders = coverage["holders"]
    head = "<th>Theme</th><th>Status</th>" + "".join(
        f"<th>{escape(h['name'])}<small>{escape(views.term_text(h))}</small></th>" for h in holders
    )
    rows = []
    for row in coverage["themes"]:
        cells = [
            f"<td>{escape(row['title'])}<small>{escape(row['theme'])}</small></td>",
            f'<td class="status {row["status"]}">{escape(row["status"])}</td>',
        ]
        for holder in holders:
            items = views.cell_items(row, holder["id"])
            spans = "".join(
                f'<span class="{role}">{linked_html(text)}</span>' for text, role in items
            )
            cells.append(f'<td class="items">{spans}</td>')
        rows.append(f'<tr class="{row["status"]}-row">{"".join(cells)}</tr>')
    summary = escape(views.status_counts(coverage["themes"]))
    return (
        '<section id="coverage"><h2>Coverage</h2>'
        f"<p>{summary}.</p>"
        f'<table class="coverage"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody>'
        f'</table><p class="legend">{escape(views.STATUS_LEGEND)} Bold: the report addressed the '
        "theme; green: a completed visit focused on it.</p></section>"
    )


def gaps_html(gaps: dict[str, Any]) -> str:
    text = sections_html("gaps", "Gaps", views.gap_sections(gaps))
    return text.replace("<td>STALE: dates passed</td>", '<td class="stale">STALE</td>')


def sections_html(anchor: str, title: str, sections: Sequence[views.Section]) -> str:
    parts = [f'<section id="{anchor}"><h2>{escape(title)}</h2>']
    for section in sections:
        parts.append(f"<h3>{escape(section.title)}</h3>")
        if section.rows:
            parts.append(table_html(section.rows, section.columns))
        else:
            parts.append(f'<p class="empty">{escape(section.empty.capitalize())}</p>')
        parts += [f'<p class="note">{escape(note)}</p>' for note in section.notes]
    parts.append("</section>")
    return "".join(parts)


def timeline_html(data: dict[str, Any]) -> str:
    events, holders = data["timeline"], data["holders"]
    parts = ['<section id="timeline"><h2>Timeline</h2>']
    if not events:
        parts.append('<p class="empty">No dated events.</p></section>')
        return "".join(parts)
    parts.append(f"<figure>{timeline_svg(data)}<figcaption>{SVG_LEGEND}</figcaption></figure>")
    for group in views.timeline_groups(events, holders):
        counts = ", ".join(f"{y}: {n}" for y, n in views.year_counts(group).items())
        parts.append(f"<h3>{escape(group['title'])}</h3>")
        parts.append(f'<p class="note">Events per year: {escape(counts)}.</p>')
        rows = [{**event, "label": views.event_label(event)} for event in group["events"]]
        parts.append(table_html(rows, views.TIMELINE_COLUMNS))
    parts.append("</section>")
    return "".join(parts)


# --- visits: charts drawn from the data, then a table per holder ---------------------

VISIT_TABLE: list[Column] = [
    ("id", "Visit"),
    ("country_name", "Country"),
    ("status", "Status"),
    ("start", "Start"),
    ("end", "End"),
    ("report", "Report"),
    ("themes", "Themes"),
    ("source", "Source"),
]


def visits_html(data: dict[str, Any]) -> str:
    """Completed visits by holder and year, and the regional balance, as SVG charts; then
    each holder's visits and requests, symbols and URLs linked."""
    visits, holders = data["visits"], data["holders"]
    parts = ['<section id="visits"><h2>Visits</h2>']
    completed = [v for v in visits if v["status"] == "completed" and v.get("start")]
    if completed:
        parts.append(
            f"<figure>{visits_chart(completed, holders)}<figcaption>Completed country visits "
            "per year, coloured by the holder who made them.</figcaption></figure>"
        )
    balance = data["gaps"]["regional_balance"]
    if balance["groups"]:
        parts.append(
            f"<figure>{balance_chart(balance)}<figcaption>Share of completed visits (dark) "
            "against share of UN member States (light), by regional group.</figcaption></figure>"
        )
    for holder in holders:
        own = [v for v in visits if v["holder"] == holder["id"]]
        parts.append(f"<h3>{escape(views.holder_heading(holder))}</h3>")
        if not own:
            parts.append('<p class="empty">No country visit or request recorded.</p>')
            continue
        rows = [
            {**v, "report": Linked.symbol(v["report"], v.get("report_url")) if v["report"] else ""}
            for v in own
        ]
        parts.append(table_html(rows, VISIT_TABLE))
    parts.append("</section>")
    return "".join(parts)


def svg_open(width: int, height: int, label_id: str, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{label_id}" font-family="system-ui, sans-serif" font-size="12">'
        f'<title id="{label_id}">{escape(title)}</title>'
    )


def visits_chart(visits: Sequence[dict[str, Any]], holders: Sequence[dict[str, Any]]) -> str:
    """A bar per year, stacked by holder: how many completed visits each made that year."""
    years = [int(str(v["start"])[:4]) for v in visits]
    first, last = min(years), max(years)
    order = [h["id"] for h in holders]
    colour = {h: TERM_COLOURS[i % len(TERM_COLOURS)] for i, h in enumerate(order)}
    counts: dict[tuple[int, str], int] = {}
    for visit, year in zip(visits, years, strict=True):
        counts[(year, visit["holder"])] = counts.get((year, visit["holder"]), 0) + 1
    per_year = {y: sum(n for (year, _), n in counts.items() if year == y) for y in years}
    most = max(per_year.values())
    width, height, left, bottom, top = SVG_WIDTH, 240, 40, 40, 40
    step = (width - left - RIGHT) / (last - first + 1)
    unit = (height - top - bottom) / most
    parts = [svg_open(width, height, "visits-title", "Completed visits by holder and year")]
    for count in range(most + 1):
        y = height - bottom - count * unit
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - RIGHT}" y2="{y:.1f}" stroke="#e5e9ee"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#59636e">{count}</text>'
        )
    for year in range(first, last + 1):
        x = left + (year - first) * step
        base: float = height - bottom
        for holder in order:
            n = counts.get((year, holder), 0)
            if not n:
                continue
            parts.append(
                f'<rect x="{x + step * 0.15:.1f}" y="{base - n * unit:.1f}" '
                f'width="{step * 0.7:.1f}" height="{n * unit:.1f}" fill="{colour[holder]}">'
                f"<title>{year}: {n} by {escape(holder)}</title></rect>"
            )
            base -= n * unit
        parts.append(
            f'<text x="{x + step / 2:.1f}" y="{height - bottom + 16}" '
            f'text-anchor="middle" fill="#59636e">{year}</text>'
        )
    x = left
    for holder in holders:
        name = escape(str(holder["name"]))
        parts.append(f'<rect x="{x}" y="10" width="12" height="12" fill="{colour[holder["id"]]}"/>')
        parts.append(f'<text x="{x + 16}" y="20" fill="#1f2328">{name}</text>')
        x += 28 + 7 * len(str(holder["name"]))
    return "".join(parts) + "</svg>"


def balance_chart(balance: dict[str, Any]) -> str:
    """Per regional group, its share of completed visits against its share of members."""
    groups = balance["groups"]
    label_width, row = 300, 34
    width, height = SVG_WIDTH, 20 + row * len(groups) + 24
    room = width - label_width - RIGHT - 60
    parts = [svg_open(width, height, "balance-title", "Regional balance of completed visits")]
    for index, group in enumerate(groups):
        y = 16 + index * row
        members, visits = group["member_percent"], group["visit_percent"]
        short = str(group["name"]).split(" (")[0]  # "Asia-Pacific Group"; whole in the tooltip
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" fill="#1f2328">'
            f"{escape(short)}<title>{escape(group['name'])}</title></text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{room * members / 100:.1f}" '
            f'height="12" fill="#b6d4f2"><title>{members}% of member States</title></rect>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 13}" width="{room * visits / 100:.1f}" '
            f'height="12" fill="#0969da"><title>{visits}% of completed visits</title>'
            "</rect>"
        )
        parts.append(
            f'<text x="{label_width + room * max(members, visits) / 100 + 6:.1f}" '
            f'y="{y + 22}" fill="#59636e">{visits}% of visits, {members}% of members'
            "</text>"
        )
    return "".join(parts) + "</svg>"


# --- the timeline as SVG -----------------------------------------------------------

SVG_WIDTH = 1000
LEFT = 118
RIGHT = 16
LANE = 40
TERM_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#b07aa1")
# (lane label, test for an event, colour)
LANES: tuple[tuple[str, str, str], ...] = (
    ("Resolutions", "resolution", "#8250df"),
    ("Visits", "visit", "#1a7f37"),
    ("Reports: HRC", "HRC", "#0969da"),
    ("Reports: GA", "GA", "#0a7b83"),
)
SVG_LEGEND = (
    "Bands: holder terms. Diamonds: establishment and renewals. Circles: country visits. "
    "Squares: reports, filled when thematic (or a draft declaration). A faded marker stands "
    "for a date known only to the year or month, placed mid-way."
)


def lane_of(event: dict[str, Any], reports: dict[str, dict[str, Any]]) -> str | None:
    """The lane an event is drawn in (a key of LANES), or None for term events."""
    if event["kind"] in ("establishment", "renewal", "resolution"):
        return "resolution"
    if event["kind"] == "visit":
        return "visit"
    if event["kind"] == "report":
        return "GA" if reports.get(event["key"], {}).get("body") == "GA" else "HRC"
    return None


def year_fraction(day: dt.date) -> float:
    start = dt.date(day.year, 1, 1)
    length = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def midpoint(when: PartialDate) -> float:
    """Where a date of any precision sits on the axis: the middle of what it may stand for."""
    first, last = when.earliest(), when.latest() + dt.timedelta(days=1)
    return (year_fraction(first) + year_fraction(last)) / 2


class Axis:
    """Maps dates to x positions between the first and the last year shown."""

    def __init__(self, first_year: int, last_year: int):
        self.first = first_year
        self.last = last_year
        self.width = SVG_WIDTH - LEFT - RIGHT

    def x(self, position: float) -> float:
        span = self.last + 1 - self.first
        return round(LEFT + (position - self.first) / span * self.width, 1)


def axis_for(
    events: Sequence[dict[str, Any]], holders: Sequence[dict[str, Any]], today: str
) -> Axis:
    years = [views.event_year(e) for e in events]
    years += [int(views.term_first(h)[:4]) for h in holders]
    if any(not h.get("end") for h in holders):
        years.append(int(today[:4]))
    return Axis(min(years), max(years))


def timeline_svg(data: dict[str, Any]) -> str:
    """Terms as bands, and resolutions, visits and reports as markers in lanes, on a year axis."""
    axis = axis_for(data["timeline"], data["holders"], data["today"])
    height = 30 + LANE * (len(LANES) + 1) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SVG_WIDTH} {height}" role="img" '
        'aria-labelledby="timeline-title" font-family="system-ui, sans-serif" font-size="12">',
        '<title id="timeline-title">Timeline of the mandate: terms, resolutions, visits and '
        "reports</title>",
        *year_grid(axis, height),
        *term_bands(data["holders"], axis, data["today"]),
        *lane_markers(data["timeline"], data["reports"], axis),
    ]
    return "".join(parts) + "</svg>"


def year_grid(axis: Axis, height: int) -> list[str]:
    step = 1 if axis.last - axis.first < 30 else 5
    parts = []
    for year in range(axis.first, axis.last + 2):
        x = axis.x(year)
        parts.append(f'<line x1="{x}" y1="24" x2="{x}" y2="{height - 24}" stroke="#e5e9ee"/>')
        if year <= axis.last and (year - axis.first) % step == 0:
            middle = axis.x(year + 0.5)
            parts.append(
                f'<text x="{middle}" y="{height - 8}" text-anchor="middle" fill="#59636e">'
                f"{year}</text>"
            )
    parts.append(lane_label("Terms", 0))
    for index, (label, _, _) in enumerate(LANES, start=1):
        parts.append(lane_label(label, index))
    return parts


def lane_top(index: int) -> int:
    return 24 + index * LANE


def lane_label(label: str, index: int) -> str:
    y = lane_top(index) + LANE / 2 + 4
    return f'<text x="{LEFT - 8}" y="{y}" text-anchor="end" fill="#1f2328">{escape(label)}</text>'


def term_bands(holders: Sequence[dict[str, Any]], axis: Axis, today: str) -> list[str]:
    parts = []
    for index, holder in enumerate(holders):
        start = parse(views.term_first(holder)).earliest()
        end = parse(holder["end"]).latest() if holder.get("end") else dt.date.fromisoformat(today)
        x1, x2 = axis.x(year_fraction(start)), axis.x(year_fraction(end))
        colour = TERM_COLOURS[index % len(TERM_COLOURS)]
        tip = escape(views.holder_heading(holder))
        parts.append(
            f'<g><title>{tip}</title><rect x="{x1}" y="{lane_top(0) + 6}" '
            f'width="{max(x2 - x1, 2)}" '
            f'height="{LANE - 12}" rx="4" fill="{colour}" fill-opacity="0.28" stroke="{colour}"/>'
            f'<text x="{x1 + 5}" y="{lane_top(0) + LANE / 2 + 4}" fill="#1f2328">'
            f"{escape(short_name(holder, x2 - x1))}</text></g>"
        )
    return parts


def short_name(holder: dict[str, Any], room: float) -> str:
    """The holder's family name, or nothing when the band is too narrow to hold it."""
    name = str(holder["name"]).split()[-1]
    return name if len(name) * 7.5 + 8 <= room else ""


def lane_markers(
    events: Sequence[dict[str, Any]], reports: dict[str, dict[str, Any]], axis: Axis
) -> list[str]:
    """One marker per event; markers that would overlap in a lane are stacked downwards."""
    parts = []
    placed: dict[str, list[float]] = {}
    lanes = {key: (index, colour) for index, (_, key, colour) in enumerate(LANES, start=1)}
    for event in events:
        lane = lane_of(event, reports)
        if lane is None:
            continue
        index, colour = lanes[lane]
        x = axis.x(midpoint(parse(event["date"])))
        level = sum(1 for other in placed.setdefault(lane, []) if abs(other - x) < 9) % 4
        placed[lane].append(x)
        report = reports.get(event["key"], {}) if event["kind"] == "report" else {}
        y = lane_top(index) + LANE / 2 - 6 + level * 8
        parts.append(marker(event, x, y, colour, report))
    return parts


def marker(event: dict[str, Any], x: float, y: float, colour: str, report: dict[str, Any]) -> str:
    faded = ' fill-opacity="0.45"' if event["precision"] != "day" else ""
    tip = f"<title>{escape(event['date'])}: {escape(event['label'])}</title>"
    kind = event["kind"]
    if kind == "visit":
        shape = f'<circle cx="{x}" cy="{y}" r="4.5" fill="{colour}"{faded}/>'
    elif kind == "report":
        fill = colour if report.get("kind") in ADDRESSING_KINDS else "#ffffff"
        shape = (
            f'<rect x="{x - 4}" y="{y - 4}" width="8" height="8" fill="{fill}"{faded} '
            f'stroke="{colour}" stroke-width="1.5"/>'
        )
    else:
        size = 6 if kind == "establishment" else 5
        points = f"{x},{y - size} {x + size},{y} {x},{y + size} {x - size},{y}"
        shape = f'<polygon points="{points}" fill="{colour}"{faded}/>'
    return f'<g class="event {escape(kind)}">{tip}{shape}</g>'

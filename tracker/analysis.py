"""Coverage, gaps and timeline of a mandate's work, as plain data from the store.

Nothing here prints; every function returns dicts and lists that the renderers
(tracker/render_analysis.py, tracker/report_doc.py) and the JSON output share.

The rules, also described in docs/analysis.md:

- A theme is *addressed* when a thematic report lists it. Reports of kind
  `declaration` count as thematic: each is a substantive report devoted to its
  subject (the draft declaration). Reports of kind `annual`, `overview` and
  `visit` do not: a theme they list, or that a completed visit focused on, is
  only *touched*. A theme that nothing lists is a *gap*.
- A report belongs to the holder who wrote it (its `author`, which defaults to the
  holder who presented it); a visit to the holder who made it; never to whoever held
  office on its date.
- A priority a holder announced (a theme's `set_by`) is judged within that holder's term
  first: its status is that of the holder's own work, and the reports of earlier and later
  holders that addressed it are named apart ("not addressed in the term; addressed before
  by A/HRC/15/32 (2010)").
- Every list rests on what the data records, which may be incomplete: views say "none
  recorded", never "none".
- Dates keep their precision: a period filter keeps whatever may overlap it, so
  `--until 2019` keeps a report dated only "2019".
- Coverage, gaps and the report are about one mandate: the one named, else the only
  one in the store (several and none named is an error). The timeline shows every
  mandate's events when several exist and none is named.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tracker.clock import term_granted
from tracker.constants import DATED_VISIT_STATUSES, EVENT_KINDS, OPEN_VISIT_STATUSES
from tracker.dates import PartialDate, Period, date_of, year_of
from tracker.kinds import report_date
from tracker.links import document_url
from tracker.paths import today
from tracker.queries import (
    ADDRESSING_KINDS,
    REPORT_ORDER,
    STATUSES,
    NotFound,
    chosen_mandate,
    country_names,
    holder_id,
    required_mandate,
    theme_status,
    visit_follow_up,
    visits,
)


def _mandate_filter(mandate: str | None, column: str) -> tuple[str, list[Any]]:
    return (f" and {column} = ?", [mandate]) if mandate else ("", [])


def one_mandate(conn: sqlite3.Connection, mandate: str | None) -> str | None:
    """The mandate a one-mandate view is about (see queries.required_mandate).

    A store without any mandate gives None (an empty view): there is nothing to choose."""
    if mandate is None and not conn.execute("select 1 from mandate").fetchone():
        return None
    return required_mandate(conn, mandate)


def check_holder(conn: sqlite3.Connection, holder: str | None, mandate: str | None) -> str | None:
    """The holder --holder names (by id or surname, see queries.holder_id); an unknown one,
    or one of another mandate than --mandate, is an error."""
    if not holder:
        return None
    holder = holder_id(conn, holder)
    row = conn.execute("select mandate from holder where id = ?", (holder,)).fetchone()
    if mandate and row[0] != mandate:
        raise NotFound(f"holder '{holder}' belongs to mandate '{row[0]}', not '{mandate}'")
    return holder


# --- holders ---------------------------------------------------------------


def terms(conn: sqlite3.Connection, mandate: str | None = None) -> list[dict[str, Any]]:
    """The holders in term order, with their term dates as written."""
    clause, args = _mandate_filter(mandate, "mandate")
    rows = conn.execute(
        f'select id, name, appointed, start, "end", term_order from holder where 1 = 1{clause} '
        "order by term_order",
        args,
    )
    return [dict(row) for row in rows]


def term_span(holder: dict[str, Any]) -> tuple[PartialDate | None, PartialDate]:
    """A term's first and last dates; a holder still in office holds it until today.

    While the day the holder took up the mandate is not known, the term is taken to begin
    with the appointment: it cannot begin before it."""
    end = date_of(holder["end"])
    if end is None:
        now = today()
        end = PartialDate(now.year, now.month, now.day)
    return term_start(holder), end


def term_start(holder: dict[str, Any]) -> PartialDate | None:
    """The day a term began, else (not known) the appointment."""
    return date_of(holder["start"]) or date_of(holder.get("appointed"))


def holder_on(when: PartialDate, holders: Sequence[dict[str, Any]]) -> str | None:
    """The holder in office on a date (its first possible day), if any."""
    day = when.earliest()
    for holder in holders:
        start, end = term_span(holder)
        if start and start.earliest() <= day <= end.latest():
            return str(holder["id"])
    return None


# --- coverage --------------------------------------------------------------


def coverage(
    conn: sqlite3.Connection,
    holder: str | None = None,
    period: Period | None = None,
    mandate: str | None = None,
) -> dict[str, Any]:
    """The coverage matrix: `holders` (the columns) and `themes` (one row per theme)."""
    period = period or Period()
    mandate = one_mandate(conn, mandate)
    holder = check_holder(conn, holder, mandate)
    columns = [
        h
        for h in terms(conn, mandate)
        if (not holder or h["id"] == holder) and period.holds(*term_span(h))
    ]
    reports = _reports_by_theme(conn, holder, period, mandate)
    visits = _visits_by_theme(conn, holder, period, mandate)
    others = _others_by_theme(conn, holder, period, mandate)
    order = {h["id"]: h["term_order"] for h in terms(conn, mandate)}
    rows = []
    for theme in _themes(conn, mandate):
        row = _coverage_row(
            theme,
            reports.get(theme["id"], []),
            visits.get(theme["id"], []),
            others.get(theme["id"], {}),
        )
        # With --holder, the status judges that holder's work only (as before); otherwise a
        # priority is judged within the term of the holder who announced it.
        if row["set_by"] and (not holder or holder == row["set_by"]):
            row["in_term"] = in_term(row, order)
            row["status"] = row["in_term"]["status"]
        rows.append(row)
    return {"holders": columns, "themes": rows}


def _coverage_row(
    theme: sqlite3.Row,
    reports: list[dict[str, Any]],
    visits: list[dict[str, Any]],
    others: dict[str, list[dict[str, Any]]],
) -> dict[str, Any]:
    engagements, communications = others.get("engagements", []), others.get("communications", [])
    status = theme_status(reports, visits, [*engagements, *communications])
    return {
        "theme": theme["id"],
        "title": theme["title"],
        "status": status,
        # The status over every holder's work; `status` differs from it only for a priority,
        # judged within its holder's term (`in_term`, null for a theme nobody announced).
        "status_overall": status,
        "set_by": theme["set_by"],
        "in_term": None,
        "reports": reports,
        "visits": visits,
        "engagements": engagements,
        "communications": communications,
    }


def in_term(row: Mapping[str, Any], order: Mapping[str, int]) -> dict[str, Any]:
    """A priority judged within the term of the holder who announced it: the status of that
    holder's own work, and the thematic reports of earlier and later holders that addressed
    it. A report counts for the term of the holder who wrote it."""
    holder = row["set_by"]
    own_reports = [r for r in row["reports"] if r["holder"] == holder]
    own_visits = [v for v in row["visits"] if v["holder"] == holder]
    own_others = [
        e
        for e in (*row.get("engagements", []), *row.get("communications", []))
        if e["holder"] == holder
    ]
    status = theme_status(own_reports, own_visits, own_others)
    others = [r for r in row["reports"] if r["holder"] != holder and r["kind"] in ADDRESSING_KINDS]
    place = order.get(holder, 0)
    before = [r for r in others if order.get(r["holder"], 0) < place]
    after = [r for r in others if order.get(r["holder"], 0) > place]
    return {
        "holder": holder,
        "status": status,
        "addressed_before": before,
        "addressed_after": after,
        "verdict": verdict(status, before, after),
    }


def verdict(status: str, before: Sequence[dict[str, Any]], after: Sequence[dict[str, Any]]) -> str:
    """How a priority fared in its holder's term, in words: "not addressed in the term;
    addressed before by A/HRC/15/32 (2010)"."""
    text = {
        "addressed": "addressed in the term",
        "touched": "only touched in the term",
        "gap": "not addressed in the term",
    }[status]
    if status == "addressed":
        return text

    def listed(reports: Sequence[dict[str, Any]]) -> str:
        return ", ".join(f"{r['symbol']} ({r['year'] or 'n.d.'})" for r in reports)

    if before:
        text += f"; addressed before by {listed(before)}"
    if after:
        text += f"; addressed after by {listed(after)}"
    return text


def _others_by_theme(
    conn: sqlite3.Connection, holder: str | None, period: Period, mandate: str | None
) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Engagements and communications that list each theme: they only ever touch it."""
    from tracker import record_queries  # only the views that show them

    grouped: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for row in record_queries.engagements(conn, holder=holder, mandate=mandate):
        if period.holds(date_of(row["date"]), date_of(row["end"])):
            entry = {
                "id": row["id"],
                "holder": row["holder"],
                "forum": row["forum"],
                "year": year_of(row["date"]),
            }
            for theme in row["themes"]:
                grouped.setdefault(theme, {}).setdefault("engagements", []).append(entry)
    for row in record_queries.communications(conn, holder=holder, mandate=mandate):
        if period.holds(date_of(row["date"])):
            entry = {"ref": row["ref"], "holder": row["holder"], "year": year_of(row["date"])}
            for theme in row["themes"]:
                grouped.setdefault(theme, {}).setdefault("communications", []).append(entry)
    return grouped


def _themes(conn: sqlite3.Connection, mandate: str | None) -> list[sqlite3.Row]:
    clause, args = _mandate_filter(mandate, "mandate")
    return list(conn.execute(f"select * from theme where 1 = 1{clause} order by position", args))


def _reports_by_theme(
    conn: sqlite3.Connection, holder: str | None, period: Period, mandate: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    clause, args = _mandate_filter(mandate, "h.mandate")
    rows = conn.execute(
        "select rt.theme, r.* from report_theme rt join report r on r.key = rt.report "
        "join holder h on h.id = r.author "
        f"where (? is null or r.author = ?){clause} order by {REPORT_ORDER}",
        [holder, holder, *args],
    )
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        when = report_date(row)
        if period.holds(when):
            # Coverage credits the holder who wrote the report (see docs/analysis.md).
            entry = {
                "symbol": row["key"],
                "holder": row["author"],
                "presented_by": row["holder"],
                "year": when.year if when else None,
                "kind": row["kind"],
                "url": document_url(row["symbol"]),
            }
            grouped.setdefault(row["theme"], []).append(entry)
    return grouped


def _visits_by_theme(
    conn: sqlite3.Connection, holder: str | None, period: Period, mandate: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Completed visits that focused on each theme (a planned visit has covered nothing yet)."""
    clause, args = _mandate_filter(mandate, "h.mandate")
    rows = conn.execute(
        "select vt.theme, v.*, c.name as country_name from visit_theme vt "
        "join visit v on v.id = vt.visit join holder h on h.id = v.holder "
        "left join country c on c.iso3 = v.country "
        f"where v.status = 'completed' and (? is null or v.holder = ?){clause} "
        "order by v.start, v.id",
        [holder, holder, *args],
    )
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if period.holds(date_of(row["start"]), date_of(row["end"])):
            entry = {
                "id": row["id"],
                "country": row["country"],
                "country_name": row["country_name"] or row["country"],
                "holder": row["holder"],
                "year": year_of(row["start"]),
            }
            grouped.setdefault(row["theme"], []).append(entry)
    return grouped


# --- gaps ------------------------------------------------------------------


def gaps(conn: sqlite3.Connection, mandate: str | None = None) -> dict[str, Any]:
    """The undone work, one key per section."""
    from tracker import record_queries  # only the views that show them

    mandate = one_mandate(conn, mandate)
    rows = coverage(conn, mandate=mandate)["themes"]
    return {
        # Every list holds what the data records: an empty one means none is recorded.
        "recorded_only": True,
        "mandate_term": mandate_term(conn, mandate),
        "themes": {status: [r for r in rows if r["status"] == status] for status in STATUSES[1:]},
        "priorities": unaddressed_priorities(conn, rows, mandate),
        "open_requests": open_requests(conn, mandate),
        "regional_balance": regional_balance(conn, mandate),
        "holders_without_visits": holders_without_visits(conn, mandate),
        # The wider record: standing invitations, letters, engagements.
        **record_queries.record_gaps_view(conn, mandate),
    }


def mandate_term(conn: sqlite3.Connection, mandate: str | None) -> dict[str, Any] | None:
    """The term the mandate's latest recorded renewal (or its establishment) granted, and
    whether it has ended with no later renewal recorded (see term_granted)."""
    clause, args = _mandate_filter(mandate, "mandate")
    rows = conn.execute(
        "select symbol, adopted, action, term_years from resolution "
        f"where action in ('establishment', 'renewal'){clause}",
        args,
    )
    return term_granted([dict(row) for row in rows], today())


def unaddressed_priorities(
    conn: sqlite3.Connection, rows: Sequence[dict[str, Any]], mandate: str | None = None
) -> list[dict[str, Any]]:
    """Themes a holder announced (set_by) that no thematic report the holder wrote addressed,
    judged within the holder's term (see in_term)."""
    order = {h["id"]: h["term_order"] for h in terms(conn, mandate)}
    set_in = {row["id"]: row["set_in"] for row in _themes(conn, mandate)}
    found = []
    for row in rows:
        holder = row["set_by"]
        judged = row.get("in_term") or (in_term(row, order) if holder else None)
        if not holder or judged is None or judged["status"] == "addressed":
            continue
        found.append(
            {
                "holder": holder,
                "theme": row["theme"],
                "title": row["title"],
                "set_in": set_in.get(row["theme"]),
                "status": judged["status"],
                "verdict": judged["verdict"],
                "addressed_by": judged["addressed_before"] + judged["addressed_after"],
                "addressed_before": judged["addressed_before"],
                "addressed_after": judged["addressed_after"],
                "set_in_url": document_url(set_in.get(row["theme"])),
            }
        )
    return sorted(found, key=lambda p: order.get(p["holder"], 0))


def open_requests(conn: sqlite3.Connection, mandate: str | None = None) -> list[dict[str, Any]]:
    """Visits not yet made nor refused, oldest request first, with their age in days."""
    clause, args = _mandate_filter(mandate, "h.mandate")
    marks = ", ".join("?" for _ in OPEN_VISIT_STATUSES)
    rows = conn.execute(
        'select v.id, v.holder, v.country, c.name as country_name, v.status, v.start, v."end", '
        "(select date from visit_history where visit = v.id order by seq limit 1) as requested, "
        "(select date from visit_history where visit = v.id order by seq desc limit 1) "
        "as last_update "
        "from visit v join holder h on h.id = v.holder left join country c on c.iso3 = v.country "
        f"where v.status in ({marks}){clause}",
        [*OPEN_VISIT_STATUSES, *args],
    )
    found = [_open_request(dict(row), today()) for row in rows]
    return sorted(found, key=lambda r: (r["age_days"] is None, -(r["age_days"] or 0), r["id"]))


def _open_request(row: dict[str, Any], now: dt.date) -> dict[str, Any]:
    requested = date_of(row["requested"])
    last_day = date_of(row["end"]) or date_of(row["start"])
    return {
        **row,
        "age_days": (now - requested.earliest()).days if requested else None,
        # The same rule as `tracker check`: agreed dates that have passed without an update.
        "stale": row["status"] in DATED_VISIT_STATUSES
        and last_day is not None
        and last_day.latest() < now,
    }


def regional_balance(conn: sqlite3.Connection, mandate: str | None = None) -> dict[str, Any]:
    """Completed visits per UN regional group against the group's share of member States."""
    clause, args = _mandate_filter(mandate, "h.mandate")
    visited = (
        "select v.id, v.country from visit v join holder h on h.id = v.holder "
        f"where v.status = 'completed'{clause}"
    )
    rows = [
        dict(row)
        for row in conn.execute(
            "select g.id as region, g.name, g.members, count(v.id) as visits, "
            "group_concat(distinct v.country) as countries "
            f"from region g left join country c on c.region = g.id "
            f"left join ({visited}) v on v.country = c.iso3 group by g.id order by g.position",
            args,
        )
    ]
    outside = conn.execute(
        f"select v.country from ({visited}) v left join country c on c.iso3 = v.country "
        "where c.region is null order by v.country",
        args,
    )
    return _balance(rows, [row[0] for row in outside], country_names(conn))


def _balance(
    rows: list[dict[str, Any]], outside: list[str], names: dict[str, str] | None = None
) -> dict[str, Any]:
    from tracker.countries import REGION_SOURCE  # (countries is heavy: only gaps needs it)

    names = names or {}
    members = sum(row["members"] for row in rows) or 1
    visits = sum(row["visits"] for row in rows) + len(outside)
    groups = [
        {
            **row,
            "countries": sorted((row["countries"] or "").split(",")) if row["countries"] else [],
            "country_names": sorted(
                f"{names.get(c, c)} ({c})" for c in (row["countries"] or "").split(",") if c
            ),
            "member_percent": round(100 * row["members"] / members, 1),
            "visit_percent": round(100 * row["visits"] / visits, 1) if visits else 0.0,
            "expected_visits": round(visits * row["members"] / members, 1),
        }
        for row in rows
    ]
    return {
        "completed_visits": visits,
        "member_states": members,
        "groups": groups,
        "never_visited": [
            {"region": g["region"], "name": g["name"]} for g in groups if not g["visits"]
        ],
        "outside_groups": outside,
        "source": REGION_SOURCE,
    }


def holders_without_visits(
    conn: sqlite3.Connection, mandate: str | None = None
) -> list[dict[str, Any]]:
    """Holders with no completed visit, and how many visits of theirs are still open."""
    clause, args = _mandate_filter(mandate, "h.mandate")
    marks = ", ".join("?" for _ in OPEN_VISIT_STATUSES)
    rows = conn.execute(
        'select h.id as holder, h.name, h.appointed, h.start, h."end", '
        f"(select count(*) from visit v where v.holder = h.id and v.status in ({marks})) "
        "as open_requests "
        "from holder h where not exists "
        "(select 1 from visit v where v.holder = h.id and v.status = 'completed')"
        f"{clause} order by h.term_order",
        [*OPEN_VISIT_STATUSES, *args],
    )
    return [dict(row) for row in rows]


# --- timeline --------------------------------------------------------------


def timeline(
    conn: sqlite3.Connection,
    holder: str | None = None,
    period: Period | None = None,
    kinds: Iterable[str] | None = None,
    mandate: str | None = None,
) -> list[dict[str, Any]]:
    """Every dated event in date order: {date, precision, kind, holder, key, label, url}.

    Without a mandate named, a store with several mandates shows all of them."""
    period = period or Period()
    mandate = chosen_mandate(conn, mandate)
    holder = check_holder(conn, holder, mandate)
    holders = terms(conn, mandate)
    events = [
        *_resolution_events(conn, mandate),
        *_term_events(holders),
        *_visit_events(conn, mandate),
        *_report_events(conn, mandate),
        *_engagement_events(conn, mandate),
        *_communication_events(conn, mandate),
    ]
    wanted = set(kinds or EVENT_KINDS)
    kept = [
        e
        for e in events
        if e["kind"] in wanted and (not holder or e["holder"] == holder) and period.holds(e["when"])
    ]
    kept.sort(key=lambda e: (e["when"].earliest(), EVENT_KINDS.index(e["kind"]), e["key"]))
    return [_public(event) for event in kept]


def _event(
    when: PartialDate, kind: str, holder: str | None, key: str, label: str, url: str | None = None
) -> dict[str, Any]:
    """An event; `url` links the UN document of a resolution or report (None for the others)."""
    return {"when": when, "kind": kind, "holder": holder, "key": key, "label": label, "url": url}


def _public(event: dict[str, Any]) -> dict[str, Any]:
    when = event.pop("when")
    return {"date": str(when), "precision": when.precision, **event}


def _resolution_events(conn: sqlite3.Connection, mandate: str | None) -> list[dict[str, Any]]:
    """Resolutions, each in the term of its own mandate's holder in office on its date."""
    clause, args = _mandate_filter(mandate, "mandate")
    several = mandate is None and conn.execute("select count(*) from mandate").fetchone()[0] > 1
    holders: dict[str, list[dict[str, Any]]] = {}
    events = []
    for row in conn.execute(f"select * from resolution where 1 = 1{clause}", args):
        when = date_of(row["adopted"])
        if when:
            kind = row["action"] if row["action"] in EVENT_KINDS else "resolution"
            own = holders.setdefault(row["mandate"], terms(conn, row["mandate"]))
            label = resolution_label(row, name_mandate=several)
            url = document_url(row["symbol"])
            events.append(_event(when, kind, holder_on(when, own), row["symbol"], label, url))
    return events + _establishment_events(conn, mandate, several, events)


def _establishment_events(
    conn: sqlite3.Connection, mandate: str | None, several: bool, known: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """A mandate's establishment from its own record, where no establishing resolution is
    recorded (a mandate just created with `tracker init`, say)."""
    clause, args = _mandate_filter(mandate, "id")
    recorded = {e["key"] for e in known if e["kind"] == "establishment"}
    events = []
    for row in conn.execute(f"select * from mandate where 1 = 1{clause}", args):
        when = date_of(row["established"])
        if when is None or row["established_by"] in recorded:
            continue
        subject = f"Mandate {row['id']}" if several else "Mandate"
        label = f"{subject} established by {row['established_by']}"
        url = document_url(row["established_by"])
        events.append(_event(when, "establishment", None, row["established_by"], label, url))
    return events


def resolution_label(row: sqlite3.Row, name_mandate: bool = False) -> str:
    """What a resolution did; the mandate is named when the timeline shows several."""
    subject = f"Mandate {row['mandate']}" if name_mandate else "Mandate"
    verb = {"establishment": f"{subject} established by", "renewal": f"{subject} renewed by"}
    # A Council decision (A/HRC/DEC/...) is filed with the resolutions but is not one.
    what = "decision" if "/DEC/" in row["symbol"] else "resolution"
    if row["action"] in verb:
        text = f"{verb[row['action']]} {row['body']} {what} {row['symbol']}"
    else:
        text = f"{row['body']} {what} {row['symbol']} (not a renewal)"
    if row["term_years"]:
        text += f" for {row['term_years']} years"
    return f"{text}; {vote_text(row)}"


def vote_text(row: sqlite3.Row) -> str:
    if not row["vote_recorded"]:
        return "vote not recorded"
    counts = (row["yes_count"] or 0, row["no_count"] or 0, row["abstain_count"] or 0)
    return "recorded vote: {} in favour, {} against, {} abstaining".format(*counts)


def _term_events(holders: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    events = []
    for holder in holders:
        start, end = date_of(holder["start"]), date_of(holder["end"])
        appointed = date_of(holder.get("appointed"))
        if start:
            label = f"{holder['name']} takes up the mandate"
            events.append(_event(start, "term-start", holder["id"], holder["id"], label))
        elif appointed:
            label = f"{holder['name']} appointed (the day of taking up the mandate is not recorded)"
            events.append(_event(appointed, "term-start", holder["id"], holder["id"], label))
        if end:
            label = f"{holder['name']}'s term ends"
            events.append(_event(end, "term-end", holder["id"], holder["id"], label))
    return events


def _visit_events(conn: sqlite3.Connection, mandate: str | None) -> list[dict[str, Any]]:
    """Visits by their start, else (a request without dates) by their first recorded change."""
    clause, args = _mandate_filter(mandate, "h.mandate")
    rows = conn.execute(
        'select v.id, v.holder, v.status, v.start, v."end", c.name as country_name, '
        "(select date from visit_history where visit = v.id order by seq limit 1) as first_entry "
        "from visit v join holder h on h.id = v.holder left join country c on c.iso3 = v.country "
        f"where 1 = 1{clause}",
        args,
    )
    events = []
    for row in rows:
        when = date_of(row["start"]) or date_of(row["first_entry"])
        if when:
            events.append(_event(when, "visit", row["holder"], row["id"], visit_label(row)))
    return events


def visit_label(row: sqlite3.Row) -> str:
    label = f"Visit to {row['country_name']} ({row['status']}"
    if not row["start"]:
        return label + ", no dates yet)"
    return label + f", {row['start']}" + (f" to {row['end']})" if row["end"] else ")")


def _report_events(conn: sqlite3.Connection, mandate: str | None) -> list[dict[str, Any]]:
    clause, args = _mandate_filter(mandate, "h.mandate")
    rows = conn.execute(
        f"select r.* from report r join holder h on h.id = r.holder where 1 = 1{clause}", args
    )
    events = []
    for row in rows:
        when = report_date(row)
        if when:
            url = document_url(row["symbol"])
            events.append(_event(when, "report", row["holder"], row["key"], report_label(row), url))
    return events


def _engagement_events(conn: sqlite3.Connection, mandate: str | None) -> list[dict[str, Any]]:
    from tracker import record_queries  # only the views that show them

    events = []
    for row in record_queries.engagements(conn, mandate=mandate):
        when = date_of(row["date"])
        if when:
            label = f"{row['forum']} ({row['kind']}): {row['title']}"
            url = document_url(row["report"])
            events.append(_event(when, "engagement", row["holder"], row["id"], label, url))
    return events


def _communication_events(conn: sqlite3.Connection, mandate: str | None) -> list[dict[str, Any]]:
    from tracker import record_queries  # only the views that show them

    events = []
    for row in record_queries.communications(conn, mandate=mandate):
        when = date_of(row["date"])
        if when:
            to = f" to {row['country_name']}" if row["country"] else ""
            replies = f"{len(row['replies'])} reply" if row["replies"] else "no reply recorded"
            label = f"Communication {row['ref']} ({row['type']}){to}: {row['summary'] or ''}"
            label = f"{label.rstrip(': ')}; {replies}"
            events.append(_event(when, "communication", row["holder"], row["ref"], label))
    return events


def report_label(row: sqlite3.Row) -> str:
    where = f"{row['body']} {row['session']}" if row["session"] else row["body"]
    return f"{where} {row['kind']} report {row['key']}: {row['title']}"


# --- the shareable report ----------------------------------------------------


def report_data(conn: sqlite3.Connection, mandate: str | None = None) -> dict[str, Any]:
    """Everything the coverage report shows: the mandate, coverage, gaps and timeline."""
    from tracker import record_queries  # only the views that show them

    mandate = one_mandate(conn, mandate)
    clause, args = _mandate_filter(mandate, "id")
    mandates = [
        dict(row)
        for row in conn.execute(
            f"select id, title, established, established_by from mandate where 1 = 1{clause} "
            "order by established",
            args,
        )
    ]
    return {
        "mandates": mandates,
        "today": today().isoformat(),
        "coverage": coverage(conn, mandate=mandate),
        "gaps": gaps(conn, mandate),
        "timeline": timeline(conn, mandate=mandate),
        "delivery": record_queries.delivery_view(conn, mandate),
        "engagements": record_queries.engagements(conn, mandate=mandate),
        "communications": record_queries.communications(conn, mandate=mandate),
        "calendar": record_queries.calendar_events(conn, mandate),
        "votes": record_queries.votes_view(conn, mandate),
        "follow_up": visit_follow_up(conn, mandate),
        "holders": terms(conn, mandate),
        # Every visit and request, for the visits section (a chart, then a table per holder).
        "visits": visits(conn, mandate=mandate),
        # The timeline's report events, by key: what the drawing needs beyond the event.
        "reports": {
            row["key"]: {"body": row["body"], "kind": row["kind"]}
            for row in conn.execute("select key, body, kind from report")
        },
    }

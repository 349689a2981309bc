"""Read queries over the store. Each returns plain data (dicts keyed by the TOML
field names), never prints, and always binds user values as SQL parameters."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from tracker.constants import OPEN_VISIT_STATUSES
from tracker.kinds import BUILT_IN, KINDS, Kind, mandate_path, references_to, report_year_sql
from tracker.links import document_url
from tracker.problems import TrackerError, listed

HOLDER_FIELDS = KINDS["holder"].field_names
THEME_FIELDS = KINDS["theme"].field_names


# One definition of a theme's status, used by `show THEME`, coverage, gaps and the report
# (see tracker/analysis.py's docstring and docs/analysis.md): a theme is *addressed* when a
# report of one of these kinds lists it, *touched* when only other reports or completed
# visits list it, and a *gap* when nothing does.
ADDRESSING_KINDS = ("thematic", "declaration")
STATUSES = ("addressed", "touched", "gap")
STATUS_MEANING = {
    "addressed": "a thematic (or draft-declaration) report lists it",
    "touched": "only visits, engagements, communications, or annual, overview or visit "
    "reports list it",
    "gap": "no report or completed visit lists it",
}


def theme_status(
    reports: Sequence[dict[str, Any]],
    visits: Sequence[dict[str, Any]],
    others: Sequence[dict[str, Any]] = (),
) -> str:
    """A theme's status from the reports and the completed visits that list it; engagements
    and communications (others) only ever touch it."""
    if any(report["kind"] in ADDRESSING_KINDS for report in reports):
        return "addressed"
    return "touched" if reports or visits or others else "gap"


class NotFound(TrackerError):
    """A key that names no record."""


def _pick(row: sqlite3.Row, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: row[name] for name in names}


def _mandate_clause(mandate: str | None, column: str, where: list[str], args: list[Any]) -> None:
    if mandate:
        where.append(f"{column} = ?")
        args.append(mandate)


def chosen_mandate(conn: sqlite3.Connection, mandate: str | None) -> str | None:
    """The mandate a command is about: the one named (which must exist), else the only
    mandate in the store, else None (every mandate). Commands that need exactly one
    mandate use required_mandate instead."""
    known = [row[0] for row in conn.execute("select id from mandate order by rowid")]
    if mandate:
        if mandate in known:
            return mandate
        from tracker import resolve

        try:
            return resolve.resolve("mandate", mandate, known)
        except resolve.KeyNotFound as error:
            raise NotFound(str(error)) from None
    return known[0] if len(known) == 1 else None


def required_mandate(conn: sqlite3.Connection, mandate: str | None) -> str:
    """The one mandate a command needs: the one named, else the only one in the store."""
    chosen = chosen_mandate(conn, mandate)
    if chosen is None:
        known = [row[0] for row in conn.execute("select id from mandate order by rowid")]
        if not known:
            raise TrackerError("the data holds no mandate yet (add a [[mandate]] to mandate.toml)")
        raise TrackerError(
            f"the data holds several mandates: choose one with --mandate ({listed(known, 12)})"
        )
    return chosen


def _where(where: list[str]) -> str:
    return (" where " + " and ".join(where)) if where else ""


# --- lookups ---------------------------------------------------------------


def resolve_country(conn: sqlite3.Connection, text: str) -> str:
    """A country name, alpha-3 or alpha-2 code as its alpha-3 code (see countries.resolve)."""
    from tracker import countries  # only filters and `show` need it

    def lookup(folded: str) -> list[str]:
        rows = conn.execute("select iso3 from country_name where name = ?", (folded,))
        return [r[0] for r in rows]

    def all_names() -> dict[str, str]:
        return {r[0]: r[1] for r in conn.execute("select name, iso3 from country_name")}

    return countries.resolve(text, lookup, all_names, lambda code: country_name(conn, code))


def country_name(conn: sqlite3.Connection, code: str | None) -> str:
    if not code:
        return ""
    row = conn.execute("select name from country where iso3 = ?", (code,)).fetchone()
    return row[0] if row else code


def country_names(conn: sqlite3.Connection) -> dict[str, str]:
    """Every country's name by its alpha-3 code (a few hundred rows)."""
    return {row[0]: row[1] for row in conn.execute("select iso3, name from country")}


def with_country_names(
    conn: sqlite3.Connection, records: list[dict[str, Any]], fields: Sequence[str]
) -> list[dict[str, Any]]:
    """Records with each country code field (country, nationality) followed by the
    country's name, `<field>_name` (the code itself when the name is unknown): tables show
    the name, JSON and CSV both."""
    codes = {r[f] for r in records for f in fields if r.get(f)}
    if not codes:
        names: dict[str, str] = {}
    else:
        sql = f"select iso3, name from country where iso3 in {_KEYS}"
        names = dict(conn.execute(sql, (json.dumps(sorted(codes)),)).fetchall())
    named = []
    for record in records:
        copy: dict[str, Any] = {}
        for key, value in record.items():
            copy[key] = value
            if key in fields:
                copy[f"{key}_name"] = names.get(value, value) if value else None
        named.append(copy)
    return named


def holder_id(conn: sqlite3.Connection, text: str) -> str:
    """The holder a person means: by id or by name (surname), any case (see tracker.resolve)."""
    if conn.execute("select 1 from holder where id = ?", (text,)).fetchone():
        return text
    from tracker import resolve

    rows = [dict(r) for r in conn.execute("select id, name from holder order by term_order")]
    try:
        return resolve.resolve("holder", text, [r["id"] for r in rows], resolve.surnames(rows))
    except resolve.KeyNotFound as error:
        raise NotFound(str(error)) from None


def theme_id(conn: sqlite3.Connection, text: str) -> str:
    """The theme a person means: its id, any case (see tracker.resolve)."""
    if conn.execute("select 1 from theme where id = ?", (text,)).fetchone():
        return text
    from tracker import resolve

    known = [r[0] for r in conn.execute("select id from theme order by position")]
    try:
        return resolve.resolve("theme", text, known)
    except resolve.KeyNotFound as error:
        raise NotFound(str(error)) from None


# --- lists -----------------------------------------------------------------


def holders(conn: sqlite3.Connection, mandate: str | None = None) -> list[dict[str, Any]]:
    where: list[str] = []
    args: list[Any] = []
    mandate = chosen_mandate(conn, mandate)
    _mandate_clause(mandate, "mandate", where, args)
    rows = conn.execute(f"select * from holder{_where(where)} order by term_order", args)
    return with_country_names(conn, [_pick(row, HOLDER_FIELDS) for row in rows], ["nationality"])


def themes(
    conn: sqlite3.Connection, mandate: str | None = None, set_by: str | None = None
) -> list[dict[str, Any]]:
    where: list[str] = []
    args: list[Any] = []
    mandate = chosen_mandate(conn, mandate)
    _mandate_clause(mandate, "mandate", where, args)
    if set_by:
        where.append("set_by = ?")
        args.append(set_by)
    rows = conn.execute(f"select * from theme{_where(where)} order by position", args)
    return [_pick(row, THEME_FIELDS) for row in rows]


def resolutions(
    conn: sqlite3.Connection, mandate: str | None = None, symbol: str | None = None
) -> list[dict[str, Any]]:
    where: list[str] = []
    args: list[Any] = []
    mandate = chosen_mandate(conn, mandate)
    _mandate_clause(mandate, "mandate", where, args)
    if symbol:
        where.append("symbol = ?")
        args.append(symbol)
    sql = f"select * from resolution{_where(where)} order by adopted, rowid"
    rows = list(conn.execute(sql, args))
    lists = _vote_lists(conn, symbol)
    result = []
    for row, fields in zip(
        rows, _with_fields(conn, KINDS["resolution"], rows, link=False), strict=True
    ):
        # The fields as declared, the vote (as written in TOML) before the source and note.
        record = {k: v for k, v in fields.items() if k not in ("source", "note")}
        record["vote"] = _vote(row, lists.get(row["symbol"], {}))
        record["source"] = fields["source"]
        record["note"] = fields["note"]
        result.append(record)
    return result


def _vote_lists(
    conn: sqlite3.Connection, symbol: str | None = None
) -> dict[str, dict[str, list[str]]]:
    """How each State voted, by resolution (only `symbol`'s when given)."""
    lists: dict[str, dict[str, list[str]]] = {}
    where, args = (" where resolution = ?", (symbol,)) if symbol else ("", ())
    sql = f"select resolution, vote, country from vote{where} order by country"
    for row in conn.execute(sql, args):
        lists.setdefault(row[0], {}).setdefault(row[1], []).append(row[2])
    return lists


def _vote(row: sqlite3.Row, lists: dict[str, list[str]]) -> dict[str, Any] | None:
    """The vote as written in TOML: lists of codes where known, else tallies."""
    if not row["vote_recorded"]:
        return None
    vote: dict[str, Any] = {}
    for choice in ("yes", "no", "abstain"):
        if choice in lists:
            vote[choice] = lists[choice]
        elif row["vote_lists"]:
            vote[choice] = []
        else:
            vote[choice] = row[f"{choice}_count"] or 0
    return vote


def visits(
    conn: sqlite3.Connection,
    holder: str | None = None,
    country: str | None = None,
    status: str | Sequence[str] | None = None,
    year: int | None = None,
    mandate: str | None = None,
) -> list[dict[str, Any]]:
    where: list[str] = []
    args: list[Any] = []
    if holder:
        holder = holder_id(conn, holder)
        where.append("v.holder = ?")
        args.append(holder)
    if country:
        where.append("v.country = ?")
        args.append(resolve_country(conn, country))
    if status:
        wanted = visit_statuses(status)
        where.append(f"v.status in ({', '.join('?' for _ in wanted)})")
        args += wanted
    if year is not None:
        # A visit belongs to every year its dates touch.
        where.append(
            "cast(substr(v.start, 1, 4) as integer) <= ? "
            'and cast(substr(coalesce(v."end", v.start), 1, 4) as integer) >= ?'
        )
        args += [year, year]
    mandate = chosen_mandate(conn, mandate)
    _mandate_clause(mandate, "h.mandate", where, args)
    sql = (
        "select v.* from visit v join holder h on h.id = v.holder"
        f"{_where(where)} order by {VISIT_ORDER}"
    )
    rows = list(conn.execute(sql, args))
    return _with_visit_details(conn, rows)


def visit_statuses(given: str | Sequence[str]) -> list[str]:
    """The statuses a --status filter names (repeated or not); `open` stands for every
    status of a visit not yet made or refused (requested, invited, accepted, scheduled,
    postponed)."""
    names = [given] if isinstance(given, str) else list(given)
    wanted: list[str] = []
    for name in names:
        wanted += OPEN_VISIT_STATUSES if name == "open" else [name]
    return list(dict.fromkeys(wanted))


def _with_visit_details(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    """Visits with every declared field, the country's name next to its code, and the
    link to the report on each."""
    records = _with_fields(conn, KINDS["visit"], rows)
    for record in records:
        record["report_url"] = document_url(record["report"])
    return records


def _grouped(conn: sqlite3.Connection, sql: str, key: str, keys: list[str]) -> dict[str, list[str]]:
    """Rows of a link table for these keys, grouped by their first column, in position order."""
    grouped: dict[str, list[str]] = {}
    if not keys:
        return grouped
    for first, second in conn.execute(
        f"{sql} where {key} in {_KEYS} order by {key}, position", (json.dumps(keys),)
    ):
        grouped.setdefault(first, []).append(second)
    return grouped


# The keys, passed as one JSON array: no limit on their number, and the index on the
# key column is used, so a query reads only the rows it shows.
_KEYS = "(select value from json_each(?))"


def reports(
    conn: sqlite3.Connection,
    holder: str | None = None,
    theme: str | None = None,
    body: str | None = None,
    year: int | None = None,
    mandate: str | None = None,
    author: str | None = None,
) -> list[dict[str, Any]]:
    """Reports in the order presented; `holder` keeps those a holder presented, `author` those
    a holder wrote (the two differ for a report presented by the writer's successor)."""
    where: list[str] = []
    args: list[Any] = []
    for column, value in (("holder", holder), ("author", author)):
        if value:
            value = holder_id(conn, value)  # by id or surname, any case
            where.append(f"r.{column} = ?")
            args.append(value)
    if theme:
        theme = theme_id(conn, theme)
        where.append("r.key in (select report from report_theme where theme = ?)")
        args.append(theme)
    if body:
        where.append("r.body = ?")
        args.append(body)
    if year is not None:
        where.append(f"{report_year_sql('r')} = ?")
        args.append(year)
    mandate = chosen_mandate(conn, mandate)
    _mandate_clause(mandate, "h.mandate", where, args)
    sql = (
        "select r.* from report r join holder h on h.id = r.holder"
        f"{_where(where)} order by {REPORT_ORDER}"
    )
    return _with_report_details(conn, list(conn.execute(sql, args)))


def order_by(kind: str, alias: str) -> str:
    """The ORDER BY terms that list a kind as its declaration orders it (Kind.order; the
    canonical layout sorts the files the same way, kinds.sort_key): each field (the first
    present of "a|b"), records missing it last, then the key; a numbered kind by its
    number; otherwise in file order."""
    spec = KINDS[kind]
    if spec.numbered:
        return f"{alias}.{spec.numbered}"
    if not spec.order:
        return f"{alias}.rowid"
    types = {f.name: f.type for f in spec.fields}
    terms = []
    for name in spec.order:
        names = name.split("|")
        if all(types.get(n) == "int" for n in names):
            terms.append(f"{alias}.{names[0]}")
            continue
        columns = [
            f"cast({alias}.{n} as text)" if types.get(n) == "int" else f'{alias}."{n}"'
            for n in names
        ]
        if len(columns) > 1:  # one or the other: a record has one
            terms.append(f"coalesce({', '.join(columns)})")
        else:
            terms.append(f"coalesce({columns[0]}, '9999')")
    return ", ".join([*terms, f"{alias}.{spec.key_column}"])


# Reports in the order they were presented: by year (or date), then session, then symbol.
REPORT_ORDER = order_by("report", "r")
VISIT_ORDER = order_by("visit", "v")
RECOMMENDATION_ORDER = order_by("recommendation", "t")


def _with_report_details(conn: sqlite3.Connection, rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    """Reports with every declared field (the symbol, or the id while it is not known) and
    the link to the document."""
    return _with_fields(conn, KINDS["report"], rows)


def table_columns(conn: sqlite3.Connection, name: str) -> list[str]:
    """The columns of a table or view of the store (for Datasette's metadata)."""
    return [row[1] for row in conn.execute(f'pragma table_info("{name}")')]


def record_sources(conn: sqlite3.Connection) -> list[tuple[str, str, str | None]]:
    """(kind, key, source) of every record of every declared kind that has a source, kind
    by kind, each in its list order (tracker sources). Not the tables' row order: a write
    or a refresh at the cost of the record puts the record's rows at the end."""
    found = []
    for kind, spec in KINDS.items():
        if spec.field("source") is None:
            continue
        table, key = spec.table, spec.key_column
        sql = f'select t."{key}", t.source from "{table}" t order by ' + order_by(kind, "t")
        for row in conn.execute(sql):
            found.append((kind, row[0], row[1]))
    return found


# --- completion ---------------------------------------------------------------


def labelled(conn: sqlite3.Connection, kind: str) -> list[tuple[str, str]]:
    """Every record of a kind as (key, label), in list order: what shell completion offers
    (the label joins the kind's declared `label` fields; a country shows its name)."""
    spec = KINDS[kind]
    table, key = spec.table, spec.key_column
    parts, joins = [], ""
    for name in spec.label:
        field = spec.field(name)
        if field is not None and field.type == "iso3":
            parts.append(f'coalesce(c.name, t."{name}")')
            joins = f' left join country c on c.iso3 = t."{name}"'
        else:
            parts.append(f't."{name}"')
    label = " || ', ' || ".join(parts) or "''"
    sql = f'select t."{key}", ' + label + f' from "{table}" t' + joins
    sql += " order by " + order_by(kind, "t")
    return [(str(row[0]), str(row[1] or "")) for row in conn.execute(sql)]


def countries_named(conn: sqlite3.Connection, everywhere: bool = False) -> list[tuple[str, str]]:
    """(alpha-3, name) of the countries the data names (every country with everywhere)."""
    if everywhere:
        return [(r[0], r[1]) for r in conn.execute("select iso3, name from country order by iso3")]
    named = []
    for spec in KINDS.values():
        for name in (f.name for f in spec.fields if f.type == "iso3"):
            table = spec.table
            named.append(f'select "{name}" from "{table}"')
    sql = "select iso3, name from country where iso3 in (" + " union ".join(named) + ")"
    return [(r[0], r[1]) for r in conn.execute(sql + " order by iso3")]


# --- any declared kind ------------------------------------------------------


def records(
    conn: sqlite3.Connection,
    kind: str,
    holder: str | None = None,
    country: str | None = None,
    year: int | None = None,
    mandate: str | None = None,
    where_equal: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """A declared kind's records as its declaration lists them, filtered: by the holder
    its holder field names, the country of its country field, the year of its first date
    field, its mandate, and fields equal to values (where_equal)."""
    spec = KINDS[kind]
    table = spec.table
    where: list[str] = []
    args: list[Any] = []
    # Each filter applies to the first field of its sort (a kind without one has no filter).
    column = next((f.name for f in spec.fields if f.refers_to == "holder"), None)
    if holder and column:
        holder = holder_id(conn, holder)
        where.append(f't."{column}" = ?')
        args.append(holder)
    column = next((f.name for f in spec.fields if f.type == "iso3"), None)
    if country and column:
        where.append(f't."{column}" = ?')
        args.append(resolve_country(conn, country))
    column = next((f.name for f in spec.fields if f.type == "date"), None)
    if year is not None and column:
        where.append(f'cast(substr(t."{column}", 1, 4) as integer) = ?')
        args.append(year)
    for name, value in (where_equal or {}).items():
        if value is not None and spec.field(name) is not None:
            where.append(f't."{name}" = ?')
            args.append(value)
    mandate = chosen_mandate(conn, mandate)
    column = _mandate_column(kind)
    if column:
        _mandate_clause(mandate, column, where, args)
    sql = f'select t.* from "{table}" t' + _mandate_join(kind) + _where(where)
    sql += " order by " + order_by(kind, "t")
    return _with_fields(conn, spec, list(conn.execute(sql, args)))


def in_period(kind: str, rows: list[dict[str, Any]], window: Any) -> list[dict[str, Any]]:
    """The records whose dates (the kind's first date field, to its `end` if it has one)
    may overlap the window (a dates.Period), by the one rule of Period.holds: undated
    records only when the window is open."""
    from tracker.dates import date_of

    spec = KINDS[kind]
    first = next((f.name for f in spec.fields if f.type == "date"), None)
    if window.is_open or first is None:
        return rows
    return [row for row in rows if window.holds(date_of(row.get(first)), date_of(row.get("end")))]


def _mandate_join(kind: str) -> str:
    """The join a kind's records need to reach their mandate (through their holder)."""
    path = mandate_path(kind)
    return f' join holder h on h.id = t."{path[0]}"' if len(path) == 2 else ""


def _mandate_column(kind: str) -> str | None:
    path = mandate_path(kind)
    if not path:
        return None
    return "h.mandate" if len(path) == 2 else f't."{path[0]}"'


def _with_fields(
    conn: sqlite3.Connection, spec: Kind, rows: list[sqlite3.Row], link: bool = True
) -> list[dict[str, Any]]:
    """Rows of a kind's table as records: every declared field (of a key given as one
    field or another, the one the record has), lists and sub-records read back from their
    tables, and (link) a `url` for a key that is a UN document symbol."""
    key = spec.key_column
    keys = [row[key] for row in rows]
    linked: dict[str, dict[str, list[Any]]] = {}
    for field in spec.fields:
        if field.type == "slugs" and field.refers_to in KINDS:
            table, column = spec.name, str(field.refers_to)
            sql = f'select "{table}", "{column}" from "{table}_{column}"'
            linked[field.name] = _grouped(conn, sql, table, keys)
        elif field.type == "records":
            linked[field.name] = _sub_records(
                conn, spec, field.name, [f.name for f in field.fields], keys
            )
    symbol = spec.field(spec.key_fields[0])
    either = spec.key_fields if len(spec.key_fields) > 1 else ()
    result = []
    for row in rows:
        record: dict[str, Any] = {}
        given = next((name for name in either if row[name]), either[-1] if either else None)
        for field in spec.fields:
            if field.name in either and field.name != given:
                continue
            if field.name in linked:
                record[field.name] = linked[field.name].get(row[key], [])
            elif field.type in ("list", "dates"):
                record[field.name] = json.loads(row[field.name]) if row[field.name] else []
            elif field.type != "vote":
                record[field.name] = row[field.name]
        if link and symbol is not None and symbol.type == "symbol":
            record["url"] = document_url(row[symbol.name])
        result.append(record)
    return with_country_names(conn, result, spec.country_fields)


def _sub_records(
    conn: sqlite3.Connection, spec: Kind, field: str, names: list[str], keys: list[str]
) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    if not keys:
        return found
    table, key = f"{spec.name}_{field}", spec.name
    rows = conn.execute(
        f'select * from "{table}" where "{key}" in {_KEYS} order by "{key}", seq',
        (json.dumps(keys),),
    )
    for row in rows:
        found.setdefault(row[key], []).append({name: row[name] for name in names})
    return found


def kind_of_key(conn: sqlite3.Connection, key: str) -> str | None:
    """The declared kind (other than the built-in ones) that has a record with this key."""
    for kind, spec in KINDS.items():
        # A kind keyed by a country code (a standing invitation) is shown with the country,
        # which lists it: `show NLD` is the Netherlands.
        key_field = spec.field(spec.key_column)
        if kind in BUILT_IN or (key_field is not None and key_field.type == "iso3"):
            continue
        table, column = spec.table, spec.key_column
        if conn.execute(f'select 1 from "{table}" where "{column}" = ?', (key,)).fetchone():
            return kind
    return None


def show_record(conn: sqlite3.Connection, kind: str, key: str) -> dict[str, Any]:
    """A record of a declared kind, with the records of other kinds that name it."""
    spec = KINDS[kind]
    table, column = spec.table, spec.key_column
    row = conn.execute(f'select * from "{table}" where "{column}" = ?', (key,)).fetchone()
    result: dict[str, Any] = {
        "kind": kind,
        "key": key,
        "record": _with_fields(conn, spec, [row])[0],
    }
    result.update(related(conn, kind, key))
    return result


def related(conn: sqlite3.Connection, kind: str, key: str) -> dict[str, Any]:
    """The records of the other declared kinds that name this record (a holder's
    engagements, say), by their plural: the built-in views list their own."""
    found: dict[str, Any] = {}
    for other, field in references_to(kind):
        if other.name in BUILT_IN:
            continue
        rows = _records_naming(conn, other, field.name, field.type, key)
        if rows:
            found.setdefault(other.plural, []).extend(rows)
    return found


def related_to_country(conn: sqlite3.Connection, code: str) -> dict[str, Any]:
    """The records of the declared kinds (not built in) that are about this country."""
    found: dict[str, Any] = {}
    for other in KINDS.values():
        if other.name in BUILT_IN:
            continue
        for field in other.fields:
            if field.type == "iso3":
                rows = _records_naming(conn, other, field.name, "iso3", code)
                if rows:
                    found.setdefault(other.plural, []).extend(rows)
    return found


def _records_naming(
    conn: sqlite3.Connection, spec: Kind, name: str, type_: str, value: str
) -> list[dict[str, Any]]:
    table = spec.table
    if type_ == "slugs":  # through the link table <kind>_<target>
        field = spec.field(name)
        key, column, name = spec.name, str(field.refers_to if field else ""), spec.key_column
        sql = f'select t.* from "{table}" t where t.rowid in ' + (
            f'(select x.rowid from "{table}" x join "{key}_{column}" l '
            f'on l."{key}" = x."{name}" where l."{column}" = ?)'
        )
    else:
        sql = f'select t.* from "{table}" t where t."{name}" = ?'
    sql += " order by " + order_by(spec.name, "t")
    return _with_fields(conn, spec, list(conn.execute(sql, (value,))))


# --- show ------------------------------------------------------------------


# Per kind `show` looks in: the query for a key as stored, and the one for every key (with
# a holder's name, for surnames).
SHOWN_KINDS = {
    "holder": (
        "select 1 from holder where id = ?",
        "select id, name from holder order by term_order",
    ),
    "theme": ("select 1 from theme where id = ?", "select id from theme order by position"),
    "report": ("select 1 from report where key = ?", "select key from report order by key"),
    "visit": ("select 1 from visit where id = ?", "select id from visit order by id"),
    "resolution": (
        "select 1 from resolution where symbol = ?",
        "select symbol from resolution order by adopted",
    ),
}


def show(conn: sqlite3.Connection, key: str) -> dict[str, Any]:
    """Whatever KEY names: a holder, theme, report, visit, resolution or country."""
    for kind, (exact, _) in SHOWN_KINDS.items():
        if conn.execute(exact, (key,)).fetchone():
            return SHOW[kind](conn, key)
    declared = kind_of_key(conn, key)
    if declared:
        return show_record(conn, declared, key)
    kind, found = shown_key(conn, key)
    return SHOW[kind](conn, found)


def shown_key(conn: sqlite3.Connection, text: str) -> tuple[str, str]:
    """The kind and key of the record `text` names (see tracker.resolve): a key as stored
    first, then any case, a holder's name or a symbol's tail, then a country's name."""
    for kind, (exact, _) in SHOWN_KINDS.items():
        if conn.execute(exact, (text,)).fetchone():
            return kind, text
    from tracker import resolve
    from tracker.countries import CountryError

    known = {
        kind: [dict(r) for r in conn.execute(every)] for kind, (_, every) in SHOWN_KINDS.items()
    }
    keys = {kind: [next(iter(r.values())) for r in rows] for kind, rows in known.items()}
    names = {"holder": resolve.surnames(known["holder"])}
    found = [
        (kind, key) for kind in known for key in resolve.matches(text, keys[kind], names.get(kind))
    ]
    whole = [(kind, key) for kind, key in found if resolve.fold(key) == resolve.fold(text)]
    if len(whole or found) == 1:
        return (whole or found)[0]
    if found:
        options = ", ".join(f"{kind} {key}" for kind, key in found[:8])
        raise NotFound(f"'{text.strip()}' may be any of: {options}; give more of it")
    try:
        return "country", resolve_country(conn, text)
    except CountryError as error:
        if "/" in text:
            symbols = keys["report"] + keys["resolution"]
            near = resolve.closest(text, symbols)
            hint = f" (did you mean {', '.join(near)}?)" if near else ""
            raise NotFound(f"no report or resolution '{text.strip()}'{hint}") from None
        every = [key for kind in keys for key in keys[kind]]
        near = resolve.closest(text, every, names["holder"])
        hint = f"did you mean {', '.join(near)}? " if near else ""
        raise NotFound(
            f"'{text.strip()}' is not a holder, theme, report, visit, resolution or country: "
            f"{hint}{error}"
        ) from None


def show_holder(conn: sqlite3.Connection, holder: str) -> dict[str, Any]:
    row = conn.execute("select * from holder where id = ?", (holder,)).fetchone()
    [record] = with_country_names(conn, [_pick(row, HOLDER_FIELDS)], ["nationality"])
    return {
        "kind": "holder",
        "key": holder,
        "record": record,
        "nationality_name": country_name(conn, record["nationality"]),
        "visits": visits(conn, holder=holder),
        # Written and presented apart: a report one holder wrote and the next presented is
        # listed under the writer's "reports" and the presenter's "presented_for_others".
        "reports": reports(conn, author=holder),
        "presented_for_others": [r for r in reports(conn, holder=holder) if r["author"] != holder],
        "themes_set": themes(conn, set_by=holder),
        **related(conn, "holder", holder),
    }


def show_theme(conn: sqlite3.Connection, theme: str) -> dict[str, Any]:
    row = conn.execute("select * from theme where id = ?", (theme,)).fetchone()
    visit_rows = conn.execute(
        "select v.* from visit v join visit_theme vt on vt.visit = v.id "
        "where vt.theme = ? order by v.start",
        (theme,),
    )
    theme_reports = reports(conn, theme=theme)
    theme_visits = _with_visit_details(conn, list(visit_rows))
    completed = [v for v in theme_visits if v["status"] == "completed"]
    status = theme_status(theme_reports, completed)
    return {
        "kind": "theme",
        "key": theme,
        "status": status,
        "status_meaning": STATUS_MEANING[status],
        "record": _pick(row, THEME_FIELDS),
        "reports": theme_reports,
        "visits": theme_visits,
        **related(conn, "theme", theme),
    }


def show_report(conn: sqlite3.Connection, key: str) -> dict[str, Any]:
    row = conn.execute("select * from report where key = ?", (key,)).fetchone()
    record = _with_report_details(conn, [row])[0]
    visit_rows = conn.execute("select * from visit where report = ? order by start", (key,))
    return {
        "kind": "report",
        "key": key,
        "record": record,
        "visits": _with_visit_details(conn, list(visit_rows)),
        **related(conn, "report", key),
    }


def show_visit(conn: sqlite3.Connection, visit: str) -> dict[str, Any]:
    row = conn.execute("select * from visit where id = ?", (visit,)).fetchone()
    record = _with_visit_details(conn, [row])[0]
    holder = conn.execute("select name from holder where id = ?", (record["holder"],)).fetchone()
    return {
        "kind": "visit",
        "key": visit,
        "record": record,
        "holder_name": holder[0] if holder else record["holder"],
        "country_name": country_name(conn, record["country"]),
    }


def show_resolution(conn: sqlite3.Connection, symbol: str) -> dict[str, Any]:
    from tracker.votes import by_group

    [record] = resolutions(conn, symbol=symbol)
    vote = record.get("vote") or {}
    voters = {c for v in vote.values() if isinstance(v, list) for c in v}
    names = {code: name for code, name in country_names(conn).items() if code in voters}
    requests = _sub_records(conn, KINDS["resolution"], "request", REQUEST_NAMES, [symbol])
    return {
        "kind": "resolution",
        "key": symbol,
        "record": record,
        "country_names": names,
        "requests": requests.get(symbol, []),
        "vote_by_group": by_group(record["vote"], regional_groups(conn)),
    }


REQUEST_NAMES = ["paragraph", "asks", "text", "note"]


def regional_groups(conn: sqlite3.Connection) -> list[tuple[str, str, list[str]]]:
    """The UN regional groups in order: (id, name, member codes)."""
    members: dict[str, list[str]] = {}
    for iso3, region in conn.execute("select iso3, region from country where region is not null"):
        members.setdefault(region, []).append(iso3)
    return [
        (row[0], row[1], members.get(row[0], []))
        for row in conn.execute("select id, name from region order by position")
    ]


def group_votes(conn: sqlite3.Connection, region: str | None) -> list[dict[str, Any]]:
    """How a regional group voted on each resolution whose country lists are recorded."""
    from tracker.votes import by_group

    groups = regional_groups(conn)
    found = []
    for resolution in resolutions(conn):
        for group in by_group(resolution["vote"], groups)["groups"]:
            if group["region"] == region:
                counts = {choice: group[choice] for choice in ("yes", "no", "abstain")}
                found.append({"resolution": resolution["symbol"], "group": group["name"], **counts})
    return found


def show_country(conn: sqlite3.Connection, code: str) -> dict[str, Any]:
    row = conn.execute(
        "select c.iso3, c.iso2, c.name, c.region, g.name as region_name, c.un_member "
        "from country c left join region g on g.id = c.region where c.iso3 = ?",
        (code,),
    ).fetchone()
    country_visits = visits(conn, country=code)
    visit_reports = sorted({v["report"] for v in country_visits if v["report"]})
    report_rows = conn.execute(
        "select r.* from report r where r.symbol in (select value from json_each(?))"
        f" order by {REPORT_ORDER}",
        (json.dumps(visit_reports),),
    )
    votes = [
        {
            "resolution": vote["symbol"],
            "adopted": vote["adopted"],
            "action": vote["action"],
            "vote": how_voted(vote),
        }
        for vote in conn.execute(
            "select r.symbol, r.adopted, r.action, r.vote_recorded, r.vote_lists, v.vote "
            "from resolution r left join vote v on v.resolution = r.symbol and v.country = ? "
            "order by r.adopted, r.rowid",
            (code,),
        )
    ]
    return {
        "kind": "country",
        "key": code,
        # Visits, requests and votes as the data records them: none listed is none recorded.
        "recorded_only": True,
        "record": {
            "iso3": row["iso3"],
            "iso2": row["iso2"],
            "name": row["name"],
            "region": row["region"],
            "region_name": row["region_name"],
            "un_member": bool(row["un_member"]),
            # Counts of the visits the data records (recorded_only below).
            "completed_visits": sum(v["status"] == "completed" for v in country_visits),
            "open_requests": sum(v["status"] in OPEN_VISIT_STATUSES for v in country_visits),
        },
        "visits": country_visits,
        "reports": _with_report_details(conn, list(report_rows)),
        "votes": votes,
        "group_votes": group_votes(conn, row["region"]),
        "follow_up": follow_up(conn, code),
        **related_to_country(conn, code),
    }


def recommendations_to(conn: sqlite3.Connection, code: str) -> list[dict[str, Any]]:
    """The recommendations addressed to a State (its code among their `countries`)."""
    rows = conn.execute(
        "select t.* from recommendation t where exists "
        "(select 1 from json_each(t.countries) c where c.value = ?) "
        f"order by {RECOMMENDATION_ORDER}",
        (code,),
    )
    return _with_fields(conn, KINDS["recommendation"], list(rows), link=False)


def follow_up(
    conn: sqlite3.Connection, code: str, mandate: str | None = None
) -> list[dict[str, Any]]:
    """The recommendations made to a State, by the report (and visit) that made them, each
    report with what followed in that State: its later communications, visits and
    engagements (tracker/followup.py)."""
    from tracker import followup

    made = recommendations_to(conn, code)
    if not made:
        return []
    mandate = chosen_mandate(conn, mandate)
    reports = {row["key"]: dict(row) for row in _mandate_reports(conn, mandate)}
    return followup.by_report(
        code,
        made,
        reports,
        visits(conn, country=code, mandate=mandate),
        records(conn, "communication", country=code, mandate=mandate),
        records(conn, "engagement", country=code, mandate=mandate),
    )


def visit_follow_up(conn: sqlite3.Connection, mandate: str | None = None) -> list[dict[str, Any]]:
    """Each State the mandate visited (a completed visit), in the order of its first visit,
    with its chain from visit to follow-up: visit, report, the recommendations the report
    made to it, what followed there (tracker/followup.py)."""
    from tracker import followup

    mandate = chosen_mandate(conn, mandate)
    every = visits(conn, mandate=mandate)
    order = list(dict.fromkeys(v["country"] for v in every if v["status"] == "completed"))
    reports = {row["key"]: dict(row) for row in _mandate_reports(conn, mandate)}
    names = country_names(conn)
    found = []
    for code in order:
        steps = followup.visit_steps(
            [v for v in every if v["country"] == code],
            reports,
            recommendations_to(conn, code),
            records(conn, "communication", country=code, mandate=mandate),
            records(conn, "engagement", country=code, mandate=mandate),
        )
        found.append({"country": code, "country_name": names.get(code, code), "steps": steps})
    return found


def _mandate_reports(conn: sqlite3.Connection, mandate: str | None) -> list[sqlite3.Row]:
    clause, args = ("where h.mandate = ?", [mandate]) if mandate else ("", [])
    sql = "select r.key, r.title, r.date, r.year from report r join holder h on h.id = r.holder "
    return list(conn.execute(sql + f"{clause} order by {REPORT_ORDER}", args))


def how_voted(row: sqlite3.Row) -> str:
    """A country's vote on a resolution, from the resolution and its vote row (if any)."""
    if not row["vote_recorded"]:
        # No vote table: not recorded here, or adopted without a vote (the note says which).
        return "vote not recorded"
    if not row["vote_lists"]:
        return "unknown (only the tally is recorded)"
    return row["vote"] or "not recorded (not a voting member, or absent)"


SHOW = {
    "holder": show_holder,
    "theme": show_theme,
    "report": show_report,
    "visit": show_visit,
    "resolution": show_resolution,
    "country": show_country,
}

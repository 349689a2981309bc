"""The search index: one row per searchable record, built with the store.

The table `search_index` (kind, key, mandate, title, text, tags, symbol, url) holds a row
for each record of the kinds whose declaration marks a field as searched
(tracker/kinds.py): the fields searched as "title", "text" and "tags" go into those
columns, with a holder's name, a country's name and a theme's title standing for their
ids. sqlite-utils sets up the FTS5 table `search_index_fts` over title, text and tags with
the Porter stemmer (so "visits" finds "visit"); Datasette sees the same table and offers
a search box on it. Queries over it are tracker/search.py's.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from tracker.kinds import KINDS as DECLARED
from tracker.kinds import Field, Kind, mandate_path, report_year, searched_kinds
from tracker.links import document_url

INDEX = "search_index"
FTS = f"{INDEX}_fts"
INDEXED_COLUMNS = ("title", "text", "tags")
COLUMNS = ("kind", "key", "mandate", "title", "text", "tags", "symbol", "url")


def index(db: Any) -> None:
    """Fill search_index from the built tables and set up its FTS5 index."""
    table = db[INDEX]
    table.create(
        {
            "kind": str,
            "key": str,
            "mandate": str,
            "title": str,
            "text": str,
            "tags": str,
            "symbol": str,
            "url": str,
        },
        foreign_keys=[("mandate", "mandate", "id")],
    )
    columns = COLUMNS
    insert = (
        f"insert into {INDEX} ({', '.join(columns)}) values ({', '.join('?' for _ in columns)})"
    )
    for kind in searched_kinds():  # kind by kind, so a large store is never indexed all at once
        rows = index_rows(db.conn, [kind])
        # Plain executemany: sqlite-utils' insert_all looked at every value (JSON or not) and
        # built its statements chunk by chunk, a third of the index's time at scale.
        with db.conn:  # (the tuples made as they go in: never all beside the rows)
            db.conn.executemany(insert, (tuple(row.get(c) for c in COLUMNS) for row in rows))
        del rows
    table.create_index(["symbol"])
    table.create_index(["kind", "key"])  # one record's entry, replaced by a record write
    table.enable_fts(list(INDEXED_COLUMNS), tokenize="porter")


def kinds_fed_by(changed_files: Sequence[str]) -> list[str]:
    """The kinds whose index rows read from these data files: each searched kind is fed
    by its own file and by the files of the kinds it names (whose names and titles its
    row carries)."""
    fed = set()
    for kind in searched_kinds():
        spec = DECLARED[kind]
        feeding = {spec.file} | {
            DECLARED[f.refers_to].file for f in spec.fields if f.refers_to in DECLARED
        }
        if feeding & set(changed_files):
            fed.add(kind)
    return sorted(fed)


def reindex(conn: sqlite3.Connection, changed_files: Sequence[str]) -> None:
    """Refresh the index rows the changed files feed, inside the caller's transaction
    (incremental sync). Plain SQL rather than sqlite-utils, whose table methods commit
    as they go."""
    kinds = kinds_fed_by(changed_files)
    rows = index_rows(conn, kinds)
    columns = COLUMNS
    indexed = ", ".join(INDEXED_COLUMNS)
    where = f"kind in ({', '.join('?' for _ in kinds)})"
    # The FTS table keeps its own copy of the indexed text: tell it which rows go, with
    # their old text, before they are deleted, then index the new rows; the rest stay.
    conn.execute(
        f"insert into {FTS}({FTS}, rowid, {indexed}) "
        f"select 'delete', rowid, {indexed} from {INDEX} where {where}",
        kinds,
    )
    conn.execute(f"delete from {INDEX} where {where}", kinds)
    first_new = conn.execute(f"select coalesce(max(rowid), 0) + 1 from {INDEX}").fetchone()[0]
    conn.executemany(
        f"insert into {INDEX} ({', '.join(columns)}) values ({', '.join('?' for _ in columns)})",
        [tuple(row.get(c) for c in columns) for row in rows],
    )
    conn.execute(
        f"insert into {FTS}(rowid, {indexed}) "
        f"select rowid, {indexed} from {INDEX} where rowid >= ?",
        (first_new,),
    )


def index_rows(
    conn: sqlite3.Connection, kinds: Sequence[str] | None = None, key: str | None = None
) -> Iterator[dict[str, Any]]:
    """One row per searchable record of these kinds, read from the store's tables (only
    the record with this key, if given), made as they are taken: at scale a kind's rows
    all at once took 90 MB (50,000 reports)."""
    conn.row_factory = sqlite3.Row
    try:
        for kind in searched_kinds():
            if kinds is None or kind in kinds:
                yield from CUSTOM_ROWS.get(kind, _declared_rows)(conn, kind, key)
    finally:
        conn.row_factory = None


def reindex_record(conn: sqlite3.Connection, kind: str, old: str | None, new: str | None) -> None:
    """Replace one record's index row (a write at the cost of the record), inside the
    caller's transaction: old, the key it was indexed under (None: none), new, the key it
    has now in the store's tables (None: removed). The rows of other records that show
    this one's name or title are the caller's to keep right (tracker/writer.py falls back
    to the whole-data path where they would change)."""
    if kind not in searched_kinds():
        return
    indexed = ", ".join(INDEXED_COLUMNS)
    if old is not None:
        where = "kind = ? and key = ?"
        conn.execute(
            f"insert into {FTS}({FTS}, rowid, {indexed}) "
            f"select 'delete', rowid, {indexed} from {INDEX} where {where}",
            (kind, old),
        )
        conn.execute(f"delete from {INDEX} where {where}", (kind, old))
    if new is None:
        return
    columns = ("kind", "key", "mandate", "title", "text", "tags", "symbol", "url")
    for row in index_rows(conn, [kind], new):
        cursor = conn.execute(
            f"insert into {INDEX} ({', '.join(columns)}) "
            f"values ({', '.join('?' for _ in columns)})",
            tuple(row.get(c) for c in columns),
        )
        conn.execute(
            f"insert into {FTS}(rowid, {indexed}) select rowid, {indexed} from {INDEX} "
            "where rowid = ?",
            (cursor.lastrowid,),
        )


def _join(*parts: Any) -> str:
    return " · ".join(str(p) for p in parts if p not in (None, ""))


def _theme_titles(
    conn: sqlite3.Connection, link_table: str, column: str, key: str | None = None
) -> dict[str, list[str]]:
    """The titles of the themes each report (or visit) lists, in their order."""
    where = f"where l.{column} = ? " if key is not None else ""
    rows = conn.execute(
        f"select l.{column}, t.title from {link_table} l join theme t on t.id = l.theme "
        f"{where}order by l.{column}, l.position",
        () if key is None else (key,),
    )
    titles: dict[str, list[str]] = {}
    for key, title in rows:
        titles.setdefault(key, []).append(title)
    return titles


def normalise_symbol(text: str) -> str:
    """A document symbol in the form it is indexed and compared: capitals, no spaces."""
    return re.sub(r"\s+", "", text).upper()


def _report_rows(
    conn: sqlite3.Connection, kind: str = "report", key: str | None = None
) -> Iterator[dict[str, Any]]:
    """Reports as declared, tagged by hand: the titles of their themes first (a snippet from
    the tags then reads as what the report is about), the symbol, the holder's name, body
    and session, year and kind."""
    where = " where r.key = ?" if key is not None else ""
    tags = {
        r["key"]: _join(
            r["key"],
            r["holder_name"],
            f"{r['body']} {r['session'] or ''}".strip(),
            str(report_year(r) or ""),
            r["kind"],
        )
        for r in conn.execute(
            "select r.*, h.name as holder_name from report r join holder h on h.id = r.holder"
            + where,
            () if key is None else (key,),
        )
    }
    titles = _theme_titles(conn, "report_theme", "report", key)
    for row in _declared_rows(conn, kind, key):
        row["tags"] = _join(*titles.get(row["key"], []), tags[row["key"]])
        yield row


def _visit_rows(
    conn: sqlite3.Connection, kind: str = "visit", key: str | None = None
) -> Iterator[dict[str, Any]]:
    args = () if key is None else (key,)
    rows = conn.execute(
        "select v.*, h.mandate, h.name as holder_name, c.name as country_name from visit v "
        "join holder h on h.id = v.holder left join country c on c.iso3 = v.country"
        + (" where v.id = ?" if key is not None else ""),
        args,
    )
    titles = _theme_titles(conn, "visit_theme", "visit", key)
    notes: dict[str, list[str]] = {}
    for visit, note in conn.execute(
        "select visit, note from visit_history where note is not null"
        + (" and visit = ?" if key is not None else "")
        + " order by visit, seq",
        args,
    ):
        notes.setdefault(visit, []).append(note)
    for v in rows:
        places = json.loads(v["places"]) if v["places"] else []
        history = notes.get(v["id"], [])
        title = f"Visit to {v['country_name'] or v['country']}"
        if v["status"] != "completed":
            title += f" ({v['status']})"
        yield {
            "kind": "visit",
            "key": v["id"],
            "mandate": v["mandate"],
            "title": title,
            "text": _join(v["note"], *places, *history),
            "tags": _join(
                *titles.get(v["id"], []),
                v["id"],
                v["country"],
                v["holder_name"],
                str(v["start"] or "")[:4],
                v["report"],
            ),
            "symbol": None,
            "url": document_url(v["report"]),
        }


def _declared_rows(
    conn: sqlite3.Connection, kind: str, only: str | None = None
) -> Iterator[dict[str, Any]]:
    """A kind's index rows as its declaration says (tracker/kinds.py): the title from its
    `search_title` pattern or its fields searched as "title"; the text from those searched
    as "text"; the tags: its key, then the fields searched as "tags", where a holder's
    name, a country's name and a theme's title stand for their ids."""
    spec = DECLARED[kind]
    table, key = spec.table, spec.key_column
    path = mandate_path(kind)
    column = path[0] if path else "null"
    if len(path) == 2:  # the record's mandate is its holder's
        sql = f'select t.*, h.mandate as mandate_ from "{table}" t ' + JOIN_HOLDER.format(column)
    else:
        sql = f'select t.*, t."{column}" as mandate_ from "{table}" t' if path else ""
        sql = sql or f'select t.*, null as mandate_ from "{table}" t'
    if only is not None:
        sql += f' where t."{key}" = ?'
    rows = conn.execute(sql, () if only is None else (only,))
    names = _names(conn, spec, only)
    symbol_field = spec.field(spec.key_fields[0])
    symbols = symbol_field is not None and symbol_field.type == "symbol"
    for row in rows:
        values = dict(row)
        for field in spec.fields:
            if field.name in names:
                values[field.name] = names[field.name](values.get(field.name), values[key])
            elif field.type == "list" and values.get(field.name):
                values[field.name] = json.loads(values[field.name])
        title = spec.search_title.format(**values) if spec.search_title else ""
        symbol = values.get(spec.key_fields[0]) if symbols else None
        yield {
            "kind": kind,
            "key": values[key],
            "mandate": values["mandate_"],
            "title": title or _join(*_searched(spec, values, "title")),
            "text": _join(*_searched(spec, values, "text")),
            "tags": _join(values[key], *_searched(spec, values, "tags")),
            "symbol": normalise_symbol(symbol) if symbol else None,
            "url": document_url(symbol) if symbol else None,
        }


def _searched(spec: Kind, values: dict[str, Any], where: str) -> list[Any]:
    """The values of the fields searched as `where` ("title", "text", "tags"), lists spread."""
    found: list[Any] = []
    for field in spec.fields:
        if field.searched == where:
            value = values.get(field.name)
            found += value if isinstance(value, list) else [value]
    return found


def _names(conn: sqlite3.Connection, spec: Kind, only: str | None = None) -> dict[str, Any]:
    """For each searched field that holds an id: how to turn it into what people call it
    (a holder's name, a country's name, the titles of the themes)."""
    names: dict[str, Any] = {}
    for field in spec.fields:
        if not field.searched:
            continue
        if field.type == "iso3":
            countries = dict(conn.execute("select iso3, name from country").fetchall())
            names[field.name] = lambda code, _key, table=countries: table.get(code, code)
        elif field.refers_to in DECLARED and DECLARED[field.refers_to].label:
            labels = _labels(conn, spec, field, only)
            if field.type == "slugs":
                titles = _linked_titles(conn, spec, field, labels, only)
                names[field.name] = lambda _value, key, table=titles: table.get(key, [])
            else:
                names[field.name] = lambda value, _key, table=labels: table.get(value)
    return names


def _labels(
    conn: sqlite3.Connection, spec: Kind, field: Field, only: str | None = None
) -> dict[str, str]:
    """The label (a holder's name, a theme's title) of each record the field may name, by
    key: every one of the kind named; for one record (only), those it names, since a write
    or a refresh at the cost of the record indexes its records one by one (reading every
    theme's title for each of them cost half of a refresh's time at scale)."""
    target = DECLARED[str(field.refers_to)]
    key, column, table = target.key_column, target.label[0], target.table
    sql = f'select "{key}", "{column}" from "{table}"'
    if only is None:
        return dict(conn.execute(sql).fetchall())
    if field.type == "slugs":
        own, name = spec.name, str(field.refers_to)
        link_table = f"{own}_{name}"
        named = f'select "{name}" from "{link_table}" where "{own}" = ?'
    else:
        own, own_key, name = spec.table, spec.key_column, field.name
        named = f'select "{name}" from "{own}" where "{own_key}" = ?'
    return dict(conn.execute(f'{sql} where "{key}" in ({named})', (only,)).fetchall())


def _linked_titles(
    conn: sqlite3.Connection,
    spec: Kind,
    field: Field,
    labels: dict[str, str],
    only: str | None = None,
) -> dict[str, list[str]]:
    key, column = spec.name, str(field.refers_to)
    table = f"{key}_{column}"
    where = f'where "{key}" = ? ' if only is not None else ""
    rows = conn.execute(
        f'select "{key}", "{column}" from "{table}" {where}order by "{key}", position',
        () if only is None else (only,),
    )
    titles: dict[str, list[str]] = {}
    for key, target in rows:
        titles.setdefault(key, []).append(labels.get(target, target))
    return titles


JOIN_HOLDER = 'join holder h on h.id = t."{}"'

# Kinds whose index rows are made by hand: a visit's title names its country and status,
# and a report's tags its body and session.
CUSTOM_ROWS = {"report": _report_rows, "visit": _visit_rows}

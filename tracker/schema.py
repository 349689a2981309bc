"""The store's tables and their rows, derived from the kinds' declarations (tracker/kinds.py).

Each kind is one table: its key, its scalar fields as columns (lists of text as JSON),
then any column the store derives (a numbering, a vote's tallies), then `source` and
`note`. Each list of references is a link table `<kind>_<target>` (with the position of
each item), each list of sub-records a table `<kind>_<field>` (with a sequence number),
and a resolution's vote the table `vote`. Tables come in dependency order, so that
foreign keys are met as the rows are inserted. Nothing here runs SQL: tracker/store.py
creates and fills the tables.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

from tracker.constants import VOTE_CHOICES
from tracker.kinds import FILES, KINDS, Field, Kind, sort_key

if TYPE_CHECKING:
    from tracker.model import DataSet, Record

Schema = dict[str, Any]
Rows = Iterable[dict[str, Any]]

# The reference tables (the UN's countries and regional groups), filled from
# tracker/reference, before the kinds' tables.
REFERENCE_TABLES: dict[str, Schema] = {
    "region": {
        "columns": {"id": str, "name": str, "members": int, "position": int},
        "pk": "id",
    },
    "country": {
        "columns": {"iso3": str, "iso2": str, "name": str, "region": str, "un_member": int},
        "pk": "iso3",
        "fks": [("region", "region", "id")],
    },
    "country_name": {
        "columns": {"name": str, "iso3": str},
        "pk": ("name", "iso3"),
        "fks": [("iso3", "country", "iso3")],
    },
}
INTERNAL_TABLES: dict[str, Schema] = {
    "meta": {"columns": {"key": str, "value": str}, "pk": "key"},
    # Each data file as last parsed (JSON), so an incremental sync parses only what changed.
    "source_cache": {
        "columns": {"file": str, "fingerprint": str, "document": str},
        "pk": "file",
    },
    # Each data file as the store describes it: a digest (SHA-256) of its bytes, and whether
    # those bytes are in canonical layout (known when tracker wrote or laid them out, or
    # `fmt --check` found them so: the layout's version, writer.LAYOUT_VERSION; 0 when not
    # known), so that a write can prove the file on disk is the one the store holds without
    # reading it as TOML (tracker/writer.py, "writes at the cost of the record"), and
    # `fmt --check` skips it.
    "file_state": {
        "columns": {"file": str, "digest": str, "canonical": int},
        "pk": "file",
    },
    # The file each record was read from (by key), so that a file changed by hand can
    # have its records replaced without reading the others (tracker/file_refresh.py).
    "record_file": {
        "columns": {"kind": str, "key": str, "file": str},
        "pk": ("kind", "key"),
    },
}
VOTE_TABLE = "vote"
VOTE_COLUMNS = ("vote_recorded", "yes_count", "no_count", "abstain_count", "vote_lists")
# Columns that close every kind's table, after those the store derives.
LAST_COLUMNS = ("source", "note")


def in_dependency_order() -> list[Kind]:
    """The kinds, each after the kinds it refers to (declaration order otherwise)."""
    done: list[Kind] = []
    waiting = list(KINDS.values())
    while waiting:
        for kind in waiting:
            needs = {f.refers_to for f in kind.fields if f.refers_to} - {kind.name}
            if needs <= {k.name for k in done} | (needs - set(KINDS)):
                done.append(kind)
                waiting.remove(kind)
                break
        else:  # references in a circle: keep the declared order for the rest
            done += waiting
            break
    return done


def column_type(field: Field) -> type:
    return int if field.type == "int" else str


def kind_columns(kind: Kind) -> dict[str, type]:
    columns: dict[str, type] = {"key": str} if kind.key_column == "key" else {}
    last: dict[str, type] = {}
    for field in kind.fields:
        if field.type in ("slugs", "records", "vote"):
            continue
        target = last if field.name in LAST_COLUMNS else columns
        target[field.name] = column_type(field)
    if kind.numbered:
        columns[kind.numbered] = int
    if any(f.type == "vote" for f in kind.fields):
        columns.update({name: int for name in VOTE_COLUMNS})
    return {**columns, **last}


def key_column_of(target: str) -> tuple[str, str]:
    """The (table, column) a reference to a record of `target` names."""
    spec = KINDS[target]
    return spec.table, spec.key_column


def kind_tables(kind: Kind) -> dict[str, Schema]:
    """The kind's own table, then its link, sub-record and vote tables."""
    fks = []
    for field in kind.fields:
        if field.type in SCALAR_REFERENCES and field.refers_to in KINDS:
            fks.append((field.name, *key_column_of(field.refers_to)))
        elif field.type == "iso3":
            fks.append((field.name, "country", "iso3"))
    tables: dict[str, Schema] = {
        kind.table: {"columns": kind_columns(kind), "pk": kind.key_column, "fks": fks}
    }
    own = (kind.name, kind.table, kind.key_column)
    for field in kind.fields:
        if field.type == "slugs" and field.refers_to in KINDS:
            target = field.refers_to
            tables[link_table(kind, field)] = {
                "columns": {kind.name: str, target: str, "position": int},
                "pk": (kind.name, target),
                "fks": [own, (target, *key_column_of(target))],
            }
        elif field.type == "records":
            columns: dict[str, type] = {kind.name: str, "seq": int}
            columns.update({f.name: column_type(f) for f in field.fields})
            tables[sub_table(kind, field)] = {
                "columns": columns,
                "pk": (kind.name, "seq"),
                "fks": [own],
            }
        elif field.type == "vote":
            tables[VOTE_TABLE] = {
                "columns": {kind.name: str, "country": str, "vote": str},
                "pk": (kind.name, "country"),
                "fks": [own, ("country", "country", "iso3")],
            }
    return tables


# References that are foreign keys: ids. A document symbol (a visit's report) is a link
# to a UN document first, and stays a plain column.
SCALAR_REFERENCES = ("slug",)


def link_table(kind: Kind, field: Field) -> str:
    return f"{kind.name}_{field.refers_to}"


def sub_table(kind: Kind, field: Field) -> str:
    return f"{kind.name}_{field.name}"


def tables() -> dict[str, Schema]:
    """Every table of the store, in the order they are created and filled."""
    result = dict(REFERENCE_TABLES)
    for kind in in_dependency_order():
        result.update(kind_tables(kind))
    result.update(INTERNAL_TABLES)
    return result


def file_tables() -> dict[str, tuple[str, ...]]:
    """The tables each data file fills: an incremental sync rebuilds only these."""
    return {
        name: tuple(table for kind in kinds for table in kind_tables(KINDS[kind]))
        for name, kinds in FILES.items()
    }


def indexes() -> list[tuple[str, list[str]]]:
    """The indexes: the columns declared `indexed`, and each link table's target."""
    found: list[tuple[str, list[str]]] = []
    for kind in in_dependency_order():
        for field in kind.fields:
            if field.indexed:
                found.append((kind.table, [field.name]))
            if field.type == "slugs" and field.refers_to in KINDS:
                found.append((link_table(kind, field), [field.refers_to]))
            if field.type == "vote":
                found.append((VOTE_TABLE, ["country"]))
    found.append(("country_name", ["iso3"]))
    found.append(("record_file", ["file"]))  # a changed file's records (file_refresh.py)
    return found


# --- rows ---------------------------------------------------------------------------------


def table_rows(dataset: DataSet, files: Collection[str] | None = None) -> dict[str, Rows]:
    """The rows of the tables the given data files fill (default: every table).

    Each table's rows are a generator, made while they are inserted, so a large data
    set is never held twice in memory.
    """
    rows: dict[str, Rows] = {}
    if files is None:
        rows.update(country_rows())
    for name in FILES if files is None else files:
        for kind in FILES[name]:
            rows.update(kind_rows(dataset, KINDS[kind]))
    return rows


def kind_rows(dataset: DataSet, kind: Kind) -> dict[str, Rows]:
    records = dataset.of(kind.name)
    columns = kind_columns(kind)
    rows: dict[str, Rows] = {kind.table: (record_row(r, kind, columns) for r in records)}
    if kind.numbered:
        rows[kind.table] = numbered_rows(dataset, kind, columns)
    for field in kind.fields:
        if field.type == "slugs" and field.refers_to in KINDS:
            rows[link_table(kind, field)] = link_rows(kind, field, records)
        elif field.type == "records":
            rows[sub_table(kind, field)] = sub_rows(kind, field, records)
        elif field.type == "vote":
            # A function call, not a generator expression here: the expression would read
            # `field` when consumed, after the loop has moved on to the kind's later fields.
            rows[VOTE_TABLE] = all_vote_rows(kind, records, field.name)
    return rows


def link_rows(kind: Kind, field: Field, records: list[Record]) -> Rows:
    target = str(field.refers_to)
    for record in records:
        for position, item in enumerate(record.get(field.name, []), start=1):
            yield {kind.name: record.key, target: item, "position": position}


def sub_rows(kind: Kind, field: Field, records: list[Record]) -> Rows:
    names = {f.name: column_type(f) for f in field.fields}
    for record in records:
        for seq, entry in enumerate(record.get(field.name, []), start=1):
            yield {kind.name: record.key, "seq": seq, **plain(entry, names)}


def record_row(record: Record, kind: Kind, columns: dict[str, type]) -> dict[str, Any]:
    row = plain(record.data, columns)
    row[kind.key_column] = record.key
    for field in kind.fields:
        value = record.data.get(field.name)
        if field.default_from and value is None:  # a report's author: else its holder
            row[field.name] = row.get(field.default_from)
        if field.type == "list":
            row[field.name] = json.dumps(value, ensure_ascii=False) if value else None
        elif field.type == "dates":
            row[field.name] = json.dumps(dates_text(value)) if value else None
        elif field.type == "vote":
            row.update(vote_columns(value))
    return row


def numbered_rows(dataset: DataSet, kind: Kind, columns: dict[str, type]) -> Rows:
    """The records numbered in listing order: mandate by mandate (in file order), each
    in the kind's declared order (file order when it declares none)."""
    mandates = {str(r.get("id")): i for i, r in enumerate(dataset.of("mandate"))}
    order = sort_key(kind.name)

    def listing(record: Record) -> tuple[Any, ...]:
        first = mandates.get(record.get("mandate"), 0)
        return (first, *order(record.data)) if order else (first,)

    ordered = sorted(dataset.of(kind.name), key=listing)
    for number, record in enumerate(ordered, start=1):
        row = record_row(record, kind, columns)
        row[str(kind.numbered)] = number
        yield row


def plain(data: dict[str, Any], columns: dict[str, type]) -> dict[str, Any]:
    """The record's values that are columns of its table, dates as text."""
    from tracker.dates import try_parse

    row: dict[str, Any] = {}
    for column, kind in columns.items():
        if column not in data:
            continue
        value = data[column]
        if kind is str and type(value) is dt.date:
            value = value.isoformat()  # what str(try_parse(value)) gives, at once
        elif kind is str and not isinstance(value, str):
            parsed = try_parse(value)
            value = str(parsed) if parsed else str(value)
        row[column] = value
    return row


def dates_text(values: list[Any]) -> list[str]:
    """A list of dates as text, each keeping its precision."""
    from tracker.dates import try_parse

    return [str(try_parse(v) or v) for v in values]


def vote_columns(vote: Any) -> dict[str, Any]:
    """A resolution's tallies: counted from the lists, or as recorded."""
    row: dict[str, Any] = {"vote_recorded": int(isinstance(vote, dict)), "vote_lists": 0}
    if isinstance(vote, dict):
        for choice in VOTE_CHOICES:
            value = vote.get(choice, 0)
            row[f"{choice}_count"] = len(value) if isinstance(value, list) else value
        row["vote_lists"] = int(any(isinstance(v, list) for v in vote.values()))
    return row


def all_vote_rows(kind: Kind, records: list[Record], name: str) -> Rows:
    for record in records:
        yield from vote_rows(kind, record.data, name)


def vote_rows(kind: Kind, data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """How each State voted, where the vote is recorded country by country."""
    vote = data.get(name)
    if not isinstance(vote, dict):
        return []
    key = kind.key_of(data)
    return [
        {kind.name: key, "country": code, "vote": choice}
        for choice in VOTE_CHOICES
        if isinstance(vote.get(choice), list)
        for code in vote[choice]
    ]


def country_rows() -> dict[str, list[dict[str, Any]]]:
    from tracker import countries

    regions = [
        {"id": g.id, "name": g.name, "members": len(g.members), "position": i}
        for i, g in enumerate(countries.regional_groups(), start=1)
    ]
    country = [
        {
            "iso3": c.iso3,
            "iso2": c.iso2,
            "name": c.name,
            "region": c.region,
            "un_member": int(c.un_member),
        }
        for c in countries.all_countries().values()
    ]
    names = [
        {"name": name, "iso3": code}
        for name, codes in countries.name_index().items()
        for code in codes
    ]
    return {"region": regions, "country": country, "country_name": names}

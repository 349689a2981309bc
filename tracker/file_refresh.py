"""Bring the store up to date after a few data files changed outside tracker (an editor, a
`git pull`), at the cost of their records rather than of the whole data set (issue 17).

The store already holds the validated rest of the data, so for each changed file:
- a file whose bytes are the ones the store describes (its digest: a touch, a copy, a
  checkout of the same text) only has its fingerprint brought up to date;
- otherwise that one file is parsed; its old records' rows, link rows and search entries
  (found through the store's record_file table) make way for its new ones, in one
  transaction (store.update_files, which calls this);
- the new records are then checked as a record write checks its record
  (tracker/store_rules.py, record_problems): their own fields, as ever, and their relations
  to the other records (references, duplicates, dates within terms, the rules their
  kind names, the file they belong in), answered by the store as it now stands; a key
  the file no longer holds must not be named by any record left.

Anything this cannot prove, or any error, rolls the transaction back and hands the
refresh to the usual path (store.update_tables, or a rebuild), which reads every record
and words every problem as ever. So a file with an error reads exactly as before, only
later. The kinds that feed the rules of many others (mandate.toml's) always take the
usual path, as they do for writes.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from tracker import layout, schema
from tracker.kinds import KINDS
from tracker.model import DataSet, Record
from tracker.store_rules import (
    WHOLE_DATA_KINDS,
    Fallback,
    StoreBacked,
    record_problems,
    row_indexes,
)

# More changed files than this, a changed file larger than this, or one that holds most of
# its kinds' records and more than MOST_RECORDS of them (a flat folder's files): the usual
# path, which reads and indexes records in bulk, at less per record. (Measured: a flat
# visits.toml of 450 visits, 236 ms here against 127 ms; the shipped themes.toml, 37 ms
# against 23; a mandate's sub-folder visits.toml at 1x, 51 ms against 840.) A mandate's
# sub-folder file at 10x is about 16 KB and 50 records.
MOST_FILES = 16
MOST_BYTES = 256 * 1024
MOST_RECORDS = 25


def replace(
    opened: Any, folder: Path, files: dict[str, str], changed: list[str]
) -> tuple[dict[str, tuple[bytes, dict[str, Any]]], list[str]]:
    """Bring the store on opened (a RecordWriteStore in the caller's transaction) up to
    date for the changed files (by key), or raise: Fallback where this cannot prove the
    result; sqlite3.IntegrityError for a key twice. Returns the digest and the parsed
    document of each file whose records were replaced, and the tables rewritten."""
    conn = opened.conn
    replaced: dict[str, tuple[dict[str, list[Record]], dict[str, list[str]]]] = {}
    read: dict[str, tuple[bytes, dict[str, Any]]] = {}  # each replaced file's digest and parse
    for name in changed:
        if set(layout.kinds_of(name)) & set(WHOLE_DATA_KINDS):
            raise Fallback("records that feed the rules of many others")
        digest = opened.new_digest(name)
        if digest is None:
            conn.execute(
                "update source_cache set fingerprint = ? where file = ?", (files[name], name)
            )
            continue
        if int(files[name].split(":")[0]) > MOST_BYTES or holds_most(conn, name):
            raise Fallback("cheaper in bulk")
        new, old_keys, document = replace_records(opened, folder, name, list(files), digest)
        replaced[name] = new, old_keys
        read[name] = digest, document
    for new, old_keys in replaced.values():
        reindex(conn, new, old_keys)
    for name, (new, old_keys) in replaced.items():
        check_records(opened, folder, name, new, old_keys)
    tables = {t for name in replaced for t in schema.file_tables()[layout.base(name)]}
    return read, sorted(tables)


def holds_most(conn: sqlite3.Connection, name: str) -> bool:
    """Whether the file held most of its kinds' records, and many: then replacing them one
    by one costs more than the usual path's bulk work (a flat folder)."""
    kinds = layout.kinds_of(name)
    marks = ", ".join("?" for _ in kinds)
    (held,) = conn.execute("select count(*) from record_file where file = ?", (name,)).fetchone()
    query = f"select count(*) from record_file where kind in ({marks})"
    (every,) = conn.execute(query, kinds).fetchone()
    return bool(held > MOST_RECORDS and 2 * held > every)


def replace_records(
    opened: Any, folder: Path, name: str, keys: list[str], digest: bytes
) -> tuple[dict[str, list[Record]], dict[str, list[str]], dict[str, Any]]:
    """Put the file's records in place of the ones it held: their rows and the store's
    note of where each record is. Returns the new records and the old keys, by kind, and
    the file's parsed document."""
    from tracker import sources

    conn = opened.conn

    read: dict[str, bytes | None] = {}
    dataset, problems = sources.load(folder, False, files=[name], keys=keys, digests=read)
    if problems or read.get(name) != digest:
        raise Fallback("a problem in the file, or the file changed while read")
    new: dict[str, list[Record]] = {}
    old_keys: dict[str, list[str]] = {}
    for kind in layout.kinds_of(name):
        spec = KINDS[kind]
        new[kind] = dataset.of(kind)
        query = "select key from record_file where kind = ? and file = ?"
        old_keys[kind] = [key for (key,) in conn.execute(query, (kind, name))]
        number = first_number(conn, kind, old_keys[kind], new[kind])
        unchanged_labels(opened, kind, old_keys[kind], new[kind])
        for table in schema.kind_tables(spec):
            column = spec.key_column if table == spec.table else spec.name
            conn.executemany(
                f'delete from "{table}" where "{column}" = ?', [(k,) for k in old_keys[kind]]
            )
        rows = schema.kind_rows(_only(folder, kind, new[kind]), spec)
        if number is not None:
            rows[spec.table] = renumbered(conn, spec, rows[spec.table], number, old_keys[kind])
        for table in schema.kind_tables(spec):
            opened.insert(table, rows.get(table, ()))
    conn.execute("delete from record_file where file = ?", (name,))
    conn.executemany(
        "insert into record_file (kind, key, file) values (?, ?, ?)",
        [(kind, r.key, name) for kind, records in new.items() for r in records],
    )
    return new, old_keys, dataset.documents[name]


def _only(folder: Path, kind: str, records: list[Record]) -> DataSet:
    dataset = DataSet(folder)
    dataset.records[kind] = records
    return dataset


def first_number(
    conn: sqlite3.Connection, kind: str, old: list[str], new: list[Record]
) -> int | None:
    """For a numbered kind (a theme's position: mandate by mandate, in listing order), the
    number the file's first record had; its records are numbered one after another. None
    for a kind not numbered. Only a file of one mandate's records, which had some, is
    renumbered here."""
    spec = KINDS[kind]
    column = spec.numbered
    if column is None:
        return None
    if not old:
        raise Fallback("where a mandate's first records go in the numbering")
    marks = ", ".join("?" for _ in old)
    table, key = spec.table, spec.key_column
    low, high, count, mandates, mandate = conn.execute(
        f'select min("{column}"), max("{column}"), count(*), count(distinct mandate), '
        f'min(mandate) from "{table}" where "{key}" in ({marks})',
        old,
    ).fetchone()
    if count != len(old) or high - low + 1 != count or mandates != 1:
        raise Fallback("records not numbered as one mandate's")
    if any(r.get("mandate") != mandate for r in new):
        raise Fallback("another mandate's records")
    return int(low)


def renumbered(
    conn: sqlite3.Connection,
    spec: Any,
    rows: Any,
    first: int,
    old: list[str],
) -> list[dict[str, Any]]:
    """The file's rows numbered from first on (in listing order), and the numbers of the
    records after them moved up or down by the change in their count."""
    column = str(spec.numbered)
    listed = list(rows)  # numbered 1, 2, ... by schema.numbered_rows
    for row in listed:
        row[column] += first - 1
    shift, table = len(listed) - len(old), spec.table
    if shift:
        conn.execute(
            f'update "{table}" set "{column}" = "{column}" + ? where "{column}" >= ?',
            (shift, first + len(old)),
        )
    return listed


def unchanged_labels(opened: Any, kind: str, old: list[str], new: list[Record]) -> None:
    """Other records' search entries show a record's label (a theme's title): one that
    changes on a record others name is for the usual path, which indexes them again.
    (Run before the file's old rows go: what names the record is then the store's.)"""
    spec = KINDS[kind]
    if not spec.label or not old:
        return
    column = spec.label[0]
    marks = ", ".join("?" for _ in old)
    table, key = spec.table, spec.key_column
    was = dict(
        opened.conn.execute(
            f'select "{key}", "{column}" from "{table}" where "{key}" in ({marks})',
            old,
        ).fetchall()
    )
    for record in new:
        changed = record.key in was and record.get(column) != was[record.key]
        if changed and opened.referred_to(kind, record.key):
            raise Fallback("a label others show")


def reindex(
    conn: sqlite3.Connection, new: dict[str, list[Record]], old_keys: dict[str, list[str]]
) -> None:
    """The search entries of the file's old records go; its new records' are made from
    the rows now in the store."""
    from tracker import search_index

    for kind, keys in old_keys.items():
        for key in keys:
            search_index.reindex_record(conn, kind, key, None)
    for kind, records in new.items():
        for record in records:
            search_index.reindex_record(conn, kind, None, record.key)


def check_records(
    opened: Any,
    folder: Path,
    name: str,
    new: dict[str, list[Record]],
    old_keys: dict[str, list[str]],
) -> None:
    """The file's new records pass every rule validate() would apply to them, against the
    store as it now stands (any problem but a warning falls back); and no record left
    names a key the file no longer holds."""
    from tracker.paths import today
    from tracker.validate import _DERIVED

    when = today()
    dataset = StoreBacked(folder, opened)
    indexes = row_indexes(dataset)  # one for all: the rules work out each thing once
    try:
        for kind, records in new.items():
            for record in records:
                problems = record_problems(record, dataset, when, indexes)
                if any(p.is_error for p in problems):
                    raise Fallback("an error")
                if dataset.home(kind, record.data) != name:
                    raise Fallback("a record in another mandate's file")
    finally:
        _DERIVED.clear()  # as validate() does: what the rules worked out holds records
    for kind, records in new.items():
        gone = set(old_keys[kind]) - {r.key for r in records}
        if any(opened.referred_to(kind, key) for key in sorted(gone)):
            raise Fallback("a removed record is named by another")

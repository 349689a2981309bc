"""The SQLite store: derived from the TOML files, rebuilt whenever they change.

The TOML files are the truth. Every command opens the store through open_store(),
which compares a fingerprint of the data files (size and modification time, so
nothing is parsed) with the one the store was built from, and rebuilds first if
they differ. A rebuild is written to a temporary file and renamed into place, so
a reader never sees a half-built store and deleting the store loses nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from tracker import progress
from tracker.constants import DATA_FILES, FILES
from tracker.paths import Settings, today
from tracker.problems import DataError, Problem, TrackerError

if TYPE_CHECKING:
    from pathlib import Path

    from tracker.model import DataSet, Record

# 2: views and the search index; 3: source cache for incremental sync; 4: ids and symbols
# matched whole; 5: a report's author, a holder's appointment. Bump it whenever validate.py's
# rules change too: a write and an in-place update skip the field checks of files whose
# parse the store cached, so a cache made under older rules must not be trusted. 6: the
# shipped country names table gained common variants (Holland, DRC), read into country_name.
SCHEMA_VERSION = 6

# Table definitions: columns (name -> type), primary key, foreign keys (column, table, column).
Schema = dict[str, Any]
TABLES: dict[str, Schema] = {
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
    "mandate": {
        "columns": {
            "id": str,
            "title": str,
            "established": str,
            "established_by": str,
            "source": str,
            "note": str,
        },
        "pk": "id",
    },
    "holder": {
        "columns": {
            "id": str,
            "mandate": str,
            "name": str,
            "nationality": str,
            "appointed": str,
            "start": str,
            "end": str,
            "term_order": int,
            "source": str,
            "note": str,
        },
        "pk": "id",
        "fks": [("mandate", "mandate", "id"), ("nationality", "country", "iso3")],
    },
    "resolution": {
        "columns": {
            "symbol": str,
            "mandate": str,
            "body": str,
            "adopted": str,
            "action": str,
            "term_years": int,
            "vote_recorded": int,
            "yes_count": int,
            "no_count": int,
            "abstain_count": int,
            "vote_lists": int,
            "source": str,
            "note": str,
        },
        "pk": "symbol",
        "fks": [("mandate", "mandate", "id")],
    },
    "vote": {
        "columns": {"resolution": str, "country": str, "vote": str},
        "pk": ("resolution", "country"),
        "fks": [("resolution", "resolution", "symbol"), ("country", "country", "iso3")],
    },
    "theme": {
        "columns": {
            "id": str,
            "mandate": str,
            "title": str,
            "set_by": str,
            "set_in": str,
            "position": int,
            "source": str,
            "note": str,
        },
        "pk": "id",
        "fks": [("mandate", "mandate", "id"), ("set_by", "holder", "id")],
    },
    "report": {
        "columns": {
            "key": str,
            "symbol": str,
            "id": str,
            "holder": str,
            # Who wrote it: the `author` field, else the holder (who presented it).
            "author": str,
            "body": str,
            "session": int,
            "date": str,
            "year": int,
            "kind": str,
            "title": str,
            "summary": str,
            "source": str,
            "note": str,
        },
        "pk": "key",
        "fks": [("holder", "holder", "id"), ("author", "holder", "id")],
    },
    "report_theme": {
        "columns": {"report": str, "theme": str, "position": int},
        "pk": ("report", "theme"),
        "fks": [("report", "report", "key"), ("theme", "theme", "id")],
    },
    "visit": {
        "columns": {
            "id": str,
            "holder": str,
            "country": str,
            "status": str,
            "start": str,
            "end": str,
            "report": str,
            "places": str,
            "source": str,
            "note": str,
        },
        "pk": "id",
        "fks": [("holder", "holder", "id"), ("country", "country", "iso3")],
    },
    "visit_theme": {
        "columns": {"visit": str, "theme": str, "position": int},
        "pk": ("visit", "theme"),
        "fks": [("visit", "visit", "id"), ("theme", "theme", "id")],
    },
    "visit_history": {
        "columns": {"visit": str, "seq": int, "date": str, "status": str, "note": str},
        "pk": ("visit", "seq"),
        "fks": [("visit", "visit", "id")],
    },
    "meta": {"columns": {"key": str, "value": str}, "pk": "key"},
    # Each data file as last parsed (JSON), so an incremental sync parses only what changed.
    "source_cache": {
        "columns": {"file": str, "fingerprint": str, "document": str},
        "pk": "file",
    },
}
INTERNAL_TABLES = ("meta", "source_cache")

# The tables each data file fills: an incremental sync rebuilds only these.
FILE_TABLES: dict[str, tuple[str, ...]] = {
    "mandate.toml": ("mandate", "holder", "resolution", "vote"),
    "visits.toml": ("visit", "visit_theme", "visit_history"),
    "themes.toml": ("theme", "report", "report_theme"),
}

INDEXES: list[tuple[str, list[str]]] = [
    ("holder", ["mandate"]),
    ("visit", ["holder"]),
    ("visit", ["country"]),
    ("visit", ["status"]),
    ("visit", ["start"]),
    ("report", ["holder"]),
    ("report", ["author"]),
    ("report", ["year"]),
    ("report", ["body"]),
    ("report_theme", ["theme"]),
    ("visit_theme", ["theme"]),
    ("vote", ["country"]),
    ("theme", ["mandate"]),
    ("country_name", ["iso3"]),
]


def file_fingerprints(data_dir: str | os.PathLike[str]) -> dict[str, str]:
    """Each data file's size and modification time: stat only, nothing is read."""
    prints = {}
    for name in DATA_FILES:
        try:
            stat = os.stat(os.path.join(data_dir, name))
            # ctime and inode too: a copy that restores an old mtime (cp -p, rsync -t)
            # still changes them.
            prints[name] = f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}"
        except FileNotFoundError:
            prints[name] = "-"
    return prints


def fingerprint(data_dir: str | os.PathLike[str], files: dict[str, str] | None = None) -> str:
    """What the store was built from: the schema, the folder and each data file."""
    files = file_fingerprints(data_dir) if files is None else files
    parts = [f"schema={SCHEMA_VERSION}", f"dir={os.path.realpath(data_dir)}"]
    parts += [f"{name}={files[name]}" for name in DATA_FILES]
    return "|".join(parts)


def connect(db_path: str | os.PathLike[str]) -> sqlite3.Connection:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    return conn


def open_store(settings: Settings) -> sqlite3.Connection:
    """A connection to an up-to-date store, rebuilding it first when the data changed."""
    if not os.path.isdir(settings.data):
        raise TrackerError(
            f"no data folder at {settings.data} "
            "(give --data DIR or set TRACKER_DATA, or run `tracker init DIR`)"
        )
    global last_opened
    last_opened = settings
    conn = open_if_fresh(settings.db, fingerprint(settings.data))
    if conn is None:
        refresh(settings)
        conn = connect(settings.db)
    return conn


# The store this process last opened: a command that meets a damaged store discards it.
last_opened: Settings | None = None


def discard(settings: Settings) -> None:
    """Remove a damaged store, so that the next open rebuilds it from the data files."""
    for path in (settings.db, stamp_path(settings.db)):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def refresh(settings: Settings) -> None:
    """Bring the store up to date: in place when only some files changed, else afresh."""
    if not (stamp_matches(settings.db) and update_in_place(settings)):
        rebuild(settings)


# --- the stamp: the store as tracker last left it -------------------------------------
#
# The store is trusted only while its file is exactly as tracker last wrote it: its
# size and modification time are kept in a small file beside it. A store changed by
# anything else (a damaged disk write, an edit, a copy from elsewhere) is rebuilt,
# never read, at the cost of one stat and one tiny read per command.


def stamp_path(db_path: str | os.PathLike[str]) -> str:
    return os.fspath(db_path) + "-stamp"


def file_stamp(path: str | os.PathLike[str]) -> str:
    stat = os.stat(path)
    return f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}"


def write_stamp(db_path: str | os.PathLike[str]) -> None:
    stamp = stamp_path(db_path)
    folder, name = os.path.split(stamp)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="ascii") as file:
        file.write(file_stamp(db_path))
    os.replace(temporary, stamp)


def stamp_matches(db_path: str | os.PathLike[str]) -> bool:
    try:
        with open(stamp_path(db_path), encoding="ascii") as file:
            return file.read() == file_stamp(db_path)
    except (OSError, UnicodeDecodeError):
        return False


def open_if_fresh(db_path: str | os.PathLike[str], expected: str) -> sqlite3.Connection | None:
    """The store, if it is as tracker left it, readable, and built from data with this
    fingerprint."""
    if not stamp_matches(db_path):
        return None
    conn = connect(db_path)
    try:
        row = conn.execute("select value from meta where key = 'fingerprint'").fetchone()
    except sqlite3.DatabaseError:
        conn.close()
        return None
    if row is None or row[0] != expected:
        conn.close()
        return None
    return conn


def load_valid(
    data_dir: Path, documents: dict[str, dict[str, Any]] | None = None
) -> tuple[DataSet, list[Problem]]:
    """Load and validate; raise DataError when there are errors. Returns warnings too.

    documents: files already parsed and known valid (the store's cache of unchanged files).
    """
    from tracker import sources
    from tracker.validate import validate

    dataset, problems = sources.load(data_dir, with_positions=False, documents=documents)
    trusted = [kind for name in documents or () for kind in FILES[name]]
    problems = problems + validate(dataset, today(), trusted)
    if any(p.is_error for p in problems):
        # Read again, this time finding lines, so that every problem names its line.
        dataset, problems = sources.load(data_dir)
        raise DataError(problems + validate(dataset, today()))
    return dataset, problems


def rebuild(settings: Settings) -> None:
    """Build the store afresh from the data folder, atomically."""
    if not settings.data_dir.is_dir():
        raise TrackerError(f"no data folder at {settings.data_dir}")
    files = file_fingerprints(settings.data_dir)
    remove_stale_temporaries(settings.db_path)
    temporary = settings.db_path.with_name(f".{settings.db_path.name}.{os.getpid()}.tmp")
    reading = "reading and checking the data"
    with progress.stages(settings.data_dir, "Rebuilding the store", reading, 3) as step:
        try:
            settings.db_path.parent.mkdir(parents=True, exist_ok=True)
            write_tables(settings.data_dir, temporary, files, step)
            step("indexing")
            write_indexes(temporary)
            os.replace(temporary, settings.db_path)
            write_stamp(settings.db_path)
        except OSError as error:
            reason = error.strerror or str(error)
            raise TrackerError(f"cannot write the store {settings.db_path}: {reason}") from None
        except sqlite3.Error as error:
            raise TrackerError(f"cannot write the store {settings.db_path}: {error}") from None
        finally:
            with contextlib.suppress(OSError):
                temporary.unlink()


def remove_stale_temporaries(db_path: Path) -> None:
    """Temporary files of rebuilds that were killed: their process is gone."""
    for leftover in db_path.parent.glob(f".{db_path.name}*.tmp"):
        try:
            os.kill(int(leftover.name.rsplit(".", 2)[-2]), 0)
        except ProcessLookupError:
            with contextlib.suppress(OSError):
                leftover.unlink()
        except (ValueError, OSError):
            pass  # not one of ours, or a live process's


def write_tables(
    data_dir: Path, path: Path, files: dict[str, str], step: Callable[[str], None]
) -> None:
    """Load and validate the data, then write every table to a fresh store file.

    The parsed data is dropped when this returns, before the search index is built,
    so the two never take memory at the same time.
    """
    dataset, _ = load_valid(data_dir)
    step("writing the tables")
    build(dataset, path, files)


def build(dataset: DataSet, path: Path, files: dict[str, str]) -> None:
    """Write the tables, the metadata and the parse cache to a fresh file at path."""
    import sqlite_utils

    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    db = sqlite_utils.Database(path)
    # A fresh file that is renamed into place only when complete needs no journal
    # and no fsync: a crash leaves a stray temporary file, never a broken store.
    db.conn.execute("pragma journal_mode = off")
    db.conn.execute("pragma synchronous = off")
    db.conn.execute("pragma foreign_keys = on")
    with db.conn:
        create_tables(db)
        rows = table_rows(dataset)
        for table in TABLES:  # in dependency order, for the foreign keys
            insert_rows(db.conn, table, rows.get(table, ()))
        meta = {
            "schema_version": str(SCHEMA_VERSION),
            "data_dir": str(dataset.folder.resolve()),
        }
        insert_rows(db.conn, "meta", [{"key": k, "value": v} for k, v in meta.items()])
        write_fingerprints(db.conn, dataset, files)
    db.conn.close()


def write_indexes(path: Path) -> None:
    """Views and the full-text index, for `tracker search` and Datasette; read from the
    tables just written."""
    import sqlite_utils

    from tracker import search, views

    db = sqlite_utils.Database(path)
    db.conn.execute("pragma journal_mode = off")
    db.conn.execute("pragma synchronous = off")
    views.create(db)
    search.index(db)
    analyze(db.conn)
    db.conn.close()


def analyze(conn: sqlite3.Connection, tables: Iterable[str] = ()) -> None:
    """Give SQLite's query planner the tables' statistics (all tables, or these). Without
    them it guesses, and at scale it guesses wrong: it reads every completed visit to find
    one mandate's, instead of the mandate's holders' visits (16 ms against 3 at 10x)."""
    conn.execute("pragma analysis_limit = 1000")  # a sample is enough, and takes ms
    for table in tables or [""]:
        conn.execute(f'analyze "{table}"' if table else "analyze")


def insert_rows(conn: sqlite3.Connection, table: str, rows: Iterable[dict[str, Any]]) -> None:
    """Insert rows into one of TABLES: executemany on a prepared statement, the fast way."""
    columns = list(TABLES[table]["columns"])
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    conn.executemany(
        f'insert into "{table}" ({names}) values ({marks})',
        (tuple(row.get(c) for c in columns) for row in rows),
    )


def write_fingerprints(
    conn: sqlite3.Connection,
    dataset: DataSet,
    files: dict[str, str],
    names: list[str] | None = None,
) -> None:
    """Record what the store now holds: the overall fingerprint and the parse of the
    named files (default: all)."""
    conn.execute(
        "insert or replace into meta (key, value) values ('fingerprint', ?)",
        (fingerprint(dataset.folder, files),),
    )
    for name, document in dataset.documents.items():
        if names is None or name in names:
            conn.execute(
                "insert or replace into source_cache (file, fingerprint, document) "
                "values (?, ?, ?)",
                (name, files[name], json.dumps(document, ensure_ascii=False, default=str)),
            )


def update_in_place(settings: Settings) -> bool:
    """Rebuild only the tables of the data files that changed, in one transaction.

    Unchanged files come from the store's cache of their last parse, so only the
    changed file is read; the whole data set is still validated. Returns False when
    the store cannot be updated in place (missing, unreadable, another schema or
    folder), and the caller rebuilds it afresh.
    """
    files = file_fingerprints(settings.data_dir)
    try:
        conn = sqlite3.connect(settings.db_path, timeout=60, isolation_level=None)
        # The store is derived: a transaction keeps readers from a half-done update, and
        # a store broken by a power cut is detected and rebuilt, so skip the fsyncs.
        conn.execute("pragma synchronous = off")
    except sqlite3.DatabaseError:
        return False
    reading = "reading and checking the changed data"
    try:
        with progress.stages(settings.data_dir, "Updating the store", reading, 3) as step:
            if not update_tables(conn, settings.data_dir, files, step):
                return False
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()
    with contextlib.suppress(OSError):  # without a stamp the next command rebuilds
        write_stamp(settings.db_path)
    return True


def update_tables(
    conn: sqlite3.Connection, data_dir: Path, files: dict[str, str], step: Callable[[str], None]
) -> bool:
    """update_in_place's work on an open store; False when it must be rebuilt afresh."""
    cached = read_cache(conn, data_dir, files)
    if cached is None:
        return False
    unchanged, changed = cached
    try:
        dataset, _ = load_valid(data_dir, documents=unchanged)
    except DataError:
        return False  # reported by a full rebuild, which reads every file afresh
    rows = table_rows(dataset, changed)
    step("writing the changed tables")
    conn.execute("begin immediate")
    try:
        if not still_stale(conn, data_dir, files):
            conn.execute("rollback")  # another process brought it up to date meanwhile
            return True
        for name in changed:
            for table in FILE_TABLES[name]:
                conn.execute(f'delete from "{table}"')
                insert_rows(conn, table, rows[table])
        analyze(conn, [table for name in changed for table in FILE_TABLES[name]])
        write_fingerprints(conn, dataset, files, changed)
        # The search index reads its rows back from the tables: free the records
        # first, so that a large data set and its index rows are never held together.
        del dataset, rows, cached, unchanged
        from tracker import search

        step("updating the search index")
        search.reindex(conn, changed)
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    return True


def read_cache(
    conn: sqlite3.Connection, data_dir: Path, files: dict[str, str]
) -> tuple[dict[str, dict[str, Any]], list[str]] | None:
    """The cached parse of each unchanged file, and the names of the changed ones."""
    meta = dict(conn.execute("select key, value from meta").fetchall())
    if meta.get("schema_version") != str(SCHEMA_VERSION):
        return None
    if meta.get("data_dir") != str(data_dir.resolve()):
        return None
    rows = conn.execute("select file, fingerprint from source_cache").fetchall()
    unchanged = {}
    try:
        for name, fp in rows:
            if files.get(name) == fp:
                # One file's JSON text at a time, and none of a changed file: at scale
                # the texts are tens of megabytes.
                query = "select document from source_cache where file = ?"
                unchanged[name] = json.loads(conn.execute(query, (name,)).fetchone()[0])
    except (ValueError, TypeError):
        return None  # a damaged cache: rebuild from the files
    if not all(isinstance(doc, dict) for doc in unchanged.values()):
        return None
    changed = [name for name in DATA_FILES if name not in unchanged]
    if len(changed) == len(DATA_FILES):
        return None  # nothing to reuse: a fresh build is simpler and as fast
    return unchanged, changed


def still_stale(conn: sqlite3.Connection, data_dir: Path, files: dict[str, str]) -> bool:
    row = conn.execute("select value from meta where key = 'fingerprint'").fetchone()
    return row is None or row[0] != fingerprint(data_dir, files)


def create_tables(db: Any) -> None:
    for name, schema in TABLES.items():
        db[name].create(
            schema["columns"],
            pk=schema["pk"],
            foreign_keys=schema.get("fks", []),
            not_null=set(schema["pk"]) if isinstance(schema["pk"], tuple) else {schema["pk"]},
        )
    for table, columns in INDEXES:
        db[table].create_index(columns)


Rows = Iterable[dict[str, Any]]


def table_rows(dataset: DataSet, files: Collection[str] | None = None) -> dict[str, Rows]:
    """The rows of the tables the given data files fill (default: every table).

    Each table's rows are a generator, made while they are inserted, so a large data
    set is never held twice in memory.
    """
    rows: dict[str, Rows] = {}
    if files is None:
        rows.update(country_rows())
    makers = {"mandate.toml": mandate_rows, "visits.toml": visit_rows, "themes.toml": theme_rows}
    for name in DATA_FILES if files is None else files:
        rows.update(makers[name](dataset))
    return rows


def mandate_rows(dataset: DataSet) -> dict[str, Rows]:
    # Holders are numbered mandate by mandate (in file order), each in term order.
    mandates = {str(record.get("id")): i for i, record in enumerate(dataset.of("mandate"))}

    def term_key(r: Any) -> tuple[int, str]:
        first = r.get("start") if r.get("start") is not None else r.get("appointed")
        return (mandates.get(r.get("mandate"), 0), str(first))

    holders = sorted(dataset.of("holder"), key=term_key)
    resolutions = dataset.of("resolution")
    return {
        "mandate": (plain(r.data, TABLES["mandate"]) for r in dataset.of("mandate")),
        "holder": (
            {**plain(r.data, TABLES["holder"]), "term_order": order}
            for order, r in enumerate(holders, start=1)
        ),
        "resolution": (resolution_row(r.data) for r in resolutions),
        "vote": (vote for r in resolutions for vote in vote_rows(r.data)),
    }


def theme_rows(dataset: DataSet) -> dict[str, Rows]:
    reports = dataset.of("report")
    return {
        "theme": (
            {**plain(r.data, TABLES["theme"]), "position": position}
            for position, r in enumerate(dataset.of("theme"), start=1)
        ),
        "report": (
            {**plain(r.data, TABLES["report"]), "key": r.key, "author": author_of(r)}
            for r in reports
        ),
        "report_theme": (
            {"report": r.key, "theme": theme, "position": position}
            for r in reports
            for position, theme in enumerate(r.get("themes", []), start=1)
        ),
    }


def author_of(report: Record) -> Any:
    """Who wrote a report: its `author`, else the holder who presented it."""
    return report.get("author", report.get("holder"))


def visit_rows(dataset: DataSet) -> dict[str, Rows]:
    visits = dataset.of("visit")
    return {
        "visit": (visit_row(r) for r in visits),
        "visit_theme": (
            {"visit": r.key, "theme": theme, "position": position}
            for r in visits
            for position, theme in enumerate(r.get("themes", []), start=1)
        ),
        "visit_history": (
            {
                "visit": r.key,
                "seq": seq,
                "date": str(entry.get("date")),
                "status": entry.get("status"),
                "note": entry.get("note"),
            }
            for r in visits
            for seq, entry in enumerate(r.get("history", []), start=1)
        ),
    }


def visit_row(record: Record) -> dict[str, Any]:
    row = plain(record.data, TABLES["visit"])
    row["id"] = record.key
    places = record.get("places")
    row["places"] = json.dumps(places, ensure_ascii=False) if places else None
    return row


def plain(data: dict[str, Any], schema: Schema) -> dict[str, Any]:
    """The record's scalar fields that are columns of its table, dates as text."""
    from tracker.dates import try_parse

    row: dict[str, Any] = {}
    for column, kind in schema["columns"].items():
        if column not in data:
            continue
        value = data[column]
        if kind is str and not isinstance(value, str):
            parsed = try_parse(value)
            value = str(parsed) if parsed else str(value)
        row[column] = value
    return row


def resolution_row(data: dict[str, Any]) -> dict[str, Any]:
    """A resolution with its tallies: counted from the lists, or as recorded."""
    row = plain(data, TABLES["resolution"])
    vote = data.get("vote")
    row["vote_recorded"] = int(isinstance(vote, dict))
    row["vote_lists"] = 0
    if isinstance(vote, dict):
        for choice in ("yes", "no", "abstain"):
            value = vote.get(choice, 0)
            row[f"{choice}_count"] = len(value) if isinstance(value, list) else value
        row["vote_lists"] = int(any(isinstance(v, list) for v in vote.values()))
    return row


def vote_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """How each State voted, where the vote is recorded country by country."""
    vote = data.get("vote")
    if not isinstance(vote, dict):
        return []
    return [
        {"resolution": data["symbol"], "country": code, "vote": choice}
        for choice in ("yes", "no", "abstain")
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


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Row counts of every table, for `tracker db`."""
    return {
        name: conn.execute(f'select count(*) from "{name}"').fetchone()[0]
        for name in TABLES
        if name not in INTERNAL_TABLES
    }


@contextlib.contextmanager
def store(settings: Settings) -> Iterator[sqlite3.Connection]:
    conn = open_store(settings)
    try:
        yield conn
    finally:
        conn.close()

"""The SQLite store: derived from the TOML files, rebuilt whenever they change.

The TOML files are the truth. Every command opens the store through open_store(),
which compares a fingerprint of the data files (size and modification time, so
nothing is parsed) with the one the store was built from, and rebuilds first if
they differ. A rebuild is written to a temporary file and renamed into place, so
a reader never sees a half-built store and deleting the store loses nothing. Rebuilds
take no lock, so after refreshing, a read checks that the store it opened was built from
the files it saw (or later ones) and refreshes once more if not (open_store).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from tracker.kinds import FILES
from tracker.paths import Settings, today
from tracker.problems import DataError, Problem, TrackerError

if TYPE_CHECKING:
    from pathlib import Path

    from tracker.model import DataSet

# 2: views and the search index; 3: source cache for incremental sync; 4: ids and symbols
# matched whole; 5: a report's author, a holder's appointment; 6: tables derived from the
# kinds' declarations. Bump it whenever validate.py's rules change too: a write and an
# in-place update skip the field checks of files whose parse the store cached, so a cache
# made under older rules must not be trusted. 7: the shipped country names table gained
# common variants (Holland, DRC), read into country_name.
# 8: engagements, communications, invitations, resolution requests, request_detail and
# vote_by_group.
SCHEMA_VERSION = 8

# The tables, their rows and indexes are derived from the kinds' declarations
# (tracker/schema.py, from tracker/kinds.py).
INTERNAL_TABLES = ("meta", "source_cache")


def file_fingerprints(data_dir: str | os.PathLike[str]) -> dict[str, str]:
    """Each data file's size and modification time: stat only, nothing is read."""
    prints = {}
    for name in FILES:
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
    parts += [f"{name}={files[name]}" for name in FILES]
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
    seen = fingerprint(settings.data)
    conn = open_if_fresh(settings.db, seen)
    if conn is not None:
        return conn
    # Refresh, then check that the store opened is the one built from these files (or
    # newer ones): a slower rebuild that started from older files may rename its store
    # into place after ours. The connection keeps the file it opened, whatever is
    # renamed over it later. One retry; then say so rather than show older data.
    for _ in range(2):
        refresh(settings)
        conn = connect(settings.db)
        if not_older(built_from(conn), seen):
            return conn
        conn.close()
    raise TrackerError(
        f"the store {settings.db} was replaced twice, while this command read it, by one "
        "built from older data files or another data folder (is another tracker using the "
        "same --db with other data?): nothing was shown. Run the command again."
    )


def built_from(conn: sqlite3.Connection) -> str | None:
    """The fingerprint of the data files the store on conn was built from."""
    try:
        row = conn.execute("select value from meta where key = 'fingerprint'").fetchone()
    except sqlite3.DatabaseError:
        return None
    return row[0] if row else None


def not_older(built: str | None, seen: str) -> bool:
    """Whether a store built from files with fingerprint built shows those seen, or a
    later version of them: same schema and folder, and each file the same or changed
    after (a later change time; a file's change time cannot be set back by hand)."""
    if built is None:
        return False
    if built == seen:
        return True
    count = len(FILES)
    built_parts, seen_parts = built.rsplit("|", count), seen.rsplit("|", count)
    if built_parts[0] != seen_parts[0]:  # schema and folder
        return False
    for was, now in zip(seen_parts[1:], built_parts[1:], strict=True):
        if was == now:
            continue
        was_file, now_file = was.partition("=")[2], now.partition("=")[2]
        if "-" in (was_file, now_file):
            return False  # a file created or removed: which came first is unknown
        if int(now_file.split(":")[2]) <= int(was_file.split(":")[2]):
            return False
    return True


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
    from tracker import progress

    if not settings.data_dir.is_dir():
        raise TrackerError(f"no data folder at {settings.data_dir}")
    from pathlib import Path

    from tracker.outputs import check_store, remove_stale_temporaries

    check_store(settings.db_path)
    files = file_fingerprints(settings.data_dir)
    # Killed rebuilds leave the store's temporary file and the stamp's (write_stamp).
    for path in (settings.db_path, Path(stamp_path(settings.db_path))):
        remove_stale_temporaries(path)
    temporary = settings.db_path.with_name(f".{settings.db_path.name}.{os.getpid()}.tmp")
    reading = "reading and checking the data"
    with progress.stages(settings.data_dir, "Rebuilding the store", reading, 3) as step:
        try:
            settings.db_path.parent.mkdir(parents=True, exist_ok=True)
            write_tables(settings.data_dir, temporary, files, step)
            step("indexing")
            write_indexes(temporary)
            check_store(settings.db_path)  # (still: nothing may have appeared there meanwhile)
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

    from tracker import schema

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
        rows = schema.table_rows(dataset)
        for table in schema.tables():  # in dependency order, for the foreign keys
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

    from tracker import search_index, views

    db = sqlite_utils.Database(path)
    db.conn.execute("pragma journal_mode = off")
    db.conn.execute("pragma synchronous = off")
    views.create(db)
    search_index.index(db)
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
    from tracker import schema

    columns = list(schema.tables()[table]["columns"])
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
    from tracker import progress

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
    from tracker import schema

    cached = read_cache(conn, data_dir, files)
    if cached is None:
        return False
    unchanged, changed = cached
    try:
        dataset, _ = load_valid(data_dir, documents=unchanged)
    except DataError:
        return False  # reported by a full rebuild, which reads every file afresh
    rows = schema.table_rows(dataset, changed)
    file_tables = schema.file_tables()
    step("writing the changed tables")
    conn.execute("begin immediate")
    try:
        if not still_stale(conn, data_dir, files):
            conn.execute("rollback")  # another process brought it up to date meanwhile
            return True
        for name in changed:
            for table in file_tables[name]:
                conn.execute(f'delete from "{table}"')
                insert_rows(conn, table, rows[table])
        analyze(conn, [table for name in changed for table in file_tables[name]])
        write_fingerprints(conn, dataset, files, changed)
        # The search index reads its rows back from the tables: free the records
        # first, so that a large data set and its index rows are never held together.
        del dataset, rows, cached, unchanged
        from tracker import search_index

        step("updating the search index")
        search_index.reindex(conn, changed)
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
    changed = [name for name in FILES if name not in unchanged]
    if len(changed) == len(FILES):
        return None  # nothing to reuse: a fresh build is simpler and as fast
    return unchanged, changed


def still_stale(conn: sqlite3.Connection, data_dir: Path, files: dict[str, str]) -> bool:
    row = conn.execute("select value from meta where key = 'fingerprint'").fetchone()
    return row is None or row[0] != fingerprint(data_dir, files)


def create_tables(db: Any) -> None:
    from tracker import schema

    for name, table in schema.tables().items():
        pk = table["pk"]
        db[name].create(
            table["columns"],
            pk=pk,
            foreign_keys=table.get("fks", []),
            not_null=set(pk) if isinstance(pk, tuple) else {pk},
        )
    for table_name, columns in schema.indexes():
        db[table_name].create_index(columns)


def counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Row counts of every table, for `tracker db`."""
    from tracker import schema

    return {
        name: conn.execute(f'select count(*) from "{name}"').fetchone()[0]
        for name in schema.tables()
        if name not in INTERNAL_TABLES
    }


@contextlib.contextmanager
def store(settings: Settings) -> Iterator[sqlite3.Connection]:
    conn = open_store(settings)
    try:
        yield conn
    finally:
        conn.close()

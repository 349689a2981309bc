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

from tracker import layout
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
# vote_by_group. 9: file_state (each data file's digest, and whether it is canonical).
# 10: the search index's entries found by kind and key.
SCHEMA_VERSION = 11

# The tables, their rows and indexes are derived from the kinds' declarations
# (tracker/schema.py, from tracker/kinds.py).
INTERNAL_TABLES = ("meta", "source_cache", "file_state", "record_file")


def stat_print(stat: os.stat_result) -> str:
    """A file's fingerprint from its stat: size, modification and change times, inode.
    The one form every comparison of a file with what the store recorded uses."""
    return f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}"


def file_fingerprints(data_dir: str | os.PathLike[str]) -> dict[str, str]:
    """Each data file's size and modification time, by key (layout.data_files): stat
    only, nothing is read."""
    prints = {}
    for name in layout.data_files(data_dir):
        try:
            stat = os.stat(os.path.join(data_dir, name))
            # ctime and inode too: a copy that restores an old mtime (cp -p, rsync -t)
            # still changes them.
            prints[name] = stat_print(stat)
        except FileNotFoundError:
            prints[name] = "-"
    return prints


def fingerprint(data_dir: str | os.PathLike[str], files: dict[str, str] | None = None) -> str:
    """What the store was built from: the schema, each data file and the folder (last,
    as its name may hold any character)."""
    files = file_fingerprints(data_dir) if files is None else files
    parts = [f"schema={SCHEMA_VERSION}", *(f"{name}={files[name]}" for name in files)]
    return "|".join([*parts, f"dir={os.path.realpath(data_dir)}"])


def _fingerprint_parts(print_: str) -> tuple[str, dict[str, str]]:
    """A fingerprint's schema and folder, and each file's part by key."""
    schema, _, rest = print_.partition("|")
    files: dict[str, str] = {}
    while rest and not rest.startswith("dir="):
        part, _, rest = rest.partition("|")
        name, _, value = part.partition("=")
        files[name] = value
    return f"{schema}|{rest}", files


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
    (built_where, built_files), (seen_where, seen_files) = map(_fingerprint_parts, (built, seen))
    if built_where != seen_where or built_files.keys() != seen_files.keys():
        return False  # another schema or folder, or a file (a sub-folder's) added or removed
    for name, was_file in seen_files.items():
        now_file = built_files[name]
        if was_file == now_file:
            continue
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
    return stat_print(os.stat(path))


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
    data_dir: Path,
    documents: dict[str, dict[str, Any]] | None = None,
    digests: dict[str, bytes | None] | None = None,
) -> tuple[DataSet, list[Problem]]:
    """Load and validate; raise DataError when there are errors. Returns warnings too.

    documents: files already parsed and known valid (the store's cache of unchanged files).
    digests: receives a digest of the bytes of each file read (see sources.read_file).
    """
    from tracker import sources
    from tracker.validate import validate

    dataset, problems = sources.load(
        data_dir, with_positions=False, documents=documents, digests=digests
    )
    # The kinds all of whose files are cached, and the cached files of the others.
    trusted = layout.kinds_only_in(documents or {}, dataset.documents) | set(documents or {})
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
            known = canonical_digests(settings.db_path)  # before the old store is replaced
            write_tables(settings.data_dir, temporary, files, step)
            step("indexing")
            write_indexes(temporary)
            if known:
                mark_canonical_in(temporary, known)
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
    digests: dict[str, bytes | None] = {}
    dataset, _ = load_valid(data_dir, digests=digests)
    step("writing the tables")
    build(dataset, path, files, digests)


def build(
    dataset: DataSet,
    path: Path,
    files: dict[str, str],
    digests: dict[str, bytes | None] | None = None,
) -> None:
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
        # The indexes are made after the rows are in: one sort each, rather than a
        # b-tree insertion per row.
        create_tables(db, indexes=False)
        rows = schema.table_rows(dataset)
        for table in schema.tables():  # in dependency order, for the foreign keys
            insert_rows(db.conn, table, rows.get(table, ()))
        create_indexes(db)
        meta = {
            "schema_version": str(SCHEMA_VERSION),
            "data_dir": str(dataset.folder.resolve()),
        }
        insert_rows(db.conn, "meta", [{"key": k, "value": v} for k, v in meta.items()])
        insert_rows(db.conn, "record_file", record_files(dataset))
        write_fingerprints(db.conn, dataset, files, digests=digests)
    db.conn.close()


def record_files(dataset: DataSet, kinds: Iterable[str] | None = None) -> Iterator[dict[str, Any]]:
    """The record_file rows: the file (by key) each record of the kinds was read from."""
    from tracker.kinds import KINDS

    for kind in KINDS if kinds is None else kinds:
        for record in dataset.of(kind):
            yield {"kind": kind, "key": record.key, "file": record.source}


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
    digests: dict[str, bytes | None] | None = None,
) -> None:
    """Record what the store now holds: the overall fingerprint, and the parse and digest
    of the named files (default: all); files no longer there leave the cache."""
    conn.execute(
        "insert or replace into meta (key, value) values ('fingerprint', ?)",
        (fingerprint(dataset.folder, files),),
    )
    for (name,) in conn.execute("select file from source_cache").fetchall():
        if name not in files:
            conn.execute("delete from source_cache where file = ?", (name,))
    for name, document in dataset.documents.items():
        if names is None or name in names:
            cache_parse(conn, name, files[name], document)
    for name in files:
        if names is None or name in names:
            write_digest(conn, name, (digests or {}).get(name))
    for (name,) in conn.execute("select file from file_state").fetchall():
        if name not in files:
            conn.execute("delete from file_state where file = ?", (name,))


def cache_parse(conn: sqlite3.Connection, name: str, print_: str, document: Any) -> None:
    """Keep a file's parse (as JSON) with the fingerprint of the file it was read from,
    for an incremental sync that then reads only the files that changed."""
    conn.execute(
        "insert or replace into source_cache (file, fingerprint, document) values (?, ?, ?)",
        (name, print_, json.dumps(document, ensure_ascii=False, default=str)),
    )


def write_digest(
    conn: sqlite3.Connection, name: str, digest: bytes | None, canonical: int | None = None
) -> None:
    """Record the digest of the bytes the store now holds for a file. canonical: the
    version of the canonical layout (writer.LAYOUT_VERSION) those bytes are known to be
    in, 0 if not known; None keeps what was known of the same bytes."""
    text = digest.hex() if digest else None
    if canonical is None:
        old = conn.execute(
            "select digest, canonical from file_state where file = ?", (name,)
        ).fetchone()
        canonical = int(old[1] or 0) if old and text and old[0] == text else 0
    conn.execute(
        "insert or replace into file_state (file, digest, canonical) values (?, ?, ?)",
        (name, text, canonical),
    )


def canonical_digests(db_path: str | os.PathLike[str]) -> dict[str, tuple[bytes, int]]:
    """The digests of the files a store (as tracker left it) knows to be in canonical
    layout, by name, each with the layout's version: a rebuild keeps knowing them (the
    flag is about the bytes), and only a reader of that version trusts them."""
    if not stamp_matches(db_path):
        return {}
    try:
        conn = sqlite3.connect(f"file:{os.fspath(db_path)}?mode=ro", uri=True)
        try:
            query = "select file, digest, canonical from file_state where canonical"
            rows = conn.execute(query).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return {}
    found = {}
    for name, digest, version in rows:
        with contextlib.suppress(TypeError, ValueError):
            found[str(name)] = (bytes.fromhex(digest), int(version))
    return found


def mark_canonical_in(path: str | os.PathLike[str], known: dict[str, tuple[bytes, int]]) -> None:
    """Carry canonical_digests over to a store being built (no stamp yet, nobody reading
    it), each flag with its own layout version."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.executemany(
                "update file_state set canonical = ? where file = ? and digest = ?",
                [(version, name, digest.hex()) for name, (digest, version) in known.items()],
            )
    finally:
        conn.close()


def mark_canonical(
    db_path: str | os.PathLike[str], digests: dict[str, bytes], version: int, wait: float = 60
) -> None:
    """Record that the files with these digests (by name) are in canonical layout of this
    version (the writer just wrote or laid them out, or `fmt --check` found them so). Only
    a digest the store holds is marked: the flag is about those bytes, whatever else the
    store holds. wait: how long to wait for another writer of the store, in seconds,
    before leaving the flags unrecorded."""
    if not digests or not stamp_matches(db_path):
        return
    try:
        conn = sqlite3.connect(db_path, timeout=wait, isolation_level=None)
        try:
            conn.execute("pragma synchronous = off")
            conn.execute("begin immediate")
            for name, digest in digests.items():
                conn.execute(
                    "update file_state set canonical = ? where file = ? and digest = ? "
                    "and canonical is not ?",
                    (version, name, digest.hex(), version),
                )
            changed = conn.total_changes
            conn.execute("commit")
        finally:
            conn.close()
    except sqlite3.Error:
        return
    if changed:
        with contextlib.suppress(OSError):
            write_stamp(db_path)


def update_in_place(settings: Settings) -> bool:
    """Bring the store up to date for the data files that changed, in one transaction:
    only their records when that can be proved right (update_files), else the tables of
    their kinds (update_tables: unchanged files come from the store's cache of their last
    parse, so only the changed files are read; the whole data set is still validated).
    Returns False when the store cannot be updated in place (missing, unreadable, another
    schema or folder, or data with errors), and the caller rebuilds it afresh.
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
        # A few files changed (by hand, or a pull): replace their records only, when
        # that can be proved right; else every record of their kinds, below.
        if not update_files(conn, settings.data_dir, files):
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


def update_files(conn: sqlite3.Connection, folder: Path, files: dict[str, str]) -> bool:
    """Refresh the store on conn (autocommit) for the few files whose fingerprint changed,
    replacing only their records (tracker/file_refresh.py), in one transaction: True when
    the store now describes the files, False when nothing was done and the usual path
    (update_tables) must refresh it."""
    from tracker import file_refresh

    now = fingerprint(folder, files)
    conn.execute("begin immediate")
    try:
        changed = changed_files(conn, folder, files, now)
        opened = RecordWriteStore(conn, "", folder, files)
        replaced, tables = file_refresh.replace(opened, folder, files, changed)
        conn.execute("update meta set value = ? where key = 'fingerprint'", (now,))
        for name, (digest, document) in replaced.items():
            write_digest(conn, name, digest)
            cache_parse(conn, name, files[name], document)  # the usual path reads it no more
        analyze(conn, tables)  # the planner's statistics (a sample: milliseconds)
    except Exception:
        # Fallback, a key twice (IntegrityError), or anything unforeseen: the usual path
        # reads every record and says what is wrong.
        conn.execute("rollback")
        return False
    except BaseException:
        conn.execute("rollback")
        raise
    conn.execute("commit")
    return True


def changed_files(
    conn: sqlite3.Connection, folder: Path, files: dict[str, str], now: str
) -> list[str]:
    """The keys of the files changed since the store on conn was built (now: the
    fingerprint of files), if only a few changed and no file was added or removed (else
    store_rules.Fallback)."""
    from tracker.file_refresh import MOST_FILES
    from tracker.store_rules import Fallback

    meta = dict(conn.execute("select key, value from meta").fetchall())
    if meta.get("schema_version") != str(SCHEMA_VERSION):
        raise Fallback("another schema")
    if meta.get("data_dir") != str(folder.resolve()):
        raise Fallback("another folder")
    where, built = _fingerprint_parts(meta.get("fingerprint") or "")
    now_where, _ = _fingerprint_parts(now)
    if where != now_where or built.keys() != files.keys():
        raise Fallback("a file added or removed")
    changed = [name for name in files if files[name] != built[name]]
    if len(changed) > MOST_FILES or any("-" in (files[n], built[n]) for n in changed):
        raise Fallback("many files changed, or a file created or removed")
    return changed


def update_tables(
    conn: sqlite3.Connection, data_dir: Path, files: dict[str, str], step: Callable[[str], None]
) -> bool:
    """update_in_place's work on an open store; False when it must be rebuilt afresh."""
    from tracker import schema

    cached = read_cache(conn, data_dir, files)
    if cached is None:
        return False
    unchanged, changed = cached
    digests: dict[str, bytes | None] = {}
    try:
        dataset, _ = load_valid(data_dir, documents=unchanged, digests=digests)
    except DataError:
        return False  # reported by a full rebuild, which reads every file afresh
    # A kind's tables hold the records of all its files (one per mandate sub-folder):
    # they are filled again from the data set, where unchanged files come from the cache.
    names = sorted({layout.base(key) for key in changed})
    rows = schema.table_rows(dataset, names)
    file_tables = schema.file_tables()
    step("writing the changed tables")
    conn.execute("begin immediate")
    try:
        if not still_stale(conn, data_dir, files):
            conn.execute("rollback")  # another process brought it up to date meanwhile
            return True
        for name in names:
            for table in file_tables[name]:
                conn.execute(f'delete from "{table}"')
                insert_rows(conn, table, rows[table])
            for kind in layout.kinds_of(name):
                conn.execute("delete from record_file where kind = ?", (kind,))
                insert_rows(conn, "record_file", record_files(dataset, [kind]))
        analyze(conn, [table for name in names for table in file_tables[name]])
        write_fingerprints(conn, dataset, files, changed, digests)
        # The search index reads its rows back from the tables: free the records
        # first, so that a large data set and its index rows are never held together.
        del dataset, rows, cached, unchanged
        from tracker import search_index

        step("updating the search index")
        search_index.reindex(conn, names)
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    return True


def read_cache(
    conn: sqlite3.Connection, data_dir: Path, files: dict[str, str]
) -> tuple[dict[str, dict[str, Any]], list[str]] | None:
    """The cached parse of each unchanged file, and the keys of the changed ones (a
    file gone since is changed too)."""
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
    changed = [name for name in files if name not in unchanged]
    changed += [name for name, _ in rows if name not in files]
    if not unchanged:
        return None  # nothing to reuse: a fresh build is simpler and as fast
    return unchanged, changed


def still_stale(conn: sqlite3.Connection, data_dir: Path, files: dict[str, str]) -> bool:
    row = conn.execute("select value from meta where key = 'fingerprint'").fetchone()
    return row is None or row[0] != fingerprint(data_dir, files)


def create_tables(db: Any, indexes: bool = True) -> None:
    """The store's tables, and their indexes unless told not to (create_indexes then)."""
    from tracker import schema

    for name, table in schema.tables().items():
        pk = table["pk"]
        db[name].create(
            table["columns"],
            pk=pk,
            foreign_keys=table.get("fks", []),
            not_null=set(pk) if isinstance(pk, tuple) else {pk},
        )
    if indexes:
        create_indexes(db)


def create_indexes(db: Any) -> None:
    from tracker import schema

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


# --- writes at the cost of the record ----------------------------------------------------
#
# tracker/writer.py writes one record without reading the whole data set when the store
# provably describes the files: these answer its questions about the other records, and
# apply its change to the store's rows.


class RecordWriteStore:
    """The store opened by a write of one record, once shown to match the data files: the
    stamp, and the schema, folder and every file's size, times and inode as built (the
    per-file digests prove the content of the files the write reads)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        db_path: str,
        folder: Path,
        files: dict[str, str],
        layout_version: int = 0,
    ):
        self.conn = conn
        self.db_path = db_path
        self.folder = folder
        self.files = files  # each file's fingerprint, as the store describes it
        # The canonical layout's version this writer writes (writer.LAYOUT_VERSION): only
        # a flag of that version is trusted, and a write records it (0: none trusted).
        self.layout_version = layout_version
        self.states = {
            name: (digest, int(canonical or 0))
            for name, digest, canonical in conn.execute(
                "select file, digest, canonical from file_state"
            )
        }

    def close(self) -> None:
        self.conn.close()

    def insert(self, table: str, rows: Iterable[dict[str, Any]]) -> None:
        insert_rows(self.conn, table, rows)

    def new_digest(self, name: str) -> bytes | None:
        """The digest of the file's bytes when they are not the ones the store describes
        (None when they are: a touch, a checkout of the same text). The file must still be
        the one files describes (else another writer is at work: Fallback)."""
        from tracker.sources import content_digest
        from tracker.store_rules import Fallback

        path = self.folder / name
        try:
            raw = path.read_bytes()
            stat = os.stat(path)
        except OSError:
            raise Fallback("unreadable") from None
        if stat_print(stat) != self.files.get(name):
            raise Fallback("changed while read")
        digest = content_digest(raw)
        known, _ = self.states.get(name, (None, 0))
        return None if known == digest.hex() else digest

    def proves(self, name: str, digest: bytes, canonical: bool = True) -> bool:
        """Whether the store describes these bytes of the file (and knows them canonical)."""
        known, version = self.states.get(name, (None, 0))
        trusted = bool(self.layout_version) and version == self.layout_version
        return known == digest.hex() and (trusted or not canonical)

    def in_sub_folder(self, mandate: str) -> bool | None:
        """Whether the mandate is in its own sub-folder (tracker/layout.py): its
        [[mandate]] record is in `<mandate>/mandate.toml`. The store describes valid data,
        where that file holds no other mandate. None: not known."""
        key = f"{mandate}/mandate.toml"
        if self.files.get(key, "-") == "-":
            return False
        row = self.conn.execute(
            "select document from source_cache where file = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        document = json.loads(row[0])
        return isinstance(document, dict) and bool(document.get("mandate"))

    def exists(self, kind: str, key: str) -> bool:
        from tracker.kinds import KINDS

        table, column = KINDS[kind].table, KINDS[kind].key_column
        query = f'select 1 from "{table}" where "{column}" = ? limit 1'
        return self.conn.execute(query, (key,)).fetchone() is not None

    def row(self, kind: str, key: str) -> dict[str, Any] | None:
        """A record's row (its scalar columns), for the rules that read other records."""
        from tracker.kinds import KINDS

        table, column = KINDS[kind].table, KINDS[kind].key_column
        query = f'select * from "{table}" where "{column}" = ?'
        cursor = self.conn.execute(query, (key,))
        found = cursor.fetchone()
        if found is None:
            return None
        return dict(zip([c[0] for c in cursor.description], found, strict=True))

    def rows(self, kind: str) -> list[dict[str, Any]]:
        from tracker.kinds import KINDS

        table = KINDS[kind].table
        cursor = self.conn.execute(f'select * from "{table}" order by rowid')
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, found, strict=True)) for found in cursor]

    def count(self, kind: str) -> int:
        from tracker.kinds import KINDS

        table = KINDS[kind].table
        query = f'select count(*) from "{table}"'
        return int(self.conn.execute(query).fetchone()[0])

    def referred_to(self, kind: str, key: str) -> bool:
        """Whether any record names this one (a reference, a list of them, a theme's
        set_in for a report)."""
        from tracker import schema
        from tracker.kinds import KINDS, references_to

        for spec, field in references_to(kind):
            if field.type == "slugs":
                table, column = schema.link_table(spec, field), kind
            else:
                table, column = spec.table, field.name
            query = f'select 1 from "{table}" where "{column}" = ? limit 1'
            if self.conn.execute(query, (key,)).fetchone():
                return True
        if kind == "report" and "theme" in KINDS:
            query = "select 1 from theme where set_in = ? limit 1"
            return self.conn.execute(query, (key,)).fetchone() is not None
        return False

    def themes_set_in(self, report: str) -> set[str]:
        rows = self.conn.execute("select id from theme where set_in = ?", (report,))
        return {found[0] for found in rows}

    def report_lists(self, report: str, theme: str) -> bool:
        query = "select 1 from report_theme where report = ? and theme = ? limit 1"
        return self.conn.execute(query, (report, theme)).fetchone() is not None

    def next_number(self, kind: str, mandate: str) -> int | None:
        """The number a new record of a numbered kind gets when it is written after the
        mandate's others (None: the mandate has none yet)."""
        from tracker.kinds import KINDS

        table, column = KINDS[kind].table, KINDS[kind].numbered
        query = f'select max("{column}") from "{table}" where mandate = ?'
        found = self.conn.execute(query, (mandate,)).fetchone()[0]
        return None if found is None else int(found) + 1

    def write(
        self,
        dataset: DataSet,
        kind: str,
        old_key: str | None,
        new_key: str | None,
        filename: str,
        written: str,
        digest: bytes,
    ) -> bool:
        """Apply one record's change to the store, in one transaction: its rows, link rows,
        sub-records and search index entry, then the file's fingerprint and digest (the
        cached parse of the file is dropped: an incremental sync reads it again). dataset
        holds the record as it is now (none if removed); written: the file's fingerprint
        after the write. False (nothing done) when the store no longer is the one
        checked: the caller then refreshes it the usual way."""
        from tracker import schema, search_index
        from tracker.kinds import KINDS

        spec = KINDS[kind]
        conn = self.conn
        conn.execute("pragma synchronous = off")
        conn.execute("begin immediate")
        try:
            if not self._unchanged():
                conn.execute("rollback")
                return False
            number = None
            table, key, column = spec.table, spec.key_column, spec.numbered
            if column and old_key is not None:
                query = f'select "{column}" from "{table}" where "{key}" = ?'
                number = conn.execute(query, (old_key,)).fetchone()[0]
            tables = schema.kind_tables(spec)
            if old_key is not None:
                for name in tables:
                    key = spec.key_column if name == spec.table else spec.name
                    conn.execute(f'delete from "{name}" where "{key}" = ?', (old_key,))
                conn.execute("delete from record_file where kind = ? and key = ?", (kind, old_key))
            if column and new_key is None and number is not None:
                conn.execute(
                    f'update "{table}" set "{column}" = "{column}" - 1 where "{column}" > ?',
                    (number,),
                )
            if new_key is not None:
                rows = schema.kind_rows(dataset, spec)
                if spec.numbered:
                    record = dataset.of(kind)[0]
                    if number is None:
                        number = self.next_number(kind, str(record.get("mandate")))
                        if number is None:
                            raise AssertionError("checked before the write")
                        conn.execute(
                            f'update "{table}" set "{column}" = "{column}" + 1 '
                            f'where "{column}" >= ?',
                            (number,),
                        )
                    row = schema.record_row(record, spec, schema.kind_columns(spec))
                    row[spec.numbered] = number
                    rows[spec.table] = [row]
                for name in tables:
                    insert_rows(conn, name, rows.get(name, ()))
                conn.execute(
                    "insert into record_file (kind, key, file) values (?, ?, ?)",
                    (kind, new_key, filename),
                )
            search_index.reindex_record(conn, kind, old_key, new_key)
            self.files = {**self.files, filename: written}
            conn.execute(
                "update meta set value = ? where key = 'fingerprint'",
                (fingerprint(self.folder, self.files),),
            )
            conn.execute("delete from source_cache where file = ?", (filename,))
            write_digest(conn, filename, digest, canonical=self.layout_version)
            conn.execute("commit")
        except BaseException:
            conn.execute("rollback")
            raise
        with contextlib.suppress(OSError):  # without a stamp the next command rebuilds
            write_stamp(self.db_path)
        return True

    def _unchanged(self) -> bool:
        row = self.conn.execute("select value from meta where key = 'fingerprint'").fetchone()
        return row is not None and row[0] == fingerprint(self.folder, self.files)


def open_for_record_write(
    db_path: Path, folder: Path, layout_version: int = 0
) -> RecordWriteStore | None:
    """The store, if it provably describes the data files as they are now (see
    RecordWriteStore; layout_version: the writer's), else None: the write then reads the
    whole data set."""
    if not stamp_matches(db_path):
        return None
    files = file_fingerprints(folder)
    try:
        conn = sqlite3.connect(db_path, timeout=60, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        found = conn.execute("select value from meta where key = 'fingerprint'").fetchone()
        if found is None or found[0] != fingerprint(folder, files):
            conn.close()
            return None
        return RecordWriteStore(conn, os.fspath(db_path), folder, files, layout_version)
    except sqlite3.Error:
        conn.close()
        return None

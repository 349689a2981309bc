"""Every file tracker writes other than the data files: checked before anything is written.

An output (`report -o`, `--svg`, `datasette-metadata -o`) goes only to a new path or over a
regular file: never over a data file or a store, a device (`/dev/full`), a FIFO (its
reader would hang) or a folder, and never through a symbolic link (the rename would
replace the link, not what it points to). The store (`--db`, TRACKER_DB) is replaced only
when its path is missing or holds a store tracker built. Anything else is a clear error,
status 1, with nothing touched.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from tracker.model import DATA_FILES
from tracker.problems import TrackerError

STAMP_SUFFIX = "-stamp"  # beside every store tracker built (tracker.store.stamp_path)
SQLITE_HEADER = b"SQLite format 3\x00"


def what_is_there(path: Path) -> str | None:
    """Why tracker must not replace what path holds, or None when it may."""
    try:
        found = os.lstat(path)
    except OSError:
        return None  # nothing there (or unreachable: the write itself will say why)
    if stat.S_ISLNK(found.st_mode):
        return "is a symbolic link: tracker writes only to a regular file or a new path"
    if stat.S_ISDIR(found.st_mode):
        return "is a folder"
    if not stat.S_ISREG(found.st_mode):
        return (
            "is not a regular file (a device, a FIFO or a socket): "
            "tracker writes only to a regular file or a new path"
        )
    if path.name in DATA_FILES and (path.parent / "mandate.toml").exists():
        return "is a data file: tracker writes its outputs elsewhere"
    return None


def is_a_store(path: Path) -> bool:
    """Whether path is a store tracker built: the stamp it writes with each one is beside it."""
    return Path(f"{path}{STAMP_SUFFIX}").exists()


def check_output(path: Path) -> None:
    reason = what_is_there(path)
    if reason is None and is_a_store(path):
        reason = "is a tracker store"
    if reason:
        raise TrackerError(f"will not write {path}: it {reason}")


def check_store(path: Path) -> None:
    """The store may be replaced: its path is missing, or holds a store tracker built (the
    stamp beside it says so; or, without one, a SQLite file, such as a store copied from
    elsewhere)."""
    if is_a_store(path):
        return  # whatever became of it (damaged, emptied, a link), tracker made it
    reason = what_is_there(path)
    if reason is None and path.exists() and not is_sqlite(path):
        reason = "is not a store tracker built (no stamp beside it, not SQLite)"
    if reason:
        raise TrackerError(
            f"cannot write the store {path}: it {reason}; "
            "tracker replaces only a store it built (give --db a new path)"
        )


def is_sqlite(path: Path) -> bool:
    """A SQLite file, or an empty one: SQLite opens an empty file as an empty database (and
    creates one when a client such as `sqlite-utils query` opens a missing path), and an
    empty file holds nothing to lose."""
    try:
        with open(path, "rb") as file:
            head = file.read(len(SQLITE_HEADER))
            return head in (b"", SQLITE_HEADER)
    except OSError:
        return False


def remove_stale_temporaries(path: Path) -> None:
    """Temporary files beside path from writers that were killed: their process is gone."""
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            os.kill(int(leftover.name.rsplit(".", 2)[-2]), 0)
        except ProcessLookupError:
            with contextlib.suppress(OSError):
                leftover.unlink()
        except (ValueError, OSError):
            pass  # not one of ours, or a live process's


def write_output(path: Path, text: str) -> None:
    """Write a whole file or nothing: checked, then a temporary file beside it renamed
    into place."""
    check_output(path)
    remove_stale_temporaries(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "x", encoding="utf-8") as file:
            file.write(text)
        check_output(path)  # (still: nothing may have appeared there meanwhile)
        os.replace(temporary, path)
    except OSError as error:
        raise TrackerError(f"cannot write {path}: {error.strerror or error}") from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()

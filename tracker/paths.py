"""Where the data folder and the store are.

Data: --data, else $TRACKER_DATA, else ./data (when it holds a data file), else the
copy shipped inside the package, so an installed tracker works from any folder.
Store: --db, else $TRACKER_DB, else tracker.db beside the data when that folder is
writable, else a file in the user's cache folder named after the data folder.

Read commands run through here on every call, so this module works on plain strings
with os.path: importing pathlib (and the urllib.parse and ipaddress it loads) would
cost more than finding the paths. `Settings.data_dir` and `.db_path` give Path
objects to the code that writes.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

PACKAGE_FOLDER = os.path.dirname(os.path.realpath(__file__))
STORE_NAME = "tracker.db"


def shipped_data_folder() -> str:
    """The data set that ships with the package (a source checkout uses its data/)."""
    inside = os.path.join(PACKAGE_FOLDER, "shipped_data")
    if os.path.exists(os.path.join(inside, "mandate.toml")):
        return inside
    return os.path.join(os.path.dirname(PACKAGE_FOLDER), "data")


def shipped_data_dir() -> Path:
    from pathlib import Path

    return Path(shipped_data_folder())


def holds_data(folder: str | os.PathLike[str]) -> bool:
    from tracker.layout import data_files

    return any(os.path.isfile(os.path.join(folder, key)) for key in data_files(folder))


def find_data_dir(explicit: str | os.PathLike[str] | None = None) -> str:
    chosen = explicit or os.environ.get("TRACKER_DATA")
    if chosen:
        return os.fspath(chosen)
    if holds_data("data"):
        return "data"
    return shipped_data_folder()


def cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "tracker")


def find_db_path(data_dir: str, explicit: str | os.PathLike[str] | None = None) -> str:
    chosen = explicit or os.environ.get("TRACKER_DB")
    if chosen:
        return os.fspath(chosen)
    if os.access(data_dir, os.W_OK):
        return os.path.join(data_dir, STORE_NAME)
    import hashlib

    resolved = os.path.realpath(data_dir)
    digest = hashlib.sha256(resolved.encode()).hexdigest()[:16]
    return os.path.join(cache_dir(), f"{os.path.basename(resolved)}-{digest}.db")


def today() -> dt.date:
    """Today, or $TRACKER_TODAY (YYYY-MM-DD) so that stale checks can be reproduced."""
    fixed = os.environ.get("TRACKER_TODAY")
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError:
            pass
    return dt.date.today()


class Settings:
    """The data folder and the store of one command, as strings (`data`, `db`) for the
    read path and as Path objects (`data_dir`, `db_path`) for everything else."""

    __slots__ = ("data", "db")

    def __init__(self, data_dir: str | os.PathLike[str], db_path: str | os.PathLike[str]):
        self.data = os.fspath(data_dir)
        self.db = os.fspath(db_path)

    @property
    def data_dir(self) -> Path:
        from pathlib import Path

        return Path(self.data)

    @property
    def db_path(self) -> Path:
        from pathlib import Path

        return Path(self.db)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Settings) and (self.data, self.db) == (other.data, other.db)

    def __hash__(self) -> int:
        return hash((self.data, self.db))

    def __repr__(self) -> str:
        return f"Settings(data={self.data!r}, db={self.db!r})"

    @classmethod
    def resolve(
        cls,
        data: str | os.PathLike[str] | None = None,
        db: str | os.PathLike[str] | None = None,
    ) -> Settings:
        data_dir = find_data_dir(data)
        return cls(data_dir, find_db_path(data_dir, db))

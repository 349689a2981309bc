"""Where the data folder and the store are.

Data: --data, else $TRACKER_DATA, else ./data (when it holds a data file), else the
copy shipped inside the package, so an installed tracker works from any folder.
Store: --db, else $TRACKER_DB, else tracker.db beside the data when that folder is
writable, else a file in the user's cache folder named after the data folder.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import NamedTuple

from tracker.constants import DATA_FILES

PACKAGE_DIR = Path(__file__).resolve().parent
STORE_NAME = "tracker.db"


def shipped_data_dir() -> Path:
    """The data set that ships with the package (a source checkout uses its data/)."""
    inside = PACKAGE_DIR / "shipped_data"
    if (inside / "mandate.toml").exists():
        return inside
    return PACKAGE_DIR.parent / "data"


def holds_data(folder: Path) -> bool:
    return any((folder / name).is_file() for name in DATA_FILES)


def find_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    chosen = explicit or os.environ.get("TRACKER_DATA")
    if chosen:
        return Path(chosen)
    local = Path("data")
    if holds_data(local):
        return local
    return shipped_data_dir()


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "tracker"


def find_db_path(data_dir: Path, explicit: str | os.PathLike[str] | None = None) -> Path:
    chosen = explicit or os.environ.get("TRACKER_DB")
    if chosen:
        return Path(chosen)
    if os.access(data_dir, os.W_OK):
        return data_dir / STORE_NAME
    import hashlib

    digest = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return cache_dir() / f"{data_dir.resolve().name}-{digest}.db"


def today() -> dt.date:
    """Today, or $TRACKER_TODAY (YYYY-MM-DD) so that stale checks can be reproduced."""
    fixed = os.environ.get("TRACKER_TODAY")
    if fixed:
        try:
            return dt.date.fromisoformat(fixed)
        except ValueError:
            pass
    return dt.date.today()


class Settings(NamedTuple):
    data_dir: Path
    db_path: Path

    @classmethod
    def resolve(
        cls,
        data: str | os.PathLike[str] | None = None,
        db: str | os.PathLike[str] | None = None,
    ) -> Settings:
        data_dir = find_data_dir(data)
        return cls(data_dir, find_db_path(data_dir, db))

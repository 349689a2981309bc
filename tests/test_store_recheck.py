"""A read that refreshed the store checks that the store it then opened was built from the
files it saw (or later ones), and refreshes once more if not.

Reproduces the race: a slower rebuild, started from older files, renames its store into
place just after this read's own refresh. Without the check the read printed the older
data. The race is made exact by running the slower rebuild's rename from store.refresh.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from reliability import Ledger, Row

from tracker import store

HAND_VISIT = """
[[visit]]
id = "hand-added"
holder = "bailliet"
country = "NOR"
status = "requested"
source = "A/HRC/00/00"
"""


def older_store_row(ledger: Ledger) -> Row:
    return ledger.row(
        "store-older-after-refresh",
        "Concurrency",
        "A store built from older files renamed into place just after a read's own refresh "
        "(a slower rebuild): once, and at every try",
    )


def visit_ids(output: str) -> set[str]:
    return {visit["id"] for visit in json.loads(output)}


@pytest.fixture
def older_store(tracker, shipped: Path, tmp_path: Path) -> Path:
    """A store built from the files before the hand edit below, kept aside; then the edit."""
    assert tracker("sync").exit_code == 0
    kept = tmp_path / "older.db"
    shutil.copyfile(shipped / "tracker.db", kept)
    with (shipped / "visits.toml").open("a", encoding="utf-8") as file:
        file.write(HAND_VISIT)
    return kept


def slower_rebuild_lands(older: Path, db: Path) -> None:
    """What a slower rebuild from the older files does last: rename its store into place
    and stamp it."""
    arriving = db.with_name(".arriving.tmp")
    shutil.copyfile(older, arriving)
    os.replace(arriving, db)
    store.write_stamp(db)


def test_a_read_that_opens_an_older_store_after_its_refresh_refreshes_again(
    tracker, shipped, older_store, monkeypatch, ledger
):
    refreshed = []
    real_refresh = store.refresh

    def refresh(settings):
        real_refresh(settings)
        refreshed.append(settings.db)
        if len(refreshed) == 1:
            slower_rebuild_lands(older_store, settings.db_path)

    monkeypatch.setattr(store, "refresh", refresh)
    result = tracker("visits", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "hand-added" in visit_ids(result.output)  # not the older store's list
    assert len(refreshed) == 2
    older_store_row(ledger).case("refreshed again: exit 0, the files' data shown")


def test_a_store_replaced_by_an_older_one_at_each_try_is_an_error_not_older_data(
    tracker, shipped, older_store, monkeypatch, ledger
):
    real_refresh = store.refresh

    def refresh(settings):
        real_refresh(settings)
        slower_rebuild_lands(older_store, settings.db_path)

    monkeypatch.setattr(store, "refresh", refresh)
    result = tracker("visits", "--format", "json")
    assert result.exit_code == 1
    assert "was replaced twice" in result.output and "older data files" in result.output
    assert "Traceback" not in result.output and "[" not in result.output.split("\n")[0][:1]
    older_store_row(ledger).case("clear message, exit 1, no older data shown")


def test_a_store_built_from_later_files_than_those_seen_is_accepted(tracker, shipped):
    """A writer that changed the files between the read's look and its refresh makes a
    newer store: that one is shown (it is some version of the files during the read)."""
    assert tracker("sync").exit_code == 0
    seen = store.fingerprint(shipped)
    with (shipped / "visits.toml").open("a", encoding="utf-8") as file:
        file.write(HAND_VISIT)
    later = store.fingerprint(shipped)
    assert store.not_older(later, seen) and store.not_older(seen, seen)
    assert not store.not_older(seen, later)
    assert not store.not_older(later.replace(str(shipped.resolve()), "/elsewhere"), seen)
    assert not store.not_older(None, seen)

"""Incremental sync: when one data file changes, only its tables are rebuilt."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tracker import sources, store
from tracker.paths import Settings
from tracker.problems import DataError

NEW_VISIT = """
[[visit]]
id = "chl-2025"
holder = "bailliet"
country = "CHL"
status = "requested"
source = "https://example.org/request"

[[visit.history]]
date = 2025-01-15
status = "requested"
"""


@pytest.fixture
def settings(shipped: Path) -> Settings:
    settings = Settings(shipped, shipped / "tracker.db")
    store.rebuild(settings)
    return settings


def plant_marker(db: Path) -> None:
    """A row no rebuild of the mandate tables would keep. The stamp is renewed as if
    tracker had written it: a store changed behind tracker's back is rebuilt whole."""
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("insert into mandate (id, title) values ('marker', 'planted by the test')")
    conn.close()
    store.write_stamp(db)


def has_marker(db: Path) -> bool:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("select 1 from mandate where id = 'marker'").fetchone() is not None
    finally:
        conn.close()


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_changed_file_only_rebuilds_its_tables(settings, monkeypatch):
    plant_marker(settings.db_path)
    read: list[str] = []
    real_read_file = sources.read_file

    def spy(path, *args, **options):
        read.append(path.name)
        return real_read_file(path, *args, **options)

    monkeypatch.setattr(sources, "read_file", spy)
    append(settings.data_dir / "visits.toml", NEW_VISIT)
    with store.store(settings) as conn:
        ids = [row[0] for row in conn.execute("select id from visit order by id")]
        history = conn.execute("select status from visit_history where visit = 'chl-2025'")
        assert [row[0] for row in history] == ["requested"]
        found = conn.execute("select key from search_index where key = 'chl-2025'").fetchone()
    assert "chl-2025" in ids and len(ids) == 9
    assert found is not None
    assert read == ["visits.toml"]  # the others came from the store's cache
    assert has_marker(settings.db_path)  # mandate tables untouched

    append(settings.data_dir / "mandate.toml", "\n")
    with store.store(settings) as conn:
        assert conn.execute("select count(*) from holder").fetchone()[0] == 4
    assert not has_marker(settings.db_path)


def test_cache_holds_each_file_as_parsed(settings):
    conn = sqlite3.connect(settings.db_path)
    rows = dict(conn.execute("select file, document from source_cache").fetchall())
    conn.close()
    assert set(rows) == {
        "mandate.toml",
        "visits.toml",
        "themes.toml",
        "engagements.toml",
        "communications.toml",
        "invitations.toml",
        "recommendations.toml",
    }
    visits = json.loads(rows["visits.toml"])["visit"]
    assert visits[0]["start"] == "2012-06-25"


def test_invalid_change_leaves_the_store_as_it_was(settings):
    path = settings.data_dir / "visits.toml"
    append(path, NEW_VISIT.replace('"CHL"', '"XXX"'))
    with pytest.raises(DataError) as caught:
        store.open_store(settings)
    assert any(p.field == "country" and p.line > 0 for p in caught.value.problems)
    conn = sqlite3.connect(settings.db_path)
    assert conn.execute("select count(*) from visit").fetchone()[0] == 8
    conn.close()
    path.write_text(path.read_text().replace('"XXX"', '"CHL"'))
    with store.store(settings) as conn:
        assert conn.execute("select count(*) from visit").fetchone()[0] == 9


def test_store_from_another_schema_is_rebuilt_afresh(settings):
    conn = sqlite3.connect(settings.db_path)
    with conn:
        conn.execute("update meta set value = '0' where key = 'schema_version'")
        conn.execute("update meta set value = 'old' where key = 'fingerprint'")
    conn.close()
    plant_marker(settings.db_path)
    with store.store(settings) as conn:
        version = conn.execute("select value from meta where key = 'schema_version'").fetchone()
    assert version[0] == str(store.SCHEMA_VERSION)
    assert not has_marker(settings.db_path)


def test_every_file_changed_rebuilds_afresh(settings):
    plant_marker(settings.db_path)
    for name in ("mandate.toml", "visits.toml", "themes.toml"):
        append(settings.data_dir / name, "\n")
    with store.store(settings) as conn:
        assert conn.execute("select count(*) from report").fetchone()[0] == 38
    assert not has_marker(settings.db_path)


def test_a_store_changed_behind_trackers_back_is_rebuilt_whole(settings):
    conn = sqlite3.connect(settings.db_path)
    with conn:
        conn.execute("update holder set name = 'Tampered' where id = 'okafor'")
    conn.close()
    with store.store(settings) as conn:
        name = conn.execute("select name from holder where id = 'okafor'").fetchone()[0]
    assert name == "Obiora Chinedu Okafor"


def test_a_damaged_cache_falls_back_to_a_full_rebuild(settings):
    conn = sqlite3.connect(settings.db_path)
    with conn:
        conn.execute("update source_cache set document = '{' where file = 'themes.toml'")
    conn.close()
    store.write_stamp(settings.db_path)
    append(settings.data_dir / "visits.toml", NEW_VISIT)
    with store.store(settings) as conn:
        assert conn.execute("select count(*) from visit").fetchone()[0] == 9
        assert conn.execute("select count(*) from report").fetchone()[0] == 38


def test_a_killed_rebuilds_temporary_file_is_cleaned_up(settings):
    dead = settings.db_path.with_name(f".{settings.db_path.name}.999999999.tmp")
    dead.write_bytes(b"half a store")
    from tracker.kinds import FILES

    for name in FILES:  # every file changed: a full rebuild
        (settings.data_dir / name).touch()
    store.refresh(settings)
    assert not dead.exists()


def test_a_copy_that_restores_an_old_mtime_is_still_noticed(settings):
    import os

    path = settings.data_dir / "visits.toml"
    before = path.stat()
    text = path.read_text().replace("Bonaire", "Bonairx")
    path.write_text(text)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as cp -p would
    with store.store(settings) as conn:
        places = conn.execute("select places from visit where id = 'nld-2018'").fetchone()[0]
    assert "Bonairx" in places


def planner_rows(db: Path, table: str) -> int | None:
    """The row count SQLite's planner believes `table` has (from ANALYZE), or None."""
    conn = sqlite3.connect(db)
    try:
        row = conn.execute(
            "select stat from sqlite_stat1 where tbl = ? and idx is not null", (table,)
        ).fetchone()
    finally:
        conn.close()
    return int(row[0].split()[0]) if row else None


def test_the_planner_knows_the_tables_after_a_rebuild_and_an_update(settings):
    assert planner_rows(settings.db_path, "visit") == 8
    append(settings.data_dir / "visits.toml", NEW_VISIT)
    store.refresh(settings)
    assert planner_rows(settings.db_path, "visit") == 9  # the rewritten table, again

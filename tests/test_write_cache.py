"""A write reads what it can from the store's cache and finds lines only for problems.

At scale, reading and locating every record was most of a write's time and memory
(docs/performance.md). The writer now takes unchanged files from the store's cache of
their last parse, and reads a file from its own text when the cache is not provably
current or when the change edits that file; it finds lines only for the files a
reported problem is in. These tests pin what that must never change: a problem still
names its file and line, and a stale or tampered cache is never trusted.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tracker import sources, store, writer

ADD_VISIT = (
    "add", "visit", "--id", "nld-2026", "--holder", "bailliet", "--country", "NLD",
    "--status", "requested", "--source", "https://example.org/request",
)  # fmt: skip


def line_of(path: Path, pattern: str, after: str = "") -> int:
    """The number of the first line matching pattern (after the first matching after)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if re.search(after, line)) if after else 0
    return next(i for i, line in enumerate(lines) if i >= start and re.search(pattern, line)) + 1


def spy_on_reads(monkeypatch) -> list[str]:
    read: list[str] = []
    real_read_file = sources.read_file

    def spy(path, *args, **options):
        read.append(Path(path).name)
        return real_read_file(path, *args, **options)

    monkeypatch.setattr(sources, "read_file", spy)
    return read


def test_cross_file_error_in_a_cached_file_names_its_line(tracker, shipped, monkeypatch):
    assert tracker("sync").exit_code == 0
    read = spy_on_reads(monkeypatch)
    before = {p.name: p.read_text(encoding="utf-8") for p in shipped.glob("*.toml")}
    result = tracker("update", "holder", "dandan", "--end", "2015-12-31")
    assert result.exit_code == 1
    visits = shipped / "visits.toml"
    end = line_of(visits, r"^end = 2016-01-20", after=r'^id = "mar-2016"')
    assert (
        f"visits.toml:{end}: error: visit 'mar-2016' field 'end': 2016-01-20 is after dandan's "
        "term ended (2015-12-31)" in result.stderr
    )
    assert "Nothing was written: the change would leave 3 error(s)." in result.stderr
    assert read == ["mandate.toml"]  # the file it edits; the others came from the cache
    assert {p.name: p.read_text(encoding="utf-8") for p in shipped.glob("*.toml")} == before


def test_adding_a_duplicate_names_the_line_of_the_first(tracker, shipped):
    assert tracker("sync").exit_code == 0
    result = tracker(
        "add", "visit", "--id", "swe-2018", "--holder", "okafor", "--country", "SWE",
        "--status", "requested", "--source", "A/1/1",
    )  # fmt: skip
    assert result.exit_code == 1
    header = line_of(shipped / "visits.toml", r'^id = "swe-2018"') - 1
    assert f"already exists at {shipped / 'visits.toml'}:{header} (give another" in result.stderr


def test_an_error_made_by_hand_in_an_untouched_file_names_its_line(tracker, shipped):
    assert tracker("sync").exit_code == 0
    themes = shipped / "themes.toml"
    text = themes.read_text(encoding="utf-8")
    title = re.search(r'^title = ".*"$', text, re.M)
    assert title is not None
    themes.write_text(text.replace(title.group(0), "title = 5", 1), encoding="utf-8")
    line = line_of(themes, r"^title = 5$")
    result = tracker(*ADD_VISIT)
    assert result.exit_code == 1
    assert f"themes.toml:{line}: " in result.stderr
    assert "field 'title': must be text, not a number" in result.stderr
    assert "Nothing was written: the data already holds 1 error(s)." in result.stderr


def test_a_stale_cache_is_never_trusted(tracker, shipped):
    """visits.toml changed by hand after the store cached it: a write to another file
    still checks every field of it, and a write to it keeps the hand edit."""
    assert tracker("sync").exit_code == 0
    visits = shipped / "visits.toml"
    text = visits.read_text(encoding="utf-8")
    visits.write_text(text.replace('country = "BRA"', 'country = "XXX"', 1), encoding="utf-8")
    line = line_of(visits, r'^country = "XXX"')
    result = tracker("add", "theme", "--id", "water", "--title", "Water", "--source", "A/1/1")
    assert result.exit_code == 1
    assert f"visits.toml:{line}: error: visit 'bra-2012' field 'country': 'XXX' is not" in (
        result.stderr
    )

    edited = text.replace("end = 2012-06-29", "end = 2012-06-28", 1)
    visits.write_text(edited, encoding="utf-8")
    added = tracker(*ADD_VISIT)
    assert added.exit_code == 0, added.output
    written = visits.read_text(encoding="utf-8")
    assert 'id = "nld-2026"' in written
    assert re.search(r'id = "bra-2012"\n(.+\n)*end = 2012-06-28\n', written)


def test_a_file_the_write_replaces_is_read_from_its_text_not_the_cache(tracker, shipped):
    """Even a cache that looks current (fingerprint and stamp match) is not where a
    rewritten file's records come from: a damaged cache must not reach the data."""
    assert tracker("sync").exit_code == 0
    db = shipped / "tracker.db"
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "update source_cache set document = ? where file = 'visits.toml'",
            (json.dumps({"visit": []}),),
        )
    conn.close()
    store.write_stamp(db)  # as if tracker had left the store so
    ids = re.findall(r'^id = "(.*)"', (shipped / "visits.toml").read_text("utf-8"), re.M)
    assert tracker(*ADD_VISIT).exit_code == 0
    after = re.findall(r'^id = "(.*)"', (shipped / "visits.toml").read_text("utf-8"), re.M)
    assert sorted(after) == sorted([*ids, "nld-2026"])


plain_values = st.one_of(
    st.text(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.booleans(),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.floats(allow_nan=False),
)


@given(st.lists(plain_values, max_size=12))
def test_values_written_together_as_tomli_w_writes_each(values):
    assert writer.value_texts(values) == [writer.value_text(value) for value in values]

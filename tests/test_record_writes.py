"""Writes at the cost of the record (tracker/writer.py, record_write) against the whole-
data path: for random sequences of writes (add, update, link, unlink, remove of visits,
themes and reports; add, update and remove of engagements, communications, standing
invitations and recommendations) on a data folder tracker has never seen, the record
path leaves the files byte for byte as the whole-data path writes them, says the same
(result, warnings, refusal), and leaves a store equal to one rebuilt from the files:
every table's rows, and what a search finds."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from record_fixture import write_folder

from tracker import edit, layout, schema, search, store, writer
from tracker.paths import Settings
from tracker.problems import TrackerError

VISITS = ["nld-2018", "bra-2027", "chl-2021", "new-2025", "new-2026"]
THEMES = ["water", "tax", "debt", "peace"]
REPORTS = ["A/HRC/34/1", "A/HRC/37/1", "A/74/1", "A/HRC/60/1", "A/HRC/60/2"]
STATUSES = ["requested", "accepted", "scheduled", "completed", "declined"]
SEARCHES = ["water", "visit", "Brazil", "report", "second", "debt", "peace", "forum", "letter"]
# The wider record's kinds (engagements, communications, standing invitations,
# recommendations): their own files, written at the cost of the record too.
ENGAGEMENTS = ["ga-2017", "states-2021", "panel-2027", "forum-2024"]
COMMUNICATIONS = ["AL BRA 1/2026", "UA NLD 2/2026", "OL OTH 1/2025", "AL KEN 3/2026"]
INVITATIONS = ["NLD", "CHL", "NOR", "PER", "KEN"]
RECOMMENDATIONS = ["rec-1", "rec-2"]
WIDER_FILES = {
    "engagement": "engagements.toml",
    "communication": "communications.toml",
    "invitation": "invitations.toml",
    "recommendation": "recommendations.toml",
}


def dates(first: int = 2008, last: int = 2028) -> st.SearchStrategy[dt.date]:
    return st.dates(dt.date(first, 1, 1), dt.date(last, 12, 28))


OPS = st.one_of(
    st.tuples(
        st.just("add visit"),
        st.sampled_from(VISITS),
        st.sampled_from(["second", "first"]),
        st.sampled_from(["BRA", "KEN", "PER"]),
        st.sampled_from(STATUSES),
        st.none() | dates(),
    ),
    st.tuples(
        st.just("update visit"),
        st.sampled_from(VISITS),
        st.sampled_from(["status", "note", "start", "end"]),
        st.sampled_from(STATUSES),
        dates(),
    ),
    st.tuples(
        st.sampled_from(["link", "unlink"]),
        st.sampled_from(VISITS + REPORTS),
        st.lists(st.sampled_from([*THEMES, "nope"]), min_size=1, max_size=2),
    ),
    st.tuples(
        st.just("remove"),
        st.sampled_from(["visit", "theme", "report"]),
        st.sampled_from(VISITS + THEMES + REPORTS),
        st.booleans(),
    ),
    st.tuples(st.just("add theme"), st.sampled_from(THEMES), st.sampled_from(["A", "B"])),
    st.tuples(
        st.just("update theme"),
        st.sampled_from(THEMES),
        st.sampled_from(["title", "note"]),
        st.sampled_from(["A title", "A note"]),
    ),
    st.tuples(
        st.just("add report"),
        st.sampled_from(REPORTS),
        st.integers(2015, 2024),
        st.lists(st.sampled_from(THEMES), max_size=2, unique=True),
    ),
    st.tuples(
        st.just("update report"),
        st.sampled_from(REPORTS),
        st.sampled_from(["title", "year", "session"]),
        st.integers(2015, 2024),
    ),
    st.tuples(
        st.just("add engagement"),
        st.sampled_from(ENGAGEMENTS),
        dates(2010, 2030),
        st.sampled_from(["statement", "panel", "meeting"]),
        st.lists(st.sampled_from(THEMES), max_size=2, unique=True),
    ),
    st.tuples(
        st.just("add communication"),
        st.sampled_from(COMMUNICATIONS),
        st.sampled_from(["AL", "UA", "OL"]),
        st.sampled_from(["BRA", "KEN", None]),
        dates(2015, 2026),
    ),
    st.tuples(
        st.just("add invitation"),
        st.sampled_from(INVITATIONS),
        st.none() | dates(1995, 2026),
    ),
    st.tuples(
        st.just("add recommendation"),
        st.sampled_from(RECOMMENDATIONS),
        st.sampled_from(REPORTS),
        st.sampled_from(["recommendation", "observation"]),
    ),
    st.tuples(
        st.just("update wider"),
        st.sampled_from(
            [("engagement", k) for k in ENGAGEMENTS]
            + [("communication", k) for k in COMMUNICATIONS]
            + [("invitation", k) for k in INVITATIONS]
            + [("recommendation", k) for k in RECOMMENDATIONS]
        ),
        st.sampled_from(["note", "date"]),
        dates(2000, 2026),
    ),
    st.tuples(
        st.just("remove"),
        st.sampled_from(list(WIDER_FILES)),
        st.sampled_from(ENGAGEMENTS + COMMUNICATIONS + INVITATIONS + RECOMMENDATIONS),
        st.booleans(),
    ),
)


def change_for(op: tuple[Any, ...]) -> tuple[Any, str]:
    """The change a command makes (as tracker/cli/edit.py asks it), and the file it names."""
    name = op[0]
    if name == "add visit":
        _, key, holder, country, status, start = op
        values: dict[str, Any] = {
            "id": key,
            "holder": holder,
            "country": country,
            "status": status,
            "source": "https://example.org/v",
        }
        if start is not None:
            values["start"] = start
        return (lambda d: edit.add(d, "visit", values, edit.StatusChange())), "visits.toml"
    if name == "update visit":
        _, key, field, status, when = op
        value = {"status": status, "note": f"note {when}", "start": when, "end": when}[field]
        change = edit.StatusChange() if field == "status" else None
        return (lambda d: edit.update(d, "visit", key, {field: value}, (), change)), "visits.toml"
    if name in ("link", "unlink"):
        _, key, themes = op
        action = edit.link if name == "link" else edit.unlink
        return (lambda d: action(d, key, themes)), ""
    if name == "remove":
        _, kind, key, cascade = op
        touched = WIDER_FILES.get(kind) or f"{kind}s.toml".replace("reports", "themes")
        return (lambda d: edit.remove(d, kind, key, cascade)), touched
    if name.startswith("add ") and name[4:] in WIDER_FILES:
        kind = name[4:]
        values = wider_values(op)
        return (lambda d: edit.add(d, kind, values)), WIDER_FILES[kind]
    if name == "update wider":
        _, (kind, key), field, when = op
        if field == "date":
            field = {"invitation": "since", "recommendation": "published"}.get(kind, "date")
        value = f"note {when}" if field == "note" else when
        return (lambda d: edit.update(d, kind, key, {field: value})), WIDER_FILES[kind]
    if name == "add theme":
        _, key, title = op
        values = {"id": key, "mandate": "test-mandate", "title": title, "source": "A/HRC/1/1"}
        return (lambda d: edit.add(d, "theme", values)), "themes.toml"
    if name == "update theme":
        _, key, field, value = op
        return (lambda d: edit.update(d, "theme", key, {field: value})), "themes.toml"
    if name == "add report":
        _, key, year, themes = op
        values = {
            "symbol": key,
            "holder": "second",
            "body": "HRC",
            "year": year,
            "kind": "thematic",
            "title": f"Report {key}",
            "source": key,
        }
        if themes:
            values["themes"] = themes
        return (lambda d: edit.add(d, "report", values)), "themes.toml"
    _, key, field, number = op
    value = {"title": f"Title {number}", "year": number, "session": number - 2000}[field]
    return (lambda d: edit.update(d, "report", key, {field: value})), "themes.toml"


def wider_values(op: tuple[Any, ...]) -> dict[str, Any]:
    """The values of an added engagement, communication, invitation or recommendation."""
    name, key = op[0], op[1]
    source = {"source": "https://example.org/wider"}
    if name == "add engagement":
        _, _, when, kind, themes = op
        values = {"id": key, "holder": "second", "date": when, "forum": "A forum"}
        values.update(kind=kind, title=f"Engagement {key}", **source)
        return {**values, "themes": themes} if themes else values
    if name == "add communication":
        _, _, kind, country, when = op
        values = {"ref": key, "type": kind, "holder": "second", "date": when, **source}
        values["summary"] = f"A letter {key}"
        return {**values, "country": country} if country else values
    if name == "add invitation":
        _, _, since = op
        return {"country": key, **source, **({"since": since} if since else {})}
    _, _, report, kind = op
    return {"id": key, "report": report, "type": kind, "text": f"Text of {key}", **source}


def run(config: Settings, op: tuple[Any, ...]) -> Any:
    """What a write says: its result's key and warnings, or its refusal."""
    change, touches = change_for(op)
    try:
        result, outcome = writer.transaction(
            config, change, touches=[touches] if touches else (), one_record=True
        )
    except TrackerError as error:
        report = getattr(error, "report", None)
        return ("refused", type(error).__name__, report() if report else str(error))
    return ("done", repr(result)[:0], [str(p) for p in outcome.warnings], outcome.written)


def tables(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(db)
    try:
        found = {}
        for name in schema.tables():
            if name in store.INTERNAL_TABLES:
                continue
            found[name] = sorted(map(tuple, conn.execute(f'select * from "{name}"')), key=repr)
        index = "select kind, key, mandate, title, text, tags, symbol, url from search_index"
        found["search_index"] = sorted(conn.execute(index).fetchall(), key=repr)
        conn.row_factory = sqlite3.Row
        for text in SEARCHES:
            hits = search.search(conn, text, limit=None)
            found[f"search {text}"] = [(h["kind"], h["key"], h.get("snippet")) for h in hits]
        return found
    finally:
        conn.close()


def folder_with_store(root: Path, name: str, sub_folder: bool = False) -> Settings:
    """The never-seen folder, flat or with its mandate's files in the mandate's sub-folder
    (docs/data-format.md), and a store built from it."""
    folder = root / name
    write_folder(folder)
    if sub_folder:
        (folder / "test-mandate").mkdir()
        for file in layout.mandate_files():
            if (folder / file).exists():
                (folder / file).rename(folder / "test-mandate" / file)
    config = Settings(folder, folder / "tracker.db")
    store.rebuild(config)
    return config


def check_sequence(root: Path, ops: list[tuple[Any, ...]], sub_folder: bool = False) -> None:
    record = folder_with_store(root, "record", sub_folder)
    whole = folder_with_store(root, "whole", sub_folder)
    for op in ops:
        said = repr(run(record, op)).replace(str(record.data_dir), "DATA")
        os.environ[writer.WHOLE_DATA_ENV] = "1"
        try:
            expected = repr(run(whole, op)).replace(str(whole.data_dir), "DATA")
        finally:
            del os.environ[writer.WHOLE_DATA_ENV]
        assert said == expected, op
        keys = layout.data_files(record.data_dir)
        assert keys == layout.data_files(whole.data_dir), op
        for name in keys:
            mine, theirs = record.data_dir / name, whole.data_dir / name
            assert mine.exists() == theirs.exists(), (op, name)
            if mine.exists():
                assert mine.read_bytes() == theirs.read_bytes(), (op, name)
    # The store the record path kept equals one built afresh from its files.
    assert store.open_if_fresh(record.db, store.fingerprint(record.data)) is not None
    rebuilt = Settings(record.data_dir, root / "rebuilt.db")
    store.rebuild(rebuilt)
    assert tables(record.db_path) == tables(rebuilt.db_path)


class Counted:
    """writer.record_write, counting the writes it did (not those it handed on)."""

    def __init__(self) -> None:
        self.done = 0
        self.real = writer.record_write

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        found = self.real(*args, **kwargs)
        self.done += 1
        return found


SEQUENCES = st.lists(OPS, min_size=1, max_size=10)
HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@given(ops=SEQUENCES, sub_folder=st.booleans())
@settings(max_examples=6, deadline=None, suppress_health_check=HEALTH)
def test_record_writes_equal_whole_data_writes(
    tmp_path_factory: Any, ops: Any, sub_folder: bool
) -> None:
    check_sequence(tmp_path_factory.mktemp("writes"), ops, sub_folder)


@pytest.mark.slow
@given(ops=st.lists(OPS, min_size=1, max_size=25), sub_folder=st.booleans())
@settings(max_examples=60, deadline=None, suppress_health_check=HEALTH)
def test_record_writes_equal_whole_data_writes_at_length(
    tmp_path_factory: Any, ops: Any, sub_folder: bool
) -> None:
    check_sequence(tmp_path_factory.mktemp("writes"), ops, sub_folder)


@pytest.mark.parametrize("sub_folder", [False, True], ids=["flat", "sub-folder"])
def test_a_sequence_of_each_write_takes_the_record_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sub_folder: bool
) -> None:
    """The first write to a file lays it out (whole-data path); the next ones are record
    writes, and still agree with the whole-data path."""
    ops = [
        ("add visit", "new-2025", "second", "BRA", "requested", None),
        ("add visit", "new-2026", "second", "KEN", "requested", dt.date(2026, 12, 1)),
        ("update visit", "new-2025", "status", "accepted", dt.date(2026, 1, 1)),
        ("link", "new-2026", ["water", "tax"]),
        ("unlink", "new-2026", ["water"]),
        ("remove", "visit", "new-2025", False),
        ("add theme", "debt", "A"),
        ("add theme", "peace", "B"),
        ("update theme", "debt", "note", "A note"),
        ("add report", "A/HRC/60/1", 2023, ["debt"]),
        ("update report", "A/HRC/60/1", "session", 2023),
        ("link", "A/HRC/60/1", ["peace"]),
        ("remove", "report", "A/HRC/60/1", False),
        ("remove", "theme", "peace", False),
        ("add engagement", "forum-2024", dt.date(2024, 3, 1), "panel", ["water"]),
        ("add engagement", "panel-2028", dt.date(2028, 3, 1), "panel", []),
        ("update wider", ("engagement", "forum-2024"), "note", dt.date(2024, 1, 1)),
        ("remove", "engagement", "panel-2028", False),
        ("add communication", "AL KEN 3/2026", "AL", "KEN", dt.date(2026, 3, 1)),
        ("add communication", "UA BRA 4/2026", "UA", "BRA", dt.date(2026, 4, 1)),
        ("update wider", ("communication", "AL KEN 3/2026"), "date", dt.date(2026, 2, 1)),
        ("add invitation", "KEN", dt.date(2020, 1, 1)),
        ("add invitation", "BRA", None),
        ("update wider", ("invitation", "KEN"), "note", dt.date(2020, 1, 1)),
        ("add recommendation", "rec-1", "A/HRC/34/1", "recommendation"),
        ("add recommendation", "rec-2", "A/74/1", "observation"),
        ("update wider", ("recommendation", "rec-1"), "note", dt.date(2020, 1, 1)),
        ("remove", "recommendation", "rec-2", False),
    ]
    counted = Counted()
    monkeypatch.setattr(writer, "record_write", counted)
    check_sequence(tmp_path, ops, sub_folder)
    assert counted.done >= 20


def test_a_member_code_typed_for_a_country_is_what_the_name_lookup_gives() -> None:
    """edit.convert takes a UN member's alpha-3 code as it is, without loading the names
    (a tenth of a second): the lookup gives every such code back unchanged."""
    from tracker import countries

    for code in countries.region_of():
        assert countries.resolve_offline(code) == code
        assert edit.convert("visit", "country", code) == code


def canonical_files(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {row[0] for row in conn.execute("select file from file_state where canonical")}
    finally:
        conn.close()


def test_a_rebuild_keeps_knowing_which_files_tracker_laid_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which bytes are in canonical layout is known from tracker's own writes (a record
    write needs it); a rebuild of the store keeps it, so the next write is a record write."""
    config = folder_with_store(tmp_path, "data")
    assert canonical_files(config.db_path) == set()
    run(config, ("add visit", "new-2025", "second", "BRA", "requested", None))
    assert canonical_files(config.db_path) == {"visits.toml"}
    store.rebuild(config)
    assert canonical_files(config.db_path) == {"visits.toml"}
    counted = Counted()
    monkeypatch.setattr(writer, "record_write", counted)
    run(config, ("add visit", "new-2026", "second", "KEN", "requested", None))
    assert counted.done == 1
    # Bytes written by someone else are not known to be canonical, whatever they hold.
    path = config.data_dir / "visits.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    store.rebuild(config)
    assert canonical_files(config.db_path) == set()

"""`tracker fmt --check` at the cost of the files that changed (issue 17).

The store records each data file's digest and the version of the canonical layout under
which tracker knows those bytes to be canonical (file_state). `fmt --check` does not parse
a file whose bytes a store as tracker left it flags under this version; it parses the
others, and records those it finds canonical, so the next check skips them. It never
writes a data file.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import textwrap
from pathlib import Path
from typing import Any

import pytest
import record_fixture as fx

from tracker import layout, sources, store, writer
from tracker.paths import STORE_NAME

MESSY = """\
# Hand-written visits.

[[visit]]
source   =   "A/HRC/20/1/Add.1"
status = "completed"
id="ken-2012"
end = "2012-03-05"
start = 2012-03-01
holder = "first"
country = "KEN"
"""


def reported(result: Any, folder: Path) -> list[str]:
    """The data files (by key) that a `fmt --check` run names as not canonical."""
    names = []
    for line in result.stdout.splitlines():
        shown, found, _ = line.partition(": not in canonical layout (run `tracker fmt`)")
        if found:
            names.append(Path(shown).resolve().relative_to(folder.resolve()).as_posix())
    return names


def all_canonical(result: Any) -> bool:
    return result.exit_code == 0 and result.stdout.startswith("All data files in ")


def flags(folder: Path) -> dict[str, int]:
    """Each data file the store flags as canonical, with the layout version of the flag."""
    conn = sqlite3.connect(folder / STORE_NAME)
    try:
        query = "select file, canonical from file_state where canonical"
        return dict(conn.execute(query).fetchall())
    finally:
        conn.close()


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of the data folder but the store: its bytes and modification time."""
    return {
        path.relative_to(folder).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith(STORE_NAME)
    }


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The data files parsed (by key), in the order sources.load reads them."""
    seen: list[str] = []
    load = sources.load

    def counted(folder: Path, *args: Any, **kwargs: Any) -> Any:
        seen.extend(kwargs.get("files") or layout.data_files(folder))
        return load(folder, *args, **kwargs)

    monkeypatch.setattr(sources, "load", counted)
    return seen


def test_a_second_check_parses_only_the_file_edited_since(tracker, shipped, parsed):
    keys = layout.data_files(shipped)
    before = snapshot(shipped)
    first = tracker("fmt", "--check")
    assert all_canonical(first), first.output
    assert sorted(parsed) == sorted(keys)  # the store built by a rebuild knew none
    assert flags(shipped) == dict.fromkeys(keys, writer.LAYOUT_VERSION)
    parsed.clear()
    again = tracker("fmt", "--check")
    assert all_canonical(again), again.output
    assert parsed == []

    # A hand edit into a layout fmt would change: its bytes are not the flagged ones.
    visits = shipped / "visits.toml"
    text = visits.read_text(encoding="utf-8")
    visits.write_text(text.replace('\nid = "', '\nid  =  "', 1), encoding="utf-8")
    edited = snapshot(shipped)
    check = tracker("fmt", "--check")
    assert check.exit_code == 1
    assert reported(check, shipped) == ["visits.toml"]
    assert parsed == ["visits.toml"]
    # Still so once the store has caught up with the edit (it knows the new bytes, not as
    # canonical), and fmt --check wrote no data file on any run.
    assert tracker("sync").exit_code == 0
    assert flags(shipped) == dict.fromkeys(set(keys) - {"visits.toml"}, writer.LAYOUT_VERSION)
    parsed.clear()
    assert reported(tracker("fmt", "--check"), shipped) == ["visits.toml"]
    assert parsed == ["visits.toml"]
    assert snapshot(shipped) == edited
    assert {k: v for k, v in before.items() if k != "visits.toml"} == {
        k: v for k, v in edited.items() if k != "visits.toml"
    }

    # Laid out again by fmt: canonical, and flagged by the write itself.
    assert tracker("fmt").exit_code == 0
    parsed.clear()
    assert all_canonical(tracker("fmt", "--check"))
    assert parsed == []


def test_flags_of_another_layout_version_are_not_trusted(tracker, shipped, parsed, monkeypatch):
    keys = layout.data_files(shipped)
    assert all_canonical(tracker("fmt", "--check"))
    assert set(flags(shipped).values()) == {writer.LAYOUT_VERSION}
    # A later tracker lays the files out otherwise (here: one more blank line at the end).
    laid_out = writer.file_text
    monkeypatch.setattr(writer, "file_text", lambda *args: laid_out(*args) + "\n")
    # Had it forgotten to bump the layout version, it would trust the old flags:
    parsed.clear()
    assert all_canonical(tracker("fmt", "--check"))
    assert parsed == []
    # With the version bumped, every file is parsed again and found not canonical.
    monkeypatch.setattr(writer, "LAYOUT_VERSION", writer.LAYOUT_VERSION + 1)
    check = tracker("fmt", "--check")
    assert check.exit_code == 1
    assert sorted(reported(check, shipped)) == sorted(keys)
    # A write of one record does not trust them either (it needs canonical bytes).
    db = shipped / STORE_NAME
    digest = hashlib.sha256((shipped / "visits.toml").read_bytes()).digest()
    for version, trusted in ((writer.LAYOUT_VERSION - 1, True), (writer.LAYOUT_VERSION, False)):
        opened = store.open_for_record_write(db, shipped, version)
        assert opened is not None
        assert opened.proves("visits.toml", digest) is trusted
        assert opened.proves("visits.toml", digest, canonical=False)
        opened.close()
    # A rebuild carries each flag over with its own version: still not trusted.
    assert tracker("sync").exit_code == 0
    assert set(flags(shipped).values()) == {writer.LAYOUT_VERSION - 1}
    assert sorted(reported(tracker("fmt", "--check"), shipped)) == sorted(keys)
    # The new layout's own check records its version.
    monkeypatch.setattr(writer, "file_text", laid_out)
    assert all_canonical(tracker("fmt", "--check"))
    assert flags(shipped) == dict.fromkeys(keys, writer.LAYOUT_VERSION)
    parsed.clear()
    assert all_canonical(tracker("fmt", "--check"))
    assert parsed == []


def test_without_a_store_or_with_a_damaged_one_the_answer_is_the_same(make_data, tracker_for):
    folder = make_data(visits=MESSY)
    run = tracker_for(folder)
    db = folder / STORE_NAME
    before = snapshot(folder)
    expected = ["visits.toml"]
    check = run("fmt", "--check")
    assert (check.exit_code, reported(check, folder)) == (1, expected)
    assert not db.exists()  # a check builds no store

    # A flag for the messy bytes in a store tracker did not leave so (its stamp differs).
    assert run("sync").exit_code == 0
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "update file_state set canonical = ? where file = 'visits.toml'",
            (writer.LAYOUT_VERSION,),
        )
    conn.close()
    check = run("fmt", "--check")
    assert (check.exit_code, reported(check, folder)) == (1, expected)
    store.write_stamp(db)  # (as if tracker had: now the flag is trusted, wrongly)
    assert all_canonical(run("fmt", "--check"))

    # A store that is no SQLite database, or lacks the table, behind a matching stamp.
    for damage in ("junk", "no table"):
        if damage == "junk":
            db.write_bytes(b"not a database " * 100)
        else:
            conn = sqlite3.connect(db)
            conn.execute("drop table file_state")
            conn.close()
        store.write_stamp(db)
        check = run("fmt", "--check")
        assert (check.exit_code, check.stderr) == (1, "")
        assert reported(check, folder) == expected
        assert run("sync").exit_code == 0  # (a fresh store for the next round)
    assert snapshot(folder) == before


def test_a_file_read_past_a_byte_order_mark_or_crlf_is_not_flagged(tracker, shipped, parsed):
    """fmt --check reads past a byte-order mark and \\r\\n line ends, as fmt does; those bytes
    are not what the writer writes, so they are not flagged (a write of one record could
    not splice its text into them)."""
    themes, visits = shipped / "themes.toml", shipped / "visits.toml"
    themes.write_bytes(b"\xef\xbb\xbf" + themes.read_bytes())
    visits.write_bytes(visits.read_bytes().replace(b"\n", b"\r\n"))
    assert tracker("sync").exit_code == 0
    assert all_canonical(tracker("fmt", "--check"))
    assert set(flags(shipped)) == set(layout.data_files(shipped)) - {"themes.toml", "visits.toml"}
    parsed.clear()
    assert all_canonical(tracker("fmt", "--check"))
    assert sorted(parsed) == ["themes.toml", "visits.toml"]


def test_in_the_sub_folder_form_a_file_is_known_by_its_path(tmp_path, tracker_for, parsed):
    folder = tmp_path / "data"
    fx.write_folder(folder / "test-mandate")
    shutil.move(folder / "test-mandate" / "invitations.toml", folder / "invitations.toml")
    run = tracker_for(folder)
    for path in (folder / "test-mandate").glob("*.toml"):  # (fmt keeps no stray comment)
        path.write_text("".join(line for line in path.open() if not line.startswith("#")))
    assert run("fmt").exit_code == 0
    (folder / STORE_NAME).unlink()
    assert run("sync").exit_code == 0  # a store that knows no flag
    keys = layout.data_files(folder)
    assert "test-mandate/visits.toml" in keys
    parsed.clear()
    assert all_canonical(run("fmt", "--check"))
    assert sorted(parsed) == sorted(keys)
    # (A file a kind may have but this folder lacks is read as empty: it has no digest.)
    missing = [key for key in keys if not (folder / key).exists()]
    assert "test-mandate/visits.toml" not in missing
    assert set(flags(folder)) == set(keys) - set(missing)
    path = folder / "test-mandate" / "visits.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    parsed.clear()
    check = run("fmt", "--check")
    assert reported(check, folder) == ["test-mandate/visits.toml"]
    assert sorted(parsed) == sorted([*missing, "test-mandate/visits.toml"])


def test_messy_text_is_reported_with_its_stray_comment_whatever_the_store(make_data, tracker_for):
    visits = MESSY.replace('status = "completed"\n', 'status = "completed"  # sure?\n', 1)
    folder = make_data(visits=textwrap.dedent(visits))
    run = tracker_for(folder)
    assert run("sync").exit_code == 0
    for _ in range(2):  # the second time with whatever the first recorded
        check = run("fmt", "--check")
        assert check.exit_code == 1
        assert reported(check, folder) == ["visits.toml"]
        assert "visits.toml:5: comment outside the leading block" in check.stdout
    assert (folder / "visits.toml").read_text(encoding="utf-8") == visits


def test_a_store_busy_with_another_writer_leaves_the_flags_for_later(
    tracker, shipped_with_store, parsed
):
    """Recording the flags waits a moment at most: the check itself is done."""
    shipped = shipped_with_store
    conn = sqlite3.connect(shipped / STORE_NAME, isolation_level=None)
    try:
        conn.execute("begin immediate")  # another writer holds the store
        assert all_canonical(tracker("fmt", "--check"))
        assert flags(shipped) == {}
    finally:
        conn.close()
    parsed.clear()
    assert all_canonical(tracker("fmt", "--check"))
    assert sorted(parsed) == sorted(layout.data_files(shipped))
    assert set(flags(shipped)) == set(layout.data_files(shipped))

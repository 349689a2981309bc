"""The rebuild progress display: on a terminal for large data, never when piped."""

from __future__ import annotations

import io
import sys

from tracker import progress


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def big_folder(tmp_path):
    (tmp_path / "themes.toml").write_bytes(b"#" * progress.NOTICEABLE_BYTES)
    return tmp_path


def test_no_display_when_piped(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not progress.wanted(big_folder(tmp_path))
    with progress.stages(tmp_path, "Rebuilding", "reading", 2) as step:
        step("writing")
    assert sys.stderr.getvalue() == ""


def test_no_display_for_small_data_on_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "stderr", FakeTerminal())
    (tmp_path / "visits.toml").write_text("# small\n")
    assert not progress.wanted(tmp_path)


def test_display_for_large_data_on_a_terminal(tmp_path, monkeypatch):
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    folder = big_folder(tmp_path)
    assert progress.wanted(folder)
    with progress.stages(folder, "Rebuilding the store", "reading the data", 3) as step:
        step("writing the tables")
    shown = terminal.getvalue()
    assert "Rebuilding the store: reading the data" in shown
    assert "━" in shown and "0/3" in shown  # a bar over the stages, and how far it got


def test_rebuilds_and_updates_of_large_data_show_their_stages(shipped, monkeypatch):
    """Both a full rebuild and an in-place update of the store go through the display."""
    from tracker import store
    from tracker.paths import Settings

    seen: list[tuple[str, str, int]] = []
    real = progress.stages

    def spy(folder, title, first, total):
        seen.append((title, first, total))
        return real(folder, title, first, total)

    monkeypatch.setattr(progress, "stages", spy)
    settings = Settings(shipped, shipped / "tracker.db")
    store.rebuild(settings)
    # (A mandate.toml: a changed visits.toml has only its records replaced, too quickly
    # to need a display, store.update_files.)
    with (shipped / "mandate.toml").open("a", encoding="utf-8") as file:
        file.write("\n")
    store.refresh(settings)
    assert seen == [
        ("Rebuilding the store", "reading and checking the data", 3),
        ("Updating the store", "reading and checking the changed data", 3),
    ]

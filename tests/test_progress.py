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
    with progress.stages(tmp_path, "Rebuilding") as step:
        step("Writing")
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
    with progress.stages(folder, "Rebuilding the store") as step:
        step("Writing the store")
    assert "Rebuilding the store" in terminal.getvalue()

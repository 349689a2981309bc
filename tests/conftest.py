"""Shared fixtures: every test runs against its own copy of data and its own store,
never the user's folders, with a fixed "today" so stale checks are reproducible."""

from __future__ import annotations

import shutil
import textwrap
import weakref
from collections.abc import Callable
from pathlib import Path

import pytest
import typer.main
import typer.testing
from typer.testing import CliRunner

from tracker.cli.app import app

# Typer turns the app into a Click command each time it runs it (CliRunner.invoke, and
# tracker.cli.run calling the app): a tenth of a second, most of an in-process test's
# time. A program does it once per run; here it is done once per app object (a test that
# declares a new kind builds a new app, so it gets its own command).
_built: weakref.WeakKeyDictionary[typer.Typer, object] = weakref.WeakKeyDictionary()
_get_command = typer.main.get_command


def _command_built_once(app: typer.Typer):
    if app not in _built:
        _built[app] = _get_command(app)
    return _built[app]


typer.main.get_command = _command_built_once  # type: ignore[assignment]
typer.testing._get_command = _command_built_once  # type: ignore[assignment]

# The fuzz and fault tests record what they tried (tests/reliability.py, docs/reliability.md).
pytest_plugins = ["reliability"]

REPO = Path(__file__).resolve().parent.parent
SHIPPED = REPO / "data"
TODAY = "2026-11-23"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("TRACKER_TODAY", TODAY)
    monkeypatch.delenv("TRACKER_DATA", raising=False)
    monkeypatch.delenv("TRACKER_DB", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A private copy of the shipped data folder."""
    target = tmp_path / "data"
    shutil.copytree(SHIPPED, target, ignore=shutil.ignore_patterns("*.db*", ".*"))
    return target


MINIMAL_MANDATE = """\
[[mandate]]
id = "test-mandate"
title = "Independent Expert on testing"
established = 2010-01-01
established_by = "A/HRC/RES/1/1"
source = "A/HRC/RES/1/1"

[[holder]]
id = "first"
mandate = "test-mandate"
name = "First Holder"
nationality = "KEN"
start = 2010-06-01
end = 2014-05-31
source = "A/HRC/1/1"

[[holder]]
id = "second"
mandate = "test-mandate"
name = "Second Holder"
start = 2014-06-01
source = "A/HRC/2/2"
"""


@pytest.fixture
def make_data(tmp_path: Path) -> Callable[..., Path]:
    """Write a small purpose-built data folder; each argument is one file's TOML text."""

    def make(
        mandate: str = MINIMAL_MANDATE, visits: str = "", themes: str = "", name: str = "mini"
    ) -> Path:
        folder = tmp_path / name
        folder.mkdir(exist_ok=True)
        (folder / "mandate.toml").write_text(textwrap.dedent(mandate), encoding="utf-8")
        (folder / "visits.toml").write_text(textwrap.dedent(visits), encoding="utf-8")
        (folder / "themes.toml").write_text(textwrap.dedent(themes), encoding="utf-8")
        for name in (
            "engagements.toml",
            "communications.toml",
            "invitations.toml",
            "recommendations.toml",
        ):
            (folder / name).write_text("", encoding="utf-8")
        return folder

    return make


class Tracker:
    """Runs the CLI in-process against one data folder.

    template: a folder whose store was built from the same shipped data. Before the first
    command, if the folder has no store yet and its files hold exactly the template's
    bytes, the template's store is copied in and made this folder's (adopt_store):
    what a build would write, without the build, most of a test's time otherwise.
    """

    def __init__(self, data: Path, template: Path | None = None):
        self.data = data
        self.runner = CliRunner()
        self.template = template

    def __call__(self, *args: str, input: str | None = None):
        if self.template is not None and not any(a.startswith("--db") for a in args):
            adopt_store(self.template, self.data)  # (with --db the store is elsewhere)
            self.template = None
        return self.runner.invoke(app, ["--data", str(self.data), *args], input=input)


def adopt_store(template: Path, folder: Path) -> None:
    """Give folder a copy of template's store, as a rebuild of folder would make it: only
    the folder and the files' fingerprints differ. Nothing is done unless folder has no
    store and holds exactly the template's data files (a test may have edited them)."""
    import sqlite3

    from tracker import store
    from tracker.paths import STORE_NAME

    target = folder / STORE_NAME
    names = [p.name for p in template.glob("*.toml")]
    if target.exists() or sorted(names) != sorted(p.name for p in folder.glob("*.toml")):
        return
    if any((folder / n).read_bytes() != (template / n).read_bytes() for n in names):
        return
    shutil.copyfile(template / STORE_NAME, target)
    files = store.file_fingerprints(folder)
    conn = sqlite3.connect(target)
    with conn:
        conn.execute(
            "update meta set value = ? where key = 'fingerprint'",
            (store.fingerprint(folder, files),),
        )
        conn.execute("update meta set value = ? where key = 'data_dir'", (str(folder.resolve()),))
        for name, value in files.items():
            conn.execute("update source_cache set fingerprint = ? where file = ?", (value, name))
    conn.close()
    store.write_stamp(target)


@pytest.fixture(scope="session")
def shipped_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the shipped data with its store built, for adopt_store."""
    from tracker import store
    from tracker.paths import STORE_NAME, Settings

    folder = tmp_path_factory.mktemp("template") / "data"
    shutil.copytree(SHIPPED, folder, ignore=shutil.ignore_patterns("*.db*", ".*"))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TRACKER_TODAY", TODAY)
        store.rebuild(Settings(folder, folder / STORE_NAME))
    return folder


@pytest.fixture
def tracker(shipped: Path, shipped_template: Path) -> Tracker:
    return Tracker(shipped, template=shipped_template)


@pytest.fixture
def shipped_with_store(shipped: Path, shipped_template: Path) -> Path:
    """shipped, with its store already there (adopt_store), for tests that run commands
    on it other than through the tracker fixture."""
    adopt_store(shipped_template, shipped)
    return shipped


@pytest.fixture
def tracker_for(shipped_template: Path) -> Callable[[Path], Tracker]:
    """A Tracker for any folder; one that holds the shipped data unchanged and has no store
    yet gets the shared one (adopt_store checks both)."""
    return lambda data: Tracker(data, template=shipped_template)

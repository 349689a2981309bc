"""Every view, run in a real pseudo-terminal at 60, 80, 100 and 160 columns, on the shipped
data, on a generated data set and on a never-seen folder with the wider record filled in
(tests/record_fixture.py), and the help of every command: no line is wider than the
terminal and no word, id, symbol or date is split across lines.

A split is found by comparing words: every word printed at a width must be a word the
same view prints on a terminal wide enough to need no wrapping (or a word shortened
with "…"). "Titl e", "global-citizensh ip" or "migratio n," fail. The standard library's
pty module is enough to give tracker a real terminal of a chosen size; no new test
dependency is needed.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

# Slow: about 200 runs of tracker (issue 11 adds the marker: `pytest -m "not slow"`).
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

WIDTHS = (60, 80, 100, 160)
WIDE = 400
# Escape sequences: colours and styles (CSI), hyperlinks and titles (OSC).
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
BOX = re.compile(r"[\u2500-\u257f]")
PUNCTUATION = ",;:.()'\"!?"
# Words that only narrow terminals print: tracker's note on columns left out, and the
# headings of the narrow coverage views.
NOTE_WORDS = set(
    [
        "Not",
        "shown",
        "at",
        "this",
        "width:",
        "(widen",
        "the",
        "terminal,",
        "or",
        "use",
        "--format",
        "md",
        "json).",
        "Reports",
        "and",
        "visits,",
        "by",
        "holder.",
        "Holders:",
    ]
)


def run_in_terminal(args: list[str], width: int, env: dict[str, str]) -> str:
    """What tracker prints to a pseudo-terminal `width` columns wide."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, width, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        cwd=env["HOME"],  # not the checkout: `python -m` puts the working folder first
        close_fds=True,
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            process.kill()
            raise AssertionError(f"tracker {' '.join(args)} printed nothing for 30 s")
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    process.wait(timeout=30)
    text = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    return ESCAPES.sub("", text)


def words(text: str) -> list[str]:
    found = []
    for word in BOX.sub(" ", text).split():
        word = word.strip(PUNCTUATION)
        if word:
            found.append(word)
    return found


def split_words(narrow: str, wide: str) -> list[str]:
    """Words printed in `narrow` that `wide` never prints: pieces of a split word."""
    known = set(words(wide)) | {w.strip(PUNCTUATION) for w in NOTE_WORDS}
    bad = []
    for word in words(narrow):
        if word in known:
            continue
        stem = word.rstrip("…").rstrip(PUNCTUATION)
        if word.endswith("…") and any(k.startswith(stem) for k in known):
            continue  # free text shortened, on purpose
        bad.append(word)
    return bad


def environment(home: Path) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "TRACKER_TODAY": "2026-11-23",
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
    }
    if "PYTHONPATH" in os.environ:  # to try another checkout's tracker
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return env  # no COLUMNS: the width is the terminal's


def views(data: Path, keys: dict[str, str]) -> list[list[str]]:
    views = [
        ["holders"],
        ["visits"],
        ["themes"],
        ["reports"],
        ["resolutions"],
        ["coverage"],
        ["gaps"],
        ["timeline"],
        ["search", keys["word"]],
        ["check"],
        # The wider record (issue 14).
        ["engagements"],
        ["communications"],
        ["invitations"],
        ["delivery"],
        ["votes"],
    ]
    views += [["show", key] for name, key in keys.items() if name != "word"]
    return [["--data", str(data), *view] for view in views]


def shipped_keys() -> dict[str, str]:
    return {
        "holder": "okafor",
        "theme": "taxation",
        "report": "A/HRC/41/44/Add.2",
        "visit": "nld-2018",
        "resolution": "A/HRC/RES/35/3",
        "country": "Netherlands",
        "engagement": "okafor-hrc53-2023",
        "word": "solidarity",
    }


def generated(folder: Path) -> dict[str, str]:
    """A generated data set (bench/generate.py), and a key of each kind in it."""
    import tomllib

    import generate  # bench/generate.py

    generate.write(folder, 0.02, seed=15)

    mandate = tomllib.loads((folder / "mandate.toml").read_text(encoding="utf-8"))
    visits = tomllib.loads((folder / "visits.toml").read_text(encoding="utf-8"))
    themes = tomllib.loads((folder / "themes.toml").read_text(encoding="utf-8"))
    return {
        "holder": mandate["holder"][0]["id"],
        "resolution": mandate["resolution"][0]["symbol"],
        "visit": visits["visit"][0]["id"],
        "country": visits["visit"][0]["country"],
        "theme": themes["theme"][0]["id"],
        "report": themes["report"][0].get("symbol") or themes["report"][0]["id"],
        "word": "report",
    }


def unseen(folder: Path) -> dict[str, str]:
    """The never-seen data folder of tests/record_fixture.py, whose wider record (engagements,
    communications, standing invitations, requests) is filled in, and a key of each kind."""
    import record_fixture as fx

    fx.write_folder(folder)
    return {
        "holder": "second",
        "resolution": "A/HRC/RES/20/1",
        "country": "CHL",
        "engagement": "states-2021",
        "communication": "AL BRA 1/2026",
        "word": "water",
    }


@pytest.fixture(scope="module")
def datasets(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, dict[str, str]]]:
    import shutil

    shipped = tmp_path_factory.mktemp("shipped") / "data"
    shutil.copytree(REPO / "data", shipped, ignore=shutil.ignore_patterns("*.db*", ".*"))
    made = tmp_path_factory.mktemp("generated") / "data"
    wider = tmp_path_factory.mktemp("unseen") / "data"
    return [(shipped, shipped_keys()), (made, generated(made)), (wider, unseen(wider))]


# What each view prints at WIDE columns, shared by the tests of every width.
WIDE_OUTPUT: dict[tuple[str, ...], str] = {}


@pytest.mark.parametrize("width", WIDTHS)
def test_every_view_fits_the_terminal_and_splits_no_word(
    width: int, datasets: list[tuple[Path, dict[str, str]]], tmp_path: Path
) -> None:
    problems = []
    for env in (environment(tmp_path), {**environment(tmp_path), "NO_COLOR": "1"}):
        for data, keys in datasets:
            for args in views(data, keys):
                # The same words with or without colour: one wide run serves both.
                if tuple(args) not in WIDE_OUTPUT:
                    WIDE_OUTPUT[tuple(args)] = run_in_terminal(args, WIDE, env)
                wide = WIDE_OUTPUT[tuple(args)]
                narrow = run_in_terminal(args, width, env)
                label = f"{' '.join(args[2:])} at {width} (NO_COLOR={env.get('NO_COLOR', '')})"
                assert "Traceback" not in narrow, narrow
                for line in narrow.splitlines():
                    if len(line) > width:
                        problems.append(f"{label}: line of {len(line)}: {line!r}")
                bad = split_words(narrow, wide)
                if bad:
                    problems.append(f"{label}: split words {bad[:8]}")
            if env.get("NO_COLOR"):
                break  # NO_COLOR on one data set is enough
    assert not problems, "\n".join(problems)


def help_pages() -> list[list[str]]:
    """`tracker --help` and the help of every command and sub-command (`add visit`)."""
    from typer.main import get_command

    from tracker.cli.app import app

    pages: list[list[str]] = [[]]

    def walk(group: object, path: list[str]) -> None:
        for name, command in getattr(group, "commands", {}).items():
            if getattr(command, "hidden", False):
                continue
            pages.append([*path, name])
            walk(command, [*path, name])

    walk(get_command(app), [])
    return [[*page, "--help"] for page in pages]


# Run inside the pseudo-terminal: for each (width, args), resize the terminal, print a
# marker line, and run tracker's own entry point (tracker.cli.run) on the args. Starting
# Typer costs about a second, and there are some 60 help pages to draw at five widths:
# one process that draws them all keeps this test to seconds. The help is drawn as it
# is for a person: by the Typer app, to the terminal, at the terminal's size.
HELP_DRIVER = """
import fcntl, json, struct, sys, termios
from tracker.cli import run
for width, args in json.loads(sys.argv[1]):
    fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 50, width, 0, 0))
    print("@@page@@", flush=True)
    run(args)
    sys.stdout.flush()
"""


def help_in_terminal(pages: list[list[str]], widths: list[int], env: dict[str, str]) -> list[str]:
    """What each page prints at each width (page by page, width by width)."""
    jobs = [(width, args) for args in pages for width in widths]
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 80, 0, 0))
    import json

    process = subprocess.Popen(
        [sys.executable, "-c", HELP_DRIVER, json.dumps(jobs)],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        cwd=env["HOME"],
        close_fds=True,
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            process.kill()
            raise AssertionError("the help pages printed nothing for 60 s")
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    process.wait(timeout=30)
    text = ESCAPES.sub("", b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n"))
    printed = text.split("@@page@@\n")[1:]
    assert len(printed) == len(jobs), text[-2000:]
    return printed


def test_every_help_page_fits_the_terminal_and_splits_no_word(tmp_path: Path) -> None:
    """Help text likewise, at every width: `schedul ed` or `decla ration` in a choice list
    fail, as a line wider than the terminal does."""
    env = environment(tmp_path)
    pages = help_pages()
    assert ["add", "visit", "--help"] in pages and len(pages) > 30, pages
    widths = [WIDE, *WIDTHS]
    printed = iter(help_in_terminal(pages, widths, env))
    problems = []
    for args in pages:
        wide = next(printed)
        for width in WIDTHS:
            narrow = next(printed)
            label = f"tracker {' '.join(args)} at {width}"
            assert "Usage:" in narrow and "Traceback" not in narrow, f"{label}:\n{narrow}"
            for line in narrow.splitlines():
                if len(line) > width:
                    problems.append(f"{label}: line of {len(line)}: {line!r}")
            bad = split_words(narrow, wide)
            if bad:
                problems.append(f"{label}: split words {bad[:8]}")
    assert not problems, "\n".join(problems)


def test_the_first_hours_tables_and_help_read_whole(tmp_path: Path) -> None:
    """What issue 15 saw at a terminal, each answer checked by its content: at 80 columns
    `reports --year 2020` headed `Titl e` and `Theme s` and read `Clim ate chan ge`, `gaps`
    read `global-citizensh ip` and `proportio nal`, at 100 `visits` read `migratio n,`,
    `holders` gave its Note 11 characters (four holders in 60 lines), help split
    `schedul ed` and `decla ration`; NO_COLOR also turned off fitting tables to the width."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("*.db*", ".*"))
    env = environment(tmp_path)
    given = ["--data", str(data)]

    reports = words(run_in_terminal([*given, "reports", "--year", "2020"], 80, env))
    assert {"Title", "Themes", "Climate", "change", "climate-change", "A/HRC/44/44/Add.1"} <= set(
        reports
    )
    gaps = run_in_terminal([*given, "gaps"], 80, env)
    assert {"global-citizenship", "proportional"} <= set(words(gaps))
    visits = run_in_terminal([*given, "visits"], 100, env)
    assert "migration," in visits.split() or "migration" in words(visits)
    assert not [w for w in words(visits) if w.startswith("migratio") and w != "migration"]
    holders = run_in_terminal([*given, "holders"], 80, env)
    assert len(holders.strip().splitlines()) < 25, holders
    assert "Obiora" in holders and "Nigeria" in holders
    help_words = set(words(run_in_terminal(["visits", "--help"], 80, env)))
    help_words |= set(words(run_in_terminal(["add", "report", "--help"], 80, env)))
    assert {"scheduled", "declaration"} <= help_words
    plain = run_in_terminal([*given, "visits"], 80, {**env, "NO_COLOR": "1"})
    assert "┏" in plain and max(len(line) for line in plain.splitlines()) <= 80
    assert "Not shown at this width" in plain


def test_the_prompt_at_a_terminal_lists_the_holders_and_takes_a_surname(tmp_path: Path) -> None:
    """The interactive prompt answered `Bailliet` with "'Bailliet' is not an id" and never
    listed the holders: typed at a real terminal, the surname is taken."""
    import shutil

    data = tmp_path / "data"
    shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("*.db*", ".*"))
    env = environment(tmp_path)
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 80, 0, 0))
    given = ["--country", "Holland", "--status", "requested", "--source", "https://example.org"]
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--data", str(data), "add", "visit", *given, "--dry-run"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        cwd=env["HOME"],
        close_fds=True,
    )
    os.close(follower)
    printed = b""
    answered = False
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            process.kill()
            raise AssertionError(f"no answer for 30 s: {printed!r}")
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        printed += chunk
        # Answer the holder prompt itself, not a chunk that happens to end with ":"
        # (a loaded machine splits the output anywhere).
        # The prompt ends with ": " once it is all written.
        prompt = ESCAPES.sub("", printed.decode("utf-8", "replace"))
        if not answered and "holder (" in prompt and prompt.endswith(": "):
            os.write(leader, b"Bailliet\n")
            answered = True
    os.close(leader)
    assert process.wait(timeout=30) == 0, printed
    text = ESCAPES.sub("", printed.decode("utf-8", "replace"))
    assert re.search(r"holder \(rizki, dandan, okafor, bailliet\): ?Bailliet", text), text
    assert 'holder = "bailliet"' in text and 'country = "NLD"' in text
    assert "is not an id" not in text

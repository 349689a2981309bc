"""The reliability ledger: what the fuzz and fault tests tried, and how each case ended.

A test that feeds bad input or injects a fault asks the `ledger` fixture for a row
(one kind of bad input or fault), records every case it runs with the way it ended
(e.g. "clear message, exit 1", "old content"), and records any case that ended badly
under one of the BAD outcomes. Each recording test also asserts that nothing ended
badly, so a bad case fails the suite as well as showing in the ledger.

At the end of the session the rows are written to tests/reliability_results.json
(git-ignored), together with the budget and how each recording test ended;
scripts/reliability_report.py renders docs/reliability.md from that file, and
`--check` compares the two.

The budget says how many cases to try: `pytest --fuzz-budget full` or
TRACKER_FUZZ_BUDGET=full for the large one; `ci` (the default) keeps the suite quick.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import platform
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

RESULTS = Path(__file__).resolve().parent / "reliability_results.json"
BUDGET_ENV = "TRACKER_FUZZ_BUDGET"

# The outcomes that must stay at zero, as the report names them.
BAD = ("tracebacks", "lost records", "half-written files", "wrong or unclear results")


@dataclass(frozen=True)
class Budget:
    """How many cases each kind of test runs."""

    name: str
    examples: int  # hypothesis examples per property
    cli_every: int  # one bad-input case in this many also runs through the CLI
    slow_examples: int  # hypothesis examples per property that builds a store each time
    subprocess_cases: int  # bad data sets run through real `tracker` processes
    kills: int  # writers killed at random moments (each kind of kill)
    corruptions: int  # stores corrupted at random bytes
    readers: int  # reader processes racing the writers
    writes: int  # records each of two writers adds while the readers read
    atheris_seconds: float  # how long the atheris harness runs
    huge_chars: int  # length of the huge strings
    many_records: int  # visits in the largest data file


BUDGETS = {
    "ci": Budget(
        "ci",
        examples=60,
        cli_every=3,
        slow_examples=15,
        subprocess_cases=3,
        kills=8,
        corruptions=30,
        readers=3,
        writes=4,
        atheris_seconds=4,
        huge_chars=1_000_000,
        many_records=2_000,
    ),
    "full": Budget(
        "full",
        examples=1500,
        cli_every=1,
        slow_examples=200,
        subprocess_cases=8,
        kills=60,
        corruptions=600,
        readers=6,
        writes=15,
        atheris_seconds=120,
        huge_chars=10_000_000,
        many_records=20_000,
    ),
}


# How a row's number of cases follows the budget (scripts/reliability_report.py checks it):
# "fixed", the same at every budget (every field of every kind, say); the name of one of
# Budget's sizes, optionally divided ("corruptions/4"), for at least that many cases, more
# with the size; or "open", as many as fit in a time or a race (at least one).
FIXED, OPEN = "fixed", "open"


@dataclass
class Row:
    """One kind of bad input or fault, and how its cases ended."""

    id: str
    area: str
    what: str
    test: str
    scale: str = FIXED
    outcomes: Counter[str] = field(default_factory=Counter)
    bad: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)  # a few bad cases, to debug with
    note: str = ""  # why the test was skipped, or the fix an expected failure awaits

    @property
    def cases(self) -> int:
        return sum(self.outcomes.values())

    def case(self, outcome: str) -> None:
        """One case tried, ending as outcome (a short phrase: "clear message, exit 1")."""
        self.outcomes[outcome] += 1

    def fail(self, kind: str, detail: str, stop: bool = True) -> None:
        """One case that ended badly; kind is one of BAD.

        Raises at once unless stop is False (then assert_clean() raises at the end),
        so that a search (hypothesis) can shrink the failing case.
        """
        assert kind in BAD, kind
        self.outcomes[kind] += 1
        self.bad[kind] += 1
        if len(self.examples) < 5:
            self.examples.append(detail[:2000])
        if stop:
            raise AssertionError(f"{self.what}: {kind}: {detail}")

    def assert_clean(self) -> None:
        assert not self.bad, f"{self.what}: {dict(self.bad)}; e.g. {self.examples}"

    def as_dict(self, status: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "area": self.area,
            "what": self.what,
            "test": self.test,
            "scale": self.scale,
            "status": status,
            "cases": self.cases,
            "outcomes": dict(sorted(self.outcomes.items())),
            "bad": {kind: self.bad.get(kind, 0) for kind in BAD},
            "examples": self.examples,
            "note": self.note,
        }


def sizes(budget: Budget) -> dict[str, float]:
    return {k: v for k, v in dataclasses.asdict(budget).items() if k != "name"}


class Ledger:
    def __init__(self, budget: Budget):
        self.budget = budget
        self.rows: dict[str, Row] = {}
        self.status: dict[str, str] = {}  # test node id -> passed, failed, skipped, xfailed
        self.current_test = ""

    def row(self, id: str, area: str, what: str, scale: str = FIXED) -> Row:
        """The row with this id (created on first use; a test may add to it in parts).

        scale: how its number of cases follows the budget (FIXED, OPEN or a size's name).
        """
        assert scale in (FIXED, OPEN) or scale.partition("/")[0] in sizes(self.budget), scale
        if id not in self.rows:
            self.rows[id] = Row(id, area, what, self.current_test, scale)
        return self.rows[id]

    def results(self) -> dict[str, Any]:
        return {
            "budget": self.budget.name,
            "budgets": {name: sizes(budget) for name, budget in BUDGETS.items()},
            "python": platform.python_version(),
            "platform": sys.platform,
            "commit": commit(),
            "rows": [row.as_dict(self.status.get(row.test, "")) for row in self.rows.values()],
        }


def commit() -> str:
    """The commit the suite ran on, "+" when the work tree had changes; "unknown" outside
    a git checkout."""
    repo = Path(__file__).resolve().parent.parent

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=30
        )
        if done.returncode != 0:
            raise OSError(done.stderr)
        return done.stdout.strip()

    try:
        head = git("rev-parse", "HEAD")
        changed = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + ("+" if changed else "")


def chosen_budget(config: pytest.Config) -> Budget:
    name = config.getoption("fuzz_budget") or os.environ.get(BUDGET_ENV) or "ci"
    if name not in BUDGETS:
        raise pytest.UsageError(f"unknown fuzz budget {name!r} (choose: {', '.join(BUDGETS)})")
    return BUDGETS[name]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fuzz-budget",
        dest="fuzz_budget",
        default=None,
        choices=sorted(BUDGETS),
        help=f"how many fuzz and fault cases to run (default: ${BUDGET_ENV}, else ci)",
    )


def pytest_configure(config: pytest.Config) -> None:
    budget = chosen_budget(config)
    # Subprocesses (the atheris harness) read the budget from the environment.
    os.environ[BUDGET_ENV] = budget.name
    config.stash[LEDGER] = Ledger(budget)


LEDGER = pytest.StashKey[Ledger]()


@pytest.fixture(scope="session")
def budget(pytestconfig: pytest.Config) -> Budget:
    return pytestconfig.stash[LEDGER].budget


@pytest.fixture
def ledger(request: pytest.FixtureRequest) -> Ledger:
    found = request.config.stash[LEDGER]
    found.current_test = request.node.nodeid
    return found


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember how each recording test ended: passed, failed, skipped or xfailed."""
    report = yield
    ledger = item.config.stash.get(LEDGER, None)
    if ledger is None or "ledger" not in getattr(item, "fixturenames", ()):
        return report
    if report.when == "call" or report.failed or report.skipped:
        reason = str(getattr(report, "wasxfail", ""))
        # An expected failure that passed (not strict) is a pass: nothing ended badly.
        status = "xfailed" if reason and report.skipped else report.outcome
        if report.skipped and not reason and isinstance(report.longrepr, tuple):
            reason = str(report.longrepr[2]).removeprefix("Skipped: ")
        if ledger.status.get(item.nodeid) != "failed":
            ledger.status[item.nodeid] = status
        for row in ledger.rows.values():
            if row.test == item.nodeid and reason:
                row.note = reason
    return report


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the results; when every documented row was tried, check the document too."""
    ledger = session.config.stash.get(LEDGER, None)
    if ledger is None or not ledger.rows:
        return
    results = ledger.results()
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    report = report_script()
    doc = report.DOC.read_text(encoding="utf-8") if report.DOC.exists() else ""
    shown = report.documented(doc)
    if shown is None or not {row["id"] for row in shown["rows"]} <= set(ledger.rows):
        return  # only some of the recording tests ran: nothing to compare
    if any(row["status"] == "skipped" for row in results["rows"]):
        # (atheris not installed, say.) `scripts/reliability_report.py --check`, which CI
        # runs, fails on a row that did not run; a developer's session need not.
        return
    problems = report.check(results, doc)
    if problems:
        writer = session.config.get_terminal_writer()
        writer.line()
        for problem in problems:
            writer.line(f"reliability: {problem}", red=True)
        writer.line("(scripts/reliability_report.py renders docs/reliability.md)", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def report_script() -> Any:
    path = Path(__file__).resolve().parent.parent / "scripts" / "reliability_report.py"
    spec = importlib.util.spec_from_file_location("reliability_report", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

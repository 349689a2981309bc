"""SQL is always parameterised, choices are checked against allow-lists, and text from the
data is escaped in Markdown, HTML and SVG.

Three kinds of check: a reading of the source (every f-string that builds SQL may only
interpolate names the code itself defines), a run of every read command with hostile
text in every text option while recording each SQL statement sent to SQLite (the text
must only ever travel as a ? parameter), and renderings of a data set whose every text
field holds <script> and Markdown and Rich markup.
"""

from __future__ import annotations

import ast
import functools
import re
import sqlite3
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import pytest
import typer.main
import typer.testing
from badinput import BadOutcome, judge_cli, slots, valid_records, write_folder
from hypothesis import given
from hypothesis import strategies as st
from reliability import Budget, Ledger
from test_fuzz_loader import fuzz_settings, judged, run_cli
from typer.testing import CliRunner

from tracker.cli import main
from tracker.cli.app import app

AREA = "SQL and escaping"
PACKAGE = Path(__file__).resolve().parent.parent / "tracker"

command_of = functools.cache(typer.main.get_command)


@pytest.fixture(autouse=True)
def convert_the_app_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(typer.testing, "_get_command", command_of)


# --- the source: f-strings that build SQL ---------------------------------------------

STATEMENT = re.compile(
    r"\b(select\b.+\bfrom|insert\s+into|delete\s+from|update\s+\S+\s+set|pragma\s|"
    r"create\s+(table|view|index|virtual)|order\s+by|\bwhere\s|\band\s+\w+\s*=\s*\?)",
    re.IGNORECASE | re.DOTALL,
)

# What an SQL f-string may interpolate, and why none of it can carry a user's text.
# Anything else fails the test: bind the value as a ? parameter, or add it here with
# the reason it is safe.
SAFE = {
    "_where(where)": "joins condition strings written in the code; their values are ? args",
    "where": "condition strings written in the code; their values are ? args",
    "' and '.join(where)": "condition strings written in the code; their values are ? args",
    "clause": "' and <column> = ?' from _mandate_filter: the value is a ? arg",
    "marks": "a run of ? placeholders",
    "', '.join(('?' for _ in columns))": "a run of ? placeholders",
    "table": "a table name from the code's schema (store.TABLES, FILE_TABLES)",
    "name": "a table name from the code's schema (store.TABLES)",
    "names": "column names from the code's schema (store.TABLES)",
    "', '.join(columns)": "column names of the search index, written in the code",
    "indexed": "column names of the search index, written in the code",
    "link_table": "visit_theme or report_theme, passed by the code",
    "column": "visit or report, passed by the code",
    "key": "a column name passed by the code",
    "own": "a kind's table or name, from the code's declarations (tracker/kinds.py)",
    "own_key": "a kind's key column, from the code's declarations (tracker/kinds.py)",
    "named": "a sub-query written in the code (its value is a ? arg)",
    "sql": "a statement written in the code",
    "visited": "a sub-query written in the code (its values are ? args)",
    "weights": "numbers from the code (search.WEIGHTS)",
    "scores_query": "a sub-query written in the code (its value is a ? arg)",
    "symbol_sql": "an SQL expression written in the code",
    "prefix_tests": "comparisons written in the code; their values are ? args",
    "kind_cases": "CASE branches written in the code; their values are ? args",
    "len(KINDS)": "a number from the code (how many kinds search.KINDS lists)",
}


def interpolations() -> Iterator[tuple[str, int, str]]:
    """(file, line, expression) for every value an SQL-building f-string interpolates."""
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            text = "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
            if not STATEMENT.search(text):
                continue
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    yield (
                        path.relative_to(PACKAGE.parent).as_posix(),
                        node.lineno,
                        ast.unparse(value.value),
                    )


def is_safe(expression: str) -> bool:
    if expression in SAFE:
        return True
    # Constants (FTS, INDEX, REPORT_ORDER) and SQL built from a column name literal.
    return bool(re.fullmatch(r"_?[A-Z][A-Z0-9_]*", expression)) or bool(
        re.fullmatch(r"(sql_document_url|report_year_sql)\(['\"][\w.]+['\"]\)", expression)
    )


def test_sql_f_strings_interpolate_only_names_from_the_code(ledger: Ledger) -> None:
    row = ledger.row(
        "sql-source",
        AREA,
        "Every f-string in tracker/ that builds SQL, read from the source: what it "
        "interpolates must come from the code, never from input",
    )
    found = list(interpolations())
    assert len(found) > 20  # the scan sees the SQL the code builds
    for file, line, expression in found:
        if not is_safe(expression):
            row.fail(
                "wrong or unclear results",
                f"{file}:{line} interpolates {expression!r} into SQL: bind it as a ? "
                "parameter, or add it to SAFE with the reason it cannot hold input",
            )
        row.case("interpolates a name from the code")


# --- hostile text in every text option, with every SQL statement recorded ---------------

CANARIES = [
    "zq' OR 1=1 --",
    'zq"; DROP TABLE visit; --',
    "zq%_\\",
    "zq* OR NEAR(a b) ^title:x",
    "zq\u202e\u0000",
    "zq) UNION SELECT sql FROM sqlite_master --",
]
READ_COMMANDS = [
    "holders", "visits", "themes", "reports", "resolutions", "show", "search", "coverage",
    "gaps", "timeline", "report",
]  # fmt: skip
NOT_TEXT = {"output", "svg"}  # file paths: covered by the escaping tests


class Recorded:
    statements: ClassVar[list[str]] = []


class RecordingCursor(sqlite3.Cursor):
    def execute(self, sql: str, *args: Any) -> Any:
        Recorded.statements.append(sql)
        return super().execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> Any:
        Recorded.statements.append(sql)
        return super().executemany(sql, *args)

    def executescript(self, sql: str) -> Any:
        Recorded.statements.append(sql)
        return super().executescript(sql)


class RecordingConnection(sqlite3.Connection):
    def cursor(self, factory: Any = None) -> Any:
        return super().cursor(factory or RecordingCursor)

    def execute(self, sql: str, *args: Any) -> Any:
        Recorded.statements.append(sql)
        return super().execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> Any:
        Recorded.statements.append(sql)
        return super().executemany(sql, *args)

    def executescript(self, sql: str) -> Any:
        Recorded.statements.append(sql)
        return super().executescript(sql)


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every SQL statement any connection opened from here on sends to SQLite."""
    real = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        kwargs.setdefault("factory", RecordingConnection)
        return real(*args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    Recorded.statements = []
    return Recorded.statements


def text_parameters() -> Iterator[tuple[str, str | None, bool]]:
    """(command, option flag or None for an argument, whether it is free text) for every
    parameter of the read commands, straight from the CLI's definition."""
    group: Any = command_of(app)
    for name in READ_COMMANDS:
        command = group.commands[name]
        for param in command.params:
            if param.name in NOT_TEXT or param.name == "help" or getattr(param, "is_flag", 0):
                continue
            flag = param.opts[0] if param.param_type_name == "option" else None
            # Typer's parameters say their Python type: str is free text, the rest
            # (an Enum of choices, a number) has an allow-list the value must pass.
            free = param.type_descriptor.annotation is str
            yield name, flag, free


@pytest.mark.slow  # fuzz: every hostile text in every option of every read command
def test_hostile_text_in_every_option_only_travels_as_a_parameter(
    ledger: Ledger, shipped: Path, recorded: list[str]
) -> None:
    row = ledger.row(
        "sql-options",
        AREA,
        "SQL, FTS and LIKE syntax, quotes and NUL in every text option and argument of "
        "every read command (every statement sent to SQLite recorded); bad choices refused",
    )
    runner = CliRunner()
    runner.invoke(app, ["--data", str(shipped), "sync"])
    tables_before = tables(shipped)
    parameters = list(text_parameters())
    assert len(parameters) > 20
    statements_seen = 0
    for command, flag, free in parameters:
        for canary in CANARIES:
            args = [command, *([flag, canary] if flag else [canary])]
            if command == "show" and flag:
                args.insert(1, "okafor")
            del recorded[:]
            result = runner.invoke(app, ["--data", str(shipped), *args])
            if result.exception and not isinstance(result.exception, SystemExit):
                row.fail("tracebacks", f"{args}: {result.exception!r}")
            statements_seen += len(recorded)
            leaked = [sql for sql in recorded if "zq" in sql]
            if leaked:
                row.fail("wrong or unclear results", f"{args}: in the SQL text: {leaked[0]}")
            if not free and result.exit_code != 2:
                row.fail("wrong or unclear results", f"{args}: a bad choice was accepted")
            if result.exit_code not in (0, 1, 2) or (result.exit_code and not result.stderr):
                row.fail("wrong or unclear results", f"{args}: {result.output}")
            row.case(
                {0: "exit 0, text bound as a parameter", 1: "clear message, exit 1"}.get(
                    result.exit_code, "refused by the allow-list, exit 2"
                )
            )
    assert tables(shipped) == tables_before
    assert statements_seen > len(parameters)  # the recording saw the queries


def tables(folder: Path) -> dict[str, int]:
    conn = sqlite3.connect(folder / "tracker.db")
    try:
        names = [r[0] for r in conn.execute("select name from sqlite_master where type='table'")]
        return {n: conn.execute(f'select count(*) from "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()


FAST_PATH_CHOICES = [
    ["visits", "--status", "zq' OR 1=1"],
    ["visits", "--format", "zq"],
    ["reports", "--body", "zq"],
    ["reports", "--year", "20x4"],
    ["show", "okafor", "--format", "csv"],
]


def test_bad_choices_are_refused_on_the_fast_path_too(
    ledger: Ledger, shipped: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    row = ledger.row(
        "allow-lists",
        AREA,
        "Values outside an option's allow-list (status, body, format, year) through the "
        "program's own entry point, which skips Typer for plain reads",
    )
    for args in FAST_PATH_CHOICES:
        with pytest.raises(SystemExit) as ended:
            main(["--data", str(shipped), *args])
        error = capsys.readouterr().err
        if ended.value.code != 2 or "Invalid value" not in error:
            row.fail("wrong or unclear results", f"{args}: exit {ended.value.code}: {error}")
        row.case("refused by the allow-list, exit 2")


@pytest.mark.slow  # fuzz: generated text as every kind of query
def test_any_search_text_or_country_name_answers_without_a_traceback(
    ledger: Ledger, budget: Budget, shipped: Path
) -> None:
    row = ledger.row(
        "search-text",
        AREA,
        "Any text at all as a search query, a country name, a holder or a key to show",
        scale="examples",
    )
    CliRunner().invoke(app, ["--data", str(shipped), "sync"])

    @fuzz_settings(budget)
    @given(
        st.sampled_from([("search",), ("visits", "--country"), ("reports", "--holder"), ("show",)]),
        st.text(min_size=1, max_size=40).filter(lambda t: not t.startswith("-")),
    )
    def case(command: tuple[str, ...], text: str) -> None:
        result = run_search(shipped, command, text)
        if result.exception and not isinstance(result.exception, SystemExit):
            row.fail("tracebacks", f"{command} {text!r}: {result.exception!r}")
        if result.exit_code not in (0, 1) or (result.exit_code and not result.stderr.strip()):
            row.fail("wrong or unclear results", f"{command} {text!r}: {result.output}")
        row.case("exit 0" if result.exit_code == 0 else "clear message, exit 1")

    case()


def run_search(folder: Path, command: tuple[str, ...], text: str) -> Any:
    return CliRunner().invoke(app, ["--data", str(folder), *command, text, "--format", "json"])


# --- escaping -------------------------------------------------------------------------

HOSTILE = "<script>alert(1)</script> [bold red]markup[/] | *star* _under_ [x](javascript:1)"


def hostile_folder(base: Path) -> Path:
    records = valid_records()
    for slot in slots():
        if slot.spec.type == "text" and "." not in slot.path and slot.path != "source":
            slot.put(records, f"{slot.kind} {slot.path}: {HOSTILE}")
    folder = base / "hostile"
    write_folder(folder, records)
    return folder


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += [f"{k}={v}" for k, v in attrs]


def markdown_is_escaped(text: str) -> bool:
    # Every < is escaped, and no link from the data survives (its ] is escaped).
    return re.search(r"(?<!\\)<", text) is None and not re.search(r"(?<!\\)\]\(javascript", text)


def html_is_escaped(text: str) -> bool:
    tags = Tags()
    tags.feed(text)
    return "script" not in tags.tags and not any("javascript" in a for a in tags.attributes)


KEYS = {"holder": "second", "theme": "water", "report": "A/HRC/30/40/Add.1", "visit": "nld-2015"}


def test_text_from_the_data_is_escaped_in_markdown_html_and_svg(
    ledger: Ledger, tmp_path: Path
) -> None:
    row = ledger.row(
        "escaping",
        AREA,
        "<script>, Markdown links and emphasis, and Rich markup in every text field, "
        "rendered by every command in Markdown, HTML, SVG and on a terminal",
    )
    folder = hostile_folder(tmp_path)
    outputs: list[tuple[str, list[str], str]] = []
    # (visits and resolutions list no free text: codes, dates and symbols only)
    for command in ("holders", "themes", "reports", "coverage"):
        outputs.append(("md", [command, "--format", "md"], ""))
    outputs.append(("md", ["gaps", "--format", "md"], ""))
    outputs.append(("md", ["timeline", "--format", "md"], ""))
    outputs += [("md", ["show", key, "--format", "md"], "") for key in KEYS.values()]
    outputs.append(("md", ["report", "--format", "md"], ""))
    outputs.append(("html", ["report", "--format", "html"], ""))
    outputs += [
        (
            "svg",
            ["show", key, "--svg", str(tmp_path / f"{kind}.svg")],
            str(tmp_path / f"{kind}.svg"),
        )
        for kind, key in KEYS.items()
    ]
    for fmt, args, written in outputs:

        def check(fmt: str = fmt, args: list[str] = args, written: str = written) -> str:
            result = run_cli(folder, *args)
            judge_cli(result, " ".join(args))
            text = Path(written).read_text(encoding="utf-8") if written else result.stdout
            if "alert(1)" not in text:
                raise BadOutcome("wrong or unclear results", f"{args}: the text is missing")
            escaped = markdown_is_escaped(text) if fmt == "md" else html_is_escaped(text)
            if not escaped:
                raise BadOutcome("wrong or unclear results", f"{args}: not escaped:\n{text}")
            return f"{fmt}: shown as text"

        judged(row, check)
    # On a terminal, Rich draws the data as text: its markup is not interpreted.
    result = CliRunner().invoke(
        app, ["--data", str(folder), "themes"], env={"FORCE_COLOR": "1", "NO_COLOR": None}
    )
    if "[bold red]markup[/]" not in result.stdout.replace("\n", ""):
        row.fail("wrong or unclear results", f"Rich interpreted markup: {result.stdout}")
    row.case("terminal: markup shown as text")

"""Bad data files: the loader and validator either load them or say where they are wrong.

Every case here ends in one of two ways: a valid load (and then the store builds
from it), or problems that each name a data file and a line inside it, shown by
the CLI with exit status 1. Never a traceback. Each test records its cases in the
reliability ledger (tests/reliability.py), from which docs/reliability.md is made.

The bad input: every TOML type in every field of every kind (driven by the model),
random values, arbitrary bytes, mutated and truncated files, unicode (Côte d'Ivoire,
Türkiye, right-to-left text), huge strings, deep nesting, duplicate keys and records,
and impossible dates such as 2023-02-30.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import itertools
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import typer.main
import typer.testing
from badinput import (
    PROBLEMS,
    VALID,
    BadOutcome,
    Slot,
    accepts,
    file_text,
    judge_cli,
    judge_load,
    slots,
    toml_value,
    valid_records,
    write_folder,
)
from conftest import SHIPPED
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from reliability import BAD, Budget, Ledger, Row
from typer.testing import CliRunner

from tracker.cli.app import app
from tracker.model import DATA_FILES, KINDS
from tracker.paths import Settings
from tracker.store import rebuild

# Slow (fuzzing the loader): out of the everyday `pytest -m "not slow"`.
pytestmark = pytest.mark.slow

AREA = "Bad input"


def fuzz_settings(budget: Budget, examples: int | None = None) -> settings:
    """Hypothesis settings for this budget: derandomised in CI so its counts are stable."""
    return settings(
        max_examples=examples or budget.examples,
        deadline=None,
        derandomize=budget.name == "ci",
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        print_blob=True,
    )


@contextmanager
def scratch() -> Iterator[Path]:
    """A fresh, empty data folder for one case (function-scoped fixtures do not fit @given)."""
    with tempfile.TemporaryDirectory(prefix="tracker-fuzz-") as name:
        folder = Path(name) / "data"
        folder.mkdir()
        yield folder


# Typer turns the app into a Click command on every CliRunner call, which costs more than
# loading a data set; the fuzz tests make thousands of calls, so they convert it once.
command_of = functools.cache(typer.main.get_command)


@pytest.fixture(autouse=True)
def convert_the_app_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(typer.testing, "_get_command", command_of)


def run_cli(folder: Path, *args: str) -> Any:
    return CliRunner().invoke(app, ["--data", str(folder), "--db", str(folder / "t.db"), *args])


def judged(row: Row, check: Callable[..., str], *args: Any) -> str:
    """Run one case's checks; record how it ended, or fail the test on a bad outcome."""
    try:
        outcome = check(*args)
    except BadOutcome as bad:
        row.fail(bad.kind, bad.detail)
        raise AssertionError("unreachable") from None
    row.case(outcome)
    return outcome


_cases = itertools.count()


def cli_now(budget: Budget) -> bool:
    """Whether this case also goes through the CLI: every case in the full budget, one in
    budget.cli_every in CI (the CLI costs ten times what the loader does)."""
    return next(_cases) % budget.cli_every == 0


def check_folder(folder: Path, cli: bool = True, store: bool = False) -> str:
    """The rule for one data folder: valid (and the store builds), or located problems.

    With cli, `tracker check` and a read command run in-process too, and must agree.
    """
    outcome, _ = judge_load(folder)
    if store and outcome == "valid load":
        build_store(folder)
    if cli:
        checked = judge_cli(run_cli(folder, "check"), "check")
        if (checked == "exit 0") != (outcome == "valid load"):
            raise BadOutcome("wrong or unclear results", f"check said {checked}, load {outcome}")
        judge_cli(run_cli(folder, "visits", "--format", "json"), "visits")
    return outcome


def build_store(folder: Path) -> None:
    try:
        rebuild(Settings(folder, folder / "t.db"))
    except Exception as error:
        import traceback

        detail = "".join(traceback.format_exception(error)[-6:])
        raise BadOutcome(
            "tracebacks", f"valid data, but the store did not build: {detail}"
        ) from None


# --- every TOML type in every field of every kind ---------------------------------------

SAMPLES: dict[str, Any] = {
    "text": "x",
    "empty text": "",
    "blank text": "   ",
    "integer": 7,
    "negative integer": -1,
    "integer beyond 64 bits": 2**70,
    "float": 1.5,
    "nan": math.nan,
    "infinity": math.inf,
    "boolean": True,
    "date": dt.date(2020, 2, 29),
    "date-time": dt.datetime(2020, 2, 29, 10, 30, tzinfo=dt.UTC),
    "local time": dt.time(7, 32),
    "array of text": ["a", "b"],
    "empty array": [],
    "array of integers": [1, 2],
    "mixed array": ["a", 1],
    "nested array": [["a"]],
    "inline table": {"a": 1},
    "empty table": {},
}


def expect_located_at(row: Row, slot: Slot, problems: list[Any], line: int, value: Any) -> None:
    """A value of the wrong type must be reported on its field, at its line."""
    on_field = [p for p in problems if p.is_error and p.field == slot.path]
    if not on_field:
        row.fail(
            "wrong or unclear results",
            f"{slot.kind}.{slot.path} = {toml_value(value)}: no error names the field "
            f"(got {[str(p) for p in problems]})",
        )
    if on_field[0].line != line:
        row.fail(
            "wrong or unclear results",
            f"{slot.kind}.{slot.path}: reported at line {on_field[0].line}, written at {line}",
        )


def test_every_type_in_every_field_of_every_kind(ledger: Ledger, budget: Budget) -> None:
    row = ledger.row(
        "types",
        AREA,
        "Every TOML type (text, numbers, nan, dates, times, arrays, tables) and a missing "
        "value, in every field of every kind (from the model)",
    )
    for slot in slots():
        for label, value in [*SAMPLES.items(), ("absent", None)]:
            records = valid_records()
            if label == "absent":
                slot.remove(records)
            else:
                slot.put(records, value)
            with scratch() as folder:
                written = write_folder(folder, records)
                sampled = cli_now(budget)
                absent = label == "absent"
                judged(row, check_typed, row, folder, slot, value, written, sampled, absent)
    assert row.cases >= len(slots()) * len(SAMPLES)


def check_typed(
    row: Row,
    folder: Path,
    slot: Slot,
    value: Any,
    written: dict[str, Any],
    sampled: bool,
    absent: bool = False,
) -> str:
    """A value in a field: if of the wrong type, an error on that field at its line."""
    _, problems = judge_load(folder)
    if not absent and not accepts(slot.spec, value):
        line = written[KINDS[slot.kind].file].lines[(slot.kind, 0, slot.path)]
        expect_located_at(row, slot, problems, line, value)
    return check_folder(folder, cli=sampled, store=sampled)


# Any TOML value at all: scalars of every type, and arrays and inline tables of them.
KEYS = st.text(min_size=1, max_size=6)
SCALARS = st.one_of(
    st.text(max_size=12),
    st.integers(),
    st.floats(),
    st.booleans(),
    st.dates(),
    st.datetimes(timezones=st.none() | st.just(dt.UTC)),
    st.times(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=8,
)


def test_random_values_in_random_fields(ledger: Ledger, budget: Budget) -> None:
    row = ledger.row(
        "random-values",
        AREA,
        "Random TOML values (any type, nested arrays and inline tables) in random fields",
        scale="examples",
    )

    @fuzz_settings(budget)
    @given(st.sampled_from(slots()), VALUES)
    def case(slot: Slot, value: Any) -> None:
        records = valid_records()
        slot.put(records, value)
        with scratch() as folder:
            written = write_folder(folder, records)
            judged(row, check_typed, row, folder, slot, value, written, cli_now(budget))

    case()


# --- bytes, mutations, truncation -------------------------------------------------------


def shipped_texts() -> dict[str, bytes]:
    return {name: (SHIPPED / name).read_bytes() for name in DATA_FILES}


def valid_texts() -> dict[str, bytes]:
    return {name: file_text(name, VALID).text.encode() for name in DATA_FILES}


def with_file(folder: Path, name: str, content: bytes, base: dict[str, bytes]) -> None:
    for other, text in base.items():
        (folder / other).write_bytes(content if other == name else text)


def test_arbitrary_bytes_as_a_data_file(ledger: Ledger, budget: Budget) -> None:
    row = ledger.row("bytes", AREA, "Arbitrary bytes as one of the data files", scale="examples")
    base = valid_texts()

    @fuzz_settings(budget)
    @given(st.sampled_from(DATA_FILES), st.binary(max_size=400))
    @example("visits.toml", b"\xff\xfe[[visit]]")
    @example("visits.toml", b"\xef\xbb\xbf" + base["visits.toml"])  # a byte-order mark
    @example("mandate.toml", b'[[mandate]]\nid = "a\x00b"\n')
    @example("themes.toml", b'[[theme]]\ntitle = """never closed')
    def case(name: str, content: bytes) -> None:
        with scratch() as folder:
            with_file(folder, name, content, base)
            judged(row, lambda: check_folder(folder, cli=cli_now(budget)))

    case()


def test_a_file_with_a_byte_order_mark_loads_and_takes_edits(shipped: Path) -> None:
    """Windows editors may start a file with a byte-order mark: it loads, and a write
    keeps the file's leading comments (and drops the mark)."""
    path = shipped / "visits.toml"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert judge_load(shipped)[0] == "valid load"
    result = run_cli(shipped, "update", "visit", "cri-2022", "--note", "Checked.")
    assert result.exit_code == 0, result.output
    written = path.read_text(encoding="utf-8")
    assert written.startswith(text.split("\n", 1)[0])  # the first comment line, no mark
    assert judge_load(shipped)[0] == "valid load"


def test_brackets_and_quotes_in_a_comment_do_not_hide_the_lines_after_it(tmp_path: Path) -> None:
    """Found by atheris: a comment such as `# e.g. themes = ["a"` opened an array for the
    line scanner, and every problem after it lost its line."""
    base = valid_texts()
    text = '# e.g. themes = ["a", \'b\n[[theme]]\nid = 5\n'
    with_file(tmp_path, "themes.toml", text.encode(), base)
    _, problems = judge_load(tmp_path)
    assert [(p.line, p.field) for p in problems if p.field == "id"] == [(3, "id")]


EDITS = st.lists(
    st.tuples(
        st.sampled_from(["flip", "insert", "delete", "duplicate line", "swap lines"]),
        st.floats(min_value=0, max_value=1, exclude_max=True),
        st.integers(min_value=0, max_value=255),
    ),
    min_size=1,
    max_size=4,
)


def mutate(content: bytes, edits: list[tuple[str, float, int]]) -> bytes:
    data = bytearray(content)
    for action, where, byte in edits:
        at = int(where * len(data)) if data else 0
        if action == "flip" and data:
            data[at] ^= 1 << (byte % 8)
        elif action == "insert":
            data[at:at] = bytes([byte])
        elif action == "delete" and data:
            del data[at]
        else:
            lines = bytes(data).splitlines(keepends=True)
            if not lines:
                continue
            index = int(where * len(lines))
            if action == "duplicate line":
                lines.insert(index, lines[index])
            else:
                other = byte % len(lines)
                lines[index], lines[other] = lines[other], lines[index]
            data = bytearray(b"".join(lines))
    return bytes(data)


def test_mutated_data_files(ledger: Ledger, budget: Budget) -> None:
    row = ledger.row(
        "mutated",
        AREA,
        "Valid data files (the shipped ones and one with every kind) with random edits: "
        "bits flipped, bytes inserted or deleted, lines duplicated or swapped",
        scale="examples",
    )
    sources = {"shipped": shipped_texts(), "every kind": valid_texts()}

    @fuzz_settings(budget)
    @given(st.sampled_from(sorted(sources)), st.sampled_from(DATA_FILES), EDITS)
    def case(which: str, name: str, edits: list[tuple[str, float, int]]) -> None:
        base = sources[which]
        with scratch() as folder:
            with_file(folder, name, mutate(base[name], edits), base)
            judged(row, lambda: check_folder(folder, cli=cli_now(budget)))

    case()


def test_truncated_data_files(ledger: Ledger, budget: Budget) -> None:
    row = ledger.row(
        "truncated",
        AREA,
        "Data files cut short at any byte (inside a string, a date, a multi-byte character)",
        scale="examples",
    )
    base = shipped_texts()

    @fuzz_settings(budget)
    @given(st.sampled_from(DATA_FILES), st.floats(min_value=0, max_value=1, exclude_max=True))
    @example("visits.toml", 0.0)
    def case(name: str, where: float) -> None:
        cut = int(where * len(base[name]))
        with scratch() as folder:
            with_file(folder, name, base[name][:cut], base)
            judged(row, lambda: check_folder(folder, cli=cli_now(budget)))

    case()


# --- unicode, huge values, deep nesting -------------------------------------------------

UNICODE_NAMES = [
    "Côte d'Ivoire",
    "Türkiye",
    "مقررة خاصة معنية بالتضامن الدولي",  # Arabic, right to left
    "הכלכלה הבינלאומית",  # Hebrew, right to left
    "Virginia Dandan (\u202eRTL override\u202c)",
    "Zoë Ma\u0308ller",  # a combining diaeresis
    "👩🏽\u200d⚖️ judge",  # an emoji sequence with a zero-width joiner
    "tab\tand\nnewline",
    "nul \x00 and del \x7f",
    "\ufeffbyte-order mark inside",
    "[bold]not markup[/bold] <b>not html</b> | *not md*",
]
TEXT_SLOTS = [s for s in slots() if s.spec.type == "text" and "." not in s.path]


def round_trip(folder: Path, slot: Slot, value: Any) -> str:
    """The value, stored and read back through `tracker show KEY -f json`, is unchanged."""
    outcome = check_folder(folder, cli=False, store=True)
    if outcome != "valid load":
        raise BadOutcome("wrong or unclear results", f"{value!r} in {slot.path} was refused")
    key = KINDS[slot.kind].key_of(VALID[slot.kind][0])
    result = run_cli(folder, "show", str(key), "--format", "json")
    judge_cli(result, "show")
    if slot.kind in ("mandate", "resolution", "invitation") or slot.path == KINDS[slot.kind].key:
        # `show` has no page for a mandate; an invitation is shown with its country; a text
        # key (a communication's ref) changed by the test no longer names the record.
        return "valid load, store built"
    shown = json.loads(result.stdout)["record"]
    if shown.get(slot.path) != value:
        raise BadOutcome(
            "wrong or unclear results",
            f"{slot.kind}.{slot.path}: stored {value!r}, shown {shown.get(slot.path)!r}",
        )
    return "valid load, shown unchanged"


def pairs(first: list[Any], second: list[Any], every: bool) -> list[tuple[Any, Any]]:
    """Every pair, or (in CI) enough pairs that each item of either list appears once."""
    if every:
        return list(itertools.product(first, second))
    count = max(len(first), len(second))
    return [(first[n % len(first)], second[n % len(second)]) for n in range(count)]


def test_unicode_text_round_trips(ledger: Ledger, budget: Budget) -> None:
    row = ledger.row(
        "unicode",
        AREA,
        "Unicode in every text field: Côte d'Ivoire, Türkiye, Arabic and Hebrew (right to "
        "left), combining marks, emoji, control characters, then any text at all",
        scale="slow_examples",
    )
    for slot, name in pairs(TEXT_SLOTS, UNICODE_NAMES, every=budget.name == "full"):
        records = valid_records()
        slot.put(records, name)
        with scratch() as folder:
            write_folder(folder, records)
            judged(row, lambda folder=folder, slot=slot, name=name: round_trip(folder, slot, name))

    @fuzz_settings(budget, budget.slow_examples)
    @given(st.sampled_from(TEXT_SLOTS), st.text(min_size=1).filter(lambda t: t.strip()))
    def case(slot: Slot, text: str) -> None:
        records = valid_records()
        slot.put(records, text)
        with scratch() as folder:
            write_folder(folder, records)
            judged(row, lambda: round_trip(folder, slot, text))

    case()


COUNTRY_VISITS = """\
[[visit]]
id = "civ-2024"
holder = "second"
country = "CIV"
status = "requested"
source = "A/HRC/1/1"

[[visit]]
id = "tur-2016"
holder = "second"
country = "TUR"
status = "completed"
start = 2016-03-01
source = "A/HRC/1/1"
"""


def test_unicode_country_names_find_their_visits(ledger: Ledger, tmp_path: Path) -> None:
    row = ledger.row(
        "countries",
        AREA,
        "Country names typed with accents, other scripts and odd spacing in --country",
    )
    folder = tmp_path / "data"
    # Without the records that name the visit's report and theme (themes.toml is emptied).
    others = ("visit", "engagement", "communication", "recommendation")
    write_folder(folder, {k: v for k, v in valid_records().items() if k not in others})
    (folder / "visits.toml").write_text(COUNTRY_VISITS, encoding="utf-8")
    (folder / "themes.toml").write_text("", encoding="utf-8")
    cases = {
        "Côte d'Ivoire": ["civ-2024"],
        "côte d’ivoire": ["civ-2024"],
        "Türkiye": ["tur-2016"],
        "TÜRKIYE": ["tur-2016"],
        "CI": ["civ-2024"],
        "tur": ["tur-2016"],
    }
    for text, expected in cases.items():
        result = run_cli(folder, "visits", "--country", text, "--format", "json")
        judged(row, lambda result=result: judge_cli(result, "visits --country"))
        assert result.exit_code == 0, (text, result.output)
        assert [v["id"] for v in json.loads(result.stdout)] == expected, text
    for text in ("Ivory", "ساحل العاج", "\u202eeyikrüT", "Congo", ""):
        result = run_cli(folder, "visits", "--country", text, "--format", "json")
        judged(row, lambda result=result: judge_cli(result, "visits --country"))


def test_huge_values(ledger: Ledger, budget: Budget) -> None:
    row = ledger.row(
        "huge",
        AREA,
        f"Huge values: {budget.huge_chars:,}-character text in every text field, "
        "10,000-item lists, integers beyond 64 bits, a file of thousands of visits",
    )
    huge = ("solidarity " * (budget.huge_chars // 11 + 1))[: budget.huge_chars]
    chosen = TEXT_SLOTS if budget.name == "full" else list({s.kind: s for s in TEXT_SLOTS}.values())
    for slot in chosen:
        records = valid_records()
        slot.put(records, huge)
        with scratch() as folder:
            write_folder(folder, records)
            judged(row, lambda folder=folder, slot=slot: round_trip(folder, slot, huge))
    many = [f"place {n}" for n in range(10_000)]
    for slot in [s for s in slots() if s.path == "places"]:
        records = valid_records()
        slot.put(records, many)
        with scratch() as folder:
            write_folder(folder, records)
            judged(row, lambda folder=folder, slot=slot: round_trip(folder, slot, many))
    for slot in [s for s in slots() if s.spec.type in ("int", "tally")]:
        for number in (2**63 - 1, 2**63, 2**100, -(2**63) - 1):
            records = valid_records()
            slot.put(records, number)
            with scratch() as folder:
                write_folder(folder, records)
                judged(row, lambda folder=folder: check_folder(folder, store=True))
    visits = [
        {**VALID["visit"][0], "id": f"v{n}", "history": [], "status": "requested"}
        for n in range(budget.many_records)
    ]
    for visit in visits:
        del visit["start"], visit["end"]
    with scratch() as folder:
        write_folder(folder, {**valid_records(), "visit": visits})
        judged(row, lambda: check_folder(folder, store=True))


def nested(depth: int, form: str) -> str:
    """A TOML line nesting arrays or inline tables depth deep."""
    if form == "array":
        return "[" * depth + '"x"' + "]" * depth
    return "{a = " * depth + "1" + "}" * depth


def test_deep_nesting(ledger: Ledger, budget: Budget) -> None:
    row = ledger.row(
        "nesting",
        AREA,
        "Deep nesting, 10 to 100,000 levels: arrays and inline tables in fields, "
        "dotted keys and table headers",
    )
    depths = [10, 100, 300, 500, 1_000, 10_000, 100_000]
    base = valid_texts()
    for depth in depths:
        for form in ("array", "table"):
            for slot in ("title", "vote.yes", "places"):
                text = base["mandate.toml"].decode()
                if slot == "places":
                    name = "visits.toml"
                    text = (
                        base[name]
                        .decode()
                        .replace("places = [", f"places = {nested(depth, form)}\nplace = [", 1)
                    )
                elif slot == "vote.yes":
                    name = "mandate.toml"
                    text = text.replace('yes = ["KEN", "NLD"]', f"yes = {nested(depth, form)}")
                else:
                    name = "mandate.toml"
                    text = text.replace(
                        'title = "Independent', f'title = {nested(depth, form)}\nx = "', 1
                    )
                with scratch() as folder:
                    with_file(folder, name, text.encode(), base)
                    judged(row, lambda folder=folder: check_folder(folder, cli=cli_now(budget)))
        dotted_key = "[[theme]]\n" + ".".join(["a"] * depth) + " = 1\n"
        dotted_header = "[[visit]]\n[" + ".".join(["visit"] + ["a"] * depth) + "]\n"
        for name, content in (("themes.toml", dotted_key), ("visits.toml", dotted_header)):
            with scratch() as folder:
                with_file(folder, name, content.encode(), base)
                judged(row, lambda folder=folder: check_folder(folder, cli=cli_now(budget)))


# --- duplicates -----------------------------------------------------------------------


def duplicate_key(written: str, line: int) -> str:
    lines = written.splitlines()
    lines.insert(line, lines[line - 1])
    return "\n".join(lines) + "\n"


def test_duplicate_keys_tables_and_records(ledger: Ledger, budget: Budget) -> None:
    row = ledger.row(
        "duplicates",
        AREA,
        "Duplicate keys in every field, duplicate sub-tables, and a second record "
        "with the same id or symbol, for every kind",
    )
    base = valid_texts()
    for slot in slots():
        written = file_text(KINDS[slot.kind].file, VALID)
        line = written.lines.get((slot.kind, 0, slot.path))
        if line is None:
            continue  # optional field the valid record leaves out
        name = KINDS[slot.kind].file
        with scratch() as folder:
            with_file(folder, name, duplicate_key(written.text, line).encode(), base)
            judged(row, check_duplicate_key, folder, slot, line + 1, cli_now(budget))
    for header in ("[resolution.vote]", "[[visit.history]]"):
        name = "mandate.toml" if "resolution" in header else "visits.toml"
        text = base[name].decode().replace(header, f"{header}\n{header}", 1)
        with scratch() as folder:
            with_file(folder, name, text.encode(), base)
            judged(row, lambda folder=folder: check_folder(folder, cli=cli_now(budget)))
    for kind in KINDS:
        records = valid_records()
        records[kind].append(dict(records[kind][0]))
        with scratch() as folder:
            write_folder(folder, records)
            judged(row, check_second_record, folder, kind, cli_now(budget))


def check_duplicate_key(folder: Path, slot: Slot, line: int, cli: bool) -> str:
    """A key written twice: a TOML error at the second one."""
    outcome, problems = judge_load(folder)
    if outcome != PROBLEMS or problems[0].line != line:
        raise BadOutcome(
            "wrong or unclear results", f"duplicate {slot.path}: {[str(p) for p in problems]}"
        )
    return check_folder(folder, cli=cli)


def check_second_record(folder: Path, kind: str, cli: bool) -> str:
    """A second record with the same key: reported as a duplicate."""
    _, problems = judge_load(folder)
    if not any(f"duplicate {kind}" in p.message for p in problems):
        raise BadOutcome("wrong or unclear results", f"second {kind} not reported")
    return check_folder(folder, cli=cli)


# --- dates ----------------------------------------------------------------------------

DATE_TEXTS = [
    "2023-02-30",
    "2023-02-29",
    "2024-02-29",  # a leap day: valid
    "2023-06-31",
    "2023-13",
    "2023-00",
    "2023-01-00",
    "0000",
    "9999-12-31",
    "2023-2-3",
    "20230101",
    " 2023 ",
    "2023/01/01",
    "01/02/2023",
    "2023-01-01T10:00:00",
    "",
    "٢٠٢٣",  # Arabic-Indic digits
]
DATE_LITERALS = [
    "2023-02-30",
    "2023-13-01",
    "2023-00-10",
    "2023-02-29T25:00:00",
    "1979-05-27T07:32:00Z",
    "1979-05-27 07:32:00",
    "24:00:00",
    "07:32",
    "2023-1-1",
]
DATE_SLOTS = [s for s in slots() if s.spec.type == "date"]


def expect_date_error(folder: Path, slot: Slot, line: int, text: str, cli: bool) -> str:
    from tracker.dates import try_parse

    _, problems = judge_load(folder)
    if try_parse(text) is None and not any(
        p.field == slot.path and p.line == line for p in problems
    ):
        raise BadOutcome(
            "wrong or unclear results",
            f"{slot.kind}.{slot.path} = {text!r} not reported at line {line}: "
            f"{[str(p) for p in problems]}",
        )
    return check_folder(folder, cli=cli)


def test_impossible_and_malformed_dates(ledger: Ledger, budget: Budget) -> None:
    row = ledger.row(
        "dates",
        AREA,
        "Impossible and malformed dates in every date field, as text and as TOML dates: "
        "2023-02-30, month 13, day 0, times of day, other digits and separators",
        scale="examples",
    )
    for slot in DATE_SLOTS:
        for text in DATE_TEXTS:
            records = valid_records()
            slot.put(records, text)
            with scratch() as folder:
                written = write_folder(folder, records)
                line = written[KINDS[slot.kind].file].lines[(slot.kind, 0, slot.path)]
                judged(
                    row,
                    lambda folder=folder, slot=slot, line=line, text=text: expect_date_error(
                        folder, slot, line, text, cli_now(budget)
                    ),
                )
        for literal in DATE_LITERALS:
            records = valid_records()
            slot.put(records, "PLACEHOLDER")
            with scratch() as folder:
                written = write_folder(folder, records)
                name = KINDS[slot.kind].file
                text = written[name].text.replace('"PLACEHOLDER"', literal)
                (folder / name).write_text(text, encoding="utf-8")
                judged(row, lambda folder=folder: check_folder(folder, cli=cli_now(budget)))

    @fuzz_settings(budget)
    @given(st.sampled_from(DATE_SLOTS), st.from_regex(r"\A[0-9]{1,5}(-[0-9]{1,3}){0,3}\Z"))
    def case(slot: Slot, text: str) -> None:
        records = valid_records()
        slot.put(records, text)
        with scratch() as folder:
            written = write_folder(folder, records)
            line = written[KINDS[slot.kind].file].lines[(slot.kind, 0, slot.path)]
            judged(row, lambda: expect_date_error(folder, slot, line, text, cli_now(budget)))

    case()


# --- real processes -------------------------------------------------------------------

BAD_SETS: dict[str, dict[str, bytes]] = {
    # The first few run in CI: one for the validator, one for the parser, one for nesting.
    "2023-02-30 as text": {
        "visits.toml": file_text("visits.toml", VALID)
        .text.replace("2015-03-02", '"2023-02-30"')
        .encode()
    },
    "binary garbage": {"visits.toml": bytes(range(256))},
    "nesting 100,000 deep": {"mandate.toml": ("x = " + nested(100_000, "array")).encode()},
    "a number beyond 64 bits": {
        "themes.toml": file_text("themes.toml", VALID)
        .text.replace("session = 30", "session = 99999999999999999999")
        .encode()
    },
    "truncated mid-string": {"themes.toml": b'[[theme]]\nid = "wat'},
    "2023-02-30 as a TOML date": {"visits.toml": b"[[visit]]\nstart = 2023-02-30\n"},
    "a duplicate key": {"visits.toml": b'[[visit]]\nid = "a"\nid = "b"\n'},
    "not UTF-8": {"mandate.toml": '[[mandate]]\nid = "côte"\n'.encode("latin-1")},
}
COMMANDS = [
    ("check",),
    ("visits",),  # the fast path, without Typer
    ("visits", "--status", "completed", "--format", "md"),
    ("report", "--format", "html"),
    ("add", "theme", "--id", "x", "--title", "X", "--mandate", "test-mandate", "--source", "A/1"),
]


def test_real_processes_exit_1_without_a_traceback(
    ledger: Ledger, budget: Budget, tmp_path: Path
) -> None:
    row = ledger.row(
        "processes",
        AREA,
        "Bad data sets run through the real `tracker` program (fast path, Typer, writer, "
        "report): exit status and stderr",
        scale="subprocess_cases",
    )
    base = valid_texts()
    chosen = list(BAD_SETS.items())[: budget.subprocess_cases]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env["TRACKER_TODAY"] = "2026-11-23"
    for label, files in chosen:
        folder = tmp_path / label.replace(" ", "-").replace(",", "")
        folder.mkdir()
        for name in DATA_FILES:
            (folder / name).write_bytes(files.get(name, base[name]))
        before = {name: (folder / name).read_bytes() for name in DATA_FILES}
        for args in COMMANDS:
            done = subprocess.run(
                [sys.executable, "-m", "tracker", "--data", str(folder), *args],
                capture_output=True,
                text=True,
                env=env,
                timeout=120,
            )
            where = f"{label}: tracker {' '.join(args)}"
            if "Traceback" in done.stderr or done.returncode not in (0, 1):
                row.fail("tracebacks", f"{where}: exit {done.returncode}: {done.stderr[-1500:]}")
            lines = done.stderr.splitlines()
            if done.returncode != 1 or not any(line.startswith(str(folder)) for line in lines):
                row.fail("wrong or unclear results", f"{where}: {done.returncode} {done.stderr}")
            after = {name: (folder / name).read_bytes() for name in DATA_FILES}
            if after != before:
                row.fail("half-written files", f"{where}: a data file changed")
            row.case("clear message naming file and line, exit 1")
    shutil.rmtree(tmp_path, ignore_errors=True)


# --- coverage-guided fuzzing ----------------------------------------------------------

HARNESS = Path(__file__).resolve().parent / "fuzz" / "atheris_loader.py"


def test_atheris_harness(ledger: Ledger, budget: Budget, tmp_path: Path) -> None:
    row = ledger.row(
        "atheris",
        AREA,
        f"Coverage-guided mutations of the data files (atheris, {budget.atheris_seconds:g} s "
        "at this budget; `python tests/fuzz/atheris_loader.py --seconds N` for longer)",
        scale="open",
    )
    if importlib.util.find_spec("atheris") is None:
        pytest.skip("atheris is not installed here (`pip install atheris` to run it)")
    results = tmp_path / "atheris.json"
    done = subprocess.run(
        [
            sys.executable,
            str(HARNESS),
            "--seconds",
            str(budget.atheris_seconds),
            "--results",
            str(results),
        ],
        cwd=tmp_path,  # where libFuzzer writes a crashing input
        capture_output=True,
        text=True,
        timeout=budget.atheris_seconds + 120,
    )
    summary = json.loads(results.read_text()) if results.exists() else {"outcomes": {}}
    for outcome, count in summary["outcomes"].items():
        if outcome not in BAD:
            row.outcomes[outcome] += count
    if done.returncode != 0:
        # atheris prints the failing case's exception on stdout, libFuzzer its report on stderr.
        output = done.stdout + done.stderr
        bad = [kind for kind in BAD if summary["outcomes"].get(kind)]
        kind = bad[0] if bad else "tracebacks"
        start = output.find("=== Uncaught Python exception")
        row.fail(kind, f"exit {done.returncode}: {output[max(start, 0) :][:3000]}")
    assert row.cases > 0, done.stderr[-2000:]

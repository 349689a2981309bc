"""Bad input for the loader, and the rule for judging what the loader made of it.

Shared by the hypothesis tests (tests/test_fuzz_loader.py) and the atheris harness
(tests/fuzz/atheris_loader.py). The rule: a data folder either loads as valid data,
or every problem found names its file and a line inside it. Anything else (an
exception, a problem without a place) is a bad outcome.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker import sources
from tracker.model import DATA_FILES, FILES, HISTORY_FIELDS, KINDS, VOTE_CHOICES, Field
from tracker.problems import Problem
from tracker.validate import validate

TODAY = dt.date(2026, 11, 23)
PROBLEMS = "problems, each with file and line"  # how a load of bad data should end

# One valid record of every kind, which refer to each other; the fuzz tests break one
# field at a time. Field order is the model's, so the files read like real ones.
VALID: dict[str, list[dict[str, Any]]] = {
    "mandate": [
        {
            "id": "test-mandate",
            "title": "Independent Expert on testing",
            "established": dt.date(2010, 1, 1),
            "established_by": "A/HRC/RES/13/1",
            "source": "A/HRC/RES/13/1",
        }
    ],
    "holder": [
        {
            "id": "first",
            "mandate": "test-mandate",
            "name": "First Holder",
            "nationality": "KEN",
            "start": dt.date(2010, 6, 1),
            "end": dt.date(2014, 5, 31),
            "source": "A/HRC/14/1",
        },
        {
            "id": "second",
            "mandate": "test-mandate",
            "name": "Second Holder",
            "appointed": "2014-05",
            "start": "2014-06",
            "source": "A/HRC/26/1",
            "note": "Appointed at HRC 26.",
        },
    ],
    "resolution": [
        {
            "symbol": "A/HRC/RES/13/1",
            "mandate": "test-mandate",
            "body": "HRC",
            "adopted": dt.date(2010, 1, 1),
            "action": "establishment",
            "term_years": 3,
            "source": "A/HRC/RES/13/1",
            "vote": {"yes": ["KEN", "NLD"], "no": ["CHL"], "abstain": []},
            "request": [
                {"paragraph": 4, "asks": "report-hrc", "text": "report annually", "note": "-"},
            ],
        },
    ],
    "visit": [
        {
            "id": "nld-2015",
            "holder": "second",
            "country": "NLD",
            "status": "completed",
            "start": dt.date(2015, 3, 2),
            "end": dt.date(2015, 3, 6),
            "report": "A/HRC/30/40/Add.1",
            "themes": ["water"],
            "places": ["The Hague", "Rotterdam"],
            "source": "A/HRC/30/40/Add.1",
            "history": [
                {"date": dt.date(2014, 10, 1), "status": "requested"},
                {"date": "2015-03", "status": "completed", "note": "Visit made."},
            ],
        },
    ],
    "theme": [
        {
            "id": "water",
            "mandate": "test-mandate",
            "title": "Water and solidarity",
            "set_by": "second",
            # No set_in: the one report addresses the theme, and a report that set a theme
            # may not address it (docs/data-format.md).
            "source": "A/HRC/27/1",
        }
    ],
    "report": [
        {
            "symbol": "A/HRC/30/40/Add.1",
            "holder": "second",
            "body": "HRC",
            "session": 30,
            "date": dt.date(2015, 9, 14),
            "kind": "visit",
            "title": "Visit to the Netherlands",
            "themes": ["water"],
            "summary": "The Netherlands and water.",
            "source": "A/HRC/30/40/Add.1",
        }
    ],
    "engagement": [
        {
            "id": "ga-2015",
            "holder": "second",
            "date": dt.date(2015, 10, 20),
            "end": "2015-10",
            "forum": "GA Third Committee",
            "kind": "statement",
            "place": "New York",
            "country": "USA",
            "report": "A/HRC/30/40/Add.1",
            "themes": ["water"],
            "title": "Statement on water",
            "source": "https://example.org/ga-2015",
        }
    ],
    "communication": [
        {
            "ref": "AL NLD 1/2015",
            "type": "AL",
            "holder": "second",
            "country": "NLD",
            "date": dt.date(2015, 5, 4),
            "joint_with": "Special Rapporteur on water",
            "summary": "Water cuts",
            "themes": ["water"],
            "replies": [dt.date(2015, 7, 1), "2015-08"],
            "source": "https://example.org/al-nld-1-2015",
        }
    ],
    "invitation": [
        {
            "country": "NLD",
            "since": "2001",
            "withdrawn": dt.date(2030, 1, 1),
            "source": "https://example.org/invitations",
        }
    ],
    "recommendation": [
        {
            "id": "uhri-1",
            "report": "A/HRC/30/40/Add.1",
            "countries": ["NLD"],
            "type": "recommendation",
            "published": dt.date(2015, 10, 1),
            "text": "The Netherlands should keep its water cooperation.",
            "themes": ["Development"],
            "sdgs": ["6 - Clean water"],
            "affected_persons": ["Children"],
            "source": "https://uhri.ohchr.org/",
        }
    ],
}


# --- writing TOML by hand -------------------------------------------------------------
# tomli-w cannot write every value the fuzz tests need (inline tables in a scalar field,
# nan, keys that need quotes), and the tests need to know the line of every key.

BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_key(key: str) -> str:
    # fullmatch: `$` would also match before a final newline, and "0\n" is no bare key.
    return key if BARE_KEY.fullmatch(key) else toml_string(key)


def toml_string(text: str) -> str:
    # JSON's escapes are TOML's; DEL is the one control character JSON leaves raw.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(value: Any) -> str:
    """One TOML value, inline."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no TOML for {value!r}")


@dataclass
class Written:
    """The text of one data file and the line of every key in it."""

    text: str = ""
    lines: dict[tuple[str, int, str], int] = field(default_factory=dict)


def file_text(filename: str, records: dict[str, list[dict[str, Any]]]) -> Written:
    """A data file holding these records; lines maps (kind, index, field path) to a line."""
    out: list[str] = ["# Written by tests/badinput.py"]
    lines: dict[tuple[str, int, str], int] = {}
    for kind in FILES[filename]:
        for index, data in enumerate(records.get(kind, [])):
            out += ["", f"[[{kind}]]"]
            lines[(kind, index, "")] = len(out)
            later: list[tuple[str, Any]] = []
            for name, value in data.items():
                if (name == "vote" and isinstance(value, dict)) or (
                    name in SUB_RECORDS and _is_history(value)
                ):
                    later.append((name, value))  # written as sub-tables, after the keys
                else:
                    out.append(f"{toml_key(name)} = {toml_value(value)}")
                    lines[(kind, index, name)] = len(out)
            for name, value in later:
                entries = [value] if name == "vote" else value
                for number, entry in enumerate(entries):
                    prefix = "vote" if name == "vote" else f"{name}[{number}]"
                    out += ["", f"[{kind}.vote]" if name == "vote" else f"[[{kind}.{name}]]"]
                    lines[(kind, index, prefix)] = len(out)
                    for key, item in entry.items():
                        out.append(f"{toml_key(key)} = {toml_value(item)}")
                        lines[(kind, index, f"{prefix}.{key}")] = len(out)
    return Written("\n".join(out) + "\n", lines)


# Fields written as [[kind.field]] sub-tables when they hold a list of tables.
SUB_RECORDS = ("history", "request")


def _is_history(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(h, dict) for h in value)


def write_folder(folder: Path, records: dict[str, list[dict[str, Any]]]) -> dict[str, Written]:
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for filename in FILES:
        written[filename] = file_text(filename, records)
        (folder / filename).write_text(written[filename].text, encoding="utf-8")
    return written


def valid_records() -> dict[str, list[dict[str, Any]]]:
    import copy

    return copy.deepcopy(VALID)


# --- every field of every kind --------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    """A place a value can go: a field of a kind, or a field of its vote or history."""

    kind: str
    path: str  # "title", "vote.yes", "history[0].date"
    spec: Field

    def put(self, records: dict[str, list[dict[str, Any]]], value: Any) -> None:
        data = records[self.kind][0]
        if "." not in self.path:
            data[self.path] = value
        elif self.path.startswith("vote."):
            data["vote"][self.spec.name] = value
        else:
            data["history"][0][self.spec.name] = value

    def remove(self, records: dict[str, list[dict[str, Any]]]) -> None:
        data = records[self.kind][0]
        if "." not in self.path:
            data.pop(self.path, None)
        elif self.path.startswith("vote."):
            data["vote"].pop(self.spec.name, None)
        else:
            data["history"][0].pop(self.spec.name, None)


VOTE_FIELD = Field("vote", "vote")


def slots() -> list[Slot]:
    """Every field of every kind in the model, and the fields of vote and history."""
    found = [Slot(kind, spec.name, spec) for kind in KINDS for spec in KINDS[kind].fields]
    found += [Slot("resolution", f"vote.{c}", Field(c, "tally")) for c in VOTE_CHOICES]
    found += [Slot("visit", f"history[0].{spec.name}", spec) for spec in HISTORY_FIELDS]
    return found


def accepts(spec: Field, value: Any) -> bool:
    """Whether the value has a type the field may hold (whether it is right is another matter)."""
    kind = spec.type
    if kind in ("text", "slug", "iso3", "symbol", "enum"):
        return isinstance(value, str)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "date":
        return isinstance(value, str) or (
            isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        )
    if kind in ("list", "slugs"):
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "dates":
        return isinstance(value, list) and all(
            isinstance(v, str) or (isinstance(v, dt.date) and not isinstance(v, dt.datetime))
            for v in value
        )
    if kind == "records":
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    if kind == "tally":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        )
    if kind == "vote":
        return isinstance(value, dict)
    if kind in ("history", "records"):  # a list of sub-records (a visit's history)
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    raise AssertionError(kind)


# --- the rule -------------------------------------------------------------------------


class BadOutcome(Exception):
    def __init__(self, kind: str, detail: str):
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


def line_count(folder: Path, name: str) -> int:
    try:
        return max(1, len((folder / name).read_bytes().splitlines()))
    except OSError:
        return 1


def located(problem: Problem, folder: Path) -> bool:
    """The problem names one of the data files and a line inside it."""
    name = Path(problem.file).name
    if name not in DATA_FILES or not problem.message.strip():
        return False
    return 1 <= problem.line <= line_count(folder, name)


def judge_load(folder: Path) -> tuple[str, list[Problem]]:
    """How loading and validating the folder ended: "valid load", or PROBLEMS (each with
    its file and line).

    Raises BadOutcome for a traceback or a problem that does not say where it is.
    """
    try:
        dataset, problems = sources.load(folder)
        problems = problems + validate(dataset, TODAY)
        shown = [str(p) for p in problems]
    except Exception:
        raise BadOutcome("tracebacks", traceback.format_exc(limit=-6)) from None
    unplaced = [text for p, text in zip(problems, shown, strict=True) if not located(p, folder)]
    if unplaced:
        raise BadOutcome(
            "wrong or unclear results", "problem without file and line: " + unplaced[0]
        )
    errors = [p for p in problems if p.is_error]
    return (PROBLEMS if errors else "valid load"), problems


LOCATED_LINE = re.compile(r"^(?P<file>\S+?):(?P<line>\d+): (error|warning): .+")


def judge_cli(result: Any, command: str) -> str:
    """How one in-process CLI run ended: exit 0, or exit 1 with located messages on stderr
    (or 2, a usage error such as an empty filter, with its message)."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        detail = "".join(traceback.format_exception(*result.exc_info)[-6:])
        raise BadOutcome("tracebacks", f"{command}: {detail}")
    stderr = result.stderr
    if "Traceback" in stderr or "Traceback" in result.stdout:
        raise BadOutcome("tracebacks", f"{command}: {stderr[-2000:]}")
    if result.exit_code == 0:
        return "exit 0"
    if result.exit_code not in (1, 2) or not stderr.strip():
        raise BadOutcome(
            "wrong or unclear results", f"{command}: exit {result.exit_code}, stderr {stderr!r}"
        )
    problems = [line for line in stderr.splitlines() if LOCATED_LINE.match(line)]
    if not problems and not stderr.startswith("Error: "):
        raise BadOutcome("wrong or unclear results", f"{command}: stderr {stderr[-1000:]!r}")
    return "clear message, exit 1"

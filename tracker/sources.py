"""Read the data folder's TOML files into records that remember their lines.

The parser (tracker/tomlread.py: rtoml, with tomllib's documents and messages) gives
values but not positions, so a light scan of each file's text finds the line of every
record header and every `key =` inside it. Problems can then name the file and line a
person has to open.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker import layout, tomlread
from tracker.model import KINDS, DataSet, Record
from tracker.problems import ERROR, Problem, relative

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*(\]\]?)\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\"|'[^']*')\s*(?:\.\s*[A-Za-z0-9_\-\"']+\s*)*=")
_STRINGS = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'[^']*'")
_ENTRY = re.compile(r"\[\d+\]$")  # "history[2]": one entry of an array of sub-tables
_TOML_ERROR_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass
class Positions:
    """Where each record (by kind and index) and each of its fields begins."""

    records: dict[tuple[str, int], int] = field(default_factory=dict)
    fields: dict[tuple[str, int], dict[str, int]] = field(default_factory=dict)

    def line_of(self, kind: str, index: int = 0) -> int:
        """The line of a kind's record (by index), else of its first one, else 0."""
        return self.records.get((kind, index), self.records.get((kind, 0), 0))


def scan_positions(text: str) -> Positions:
    """Find record headers and key lines. Multi-line strings and arrays are skipped."""
    positions = Positions()
    counters: dict[str, int] = {}
    current: tuple[str, int] | None = None
    prefix = ""  # the sub-table a key belongs to, e.g. "vote" or "history[1]"
    depth = 0  # open brackets of a multi-line array
    in_multiline: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        if line.lstrip().startswith("#"):
            continue  # a comment: its brackets and quotes open nothing
        if depth == 0:
            header = _HEADER.match(line)
            if (
                header
                and header.group(1) in ("[", "[[")
                and len(header.group(1)) == len(header.group(3))
            ):
                name = header.group(2).replace('"', "").replace("'", "").replace(" ", "")
                top, _, sub = name.partition(".")
                if not sub:
                    index = counters.get(top, 0)
                    counters[top] = index + 1
                    current = (top, index)
                    positions.records[current] = number
                    positions.fields[current] = {}
                    prefix = ""
                elif current and current[0] == top:
                    record_fields = positions.fields[current]
                    if header.group(1) == "[[":
                        count = sum(
                            1
                            for k in record_fields
                            if _ENTRY.match(k, len(sub)) and k.startswith(sub)
                        )
                        prefix = f"{sub}[{count}]"
                    else:
                        prefix = sub
                    record_fields.setdefault(sub, number)
                    record_fields[prefix] = number
                else:
                    # `[[visit.history]]` with no [[visit]] before it: the table is there.
                    positions.records.setdefault((top, 0), number)
                continue
            key = _KEY.match(line)
            if key and current is None:
                # A key before any header (`visit = [...]`, `title = ...`): its line is
                # where that whole table's records are.
                top_key = key.group(1).strip("\"'")
                positions.records.setdefault((top_key, 0), number)
            elif key and current:
                name = key.group(1).strip("\"'")
                full = f"{prefix}.{name}" if prefix else name
                positions.fields[current].setdefault(full, number)
        value = line.split("=", 1)[1] if depth == 0 and "=" in line else line
        opened = next((q for q in ('"""', "'''") if value.count(q) % 2 == 1), None)
        if opened:
            in_multiline = opened
            continue
        value = _STRINGS.sub('""', value).split("#", 1)[0]
        depth = max(0, depth + value.count("[") - value.count("]"))
    return positions


def toml_error(path: Path, error: tomllib.TOMLDecodeError, text: str = "") -> Problem:
    message = str(error)
    match = _TOML_ERROR_LINE.search(message)
    # Errors "(at end of document)" carry no line: they are on the file's last line.
    line = int(match.group(1)) if match else max(1, len(text.splitlines()))
    message = _TOML_ERROR_LINE.sub("", message).strip()
    return Problem(relative(path), line, f"TOML syntax: {message}{date_hint(text, line)}", ERROR)


_DATE_LIKE = re.compile(r"=\s*(\d{4})-(\d{2})(?:-(\d{2}))?\b")


def date_hint(text: str, line: int) -> str:
    """What is wrong with a date TOML refused on this line (start = 2019-13-02: month 13)."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    match = _DATE_LIKE.search(lines[line - 1])
    if not match:
        return ""
    import datetime as dt

    year, month, day = (int(part) if part else None for part in match.groups())
    if month is not None and not 1 <= month <= 12:
        return f" ({match.group(0)[1:].strip()} has no month {month}: write YYYY-MM-DD)"
    if day is None:
        return ' (a date needs its day, YYYY-MM-DD; a month alone is text: "2019-06")'
    try:
        dt.date(year or 1, month or 1, day)
    except ValueError:
        return f" ({match.group(0)[1:].strip()} has no day {day} in that month)"
    return ""


MAX_KEY_PARTS = 64
_PART = r"(?:[A-Za-z0-9_\-]+|\"[^\"]*\"|'[^']*')"
_DEEP_KEY = re.compile(
    rf"^\s*\[{{0,2}}\s*{_PART}(?:\s*\.\s*{_PART}){{{MAX_KEY_PARTS},}}\s*(?:\]|=)"
)


# As many dots as such a key has, with no newline between them: searched from each dot by
# the regular expression engine (a tenth of the time of going through the lines), so that
# the common file, which has no such line, is not split into lines at all.
_MANY_DOTS = re.compile(rf"\.(?:[^\n.]*\.){{{MAX_KEY_PARTS - 1}}}")


def too_deep_key(text: str) -> int:
    """The line of a dotted key or table header of absurd depth (a.b.c...), else 0.

    tomllib's time and memory grow with the square of a key's length in parts: a key
    of 100,000 parts would use all the memory there is before failing.
    """
    if _MANY_DOTS.search(text) is None:
        return 0  # (splitlines' lines are parts of these: none of them has the dots either)
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count(".") >= MAX_KEY_PARTS and _DEEP_KEY.match(line):
            return number
    return 0


def deepest_line(text: str) -> int:
    """The line where arrays and inline tables nest deepest (strings are not told apart)."""
    depth = deepest = 0
    found = 1
    for number, line in enumerate(text.splitlines(), start=1):
        for char in line:
            if char in "[{":
                depth += 1
                if depth > deepest:
                    deepest, found = depth, number
            elif char in "]}":
                depth = max(0, depth - 1)
    return found


def read_file(
    path: Path,
    with_positions: bool = True,
    digests: dict[str, bytes | None] | None = None,
    key: str | None = None,
) -> tuple[dict[str, Any] | None, Positions, list[Problem]]:
    """Parse one data file; a missing file is an empty one.

    Finding positions costs almost as much as parsing, and only problems need them,
    so the store's rebuild skips it until validation finds something to report.
    digests: if given, receives a digest of the bytes read, by key (default: the file's
    name; None for a missing file), so that a writer can tell later whether the file
    still holds them.
    """
    shown = relative(path)
    key = path.name if key is None else key
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if digests is not None:
            digests[key] = None
        return {}, Positions(), []
    except OSError as error:
        return None, Positions(), [Problem(shown, 0, f"cannot read: {error.strerror}")]
    if digests is not None:
        digests[key] = content_digest(raw)
    try:
        # Windows editors may start a UTF-8 file with a byte-order mark, which TOML forbids.
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, Positions(), [Problem(shown, line, "not UTF-8 text")]
    del raw  # the text holds it: at scale a file's bytes are tens of megabytes
    deep = too_deep_key(text)
    if deep:
        message = f"TOML syntax: a key or table name of more than {MAX_KEY_PARTS} dotted parts"
        return None, Positions(), [Problem(shown, deep, message)]
    try:
        document = tomlread.loads(text)
    except tomllib.TOMLDecodeError as error:
        return None, Positions(), [toml_error(path, error, text)]
    except RecursionError:
        line = deepest_line(text)
        return None, Positions(), [Problem(shown, line, "TOML syntax: nested too deeply")]
    return document, scan_positions(text) if with_positions else Positions(), []


def content_digest(raw: bytes) -> bytes:
    return hashlib.sha256(raw).digest()


def load(
    folder: Path,
    with_positions: bool = True,
    documents: dict[str, dict[str, Any]] | None = None,
    files: Collection[str] | None = None,
    digests: dict[str, bytes | None] | None = None,
    keys: list[str] | None = None,
) -> tuple[DataSet, list[Problem]]:
    """Read every data file in folder. Returns the records and any structural problems.

    Files are named by their key, their path in the folder (layout.data_files:
    `visits.toml`, `mandate-0001/visits.toml`).
    documents: files already parsed (by key), e.g. the store's cache of unchanged files;
    those are not read again.
    files: read only these data files (by key); the others' records are left out.
    digests: receives a digest of each file read from its text (see read_file).
    keys: layout.data_files(folder), when the caller has it already (it lists every
    sub-folder: a caller reading the files one at a time lists them once).
    """
    dataset = DataSet(folder)
    problems: list[Problem] = []
    for filename in layout.data_files(folder) if keys is None else keys:
        if files is not None and filename not in files:
            continue
        path = folder / filename
        document: dict[str, Any] | None
        if documents is not None and filename in documents:
            document, positions = documents[filename], Positions()
        else:
            document, positions, file_problems = read_file(path, with_positions, digests, filename)
            problems += file_problems
        if document is not None:
            dataset.documents[filename] = document
            problems += add_records(dataset, filename, document, positions)
    if files is None:
        problems += [
            Problem(
                relative(folder / key),
                0,
                f"{layout.base(key)} holds records of no one mandate: it belongs at the top "
                "of the data folder, not in a mandate's sub-folder (it was not read)",
            )
            for key in layout.stray_files(folder)
        ]
    return dataset, problems


def add_records(
    dataset: DataSet, filename: str, document: dict[str, Any], positions: Positions
) -> list[Problem]:
    """Turn one parsed file (by key) into records; problems for tables it should not hold."""
    kinds = layout.kinds_of(filename)
    shown = relative(dataset.folder / filename)
    problems = []
    for top, value in document.items():
        if top not in kinds:
            line = positions.line_of(top)
            expected = ", ".join(f"[[{k}]]" for k in kinds)
            problems.append(
                Problem(shown, line, f"unknown table [[{top}]] (this file holds {expected})")
            )
            continue
        if not isinstance(value, list):
            line = positions.line_of(top)
            problems.append(Problem(shown, line, f"'{top}' must be written as [[{top}]] records"))
            continue
        for index, data in enumerate(value):
            line = positions.line_of(top, index)
            if not isinstance(data, dict):
                problems.append(Problem(shown, line, f"[[{top}]] entry is not a table"))
                continue
            fields = positions.fields.get((top, index), {})
            dataset.records[top].append(Record(top, data, shown, line, fields, filename))
    return problems


def find_lines(folder: Path, filename: str, records: dict[str, list[Record]]) -> None:
    """Give records read without positions their lines and field lines, from the file.

    filename: the file's key. records: some of the file's kinds, each with all its
    records in file order (as read); those read from other files are left alone.
    Reading positions costs time and memory that only problems need, so a write finds
    them only when it has a problem to report.
    """
    try:
        text = (folder / filename).read_bytes().decode("utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError):
        return  # the problem reported is then without its line, as for any unreadable file
    positions = scan_positions(text)
    del text
    for kind, in_order in records.items():
        mine = [r for r in in_order if r.source in ("", filename)]
        for index, record in enumerate(mine):
            record.line = positions.line_of(kind, index)
            record.field_lines = positions.fields.get((kind, index), {})


def data_files(folder: Path) -> list[Path]:
    """The data files' paths (layout.data_files has their keys)."""
    return [folder / key for key in layout.data_files(folder)]


__all__ = ["KINDS", "Positions", "data_files", "find_lines", "load", "read_file", "scan_positions"]

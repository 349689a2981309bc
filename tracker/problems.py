"""Problems found in the data: what, where (file and line), and how serious.

NamedTuple rather than dataclass, and pathlib only when needed: this module is on every
command's start-up path.
"""

from __future__ import annotations

from collections import namedtuple
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from pathlib import Path

ERROR = "error"
WARNING = "warning"


if TYPE_CHECKING:

    class _Problem(NamedTuple):
        file: Path
        line: int
        message: str
        severity: str = ERROR
        record: str = ""
        field: str = ""

else:  # no typing.NamedTuple at run time: see tracker/plain.py
    _Problem = namedtuple(
        "_Problem",
        ("file", "line", "message", "severity", "record", "field"),
        defaults=(ERROR, "", ""),
    )


class Problem(_Problem):
    __slots__ = ()

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def location(self) -> str:
        return f"{self.file}:{self.line}" if self.line else str(self.file)

    def __str__(self) -> str:
        where = ""
        if self.record:
            where = f"{self.record}"
            if self.field:
                where += f" field '{self.field}'"
            where += ": "
        elif self.field:
            where = f"field '{self.field}': "
        return printable(f"{self.location()}: {self.severity}: {where}{self.message}")

    def as_dict(self) -> dict[str, object]:
        return {
            "file": str(self.file),
            "line": self.line,
            "severity": self.severity,
            "record": self.record,
            "field": self.field,
            "message": self.message,
        }


def printable(text: str) -> str:
    """Control characters (a newline inside a value, say) as escapes, so that a problem
    stays on its one line and shows what is really there."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


class TrackerError(Exception):
    """An error to show the user as a message, never as a traceback (exit status 1)."""

    exit_code = 1


class UsageError(TrackerError):
    """Options that cannot mean anything (an empty filter, --since after --until): status 2."""

    exit_code = 2


class DataError(TrackerError):
    """The data folder holds errors; the store will not be built from it."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.is_error]
        super().__init__(f"{len(errors)} error(s) in the data")

    def report(self) -> str:
        errors = [p for p in self.problems if p.is_error]
        lines = [str(p) for p in errors]
        lines.append(f"{len(errors)} error(s): fix them, then run `tracker check`.")
        return "\n".join(lines)


def listed(keys: list[str], limit: int) -> str:
    """Keys for a message: all of them, or the first `limit` and how many there are."""
    if len(keys) <= limit:
        return ", ".join(keys) or "none"
    return ", ".join(keys[:limit]) + f", ... ({len(keys)} in all)"


def unknown_key(what: str, key: str, known: list[str], limit: int = 25) -> str:
    """A message for a key that names no record: the known keys when there are few, else
    the closest few, since a store of every special procedure holds thousands."""
    if len(known) <= limit:
        return f"no {what} '{key}' (known: {listed(known, limit)})"
    import difflib  # only a key that matched nothing needs suggestions

    close = difflib.get_close_matches(key, known, n=5, cutoff=0.6)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    return f"no {what} '{key}' ({hint}{len(known)} {what}s are known)"


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (str(p.file), p.line, p.severity != ERROR, p.message))


def relative(path: Path) -> Path:
    """Show paths relative to the working folder when they lie under it."""
    import os

    return _relative(path, os.getcwd())


@lru_cache(maxsize=8192)
def _relative(path: Path, cwd: str) -> Path:
    """relative(), once per path and working folder: resolving a path costs a system call
    per part, and a data folder in sub-folders has thousands of files, each named by
    every problem and record read from it."""
    from pathlib import Path

    try:
        return path.resolve().relative_to(Path(cwd).resolve())
    except ValueError:
        return path

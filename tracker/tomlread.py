"""Parse TOML text: tomllib's documents and messages, at the speed of a compiled parser.

rtoml (Rust) parses the data files several times faster than tomllib (docs/performance.md,
"Parsing at bulk"). It is used only where it gives what tomllib gives:

- on any error, the text is parsed again by tomllib, whose message (with its line) is the
  one shown, and which also reads what rtoml refuses but TOML 1.0 allows (integers beyond
  64 bits, floats beyond the largest);
- text in which rtoml could read something tomllib does not, or reads otherwise, is left to
  tomllib: TOML 1.1's escapes (``\\x``, ``\\e``), inline tables over several lines or with
  a trailing comma, and times of day (rtoml accepts them without seconds, and gives an
  offset date-time its own tzinfo class). The test is on the raw text, so a note that
  mentions "10:30" costs speed, never correctness;
- a large text is parsed in pieces cut before a top-level ``[[kind]]`` header, so that
  rtoml's own tree of a 20 MB file never sits in memory beside the Python objects; the
  pieces' tables are joined only where that is what one parse would give (arrays of
  tables extended), and anything else (a table defined in two pieces, a cut inside a
  multi-line string or array) is parsed whole.

Without rtoml (it failed to install or import), tomllib does everything, as before.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterator
from sys import intern
from types import ModuleType
from typing import Any

rtoml: ModuleType | None
try:
    import rtoml
except ImportError:  # pragma: no cover - rtoml ships wheels for every supported Python
    rtoml = None

# Text rtoml might read differently from tomllib (see above, and _tomllib_only).
_ESCAPE = re.compile(r"\\[xXeE]")
_TIME = re.compile(r":\d\d")  # starts with a literal: searched at the speed of str.find
# A line that starts an array of tables at the top: where a large text may be cut.
_TOP_HEADER = re.compile(r"\[\[[ \t]*[A-Za-z0-9_-]+[ \t]*\]\][ \t]*(?:#[^\n]*)?\r?(?:\n|$)")
# Text before the first header that is not blank or a comment (a top-level key).
_PREAMBLE_KEY = re.compile(r"^[ \t]*[^\s#]", re.MULTILINE)
PIECE = 256 * 1024  # characters; about 1,000 records of the larger kinds

__all__ = ["PIECE", "TOMLDecodeError", "fast", "loads"]

TOMLDecodeError = tomllib.TOMLDecodeError


class _Whole(Exception):
    """The pieces do not stand alone: parse the text whole."""


def fast() -> bool:
    """Whether the compiled parser is in use."""
    return rtoml is not None


def loads(text: str) -> dict[str, Any]:
    """The document tomllib.loads(text) gives, or its TOMLDecodeError (or RecursionError)."""
    if rtoml is not None:
        try:
            return _in_pieces(text)
        except Exception:  # rtoml's error, or pieces that do not join: tomllib reads the
            pass  # text whole, giving its document, or its message with the line
    document: dict[str, Any] = compact(tomllib.loads(text), {})
    return document


def _tomllib_only(piece: str) -> bool:
    """Whether the text may hold what rtoml reads otherwise than tomllib: an escape of TOML
    1.1, an inline table (rare in data files: tomllib reads them all) or a time of day."""
    if "{" in piece or "}" in piece:
        return True
    if "\\" in piece and _ESCAPE.search(piece):
        return True
    return any(piece[m.start() - 2 : m.start()].isdigit() for m in _TIME.finditer(piece))


def _parse(piece: str, shared: dict[Any, Any]) -> dict[str, Any]:
    if _tomllib_only(piece):
        document = tomllib.loads(piece)
    else:
        assert rtoml is not None
        document = rtoml.loads(piece)
    compacted: dict[str, Any] = compact(document, shared)
    return compacted


def compact(value: Any, shared: dict[Any, Any]) -> Any:
    """value with one object for each repeated key, short text and date (a record's field
    names, statuses, country codes, ids named by other records): equal, in a third less
    memory at scale. shared: the objects kept so far."""
    kind = type(value)
    if kind is list:
        return [_one(item, shared) for item in value]
    if kind is not dict:
        return _one(value, shared)
    setdefault = shared.setdefault
    table = {}
    for key, item in value.items():
        kind = type(item)
        if kind is str:
            if len(item) <= 24:
                item = setdefault(item, item)
        elif kind is dt.date:
            item = setdefault(item, item)
        elif kind is dict or kind is list:
            item = compact(item, shared)
        table[intern(key)] = item
    return table


def _one(item: Any, shared: dict[Any, Any]) -> Any:
    kind = type(item)
    if kind is dict or kind is list:
        return compact(item, shared)
    if (kind is str and len(item) <= 24) or kind is dt.date:
        return shared.setdefault(item, item)
    return item


def _in_pieces(text: str) -> dict[str, Any]:
    pieces = cut(text, PIECE)
    shared: dict[Any, Any] = {}
    document = _parse(next(pieces), shared)
    for piece in pieces:
        for key, value in _parse(piece, shared).items():
            held = document.setdefault(key, value)
            if held is value:
                continue
            if not (isinstance(held, list) and isinstance(value, list)):
                raise _Whole(key)  # a table in two pieces: one parse decides
            held.extend(value)
    return document


def cut(text: str, size: int = PIECE) -> Iterator[str]:
    """text in pieces of about size characters, each after the first starting with a
    top-level [[kind]] header line; the whole text when it is small or has top-level keys
    before its first header (which a later piece's header could not extend)."""
    if len(text) <= size:
        yield text
        return
    first = _next_header(text, 0)
    if first is None or _PREAMBLE_KEY.search(text, 0, first):
        yield text
        return
    start = 0
    while True:
        at = _next_header(text, start + size)
        if at is None:
            yield text[start:]
            return
        yield text[start:at]
        start = at


def _next_header(text: str, position: int) -> int | None:
    """Where the first top-level [[kind]] header line at or after position begins."""
    if position == 0 and _TOP_HEADER.match(text):
        return 0
    at = max(position - 1, 0)
    while True:
        at = text.find("\n[[", at)
        if at < 0:
            return None
        if _TOP_HEADER.match(text, at + 1):
            return at + 1
        at += 1

"""The data files' parser (tracker/tomlread.py): rtoml where it gives what tomllib gives,
tomllib for everything else and for every message. The documents must be equal, types
included (a date stays a date, an offset date-time keeps a datetime.timezone), whichever
parser read them, whole or in pieces."""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker import sources, tomlread

ROOT = Path(__file__).resolve().parent.parent


def typed(value: Any) -> Any:
    """A document with each value's type and each table's key order, for comparison."""
    if isinstance(value, dict):
        return [(key, typed(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [typed(item) for item in value]
    if isinstance(value, float) and math.isnan(value):
        return (float, "nan")
    tz = getattr(value, "tzinfo", None)
    return (type(value), value, type(tz), tz.utcoffset(None) if tz else None)


def same(text: str) -> None:
    """tomlread.loads(text) gives tomllib's document, or raises tomllib's error."""
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        with pytest.raises(tomllib.TOMLDecodeError) as raised:
            tomlread.loads(text)
        assert str(raised.value) == str(error)
        return
    assert typed(tomlread.loads(text)) == typed(expected)


def test_rtoml_is_used() -> None:
    assert tomlread.fast(), "rtoml is a dependency: reinstall tracker (pip install -e .)"


def test_without_rtoml_tomllib_reads_everything(monkeypatch: Any) -> None:
    monkeypatch.setattr(tomlread, "rtoml", None)
    assert not tomlread.fast()
    for path in sorted((ROOT / "data").glob("*.toml")):
        same(path.read_text("utf-8"))
    same(records("visit", 40))
    same('bad = "')


@pytest.mark.parametrize("path", sorted((ROOT / "data").glob("*.toml")), ids=lambda p: p.name)
def test_shipped_data_parses_as_with_tomllib(path: Path) -> None:
    same(path.read_text("utf-8"))


@pytest.mark.parametrize("piece", [200, 2_000, 1 << 30])
def test_shipped_data_in_pieces_parses_as_whole(piece: int, monkeypatch: Any) -> None:
    monkeypatch.setattr(tomlread, "PIECE", piece)
    for path in sorted((ROOT / "data").glob("*.toml")):
        same(path.read_text("utf-8"))


# What TOML 1.1 allows, which rtoml reads and tomllib (TOML 1.0) refuses, and values rtoml
# reads otherwise (its own tzinfo class) or refuses (beyond 64 bits or the largest float).
EDGES = [
    "t = 07:32",
    "d = 1979-05-27T07:32Z",
    "d = 1979-05-27 07:32",
    "d = 1979-05-27T07:32:00Z",
    "d = 1979-05-27T00:32:00.999999-07:00",
    "d = 1979-05-27t07:32:00+01:30",
    "d = 1979-05-27T07:32:00",
    "t = 07:32:00.9999999",
    's = "\\x41"',
    's = "\\e"',
    's = "\\u00e9 \\U0001F600"',
    's = "\\uD800"',
    "t = {a = 1,}",
    "t = {\n  a = 1\n}",
    "t = {a = 1, b = {c = 2}}",
    "a = [{x = 1}, {x = 2},]",
    "i = 9223372036854775808",
    "i = -9223372036854775809",
    "f = 1e400",
    "f = -0.0",
    "f = nan",
    "f = -inf",
    "d = 0000-01-01",
    "d = 2019-02-29",
    "d = 2020-02-29",
    "t = 23:59:60",
    "a.b.c = 1\n[a]\nd = 2",
    "[a]\n[a.b]\n[a]",
    '["" ]\nx = 1',
    "x = 1\nx = 2",
    "[[visit]]\nid = 'a'\n[visit]\nid = 'b'",
    "s = '''\nline\n[[visit]]\n'''",
]


@pytest.mark.parametrize("text", EDGES)
def test_edge_cases_as_tomllib(text: str) -> None:
    same(text)


def records(kind: str, count: int, extra: str = "") -> str:
    return "".join(
        f'[[{kind}]]\nid = "{kind}-{n}"\nstart = 2020-01-{1 + n % 28:02d}\n'
        f'note = "n\\u00e9 {n}"\n{extra}\n'
        for n in range(count)
    )


@pytest.mark.parametrize(
    "text",
    [
        records("visit", 50),
        "# a comment first\n\n" + records("visit", 30) + records("report", 30),
        records("visit", 20) + "[[visit.history]]\ndate = 2020-01-01\n" + records("visit", 20),
        # a sub-table after another kind's records extends the last visit: cut there, the
        # pieces do not stand alone, so the text is parsed whole
        records("visit", 20) + records("report", 20) + "[[visit.history]]\ndate = 2020-01-01\n",
        # a table defined in two pieces, a top-level key before the first header
        records("visit", 20) + "[meta]\na = 1\n" + records("visit", 40) + "[meta]\nb = 2\n",
        records("visit", 20) + "[meta]\na = 1\n" + records("visit", 40) + "[meta.x]\nb = 2\n",
        # a header inside a multi-line string, where a cut would fall
        records("visit", 20) + "[[visit]]\nnote = '''\n" + records("visit", 20) + "'''\n",
        records("visit", 20) + 'bad = "\n' + records("visit", 20),  # an error, in piece 2
        records("visit", 20) + "t = 10:30\n" + records("visit", 20),  # a piece for tomllib
        records("visit", 40).replace("\n", "\r\n"),
    ],
)
def test_pieces_join_as_one_parse(text: str, monkeypatch: Any) -> None:
    monkeypatch.setattr(tomlread, "PIECE", 300)
    assert len(list(tomlread.cut(text, 300))) > 1
    same(text)


@pytest.mark.parametrize("preamble", ['title = "x"\n', "[meta]\n", "x.y = 1\n"])
def test_a_top_level_key_before_the_first_header_keeps_the_text_whole(preamble: str) -> None:
    text = preamble + records("visit", 40)
    assert list(tomlread.cut(text, 300)) == [text]
    assert list(tomlread.cut("# only a comment\n\n" + text, 300)) == ["# only a comment\n\n" + text]
    same(text)


def test_an_error_in_a_large_file_names_its_line(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(tomlread, "PIECE", 500)
    text = records("visit", 100)
    lines = text.splitlines()
    lines[301] = 'country = "KEN'  # a string never closed, deep in the file
    path = tmp_path / "visits.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    document, _, problems = sources.read_file(path)
    assert document is None
    [problem] = problems
    assert problem.line == 302
    assert str(problem).endswith("visits.toml:302: error: TOML syntax: Illegal character '\\n'")


# Documents as the writer writes them: arrays of tables of the values data files hold.
_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
_value = st.one_of(
    _text,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.booleans(),
    st.dates(),
    st.datetimes(timezones=st.one_of(st.none(), st.timezones())).map(
        lambda d: d.replace(tzinfo=dt.timezone(d.utcoffset())) if d.tzinfo else d
    ),
    st.times(),
    st.lists(_text, max_size=3),
)
_record = st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), _value, max_size=6)
_document = st.dictionaries(
    st.sampled_from(["visit", "report", "theme", "holder"]),
    st.lists(_record, min_size=1, max_size=8),
    max_size=3,
)


@settings(max_examples=150, deadline=None)
@given(_document, st.sampled_from([100, 400, 1 << 30]))
def test_written_documents_parse_as_with_tomllib(document: dict[str, Any], piece: int) -> None:
    text = tomli_w.dumps(document)
    old, tomlread.PIECE = tomlread.PIECE, piece
    try:
        same(text)
    finally:
        tomlread.PIECE = old


@settings(max_examples=150, deadline=None)
@given(st.text(st.sampled_from("[]{}=,.\"'\\#\n abx1:-TZ+"), max_size=60))
def test_any_text_parses_as_with_tomllib(text: str) -> None:
    same(text)


@given(
    st.lists(
        st.sampled_from(
            [
                *["a", "b", ".", ". ", "\n", "\r", "\r\n", "\u2028", "[", "]", " = 1", '"x.y"'],
                *["." * 70, "a" + ".a" * 70 + " = 1", "a" + ".a" * 63],  # many dots on a line
            ]
        ),
        max_size=400,
    ),
    st.integers(0, 3),
)
@settings(max_examples=300, deadline=None)
def test_the_deep_key_scan_finds_what_going_through_every_line_finds(
    pieces: list[str], runs: int
) -> None:
    """sources.too_deep_key looks through the lines only when a regular expression finds as
    many dots on one line as a too deep key has: it finds what the plain scan finds."""
    from tracker import sources

    deep = "[" + ".".join(["a"] * (sources.MAX_KEY_PARTS + 1)) + "]"
    text = "".join(pieces) + (("\n" + deep) * runs)

    def every_line(text: str) -> int:
        for number, line in enumerate(text.splitlines(), start=1):
            if line.count(".") >= sources.MAX_KEY_PARTS and sources._DEEP_KEY.match(line):
                return number
        return 0

    assert sources.too_deep_key(text) == every_line(text)

"""The query behind `tracker search`, over the index tracker/search_index.py builds with
the store. It returns plain data; tracker/render_search.py shows it.

The query: any text a user types is a valid query. The text is split into terms
here, and SQLite only ever receives each term as one quoted FTS5 string, so quotes,
hyphens, `*`, `(` or a stray operator can never be read as FTS5 syntax. The few
operators offered are applied in SQL by this module:

- words must all match (in any field of the record);
- `"two words"` must match as a phrase; an unclosed quote runs to the end;
- `a OR b` matches either (OR joins the terms on its two sides);
- `NOT a` excludes records matching a;
- `word*` matches words starting with "word";
- a term with a `/` is also read as a UN document symbol: `A/HRC/44/44` finds the
  record with that symbol first, and `A/HRC/4` every symbol starting so.

Results are ranked: exact symbol first, then symbol prefix, then by FTS5's bm25
(title counts most, then summaries and notes, then tags), and each comes with a
snippet of the best matching field with the matched words highlighted.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import namedtuple
from typing import TYPE_CHECKING, Any, NamedTuple

from tracker.kinds import searched_kinds
from tracker.search_index import FTS, INDEX, normalise_symbol

# bm25 weight of each indexed column, in INDEXED_COLUMNS order.
WEIGHTS = (10.0, 4.0, 1.0)
# The kinds searched, in the order they rank when scores tie.
KINDS = searched_kinds()
# Highlight markers from snippet()/highlight(): control characters that never occur in
# the data, turned into bold text (terminal) or **…** (JSON, CSV, Markdown) on output.
OPEN, CLOSE = "\x02", "\x03"
OPERATORS = ("AND", "OR", "NOT")

# --- reading a query -----------------------------------------------------------


if TYPE_CHECKING:

    class _Term(NamedTuple):
        text: str
        prefix: bool = False
        negated: bool = False

else:  # no typing.NamedTuple at run time: see tracker/plain.py
    _Term = namedtuple(
        "_Term",
        ("text", "prefix", "negated"),
        defaults=(False, False),
    )


class Term(_Term):
    """One thing to look for: a word or phrase, perhaps a prefix, perhaps excluded."""

    __slots__ = ()

    def fts(self) -> str:
        """The term as one FTS5 string: quoted, inner quotes doubled; nothing else is syntax."""
        quoted = '"' + self.text.replace('"', '""') + '"'
        return quoted + " *" if self.prefix else quoted

    def symbol(self) -> str | None:
        """The term read as (the start of) a document symbol, when it contains a slash."""
        return normalise_symbol(self.text) if "/" in self.text else None


# All terms of a group must match; a group is a list of alternatives (OR).
Query = list[list[Term]]

_PIECE = re.compile(r'"([^"]*)"?|(\S+)')
# Punctuation stripped from the edges of a bare word: brackets, quotes, commas...
_EDGES = "()[]{}\"'`,;:!?"


def parse(text: str) -> Query:
    """Split what a user typed into terms and operators. Never fails."""
    pieces: list[tuple[str, bool]] = []  # (text, quoted)
    for match in _PIECE.finditer(_clean(text)):
        phrase, word = match.group(1), match.group(2)
        if phrase is not None:
            pieces.append((phrase.strip(), True))
        else:
            pieces.append((word, False))
    groups: Query = []
    join_next = negate_next = False
    for piece, quoted in pieces:
        if not quoted and piece in OPERATORS:
            if piece == "OR":
                join_next = bool(groups)
            elif piece == "NOT":
                negate_next = not negate_next
            continue
        term = _term(piece, quoted, negate_next)
        if term is None:
            continue
        if join_next and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = negate_next = False
    return groups


def _clean(text: str) -> str:
    """Text SQLite can take: control characters (NUL ends an FTS5 string) become spaces,
    and undecodable bytes from the command line (lone surrogates) become '?'."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL.sub(" ", text)


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _term(piece: str, quoted: bool, negated: bool) -> Term | None:
    """A term from one piece of the query, or None when nothing searchable is left."""
    text = piece.replace('"', " ").strip()
    prefix = False
    if not quoted:
        text = text.strip(_EDGES)
        if text.endswith("*"):
            prefix = True
            text = text.rstrip("*").strip(_EDGES)
    text = text.replace("*", " ").strip()
    if not any(char.isalnum() for char in text):
        return None
    return Term(text, prefix=prefix, negated=negated)


# --- running a query -----------------------------------------------------------


def search(
    conn: sqlite3.Connection,
    text: str,
    mandate: str | None = None,
    kind: str | None = None,
    limit: int | None = 20,
) -> list[dict[str, Any]]:
    """The records matching the query, best first, each with a highlighted snippet."""
    query = parse(text)
    if not query:
        return []
    where, args = _conditions(query)
    if mandate:
        # Records of no one mandate (a standing invitation, a recommendation found by its
        # report) are found whichever mandate is chosen.
        where.append("(s.mandate = ? or s.mandate is null)")
        args.append(mandate)
    if kind:
        where.append("s.kind = ?")
        args.append(kind)
    exact, prefixes = _symbols(query)
    wanted = " OR ".join(t.fts() for group in query for t in group if not t.negated)
    best = _best(conn, where, args, wanted, exact, prefixes, limit)
    details = {
        row[0]: row
        for row in conn.execute(
            f"select rowid, kind, key, mandate, title, text, url from {INDEX} "
            "where rowid in (select value from json_each(?))",
            (json.dumps(best),),
        )
    }
    # Highlighting is the costly part: only for the results shown.
    marked = _marked(conn, wanted, best)
    results = []
    for rowid in best:
        _, kind_, key_, mandate_, title, text_, url = details[rowid]
        title_marked, snippet = marked.get(rowid, (None, None))
        results.append(
            {
                "kind": kind_,
                "key": key_,
                "mandate": mandate_,
                "title": title,
                "title_marked": title_marked or title,
                "snippet": snippet or _lead(text_) or title,
                "url": url,
            }
        )
    return results


def count(
    conn: sqlite3.Connection, text: str, mandate: str | None = None, kind: str | None = None
) -> int:
    """How many records match the query in all (search shows the best `limit`)."""
    query = parse(text)
    if not query:
        return 0
    where, args = _conditions(query)
    if mandate:
        # Records of no one mandate (a standing invitation, a recommendation found by its
        # report) are found whichever mandate is chosen.
        where.append("(s.mandate = ? or s.mandate is null)")
        args.append(mandate)
    if kind:
        where.append("s.kind = ?")
        args.append(kind)
    sql = f"select count(*) from {INDEX} s where {' and '.join(where)}"
    return int(conn.execute(sql, args).fetchone()[0])


def _term_condition(term: Term, args: list[Any]) -> str:
    condition = f"s.rowid in (select rowid from {FTS} where {FTS} match ?)"
    args.append(term.fts())
    symbol = term.symbol()
    if symbol:
        condition += r" or s.symbol like ? escape '\'"
        args.append(_like_escape(symbol) + "%")
    condition = f"({condition})"
    return f"not {condition}" if term.negated else condition


def _conditions(query: Query) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    for group in query:
        alternatives = [_term_condition(term, args) for term in group]
        where.append("(" + " or ".join(alternatives) + ")")
    return where, args


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _symbols(query: Query) -> tuple[set[str], list[str]]:
    """The symbols the query names: exactly, and as prefixes."""
    named = [t.symbol() for group in query for t in group if not t.negated]
    symbols = {s for s in named if s}
    return symbols, sorted(symbols)


def _best(
    conn: sqlite3.Connection,
    where: list[str],
    args: list[Any],
    wanted: str,
    exact: set[str],
    prefixes: list[str],
    limit: int | None,
) -> list[int]:
    """The rowids of the best `limit` records that meet the conditions: a symbol named
    exactly first, then one that starts with a named symbol, then by bm25 score (lower is
    better; 0 for a record matched by its symbol alone), kind and key.

    Ranked by SQLite, so that a common word matching most of a large store returns its
    first results without every match being read into Python. `wanted` is quoted terms
    joined by OR, all made by Term.fts(): valid FTS5 syntax."""
    weights = ", ".join(str(w) for w in WEIGHTS)
    scores_query = f"select rowid, bm25({FTS}, {weights}) as score from {FTS} where {FTS} match ?"
    if not wanted:  # only negated terms: nothing to score
        scores_query = "select 0 as rowid, 0.0 as score where 0"
    symbol_sql = "coalesce(s.symbol, '')"
    prefix_tests = " or ".join(f"substr({symbol_sql}, 1, ?) = ?" for _ in prefixes) or "0"
    kinds = searched_kinds()
    kind_cases = " ".join(f"when ? then {i}" for i in range(len(kinds))) + f" else {len(kinds)}"
    sql = (
        f"select s.rowid from {INDEX} s "
        f"left join ({scores_query}) f "
        f"on f.rowid = s.rowid where {' and '.join(where)} order by "
        f"{symbol_sql} not in (select value from json_each(?)), not ({prefix_tests}), "
        f"coalesce(f.score, 0.0), case s.kind {kind_cases} end, s.key, "
        "s.rowid limit ?"
    )
    # Parameters in the order their marks appear in the statement.
    params: list[Any] = [wanted] if wanted else []
    params += args
    params.append(json.dumps(sorted(exact)))
    for prefix in prefixes:
        params += [len(prefix), prefix]
    params += list(kinds)
    params.append(-1 if limit is None else limit)
    return [row[0] for row in conn.execute(sql, params)]


def _marked(conn: sqlite3.Connection, wanted: str, rowids: list[int]) -> dict[int, tuple[str, str]]:
    """The title and best snippet of these records, with the matched words marked."""
    if not wanted or not rowids:
        return {}
    sql = (
        f"select rowid, highlight({FTS}, 0, ?, ?), snippet({FTS}, -1, ?, ?, '…', 16) "
        f"from {FTS} where {FTS} match ? and rowid in (select value from json_each(?))"
    )
    rows = conn.execute(sql, (OPEN, CLOSE, OPEN, CLOSE, wanted, json.dumps(rowids)))
    return {row[0]: (row[1], row[2]) for row in rows}


def _lead(text: str | None, words: int = 24) -> str:
    """The start of a text, for a record matched by its symbol alone."""
    if not text:
        return ""
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")

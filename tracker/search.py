"""Full-text search over the store: the index built with it, and the query behind `tracker search`.

The index: one row per report, visit, theme, holder and resolution in the table
`search_index` (kind, key, mandate, title, text, tags, symbol, url), searched through
the SQLite FTS5 table `search_index_fts` that sqlite-utils sets up over its title,
text and tags columns with the Porter stemmer (so "visits" finds "visit"). Datasette
sees the same table and offers a search box on it.

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
from collections.abc import Sequence
from typing import IO, Any, NamedTuple

from tracker.constants import SEARCH_KINDS
from tracker.links import document_url

INDEX = "search_index"
FTS = f"{INDEX}_fts"
INDEXED_COLUMNS = ("title", "text", "tags")
# bm25 weight of each indexed column, in INDEXED_COLUMNS order.
WEIGHTS = (10.0, 4.0, 1.0)
KINDS = SEARCH_KINDS
# Highlight markers from snippet()/highlight(): control characters that never occur in
# the data, turned into bold text (terminal) or **…** (JSON, CSV, Markdown) on output.
OPEN, CLOSE = "\x02", "\x03"
OPERATORS = ("AND", "OR", "NOT")


# --- building the index (at store build time) --------------------------------


def index(db: Any) -> None:
    """Fill search_index from the built tables and set up its FTS5 index."""
    table = db[INDEX]
    table.create(
        {
            "kind": str,
            "key": str,
            "mandate": str,
            "title": str,
            "text": str,
            "tags": str,
            "symbol": str,
            "url": str,
        },
        foreign_keys=[("mandate", "mandate", "id")],
    )
    for kind in KINDS:  # kind by kind, so a large store is never indexed all at once
        rows = index_rows(db.conn, [kind])
        if rows:
            table.insert_all(rows)
    table.create_index(["symbol"])
    table.enable_fts(list(INDEXED_COLUMNS), tokenize="porter")


# Which kinds of index rows each data file feeds (rows also carry names from other files).
KINDS_FED_BY = {
    "mandate.toml": ("report", "visit", "theme", "holder", "resolution"),
    "themes.toml": ("report", "visit", "theme"),
    "visits.toml": ("visit",),
}


def reindex(conn: sqlite3.Connection, changed_files: Sequence[str]) -> None:
    """Refresh the index rows the changed files feed, inside the caller's transaction
    (incremental sync). Plain SQL rather than sqlite-utils, whose table methods commit
    as they go."""
    kinds = sorted({kind for name in changed_files for kind in KINDS_FED_BY[name]})
    rows = index_rows(conn, kinds)
    columns = ("kind", "key", "mandate", "title", "text", "tags", "symbol", "url")
    indexed = ", ".join(INDEXED_COLUMNS)
    where = f"kind in ({', '.join('?' for _ in kinds)})"
    # The FTS table keeps its own copy of the indexed text: tell it which rows go, with
    # their old text, before they are deleted, then index the new rows; the rest stay.
    conn.execute(
        f"insert into {FTS}({FTS}, rowid, {indexed}) "
        f"select 'delete', rowid, {indexed} from {INDEX} where {where}",
        kinds,
    )
    conn.execute(f"delete from {INDEX} where {where}", kinds)
    first_new = conn.execute(f"select coalesce(max(rowid), 0) + 1 from {INDEX}").fetchone()[0]
    conn.executemany(
        f"insert into {INDEX} ({', '.join(columns)}) values ({', '.join('?' for _ in columns)})",
        [tuple(row.get(c) for c in columns) for row in rows],
    )
    conn.execute(
        f"insert into {FTS}(rowid, {indexed}) "
        f"select rowid, {indexed} from {INDEX} where rowid >= ?",
        (first_new,),
    )


def index_rows(conn: sqlite3.Connection, kinds: Sequence[str] = KINDS) -> list[dict[str, Any]]:
    """One row per searchable record of these kinds, read from the store's tables."""
    makers = {
        "report": _report_rows,
        "visit": _visit_rows,
        "theme": _theme_rows,
        "holder": _holder_rows,
        "resolution": _resolution_rows,
    }
    conn.row_factory = sqlite3.Row
    try:
        return [row for kind in KINDS if kind in kinds for row in makers[kind](conn)]
    finally:
        conn.row_factory = None


def _join(*parts: Any) -> str:
    return " · ".join(str(p) for p in parts if p not in (None, ""))


def _theme_titles(conn: sqlite3.Connection, link_table: str, column: str) -> dict[str, list[str]]:
    """The titles of the themes each report (or visit) lists, in their order."""
    rows = conn.execute(
        f"select l.{column}, t.title from {link_table} l join theme t on t.id = l.theme "
        f"order by l.{column}, l.position"
    )
    titles: dict[str, list[str]] = {}
    for key, title in rows:
        titles.setdefault(key, []).append(title)
    return titles


def normalise_symbol(text: str) -> str:
    """A document symbol in the form it is indexed and compared: capitals, no spaces."""
    return re.sub(r"\s+", "", text).upper()


def _report_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        "select r.*, h.mandate, h.name as holder_name from report r "
        "join holder h on h.id = r.holder"
    )
    titles = _theme_titles(conn, "report_theme", "report")
    result = []
    for r in list(rows):
        themes = titles.get(r["key"], [])
        year = r["year"] or str(r["date"] or "")[:4]
        result.append(
            {
                "kind": "report",
                "key": r["key"],
                "mandate": r["mandate"],
                "title": r["title"],
                "text": _join(r["summary"], r["note"]),
                # Themes first: a snippet from the tags then reads as what the record is about.
                "tags": _join(
                    *themes,
                    r["key"],
                    r["holder_name"],
                    f"{r['body']} {r['session'] or ''}".strip(),
                    year,
                    r["kind"],
                ),
                "symbol": normalise_symbol(r["symbol"]) if r["symbol"] else None,
                "url": document_url(r["symbol"]),
            }
        )
    return result


def _visit_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        "select v.*, h.mandate, h.name as holder_name, c.name as country_name from visit v "
        "join holder h on h.id = v.holder left join country c on c.iso3 = v.country"
    )
    titles = _theme_titles(conn, "visit_theme", "visit")
    notes: dict[str, list[str]] = {}
    for visit, note in conn.execute(
        "select visit, note from visit_history where note is not null order by visit, seq"
    ):
        notes.setdefault(visit, []).append(note)
    result = []
    for v in list(rows):
        places = json.loads(v["places"]) if v["places"] else []
        history = notes.get(v["id"], [])
        title = f"Visit to {v['country_name'] or v['country']}"
        if v["status"] != "completed":
            title += f" ({v['status']})"
        result.append(
            {
                "kind": "visit",
                "key": v["id"],
                "mandate": v["mandate"],
                "title": title,
                "text": _join(v["note"], *places, *history),
                "tags": _join(
                    *titles.get(v["id"], []),
                    v["id"],
                    v["country"],
                    v["holder_name"],
                    str(v["start"] or "")[:4],
                    v["report"],
                ),
                "symbol": None,
                "url": document_url(v["report"]),
            }
        )
    return result


def _theme_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        "select t.*, h.name as holder_name from theme t left join holder h on h.id = t.set_by"
    )
    return [
        {
            "kind": "theme",
            "key": t["id"],
            "mandate": t["mandate"],
            "title": t["title"],
            "text": _join(t["note"]),
            "tags": _join(t["id"], t["holder_name"], t["set_in"]),
            "symbol": None,
            "url": None,
        }
        for t in rows
    ]


def _holder_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = conn.execute(
        "select h.*, c.name as country_name from holder h "
        "left join country c on c.iso3 = h.nationality"
    )
    return [
        {
            "kind": "holder",
            "key": h["id"],
            "mandate": h["mandate"],
            "title": h["name"],
            "text": _join(h["note"]),
            "tags": _join(h["id"], h["country_name"]),
            "symbol": None,
            "url": None,
        }
        for h in rows
    ]


def _resolution_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return [
        {
            "kind": "resolution",
            "key": r["symbol"],
            "mandate": r["mandate"],
            "title": f"{r['body']} resolution {r['symbol']} ({r['action']})",
            "text": _join(r["note"]),
            "tags": _join(r["symbol"], r["adopted"]),
            "symbol": normalise_symbol(r["symbol"]),
            "url": document_url(r["symbol"]),
        }
        for r in conn.execute("select * from resolution")
    ]


# --- reading a query -----------------------------------------------------------


class Term(NamedTuple):
    """One thing to look for: a word or phrase, perhaps a prefix, perhaps excluded."""

    text: str
    prefix: bool = False
    negated: bool = False

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
        where.append("s.mandate = ?")
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
        where.append("s.mandate = ?")
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
    kind_cases = " ".join(f"when ? then {i}" for i in range(len(KINDS)))
    sql = (
        f"select s.rowid from {INDEX} s "
        f"left join ({scores_query}) f "
        f"on f.rowid = s.rowid where {' and '.join(where)} order by "
        f"{symbol_sql} not in (select value from json_each(?)), not ({prefix_tests}), "
        f"coalesce(f.score, 0.0), case s.kind {kind_cases} else {len(KINDS)} end, s.key, "
        "s.rowid limit ?"
    )
    # Parameters in the order their marks appear in the statement.
    params: list[Any] = [wanted] if wanted else []
    params += args
    params.append(json.dumps(sorted(exact)))
    for prefix in prefixes:
        params += [len(prefix), prefix]
    params += list(KINDS)
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


# --- the command -------------------------------------------------------------------


def command(
    settings: Any,
    text: str,
    fmt: str,
    mandate: str | None = None,
    kind: str | None = None,
    limit: int | None = 20,
    svg: Any = None,
) -> None:
    """`tracker search`: run the query on the up-to-date store and print the results.

    With `svg` (a path), the table view is also saved there as an SVG image."""
    import sys

    from tracker.queries import chosen_mandate
    from tracker.store import store

    with store(settings) as conn:
        mandate = chosen_mandate(conn, mandate)
        results = search(conn, text, mandate, kind, limit)
        total = count(conn, text, mandate, kind) if limit and len(results) == limit else 0
    nothing = f"Nothing to search for in {text!r}: give a word to look for.\n"
    if not parse(text) and fmt == "table":
        sys.stdout.write(nothing)
    else:
        write_results(results, fmt, text)
    if total > len(results) and fmt in ("table", "md"):
        # On stderr for a table, so that the rows stay easy to pipe; in Markdown, a line.
        more = f"{len(results)} of {total} results shown: see more with --limit {total}."
        stream = sys.stderr if fmt == "table" else sys.stdout
        stream.write(("\n" if fmt == "md" else "") + more + "\n")
    if svg:
        from tracker.render_analysis import save_drawn_svg

        def draw(console: Any) -> None:
            if not parse(text):
                console.print(nothing.rstrip("\n"))
            elif not results:
                console.print(f"No matches for {text!r}.")
            else:
                _table(results, text, console)

        save_drawn_svg(draw, svg, "tracker search")


# --- showing results -------------------------------------------------------------


def marked_as(text: str, before: str, after: str) -> str:
    return text.replace(OPEN, before).replace(CLOSE, after)


def plain(text: str) -> str:
    return marked_as(text, "", "")


def public(results: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Results for JSON and CSV: highlights as **…**, and no internal fields."""
    return [
        {
            "kind": r["kind"],
            "key": r["key"],
            "mandate": r["mandate"],
            "title": r["title"],
            "snippet": marked_as(r["snippet"], "**", "**"),
            "url": r["url"],
        }
        for r in results
    ]


def write_results(
    results: Sequence[dict[str, Any]], fmt: str, text: str, out: IO[str] | None = None
) -> None:
    """Print search results in the chosen format."""
    import sys

    from tracker import render

    out = out or sys.stdout
    if fmt == "json":
        out.write(render.to_json(public(results)))
    elif fmt == "csv":
        out.write(
            render.to_csv(public(results), ["kind", "key", "mandate", "title", "snippet", "url"])
        )
    elif fmt == "md":
        out.write(_markdown(results, text))
    elif not results:
        out.write(f"No matches for {text!r}.\n")
    elif render.use_rich(out):
        _table(results, text, render.make_console(out))
    else:
        rows = [
            {
                **r,
                "title": marked_as(r["title_marked"], "**", "**"),
                "snippet": marked_as(r["snippet"], "**", "**"),
            }
            for r in results
        ]
        out.write(render.plain_table(rows, RESULT_COLUMNS, f"Search: {text}"))


RESULT_COLUMNS = [("kind", "Kind"), ("key", "Key"), ("title", "Title"), ("snippet", "Match")]


def _markdown(results: Sequence[dict[str, Any]], text: str) -> str:
    from tracker.render import md_escape

    def marked(value: str) -> str:
        # Escape the text first, so that only our ** can start emphasis.
        return marked_as(md_escape(value), "**", "**")

    lines = [f"## Search: {md_escape(text)}", ""]
    if not results:
        return "\n".join([*lines, "_No matches._"]) + "\n"
    lines += ["| Kind | Key | Title | Match |", "| --- | --- | --- | --- |"]
    for r in results:
        key = md_escape(r["key"])
        if r["url"]:
            key = f"[{key}]({r['url']})"
        lines.append(
            f"| {r['kind']} | {key} | {marked(r['title_marked'])} | {marked(r['snippet'])} |"
        )
    return "\n".join(lines) + "\n"


def _table(results: Sequence[dict[str, Any]], text: str, console: Any) -> None:
    """Results as a table fitted to the console (see render.layout), matches highlighted."""
    from rich.style import Style
    from rich.table import Table
    from rich.text import Text

    from tracker import render

    def marked(value: str) -> Text:
        styled = Text()
        for index, part in enumerate(re.split(f"[{OPEN}{CLOSE}]", value)):
            styled.append(part, style="bold reverse" if index % 2 else "")
        return styled

    plain_rows = [
        {
            "kind": r["kind"],
            "key": r["key"],
            "title": plain(r["title_marked"]),
            "snippet": plain(r["snippet"]),
        }
        for r in results
    ]
    fit = render.layout(plain_rows, RESULT_COLUMNS, console.width)
    table = Table(title=f"Search: {text}", title_justify="left", header_style="bold")
    for (key, header), width in zip(fit.shown, fit.widths, strict=True):
        table.add_column(header, no_wrap=key in render.NO_WRAP, overflow="fold", width=width)
    for r in results:
        cells = {
            "kind": Text(r["kind"]),
            "key": Text(r["key"], style=Style(link=r["url"]) if r["url"] else ""),
            "title": marked(r["title_marked"]),
            "snippet": marked(r["snippet"]),
        }
        table.add_row(*(cells[key] for key, _ in fit.shown))
    console.print(table)
    if fit.hidden:
        console.print(Text(render.hidden_note(fit.hidden), style="dim"))

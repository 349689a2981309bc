"""Where the data's facts come from: each record's `source`, read as the sources it names.

A record's `source` joins one or more citations with "; ". Each citation is one of:

- a UN document symbol, optionally with a precision: "A/78/176, para 2"
- a public URL, optionally with a remark: "https://www.ohchr.org/... (history of the mandate)"
- a secondary catalogue, written "catalogue: <what it is>": a transcription or index of documents
  (not the documents themselves, nor their publisher's own list)

Anything else ("seed 003", "FACTS.md") is no source a reader can find: `tracker check` warns on
it, so `check --strict` fails. `tracker sources` lists each source and the records that rest on
it, and names the records whose only source is a secondary catalogue.

Plain data only: the queries return dicts and lists, the CLI renders them.
"""

from __future__ import annotations

import re
import sqlite3
from collections import namedtuple
from typing import TYPE_CHECKING, Any, NamedTuple

from tracker.links import SYMBOL

URL = re.compile(r"^https?://\S+")
CATALOGUE = "catalogue:"
KINDS = ("document", "url", "catalogue")


if TYPE_CHECKING:

    class _Citation(NamedTuple):
        kind: str  # document, url, catalogue, or unknown
        source: str
        text: str

else:  # no typing.NamedTuple at run time: see tracker/plain.py
    _Citation = namedtuple("_Citation", ("kind", "source", "text"))


class Citation(_Citation):
    """One source a record cites: what it is (`kind`), the source itself (`source`: a symbol,
    a URL or the catalogue's description) and the citation as written (`text`)."""

    __slots__ = ()


def citations(source: Any) -> list[Citation]:
    """The citations of a `source` value, in the order written."""
    if not isinstance(source, str):
        return []
    return [cite(part.strip()) for part in source.split(";") if part.strip()]


def cite(text: str) -> Citation:
    if text.lower().startswith(CATALOGUE):
        return Citation("catalogue", text[len(CATALOGUE) :].strip() or text, text)
    url = URL.match(text)
    if url:
        return Citation("url", url.group(0), text)
    symbol = re.split(r"[,\s]", text, maxsplit=1)[0]
    if SYMBOL.fullmatch(symbol):
        return Citation("document", symbol, text)
    return Citation("unknown", text, text)


def problems(source: Any) -> list[str]:
    """What `tracker check` warns about in a `source`: citations no reader can find."""
    found = citations(source)
    if isinstance(source, str) and source.strip() and not found:
        return ["no source: give a UN document symbol, a URL or `catalogue: ...`"]
    return [
        f"'{c.text}' is no source a reader can find: give a UN document symbol, a URL or "
        "`catalogue: <what it is>`"
        for c in found
        if c.kind == "unknown"
    ]


# --- the provenance view (tracker sources) ---------------------------------------------


def records(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every record with its citations, in the order the kinds and the files give them."""
    from tracker.queries import record_sources

    return [
        {"kind": kind, "key": key, "citations": citations(source)}
        for kind, key, source in record_sources(conn)
    ]


def sources(conn: sqlite3.Connection) -> dict[str, Any]:
    """Each source with the records that rest on it (most first), the records whose only
    source is a secondary catalogue, and those with no source a reader can find."""
    every = records(conn)
    by_source: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for record in every:
        for citation in record["citations"]:
            entry = {"kind": record["kind"], "key": record["key"], "cited_as": citation.text}
            by_source.setdefault((citation.kind, citation.source), []).append(entry)
    ordered = sorted(by_source.items(), key=lambda item: (-len(item[1]), item[0][1]))
    listed = [
        {"source": source, "kind": kind, "count": len(rested), "records": rested}
        for (kind, source), rested in ordered
    ]
    return {
        "sources": listed,
        "catalogue_only": [
            _plain(r)
            for r in every
            if r["citations"] and all(c.kind == "catalogue" for c in r["citations"])
        ],
        "no_source": [_plain(r) for r in every if not any(c.kind in KINDS for c in r["citations"])],
    }


def _plain(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": record["kind"],
        "key": record["key"],
        "source": "; ".join(c.text for c in record["citations"]),
    }

"""JSON: every result as the plain data the queries give (what tracker.open() returns)."""

from __future__ import annotations

from typing import IO, Any

from tracker.render import to_json


def rows(result: Any, out: IO[str], **_: Any) -> None:
    out.write(to_json(list(result.rows)))


def detail(result: Any, out: IO[str], **_: Any) -> None:
    out.write(to_json(result.result))


def coverage(result: Any, out: IO[str], **_: Any) -> None:
    out.write(to_json(result.data["themes"]))


def gaps(result: Any, out: IO[str], **_: Any) -> None:
    out.write(to_json(result.data))


def timeline(result: Any, out: IO[str], **_: Any) -> None:
    out.write(to_json(result.events))


def matches(result: Any, out: IO[str], **_: Any) -> None:
    from tracker.render_search import public

    out.write(to_json(public(result.results)))


def sources(result: Any, out: IO[str], **_: Any) -> None:
    out.write(to_json(result.data))


def delivery(result: Any, out: IO[str], **_: Any) -> None:
    out.write(to_json(result.data))


RENDERERS = {
    "delivery": delivery,
    "sources": sources,
    "rows": rows,
    "detail": detail,
    "coverage": coverage,
    "gaps": gaps,
    "timeline": timeline,
    "matches": matches,
}

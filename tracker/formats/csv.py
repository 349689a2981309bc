"""CSV: one row per record, every field; lists joined with "; ". Results whose sections
differ in shape (a record's detail, the gaps) have no CSV."""

from __future__ import annotations

from typing import IO, Any

from tracker.render import made_visible, to_csv


def rows(result: Any, out: IO[str], **_: Any) -> None:
    out.write(to_csv(result.flat(result.rows) if result.flat else result.rows))


def coverage(result: Any, out: IO[str], **_: Any) -> None:
    from tracker.render_analysis import coverage_rows

    data = result.data
    keys = ["theme", "title", "status", "set_by"] + [h["id"] for h in data["holders"]]
    out.write(to_csv(coverage_rows(data), keys))


def timeline(result: Any, out: IO[str], **_: Any) -> None:
    keys = ["date", "precision", "kind", "holder", "key", "label", "url"]
    out.write(to_csv(result.events, keys))


def matches(result: Any, out: IO[str], **_: Any) -> None:
    from tracker.render_search import public

    out.write(to_csv(public(result.results), ["kind", "key", "mandate", "title", "snippet", "url"]))


def delivery(result: Any, out: IO[str], **_: Any) -> None:
    from tracker.render_record import delivery_rows

    out.write(to_csv(delivery_rows(result.data)))


# Text from the data made safe to show (render.visible_result), here for every result.
RENDERERS = made_visible(
    {
        "delivery": delivery,
        "rows": rows,
        "coverage": coverage,
        "timeline": timeline,
        "matches": matches,
    }
)

"""Search results as text: a Rich table with the matched words highlighted, a plain
table, JSON, CSV or Markdown. The results come from tracker/search.py as plain data."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from tracker.search import CLOSE, OPEN


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


def plain_results(results: Sequence[dict[str, Any]], text: str) -> str:
    """Results as a plain text table, the matched words between ** and **."""
    from tracker import render

    rows = [
        {
            **r,
            "title": marked_as(r["title_marked"], "**", "**"),
            "snippet": marked_as(r["snippet"], "**", "**"),
        }
        for r in results
    ]
    return render.plain_table(rows, RESULT_COLUMNS, f"Search: {text}")


RESULT_COLUMNS = [("kind", "Kind"), ("key", "Key"), ("title", "Title"), ("snippet", "Match")]


def markdown(results: Sequence[dict[str, Any]], text: str) -> str:
    from tracker.render import md_escape

    def marked(value: str) -> str:
        # Escape the text first (between the highlight markers, which md_escape would show
        # as escapes), so that only our ** can start emphasis.
        escaped = OPEN.join(
            CLOSE.join(md_escape(piece) for piece in part.split(CLOSE))
            for part in value.split(OPEN)
        )
        return marked_as(escaped, "**", "**")

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


def table(results: Sequence[dict[str, Any]], text: str, console: Any) -> None:
    """Results as a table fitted to the console (see render.layout): no word split, columns
    left out with a note when it is too narrow; matches highlighted."""
    from rich.style import Style
    from rich.table import Table
    from rich.text import Text

    from tracker import render

    def marked(value: str) -> Text:
        styled = Text()
        for index, part in enumerate(re.split(f"[{OPEN}{CLOSE}]", value)):
            styled.append(part, style="bold reverse" if index % 2 else "")
        return styled

    columns = [("kind", "Kind"), ("key", "Key"), ("title", "Title"), ("snippet", "Match")]
    plain_rows = [
        {
            "kind": r["kind"],
            "key": r["key"],
            "title": plain(r["title_marked"]),
            "snippet": plain(r["snippet"]),
        }
        for r in results
    ]
    fit = render.layout(plain_rows, columns, console.width)
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

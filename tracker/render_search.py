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


def table(results: Sequence[dict[str, Any]], text: str, console: Any) -> None:
    from rich.style import Style
    from rich.table import Table
    from rich.text import Text

    def marked(value: str) -> Text:
        styled = Text()
        for index, part in enumerate(re.split(f"[{OPEN}{CLOSE}]", value)):
            styled.append(part, style="bold reverse" if index % 2 else "")
        return styled

    table = Table(title=f"Search: {text}", title_justify="left", header_style="bold")
    table.add_column("Kind", no_wrap=True)
    table.add_column("Key", no_wrap=True)
    table.add_column("Title", overflow="fold")
    table.add_column("Match", overflow="fold")
    for r in results:
        key = Text(r["key"], style=Style(link=r["url"]) if r["url"] else "")
        table.add_row(r["kind"], key, marked(r["title_marked"]), marked(r["snippet"]))
    console.print(table)

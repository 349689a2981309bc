"""Markdown: tables and headings that render on a code-hosting site; UN document symbols
link to the documents; text from the data is escaped."""

from __future__ import annotations

from typing import IO, Any

from tracker.render import made_visible, to_markdown


def rows(result: Any, out: IO[str], **_: Any) -> None:
    shown = result.shown(result.rows) if result.shown else result.rows
    out.write(to_markdown(shown, result.columns, result.title))


def detail(result: Any, out: IO[str], **_: Any) -> None:
    from tracker.render import detail_markdown

    out.write(detail_markdown(result.result))


def coverage(result: Any, out: IO[str], **_: Any) -> None:
    from tracker.render_analysis import coverage_markdown

    out.write(coverage_markdown(result.data))


def gaps(result: Any, out: IO[str], **_: Any) -> None:
    from tracker.render_analysis import gap_sections, sections_markdown

    out.write("# Gaps\n\n" + sections_markdown(gap_sections(result.data)))


def timeline(result: Any, out: IO[str], **_: Any) -> None:
    from tracker.render_analysis import timeline_markdown

    out.write(timeline_markdown(result.events, result.holders))


def matches(result: Any, out: IO[str], **_: Any) -> None:
    from tracker.render_search import markdown

    out.write(markdown(result.results, result.text))
    if result.more():
        out.write("\n" + result.more() + "\n")


def document(result: Any, out: IO[str], **_: Any) -> None:
    from tracker import report_doc

    out.write(report_doc.markdown(result.data))


def sources(result: Any, out: IO[str], **_: Any) -> None:
    from tracker.render_analysis import sections_markdown, source_sections

    out.write("# Sources\n\n" + sections_markdown(source_sections(result.data)))


def delivery(result: Any, out: IO[str], **_: Any) -> None:
    from tracker.render_analysis import sections_markdown
    from tracker.render_record import delivery_sections

    out.write("# Delivery\n\n" + sections_markdown(delivery_sections(result.data)))


# Text from the data made safe to show (render.visible_result), here for every result.
RENDERERS = made_visible(
    {
        "delivery": delivery,
        "sources": sources,
        "rows": rows,
        "detail": detail,
        "coverage": coverage,
        "gaps": gaps,
        "timeline": timeline,
        "matches": matches,
        "document": document,
    }
)

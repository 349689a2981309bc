"""The table view: Rich on a terminal (colour, links, fitted to its width), plain aligned
text when piped or with NO_COLOR; also what --svg saves."""

from __future__ import annotations

from typing import IO, Any

from tracker import render


def rows(result: Any, out: IO[str], console: Any = None, **_: Any) -> None:
    shown = result.shown(result.rows) if result.shown else result.rows
    render.rows_table(shown, result.columns, result.title, out, console)


def detail(result: Any, out: IO[str], console: Any = None, **_: Any) -> None:
    render.detail_table(result.result, out, console)


def coverage(result: Any, out: IO[str], **_: Any) -> None:
    from tracker import render_analysis as views

    if render.use_rich(out):
        views.print_view(lambda width: views.coverage_view(result.data, width), out)
    else:
        out.write(views.coverage_plain(result.data))


def gaps(result: Any, out: IO[str], **_: Any) -> None:
    from tracker import render_analysis as views

    sections = views.gap_sections(result.data)
    if render.use_rich(out):
        views.print_view(lambda width: views.sections_view(sections, width), out)
    else:
        out.write(views.sections_plain(sections))


def timeline(result: Any, out: IO[str], **_: Any) -> None:
    from tracker import render_analysis as views

    if render.use_rich(out):
        views.print_view(views.timeline_view(result.events, result.holders), out)
    else:
        out.write(views.timeline_plain(result.events, result.holders))


def matches(result: Any, out: IO[str], **_: Any) -> None:
    from tracker import render_search

    if not result.searchable:
        out.write(f"Nothing to search for in {result.text!r}: give a word to look for.\n")
    elif not result.results:
        out.write(f"No matches for {result.text!r}.\n")
    elif render.use_rich(out):
        render_search.table(result.results, result.text, render.make_console(out))
    else:
        out.write(render_search.plain_results(result.results, result.text))
    if result.more():
        # On stderr, so that the rows stay easy to pipe.
        import sys

        sys.stderr.write(result.more() + "\n")


def sources(result: Any, out: IO[str], **_: Any) -> None:
    from tracker import render_analysis as views

    sections = views.source_sections(result.data)
    if render.use_rich(out):
        views.print_view(lambda width: views.sections_view(sections, width), out)
    else:
        out.write(views.sections_plain(sections))


def delivery(result: Any, out: IO[str], **_: Any) -> None:
    from tracker import render_analysis as views
    from tracker.render_record import delivery_sections

    sections = delivery_sections(result.data)
    if render.use_rich(out):
        views.print_view(lambda width: views.sections_view(sections, width), out)
    else:
        out.write(views.sections_plain(sections))


# Text from the data made safe to show (render.visible_result), here for every result.
RENDERERS = render.made_visible(
    {
        "delivery": delivery,
        "sources": sources,
        "rows": rows,
        "detail": detail,
        "coverage": coverage,
        "gaps": gaps,
        "timeline": timeline,
        "matches": matches,
    }
)


def save_svg(result: Any, path: Any, command: str) -> None:
    """--svg FILE: the table view of the result, saved as an SVG image (whatever --format
    printed)."""
    from tracker import render_analysis as views

    result = render.visible_result(result)  # as the table view shows it, text made safe
    kind = type(result).__name__.lower()
    title = f"tracker {command}"
    if kind == "rows":
        shown = result.shown(result.rows) if result.shown else result.rows
        views.save_rows_svg(shown, result.columns, result.title, path, command)
    elif kind == "coverage":
        # The matrix whole, however many holders.
        width = max(views.SVG_WIDTH, 180, views.matrix_width(result.data))
        views.save_svg(views.coverage_view(result.data), path, title, width=width)
    elif kind == "gaps":
        sections = views.gap_sections(result.data)
        views.save_svg(views.sections_view(sections), path, title, width=views.SVG_WIDTH + 20)
    elif kind == "timeline":
        views.save_svg(views.timeline_view(result.events, result.holders), path, title)
    elif kind == "matches":
        views.save_drawn_svg(lambda console: _draw_matches(result, console), path, title)
    else:  # a record's detail, drawn as the table view draws it
        import io

        views.save_drawn_svg(
            lambda console: render.detail_table(result.result, io.StringIO(), console), path, title
        )


def _draw_matches(result: Any, console: Any) -> None:
    from tracker import render_search

    if not result.searchable:
        console.print(f"Nothing to search for in {result.text!r}: give a word to look for.")
    elif not result.results:
        console.print(f"No matches for {result.text!r}.")
    else:
        render_search.table(result.results, result.text, console)

"""What each command does, without any argument parsing.

The Typer app (tracker/cli/) parses options and calls these; each opens the
store, runs a query and renders the result. Keeping them free of Typer lets the
read commands start quickly and lets tests call them directly.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from tracker import queries, render
from tracker.paths import Settings
from tracker.problems import DataError, TrackerError, UsageError
from tracker.store import store

if TYPE_CHECKING:
    from pathlib import Path

    from tracker.analysis import Period
    from tracker.dates import PartialDate


def fitted(text: str, stream: Any) -> str:
    """A message wrapped at spaces to the terminal's width, when `stream` is a terminal
    (a terminal's own wrapping would cut words); piped, unchanged."""
    isatty = getattr(stream, "isatty", None)
    if not (isatty and isatty()):
        return text
    import shutil
    import textwrap

    width = shutil.get_terminal_size().columns
    lines = []
    for line in text.split("\n"):
        wrapped = textwrap.wrap(
            line, width, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False
        )
        lines += wrapped or [""]
    return "\n".join(lines)


def guarded(action: Callable[[], int | None], retry: bool = True) -> int:
    """Run a command; turn any TrackerError into its message on stderr and status 1.

    A store that turns out to be damaged (SQLite cannot read it) is never trusted: it is
    discarded and the command runs once more on a store rebuilt from the data files.
    """
    import sqlite3

    from tracker import store as stores

    try:
        return action() or 0
    except DataError as error:
        sys.stderr.write(fitted(error.report() + "\n", sys.stderr))
        return error.exit_code
    except TrackerError as error:
        sys.stderr.write(fitted(f"Error: {error}\n", sys.stderr))
        return error.exit_code
    except BrokenPipeError:
        return 0
    except OSError as error:
        # Files tracker reads or writes raise TrackerErrors naming them; an OSError with no
        # file name and one of these causes is the output itself failing (a full disk, a
        # closed device): the program's entry point reports that, once (tracker.cli).
        import errno

        reason = error.strerror or str(error)
        if error.filename:
            sys.stderr.write(f"Error: {error.filename}: {reason}\n")
        elif error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF):
            raise
        else:
            sys.stderr.write(f"Error: {reason}\n")
        return 1
    except (sqlite3.DatabaseError, UnicodeDecodeError) as error:
        damaged = stores.last_opened
        if damaged is None:
            raise
        stores.discard(damaged)
        if retry:
            return guarded(action, retry=False)
        sys.stderr.write(f"Error: the store {damaged.db_path} is damaged ({error}); removed it\n")
        return 1


def save_svg(
    svg: Path | None,
    command: str,
    rows: Sequence[dict[str, Any]],
    columns: Sequence[render.Column],
    title: str,
) -> None:
    """--svg FILE: also save the command's table view as SVG, whatever --format printed."""
    if svg:
        from tracker.render_analysis import save_rows_svg

        save_rows_svg(rows, columns, title, svg, command)


def holders(
    settings: Settings,
    fmt: str,
    mandate: str | None = None,
    svg: Path | None = None,
    sort: str | None = None,
) -> None:
    with store(settings) as conn:
        rows = sorted_rows(queries.holders(conn, mandate), sort)
    render.write_rows(rows, fmt, render.HOLDER_COLUMNS, "Mandate holders")
    save_svg(svg, "holders", rows, render.HOLDER_COLUMNS, "Mandate holders")


def themes(
    settings: Settings,
    fmt: str,
    mandate: str | None = None,
    svg: Path | None = None,
    sort: str | None = None,
) -> None:
    with store(settings) as conn:
        rows = sorted_rows(queries.themes(conn, mandate), sort)
    render.write_rows(rows, fmt, render.THEME_COLUMNS, "Thematic priorities")
    save_svg(svg, "themes", rows, render.THEME_COLUMNS, "Thematic priorities")


def resolutions(
    settings: Settings,
    fmt: str,
    mandate: str | None = None,
    svg: Path | None = None,
    sort: str | None = None,
) -> None:
    with store(settings) as conn:
        rows = sorted_rows(queries.resolutions(conn, mandate), sort)
    if fmt != "json":
        rows = render.resolution_rows(rows)
    render.write_rows(rows, fmt, render.RESOLUTION_COLUMNS, "Resolutions")
    save_svg(
        svg, "resolutions", render.resolution_rows(rows), render.RESOLUTION_COLUMNS, "Resolutions"
    )


def sorted_rows(rows: list[dict[str, Any]], sort: str | None) -> list[dict[str, Any]]:
    """Rows in the order of --sort FIELD (missing values last), else as the query gave them."""
    if not sort:
        return rows
    if rows and sort not in rows[0]:
        raise UsageError(f"--sort: no field '{sort}' (fields: {', '.join(rows[0])})")
    return sorted(rows, key=lambda row: (row.get(sort) in (None, ""), str(row.get(sort) or "")))


def visits(
    settings: Settings,
    fmt: str,
    svg: Path | None = None,
    since: str | None = None,
    until: str | None = None,
    sort: str | None = None,
    **filters: Any,
) -> None:
    from tracker.analysis import date_of

    check_filters(**filters)
    window = period(since, until)
    if filters.get("status"):
        filters["status"] = queries.visit_statuses(filters["status"])
    with store(settings) as conn:
        rows = queries.visits(conn, **filters)
    rows = [r for r in rows if window.holds(date_of(r["start"]), date_of(r["end"]))]
    rows = sorted_rows(rows, sort)
    render.write_rows(rows, fmt, render.VISIT_COLUMNS, "Country visits")
    save_svg(svg, "visits", rows, render.VISIT_COLUMNS, "Country visits")


def reports(
    settings: Settings,
    fmt: str,
    svg: Path | None = None,
    since: str | None = None,
    until: str | None = None,
    sort: str | None = None,
    **filters: Any,
) -> None:
    from tracker.analysis import report_date

    check_filters(**filters)
    window = period(since, until)
    with store(settings) as conn:
        rows = queries.reports(conn, **filters)
    rows = [r for r in rows if window.holds(report_date(r))]
    rows = sorted_rows(rows, sort)
    if fmt in ("table", "md"):
        rows = render.report_rows(rows)
    render.write_rows(rows, fmt, render.REPORT_COLUMNS, "Reports")
    save_svg(svg, "reports", render.report_rows(rows), render.REPORT_COLUMNS, "Reports")


def show(settings: Settings, key: str, fmt: str, svg: Path | None = None) -> None:
    with store(settings) as conn:
        result = queries.show(conn, key)
        if result["kind"] == "theme":
            theme_status_as_coverage(conn, result)
    render.write_detail(result, fmt)
    if svg:
        from tracker.render_analysis import save_drawn_svg

        save_drawn_svg(
            lambda console: render.write_detail(result, "table", console=console),
            svg,
            "tracker show",
        )


def theme_status_as_coverage(conn: Any, result: dict[str, Any]) -> None:
    """A shown theme's status exactly as coverage, gaps and the report give it: a priority
    judged within the term of the holder who announced it (analysis.in_term), with the
    verdict in words; any other theme by every holder's work (queries.theme_status)."""
    from tracker import analysis

    rows = analysis.coverage(conn, mandate=result["record"]["mandate"])["themes"]
    row = next(r for r in rows if r["theme"] == result["key"])
    result["status"] = row["status"]
    if row["in_term"]:
        result["status_meaning"] = row["in_term"]["verdict"]


def check(settings: Settings, strict: bool, fmt: str) -> int:
    """Validate the data folder; list every problem. Exit 1 on errors (or warnings if strict)."""
    import os

    from tracker import sources
    from tracker.constants import FILES
    from tracker.paths import today
    from tracker.problems import relative, sort_problems
    from tracker.validate import validate

    if not settings.data_dir.is_dir():
        raise TrackerError(f"no data folder at {settings.data_dir}")
    # Records learn their lines only in the files that have a problem to report: finding
    # every line of a large data set costs more memory than the rest of the check.
    dataset, problems = sources.load(settings.data_dir, with_positions=False)
    if problems:  # a file's structure is wrong: read again, this time finding lines
        dataset, problems = sources.load(settings.data_dir)
    found = validate(dataset, today())
    files = {os.path.basename(p.file) for p in found} & set(FILES)
    for filename in files:
        as_read = {kind: dataset.of(kind) for kind in FILES[filename]}
        sources.find_lines(settings.data_dir, filename, as_read)
    if files:
        found = validate(dataset, today())  # again, now that records know their lines
    problems = sort_problems(problems + found)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    records = sum(len(dataset.of(kind)) for kind in dataset.records)
    if fmt == "json":
        sys.stdout.write(
            render.to_json(
                {
                    "data": str(settings.data_dir),
                    "records": records,
                    "errors": errors,
                    "warnings": warnings,
                    "problems": [p.as_dict() for p in problems],
                }
            )
        )
    else:
        for problem in problems:
            stream = sys.stderr if problem.is_error else sys.stdout
            stream.write(f"{problem}\n")
        verdict = "ok" if not problems else f"{errors} error(s), {warnings} warning(s)"
        counted = f"{records} record{'' if records == 1 else 's'}"
        line = f"Checked {counted} in {relative(settings.data_dir)}: {verdict}\n"
        sys.stdout.write(fitted(line, sys.stdout))
    return 1 if errors or (strict and warnings) else 0


def sync(settings: Settings) -> None:
    """Rebuild the store from the data files now."""
    from tracker.store import connect, counts, rebuild

    rebuild(settings)
    conn = connect(settings.db_path)
    try:
        total = counts(conn)
    finally:
        conn.close()
    summary = ", ".join(f"{table} {total[table]}" for table in SUMMARY_TABLES)
    sys.stdout.write(f"Rebuilt {settings.db_path} from {settings.data_dir}: {summary}\n")


SUMMARY_TABLES = ("mandate", "holder", "resolution", "visit", "theme", "report")


def db(settings: Settings, fmt: str) -> None:
    """Where the store is, and how many rows each table holds."""
    from tracker.store import counts

    with store(settings) as conn:
        rows = [{"table": t, "rows": n} for t, n in counts(conn).items()]
    if fmt == "json":
        info = {"path": str(settings.db_path), "data": str(settings.data_dir), "tables": rows}
        sys.stdout.write(render.to_json(info))
        return
    if fmt == "table":
        sys.stdout.write(f"Store: {settings.db_path}\nData:  {settings.data_dir}\n")
    render.write_rows(rows, fmt, [("table", "Table"), ("rows", "Rows")], "Tables")


# --- report commands: coverage, gaps, timeline, report ----------------------------


def period(since: str | None, until: str | None) -> Period:
    """The --since/--until (or --from/--to) dates as a Period; the CLI checked them."""
    from tracker.analysis import Period
    from tracker.dates import DateError, parse

    def bound(text: str | None) -> PartialDate | None:
        try:
            return parse(text) if text else None
        except DateError as error:
            raise UsageError(str(error)) from None

    window = Period(bound(since), bound(until))
    if window.since and window.until and window.since.earliest() > window.until.latest():
        raise UsageError(f"{since} is after {until}: no date lies in that window")
    return window


def check_filters(**filters: Any) -> None:
    """An empty filter (--holder "") is a usage error: it would silently filter nothing."""
    for name, given in filters.items():
        if isinstance(given, str) and not given.strip():
            raise UsageError(f"--{name.replace('_', '-')} is empty: give a value or leave it out")


def coverage(
    settings: Settings,
    fmt: str,
    holder: str | None = None,
    period: Period | None = None,
    mandate: str | None = None,
    svg: Path | None = None,
) -> None:
    from tracker import analysis, render_analysis

    with store(settings) as conn:
        data = analysis.coverage(conn, holder, period, mandate)
    render_analysis.write_coverage(data, fmt, svg=svg)


def sources(settings: Settings, fmt: str) -> None:
    from tracker import provenance, render_analysis

    with store(settings) as conn:
        data = provenance.sources(conn)
    render_analysis.write_sources(data, fmt)


def gaps(settings: Settings, fmt: str, mandate: str | None = None, svg: Path | None = None) -> None:
    from tracker import analysis, render_analysis

    with store(settings) as conn:
        data = analysis.gaps(conn, mandate)
    render_analysis.write_gaps(data, fmt, svg=svg)


def timeline(
    settings: Settings,
    fmt: str,
    holder: str | None = None,
    period: Period | None = None,
    kinds: list[str] | None = None,
    mandate: str | None = None,
    svg: Path | None = None,
) -> None:
    from tracker import analysis, render_analysis

    with store(settings) as conn:
        events = analysis.timeline(conn, holder, period, kinds, mandate)
        holders = analysis.terms(conn, mandate)
    if period is not None and not period.is_open:
        window = (
            period.since.year if period.since else None,
            period.until.year if period.until else None,
        )
        holders = [{**h, "window": window} for h in holders]
    render_analysis.write_timeline(events, holders, fmt, svg=svg)


def share_report(
    settings: Settings, fmt: str, output: Path | None = None, mandate: str | None = None
) -> None:
    from tracker import analysis, report_doc
    from tracker.render_analysis import write_file

    with store(settings) as conn:
        data = analysis.report_data(conn, mandate)
    text = report_doc.html(data) if fmt == "html" else report_doc.markdown(data)
    if output is None:
        sys.stdout.write(text)
        return
    write_file(output, text)
    sys.stderr.write(f"Wrote {output}\n")

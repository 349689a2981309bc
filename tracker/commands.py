"""What each command does, without any argument parsing.

The Typer app (tracker/cli/) parses options and calls these; each opens the
store, runs a query and renders the result. Keeping them free of Typer lets the
read commands start quickly and lets tests call them directly.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tracker import queries, render
from tracker.api import Tracker, period
from tracker.kinds import columns as kind_columns
from tracker.paths import Settings
from tracker.problems import DataError, TrackerError, UsageError
from tracker.results import (
    Coverage,
    Delivery,
    Detail,
    Document,
    Gaps,
    Matches,
    Rows,
    Sources,
    Timeline,
)
from tracker.store import store

if TYPE_CHECKING:
    from pathlib import Path


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


def on_terminal(problem: Any, settings: Settings, stream: Any) -> Any:
    """A problem as a person at a terminal reads it: its file named within the data folder
    (which the closing "Checked ..." line names) when the file is not under the working
    folder, so that the line can wrap at spaces. Piped, the full path stays, for editors
    and scripts that read `file:line:`."""
    isatty = getattr(stream, "isatty", None)
    if not (isatty and isatty()):
        return problem
    from pathlib import Path

    from tracker.problems import relative

    shown = relative(Path(problem.file))
    if shown.is_absolute():
        try:
            shown = shown.resolve().relative_to(settings.data_dir.resolve())
        except ValueError:
            return problem
    return problem._replace(file=shown)


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


# --- read commands: each returns a typed result (tracker/results.py), drawn by the format
# the CLI chose (tracker/formats/); none of them takes a format.


def holders(settings: Settings, mandate: str | None = None, sort: str | None = None) -> Rows:
    rows = sorted_rows(Tracker(settings).holders(mandate), sort)
    return Rows(rows, kind_columns("holder"), "Mandate holders")


def themes(settings: Settings, mandate: str | None = None, sort: str | None = None) -> Rows:
    rows = sorted_rows(Tracker(settings).themes(mandate), sort)
    return Rows(rows, kind_columns("theme"), "Thematic priorities")


def resolutions(settings: Settings, mandate: str | None = None, sort: str | None = None) -> Rows:
    rows = sorted_rows(Tracker(settings).resolutions(mandate), sort)
    # Shown and in CSV with the vote as one summary ("31 yes, 13 no, 3 abstaining").
    summary = render.resolution_rows
    return Rows(rows, kind_columns("resolution"), "Resolutions", summary, summary)


def sorted_rows(rows: list[dict[str, Any]], sort: str | None) -> list[dict[str, Any]]:
    """Rows in the order of --sort FIELD (missing values last), else as the query gave them."""
    if not sort:
        return rows
    if rows and sort not in rows[0]:
        raise UsageError(f"--sort: no field '{sort}' (fields: {', '.join(rows[0])})")
    return sorted(rows, key=lambda row: (row.get(sort) in (None, ""), str(row.get(sort) or "")))


def check_filters(**filters: Any) -> None:
    """An empty filter (--holder "") is a usage error: it would silently filter nothing."""
    for name, given in filters.items():
        if isinstance(given, str) and not given.strip():
            raise UsageError(f"--{name.replace('_', '-')} is empty: give a value or leave it out")


def visits(
    settings: Settings,
    since: str | None = None,
    until: str | None = None,
    sort: str | None = None,
    **filters: Any,
) -> Rows:
    check_filters(**filters)
    # No window, no dates module: most lists are asked for without one.
    window = period(since, until) if since or until else None
    if filters.get("status"):
        filters["status"] = queries.visit_statuses(filters["status"])
    rows = Tracker(settings).visits(**filters)
    if window is not None and not window.is_open:
        from tracker.dates import date_of

        rows = [r for r in rows if window.holds(date_of(r["start"]), date_of(r["end"]))]
    # A table shows the country's name (JSON and CSV have both, country_name after country).
    return Rows(sorted_rows(rows, sort), kind_columns("visit"), "Country visits")


def reports(
    settings: Settings,
    since: str | None = None,
    until: str | None = None,
    sort: str | None = None,
    **filters: Any,
) -> Rows:
    from tracker.kinds import report_date

    check_filters(**filters)
    window = period(since, until) if since or until else None
    rows = Tracker(settings).reports(**filters)
    if window is not None and not window.is_open:
        rows = [r for r in rows if window.holds(report_date(r))]
    # Shown with the symbol (or id) in one column and the year from the date.
    return Rows(sorted_rows(rows, sort), kind_columns("report"), "Reports", render.report_rows)


def records(settings: Settings, kind: str, filters: dict[str, Any]) -> Rows:
    """The list of any declared kind (tracker/kinds.py), filtered as queries.records allows:
    holder, country, year and mandate, and any other filter as a field's value."""
    from tracker.kinds import KINDS

    spec = KINDS[kind]
    filters = dict(filters)
    sort = filters.pop("sort", None)
    rows = sorted_rows(Tracker(settings).records(kind, **filters), sort)
    return Rows(rows, kind_columns(kind) or [(spec.key_column, "Key")], spec.title)


def show(settings: Settings, key: str) -> Detail:
    tracker = Tracker(settings)
    result = tracker.show(key)
    if result["kind"] == "theme":
        with tracker.connection() as conn:
            theme_status_as_coverage(conn, result)
    return Detail(result)


def search(
    settings: Settings,
    text: str,
    mandate: str | None = None,
    kind: str | None = None,
    limit: int | None = 20,
) -> Matches:
    """`tracker search`: the query run on the up-to-date store."""
    from tracker import search as searching

    with Tracker(settings).connection() as conn:
        mandate = queries.chosen_mandate(conn, mandate)
        results = searching.search(conn, text, mandate, kind, limit)
        cut = bool(limit) and len(results) == limit
        total = searching.count(conn, text, mandate, kind) if cut else 0
    return Matches(results, text, bool(searching.parse(text)), total)


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
    from tracker import layout, sources
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
    files = layout.keys_of_problems(settings.data_dir, found, dataset.documents)
    for filename in files:
        as_read = {kind: dataset.of(kind) for kind in layout.kinds_of(filename)}
        sources.find_lines(settings.data_dir, filename, as_read)
    if files:
        # Again, now that records know their lines: only for the records of those files.
        shown = {str(relative(settings.data_dir / key)) for key in files}
        located = {p.file for p in found if str(p.file) in shown}
        again = validate(dataset, today(), files=located)
        found = [p for p in found if p.file not in located] + again
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
            stream.write(fitted(f"{on_terminal(problem, settings, stream)}\n", stream))
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


def coverage(
    settings: Settings,
    holder: str | None = None,
    since: str | None = None,
    until: str | None = None,
    mandate: str | None = None,
) -> Coverage:
    return Coverage(Tracker(settings).coverage(holder, since, until, mandate))


def sources(settings: Settings) -> Sources:
    """Each source the data cites and the records resting on it (tracker sources)."""
    return Sources(Tracker(settings).sources())


def gaps(settings: Settings, mandate: str | None = None) -> Gaps:
    return Gaps(Tracker(settings).gaps(mandate))


# --- the mandate's wider record: delivery, votes, calendar --------------------------------


def delivery(settings: Settings, mandate: str | None = None) -> Delivery:
    from tracker import record_queries

    with Tracker(settings).connection() as conn:
        return Delivery(record_queries.delivery_view(conn, mandate))


def votes(settings: Settings, mandate: str | None = None) -> Rows:
    from tracker import record_queries, render_record

    with Tracker(settings).connection() as conn:
        rows = record_queries.votes_view(conn, mandate)
    title = "Recorded votes and the mandate's visits"
    columns = render_record.VOTES_COLUMNS
    return Rows(rows, columns, title, render_record.votes_rows, render_record.votes_flat)


def calendar(settings: Settings, output: Path | None = None, mandate: str | None = None) -> None:
    """The iCalendar file (tracker/ical.py): to `output` (whole or not at all), else to
    standard output."""
    import datetime as dt

    from tracker import ical, record_queries
    from tracker.paths import today

    with Tracker(settings).connection() as conn:
        events = record_queries.calendar_events(conn, mandate)
    stamp = dt.datetime.combine(today(), dt.time(), tzinfo=dt.UTC)
    text = ical.to_ical(events, stamp).decode("utf-8")  # RFC 5545's CRLF line ends kept
    if output is None:
        sys.stdout.write(text)
        return
    from tracker.render_analysis import write_file

    write_file(output, text)
    sys.stderr.write(f"Wrote {output} ({len(events)} event{'' if len(events) == 1 else 's'})\n")


def timeline(
    settings: Settings,
    holder: str | None = None,
    since: str | None = None,
    until: str | None = None,
    kinds: list[str] | None = None,
    mandate: str | None = None,
) -> Timeline:
    from tracker import analysis

    with Tracker(settings).connection() as conn:  # the events, and the terms they fall in
        window = period(since, until)
        events = analysis.timeline(conn, holder, window, kinds, mandate)
        holders = analysis.terms(conn, mandate)
    if not window.is_open:
        # The axis starts and ends where --from/--to do (render_analysis.group_years).
        years = (
            window.since.year if window.since else None,
            window.until.year if window.until else None,
        )
        holders = [{**h, "window": years} for h in holders]
    return Timeline(events, holders)


def present(result: Any, fmt: str, svg: Path | None = None, command: str = "") -> None:
    """Print a command's result in the chosen format; with --svg, also save its table view."""
    from tracker import formats

    formats.output(result, fmt)
    if svg:
        from tracker.formats.table import save_svg

        save_svg(result, svg, command)


def share_report(settings: Settings, mandate: str | None = None) -> Document:
    """The shareable coverage report's data; the document formats (md, html) write it."""
    from tracker import analysis

    with Tracker(settings).connection() as conn:
        return Document(analysis.report_data(conn, mandate))


def write_document(result: Document, fmt: str, output: Path | None) -> None:
    """The report in its format, to standard output or (whole or not at all) to a file."""
    import io

    from tracker import formats
    from tracker.render_analysis import write_file

    if output is None:
        formats.output(result, fmt)
        return
    buffer = io.StringIO()
    formats.output(result, fmt, buffer)
    write_file(output, buffer.getvalue())
    sys.stderr.write(f"Wrote {output}\n")

"""`tracker import`: records from the exports the UN publishes, written by the one writer.

- `uhri FILE`: the Universal Human Rights Index's annotations (JSON or XLSX, told apart by
  content) of the mandate's reports become [[recommendation]] records;
- `communications FILE`: the communications database's XLSX export becomes
  [[communication]] records, each with its replies.

Only what belongs to the mandate is kept: an annotation of a report in the data (or of a
body named as the mandate, whose report is then listed as not in the data), a letter whose
mandates name the mandate. Country names go through the shipped UN names; a name that is
not one is listed, never guessed. Each record is matched by its key (the annotation id,
the letter's reference), so importing a file twice changes nothing, and a newer file
changes only what changed. A row that cannot be read stops the import (nothing is
written) unless --skip-bad. Everything is written through writer.transaction: validated,
locked, atomic, canonical.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker import exports
from tracker.exports import ExportError, Row
from tracker.model import DataSet
from tracker.paths import Settings

UHRI_SOURCE = "https://uhri.ohchr.org/"
COMMUNICATIONS_SOURCE = "https://spcommreports.ohchr.org/"
# The fields an import owns: it sets them on every import. The others (a record's note, a
# letter's themes) are the data's own and are kept.
RECOMMENDATION_FIELDS = (
    "id",
    "report",
    "countries",
    "type",
    "published",
    "text",
    "themes",
    "sdgs",
    "affected_persons",
)
COMMUNICATION_FIELDS = (
    "ref",
    "type",
    "holder",
    "country",
    "date",
    "joint_with",
    "summary",
    "replies",
)
# How many bad rows a message lists before "and N more".
SHOWN_ROWS = 20


@dataclass
class Plan:
    """What an export holds for the data: records by key, and the rows left out."""

    kind: str
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    unit: str = "row"  # what a number counts: a sheet's "row", or a JSON array's "item"
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, why)
    bad: list[tuple[int, str]] = field(default_factory=list)  # (row, what cannot be read)
    others: int = 0  # rows of other mandates
    unknown_countries: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class Counts:
    new: int = 0
    changed: int = 0
    unchanged: int = 0


class BadRow(ValueError):
    """A value of a row that cannot be read, with the field whose column it is in."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field

    def where(self, row: Row) -> str:
        return f"column {row.headers.get(self.field, self.field)!r}: {self}"


# --- what the data knows ----------------------------------------------------------------


_ABBREVIATIONS = {"ie": "independent expert", "sr": "special rapporteur", "wg": "working group"}
_LINKING = {"on", "the", "of", "in", "and", "for", "to"}


@functools.lru_cache(maxsize=4096)
def mandate_words(name: str) -> tuple[str, ...]:
    """A mandate's name as words to compare: folded, "IE"/"SR"/"WG" spelt out, the linking
    words left out ("IE human rights and international solidarity" = the full title)."""
    from tracker.countries import fold

    words = re.findall(r"[a-z0-9]+", fold(name))
    if words and words[0] in _ABBREVIATIONS:
        words = _ABBREVIATIONS[words[0]].split() + words[1:]
    return tuple(w for w in words if w not in _LINKING)


@dataclass
class Known:
    """What the import checks rows against: the data's reports, mandates and holders."""

    reports: dict[str, str]  # symbol in capitals without spaces -> the report's key
    mandates: set[tuple[str, ...]]  # mandate_words of each mandate's title
    holders: list[tuple[str, dt.date, dt.date | None]]  # id, first and last day in office

    @classmethod
    def of(cls, dataset: DataSet) -> Known:
        from tracker.dates import try_parse

        reports = {_symbol(r.key): r.key for r in dataset.of("report") if r.get("symbol")}
        mandates = {mandate_words(str(m.get("title") or "")) for m in dataset.of("mandate")}
        holders = []
        for holder in dataset.of("holder"):
            start = try_parse(holder.get("start") or holder.get("appointed"))
            end = try_parse(holder.get("end"))
            if start is not None:
                holders.append((holder.key, start.earliest(), end.latest() if end else None))
        return cls(reports, mandates - {()}, holders)

    def is_mandate(self, names: Iterable[str]) -> list[bool]:
        return [mandate_words(name) in self.mandates for name in names]

    def holder_on(self, day: dt.date) -> str | None:
        for key, start, end in self.holders:
            if start <= day and (end is None or day <= end):
                return key
        return None


def _symbol(text: str) -> str:
    return "".join(text.split()).upper()


def read_data(settings: Settings) -> DataSet:
    from tracker import sources
    from tracker.problems import DataError

    dataset, problems = sources.load(settings.data_dir, with_positions=False)
    if problems:
        raise DataError(sources.load(settings.data_dir)[1])
    return dataset


# --- UHRI ---------------------------------------------------------------------------------

ANNOTATION_TYPES = {"recommendations": "recommendation", "recommendation": "recommendation"}


def annotation_type(value: Any) -> str:
    text = exports.one_value(value)
    folded = text.casefold()
    if folded in ANNOTATION_TYPES:
        return ANNOTATION_TYPES[folded]
    if "concern" in folded or "observation" in folded:
        return "observation"
    raise BadRow("type", f"{text!r} is neither Recommendations nor Concerns/Observations")


def uhri_rows(path: Path, progress: Callable[[int], None] | None = None) -> Iterator[Row]:
    if exports.sniff(path) == "json":
        return exports.read_uhri_json(path, progress)
    return exports.read_xlsx(
        path, exports.UHRI_COLUMNS, exports.UHRI_REQUIRED, exports.UHRI_SHOWN, "UHRI export"
    )


def plan_uhri(
    path: Path, known: Known, exported: dt.date, progress: Callable[[int], None] | None = None
) -> Plan:
    """The mandate's recommendations in a UHRI export."""
    plan = Plan("recommendation", unit="item" if exports.sniff(path) == "json" else "row")
    source = f"{UHRI_SOURCE} (export of {exported.isoformat()})"
    where: dict[str, int] = {}
    for row in uhri_rows(path, progress):
        values = row.values
        symbol = exports.one_value(values.get("symbol"))
        report = known.reports.get(_symbol(symbol)) if symbol else None
        if report is None:
            bodies = exports.values_of(values.get("body"))
            if any(known.is_mandate(bodies)):
                plan.skipped.append((row.number, f"report {symbol or '(none)'} not in the data"))
            else:
                plan.others += 1
            continue
        try:
            data = recommendation(values, report, source, plan, row.number)
        except BadRow as error:
            plan.bad.append((row.number, error.where(row)))
            continue
        if data["id"] in where:
            plan.skipped.append(
                (row.number, f"annotation {data['id']} again ({plan.unit} {where[data['id']]})")
            )
            continue
        where[data["id"]] = row.number
        plan.records[data["id"]] = data
    return plan


def recommendation(
    values: dict[str, Any], report: str, source: str, plan: Plan, number: int
) -> dict[str, Any]:
    annotation = _identifier(values.get("id"))
    if not annotation:
        raise BadRow("id", "the annotation id is empty")
    text = exports.plain_text(values.get("text"))
    if not text:
        raise BadRow("text", "empty")
    data: dict[str, Any] = {"id": annotation, "report": report}
    codes = []
    for name in exports.values_of(values.get("countries")):
        code = _country(name)
        if code is None:
            plan.unknown_countries.setdefault(name, []).append(number)
        elif code not in codes:
            codes.append(code)
    if codes:
        data["countries"] = codes
    data["type"] = annotation_type(values.get("type"))
    try:
        published = exports.date_of(values.get("published"))
    except ValueError as error:
        raise BadRow("published", str(error)) from None
    if published is not None:
        data["published"] = published
    data["text"] = text
    for name in ("themes", "sdgs", "affected_persons"):
        found = exports.values_of(values.get(name))
        if found:
            data[name] = found
    data["source"] = source
    return data


def _identifier(value: Any) -> str:
    """An id as text: a whole number read from a cell as 1000000.0 is "1000000"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return exports.one_value(value) if value is not None else ""


def _country(name: str) -> str | None:
    from tracker import countries

    try:
        return countries.resolve_offline(name)
    except countries.CountryError:
        return None


# --- communications -----------------------------------------------------------------------

LETTER_TYPES = {
    "al": "AL",
    "allegationletter": "AL",
    "ua": "UA",
    "urgentappeal": "UA",
    "ol": "OL",
    "otherletter": "OL",
    "jal": "JAL",
    "jointallegationletter": "JAL",
    "jua": "JUA",
    "jointurgentappeal": "JUA",
    "jol": "OL",
    "jointotherletter": "OL",
}
NO_COUNTRY = {"", "other", "others", "na", "none"}
_DATE_IN_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2} [A-Za-z]+\.? \d{4}")


def plan_communications(path: Path, known: Known, exported: dt.date) -> Plan:
    """The mandate's letters in a communications export."""
    if exports.sniff(path) != "xlsx":
        raise ExportError(f"{path}: not a communications export: it is not an XLSX workbook")
    plan = Plan("communication")
    source = f"{COMMUNICATIONS_SOURCE} (export of {exported.isoformat()})"
    rows = exports.read_xlsx(
        path,
        exports.COMMUNICATION_COLUMNS,
        exports.COMMUNICATION_REQUIRED,
        exports.COMMUNICATION_SHOWN,
        "communications export",
        replies=True,
    )
    where: dict[str, int] = {}
    for row in rows:
        mandates = exports.values_of(row.values.get("mandates"))
        ours = known.is_mandate(mandates)
        if not any(ours):
            plan.others += 1
            continue
        others = [name for name, mine in zip(mandates, ours, strict=True) if not mine]
        try:
            data = letter(row, others, known, source, plan)
        except BadRow as error:
            plan.bad.append((row.number, error.where(row)))
            continue
        if data is None:
            continue
        if data["ref"] in where:
            plan.skipped.append((row.number, f"{data['ref']} again (row {where[data['ref']]})"))
            continue
        where[data["ref"]] = row.number
        plan.records[data["ref"]] = data
    return plan


def letter(
    row: Row, others: list[str], known: Known, source: str, plan: Plan
) -> dict[str, Any] | None:
    values = row.values
    ref = re.sub(r"\s+", " ", exports.one_value(values.get("ref"))).strip()
    if not ref:
        raise BadRow("ref", "empty")
    try:
        day = exports.date_of(values.get("date"))
    except ValueError as error:
        raise BadRow("date", str(error)) from None
    if day is None:
        raise BadRow("date", "empty")
    kind = LETTER_TYPES.get(exports.fold_header(exports.one_value(values.get("type"))))
    if kind is None:
        raise BadRow("type", f"{exports.one_value(values.get('type'))!r} is not a kind of letter")
    if others and kind in ("AL", "UA"):
        kind = "J" + kind
    holder = known.holder_on(day)
    if holder is None:
        plan.skipped.append((row.number, f"no holder of the mandate in office on {day}"))
        return None
    name = exports.one_value(values.get("country"))
    code = None
    if exports.fold_header(name) not in NO_COUNTRY:
        code = _country(name)
        if code is None:
            plan.unknown_countries.setdefault(name, []).append(row.number)
            plan.skipped.append((row.number, f"unknown country {name!r}"))
            return None
    data: dict[str, Any] = {"ref": ref, "type": kind, "holder": holder}
    if code:
        data["country"] = code
    data["date"] = day
    if others:
        data["joint_with"] = "; ".join(others)
    summary = exports.plain_text(values.get("summary"))
    if summary:
        data["summary"] = summary
    replies = reply_dates(row.replies)
    if replies:
        data["replies"] = replies
    data["source"] = source
    return data


def reply_dates(cells: list[Any]) -> list[dt.date]:
    """The dates of the replies: each reply cell's date (a cell may hold several lines, or
    a date within text such as "Reply of 4 June 2020")."""
    found: set[dt.date] = set()
    for cell in cells:
        items = [cell] if not isinstance(cell, str) else exports.values_of(cell)
        for item in items:
            try:
                day = exports.date_of(item)
            except ValueError:
                match = _DATE_IN_TEXT.search(str(item))
                if match is None:
                    raise BadRow("replies", f"{str(item)!r} holds no date") from None
                try:
                    day = exports.date_of(match.group())
                except ValueError as error:
                    raise BadRow("replies", str(error)) from None
            if day is not None:
                found.add(day)
    return sorted(found)


# --- applying and writing -----------------------------------------------------------------


def apply(dataset: DataSet, plan: Plan, owned: tuple[str, ...]) -> Counts:
    """Add the plan's new records and update the changed ones (their owned fields and
    source; the rest stays): what the writer then validates and writes."""
    from tracker.kinds import KINDS
    from tracker.writer import new_record

    counts = Counts()
    existing = dataset.index(plan.kind)
    for key, data in plan.records.items():
        record = existing.get(key)
        if record is None:
            dataset.of(plan.kind).append(new_record(dataset.folder, plan.kind, dict(data)))
            counts.new += 1
            continue
        if _owned(record.data, owned) == _owned(data, owned):
            counts.unchanged += 1
            continue
        kept = {k: v for k, v in record.data.items() if k not in owned and k != "source"}
        updated = {**{k: data[k] for k in owned if k in data}, "source": data["source"], **kept}
        order = KINDS[plan.kind].field_names
        record.data = {k: updated[k] for k in order if k in updated}
        counts.changed += 1
    return counts


def _owned(data: dict[str, Any], owned: tuple[str, ...]) -> dict[str, Any]:
    """The owned fields, with dates as text (a TOML date and a parsed one compare equal)."""
    return {k: _comparable(data[k]) for k in owned if data.get(k) not in (None, [], "")}


def _comparable(value: Any) -> Any:
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def summary(plan: Plan, counts: Counts) -> str:
    why: dict[str, int] = {}
    for _, reason in plan.skipped:
        general = re.sub(r" \((row|item) \d+\)$", "", reason)
        why[general] = why.get(general, 0) + 1
    skipped = len(plan.skipped) + len(plan.bad)
    reasons = [f"{n} × {reason}" if n > 1 else reason for reason, n in why.items()]
    if plan.bad:
        reasons.append(f"{len(plan.bad)} unreadable {plan.unit}(s)")
    text = (
        f"{counts.new} new, {counts.changed} changed, {counts.unchanged} unchanged, "
        f"{skipped} skipped" + (f" ({'; '.join(reasons)})" if reasons else "") + "."
    )
    if plan.others:
        text += f" {plan.others} {plan.unit}(s) of other mandates left out."
    if plan.unknown_countries:
        names = "; ".join(
            f"{name!r} ({plan.unit} {', '.join(str(n) for n in rows[:5])})"
            for name, rows in plan.unknown_countries.items()
        )
        text += f"\nNot a UN country name, so not guessed: {names}."
    return text


def bad_rows_message(path: Path, plan: Plan) -> str:
    lines = [f"{path}: {plan.unit} {n}: {message}" for n, message in plan.bad[:SHOWN_ROWS]]
    if len(plan.bad) > SHOWN_ROWS:
        lines.append(f"... and {len(plan.bad) - SHOWN_ROWS} more")
    lines.append(
        f"{len(plan.bad)} {plan.unit}(s) cannot be read. Nothing was written: fix the file, "
        "or give --skip-bad to import the other rows."
    )
    return "\n".join(lines)


def export_date(path: Path, given: str | None) -> dt.date:
    """The export's date: as given (--exported), else the day the file was last changed."""
    if given:
        try:
            return dt.date.fromisoformat(given)
        except ValueError:
            from tracker.problems import UsageError

            raise UsageError(f"--exported: {given!r} is not a date (YYYY-MM-DD)") from None
    try:
        return dt.date.fromtimestamp(path.stat().st_mtime)
    except OSError as error:
        raise ExportError(f"cannot read {path}: {error.strerror}") from None


def run(
    settings: Settings,
    what: str,
    path: Path,
    dry_run: bool,
    skip_bad: bool,
    exported: str | None = None,
) -> None:
    """`tracker import uhri|communications FILE`: plan, then write (or show) the change."""
    from tracker import writer

    if not path.is_file():
        raise ExportError(f"no file {path}")
    day = export_date(path, exported)
    known = Known.of(read_data(settings))
    owned: tuple[str, ...]
    if what == "uhri":
        with progress_bar(path) as step:
            plan = plan_uhri(path, known, day, step)
        owned = RECOMMENDATION_FIELDS
    else:
        plan = plan_communications(path, known, day)
        owned = COMMUNICATION_FIELDS
    if plan.bad and not skip_bad:
        raise ExportError(bad_rows_message(path, plan))
    for number, message in plan.bad:
        sys.stderr.write(f"{path}: {plan.unit} {number}: {message} (skipped)\n")
    from tracker.kinds import KINDS

    counts, outcome = writer.transaction(
        settings,
        lambda dataset: apply(dataset, plan, owned),
        dry_run=dry_run,
        touches=[KINDS[plan.kind].file],
    )
    sys.stdout.write(summary(plan, counts) + "\n")
    if dry_run:
        sys.stdout.write(outcome.diff())
        sys.stderr.write("Dry run: nothing was written.\n")
    from tracker.commands import fitted

    for warning in outcome.warnings:
        sys.stderr.write(fitted(f"{warning}\n", sys.stderr))


def progress_bar(path: Path) -> Any:
    """A progress bar over the file's bytes on a terminal (stderr); nothing when piped, or
    for an XLSX workbook (read whole, in a moment)."""
    if not sys.stderr.isatty() or exports.sniff(path) != "json":
        return contextlib.nullcontext(None)
    return _bar(path)


@contextlib.contextmanager
def _bar(path: Path) -> Iterator[Callable[[int], None]]:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    columns = (
        TextColumn("Reading {task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(path.name, total=path.stat().st_size)
        yield lambda done: progress.update(task, completed=done)

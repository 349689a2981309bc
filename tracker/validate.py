"""Every rule the tracked data must satisfy. Finds all problems, not just the first.

Field rules (types, required, enums, codes, symbols) come from the schema in
model.py; the rules that relate records to each other are spelled out below.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection, Iterator
from functools import lru_cache
from typing import Any

from tracker import countries, layout
from tracker.dates import DateError, PartialDate, parse, try_parse
from tracker.links import SYMBOL
from tracker.model import (
    DATED_VISIT_STATUSES,
    KINDS,
    VOTE_CHOICES,
    DataSet,
    Field,
    Record,
)
from tracker.problems import ERROR, WARNING, Problem, sort_problems
from tracker.provenance import problems as source_problems

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# TOML integers have no limit in Python, but the store's (SQLite's) stop at 64 bits.
LARGEST_NUMBER = 2**63 - 1
# Each kind's records by key.
Indexes = dict[str, dict[str, Record]]


def validate(
    dataset: DataSet,
    today: dt.date | None = None,
    trusted: Collection[str] = (),
    files: Collection[object] | None = None,
) -> list[Problem]:
    """All problems in the data set, sorted by file and line.

    trusted: kinds, or data files (by key, tracker/layout.py: `mandate-0001/visits.toml`),
    whose records passed these field checks before and have not changed since (an
    incremental sync); their fields are not checked again, but every rule that relates
    records to each other still runs over the whole data set.
    files: only the problems of the records read from these files (Record.file), as a
    validation of everything would give them; the other records' own checks are skipped.
    """
    today = today or dt.date.today()
    problems: list[Problem] = []

    def of(kind: str) -> list[Record]:
        records = dataset.of(kind)
        return records if files is None else [r for r in records if r.file in files]

    trusted = set(trusted)
    for kind in KINDS:
        if kind in trusted:
            continue
        fields = KINDS[kind].fields
        for record in of(kind):
            if record.source not in trusted:  # ("" for a record being added: checked)
                problems += check_fields(record, fields)
    problems += check_unique(dataset)
    indexes = {kind: dataset.index(kind) for kind in KINDS}
    problems += check_references(dataset, indexes, of)
    try:
        for kind, spec in KINDS.items():
            for rule in spec.rules:
                # A rule about other records than its own runs over all of its kind.
                records = dataset.of(kind) if rule in REPORTS_ON_OTHERS else of(kind)
                for record in records:
                    problems += RULES[rule](record, indexes, today)
    finally:
        _DERIVED.clear()  # never kept past the validation: it holds records
    problems += check_sets_and_addresses(dataset)
    problems += layout.misplaced(dataset, indexes)  # in its mandate's sub-folder, or not
    if files is not None:
        problems = [p for p in problems if p.file in files]
    return sort_problems(problems)


# What a rule works out from the whole data set, once per validation rather than once per
# record (which made the rules quadratic at scale): by name, with the indexes and the day
# it was worked out for.
_DERIVED: dict[str, tuple[Indexes, dt.date, Any]] = {}


def derived(name: str, indexes: Indexes, today: dt.date, work: Callable[[], Any]) -> Any:
    """work()'s result, computed once for these indexes and this day."""
    held = _DERIVED.get(name)
    if held is None or held[0] is not indexes or held[1] != today:
        held = _DERIVED[name] = (indexes, today, work())
    return held[2]


def _problem(
    record: Record, name: str, message: str, severity: str = ERROR, line: int | None = None
) -> Problem:
    label = f"{record.kind} '{record.key}'" if record.key else f"{record.kind} (no key)"
    return Problem(
        record.file,
        line if line is not None else record.line_of(name),
        message,
        severity,
        record=label,
        field=name,
    )


def check_fields(
    record: Record, fields: tuple[Field, ...], data: dict[str, Any] | None = None, prefix: str = ""
) -> list[Problem]:
    """Unknown fields, missing required fields and the type of each value."""
    data = record.data if data is None else data
    known, plainly = _declared(fields)
    problems = []
    for name in data:
        if name not in known:
            allowed = ", ".join(known)
            problems.append(_problem(record, prefix + name, f"unknown field (allowed: {allowed})"))
    for spec, fine in plainly:
        if spec.name not in data:
            if spec.required:
                at = record.line_of(prefix.rstrip(".")) if prefix else record.line
                problems.append(_problem(record, prefix + spec.name, "missing", line=at))
            continue
        value = data[spec.name]
        if fine is not None and fine(spec, value):
            continue  # the common, valid case, told at once (check_value says the rest)
        for message in check_value(spec, value):
            problems.append(_problem(record, prefix + spec.name, message))
    if not prefix:
        problems += check_special_fields(record)
    return problems


def _text(spec: Field, value: Any) -> bool:
    return isinstance(value, str) and bool(value) and not value.isspace()


def _is_date(value: Any) -> bool:
    return type(value) is dt.date  # a TOML date (a date-time is not one)


# For each field type, a test that a value is plainly valid: when it says yes, check_value
# would say nothing; when it says no, check_value says what is wrong. At scale the field
# checks are most of a validation, and nearly every value is plainly valid.
_PLAINLY_VALID: dict[str, Callable[[Field, Any], bool]] = {
    "text": _text,
    "slug": lambda spec, value: isinstance(value, str) and SLUG.fullmatch(value) is not None,
    "symbol": lambda spec, value: isinstance(value, str) and SYMBOL.fullmatch(value) is not None,
    "iso3": lambda spec, value: countries.is_iso3(value),
    "enum": lambda spec, value: isinstance(value, str) and value in spec.choices,
    "int": lambda spec, value: type(value) is int and 0 <= value <= LARGEST_NUMBER,
    "date": lambda spec, value: _is_date(value),
    "dates": lambda spec, value: type(value) is list and all(_is_date(v) for v in value),
    "list": lambda spec, value: type(value) is list and all(isinstance(v, str) for v in value),
}

_DECLARED: dict[int, tuple[tuple[Field, ...], dict[str, Field], list[Any]]] = {}


def _declared(
    fields: tuple[Field, ...],
) -> tuple[dict[str, Field], list[tuple[Field, Callable[[Field, Any], bool] | None]]]:
    """The fields by name, and each with its test of a plainly valid value: worked out once
    per declaration (the tuple is kept, so that its id is never another's)."""
    held = _DECLARED.get(id(fields))
    if held is None or held[0] is not fields:
        plainly = [(f, _PLAINLY_VALID.get(f.type)) for f in fields]
        held = _DECLARED[id(fields)] = (fields, {f.name: f for f in fields}, plainly)
    return held[1], held[2]


def check_value(spec: Field, value: Any) -> Iterator[str]:
    """Messages for a value that does not fit its field type."""
    kind = spec.type
    if kind in ("text", "slug", "iso3", "symbol", "enum") and not isinstance(value, str):
        yield f"must be text, not {type_name(value)}"
        return
    if kind in ("text", "slug", "symbol") and not value.strip():
        yield "is empty"
        return
    if kind == "slug" and not SLUG.fullmatch(value):
        yield f"'{value}' is not an id (lower-case letters, digits and single hyphens)"
    elif kind == "symbol" and not SYMBOL.fullmatch(value):
        yield f"'{value}' is not a UN document symbol (e.g. A/HRC/44/44, A/HRC/RES/44/11)"
    elif kind == "iso3":
        yield from check_iso3(value)
    elif kind == "enum" and value not in spec.choices:
        yield f"'{value}' is not one of: {', '.join(spec.choices)}"
    elif kind == "int" and (not isinstance(value, int) or isinstance(value, bool)):
        yield f"must be a whole number, not {type_name(value)}"
    elif kind == "int" and value < 0:
        yield f"must not be negative ({value})"
    elif kind == "int" and value > LARGEST_NUMBER:
        yield f"is too large ({value})"
    elif kind == "date":
        try:
            parse(value)
        except DateError as error:
            yield str(error)
    elif kind == "dates":
        if not isinstance(value, list):
            yield f"must be a list of dates, not {type_name(value)}"
            return
        for item in value:
            try:
                parse(item)
            except DateError as error:
                yield str(error)
    elif kind in ("list", "slugs"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            yield "must be a list of text values"
        elif kind == "slugs":
            for item in value:
                if not SLUG.fullmatch(item):
                    yield f"'{item}' is not an id"
            duplicates = sorted({v for v in value if value.count(v) > 1})
            if duplicates:
                yield f"lists {', '.join(duplicates)} more than once"


def check_iso3(value: str) -> Iterator[str]:
    if not countries.is_iso3(value):
        hint = ""
        if len(value) == 3 and countries.is_iso3(value.upper()):
            hint = f" (write it in capitals: {value.upper()})"
        elif len(value) != 3:
            hint = f" ({country_hint(value)})"
        yield f"'{value}' is not an ISO 3166-1 alpha-3 country code{hint}"


def country_hint(value: str) -> str:
    """The code a country's name stands for, as a suggestion for a data file's message."""
    try:
        code = countries.resolve_offline(value)
    except countries.CountryError:
        return "use the ISO 3166-1 alpha-3 code, e.g. NLD"
    return f"did you mean '{code}'? The data files hold alpha-3 codes"


def type_name(value: Any) -> str:
    if isinstance(value, dt.date):
        return "a date"
    return {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def check_special_fields(record: Record) -> list[Problem]:
    """The nested fields (a resolution's vote table, lists of sub-records such as a visit's
    history) and the pairs of fields of which a record gives one or the other."""
    problems: list[Problem] = []
    spec = KINDS[record.kind]
    for field in spec.fields:
        if field.name not in record.data:
            continue
        if field.type == "vote":
            problems += check_vote_table(record)
        elif field.type == "records":
            entries = record.data[field.name]
            if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
                message = f"must be [[{record.kind}.{field.name}]] entries"
                problems.append(_problem(record, field.name, message))
                continue
            for index, entry in enumerate(entries):
                prefix = f"{field.name}[{index}]."
                problems += check_fields(record, field.fields, entry, prefix)
    for first, second in spec.one_of:
        if first not in record.data and second not in record.data:
            message = f"missing (give `{first}`, or `{second}`)"
            problems.append(_problem(record, first, message))
        elif first in record.data and second in record.data:
            message = f"give `{first}` or `{second}`, not both"
            problems.append(_problem(record, second, message))
    for first, second in spec.any_of:
        if first not in record.data and second not in record.data:
            message = f"missing (give `{first}`, or `{second}` while it is unknown)"
            problems.append(_problem(record, first, message))
    for message in source_problems(record.data.get("source")):
        problems.append(_problem(record, "source", message, WARNING))
    return problems


def check_vote_table(record: Record) -> list[Problem]:
    vote = record.data["vote"]
    if not isinstance(vote, dict):
        return [_problem(record, "vote", "must be a [resolution.vote] table")]
    problems = []
    for name, value in vote.items():
        field = f"vote.{name}"
        if name not in VOTE_CHOICES:
            problems.append(_problem(record, field, "unknown field (allowed: yes, no, abstain)"))
        elif isinstance(value, bool) or not isinstance(value, int | list):
            problems.append(
                _problem(record, field, "must be a list of alpha-3 codes or a number (a tally)")
            )
        elif isinstance(value, int) and value < 0:
            problems.append(_problem(record, field, "must not be negative"))
        elif isinstance(value, int) and value > LARGEST_NUMBER:
            problems.append(_problem(record, field, f"is too large ({value})"))
        elif isinstance(value, list):
            for code in value:
                for message in check_iso3(code) if isinstance(code, str) else ["not text"]:
                    problems.append(_problem(record, field, message))
    listed = [c for v in vote.values() if isinstance(v, list) for c in v if isinstance(c, str)]
    twice = sorted({c for c in listed if listed.count(c) > 1})
    if twice:
        problems.append(
            _problem(record, "vote", f"{', '.join(twice)} voted more than once", line=None)
        )
    return problems


def check_unique(dataset: DataSet) -> list[Problem]:
    problems = []
    for kind in KINDS:
        seen: dict[str, Record] = {}
        for record in dataset.of(kind):
            key = record.key
            if not key:
                if KINDS[kind].default_key is not None:
                    problems.append(
                        _problem(
                            record,
                            "id",
                            "missing: give an id, or a start date (or history) to derive one",
                        )
                    )
                continue
            if key in seen:
                first = seen[key]
                problems.append(
                    _problem(
                        record,
                        KINDS[kind].key,
                        f"duplicate {kind} '{key}' (first at {first.file}:{first.line})",
                    )
                )
            else:
                seen[key] = record
    return problems


def reference_hint(dataset: DataSet, kind: str, target: str) -> str:
    """ " (did you mean 'okafor'?)" for a reference that names a record in another form."""
    from tracker import resolve

    records = dataset.of(kind)
    names = resolve.surnames(r.data for r in records) if kind == "holder" else None
    return resolve.suggestion(target, [r.key for r in records if r.key], names)


def check_references(
    dataset: DataSet, indexes: Indexes, of: Callable[[str], list[Record]] | None = None
) -> list[Problem]:
    """Every id a record names must exist, and set_in should name a known report.

    of: the records of a kind to check (default: all)."""
    problems = []
    of = of or dataset.of
    for kind, spec in KINDS.items():
        referring = [(field, str(field.refers_to)) for field in spec.fields if field.refers_to]
        if not referring:
            continue
        for record in of(kind):
            for field, target_kind in referring:
                if field.name not in record.data:
                    continue
                value = record.data[field.name]
                targets = value if isinstance(value, list) else [value]
                for target in targets:
                    if isinstance(target, str) and target not in indexes[target_kind]:
                        where = KINDS[target_kind].file
                        hint = reference_hint(dataset, target_kind, target)
                        message = f"no {target_kind} '{target}' in {where}{hint}"
                        problems.append(_problem(record, field.name, message))
    for theme in of("theme"):
        set_in = theme.get("set_in")
        if isinstance(set_in, str) and set_in not in indexes["report"]:
            problems.append(
                _problem(theme, "set_in", f"'{set_in}' is not among the reports", WARNING)
            )
    return problems


def _date(record: Record, name: str, data: dict[str, Any] | None = None) -> PartialDate | None:
    return _as_date((record.data if data is None else data).get(name))


def _as_date(value: Any) -> PartialDate | None:
    """try_parse(value), at once for the common cases: no value, and a TOML date (the
    rules read each record's dates several times over, at scale half a million times)."""
    if value is None:
        return None
    if type(value) is dt.date:
        return _day(value)
    return try_parse(value)


@lru_cache(maxsize=1 << 16)
def _day(value: dt.date) -> PartialDate:
    return PartialDate(value.year, value.month, value.day)


def check_order(record: Record, start_name: str = "start", end_name: str = "end") -> list[Problem]:
    start, end = _date(record, start_name), _date(record, end_name)
    if start and end and end.latest() < start.earliest():
        return [_problem(record, end_name, f"{end} is before {start_name} {start}")]
    return []


def check_end_after_start(record: Record, indexes: Indexes, today: dt.date) -> list[Problem]:
    return check_order(record)


def check_appointed_before_start(holder: Record, indexes: Indexes, today: dt.date) -> list[Problem]:
    problems = check_order(holder, "appointed", "start")
    if "start" not in holder.data:
        problems += check_order(holder, "appointed", "end")
    return problems


def check_end_after_date(record: Record, indexes: Indexes, today: dt.date) -> list[Problem]:
    return check_order(record, "date", "end")


def check_withdrawn_after_since(record: Record, indexes: Indexes, today: dt.date) -> list[Problem]:
    return check_order(record, "since", "withdrawn")


def check_mandate_clock(mandate: Record, indexes: Indexes, today: dt.date) -> list[Problem]:
    """Warnings from the mandate's own clock (tracker/clock.py), each at the record it is
    about: the latest renewal (term_granted) whose term has run out with no renewal recorded
    after it, or that has no term_years; a holder whose term ended with no successor."""
    from tracker import clock

    def by_mandate() -> dict[Any, tuple[list[Record], list[Record]]]:
        groups: dict[Any, tuple[list[Record], list[Record]]] = {}
        for index, kind in enumerate(("resolution", "holder")):
            for record in indexes[kind].values():
                named = record.get("mandate")
                if isinstance(named, str):
                    groups.setdefault(named, ([], []))[index].append(record)
        return groups

    resolutions, holders = derived("mandate_clock", indexes, today, by_mandate).get(
        mandate.key, ([], [])
    )
    problems = []
    current = clock.term_granted([r.data for r in resolutions], today)
    record = next((r for r in resolutions if current and r.key == current["resolution"]), None)
    if current and record and current["ends"] is None:
        text = "the last renewal has no term_years: when the mandate's term ends is not recorded"
        problems.append(_problem(record, "term_years", text, WARNING))
    elif current and record and current["ended"]:
        problems.append(_problem(record, "term_years", clock.term_warning(current), WARNING))
    by_data = {id(h.data): h for h in holders}
    for ended in clock.ended_without_successor([h.data for h in holders], today):
        text = clock.successor_warning(ended).replace(f"holder '{ended.get('id')}' ended", "ended")
        problems.append(_problem(by_data[id(ended)], "end", text, WARNING))
    return problems


def check_visit_in_term(visit: Record, indexes: Indexes, today: dt.date) -> list[Problem]:
    start, end = _date(visit, "start"), _date(visit, "end")
    named = visit.get("holder")
    holder = indexes["holder"].get(named) if isinstance(named, str) else None
    if holder and (start or end):
        return check_within_term(visit, holder, start, end)
    return []


def check_visit_status(visit: Record, indexes: Indexes, today: dt.date) -> list[Problem]:
    start, end = _date(visit, "start"), _date(visit, "end")
    problems = []
    status = visit.get("status")
    if status == "completed" and not start:
        problems.append(_problem(visit, "start", "a completed visit needs its dates"))
    if status == "completed" and start and start.earliest() > today:
        problems.append(_problem(visit, "status", f"completed, but starts in the future ({start})"))
    if status in DATED_VISIT_STATUSES and (end or start):
        last = end or start
        assert last is not None
        if last.latest() < today:
            problems.append(
                _problem(
                    visit,
                    "status",
                    f"stale: still '{status}' but its dates ({last}) have passed; "
                    "record what happened",
                    WARNING,
                )
            )
    return problems


def check_within_term(
    visit: Record, holder: Record, start: PartialDate | None, end: PartialDate | None
) -> list[Problem]:
    # A term whose first day is not known begins no earlier than the appointment.
    term_start = _date(holder, "start") or _date(holder, "appointed")
    term_end = _date(holder, "end")
    first, last = start or end, end or start
    assert first and last
    # Only what is certainly outside the term: partial dates count as their widest span.
    if term_start and first.latest() < term_start.earliest():
        return [
            _problem(visit, "start", f"{first} is before {holder.key}'s term began ({term_start})")
        ]
    if term_end and last.earliest() > term_end.latest():
        field = "end" if end else "start"
        return [_problem(visit, field, f"{last} is after {holder.key}'s term ended ({term_end})")]
    return []


def check_history(visit: Record, indexes: Indexes, today: dt.date) -> list[Problem]:
    history = visit.get("history")
    if not isinstance(history, list) or not history:
        return []
    entries = [h for h in history if isinstance(h, dict)]
    problems = []
    previous: PartialDate | None = None
    for index, entry in enumerate(entries):
        when = _as_date(entry.get("date"))
        if when and previous and when.latest() < previous.earliest():
            problems.append(
                _problem(
                    visit,
                    f"history[{index}].date",
                    f"{when} is earlier than the entry before it ({previous}); "
                    "keep the history in date order",
                )
            )
        previous = when or previous
    last = entries[-1].get("status") if entries else None
    status = visit.get("status")
    if last and status and last != status:
        problems.append(
            _problem(
                visit,
                "status",
                f"is '{status}' but the last history entry says '{last}'",
            )
        )
    return problems


def check_plausible_year(report: Record, indexes: Indexes, today: dt.date) -> list[Problem]:
    problems = []
    when = _date(report, "date")
    year = report.get("year")
    if isinstance(year, int) and not isinstance(year, bool) and not 1945 <= year <= 2200:
        problems.append(_problem(report, "year", f"{year} is not a plausible year"))
    if when and report.get("kind") and not 1945 <= when.year <= 2200:
        problems.append(_problem(report, "date", f"{when} is not a plausible date"))
    return problems


def check_author_not_holder(report: Record, indexes: Indexes, today: dt.date) -> list[Problem]:
    if report.get("author") is not None and report.get("author") == report.get("holder"):
        return [
            _problem(
                report,
                "author",
                "is the holder: leave `author` out where the presenter wrote the report",
                WARNING,
            )
        ]
    return []


def check_sets_and_addresses(dataset: DataSet) -> list[Problem]:
    """A report that announced a theme (the theme's set_in) does not also address it: the one
    rule of docs/data-format.md, so that announcing a priority never counts as work on it."""
    set_in: dict[str, list[str]] = {}
    for theme in dataset.of("theme"):
        if isinstance(theme.get("set_in"), str):
            set_in.setdefault(theme.get("set_in"), []).append(theme.key)
    problems = []
    for report in dataset.of("report"):
        themes = report.get("themes")
        announced = set_in.get(report.key, [])
        if not isinstance(themes, list) or not announced:
            continue
        both = [t for t in themes if t in announced]
        if both:
            problems.append(
                _problem(
                    report,
                    "themes",
                    f"lists {', '.join(both)}, which it set (their set_in): a report that sets "
                    "a theme does not address it",
                )
            )
    return problems


# How far past today a visit or its history may be dated: requests name the coming years,
# never a century ahead. (A date of year 1 or 9999 drew thousands of empty years.)
YEARS_AHEAD = 10


def mandate_life(mandates: Collection[Record], today: dt.date) -> tuple[dt.date, dt.date]:
    """The days a holder's term, a visit and its history may fall on: from the earliest mandate's
    establishment (or 1946, the UN's first human rights body, when none says) to
    YEARS_AHEAD years after today."""
    established = [_date(mandate, "established") for mandate in mandates]
    known = [date.earliest() for date in established if date]
    first = min(known) if known else dt.date(1946, 1, 1)
    return first, dt.date(min(today.year + YEARS_AHEAD, 9999), 12, 31)


def check_in_life(
    record: Record, field: str, when: PartialDate | None, life: tuple[dt.date, dt.date]
) -> list[Problem]:
    if when is None:
        return []
    first, last = life
    if when.latest() < first:
        reason = f"{when} is before the mandate was established ({first.isoformat()})"
    elif when.earliest() > last:
        reason = f"{when} is more than {YEARS_AHEAD} years after today"
    else:
        return []
    return [_problem(record, field, f"{reason}: a typing mistake?")]


def check_dates_in_life(record: Record, indexes: Indexes, today: dt.date) -> list[Problem]:
    """Every date of the record (and of its sub-records) within the mandate's life."""
    mandates = indexes["mandate"]
    life = derived("life", indexes, today, lambda: mandate_life(list(mandates.values()), today))
    problems = []
    for field in KINDS[record.kind].fields:
        if field.type == "date":
            problems += check_in_life(record, field.name, _date(record, field.name), life)
        elif field.type == "records" and isinstance(record.get(field.name), list):
            dated = [f.name for f in field.fields if f.type == "date"]
            for index, entry in enumerate(record.get(field.name)):
                for name in dated if isinstance(entry, dict) else ():
                    when = _as_date(entry.get(name))
                    problems += check_in_life(record, f"{field.name}[{index}].{name}", when, life)
    return problems


def check_country_codes(record: Record, indexes: Indexes, today: dt.date) -> list[Problem]:
    """A `countries` list holds ISO 3166-1 alpha-3 codes (a recommendation's States)."""
    value = record.get("countries")
    if not isinstance(value, list):
        return []
    return [
        _problem(record, "countries", message)
        for item in value
        if isinstance(item, str)
        for message in check_iso3(item)
    ]


# The rules that report problems of other records than the one they run on (a mandate's
# clock warns at its resolutions and holders).
REPORTS_ON_OTHERS = frozenset({"mandate_clock"})

# The cross-field rules a kind names in its declaration (tracker/kinds.py, Kind.rules).
Rule = Callable[[Record, Indexes, dt.date], list[Problem]]
RULES: dict[str, Rule] = {
    "end_after_start": check_end_after_start,
    "dates_in_life": check_dates_in_life,
    "appointed_before_start": check_appointed_before_start,
    "author_not_holder": check_author_not_holder,
    "end_after_date": check_end_after_date,
    "withdrawn_after_since": check_withdrawn_after_since,
    "mandate_clock": check_mandate_clock,
    "visit_in_term": check_visit_in_term,
    "visit_status": check_visit_status,
    "history_in_order": check_history,
    "plausible_year": check_plausible_year,
    "country_codes": check_country_codes,
}


def errors_in(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]

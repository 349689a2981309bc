"""Changes to records: add, update, link, unlink, remove. No printing, no files.

Each function edits a DataSet in memory; tracker.writer.transaction() reads the
data set under its lock, hands it to one of these, validates the result and writes
it. Values arrive already converted from the command line (see from_options).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tracker import layout
from tracker.model import (
    KINDS,
    OPEN_VISIT_STATUSES,
    VOTE_CHOICES,
    DataSet,
    Field,
    Record,
    default_visit_id,
    record_key,
)
from tracker.problems import TrackerError


class EditError(TrackerError):
    """A change that cannot be made as asked (unknown key, duplicate, still referred to)."""


class OptionError(TrackerError):
    """A value given on the command line that is not valid for its option (a usage error)."""

    exit_code = 2


# Fields that are lists on the command line take one value per repeated option.
# A list field's option is named for one item (--theme); --affected keeps a recommendation's
# affected_persons option narrow enough for --help at 60 columns.
LIST_OPTION = {"themes": "theme", "places": "place", "affected_persons": "affected"}


def option_name(name: str) -> str:
    """The command-line option for a field: --established-by, --theme (repeatable)."""
    return "--" + LIST_OPTION.get(name, name).replace("_", "-")


# --- values from the command line -----------------------------------------------------


def convert(kind: str, name: str, raw: Any) -> Any:
    """A value typed on the command line as the data files hold it."""
    from tracker import countries
    from tracker.dates import DateError, parse

    spec = KINDS[kind].field(name)
    assert spec is not None, f"{kind} has no field {name}"
    try:
        if spec.type == "date":
            return parse(str(raw).strip()).toml_value()
        if spec.type == "dates":
            return [parse(str(item).strip()).toml_value() for item in raw if str(item).strip()]
        if spec.type == "iso3":
            code = str(raw).strip()
            if code in countries.region_of():  # a UN member's code names itself: no lookup
                return code
            return countries.resolve_offline(str(raw))
        if spec.type in ("list", "slugs"):
            return unique([str(item).strip() for item in raw])
        if spec.type in ("text", "slug", "symbol"):
            return str(raw).strip()
    except (DateError, countries.CountryError) as error:
        raise OptionError(f"{option_name(name)}: {error}") from None
    return raw


def convert_vote(choices: dict[str, list[str]]) -> dict[str, Any]:
    """--vote-yes etc.: either one number (a tally) or countries (sorted alpha-3 codes)."""
    from tracker import countries

    vote: dict[str, Any] = {}
    for choice in VOTE_CHOICES:
        given = [v.strip() for v in choices.get(choice) or [] if v.strip()]
        if not given:
            continue
        if len(given) == 1 and given[0].isdigit():
            vote[choice] = int(given[0])
            continue
        if any(v.isdigit() for v in given):
            raise OptionError(f"--vote-{choice}: give one number (a tally) or countries, not both")
        try:
            vote[choice] = sorted({countries.resolve_offline(v) for v in given})
        except countries.CountryError as error:
            raise OptionError(f"--vote-{choice}: {error}") from None
    return vote


def from_options(kind: str, options: dict[str, Any]) -> dict[str, Any]:
    """The given options (None = not given) as record values, in field order."""
    values: dict[str, Any] = {}
    for spec in KINDS[kind].fields:
        raw = options.get(spec.name)
        if raw is None or (spec.type in ("list", "slugs", "dates") and raw == []):
            continue
        if spec.type in ("vote", "records"):
            continue
        values[spec.name] = convert(kind, spec.name, raw)
    return values


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


# --- finding records ------------------------------------------------------------------


def find(dataset: DataSet, kind: str, key: str) -> Record:
    """The record a typed key names: as stored, else any case, a holder's surname or a
    symbol's tail (see tracker.resolve)."""
    record = dataset.index(kind).get(key)
    if record is None:
        record = dataset.index(kind)[typed_key(dataset, kind, key)]
    return record


def typed_key(dataset: DataSet, kind: str, text: str) -> str:
    """The key of `kind` a person typed (see tracker.resolve), or an EditError."""
    from tracker import resolve

    if text in dataset.index(kind):
        return text  # a key as stored names its record (asked first: it needs no other)

    keys = [r.key for r in dataset.of(kind) if r.key]
    names = resolve.surnames(r.data for r in dataset.of(kind)) if kind == "holder" else None
    try:
        return resolve.resolve(kind, text, keys, names)
    except resolve.KeyNotFound as error:
        raise EditError(str(error)) from None


def resolve_references(dataset: DataSet, kind: str, values: dict[str, Any]) -> None:
    """References typed by a person (--holder Okafor, --theme Taxation) as the keys they
    name. One that names nothing is left as typed: validation reports it, with the closest
    keys (validate.reference_hint)."""

    def key_of(target: str, text: Any) -> Any:
        if not isinstance(text, str) or text in dataset.index(target):
            return text
        try:
            return typed_key(dataset, target, text)
        except EditError:
            return text

    for spec in KINDS[kind].fields:
        if spec.refers_to and spec.name in values:
            value = values[spec.name]
            if isinstance(value, list):
                values[spec.name] = [key_of(spec.refers_to, v) for v in value]
            else:
                values[spec.name] = key_of(spec.refers_to, value)


def default_mandate(dataset: DataSet) -> str | None:
    """The mandate a new holder, theme or resolution belongs to when the data has only one."""
    mandates = [r.key for r in dataset.of("mandate") if r.key]
    return mandates[0] if len(mandates) == 1 else None


def missing_required(kind: str, values: dict[str, Any]) -> list[str]:
    """Required fields a new record still lacks (a report needs a symbol or id, a date or year)."""
    spec = KINDS[kind]
    either = {
        first
        for first, second in (*spec.one_of, *spec.any_of)
        if first not in values and second not in values
    }
    return [
        f.name for f in spec.fields if (f.required and f.name not in values) or f.name in either
    ]


# --- add ------------------------------------------------------------------------------


@dataclass
class StatusChange:
    """When a visit's status changed (default: today), and why."""

    date: Any = None
    note: str | None = None

    def entry(self, visit: dict[str, Any]) -> dict[str, Any]:
        """The history entry for the visit's (new) status.

        Undated, a completion is dated by the visit's last day (else its first), since
        that is when it happened; any other change by today, when it is recorded.
        """
        from tracker.paths import today

        status = visit["status"]
        when = self.date
        if when is None and status == "completed":
            when = visit.get("end") or visit.get("start")
        entry: dict[str, Any] = {"date": when or today(), "status": status}
        if self.note:
            entry["note"] = self.note
        return entry


def add(
    dataset: DataSet, kind: str, values: dict[str, Any], status: StatusChange | None = None
) -> Record:
    """Append a new record. A visit gets an explicit id and, when tracked, its first history."""
    from tracker.writer import new_record

    data = copy.deepcopy(values)
    resolve_references(dataset, kind, data)
    if kind == "visit":
        data = new_visit(data, status or StatusChange())
    key = record_key(kind, data)
    existing = dataset.index(kind).get(key)
    if existing is not None:
        if not existing.line:
            # Read without positions (a write finds lines only for what it reports).
            from tracker import sources

            where = existing.source or KINDS[kind].file
            sources.find_lines(dataset.folder, where, {kind: dataset.of(kind)})
        hint = " (give another --id)" if KINDS[kind].key == "id" else ""
        raise EditError(
            f"{kind} '{key}' already exists at {existing.file}:{existing.line}{hint}; "
            f"use `tracker update {kind} {key}` to change it"
        )
    record = new_record(dataset.folder, kind, data)
    dataset.of(kind).append(record)
    layout.place(dataset, record)  # in the file it belongs in: its mandate's sub-folder's
    return record


def new_visit(data: dict[str, Any], status: StatusChange) -> dict[str, Any]:
    """A visit being tracked from now on (an open status, or a dated status change) starts
    its history with its status; the id is written out so it never changes with the dates."""
    if data.get("status") in OPEN_VISIT_STATUSES or status.date or status.note:
        data["history"] = [status.entry(data)]
    if "id" not in data:
        derived = default_visit_id(data)
        if derived is None:
            raise EditError("give --id, or --start to derive the visit's id from")
        data = {"id": derived, **data}
    return data


# --- update ---------------------------------------------------------------------------


@dataclass
class Updated:
    record: Record
    changed: list[str] = field(default_factory=list)
    old_key: str = ""
    references_renamed: int = 0


def update(
    dataset: DataSet,
    kind: str,
    key: str,
    values: dict[str, Any],
    clear: Iterable[str] = (),
    status: StatusChange | None = None,
) -> Updated:
    """Set and clear fields of one record. A visit whose status changes gains a history entry.

    Renaming a record (a new id or symbol) renames every reference to it too.
    """
    record = find(dataset, kind, key)
    key = record.key  # as stored, whatever case or form was typed
    values = dict(values)
    resolve_references(dataset, kind, values)
    data = record.data
    before = copy.deepcopy(data)
    if kind == "visit" and "id" not in data:
        data["id"] = key  # pin the derived id, or new dates would rename the visit
    new_status = status_changes(kind, data, values)
    if status and (status.date or status.note) and not new_status:
        raise OptionError("--status-date and --status-note go with --status and a new status")
    for name, value in values.items():
        # Fields of which a record holds one or the other: setting one drops the other.
        for pair in KINDS[kind].one_of:
            if name in pair:
                data.pop(pair[1 - pair.index(name)], None)
        if name == "vote" and isinstance(data.get("vote"), dict):
            value = {**data["vote"], **value}  # --vote-no 14 changes only the "no" votes
        data[name] = value
    for name in clear:
        spec = KINDS[kind].field(name)
        if spec is None or spec.required:
            raise EditError(f"cannot clear {kind} field '{name}': it is required")
        data.pop(name, None)
    if new_status:
        data.setdefault("history", []).append((status or StatusChange()).entry(data))
    changed = [n for n in KINDS[kind].field_names if before.get(n) != data.get(n)]
    result = Updated(record, changed, key)
    new_key = record_key(kind, data)
    if new_key != key:
        if new_key in dataset.index(kind) and dataset.index(kind)[new_key] is not record:
            raise EditError(f"cannot rename {kind} '{key}': '{new_key}' already exists")
        result.references_renamed = rename_references(dataset, kind, key, new_key)
    return result


def status_changes(kind: str, data: dict[str, Any], values: dict[str, Any]) -> bool:
    return kind == "visit" and "status" in values and values["status"] != data.get("status")


def rename_references(dataset: DataSet, kind: str, old: str, new: str) -> int:
    count = 0
    for reference in references(dataset, kind, old):
        data = reference.record.data
        value = data[reference.field.name]
        if isinstance(value, list):
            data[reference.field.name] = [new if v == old else v for v in value]
        else:
            data[reference.field.name] = new
        count += 1
    if kind == "report":  # a theme names the report that set it
        for theme in dataset.of("theme"):
            if theme.get("set_in") == old:
                theme.data["set_in"] = new
                count += 1
    return count


# --- link and unlink ------------------------------------------------------------------


def linkable(dataset: DataSet, key: str) -> Record:
    """The report (or visit) a link command names."""
    report = dataset.index("report").get(key)
    visit = dataset.index("visit").get(key)
    if not (report or visit):
        from tracker import resolve

        found = resolve.matches(key, [*dataset.index("report"), *dataset.index("visit")])
        if len(found) == 1:
            report = dataset.index("report").get(found[0])
            visit = dataset.index("visit").get(found[0])
        elif found:
            raise EditError(
                f"'{key.strip()}' may be any of {', '.join(found[:8])}: give more of it"
            )
    if report and visit:
        raise EditError(f"'{key}' names both a report and a visit; give the report's symbol")
    if report or visit:
        return report or visit  # type: ignore[return-value]
    raise EditError(f"no report or visit '{key}' (see `tracker reports` and `tracker visits`)")


def link(dataset: DataSet, key: str, themes: Iterable[str]) -> tuple[Record, list[str]]:
    """Add themes to a report's (or visit's) themes; returns the ones newly linked."""
    record = linkable(dataset, key)
    themes = [typed_key(dataset, "theme", theme) for theme in themes]
    current = list(record.get("themes", []))
    added = [t for t in unique(themes) if t not in current]
    if added:
        pin_visit_id(record)
        record.data["themes"] = current + added
    return record, added


def unlink(dataset: DataSet, key: str, themes: Iterable[str]) -> tuple[Record, list[str]]:
    """Remove themes from a report's (or visit's) themes; returns the ones removed."""
    record = linkable(dataset, key)
    current = list(record.get("themes", []))
    from tracker.resolve import fold

    typed = {fold(t) for t in themes}
    removed = [t for t in current if fold(t) in typed]
    if removed:
        pin_visit_id(record)
        kept = [t for t in current if t not in removed]
        if kept:
            record.data["themes"] = kept
        else:
            del record.data["themes"]
    return record, removed


def pin_visit_id(record: Record) -> None:
    if record.kind == "visit" and "id" not in record.data:
        record.data["id"] = record.key


# --- remove ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """record's field names the target."""

    record: Record
    field: Field

    def describe(self) -> str:
        return f"{self.record.kind} '{self.record.key}' ({self.field.name})"


@dataclass(frozen=True)
class Effect:
    """One thing a removal does: remove a record, clear a field, or unlink a list item."""

    action: str  # remove | clear | unlink
    kind: str
    key: str
    field: str = ""
    target: str = ""

    def describe(self) -> str:
        if self.action == "remove":
            return f"remove {self.kind} '{self.key}'"
        if self.action == "clear":
            return f"clear {self.field} of {self.kind} '{self.key}'"
        return f"unlink {self.target} from the {self.field} of {self.kind} '{self.key}'"


def references(dataset: DataSet, kind: str, key: str) -> list[Reference]:
    """Every field of another record that names the record kind/key."""
    own = getattr(dataset, "references_to", None)
    if own is not None:  # a data set that answers from the store (writer.RecordPath)
        return list(own(kind, key))
    found = []
    for other_kind, spec in KINDS.items():
        for referring in (f for f in spec.fields if f.refers_to == kind):
            for record in dataset.of(other_kind):
                value = record.get(referring.name)
                if value == key or (isinstance(value, list) and key in value):
                    found.append(Reference(record, referring))
    return found


def remove(dataset: DataSet, kind: str, key: str, cascade: bool = False) -> list[Effect]:
    """Remove a record. While others refer to it, refuse, naming them and what --cascade would
    do: remove the records that cannot stand without it (a holder's visits and reports),
    clear optional references (a theme's set_by) and unlink it from lists (themes)."""
    key = find(dataset, kind, key).key
    if not cascade:
        referring = references(dataset, kind, key)
        if referring:
            would = remove(copy.deepcopy(dataset), kind, key, cascade=True)
            raise EditError(
                f"{kind} '{key}' is referred to by "
                + ", ".join(r.describe() for r in referring)
                + ".\nWith --cascade, tracker would: "
                + "; ".join(effect.describe() for effect in would)
                + "."
            )
    doomed = doomed_by(dataset, kind, key)
    effects = [Effect("remove", k, name) for k, name in doomed]
    for target_kind, target_key in doomed:
        for reference in references(dataset, target_kind, target_key):
            if (reference.record.kind, reference.record.key) not in doomed:
                effects.append(detach(reference, target_key))
    for target_kind, target_key in doomed:
        dataset.of(target_kind).remove(dataset.index(target_kind)[target_key])
    return effects


def doomed_by(dataset: DataSet, kind: str, key: str) -> list[tuple[str, str]]:
    """The record and, transitively, every record whose required field names a doomed one."""
    doomed = [(kind, key)]
    for target_kind, target_key in doomed:  # grows while it is walked
        for reference in references(dataset, target_kind, target_key):
            referrer = (reference.record.kind, reference.record.key)
            if reference.field.required and referrer not in doomed:
                doomed.append(referrer)
    return doomed


def detach(reference: Reference, target: str) -> Effect:
    """Undo one reference to a record being removed; returns what was done."""
    record, spec = reference.record, reference.field
    value = record.data[spec.name]
    if isinstance(value, list):
        kept = [v for v in value if v != target]
        pin_visit_id(record)
        if kept:
            record.data[spec.name] = kept
        else:
            del record.data[spec.name]
        return Effect("unlink", record.kind, record.key, spec.name, target)
    pin_visit_id(record)
    del record.data[spec.name]
    return Effect("clear", record.kind, record.key, spec.name)

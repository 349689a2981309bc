"""The rules of validate() for one record, answered by the store rather than by the
whole data set: what a write at the cost of the record (tracker/writer.py) and a refresh
of a file changed by hand (tracker/file_refresh.py) check a record with.

A data set that answers from the store (StoreBacked) reads the other records as the
store's rows; anything that needs every record of a kind (a key typed in another form, a
rule over a large kind) raises Fallback, and the caller takes the whole-data path, which
also words every refusal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tracker import layout
from tracker.model import KINDS, DataSet, Record
from tracker.problems import Problem, relative

# Kinds whose records feed the rules of many others (a holder's term, the mandate's
# clock, its establishment date, its renewals) or the search rows of others (a holder's
# name): always written by the whole-data path.
WHOLE_DATA_KINDS = ("mandate", "holder", "resolution")
# A kind the rules read whole (a mandate's establishment for every date) is read from the
# store only when it has at most this many records.
MOST_READ_WHOLE = 5000


class Fallback(Exception):
    """The store cannot prove (or do) this change: the whole-data path does it."""


class _RowIndex:
    """The indexes the rules read other records through: the store's rows, as records
    (dates as text, which the rules read as well as TOML dates)."""

    def __init__(self, dataset: StoreBacked, kind: str):
        self.dataset, self.kind = dataset, kind
        self.shown = relative(dataset.folder / KINDS[kind].file)

    def get(self, key: Any, default: Any = None) -> Any:
        if not isinstance(key, str):
            return default
        row = self.dataset.store.row(self.kind, key)
        return default if row is None else self._record(row)

    def __getitem__(self, key: Any) -> Record:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: Any) -> bool:
        return isinstance(key, str) and self.dataset.store.exists(self.kind, key)

    def values(self) -> list[Record]:
        if self.dataset.store.count(self.kind) > MOST_READ_WHOLE:
            raise Fallback("too many records to read")
        return [self._record(row) for row in self.dataset.store.rows(self.kind)]

    def __iter__(self) -> Any:
        raise Fallback("every key of a kind")

    def _record(self, row: dict[str, Any]) -> Record:
        names = KINDS[self.kind].field_names
        data = {n: row[n] for n in names if row.get(n) is not None}
        return Record(self.kind, data, self.shown, 0)


class StoreBacked(DataSet):
    """A data set whose other records are the store's (store.RecordWriteStore)."""

    def __init__(self, folder: Path, store: Any):
        super().__init__(folder)
        self.store = store

    def home(self, kind: str, data: dict[str, Any]) -> str:
        """The key of the file a record belongs in (layout.Homes.home), from the store."""
        name = KINDS[kind].file
        if not any(layout.folder_of(key) for key in self.store.files):
            return name  # a flat folder
        if name not in layout.mandate_files():
            return name
        mandate = self._mandate_of(kind, data)
        in_folder = self.store.in_sub_folder(mandate) if mandate else None
        if in_folder is None:
            raise Fallback("where the record belongs is not known from the store")
        return f"{mandate}/{name}" if in_folder else name

    def _mandate_of(self, kind: str, data: dict[str, Any], depth: int = 0) -> str | None:
        if kind == "mandate":
            value = data.get("id")
        else:
            field = layout.owner_field(kind)
            value = data.get(field.name) if field and depth <= len(KINDS) else None
            if field and field.refers_to != "mandate" and isinstance(value, str) and value:
                row = self.store.row(str(field.refers_to), value)
                return self._mandate_of(str(field.refers_to), row, depth + 1) if row else None
        return value if isinstance(value, str) and value else None


def row_indexes(dataset: StoreBacked) -> dict[str, Any]:
    """The indexes the rules read the other records through, from the store's rows."""
    return {kind: _RowIndex(dataset, kind) for kind in KINDS}


def record_problems(
    record: Record, dataset: StoreBacked, when: Any, indexes: dict[str, Any] | None = None
) -> list[Problem]:
    """What validate() finds about this record: its fields, as ever; its relations to the
    other records (references, duplicates, dates within terms, the rules its kind names),
    from the store. A reference to nothing is an error (the whole-data path words it).

    indexes: row_indexes(dataset), for a caller checking several records against the
    same store; what the rules work out from them is then kept until it clears
    validate._DERIVED."""
    from tracker.validate import _DERIVED, RULES, _problem, check_fields

    spec = KINDS[record.kind]
    if not record.key:
        raise Fallback("a record without a key")
    problems = check_fields(record, spec.fields)
    shared = indexes is not None
    indexes = indexes if indexes is not None else row_indexes(dataset)
    for declared in spec.fields:
        if not declared.refers_to or declared.name not in record.data:
            continue
        value = record.data[declared.name]
        for target in value if isinstance(value, list) else [value]:
            if isinstance(target, str) and target not in indexes[declared.refers_to]:
                raise Fallback("a reference to nothing")
    store = dataset.store
    if record.kind == "theme":
        set_in = record.get("set_in")
        if isinstance(set_in, str) and set_in not in indexes["report"]:
            message = f"'{set_in}' is not among the reports"
            problems.append(_problem(record, "set_in", message, "warning"))
        if isinstance(set_in, str) and store.report_lists(set_in, record.key):
            raise Fallback("a report that sets a theme addresses it")
    themes = record.get("themes") if record.kind == "report" else None
    if isinstance(themes, list) and store.themes_set_in(record.key) & set(themes):
        raise Fallback("a report that sets a theme addresses it")
    try:
        for rule in spec.rules:
            problems += RULES[rule](record, indexes, when)
    finally:
        if not shared:
            _DERIVED.clear()  # as validate() does: what the rules worked out holds records
    return problems

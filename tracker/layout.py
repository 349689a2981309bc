"""Where the data files are, and which of them each record belongs in.

A data folder holds its files flat (`data/visits.toml`, ...), or one sub-folder per
mandate (`data/<mandate-id>/visits.toml`, ...), or both: some mandates flat, others in
sub-folders. Every file is named by its path relative to the data folder, its *key*
(`visits.toml`, `mandate-0001/visits.toml`): the store's fingerprints and parse cache,
the loader, the writer and every message use it.

- data_files() finds the files: every command that reads, writes or fingerprints the
  data folder asks it, and nothing else lists a folder.
- A file may be in a mandate's sub-folder when every kind it holds belongs to a mandate
  through its references (a holder's `mandate`, a visit's `holder`, a recommendation's
  `report`...): mandate_files(). The others (invitations.toml: standing invitations are
  addressed to all special procedures) are only at the top.
- A mandate is *in a sub-folder* when its [[mandate]] record is read from a sub-folder's
  mandate.toml; then every record of it belongs in that sub-folder, in the file of its
  kind (home()). Records of a mandate recorded at the top belong at the top. A record
  whose mandate cannot be told (its holder is not recorded: an error anyway) stays
  where it is, and a new one goes to the top.
- misplaced() checks that every record is where home() says (validate.validate runs
  it); the writer writes each record to the file it was read from, and relocate() gives
  new records, and those a change moves to another mandate, the file they belong in: a
  new mandate gets its own sub-folder once the folder has any.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable  # (no cost: already imported)
from typing import TYPE_CHECKING, Any

from tracker.kinds import FILES, KINDS, Field

if TYPE_CHECKING:
    from pathlib import Path

    from tracker.model import DataSet, Record
    from tracker.problems import Problem


def base(key: str) -> str:
    """The file name of a key: `mandate-0001/visits.toml` -> `visits.toml`."""
    return key.rpartition("/")[2]


def folder_of(key: str) -> str:
    """The mandate sub-folder of a key ("" at the top)."""
    return key.rpartition("/")[0]


def kinds_of(key: str) -> tuple[str, ...]:
    """The kinds a data file holds, by its key."""
    return FILES.get(base(key), ())


def owner_field(kind: str, seen: frozenset[str] = frozenset()) -> Field | None:
    """The field through which a kind's record belongs to a mandate: one naming the
    mandate, else the first naming a record of a kind that belongs to one (a visit's
    `holder`, a recommendation's `report`). None: the kind belongs to no mandate."""
    spec = KINDS[kind]
    for field in spec.fields:
        if field.refers_to == "mandate" and field.type in ("slug", "symbol"):
            return field
    for field in spec.fields:
        target = field.refers_to
        if field.type not in ("slug", "symbol") or target is None or target not in KINDS:
            continue
        if target in seen or target == kind:
            continue
        if target == "mandate" or owner_field(target, seen | {kind}) is not None:
            return field
    return None


def belongs_to_mandate(kind: str) -> bool:
    return kind == "mandate" or owner_field(kind) is not None


def mandate_files() -> tuple[str, ...]:
    """The data files a mandate's sub-folder may hold: those all of whose kinds belong
    to a mandate."""
    return tuple(name for name, kinds in FILES.items() if all(belongs_to_mandate(k) for k in kinds))


_MANDATE_FILES: tuple[tuple[Any, ...], tuple[str, ...]] = ((), ())  # (FILES, theirs)


def _folder_files(folder: str | os.PathLike[str]) -> list[tuple[str, set[str]]]:
    """Each sub-folder of the folder (not hidden) with the names of the data files in it,
    sorted by name; those with none are left out. One directory listing each and no
    stat: every command does this (store.file_fingerprints), so it is kept lean."""
    wanted = set(FILES)
    found = []
    try:
        with os.scandir(folder) as entries:
            subs = sorted(e.name for e in entries if e.name[0] != "." and e.is_dir())
    except OSError:
        return []
    top = os.fspath(folder)
    for sub in subs:
        try:
            with os.scandir(os.path.join(top, sub)) as entries:
                names = {e.name for e in entries} & wanted
        except OSError:
            continue
        if names:
            found.append((sub, names))
    return found


def sub_folders(folder: str | os.PathLike[str]) -> list[str]:
    """The names of the folder's mandate sub-folders: the folders in it (not hidden)
    that hold at least one of mandate_files(), sorted."""
    names = set(mandate_files())
    return [sub for sub, present in _folder_files(folder) if present & names]


def data_files(folder: str | os.PathLike[str]) -> list[str]:
    """The keys of the data folder's files: every declared file at the top (present or
    not: a missing file holds no records), then each mandate sub-folder's files that are
    present, sub-folder by sub-folder. The one function that finds data files."""
    keys = list(FILES)
    names = mandate_files()
    for sub, present in _folder_files(folder):
        keys += [f"{sub}/{name}" for name in names if name in present]
    return keys


def stray_files(folder: str | os.PathLike[str]) -> list[str]:
    """Files of records that belong to no mandate, found in a mandate's sub-folder
    (`mandate-0001/invitations.toml`): never read, so reported."""
    names = mandate_files()
    top_only = [name for name in FILES if name not in names]
    return [
        f"{sub}/{name}"
        for sub, present in _folder_files(folder)
        if any(n in present for n in names)
        for name in top_only
        if name in present
    ]


def order_key(key: str) -> tuple[bool, str, int]:
    """Keys in data_files' order: the top first, then sub-folder by sub-folder."""
    names = list(FILES)
    name = base(key)
    return (bool(folder_of(key)), folder_of(key), names.index(name) if name in names else 0)


def files_of_kind(folder: str | os.PathLike[str], kind: str) -> list[str]:
    """The keys of the files that hold records of a kind."""
    return [key for key in data_files(folder) if kind in kinds_of(key)]


def kinds_only_in(keys: Collection[str], every_key: Iterable[str]) -> set[str]:
    """The kinds all of whose files are among keys (e.g. all read from the store's cache)."""
    kinds = {kind for key in keys for kind in kinds_of(key)}
    return kinds - {kind for key in every_key if key not in keys for kind in kinds_of(key)}


def keys_of_problems(folder: Path, problems: Iterable[Problem], keys: Iterable[str]) -> set[str]:
    """The keys of the files problems name (problems name files as the user sees them)."""
    from tracker.problems import relative

    named = {str(p.file) for p in problems}
    return {key for key in keys if str(relative(folder / key)) in named}


# --- where each record belongs -----------------------------------------------------------


class Homes:
    """Where each record of a data set belongs (home), and the mandate it belongs to."""

    def __init__(self, dataset: DataSet, indexes: dict[str, dict[str, Record]] | None = None):
        self.dataset = dataset
        self._indexes: dict[str, dict[str, Record]] = dict(indexes or {})
        self.owners = {kind: owner_field(kind) for kind in KINDS}
        self._mandates: dict[tuple[str, str], str | None] = {}  # of the records referred to
        self.top_files = {name for name in FILES if name not in mandate_files()}
        mandates = dataset.of("mandate")
        self.uses_folders = any(folder_of(r.source) for r in mandates)
        # The mandates kept in a sub-folder: read from one, or new in a folder that has any.
        self.in_folders = {
            r.key for r in mandates if folder_of(r.source) or (not r.source and self.uses_folders)
        }

    def index(self, kind: str) -> dict[str, Record]:
        if kind not in self._indexes:
            self._indexes[kind] = self.dataset.index(kind)
        return self._indexes[kind]

    def mandate_of(self, kind: str, data: dict[str, Any], depth: int = 0) -> str | None:
        """The id of the mandate a record belongs to, if its fields tell."""
        if kind == "mandate":
            value = data.get("id")
            return value if isinstance(value, str) and value else None
        field = self.owners.get(kind)
        if field is None or depth > len(KINDS):
            return None
        value = data.get(field.name)
        if not isinstance(value, str) or not value:
            return None
        if field.refers_to == "mandate":
            return value
        kind = str(field.refers_to)
        if (kind, value) not in self._mandates:
            target = self.index(kind).get(value)
            found = self.mandate_of(kind, target.data, depth + 1) if target else None
            self._mandates[(kind, value)] = found
        return self._mandates[(kind, value)]

    def home(self, record: Record) -> str:
        """The key of the file the record belongs in."""
        name = KINDS[record.kind].file
        if name in self.top_files:
            return name
        mandate = self.mandate_of(record.kind, record.data)
        if mandate is None:
            return record.source or name
        if mandate in self.in_folders:
            return f"{mandate}/{name}"
        return name


def flat(dataset: DataSet) -> bool:
    """Whether no file was read from a sub-folder: every record is then at home."""
    return not any(folder_of(key) for key in dataset.documents)


def at_home(dataset: DataSet) -> set[int]:
    """The records (by id()) that are where they belong, before a change."""
    if flat(dataset):
        return {id(r) for records in dataset.records.values() for r in records}
    homes = Homes(dataset)
    return {
        id(r) for records in dataset.records.values() for r in records if homes.home(r) == r.source
    }


def relocate(dataset: DataSet, were_home: set[int]) -> None:
    """After a change: give each new record, and each that was where it belonged and is
    no longer (its holder changed mandate), the file it belongs in now. A record that
    was misplaced before stays where it is (and the check says so)."""
    from tracker.problems import relative

    homes = None if flat(dataset) else Homes(dataset)
    for records in dataset.records.values():
        for record in records:
            if record.source and id(record) not in were_home:
                continue
            where = homes.home(record) if homes else KINDS[record.kind].file
            if where != record.source:
                record.source = where
                record.file = relative(dataset.folder / where)


def place(dataset: DataSet, record: Record) -> None:
    """Give a record a command is adding the file it belongs in (its source and file).
    A data set that reads records on demand (writer.RecordPath) tells it from the store."""
    from tracker.problems import relative

    finder = getattr(dataset, "home", None)
    if finder is not None:
        where = finder(record.kind, record.data)
    elif flat(dataset):
        where = KINDS[record.kind].file
    else:
        where = Homes(dataset).home(record)
    record.source = where
    record.file = relative(dataset.folder / where)


def partition(dataset: DataSet) -> dict[str, dict[str, list[Record]]]:
    """The records of each file, by key and kind, in the data set's order (a record
    without a file, in its kind's file at the top). Every file found in the folder is
    there, empty or not."""
    files: dict[str, dict[str, list[Record]]] = {
        key: {kind: [] for kind in kinds_of(key)} for key in data_files(dataset.folder)
    }
    for kind, records in dataset.records.items():
        name = KINDS[kind].file
        for record in records:
            key = record.source or name
            if key not in files:
                files[key] = {k: [] for k in kinds_of(key)}
            files[key][kind].append(record)
    return files


def misplaced(
    dataset: DataSet, indexes: dict[str, dict[str, Record]] | None = None
) -> list[Problem]:
    """Records read from a file other than the one they belong in, named by file, line
    and the field that says where they belong. indexes: each kind's records by key."""
    from tracker.problems import ERROR, Problem

    if not any(folder_of(r.source) for r in dataset.records.get("mandate", [])) and not any(
        folder_of(key) for key in dataset.documents
    ):
        return []  # all flat: every record is where it belongs
    homes = Homes(dataset, indexes)
    problems = []
    for kind, records in dataset.records.items():
        if kind not in KINDS:
            continue
        for record in records:
            if not record.source:
                continue
            where = homes.home(record)
            if where == record.source:
                continue
            mandate = homes.mandate_of(kind, record.data)
            field = homes.owners.get(kind)
            name = "id" if kind == "mandate" or field is None else field.name
            label = f"{kind} '{record.key}'" if record.key else f"{kind} (no key)"
            problems.append(
                Problem(
                    record.file,
                    record.line_of(name),
                    placement_message(kind, mandate, record.source, where),
                    ERROR,
                    record=label,
                    field=name,
                )
            )
    return problems


def placement_message(kind: str, mandate: str | None, source: str, where: str) -> str:
    sub = folder_of(source)
    if kind == "mandate":
        return (
            f"mandate '{mandate}' is in the sub-folder '{sub}/', which is named for mandate "
            f"'{sub}': a mandate's sub-folder has its id as its name; move the record to "
            f"{where} (or rename the folder)"
        )
    if folder_of(where):
        return (
            f"it belongs to mandate '{mandate}', whose records are in its sub-folder "
            f"'{folder_of(where)}/': move it to {where}"
        )
    return (
        f"it belongs to mandate '{mandate}', which is recorded in the top-level mandate.toml "
        f"(not in a sub-folder), so it goes in the top-level {where}, not {source}"
    )

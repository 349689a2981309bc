"""The one writer of the data files: canonical layout, validation, lock, atomic replace.

Every change to the data goes through transaction(): under an exclusive lock it
reads the data folder, applies the change to the records in memory, validates the
whole data set, and only then rewrites the files whose records changed. Each file
is written to a temporary file in the same folder, flushed to disk and renamed
into place, so a reader (or a crash) only ever sees the old file or the new one.

The canonical layout (docs/editing.md) is what every write produces and what
`tracker fmt` restores:

- the file's leading comment block, then one blank line;
- the kinds in the order of model.FILES; within a kind, records in the order the
  commands list them (kinds.sort_key, from each kind's declared order), separated by one blank line;
- keys in the order of the model's fields; sub-tables ([resolution.vote],
  [[visit.history]]) last, each after a blank line;
- full-day dates as TOML dates, partial dates as "YYYY" or "YYYY-MM" strings;
- a list on one line when the line fits in 100 characters, else one item a line.

Values are serialised by tomli-w; this module only decides their order and layout.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import hashlib
import itertools
import os
import re
import sys
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from tracker import layout
from tracker.dates import try_parse
from tracker.kinds import sort_key
from tracker.model import FILES, KINDS, VOTE_CHOICES, DataSet, Record
from tracker.paths import PACKAGE_FOLDER, Settings, today
from tracker.problems import DataError, Problem, TrackerError, relative, sort_problems
from tracker.store_rules import (
    WHOLE_DATA_KINDS,
    Fallback,
    StoreBacked,
    record_problems,
)

PACKAGE_DIR = Path(PACKAGE_FOLDER)
LOCK_NAME = ".tracker.lock"  # git-ignored by the *.lock pattern
# Test hook: "SECONDS" or "SECONDS:FILENAME". Sleep after a temporary file is on disk and
# before it is renamed into place (over FILENAME only, if given), so that a test can kill
# the process at exactly that moment.
PAUSE_ENV = "TRACKER_TEST_PAUSE_BEFORE_REPLACE"
# How many times a write reads the files again when one was changed by someone else (an
# editor) while it was being written, before it gives up and says so.
ATTEMPTS = 3
MAX_LINE = 100
INDENT = "    "
# The version of the canonical layout. Bump it whenever file_text or record_text would
# write different text for the same records: a layout rule above, a kind's fields or their
# order (tracker/kinds.py), how a value is written (here, or a tomli-w that writes it
# otherwise). The store records, with each file's digest, the version under which tracker
# knows those bytes to be canonical (table file_state); a flag of another version is not
# trusted, so `fmt --check` parses the file again and a write takes the whole-data path.
LAYOUT_VERSION = 1

T = TypeVar("T")


# --- record order ---------------------------------------------------------------------


def in_canonical_order(kind: str, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records of one kind in the order the canonical layout writes them (stable)."""
    order = sort_key(kind)
    return sorted(records, key=order) if order else list(records)


# --- layout ---------------------------------------------------------------------------


def value_text(value: Any) -> str:
    """One TOML value as tomli-w writes it; lists laid out by list_text."""
    import tomli_w

    return tomli_w.dumps({"v": value})[len("v = ") : -1]


# Strings tomli-w writes as they are, between double quotes: no quote, backslash or
# control character other than tab (tomli_w._writer.ILLEGAL_BASIC_STR_CHARS).
_PLAIN_STRING = re.compile(r'[^"\\\x00-\x08\x0a-\x1f\x7f]*')


def plain_value_text(value: Any) -> str | None:
    """value_text() of a plain string, whole number, true/false or date, without tomli-w's
    per-value overhead (a large file has hundreds of thousands); None for other values."""
    kind = type(value)
    if kind is str:
        return f'"{value}"' if _PLAIN_STRING.fullmatch(value) else None
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is dt.date:
        return str(value)
    return None


def value_texts(values: list[Any]) -> list[str]:
    """Several values (none a list or table) as value_text writes them.

    Plain values are written directly; the others by one call to tomli-w for all,
    each as one `vN = ...` line (tomli-w escapes line breaks inside strings).
    """
    import tomli_w

    texts = [plain_value_text(value) for value in values]
    others = {f"v{i}": value for i, value in enumerate(values) if texts[i] is None}
    if others:
        lines = tomli_w.dumps(others).split("\n")
        written = [line.partition(" = ")[2] for line in lines[: len(others)]]
        if len(lines) != len(others) + 1 or not all(written):  # never expected; stay correct
            written = [value_text(value) for value in others.values()]
        for key, text in zip(others, written, strict=True):
            texts[int(key[1:])] = text
    return texts  # type: ignore[return-value]


def list_text(key: str, parts: list[str]) -> str:
    """`key = [...]` on one line when it fits, else one item a line.

    parts: the items already as TOML text (see value_texts).
    """
    one_line = f"{key} = [{', '.join(parts)}]"
    if len(one_line) <= MAX_LINE or not parts:
        return one_line
    return f"{key} = [\n" + "".join(f"{INDENT}{part},\n" for part in parts) + "]"


def _as_written(value: Any, is_date: bool) -> Any:
    if is_date and isinstance(value, list):
        return [_as_written(item, True) for item in value]
    if is_date:
        parsed = try_parse(value)
        return parsed.toml_value() if parsed else value
    return value


def _is_plain_list(value: Any) -> bool:
    return isinstance(value, list) and all(not isinstance(v, dict) for v in value)


def _table_lines(data: dict[str, Any], order: tuple[str, ...], dates: set[str]) -> list[str]:
    """key = value lines in the given order, then any keys the order does not name.

    Each value as tomli-w writes it (a plain list on one line when it fits, else one item
    a line), with the values of the whole table serialised by one call to tomli-w.
    """
    names = [n for n in order if n in data] + [n for n in data if n not in order]
    values = [_as_written(data[name], name in dates) for name in names]
    flat: list[Any] = []  # every scalar value, and every item of every list, in order
    for value in values:
        if _is_plain_list(value):
            flat.extend(value)
        elif isinstance(value, dict | list):
            pass  # written by value_text below
        else:
            flat.append(value)
    texts = iter(value_texts(flat))
    lines = []
    for name, value in zip(names, values, strict=True):
        if _is_plain_list(value):
            lines.append(list_text(name, [next(texts) for _ in value]))
        elif isinstance(value, dict | list):
            lines.append(f"{name} = {value_text(value)}")
        else:
            lines.append(f"{name} = {next(texts)}")
    return lines


def record_text(kind: str, data: dict[str, Any]) -> str:
    """One record in canonical layout, ending with a newline."""
    spec = KINDS[kind]
    sub_tables = {f.name: f for f in spec.fields if f.type in ("vote", "records")}
    dates = {f.name for f in spec.fields if f.type in ("date", "dates")}
    plain = {k: v for k, v in data.items() if k not in sub_tables}
    lines = [f"[[{kind}]]", *_table_lines(plain, spec.field_names, dates)]
    for name, sub in sub_tables.items():
        value = data.get(name)
        if sub.type == "vote" and isinstance(value, dict):
            lines += ["", f"[{kind}.{name}]", *_table_lines(value, VOTE_CHOICES, set())]
        elif sub.type == "records" and value == []:
            lines.append(f"{name} = []")  # an empty list cannot be written as [[kind.name]]
        elif sub.type == "records" and isinstance(value, list):
            order = tuple(f.name for f in sub.fields)
            sub_dates = {f.name for f in sub.fields if f.type == "date"}
            for entry in value:
                lines += ["", f"[[{kind}.{name}]]", *_table_lines(entry, order, sub_dates)]
    return "\n".join(lines) + "\n"


def file_text(filename: str, records: dict[str, list[dict[str, Any]]], header: str) -> str:
    """A whole data file (by name or key) in canonical layout: the header comment block,
    then the records."""
    chunks = [
        record_text(kind, data)
        for kind in layout.kinds_of(filename)
        for data in in_canonical_order(kind, records.get(kind, []))
    ]
    body = "\n".join(chunks)
    if header and body:
        return f"{header}\n\n{body}"
    return f"{header}\n" if header else body


# --- comments -------------------------------------------------------------------------


_COMMENT_OR_STRING = re.compile(r"[#\"']")
_BASIC_STRING_BODY = re.compile(r'(?:\\.|[^"\\\n])*', re.S)  # up to the closing quote
_MULTILINE_BASIC_STRING = re.compile(r'(?:\\.|[^\\])*?"""', re.S)


def comments(text: str) -> list[tuple[int, str]]:
    """Every comment in a TOML text, as (line, text); a '#' inside a string is no comment."""
    found: list[tuple[int, str]] = []
    line, counted, i, size = 1, 0, 0, len(text)
    while True:
        match = _COMMENT_OR_STRING.search(text, i)
        if match is None:
            return found
        i = match.start()
        line += text.count("\n", counted, i)
        if text[i] == "#":
            end = text.find("\n", i)
            end = size if end == -1 else end
            found.append((line, text[i:end].rstrip()))
        else:
            end = _string_end(text, i)
        counted, i = i, end  # lines inside a string are counted with the next token


def _string_end(text: str, start: int) -> int:
    """The index just past the string that opens at start (basic, literal, multi-line)."""
    quote = text[start]
    if text.startswith(quote * 3, start):
        if quote == "'":
            end = text.find("'''", start + 3)
            return len(text) if end == -1 else end + 3
        match = _MULTILINE_BASIC_STRING.match(text, start + 3)
        return match.end() if match else len(text)
    if quote == "'":
        end = min(_find(text, "'", start + 1), _find(text, "\n", start + 1))
    else:
        end = _BASIC_STRING_BODY.match(text, start + 1).end()  # type: ignore[union-attr]
    if end >= len(text):
        return len(text)
    if text[end] == quote:
        return end + 1
    if text[end] == "\n":
        return end  # an unclosed one-line string: TOML would not parse it anyway
    return len(text)  # a backslash at the very end


def _find(text: str, sub: str, start: int) -> int:
    found = text.find(sub, start)
    return len(text) if found == -1 else found


def header_block(text: str) -> tuple[str, int]:
    """The file's leading comment block (blank lines trimmed) and the last line it spans."""
    size = 4096  # split only the start of a large file into lines
    while True:
        lines = text[:size].splitlines()
        count = 0
        while count < len(lines) and (not lines[count].strip() or lines[count].lstrip()[0] == "#"):
            count += 1
        # Done once the block ends before the last line read, which may be cut short.
        if count < len(lines) - 1 or size >= len(text):
            break
        size *= 4
    kept = [line.rstrip() for line in lines[:count]]
    while kept and not kept[-1]:
        kept.pop()
    while kept and not kept[0]:
        kept.pop(0)
    return "\n".join(kept), count


def stray_comments(text: str) -> list[tuple[int, str]]:
    """Comments after the leading block: a rewrite of the file would lose them."""
    _, last = header_block(text)
    return [(line, comment) for line, comment in comments(text) if line > last]


class CommentsWouldBeLost(TrackerError):
    def __init__(self, path: Path, found: list[tuple[int, str]]):
        lines = [f"{relative(path)}:{line}: {comment}" for line, comment in found]
        super().__init__(
            "this write would drop comments that are not in the file's leading comment block:\n"
            + "\n".join(f"  {line}" for line in lines)
            + "\nMove their text into the record's `note` field (or into the comment block at "
            "the top of the file), then run the command again. Nothing was written."
        )


# --- changes to files -----------------------------------------------------------------


@dataclass
class FileChange:
    """A file's text before and after a change; both are emptied once it is written."""

    path: Path
    old: str
    new: str

    def diff(self) -> str:
        shown = str(relative(self.path)).lstrip("/")
        return "".join(
            difflib.unified_diff(
                self.old.splitlines(keepends=True),
                self.new.splitlines(keepends=True),
                f"a/{shown}",
                f"b/{shown}",
            )
        )


@dataclass
class Outcome:
    """What a write did (or, for a dry run, would do)."""

    changes: list[FileChange] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    written: bool = False
    # A digest of each file known to be in canonical layout now, by name (for the store).
    canonical: dict[str, bytes] = field(default_factory=dict)
    # Whether the write brought the store up to date itself (the record path).
    store_current: bool = False

    def diff(self) -> str:
        return "".join(change.diff() for change in self.changes)


def records_by_kind(
    dataset: DataSet, filename: str, files: dict[str, dict[str, list[Record]]] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The records a file (by key) holds once written: those that belong in it.
    files: layout.partition(dataset), if the caller has it."""
    files = layout.partition(dataset) if files is None else files
    by_kind = files.get(filename, {})
    return {kind: [r.data for r in by_kind.get(kind, [])] for kind in layout.kinds_of(filename)}


def read_text(path: Path) -> str:
    try:
        # Without the byte-order mark a Windows editor may add (sources.read_file skips it).
        return path.read_text(encoding="utf-8").removeprefix("\ufeff")
    except FileNotFoundError:
        return ""


def digests(dataset: DataSet) -> dict[str, bytes]:
    """A digest of each file's records: comparing them before and after a change tells
    which files it edited, without keeping a second copy of every record in memory."""
    found = {}
    for name, kinds in layout.partition(dataset).items():
        digest = hashlib.sha256()
        for kind, records in kinds.items():
            digest.update(f"[{kind}:{len(records)}]".encode())
            for record in records:
                digest.update(repr(record.data).encode())
        found[name] = digest.digest()
    return found


def planned_changes(
    folder: Path,
    dataset: DataSet,
    touched: Iterable[str],
    canonical: dict[str, bytes] | None = None,
) -> list[FileChange]:
    """The touched files whose canonical text differs from what they hold now.

    canonical: receives a digest of each touched file's canonical text, by name.
    """
    from tracker.sources import content_digest

    changes = []
    files = layout.partition(dataset)
    for filename in touched:
        path = folder / filename
        old = read_text(path)
        header = header_block(old)[0] or new_file_header(folder, filename, files)
        new = file_text(filename, records_by_kind(dataset, filename, files), header)
        if canonical is not None:
            canonical[filename] = content_digest(new.encode("utf-8"))
        if new != old:
            changes.append(FileChange(path, old, new))
    return changes


def new_file_header(folder: Path, filename: str, files: dict[str, dict[str, list[Record]]]) -> str:
    """The comment block of a file a write creates in a mandate's sub-folder, as `tracker
    init` writes it (a file created at the top starts without one, as it always has)."""
    if not layout.folder_of(filename) or (folder / filename).exists():
        return ""
    from tracker.scaffold import header

    mandates = files.get(filename, {}).get("mandate", [])
    title = next((str(r.get("title")) for r in mandates if r.get("title")), None)
    return header(layout.base(filename), title or f"mandate {layout.folder_of(filename)}")


def refuse_lost_comments(changes: list[FileChange]) -> None:
    for change in changes:
        found = stray_comments(change.old)
        if found:
            raise CommentsWouldBeLost(change.path, found)


# --- writing --------------------------------------------------------------------------


def writable_folder(settings: Settings) -> Path:
    folder = settings.data_dir
    if not folder.is_dir():
        raise TrackerError(f"no data folder at {folder} (give --data DIR or set TRACKER_DATA)")
    if folder.resolve() == (PACKAGE_DIR / "shipped_data").resolve():
        raise TrackerError(
            f"{folder} is the data shipped inside the tracker package and is not edited in "
            "place: copy it to a folder of your own and give --data DIR"
        )
    return folder


@contextlib.contextmanager
def locked(folder: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the data folder's write lock (released by the system even if the process dies)."""
    import fcntl

    path = folder / LOCK_NAME
    try:
        handle = open(path, "a")  # noqa: SIM115 (closed below, after the lock is released)
    except OSError as error:
        raise TrackerError(f"cannot write in the data folder {folder}: {error.strerror}") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_leftovers(folder: Path) -> None:
    """Temporary files of a writer that was killed; only called while holding the lock."""
    names = tuple(f".{name}." for name in FILES)
    for sub in ["", *layout.sub_folders(folder)]:  # one listing a folder
        for leftover in (folder / sub).glob(".*.tmp"):
            if leftover.name.startswith(names):
                with contextlib.suppress(OSError):
                    leftover.unlink()


def replace_atomically(
    path: Path,
    text: str | bytes,
    before_rename: Callable[[], None] | None = None,
    stat_into: dict[str, os.stat_result] | None = None,
) -> None:
    """Write text to a temporary file beside path, flush it to disk, rename it into place.

    before_rename: called right before the rename; it may refuse it by raising (the
    temporary file is then removed, and path left as it is).
    stat_into: receives the temporary file's status as written ("temporary").
    """
    target = path.resolve()
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(exist_ok=True)  # a new mandate's sub-folder
        if isinstance(text, bytes):
            handle: Any = open(temporary, "wb")  # noqa: SIM115 (closed by the with below)
        else:
            handle = open(temporary, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        with handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
            if stat_into is not None:
                stat_into["temporary"] = os.fstat(handle.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(temporary, target.stat().st_mode & 0o7777)
        pause_for_tests(target)
        if before_rename:
            before_rename()
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise TrackerError(f"cannot write {relative(path)}: {error.strerror}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    sync_folder(target.parent)


class ChangedMeanwhile(TrackerError):
    """A file the writer is about to replace no longer holds the bytes it read and
    validated: someone (an editor) saved it meanwhile."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__(f"{relative(path)} changed while tracker was writing it")


def content_now(path: Path) -> bytes | None:
    """A digest of what path holds now (None when it is missing), as sources.read_file
    takes it of what it reads."""
    from tracker.sources import content_digest

    try:
        return content_digest(path.read_bytes())
    except FileNotFoundError:
        return None
    except OSError:
        return b"unreadable"  # matches no digest: counts as changed


def refuse_if_changed(paths: Iterable[Path], read_digests: dict[str, bytes | None]) -> None:
    """Raise ChangedMeanwhile for the first of paths that no longer holds what was read.
    read_digests: by path (as text)."""
    for path in paths:
        if str(path) in read_digests and content_now(path) != read_digests[str(path)]:
            raise ChangedMeanwhile(path)


def sync_folder(folder: Path) -> None:
    """Make the rename itself durable."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def pause_for_tests(path: Path) -> None:
    seconds, _, only = os.environ.get(PAUSE_ENV, "").partition(":")
    if not seconds or only not in ("", path.name):
        return
    sys.stderr.write(f"tracker: paused before replacing {path.name}\n")
    sys.stderr.flush()
    time.sleep(float(seconds))


def _mixed(before: DataSet, after: DataSet, written: set[str], changed: set[str]) -> DataSet:
    """The data set a reader would see once only the files in written are replaced.

    before holds the records of the changed files only: the others are the same in both.
    Files by key.
    """
    mixed = DataSet(after.folder)
    for kind in mixed.records:
        mixed.records[kind] = []
    old, new = layout.partition(before), layout.partition(after)
    for filename in old.keys() | new.keys():
        source = old if filename in changed - written else new
        for kind, records in source.get(filename, {}).items():
            mixed.records[kind] += records
    return mixed


def safe_order(
    folder: Path, after: DataSet, changes: list[FileChange], trusted: Collection[str] = ()
) -> list[FileChange]:
    """An order of the renames in which every intermediate data set is still valid.

    Each file is replaced atomically, but a change may span files (removing a theme
    also unlinks it from visits). If the process dies between two renames, the files
    left behind should still agree: e.g. unlink from visits.toml before the theme goes.
    trusted: kinds whose fields are valid both before and after (see validate()).
    """
    from tracker import sources
    from tracker.validate import validate

    if len(changes) < 2:
        return changes
    changed = {change.path.relative_to(folder).as_posix() for change in changes}
    # The files are not replaced yet: read the changed ones as they were.
    before, _ = sources.load(folder, with_positions=False, files=changed)
    when = today()
    for order in itertools.permutations(changes):
        written: set[str] = set()
        ok = True
        for change in order[:-1]:
            written.add(change.path.relative_to(folder).as_posix())
            state = _mixed(before, after, written, changed)
            if any(p.is_error for p in validate(state, when, trusted)):
                ok = False
                break
        if ok:
            return list(order)
    return changes


class WriteRefused(DataError):
    """The data set would hold errors after the change: nothing is written."""

    def __init__(self, problems: list[Problem], already_there: bool):
        super().__init__(problems)
        self.already_there = already_there

    def report(self) -> str:
        errors = [p for p in self.problems if p.is_error]
        lines = [str(p) for p in errors]
        if self.already_there:
            lines.append(
                f"Nothing was written: the data already holds {len(errors)} error(s). "
                "Fix them first (`tracker check` lists them)."
            )
        else:
            lines.append(f"Nothing was written: the change would leave {len(errors)} error(s).")
        return "\n".join(lines)


def _problem_keys(problems: list[Problem]) -> set[tuple[str, str, str]]:
    return {(p.record, p.field, p.message) for p in problems}


def transaction(
    settings: Settings,
    change: Callable[[DataSet], T],
    dry_run: bool = False,
    reformat: bool = False,
    on_wait: Callable[[], None] | None = None,
    touches: Collection[str] = (),
    one_record: bool = False,
) -> tuple[T, Outcome]:
    """Apply change to the records, validate everything, write the changed files, refresh.

    change receives the data set read under the lock and edits its records in place;
    its return value is handed back. It may be called more than once, each time on a
    fresh data set (see apply_and_write), so it must change nothing but that data set.
    touches: the data files the change is expected to edit, if the caller knows; they
    are read from their text at once, which spares a run (a guess that is wrong or
    incomplete costs only that run). With dry_run nothing is written.
    one_record: the change edits one record (add, update, link, unlink, remove): when the
    store provably describes the files, it is written at the cost of that record (see
    "writes at the cost of the record" below), else as any other change.
    """

    folder = writable_folder(settings)
    # A dry run writes nothing, so it takes no lock and leaves no lock file behind (it
    # reads the files as they are; a write running at the same time replaces each
    # file atomically, so a file is never read half-written).
    guard = contextlib.nullcontext() if dry_run else locked(folder, on_wait)
    with guard:
        result, outcome = apply_and_write(
            folder, change, dry_run, reformat, settings.db_path, touches, one_record
        )
        # The records read for the change are freed by now, so a large data set is not
        # held twice while the store catches up.
        if outcome.written and not outcome.store_current:
            refresh_store(settings)
        if not dry_run and outcome.canonical and not outcome.store_current:
            from tracker.store import mark_canonical

            mark_canonical(settings.db_path, outcome.canonical, LAYOUT_VERSION)
    return result, outcome


def apply_and_write(
    folder: Path,
    change: Callable[[DataSet], T],
    dry_run: bool,
    reformat: bool,
    db_path: Path | None = None,
    touches: Collection[str] = (),
    one_record: bool = False,
) -> tuple[T, Outcome]:
    """Under the lock: read, change, validate, then write the files the change touched.

    The lock keeps tracker writers apart, not people: when a file was saved by someone
    else between its reading and its rename (ChangedMeanwhile), everything is read and
    the change applied again, up to ATTEMPTS times; then the write is refused, naming
    the file, with nothing written.
    """
    first = 1
    if one_record and db_path is not None and not reformat and not os.environ.get(WHOLE_DATA_ENV):
        try:
            return record_write(folder, change, dry_run, db_path)
        except Fallback:
            pass
        except ChangedMeanwhile as changed:  # the first attempt
            first, touches = 2, set(touches) | {changed.path.relative_to(folder).as_posix()}
    for attempt in range(first, ATTEMPTS + 1):
        try:
            return apply_and_write_once(folder, change, dry_run, reformat, db_path, touches)
        except ChangedMeanwhile as changed:
            if attempt == ATTEMPTS:
                raise TrackerError(
                    f"{changed} (by an editor?), {ATTEMPTS} times in a row. Nothing was "
                    f"written: {relative(changed.path)} holds what was saved there. Run "
                    "the command again once it is saved."
                ) from None
            touches = set(touches) | {changed.path.relative_to(folder).as_posix()}
    raise AssertionError("unreachable")


def apply_and_write_once(
    folder: Path,
    change: Callable[[DataSet], T],
    dry_run: bool,
    reformat: bool,
    db_path: Path | None = None,
    touches: Collection[str] = (),
) -> tuple[T, Outcome]:
    """apply_and_write's work, once.

    Reading a large data set is most of a write's time and memory, so:
    - files that have not changed since the store cached their parse (db_path) are
      taken from that cache, as an incremental sync does, and their fields, checked
      when they were cached, are not checked again; every rule that relates records
      to each other still runs over the whole data set. A file the change edits is
      always read from its own text: the change runs again if it edited a cached one;
    - lines are found only for the files a reported problem is in.
    """
    from tracker import sources

    remove_leftovers(folder)
    when = today()
    # The files read from their text; the others come from the store's cache if current.
    every = layout.data_files(folder)
    # touches may name a kind's file (visits.toml): each of its files, in any sub-folder.
    from_text = (
        set(every)
        if reformat or db_path is None
        else {key for key in every if key in touches or layout.base(key) in touches}
    )
    while True:
        cached = cached_documents(db_path, folder, skip=from_text) if db_path else {}
        from_text = set(every) - set(cached)
        read_digests: dict[str, bytes | None] = {}  # of each file read from its text
        dataset, load_problems = sources.load(
            folder, with_positions=False, documents=cached, digests=read_digests
        )
        read_digests = {str(folder / key): value for key, value in read_digests.items()}
        del cached
        if load_problems:
            raise WriteRefused(sources.load(folder)[1], already_there=True)  # with lines
        as_read = {kind: list(records) for kind, records in dataset.records.items()}
        cached_keys = set(every) - from_text
        trusted = layout.kinds_only_in(cached_keys, every) | cached_keys
        # With every file from the cache this run only finds the files the change edits.
        problems_before = _validate(dataset, when, trusted) if from_text else None
        before = digests(dataset)
        were_home = layout.at_home(dataset)
        result = change(dataset)
        layout.relocate(dataset, were_home)  # new records, and those the change moved
        after = digests(dataset)
        touched = [
            name
            for name in sorted(before.keys() | after.keys(), key=layout.order_key)
            if reformat or after.get(name) != before.get(name)
        ]
        if from_text.issuperset(set(touched) & set(every)):  # (a new file is read from nowhere)
            break
        from_text.update(touched)
        del dataset, as_read  # before the next run reads the files again

    if problems_before is None:  # the change edited nothing: before is after
        problems_before = _validate(dataset, when, trusted)
    if not any(p.is_error for p in problems_before):
        # Files the change did not edit passed the field checks a moment ago.
        untouched = set(every) - set(touched)
        trusted |= layout.kinds_only_in(untouched, every) | untouched
    problems, report = _checked(folder, dataset, as_read, when, trusted, problems_before)
    if any(p.is_error for p in problems):
        already = any(p.is_error for p in problems_before)
        raise WriteRefused(problems, already_there=already)
    outcome = Outcome(warnings=report)
    outcome.changes = planned_changes(folder, dataset, touched, outcome.canonical)
    refuse_lost_comments(outcome.changes)
    if dry_run or not outcome.changes:
        return result, outcome
    both_valid = set(KINDS) if not any(p.is_error for p in problems_before) else set()
    write_in_order(safe_order(folder, dataset, outcome.changes, both_valid), read_digests)
    outcome.written = True
    for written in outcome.changes:
        # The files hold the new text now: do not keep both texts while the store catches up.
        written.old = written.new = ""
    return result, outcome


def _validate(dataset: DataSet, when: Any, trusted: Collection[str]) -> list[Problem]:
    from tracker.validate import validate

    return validate(dataset, when, trusted)


def _checked(
    folder: Path,
    dataset: DataSet,
    as_read: dict[str, list[Record]],
    when: Any,
    trusted: Collection[str],
    problems_before: list[Problem],
) -> tuple[list[Problem], list[Problem]]:
    """The data set's problems after the change, and those to report: every problem when
    there are errors, else the warnings the change brought. Those name their lines.

    as_read: each kind's records as read (in file order), to find their lines.
    """
    from tracker import sources

    known = _problem_keys(problems_before)

    def to_report(problems: list[Problem]) -> list[Problem]:
        if any(p.is_error for p in problems):
            return problems
        return [p for p in problems if (p.record, p.field, p.message) not in known]

    problems = _validate(dataset, when, trusted)
    report = to_report(problems)
    files = layout.keys_of_problems(folder, report, dataset.documents)
    if not files:
        return problems, report
    for filename in files:
        kinds = layout.kinds_of(filename)
        sources.find_lines(folder, filename, {kind: as_read[kind] for kind in kinds})
    problems = _validate(dataset, when, trusted)  # again, now that records know their lines
    return problems, to_report(problems)


def cached_documents(db_path: Path, folder: Path, skip: Collection[str]) -> dict[str, Any]:
    """The store's parse of each data file not in skip that has not changed since it was
    cached (same size, times and inode), as an incremental sync uses it. Only data that
    passed validation is cached; a store tracker did not leave as it is, is not read."""
    import sqlite3

    from tracker import store

    if not store.stamp_matches(db_path):
        return {}
    # A skipped file's fingerprint matches no cached one: it counts as changed.
    files = {
        name: "skipped" if name in skip else value
        for name, value in store.file_fingerprints(folder).items()
    }
    try:
        conn = sqlite3.connect(db_path)
        try:
            cached = store.read_cache(conn, folder, files)
        finally:
            conn.close()
    except sqlite3.Error:
        return {}
    return cached[0] if cached else {}


def write_in_order(
    changes: list[FileChange], read_digests: dict[str, bytes | None] | None = None
) -> None:
    """Replace each file in turn. If one fails (a full disk), say which were replaced
    already: the data stays valid (safe_order), but holds only part of the change.

    read_digests: a digest of the bytes each file held when it was read and validated (see
    sources.read_file). Right before each rename, every file not yet replaced must still
    hold them: an editor takes no lock, and renaming over a file saved meanwhile would
    lose that edit. If one does not, ChangedMeanwhile is raised before anything was
    renamed (the caller reads the files again), or, once a file holds its part of the
    change, a message says which.
    """
    written: list[str] = []
    for index, change in enumerate(changes):
        remaining = [c.path for c in changes[index:]]

        def unchanged(remaining: list[Path] = remaining) -> None:
            if read_digests is not None:
                refuse_if_changed(remaining, read_digests)

        try:
            replace_atomically(change.path, change.new, before_rename=unchanged)
        except ChangedMeanwhile as changed:
            if not written:
                raise
            raise TrackerError(
                f"{changed}, by someone else: it was left as they saved it. "
                f"{', '.join(written)} already holds its part of the change; the data is "
                f"valid, but to finish the change look at {relative(changed.path)} and "
                "run the command again."
            ) from None
        except TrackerError as error:
            if not written:
                raise
            raise TrackerError(
                f"{error}. {', '.join(written)} already holds its part of the change; the "
                "data is valid, but to finish the change run the command again."
            ) from None
        written.append(str(relative(change.path)))


def refresh_store(settings: Settings) -> None:
    """Bring the store up to date now (only the tables of the changed files, when it can)."""
    from tracker.store import refresh

    try:
        refresh(settings)
    except TrackerError as error:
        raise TrackerError(
            f"the data files were written, but the store could not be refreshed: {error}"
        ) from None


def fmt(settings: Settings, dry_run: bool = False) -> Outcome:
    """Rewrite every data file into the canonical layout (the records stay as they are)."""
    _, outcome = transaction(settings, lambda dataset: None, dry_run=dry_run, reformat=True)
    return outcome


def not_canonical(
    folder: Path, db_path: Path | None = None
) -> list[tuple[Path, list[tuple[int, str]]]]:
    """Files not in canonical layout, each with the stray comments that keep it so.

    Reads without the lock: each file is replaced atomically, so it is whole.
    Raises DataError when a file cannot be read as records.

    db_path: the store. A file whose bytes (their digest) a store as tracker left it
    records as canonical under this LAYOUT_VERSION is not parsed: the writer wrote those
    very bytes, or an earlier check found them canonical. Every other file is parsed and
    laid out again, and those found canonical byte for byte are recorded so in the store
    (a cache: the data files are never written), so that the next check, and a write of
    one record, trust them without a parse.
    """
    from tracker import sources, store
    from tracker.sources import content_digest

    if not folder.is_dir():
        raise TrackerError(f"no data folder at {folder}")
    known: dict[str, bytes] = {}
    if db_path is not None:
        flags = store.canonical_digests(db_path)
        known = {
            name: digest for name, (digest, version) in flags.items() if version == LAYOUT_VERSION
        }
    found = []
    laid_out: dict[str, bytes] = {}  # the files found canonical byte for byte, by digest
    keys = layout.data_files(folder)  # listed once, not once per file read
    for filename in keys:  # one at a time: a file's layout depends on its records only
        path = folder / filename
        if filename in known and content_now(path) == known[filename]:
            continue
        read: dict[str, bytes | None] = {}
        dataset, problems = sources.load(folder, False, files=[filename], keys=keys, digests=read)
        if problems:  # read again, this time finding lines, so that problems name them
            raise DataError(sources.load(folder, files=[filename], keys=keys)[1])
        text = read_text(path)
        header, _ = header_block(text)
        records = {kind: [r.data for r in dataset.of(kind)] for kind in layout.kinds_of(filename)}
        canonical = file_text(filename, records, header)
        if canonical != text:
            found.append((path, stray_comments(text)))
        elif db_path is not None:
            # Only the bytes parsed, and only if they are the canonical text itself (read_text
            # reads past a byte-order mark and \r\n line ends, which the writer never writes).
            digest = content_digest(canonical.encode("utf-8"))
            if read.get(filename) == digest:
                laid_out[filename] = digest
        del dataset, text, canonical
    if laid_out and db_path is not None:
        # Best effort, and brief: the check is done whether or not the flags are recorded.
        store.mark_canonical(db_path, laid_out, LAYOUT_VERSION, wait=1)
    return found


def new_record(folder: Path, kind: str, data: dict[str, Any]) -> Record:
    """A record created by a command: it has no line in its file yet."""
    return Record(kind, data, relative(folder / KINDS[kind].file), 0)


# --- writes at the cost of the record ---------------------------------------------------
#
# A write of one record (add, update, link, unlink, remove) need not read the whole data
# set when the store provably describes the files (store.open_for_record_write: stamp,
# schema, folder and each file's size, times and inode; and the digest of each file the
# write reads, which must also be known to be in canonical layout). Then:
# - the change runs on a RecordPath, a data set that reads from the files only the
#   records the change asks for by key, and answers "is there a record with this key?"
#   from the store; anything that needs every record of a kind (a key typed in another
#   form, a rename, a cascade) raises Fallback, and the whole-data path does the write;
# - the changed record's own fields are checked as always, and the rules relating it to
#   other records are answered by the store; any error falls back too, so that refusals
#   read exactly as they always did;
# - its canonical text (record_text) is put in its place in the file, found by the
#   canonical order, and only its rows, link rows and index entry change in the store.

# Tests only: "1" sends every write through the whole-data path, the reference the record
# path is compared with.
WHOLE_DATA_ENV = "TRACKER_WHOLE_DATA_WRITES"


class _Partial(list[Record]):
    """The records of a kind the record path has read, not all of them: adding and removing
    records works, but going through them all cannot, and falls back."""

    def __iter__(self) -> Any:
        raise Fallback("every record of a kind")

    def __len__(self) -> int:
        raise Fallback("every record of a kind")

    def __getitem__(self, index: Any) -> Any:
        raise Fallback("every record of a kind")

    def __contains__(self, item: Any) -> bool:
        raise Fallback("every record of a kind")

    def __reversed__(self) -> Any:
        raise Fallback("every record of a kind")

    def __bool__(self) -> bool:
        raise Fallback("every record of a kind")


class _KeyIndex:
    """dataset.index(kind) of a RecordPath: a record by its exact key, read on demand."""

    def __init__(self, dataset: RecordPath, kind: str):
        self.dataset, self.kind = dataset, kind

    def get(self, key: Any, default: Any = None) -> Any:
        found = self.dataset.record(self.kind, key)
        return default if found is None else found

    def __getitem__(self, key: Any) -> Record:
        found = self.dataset.record(self.kind, key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: Any) -> bool:
        return isinstance(key, str) and self.dataset.exists(self.kind, key)

    def __iter__(self) -> Any:
        raise Fallback("every key of a kind")

    def __len__(self) -> int:
        raise Fallback("every key of a kind")

    def keys(self) -> Any:
        raise Fallback("every key of a kind")

    def values(self) -> Any:
        raise Fallback("every record of a kind")

    def items(self) -> Any:
        raise Fallback("every record of a kind")


class RecordPath(StoreBacked):
    """A data set that holds only the records a change asks for (see above)."""

    def __init__(self, folder: Path, store: Any):
        super().__init__(folder, store)
        self.records = {kind: _Partial() for kind in KINDS}
        self.texts: dict[str, bytes] = {}  # the files read, by name (UTF-8 text)
        self.digests: dict[str, bytes | None] = {}  # of the bytes read, by name
        self.loaded: dict[tuple[str, str], Record] = {}
        self.as_read: list[tuple[Record, dict[str, Any]]] = []  # each record read, as read

    def index(self, kind: str) -> Any:
        return _KeyIndex(self, kind)

    def of(self, kind: str) -> list[Record]:
        return self.records[kind]

    def exists(self, kind: str, key: str) -> bool:
        found = self.loaded.get((kind, key))
        if found is not None:
            return found.key == key and self._listed(found)
        return self.store.exists(kind, key)

    def _listed(self, record: Record) -> bool:
        return any(r is record for r in list.__iter__(self.records[record.kind]))

    def references_to(self, kind: str, key: str) -> list[Any]:
        """edit.references: none, or the write falls back (a refusal that names them, or a
        cascade, is the whole-data path's)."""
        if self.store.referred_to(kind, key):
            raise Fallback("referred to")
        return []

    def text(self, filename: str) -> bytes:
        """A data file's text, once its bytes are shown to be the ones the store describes,
        in canonical layout."""
        if filename not in self.texts:
            from tracker.sources import content_digest

            try:
                raw = (self.folder / filename).read_bytes()
            except OSError:
                raise Fallback("unreadable") from None
            digest = content_digest(raw)
            if not self.store.proves(filename, digest):
                raise Fallback(f"{filename} is not known to the store as it is")
            self.digests[filename] = digest
            self.texts[filename] = raw
        return self.texts[filename]

    def record(self, kind: str, key: Any) -> Record | None:
        if not isinstance(key, str) or not key:
            return None
        found = self.loaded.get((kind, key))
        if found is not None:
            return found if found.key == key and self._listed(found) else None
        row = self.store.row(kind, key)
        if row is None:
            return None
        filename = self.home(kind, row)
        text = self.text(filename)
        span = find_record(text, kind, key)
        if span is None:
            raise Fallback(f"{kind} '{key}' not found by its key line")
        start, end = span
        data = chunk_data(text[start:end], kind)
        from tracker.sources import scan_positions

        line = text.count(b"\n", 0, start) + 1
        fields = scan_positions(text[start:end].decode("utf-8")).fields.get((kind, 0), {})
        field_lines = {name: line + at - 1 for name, at in fields.items()}
        found = Record(kind, data, relative(self.folder / filename), line, field_lines)
        self.loaded[(kind, key)] = found
        self.as_read.append((found, copy_data(data)))
        self.records[kind].append(found)
        return found


def copy_data(data: dict[str, Any]) -> dict[str, Any]:
    import copy

    return copy.deepcopy(data)


# --- the record's place in its file --------------------------------------------------------
#
# A canonical file is its header block, a blank line, then each record's text
# (record_text) separated by one blank line; a record's text starts with its `[[kind]]`
# line, and no other line starts with `[[kind]]` (strings are written on one line, list
# items indented). So a record's text runs from its `[[kind]]` line to the next blank line
# followed by a record of the file's kinds.


def chunk_data(chunk: bytes, kind: str) -> dict[str, Any]:
    import tomllib

    try:
        found = tomllib.loads(chunk.decode("utf-8")).get(kind)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        raise Fallback("a record's text does not read alone") from None
    if not isinstance(found, list) or len(found) != 1 or not isinstance(found[0], dict):
        raise Fallback("a record's text does not read alone")
    return found[0]


def chunk_end(text: bytes, start: int, kinds: tuple[str, ...]) -> int:
    """The end of the record text that starts at start (just past its last newline)."""
    headers = tuple(f"[[{kind}]]\n".encode() for kind in kinds)
    at = start
    while True:
        at = text.find(b"\n\n[[", at)
        if at == -1:
            return len(text)
        if text.startswith(headers, at + 2):
            return at + 1
        at += 1


def first_chunk(text: bytes, kind: str, start: int = 0, end: int | None = None) -> int | None:
    """Where the first record of kind starts at or after start (and before end)."""
    header = f"[[{kind}]]\n".encode()
    if start == 0 and text.startswith(header):
        return 0
    found = text.find(b"\n" + header, max(start - 1, 0), len(text) if end is None else end)
    return None if found == -1 else found + 1


def find_record(text: bytes, kind: str, key: str) -> tuple[int, int] | None:
    """Where the record with this key is (its key field is its first line), if it is."""
    for name in KINDS[kind].key_fields:
        value = plain_value_text(key) or value_text(key)
        needle = f"[[{kind}]]\n{name} = {value}\n".encode()
        start = text.find(needle)
        if start != -1 and (start == 0 or text[start - 1 : start] == b"\n"):
            return start, chunk_end(text, start, FILES[KINDS[kind].file])
    return None


def kind_region(text: bytes, kind: str) -> tuple[int | None, int]:
    """Where the kind's first record starts (None: it has none), and where its records end:
    at the first record of a kind written after it in the file, else at the end."""
    kinds = FILES[KINDS[kind].file]
    later = [first_chunk(text, k) for k in kinds[kinds.index(kind) + 1 :]]
    end = min([at for at in later if at is not None], default=len(text))
    first = first_chunk(text, kind, 0, end)
    return first, end


def insertion_point(text: bytes, kind: str, data: dict[str, Any]) -> int:
    """Where the record goes in the canonical order: after every record of its kind that
    sorts before it (or, for a kind kept in file order, after them all)."""
    first, end = kind_region(text, kind)
    order = sort_key(kind)
    if first is None or order is None:
        return end
    kinds = FILES[KINDS[kind].file]
    wanted = order(data)

    def key_at(start: int) -> Any:
        return order(chunk_data(text[start : chunk_end(text, start, kinds)], kind))

    if key_at(first) > wanted:
        return first
    low, high = first, end  # the record at low sorts before it; high is the end or after
    while True:
        middle = first_chunk(text, kind, max((low + high) // 2, low + 1), high)
        if middle is None:
            middle = first_chunk(text, kind, low + 1, high)
        if middle is None:
            return high
        if key_at(middle) <= wanted:
            low = middle
        else:
            high = middle


def with_record(text: bytes, at: int, record: bytes) -> bytes:
    """text with a record's text put at `at` (a record's start, or the end)."""
    view = memoryview(text)  # slices without copies
    if at < len(text):
        return b"".join((view[:at], record, b"\n", view[at:]))
    return b"".join((text, b"\n", record)) if text else record


def without_record(text: bytes, start: int, end: int) -> bytes:
    """text without the record text at start:end, and the blank line that separated it."""
    view = memoryview(text)
    if end < len(text):
        return b"".join((view[:start], view[end + 1 :]))
    return text[: start - 1] if start > 0 else b""


def record_write(
    folder: Path, change: Callable[[DataSet], T], dry_run: bool, db_path: Path
) -> tuple[T, Outcome]:
    """apply_and_write_once by the record path: raises Fallback where it cannot."""
    from tracker import store

    opened = store.open_for_record_write(db_path, folder, LAYOUT_VERSION)
    if opened is None:
        raise Fallback("the store does not describe the files")
    try:
        return _record_write(folder, change, dry_run, opened)
    finally:
        opened.close()


def _record_write(
    folder: Path, change: Callable[[DataSet], T], dry_run: bool, opened: Any
) -> tuple[T, Outcome]:
    when = today()
    dataset = RecordPath(folder, opened)
    result = change(dataset)
    # What changed: a record read and then removed or edited, or a record added.
    listed = {kind: list(list.__iter__(records)) for kind, records in dataset.records.items()}
    read_ids = {id(read) for read, _ in dataset.as_read}
    changed: list[tuple[Record | None, Record | None]] = []  # (as read, as now)
    for read, data in dataset.as_read:
        as_read = Record(read.kind, data, read.file, read.line, read.field_lines)
        if not any(r is read for r in listed[read.kind]):
            changed.append((as_read, None))
        elif read.data != data:
            changed.append((as_read, read))
    for records in listed.values():
        changed += [(None, r) for r in records if id(r) not in read_ids]
    if not changed:
        return result, Outcome()
    if len(changed) > 1:
        raise Fallback("a change of several records")
    before, after = changed[0]
    kind = before.kind if before else after.kind  # type: ignore[union-attr]
    if kind in WHOLE_DATA_KINDS:
        raise Fallback(f"a {kind} feeds the rules of others")
    spec = KINDS[kind]
    old_key = before.key if before else None
    new_key = after.key if after else None
    if not (old_key or new_key) or (before and after and old_key != new_key):
        raise Fallback("a rename, or a record without a key")
    if (
        kind == "theme"
        and before
        and after
        and any(before.get(name) != after.get(name) for name in ("title", "mandate"))
    ):
        raise Fallback("other records show a theme's title; its mandate numbers it")
    if spec.numbered and after and not before:
        mandate = str(after.get("mandate"))
        if opened.next_number(kind, mandate) is None:
            raise Fallback("the first record of its mandate")
    filename = dataset.home(kind, after.data if after else before.data)  # type: ignore[union-attr]
    if before and after and dataset.home(kind, before.data) != filename:
        raise Fallback("a record moved to another mandate's file")
    text = dataset.text(filename)
    # Check the record as the whole-data path would: errors fall back (the whole-data
    # path then words the refusal); warnings the change brings are reported.
    problems = record_problems(after, dataset, when) if after else []
    if any(p.is_error for p in problems):
        raise Fallback("the change would leave errors")
    known = _problem_keys(record_problems(before, dataset, when)) if before else set()
    warnings = [p for p in problems if (p.record, p.field, p.message) not in known]
    # The new text: the record cut from its place, then put where the order says. Large
    # files are cut through memoryviews, and the text read is let go as soon as it can
    # be, so that at most two copies of the file are held at once.
    path = folder / filename
    outcome = Outcome(warnings=sort_problems(warnings))
    put = record_text(kind, after.data).encode("utf-8") if after is not None else b""
    new = text
    if old_key is not None:
        span = find_record(text, kind, old_key)
        if span is None:
            raise Fallback("the record is not found by its key line")
        if after is not None and text[span[0] : span[1]] == put:
            return result, outcome  # the same text: the file is already as it should be
        if after is not None and sort_key(kind) is None:
            view = memoryview(text)
            new = b"".join((view[: span[0]], put, view[span[1] :]))
            del view
        else:
            new = without_record(text, *span)
    kept = text if dry_run else b""
    del text
    dataset.texts.pop(filename)
    if after is not None and (old_key is None or sort_key(kind) is not None):
        new = with_record(new, insertion_point(new, kind, after.data), put)
    if dry_run:
        outcome.changes = [FileChange(path, kept.decode("utf-8"), new.decode("utf-8"))]
        return result, outcome
    outcome.changes = [FileChange(path, "", "")]
    from tracker.sources import content_digest

    digest = content_digest(new)
    digests = {str(path): dataset.digests[filename]}  # (refuse_if_changed's keys)
    written: dict[str, os.stat_result] = {}
    replace_atomically(
        path, new, before_rename=lambda: refuse_if_changed([path], digests), stat_into=written
    )
    del new
    outcome.written = True
    outcome.canonical = {filename: digest}
    now = _fingerprint_of(path, written.get("temporary"))
    if now is not None:
        mini = DataSet(folder)
        if after is not None:
            mini.records[kind] = [after]
        import sqlite3

        try:
            current = opened.write(mini, kind, old_key, new_key, filename, now, digest)
        except sqlite3.Error:
            current = False  # the caller refreshes the store the usual way, or says why not
        outcome.store_current = current
    return result, outcome


def _fingerprint_of(path: Path, temporary: os.stat_result | None) -> str | None:
    """The fingerprint (store.file_fingerprints) of the file just renamed into place, if it
    is still the one written (same inode, size and modification time)."""
    if temporary is None:
        return None
    try:
        now = os.stat(path)
    except OSError:
        return None
    same = (now.st_ino, now.st_size, now.st_mtime_ns) == (
        temporary.st_ino,
        temporary.st_size,
        temporary.st_mtime_ns,
    )
    if not same:
        return None
    from tracker.store import stat_print

    return stat_print(now)

"""`tracker init`: an empty, valid data folder for another mandate.

The folder gets the data files, each with its leading comment block, and
mandate.toml gets the [[mandate]] record built from the options. Nothing is
invented: every required field of a mandate comes from the person running init.
The files are written to a temporary folder and checked there first, then moved
in; a folder that already holds data is never touched.

A folder that already holds a mandate in a sub-folder (`DIR/<mandate-id>/mandate.toml`,
tracker/layout.py) gets the new mandate's sub-folder instead, with the files a
mandate's sub-folder holds; nothing else in it is touched.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from tracker.problems import TrackerError

HEADERS = {
    "mandate.toml": (
        "# The mandate of the {title}:\n"
        "# the mandate itself, its holders and the resolutions that established and renewed it.\n"
        "# Format: docs/data-format.md. Run `tracker check` after any edit: it validates\n"
        "# this file together with visits.toml and themes.toml beside it."
    ),
    "visits.toml": (
        "# Country visits made under the mandate: who went where, when, the report that followed,\n"
        "# the themes the visit focused on and the places named in the sources.\n"
        "# Format: docs/data-format.md. Run `tracker check` after any edit: it validates\n"
        "# this file together with mandate.toml and themes.toml beside it."
    ),
    "themes.toml": (
        "# The mandate's themes (thematic priorities set by its holders) and its reports to the\n"
        "# Human Rights Council and the General Assembly, each report tagged with its themes.\n"
        "# Format: docs/data-format.md. Run `tracker check` after any edit: it validates\n"
        "# this file together with mandate.toml and visits.toml beside it."
    ),
}


def init(
    folder: Path,
    mandate: str,
    title: str,
    established: str,
    established_by: str,
    source: str | None = None,
    note: str | None = None,
) -> list[Path]:
    """Write an empty data folder for one mandate; return the files written."""
    from tracker.kinds import FILES

    if folder.exists() and not folder.is_dir():
        raise TrackerError(f"{folder} is a file, not a folder")
    if folder.is_dir() and holds_mandate_folders(folder):
        record = mandate_record(mandate, title, established, established_by, source, note)
        return init_sub_folder(folder, record)
    present = [name for name in FILES if (folder / name).exists()]
    if present:
        raise TrackerError(
            f"{folder} already holds data ({', '.join(present)}); "
            "`tracker init` only writes into a new or empty folder"
        )
    record = mandate_record(mandate, title, established, established_by, source, note)
    texts = {name: file_text(name, record) for name in FILES}
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".tracker-init-", dir=folder) as staging:
        staged = Path(staging)
        for name, text in texts.items():
            (staged / name).write_text(text, encoding="utf-8")
        check_written(staged)
        written = []
        for name in FILES:
            target = folder / name
            os.replace(staged / name, target)
            written.append(target)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        # The store and the write lock live beside the data: derived, never committed.
        ignore.write_text(GITIGNORE, encoding="utf-8")
        written.append(ignore)
    return written


def holds_mandate_folders(folder: Path) -> bool:
    """Whether the folder holds a mandate in the sub-folder form: a sub-folder's
    mandate.toml."""
    from tracker import layout

    return any(
        layout.folder_of(key) and layout.base(key) == "mandate.toml"
        for key in layout.data_files(folder)
    )


def init_sub_folder(folder: Path, record: dict[str, Any]) -> list[Path]:
    """Write the new mandate's sub-folder into a data folder in the sub-folder form: the
    files a mandate's sub-folder holds, staged in a hidden folder beside it, checked,
    then renamed into place at once."""
    import shutil

    from tracker import layout, sources

    target = folder / record["id"]
    if target.exists():
        raise TrackerError(f"{target} already exists; `tracker init` writes a new mandate's folder")
    files = layout.files_of_kind(folder, "mandate")
    known = sources.load(folder, with_positions=False, files=files)[0].index("mandate")
    if record["id"] in known:
        raise TrackerError(
            f"{folder} already holds mandate '{record['id']}' (in {known[record['id']].file})"
        )
    names = layout.mandate_files()
    staged = Path(tempfile.mkdtemp(prefix=".tracker-init-", dir=folder))
    try:
        for name in names:
            (staged / name).write_text(file_text(name, record), encoding="utf-8")
        check_written(staged)
        os.rename(staged, target)
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    return [target / name for name in names]


GITIGNORE = (
    "# Written by `tracker init`: the store is rebuilt from the TOML files, and the lock\n"
    "# exists only while tracker writes. Neither belongs in version control.\n"
    "tracker.db\ntracker.db-*\n*.lock\n"
)


def mandate_record(
    mandate: str,
    title: str,
    established: str,
    established_by: str,
    source: str | None,
    note: str | None,
) -> dict[str, Any]:
    """The [[mandate]] record, each value checked by the same rules as `tracker check`."""
    from tracker.dates import DateError, parse
    from tracker.model import KINDS
    from tracker.validate import check_value

    try:
        when: Any = parse(established.strip()).toml_value()
    except DateError as error:
        raise TrackerError(f"--established: {error}") from None
    record: dict[str, Any] = {
        "id": mandate.strip(),
        "title": " ".join(title.split()),
        "established": when,
        "established_by": established_by.strip(),
        "source": (source or established_by).strip(),
    }
    if note and note.strip():
        record["note"] = note.strip()
    spec = KINDS["mandate"]
    for name, value in record.items():
        field = spec.field(name)
        assert field is not None
        for message in check_value(field, value):
            option = "--mandate" if name == "id" else "--" + name.replace("_", "-")
            raise TrackerError(f"{option}: {message}")
    return record


def file_text(name: str, record: dict[str, Any]) -> str:
    """A data file: its comment block, then (for mandate.toml) the mandate record."""
    import tomli_w

    text = header(name, record["title"])
    if name != "mandate.toml":
        return text + "\n"
    return text + "\n\n" + tomli_w.dumps({"mandate": [record]})


def header(name: str, title: str) -> str:
    """The comment block a data file starts with (title: the mandate's)."""
    return HEADERS[name].format(title=title) if name in HEADERS else header_of(name)


def header_of(name: str) -> str:
    """The comment block of a data file of declared kinds that has no hand-written one."""
    import textwrap

    from tracker.kinds import FILES, KINDS

    about = " ".join(KINDS[kind].about for kind in FILES[name])
    others = [other for other in FILES if other != name]
    text = (
        f"{about} Format: docs/data-format.md. Run `tracker check` after any edit: it validates "
        f"this file together with {', '.join(others[:-1])} and {others[-1]} beside it."
    )
    return "\n".join("# " + line for line in textwrap.wrap(text, 88))


def check_written(folder: Path) -> None:
    """Load and validate the new files; any error here is a bug, never a half-made folder."""
    from tracker.store import load_valid

    load_valid(folder)

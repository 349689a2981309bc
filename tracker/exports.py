"""Reading the exports the UN publishes: the Universal Human Rights Index (UHRI, JSON or
XLSX) and the special procedures' communications database (XLSX).

Real files vary, so columns are found by name, not position: a header is compared in a
folded form (letters and digits only, lower case, "reccomend" spelt right), and each
field has the names the exports are known to use. A row comes out as a plain dict of
the fields found, with its row number (XLSX: the sheet's row; JSON: the item's position),
its values still raw: tracker/importer.py reads them.

The full UHRI JSON is hundreds of megabytes, so it is read as a stream (ijson): one item
at a time, in memory bounded by the largest item, never the whole file. The reading
libraries are imported only here, and this module only by `tracker import`.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections import namedtuple
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from tracker.problems import TrackerError

# field -> the folded header names it goes by (JSON keys and XLSX headers).
UHRI_COLUMNS = {
    "id": ("annotationid", "ohchrannotationid"),
    "text": ("text",),
    "symbol": ("symbol", "documentsymbol"),
    "body": ("body", "recommendingbody"),
    "countries": ("countries", "countriesconcerned"),
    "themes": ("themes",),
    "sdgs": ("sdgs",),
    "affected_persons": ("affectedpersons",),
    "type": ("annotationtype", "type"),
    "published": ("publicationdate", "documentpublicationdate"),
}
UHRI_REQUIRED = ("id", "text", "symbol", "countries", "type")
# The header names shown in messages about a missing column (JSON key / XLSX header).
UHRI_SHOWN = {
    "id": "AnnotationId / OHCHR Annotation Id",
    "text": "Text",
    "symbol": "Symbol / Document Symbol",
    "countries": "Countries / Countries Concerned",
    "type": "AnnotationType / Type",
}

COMMUNICATION_COLUMNS = {
    "date": ("date",),
    "country": ("country",),
    "type": ("type",),
    "ref": ("refno", "reference", "ref"),
    "mandates": ("mandates", "mandate"),
    "summary": ("summary",),
}
COMMUNICATION_REQUIRED = ("date", "country", "type", "ref", "mandates")
COMMUNICATION_SHOWN = {
    "date": "Date",
    "country": "Country",
    "type": "Type",
    "ref": "Ref. no.",
    "mandates": "Mandates",
}
# Replies, Replies2, Replies3...: every column of that name holds a reply.
REPLY_COLUMN = re.compile(r"^replies\d*$")


class ExportError(TrackerError):
    """A file that cannot be read as the export it was given as: nothing is written."""


if TYPE_CHECKING:

    class _Row(NamedTuple):
        number: int  # the sheet's row number (XLSX), or the item's position from 1 (JSON)
        values: dict[str, Any]  # field -> raw value, for the fields the file has
        replies: list[Any]  # the cells of the reply columns (communications)
        headers: dict[str, str]  # field -> the header of its column in this file

else:  # no typing.NamedTuple at run time: see tracker/plain.py
    _Row = namedtuple("_Row", ("number", "values", "replies", "headers"))


class Row(_Row):
    __slots__ = ()


def fold_header(name: object) -> str:
    text = re.sub(r"[^a-z0-9]", "", str(name or "").casefold())
    return text.replace("reccomend", "recommend")


def sniff(path: Path) -> str:
    """ "xlsx" or "json", from the file's first bytes (an XLSX file is a zip archive)."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(512)
    except OSError as error:
        raise ExportError(f"cannot read {path}: {error.strerror}") from None
    if start.startswith(b"PK\x03\x04"):
        return "xlsx"
    text = start.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith((b"[", b"{")):
        return "json"
    raise ExportError(
        f"{path}: not a UHRI export: neither JSON (an array of annotations) nor an XLSX "
        "workbook. Download the export from https://uhri.ohchr.org/ again."
    )


def columns_of(
    path: Path,
    headers: list[Any],
    wanted: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    shown: dict[str, str],
    what: str,
) -> dict[str, int]:
    """field -> the index of its column; an error naming the required ones missing."""
    folded = [fold_header(h) for h in headers]
    found = {}
    for field, names in wanted.items():
        index = next((i for i, header in enumerate(folded) if header in names), None)
        if index is not None:
            found[field] = index
    missing = [shown[f] for f in required if f not in found]
    if missing:
        raise ExportError(
            f"{path}: not a {what}: no column {', '.join(repr(m) for m in missing)} "
            f"(the columns are: {', '.join(str(h) for h in headers if h not in (None, ''))})"
        )
    return found


# --- XLSX -----------------------------------------------------------------------------


def xlsx_rows(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """The rows of the workbook's first sheet, numbered as the sheet numbers them, with
    python-calamine (see docs/performance.md for why it and not openpyxl)."""
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        rows = sheet.iter_rows()
        start = sheet.start[0] + 1 if sheet.start else 1
        for number, row in enumerate(rows, start=start):
            yield number, list(row)
    except (CalamineError, ValueError, OSError, IndexError) as error:
        raise ExportError(f"{path}: not a readable XLSX workbook ({error})") from None


# A sheet may start with a title or a note: the header is looked for in its first rows.
HEADER_ROWS = 10


def header_of(
    path: Path,
    rows: Iterator[tuple[int, list[Any]]],
    wanted: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    shown: dict[str, str],
    what: str,
) -> tuple[list[Any], dict[str, int]]:
    """The header row (the first of the sheet's first rows that has every required column)
    and each field's column; an error naming the missing columns of the first row."""
    first: ExportError | None = None
    seen = 0
    for _, row in rows:
        if all(value in (None, "") for value in row):
            continue
        try:
            return row, columns_of(path, row, wanted, required, shown, what)
        except ExportError as error:
            first = first or error
        seen += 1
        if seen == HEADER_ROWS:
            break
    raise first or ExportError(f"{path}: not a {what}: the workbook is empty")


def read_xlsx(
    path: Path,
    wanted: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    shown: dict[str, str],
    what: str,
    replies: bool = False,
) -> Iterator[Row]:
    rows = xlsx_rows(path)
    headers, columns = header_of(path, rows, wanted, required, shown, what)
    reply_columns = [i for i, h in enumerate(headers) if REPLY_COLUMN.match(fold_header(h))]
    names = {f: str(headers[i]) for f, i in columns.items()}
    names["replies"] = "Replies"
    for number, row in rows:
        if all(value in (None, "") for value in row):
            continue
        values = {f: row[i] for f, i in columns.items() if i < len(row)}
        found = [row[i] for i in reply_columns if i < len(row)] if replies else []
        yield Row(number, values, found, names)


# --- JSON -----------------------------------------------------------------------------


def read_uhri_json(path: Path, progress: Callable[[int], None] | None = None) -> Iterator[Row]:
    """The annotations of a UHRI JSON export, streamed one at a time. progress(bytes read)
    is called now and then."""
    import ijson

    try:
        handle: IO[bytes] = open(path, "rb")  # noqa: SIM115 (closed below)
    except OSError as error:
        raise ExportError(f"cannot read {path}: {error.strerror}") from None
    with handle:
        first = handle.read(1024).lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        handle.seek(0)
        if first != b"[":
            raise ExportError(f"{path}: not a UHRI export: the JSON is not an array of annotations")
        columns: dict[str, str] = {}
        number = 0
        try:
            for number, item in enumerate(ijson.items(handle, "item"), start=1):
                if not isinstance(item, dict):
                    raise ExportError(f"{path}: not a UHRI export: item {number} is not an object")
                if not columns:
                    keys = list(item)
                    indexes = columns_of(
                        path, keys, UHRI_COLUMNS, UHRI_REQUIRED, UHRI_SHOWN, "UHRI export"
                    )
                    columns = {f: keys[i] for f, i in indexes.items()}
                values = {f: item.get(key) for f, key in columns.items()}
                yield Row(number, values, [], columns)
                if progress is not None and number % 2000 == 0:
                    progress(handle.tell())
        except ijson.JSONError as error:
            raise ExportError(
                f"{path}: the JSON is cut short or malformed after item {number} "
                f"(byte {handle.tell()}): {str(error).splitlines()[0]}. Download the export again."
            ) from None


# --- values ---------------------------------------------------------------------------


_TAG = re.compile(r"<[^>]*>")
_BLOCK = re.compile(r"<\s*(br|/p|/li|/div|p|li|div)\b[^>]*>", re.IGNORECASE)


def plain_text(value: Any) -> str:
    """Text with its HTML removed: tags dropped (block ends as spaces), entities decoded,
    white space collapsed."""
    text = _BLOCK.sub(" ", str(value or ""))
    text = html.unescape(_TAG.sub("", text))
    return re.sub(r"\s+", " ", text).strip()


def values_of(value: Any) -> list[str]:
    """The values of a cell or a JSON field: a list's items, or a cell's lines (the XLSX
    puts several values in one cell, one a line), each without its "- " prefix."""
    if value in (None, ""):
        return []
    items = value if isinstance(value, list) else str(value).splitlines()
    found = []
    for item in items:
        text = re.sub(r"^\s*-\s+", "", str(item)).strip()
        if text:
            found.append(text)
    return list(dict.fromkeys(found))


def one_value(value: Any) -> str:
    found = values_of(value)
    return "; ".join(found)


EXCEL_EPOCH = dt.date(1899, 12, 30)
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_DOTNET = re.compile(r"^/Date\((-?\d+)(?:[+-]\d{4})?\)/$")
_NUMBER = re.compile(r"^\d+(\.\d+)?$")
_WORDS = re.compile(r"^(\d{1,2}) ([A-Za-z]+)\.? (\d{4})$")
# "4 June 2020", "4 Jun 2020", "4 Sept. 2020": a month's English name or abbreviation.
_MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
MONTHS = {
    **{name: i for i, name in enumerate(_MONTH_NAMES, start=1)},
    **{name[:3]: i for i, name in enumerate(_MONTH_NAMES, start=1)},
    "sept": 9,
}


def date_of(value: Any) -> dt.date | None:
    """A date from a cell or field: a date, an Excel serial number (days since
    1899-12-30), ISO text (a time part ignored) or "4 June 2020". None when empty;
    ValueError when it is not a date."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a date")
    text = one_value(value) if not isinstance(value, int | float) else str(value)
    if isinstance(value, int | float) or _NUMBER.match(text):
        serial = float(text)
        if not 1 <= serial < 2958466:  # up to 9999-12-31
            raise ValueError(f"{text!r} is not a date")
        return EXCEL_EPOCH + dt.timedelta(days=int(serial))
    match = _DOTNET.match(text)
    if match:  # "/Date(1557446400000)/": milliseconds since 1970, as .NET writes JSON dates
        return dt.date(1970, 1, 1) + dt.timedelta(milliseconds=int(match.group(1)))
    match = _ISO.match(text)
    if match:
        return dt.date(*(int(part) for part in match.groups()))
    match = _WORDS.match(text)
    if match and match.group(2).casefold() in MONTHS:
        day, month, year = match.groups()
        return dt.date(int(year), MONTHS[month.casefold()], int(day))
    raise ValueError(f"{text!r} is not a date (give YYYY-MM-DD or an Excel date)")

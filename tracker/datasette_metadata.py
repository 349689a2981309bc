"""Metadata that makes `datasette <store>` a usable, self-describing site.

Datasette reads a JSON file given with `--metadata`: a title, a description, the
source and license of the data, and per table a description, column descriptions,
the column that labels a row (so a visit shows "Qatar", not "QAT"), default facets
and sort order. `tracker datasette-metadata` writes it for the current store; the
store's file name (without .db) is the database name Datasette serves it under.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from tracker import search_index, views
from tracker.queries import table_columns

SOURCE = "United Nations Official Document System and OHCHR pages; each row cites its source"
SOURCE_URL = "https://docs.un.org/"
# The shipped data set is part of the tracker package, which is MIT-licensed (pyproject.toml).
SHIPPED_LICENSE = ("MIT", "https://opensource.org/license/mit")

SOURCE_COLUMN = "UN document symbol(s) or public URL the row's facts come from"
NOTE_COLUMN = "What is unconfirmed or inferred, and any remark"

TABLES: dict[str, dict[str, Any]] = {
    "mandate": {
        "description": "The special procedure mandates tracked in this store.",
        "label_column": "title",
        "columns": {
            "id": "Short id of the mandate",
            "established": "Date the establishing resolution was adopted (YYYY, YYYY-MM or full)",
            "established_by": "Symbol of the establishing resolution",
        },
    },
    "holder": {
        "description": "The people who held each mandate, in term order.",
        "label_column": "name",
        "sort": "term_order",
        "columns": {
            "nationality": "ISO 3166-1 alpha-3 code",
            "end": "End of term; empty while in office",
            "term_order": "Position of the term, mandate by mandate",
        },
    },
    "resolution": {
        "description": "Resolutions that established and renewed the mandates, with vote tallies.",
        "sort": "adopted",
        "facets": ["body", "action"],
        "columns": {
            "term_years": "Length of the renewed term, in years",
            "vote_recorded": "1 when the resolution was adopted by a recorded vote",
            "vote_lists": "1 when the vote table lists the countries, not only tallies",
        },
    },
    "vote": {
        "description": "How each country voted on a resolution, where the country lists are known.",
        "facets": ["vote"],
    },
    "visit": {
        "description": "Country visits and visit requests (see visit_detail for names).",
        "sort": "start",
        "facets": ["status", "holder"],
        "columns": {
            "id": "Visit id, by default <iso3>-<year>",
            "country": "ISO 3166-1 alpha-3 code of the country visited",
            "report": "Symbol of the report on the visit",
            "places": "Places named in the sources (JSON list)",
        },
    },
    "visit_history": {"description": "Status changes of each visit, in date order."},
    "visit_theme": {"description": "The themes each visit focused on."},
    "theme": {
        "description": "Thematic priorities announced by the holders.",
        "label_column": "title",
        "sort": "position",
        "columns": {"set_in": "Symbol of the report that announced the priority"},
    },
    "report": {
        "description": "Reports to the Human Rights Council (HRC) and General Assembly (GA).",
        "label_column": "title",
        "facets": ["body", "kind", "holder"],
        "columns": {
            "key": "The symbol, or the id of a report whose symbol is not known",
            "session": "Session of the body the report was presented to",
        },
    },
    "report_theme": {"description": "The themes each report addresses."},
    "country": {
        "description": "Countries with their UN names and regional groups.",
        "label_column": "name",
        "facets": ["region"],
    },
    "region": {"description": "The UN regional groups.", "label_column": "name"},
    "country_name": {
        "description": "Names and codes that resolve to each country.",
        "hidden": True,
    },
    "meta": {"description": "What the store was built from.", "hidden": True},
    search_index.INDEX: {
        "description": "Every report, visit, theme, holder and resolution as searchable text "
        "(type words in the search box; quotes and operators are taken literally).",
        "searchmode": "escaped",
        "facets": ["kind"],
    },
}

VIEW_FACETS = {
    "visit_detail": ["status", "holder_name", "region_name"],
    "report_detail": ["body", "kind", "holder_name"],
}


def metadata(
    conn: sqlite3.Connection,
    db_path: Path,
    license_name: str | None = None,
    license_url: str | None = None,
) -> dict[str, Any]:
    """The metadata for this store, keyed by the name Datasette gives its database."""
    from tracker.queries import labelled

    mandates = labelled(conn, "mandate")
    if len(mandates) == 1:
        title = f"tracker: {mandates[0][1]}"
    else:
        title = f"tracker: {len(mandates)} special procedure mandates"
    info: dict[str, Any] = {
        "title": title,
        "description": (
            "Country visits, thematic priorities, reports and resolutions of UN Human Rights "
            "Council special procedures, built by tracker from reviewable TOML files. "
            "Mandates: " + (", ".join(m[0] for m in mandates) or "none yet") + "."
        ),
        "source": SOURCE,
        "source_url": SOURCE_URL,
    }
    if license_name:
        info["license"] = license_name
    if license_url:
        info["license_url"] = license_url
    info["databases"] = {db_path.stem: {"tables": tables(conn)}}
    return info


# Descriptions of columns that several tables and views share.
COMMON_COLUMNS = {
    "mandate": "Id of the mandate",
    "url": "Link to the UN document (Official Document System)",
    "report_url": "Link to the report on the visit (Official Document System)",
    "set_in_url": "Link to the report that announced the priority",
    "themes": "Theme ids (JSON list)",
    "source": SOURCE_COLUMN,
    "note": NOTE_COLUMN,
}


def declared_tables() -> dict[str, dict[str, Any]]:
    """What the kinds' declarations say of their tables (tracker/kinds.py): the kind's
    description, the column that labels a row, facets (its choices and its holder), the
    sort, and each field's meaning; and of their link and sub-record tables."""
    from tracker import schema
    from tracker.kinds import KINDS

    found: dict[str, dict[str, Any]] = {}
    for spec in KINDS.values():
        entry: dict[str, Any] = {"description": spec.about}
        if len(spec.label) == 1:
            entry["label_column"] = spec.label[0]
        sort = spec.numbered or next((n for n in spec.order if "|" not in n), None)
        if sort:
            entry["sort"] = sort
        facets = [f.name for f in spec.fields if f.type == "enum"]
        facets += [f.name for f in spec.fields if f.refers_to == "holder" and f.type == "slug"]
        if facets:
            entry["facets"] = facets
        entry["columns"] = {f.name: f.help for f in spec.fields if f.help}
        found[spec.table] = entry
        for field in spec.fields:
            if field.type == "slugs" and field.refers_to in KINDS:
                table = schema.link_table(spec, field)
                found[table] = {"description": f"The {field.name} each {spec.name} lists."}
            elif field.type == "records":
                table = schema.sub_table(spec, field)
                found[table] = {"description": f"The {field.name} of each {spec.name}, in order."}
    return found


def tables(conn: sqlite3.Connection) -> dict[str, Any]:
    """Per table and view: description, descriptions of the columns it has, facets...
    The entries written above win over what the declarations give."""
    declared = declared_tables()
    written = {
        name: {
            **declared.get(name, {}),
            **entry,
            "columns": {**declared.get(name, {}).get("columns", {}), **entry.get("columns", {})},
        }
        for name, entry in TABLES.items()
    }
    views_described = {name: {"description": d} for name, d in views.descriptions().items()}
    described = {**declared, **written, **views_described}
    result: dict[str, Any] = {}
    for name, settings in described.items():
        entry = dict(settings)
        present = table_columns(conn, name)
        columns = {**COMMON_COLUMNS, **entry.get("columns", {})}
        entry["columns"] = {c: columns[c] for c in present if c in columns}
        if name in VIEW_FACETS:
            entry["facets"] = VIEW_FACETS[name]
        result[name] = entry
    return result


def command(
    settings: Any,
    output: Path | None,
    license_name: str | None,
    license_url: str | None,
) -> None:
    """Print (or write to a file) the Datasette metadata for the current store."""
    import sys

    from tracker.paths import shipped_data_dir
    from tracker.render import to_json
    from tracker.store import store

    if license_name is None and license_url is None:
        shipped = settings.data_dir.resolve() == shipped_data_dir().resolve()
        license_name, license_url = SHIPPED_LICENSE if shipped else (None, None)
    with store(settings) as conn:
        text = to_json(metadata(conn, settings.db_path, license_name, license_url))
    if output is None:
        sys.stdout.write(text)
        return
    from tracker.outputs import write_output

    write_output(output, text)
    sys.stderr.write(
        f"Wrote {output}. Open the store with:\n"
        f"  datasette {settings.db_path} --metadata {output}\n"
    )

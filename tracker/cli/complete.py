"""Shell completion of ids, symbols and countries from the current data.

Typer calls these while the shell asks for completions (after
`tracker --install-completion`). They read the store with one small query each;
the root callback has not run then, so the data folder and store come from the
options and environment parsed so far. Completion must never print an error into
the shell: when the data cannot be read, there is simply nothing to complete.
"""

from __future__ import annotations

import sqlite3
from typing import Any

Item = tuple[str, str]  # (value, help shown beside it by zsh and fish)


def _settings(ctx: Any) -> Any:
    from tracker.paths import Settings

    root = ctx.find_root()
    if isinstance(root.obj, Settings):
        return root.obj
    return Settings.resolve(root.params.get("data_dir"), root.params.get("db_path"))


def _items(ctx: Any, *queries: str) -> list[Item]:
    """(value, help) rows of queries over the up-to-date store; nothing if it cannot be read."""
    from tracker.problems import TrackerError
    from tracker.store import store

    try:
        with store(_settings(ctx)) as conn:
            return [
                (str(row[0]), str(row[1] or "")) for sql in queries for row in conn.execute(sql)
            ]
    except (TrackerError, sqlite3.Error, OSError):
        return []


def _matching(items: list[Item], incomplete: str) -> list[Item]:
    """Items whose value starts with what was typed (ids and symbols are case-sensitive,
    and Typer keeps only such values anyway)."""
    return [item for item in items if item[0].startswith(incomplete)]


def _with_names(items: list[Item]) -> list[Item]:
    """Country codes and names: the UN name (zsh and fish quote one with spaces) and its
    short form before any parenthesis, "Netherlands" for "Netherlands (Kingdom of the)",
    which `show` resolves too."""
    names: list[Item] = []
    for code, name in items:
        if not name:
            continue
        short = name.split(" (")[0]
        names += [(name, code)] + ([(short, code)] if short != name else [])
    return items + names


HOLDERS = "select id, name from holder order by term_order"
THEMES = "select id, title from theme order by position"
MANDATES = "select id, title from mandate order by rowid"
VISITS = (
    "select v.id, coalesce(c.name, v.country) || ', ' || v.status from visit v "
    "left join country c on c.iso3 = v.country order by coalesce(v.start, '9999'), v.id"
)
REPORTS = "select key, title from report order by coalesce(date, cast(year as text)), key"
RESOLUTIONS = "select symbol, action || ', ' || adopted from resolution order by adopted"
# Countries the data mentions (visits, nationalities), by code, with their names.
DATA_COUNTRIES = (
    "select iso3, name from country where iso3 in "
    "(select country from visit union select nationality from holder) order by iso3"
)
ALL_COUNTRIES = "select iso3, name from country order by iso3"


def holders(ctx: Any, incomplete: str) -> list[Item]:
    return _matching(_items(ctx, HOLDERS), incomplete)


def themes(ctx: Any, incomplete: str) -> list[Item]:
    return _matching(_items(ctx, THEMES), incomplete)


def mandates(ctx: Any, incomplete: str) -> list[Item]:
    return _matching(_items(ctx, MANDATES), incomplete)


def countries(ctx: Any, incomplete: str) -> list[Item]:
    """Countries in the data first; any UN country code or name when none of those fits."""
    found = _matching(_with_names(_items(ctx, DATA_COUNTRIES)), incomplete)
    return found or _matching(_with_names(_items(ctx, ALL_COUNTRIES)), incomplete)


def keys(ctx: Any, incomplete: str) -> list[Item]:
    """Everything `tracker show` accepts: holders, themes, visits, reports, resolutions,
    and the countries the data mentions."""
    items = _items(ctx, HOLDERS, THEMES, VISITS, REPORTS, RESOLUTIONS)
    return _matching(items + _with_names(_items(ctx, DATA_COUNTRIES)), incomplete)

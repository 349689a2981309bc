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


def _items(ctx: Any, *kinds: str, countries: str = "") -> list[Item]:
    """(value, help) of these kinds' records (and "data" or "all" countries), from the
    up-to-date store; nothing if it cannot be read."""
    from tracker import queries
    from tracker.problems import TrackerError
    from tracker.store import store

    try:
        with store(_settings(ctx)) as conn:
            items = [item for kind in kinds for item in queries.labelled(conn, kind)]
            if countries:
                items += queries.countries_named(conn, everywhere=countries == "all")
            return items
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


def holders(ctx: Any, incomplete: str) -> list[Item]:
    return _matching(_items(ctx, "holder"), incomplete)


def themes(ctx: Any, incomplete: str) -> list[Item]:
    return _matching(_items(ctx, "theme"), incomplete)


def mandates(ctx: Any, incomplete: str) -> list[Item]:
    return _matching(_items(ctx, "mandate"), incomplete)


def countries(ctx: Any, incomplete: str) -> list[Item]:
    """Countries in the data first; any UN country code or name when none of those fits."""
    found = _matching(_with_names(_items(ctx, countries="data")), incomplete)
    return found or _matching(_with_names(_items(ctx, countries="all")), incomplete)


def keys(ctx: Any, incomplete: str) -> list[Item]:
    """Everything `tracker show` accepts: the records of every kind but the mandates, and the
    countries the data mentions."""
    from tracker.kinds import KINDS

    shown: list[str] = [
        k for k in ("holder", "theme", "visit", "report", "resolution") if k in KINDS
    ]
    shown += [kind for kind in KINDS if kind not in shown and kind != "mandate"]
    items = _items(ctx, *shown)
    return _matching(items + _with_names(_items(ctx, countries="data")), incomplete)

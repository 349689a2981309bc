"""One resolver for every key a person types: `show`, `--holder`, `--theme`, `link`, prompts,
and the suggestions in messages about the data files.

Plain data in, plain data out: the callers give the known keys (and, for holders, their
names); the store, the data files and the CLI are not seen here. A key is found when
  - it is a known key, ignoring case and surrounding space ("CRI-2022", " okafor ");
  - it is a name given for the key, ignoring case (a holder's surname or full name);
  - it is an unambiguous tail of a document symbol, cut at a "/" ("44/11" for
    A/HRC/RES/44/11, "44/44/add.1").
Otherwise the error names the closest candidates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from tracker.problems import TrackerError, listed


class KeyNotFound(TrackerError):
    """A typed key that names no record, or several."""


def fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def matches(
    text: str, keys: Iterable[str], names: Mapping[str, Iterable[str]] | None = None
) -> list[str]:
    """The keys `text` may name, best kind of match first: a whole key, then a name, then a
    symbol's tail. More than one key means `text` is ambiguous."""
    wanted = fold(text)
    if not wanted:
        return []
    keys = list(keys)
    whole = [key for key in keys if fold(key) == wanted]
    if whole:
        return whole
    named = [
        key for key, aliases in (names or {}).items() if any(fold(a) == wanted for a in aliases)
    ]
    if named:
        return list(dict.fromkeys(named))
    tail = "/" + wanted.lstrip("/")
    return [key for key in keys if "/" in key and fold(key).endswith(tail)]


def closest(
    text: str, keys: Iterable[str], names: Mapping[str, Iterable[str]] | None = None
) -> list[str]:
    """The known keys closest to `text` (by spelling, of the key or of a name), best first."""
    import difflib  # only a key that matched nothing needs suggestions

    wanted = fold(text)
    by_spelling: dict[str, str] = {}
    for key in keys:
        by_spelling.setdefault(fold(key), key)
    for key, aliases in (names or {}).items():
        for alias in aliases:
            by_spelling.setdefault(fold(alias), key)
    contained = [
        key for spelling, key in by_spelling.items() if len(wanted) >= 3 and wanted in spelling
    ]
    close = difflib.get_close_matches(wanted, list(by_spelling), n=10, cutoff=0.6)
    return list(dict.fromkeys(contained[:5] + [by_spelling[s] for s in close]))[:5]


def resolve(
    what: str,
    text: str,
    keys: Iterable[str],
    names: Mapping[str, Iterable[str]] | None = None,
) -> str:
    """The one key `text` names among `keys` (see `matches`), or KeyNotFound saying why:
    ambiguous (the candidates), or unknown (the closest keys, or all when there are few)."""
    keys = list(keys)
    found = matches(text, keys, names)
    if len(found) == 1:
        return found[0]
    if found:
        raise KeyNotFound(f"'{text.strip()}' may be any of {listed(found, 8)}: give more of it")
    raise KeyNotFound(unknown(what, text, keys, names))


def unknown(
    what: str, text: str, keys: list[str], names: Mapping[str, Iterable[str]] | None = None
) -> str:
    """A message for a key that names nothing: the closest keys, and the known ones when
    there are few."""
    near = closest(text, keys, names)
    hint = f"did you mean {', '.join(near)}? " if near else ""
    if len(keys) <= 25:
        return f"no {what} '{text.strip()}' ({hint}known: {listed(keys, 25)})"
    return f"no {what} '{text.strip()}' ({hint}{len(keys)} {what}s are known)"


def suggestion(
    text: str, keys: Iterable[str], names: Mapping[str, Iterable[str]] | None = None
) -> str:
    """ " (did you mean X?)" for a message about a data file's reference, or nothing: the key
    `text` names when it differs only in case, space or form, else the closest one."""
    keys = list(keys)
    found = matches(text, keys, names)
    near = found if len(found) == 1 else closest(text, keys, names)[:3]
    return f" (did you mean {' or '.join(repr(k) for k in near)}?)" if near else ""


def surnames(holders: Iterable[Mapping[str, object]]) -> dict[str, list[str]]:
    """A holder's names a person may type: the full name and the surname (its last word)."""
    names: dict[str, list[str]] = {}
    for holder in holders:
        name = str(holder.get("name") or "")
        if name and holder.get("id"):
            names[str(holder["id"])] = [name, name.split()[-1]]
    return names

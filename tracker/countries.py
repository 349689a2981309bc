"""Countries as UN documents name them, and the UN regional groups.

pycountry knows ISO codes but not the UN's names ("Venezuela (Bolivarian Republic
of)", "Republic of Korea"), and its fuzzy search guesses wrong ("Niger" finds
Nigeria). So the package ships the UN names (tracker/reference/), matches names
exactly after folding case, accents and apostrophes, and treats anything else as
an error listing candidates, never as a silent guess.

Read commands resolve names through the store (queries.resolve_country), so this
module imports nothing heavy at the top: the tables load only on a rebuild or a write.
"""

from __future__ import annotations

import re
import unicodedata
from collections import namedtuple
from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from tracker.problems import TrackerError

REGION_ORDER = ("african", "asia_pacific", "eeg", "grulac", "weog")
REGION_SOURCE = "https://www.un.org/dgacm/en/content/regional-groups"


class CountryError(TrackerError):
    """A country name that matches no country, or more than one."""


def fold(text: str) -> str:
    """Case-, accent- and apostrophe-insensitive form used to match names."""
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip().casefold()


def _reference(name: str) -> dict[str, Any]:
    import tomllib
    from importlib import resources

    return tomllib.loads(resources.files("tracker.reference").joinpath(name).read_text("utf-8"))


@cache
def un_names() -> dict[str, str]:
    """UN name -> alpha-3, for the 193 member and 2 observer States."""
    return dict(_reference("un_member_names.toml")["names"])


@cache
def name_variants() -> dict[str, str]:
    return dict(_reference("un_member_names.toml")["variants"])


if TYPE_CHECKING:

    class _RegionalGroup(NamedTuple):
        id: str
        name: str
        members: tuple[str, ...]

else:  # no typing.NamedTuple at run time: see tracker/plain.py
    _RegionalGroup = namedtuple("_RegionalGroup", ("id", "name", "members"))


class RegionalGroup(_RegionalGroup):
    __slots__ = ()


@cache
def regional_groups() -> tuple[RegionalGroup, ...]:
    groups = _reference("un_regional_groups.toml")["groups"]
    return tuple(
        RegionalGroup(gid, groups[gid]["name"], tuple(groups[gid]["members"]))
        for gid in REGION_ORDER
    )


@cache
def region_of() -> dict[str, str]:
    return {code: group.id for group in regional_groups() for code in group.members}


if TYPE_CHECKING:

    class _Country(NamedTuple):
        iso3: str
        iso2: str
        name: str
        region: str | None
        un_member: bool

else:  # no typing.NamedTuple at run time: see tracker/plain.py
    _Country = namedtuple("_Country", ("iso3", "iso2", "name", "region", "un_member"))


class Country(_Country):
    __slots__ = ()


@cache
def all_countries() -> dict[str, Country]:
    """Every ISO 3166-1 country, named as the UN does where it is a UN member or observer."""
    import pycountry  # imported here: only a store rebuild or a write needs it

    un_by_code = {code: name for name, code in un_names().items()}
    regions = region_of()
    countries: dict[str, Country] = {}
    for entry in pycountry.countries:
        code = entry.alpha_3
        name = un_by_code.get(code) or getattr(entry, "common_name", None) or entry.name
        countries[code] = Country(code, entry.alpha_2, name, regions.get(code), code in regions)
    return countries


def is_iso3(code: object) -> bool:
    """An ISO 3166-1 alpha-3 code. UN members and observers are known from the shipped
    table; only other codes need pycountry, which is slow to import."""
    if not isinstance(code, str):
        return False
    return code in region_of() or code in un_names().values() or code in all_countries()


@cache
def name_index() -> dict[str, tuple[str, ...]]:
    """Folded name or code -> the alpha-3 codes it names (more than one = ambiguous)."""
    import pycountry

    index: dict[str, set[str]] = {}

    def add(name: str | None, code: str) -> None:
        if name:
            index.setdefault(fold(name), set()).add(code)

    for country in all_countries().values():
        add(country.iso3, country.iso3)
        add(country.iso2, country.iso3)
        add(country.name, country.iso3)
    for entry in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            add(getattr(entry, attribute, None), entry.alpha_3)
    for name, code in {**un_names(), **name_variants()}.items():
        add(name, code)
    return {name: tuple(sorted(codes)) for name, codes in index.items()}


def resolve(
    text: str,
    lookup: Callable[[str], Iterable[str]],
    all_names: Callable[[], dict[str, str]],
    display: Callable[[str], str],
) -> str:
    """Turn a name, alpha-3 or alpha-2 code into alpha-3, or fail listing candidates.

    lookup(folded) gives the codes an exact folded name stands for; all_names()
    gives every folded name with its code, read only when no exact match exists.
    """
    folded = fold(text)
    if not folded:
        raise CountryError("a country is required (a name, or an alpha-3 or alpha-2 code)")
    codes = sorted(set(lookup(folded)))
    if len(codes) == 1:
        return codes[0]
    if codes:
        options = ", ".join(f"{display(c)} ({c})" for c in codes)
        raise CountryError(f"'{text}' is ambiguous: it may mean {options}. Give the alpha-3 code.")
    import difflib  # only a name that matched nothing needs suggestions

    names = all_names()
    partial = {code for name, code in names.items() if len(folded) >= 3 and folded in name}
    close = difflib.get_close_matches(folded, list(names), n=5, cutoff=0.75)
    candidates = sorted(partial | {names[name] for name in close})[:8]
    if candidates:
        options = "; ".join(f"{display(c)} ({c})" for c in candidates)
        raise CountryError(f"unknown country '{text}'. Did you mean: {options}?")
    raise CountryError(f"unknown country '{text}' (give a UN name, or an alpha-3 or alpha-2 code)")


def resolve_offline(text: str) -> str:
    """Resolve against the shipped tables, without a store (used by writes)."""
    index = name_index()
    countries = all_countries()
    return resolve(
        text,
        lambda folded: index.get(folded, ()),
        lambda: {name: codes[0] for name, codes in index.items() if len(codes) == 1},
        lambda code: countries[code].name if code in countries else code,
    )

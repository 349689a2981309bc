"""Recorded votes by UN regional group, and each vote crossed with the mandate's visits.
Plain data in and out.

A vote is written as in mandate.toml: `yes`, `no`, `abstain`, each a list of alpha-3 codes
or, where the lists are not known, a tally. A tally cannot be broken down by group: its
groups say "country lists not recorded".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tracker.constants import VOTE_CHOICES


def has_lists(vote: Mapping[str, Any] | None) -> bool:
    return bool(vote) and all(isinstance(vote.get(c, []), list) for c in VOTE_CHOICES)  # type: ignore[union-attr]


def by_group(
    vote: Mapping[str, Any] | None, groups: Sequence[tuple[str, str, Iterable[str]]]
) -> dict[str, Any]:
    """A vote broken down by regional group: `groups` is (id, name, members) in order.

    Returns {"lists": bool, "groups": [{region, name, yes, no, abstain, countries: {...}}],
    "outside": [...]} (codes of voters in no group); with tallies only, "lists" is False and
    "groups" is empty."""
    if not vote:
        return {"recorded": False, "lists": False, "groups": [], "outside": []}
    if not has_lists(vote):
        return {"recorded": True, "lists": False, "groups": [], "outside": []}
    region_of = {code: gid for gid, _, members in groups for code in members}
    rows = []
    for gid, name, _ in groups:
        countries = {
            c: sorted(x for x in vote.get(c, []) if region_of.get(x) == gid) for c in VOTE_CHOICES
        }
        rows.append(
            {
                "region": gid,
                "name": name,
                **{c: len(countries[c]) for c in VOTE_CHOICES},
                "countries": countries,
            }
        )
    outside = sorted(x for c in VOTE_CHOICES for x in vote.get(c, []) if x not in region_of)
    return {"recorded": True, "lists": True, "groups": rows, "outside": outside}


def choice_of(vote: Mapping[str, Any] | None, country: str) -> str | None:
    """How a country voted, when the lists are recorded (None when not on them)."""
    if not has_lists(vote):
        return None
    for choice in VOTE_CHOICES:
        if country in vote.get(choice, []):  # type: ignore[union-attr]
            return choice
    return None


def votes_and_visits(
    resolutions: Iterable[Mapping[str, Any]], visits: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Each State on a recorded vote list, with the mandate's completed visits to it.

    One row per (resolution, country), resolutions in order of adoption as given and
    countries by code; `visits` lists `{id, year}` (empty when the State was never visited)."""
    completed: dict[str, list[dict[str, Any]]] = {}
    for visit in visits:
        if visit.get("status") == "completed":
            start = str(visit.get("start") or "")
            year = int(start[:4]) if start[:4].isdigit() else None
            completed.setdefault(str(visit.get("country")), []).append(
                {"id": visit.get("id"), "year": year}
            )
    rows = []
    for resolution in resolutions:
        vote = resolution.get("vote")
        if not has_lists(vote):
            continue
        voters = sorted((code, choice) for choice in VOTE_CHOICES for code in vote.get(choice, []))  # type: ignore[union-attr]
        for code, choice in voters:
            rows.append(
                {
                    "resolution": resolution.get("symbol"),
                    "adopted": str(resolution.get("adopted")),
                    "country": code,
                    "vote": choice,
                    "visits": completed.get(code, []),
                }
            )
    return rows

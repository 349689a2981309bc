"""One definition of addressed / touched / gap (issue 15): `show taxation` listed two visit
reports under "Reports that addressed it" while coverage and gaps said it was only touched,
and never stated the theme's status."""

from __future__ import annotations

import json


def test_show_theme_states_the_status_first_as_coverage_and_gaps_do(tracker):
    coverage = json.loads(tracker("coverage", "-f", "json").output)
    assert {row["status"] for row in coverage} == {"addressed", "touched", "gap"}
    for row in coverage:
        shown = json.loads(tracker("show", row["theme"], "-f", "json").output)
        assert shown["status"] == row["status"], row["theme"]
    gaps = json.loads(tracker("gaps", "-f", "json").output)
    touched = {row["theme"] for row in gaps["themes"]["touched"]}
    assert "taxation" in touched


def test_show_taxation_lists_visit_reports_as_touching_not_addressing(tracker):
    text = tracker("show", "taxation").output
    lines = text.splitlines()
    assert lines[1].split()[:2] == ["status", "touched:"]
    assert "Reports that addressed it (thematic): none" in text
    touching = text.split("Reports that touched it")[1].split("Visits that focused on it")[0]
    assert "A/HRC/41/44/Add.2" in touching and "A/HRC/53/32/Add.1" in touching
    md = tracker("show", "migration", "-f", "md").output
    assert "**status**: addressed: addressed in the term" in md

"""The `recommendation` kind (issue 16): declared once, checked, listed, shown with the
report that made it and, on a country, with what followed there; found by search; and
leaving coverage as it was."""

from __future__ import annotations

import json
from pathlib import Path

RECOMMENDATIONS = """\
[[recommendation]]
id = "uhri-1"
report = "A/HRC/41/44/Add.2"
countries = ["NLD"]
type = "recommendation"
published = 2019-05-10
text = "The Government should raise its official development assistance to 0.7 per cent."
themes = ["Development"]
source = "https://uhri.ohchr.org/ (export of 2026-12-01)"

[[recommendation]]
id = "uhri-2"
report = "A/HRC/41/44/Add.2"
countries = ["NLD", "SWE"]
type = "observation"
text = "Concern about the fall in funding for migrants' reception."
source = "https://uhri.ohchr.org/ (export of 2026-12-01)"

[[recommendation]]
id = "uhri-3"
report = "A/HRC/23/45/Add.1"
countries = ["BRA"]
type = "recommendation"
published = 2013-04-02
text = "Brazil should keep its South-South cooperation programmes."
source = "https://uhri.ohchr.org/ (export of 2026-12-01)"
"""

# Before the Netherlands report (not listed as what followed) and after it (listed).
COMMUNICATIONS = """
[[communication]]
ref = "AL NLD 1/2018"
type = "AL"
holder = "okafor"
country = "NLD"
date = 2018-01-15
summary = "Before the visit"
source = "https://spcommreports.ohchr.org/"

[[communication]]
ref = "AL NLD 2/2020"
type = "AL"
holder = "okafor"
country = "NLD"
date = 2020-03-02
summary = "Cuts to development aid"
replies = [2020-05-01]
source = "https://spcommreports.ohchr.org/"
"""


def with_recommendations(shipped: Path) -> Path:
    (shipped / "recommendations.toml").write_text(RECOMMENDATIONS, encoding="utf-8")
    with open(shipped / "communications.toml", "a", encoding="utf-8") as handle:
        handle.write(COMMUNICATIONS)
    return shipped


def test_shipped_file_is_empty_with_its_header(shipped: Path) -> None:
    text = (shipped / "recommendations.toml").read_text(encoding="utf-8")
    assert text.startswith("# Recommendations and observations of the mandate's reports")
    assert "[[recommendation]]" not in text


def test_check_accepts_them_and_names_bad_ones(shipped: Path, tracker_for) -> None:
    run = tracker_for(with_recommendations(shipped))
    assert run("check").exit_code == 0
    bad = RECOMMENDATIONS.replace('["NLD", "SWE"]', '["NLD", "Sweden"]').replace(
        "A/HRC/23/45/Add.1", "A/HRC/99/9"
    )
    (shipped / "recommendations.toml").write_text(bad, encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1
    assert (
        "recommendations.toml:14: error: recommendation 'uhri-2' field 'countries': 'Sweden' "
        "is not an ISO 3166-1 alpha-3 country code (did you mean 'SWE'?" in result.output
    )
    assert "recommendation 'uhri-3' field 'report': no report 'A/HRC/99/9'" in result.output


def test_list_command(shipped: Path, tracker_for) -> None:
    result = tracker_for(with_recommendations(shipped))("recommendations", "--format", "json")
    rows = json.loads(result.output)
    assert [r["id"] for r in rows] == ["uhri-3", "uhri-1", "uhri-2"]  # by report
    assert rows[2]["countries"] == ["NLD", "SWE"]
    assert rows[1]["published"] == "2019-05-10"


def test_show_report_lists_its_recommendations(shipped: Path, tracker_for) -> None:
    result = tracker_for(with_recommendations(shipped))("show", "A/HRC/41/44/Add.2")
    assert result.exit_code == 0, result.output
    section = result.output.split("\nRecommendations\n", 1)[1]
    assert "uhri-1  A/HRC/41/44/Add.2  NLD        recommendation  2019-05-10" in section
    assert "raise its official development assistance" in section
    assert "uhri-2  A/HRC/41/44/Add.2  NLD, SWE   observation" in section
    assert "uhri-3" not in section


def test_show_country_lists_recommendations_with_visit_and_follow_up(
    shipped: Path, tracker_for
) -> None:
    run = tracker_for(with_recommendations(shipped))
    result = run("show", "Netherlands")
    assert result.exit_code == 0, result.output
    text = result.output
    assert "Recommendations of A/HRC/41/44/Add.2 (visit nld-2018)" in text
    made = text.split("Recommendations of A/HRC/41/44/Add.2 (visit nld-2018)\n", 1)[1]
    made = made.split("\n\n", 1)[0]
    assert "uhri-1  recommendation  2019-05-10  The Government should raise" in made
    assert "uhri-2  observation" in made
    assert "uhri-3" not in made
    title = "What followed A/HRC/41/44/Add.2 in Netherlands (Kingdom of the) (after 2019-05-10)"
    followed = text.split(title + "\n", 1)[1].split("\n\n", 1)[0]
    assert (
        "2020-03-02  communication  AL NLD 2/2020  AL; 1 reply: Cuts to development aid" in followed
    )
    assert "AL NLD 1/2018" not in followed  # before the report: not a follow-up

    data = json.loads(run("show", "NLD", "--format", "json").output)
    [chain] = data["follow_up"]
    assert chain["visit"] == "nld-2018"
    assert chain["since"] == "2019-05-10"
    assert [r["id"] for r in chain["recommendations"]] == ["uhri-1", "uhri-2"]
    assert [e["key"] for e in chain["followed"]] == ["AL NLD 2/2020"]


def test_show_country_addressed_without_visit(shipped: Path, tracker_for) -> None:
    result = tracker_for(with_recommendations(shipped))("show", "Sweden")
    # Sweden is named by the Netherlands report's observation, and has a visit of its own.
    assert "Recommendations of A/HRC/41/44/Add.2 (no visit recorded)" in result.output
    assert "What followed A/HRC/41/44/Add.2 in Sweden (after 2019)" in result.output


def test_show_country_without_recommendations(tracker) -> None:
    result = tracker("show", "Cuba")
    assert "Recommendations made to it: none recorded." in result.output


def test_search_finds_recommendation_text(shipped: Path, tracker_for) -> None:
    result = tracker_for(with_recommendations(shipped))("search", "South-South programmes")
    assert result.exit_code == 0
    assert "recommendation  uhri-3" in result.output
    assert "Recommendation of A/HRC/23/45/Add.1 (recommendation)" in result.output


def test_coverage_is_unchanged_by_recommendations(shipped: Path, tracker_for, tmp_path) -> None:
    before = tracker_for(shipped)("coverage", "--format", "json").output
    after = tracker_for(with_recommendations(shipped))("coverage", "--format", "json").output
    assert json.loads(after) == json.loads(before)

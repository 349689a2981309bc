"""scripts/reliability_report.py: docs/reliability.md says what the tests did, and only that."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from reliability import BAD, report_script

report = report_script()


def a_row(id: str, status: str = "passed", **bad: int) -> dict[str, Any]:
    counts = {kind: 0 for kind in BAD}
    counts.update({kind.replace("_", " "): n for kind, n in bad.items()})
    return {
        "id": id,
        "area": "Bad input",
        "what": f"{id} | with a pipe",
        "test": f"tests/test_x.py::test_{id}",
        "status": status,
        "note": "awaits a fix" if status == "xfailed" else "",
        "cases": 10 + sum(counts.values()),
        "outcomes": {"clear message": 10, **{k: n for k, n in counts.items() if n}},
        "bad": counts,
        "examples": [],
    }


def results(*rows: dict[str, Any], budget: str = "full") -> dict[str, Any]:
    return {
        "budget": budget,
        "budgets": {"ci": {"examples": 60}, "full": {"examples": 1500}},
        "python": "3.11.7",
        "platform": "linux",
        "commit": "0123456789abcdef0123456789abcdef01234567",
        "rows": list(rows),
    }


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "results.json"
    path.write_text(json.dumps(data))
    return path


def test_the_document_shows_every_row_its_counts_and_zero_bad_outcomes(tmp_path: Path) -> None:
    doc = tmp_path / "reliability.md"
    path = write(tmp_path, results(a_row("bytes"), a_row("dates")))
    assert report.main(["--results", str(path), "--output", str(doc)]) == 0
    text = doc.read_text()
    assert "**2 kinds of bad input and fault, 20 cases: tracebacks 0, lost records 0" in text
    assert (
        "| bytes \\| with a pipe | 10 | clear message: 10 | 0 | 0 | 0 | 0 | `test_x.py::test_bytes` |"
        in text
    )
    assert "| hypothesis examples per property | 60 | 1,500 |" in text
    assert report.main(["--results", str(path), "--output", str(doc), "--check"]) == 0


def test_a_bad_outcome_or_a_failed_test_is_never_published(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "reliability.md"
    for row in (a_row("bytes", tracebacks=1), a_row("bytes", status="failed")):
        path = write(tmp_path, results(row))
        assert report.main(["--results", str(path), "--output", str(doc)]) == 1
        assert not doc.exists()
    assert "bytes: 1 tracebacks" in capsys.readouterr().err


def test_known_gaps_are_listed_apart_with_the_fix_they_await(tmp_path: Path) -> None:
    doc = tmp_path / "reliability.md"
    path = write(tmp_path, results(a_row("bytes"), a_row("store", "xfailed", tracebacks=3)))
    assert report.main(["--results", str(path), "--output", str(doc)]) == 0
    text = doc.read_text()
    assert "**1 kinds of bad input and fault, 10 cases: tracebacks 0" in text
    gaps = text.split("## Known gaps")[1]
    assert "store \\| with a pipe (xfailed: awaits a fix) | 13 |" in gaps
    assert "| 3 | 0 | 0 | 0 |" in gaps


def test_the_check_fails_on_a_hand_edit_a_new_row_or_a_gap_that_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "reliability.md"
    published = results(a_row("bytes"), a_row("store", "xfailed", tracebacks=1))
    report.main(["--results", str(write(tmp_path, published)), "--output", str(doc)])
    text = doc.read_text()

    def check(data: dict[str, Any]) -> str:
        path = write(tmp_path, data)
        assert report.main(["--results", str(path), "--output", str(doc), "--check"]) == 1
        return capsys.readouterr().err

    doc.write_text(text.replace("| 10 |", "| 11 |", 1))
    assert "edited by hand" in check(published)
    doc.write_text(text)
    assert "'dates' was tried but is not in" in check(results(*published["rows"], a_row("dates")))
    fixed = copy.deepcopy(published)
    fixed["rows"][1] = a_row("store")
    assert "'store' is now passed: regenerate" in check(fixed)
    # At another budget an expected failure may pass (fewer cases): only the rows count.
    path = write(tmp_path, {**fixed, "budget": "ci"})
    assert report.main(["--results", str(path), "--output", str(doc), "--check"]) == 0


def test_a_row_that_did_not_run_or_ran_fewer_cases_than_its_budget_is_never_published(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "reliability.md"
    skipped = {**a_row("atheris", status="skipped"), "note": "atheris is not installed here"}
    skipped["cases"], skipped["outcomes"] = 0, {}
    too_few = {**a_row("bytes"), "scale": "examples"}  # 10 cases; the budget plans 1,500
    for row in (skipped, too_few):
        path = write(tmp_path, results(row))
        assert report.main(["--results", str(path), "--output", str(doc)]) == 1
        assert not doc.exists()
    err = capsys.readouterr().err
    assert "atheris did not run (skipped: atheris is not installed here)" in err
    assert "bytes: 10 cases, fewer than the 1,500 that the `full` budget plans" in err
    # Every row skipped: the check fails too, however the document reads.
    report.main(["--results", str(write(tmp_path, results(a_row("bytes")))), "--output", str(doc)])
    path = write(tmp_path, results({**skipped, "id": "bytes"}))
    assert report.main(["--results", str(path), "--output", str(doc), "--check"]) == 1
    assert "bytes did not run" in capsys.readouterr().err


def sized(id: str, cases: int, scale: str = "examples") -> dict[str, Any]:
    return {**a_row(id), "scale": scale, "cases": cases, "outcomes": {"clear message": cases}}


def test_the_check_fails_when_the_document_claims_more_cases_than_the_run_bears_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "reliability.md"
    ci_run = write(tmp_path, results(sized("bytes", 61), a_row("types"), budget="ci"))

    def check_against_ci_run(*published: dict[str, Any]) -> int:
        made = tmp_path / "made.json"
        made.write_text(json.dumps(results(*published)))
        assert report.main(["--results", str(made), "--output", str(doc)]) == 0
        return report.main(["--results", str(ci_run), "--output", str(doc), "--check"])

    # 61 cases at 60 examples bear out about 1,500 at 1,500 examples: up to 4,575.
    assert check_against_ci_run(sized("bytes", 1504), a_row("types")) == 0
    assert check_against_ci_run(sized("bytes", 15040), a_row("types")) == 1
    assert "bytes: reliability.md claims 15,040 cases" in capsys.readouterr().err
    # A fixed row: about the run's count, at any budget.
    assert check_against_ci_run(sized("bytes", 1504), sized("types", 100, "fixed")) == 1
    assert "types: reliability.md claims 100 cases" in capsys.readouterr().err
    # An open row (a time, a race) only has to have run.
    ci_run = write(tmp_path, results(sized("race", 3, "open"), budget="ci"))
    assert check_against_ci_run(sized("race", 791, "open")) == 0


def test_the_results_and_the_document_name_the_commit_they_were_made_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reliability import commit

    made_on = commit()
    assert made_on == "unknown" or len(made_on.rstrip("+")) == 40
    doc = tmp_path / "reliability.md"
    path = write(tmp_path, results(a_row("bytes")))
    assert report.main(["--results", str(path), "--output", str(doc)]) == 0
    assert "linux, on commit 0123456789ab." in doc.read_text()
    unnamed = results(a_row("bytes"))
    del unnamed["commit"]
    path = write(tmp_path, unnamed)
    assert report.main(["--results", str(path), "--output", str(doc), "--check"]) == 1
    assert "do not say which commit" in capsys.readouterr().err

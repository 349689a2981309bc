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

"""Coverage-guided fuzzing of the loader and validator with atheris (libFuzzer).

    .venv/bin/pip install atheris        # not a test dependency: wheels exist for few platforms
    .venv/bin/python tests/fuzz/atheris_loader.py --seconds 60

Each input is one data file: its first byte chooses which (mandate.toml, visits.toml or
themes.toml), the rest is the file's bytes; the other two files hold valid records.
The fuzzer starts from the shipped data files and a file with every kind of record, and
mutates them, guided by the lines of tracker's code each input reaches.

The rule is the one the hypothesis tests apply (tests/badinput.py): a valid load, or
problems that each name a data file and a line inside it. Anything else (an exception,
a problem without a place) stops the run with the input that caused it, written to
crash-<hash> in the current folder, and a non-zero exit status. `tests/test_fuzz_loader.py`
runs this harness for the budget's number of seconds and records what it tried.

Options: --seconds N (default 30), --results FILE (a JSON summary: runs and outcomes),
and any libFuzzer flag after them (e.g. -jobs=2, -dict=...).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import atheris

TESTS = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(TESTS.parent))

# Coverage of tracker's own code guides the mutations. Instrumenting tomllib as well
# makes each run thirty times slower for little gain: its errors all end in one place.
with atheris.instrument_imports(include=["tracker"]):
    from tracker import countries, dates, sources, validate  # noqa: F401

from badinput import VALID, BadOutcome, file_text, judge_load  # noqa: E402

from tracker.model import DATA_FILES  # noqa: E402

FOLDER = Path(tempfile.mkdtemp(prefix="tracker-atheris-")) / "data"
FOLDER.mkdir()
BASE = {name: file_text(name, VALID).text.encode() for name in DATA_FILES}
OUTCOMES: Counter[str] = Counter()


class Run:
    """When to stop, and where to write the summary (libFuzzer's own time limit ends the
    process without running Python's exit handlers, so the harness stops itself)."""

    deadline = float("inf")
    results: Path | None = None


def finish() -> None:
    if Run.results:
        summary = {"runs": sum(OUTCOMES.values()), "outcomes": dict(OUTCOMES)}
        Run.results.write_text(json.dumps(summary, indent=2) + "\n")


def test_one_input(data: bytes) -> None:
    if time.monotonic() > Run.deadline:
        finish()
        sys.stdout.flush()
        os._exit(0)
    if not data:
        return
    chosen = DATA_FILES[data[0] % len(DATA_FILES)]
    for name in DATA_FILES:
        (FOLDER / name).write_bytes(data[1:] if name == chosen else BASE[name])
    try:
        outcome, _ = judge_load(FOLDER)
    except BadOutcome as bad:
        OUTCOMES[bad.kind] += 1
        finish()
        raise AssertionError(f"{bad.kind}: {bad.detail}") from None
    OUTCOMES[outcome] += 1


def seed_corpus() -> Path:
    """The starting inputs: each shipped data file, and each file of the valid set."""
    corpus = Path(tempfile.mkdtemp(prefix="tracker-atheris-corpus-"))
    shipped = TESTS.parent / "data"
    for index, name in enumerate(DATA_FILES):
        (corpus / f"valid-{name}").write_bytes(bytes([index]) + BASE[name])
        if (shipped / name).is_file():
            (corpus / f"shipped-{name}").write_bytes(bytes([index]) + (shipped / name).read_bytes())
    return corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--results", type=Path)
    options, libfuzzer = parser.parse_known_args()
    Run.results = options.results
    Run.deadline = time.monotonic() + options.seconds
    argv = [
        sys.argv[0],
        "-max_len=65536",
        "-rss_limit_mb=4096",
        "-print_final_stats=1",
        *libfuzzer,
        str(seed_corpus()),
    ]
    atheris.Setup(argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

"""Count the instructions a read command executes, this checkout against another.

Wall-clock times on a shared 2-core machine move by 10 to 30% from run to run, more than
the differences between two versions of tracker's read path. The number of instructions
a whole process executes (valgrind's callgrind, `Collected`) moves by well under 1%, so it
answers "is this version slower?" where hyperfine cannot; bench/run.py --baseline gives the
times beside it.

Both versions read the same data (the baseline's data/, or a folder bench/run.py
--baseline prepared with the baseline's generate.py) through their own stores.

Usage:
  python bench/instructions.py --baseline /tmp/pre13
  python bench/instructions.py --baseline /tmp/pre13 --data /tmp/bw-ab/baseline/10x/data
Needs valgrind (Debian's package). It reports; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import env_for, first_holder, first_mandate  # noqa: E402

READS = (
    "holders --format json",
    "visits --format json",
    "reports --format json",
    "themes --format json",
    "show {holder} --format json",
    "search climate --format json",
    "coverage --format json {one}",
    "gaps --format json {one}",
    "timeline --format json {one}",
    "visits",
    "coverage {one}",
)


def instructions(argv: list[str], env: dict[str, str]) -> int:
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        env=env,
        capture_output=True,
        text=True,
    )
    found = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode != 0 or not found:
        raise SystemExit(f"{' '.join(argv)} failed:\n{result.stderr[-800:]}")
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, required=True, help="a checkout with .venv")
    parser.add_argument("--data", type=Path, help="default: the baseline's data/")
    args = parser.parse_args(argv)
    if not shutil.which("valgrind"):
        parser.error("valgrind is not installed (apt-get install valgrind)")
    baseline = args.baseline.resolve()
    data = (args.data or baseline / "data").resolve()
    work = Path(tempfile.mkdtemp(prefix="tracker-instructions-"))
    versions = {
        "before": baseline / ".venv" / "bin",
        "after": Path(sys.executable).parent,
    }
    one, holder = f"--mandate {first_mandate(data)}", first_holder(data)
    for name, bin_dir in versions.items():  # each version's store, built once
        program = [str(bin_dir / "python"), str(bin_dir / "tracker")]
        store = ["--data", str(data), "--db", str(work / f"{name}.db")]
        subprocess.run([*program, *store, "sync"], env=env_for({}), check=True, capture_output=True)
    rows = []
    for command in READS:
        words = command.format(one=one, holder=holder).split()
        counts = {}
        for name, bin_dir in versions.items():
            env = env_for({"env": "FORCE_COLOR=1 COLUMNS=80"} if "json" not in words else {})
            program = [str(bin_dir / "python"), str(bin_dir / "tracker")]
            store = ["--data", str(data), "--db", str(work / f"{name}.db")]
            counts[name] = instructions([*program, *store, *words], env)
        shown = command.format(one="--mandate M", holder="HOLDER")
        rows.append((shown, counts["before"], counts["after"]))
    reference = instructions([sys.executable, "-c", "pass"], env_for({}))
    print(f"Instructions (millions), {data}; `python -c pass`: {reference / 1e6:.1f}\n")
    print("| command | before | after | after / before |")
    print("| --- | ---: | ---: | ---: |")
    for command, before, after in rows:
        shown = command + (" (Rich, 80 columns)" if "json" not in command else "")
        print(f"| `{shown}` | {before / 1e6:.1f} | {after / 1e6:.1f} | {after / before:.3f} |")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sys.exit(main())

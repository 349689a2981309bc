"""Time tracker as whole processes, at the shipped size and at OHCHR scale (1x, 10x).

For each size it builds a data folder (the shipped data, or bench/generate.py's
synthetic data written through the project's writer), then times with hyperfine
(several runs, medians) the read commands, a cold rebuild, a rebuild after one
file changed and a write, together with two reference commands in the same run:
`python -c pass` and `sqlite-utils query STORE "select 1"`. Results are ratios to
those references, which hold on a noisy machine better than milliseconds do.
Peak memory (max RSS) is measured once per command with os.wait4.

Usage:
  python bench/run.py                      # shipped, 1x and 10x; 10 runs each
  python bench/run.py --sizes shipped,1x --runs 5
  python bench/run.py --smallest           # what CI runs: the smallest size, once
  python bench/run.py --markdown docs/performance-figures.md
The script reports; it asserts no timing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
SIZES = {"shipped": None, "0.1x": 0.1, "1x": 1.0, "10x": 10.0}
TODAY = "2026-11-23"


def tool(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def prepare_folder(size: str, root: Path) -> Path:
    folder = root / size / "data"
    if folder.exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    scale = SIZES[size]
    if scale is None:
        shutil.copytree(REPO / "data", folder, ignore=shutil.ignore_patterns("*.db*", ".*"))
    else:
        sys.path.insert(0, str(HERE))
        import generate

        generate.write(folder, scale)
    return folder


def country_of(folder: Path) -> str:
    """A country that has visits, for `visits --country`."""
    import tomllib

    visits = tomllib.loads((folder / "visits.toml").read_text("utf-8")).get("visit", [])
    return str(visits[len(visits) // 2]["country"]) if visits else "QAT"


def commands(folder: Path, db: Path) -> list[dict[str, Any]]:
    """(name, command, prepare) for every timed command; prepare runs before each run."""
    tracker = f"{tool('tracker')} --data {folder} --db {db}"
    country = country_of(folder)
    # The report views are about one mandate; at scale the store holds many.
    one = f"--mandate {first_mandate(folder)}"
    backup = folder.parent / "visits.toml.orig"
    if backup.exists():  # a kept --workdir: start from the data as generated
        shutil.copy(backup, folder / "visits.toml")
    else:
        shutil.copy(folder / "visits.toml", backup)
    restore = f"cp {backup} {folder / 'visits.toml'}"
    return [
        {"name": "python -c pass", "cmd": f"{sys.executable} -c pass", "kind": "reference"},
        {
            "name": "sqlite-utils query",
            "cmd": f"{tool('sqlite-utils')} query {db} 'select 1'",
            "kind": "reference",
        },
        {"name": "coverage --format json", "cmd": f"{tracker} coverage --format json {one}"},
        {"name": "gaps --format json", "cmd": f"{tracker} gaps --format json {one}"},
        {"name": "timeline --format json", "cmd": f"{tracker} timeline --format json {one}"},
        {
            "name": f"visits --country {country} --format json",
            "cmd": f"{tracker} visits --country {country} --format json",
        },
        # Drawn with Rich as on a terminal: FORCE_COLOR, and a fixed terminal width.
        rich("coverage", f"{tracker} coverage {one}", 80),
        rich("coverage (matrix)", f"{tracker} coverage {one}", 160),
        rich("gaps", f"{tracker} gaps {one}", 80),
        rich("timeline", f"{tracker} timeline {one}", 80),
        rich(f"visits --country {country}", f"{tracker} visits --country {country}", 80),
        {
            "name": "cold rebuild (sync)",
            "cmd": f"{tracker} sync",
            "kind": "rebuild",
            "prepare": f"rm -f {db}",
        },
        {
            "name": "rebuild after one file changed",
            "cmd": f"{tracker} holders --format json",
            "kind": "rebuild",
            "prepare": f"touch {folder / 'visits.toml'}",
        },
        {
            "name": "add visit",
            "kind": "write",
            "cmd": f"{tracker} add visit --id bench-added-visit --holder {first_holder(folder)} "
            f"--country {country} --status requested --source https://example.org/bench",
            "prepare": restore,
        },
    ]


def rich(name: str, cmd: str, columns: int) -> dict[str, Any]:
    """A read drawn with Rich on a terminal `columns` wide."""
    return {
        "name": f"{name} (Rich, {columns} columns)",
        "cmd": cmd,
        "env": f"FORCE_COLOR=1 COLUMNS={columns}",
    }


def first_mandate(folder: Path) -> str:
    import tomllib

    mandates = tomllib.loads((folder / "mandate.toml").read_text("utf-8")).get("mandate", [])
    return str(mandates[0]["id"])


def first_holder(folder: Path) -> str:
    import tomllib

    holders = tomllib.loads((folder / "mandate.toml").read_text("utf-8")).get("holder", [])
    in_office = [h for h in holders if "end" not in h]
    return str((in_office or holders)[0]["id"])


def env_for(entry: dict[str, Any]) -> dict[str, str]:
    env = {**os.environ, "TRACKER_TODAY": TODAY}
    env.pop("NO_COLOR", None)
    env.pop("FORCE_COLOR", None)
    # Measure as users run it: with bytecode cached (this sandbox sets the variable).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for assignment in entry.get("env", "").split():
        key, value = assignment.split("=", 1)
        env[key] = value
    return env


def hyperfine(entries: list[dict[str, Any]], runs: int, out: Path) -> dict[str, float]:
    """Medians in seconds, by name, from one hyperfine run over all entries."""
    argv = ["hyperfine", "-N", "--warmup", "1", "--runs", str(runs), "--export-json", str(out)]
    argv += ["--style", "none"]
    for entry in entries:
        argv += ["--prepare", entry.get("prepare", "true")]
    for entry in entries:
        argv += ["--command-name", entry["name"], wrap(entry)]
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env_for({}))
    results = json.loads(out.read_text())["results"]
    return {r["command"]: r["median"] for r in results}


def wrap(entry: dict[str, Any]) -> str:
    """hyperfine -N takes no shell: an env assignment goes through env(1)."""
    return f"env {entry['env']} {entry['cmd']}" if entry.get("env") else entry["cmd"]


def python_timer(entries: list[dict[str, Any]], runs: int) -> dict[str, float]:
    """The same measurement without hyperfine: medians of whole-process wall times."""
    medians = {}
    for entry in entries:
        times = []
        for _ in range(runs):
            if entry.get("prepare"):
                subprocess.run(entry["prepare"], shell=True, check=True)
            start = time.perf_counter()
            subprocess.run(
                entry["cmd"],
                shell=True,
                env=env_for(entry),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
            times.append(time.perf_counter() - start)
        medians[entry["name"]] = statistics.median(times)
    return medians


def peak_memory(entry: dict[str, Any]) -> int:
    """Max resident set size of one run, in kilobytes.

    Measured by GNU time where it exists: its child is forked from a small process,
    whereas a child of this script would count this script's own (large) memory, which
    it shares until it starts the command.
    """
    if entry.get("prepare"):
        subprocess.run(entry["prepare"], shell=True, check=True)
    gnu_time = shutil.which("time") or "/usr/bin/time"
    if Path(gnu_time).exists():
        result = subprocess.run(
            [gnu_time, "-f", "%M", "sh", "-c", f"{entry['cmd']} >/dev/null 2>&1"],
            env=env_for(entry),
            capture_output=True,
            text=True,
        )
        return int(result.stderr.strip().splitlines()[-1])
    process = subprocess.Popen(
        entry["cmd"],
        shell=True,
        env=env_for(entry),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return int(usage.ru_maxrss)


def check_works(entries: list[dict[str, Any]]) -> list[str]:
    """Every command must succeed once; the benchmark proves nothing otherwise."""
    failures = []
    for entry in entries:
        if entry.get("prepare"):
            subprocess.run(entry["prepare"], shell=True, check=True)
        result = subprocess.run(
            entry["cmd"], shell=True, env=env_for(entry), capture_output=True, text=True
        )
        if result.returncode != 0:
            failures.append(f"{entry['name']}: exit {result.returncode}: {result.stderr[-500:]}")
    return failures


def measure(size: str, root: Path, runs: int, use_hyperfine: bool) -> dict[str, Any]:
    folder = prepare_folder(size, root)
    db = folder.parent / "tracker.db"
    entries = commands(folder, db)
    failures = check_works(entries)
    if failures:
        raise SystemExit("benchmark commands failed:\n" + "\n".join(failures))
    subprocess.run(
        [tool("tracker"), "--data", str(folder), "--db", str(db), "sync"],
        check=True,
        stdout=subprocess.DEVNULL,
        env=env_for({}),
    )
    if use_hyperfine:
        medians = hyperfine(entries, runs, folder.parent / "hyperfine.json")
    else:
        medians = python_timer(entries, runs)
    memory = {e["name"]: peak_memory(e) for e in entries}
    return {"size": size, "entries": entries, "medians": medians, "memory": memory}


def table(results: list[dict[str, Any]]) -> str:
    lines = []
    for result in results:
        medians = result["medians"]
        python = medians["python -c pass"]
        sqlite_utils = medians["sqlite-utils query"]
        lines += [
            f"### {result['size']}",
            "",
            "| command | median ms | x python -c pass | x sqlite-utils query | peak MB |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for entry in result["entries"]:
            name = entry["name"]
            ms = medians[name] * 1000
            lines.append(
                f"| `{name}` | {ms:.1f} | {medians[name] / python:.1f} | "
                f"{medians[name] / sqlite_utils:.2f} | {result['memory'][name] / 1024:.0f} |"
            )
        lines.append("")
    lines += growth(results)
    return "\n".join(lines) + "\n"


def growth(results: list[dict[str, Any]]) -> list[str]:
    """How each command's time grows from the shipped size to the larger ones."""
    base = next((r for r in results if r["size"] == "shipped"), None)
    if base is None or len(results) < 2:
        return []
    others = [r for r in results if r is not base]
    lines = ["### Growth (median time relative to the shipped data)", ""]
    lines.append("| command | " + " | ".join(r["size"] for r in others) + " |")
    lines.append("| --- |" + " ---: |" * len(others))
    for entry in base["entries"]:
        name = entry["name"]
        cells = []
        for other in others:
            match = next((e["name"] for e in other["entries"] if same(e["name"], name)), None)
            cells.append(f"{other['medians'][match] / base['medians'][name]:.2f}" if match else "")
        lines.append(f"| `{name}` | " + " | ".join(cells) + " |")
    return [*lines, ""]


def same(a: str, b: str) -> bool:
    """Names match once the country (which differs by size) is left out."""

    def strip(name: str) -> str:
        return " ".join(w for w in name.split() if not (len(w) == 3 and w.isupper()))

    return strip(a) == strip(b)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="shipped,1x,10x")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--smallest", action="store_true", help="CI: the smallest size, once")
    parser.add_argument("--workdir", type=Path, help="keep generated data here (default: temp)")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    args = parser.parse_args(argv)
    sizes = ["shipped"] if args.smallest else args.sizes.split(",")
    runs = 1 if args.smallest else args.runs
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]} (choose from {', '.join(SIZES)})")
    use_hyperfine = shutil.which("hyperfine") is not None and runs > 1
    root = args.workdir or Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    results = [measure(size, root, runs, use_hyperfine) for size in sizes]
    text = table(results)
    timer = "hyperfine" if use_hyperfine else "python timer"
    text = f"Measured {time.strftime('%Y-%m-%d')} with {timer}, {runs} run(s), medians.\n\n{text}"
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

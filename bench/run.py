"""Time tracker as whole processes, at the shipped size and at OHCHR scale (1x, 10x).

For each size it builds a data folder (the shipped data, or bench/generate.py's
synthetic data written through the project's writer), then times with hyperfine (several
runs, medians) the read commands, a cold rebuild, a rebuild after one file changed (a
note added or taken out, bench/edit_one.py) or only touched, `check`, `fmt --check` and
the writes (add, update --status, link, remove, add theme), together with three
reference commands in the same run: `python -c pass`, `sqlite-utils query STORE "select
1"` and `sqlite-utils insert` of one row into a copy of the store. Results are ratios to
those references, which hold on a noisy machine better than milliseconds do. Peak memory
(max RSS) is measured once per command.

Each write is undone before each run by its inverse, through tracker itself (a `remove`
before an `add`, an `unlink` before a `link`), so that every timed write meets a store
that matches the files, as a user's write does.

With --baseline DIR (another checkout of tracker with its own .venv, e.g. a git
worktree of an older commit), the read commands of both versions are timed in the same
hyperfine run, on data both can read: DIR's data/ and DIR's bench/generate.py.

Usage:
  python bench/run.py                      # shipped, 1x and 10x; 10 runs each
  python bench/run.py --sizes shipped,1x --runs 5
  python bench/run.py --smallest           # what CI runs: the smallest size, once
  python bench/run.py --markdown docs/performance-figures.md
  python bench/run.py --baseline /tmp/pre13 --sizes shipped,10x   # before and after
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
EDIT_ONE = HERE / "edit_one.py"
BIN = Path(sys.executable).parent
SIZES = {"shipped": None, "0.1x": 0.1, "1x": 1.0, "10x": 10.0}
TODAY = "2026-11-23"


def tool(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def prepare_folder(size: str, root: Path, source: Path | None = None) -> Path:
    """The data folder of a size: the shipped data, or bench/generate.py's. With `source`
    (another checkout), its data and its generate.py, run by its own Python."""
    folder = root / size / "data"
    if folder.exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    scale = SIZES[size]
    repo = source or REPO
    if scale is None:
        shutil.copytree(repo / "data", folder, ignore=shutil.ignore_patterns("*.db*", ".*"))
    elif source is not None:
        python = source / ".venv" / "bin" / "python"
        generate = [str(python), str(source / "bench" / "generate.py"), str(folder)]
        subprocess.run([*generate, "--scale", str(scale)], check=True, cwd=source)
    else:
        sys.path.insert(0, str(HERE))
        import generate

        generate.write(folder, scale)
    return folder


def records(folder: Path, filename: str, kind: str) -> list[dict[str, Any]]:
    """The records of a kind in every `filename` of the folder (flat, or one sub-folder per
    mandate), in path order."""
    import tomllib

    found: list[dict[str, Any]] = []
    for path in sorted(folder.rglob(filename)):
        found += tomllib.loads(path.read_text("utf-8")).get(kind, [])
    return found


def country_of(folder: Path) -> str:
    """A country that has visits, for `visits --country`."""
    visits = records(folder, "visits.toml", "visit")
    return str(visits[len(visits) // 2]["country"]) if visits else "QAT"


def first_mandate(folder: Path) -> str:
    return str(records(folder, "mandate.toml", "mandate")[0]["id"])


def first_holder(folder: Path) -> str:
    holders = records(folder, "mandate.toml", "holder")
    in_office = [h for h in holders if "end" not in h]
    return str((in_office or holders)[0]["id"])


def first_report(folder: Path) -> tuple[str, str]:
    """A report's symbol and its holder's mandate (a theme to link must be the mandate's)."""
    report = records(folder, "themes.toml", "report")[0]
    holders = {h["id"]: h for h in records(folder, "mandate.toml", "holder")}
    return str(report["symbol"]), str(holders[report["holder"]]["mandate"])


def changed_file(folder: Path) -> Path:
    """The visits file a rebuild after one change finds touched: the first mandate's."""
    return sorted(folder.rglob("visits.toml"))[0]


def commands(folder: Path, db: Path) -> list[dict[str, Any]]:
    """Every timed command: name, cmd, kind, and `prepare`, run before each run."""
    return [*references(folder, db), *reads(folder, db), *bulk(folder, db), *writes(folder, db)]


def tracker_at(folder: Path, db: Path, program: str | None = None) -> str:
    return f"{program or tool('tracker')} --data {folder} --db {db}"


def references(folder: Path, db: Path) -> list[dict[str, Any]]:
    row = folder.parent / "bench-row.json"
    row.write_text('{"id": 1, "name": "one row"}', encoding="utf-8")
    copy = folder.parent / "insert-reference.db"
    return [
        {"name": "python -c pass", "cmd": f"{sys.executable} -c pass", "kind": "reference"},
        {
            "name": "sqlite-utils query",
            "cmd": f"{tool('sqlite-utils')} query {db} 'select 1'",
            "kind": "reference",
        },
        {
            # Into a copy of the store, of the same size: tracker's own store must stay
            # tracker's (a table added behind its back would make it rebuild).
            "name": "sqlite-utils insert (one row)",
            "cmd": f"{tool('sqlite-utils')} insert {copy} bench {row} --pk id --replace",
            "kind": "reference",
            "setup": f"cp {db} {copy}",
        },
    ]


def reads(folder: Path, db: Path, program: str | None = None) -> list[dict[str, Any]]:
    tracker = tracker_at(folder, db, program)
    country = country_of(folder)
    # The report views are about one mandate; at scale the store holds many.
    one = f"--mandate {first_mandate(folder)}"
    return [
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
    ]


def bulk(folder: Path, db: Path) -> list[dict[str, Any]]:
    tracker = tracker_at(folder, db)
    return [
        {
            "name": "cold rebuild (sync)",
            "cmd": f"{tracker} sync",
            "kind": "rebuild",
            "prepare": f"rm -f {db}",
        },
        {
            # A note added to (or taken from) one record, as by hand in an editor.
            "name": "rebuild after one file changed",
            "cmd": f"{tracker} holders --format json",
            "kind": "rebuild",
            "prepare": f"{sys.executable} {EDIT_ONE} {changed_file(folder)}",
        },
        {
            # The same bytes, a new modification time (a checkout, a copy).
            "name": "rebuild after one file touched",
            "cmd": f"{tracker} holders --format json",
            "kind": "rebuild",
            "prepare": f"touch {changed_file(folder)}",
        },
        {"name": "check", "cmd": f"{tracker} check", "kind": "bulk"},
        {"name": "fmt --check", "cmd": f"{tracker} fmt --check", "kind": "bulk"},
    ]


def writes(folder: Path, db: Path) -> list[dict[str, Any]]:
    """The writes, each undone before each run by its inverse (through tracker)."""
    tracker = tracker_at(folder, db)
    holder, country = first_holder(folder), country_of(folder)
    report, mandate = first_report(folder), first_mandate(folder)
    symbol, report_mandate = report
    source = "--source https://example.org/bench"
    visit = f"--holder {holder} --country {country} --status requested {source}"
    theme = f"--title 'A benchmark theme' {source}"

    def undo(command: str) -> str:
        # Before the first run there may be nothing to undo.
        return f'sh -c "{command} >/dev/null 2>&1; true"'

    return [
        {
            "name": "add visit",
            "kind": "write",
            "cmd": f"{tracker} add visit --id bench-added-visit {visit}",
            "prepare": undo(f"{tracker} remove visit bench-added-visit"),
        },
        {
            "name": "update visit --status",
            "kind": "write",
            "cmd": f"{tracker} update visit bench-visit --status accepted",
            "prepare": undo(f"{tracker} update visit bench-visit --status requested"),
            "setup": f"{tracker} add visit --id bench-visit {visit}",
        },
        {
            "name": "link",
            "kind": "write",
            "cmd": f"{tracker} link {symbol} bench-linked-theme",
            "prepare": undo(f"{tracker} unlink {symbol} bench-linked-theme"),
            "setup": f"{tracker} add theme --id bench-linked-theme --mandate {report_mandate} "
            + theme,
        },
        {
            "name": "remove visit",
            "kind": "write",
            "cmd": f"{tracker} remove visit bench-removed-visit",
            "prepare": undo(f"{tracker} add visit --id bench-removed-visit {visit}"),
        },
        {
            "name": "add theme",
            "kind": "write",
            "cmd": f"{tracker} add theme --id bench-added-theme --mandate {mandate} {theme}",
            "prepare": undo(f"{tracker} remove theme bench-added-theme"),
        },
    ]


def rich(name: str, cmd: str, columns: int) -> dict[str, Any]:
    """A read drawn with Rich on a terminal `columns` wide."""
    return {
        "name": f"{name} (Rich, {columns} columns)",
        "cmd": cmd,
        "env": f"FORCE_COLOR=1 COLUMNS={columns}",
    }


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
                subprocess.run(entry["prepare"], shell=True, check=True, env=env_for(entry))
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
        subprocess.run(entry["prepare"], shell=True, check=True, env=env_for(entry))
    gnu_time = shutil.which("time") or "/usr/bin/time"
    if Path(gnu_time).exists():
        result = subprocess.run(
            [gnu_time, "-f", "%M", "sh", "-c", f"{entry['cmd']} >/dev/null 2>&1"],
            env=env_for(entry),
            capture_output=True,
            text=True,
        )
        # GNU time says "Command exited with non-zero status N" first: a run that failed
        # measured something else than the command.
        if "non-zero status" in result.stderr:
            raise SystemExit(f"{entry['name']} failed when its memory was measured")
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
            subprocess.run(entry["prepare"], shell=True, check=True, env=env_for(entry))
        result = subprocess.run(
            entry["cmd"], shell=True, env=env_for(entry), capture_output=True, text=True
        )
        if result.returncode != 0:
            failures.append(f"{entry['name']}: exit {result.returncode}: {result.stderr[-500:]}")
    return failures


def run_setups(entries: list[dict[str, Any]]) -> None:
    """What a command needs once before it is timed (a record to update, a store copy)."""
    for entry in entries:
        if entry.get("setup"):
            subprocess.run(
                entry["setup"],
                shell=True,
                check=True,
                env=env_for(entry),
                stdout=subprocess.DEVNULL,
            )


def sync(folder: Path, db: Path, program: str | None = None) -> None:
    subprocess.run(
        [program or tool("tracker"), "--data", str(folder), "--db", str(db), "sync"],
        check=True,
        stdout=subprocess.DEVNULL,
        env=env_for({}),
    )


def timed(entries: list[dict[str, Any]], runs: int, use_hyperfine: bool, out: Path) -> Any:
    failures = check_works(entries)
    if failures:
        raise SystemExit("benchmark commands failed:\n" + "\n".join(failures))
    if use_hyperfine:
        return hyperfine(entries, runs, out)
    return python_timer(entries, runs)


def measure(size: str, root: Path, runs: int, use_hyperfine: bool) -> dict[str, Any]:
    folder = prepare_folder(size, root)
    db = folder.parent / "tracker.db"
    sync(folder, db)
    entries = commands(folder, db)
    run_setups(entries)
    medians = timed(entries, runs, use_hyperfine, folder.parent / "hyperfine.json")
    memory = {e["name"]: peak_memory(e) for e in entries}
    return {"size": size, "entries": entries, "medians": medians, "memory": memory}


def compare(size: str, root: Path, baseline: Path, runs: int, use_hyperfine: bool) -> str:
    """The read commands of `baseline` (another checkout) and of this one, in one run, on
    data both read (the baseline's); a Markdown table of before and after."""
    folder = prepare_folder(size, root / "baseline", baseline)
    before_program = str(baseline / ".venv" / "bin" / "tracker")
    before_db, after_db = folder.parent / "before.db", folder.parent / "after.db"
    sync(folder, before_db, before_program)
    sync(folder, after_db)
    python = references(folder, after_db)[0]
    before = reads(folder, before_db, before_program)
    after = reads(folder, after_db)
    for entry in before:
        entry["name"] += " (before)"
    medians = timed([python, *before, *after], runs, use_hyperfine, folder.parent / "ab.json")
    lines = [
        f"#### {size}: before ({baseline.name}) and after, one run",
        "",
        "| command | before ms | after ms | after / before |",
        "| --- | ---: | ---: | ---: |",
    ]
    for old, new in zip(before, after, strict=True):
        was, now = medians[old["name"]] * 1000, medians[new["name"]] * 1000
        lines.append(f"| `{new['name']}` | {was:.1f} | {now:.1f} | {now / was:.2f} |")
    reference = medians[python["name"]] * 1000
    return "\n".join([*lines, f"| `python -c pass` (reference) | | {reference:.1f} | |", ""])


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


# Issue 17's targets at 10x: (command, what it is held to). Each write is held to twice
# `sqlite-utils insert` of one row and 80 MB; see docs/performance.md.
WRITES = ("add visit", "update visit --status", "link", "remove visit", "add theme")
RICH_VIEWS = ("coverage (Rich", "gaps (Rich", "timeline (Rich")


def targets(results: list[dict[str, Any]]) -> str:
    """Each target of docs/performance.md against what this run measured."""
    lines = ["### Against the targets", "", "| size | command | target | measured | |"]
    lines.append("| --- | --- | --- | --- | --- |")
    for result in results:
        for row in target_rows(result):
            lines.append(f"| {result['size']} | " + " | ".join(row) + " |")
    return "\n".join([*lines, ""]) + "\n"


def target_rows(result: dict[str, Any]) -> list[list[str]]:
    medians, memory, size = result["medians"], result["memory"], result["size"]
    insert = medians["sqlite-utils insert (one row)"]
    python, query = medians["python -c pass"], medians["sqlite-utils query"]
    rows = []

    def held(name: str, target: str, ratio: float, limit: float, mb: float | None) -> None:
        peak = memory[name] / 1024
        met = ratio <= limit and (mb is None or peak <= mb)
        shown = f"{medians[name] * 1000:.0f} ms ({ratio:.2f}), {peak:.0f} MB"
        rows.append([f"`{name}`", target, shown, "met" if met else "**not met**"])

    for name in WRITES:
        if size == "shipped":
            held(name, "≤ 1x sqlite-utils insert", medians[name] / insert, 1.0, None)
        elif size == "10x":
            held(name, "≤ 2x sqlite-utils insert, ≤ 80 MB", medians[name] / insert, 2.0, 80)
    if size == "10x":
        for name, seconds, mb in (
            ("rebuild after one file changed", 1.0, None),
            ("rebuild after one file touched", 1.0, None),
            ("cold rebuild (sync)", 3.0, 150),
            ("check", 2.0, 150),
            ("fmt --check", 2.0, 150),
        ):
            limit = f"≤ {seconds:g} s" + (f", ≤ {mb} MB" if mb else "")
            held(name, limit, medians[name], seconds, mb)
    for entry in result["entries"]:
        if entry["name"].startswith(RICH_VIEWS):
            name = entry["name"]
            held(name, "≤ 8x python -c pass", medians[name] / python, 8.0, None)
            held(name, "≤ 0.6x sqlite-utils query", medians[name] / query, 0.6, None)
    return rows


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
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another checkout with its .venv: time its read commands beside these",
    )
    args = parser.parse_args(argv)
    sizes = ["shipped"] if args.smallest else args.sizes.split(",")
    runs = 1 if args.smallest else args.runs
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size {unknown[0]} (choose from {', '.join(SIZES)})")
    use_hyperfine = shutil.which("hyperfine") is not None and runs > 1
    root = args.workdir or Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    if args.baseline:
        tables = [
            compare(size, root, args.baseline.resolve(), runs, use_hyperfine) for size in sizes
        ]
        text = "\n".join(tables)
    else:
        results = [measure(size, root, runs, use_hyperfine) for size in sizes]
        text = table(results) + targets(results)
    timer = "hyperfine" if use_hyperfine else "python timer"
    text = f"Measured {time.strftime('%Y-%m-%d')} with {timer}, {runs} run(s), medians.\n\n{text}"
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

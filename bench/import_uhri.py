"""Peak memory and time of `tracker import uhri` on a large generated UHRI JSON export.

The full UHRI export is about 360 MB (every mechanism, updated daily). This script writes
a file of that shape and size: an array of annotation objects with the export's keys, HTML
text of a realistic length, most of them of other mechanisms and a few hundred of the
mandate's reports (the shipped visit reports), then runs the import as a whole process on
a copy of the shipped data and reports its peak RSS (os.wait4) and wall time, next to a
reference process (`python -c "import json"`) measured the same way. It reports; it
asserts nothing.

Usage:
  python bench/import_uhri.py                 # 400 MB, the default
  python bench/import_uhri.py --mb 50         # a smaller file
  python bench/import_uhri.py --keep FILE     # keep the generated file at FILE
  python bench/import_uhri.py --mb 100 --compare   # also the JSON readers side by side
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
IE = "IE human rights and international solidarity"
# The shipped visit reports and their countries: the mandate's rows point at them.
OURS = [
    ("A/HRC/23/45/Add.1", "Brazil"),
    ("A/HRC/32/43/Add.1", "Morocco"),
    ("A/HRC/35/35/Add.1", "Norway"),
    ("A/HRC/38/40/Add.1", "Cuba"),
    ("A/HRC/41/44/Add.1", "Sweden"),
    ("A/HRC/41/44/Add.2", "Netherlands (Kingdom of the)"),
    ("A/HRC/44/44/Add.1", "Qatar"),
    ("A/HRC/53/32/Add.1", "Costa Rica"),
]
OTHERS = ["SR food", "SR health", "WG arbitrary detention", "UPR", "CEDAW", "CRC", "HRCttee"]
SENTENCE = (
    "the State should ensure that international cooperation and assistance respect human "
    "rights including the right to development and take measures to protect migrants and "
    "refugees while strengthening solidarity with the most vulnerable groups"
)
WORDS = SENTENCE.split()


def annotation(number: int) -> dict[str, object]:
    """One annotation; one in 2,000 is the mandate's."""
    ours = number % 2000 == 0
    symbol, country = (
        OURS[number % len(OURS)] if ours else (f"A/HRC/{number % 60}/{number % 97}", "Brazil")
    )
    words = " ".join(WORDS[(number + i) % len(WORDS)] for i in range(120))
    return {
        "AnnotationId": f"{number:08d}-{number % 9973:04x}",
        "Text": f"<p>{words}.</p><p>{words[:200]}</p>",
        "Symbol": symbol,
        "Body": [IE if ours else OTHERS[number % len(OTHERS)]],
        "Countries": [country],
        "Themes": ["Development", "International cooperation"],
        "Sdgs": ["17 - Partnerships for the goals"],
        "AffectedPersons": ["Migrants", "Refugees"],
        "Regions": ["Latin America and the Caribbean"],
        "AnnotationType": "Recommendations" if number % 3 else "Concerns/Observations",
        "PublicationDate": f"20{10 + number % 14}-0{1 + number % 9}-1{number % 10}T00:00:00",
        "UprCycle": None,
        "UprRecommendingCountry": None,
    }


def generate(path: Path, megabytes: float) -> int:
    """Write an export of about `megabytes` MB; the number of annotations written."""
    target = int(megabytes * 1024 * 1024)
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write("[\n")
        while out.tell() < target:
            if count:
                out.write(",\n")
            out.write(json.dumps(annotation(count), ensure_ascii=False))
            count += 1
        out.write("\n]\n")
    return count


def measure(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB (os.wait4) and the output of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{output}")
    return seconds, usage.ru_maxrss / 1024, output


# The ways to read the export that were weighed (docs/performance.md): each counts the items.
READERS = {
    "json.load (whole file)": "import json,sys; print(len(json.load(open(sys.argv[1], 'rb'))))",
    "ijson, yajl2_c backend": "import ijson,sys; f=open(sys.argv[1],'rb'); "
    "print(sum(1 for _ in ijson.get_backend('yajl2_c').items(f, 'item')))",
    "ijson, pure Python backend": "import ijson,sys; f=open(sys.argv[1],'rb'); "
    "print(sum(1 for _ in ijson.get_backend('python').items(f, 'item')))",
}


def compare(export: Path, env: dict[str, str]) -> None:
    for name, code in READERS.items():
        seconds, peak, _ = measure([sys.executable, "-c", code, str(export)], env)
        print(f"reader     {name:28} {seconds:6.2f} s  {peak:6.1f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=400, help="size of the export (MB)")
    parser.add_argument("--keep", type=Path, help="write the export here and keep it")
    parser.add_argument("--compare", action="store_true", help="also time the JSON readers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        export = args.keep or folder / "export-full-en.json"
        started = time.perf_counter()
        count = generate(export, args.mb)
        size = export.stat().st_size / 1024 / 1024
        print(
            f"generated {export.name}: {size:.0f} MB, {count} annotations "
            f"({time.perf_counter() - started:.0f} s)"
        )
        data = folder / "data"
        shutil.copytree(REPO / "data", data, ignore=shutil.ignore_patterns("*.db*", ".*"))
        env = {**os.environ, "TRACKER_DATA": str(data), "TRACKER_DB": str(folder / "t.db")}
        env.pop("COLUMNS", None)
        reference = measure([sys.executable, "-c", "import json"], env)
        tracker = [str(BIN / "tracker"), "import", "uhri", str(export), "--exported", "2026-12-01"]
        first = measure(tracker, env)
        again = measure(tracker, env)
        print(f"reference  python -c 'import json'  {reference[0]:6.2f} s  {reference[1]:6.1f} MB")
        print(f"import     (first)                  {first[0]:6.2f} s  {first[1]:6.1f} MB")
        print(f"import     (again, nothing to do)   {again[0]:6.2f} s  {again[1]:6.1f} MB")
        print(f"throughput {size / first[0]:.0f} MB/s")
        print("first import said: " + first[2].strip().splitlines()[0])
        print("second import said: " + again[2].strip().splitlines()[0])
        if args.compare:
            compare(export, env)


if __name__ == "__main__":
    main()

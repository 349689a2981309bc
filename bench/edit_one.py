"""Edit one data file as a person would, for bench/run.py's "rebuild after one file
changed": give the file's first record a note, or take it out again (each run's edit
undoes the last one's); a record that has a note of its own gets a few words added to it
instead, and taken off again. Every other byte stays as it was, and a file in canonical
layout stays in it."""

from __future__ import annotations

import sys
from pathlib import Path

NOTE = 'note = "Edited by hand for the benchmark."'
ADDED = " (edited by hand)"


def toggle(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    start = text.index("\n[[") + 1  # the first record's header line
    end = text.find("\n\n[[", start)
    lines = text[start : len(text) if end < 0 else end].split("\n")
    if NOTE in lines:
        lines.remove(NOTE)
    elif any(line.startswith('note = "') for line in lines):
        at = next(i for i, line in enumerate(lines) if line.startswith('note = "'))
        note = lines[at][:-1]  # without its closing quote
        lines[at] = (note.removesuffix(ADDED) if note.endswith(ADDED) else note + ADDED) + '"'
    else:
        # Where the canonical layout puts it, so that the file stays canonical (`fmt
        # --check` is timed too): after `source`, the last field before a note.
        at = next(i for i, line in enumerate(lines) if line.startswith("source = "))
        lines.insert(at + 1, NOTE)
    record = "\n".join(lines)
    path.write_text(text[:start] + record + text[len(text) if end < 0 else end :], "utf-8")


if __name__ == "__main__":
    toggle(Path(sys.argv[1]))

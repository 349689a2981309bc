"""Edit one data file as a person would, for bench/run.py's "rebuild after one file
changed": add a note to the file's first record, or take it out again (each run's edit
undoes the last one's), leaving every other byte as it was."""

from __future__ import annotations

import sys
from pathlib import Path

NOTE = 'note = "Edited by hand for the benchmark."\n'


def toggle(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if NOTE in text:
        text = text.replace(NOTE, "", 1)
    else:
        header = text.index("\n[[") + 1  # the first record's header line
        end = text.index("\n", header) + 1
        line = text.index("\n", end) + 1  # after its first field (its key)
        text = text[:line] + NOTE + text[line:]
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    toggle(Path(sys.argv[1]))

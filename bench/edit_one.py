"""Edit one data file as a person would, for bench/run.py's "rebuild after one file
changed": give the file's first record a note, or take it out again (each run's edit
undoes the last one's); a record that has a note of its own gets a few words added to it
instead, and taken off again. Every other byte stays as it was."""

from __future__ import annotations

import sys
from pathlib import Path

NOTE = 'note = "Edited by hand for the benchmark."\n'
ADDED = " (edited by hand)"


def toggle(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    start = text.index("\n[[") + 1  # the first record's header line
    end = text.find("\n\n[[", start)
    end = len(text) if end < 0 else end
    record = text[start:end]
    own = record.find('\nnote = "')
    if NOTE in record:
        record = record.replace(NOTE, "", 1)
    elif own >= 0:
        line_end = record.find("\n", own + 1)
        close = (len(record) if line_end < 0 else line_end) - 1  # the note's closing quote
        if record[:close].endswith(ADDED):
            record = record[: close - len(ADDED)] + record[close:]
        else:
            record = record[:close] + ADDED + record[close:]
    else:
        key_line_end = record.index("\n", record.index("\n") + 1) + 1  # after its first field
        record = record[:key_line_end] + NOTE + record[key_line_end:]
    path.write_text(text[:start] + record + text[end:], encoding="utf-8")


if __name__ == "__main__":
    toggle(Path(sys.argv[1]))

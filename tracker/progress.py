"""A progress display for rebuilds that take more than a moment.

Shown only on a terminal (stderr), never when output is piped, and only when the
data is large enough for a rebuild to be noticeable; Rich is imported only then.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator

from tracker.layout import data_files

# Below this much TOML a rebuild takes a fraction of a second: no display.
NOTICEABLE_BYTES = 256 * 1024


def data_size(folder: str | os.PathLike[str]) -> int:
    total = 0
    for name in data_files(folder):
        with contextlib.suppress(OSError):
            total += os.stat(os.path.join(folder, name)).st_size
    return total


def wanted(folder: str | os.PathLike[str]) -> bool:
    return sys.stderr.isatty() and data_size(folder) >= NOTICEABLE_BYTES


@contextlib.contextmanager
def stages(
    folder: str | os.PathLike[str], title: str, first: str, total: int
) -> Iterator[Callable[[str], None]]:
    """A progress bar over the `total` stages of some work, the `first` of which begins
    now. Yields step(description): call it as each later stage begins."""
    if not wanted(folder):
        yield lambda description: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    console = Console(stderr=True)
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(f"{title}: {first}", total=total)

        def step(description: str) -> None:
            progress.update(task, advance=1, description=f"{title}: {description}")

        yield step
        progress.update(task, completed=total)

"""The command-line interface: thin glue between argument parsing and tracker.commands."""

from __future__ import annotations

import os
import sys
from typing import NoReturn


def main(argv: list[str] | None = None, exit_at_once: bool = False) -> None:
    """Entry point of the `tracker` command.

    Plain read commands take the fast path (tracker.cli.fast), which skips
    importing Typer; everything else, and anything the fast path is unsure of,
    goes to the Typer app. TRACKER_NO_FAST=1 turns the fast path off.

    exit_at_once: after a fast read, leave without Python's interpreter teardown (see
    program()). Only for a process that runs nothing after this call.
    """
    args = sys.argv[1:] if argv is None else list(argv)
    if sys.stdout is None and sys.stderr is not None:  # started with `>&-`
        sys.stderr.write("Error: cannot write the output: standard output is closed\n")
        sys.exit(1)
    if not os.environ.get("TRACKER_NO_FAST"):
        from tracker.cli.fast import try_run

        code = try_run(args)
        if code is not None:
            if exit_at_once:
                exit_now(code)
            finish(code)
    from tracker.cli.app import app

    try:
        app(args=args, prog_name="tracker")
    except SystemExit as end:  # Typer (Click) always ends this way
        finish(status_of(end))
    except BrokenPipeError:
        reader_gone()
        sys.exit(0)
    except OSError as error:  # help or usage text to a full device: commands catch their own
        output_failed(error)
    finish(0)


def status_of(end: SystemExit) -> int:
    if end.code is None:
        return 0
    if isinstance(end.code, int):
        return end.code
    sys.stderr.write(f"{end.code}\n")
    return 1


def finish(code: int) -> NoReturn:
    """Flush what was printed, then exit with code.

    Flushing here, not in the interpreter's teardown, is what turns a full device into a
    message and status 1: the teardown's own flush can only print "Exception ignored" and
    end with status 120, after the command's work was done. Output is block-buffered
    whenever it is not a terminal (unless PYTHONUNBUFFERED happens to be set), so this is
    where the failure shows.
    """
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        reader_gone()
    except OSError as error:
        output_failed(error)
    sys.exit(code)


def reader_gone() -> None:
    """The reader went away (`tracker --help | head -1`). As Python's documentation
    advises: point stdout at devnull so that the final flush has nowhere to fail."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def program() -> None:
    """The `tracker` program itself (console script and `python -m tracker`)."""
    main(exit_at_once=True)


def exit_now(code: int) -> None:
    """Flush the output and end the process without the interpreter's teardown.

    A read has nothing left to clean up once its output is flushed: the store's
    connection is closed and nothing was written. Python's teardown would then spend
    6-13 ms (a fifth of a read drawn with Rich) freeing every module and object one by
    one before the operating system frees them all at once.
    """
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass  # the reader went away (`| head`): as for any pipe, nothing more to say
    except OSError as error:
        output_failed(error)
    os._exit(code)


def output_failed(error: OSError) -> NoReturn:
    """Say the output could not be written, and end with status 1 without writing more to
    it (the interpreter's last flush of stdout would fail, and print a traceback)."""
    with open(2, "w", closefd=False) as stderr:
        stderr.write(f"Error: cannot write the output: {error.strerror or error}\n")
    os._exit(1)

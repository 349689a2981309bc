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
            sys.stdout.flush()
            sys.exit(code)
    from tracker.cli.app import app

    try:
        app(args=args, prog_name="tracker")
    except BrokenPipeError:
        # The reader went away (`tracker --help | head -1`). As Python's documentation
        # advises: point stdout at devnull so that the final flush has nowhere to fail.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    except OSError as error:  # help or usage text to a full device: commands catch their own
        output_failed(error)


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

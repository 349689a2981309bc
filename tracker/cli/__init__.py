"""The command-line interface: thin glue between argument parsing and tracker.commands."""

from __future__ import annotations

import contextlib
import os
import sys
from typing import NoReturn


def main(argv: list[str] | None = None, exit_at_once: bool = False) -> None:
    """Entry point of the `tracker` command.

    Plain read commands take the fast path (tracker.cli.fast), and plain writes theirs
    (tracker.cli.writes), which skip importing Typer; everything else, and anything the
    fast paths are unsure of, goes to the Typer app. TRACKER_NO_FAST=1 turns both off.

    exit_at_once: after a fast read, leave without Python's interpreter teardown (see
    program()). Only for a process that runs nothing after this call.
    """
    args = sys.argv[1:] if argv is None else list(argv)
    prepare_streams()
    try:
        code, fast = run(args)
    except BrokenPipeError:
        reader_gone()
        code, fast = 0, False
    except OSError as error:  # the output failed (commands let it rise, to end here)
        output_failed(error)
    if fast and exit_at_once:
        exit_now(code)
    finish(code)


def run(args: list[str]) -> tuple[int, bool]:
    """The command's exit status, and whether the fast path ran it."""
    if not os.environ.get("TRACKER_NO_FAST"):
        from tracker.cli.fast import try_run

        code = try_run(args)
        if code is not None:
            return code, True
        from tracker.cli import writes

        code = writes.try_run(args)
        if code is not None:
            return code, False  # a write ends as Typer's commands do, with teardown
    misplaced = misplaced_global(args)
    if misplaced:
        sys.stderr.write(f"Error: {misplaced}\n")
        return 2, False
    from tracker.cli.app import app

    try:
        app(args=args, prog_name="tracker")
    except SystemExit as end:  # Typer (Click) always ends this way
        return status_of(end), False
    return 0, False


def prepare_streams() -> None:
    """Make the three standard streams safe to use, or end at once with status 1.

    A closed standard output or error (`>&-`, `2>&-`) ends the command before it does
    anything: it could not say what it did, or why it failed. A closed standard input
    (`<&-`) reads as empty. Either way the closed descriptor is first held by /dev/null,
    so that no file tracker opens later (the store, a data file) takes its number and
    receives what was meant for the stream. Text the output's encoding cannot hold
    (PYTHONIOENCODING=ascii, a Latin-1 locale) is written as backslash escapes.
    """
    closed = [fd for fd in (0, 1, 2) if not is_open(fd)]
    for fd in closed:
        hold_with_devnull(fd)
    if 0 in closed or sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 (lives as long as the process)
    if 1 in closed or 2 in closed:
        message = (
            "Error: cannot write the output: standard output is closed\n"
            if 1 in closed
            else "Error: cannot write messages: standard error is closed\n"
        )
        for fd in (2, 1):
            if fd not in closed:
                os.write(fd, message.encode())
                break
        os._exit(1)
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", "") == "strict" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def hold_with_devnull(fd: int) -> None:
    opened = os.open(os.devnull, os.O_RDWR)
    if opened != fd:
        os.dup2(opened, fd)
        os.close(opened)


GLOBAL_FLAGS = ("--data", "--db")


def misplaced_global(args: list[str]) -> str | None:
    """A usage message when --data or --db comes after the command (`tracker visits --data
    DIR`): they belong to tracker itself, so they go before the command's name."""
    index = 0
    while index < len(args) and args[index].startswith("-"):
        index += 1 if "=" in args[index] or args[index] not in GLOBAL_FLAGS else 2
    if index >= len(args):
        return None
    command, rest = args[index], args[index + 1 :]
    for position, argument in enumerate(rest):
        if argument == "--":
            return None
        flag = argument.split("=", 1)[0]
        if flag in GLOBAL_FLAGS:
            value = argument.split("=", 1)[1] if "=" in argument else "PATH"
            if "=" not in argument and position + 1 < len(rest):
                value = rest[position + 1]
            return (
                f"{flag} goes before the command: tracker {flag} {value} {command} ... "
                f"(it is an option of tracker itself, not of {command})"
            )
    return None


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
    it (the interpreter's last flush of stdout would fail, and print a traceback).

    The one place a failing output ends the process: commands let the OSError rise
    (tracker.commands.guarded) so that it is reported once, here. When standard error is
    what failed (`2>/dev/full`), the status says it all."""
    message = f"Error: cannot write the output: {error.strerror or error}\n"
    with contextlib.suppress(OSError):
        os.write(2, message.encode("utf-8", "backslashreplace"))
    os._exit(1)

"""Generate docs/cli.md from the commands' own --help, so the reference never drifts.

Each command's help is rendered exactly as `tracker CMD --help` prints it, at a
fixed width and without colour, so the file is the same on every machine.

    python scripts/gen_cli_docs.py          # rewrite docs/cli.md
    python scripts/gen_cli_docs.py --check  # exit 1 if docs/cli.md is stale (CI)

tests/test_docs.py fails when docs/cli.md differs from what this script writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "cli.md"
WIDTH = 100

HEADER = """\
# Command-line reference

Generated from `--help` by `scripts/gen_cli_docs.py`; do not edit by hand. After changing a
command, run `python scripts/gen_cli_docs.py` (the test suite fails while this file is stale).
Commands are grouped as in `tracker --help`; docs/ecosystem.md covers search, Datasette,
pre-commit and shell completion.
"""


def command_names() -> list[str]:
    """Every command, grouped by help panel in the order `tracker --help` shows them."""
    from typer.main import get_command

    from tracker.cli.app import app

    group = get_command(app)
    commands = getattr(group, "commands", {})
    panels: dict[str, list[str]] = {}
    for name, command in commands.items():
        if getattr(command, "hidden", False):
            continue
        panel = getattr(command, "rich_help_panel", None) or "Commands"
        panels.setdefault(panel, []).append(name)
    return [name for names in panels.values() for name in names]


def help_text(args: list[str]) -> str:
    """What `tracker ARGS --help` prints, at WIDTH columns, with no colour."""
    import typer.rich_utils as rich_utils
    from typer.testing import CliRunner

    from tracker.cli.app import app

    saved = (rich_utils.MAX_WIDTH, rich_utils.COLOR_SYSTEM, rich_utils.FORCE_TERMINAL)
    rich_utils.MAX_WIDTH, rich_utils.COLOR_SYSTEM, rich_utils.FORCE_TERMINAL = WIDTH, None, False
    try:
        result = CliRunner().invoke(
            app, [*args, "--help"], prog_name="tracker", env={"NO_COLOR": "1"}
        )
    finally:
        rich_utils.MAX_WIDTH, rich_utils.COLOR_SYSTEM, rich_utils.FORCE_TERMINAL = saved
    if result.exit_code != 0:
        raise RuntimeError(f"tracker {' '.join(args)} --help failed:\n{result.output}")
    lines = [line.rstrip() for line in result.output.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def render() -> str:
    """The whole of docs/cli.md."""
    sections = [HEADER]
    sections.append("## tracker\n\n```text\n" + help_text([]) + "\n```\n")
    for name in command_names():
        sections.append(f"## tracker {name}\n\n```text\n" + help_text([name]) + "\n```\n")
        for sub in SUBCOMMANDS.get(name, ()):
            text = help_text([name, sub])
            sections.append(f"### tracker {name} {sub}\n\n```text\n" + text + "\n```\n")
    return "\n".join(sections)


# Groups whose commands each take options of their own, shown one by one (the commands of
# add and update follow from the declared kinds, and `tracker add KIND --help` shows them).
SUBCOMMANDS = {"import": ("uhri", "communications")}


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        current = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
        if current != text:
            sys.stderr.write(f"{DOC} is stale: run python scripts/gen_cli_docs.py\n")
            return 1
        return 0
    DOC.write_text(text, encoding="utf-8")
    sys.stdout.write(f"Wrote {DOC}\n")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main(sys.argv[1:]))

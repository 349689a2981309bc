"""The command-line reference and the help it is made from."""

from __future__ import annotations

import re

import pytest
from typer.main import get_command

from scripts import gen_cli_docs
from tracker.cli.app import app

PANELS = {"Query", "Report", "Edit", "Data"}


def all_commands():
    """(path, command) for every command and subcommand, e.g. ("add visit", ...)."""
    found = []

    def walk(prefix: str, group) -> None:
        for name, command in getattr(group, "commands", {}).items():
            path = f"{prefix} {name}".strip()
            found.append((path, command))
            walk(path, command)

    walk("", get_command(app))
    return found


def test_docs_cli_md_is_up_to_date():
    expected = gen_cli_docs.render()
    current = gen_cli_docs.DOC.read_text(encoding="utf-8")
    assert current == expected, "docs/cli.md is stale: run `python scripts/gen_cli_docs.py`"


def test_docs_cli_md_covers_every_top_level_command():
    text = gen_cli_docs.DOC.read_text(encoding="utf-8")
    for name in getattr(get_command(app), "commands", {}):
        assert f"\n## tracker {name}\n" in text, name


@pytest.mark.parametrize(("path", "command"), all_commands(), ids=lambda v: str(v))
def test_every_command_has_help_with_an_example(path, command):
    help_text = command.help or ""
    assert help_text.strip(), f"tracker {path} has no help text"
    examples = [line for line in help_text.splitlines() if line.strip().startswith("Example:")]
    assert len(examples) == 1, f"tracker {path} needs one 'Example: tracker ...' line"
    assert re.match(r"^\s*Example: tracker \S", examples[0]), examples[0]


def test_top_level_commands_are_grouped_in_the_four_panels():
    for name, command in getattr(get_command(app), "commands", {}).items():
        assert getattr(command, "rich_help_panel", None) in PANELS, name


def test_every_option_has_help():
    for path, command in all_commands():
        for param in command.params:
            if getattr(param, "param_type_name", "") == "option":
                assert getattr(param, "help", None), f"tracker {path} {param.opts[0]}"


def test_help_panels_in_order():
    text = gen_cli_docs.help_text([])
    panels = re.findall(r"^╭─ (\w+) ─", text, flags=re.M)
    assert panels == ["Options", "Query", "Report", "Edit", "Data"]


@pytest.mark.parametrize(("path", "command"), all_commands(), ids=lambda v: str(v))
def test_help_paragraphs_have_no_hard_line_breaks(path, command):
    """Rich help keeps a paragraph's line breaks as they are; one line each lets it reflow."""
    paragraphs = (command.help or "").strip().split("\n\n")
    assert [p for p in paragraphs if "\n" in p.strip()] == [], f"tracker {path}"

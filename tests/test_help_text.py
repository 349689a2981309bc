"""Help a person can read (issue 15): no Python types (`<bool>` on every flag, `<str>`,
`<list[str]>`), value names instead, no choice list folded mid-word, a sentence per option,
no markup lost, and usage errors in plain words."""

from __future__ import annotations

import re
from pathlib import Path

import typer
from typer.testing import CliRunner

from tracker.cli.app import app

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def help_of(*command: str, width: int = 80) -> str:
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    return result.output


def test_no_python_types_in_any_help():
    text = DOC.read_text(encoding="utf-8")
    assert re.findall(r"<(?:bool|str|int|path|list\[[^\]]*\])>", text) == []
    visits = help_of("visits")
    assert "--holder           HOLDER" in visits
    assert "--format   -f      table|json|csv|md" in visits
    assert re.search(r"--help +-h +Show this message", visits)  # a flag shows no value


def test_choice_lists_are_never_folded_mid_word():
    """At 80 columns the choice lists read `schedul ed` and `decla ration`."""
    words = ("scheduled", "declaration", "resolution", "establishment", "postponed")
    for command in (["visits"], ["add", "visit"], ["add", "report"], ["remove"], ["timeline"]):
        tokens = re.findall(r"[A-Za-z]+", help_of(*command))
        pieces = [
            t
            for t in tokens
            for w in words
            if t != w and len(t) >= 3 and (w.startswith(t) or w.endswith(t))
        ]
        assert pieces == [], command


def test_every_option_has_a_sentence():
    group = typer.main.get_command(app)
    missing = []

    def visit(command, path):
        for name, sub in getattr(command, "commands", {}).items():
            visit(sub, [*path, name])
        for param in command.params:
            if param.param_type_name == "option" and "--help" not in param.opts:
                text = (param.help or "").strip()
                if not text or not text[0].isupper() or not text.endswith((".", ")")):
                    missing.append(f"{' '.join(path)} {param.opts[0]}: {text!r}")

    visit(group, ["tracker"])
    assert missing == []


def test_add_theme_mandate_is_not_said_to_be_required():
    text = help_of("add", "theme")
    line = next(line for line in text.splitlines() if "--mandate" in line)
    assert "required" not in line.lower() and "only mandate" in line


def test_usage_errors_in_plain_words():
    runner = CliRunner()
    result = runner.invoke(app, ["visits", "--year", "twenty"])
    assert result.exit_code == 2
    assert (
        "'twenty' is not a whole number" in result.output and "Input should be" not in result.output
    )
    assert runner.invoke(app, ["reports", "--body", "ga", "-f", "json"]).exit_code == 0
    result = runner.invoke(app, ["visits", "--status", "bogus"], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "'bogus' is not one of 'requested'" in result.output
    assert "Value error" not in result.output


def test_clear_names_the_fields_it_takes_in_words_that_wrap():
    """`--clear set_by|set_in|note` was folded mid-word at 60 columns: the fields are named
    in the help sentence instead."""
    text = help_of("update", "theme", width=200)
    assert re.search(
        r"--clear +FIELD\.\.\. +Remove an optional field \(set_by, set_in, note\)", text
    )

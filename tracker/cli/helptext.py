"""Help a person can read: value names instead of Python types in `--help`.

Typer 0.26 shows each option's Python type: `<bool>` on every flag, `<str>`, `<int>`,
`<list[str]>`, and a whole choice list (`<requested|invited|accepted|...>`) that a narrow
terminal folds in the middle of a word. Here a flag shows no value, a value shows its name
in capitals (HOLDER, YEAR, FILE; THEME... when it repeats), and a short choice list its
choices (table|json|csv|md); a long one shows its name, its choices being in the help
sentence. An argument shows only short choices (its name is shown already). Installed
once, when the Typer app is imported, so every command gets it however it is declared.
"""

from __future__ import annotations

from typing import Any

# A choice list longer than this shows the option's name instead (its help lists them).
SHORT_CHOICES = 24


def value_name(option: Any) -> str:
    """The option's name as a value: --holder -> HOLDER, --status-date -> STATUS-DATE."""
    longs = [o for o in option.opts if o.startswith("--")] or list(option.opts)
    return longs[0].lstrip("-").upper()


def readable_type(option: Any, ctx: Any) -> str | None:
    if option.metavar is not None:
        return str(option.metavar)
    if option.is_flag:
        return None
    descriptor = option.type_descriptor
    name = value_name(option)
    if descriptor.is_choice and descriptor.choices:
        choices = "|".join(str(getattr(c, "value", c)) for c in descriptor.choices)
        shown = choices if len(choices) <= SHORT_CHOICES else name
    elif descriptor.is_path:
        shown = "DIR" if name in ("DATA", "DIR") else "FILE"
    else:
        shown = name
    return f"{shown}..." if descriptor.is_list else shown


def argument_type(argument: Any, ctx: Any) -> str | None:
    """An argument's name is shown already (KEY, FOLDER): only its choices, if any, follow."""
    descriptor = argument.type_descriptor
    if argument.metavar is None and descriptor.is_choice and descriptor.choices:
        choices = "|".join(str(getattr(c, "value", c)) for c in descriptor.choices)
        return choices if len(choices) <= SHORT_CHOICES else None
    return None


def plain_error(exc: Any) -> str:
    """A bad value's message without pydantic's "Value error, " in front of it
    (`--status bogus`: "'bogus' is not one of 'requested', ...")."""
    from typer._display import get_error_msg

    message = get_error_msg(exc)
    return message.removeprefix("Value error, ")


def install() -> None:
    import typer._coercion
    import typer._param_types
    from typer.core import TyperArgument, TyperOption

    TyperOption.display_type_rich = readable_type  # type: ignore[method-assign,assignment]
    TyperArgument.display_type_rich = argument_type  # type: ignore[method-assign,assignment]
    # Typer reports a value its parsers refuse in pydantic's words: keep only ours.
    typer._coercion.get_error_msg = plain_error
    typer._param_types.get_error_msg = plain_error

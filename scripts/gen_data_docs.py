"""Generate the field tables of docs/data-format.md from the kinds' declarations.

Each table sits between `<!-- fields: KIND -->` (or `KIND.FIELD` for sub-records, such
as visit.history) and `<!-- end fields -->`; the prose around them is written by hand.
Type, whether required, and the meaning and allowed values all come from
tracker/kinds.py, so the reference never drifts from what `tracker check` accepts.

    python scripts/gen_data_docs.py          # rewrite docs/data-format.md
    python scripts/gen_data_docs.py --check  # exit 1 if it is stale (CI)

tests/test_declared_once.py fails when the file differs from what this script writes.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "data-format.md"
BLOCK = re.compile(r"(<!-- fields: ([\w.]+) -->\n).*?(<!-- end fields -->)", re.DOTALL)

TYPES = {
    "text": "string",
    "slug": "string",
    "symbol": "string",
    "iso3": "string",
    "enum": "string",
    "int": "integer",
    "date": "date",
    "list": "list of strings",
    "slugs": "list of strings",
    "dates": "list of dates",
    "records": "array of tables",
    "vote": "table",
}


def meaning(field: object) -> str:
    """What a field means and the values it allows, from its declaration."""
    from tracker.kinds import KINDS, Field

    assert isinstance(field, Field)
    parts = [field.help] if field.help else []
    if field.choices:
        parts.append("one of " + ", ".join(f"`{c}`" for c in field.choices))
    if field.refers_to in KINDS:
        target = KINDS[field.refers_to]
        what = " or ".join(target.key_fields)
        parts.append(f"{what} of a `[[{target.name}]]`" + ("s" if field.type == "slugs" else ""))
    if field.type == "iso3":
        parts.append("ISO 3166-1 alpha-3 code")
    if field.type == "symbol" and not field.refers_to:
        parts.append("UN document symbol")
    text = "; ".join(parts)
    return text.replace("|", "\\|")


def table(name: str) -> str:
    """The field table of a kind (`visit`) or of a kind's sub-records (`visit.history`)."""
    from tracker.kinds import KINDS

    kind_name, _, sub = name.partition(".")
    kind = KINDS[kind_name]
    fields = kind.fields
    either: dict[str, str] = {}
    if sub:
        parent = kind.field(sub)
        assert parent is not None, name
        fields = parent.fields
    else:
        for first, second in kind.one_of:
            either[first] = either[second] = f"one of `{first}`/`{second}`"
        for first, second in kind.any_of:
            either[first] = either[second] = f"`{first}` or `{second}` (or both)"
    lines = ["| field | type | required | meaning / allowed values |", "|---|---|---|---|"]
    for field in fields:
        required = either.get(field.name) or ("yes" if field.required else "no")
        lines.append(f"| `{field.name}` | {TYPES[field.type]} | {required} | {meaning(field)} |")
    return "\n".join(lines) + "\n"


def render(text: str | None = None) -> str:
    """docs/data-format.md with every field table made afresh."""
    text = DOC.read_text(encoding="utf-8") if text is None else text
    return BLOCK.sub(lambda m: m.group(1) + table(m.group(2)) + m.group(3), text)


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(REPO))
    expected = render()
    if "--check" in argv:
        if DOC.read_text(encoding="utf-8") != expected:
            print("docs/data-format.md is stale: run python scripts/gen_data_docs.py")
            return 1
        return 0
    DOC.write_text(expected, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

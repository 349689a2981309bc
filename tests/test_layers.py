"""The layers keep to their places: no module imports another that imports it back (lazy
imports inside functions counted), and SQL is written only in the store and query layers.

Data flows one way (docs/architecture.md): the store (store.py, schema.py, views.py,
search_index.py, file_refresh.py) builds and reads SQLite; the queries (queries.py,
search.py, analysis.py) turn it into plain data; rendering and the CLI never touch SQL.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "tracker"
STORE_LAYER = {
    "tracker.store",
    "tracker.schema",
    "tracker.views",
    "tracker.search_index",
    "tracker.file_refresh",
}
QUERY_LAYER = {"tracker.queries", "tracker.search", "tracker.analysis", "tracker.record_queries"}
# Text that is SQL: a statement, or the clauses that only SQL has.
SQL = re.compile(
    r"\b(select\b.+\bfrom\b|insert\s+into\b|delete\s+from\b|update\s+\S+\s+set\b|"
    r"pragma\s+\w|create\s+(table|view|index|virtual)\b|order\s+by\b|group\s+by\b|"
    r"left\s+join\b|json_each\(|json_group_array\()",
    re.IGNORECASE | re.DOTALL,
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


@functools.cache
def nodes(path: Path) -> tuple[ast.AST, ...]:
    """Every node of a module's syntax tree (parsed once for all the tests here)."""
    return tuple(ast.walk(ast.parse(path.read_text(encoding="utf-8"))))


def imports(name: str) -> set[str]:
    """The tracker modules this module imports, anywhere in it (top level or in a function)."""
    found = set()
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    for node in nodes(MODULES[name]):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in MODULES}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                target = f"{base}.{alias.name}"
                if target in MODULES:
                    found.add(target)
                elif base in MODULES:
                    found.add(base)
    found.discard(name)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that reach each other (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_is_read_whole():
    graph = {name: imports(name) for name in MODULES}
    # Lazy imports are seen: the CLI reaches the fast path only inside main().
    assert "tracker.cli.fast" in graph["tracker.cli"]
    assert "tracker.store" in graph["tracker.commands"]
    assert len(graph) > 30


def test_no_import_cycle_lazy_imports_counted():
    graph = {name: imports(name) for name in MODULES}
    # A package importing its own submodules is how packages work; a submodule that
    # imports its package's __init__ back would be a cycle, and is counted.
    assert cycles(graph) == []


def sql_texts(path: Path) -> list[tuple[int, str]]:
    """(line, text) of each string in the module that reads as SQL (f-strings joined)."""
    found = []
    for node in nodes(path):
        if isinstance(node, ast.JoinedStr):
            text = "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if SQL.search(text):
            found.append((node.lineno, text))
    return found


def test_sql_is_written_only_in_the_store_and_query_layers():
    seen = {name for name in STORE_LAYER | QUERY_LAYER if sql_texts(MODULES[name])}
    # The scan recognises the SQL the layers hold.
    assert {"tracker.store", "tracker.queries", "tracker.search", "tracker.views"} <= seen
    elsewhere = [
        f"{name}:{line}: {text[:60]!r}"
        for name, path in MODULES.items()
        if name not in STORE_LAYER | QUERY_LAYER
        for line, text in sql_texts(path)
    ]
    assert elsewhere == []


def test_the_format_registry_names_what_each_format_module_draws():
    from tracker import formats

    for name, draws in formats.FORMATS.items():
        assert sorted(formats.renderers(name)) == sorted(draws), name


def test_a_reports_year_is_derived_in_one_place():
    """kinds.report_date / report_year / report_year_sql are the one rule ("its date, else
    its year"): no other module spells it out again, in Python or in SQL."""
    spelled_out = re.compile(
        r"coalesce\(\w+\.year|substr\(\w+\.date|\[\"date\"\][^\n]*\[:4\]|"
        r"get\(\"date\"\)[^\n]*\[:4\]|def report_(date|year|when)\b"
    )
    found = [
        f"{name}: {match.group(0)}"
        for name, path in MODULES.items()
        if name != "tracker.kinds"
        for match in spelled_out.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, found


def test_the_report_year_rule_agrees_in_python_and_sql():
    import sqlite3

    from tracker.kinds import report_date, report_year, report_year_sql

    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    conn.execute("create table report (date text, year integer)")
    conn.executemany(
        "insert into report values (?, ?)", [("2018-06-30", None), ("2019-02", None), (None, 2011)]
    )
    rows = list(conn.execute(f"select date, year, {report_year_sql('report')} as y from report"))
    assert [report_year(row) for row in rows] == [row["y"] for row in rows] == [2018, 2019, 2011]
    assert str(report_date({"date": None, "year": 2011})) == "2011"
    assert report_year({"title": "no date given"}) is None

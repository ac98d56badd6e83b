"""The package's modules import one another without a cycle, and loading never reaches the page builders."""

from __future__ import annotations

import ast
from pathlib import Path

import turnaround

PACKAGE = Path(turnaround.__file__).parent


def _module_name(path: Path) -> str:
    parts = ["turnaround", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Module -> the project's modules it imports at module level or inside functions."""
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([node.module] if node.module else [])])
                # `from . import x` imports module x when there is one, else a name of the package itself.
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph[name].add(target)
    return graph


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in graph[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def test_no_import_cycle_among_the_package_modules():
    graph = import_graph()
    # A package's __init__ importing its own submodules is not a cycle of concern; everything else is.
    cycles = [
        (name, dep)
        for name, deps in graph.items()
        for dep in deps
        if name in reachable(graph, dep) and not (dep.startswith(name + ".") or name.startswith(dep + "."))
    ]
    assert not cycles, f"import cycles through: {sorted(cycles)}"


def test_loading_and_checking_do_not_import_the_page_builders():
    graph = import_graph()
    for start in ("turnaround.loader", "turnaround.validate", "turnaround.content"):
        assert not {m for m in reachable(graph, start) if m.startswith("turnaround.pages")}, start

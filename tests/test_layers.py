"""The house's floors (DESIGN.md §2): imports point down only, and no two files import each
other round a circle. The test reads every import statement, those inside functions and
TYPE_CHECKING blocks included.

    channels, locales   import nothing of ours
    dialogs             the conversation, pure
    core                storage, the pipeline, the outbox
    handoff             a domain package (and future ones beside it)
    bot                 the application that wires them
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FLOORS = {"channels": 0, "locales": 0, "dialogs": 1, "core": 2, "handoff": 3, "bot": 4}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source: str, module: str) -> set[str]:
    """Every module of ours that ``source`` (the text of ``module``) imports."""
    found: set[str] = set()
    package = module.rsplit(".", 1)[0] if "." in module else module
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the importing package
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1],
                                 *([base] if base else [])])
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return {name for name in found if name.split(".")[0] in FLOORS}


def violations(module: str, targets: set[str]) -> list[str]:
    """Imports that go up a floor, or sideways to another package on the same floor."""
    own = module.split(".")[0]
    out = []
    for target in sorted(targets):
        other = target.split(".")[0]
        if other != own and FLOORS[other] >= FLOORS[own]:
            out.append(f"{module} imports {target}")
    return out


def project() -> dict[str, set[str]]:
    graph = {}
    for package in FLOORS:
        for path in sorted((ROOT / package).rglob("*.py")):
            module = module_name(path)
            graph[module] = imports(path.read_text(encoding="utf-8"), module)
    return graph


GRAPH = project()


def test_every_import_points_down():
    problems = [v for module, targets in GRAPH.items() for v in violations(module, targets)]
    assert problems == []


@pytest.mark.parametrize(("module", "source"), [
    ("core.pipeline", "from bot.app import App"),
    ("core.store", "def f():\n    import handoff.queue\n"),
    ("dialogs.rules", "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from core.db import Database\n"),
    ("channels.twilio", "from locales import translator"),
    ("handoff.queue", "from bot import settings"),
])
def test_an_upward_or_sideways_import_is_caught(module, source):
    assert violations(module, imports(source, module))


def _modules(targets: set[str]) -> set[str]:
    """Import targets that are modules of ours (``from a import b`` may name a function)."""
    return {t for t in targets if t in GRAPH}


def test_no_file_level_import_circles():
    graph = {m: _modules(t) - {m} for m, t in GRAPH.items()}
    # Importing a package runs its __init__; a submodule importing its own package is no circle.
    graph = {m: {t for t in ts if not m.startswith(t + ".")} for m, ts in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert circles == [], circles

"""The runtime packages form layers: reading (ingest) ← checking (validation) ← a delivery's intake
← orchestration (defs). No two packages import each other, directly or through a third."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pipelines

ROOT = Path(pipelines.__file__).parent


def package_imports() -> dict[str, set[str]]:
    """For each sub-package of `pipelines`, the other sub-packages its modules import."""
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    graph: dict[str, set[str]] = {name: set() for name in packages}
    for name in packages:
        for path in (ROOT / name).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "pipelines."
                ):
                    target = node.module.split(".")[1]
                    if target in packages and target != name:
                        graph[name].add(target)
    return graph


def test_the_packages_import_each_other_without_a_cycle() -> None:
    graph = package_imports()
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as cycle:
        raise AssertionError(f"import cycle between packages: {cycle.args[1]}") from None
    assert order.index("ingest") < order.index("validation") < order.index("intake")
    assert order.index("warehouse") < order.index("intake") < order.index("defs")

"""No import cycles inside generator/: every module's imports (at top level, inside functions,
under `if TYPE_CHECKING:`) are read with `ast`, and the graph of generator-internal imports
must have no cycle. A lazy or type-only import still says the two modules depend on each
other, so it counts."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from sdkgen.limits import components as strongly_connected

GENERATOR = Path(__file__).resolve().parents[1] / "generator"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(GENERATOR).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["sdkgen", *parts])


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(GENERATOR.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The generator modules `name` imports (relative or `sdkgen.`-absolute)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("sdkgen"):
                continue
            for alias in node.names:  # `from . import docs` imports the module docs
                sub = f"{target}.{alias.name}"
                out.add(sub if sub in known else target)
    out.discard(name)
    return {m for m in out if m in known}


def import_graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (a path back to its start) per strongly connected component of 2+ modules."""
    components = [sorted(c) for c in strongly_connected(
        {v: sorted(ws) for v, ws in sorted(graph.items())}) if len(c) > 1]
    out = []
    for comp in components:
        members = set(comp)
        start = comp[0]
        # breadth-first back to the start, inside the component
        paths = {start: [start]}
        frontier = [start]
        found: list[str] | None = None
        while frontier and found is None:
            nxt = []
            for v in frontier:
                for w in sorted(graph[v] & members):
                    if w == start:
                        found = paths[v] + [start]
                        break
                    if w not in paths:
                        paths[w] = paths[v] + [w]
                        nxt.append(w)
                if found:
                    break
            frontier = nxt
        out.append(found or comp)
    return out


def test_the_graph_is_read():
    graph = import_graph()
    assert "sdkgen.pipeline" in graph and "sdkgen.render.views" in graph
    assert "sdkgen.build" in graph["sdkgen.pipeline"]
    assert "sdkgen.render.docs" in graph["sdkgen.render.views"]  # `from . import docs`


def test_a_cycle_is_found():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_lazy_and_type_only_imports_count(tmp_path: Path):
    (tmp_path / "a.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                   "    from .b import B\ndef f():\n    from . import c\n"
                                   "    import sdkgen.d\n")
    known = {"sdkgen.a", "sdkgen.b", "sdkgen.c", "sdkgen.d", "sdkgen.e"}
    assert imports_of("sdkgen.a", tmp_path / "a.py", known) == {"sdkgen.b", "sdkgen.c",
                                                                 "sdkgen.d"}


def test_no_import_cycle_in_generator():
    found = cycles(import_graph())
    if found:
        pytest.fail("import cycles in generator/:\n" + "\n".join(
            "  " + " -> ".join(c) for c in found))

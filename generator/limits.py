"""Limits of the generated code that the spec could exceed, checked on the built model.

Each model module imports the modules of the models it refers to when it is imported
(models that refer to each other share one module). Python imports recursively, about
seven frames per module, within its recursion limit (1,000 frames by default): a chain
of models too deep would give a package that fails with RecursionError on import, and so
would a long cycle of models (pydantic completes them recursively): refused here, with the
chain named (see `nesting`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from .diagnostics import ERROR, Code, Diagnostic
from .load import Spec
from .model import Api, EnumType, ListOf, MapOf, NamedType, ObjectType, Ref, TypeRef, UnionType

MAX_LEVELS = 100  # see `nesting`
CYCLE_LEVEL = 1.5


def refs_of(t: NamedType) -> Iterator[str]:
    """The keys of the named types `t` refers to."""
    stack: list[TypeRef] = []
    if isinstance(t, ObjectType):
        stack += [f.type for f in t.fields]
        if t.additional is not None:
            stack.append(t.additional)
    elif isinstance(t, UnionType):
        stack += list(t.members)
    while stack:
        ref = stack.pop()
        if isinstance(ref, Ref):
            yield ref.key
        elif isinstance(ref, (ListOf, MapOf)):
            stack.append(ref.item)


def components(graph: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components (Tarjan's, iterative), dependencies first."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            v, edges = work[-1]
            for w in edges:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(graph.get(w, ()))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    out.append(comp)
    return out


def _cycle_depth(comp: list[str], graph: dict[str, list[str]], order: dict[str, int]) -> int:
    """How deep pydantic recurses when it completes the models of one module that refer to
    one another: each `model_rebuild()` (in definition order) walks the models not yet
    complete, depth first, each once. 0 for a model that refers to no model of its module."""
    members = set(comp)
    if len(comp) == 1 and comp[0] not in graph[comp[0]]:
        return 0
    done: set[str] = set()
    worst = 0
    for start in sorted(comp, key=lambda k: order.get(k, 0)):
        seen = {start}
        stack = [(start, iter(graph[start]))]
        while stack:
            worst = max(worst, len(stack))
            for w in stack[-1][1]:
                if w in members and w not in seen and w not in done:
                    seen.add(w)
                    stack.append((w, iter(graph[w])))
                    break
            else:
                stack.pop()
        done.add(start)
    return worst


@dataclass(frozen=True)
class Nesting:
    levels: float  # see `nesting`
    chain: tuple[str, ...]  # one type key per module, from the importing one down
    cycle: int  # the models of the last module that complete through one another


def nesting(api: Api) -> Nesting:
    """The deepest the generated package nests on import, in levels of about seven frames:
    one per module imported by the one before it, one and a half per model that pydantic
    completes through the others of its module (measured: a chain of ~140 modules, or a
    cycle of ~90 models, reaches Python's limit of 1,000 frames)."""
    graph = {t.key: list(refs_of(t)) for t in api.types if not isinstance(t, EnumType)}
    for t in api.types:
        graph.setdefault(t.key, [])
    order = {t.key: i for i, t in enumerate(api.types)}
    comps = components(graph)
    comp_of = {k: i for i, comp in enumerate(comps) for k in comp}
    value: list[float] = []  # per component (dependencies first): its deepest nesting
    after: list[int] = []  # the component the deepest nesting continues in (-1: itself)
    cycles: list[int] = []
    for i, comp in enumerate(comps):
        cycle = _cycle_depth(comp, graph, order)
        best, nxt = CYCLE_LEVEL * cycle, -1
        for k in comp:
            for w in graph[k]:
                j = comp_of.get(w, i)
                if j != i and 1 + value[j] > best:
                    best, nxt = 1 + value[j], j
        value.append(max(best, 1))
        after.append(nxt)
        cycles.append(cycle)
    if not comps:
        return Nesting(0, (), 0)
    i = max(range(len(comps)), key=value.__getitem__)
    levels, chain = value[i], []
    while True:
        chain.append(comps[i][0])
        if after[i] == -1:
            break
        i = after[i]
    return Nesting(levels, tuple(chain), cycles[i])


def check_generated_limits(api: Api, spec: Spec) -> list[Diagnostic]:
    found = nesting(api)
    if found.levels <= MAX_LEVELS:
        return []
    chain = found.chain
    shown = " -> ".join(chain[:3]) + (f" -> ... -> {chain[-1]}" if len(chain) > 3 else "")
    what = f"a chain of {len(chain)} modules that import one another ({shown})"
    if found.cycle:
        what += f", ending in {found.cycle} models that complete through one another"
    where, _, pointer = chain[0].partition("#")
    file = spec.root_path.parent / where if where else spec.root_path
    return [spec.diag(
        ERROR, file, "#" + pointer,
        f"the generated models would nest {found.levels:.0f} levels deep on import, more "
        f"than {MAX_LEVELS}: {what}; Python could not import the package within its "
        "default recursion limit", Code.TOO_DEEP)]

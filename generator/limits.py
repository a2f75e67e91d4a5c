"""Limits of the generated code that the spec could exceed, checked on the built model.

Each model module imports the modules of the models it refers to when it is imported
(models that refer to each other share one module). Python imports recursively, about
seven frames per module, within its recursion limit (1,000 frames by default): a chain
of models deeper than MAX_IMPORT_CHAIN modules would give a package that fails with
RecursionError on import, so it is refused here with the chain named.
"""

from __future__ import annotations

from typing import Iterator

from .diagnostics import ERROR, Diagnostic
from .load import Spec
from .model import REF, Api, EnumType, NamedType, ObjectType, TypeRef, UnionType

MAX_IMPORT_CHAIN = 100


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
        if ref.kind == REF:
            yield ref.name
        if ref.item is not None:
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


def longest_import_chain(api: Api) -> list[str]:
    """The longest chain of models whose modules import one another (one key per module)."""
    graph = {t.key: [k for k in refs_of(t)] for t in api.types if not isinstance(t, EnumType)}
    for t in api.types:
        graph.setdefault(t.key, [])
    comps = components(graph)
    comp_of = {k: i for i, comp in enumerate(comps) for k in comp}
    length: list[int] = []  # per component: the longest chain from it, in components
    after: list[int] = []  # the next component on that chain (-1: none)
    for i, comp in enumerate(comps):  # dependencies come first
        best, nxt = 0, -1
        for k in comp:
            for w in graph[k]:
                j = comp_of.get(w, i)
                if j != i and length[j] > best:
                    best, nxt = length[j], j
        length.append(best + 1)
        after.append(nxt)
    if not comps:
        return []
    i = max(range(len(comps)), key=length.__getitem__)
    chain = []
    while i != -1:
        chain.append(comps[i][0])
        i = after[i]
    return chain


def check_generated_limits(api: Api, spec: Spec) -> list[Diagnostic]:
    chain = longest_import_chain(api)
    if len(chain) <= MAX_IMPORT_CHAIN:
        return []
    shown = " -> ".join(chain[:4]) + f" -> ... -> {chain[-1]}"
    where, _, pointer = chain[0].partition("#")
    file = spec.root_path.parent / where if where else spec.root_path
    return [spec.diag(
        ERROR, file, "#" + pointer,
        f"models refer to one another {len(chain)} modules deep ({shown}); Python could not "
        f"import the generated package (its imports nest at most about {MAX_IMPORT_CHAIN} "
        "modules deep within the default recursion limit)", "too-deep")]

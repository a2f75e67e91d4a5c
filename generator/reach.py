"""The named types operations reach, and the order in which types claim class names:
components first, wherever they are declared (the reference generator names an inline
`instruct_type` enum `ModelArchitectureInstructType` because a component `InstructType`
exists), and reached types before the others (the reference generates only those)."""

from __future__ import annotations

from collections import Counter
from typing import Iterator

from .model import (
    Api,
    EnumType,
    ListOf,
    MapOf,
    NamedType,
    ObjectType,
    Operation,
    Ref,
    TupleOf,
    TypeRef,
    UnionType,
)


def is_component(key: str) -> bool:
    parts = key.split("/")
    return len(parts) == 4 and parts[:3] == ["#", "components", "schemas"]


def _operations(api: Api) -> Iterator[Operation]:
    stack = [api.root]
    while stack:
        ns = stack.pop()
        yield from ns.operations
        stack.extend(ns.children)
    yield from api.webhooks
    yield from (c.operation for c in api.callbacks)


def _refs(t: TypeRef | None) -> Iterator[str]:
    if t is None:
        return
    if isinstance(t, Ref):
        yield t.key
    elif isinstance(t, (ListOf, MapOf)):
        yield from _refs(t.item)
    elif isinstance(t, TupleOf):
        for item in t.items:
            yield from _refs(item)


def reachable_keys(api: Api) -> set[str]:
    """Keys of the named types some operation (or global) uses, directly or through others."""
    roots: list[TypeRef | None] = [g.type for g in api.globals]
    for op in _operations(api):
        roots += [p.type for p in op.parameters]
        roots += [op.body.type if op.body else None, op.success]
        roots += [s.event for s in (op.stream, op.stream_alt) if s is not None]
        roots += [e.type for e in op.errors]
    by_key = {t.key: t for t in api.types}
    seen: set[str] = set()
    todo = [k for r in roots for k in _refs(r)]
    while todo:
        key = todo.pop()
        if key in seen or key not in by_key:
            continue
        seen.add(key)
        t = by_key[key]
        if isinstance(t, ObjectType):
            for f in t.fields:
                todo.extend(_refs(f.type))
            todo.extend(_refs(t.additional))
        elif isinstance(t, UnionType):
            for m in t.members:
                todo.extend(_refs(m))
    return seen


def naming_order(api: Api, reachable: set[str]) -> list[NamedType]:
    """Components first, then the others; within each, the types operations reach before
    those they do not; otherwise in discovery order (components in document order)."""
    def rank(t: NamedType) -> int:
        return (0 if is_component(t.key) else 2) + (0 if t.key in reachable else 1)

    return sorted(api.types, key=rank)  # (stable: discovery order within a rank)


def named_after_value(api: Api, reachable: set[str]) -> set[str]:
    """Keys of the inline one-value enums (tags) that take their value-suffixed candidate
    (`ChatGenerationParamsIDAutoRouter`) because other types operations reach want the same
    first name: the reference names every such tag after its value, not all but the
    first."""
    firsts = Counter(t.candidates[0].lower() for t in api.types
                     if t.candidates and t.key in reachable)
    return {t.key for t in api.types if isinstance(t, EnumType) and len(t.values) == 1
            and len(t.candidates) > 1 and firsts[t.candidates[0].lower()] > 1
            and t.candidates[1].startswith(t.candidates[0])
            and t.candidates[1] != t.candidates[0] + "Enum"}


def twin_numbers(api: Api, reachable: set[str], by_value: set[str]) -> dict[str, int]:
    """Inline types operations reach that share every candidate name with another (the
    `role` unions of two message shapes): their number, from 1 in discovery order. The
    reference numbers all of them (`OpenAIResponsesInputRoleUser1`, `...User2`), not all
    but the first."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for t in api.types:
        if t.key in reachable and not is_component(t.key) and t.candidates:
            cands = t.candidates[1:] if t.key in by_value else t.candidates
            groups.setdefault(tuple(c.lower() for c in cands), []).append(t.key)
    return {key: i for keys in groups.values() if len(keys) > 1
            for i, key in enumerate(keys, 1)}

"""The models package, planned once: which module each type lives in, the Python name,
annotation and default of every field, union discriminators, enum members. Pure
functions of the IR, the names and the config."""

from __future__ import annotations

import keyword
from typing import Any

from ..config import TargetConfig
from ..limits import components
from ..model import Api, Const, EnumType, Field, NamedType, ObjectType, Ref, TypeRef, UnionType
from ..naming import Names, enum_members, unique
from ..pytypes import TypeContext, closure, hint, named_refs, refs, wrapped
from .methods import default_literal, field_ident
from .records import Enum, Model, ModelField, Module, Type, Union


def modules(api: Api, names: Names, cfg: TargetConfig, ctx: TypeContext) -> tuple[Module, ...]:
    """The models package's modules, each with its types planned (`ctx`: annotations as
    the models package spells them)."""
    types = {t.key: t for t in api.types}
    groups = _groups(api.types, names)
    module_of = {key: m for m, keys in groups for key in keys}
    closed = closed_fields(api, types)
    in_requests = _request_types(api, types)
    tags = _tag_fields(api, types, cfg.enum_style == "literal")
    out = []
    for mod, keys in groups:
        planned = tuple(planned_type(types[k], names, cfg, ctx, closed.get(k, set()),
                                     k in in_requests, tags.get(k, set())) for k in keys)
        deps: dict[str, set[str]] = {}
        for k in keys:
            for r in named_refs(types[k]):
                if module_of[r] != mod:
                    deps.setdefault(module_of[r], set()).update(_exported(types[r], names))
        imports = tuple((m, tuple(sorted(n))) for m, n in sorted(deps.items()))
        rebuild = tuple(t.class_name for t in planned if isinstance(t, Model)) if (
            len(keys) > 1 or any(k in named_refs(types[k]) for k in keys)) else ()
        out.append(Module(mod, planned, imports, rebuild))
    return tuple(out)


def _exported(t: NamedType, names: Names) -> list[str]:
    n = names.of(t.key)
    return [n] if isinstance(t, EnumType) else [n, n + "TypedDict"]


def _groups(types: tuple[NamedType, ...], names: Names) -> list[tuple[str, list[str]]]:
    """Group types into modules: one per strongly connected component (so that mutually
    recursive types share a module and imports never form a cycle), in a stable order."""
    graph = {t.key: sorted(named_refs(t)) for t in types}
    pos = {t.key: i for i, t in enumerate(types)}
    by_key = {t.key: t for t in types}
    result = []
    for comp in components(graph):
        comp.sort(key=lambda k: pos[k])
        comp = _definition_order(comp, by_key)
        first = min(comp, key=lambda k: pos[k])
        result.append((names.of(first).lower(), comp))
    result.sort(key=lambda m: pos[min(m[1], key=lambda k: pos[k])])
    return result


def _definition_order(comp: list[str], by_key: dict[str, NamedType]) -> list[str]:
    """Inside one module: enums first, then unions after the members they alias."""
    enums = [k for k in comp if isinstance(by_key[k], EnumType)]
    rest = [k for k in comp if k not in enums]
    ordered: list[str] = []
    visiting: set[str] = set()

    def visit(k: str) -> None:
        if k in ordered or k in visiting:
            return
        visiting.add(k)
        if isinstance(by_key[k], UnionType):
            for r in sorted(named_refs(by_key[k])):
                if r in rest:
                    visit(r)
        visiting.discard(k)
        ordered.append(k)

    for k in rest:
        visit(k)
    return enums + ordered


def closed_fields(api: Api, types: dict[str, NamedType]) -> dict[str, set[str]]:
    """Fields whose enum stays closed even in responses: the discriminator of a union the
    object belongs to (an unknown tag must not make a broken variant parse as another)."""
    out: dict[str, set[str]] = {}
    for t in api.types:
        if isinstance(t, UnionType) and t.discriminator:
            for m in t.members:
                if isinstance(m, Ref):
                    out.setdefault(m.key, set()).add(t.discriminator)
    return out


def union_tag(t: UnionType, types: dict[str, NamedType], literal_enums: bool = False) -> str:
    """The field a union's members are told apart by, when pydantic can dispatch on it
    (`Field(discriminator=...)`): the spec's discriminator, else a field every member has
    as a required constant (x-speakeasy-style tags). Every member must be an object whose
    tag field is a required constant (a `Literal`; with `literal_enums`, also a one-value enum, which
    is then a `Literal` alias), named the same on the wire and in Python, with a value no
    other member has; otherwise "" (the union is tried member by member)."""
    members = [types.get(m.key) if isinstance(m, Ref) and not m.nullable else None
               for m in t.members]
    objects = [m for m in members if isinstance(m, ObjectType)]
    if len(objects) != len(members) or len(objects) < 2:
        return ""
    def constant(f: Field) -> tuple[Any, ...]:
        if isinstance(f.type, Const):
            return (f.type.value,)
        named = types.get(f.type.key) if isinstance(f.type, Ref) and not f.type.nullable else None
        if literal_enums and isinstance(named, EnumType) and len(named.values) == 1:
            return (named.values[0],)
        return ()

    names = [t.discriminator] if t.discriminator else [
        f.wire_name for f in objects[0].fields if f.required and constant(f)]
    for name in names:
        values = []
        for obj in objects:
            tag = next((f for f in obj.fields if f.wire_name == name), None)
            # (an optional tag would be `Optional[Literal[...]]`, which pydantic refuses)
            if tag is None or not tag.required or not constant(tag) or field_ident(tag) != name:
                break
            values.append(constant(tag)[0])
        else:
            if len(set(map(repr, values))) == len(values):
                return name
    return ""


def _tag_fields(api: Api, types: dict[str, NamedType],
                literal_enums: bool) -> dict[str, set[str]]:
    """Tag fields of discriminated unions, by member key: required in the member's TypedDict
    (a dict without its tag cannot be told apart)."""
    out: dict[str, set[str]] = {}
    for t in api.types:
        if isinstance(t, UnionType):
            tag = union_tag(t, types, literal_enums)
            for m in t.members if tag else ():
                assert isinstance(m, Ref)  # a tagged union has named members only
                out.setdefault(m.key, set()).add(tag)
    return out


def _request_types(api: Api, types: dict[str, NamedType]) -> set[str]:
    """Keys of every named type a request can contain (bodies and parameters)."""
    stack: list[str] = []
    nodes = [api.root]
    while nodes:
        ns = nodes.pop()
        nodes.extend(ns.children)
        for o in ns.operations:
            found: set[str] = set()
            if o.body is not None:
                refs(o.body.type, found)
            for p in o.parameters:
                refs(p.type, found)
            stack.extend(found)
    return closure(types, stack)


def planned_type(t: NamedType, names: Names, cfg: TargetConfig, ctx: TypeContext,
                 closed: frozenset[str] | set[str] = frozenset(),
                 in_requests: bool = False, tags: frozenset[str] | set[str] = frozenset(),
                 ) -> Type:
    cls = names.of(t.key)
    if isinstance(t, EnumType):
        items = tuple((n, repr(v)) for n, v in enum_members(t.values, t.member_names))
        return Enum(cls, t.key, items, t.values, t.value_kind)
    if isinstance(t, UnionType):
        members = _unique([_member_hint(m, ctx, False) for m in t.members])
        td = _unique([_member_hint(m, ctx, True) for m in t.members])
        return Union(cls, t.key, members, td,
                     union_tag(t, ctx.types, cfg.enum_style == "literal"))
    fields = []
    idents = unique([field_ident(f) for f in t.fields])
    td_functional = False
    for f, ident in zip(t.fields, idents):
        fields.append(_field(f, ident, ctx, f.wire_name not in closed, f.wire_name in tags,
                             response_only=not in_requests))
        if not f.wire_name.isidentifier() or keyword.iskeyword(f.wire_name):
            td_functional = True
    additional = ""
    if t.additional is not None:
        additional = hint(t.additional, ctx)
    # Sent even when the caller leaves them: spec defaults and required constant tags.
    always_sent = tuple(fv.name for f, fv in zip(t.fields, fields)
                        if default_literal(f) or (f.required and isinstance(f.type, Const)))
    # In requests, None on an optional field that is not nullable means "omit" (as for the
    # method arguments): it is never sent as null, which the spec forbids.
    omit_if_none = tuple(fv.name for f, fv in zip(t.fields, fields)
                         if in_requests and not f.required and not f.type.nullable
                         and not isinstance(f.type, Const))
    return Model(cls, t.key, tuple(fields), additional, always_sent, omit_if_none,
                 td_functional)


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _member_hint(t: TypeRef, ctx: TypeContext, typed_dict: bool) -> str:
    return hint(t, ctx, typed_dict=typed_dict, open_enums=not typed_dict)


def _field(f: Field, ident: str, ctx: TypeContext, open_enum: bool = True,
           tag: bool = False, response_only: bool = False) -> ModelField:
    """`response_only`: the model is never sent. An optional nullable field is then typed
    `Optional[X] = None` (as openai-python's models are), not `OptionalNullable[X] = UNSET`:
    omitted-versus-null only matters for what is sent, and absence stays knowable from
    `model_fields_set` (see docs/typing.md). Docs tables keep the spec's view."""
    if isinstance(f.type, Ref):
        named = ctx.types.get(f.type.key)
        if isinstance(named, EnumType) and len(named.values) == 1:
            open_enum = False  # a one-value enum is a tag: keep it closed
    inner = hint(f.type, ctx, open_enums=open_enum, allow_unknown=open_enum)
    read_only = response_only and not f.required and f.type.nullable and inner not in (
        "Any", "None")
    ann = f"Optional[{inner}]" if read_only else wrapped(f.type, f.required, inner)
    default = ""
    if isinstance(f.type, Const) and f.required:
        default = repr(f.type.value)
    elif not f.required:
        default = default_literal(f) or ("UNSET" if f.type.nullable and not read_only else "None")
    if ident != f.wire_name:
        ann = f"Annotated[{ann}, pydantic.Field(alias={f.wire_name!r})]"
    td_inner = hint(f.type, ctx, typed_dict=True, allow_unknown=open_enum)
    td_ann = f"Nullable[{td_inner}]" if f.type.nullable and td_inner not in ("Any", "None") else (
        td_inner)
    return ModelField(ident, f.wire_name, ann, default, td_ann,
                      f.required and (tag or not isinstance(f.type, Const)), f)

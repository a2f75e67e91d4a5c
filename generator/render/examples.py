"""Runnable usage snippets built from the spec's examples (typed: enum values become enum
members in the Enum style, object keys follow the model's property order)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..config import TargetConfig
from ..model import (
    CONST,
    LIST,
    MAP,
    REF,
    SCALAR,
    TUPLE,
    EnumType,
    ObjectType,
    Operation,
    TypeRef,
    UnionType,
)
from ..naming import enum_member_name
from .pytypes import TypeContext


@dataclass
class Literalizer:
    ctx: TypeContext
    cfg: TargetConfig
    uses_package: bool = False  # an enum member was referenced as `<pkg>.Enum.MEMBER`

    def value(self, v: Any, t: TypeRef | None) -> str:
        if v is None:
            return "None"
        if t is None or t.kind == SCALAR and t.name == "any" or t.kind == CONST:
            return plain(v)
        if t.kind == LIST and isinstance(v, list):
            return "[" + "".join(self.value(x, t.item) + ", " for x in v) + "]"
        if t.kind == TUPLE and isinstance(v, list) and len(v) == len(t.items):
            return "(" + "".join(self.value(x, m) + ", " for x, m in zip(v, t.items)) + ")"
        if t.kind == MAP and isinstance(v, dict):
            return "{" + "".join(f"{plain(str(k))}: {self.value(x, t.item)}, "
                                 for k, x in v.items()) + "}"
        if t.kind == REF:
            named = self.ctx.types[t.name]
            if isinstance(named, EnumType):
                if self.cfg.enum_style == "enum" and v in named.values:
                    self.uses_package = True
                    cls = self.ctx.names.of(t.name)
                    return f"{self.cfg.import_name}.{cls}.{enum_member_name(v, named.values, named.member_names)}"
                return plain(v)
            if isinstance(named, ObjectType) and isinstance(v, dict):
                return self.object(v, named)
            if isinstance(named, UnionType):
                member = self.pick(v, named)
                return self.value(v, member) if member is not None else plain(v)
        return plain(v)

    def object(self, v: dict, named: ObjectType) -> str:
        parts = []
        by_wire = {f.wire_name: f for f in named.fields}
        ordered = [f.wire_name for f in named.fields if f.wire_name in v]
        ordered += [k for k in v if k not in by_wire]
        for k in ordered:
            f = by_wire.get(k)
            parts.append(f"{plain(k)}: {self.value(v[k], f.type if f else named.additional)}, ")
        return "{" + "".join(parts) + "}"

    def pick(self, v: Any, u: UnionType) -> TypeRef | None:
        for m in u.members:
            if self.fits(v, m):
                return m
        return None

    def fits(self, v: Any, t: TypeRef) -> bool:
        if v is None:
            return t.nullable
        if t.kind == SCALAR:
            return {
                "str": isinstance(v, str), "int": isinstance(v, int) and not isinstance(v, bool),
                "float": isinstance(v, (int, float)) and not isinstance(v, bool),
                "bool": isinstance(v, bool), "any": True,
                "date": isinstance(v, str), "datetime": isinstance(v, str),
            }.get(t.name, False)
        if t.kind == CONST:
            return v == t.value
        if t.kind == LIST:
            return isinstance(v, list) and all(self.fits(x, t.item) for x in v) if t.item else (
                isinstance(v, list))
        if t.kind == MAP:
            return isinstance(v, dict)
        if t.kind == TUPLE:
            return isinstance(v, list) and len(v) == len(t.items) and all(
                self.fits(x, m) for x, m in zip(v, t.items))
        named = self.ctx.types.get(t.name)
        if isinstance(named, EnumType):
            return v in named.values
        if isinstance(named, UnionType):
            return any(self.fits(v, m) for m in named.members)
        if isinstance(named, ObjectType):
            if not isinstance(v, dict):
                return False
            by_wire = {f.wire_name: f for f in named.fields}
            if named.additional is None and any(k not in by_wire for k in v):
                return False
            if any(f.required and f.wire_name not in v and f.type.kind != CONST
                   for f in named.fields):
                return False
            return all(self.fits(v[k], by_wire[k].type) for k in v if k in by_wire)
        return False


def plain(v: Any) -> str:
    """A JSON value as a Python literal."""
    if isinstance(v, bool) or v is None:
        return repr(v)
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return repr(v)
    if isinstance(v, list):
        return "[" + "".join(plain(x) + ", " for x in v) + "]"
    if isinstance(v, dict):
        return "{" + "".join(f"{plain(str(k))}: {plain(x)}, " for k, x in v.items()) + "}"
    return repr(str(v))


@dataclass(frozen=True)
class CallArg:
    name: str
    code: str


def call_arguments(op: Operation, args: list["ArgView"], lit: Literalizer) -> list[CallArg]:
    """Arguments for the usage snippet: the body example when the spec has one, else the
    examples of individual parameters and non-deprecated fields (required ones first)."""
    out: list[CallArg] = []
    body_example = op.body.example if op.body and op.body.has_example else None
    for a in args:
        if a.is_body_field and isinstance(body_example, dict):
            if a.wire_name in body_example:
                out.append(CallArg(a.name, lit.value(body_example[a.wire_name], a.type)))
            continue
        if a.has_example and not a.deprecated:
            out.append(CallArg(a.name, lit.value(a.example, a.type)))
        elif a.required and not a.is_body_field:
            out.append(CallArg(a.name, lit.value(placeholder(a.type, lit), a.type)))
    if op.body and not op.body.flattened and op.body.has_example:
        out.append(CallArg("request", lit.value(op.body.example, op.body.type)))
    return out


def placeholder(t: TypeRef, lit: Literalizer) -> Any:
    if t.kind == SCALAR:
        return {"int": 1, "float": 1.0, "bool": True}.get(t.name, "<value>")
    if t.kind == LIST:
        return []
    if t.kind == TUPLE:
        return [placeholder(m, lit) for m in t.items]
    if t.kind == REF:
        named = lit.ctx.types.get(t.name)
        if isinstance(named, EnumType):
            return named.values[0]
    return "<value>"


@dataclass(frozen=True)
class ArgView:
    """One argument of a generated method (a parameter or a flattened body field)."""

    name: str
    wire_name: str
    type: TypeRef
    required: bool
    description: str
    deprecated: bool
    has_example: bool
    example: Any
    is_body_field: bool
    location: str  # path | query | header | cookie | body
    default: str = ""  # Python literal of the spec's default (always sent), "" if none

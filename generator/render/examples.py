"""Runnable usage snippets built from the spec's examples (typed: enum values become enum
members in the Enum style, object keys follow the model's property order)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..config import TargetConfig
from ..model import (
    Const,
    EnumType,
    ListOf,
    MapOf,
    ObjectType,
    Operation,
    Ref,
    Scalar,
    TupleOf,
    TypeRef,
    UnionType,
)
from ..naming import enum_member_name
from ..plan.records import Argument
from ..pytypes import TypeContext

# What `fromisoformat` accepts on Python 3.9 (later versions accept more)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_ISO_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{3}|\.\d{6})?)?([+-]\d{2}:\d{2})?\Z")


@dataclass
class Literalizer:
    ctx: TypeContext
    cfg: TargetConfig
    uses_package: bool = False  # an enum member was referenced as `<pkg>.Enum.MEMBER`
    uses_datetime: bool = False  # a date/datetime value was written (`import datetime`)

    def value(self, v: Any, t: TypeRef | None) -> str:
        if v is None:
            return "None"
        if t is None or isinstance(t, Scalar) and t.name == "any" or isinstance(t, Const):
            return plain(v)
        if isinstance(t, Scalar) and t.name == "bytes" and isinstance(v, str):
            return repr(v.encode("utf-8"))  # file contents: bytes
        if isinstance(t, Scalar) and t.name in ("date", "datetime") and isinstance(v, str):
            return self._moment(v, t.name)
        if isinstance(t, ListOf) and isinstance(v, list):
            return "[" + "".join(self.value(x, t.item) + ", " for x in v) + "]"
        if isinstance(t, TupleOf) and isinstance(v, list) and len(v) == len(t.items):
            return "(" + "".join(self.value(x, m) + ", " for x, m in zip(v, t.items)) + ")"
        if isinstance(t, MapOf) and isinstance(v, dict):
            return "{" + "".join(f"{plain(str(k))}: {self.value(x, t.item)}, "
                                 for k, x in v.items()) + "}"
        if isinstance(t, Ref):
            named = self.ctx.types[t.key]
            if isinstance(named, EnumType):
                if self.cfg.enum_style == "enum" and v in named.values:
                    self.uses_package = True
                    cls = self.ctx.names.of(t.key)
                    return f"{self.cfg.import_name}.{cls}.{enum_member_name(v, named.values, named.member_names)}"
                return plain(v)
            if isinstance(named, ObjectType) and isinstance(v, dict):
                return self.object(v, named)
            if isinstance(named, UnionType):
                member = self.pick(v, named)
                return self.value(v, member) if member is not None else plain(v)
        return plain(v)

    def _moment(self, v: str, kind: str) -> str:
        """`datetime.datetime.fromisoformat(...)` for a date-time string (a fixed instant when
        the example is not one Python 3.9 parses), likewise for a date."""
        text = v[:-1] + "+00:00" if kind == "datetime" and v.endswith("Z") else v
        if not (_ISO_DATETIME if kind == "datetime" else _ISO_DATE).match(text):
            text = "2025-01-01T00:00:00+00:00" if kind == "datetime" else "2025-01-01"
        self.uses_datetime = True
        return f"datetime.{kind}.fromisoformat({text!r})"

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
        if isinstance(t, Scalar):
            return {
                "str": isinstance(v, str), "int": isinstance(v, int) and not isinstance(v, bool),
                "float": isinstance(v, (int, float)) and not isinstance(v, bool),
                "bool": isinstance(v, bool), "any": True,
                "date": isinstance(v, str), "datetime": isinstance(v, str),
                "bytes": isinstance(v, (str, bytes)),
            }.get(t.name, False)
        if isinstance(t, Const):
            return v == t.value
        if isinstance(t, ListOf):
            return isinstance(v, list) and all(self.fits(x, t.item) for x in v) if t.item else (
                isinstance(v, list))
        if isinstance(t, MapOf):
            return isinstance(v, dict)
        if isinstance(t, TupleOf):
            return isinstance(v, list) and len(v) == len(t.items) and all(
                self.fits(x, m) for x, m in zip(v, t.items))
        named = self.ctx.types.get(t.key)
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
            if any(f.required and f.wire_name not in v and not isinstance(f.type, Const)
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
    if isinstance(v, (str, bytes)):
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


def call_arguments(op: Operation, args: list[Argument], lit: Literalizer) -> list[CallArg]:
    """Arguments for the usage snippet: the body example when the spec has one, else the
    examples of individual parameters and non-deprecated fields (required ones first)."""
    out: list[CallArg] = []
    body_example = op.body.example if op.body and op.body.has_example else None
    raw = next((a for a in args if a.location == "body" and not a.is_body_field), None)
    for a in args:
        if a is raw:
            continue  # the whole (not flattened) body: below
        if a.is_body_field and isinstance(body_example, dict):
            # an example value that does not fit its type (validate warns about it) is
            # never shown: a snippet passing it would not type-check
            if a.wire_name in body_example and lit.fits(body_example[a.wire_name], a.type):
                out.append(CallArg(a.name, lit.value(body_example[a.wire_name], a.type)))
            continue
        if a.has_example and not a.deprecated and lit.fits(a.example, a.type):
            out.append(CallArg(a.name, lit.value(a.example, a.type)))
        elif a.required:
            # no example: a placeholder of the right type, so that the snippet still calls
            # the method correctly (and type-checks)
            out.append(CallArg(a.name, lit.value(placeholder(a.type, lit), a.type)))
    given = {c.name for c in out}
    if isinstance(body_example, dict):  # required fields the body example lacks
        for a in args:
            if a.is_body_field and a.required and a.name not in given:
                out.append(CallArg(a.name, lit.value(placeholder(a.type, lit), a.type)))
    if op.body and not op.body.flattened:
        name = raw.name if raw is not None else "request"
        if op.body.has_example and lit.fits(op.body.example, op.body.type):
            out.append(CallArg(name, lit.value(op.body.example, op.body.type)))
        elif op.body.required:
            out.append(CallArg(name, lit.value(placeholder(op.body.type, lit), op.body.type)))
    return out


def placeholder(t: TypeRef, lit: Literalizer, depth: int = 0) -> Any:
    """A value of type `t` for a snippet when the spec gives no example: objects get their
    required fields (recursively, a few levels deep), unions their first member."""
    if isinstance(t, Scalar):
        return {"int": 1, "float": 1.0, "bool": True, "bytes": b"<value>"}.get(t.name, "<value>")
    if isinstance(t, Const):
        return t.value
    if isinstance(t, ListOf):
        return []
    if isinstance(t, MapOf):
        return {}
    if isinstance(t, TupleOf):
        return [placeholder(m, lit, depth + 1) for m in t.items]
    if isinstance(t, Ref) and depth < 6:
        named = lit.ctx.types.get(t.key)
        if isinstance(named, EnumType):
            return named.values[0]
        if isinstance(named, UnionType) and named.members:
            return placeholder(named.members[0], lit, depth + 1)
        if isinstance(named, ObjectType):
            return {f.wire_name: placeholder(f.type, lit, depth + 1)
                    for f in named.fields if f.required}
    return "<value>"


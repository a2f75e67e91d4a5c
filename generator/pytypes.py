"""Python type hints for TypeRefs, computed here so templates only lay out lines."""

from __future__ import annotations

from dataclasses import dataclass

from .model import CONST, LIST, MAP, REF, SCALAR, TUPLE, EnumType, NamedType, TypeRef, UnionType
from .naming import Names

_SCALARS = {"str": "str", "int": "int", "float": "float", "bool": "bool", "any": "Any",
            "date": "date", "datetime": "datetime", "bytes": "bytes", "none": "None"}


@dataclass(frozen=True)
class TypeContext:
    names: Names
    types: dict[str, NamedType]
    qualifier: str = ""  # "models." outside the models package
    open_enum: str = "open_enum"  # how the open-enum marker is spelled where the hint is used


def literal(value: object) -> str:
    return repr(value)


def hint(t: TypeRef, ctx: TypeContext, typed_dict: bool = False, open_enums: bool = False,
         allow_unknown: bool = True) -> str:
    """The annotation of a value of type `t`, ignoring nullability (callers wrap it).

    `open_enums`: enums accept unknown values in responses (the `open_enum` marker).
    Enums marked `x-speakeasy-unknown-values: allow` accept them everywhere, typed
    `Union[Enum, str]` (tried left to right in models, so known values stay members),
    unless `allow_unknown` is False (discriminator tags)."""
    if t.kind == SCALAR:
        return _SCALARS.get(t.name, "Any")
    if t.kind == CONST:
        return f"Literal[{literal(t.value)}]"
    if t.kind == LIST:
        inner = hint(t.item, ctx, typed_dict, open_enums, allow_unknown) if t.item else "Any"
        inner = _nullable_inner(t.item, inner)
        return f"list[{inner}]"
    if t.kind == MAP:
        inner = hint(t.item, ctx, typed_dict, open_enums, allow_unknown) if t.item else "Any"
        inner = _nullable_inner(t.item, inner)
        return f"dict[str, {inner}]"
    if t.kind == TUPLE:
        return "tuple[" + ", ".join(_nullable_inner(m, hint(
            m, ctx, typed_dict, open_enums, allow_unknown)) for m in t.items) + "]"
    if t.kind == REF:
        named = ctx.types[t.name]
        name = ctx.qualifier + ctx.names.of(t.name)
        if isinstance(named, EnumType):
            if named.open and allow_unknown:
                union = f"Union[{name}, {_SCALARS.get(named.value_kind, 'str')}]"
                if typed_dict or ctx.qualifier:  # TypedDicts, method arguments
                    return union
                return f"Annotated[{union}, pydantic.Field(union_mode=\"left_to_right\")]"
            return f"Annotated[{name}, {ctx.open_enum}]" if open_enums else name
        if typed_dict:
            return name + "TypedDict"
        return name
    return "Any"


def _nullable_inner(item: TypeRef | None, inner: str) -> str:
    if item is not None and item.nullable and inner not in ("Any", "None"):
        return f"Nullable[{inner}]"
    return inner


def wrap_optional(t: TypeRef, required: bool, inner: str) -> str:
    """Optional (may be omitted), Nullable (may be null) or OptionalNullable (both)."""
    if t.nullable and not required:
        return f"OptionalNullable[{inner}]"
    if t.nullable:
        return f"Nullable[{inner}]"
    if not required:
        return f"Optional[{inner}]"
    return inner


def wrapped(t: TypeRef, required: bool, inner: str) -> str:
    """The annotation of a field or argument; `Any` and `None` already admit everything."""
    return inner if inner in ("Any", "None") else wrap_optional(t, required, inner)


def refs(t: TypeRef | None, out: set[str]) -> set[str]:
    """Keys of the named types an annotation of `t` mentions."""
    if t is None:
        return out
    if t.kind == REF:
        out.add(t.name)
    elif t.item is not None:
        refs(t.item, out)
    for m in t.items:
        refs(m, out)
    return out


def named_refs(n: NamedType) -> set[str]:
    out: set[str] = set()
    if isinstance(n, UnionType):
        for m in n.members:
            refs(m, out)
    elif isinstance(n, EnumType):
        pass
    else:
        for f in n.fields:
            refs(f.type, out)
        refs(n.additional, out)
    return out

"""How each kind of type is written: its Python annotation, the names that annotation
needs imported, its cell in the markdown docs and its plain text. One class per kind of
`TypeRef` (model.py) holds all of it, so the ways one kind is written stay side by side
and templates only lay out lines; `hint`, `imports`, `docs_cell`, `plain` and `refs`
dispatch on the class of the type."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Generic, Iterable, Mapping, Protocol, TypeVar

from .model import (
    Const,
    EnumType,
    ListOf,
    MapOf,
    NamedType,
    Ref,
    Scalar,
    TupleOf,
    TypeRef,
    UnionType,
)
from .naming import Names

_SCALARS = {"str": "str", "int": "int", "float": "float", "bool": "bool", "any": "Any",
            "date": "date", "datetime": "datetime", "bytes": "bytes", "none": "None"}
# what a scalar's annotation needs imported (the others are builtins)
_SCALAR_IMPORTS = {"any": "typing.Any", "date": "datetime.date", "datetime": "datetime.datetime"}
_DATE_LINKS = {
    "date": "https://docs.python.org/3/library/datetime.html#date-objects",
    "datetime": "https://docs.python.org/3/library/datetime.html#datetime-objects",
}
# where the generated package defines the wrappers and markers the annotations use, and
# its models, seen from a module one level down in it (models/, resources/)
_PKG_TYPES = "..types."
_PKG = ".."


@dataclass(frozen=True)
class TypeContext:
    names: Names
    types: dict[str, NamedType]
    qualifier: str = ""  # "models." outside the models package
    open_enum: str = "open_enum"  # how the open-enum marker is spelled where the hint is used


@dataclass(frozen=True)
class HintOptions:
    """`open_enums`: enums accept unknown values in responses (the `open_enum` marker).
    Enums marked `x-speakeasy-unknown-values: allow` accept them everywhere, typed
    `Union[Enum, str]` (tried left to right in models, so known values stay members),
    unless `allow_unknown` is False (discriminator tags). `typed_dict`: the TypedDict
    twin of a model is meant."""
    typed_dict: bool = False
    open_enums: bool = False
    allow_unknown: bool = True


class DocsLayout(Protocol):
    """Which module documents a model (render.docs.Layout)."""

    def module_of(self, key: str) -> str: ...


def model_page(class_name: str) -> str:
    return class_name.lower() + ".md"


def literal(value: object) -> str:
    return repr(value)


def docs_literal(value: Any) -> str:
    """A constant as Python writes it in `Literal[...]` (`True`, `None`, `"text"`)."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    return json.dumps(value)


T = TypeVar("T")


class Kind(Generic[T]):
    """How values of one kind of type are written. `hint` ignores nullability (callers
    wrap it). `imports` adds the names `hint` needs bound in the module, each to the
    dotted path of what it names (`Any` -> `typing.Any`; the generated package's own
    relative to a module one level down in it: `Nullable` -> `..types.Nullable`,
    `models` -> `..models`); models named without a qualifier, which the models modules
    import from one another, are `refs` instead."""

    def hint(self, t: T, ctx: TypeContext, o: HintOptions) -> str:
        raise NotImplementedError

    def imports(self, t: T, ctx: TypeContext, o: HintOptions, out: dict[str, str]) -> None:
        raise NotImplementedError

    def docs_cell(self, t: T, required: bool, ctx: TypeContext, up: str,
                  layout: DocsLayout) -> str:
        raise NotImplementedError

    def plain(self, t: T, ctx: TypeContext, layout: DocsLayout) -> str:
        raise NotImplementedError

    def canonical(self, t: T, names: Names) -> str:
        """The type as the caller sees it wherever it is printed, for comparing two
        versions of an API (surface.py): `List[X]`, `Literal['a']`, a class name."""
        return "Any"  # (tuples: the surface does not tell them apart)

    def refs(self, t: T, out: set[str]) -> None:
        pass


class ScalarKind(Kind[Scalar]):
    def hint(self, t: Scalar, ctx: TypeContext, o: HintOptions) -> str:
        return _SCALARS.get(t.name, "Any")

    def imports(self, t: Scalar, ctx: TypeContext, o: HintOptions, out: dict[str, str]) -> None:
        name = t.name if t.name in _SCALARS else "any"
        if name in _SCALAR_IMPORTS:
            _bind(out, _SCALAR_IMPORTS[name])

    def docs_cell(self, t: Scalar, required: bool, ctx: TypeContext, up: str,
                  layout: DocsLayout) -> str:
        if t.name in _DATE_LINKS:
            return f"[{wrap_optional(t, required, t.name)}]({_DATE_LINKS[t.name]})"
        name = _SCALARS.get(t.name, "Any")
        # the docs print the wrapper around Any too (`*Optional[Any]*`), not around None
        return f"*{name if name == 'None' else wrap_optional(t, required, name)}*"

    def plain(self, t: Scalar, ctx: TypeContext, layout: DocsLayout) -> str:
        return _SCALARS.get(t.name, t.name)

    def canonical(self, t: Scalar, names: Names) -> str:
        return {"any": "Any", "none": "None"}.get(t.name, t.name)


class ConstKind(Kind[Const]):
    def hint(self, t: Const, ctx: TypeContext, o: HintOptions) -> str:
        return f"Literal[{literal(t.value)}]"

    def imports(self, t: Const, ctx: TypeContext, o: HintOptions, out: dict[str, str]) -> None:
        _bind(out, "typing.Literal")

    def docs_cell(self, t: Const, required: bool, ctx: TypeContext, up: str,
                  layout: DocsLayout) -> str:
        return f"*{wrap_optional(t, required, 'Literal[' + docs_literal(t.value) + ']')}*"

    def plain(self, t: Const, ctx: TypeContext, layout: DocsLayout) -> str:
        return f"Literal[{docs_literal(t.value)}]"

    def canonical(self, t: Const, names: Names) -> str:
        return f"Literal[{literal(t.value)}]"


class _CollectionKind(Kind[T]):
    """Lists and maps: one item type, written inside the container's brackets."""
    hint_form = ""  # `list[{}]`
    docs_form = ""  # `List[{}]`

    def _item(self, t: T) -> TypeRef:
        raise NotImplementedError

    def hint(self, t: T, ctx: TypeContext, o: HintOptions) -> str:
        item = self._item(t)
        return self.hint_form.format(_nullable_inner(item, hint_of(item, ctx, o)))

    def imports(self, t: T, ctx: TypeContext, o: HintOptions, out: dict[str, str]) -> None:
        item = self._item(t)
        _inner_imports(item, hint_of(item, ctx, o), ctx, o, out)

    def docs_cell(self, t: T, required: bool, ctx: TypeContext, up: str,
                  layout: DocsLayout) -> str:
        # an optional or nullable collection prints without the wrapper (the seeds do)
        return self.docs_form.format(docs_cell(self._item(t), True, ctx, up, layout))

    def plain(self, t: T, ctx: TypeContext, layout: DocsLayout) -> str:
        return self.docs_form.format(plain(self._item(t), ctx, layout))

    def canonical(self, t: T, names: Names) -> str:
        item = self._item(t)
        return self.docs_form.format(_nullable_inner(item, canonical(item, names)))

    def refs(self, t: T, out: set[str]) -> None:
        refs(self._item(t), out)


class ListKind(_CollectionKind[ListOf]):
    hint_form, docs_form = "list[{}]", "List[{}]"

    def _item(self, t: ListOf) -> TypeRef:
        return t.item


class MapKind(_CollectionKind[MapOf]):
    hint_form, docs_form = "dict[str, {}]", "Dict[str, {}]"

    def _item(self, t: MapOf) -> TypeRef:
        return t.item


class TupleKind(Kind[TupleOf]):
    def hint(self, t: TupleOf, ctx: TypeContext, o: HintOptions) -> str:
        return "tuple[" + ", ".join(_nullable_inner(m, hint_of(m, ctx, o)) for m in t.items) + "]"

    def imports(self, t: TupleOf, ctx: TypeContext, o: HintOptions, out: dict[str, str]) -> None:
        for m in t.items:
            _inner_imports(m, hint_of(m, ctx, o), ctx, o, out)

    def docs_cell(self, t: TupleOf, required: bool, ctx: TypeContext, up: str,
                  layout: DocsLayout) -> str:
        # printed like a list: without the optional/nullable wrapper
        return "Tuple[" + ", ".join(docs_cell(m, True, ctx, up, layout) for m in t.items) + "]"

    def plain(self, t: TupleOf, ctx: TypeContext, layout: DocsLayout) -> str:
        return "Tuple[" + ", ".join(plain(m, ctx, layout) for m in t.items) + "]"

    def refs(self, t: TupleOf, out: set[str]) -> None:
        for m in t.items:
            refs(m, out)


class RefKind(Kind[Ref]):
    def hint(self, t: Ref, ctx: TypeContext, o: HintOptions) -> str:
        named = ctx.types[t.key]
        name = ctx.qualifier + ctx.names.of(t.key)
        if isinstance(named, EnumType):
            if named.open and o.allow_unknown:
                union = f"Union[{name}, {_SCALARS.get(named.value_kind, 'str')}]"
                if o.typed_dict or ctx.qualifier:  # TypedDicts, method arguments
                    return union
                return f"Annotated[{union}, pydantic.Field(union_mode=\"left_to_right\")]"
            return f"Annotated[{name}, {ctx.open_enum}]" if o.open_enums else name
        if o.typed_dict:
            return name + "TypedDict"
        return name

    def imports(self, t: Ref, ctx: TypeContext, o: HintOptions, out: dict[str, str]) -> None:
        if ctx.qualifier:  # `models.X`: the package's models module
            _bind(out, _PKG + ctx.qualifier.rstrip("."))
        named = ctx.types[t.key]
        if isinstance(named, EnumType):
            if named.open and o.allow_unknown:
                _bind(out, "typing.Union")
                if not (o.typed_dict or ctx.qualifier):
                    _bind(out, "typing.Annotated")
                    _bind(out, "pydantic")
            elif o.open_enums:
                _bind(out, "typing.Annotated")
                # the marker by name (`open_enum`) or through the types module (`_types.x`)
                module, _, marker = ctx.open_enum.rpartition(".")
                if module:
                    out[module] = _PKG_TYPES.rstrip(".")
                else:
                    _bind(out, _PKG_TYPES + marker)

    def docs_cell(self, t: Ref, required: bool, ctx: TypeContext, up: str,
                  layout: DocsLayout) -> str:
        cls = ctx.names.of(t.key)
        mod = layout.module_of(t.key)
        return f"[{wrap_optional(t, required, mod + '.' + cls)}]({up}{mod}/{model_page(cls)})"

    def plain(self, t: Ref, ctx: TypeContext, layout: DocsLayout) -> str:
        return layout.module_of(t.key) + "." + ctx.names.of(t.key)

    def canonical(self, t: Ref, names: Names) -> str:
        return names.of(t.key)

    def refs(self, t: Ref, out: set[str]) -> None:
        out.add(t.key)


_KINDS: dict[type, Kind[Any]] = {
    Scalar: ScalarKind(), Const: ConstKind(), ListOf: ListKind(), MapOf: MapKind(),
    TupleOf: TupleKind(), Ref: RefKind(),
}


def kind_of(t: TypeRef) -> Kind[Any]:
    return _KINDS[type(t)]


def hint_of(t: TypeRef, ctx: TypeContext, o: HintOptions) -> str:
    return kind_of(t).hint(t, ctx, o)


def hint(t: TypeRef, ctx: TypeContext, typed_dict: bool = False, open_enums: bool = False,
         allow_unknown: bool = True) -> str:
    """The annotation of a value of type `t`, ignoring nullability (callers wrap it); see
    `HintOptions` for the flags."""
    return hint_of(t, ctx, HintOptions(typed_dict, open_enums, allow_unknown))


def imports(t: TypeRef, ctx: TypeContext, typed_dict: bool = False, open_enums: bool = False,
            allow_unknown: bool = True) -> dict[str, str]:
    """The names `hint(t, ...)` needs imported (see `Kind.imports`)."""
    out: dict[str, str] = {}
    kind_of(t).imports(t, ctx, HintOptions(typed_dict, open_enums, allow_unknown), out)
    return out


def wrapper_imports(t: TypeRef, required: bool, inner: str) -> dict[str, str]:
    """The names `wrapped(t, required, inner)` adds to those of `inner`."""
    out: dict[str, str] = {}
    if inner in ("Any", "None") or not (t.nullable or not required):
        return out
    if t.nullable:
        _bind(out, _PKG_TYPES + ("Nullable" if required else "OptionalNullable"))
    else:
        _bind(out, "typing.Optional")
    return out


def _bind(out: dict[str, str], path: str) -> None:
    out[path.rpartition(".")[2]] = path


def docs_cell(t: TypeRef, required: bool, ctx: TypeContext, up: str,
              layout: DocsLayout) -> str:
    """`*OptionalNullable[int]*`, `[Optional[models.X]](../../models/x.md)`, `List[*int*]`...

    `up` leads from the page's folder to `docs/` ("../../" from docs/sdks/x/)."""
    return kind_of(t).docs_cell(t, required, ctx, up, layout)


def plain(t: TypeRef, ctx: TypeContext, layout: DocsLayout) -> str:
    """A type as text without links, for union member headings (`models.X`, `List[int]`)."""
    return kind_of(t).plain(t, ctx, layout)


def canonical(t: TypeRef | None, names: Names) -> str:
    """`Kind.canonical`; no type (no response body) is `None`."""
    return "None" if t is None else kind_of(t).canonical(t, names)


def _nullable_inner(item: TypeRef, inner: str) -> str:
    if item.nullable and inner not in ("Any", "None"):
        return f"Nullable[{inner}]"
    return inner


def _inner_imports(item: TypeRef, inner: str, ctx: TypeContext, o: HintOptions,
                   out: dict[str, str]) -> None:
    kind_of(item).imports(item, ctx, o, out)
    if _nullable_inner(item, inner) != inner:
        _bind(out, _PKG_TYPES + "Nullable")


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
    if t is not None:
        kind_of(t).refs(t, out)
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


def closure(types: Mapping[str, NamedType], roots: Iterable[str]) -> set[str]:
    """Keys of the named types reachable from `roots` (roots included) through fields, map
    values and union members; keys not in `types` are skipped."""
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        k = stack.pop()
        if k in seen or k not in types:
            continue
        seen.add(k)
        stack.extend(named_refs(types[k]))
    return seen

"""View objects: everything a template prints, precomputed as strings and lists from the
plan (generator/plan/). Here: the view records, safe text for docstrings and comments, the
models package's views and the Fields table of a model page. The operations' views are
in `opviews.py`, their docs in `opdocs.py`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import ObjectType, Operation, Retries, Scalar, SecurityScheme, TypeRef
from ..naming import unique
from ..plan import records as plan
from ..plan.methods import field_ident
from ..pytypes import TypeContext
from . import docs

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")  # control characters but tab and newline


def docstring(text: str) -> str:
    """Body of a triple-quoted docstring that is safe whatever the spec says."""
    text = _CONTROL.sub("", text)
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').rstrip()
    if text.endswith('"'):
        # a raw quote right before the closing quotes would end the string early
        backslashes = len(text[:-1]) - len(text[:-1].rstrip("\\"))
        if backslashes % 2 == 0:
            text = text[:-1] + '\\"'
    return text


def comment(text: str) -> str:
    """One line of text that is safe in a `#` comment (no NUL or other control character:
    Python refuses source with a NUL in it)."""
    return " ".join(_CONTROL.sub("", text).split())


def lazy_adapter(type_expr: str) -> str:
    """Validators are built on first use (see LazyAdapter in the runtime's _core)."""
    return f"LazyAdapter(lambda: {type_expr})"


# ---- models --------------------------------------------------------------------------------

@dataclass(frozen=True)
class FieldView:
    name: str
    wire_name: str
    annotation: str  # full annotation incl. Optional/Nullable wrapper and alias
    default: str  # "" when required
    td_annotation: str
    td_required: bool
    description: str


@dataclass(frozen=True)
class TypeView:
    kind: str  # object | union | enum
    class_name: str
    description: str
    key: str
    fields: list[FieldView] = field(default_factory=list)
    members: list[str] = field(default_factory=list)  # union member annotations
    td_members: list[str] = field(default_factory=list)
    enum_members: list[tuple[str, str]] = field(default_factory=list)  # (NAME, repr(value))
    enum_literals: str = ""
    enum_style: str = "literal"
    value_kind: str = "str"
    additional: str = ""  # annotation of extra properties, if open
    always_sent: list[str] = field(default_factory=list)  # fields with a spec default
    omit_if_none: list[str] = field(default_factory=list)  # optional, not nullable
    td_functional: bool = False  # TypedDict needs the functional syntax (non-identifier keys)
    discriminator: str = ""  # union: the tag field pydantic dispatches on (`Field(discriminator=)`)


@dataclass(frozen=True)
class ModuleView:
    module: str
    types: list[TypeView]
    imports: list[tuple[str, list[str]]]  # (module, names)
    rebuild: list[str]  # classes to model_rebuild() after the module is defined


def type_views(p: plan.Plan, enum_style: str) -> list[ModuleView]:
    """The models package's modules as the templates print them."""
    return [ModuleView(m.name, [_type_view(t, p, enum_style) for t in m.types],
                       [(mod, list(names)) for mod, names in m.imports], list(m.rebuild))
            for m in p.modules]


def _type_view(t: plan.Type, p: plan.Plan, enum_style: str) -> TypeView:
    description = docstring(p.types[t.key].description)
    if isinstance(t, plan.Enum):
        return TypeView("enum", t.class_name, description, t.key, enum_members=list(t.members),
                        enum_literals=", ".join(repr(v) for v in t.values),
                        enum_style=enum_style, value_kind=t.value_kind)
    if isinstance(t, plan.Union):
        return TypeView("union", t.class_name, description, t.key, members=list(t.members),
                        td_members=list(t.td_members), discriminator=t.discriminator)
    fields = [FieldView(f.name, f.wire_name, f.annotation, f.default, f.td_annotation,
                        f.td_required, comment(f.field.description)) for f in t.fields]
    return TypeView("object", t.class_name, description, t.key, fields=fields,
                    additional=t.additional, td_functional=t.td_functional,
                    always_sent=list(t.always_sent), omit_if_none=list(t.omit_if_none))


def _is_float(t: TypeRef) -> bool:
    return isinstance(t, Scalar) and t.name == "float"


def doc_model_rows(t: ObjectType, ctx: TypeContext, layout: docs.Layout = docs.DEFAULT_LAYOUT,
                   spec_order: bool = True) -> tuple[list[str], list[list[str]]]:
    """The Fields table of a model page: in the spec's property order (maintainOpenAPIOrder,
    what the reference pages show), else required fields first."""
    # the Python attribute names, as the model class has them (the reference pages too)
    idents = dict(zip(map(id, t.fields), unique([field_ident(f) for f in t.fields])))
    ordered = list(t.fields) if spec_order else (
        [f for f in t.fields if f.required] + [f for f in t.fields if not f.required])
    rows = []
    for f in ordered:
        ident = idents[id(f)]
        name = f"~~`{ident}`~~" if f.deprecated else f"`{ident}`"
        rows.append([name, docs.type_cell(f.type, f.required, ctx, "../", layout),
                     ":heavy_check_mark:" if f.required else ":heavy_minus_sign:",
                     docs.description_cell(f.description, f.deprecated),
                     docs.example_cell(f.has_example, f.example, number=_is_float(f.type))])
    header = ["Field", "Type", "Required", "Description", "Example"]
    if not any(r[4] for r in rows):
        header = header[:4]
        rows = [r[:4] for r in rows]
    return header, rows


# ---- operations and namespaces ---------------------------------------------------------------

@dataclass(frozen=True)
class PagesView:
    """The page iterator twin of a paginated operation (x-speakeasy-pagination)."""

    name: str
    const: str  # module constant holding the runtime `Pagination` (from `plan`)
    return_sync: str
    return_async: str
    kwargs: list[str]  # arguments passed through to the one-page method
    docstring: str
    rule: str  # one markdown sentence: how the iterator steps and when it stops
    plan: plan.Pages
    usage_code: str


@dataclass(frozen=True)
class GlobalView:
    """A client constructor argument from x-speakeasy-globals."""

    name: str
    location: str  # header | query
    wire_name: str
    annotation: str
    description: str


@dataclass(frozen=True)
class OpView:
    name: str
    const: str
    op: Operation
    args: list[plan.Argument]
    signature: list[str]  # "name: Annotation" / "name: Annotation = default"
    body_class: str
    body_required: list[tuple[str, str]]  # (key, arg) always sent
    body_optional: list[tuple[str, str, str]]  # (key, arg, sentinel test)
    path_params: list[tuple[str, str]]
    query_params: list[tuple[str, str]]
    header_params: list[tuple[str, str]]
    return_sync: str
    return_async: str
    success_adapter: str
    stream_event: str  # streaming operations: the adapter of one event, else ""
    errors: list[tuple[str, str, str]]  # (status, error class, data adapter or "None")
    retries: Retries | None  # the spec's backoff policy (written by _macros/runtime.j2)
    docstring: str
    raw_body_arg: str  # non-object bodies: the argument holding the whole body
    raw_body_adapter: str
    plan: plan.Method
    # docs
    doc_rows: list[list[str]]
    doc_has_example: bool
    response_cell: str
    error_rows: list[list[str]]
    usage_code: str
    pages: PagesView | None  # x-speakeasy-pagination: the `<name>_pages` method
    # with utils/security.py: `Operation(security=...)` and the doc page's bullets
    security: str
    security_doc: list[str]


@dataclass(frozen=True)
class NamespaceView:
    path: tuple[str, ...]
    class_name: str
    async_class_name: str
    module: str
    attr: str
    title_path: str  # "serverless.chat"
    description: str
    operations: list[OpView]
    children: list["NamespaceView"]

    @property
    def has_pages(self) -> bool:
        return any(o.pages is not None for o in self.operations)


@dataclass(frozen=True)
class SchemeView:
    """A security scheme as the client takes it: one constructor argument each."""
    scheme: SecurityScheme
    arg: str  # client argument; also the scheme's key in the runtime (Operation.security)
    env: str  # environment variable read when the argument is not passed
    annotation: str
    type_cell: str  # README "Type": http | apiKey | oauth2 | openIdConnect
    scheme_cell: str  # README "Scheme"


@dataclass(frozen=True)
class HookView:
    """A request the API sends to the user (a webhook, or a callback of an operation), as
    docs/webhooks/README.md lists it: the SDK has no method for it, its body has a model."""
    kind: str  # "Webhook" | "Callback"
    title: str
    method: str
    target: str  # the webhook's name, or the callback URL's runtime expression
    description: str
    body_cell: str
    body_content_type: str
    response_cell: str


__all__ = ["ModuleView", "TypeView", "type_views", "doc_model_rows", "docstring"]

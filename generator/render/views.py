"""View objects: everything a template prints, precomputed as strings and lists."""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field, replace
from typing import Any

from ..config import TargetConfig
from ..model import (
    CONST,
    LIST,
    MAP,
    REF,
    SCALAR,
    Api,
    EnumType,
    Field,
    NamedType,
    Namespace,
    ObjectType,
    Operation,
    PageInput,
    Parameter,
    SecurityScheme,
    TypeRef,
    UnionType,
)
from ..naming import Names, enum_members, field_identifier, identifier, snake, unique
from ..plan.names import separate_errors
from ..pytypes import TypeContext, hint, named_refs, wrapped
from . import docs
from .examples import ArgView, Literalizer, call_arguments

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


def _method_doc(o: Operation, args: list[ArgView]) -> str:
    lines = [o.description or o.summary or o.operation_id]
    if o.deprecation_message:  # x-speakeasy-deprecation-message
        lines.insert(0, f"Deprecated: {o.deprecation_message}\n")
    elif o.deprecated:
        lines.insert(0, "Deprecated: this operation will be removed in a future release.\n")
    return "\n".join(lines).rstrip() + "\n\n" + _param_doc(args)


def _param_doc(args: list[ArgView]) -> str:
    params = [f":param {a.name}: {'(deprecated) ' if a.deprecated else ''}{comment(a.description)}"
              for a in args if a.description.strip()]
    params += [":param retries: override the retry policy for this call",
               ":param server_url: override the server for this call",
               ":param timeout_ms: timeout of this call in milliseconds",
               ":param http_headers: extra headers sent with this call"]
    return "\n".join(params)


def default_literal(f: Field) -> str:
    """The spec default of an optional field as a Python literal, when it is a plain scalar.

    Defaults are sent on the wire (as the reference SDKs do: a server that defaults
    differently must still get what the spec promises). `null` and container defaults are
    left to the server."""
    if f.required or not f.has_default or f.default is None:
        return ""
    if isinstance(f.default, (bool, int, float, str)):
        return repr(f.default)
    return ""


def _ident(f: Field) -> str:
    """The Python attribute of a model field (x-speakeasy-name-override, else the wire name)."""
    return field_identifier(f.name_override or f.wire_name)


def lazy_adapter(type_expr: str) -> str:
    """Validators are built on first use (see LazyAdapter in the runtime's _core)."""
    return f"LazyAdapter(lambda: {type_expr})"


def _forced(flag: str, value: str) -> tuple[tuple[str, str], ...]:
    return ((flag, value),) if flag else ()


def _stream_switch(o: Operation, a: ArgView) -> str:
    """"True"/"False" when `a` is the boolean body field that switches the response to a
    stream (`stream`, or the twin's flag) of a method that returns only a stream / only a
    model: typed `Literal[...]` so that a call asking for the other kind does not
    type-check."""
    if not a.is_body_field or a.wire_name not in ("stream", o.stream_flag or "stream"):
        return ""
    if a.type.kind != SCALAR or a.type.name != "bool":
        return ""
    if o.stream is not None:
        return "True"
    return "False" if o.success is not None else ""


def comment(text: str) -> str:
    """One line of text that is safe in a `#` comment (no NUL or other control character:
    Python refuses source with a NUL in it)."""
    return " ".join(_CONTROL.sub("", text).split())


# ---- models --------------------------------------------------------------------------------

@dataclass
class FieldView:
    name: str
    wire_name: str
    annotation: str  # full annotation incl. Optional/Nullable wrapper and alias
    default: str  # "" when required
    td_annotation: str
    td_required: bool
    description: str


@dataclass
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


@dataclass
class ModuleView:
    module: str
    types: list[TypeView]
    imports: list[tuple[str, list[str]]]  # (module, names)
    rebuild: list[str]  # classes to model_rebuild() after the module is defined


def type_views(api: Api, names: Names, cfg: TargetConfig, ctx: TypeContext) -> list[ModuleView]:
    types = {t.key: t for t in api.types}
    modules = _modules(api.types, names)
    module_of = {key: m for m, keys in modules for key in keys}
    closed = _closed_fields(api, types)
    in_requests = _request_types(api, types)
    tags = _tag_fields(api, types, cfg.enum_style == "literal")
    out = []
    for mod, keys in modules:
        views = [_type_view(types[k], names, cfg, ctx, closed.get(k, set()), k in in_requests,
                            tags.get(k, set())) for k in keys]
        deps: dict[str, set[str]] = {}
        for k in keys:
            for r in named_refs(types[k]):
                if module_of[r] != mod:
                    deps.setdefault(module_of[r], set()).update(_exported(types[r], names))
        imports = [(m, sorted(n)) for m, n in sorted(deps.items())]
        rebuild = [v.class_name for v in views if v.kind == "object"] if len(keys) > 1 or any(
            k in named_refs(types[k]) for k in keys) else []
        out.append(ModuleView(mod, views, imports, rebuild))
    return out


def _exported(t: NamedType, names: Names) -> list[str]:
    n = names.of(t.key)
    return [n] if isinstance(t, EnumType) else [n, n + "TypedDict"]


def _modules(types: tuple[NamedType, ...], names: Names) -> list[tuple[str, list[str]]]:
    """Group types into modules: one per strongly connected component (so that mutually
    recursive types share a module and imports never form a cycle), in a stable order."""
    graph = {t.key: sorted(named_refs(t)) for t in types}
    order = [t.key for t in types]
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    sccs: list[list[str]] = []
    counter = 0
    # iterative Tarjan (specs nest deeply; recursion would hit the limit)
    for start in order:
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack.add(v)
            recurse = False
            edges = graph.get(v, [])
            while i < len(edges):
                w = edges[i]
                i += 1
                if w not in index:
                    work.append((v, i))
                    work.append((w, 0))
                    recurse = True
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            if recurse:
                continue
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                sccs.append(comp)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    pos = {k: i for i, k in enumerate(order)}
    by_key = {t.key: t for t in types}
    result = []
    for comp in sccs:
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


def _closed_fields(api: Api, types: dict[str, NamedType]) -> dict[str, set[str]]:
    """Fields whose enum stays closed even in responses: the discriminator of a union the
    object belongs to (an unknown tag must not make a broken variant parse as another)."""
    out: dict[str, set[str]] = {}
    for t in api.types:
        if isinstance(t, UnionType) and t.discriminator:
            for m in t.members:
                if m.kind == REF:
                    out.setdefault(m.name, set()).add(t.discriminator)
    return out


def union_tag(t: UnionType, types: dict[str, NamedType], literal_enums: bool = False) -> str:
    """The field a union's members are told apart by, when pydantic can dispatch on it
    (`Field(discriminator=...)`): the spec's discriminator, else a field every member has
    as a required constant (x-speakeasy-style tags). Every member must be an object whose
    tag field is a required constant (a `Literal`; with `literal_enums`, also a one-value enum, which
    is then a `Literal` alias), named the same on the wire and in Python, with a value no
    other member has; otherwise "" (the union is tried member by member)."""
    members = [types.get(m.name) if m.kind == REF and not m.nullable else None
               for m in t.members]
    objects = [m for m in members if isinstance(m, ObjectType)]
    if len(objects) != len(members) or len(objects) < 2:
        return ""
    def constant(f: Field) -> tuple[Any, ...]:
        if f.type.kind == CONST:
            return (f.type.value,)
        named = types.get(f.type.name) if f.type.kind == REF and not f.type.nullable else None
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
            if tag is None or not tag.required or not constant(tag) or _ident(tag) != name:
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
                out.setdefault(m.name, set()).add(tag)
    return out


def _request_types(api: Api, types: dict[str, NamedType]) -> set[str]:
    """Keys of every named type a request can contain (bodies and parameters)."""
    stack: list[str] = []
    nodes = [api.root]
    while nodes:
        ns = nodes.pop()
        nodes.extend(ns.children)
        for o in ns.operations:
            refs: set[str] = set()
            if o.body is not None:
                named_refs_of(o.body.type, refs)
            for p in o.parameters:
                named_refs_of(p.type, refs)
            stack.extend(refs)
    seen: set[str] = set()
    while stack:
        k = stack.pop()
        if k in seen or k not in types:
            continue
        seen.add(k)
        stack.extend(named_refs(types[k]))
    return seen


def named_refs_of(t: TypeRef, out: set[str]) -> set[str]:
    from ..pytypes import refs

    return refs(t, out)


def _type_view(t: NamedType, names: Names, cfg: TargetConfig, ctx: TypeContext,
               closed: frozenset[str] | set[str] = frozenset(),
               in_requests: bool = False, tags: frozenset[str] | set[str] = frozenset(),
               ) -> TypeView:
    cls = names.of(t.key)
    if isinstance(t, EnumType):
        items = [(n, repr(v)) for n, v in enum_members(t.values, t.member_names)]
        return TypeView("enum", cls, docstring(t.description), t.key, enum_members=items,
                        enum_literals=", ".join(repr(v) for v in t.values),
                        enum_style=cfg.enum_style, value_kind=t.value_kind)
    if isinstance(t, UnionType):
        members = unique_list([_member_hint(m, ctx, False) for m in t.members])
        td = unique_list([_member_hint(m, ctx, True) for m in t.members])
        return TypeView("union", cls, docstring(t.description), t.key, members=members,
                        td_members=td, discriminator=union_tag(t, ctx.types,
                                                               cfg.enum_style == "literal"))
    fields = []
    idents = unique([_ident(f) for f in t.fields])
    td_functional = False
    for f, ident in zip(t.fields, idents):
        fields.append(_field_view(f, ident, ctx, f.wire_name not in closed, f.wire_name in tags,
                                  response_only=not in_requests))
        if not f.wire_name.isidentifier() or keyword.iskeyword(f.wire_name):
            td_functional = True
    additional = ""
    if t.additional is not None:
        additional = hint(t.additional, ctx)
    # Sent even when the caller leaves them: spec defaults and required constant tags.
    always_sent = [fv.name for f, fv in zip(t.fields, fields)
                   if default_literal(f) or (f.required and f.type.kind == CONST)]
    # In requests, None on an optional field that is not nullable means "omit" (as for the
    # method arguments): it is never sent as null, which the spec forbids.
    omit_if_none = [fv.name for f, fv in zip(t.fields, fields)
                    if in_requests and not f.required and not f.type.nullable
                    and f.type.kind != CONST]
    return TypeView("object", cls, docstring(t.description), t.key, fields=fields,
                    additional=additional, td_functional=td_functional, always_sent=always_sent,
                    omit_if_none=omit_if_none)


def unique_list(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _member_hint(t: TypeRef, ctx: TypeContext, typed_dict: bool) -> str:
    h = hint(t, ctx, typed_dict=typed_dict, open_enums=not typed_dict)
    return h


def _field_view(f: Field, ident: str, ctx: TypeContext, open_enum: bool = True,
                tag: bool = False, response_only: bool = False) -> FieldView:
    """`response_only`: the model is never sent. An optional nullable field is then typed
    `Optional[X] = None` (as openai-python's models are), not `OptionalNullable[X] = UNSET`:
    omitted-versus-null only matters for what is sent, and absence stays knowable from
    `model_fields_set` (see docs/typing.md). Docs tables keep the spec's view."""
    if f.type.kind == REF:
        named = ctx.types.get(f.type.name)
        if isinstance(named, EnumType) and len(named.values) == 1:
            open_enum = False  # a one-value enum is a tag: keep it closed
    inner = hint(f.type, ctx, open_enums=open_enum, allow_unknown=open_enum)
    read_only = response_only and not f.required and f.type.nullable and inner not in (
        "Any", "None")
    ann = f"Optional[{inner}]" if read_only else wrapped(f.type, f.required, inner)
    default = ""
    if f.type.kind == CONST and f.required:
        default = repr(f.type.value)
    elif not f.required:
        default = default_literal(f) or ("UNSET" if f.type.nullable and not read_only else "None")
    if ident != f.wire_name:
        ann = f"Annotated[{ann}, pydantic.Field(alias={f.wire_name!r})]"
    td_inner = hint(f.type, ctx, typed_dict=True, allow_unknown=open_enum)
    td_ann = f"Nullable[{td_inner}]" if f.type.nullable and td_inner not in ("Any", "None") else (
        td_inner)
    return FieldView(ident, f.wire_name, ann, default, td_ann,
                     f.required and (tag or f.type.kind != CONST), comment(f.description))


# ---- operations and namespaces ---------------------------------------------------------------

@dataclass
class PagesView:
    """The page iterator twin of a paginated operation (x-speakeasy-pagination)."""

    name: str
    const: str  # module constant holding the runtime `Pagination`
    spec: str  # `Pagination(...)` expression
    return_sync: str
    return_async: str
    kwargs: list[str]  # arguments passed through to the one-page method
    docstring: str
    rule: str  # one markdown sentence: how the iterator steps and when it stops
    usage_code: str = ""


@dataclass
class GlobalView:
    """A client constructor argument from x-speakeasy-globals."""

    name: str
    location: str  # header | query
    wire_name: str
    annotation: str
    description: str


@dataclass
class OpView:
    name: str
    const: str
    op: Operation
    args: list[ArgView]
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
    stream_adapter: str
    errors: list[tuple[str, str, str]]  # (status, error class, data adapter or "None")
    retries: str
    docstring: str
    raw_body_arg: str  # non-object bodies: the argument holding the whole body
    raw_body_adapter: str
    # docs
    doc_rows: list[list[str]]
    doc_has_example: bool
    response_cell: str
    error_rows: list[list[str]]
    usage_code: str
    pages: PagesView | None = None  # x-speakeasy-pagination: the `<name>_pages` method
    # with utils/security.py: `Operation(security=...)` and the doc page's bullets
    security: str = ""
    security_doc: list[str] = field(default_factory=list)


@dataclass
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


_CLIENT_ARGS = frozenset(("self", "server_idx", "server_url", "server", "client", "retry_config",
                          "timeout_ms", "debug_logger"))
_TOKEN_ANN = "Optional[Union[str, Callable[[], str]]]"
_BASIC_ANN = ("Optional[Union[str, tuple[str, str], Callable[[], Union[str, tuple[str, str]]]]]")


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


class ApiViews:
    def __init__(self, api: Api, names: Names, cfg: TargetConfig):
        self.api, self.names, self.cfg = api, names, cfg
        self.types = {t.key: t for t in api.types}
        self.ctx = TypeContext(names, self.types, "models.", "_types.open_enum")
        self.layout = docs.Layout(cfg.shared_path, cfg.operations_path, cfg.errors_path,
                                  api.error_keys)
        self.model_ctx = TypeContext(names, self.types, "")
        self.schemes = self._schemes()
        # Several schemes, or HTTP basic (a username/password pair), use the runtime's
        # utils/security.py; one bearer or API-key scheme is served by the core alone.
        self.security_module = len(self.schemes) > 1 or any(
            v.scheme.kind == "basic" for v in self.schemes)
        self.arg_of = {v.scheme.name: v.arg for v in self.schemes}
        one = self.schemes[0] if len(self.schemes) == 1 else None
        self.security_arg = one.arg if one else ""
        self.security_env = one.env if one else ""

    def _schemes(self) -> list[SchemeView]:
        schemes = self.api.security_schemes
        args = unique([identifier(s.name, _CLIENT_ARGS) for s in schemes])
        envs = unique([f"{self.cfg.env_prefix}_{snake(s.name).upper()}" for s in schemes])
        out = []
        for s, arg, env in zip(schemes, args, envs):
            if s.kind == "apiKey":
                cell = f"API key ({s.location} `{s.param_name}`)"
            elif s.kind == "basic":
                cell = "HTTP Basic"
            else:
                cell = {"oauth2": "OAuth2 (access token, sent as HTTP Bearer)",
                        "openIdConnect": "OpenID Connect (token, sent as HTTP Bearer)"}.get(
                    s.type, "HTTP Bearer")
            out.append(SchemeView(s, arg, env, _BASIC_ANN if s.kind == "basic" else _TOKEN_ANN,
                                  s.type if s.type in ("oauth2", "openIdConnect") else
                                  ("apiKey" if s.kind == "apiKey" else "http"), cell))
        return out

    def op_security(self, o: Operation) -> tuple[str, list[str]]:
        """(`security=` value of the runtime Operation, doc bullets) with utils/security.py:
        requirement alternatives as tuples of client argument names."""
        if not self.security_module:
            return "", []
        alts = tuple(tuple(self.arg_of[n] for n in alt) for alt in o.security)
        bullets = [" and ".join(f"`{a}`" for a in alt) if alt else
                   "none (the operation may be called without credentials)" for alt in alts]
        return repr(alts), bullets

    def namespaces(self) -> NamespaceView:
        return self._ns(self.api.root, ())

    def _ns(self, ns: Namespace, parent: tuple[str, ...]) -> NamespaceView:
        cls = self.names.namespaces.get(ns.path, self.cfg.sync_client)
        ops_names = unique([identifier(o.method_name) for o in ns.operations])
        children = [self._ns(c, ns.path) for c in ns.children]
        taken = {c.attr for c in children}
        ops = []
        for o, n in zip(ns.operations, ops_names):
            o = self._unflattened(o)
            while n in taken:
                n += "_"
            taken.add(n)
            if o.stream_alt is None:
                ops.append(self._op(o, n, ns.path))
                self._add_pages(ops[-1], taken, ops_names, ns.path)
                continue
            # One operation, two methods: `n` returns the model, `n_stream` the event stream.
            plain = replace(o, stream_alt=None)
            ops.append(self._op(plain, n, ns.path, _forced(o.stream_flag, "False")))
            self._add_pages(ops[-1], taken, ops_names, ns.path)
            sn = n + "_stream"
            while sn in taken or sn in ops_names:
                sn += "_"
            taken.add(sn)
            streamed = replace(o, stream=o.stream_alt, success=None, stream_alt=None,
                               success_content_type=o.stream_alt.content_type)
            ops.append(self._op(streamed, sn, ns.path, _forced(o.stream_flag, "True"), "_STREAM"))
        return NamespaceView(
            path=ns.path, class_name=cls, async_class_name="Async" + cls if ns.path else (
                self.cfg.async_client),
            module=identifier(cls) if ns.path else "sdk",
            attr=identifier(ns.path[-1]) if ns.path else "",
            title_path=".".join(ns.path), description=ns.description, operations=ops,
            children=children)

    def _op(self, o: Operation, name: str, ns_path: tuple[str, ...],
            forced: tuple[tuple[str, str], ...] = (), const_suffix: str = "") -> OpView:
        """`forced`: body fields the method sets itself (wire name, Python literal)."""
        args = [a for a in self._args(o) if not (a.is_body_field and a.wire_name in dict(forced))]
        idents = unique([a.name for a in args])
        args = [replace(a, name=n) for a, n in zip(args, idents)]
        reserved = {"retries", "server_url", "timeout_ms", "http_headers", "self"}
        args = [replace(a, name=a.name + "_") if a.name in reserved else a for a in args]
        signature = []
        for a in args:
            ann = self._arg_annotation(a)
            switch = _stream_switch(o, a)
            if switch:  # the stream switch can only say what the method returns
                signature.append(f"{a.name}: Literal[{switch}] = {switch}")
            elif a.required:
                signature.append(f"{a.name}: {ann}")
            else:
                default = a.default or ("UNSET" if a.type.nullable else "None")
                signature.append(f"{a.name}: {ann} = {default}")
        body_required, body_optional = [], []
        body_class = raw_body_arg = raw_body_adapter = ""
        if o.body is not None and o.body.flattened:
            body_class = "models." + self.names.of(o.body.type.name)
            body_obj = self.types[o.body.type.name]
            assert isinstance(body_obj, ObjectType)
            field_names = unique([_ident(f) for f in body_obj.fields])
            key_of = {f.wire_name: k for f, k in zip(body_obj.fields, field_names)}
            body_required += [(key_of[wire], value) for wire, value in forced]
            for a in args:
                if not a.is_body_field:
                    continue
                key = key_of[a.wire_name]
                if a.required or _stream_switch(o, a):
                    body_required.append((key, a.name))
                else:
                    test = f"{a.name} is not UNSET" if a.type.nullable else f"{a.name} is not None"
                    body_optional.append((key, a.name, test))
        elif o.body is not None:
            raw_body_arg = next(a.name for a in args if a.location == "body")
            raw_body_adapter = lazy_adapter(wrapped(o.body.type, True, hint(o.body.type, self.ctx)))
        loc = {"path": [], "query": [], "header": [], "cookie": []}  # type: dict[str, list]
        for a in args:
            if a.location in loc:
                loc[a.location].append((a.wire_name, a.name))
        for k, v in o.fixed_query:
            loc["query"].append((k, repr(v)))
        for where, wire in sorted(self._hidden_globals(o)):  # filled in by the client
            loc[where].append((wire, "None"))
        ret, ret_async, success_adapter, stream_adapter = "None", "None", "None", ""
        if o.stream is not None:
            ev = hint(o.stream.event, self.ctx)
            ret, ret_async = f"EventStream[{ev}]", f"EventStreamAsync[{ev}]"
            stream_adapter = (
                f"StreamSpec(event={lazy_adapter(hint(o.stream.event, self.ctx, open_enums=True))}, "
                f"format={o.stream.format!r}, "
                f"sentinel={o.stream.sentinel!r}, wrap={o.stream.wrap!r}, "
                f"data_is_json={o.stream.data_is_json!r})")
        elif o.success is not None:
            ann = wrapped(o.success, True, hint(o.success, self.ctx))
            ret = ret_async = ann
            success_adapter = lazy_adapter(wrapped(o.success, True,
                                                   hint(o.success, self.ctx, open_enums=True)))
        errors = []
        for e in o.errors:
            if e.type is not None and e.type.kind == REF and e.type.name in self.names.errors:
                module = "_typed_errors." if separate_errors(self.cfg) else "models."
                errors.append((e.status, module + self.names.errors[e.type.name],
                               lazy_adapter(f"models.{self.names.of(e.type.name)}")))
        retries = "None"
        if o.retries is not None:
            r = o.retries
            if r.strategy == "backoff":
                retries = (
                    f"RetryConfig('backoff', BackoffStrategy({r.initial_interval}, {r.max_interval}, "
                    f"{r.exponent!r}, {r.max_elapsed_time}), {r.retry_connection_errors!r}"
                    + (f", status_codes={r.status_codes!r}" if r.status_codes else "") + ")")
        const = "_OP_" + identifier(o.operation_id).upper().strip("_") + const_suffix
        view = OpView(
            name=name, const=const, op=o, args=args, signature=signature, body_class=body_class,
            body_required=body_required, body_optional=body_optional,
            path_params=loc["path"], query_params=loc["query"], header_params=loc["header"],
            return_sync=ret, return_async=ret_async, success_adapter=success_adapter,
            stream_adapter=stream_adapter, errors=errors, retries=retries,
            docstring=docstring(_method_doc(o, args)), raw_body_arg=raw_body_arg,
            raw_body_adapter=raw_body_adapter, doc_rows=[], doc_has_example=False,
            response_cell="", error_rows=[], usage_code="",
        )
        view.security, view.security_doc = self.op_security(o)
        self._docs(view, ns_path)
        return view

    # ---- page iterators (x-speakeasy-pagination) ---------------------------------------------
    def _add_pages(self, v: OpView, taken: set[str], ops_names: list[str],
                   ns_path: tuple[str, ...]) -> None:
        pg = v.op.pagination
        if pg is None or v.op.stream is not None or v.op.success is None:
            return
        position, limit = self._page_input(v, pg.position), (
            self._page_input(v, pg.limit) if pg.limit is not None else None)
        if position is None or (pg.limit is not None and limit is None):
            return  # (an input the method sets itself; the build checked the rest)
        name = v.name + "_pages"
        while name in taken or name in ops_names:
            name += "_"
        taken.add(name)
        parts = [repr(pg.position.role), position[0]]
        if limit is not None:
            parts.append(f"limit={limit[0]}")
        for label, path in (("results", pg.results), ("next_cursor", pg.next_cursor),
                            ("num_pages", pg.num_pages)):
            if path is not None:
                parts.append(f"{label}={tuple(path)!r}")
        kwargs = [a.name for a in v.args] + ["retries", "server_url", "timeout_ms",
                                             "http_headers"]
        rule = _pages_rule(pg.position.role, position[1], limit[1] if limit else "",
                           _jsonpath(pg.results), _jsonpath(pg.next_cursor),
                           _jsonpath(pg.num_pages))
        doc = (f"Every page of `{v.name}`, one call per page, as an iterator "
               f"(the async client: an async iterator).\n\n{rule}\n\n{_param_doc(v.args)}")
        v.pages = PagesView(
            name=name, const="_PAGES_" + v.const[len("_OP_"):],
            spec=f"Pagination({', '.join(parts)})",
            return_sync=f"Iterator[{v.return_sync}]", return_async=f"AsyncIterator[{v.return_async}]",
            kwargs=kwargs, docstring=docstring(doc), rule=rule)
        v.pages.usage_code = self.usage(v, ns_path, pages=True)

    def _page_input(self, v: OpView, inp: PageInput) -> tuple[str, str] | None:
        """(`PageInput(...)` expression, how the docs name it) for one pagination input."""
        if inp.location == "parameters":
            a = next((a for a in v.args if a.location != "body" and a.wire_name == inp.name),
                     None)
            return (f"PageInput({a.name!r})", f"`{a.name}`") if a else None
        a = next((a for a in v.args if a.is_body_field and a.wire_name == inp.name), None)
        if a is not None:
            return f"PageInput({a.name!r})", f"`{a.name}`"
        if not v.raw_body_arg or v.op.body is None:
            return None
        obj = self.types.get(v.op.body.type.name)
        if not isinstance(obj, ObjectType):
            return None
        idents = dict(zip((f.wire_name for f in obj.fields),
                          unique([_ident(f) for f in obj.fields])))
        if inp.name not in idents:
            return None
        attr = idents[inp.name]
        return (f"PageInput({v.raw_body_arg!r}, {attr!r}, {inp.name!r})",
                f"`{v.raw_body_arg}.{attr}`")

    def hooks(self) -> list[HookView]:
        incoming = [("Webhook", o.path.lstrip("/"), o.path.lstrip("/"), o)
                    for o in self.api.webhooks]
        incoming += [("Callback", f"{c.owner} → {c.name}", c.expression, c.operation)
                     for c in self.api.callbacks]
        out = []
        for kind, title, target, o in incoming:
            body = o.body
            out.append(HookView(
                kind, title, o.http_method.upper(), target,
                (o.summary + "\n\n" + o.description).strip() if o.summary != o.description
                else o.description,
                docs.type_cell(body.type, body.required, self.ctx, "../", self.layout)
                if body else "",
                body.content_type if body else "",
                docs.type_cell(o.success, True, self.ctx, "../", self.layout) if o.success else
                "*None*"))
        return out

    def globals(self) -> list[GlobalView]:
        """Client constructor arguments for x-speakeasy-globals (snake case, unique)."""
        taken = set(_CLIENT_ARGS) | {v.arg for v in self.schemes}
        out = []
        for p in self.api.globals:
            name = identifier(p.name_override or p.wire_name)
            while name in taken:
                name += "_"
            taken.add(name)
            out.append(GlobalView(name, p.location, p.wire_name, self._global_annotation(p),
                                  comment(p.description)))
        return out

    def global_rows(self, globals_: list[GlobalView]) -> list[list[str]]:
        """README table rows of the client's global parameters."""
        return [[f"`{g.name}`", f"`{hint(p.type, self.ctx)}`", f"{g.location} `{g.wire_name}`",
                 docs.description_cell(g.description, p.deprecated)]
                for g, p in zip(globals_, self.api.globals)]

    def server_rows(self) -> list[list[str]]:
        """README table rows of the named servers (x-speakeasy-server-id)."""
        return [[f"`{sid}`", f"`{url}`"] for sid, url in zip(self.api.server_ids, self.api.servers)
                if sid]

    def _global_annotation(self, p: Parameter) -> str:
        plain = hint(p.type, self.ctx)
        td = hint(p.type, self.ctx, typed_dict=True)
        inner = plain if plain == td else f"Union[{plain}, {td}]"
        return f"Optional[{inner}]" if not inner.startswith("Optional[") else inner

    def _args(self, o: Operation) -> list[ArgView]:
        # a global parameter is optional on the method: the client's value fills it in (a
        # hidden one is no argument at all)
        global_keys = {(g.location, g.wire_name) for g in self.api.globals}
        hidden = self._hidden_globals(o)
        params = [ArgView(identifier(p.name_override or p.wire_name), p.wire_name, p.type,
                          p.required and (p.location, p.wire_name) not in global_keys,
                          p.description,
                          p.deprecated, p.has_example, p.example, False, p.location)
                  for p in o.parameters if (p.location, p.wire_name) not in hidden]
        body_fields: list[ArgView] = []
        if o.body is not None and o.body.flattened:
            obj = self.types[o.body.type.name]
            assert isinstance(obj, ObjectType)
            for f in obj.fields:
                if f.read_only:
                    continue
                required = f.required and f.type.kind != CONST
                body_fields.append(ArgView(_ident(f), f.wire_name, f.type,
                                           required, f.description, f.deprecated, f.has_example,
                                           f.example, True, "body", default_literal(f)))
        elif o.body is not None:
            name = "request"
            if self.cfg.flatten_requests and params:
                # beside parameters the body is named after its schema, as the reference
                # names it (`address_account`), or `request_body` when inline
                name = (snake(self.names.of(o.body.type.name)) if o.body.type.kind == REF
                        and o.body.type.name.startswith("#/components/schemas/")
                        else "request_body")
            body_fields.append(ArgView(name, name, o.body.type, o.body.required,
                                       o.body.description, False, o.body.has_example,
                                       o.body.example, False, "body"))
        first, then = (body_fields, params) if self.cfg.flattening_order == "body-first" else (
            params, body_fields)
        return ([a for a in first if a.required] + [a for a in then if a.required]
                + [a for a in first if not a.required] + [a for a in then if not a.required])

    def _unflattened(self, o: Operation) -> Operation:
        """The operation with its object body taken as one `request` argument, when the
        flattened method would have more arguments than `x-speakeasy-max-method-params`
        (or the config's max_method_params) allows. gen.yaml `flattenRequests: true` keeps
        every body flattened whatever max_method_params or the operation's own
        `x-speakeasy-max-method-params` say (as the reference does)."""
        if self.cfg.flatten_requests and o.body is not None:
            # gen.yaml flattenRequests: precedence over maxMethodParams for bodies; an
            # optional body stays one argument unless the operation has path parameters
            # (what the reference generator does: its `address_account` argument)
            if (o.body is not None and o.body.flattened and not o.body.required
                    and not o.stream_flag and not any(p.location == "path"
                                                      for p in o.parameters)):
                return replace(o, body=replace(o.body, flattened=False))
            return o
        limit = o.max_method_params if o.max_method_params is not None else (
            self.cfg.max_method_params)
        if limit < 0 or o.body is None or not o.body.flattened or o.stream_flag:
            return o  # (a stream switch is a body field the methods set: kept flattened)
        obj = self.types.get(o.body.type.name)
        fields = [f for f in obj.fields if not f.read_only] if isinstance(obj, ObjectType) else []
        count = len(o.parameters) + len([f for f in fields if f.wire_name != o.stream_flag])
        if count <= limit:
            return o
        return replace(o, body=replace(o.body, flattened=False))

    def _hidden_globals(self, o: Operation) -> set[tuple[str, str]]:
        """(location, wire name) of the operation's parameters that are hidden globals."""
        hidden = {(g.location, g.wire_name) for g in self.api.globals if g.globals_hidden}
        return {(p.location, p.wire_name) for p in o.parameters
                if (p.location, p.wire_name) in hidden}

    def _arg_annotation(self, a: ArgView) -> str:
        plain = hint(a.type, self.ctx)
        td = hint(a.type, self.ctx, typed_dict=True)
        inner = plain if plain == td else f"Union[{plain}, {td}]"
        return wrapped(a.type, a.required, inner)

    # ---- docs of one operation --------------------------------------------------------------
    def _docs(self, v: OpView, ns_path: tuple[str, ...]) -> None:
        rows = []
        for a in v.args:
            rows.append([f"`{a.name}`", docs.type_cell(a.type, a.required, self.ctx, "../../",
                                                        self.layout),
                         ":heavy_check_mark:" if a.required else ":heavy_minus_sign:",
                         docs.description_cell(a.description, a.deprecated),
                         docs.example_cell(a.has_example, a.example,
                                           number=_is_float(a.type))])
        rows.append(["`retries`", "[Optional[utils.RetryConfig]](../../models/utils/retryconfig.md)",
                     ":heavy_minus_sign:",
                     "Configuration to override the default retry behavior of the client.", ""])
        if v.op.servers:  # the operation's own server, as the reference docs show it
            rows.append(["`server_url`", "*Optional[str]*", ":heavy_minus_sign:",
                         "An optional server URL to use.", docs.example_cell(True, v.op.servers[0])])
        v.doc_has_example = any(r[4] for r in rows)
        v.doc_rows = rows if v.doc_has_example else [r[:4] for r in rows]
        o = v.op
        if o.stream is not None:
            ev = docs.plain_type(o.stream.event, self.ctx, self.layout)
            text = (f"Union[eventstreaming.EventStream[{ev}], "
                    f"eventstreaming.EventStreamAsync[{ev}]]")
            target = self._page_of(o.stream.event)
            v.response_cell = f"**[{text}]({target})**" if target else f"**{text}**"
        elif o.success is not None:
            target = self._page_of(o.success)
            text = docs.plain_type(o.success, self.ctx, self.layout)
            v.response_cell = f"**[{text}]({target})**" if target else f"**{text}**"
        else:
            v.response_cell = "**None**"
        err_rows: list[list[str]] = []
        prefix = self.cfg.errors_path + "."
        for status, cls, _ in v.errors:
            ct = next((e.content_type for e in o.errors if e.status == status), "application/json")
            name = prefix + cls.split(".", 1)[1]
            same = next((r for r in err_rows if r[0] == name and r[2] == ct), None)
            if same is not None:  # one row per error class: its status codes joined
                same[1] += ", " + status
            else:
                err_rows.append([name, status, ct])
        err_rows.append([f"{prefix}{self.cfg.default_error}", "4XX, 5XX", "\\*/\\*"])
        v.error_rows = err_rows
        v.usage_code = self.usage(v, ns_path)

    def _page_of(self, t: TypeRef) -> str:
        if t.kind == REF:
            return (f"../../{self.layout.module_of(t.name)}/"
                    + docs.model_page(self.names.of(t.name)))
        if t.kind in (LIST, MAP) and t.item is not None:
            return self._page_of(t.item)
        return ""

    def usage(self, v: OpView, ns_path: tuple[str, ...], async_: bool = False,
              pages: bool = False) -> str:
        cfg = self.cfg
        lit = Literalizer(self.ctx, cfg)
        args = call_arguments(v.op, v.args, lit)
        var = cfg.example_client_var
        call = ".".join([var, *(identifier(p) for p in ns_path), v.name])
        if pages and v.pages is not None and v.op.pagination is not None:
            # the iterator starts at the first page: no offset/page/cursor in the example
            start = self._page_input(v, v.op.pagination.position)
            args = [a for a in args if start is None or f"PageInput({a.name!r})" != start[0]]
            call = ".".join([var, *(identifier(p) for p in ns_path), v.pages.name])
        client = cfg.async_client if async_ else cfg.sync_client
        arglist = "".join(f"{a.name}={a.code}, " for a in args)
        lines = []
        if async_:
            lines.append("import asyncio")
        if lit.uses_datetime:
            lines.append("import datetime")
        if self.security_module:  # the credentials of the operation's first alternative
            alt = next((a for a in v.op.security if a), ())
            creds = [c for c in self.schemes if c.scheme.name in alt]
        else:
            creds = self.schemes
        imports_os = bool(creds)
        sdk_import = f"from {cfg.import_name} import {client}"
        if cfg.example_import_style == "sdk_first":
            if lit.uses_package:
                lines.append(f"import {cfg.import_name}")
            lines.append(sdk_import)
            if imports_os:
                lines.append("import os")
        else:
            if imports_os:
                lines.append("import os")
            if lit.uses_package:
                lines.append(f"import {cfg.import_name}")
            lines.append(sdk_import)
        lines.append("")
        ctor = "".join(f"{c.arg}=os.getenv({c.env!r}, \"\")," for c in creds)
        indent = "    "
        body: list[str] = []
        aw = "await " if async_ else ""
        if pages:
            body += [f"{'async ' if async_ else ''}for page in {call}({arglist}):",
                     "    # Handle each page", "    print(page)"]
        else:
            body.append(f"res = {aw}{call}({arglist})")
            body.append("")
            if v.op.stream is not None and async_:
                body += ["async with res as event_stream:", "    async for event in event_stream:",
                         "        # handle event", "        print(event, flush=True)"]
            elif v.op.stream is not None:
                body += ["with res as event_stream:", "    for event in event_stream:",
                         "        # handle event", "        print(event, flush=True)"]
            else:
                body += ["# Handle response", "print(res)"]
        if async_:
            lines.append("")
            lines.append("async def main():")
            lines.append(f"{indent}async with {client}({ctor}) as {var}:")
            lines += [indent * 2 + b if b else "" for b in body]
            lines.append("")
            lines.append("asyncio.run(main())")
        else:
            lines.append(f"with {client}({ctor}) as {var}:")
            lines += [indent + b if b else "" for b in body]
        return "\n".join(lines) + "\n"


def _jsonpath(path: tuple[str | int, ...] | None) -> str:
    """The output path as the docs show it ("" when the output is not declared)."""
    if path is None:
        return ""
    return "$" + "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in path)


def _pages_rule(role: str, position: str, limit: str, results: str, cursor: str,
                num_pages: str) -> str:
    """How a page iterator steps and stops, in one paragraph (docstring and docs)."""
    fewer = f", or with fewer items than {limit}" if limit else ""
    if role == "offset":
        return (f"After each page, {position} is advanced by the number of items in "
                f"`{results}`; iteration stops after a page with no items{fewer}.")
    if role == "page":
        stops = [f"a page with no items in `{results}`{fewer}"] if results else []
        if num_pages:
            stops.append(f"the last page (`{num_pages}`)")
        return (f"After each page, {position} is increased by one (an omitted {position} counts "
                f"as page 1); iteration stops after {', or after '.join(stops)}.")
    empty = f", or after a page with no items in `{results}`" if results else ""
    return (f"After each page, {position} is set to the response's `{cursor}`; iteration stops "
            f"when that is missing, empty or unchanged{empty}{fewer}.")


def _is_float(t: TypeRef) -> bool:
    return t.kind == SCALAR and t.name == "float"


def doc_model_rows(t: ObjectType, ctx: TypeContext, layout: docs.Layout = docs.DEFAULT_LAYOUT,
                   spec_order: bool = True) -> tuple[list[str], list[list[str]]]:
    """The Fields table of a model page: in the spec's property order (maintainOpenAPIOrder,
    what the reference pages show), else required fields first."""
    # the Python attribute names, as the model class has them (the reference pages too)
    idents = dict(zip(map(id, t.fields), unique([_ident(f) for f in t.fields])))
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


__all__ = ["ApiViews", "ModuleView", "TypeView", "type_views", "doc_model_rows", "docstring",
           "MAP", "SCALAR", "Any"]

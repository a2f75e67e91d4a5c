"""The SDK's public surface as data: what a caller of the generated package can name.

Read from the plan (generator/plan/), the records the templates are rendered from, so
method and argument names, flattening, stream twins and page iterators are exactly the
rendered ones, never re-decided here. Frozen records; `to_json` gives stable, sorted, human-reviewable JSON
(the `surface` of `.sdkgen/lock.json`) and `from_json` reads it back.

What each record holds is what `changes.py` compares: names, annotations, requiredness,
nullability, defaults, enum values, union members, errors, security and servers, plus a
short digest of each item's documentation (so a docs-only change is seen as a fix without
copying the spec's prose into the lock).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from typing import Any, Iterator

from .config import TargetConfig
from .model import (
    Api,
    EnumType,
    ObjectType,
    Operation,
    Ref,
    TypeRef,
    UnionType,
)
from .naming import Names, identifier
from .plan import build_plan
from .plan import records as plan
from .plan.models import closed_fields
from .pytypes import canonical, closure, refs

SCHEMA_VERSION = 1
REQUEST, RESPONSE = "request", "response"


def doc_digest(*texts: Any) -> str:
    """A short digest of documentation text ("" when there is none)."""
    joined = "\x1f".join("" if t is None else str(t) for t in texts)
    if not joined.strip("\x1f"):
        return ""
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Argument:
    name: str  # Python name
    wire: str  # name on the wire ("request" for a whole body)
    location: str  # path | query | header | cookie | body
    annotation: str  # as in the method's signature
    type: str  # canonical type (see type_expr), without the Optional/Nullable wrapper
    required: bool
    nullable: bool
    default: str | None  # the Python literal of a spec default; None when omitted
    keyword_only: bool = True
    deprecated: bool = False
    pointer: str = ""
    doc: str = ""


@dataclass(frozen=True)
class Method:
    path: str  # Python path from the client: "chat.create_chat_completion"
    name: str
    namespace: str  # "chat" ("" for the client itself)
    operation: str  # "POST /chat/completions"
    variant: str  # "" | "stream" (stream twin) | "pages" (page iterator)
    pointer: str
    arguments: tuple[Argument, ...]
    returns: str  # sync return annotation
    returns_type: str  # canonical type of what a call yields ("" for None)
    stream: bool
    errors: tuple[str, ...]  # "400 BadRequestError"
    security: tuple[tuple[str, ...], ...]
    deprecated: bool = False
    doc: str = ""
    docs: str = ""  # the method's page in the SDK's docs/ (with its anchor)


@dataclass(frozen=True)
class ModelField:
    name: str
    wire: str
    annotation: str
    type: str
    required: bool
    nullable: bool
    default: str | None
    deprecated: bool = False
    read_only: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Model:
    name: str
    pointer: str
    fields: tuple[ModelField, ...]
    additional: str  # canonical type of additionalProperties values ("" when closed)
    usage: tuple[str, ...]  # "request" and/or "response": where a caller meets it
    deprecated: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Enum:
    name: str
    pointer: str
    values: tuple[Any, ...]
    # a response may hold a value outside `values` (the SDK's `open_enum` marker, or
    # `x-speakeasy-unknown-values: allow`); False when some response position is closed
    open: bool
    usage: tuple[str, ...]
    doc: str = ""


@dataclass(frozen=True)
class Union:
    name: str
    pointer: str
    members: tuple[str, ...]  # canonical member types
    discriminator: str
    usage: tuple[str, ...]
    doc: str = ""


@dataclass(frozen=True)
class Exception_:
    name: str  # exception class
    data: str  # model of its parsed body


@dataclass(frozen=True)
class Scheme:
    name: str
    kind: str  # bearer | basic | apiKey
    argument: str  # client constructor argument
    location: str
    parameter: str


@dataclass(frozen=True)
class Client:
    name: str
    async_name: str
    arguments: tuple[Argument, ...]  # globals (security arguments are in `schemes`)
    schemes: tuple[Scheme, ...]
    servers: tuple[str, ...]
    server_ids: tuple[str, ...]


@dataclass(frozen=True)
class Namespace:
    path: str  # attribute path from the client: "fine_tuning.jobs"
    class_name: str
    async_class_name: str


@dataclass(frozen=True)
class Surface:
    package: str
    client: Client
    methods: tuple[Method, ...]  # sorted by path
    models: tuple[Model, ...]  # each kind sorted by name
    enums: tuple[Enum, ...]
    unions: tuple[Union, ...]
    exceptions: tuple[Exception_, ...]
    # sorted by path; None when read from a lock written before namespaces were recorded
    namespaces: tuple[Namespace, ...] | None = ()

    def to_json(self) -> dict[str, Any]:
        """Plain JSON data, keys sorted by `json.dumps(sort_keys=True)`; the collections
        are maps keyed by their Python name so a reviewer reads a diff of the lock."""
        return {
            "schema": SCHEMA_VERSION,
            "package": self.package,
            "client": _plain(self.client),
            "methods": {m.path: _plain(m) for m in self.methods},
            "models": {m.name: _plain(m) for m in self.models},
            "enums": {e.name: _plain(e) for e in self.enums},
            "unions": {u.name: _plain(u) for u in self.unions},
            "exceptions": {e.name: e.data for e in self.exceptions},
            "namespaces": {n.path: _plain(n) for n in self.namespaces or ()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Surface":
        c = data["client"]
        client = Client(c["name"], c["async_name"],
                        tuple(_record(Argument, a) for a in c["arguments"]),
                        tuple(_record(Scheme, s) for s in c["schemes"]),
                        tuple(c["servers"]), tuple(c["server_ids"]))
        methods = tuple(_method(m) for _, m in sorted(data["methods"].items()))
        models = tuple(_model(m) for _, m in sorted(data["models"].items()))
        enums = tuple(_record(Enum, e) for _, e in sorted(data["enums"].items()))
        unions = tuple(_record(Union, u) for _, u in sorted(data["unions"].items()))
        exc = tuple(Exception_(n, d) for n, d in sorted(data["exceptions"].items()))
        namespaces = tuple(_record(Namespace, n) for _, n in sorted(
            data["namespaces"].items())) if "namespaces" in data else None
        return cls(data["package"], client, methods, models, enums, unions, exc, namespaces)


def _plain(v: Any) -> Any:
    """A record as JSON data (dataclasses.asdict deep-copies: seconds on a big API)."""
    names = getattr(v, "__dataclass_fields__", None)
    if names is not None:
        return {k: _plain(getattr(v, k)) for k in names}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


def _tuples(v: Any) -> Any:
    if isinstance(v, list):
        return tuple(_tuples(x) for x in v)
    return v


def _record(cls: Any, data: dict[str, Any]) -> Any:
    names = {f.name for f in fields(cls)}
    return cls(**{k: _tuples(v) for k, v in data.items() if k in names})


def _method(data: dict[str, Any]) -> Method:
    m = _record(Method, {k: v for k, v in data.items() if k != "arguments"} | {"arguments": []})
    args = tuple(_record(Argument, a) for a in data["arguments"])
    return Method(**{**{f.name: getattr(m, f.name) for f in fields(Method)}, "arguments": args})


def _model(data: dict[str, Any]) -> Model:
    flds = tuple(_record(ModelField, f) for f in data["fields"])
    rest = {k: _tuples(v) for k, v in data.items() if k != "fields"}
    return Model(fields=flds, **rest)


# ---- canonical types ---------------------------------------------------------------------------

def type_expr(t: TypeRef | None, names: Names) -> str:
    """A type as the caller sees it, independent of where it is printed: `str`, `List[X]`,
    `Dict[str, X]`, `Literal['a']`, a class name; a nullable item is `Nullable[X]`."""
    return canonical(t, names)


def _default(text: str) -> str | None:
    """The omission sentinels (None, UNSET) are not defaults: both mean 'not sent'."""
    return None if text in ("", "None", "UNSET") else text


# ---- building ----------------------------------------------------------------------------------

def build_surface(api: Api, names: Names, cfg: TargetConfig,
                  planned: plan.Plan | None = None) -> Surface:
    """`planned`: the plan render() used (computed here when not given)."""
    p = planned or build_plan(api, names, cfg)
    names = p.names  # the rendered names
    types = {t.key: t for t in api.types}
    methods: list[Method] = []
    request_roots: set[str] = set()
    response_roots: set[str] = set()
    namespaces: list[Namespace] = []
    for attrs, ns in _walk(p.root, ()):
        if ns.path:
            namespaces.append(Namespace(".".join(attrs), ns.class_name, ns.async_class_name))
        folder = ns.class_name.lower() if ns.path else cfg.sync_client.lower()
        for m in ns.methods:
            methods.extend(_methods(m, attrs, names, types, f"docs/sdks/{folder}/README.md"))
            _roots(m.operation, request_roots, response_roots)
    for g in api.globals:
        refs(g.type, request_roots)
    usage = _usage(types, request_roots, response_roots)
    closed = _closed_enums(api, types, usage)
    models: list[Model] = []
    enums: list[Enum] = []
    unions: list[Union] = []
    for module in p.modules:
        for tp in module.types:
            t = types[tp.key]
            use = usage.get(t.key, ())
            if isinstance(t, EnumType):
                enums.append(Enum(tp.class_name, t.key, tuple(t.values),
                                  t.open or t.key not in closed, use, doc_digest(t.description)))
            elif isinstance(t, UnionType):
                unions.append(Union(tp.class_name, t.key,
                                    tuple(type_expr(m, names) for m in t.members),
                                    t.discriminator, use, doc_digest(t.description)))
            elif isinstance(t, ObjectType) and isinstance(tp, plan.Model):
                flds = []
                for f, fp in zip(t.fields, tp.fields):
                    flds.append(ModelField(
                        fp.name, f.wire_name, _unaliased(fp.annotation, f.wire_name),
                        type_expr(f.type.with_nullable(False), names), f.required,
                        f.type.nullable, _default(fp.default) if not f.required else None,
                        f.deprecated, f.read_only,
                        doc_digest(f.description, f.example if f.has_example else None)))
                additional = type_expr(t.additional, names) if t.additional is not None else ""
                models.append(Model(tp.class_name, t.key, tuple(flds), additional, use,
                                    t.deprecated, doc_digest(t.description)))
    exceptions = [Exception_(cls, names.of(key)) for key, cls in names.errors.items()]
    client = Client(cfg.sync_client, cfg.async_client,
                    tuple(Argument(g.name, g.parameter.wire_name, g.parameter.location,
                                   g.annotation,
                                   type_expr(g.parameter.type.with_nullable(False), names),
                                   False, g.parameter.type.nullable, None, True,
                                   g.parameter.deprecated, "", doc_digest(g.parameter.description))
                          for g in p.client.globals),
                    tuple(Scheme(s.scheme.name, s.scheme.kind, s.argument, s.scheme.location,
                                 s.scheme.param_name) for s in p.client.schemes),
                    tuple(api.servers), tuple(api.server_ids))
    return Surface(cfg.import_name, client, tuple(sorted(methods, key=lambda m: m.path)),
                   tuple(sorted(models, key=lambda m: m.name)),
                   tuple(sorted(enums, key=lambda e: e.name)),
                   tuple(sorted(unions, key=lambda u: u.name)),
                   tuple(sorted(exceptions, key=lambda e: e.name)),
                   tuple(sorted(namespaces, key=lambda n: n.path)))


def _walk(ns: plan.Namespace, attrs: tuple[str, ...]
          ) -> Iterator[tuple[tuple[str, ...], plan.Namespace]]:
    here = (*attrs, ns.attr) if ns.path else attrs
    yield here, ns
    for c in ns.children:
        yield from _walk(c, here)


def _methods(m: plan.Method, attrs: tuple[str, ...], names: Names,
             types: dict[str, Any], page: str) -> list[Method]:
    o = m.operation
    args = []
    body_obj = types.get(o.body.type.key) if (o.body is not None and o.body.flattened
                                              and isinstance(o.body.type, Ref)) else None
    for a in m.arguments:
        if a.is_body_field and isinstance(body_obj, ObjectType):
            pointer = f"{body_obj.key}/properties/{_escape(a.wire_name)}"
        elif a.location == "body":
            pointer = f"{o.pointer}/requestBody"
        else:  # (path-level and operation-level parameters are merged: the operation)
            pointer = o.pointer
        args.append(Argument(a.name, a.wire_name, a.location, a.annotation,
                             type_expr(a.type.with_nullable(False), names), a.required,
                             a.type.nullable, None if a.required else _default(a.omitted), True,
                             a.deprecated, pointer,
                             doc_digest(a.description, a.example if a.has_example else None)))
    if o.stream is not None:
        returns_type = type_expr(o.stream.event, names)
    else:
        returns_type = type_expr(o.success, names) if o.success is not None else ""
    errors = tuple(sorted(f"{e.status} {f'{e.module}.{e.exception}'.removeprefix('models.')}"
                          for e in m.errors))
    # "stream" for a stream twin; also, as before the plan stage (the variant was read off
    # the operation's module constant, `_OP_<ID>_STREAM`), for an operation whose id ends
    # in "stream": kept so that the surface of existing lock files does not change
    variant = "stream" if m.variant == "stream" or identifier(o.operation_id).upper().strip(
        "_").endswith("_STREAM") else ""
    namespace = ".".join(attrs)
    operation = f"{o.http_method.upper()} {o.path}"
    doc = doc_digest(o.summary, o.description, o.deprecation_message)
    base = Method(".".join((*attrs, m.name)), m.name, namespace, operation, variant,
                  o.pointer, tuple(args), m.returns,
                  returns_type, o.stream is not None, errors, m.security, o.deprecated, doc,
                  f"{page}#{m.name}")
    out = [base]
    if m.pages is not None:
        out.append(Method(".".join((*attrs, m.pages.name)), m.pages.name, namespace, operation,
                          "pages", o.pointer, tuple(args), m.pages.returns,
                          f"Iterator[{returns_type}]", False, errors, m.security, o.deprecated,
                          doc, f"{page}#{m.pages.name}"))
    return out


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _unaliased(annotation: str, wire: str) -> str:
    wrapper = f", pydantic.Field(alias={wire!r})]"
    if annotation.startswith("Annotated[") and annotation.endswith(wrapper):
        return annotation[len("Annotated["):-len(wrapper)]
    return annotation


def _roots(o: Operation, request: set[str], response: set[str]) -> None:
    if o.body is not None:
        refs(o.body.type, request)
    for p in o.parameters:
        refs(p.type, request)
    refs(o.success, response)
    for s in (o.stream, o.stream_alt):
        if s is not None:
            refs(s.event, response)
    for e in o.errors:
        refs(e.type, response)


def _usage(types: dict[str, Any], request_roots: set[str], response_roots: set[str]
           ) -> dict[str, tuple[str, ...]]:
    req, resp = closure(types, request_roots), closure(types, response_roots)
    return {k: tuple(d for d, s in ((REQUEST, req), (RESPONSE, resp)) if k in s) for k in types}


def _closed_enums(api: Api, types: dict[str, Any], usage: dict[str, tuple[str, ...]]
                  ) -> set[str]:
    """Enums a response may hold in a position the SDK keeps closed (no `open_enum`): the
    discriminator field of a union member, or a one-value enum (a tag). Elsewhere the
    generated models accept an unknown value in responses (see plan/models.py `_field`)."""
    closed: set[str] = set()
    tags = closed_fields(api, types)
    for t in api.types:
        if not isinstance(t, ObjectType) or RESPONSE not in usage.get(t.key, ()):
            continue
        for f in t.fields:
            if not isinstance(f.type, Ref) or not isinstance(types.get(f.type.key), EnumType):
                continue
            enum = types[f.type.key]
            if f.wire_name in tags.get(t.key, set()) or len(enum.values) == 1:
                closed.add(enum.key)
    return closed

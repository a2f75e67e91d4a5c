"""The client, its namespaces and their methods, planned once: method and argument names
(keyword escaping, `_` suffixes), which bodies are flattened, stream twins, page
iterators, security arguments and the client's globals. Pure functions of the IR, the
names and the config."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..call_options import CALL_OPTION_NAMES
from ..config import TargetConfig
from ..model import Api, Const, Field, ObjectType, Operation, PageInput, Parameter, Ref, Scalar
from ..model import Namespace as ApiNamespace
from ..naming import Names, field_identifier, identifier, snake, unique
from ..pytypes import TypeContext, hint, wrapped
from .names import separate_errors
from .records import (
    FLATTENED,
    NO_BODY,
    WHOLE,
    Argument,
    Client,
    ErrorCase,
    Global,
    Method,
    Namespace,
    PageArgument,
    Pages,
    Scheme,
)

# names the client's constructor takes itself
CLIENT_ARGS = frozenset(("self", "server_idx", "server_url", "server", "client", "retry_config",
                         "timeout_ms", "debug_logger"))
# per-call options every method takes after its own arguments
_RESERVED_ARGS = frozenset((*CALL_OPTION_NAMES, "self"))
_TOKEN_ANN = "Optional[Union[str, Callable[[], str]]]"
_BASIC_ANN = ("Optional[Union[str, tuple[str, str], Callable[[], Union[str, tuple[str, str]]]]]")


def field_ident(f: Field) -> str:
    """The Python attribute of a model field (x-speakeasy-name-override, else the wire name)."""
    return field_identifier(f.name_override or f.wire_name)


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


def _forced(flag: str, value: str) -> tuple[tuple[str, str], ...]:
    return ((flag, value),) if flag else ()


def stream_switch(o: Operation, a: Argument) -> str:
    """"True"/"False" when `a` is the boolean body field that switches the response to a
    stream (`stream`, or the twin's flag) of a method that returns only a stream / only a
    model: typed `Literal[...]` so that a call asking for the other kind does not
    type-check."""
    if not a.is_body_field or a.wire_name not in ("stream", o.stream_flag or "stream"):
        return ""
    if not isinstance(a.type, Scalar) or a.type.name != "bool":
        return ""
    if o.stream is not None:
        return "True"
    return "False" if o.success is not None else ""


@dataclass(frozen=True)
class MethodPlanner:
    """The context every method decision reads (the IR, the names, the config)."""

    api: Api
    names: Names
    cfg: TargetConfig
    ctx: TypeContext  # annotations as the resources modules spell them
    arg_of: dict[str, str]  # security scheme name -> client argument

    @property
    def types(self) -> dict:
        return self.ctx.types

    # ---- namespaces and method names ----------------------------------------------------
    def namespace(self, ns: ApiNamespace) -> Namespace:
        cls = self.names.namespaces.get(ns.path, self.cfg.sync_client)
        ops_names = unique([identifier(o.method_name) for o in ns.operations])
        children = tuple(self.namespace(c) for c in ns.children)
        taken = {c.attr for c in children}
        methods: list[Method] = []
        for o, n in zip(ns.operations, ops_names):
            o = self.unflattened(o)
            while n in taken:
                n += "_"
            taken.add(n)
            if o.stream_alt is None:
                methods.append(self.with_pages(self.method(o, n), taken, ops_names))
                continue
            # One operation, two methods: `n` returns the model, `n_stream` the event stream.
            plain = replace(o, stream_alt=None)
            methods.append(self.with_pages(self.method(plain, n, _forced(o.stream_flag, "False")),
                                           taken, ops_names))
            sn = n + "_stream"
            while sn in taken or sn in ops_names:
                sn += "_"
            taken.add(sn)
            streamed = replace(o, stream=o.stream_alt, success=None, stream_alt=None,
                               success_content_type=o.stream_alt.content_type)
            methods.append(self.method(streamed, sn, _forced(o.stream_flag, "True"), "stream"))
        return Namespace(
            path=ns.path, class_name=cls, async_class_name="Async" + cls if ns.path else (
                self.cfg.async_client),
            module=identifier(cls) if ns.path else "sdk",
            attr=identifier(ns.path[-1]) if ns.path else "",
            description=ns.description, methods=tuple(methods), children=children)

    # ---- one method ---------------------------------------------------------------------
    def method(self, o: Operation, name: str, forced: tuple[tuple[str, str], ...] = (),
               variant: str = "") -> Method:
        """`forced`: body fields the method sets itself (wire name, Python literal)."""
        args = [a for a in self.arguments(o)
                if not (a.is_body_field and a.wire_name in dict(forced))]
        idents = unique([a.name for a in args])
        args = [self._signed(o, a, n + "_" if n in _RESERVED_ARGS else n)
                for a, n in zip(args, idents)]
        body, body_class = NO_BODY, ""
        body_keys: tuple[tuple[str, str], ...] = ()
        if o.body is not None and o.body.flattened and isinstance(o.body.type, Ref):
            body, body_class = FLATTENED, self.names.of(o.body.type.key)
            body_obj = self.types[o.body.type.key]
            assert isinstance(body_obj, ObjectType)
            field_names = unique([field_ident(f) for f in body_obj.fields])
            body_keys = tuple({f.wire_name: k for f, k in zip(body_obj.fields,
                                                               field_names)}.items())
        elif o.body is not None:
            body = WHOLE
        ret = ret_async = "None"
        if o.stream is not None:
            ev = hint(o.stream.event, self.ctx)
            ret, ret_async = f"EventStream[{ev}]", f"EventStreamAsync[{ev}]"
        elif o.success is not None:
            ret = ret_async = wrapped(o.success, True, hint(o.success, self.ctx))
        errors = []
        for e in o.errors:
            if e.type is not None and isinstance(e.type, Ref) and e.type.key in self.names.errors:
                module = "_typed_errors" if separate_errors(self.cfg) else "models"
                errors.append(ErrorCase(e.status, self.names.errors[e.type.key], module,
                                        self.names.of(e.type.key)))
        security = tuple(tuple(self.arg_of.get(n, n) for n in alt) for alt in o.security)
        return Method(name, variant, o, tuple(args), forced, body, body_class, body_keys,
                      ret, ret_async, tuple(errors), security,
                      tuple(sorted(self.hidden_globals(o))))

    def _signed(self, o: Operation, a: Argument, name: str) -> Argument:
        """`a` under its final name, with its annotation and signature default."""
        switch = stream_switch(o, a)
        if switch:  # the stream switch can only say what the method returns
            return replace(a, name=name, annotation=f"Literal[{switch}]", omitted=switch,
                           switch=switch)
        plain = hint(a.type, self.ctx)
        td = hint(a.type, self.ctx, typed_dict=True)
        inner = plain if plain == td else f"Union[{plain}, {td}]"
        omitted = "" if a.required else a.default or ("UNSET" if a.type.nullable else "None")
        return replace(a, name=name, annotation=wrapped(a.type, a.required, inner),
                       omitted=omitted)

    def arguments(self, o: Operation) -> list[Argument]:
        """The method's arguments before naming collisions are settled: parameters, then
        the body (its fields when flattened), required ones first (gen.yaml
        `flatteningOrder` says which group leads)."""
        # a global parameter is optional on the method: the client's value fills it in (a
        # hidden one is no argument at all)
        global_keys = {(g.location, g.wire_name) for g in self.api.globals}
        hidden = self.hidden_globals(o)
        params = [Argument(identifier(p.name_override or p.wire_name), p.wire_name, p.type,
                           p.required and (p.location, p.wire_name) not in global_keys,
                           p.description,
                           p.deprecated, p.has_example, p.example, False, p.location)
                  for p in o.parameters if (p.location, p.wire_name) not in hidden]
        body_fields: list[Argument] = []
        if o.body is not None and o.body.flattened and isinstance(o.body.type, Ref):
            obj = self.types[o.body.type.key]
            assert isinstance(obj, ObjectType)
            for f in obj.fields:
                if f.read_only:
                    continue
                required = f.required and not isinstance(f.type, Const)
                body_fields.append(Argument(field_ident(f), f.wire_name, f.type,
                                            required, f.description, f.deprecated, f.has_example,
                                            f.example, True, "body", default_literal(f)))
        elif o.body is not None:
            name = "request"
            if self.cfg.flatten_requests and params:
                # beside parameters the body is named after its schema, as the reference
                # names it (`address_account`), or `request_body` when inline
                name = (snake(self.names.of(o.body.type.key)) if isinstance(o.body.type, Ref)
                        and o.body.type.key.startswith("#/components/schemas/")
                        else "request_body")
            body_fields.append(Argument(name, name, o.body.type, o.body.required,
                                        o.body.description, False, o.body.has_example,
                                        o.body.example, False, "body"))
        first, then = (body_fields, params) if self.cfg.flattening_order == "body-first" else (
            params, body_fields)
        return ([a for a in first if a.required] + [a for a in then if a.required]
                + [a for a in first if not a.required] + [a for a in then if not a.required])

    def unflattened(self, o: Operation) -> Operation:
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
        if (limit < 0 or o.body is None or not o.body.flattened
                or not isinstance(o.body.type, Ref) or o.stream_flag):
            return o  # (a stream switch is a body field the methods set: kept flattened)
        obj = self.types.get(o.body.type.key)
        fields = [f for f in obj.fields if not f.read_only] if isinstance(obj, ObjectType) else []
        count = len(o.parameters) + len([f for f in fields if f.wire_name != o.stream_flag])
        if count <= limit:
            return o
        return replace(o, body=replace(o.body, flattened=False))

    def hidden_globals(self, o: Operation) -> set[tuple[str, str]]:
        """(location, wire name) of the operation's parameters that are hidden globals."""
        hidden = {(g.location, g.wire_name) for g in self.api.globals if g.globals_hidden}
        return {(p.location, p.wire_name) for p in o.parameters
                if (p.location, p.wire_name) in hidden}

    # ---- page iterators (x-speakeasy-pagination) ----------------------------------------
    def with_pages(self, m: Method, taken: set[str], ops_names: list[str]) -> Method:
        """`m` with its page iterator, when the operation is paginated and the iterator can
        set its inputs."""
        o = m.operation
        pg = o.pagination
        if pg is None or o.stream is not None or o.success is None:
            return m
        position, limit = self.page_argument(m, pg.position), (
            self.page_argument(m, pg.limit) if pg.limit is not None else None)
        if position is None or (pg.limit is not None and limit is None):
            return m  # (an input the method sets itself; the build checked the rest)
        name = m.name + "_pages"
        while name in taken or name in ops_names:
            name += "_"
        taken.add(name)
        results, next_cursor, num_pages = (tuple(p) if p is not None else None
                                           for p in (pg.results, pg.next_cursor, pg.num_pages))
        return replace(m, pages=Pages(name, pg.position.role, position, limit, results,
                                      next_cursor, num_pages, f"Iterator[{m.returns}]",
                                      f"AsyncIterator[{m.returns_async}]"))

    def page_argument(self, m: Method, inp: PageInput) -> PageArgument | None:
        """Where the iterator writes one pagination input (None: it cannot)."""
        if inp.location == "parameters":
            a = next((a for a in m.arguments
                      if a.location != "body" and a.wire_name == inp.name), None)
            return PageArgument(a.name) if a else None
        a = next((a for a in m.arguments if a.is_body_field and a.wire_name == inp.name), None)
        if a is not None:
            return PageArgument(a.name)
        body = m.operation.body
        if m.body != WHOLE or body is None or not isinstance(body.type, Ref):
            return None
        whole = next(a.name for a in m.arguments if a.location == "body")
        obj = self.types.get(body.type.key)
        if not isinstance(obj, ObjectType):
            return None
        idents = dict(zip((f.wire_name for f in obj.fields),
                          unique([field_ident(f) for f in obj.fields])))
        if inp.name not in idents:
            return None
        return PageArgument(whole, idents[inp.name], inp.name)


def schemes(api: Api, cfg: TargetConfig) -> tuple[Scheme, ...]:
    """One client argument (and environment variable) per security scheme."""
    args = unique([identifier(s.name, CLIENT_ARGS) for s in api.security_schemes])
    envs = unique([f"{cfg.env_prefix}_{snake(s.name).upper()}" for s in api.security_schemes])
    return tuple(Scheme(s, arg, env, _BASIC_ANN if s.kind == "basic" else _TOKEN_ANN)
                 for s, arg, env in zip(api.security_schemes, args, envs))


def client_globals(api: Api, ctx: TypeContext, schemes_: tuple[Scheme, ...]
                   ) -> tuple[Global, ...]:
    """Client constructor arguments for x-speakeasy-globals (snake case, unique)."""
    taken = set(CLIENT_ARGS) | {s.argument for s in schemes_}
    out = []
    for p in api.globals:
        name = identifier(p.name_override or p.wire_name)
        while name in taken:
            name += "_"
        taken.add(name)
        out.append(Global(name, p, _global_annotation(p, ctx)))
    return tuple(out)


def _global_annotation(p: Parameter, ctx: TypeContext) -> str:
    plain = hint(p.type, ctx)
    td = hint(p.type, ctx, typed_dict=True)
    inner = plain if plain == td else f"Union[{plain}, {td}]"
    return f"Optional[{inner}]" if not inner.startswith("Optional[") else inner


def client(api: Api, names: Names, cfg: TargetConfig, ctx: TypeContext) -> tuple[Client,
                                                                                  Namespace]:
    """The client (constructor arguments, security) and its namespace tree."""
    schemes_ = schemes(api, cfg)
    # Several schemes, or HTTP basic (a username/password pair), use the runtime's
    # utils/security.py; one bearer or API-key scheme is served by the core alone.
    security_module = len(schemes_) > 1 or any(s.scheme.kind == "basic" for s in schemes_)
    planner = MethodPlanner(api, names, cfg, ctx, {s.scheme.name: s.argument for s in schemes_})
    return (Client(cfg.sync_client, cfg.async_client, schemes_, security_module,
                   client_globals(api, ctx, schemes_), api.servers, api.server_ids),
            planner.namespace(api.root))

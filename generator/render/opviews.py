"""The views of the client, its namespaces and methods: functions of the plan
(generator/plan/) that spell what the templates print (runtime constructor calls, adapters,
docstrings, README rows). No decision about the SDK's shape is made here."""

from __future__ import annotations

from ..call_options import CALL_OPTION_NAMES
from ..config import TargetConfig
from ..model import Api, Operation
from ..naming import identifier
from ..plan import records as plan
from ..pytypes import TypeContext, hint, wrapped
from . import docs
from .opdocs import DocContext, jsonpath, method_docs, pages_rule, usage
from .views import (
    GlobalView,
    HookView,
    NamespaceView,
    OpView,
    PagesView,
    SchemeView,
    comment,
    docstring,
    lazy_adapter,
)


def _method_doc(o: Operation, args: list[plan.Argument]) -> str:
    lines = [o.description or o.summary or o.operation_id]
    if o.deprecation_message:  # x-speakeasy-deprecation-message
        lines.insert(0, f"Deprecated: {o.deprecation_message}\n")
    elif o.deprecated:
        lines.insert(0, "Deprecated: this operation will be removed in a future release.\n")
    return "\n".join(lines).rstrip() + "\n\n" + _param_doc(args)


def _param_doc(args: list[plan.Argument]) -> str:
    params = [f":param {a.name}: {'(deprecated) ' if a.deprecated else ''}{comment(a.description)}"
              for a in args if a.description.strip()]
    params += [":param retries: override the retry policy for this call",
               ":param server_url: override the server for this call",
               ":param timeout_ms: timeout of this call in milliseconds",
               ":param http_headers: extra headers sent with this call"]
    return "\n".join(params)


def _scheme_view(s: plan.Scheme) -> SchemeView:
    k = s.scheme
    if k.kind == "apiKey":
        cell = docs.whole_cell(f"API key ({k.location} `{k.param_name}`)")
    elif k.kind == "basic":
        cell = "HTTP Basic"
    else:
        cell = {"oauth2": "OAuth2 (access token, sent as HTTP Bearer)",
                "openIdConnect": "OpenID Connect (token, sent as HTTP Bearer)"}.get(
            k.type, "HTTP Bearer")
    return SchemeView(k, s.argument, s.env, s.annotation,
                      k.type if k.type in ("oauth2", "openIdConnect") else
                      ("apiKey" if k.kind == "apiKey" else "http"), cell)


def _page_input_doc(p: plan.PageArgument) -> str:
    """How the docs name one pagination input."""
    return f"`{p.argument}.{p.attribute}`" if p.attribute else f"`{p.argument}`"


class ApiViews:
    def __init__(self, api: Api, p: plan.Plan, cfg: TargetConfig):
        self.api, self.plan, self.names, self.cfg = api, p, p.names, cfg
        self.types = p.types
        self.ctx = TypeContext(p.names, self.types, "models.", "_types.open_enum")
        self.layout = docs.Layout(cfg.shared_path, cfg.operations_path, cfg.errors_path,
                                  api.error_keys)
        self.model_ctx = TypeContext(p.names, self.types, "")
        self.docs = DocContext(cfg, self.ctx, self.layout, p.names, p.client)
        self.schemes = [_scheme_view(s) for s in p.client.schemes]
        self.security_module = p.client.security_module
        one = self.schemes[0] if len(self.schemes) == 1 else None
        self.security_arg = one.arg if one else ""
        self.security_env = one.env if one else ""

    def namespaces(self) -> NamespaceView:
        return self._ns(self.plan.root)

    def _ns(self, ns: plan.Namespace) -> NamespaceView:
        return NamespaceView(
            path=ns.path, class_name=ns.class_name, async_class_name=ns.async_class_name,
            module=ns.module, attr=ns.attr, title_path=".".join(ns.path),
            description=ns.description,
            operations=[self._op(m, ns.path) for m in ns.methods],
            children=[self._ns(c) for c in ns.children])

    def _op(self, m: plan.Method, ns_path: tuple[str, ...]) -> OpView:
        o = m.operation
        args = list(m.arguments)
        body_required, body_optional = [], []
        body_class = raw_body_arg = raw_body_adapter = ""
        if m.body == plan.FLATTENED:
            body_class = "models." + m.body_class
            key_of = dict(m.body_keys)
            body_required += [(key_of[wire], value) for wire, value in m.forced]
            for a in args:
                if not a.is_body_field:
                    continue
                key = key_of[a.wire_name]
                if a.required or a.switch:
                    body_required.append((key, a.name))
                else:
                    test = f"{a.name} is not UNSET" if a.type.nullable else f"{a.name} is not None"
                    body_optional.append((key, a.name, test))
        elif m.body == plan.WHOLE and o.body is not None:
            raw_body_arg = next(a.name for a in args if a.location == "body")
            raw_body_adapter = lazy_adapter(wrapped(o.body.type, True, hint(o.body.type, self.ctx)))
        loc = {"path": [], "query": [], "header": [], "cookie": []}  # type: dict[str, list]
        for a in args:
            if a.location in loc:
                loc[a.location].append((a.wire_name, a.name))
        for k, v in o.fixed_query:
            loc["query"].append((k, repr(v)))
        for where, wire in m.hidden_globals:  # filled in by the client
            loc[where].append((wire, "None"))
        success_adapter, stream_event = "None", ""
        if o.stream is not None:
            stream_event = lazy_adapter(hint(o.stream.event, self.ctx, open_enums=True))
        elif o.success is not None:
            success_adapter = lazy_adapter(wrapped(o.success, True,
                                                   hint(o.success, self.ctx, open_enums=True)))
        errors = [(e.status, f"{e.module}.{e.exception}", lazy_adapter(f"models.{e.data}"))
                  for e in m.errors]
        retries = o.retries if o.retries is not None and o.retries.strategy == "backoff" else None
        const = "_OP_" + operation_constant(o) + ("_STREAM" if m.variant == "stream" else "")
        security, security_doc = self.op_security(m)
        d = method_docs(m, self.docs, ns_path)
        return OpView(
            name=m.name, const=const, op=o, args=args, signature=[a.signature for a in args],
            body_class=body_class, body_required=body_required, body_optional=body_optional,
            path_params=loc["path"], query_params=loc["query"], header_params=loc["header"],
            return_sync=m.returns, return_async=m.returns_async,
            success_adapter=success_adapter, stream_event=stream_event, errors=errors,
            retries=retries, docstring=docstring(_method_doc(o, args)),
            raw_body_arg=raw_body_arg, raw_body_adapter=raw_body_adapter, plan=m,
            doc_rows=d.rows, doc_has_example=d.has_example, response_cell=d.response_cell,
            error_rows=d.error_rows, usage_code=d.usage_code,
            pages=self._pages(m, const, ns_path) if m.pages else None,
            security=security, security_doc=security_doc)

    def op_security(self, m: plan.Method) -> tuple[str, list[str]]:
        """(`security=` value of the runtime Operation, doc bullets) with utils/security.py:
        requirement alternatives as tuples of client argument names."""
        if not self.security_module:
            return "", []
        bullets = [" and ".join(f"`{a}`" for a in alt) if alt else
                   "none (the operation may be called without credentials)"
                   for alt in m.security]
        return repr(m.security), bullets

    # ---- page iterators (x-speakeasy-pagination) ---------------------------------------------
    def _pages(self, m: plan.Method, const: str, ns_path: tuple[str, ...]) -> PagesView:
        pg = m.pages
        assert pg is not None
        kwargs = [a.name for a in m.arguments] + list(CALL_OPTION_NAMES)
        rule = pages_rule(pg.role, _page_input_doc(pg.position),
                          _page_input_doc(pg.limit) if pg.limit is not None else "",
                          jsonpath(pg.results), jsonpath(pg.next_cursor),
                          jsonpath(pg.num_pages))
        doc = (f"Every page of `{m.name}`, one call per page, as an iterator "
               f"(the async client: an async iterator).\n\n{rule}\n\n"
               f"{_param_doc(list(m.arguments))}")
        return PagesView(
            name=pg.name, const="_PAGES_" + const[len("_OP_"):],
            return_sync=pg.returns, return_async=pg.returns_async,
            kwargs=kwargs, docstring=docstring(doc), rule=rule, plan=pg,
            usage_code=usage(m, self.docs, ns_path, pages=True))

    def usage(self, v: OpView, ns_path: tuple[str, ...], async_: bool = False,
              pages: bool = False) -> str:
        return usage(v.plan, self.docs, ns_path, async_, pages)

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
        """Client constructor arguments for x-speakeasy-globals."""
        return [GlobalView(g.name, g.parameter.location, g.parameter.wire_name, g.annotation,
                           comment(g.parameter.description)) for g in self.plan.client.globals]

    def global_rows(self, globals_: list[GlobalView]) -> list[list[str]]:
        """README table rows of the client's global parameters."""
        return [[f"`{g.name}`", f"`{hint(p.type, self.ctx)}`", f"{g.location} `{g.wire_name}`",
                 docs.description_cell(g.description, p.deprecated)]
                for g, p in zip(globals_, self.api.globals)]

    def server_rows(self) -> list[list[str]]:
        """README table rows of the named servers (x-speakeasy-server-id)."""
        return [[f"`{sid}`", f"`{url}`"] for sid, url in zip(self.api.server_ids, self.api.servers)
                if sid]


def operation_constant(o: Operation) -> str:
    """The stem of the module constants of an operation (`_OP_<stem>`, `_PAGES_<stem>`)."""
    return identifier(o.operation_id).upper().strip("_")


"""Stage 5: render. Walks templates/sdk/ (laid out like the output) and renders every
template with views computed in Python; returns {relative path: text}."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import jinja2

from ..call_options import CALL_OPTIONS
from ..config import TargetConfig
from ..format import LINE_LENGTH
from ..model import Api, EnumType, NamedType, ObjectType, Ref, Scalar, UnionType
from ..naming import Names, enum_members, identifier, pascal, snake
from ..plan import Plan, build_plan
from ..plan.names import operations, separate_errors
from ..pytypes import TypeContext, named_refs
from . import docs, llms
from .imports import prune_unused_imports
from .opviews import ApiViews
from .views import ModuleView, NamespaceView, doc_model_rows, docstring, type_views

TEMPLATE_ROOT = "sdk"
# Files only an SDK using the feature gets (so other SDKs stay byte-identical).
OPTIONAL = {"src/__pkg__/utils/pagination.py": "first_pages",
            "src/__pkg__/utils/globals.py": "client_globals",
            "src/__pkg__/utils/security.py.j2": "security_module",
            "docs/webhooks/README.md.j2": "hooks"}


def templates_dir() -> Path:
    here = Path(__file__).resolve().parent.parent
    for cand in (here.parent / "templates", here / "templates"):
        if (cand / TEMPLATE_ROOT).is_dir():
            return cand
    try:  # installed wheel: templates ship as the package `sdkgen.templates`
        import importlib.resources as res

        p = Path(str(res.files("sdkgen.templates")))
        if (p / TEMPLATE_ROOT).is_dir():
            return p
    except (ImportError, ModuleNotFoundError):  # pragma: no cover
        pass
    raise FileNotFoundError("templates/ not found next to the generator package")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["tojson_compact"] = lambda v: json.dumps(v, ensure_ascii=False)
    env.filters["repr"] = repr
    env.filters["tuple"] = tuple
    env.globals["table"] = docs.table
    env.globals["call_options"] = CALL_OPTIONS
    env.filters["docstring"] = docstring
    env.filters["wrap"] = wrap_doc
    return env


def wrap_doc(text: str, indent: int) -> str:
    """Docstring text whose lines fit the formatter's line length once indented by `indent`
    (plus the quotes), broken at spaces: prose the formatter leaves alone would otherwise
    overflow (ruff E501). A `:param x:` line continues with a hanging indent; words longer
    than a line (URLs) and markdown table rows are kept whole."""
    width = LINE_LENGTH - indent - 6  # room for the quotes on both sides
    out: list[str] = []
    for line in text.split("\n"):
        line = line.rstrip()  # (trailing spaces: ruff W291)
        if len(line) <= width or line.lstrip().startswith("|"):
            out.append(line)
            continue
        lead = line[: len(line) - len(line.lstrip())]
        hang = lead + ("    " if line.lstrip().startswith(":param ") else "")
        out.extend(textwrap.wrap(line, width, initial_indent=lead, subsequent_indent=hang,
                                 break_long_words=False, break_on_hyphens=False) or [line])
    return "\n".join(out)


@dataclass(frozen=True)
class ModelDoc:
    class_name: str
    page: str
    kind: str
    description: str
    header: list[str]
    rows: list[list[str]]
    members: list[str]  # union member headings
    values: list[list[str]]  # enum table rows: `NAME` | value
    literal_values: list[str]
    import_name: str
    empty_table: bool = False  # no fields: the bare table header (request wrappers)


def _walk_namespaces(ns: NamespaceView) -> Iterator[NamespaceView]:
    yield ns
    for c in ns.children:
        yield from _walk_namespaces(c)


def _usage_example(all_ns: list[Any]) -> Any:
    """The operation of the README/USAGE example: the one marked with
    `x-speakeasy-usage-example` (the lowest `position` when several are), else the first."""
    ops = [o for ns in all_ns for o in ns.operations]
    marked = [o for o in ops if o.op.usage_example not in (None, False)]
    if marked:
        def position(o: Any) -> float:
            ex = o.op.usage_example
            pos = ex.get("position") if isinstance(ex, dict) else None
            return float(pos) if isinstance(pos, (int, float)) else float("inf")

        return min(marked, key=position)  # min() keeps the first of equals
    return ops[0] if ops else None


@dataclass
class Prepared:
    """The plan of one SDK and its views, computed once: the views are rendered here, the
    plan is read by the public surface (generator/surface.py) too."""

    plan: Plan
    views: ApiViews
    root: NamespaceView
    modules: list[ModuleView]

    @property
    def names(self) -> Names:
        """The names as rendered (see plan/names.py)."""
        return self.plan.names


def prepare(api: Api, names: Names, cfg: TargetConfig, plan: Plan | None = None) -> Prepared:
    p = plan or build_plan(api, names, cfg)
    views = ApiViews(api, p, cfg)
    return Prepared(p, views, views.namespaces(), type_views(p, cfg.enum_style))


def render(api: Api, names: Names, cfg: TargetConfig,
           prepared: Prepared | None = None) -> dict[str, str]:
    env = environment()
    p = prepared or prepare(api, names, cfg)
    views, root_ns, modules, names = p.views, p.root, p.modules, p.names
    all_ns = list(_walk_namespaces(root_ns))
    model_docs = _model_docs(api, names, cfg, views.ctx, views.layout)
    model_docs += _request_docs(api, names, cfg, views, model_docs)
    typed_errors = [(names.errors[k], names.of(k), _module_of(modules, names.of(k)))
                    for k in sorted(names.errors, key=lambda k: names.errors[k])]
    exports = _exports(modules, typed_errors)
    resources_import_errors = separate_errors(cfg) and bool(typed_errors)
    first_op = _usage_example(all_ns)
    first_stream = next((o for ns in all_ns for o in ns.operations if o.op.stream), None)
    first_pages = next((o for ns in all_ns for o in ns.operations if o.pages), None)
    ns_of = {id(o): ns for ns in all_ns for o in ns.operations}
    client_globals = views.globals()
    base: dict[str, Any] = dict(
        cfg=cfg, api=api, root=root_ns, namespaces=[n for n in all_ns if n.path],
        modules=modules, model_docs=model_docs, typed_errors=typed_errors, exports=exports,
        resources_import_errors=resources_import_errors,
        security_arg=views.security_arg, security_env=views.security_env,
        schemes=views.schemes, security_module=views.security_module,
        first_op=first_op, first_stream=first_stream, first_pages=first_pages,
        client_globals=client_globals, global_rows=views.global_rows(client_globals),
        server_rows=views.server_rows(), hooks=views.hooks(),
        usage=lambda op, async_=False, pages=False: views.usage(op, ns_of[id(op)].path, async_,
                                                                pages),
    )
    reexports = _reexports(api, names, views.layout, typed_errors)
    out: dict[str, str] = {}
    root = templates_dir() / TEMPLATE_ROOT
    for path in sorted(root.rglob("*")):
        if path.is_dir() or "_macros" in path.parts or "__pycache__" in path.parts:
            continue
        rel = path.relative_to(root).as_posix()
        if rel in OPTIONAL and not base[OPTIONAL[rel]]:
            continue
        target = rel.replace("src/__pkg__", f"src/{cfg.import_name}", 1)
        if not rel.endswith(".j2"):
            out[target] = path.read_text(encoding="utf-8")
            continue
        target = target[:-3]
        template = env.get_template(f"{TEMPLATE_ROOT}/{rel}")
        if "[module]" in rel:
            for m in modules:
                out[target.replace("[module]", m.module)] = template.render(base, module=m)
        elif "[namespace]" in rel:
            for ns in all_ns:
                if ns.path:
                    out[target.replace("[namespace]", ns.module)] = template.render(base, ns=ns)
        elif "[group]" in rel:
            for ns in all_ns:
                if ns.operations:
                    out[target.replace("[group]", _group_folder(ns, cfg))] = template.render(
                        base, ns=ns)
        elif "[reexport]" in rel:
            for r in reexports:
                out[target.replace("[reexport]", r.module)] = template.render(base, reexport=r)
        elif "[model]" in rel:
            for d in model_docs:
                out[target.replace("[model]", d.page[:-3])] = template.render(base, doc=d)
        else:
            out[target] = template.render(base)
    out.update(llms.files(cfg, api, out,
                          llms.operation_entries(cfg, (n for n in all_ns if n.operations),
                                                 lambda ns: _group_folder(ns, cfg)),
                          llms.model_entries(model_docs)))
    return {path: _pruned(path, text) for path, text in out.items()}


def _pruned(path: str, text: str) -> str:
    """Python modules import exactly what they use; a package `__init__` without `__all__`
    re-exports what it imports, so it is left alone."""
    if not path.endswith(".py"):
        return text
    if path.endswith("__init__.py") and "__all__" not in text:
        return text
    return prune_unused_imports(text)


def _group_folder(ns: NamespaceView, cfg: TargetConfig) -> str:
    """The `docs/sdks/` folder of a namespace's reference page."""
    return ns.class_name.lower() if ns.path else cfg.sync_client.lower()


@dataclass(frozen=True)
class Reexport:
    module: str
    names: list[str]
    errors: list[str]  # from models._typed_errors


def _reexports(api: Api, names: Names, layout: docs.Layout,
               typed_errors: list[tuple[str, str, str]]) -> list[Reexport]:
    """The modules gen.yaml `imports.paths` names besides `models` (`errors` is the runtime's
    errors.py, which re-exports the typed errors itself)."""
    out = []
    for mod in layout.modules():
        if mod == "errors":
            continue
        found: list[str] = []
        for t in api.types:
            if layout.module_of(t.key) == mod:
                cls = names.of(t.key)
                found += [cls] if isinstance(t, EnumType) else [cls, cls + "TypedDict"]
        errors = sorted(err for err, _, _ in typed_errors) if mod == layout.errors else []
        if found or errors:
            out.append(Reexport(mod, sorted(set(found)), errors))
    return out


def _module_of(modules: list, class_name: str) -> str:
    for m in modules:
        if any(t.class_name == class_name for t in m.types):
            return m.module
    raise KeyError(class_name)


def _exports(modules: list, typed_errors: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """(name, module) for everything `models` exports lazily."""
    out = []
    for m in modules:
        for t in m.types:
            out.append((t.class_name, m.module))
            if t.kind != "enum":
                out.append((t.class_name + "TypedDict", m.module))
    models = {name for name, _ in out}
    for err, _, _ in typed_errors:
        if err not in models:  # (a model of that name wins: the error is in `errors`)
            out.append((err, "_typed_errors"))
    return out


def _field_row(name: str, t: Any, required: bool, description: str, deprecated: bool,
               has_example: bool, example: Any, ctx: TypeContext,
               layout: docs.Layout) -> list[str]:
    return [f"`{name}`", docs.type_cell(t, required, ctx, "../", layout),
            ":heavy_check_mark:" if required else ":heavy_minus_sign:",
            docs.description_cell(description, deprecated),
            docs.example_cell(has_example, example,
                              number=isinstance(t, Scalar) and t.name == "float")]


def _fields_doc(cls: str, page: str, description: str, rows: list[list[str]],
                cfg: TargetConfig) -> ModelDoc:
    header = ["Field", "Type", "Required", "Description", "Example"]
    if not any(r[4] for r in rows):
        header, rows = header[:4], [r[:4] for r in rows]
    return ModelDoc(cls, page, "object", description, header, rows, [], [], [],
                    cfg.import_name, empty_table=not rows)


def _request_docs(api: Api, names: Names, cfg: TargetConfig, views: ApiViews,
                  existing: list[ModelDoc]) -> list[ModelDoc]:
    """The pages the reference generator writes for the models it wraps requests in:
    `<OperationId>Request` (an operation's parameters, then its body as one field named
    after the body's class, or `request_body`), `<OperationId>Globals` (the client-level
    parameters the operation takes), `internal/globals.md` and `Security` (the client's
    credentials). sdkgen's methods take these as keyword arguments, so the pages describe
    each request; no class of that name is generated (see docs/parity.md)."""
    ctx = TypeContext(names, views.ctx.types, "")
    layout = views.layout
    taken = {d.page for d in existing}
    out: list[ModelDoc] = []

    def add(cls: str, module: str, description: str, rows: list[list[str]],
            empty: bool = False) -> None:
        page = f"{module}/{docs.model_page(cls)}"
        if (rows or empty) and page not in taken:
            taken.add(page)
            out.append(_fields_doc(cls, page, description, rows, cfg))

    global_keys = {(g.location, g.wire_name) for g in api.globals}
    hidden_keys = {(g.location, g.wire_name) for g in api.globals if g.globals_hidden}
    for o in operations(api):
        pid = pascal(o.operation_id)
        # a global parameter is optional here: the client supplies it
        params = [_field_row(identifier(p.name_override or p.wire_name), p.type,
                             p.required and (p.location, p.wire_name) not in global_keys,
                             p.description, p.deprecated, p.has_example, p.example, ctx, layout)
                  for p in o.parameters]
        globals_rows = [r for p, r in zip(o.parameters, params)
                        if (p.location, p.wire_name) in global_keys]
        # a hidden global (x-speakeasy-globals-hidden) is set on the client only
        params = [r for p, r in zip(o.parameters, params)
                  if (p.location, p.wire_name) not in hidden_keys]
        add(pid + "Globals", layout.operations, "", globals_rows)
        if not o.parameters:
            continue  # the body alone is the request
        rows = list(params)
        b = o.body
        if b is not None:
            name = "request_body"
            if isinstance(b.type, Ref) and b.type.key.startswith("#/components/schemas/"):
                name = snake(names.of(b.type.key))
            rows.append(_field_row(name, b.type, b.required, b.description, False,
                                   b.has_example, b.example, ctx, layout))
        add(pid + "Request", layout.operations, "", rows, empty=True)
    if api.globals:
        add("Globals", "models/internal", "", [
            _field_row(identifier(p.name_override or p.wire_name), p.type, False,
                       p.description, p.deprecated, p.has_example, p.example, ctx, layout)
            for p in api.globals])
    schemes = [v for v in views.schemes if v.scheme.kind != "basic"]
    if schemes:
        add("Security", layout.shared, "", [
            _field_row(snake(v.scheme.name), Scalar("str"), False, "", False, False,
                       None, ctx, layout) for v in schemes])
    return out


def _referenced(api: Api) -> set[str]:
    """Keys of the named types something refers to other than an error response."""
    from ..pytypes import refs

    out: set[str] = set()
    for t in api.types:
        out |= {r for r in named_refs(t) if r != t.key}
    for o in operations(api) + list(api.webhooks):
        for p in o.parameters:
            refs(p.type, out)
        for t2 in (o.body.type if o.body else None, o.success,
                   o.stream.event if o.stream else None,
                   o.stream_alt.event if o.stream_alt else None):
            if t2 is not None:
                refs(t2, out)
    for g in api.globals:
        refs(g.type, out)
    return out


def _model_docs(api: Api, names: Names, cfg: TargetConfig, ctx: TypeContext,
                layout: docs.Layout) -> list[ModelDoc]:
    """One page per named type, at `<module>/<class>.md` (module: see docs.Layout); an
    error body's page carries the exception's name (its parsed-body class is internal)."""
    out = []
    used = _referenced(api)
    pages: list[tuple[NamedType, str, str]] = []
    for t in api.types:
        if t.key in names.errors:
            cls = names.errors[t.key]
            pages.append((t, cls, f"{layout.errors}/{docs.model_page(cls)}"))
            if t.key not in used:
                continue  # its body model appears nowhere else: no page of its own
        cls = names.of(t.key)
        pages.append((t, cls, f"{layout.module_of(t.key)}/{docs.model_page(cls)}"))
    for t, cls, page in pages:
        desc = t.description
        if isinstance(t, ObjectType):
            header, rows = doc_model_rows(t, TypeContext(names, ctx.types, ""), layout,
                                          cfg.maintain_order)
            out.append(ModelDoc(cls, page, "object", desc, header, rows, [], [], [],
                                cfg.import_name))
        elif isinstance(t, UnionType):
            members = [docs.plain_type(m, ctx, layout) for m in t.members]
            out.append(ModelDoc(cls, page, "union", desc, [], [], members, [], [],
                                cfg.import_name))
        elif isinstance(t, EnumType):
            values = [[f"`{n}`", docs.escape_cell(str(v))] for n, v in enum_members(t.values, t.member_names)]
            lits = [json.dumps(v) for v in t.values]
            out.append(ModelDoc(cls, page, "enum", desc, [], [], [], values, lits,
                                cfg.import_name))
    return out

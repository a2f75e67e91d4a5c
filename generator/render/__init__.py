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

from ..config import TargetConfig
from ..format import LINE_LENGTH
from ..model import Api, EnumType, ObjectType, UnionType
from ..naming import Names, enum_members
from . import docs
from .imports import prune_unused_imports
from .pytypes import TypeContext
from .views import ApiViews, NamespaceView, doc_model_rows, docstring, type_views

TEMPLATE_ROOT = "sdk"
# Files only an SDK using the feature gets (so other SDKs stay byte-identical).
OPTIONAL = {"src/__pkg__/utils/pagination.py.j2": "first_pages",
            "src/__pkg__/utils/globals.py.j2": "client_globals",
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


def render(api: Api, names: Names, cfg: TargetConfig) -> dict[str, str]:
    env = environment()
    views = ApiViews(api, names, cfg)
    root_ns = views.namespaces()
    all_ns = list(_walk_namespaces(root_ns))
    modules = type_views(api, names, cfg, views.model_ctx)
    model_docs = _model_docs(api, names, cfg, views.ctx)
    typed_errors = [(names.errors[k], names.of(k), _module_of(modules, names.of(k)))
                    for k in sorted(names.errors, key=lambda k: names.errors[k])]
    exports = _exports(modules, typed_errors)
    first_op = _usage_example(all_ns)
    first_stream = next((o for ns in all_ns for o in ns.operations if o.op.stream), None)
    first_pages = next((o for ns in all_ns for o in ns.operations if o.pages), None)
    ns_of = {id(o): ns for ns in all_ns for o in ns.operations}
    client_globals = views.globals()
    base: dict[str, Any] = dict(
        cfg=cfg, api=api, root=root_ns, namespaces=[n for n in all_ns if n.path],
        modules=modules, model_docs=model_docs, typed_errors=typed_errors, exports=exports,
        security_arg=views.security_arg, security_env=views.security_env,
        schemes=views.schemes, security_module=views.security_module,
        first_op=first_op, first_stream=first_stream, first_pages=first_pages,
        client_globals=client_globals, global_rows=views.global_rows(client_globals),
        server_rows=views.server_rows(), hooks=views.hooks(),
        usage=lambda op, async_=False, pages=False: views.usage(op, ns_of[id(op)].path, async_,
                                                                pages),
    )
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
                    folder = ns.class_name.lower() if ns.path else cfg.sync_client.lower()
                    out[target.replace("[group]", folder)] = template.render(base, ns=ns)
        elif "[model]" in rel:
            for d in model_docs:
                out[target.replace("[model]", d.page[:-3])] = template.render(base, doc=d)
        else:
            out[target] = template.render(base)
    out["llms-full.txt"] = llms_full(out)
    return {path: _pruned(path, text) for path, text in out.items()}


def llms_full(files: dict[str, str]) -> str:
    """`llms-full.txt` (the llms.txt convention's one-file edition): the README, USAGE, every
    operation page and every model page, in that order, each under its path."""
    pages: list[str] = [p for p in ("README.md", "USAGE.md") if p in files]
    pages += sorted(p for p in files if p.startswith("docs/sdks/") and p.endswith(".md"))
    pages += sorted(p for p in files if p.startswith("docs/") and p.endswith(".md")
                    and p not in pages)
    return "\n\n".join(f"<!-- {p} -->\n\n{files[p].strip()}\n" for p in pages)


def _pruned(path: str, text: str) -> str:
    """Python modules import exactly what they use; a package `__init__` without `__all__`
    re-exports what it imports, so it is left alone."""
    if not path.endswith(".py"):
        return text
    if path.endswith("__init__.py") and "__all__" not in text:
        return text
    return prune_unused_imports(text)


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
    for err, _, _ in typed_errors:
        out.append((err, "_typed_errors"))
    return out


def _model_docs(api: Api, names: Names, cfg: TargetConfig, ctx: TypeContext) -> list[ModelDoc]:
    out = []
    for t in api.types:
        cls = names.of(t.key)
        page = docs.model_page(cls)
        desc = t.description
        if isinstance(t, ObjectType):
            header, rows = doc_model_rows(t, TypeContext(names, ctx.types, ""))
            out.append(ModelDoc(cls, page, "object", desc, header, rows, [], [], [],
                                cfg.import_name))
        elif isinstance(t, UnionType):
            members = [docs.plain_type(m, ctx) for m in t.members]
            out.append(ModelDoc(cls, page, "union", desc, [], [], members, [], [],
                                cfg.import_name))
        elif isinstance(t, EnumType):
            values = [[f"`{n}`", docs.escape_cell(str(v))] for n, v in enum_members(t.values, t.member_names)]
            lits = [json.dumps(v) for v in t.values]
            out.append(ModelDoc(cls, page, "enum", desc, [], [], [], values, lits,
                                cfg.import_name))
    return out

"""The docs of one method, from its plan: the Parameters, Response and Errors tables of its
reference page, the usage snippet, and the page iterator's rule."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import TargetConfig
from ..model import ListOf, MapOf, Ref, Scalar, TypeRef
from ..naming import Names, identifier
from ..plan import records as plan
from ..pytypes import TypeContext
from . import docs
from .examples import Literalizer, call_arguments


@dataclass(frozen=True)
class DocContext:
    """What the docs of every method read."""

    cfg: TargetConfig
    ctx: TypeContext  # annotations as the resources modules spell them
    layout: docs.Layout
    names: Names
    client: plan.Client


@dataclass(frozen=True)
class MethodDocs:
    rows: list[list[str]]  # the Parameters table
    has_example: bool  # the table has an Example column
    response_cell: str
    error_rows: list[list[str]]
    usage_code: str


def _is_float(t: TypeRef) -> bool:
    return isinstance(t, Scalar) and t.name == "float"


def method_docs(m: plan.Method, dc: DocContext, ns_path: tuple[str, ...]) -> MethodDocs:
    rows = []
    for a in m.arguments:
        rows.append([f"`{a.name}`", docs.type_cell(a.type, a.required, dc.ctx, "../../",
                                                    dc.layout),
                     ":heavy_check_mark:" if a.required else ":heavy_minus_sign:",
                     docs.description_cell(a.description, a.deprecated),
                     docs.example_cell(a.has_example, a.example,
                                       number=_is_float(a.type))])
    rows.append(["`retries`", "[Optional[utils.RetryConfig]](../../models/utils/retryconfig.md)",
                 ":heavy_minus_sign:",
                 "Configuration to override the default retry behavior of the client.", ""])
    o = m.operation
    if o.servers:  # the operation's own server, as the reference docs show it
        rows.append(["`server_url`", "*Optional[str]*", ":heavy_minus_sign:",
                     "An optional server URL to use.", docs.example_cell(True, o.servers[0])])
    has_example = any(r[4] for r in rows)
    if o.stream is not None:
        ev = docs.plain_type(o.stream.event, dc.ctx, dc.layout)
        text = (f"Union[eventstreaming.EventStream[{ev}], "
                f"eventstreaming.EventStreamAsync[{ev}]]")
        target = _page_of(o.stream.event, dc)
        response_cell = f"**[{text}]({target})**" if target else f"**{text}**"
    elif o.success is not None:
        target = _page_of(o.success, dc)
        text = docs.plain_type(o.success, dc.ctx, dc.layout)
        response_cell = f"**[{text}]({target})**" if target else f"**{text}**"
    else:
        response_cell = "**None**"
    err_rows: list[list[str]] = []
    prefix = dc.cfg.errors_path + "."
    for e in m.errors:
        ct = next((r.content_type for r in o.errors if r.status == e.status), "application/json")
        name = prefix + e.exception
        same = next((r for r in err_rows if r[0] == name and r[2] == ct), None)
        if same is not None:  # one row per error class: its status codes joined
            same[1] += ", " + e.status
        else:
            err_rows.append([name, e.status, ct])
    err_rows.append([f"{prefix}{dc.cfg.default_error}", "4XX, 5XX", "\\*/\\*"])
    return MethodDocs(rows if has_example else [r[:4] for r in rows], has_example,
                      response_cell, err_rows, usage(m, dc, ns_path))


def _page_of(t: TypeRef, dc: DocContext) -> str:
    if isinstance(t, Ref):
        return (f"../../{dc.layout.module_of(t.key)}/"
                + docs.model_page(dc.names.of(t.key)))
    if isinstance(t, (ListOf, MapOf)) and t.item is not None:
        return _page_of(t.item, dc)
    return ""


def usage(m: plan.Method, dc: DocContext, ns_path: tuple[str, ...], async_: bool = False,
          pages: bool = False) -> str:
    """The usage snippet of a method (`pages`: of its page iterator)."""
    cfg = dc.cfg
    lit = Literalizer(dc.ctx, cfg)
    o = m.operation
    args = call_arguments(o, list(m.arguments), lit)
    var = cfg.example_client_var
    call = ".".join([var, *(identifier(p) for p in ns_path), m.name])
    if pages and m.pages is not None:
        # the iterator starts at the first page: no offset/page/cursor in the example
        start = m.pages.position
        args = [a for a in args if start.attribute or a.name != start.argument]
        call = ".".join([var, *(identifier(p) for p in ns_path), m.pages.name])
    client = cfg.async_client if async_ else cfg.sync_client
    arglist = "".join(f"{a.name}={a.code}, " for a in args)
    lines = []
    if async_:
        lines.append("import asyncio")
    if lit.uses_datetime:
        lines.append("import datetime")
    schemes = dc.client.schemes
    if dc.client.security_module:  # the credentials of the operation's first alternative
        alt = next((a for a in o.security if a), ())
        creds = [c for c in schemes if c.scheme.name in alt]
    else:
        creds = list(schemes)
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
    ctor = "".join(f"{c.argument}=os.getenv({c.env!r}, \"\")," for c in creds)
    indent = "    "
    body: list[str] = []
    aw = "await " if async_ else ""
    if pages:
        body += [f"{'async ' if async_ else ''}for page in {call}({arglist}):",
                 "    # Handle each page", "    print(page)"]
    else:
        body.append(f"res = {aw}{call}({arglist})")
        body.append("")
        if o.stream is not None and async_:
            body += ["async with res as event_stream:", "    async for event in event_stream:",
                     "        # handle event", "        print(event, flush=True)"]
        elif o.stream is not None:
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


def jsonpath(path: tuple[str | int, ...] | None) -> str:
    """The output path as the docs show it ("" when the output is not declared)."""
    if path is None:
        return ""
    return "$" + "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in path)


def pages_rule(role: str, position: str, limit: str, results: str, cursor: str,
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

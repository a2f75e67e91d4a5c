"""The walk over the whole document: components first (so they claim their own names),
then every operation of `paths`, the operations of `webhooks` and `callbacks` (which the API
calls), the document's `x-speakeasy-globals`, security, servers and namespaces, assembled
into the Api."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..connection import retries, server_ids
from ..diagnostics import Code
from ..load import Spec, pointer_join
from ..model import Api, Callback, Operation, Parameter
from ..namespaces import check_method_names, namespace_tree
from ..naming import pascal, snake
from ..security import requirements, security_schemes
from ..validate import HTTP_METHODS
from .examples import Examples
from .names import InlineNames
from .operations import OperationBuilder
from .registry import TypeRegistry
from .report import Problems
from .schemas import SchemaParser
from .shapes import as_mapping


def parse_document(spec: Spec, problems: Problems, names_by_module: bool = False) -> Api | None:
    """The Api of the document; None when an error was reported (in `problems`): then the
    SDK cannot be generated, and the Api is not assembled. `names_by_module`: see
    `build.build`."""
    root = spec.root
    examples = Examples(spec, problems)
    registry = TypeRegistry(spec.root_path)
    names = InlineNames(spec, names_by_module)
    schemas = SchemaParser(spec, problems, registry, examples, names)
    info = root.get("info") or {}
    # Components first, in document order, so they claim their own names.
    components = ((root.get("components") or {}).get("schemas") or {})
    for name, node in components.items():
        if isinstance(node, dict) and node.get("x-speakeasy-ignore") is True:
            continue  # still generated if an operation's schema refers to it
        ptr = pointer_join("#/components/schemas", name)
        schemas.schema_type(node, spec.root_path, ptr, (pascal(str(name)),))
    global_retries = retries(schemas, root.get("x-speakeasy-retries"), "#/x-speakeasy-retries")
    schemes = security_schemes(spec)
    root_security = requirements(schemas, schemes, root.get("security"), spec.root_path,
                                 "#/security")
    builder = OperationBuilder(schemas, problems, examples, names, schemes)
    ops: list[Operation] = []
    callbacks: list[Callback] = []
    paths = root.get("paths") or {}
    for path_key, item in paths.items() if isinstance(paths, dict) else []:
        item_ptr = pointer_join("#/paths", path_key)
        found = problems.follow(item, spec.root_path, item_ptr)
        if found is None:
            continue
        item, ifile, item_ptr = found
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            if op.get("x-speakeasy-ignore") is True:
                continue
            op_ptr = pointer_join(item_ptr, method)
            ops.append(builder.operation(str(path_key), method, item, op, ifile, op_ptr,
                                         global_retries, root_security))
            callbacks += _callbacks(builder, ops[-1].method_name, op, ifile, op_ptr)
    webhooks = [hook for name, item in as_mapping(root.get("webhooks")).items()
                for hook in _incoming(builder, f"/{name}", item, spec.root_path,
                                      pointer_join("#/webhooks", name))]
    tags = [str(t.get("name")) for t in root.get("tags") or [] if isinstance(t, dict)]
    for o in ops:
        tag = ".".join(o.namespace)
        if o.namespace and tag not in tags:
            tags.append(tag)
    check_method_names(schemas, ops)
    tree = namespace_tree(root, ops)
    ids = server_ids(schemas)
    globals_ = _globals(builder, root, ops)
    if problems.has_errors():
        return None
    servers = tuple(str(s.get("url")) for s in root.get("servers") or []
                    if isinstance(s, dict) and s.get("url"))
    return Api(
        # (a title is one line of plain text: it heads the README, ends a pyproject summary)
        title=" ".join(str(info.get("title", "")).split()),
        description=str(info.get("description", "") or ""),
        version=str(info.get("version", "")), servers=servers or ("http://localhost",),
        security_schemes=tuple(s for n, s in schemes.items()
                               if any(n in alt for o in ops for alt in o.security)),
        types=tuple(registry.types.values()), root=tree, tags=tuple(tags),
        error_keys=frozenset(builder.bodies.error_keys), webhooks=tuple(webhooks),
        callbacks=tuple(callbacks),
        globals=globals_, server_ids=ids if any(ids) else (),
    )


def _incoming(builder: OperationBuilder, path: str, item: Any, file: Path,
              pointer: str) -> list[Operation]:
    """The operations of a path item the API calls (a webhook or callback): built like
    any operation, so their bodies get models and docs, but given no method."""
    found = builder.problems.follow(item, file, pointer)
    if found is None or not isinstance(found[0], dict):
        return []
    item, file, pointer = found
    return [builder.operation(path, method, item, item[method], file,
                              pointer_join(pointer, method), None, ())
            for method in HTTP_METHODS if isinstance(item.get(method), dict)]


def _callbacks(builder: OperationBuilder, owner: str, op: dict, file: Path,
               pointer: str) -> list[Callback]:
    out = []
    for name, cb in as_mapping(op.get("callbacks")).items():
        found = builder.problems.follow(cb, file, pointer_join(pointer, "callbacks", name))
        if found is None or not isinstance(found[0], dict):
            continue
        cb, cb_file, cb_ptr = found
        for expression, item in cb.items():
            # the expression (`{$request.body#/url}`) is no path template: not the path
            for hook in _incoming(builder, f"/{snake(str(name))}", item, cb_file,
                                  pointer_join(cb_ptr, expression)):
                out.append(Callback(owner, str(name), str(expression), hook))
    return out


def _globals(builder: OperationBuilder, root: dict,
             ops: list[Operation]) -> tuple[Parameter, ...]:
    """x-speakeasy-globals: the header/query parameters the client takes once."""
    node = root.get("x-speakeasy-globals")
    if node is None:
        return ()
    ptr = "#/x-speakeasy-globals"
    problems = builder.problems
    root_file = problems.spec.root_path
    plist = node.get("parameters") if isinstance(node, dict) else None
    if not isinstance(plist, list):
        problems.warn(root_file, ptr, "x-speakeasy-globals needs a `parameters` list; no "
                      "client-level parameters are generated", Code.SPEAKEASY_EXTENSION)
        return ()
    if isinstance(node, dict):
        for key in node:
            if key != "parameters":
                problems.warn(root_file, pointer_join(ptr, key), f"x-speakeasy-globals: "
                              f"{key!r} is not supported (parameters); ignored",
                              Code.SPEAKEASY_EXTENSION)
    declared = {(p.location, p.wire_name) for o in ops for p in o.parameters}
    out: dict[tuple[str, str], Parameter] = {}
    for i, p in enumerate(plist):
        found = builder.named_parameter(p, root_file, pointer_join(ptr, "parameters", i),
                                        "global parameter", code=Code.SPEAKEASY_EXTENSION)
        if found is None:
            continue
        p, pfile, pptr = found
        loc, pname = str(p["in"]), str(p["name"])
        if loc not in ("header", "query", "path"):
            problems.warn(pfile, pointer_join(pptr, "in"), f"global parameter {pname!r} is in "
                          f"{loc}: only header, query and path globals are supported; skipped",
                          Code.SPEAKEASY_EXTENSION)
            continue
        if (loc, pname) not in declared:
            problems.warn(pfile, pptr, f"global parameter {pname!r} ({loc}) is declared by no "
                          "operation, so no request would send it; skipped",
                          Code.SPEAKEASY_EXTENSION)
            continue
        out[(loc, pname)] = builder.parameter(p, pfile, pptr, (pascal(pname),), False)
    return tuple(out.values())

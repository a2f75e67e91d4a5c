"""`x-speakeasy-pagination` on an operation, checked into `model.Pagination`.

Supported (Speakeasy's own forms):

* `type: offsetLimit` with an `offset` input (advanced by the number of results) or a
  `page` input (advanced by one), and an optional `limit` input; outputs `results` (the
  list of items of a page) and, for `page`, optionally `numPages`;
* `type: cursor` with a `cursor` input (set from the `nextCursor` output) and an optional
  `limit` input; outputs `nextCursor` and optionally `results`;
* inputs `in: parameters` (a path/query/header parameter of the operation) or
  `in: requestBody` (a field of its JSON object body);
* outputs as simple JSONPath: `$`, then `.name`, `['name']` or `[index]` steps.

Anything else (`type: url`, `outputs.nextUrl`, filters or wildcards in a path, an input the
operation does not have, an offset that is not an integer...) is a `speakeasy-extension`
warning with its JSON pointer; the operation is then generated without a page iterator.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Optional

from .context import BuildContext
from .diagnostics import Code
from .load import pointer_join
from .model import (
    ListOf,
    MapOf,
    ObjectType,
    PageInput,
    Pagination,
    Parameter,
    Ref,
    RequestBody,
    Scalar,
    TypeRef,
    UnionType,
)

EXT = "x-speakeasy-pagination"
CODE = Code.SPEAKEASY_EXTENSION
TYPES = ("offsetLimit", "cursor")
ROLES = {"offsetLimit": ("offset", "page", "limit"), "cursor": ("cursor", "limit")}
OUTPUTS = ("results", "nextCursor", "numPages")
_STEP = re.compile(r"""\.([A-Za-z_$][\w$-]*)|\[(-?\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]""")


def parse_path(text: Any) -> Optional[tuple[str | int, ...]]:
    """`$.data.items[0]` -> ("data", "items", 0); None when it is not a simple path."""
    if not isinstance(text, str) or not text.startswith("$"):
        return None
    out: list[str | int] = []
    i = 1
    while i < len(text):
        m = _STEP.match(text, i)
        if m is None:
            return None
        name, index, single, double = m.groups()
        if index is not None:
            out.append(int(index))
        else:
            raw = name if name is not None else single if single is not None else double
            out.append(re.sub(r"\\(.)", r"\1", raw) if name is None else raw)
        i = m.end()
    return tuple(out)


def pagination(b: BuildContext, op: dict, file: Path, pointer: str,
               params: tuple[Parameter, ...], body: Optional[RequestBody],
               success: Optional[TypeRef]) -> Optional[Pagination]:
    """The operation's checked pagination, or None (absent, or reported as unsupported)."""
    node = op.get(EXT)
    if node is None:
        return None
    ptr = pointer_join(pointer, EXT)

    def unsupported(where: str, why: str) -> None:
        b.warn(file, where, f"{EXT}: {why}; no page iterator is generated for this operation",
               CODE)

    if not isinstance(node, dict):
        unsupported(ptr, "must be an object with type, inputs and outputs")
        return None
    kind = node.get("type")
    if kind not in TYPES:
        unsupported(pointer_join(ptr, "type"),
                    f"type {kind!r} is not supported (supported: {', '.join(TYPES)})")
        return None
    if success is None:
        unsupported(ptr, "the operation has no JSON success response to read pages from")
        return None
    inputs = node.get("inputs")
    if not isinstance(inputs, list) or not inputs:
        unsupported(pointer_join(ptr, "inputs"), "inputs must be a non-empty list")
        return None
    by_role: dict[str, PageInput] = {}
    for i, inp in enumerate(inputs):
        iptr = pointer_join(ptr, "inputs", i)
        if not isinstance(inp, dict) or not isinstance(inp.get("name"), str):
            unsupported(iptr, "an input needs a name, `in` and type")
            return None
        where, role, name = inp.get("in"), inp.get("type"), inp["name"]
        if where not in ("parameters", "requestBody"):
            unsupported(pointer_join(iptr, "in"),
                        f"input location {where!r} is not supported (parameters, requestBody)")
            return None
        if role not in ROLES[kind]:
            unsupported(pointer_join(iptr, "type"), f"input type {role!r} is not supported "
                        f"with type {kind} ({', '.join(ROLES[kind])})")
            return None
        if role in by_role or (role in ("offset", "page") and (
                {"offset", "page"} & set(by_role))):
            unsupported(iptr, f"a second {role} input")
            return None
        t = _input_type(b, where, name, params, body)
        if isinstance(t, str):
            unsupported(iptr, t)
            return None
        if role != "cursor" and not (isinstance(t, Scalar) and t.name == "int"):
            unsupported(iptr, f"the {role} input {name!r} must be an integer")
            return None
        by_role[role] = PageInput(name, where, role)
    position = next((by_role[r] for r in ("offset", "page", "cursor") if r in by_role), None)
    if position is None:
        need = "an offset or page" if kind == "offsetLimit" else "a cursor"
        unsupported(pointer_join(ptr, "inputs"), f"type {kind} needs {need} input")
        return None
    outputs = node.get("outputs")
    outputs = outputs if isinstance(outputs, dict) else {}
    paths: dict[str, tuple[str | int, ...]] = {}
    for key, value in outputs.items():
        optr = pointer_join(ptr, "outputs", key)
        if key not in OUTPUTS:
            unsupported(optr, f"output {key!r} is not supported ({', '.join(OUTPUTS)})")
            return None
        path = parse_path(value)
        if path is None:
            unsupported(optr, f"{value!r} is not a simple JSONPath ($ then .name, ['name'] or "
                        "[index] steps)")
            return None
        missing = _missing_step(b, success, path)
        if missing:
            b.warn(file, optr, f"{EXT}: {value!r}: {missing} in the response schema; the page "
                   "iterator still reads it from each response", CODE)
        paths[key] = path
    role = position.role
    if role == "offset" and "results" not in paths:
        unsupported(pointer_join(ptr, "outputs"), "an offset input needs outputs.results")
        return None
    if role == "page" and not ({"results", "numPages"} & set(paths)):
        unsupported(pointer_join(ptr, "outputs"),
                    "a page input needs outputs.results or outputs.numPages")
        return None
    if role == "cursor" and "nextCursor" not in paths:
        unsupported(pointer_join(ptr, "outputs"), "a cursor input needs outputs.nextCursor")
        return None
    if "numPages" in paths and role != "page":
        unsupported(pointer_join(ptr, "outputs", "numPages"), "numPages needs a page input")
        return None
    return Pagination(str(kind), position, by_role.get("limit"), paths.get("results"),
                      paths.get("nextCursor"), paths.get("numPages"))


def _input_type(b: BuildContext, where: str, name: str, params: tuple[Parameter, ...],
                body: Optional[RequestBody]) -> TypeRef | str:
    """The type of the named input, or why it cannot be one."""
    if where == "parameters":
        p = next((p for p in params if p.wire_name == name), None)
        if p is None:
            return f"the operation has no parameter {name!r}"
        if p.location not in ("query", "header", "path"):
            return f"parameter {name!r} is in {p.location}, which cannot be paged"
        return p.type
    if body is None or not body.flattened or not isinstance(body.type, Ref):
        return "the operation has no object request body"
    obj = b.types.get(body.type.key)
    f = next((f for f in obj.fields if f.wire_name == name), None) if isinstance(
        obj, ObjectType) else None
    if f is None or f.read_only:
        return f"the request body has no field {name!r}"
    return f.type


def _missing_step(b: BuildContext, t: TypeRef, path: tuple[str | int, ...]) -> str:
    """Why the path cannot exist in a response of type `t` ("" when it can, or may)."""
    for i, step in enumerate(path):
        where = "$" + "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in path[:i])
        if isinstance(t, Scalar) and t.name == "any" or isinstance(t, MapOf):
            return ""
        if isinstance(step, int):
            if not isinstance(t, ListOf) or t.item is None:
                return f"{where} is not an array"
            t = t.item
            continue
        named = b.types.get(t.key) if isinstance(t, Ref) else None
        if isinstance(named, UnionType):
            return ""  # which member a response is shows only at run time
        if not isinstance(named, ObjectType):
            return f"{where} is not an object"
        f = next((f for f in named.fields if f.wire_name == step), None)
        if f is None:
            return "" if named.additional is not None else f"{where} has no property {step!r}"
        t = f.type
    return ""

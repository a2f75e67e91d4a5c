"""Stage 2: validate. The document against the OpenAPI schema, every Schema Object against
its dialect, defaults and examples against their schemas (generator/conformance.py), plus
structural checks of our own.

Problems that still allow a correct SDK are warnings (real-world specs are often slightly
invalid, yet vendors ship SDKs from them); `--strict` makes them errors (in the pipeline, as
for every stage). Problems that make a correct SDK impossible (e.g. two operations with one
operationId) are errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from .conformance import HTTP_METHODS, conformance_findings
from .diagnostics import ERROR, WARNING, Code, Diagnostic
from .load import Spec, path_template_names, pointer_join, split_path_key


def validate(spec: Spec) -> list[Diagnostic]:
    try:
        schema_findings = conformance_findings(spec)
    except (Exception, RecursionError) as exc:  # input no engine foresaw: say so, go on
        schema_findings = [spec.diag(
            WARNING, spec.root_path, "#",
            f"the schema checks stopped ({type(exc).__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else ''}); other findings still follow",
            Code.CHECKS_INCOMPLETE)]
    return [*schema_findings, *_own_checks(spec)]


def _own_checks(spec: Spec) -> Iterator[Diagnostic]:
    root = spec.root
    yield from _duplicate_tags(spec)
    paths = root.get("paths", {})
    if not isinstance(paths, dict):
        yield spec.diag(ERROR, spec.root_path, "#/paths",
                        f"paths must be a mapping, not {_json_type(paths)}", Code.STRUCTURE)
        return
    seen_ids: dict[str, str] = {}
    for key, item in paths.items():
        item_ptr = pointer_join("#/paths", key)
        try:
            item, item_file, item_ptr = spec.deref(item, spec.root_path, item_ptr)
        except KeyError:
            continue  # a dangling $ref is build's to report, with what needed it
        if not isinstance(item, dict):
            yield spec.diag(ERROR, item_file, item_ptr, "path item must be a mapping",
                            Code.STRUCTURE)
            continue
        url, _, _ = split_path_key(str(key))
        template_params = set(path_template_names(url))
        item_params = list(_parameters(spec, item, item_file, item_ptr))
        yield from _duplicates(spec, item_params)
        for method in HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            op_ptr = pointer_join(item_ptr, method)
            if not isinstance(op, dict):
                yield spec.diag(ERROR, item_file, op_ptr, "operation must be a mapping",
                                Code.STRUCTURE)
                continue
            op_id = op.get("operationId")
            if isinstance(op_id, str):
                if op_id in seen_ids:
                    yield spec.diag(ERROR, item_file, pointer_join(op_ptr, "operationId"),
                                    f"operationId {op_id!r} is also used at {seen_ids[op_id]}",
                                    Code.DUPLICATE_OPERATION_ID)
                else:
                    seen_ids[op_id] = op_ptr
            op_params = list(_parameters(spec, op, item_file, op_ptr))
            yield from _duplicates(spec, op_params)
            declared = {}
            for name, loc, file, ptr in [*item_params, *op_params]:
                if loc == "path":
                    declared[name] = (file, ptr)
            for name in sorted(template_params - set(declared)):
                yield spec.diag(WARNING, item_file, op_ptr,
                                f"path parameter {{{name}}} is not declared; treated as a "
                                "required string", Code.UNDECLARED_PATH_PARAM)
            for name in sorted(set(declared) - template_params):
                file, ptr = declared[name]
                yield spec.diag(WARNING, file, ptr,
                                f"path parameter {name!r} is declared but {url} has no "
                                f"{{{name}}}; the method takes it and does not send it",
                                Code.UNUSED_PATH_PARAM)


def _parameters(spec: Spec, holder: dict, file: Path, pointer: str
                ) -> Iterator[tuple[str, str, Path, str]]:
    """(name, in, file, pointer) of each well-formed parameter in `holder["parameters"]`."""
    plist = holder.get("parameters")
    for i, p in enumerate(plist if isinstance(plist, list) else []):
        try:
            node, pfile, pptr = spec.deref(p, file, pointer_join(pointer, "parameters", i))
        except KeyError:
            continue
        if isinstance(node, dict) and isinstance(node.get("name"), str):
            yield node["name"], str(node.get("in", "")), pfile, pptr


def _duplicates(spec: Spec, params: list[tuple[str, str, Path, str]]) -> Iterator[Diagnostic]:
    first: dict[tuple[str, str], str] = {}
    for name, loc, file, ptr in params:
        if (name, loc) in first:
            yield spec.diag(WARNING, file, ptr,
                            f"parameter {name!r} (in: {loc}) is also declared at "
                            f"{first[(name, loc)]}; the last one is used", Code.DUPLICATE_PARAMETER)
        first[(name, loc)] = ptr


def _duplicate_tags(spec: Spec) -> Iterator[Diagnostic]:
    tags = spec.root.get("tags")
    seen: dict[str, str] = {}
    for i, tag in enumerate(tags if isinstance(tags, list) else []):
        name = tag.get("name") if isinstance(tag, dict) else None
        if not isinstance(name, str):
            continue
        ptr = pointer_join("#/tags", i)
        if name in seen:
            yield spec.diag(WARNING, spec.root_path, ptr,
                            f"tag {name!r} is also declared at {seen[name]}", Code.DUPLICATE_TAG)
        else:
            seen[name] = ptr


def _json_type(value: object) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean",
            type(None): "null"}.get(type(value), "a number")

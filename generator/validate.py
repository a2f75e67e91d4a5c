"""Stage 2: validate. openapi-spec-validator's schema check plus the generator's own checks.

Schema violations that still allow a correct SDK are warnings (real-world specs are
often slightly invalid, yet vendors ship SDKs from them); `strict=True` makes them
errors. Problems that make a correct SDK impossible are errors.
"""

from __future__ import annotations

import os
from typing import Any, Iterator

from .diagnostics import ERROR, WARNING, Diagnostic
from .load import Spec, pointer_join, split_path_key

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
MAX_SCHEMA_DIAGNOSTICS = 200


def validate(spec: Spec, strict: bool = False) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    out.extend(_schema_check_cached(spec))
    out.extend(_own_checks(spec))
    if strict:
        out = [Diagnostic(ERROR, d.pointer, d.message, d.file, d.line, d.code) for d in out]
    return out


def _schema_check_cached(spec: Spec) -> list[Diagnostic]:
    """openapi-spec-validator takes tens of seconds on big specs: its findings are kept,
    keyed by the content of every loaded document and the validator's version."""
    from importlib.metadata import PackageNotFoundError, version

    from .cache import DataCache, digest

    try:
        validator_version = version("openapi-spec-validator")
    except PackageNotFoundError:  # pragma: no cover
        validator_version = "?"
    docs = sorted(spec.documents.items())
    key = digest("schema-check-1", validator_version, str(MAX_SCHEMA_DIAGNOSTICS), os.getcwd(),
                 *(f"{p}\n{d.text}" for p, d in docs))
    cache = DataCache("validate")
    hit = cache.get(key)
    if isinstance(hit, list):
        return [Diagnostic(*row) for row in hit]
    found = list(_schema_check(spec))
    cache.put(key, [[d.severity, d.pointer, d.message, d.file, d.line, d.code] for d in found])
    return found


def _schema_check(spec: Spec) -> Iterator[Diagnostic]:
    try:
        from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
    except ImportError:  # pragma: no cover
        return
    root = spec.root
    version = str(root.get("openapi", ""))
    cls: Any = OpenAPIV31SpecValidator if version.startswith("3.1") else OpenAPIV30SpecValidator
    try:
        validator = cls(root, base_uri=spec.root_path.as_uri())
        errors = validator.iter_errors()
        count = 0
        for err in errors:
            count += 1
            if count > MAX_SCHEMA_DIAGNOSTICS:
                yield spec.diag(WARNING, spec.root_path, "#", "further schema problems not shown",
                                "openapi-schema")
                break
            pointer = pointer_join("#", *list(getattr(err, "absolute_path", []) or []))
            message = getattr(err, "message", str(err)).splitlines()[0]
            if len(message) > 300:
                message = message[:300] + "..."
            yield spec.diag(WARNING, spec.root_path, pointer,
                            f"does not conform to the OpenAPI schema: {message}", "openapi-schema")
    except Exception as exc:  # the validator itself can choke on odd input (e.g. bad refs)
        yield spec.diag(WARNING, spec.root_path, "#",
                        f"openapi-spec-validator could not check this document: "
                        f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
                        "openapi-schema")


def _own_checks(spec: Spec) -> Iterator[Diagnostic]:
    root = spec.root
    paths = root.get("paths") or {}
    if not isinstance(paths, dict):
        yield spec.diag(ERROR, spec.root_path, "#/paths", "paths must be a mapping", "structure")
        return
    seen_ids: dict[str, str] = {}
    for key, item in paths.items():
        item_ptr = pointer_join("#/paths", key)
        if not isinstance(item, dict):
            yield spec.diag(ERROR, spec.root_path, item_ptr, "path item must be a mapping",
                            "structure")
            continue
        url, _, _ = split_path_key(str(key))
        template_params = _template_params(url)
        for method in HTTP_METHODS:
            op = item.get(method)
            if op is None:
                continue
            op_ptr = pointer_join(item_ptr, method)
            if not isinstance(op, dict):
                yield spec.diag(ERROR, spec.root_path, op_ptr, "operation must be a mapping",
                                "structure")
                continue
            op_id = op.get("operationId")
            if isinstance(op_id, str):
                if op_id in seen_ids:
                    yield spec.diag(ERROR, spec.root_path, pointer_join(op_ptr, "operationId"),
                                    f"operationId {op_id!r} is also used at {seen_ids[op_id]}",
                                    "duplicate-operation-id")
                else:
                    seen_ids[op_id] = op_ptr
            declared = set()
            for plist in (item.get("parameters") or [], op.get("parameters") or []):
                for p in plist if isinstance(plist, list) else []:
                    try:
                        node, _, _ = spec.deref(p, spec.root_path, "#")
                    except KeyError:
                        continue
                    if isinstance(node, dict) and node.get("in") == "path":
                        declared.add(node.get("name"))
            for name in sorted(template_params - declared):
                yield spec.diag(WARNING, spec.root_path, op_ptr,
                                f"path parameter {{{name}}} is not declared; treated as a "
                                "required string", "undeclared-path-param")


def _template_params(url: str) -> set[str]:
    out = set()
    depth_start = None
    for i, ch in enumerate(url):
        if ch == "{":
            depth_start = i + 1
        elif ch == "}" and depth_start is not None:
            out.add(url[depth_start:i])
            depth_start = None
    return out

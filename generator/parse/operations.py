"""Operations: one Operation per HTTP method of a path item, with its method name and
namespace, parameters (the path item's and its own, merged), body and responses, and what
the modules by concern add (stream twin, pagination, retries, security, servers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from ..connection import operation_servers, retries
from ..context import BuildContext
from ..diagnostics import Code
from ..load import path_template_names, pointer_join, split_path_key
from ..model import Operation, Parameter, Retries, Scalar, SecurityScheme
from ..naming import pascal, snake
from ..pagination import pagination
from ..security import requirements
from ..streaming import alternate_stream
from .bodies import Bodies
from .examples import Examples
from .names import InlineNames
from .report import Problems


class OperationBuilder:
    def __init__(self, ctx: BuildContext, problems: Problems, examples: Examples,
                 names: InlineNames, schemes: Mapping[str, SecurityScheme]):
        """`schemes`: the declared security schemes the SDK can send, by name."""
        self.ctx = ctx
        self.problems = problems
        self.examples = examples
        self.names = names
        self.schemes = schemes
        self.bodies = Bodies(ctx, problems, examples)

    def operation(self, path_key: str, method: str, item: dict, op: dict, file: Path,
                  pointer: str, global_retries: Retries | None,
                  security: tuple[tuple[str, ...], ...]) -> Operation:
        url, fragment, fixed_query = split_path_key(path_key)
        op_id = op.get("operationId")
        if not isinstance(op_id, str) or not op_id.strip():
            op_id = snake(f"{method} {url} {fragment}") or method
        pascal_id = pascal(op_id)
        name = op.get("x-speakeasy-name-override") or snake(op_id)
        group = op.get("x-speakeasy-group")
        tags = op.get("tags") or []
        ns_src = str(group) if group else (str(tags[0]) if tags else "")
        namespace = tuple(snake(p) for p in ns_src.split(".") if snake(p)) if ns_src else ()
        params = self._parameters(item, op, file, pointer, url, pascal_id)
        body = self.bodies.request_body(op, file, pointer, pascal_id)
        success, success_ct, stream, errors = self.bodies.responses(op, file, pointer, pascal_id)
        success, stream_alt, flag = alternate_stream(self.ctx, op, file, pointer, pascal_id, body,
                                                     success, success_ct)
        paging = pagination(self.ctx, op, file, pointer, params, body, success)
        op_retries = retries(self.ctx, op.get("x-speakeasy-retries"),
                             pointer_join(pointer, "x-speakeasy-retries")) or global_retries
        if "security" in op:
            security = requirements(self.ctx, self.schemes, op["security"], file,
                                    pointer_join(pointer, "security"))
        max_params = op.get("x-speakeasy-max-method-params")
        if max_params is not None and (not isinstance(max_params, int) or isinstance(
                max_params, bool) or max_params < 0):
            self.problems.warn(file, pointer_join(pointer, "x-speakeasy-max-method-params"),
                               "x-speakeasy-max-method-params must be a non-negative integer; "
                               "ignored", Code.SPEAKEASY_EXTENSION)
            max_params = None
        return Operation(
            operation_id=op_id, method_name=str(name), namespace=namespace,
            http_method=method.upper(), path=url, fixed_query=tuple(fixed_query.items()),
            summary=str(op.get("summary", "") or ""),
            description=str(op.get("description", "") or ""),
            deprecated=bool(op.get("deprecated")), parameters=params, body=body, success=success,
            success_content_type=success_ct, stream=stream, errors=errors, retries=op_retries,
            secured=bool(security), security=security, pointer=pointer, stream_alt=stream_alt,
            stream_flag=flag,
            usage_example=op.get("x-speakeasy-usage-example"), max_method_params=max_params,
            deprecation_message=str(op.get("x-speakeasy-deprecation-message", "") or ""),
            pagination=paging, servers=operation_servers(self.ctx, op, item, file, pointer),
        )

    def _parameters(self, item: dict, op: dict, file: Path, pointer: str, url: str,
                    pascal_id: str) -> tuple[Parameter, ...]:
        merged: dict[tuple[str, str], Parameter] = {}
        for level, plist in (("item", item.get("parameters")), ("op", op.get("parameters"))):
            if not isinstance(plist, list):
                continue
            base_ptr = pointer.rsplit("/", 1)[0] if level == "item" else pointer
            for i, p in enumerate(plist):
                found = self.named_parameter(p, file, pointer_join(base_ptr, "parameters", i),
                                             "parameter", code=Code.BAD_PARAMETER)
                if found is None:
                    continue
                p, pfile, pptr = found
                loc, pname = str(p["in"]), str(p["name"])
                if loc == "header" and pname.lower() in ("accept", "content-type",
                                                         "authorization"):
                    continue  # governed by the spec's content types and security, per OpenAPI
                merged[(loc, pname)] = self.parameter(
                    p, pfile, pptr, self.names.parameter_candidates(pname, pascal_id),
                    bool(p.get("required")) or loc == "path")
        for name in path_template_names(url):
            if ("path", name) not in merged:
                merged[("path", name)] = Parameter(name, "path", Scalar("str"), True)
        return tuple(merged.values())

    def named_parameter(self, p: Any, file: Path, pointer: str, what: str,
                        code: Code) -> tuple[dict, Path, str] | None:
        """A Parameter Object (its `$ref` followed) that has a name and a location."""
        found = self.problems.follow(p, file, pointer)
        if found is None:
            return None
        node, pfile, pptr = found
        if not isinstance(node, dict) or "name" not in node or "in" not in node:
            self.problems.warn(pfile, pptr, f"{what} without name/in; skipped", code)
            return None
        return node, pfile, pptr

    def parameter(self, p: dict, file: Path, pointer: str, hints: tuple[str, ...],
                  required: bool) -> Parameter:
        """The model of a named Parameter Object: its schema (or its content's), example
        (or its schema's), and serialization."""
        loc, pname = str(p["in"]), str(p["name"])
        schema, schema_ptr = p.get("schema"), pointer_join(pointer, "schema")
        in_schema = "schema" in p
        if schema is None and isinstance(p.get("content"), dict) and p["content"]:
            ct, media = next(iter(p["content"].items()))
            schema = media.get("schema") if isinstance(media, dict) else None
            schema_ptr = pointer_join(pointer, "content", ct, "schema")
        t = self.ctx.schema_type(schema, file, pointer_join(pointer, "schema"), hints)
        has_ex, ex = self.examples.example(p, file, pointer, schema, schema_ptr, in_schema)
        if not has_ex and isinstance(schema, dict):
            has_ex, ex = self.examples.example(schema, file, schema_ptr)
        desc = str(p.get("description", "") or "")
        if not desc and isinstance(schema, dict):
            # a parameter without a description of its own shows its schema's (as the
            # reference does)
            target = self.problems.follow(schema, file, pointer_join(pointer, "schema")) if (
                "$ref" in schema) else (schema, file, pointer)
            if target is not None and isinstance(target[0], dict):
                desc = str(target[0].get("description", "") or "")
        return Parameter(
            pname, loc, t, required, desc, has_ex, ex,
            bool(p.get("deprecated")), bool(p.get("explode", loc in ("query", "cookie"))),
            str(p.get("style", "")), str(p.get("x-speakeasy-name-override", "") or ""),
            p.get("x-speakeasy-globals-hidden") is True)

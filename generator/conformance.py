"""Stage 2 (validate), the schema half: does the document conform to the OpenAPI JSON schema,
does every Schema Object conform to its JSON Schema dialect, and do the `default`s and examples
conform to their schemas.

Every finding is located: the JSON pointer names the value at fault (inside the schema,
default or example, not just the schema that holds it). The JSON Schema work runs on
jsonschema-rs (compiled validators; the OpenAPI and dialect meta-schemas themselves come from
openapi-spec-validator and openapi-schema-validator). OpenAPI 3.0 values are checked with
openapi-schema-validator's OAS 3.0 validator, because 3.0 schemas are not JSON Schema
(`nullable`, boolean `exclusiveMinimum`) and a JSON Schema engine would misjudge them.
"""

from __future__ import annotations

import json
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import quote

from .diagnostics import ERROR, WARNING, Code, Diagnostic
from .load import Spec, pointer_join
from .media import examples_are_json

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# the codes of a `default` or an example checked against its schema
_MISMATCH = {"default": Code.DEFAULT_MISMATCH, "example": Code.EXAMPLE_MISMATCH}
_UNCHECKED = {"default": Code.DEFAULT_UNCHECKED, "example": Code.EXAMPLE_UNCHECKED}

# JSON Schema keywords whose value is a schema / a list of schemas / a map of schemas
_SUBSCHEMA = ("additionalProperties", "items", "not", "if", "then", "else", "contains",
              "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema",
              "additionalItems")
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs", "definitions")

MAX_LEAVES = 5  # per failed anyOf/oneOf: the most specific reasons, not every branch's
SHORT_VALUE = 60


def value_checker(spec: Spec) -> Callable[[Any, Any, Path, str], bool]:
    """`fits(value, schema, schema file, schema pointer)`: does a value (an example) conform
    to its schema, judged by the same engine as the validate stage."""
    return _Checker(spec, str(spec.root.get("openapi", ""))).fits


def conformance_findings(spec: Spec) -> list[Diagnostic]:
    """All schema findings, in document order, each reported once."""
    version = str(spec.root.get("openapi", ""))
    checker = _Checker(spec, version)
    found = [*checker.document(), *checker.walk()]
    return _dedupe(_prefer_specific(found))


@dataclass
class _Checker:
    spec: Spec
    version: str
    seen: set[tuple[str, Path, str]] = field(default_factory=set)
    out: list[Diagnostic] = field(default_factory=list)
    # schemas met but not yet walked: a worklist, not recursion (ref chains can be long)
    pending: deque[tuple[Any, Path, str]] = field(default_factory=deque)
    # (what, value, file, pointer, schema, schema file, schema pointer), checked after the walk
    values: list[tuple[str, Any, Path, str, Any, Path, str]] = field(default_factory=list)
    _values: Callable[[Path, str], Any] | None = None  # schema location -> value validator

    @property
    def is_30(self) -> bool:
        return self.version.startswith("3.0")

    # ---- the document against the OpenAPI schema ---------------------------------------
    def document(self) -> Iterator[Diagnostic]:
        import jsonschema_rs

        validator = jsonschema_rs.validator_for(_openapi_schema(self.version),
                                                validate_formats=False)
        file = self.spec.root_path
        for err in _errors(validator, self.spec.root):
            for leaf in _leaves(err):
                pointer = pointer_join("#", *leaf.instance_path)
                if _structural(leaf):
                    yield self.spec.diag(
                        ERROR, file, pointer, f"must be {' or '.join(_A[t] for t in leaf.kind.types)}"
                        f", not {_a(leaf.instance)}: the document cannot be read here",
                        Code.STRUCTURE)
                    continue
                yield self.spec.diag(WARNING, file, pointer,
                                     f"does not conform to the OpenAPI schema: {_message(leaf)}",
                                     Code.OPENAPI_SCHEMA)

    # ---- every Schema Object, default and example ----------------------------------------
    def walk(self) -> list[Diagnostic]:
        root, file = self.spec.root, self.spec.root_path
        for key, item in _items(root.get("paths")):
            self.path_item(item, file, pointer_join("#/paths", key))
        for key, item in _items(root.get("webhooks")):
            self.path_item(item, file, pointer_join("#/webhooks", key))
        comps = root.get("components")
        visit = {"schemas": self.schema, "parameters": self.parameter, "headers": self.parameter,
                 "requestBodies": self.body, "responses": self.response,
                 "callbacks": self.callback, "pathItems": self.path_item}
        for section, visitor in visit.items():
            members = comps.get(section) if isinstance(comps, dict) else None
            for key, node in _items(members):
                visitor(node, file, pointer_join("#/components", section, key))
        while self.pending:
            node, file, pointer = self.pending.popleft()
            if not self.is_30:  # 3.0 Schema Objects are checked by the document's own schema
                self.out.extend(self._dialect_check(node, file, pointer))
            self._semantics(node, file, pointer)
        for entry in self.values:
            self._check_value(*entry)
        return self.out

    def _enter(self, kind: str, node: Any, file: Path, pointer: str) -> tuple[Any, Path, str] | None:
        """Follow `$ref`s (a dangling one is build's to report) and visit each place once."""
        try:
            node, file, pointer = self.spec.deref(node, file, pointer)
        except KeyError:
            return None
        key = (kind, file, pointer)
        if key in self.seen or not isinstance(node, (dict, bool)):
            return None
        self.seen.add(key)
        return node, file, pointer

    def path_item(self, node: Any, file: Path, pointer: str) -> None:
        entered = self._enter("path-item", node, file, pointer)
        if entered is None or not isinstance(entered[0], dict):
            return
        item, file, pointer = entered
        for i, p in enumerate(_list(item.get("parameters"))):
            self.parameter(p, file, pointer_join(pointer, "parameters", i))
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                self.operation(op, file, pointer_join(pointer, method))

    def operation(self, op: dict, file: Path, pointer: str) -> None:
        for i, p in enumerate(_list(op.get("parameters"))):
            self.parameter(p, file, pointer_join(pointer, "parameters", i))
        if "requestBody" in op:
            self.body(op["requestBody"], file, pointer_join(pointer, "requestBody"))
        for code, resp in _items(op.get("responses")):
            self.response(resp, file, pointer_join(pointer, "responses", code))
        for name, cb in _items(op.get("callbacks")):
            self.callback(cb, file, pointer_join(pointer, "callbacks", name))

    def callback(self, node: Any, file: Path, pointer: str) -> None:
        entered = self._enter("callback", node, file, pointer)
        if entered is None or not isinstance(entered[0], dict):
            return
        cb, file, pointer = entered
        for expression, item in _items(cb):
            self.path_item(item, file, pointer_join(pointer, expression))

    def parameter(self, node: Any, file: Path, pointer: str) -> None:
        """A Parameter or a Header Object: a schema or a content map, and examples."""
        entered = self._enter("parameter", node, file, pointer)
        if entered is None or not isinstance(entered[0], dict):
            return
        param, file, pointer = entered
        if "schema" in param:
            schema_ptr = pointer_join(pointer, "schema")
            self.schema(param["schema"], file, schema_ptr)
            self.examples(param, file, pointer, param["schema"], schema_ptr)
        self._exclusive_examples(param, file, pointer)
        self.content(param.get("content"), file, pointer_join(pointer, "content"))

    def body(self, node: Any, file: Path, pointer: str) -> None:
        entered = self._enter("request-body", node, file, pointer)
        if entered is not None and isinstance(entered[0], dict):
            body, file, pointer = entered
            self.content(body.get("content"), file, pointer_join(pointer, "content"))

    def response(self, node: Any, file: Path, pointer: str) -> None:
        entered = self._enter("response", node, file, pointer)
        if entered is None or not isinstance(entered[0], dict):
            return
        resp, file, pointer = entered
        for name, header in _items(resp.get("headers")):
            self.parameter(header, file, pointer_join(pointer, "headers", name))
        self.content(resp.get("content"), file, pointer_join(pointer, "content"))

    def content(self, node: Any, file: Path, pointer: str) -> None:
        for media, mt in _items(node):
            if not isinstance(mt, dict):
                continue
            mt_ptr = pointer_join(pointer, media)
            if "schema" in mt:
                schema_ptr = pointer_join(mt_ptr, "schema")
                self.schema(mt["schema"], file, schema_ptr)
                if examples_are_json(media):  # other media types may give examples serialized
                    self.examples(mt, file, mt_ptr, mt["schema"], schema_ptr)
            self._exclusive_examples(mt, file, mt_ptr)
            for name, enc in _items(mt.get("encoding")):
                if isinstance(enc, dict):
                    for hname, header in _items(enc.get("headers")):
                        self.parameter(header, file,
                                       pointer_join(mt_ptr, "encoding", name, "headers", hname))

    def _exclusive_examples(self, holder: dict, file: Path, pointer: str) -> None:
        if "example" in holder and "examples" in holder:
            self.out.append(self.spec.diag(
                WARNING, file, pointer_join(pointer, "examples"),
                "`example` and `examples` are mutually exclusive; both are checked, the docs "
                "use `example`", Code.EXAMPLE_AND_EXAMPLES))

    def examples(self, holder: dict, file: Path, pointer: str, schema: Any, schema_ptr: str) -> None:
        """`example` and `examples` of a Media Type or Parameter, against its schema."""
        if "example" in holder:
            self.value("example", holder["example"], file, pointer_join(pointer, "example"),
                       schema, schema_ptr)
        for name, ex in _items(holder.get("examples")):
            ex_ptr = pointer_join(pointer, "examples", name)
            try:
                ex, ex_file, ex_ptr = self.spec.deref(ex, file, ex_ptr)
            except KeyError:
                continue
            if isinstance(ex, dict) and "value" in ex:
                # the value is judged where it is written, the schema where the holder points
                self.value("example", ex["value"], ex_file, pointer_join(ex_ptr, "value"),
                           schema, schema_ptr, schema_file=file)

    # ---- one schema ------------------------------------------------------------------------
    def schema(self, node: Any, file: Path, pointer: str) -> None:
        entered = self._enter("schema", node, file, pointer)
        if entered is not None:
            self.pending.append(entered)

    def _semantics(self, node: Any, file: Path, pointer: str) -> None:
        """Per node of one schema (a `$ref` inside is followed as a schema of its own)."""
        stack = [(node, pointer)]
        while stack:
            node, pointer = stack.pop()
            if not isinstance(node, dict):
                continue
            if isinstance(node.get("$ref"), str):  # the target: walked as a schema of its own
                self.schema(node, file, pointer)
                if self.is_30 or len(node) == 1:
                    continue  # 3.0 ignores a `$ref`'s siblings; 3.1 applies them too
            self._keywords(node, file, pointer)
            children: list[tuple[Any, str]] = []
            for kw in _SUBSCHEMA:
                if kw in node and isinstance(node[kw], (dict, bool)):
                    children.append((node[kw], pointer_join(pointer, kw)))
                elif kw == "items" and isinstance(node.get(kw), list):  # draft 4 tuple items
                    children += [(s, pointer_join(pointer, kw, i)) for i, s in enumerate(node[kw])]
            for kw in _SUBSCHEMA_LISTS:
                children += [(s, pointer_join(pointer, kw, i)) for i, s in enumerate(_list(node.get(kw)))]
            for kw in _SUBSCHEMA_MAPS:
                children += [(s, pointer_join(pointer, kw, k)) for k, s in _items(node.get(kw))]
            stack.extend(reversed(children))  # document order

    def _keywords(self, node: dict, file: Path, pointer: str) -> None:
        required = node.get("required")
        if "required" in node and not (isinstance(required, list) and all(
                isinstance(r, str) for r in required)):
            bad = next((i for i, r in enumerate(required) if not isinstance(r, str)), None) if (
                isinstance(required, list)) else None
            at = pointer_join(pointer, "required", *(() if bad is None else (bad,)))
            self.out.append(self.spec.diag(
                ERROR, file, at, "`required` of a Schema Object is a list of property names "
                "(strings)", Code.BAD_REQUIRED))
        if isinstance(node.get("pattern"), str):
            self._regex(node["pattern"], file, pointer_join(pointer, "pattern"))
        for key in _items(node.get("patternProperties")):
            self._regex(key[0], file, pointer_join(pointer, "patternProperties", key[0]))
        if "nullable" in node and not self.is_30:
            self.out.append(self.spec.diag(
                WARNING, file, pointer_join(pointer, "nullable"),
                "`nullable` is OpenAPI 3.0; in 3.1 write the type as [..., 'null'] "
                "(read as nullable)", Code.VERSION_SYNTAX))
        if self.is_30:
            for kw in ("exclusiveMinimum", "exclusiveMaximum"):
                value = node.get(kw)
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    self.out.append(self.spec.diag(
                        WARNING, file, pointer_join(pointer, kw),
                        f"{kw}: {value} is a number (OpenAPI 3.1 style); in 3.0 it is a "
                        f"boolean beside {'minimum' if 'Min' in kw else 'maximum'}",
                        Code.VERSION_SYNTAX))
        if "default" in node:
            self.value("default", node["default"], file, pointer_join(pointer, "default"),
                       node, pointer)
        if "example" in node:
            self.value("example", node["example"], file, pointer_join(pointer, "example"),
                       node, pointer)
        if not self.is_30:
            for i, ex in enumerate(_list(node.get("examples"))):
                self.value("example", ex, file, pointer_join(pointer, "examples", i), node, pointer)

    def _regex(self, pattern: str, file: Path, pointer: str) -> None:
        try:
            re.compile(pattern)
        except (re.error, RecursionError, OverflowError) as exc:
            self.out.append(self.spec.diag(
                WARNING, file, pointer, f"not a valid regular expression: {exc}", Code.BAD_PATTERN))

    def _dialect_check(self, node: Any, file: Path, pointer: str) -> list[Diagnostic]:
        dialect = self._dialect(node)
        validator = _dialect_validator(dialect)
        if validator is None:
            return [self.spec.diag(WARNING, file, pointer,
                                   f"unknown JSON Schema dialect {dialect!r}; not checked",
                                   Code.UNKNOWN_DIALECT)]
        found = []
        for err in _errors(validator, node):
            for leaf in _leaves(err):
                at = pointer_join(pointer, *leaf.instance_path)
                if _structural(leaf) and leaf.instance_path and str(
                        leaf.instance_path[-1]) in _STRUCTURAL_KEYWORDS:
                    found.append(self.spec.diag(
                        ERROR, file, at, f"must be {' or '.join(_A[t] for t in leaf.kind.types)}"
                        f", not {_a(leaf.instance)}: the schema cannot be read here",
                        Code.STRUCTURE))
                    continue
                found.append(self.spec.diag(
                    WARNING, file, at, f"not a valid schema: {_message(leaf)}", Code.JSON_SCHEMA))
        return found

    def _dialect(self, node: Any) -> str:
        if isinstance(node, dict) and isinstance(node.get("$schema"), str):
            return str(node["$schema"])
        declared = self.spec.root.get("jsonSchemaDialect")
        return declared if isinstance(declared, str) else _default_dialect(self.version)

    # ---- a default or example against its schema ------------------------------------------
    def value(self, what: str, value: Any, file: Path, pointer: str, schema: Any,
              schema_ptr: str, schema_file: Path | None = None) -> None:
        self.values.append((what, value, file, pointer, schema, schema_file or file, schema_ptr))

    def _check_value(self, what: str, value: Any, file: Path, pointer: str, schema: Any,
                     schema_file: Path, schema_ptr: str) -> None:
        if self.is_30 and value is None and isinstance(schema, dict) and schema.get("nullable"):
            return
        try:
            problems = list(self._value_errors(value, schema_file, schema_ptr))
        except Exception as exc:  # a schema the engine cannot compile is the dialect check's
            self.out.append(self.spec.diag(
                WARNING, file, pointer,
                f"{what} not checked: its schema is not valid JSON Schema "
                f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})",
                _UNCHECKED[what]))
            return
        unused = "; it is not used in the docs or usage snippets" if what == "example" else ""
        for where, message in problems[:MAX_LEAVES]:
            self.out.append(self.spec.diag(
                WARNING, file, pointer_join(pointer, *where),
                f"{what} does not match its schema: {message}{unused}", _MISMATCH[what]))

    def fits(self, value: Any, schema: Any, file: Path, schema_ptr: str) -> bool:
        """Does `value` conform to the schema at `schema_ptr` (as `_check_value` judges it;
        a schema the engine cannot compile counts as a fit: that is reported elsewhere)."""
        if self.is_30 and value is None and isinstance(schema, dict) and schema.get("nullable"):
            return True
        try:
            return next(iter(self._value_errors(value, file, schema_ptr)), None) is None
        except Exception:
            return True

    def _value_errors(self, value: Any, file: Path, schema_ptr: str) -> Iterator[tuple[list, str]]:
        if self._values is None:
            self._values = _value_validators(self.spec, self.is_30)
        validator = self._values(file, schema_ptr)
        if self.is_30:
            from jsonschema.exceptions import best_match

            errors = list(validator.iter_errors(value))
            if errors:
                best = best_match(errors)
                if best is not None:
                    yield list(best.absolute_path), _short(best.message, best.instance)
            return
        for err in _errors(validator, value):
            for leaf in _leaves(err):
                yield list(leaf.instance_path), _message(leaf)


# ---- validators --------------------------------------------------------------------------------
_OPENAPI_SCHEMAS: dict[str, Any] = {}
_DIALECT_VALIDATORS: dict[str, Any] = {}


def _openapi_schema(version: str) -> Any:
    from openapi_spec_validator.schemas import schema_v30, schema_v31, schema_v32

    line = version[:3]
    if line not in _OPENAPI_SCHEMAS:
        chosen = {"3.0": schema_v30, "3.2": schema_v32}.get(line, schema_v31)
        schema = json.loads(json.dumps(dict(chosen)))  # a plain copy
        link = schema.get("$defs", {}).get("link", {}).get("properties", {})
        if "body" in link and "server" not in link:
            # erratum in the 2022-10-07 OAS 3.1 schema: the Link Object's `server` field is
            # spelled `body` there (fixed in later iterations and in the OAI test suite)
            link["server"] = link.pop("body")
        _OPENAPI_SCHEMAS[line] = schema
    return _OPENAPI_SCHEMAS[line]


def _default_dialect(version: str) -> str:
    from openapi_schema_validator._dialects import OAS31_BASE_DIALECT_ID, OAS32_BASE_DIALECT_ID

    return OAS32_BASE_DIALECT_ID if version.startswith("3.2") else OAS31_BASE_DIALECT_ID


def _meta_registry() -> Any:
    """The OpenAPI dialects and every JSON Schema meta-schema, offline."""
    import jsonschema_rs
    from openapi_schema_validator._specifications import REGISTRY

    return jsonschema_rs.Registry([(uri, REGISTRY.contents(uri)) for uri in REGISTRY])


def _dialect_validator(dialect: str) -> Any:
    """A compiled validator for the meta-schema of `dialect`, or None if it is unknown.
    Formats are not asserted: `pattern` regexes are checked separately (re, as the SDK's
    runtime would read them)."""
    if dialect not in _DIALECT_VALIDATORS:
        import jsonschema_rs
        from openapi_schema_validator._specifications import REGISTRY

        uri = dialect.rstrip("#")
        try:
            meta = REGISTRY.contents(uri)
        except Exception:
            try:
                meta = REGISTRY.contents(uri + "#")
            except Exception:
                meta = None
        _DIALECT_VALIDATORS[dialect] = None if meta is None else jsonschema_rs.validator_for(
            meta, registry=_meta_registry(), validate_formats=False)
    return _DIALECT_VALIDATORS[dialect]


def _value_validators(spec: Spec, is_30: bool) -> Callable[[Path, str], Any]:
    """schema location -> a validator for values (compiled once per location).

    The schema is addressed as `$ref: <file uri>#<pointer>`; documents come from the spec
    (loading a referenced file the walk has not reached yet), so `$ref`s inside resolve as
    they do in the spec."""
    compiled: dict[tuple[Path, str], Any] = {}

    def document(uri: str) -> Any:
        from urllib.parse import unquote, urlsplit

        return spec.document(Path(unquote(urlsplit(uri).path))).data

    if is_30:
        from openapi_schema_validator import OAS30Validator
        from openapi_schema_validator._format import oas30_format_checker
        from referencing import Registry
        from referencing.jsonschema import DRAFT4

        py_registry: Any = Registry(  # type: ignore[call-arg]  # attrs alias of `_retrieve`
            retrieve=lambda uri: DRAFT4.create_resource(document(uri))).with_resources(
            (path.as_uri(), DRAFT4.create_resource(doc.data)) for path, doc in spec.documents.items())

        def make(file: Path, pointer: str) -> Any:
            return OAS30Validator({"$ref": _ref(file, pointer)}, registry=py_registry,
                                  format_checker=oas30_format_checker)
    else:
        import jsonschema_rs

        rs_registry = jsonschema_rs.Registry(
            [(path.as_uri(), doc.data) for path, doc in spec.documents.items()],
            draft=jsonschema_rs.Draft202012, retriever=document)

        def make(file: Path, pointer: str) -> Any:
            return jsonschema_rs.validator_for({"$ref": _ref(file, pointer)},
                                               registry=rs_registry, validate_formats=False)

    def get(file: Path, pointer: str) -> Any:
        key = (file, pointer)
        if key not in compiled:
            compiled[key] = make(file, pointer)
        return compiled[key]

    return get


def _ref(file: Path, pointer: str) -> str:
    return file.as_uri() + "#" + quote(pointer.lstrip("#"), safe="/~!$&'()*+,;=:@-._")


# ---- errors and messages ----------------------------------------------------------------------
def _errors(validator: Any, instance: Any) -> list[Any]:
    """jsonschema-rs errors; a document it cannot take (e.g. a non-string key) gives none
    here (build reports such shapes)."""
    try:
        return list(validator.iter_errors(instance))
    except (ValueError, TypeError, OverflowError):
        return []


_A = {"object": "a mapping", "array": "a list"}
# Schema keywords whose value sdkgen reads as a mapping or a list of schemas
_STRUCTURAL_KEYWORDS = {"properties", "patternProperties", "allOf", "anyOf", "oneOf",
                        "prefixItems", "$defs", "dependentSchemas", "discriminator"}


def _a(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean",
            type(None): "null"}.get(type(value), "a number")


def _structural(err: Any) -> bool:
    """A mapping or list of the document's structure (not inside an extension) that is of
    another type: a warning would be a lie (nothing there can be read), an error."""
    types = getattr(err.kind, "types", None)
    if type(err.kind).__name__ != "Type" or not types or not set(types) <= set(_A):
        return False
    return not any(str(t).startswith("x-") for t in err.instance_path)


def _leaves(err: Any) -> list[Any]:
    """The specific reasons behind an error. A failed anyOf/oneOf says only that no branch
    fits; the branch that got furthest into the value (deepest failure, then fewest failures)
    is the one the author meant, and its own failures are the reasons (recursively)."""
    branches = getattr(err.kind, "context", None)
    if not branches:
        return [err]
    best = min(branches, key=lambda errs: (-max((len(e.instance_path) for e in errs), default=0),
                                           len(errs)))
    if not best:
        return [err]
    out: list[Any] = []
    for e in best:
        out += _leaves(e)
    return out[:MAX_LEAVES]


def _message(err: Any) -> str:
    return _short(str(err.message), err.instance)


def _short(message: str, instance: Any) -> str:
    """Messages begin with the value at fault, which may be a whole schema: keep it short."""
    message = message.splitlines()[0] if message else ""
    for rendered in _renderings(instance):
        if rendered and message.startswith(rendered):
            if len(rendered) > SHORT_VALUE:
                message = _abbreviate(instance) + message[len(rendered):]
            break
    return message if len(message) <= 300 else message[:300] + "..."


def _renderings(instance: Any) -> Iterable[str]:
    try:
        yield json.dumps(instance, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
        yield json.dumps(instance, separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError):
        pass
    yield repr(instance)


def _abbreviate(instance: Any) -> str:
    if isinstance(instance, dict):
        keys = ", ".join(json.dumps(str(k)) for k in list(instance)[:3])
        return "{" + keys + (", ..." if len(instance) > 3 else "") + "}"
    if isinstance(instance, list):
        return f"[... {len(instance)} items]"
    text = json.dumps(instance, ensure_ascii=False) if isinstance(instance, str) else repr(instance)
    return text[:SHORT_VALUE - 4] + '..."' if isinstance(instance, str) else text[:SHORT_VALUE]


def _prefer_specific(found: list[Diagnostic]) -> list[Diagnostic]:
    """A 3.1 keyword in a 3.0 document is reported with a specific message; drop the generic
    schema finding at the same place."""
    specific = {d.pointer for d in found if d.code == Code.VERSION_SYNTAX}
    errors = {d.pointer for d in found if d.code == Code.BAD_REQUIRED}
    return [d for d in found if not (d.code == Code.OPENAPI_SCHEMA and d.pointer in specific or
                                     d.code in (Code.JSON_SCHEMA, Code.OPENAPI_SCHEMA) and
                                     d.pointer in errors)]


def _dedupe(found: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for d in found:
        key = (d.file, d.pointer, d.message)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def _items(node: Any) -> list[tuple[str, Any]]:
    return [(str(k), v) for k, v in node.items()] if isinstance(node, dict) else []


def _list(node: Any) -> list[Any]:
    return node if isinstance(node, list) else []

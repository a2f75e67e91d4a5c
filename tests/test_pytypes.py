"""The kinds of types (pytypes.py): what each kind's annotation needs imported agrees with
the annotation itself, over every type of real specs, in every spelling."""

from __future__ import annotations

import ast
import importlib
from itertools import product
from pathlib import Path

import pytest
import yaml

from sdkgen.config import TargetConfig
from sdkgen.model import Api, ObjectType, TypeRef, UnionType
from sdkgen.pipeline import front
from sdkgen.plan.names import operations
from sdkgen.pytypes import TypeContext, hint, imports, wrapped, wrapper_imports

ROOT = Path(__file__).resolve().parent.parent
CFG = TargetConfig(import_name="kinds", sync_client="Kinds", async_client="AsyncKinds")
SPECS = [ROOT / "specs" / "friendli" / "openapi.yaml", ROOT / "specs" / "atoma" / "openapi.yaml"]
# every kind, nullable items, open and closed enums, dates, in one small spec
KINDS_SPEC = {
    "openapi": "3.1.0", "info": {"title": "kinds", "version": "1"},
    "paths": {"/k": {"post": {"operationId": "k", "requestBody": {"content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/All"}}}},
        "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Open"}}}}}}}}},
    "components": {"schemas": {
        "Open": {"type": "string", "enum": ["a", "b"], "x-speakeasy-unknown-values": "allow"},
        "Closed": {"type": "integer", "enum": [1, 2]},
        "All": {"type": "object", "required": ["tag"], "properties": {
            "tag": {"const": "all"},
            "at": {"type": "array", "prefixItems": [{"type": "number"}, {"type": "string"}],
                   "items": False},
            "when": {"type": ["string", "null"], "format": "date-time"},
            "day": {"type": "string", "format": "date"},
            "blob": {"type": "string", "format": "binary"},
            "anything": {},
            "maybe": {"type": "array", "items": {"type": ["integer", "null"]}},
            "closed": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Closed"}},
            "open": {"$ref": "#/components/schemas/Open"},
            "either": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        }},
    }},
}
_BUILTINS = {"list", "dict", "tuple", "str", "int", "float", "bool", "bytes"}
_PKG_TYPES = ROOT / "templates" / "sdk" / "src" / "__pkg__" / "types" / "__init__.py"


def _loaded(annotation: str) -> set[str]:
    return {n.id for n in ast.walk(ast.parse(annotation, mode="eval")) if isinstance(n, ast.Name)}


def _package_types() -> set[str]:
    """What the generated package's `types` module exports (its `__all__`)."""
    for node in ast.parse(_PKG_TYPES.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return set(ast.literal_eval(node.value))
    raise AssertionError("no __all__ in the types template")


def _types_of(api: Api) -> list[TypeRef]:
    out: list[TypeRef] = []
    for t in api.types:
        if isinstance(t, ObjectType):
            out += [f.type for f in t.fields] + ([t.additional] if t.additional else [])
        elif isinstance(t, UnionType):
            out += list(t.members)
    for o in operations(api):
        out += [p.type for p in o.parameters] + [x for x in (o.success, o.body and o.body.type)
                                                 if x is not None]
    return out


@pytest.mark.parametrize("spec", [*SPECS, None],
                         ids=lambda p: p.parent.name if p else "kinds")
def test_imports_are_what_the_annotation_loads(spec: Path | None, tmp_path: Path) -> None:
    if spec is None:
        spec = tmp_path / "kinds.yaml"
        spec.write_text(yaml.safe_dump(KINDS_SPEC), encoding="utf-8")
    result, _ = front(spec, CFG)
    assert result.api is not None and result.names is not None
    types = {t.key: t for t in result.api.types}
    model_classes = {result.names.of(k) for k in types}
    model_classes |= {c + "TypedDict" for c in model_classes}
    exported = _package_types()
    contexts = [TypeContext(result.names, types, ""),  # in the models package
                TypeContext(result.names, types, "models.", "_types.open_enum")]  # resources
    checked = 0
    for t, ctx, (typed_dict, open_enums, allow_unknown, required) in product(
            _types_of(result.api), contexts, product((False, True), repeat=4)):
        inner = hint(t, ctx, typed_dict, open_enums, allow_unknown)
        annotation = wrapped(t, required, inner)
        needed = imports(t, ctx, typed_dict, open_enums, allow_unknown)
        needed |= wrapper_imports(t, required, inner)
        unqualified_models = model_classes if not ctx.qualifier else set()
        assert set(needed) == _loaded(annotation) - _BUILTINS - unqualified_models, annotation
        for name, path in needed.items():
            assert path.rpartition(".")[2] == name or path == "..types", (name, path)
            if path.startswith("..types."):
                assert name in exported, path
            elif not path.startswith(".."):
                module, _, attr = path.rpartition(".")
                target = importlib.import_module(module or path)
                assert not module or hasattr(target, attr), path
        checked += 1
    assert checked >= 16 * 12  # every type, both contexts, every spelling

"""The commercial generator's `x-speakeasy-*` extensions that sdkgen honours (see the
README's "Speakeasy compatibility"): a spec using each one, generated, imported and called
against a loopback server."""

from __future__ import annotations

import importlib
import json
import sys
from dataclasses import replace
from pathlib import Path

import pydantic
import pytest
from support.loopback import LoopbackServer, json_reply

from sdkgen.build import build
from sdkgen.config import TargetConfig
from sdkgen.load import load
from sdkgen.pipeline import generate_to

PET = {
    "type": "object", "required": ["name"],
    "properties": {
        "name": {"type": "string"},
        "kind": {"type": "string", "enum": ["cat", "dog"], "x-speakeasy-unknown-values": "allow"},
        "size": {"type": "string", "enum": ["s", "m"]},
        "priority": {"type": "integer", "enum": [1, 2, 3],
                     "x-speakeasy-enums": ["Low", "Medium", "High"]},
        "x-internal-id": {"type": "string", "x-speakeasy-name-override": "internalId"},
        "secret": {"type": "string", "x-speakeasy-ignore": True},
        "old": {"type": "string", "x-speakeasy-deprecation-message": "Use name instead."},
    },
}
SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1"},
    "servers": [{"url": "https://pets.example", "x-speakeasy-server-id": "prod"}],
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets", "tags": ["pets"],
                "parameters": [{"name": "X-App-Title", "in": "header", "schema": {"type": "string"},
                                "x-speakeasy-name-override": "appTitle"}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}}}}},
            },
            "post": {
                "operationId": "createPet", "tags": ["pets"],
                "x-speakeasy-usage-example": True,
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Pet"},
                    "example": {"name": "Rex", "kind": "dog"}}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Pet"}}}}},
            },
        },
        "/pets/bulk": {"post": {
            "operationId": "bulkCreate", "tags": ["pets"],
            "x-speakeasy-max-method-params": 1,
            "x-speakeasy-deprecation-message": "Use createPet in a loop.", "deprecated": True,
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Bulk"}}}},
            "responses": {"200": {"description": "ok"}},
        }},
        "/chat": {"post": {
            "operationId": "chat", "x-speakeasy-stream-request-field": "streaming",
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "properties": {"streaming": {"type": "boolean"},
                                                 "stream": {"type": "boolean"},
                                                 "q": {"type": "string"}}}}}},
            "responses": {"200": {"description": "ok", "content": {
                "application/json": {"schema": {"type": "object",
                                                "properties": {"a": {"type": "string"}}}},
                "text/event-stream": {"schema": {"type": "object",
                                                 "properties": {"data": {"type": "string"}}}}}}},
        }},
        "/hidden": {"get": {"operationId": "hidden", "x-speakeasy-ignore": True,
                            "responses": {"200": {"description": "ok"}}}},
    },
    "components": {"schemas": {
        "Pet": PET,
        "Bulk": {"type": "object", "x-speakeasy-name-override": "PetBatch", "required": ["pets"],
                 "properties": {"pets": {"type": "array",
                                         "items": {"$ref": "#/components/schemas/Pet"}},
                                "dry_run": {"type": "boolean"}}},
        "Unused": {"type": "object", "x-speakeasy-ignore": True,
                   "properties": {"a": {"type": "string"}}},
    }},
}


def _resources(out: Path) -> str:
    return "".join(p.read_text() for p in sorted(out.glob("src/*/resources/*.py")))


@pytest.fixture(scope="module")
def petsdk(tmp_path_factory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("speakeasy_ext")
    spec = tmp / "pets.json"
    spec.write_text(json.dumps(SPEC))
    cfg = TargetConfig(dist_name="sxpets", import_name="sxpets", sdk_class_name="Pets",
                       sync_client="Pets", async_client="AsyncPets", env_prefix="PETS",
                       enum_style="enum")
    generate_to(spec, cfg, tmp / "out")
    sys.path.insert(0, str(tmp / "out" / "src"))
    try:
        yield importlib.import_module("sxpets"), tmp / "out"
    finally:
        sys.path.remove(str(tmp / "out" / "src"))
        for name in [m for m in sys.modules if m == "sxpets" or m.startswith("sxpets.")]:
            del sys.modules[name]


def test_unknown_values_allow_opens_the_enum_in_requests_too(petsdk) -> None:  # type: ignore[no-untyped-def]
    sdk, out = petsdk
    models = sdk.models
    pet = models.Pet(name="Rex", kind="hamster")  # open: no validation error
    assert pet.kind == "hamster"
    assert models.Pet(name="Rex", kind="dog").kind is models.Kind.DOG  # known: the member
    with pytest.raises(pydantic.ValidationError):
        models.Pet(name="Rex", size="xl")  # closed enum in a request
    src = (out / "src/sxpets/models/pet.py").read_text()
    assert "Union[Kind, str]" in src
    reply = {"name": "Rex", "kind": "dog", "size": "xxl"}
    with LoopbackServer(json_reply(reply)) as srv:
        with sdk.Pets(server_url=srv.url) as client:
            res = client.pets.create_pet(name="Rex", kind="hamster")
        sent = srv.requests[0].json()
    assert sent["kind"] == "hamster"
    assert res.kind is models.Kind.DOG and res.size == "xxl"


def test_enum_member_names_and_renamed_fields_and_parameters(petsdk) -> None:  # type: ignore[no-untyped-def]
    sdk, _ = petsdk
    models = sdk.models
    assert [m.name for m in models.Priority] == ["LOW", "MEDIUM", "HIGH"]
    pet = models.Pet(name="Rex", internal_id="i-1", priority=models.Priority.HIGH)
    assert json.loads(sdk.types.dump_json(pet)) == {  # the wire name is kept
        "name": "Rex", "x-internal-id": "i-1", "priority": 3}
    assert "secret" not in models.Pet.model_fields  # x-speakeasy-ignore on a property
    assert not hasattr(models, "Unused")  # ... and on an unreferenced component
    assert hasattr(models, "PetBatch") and not hasattr(models, "Bulk")  # schema name override
    with LoopbackServer(json_reply([])) as srv:
        with sdk.Pets(server_url=srv.url) as client:
            client.pets.list_pets(app_title="My app")
        assert srv.requests[0].headers["x-app-title"] == "My app"


def test_max_method_params_takes_the_body_as_one_request_argument(petsdk) -> None:  # type: ignore[no-untyped-def]
    sdk, out = petsdk
    with LoopbackServer(json_reply({})) as srv:
        with sdk.Pets(server_url=srv.url) as client:
            client.pets.bulk_create(request={"pets": [{"name": "a"}], "dry_run": True})
            client.pets.bulk_create(request=sdk.models.PetBatch(pets=[sdk.models.Pet(name="b")]))
        bodies = [r.json() for r in srv.requests]
    assert bodies == [{"pets": [{"name": "a"}], "dry_run": True}, {"pets": [{"name": "b"}]}]
    src = _resources(out)
    start = src.index("def bulk_create(")
    signature = src[start:src.index(")", start)]
    assert "request: Union[models.PetBatch, models.PetBatchTypedDict]" in signature
    assert "pets:" not in signature
    # the operation's deprecation message, in the docstring and on the deprecated field
    assert "Deprecated: Use createPet in a loop." in src
    assert "Deprecated: Use name instead." in (out / "src/sxpets/models/pet.py").read_text()


def test_usage_example_picks_the_marked_operation(petsdk) -> None:  # type: ignore[no-untyped-def]
    _, out = petsdk
    for page in ("README.md", "USAGE.md"):
        text = (out / page).read_text()
        first_call = next(line for line in text.splitlines() if "res = " in line)
        assert "create_pet(" in first_call, (page, first_call)
    assert "hidden" not in _resources(out)


def test_stream_request_field_names_the_switch(tmp_path: Path) -> None:
    spec = tmp_path / "s.json"
    spec.write_text(json.dumps(SPEC))
    api, _ = build(load(spec))
    chat = next(o for o in api.root.operations if o.operation_id == "chat")
    assert chat.stream_alt is not None and chat.stream_flag == "streaming"
    without = json.loads(json.dumps(SPEC))
    del without["paths"]["/chat"]["post"]["x-speakeasy-stream-request-field"]
    spec.write_text(json.dumps(without))
    api, _ = build(load(spec))
    chat = next(o for o in api.root.operations if o.operation_id == "chat")
    assert chat.stream_flag == "stream"


def test_config_max_method_params_zero_never_flattens(tmp_path: Path) -> None:
    spec = tmp_path / "pets.json"
    spec.write_text(json.dumps(SPEC))
    cfg = replace(TargetConfig(dist_name="sxflat", import_name="sxflat"), max_method_params=0)
    generate_to(spec, cfg, tmp_path / "out")
    src = _resources(tmp_path / "out")
    create = src[src.index("def create_pet("):src.index(")", src.index("def create_pet("))]
    assert "request:" in create and "name:" not in create

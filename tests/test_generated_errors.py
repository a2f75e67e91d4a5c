"""A spec that documents error bodies: the generated SDK raises a typed error with the
parsed `.data`, the default error for undocumented statuses, and the error pages appear
in the docs (live loopback server, generated package imported for real)."""

from __future__ import annotations

import importlib
import json
import sys

import pytest
from support.loopback import LoopbackServer, Reply, json_reply

from sdkgen.config import TargetConfig
from sdkgen.pipeline import generate_to

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Pets", "version": "1"},
    "servers": [{"url": "https://pets.example"}],
    "components": {
        "securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}},
        "schemas": {
            "Pet": {"type": "object", "required": ["id", "name"], "properties": {
                "id": {"type": "integer"}, "name": {"type": "string"},
                "kind": {"type": "string", "enum": ["cat", "dog"]},
                "born": {"type": "string", "format": "date-time", "nullable": True}}},
            "HTTPValidationError": {"type": "object", "properties": {"detail": {
                "type": "array", "items": {"type": "object", "properties": {
                    "loc": {"type": "array", "items": {"type": "string"}},
                    "msg": {"type": "string"}}}}}},
        },
    },
    "security": [{"apiKey": []}],
    "paths": {"/pets/{petId}": {"get": {
        "operationId": "getPet", "tags": ["pets"],
        "parameters": [{"name": "petId", "in": "path", "required": True, "schema": {"type": "integer"}},
                       {"name": "verbose", "in": "query", "schema": {"type": "boolean"}}],
        "responses": {
            "200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Pet"}}}},
            "422": {"description": "invalid", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/HTTPValidationError"}}}},
        }}}},
}


@pytest.fixture(scope="module")
def petsdk(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("petsdk")
    spec = tmp / "pets.json"
    spec.write_text(json.dumps(SPEC))
    cfg = TargetConfig(dist_name="petsdk", import_name="petsdk", sdk_class_name="Pets",
                       sync_client="Pets", async_client="AsyncPets", env_prefix="PETS",
                       default_error="APIError", base_error="PetsError")
    generate_to(spec, cfg, tmp / "out")
    sys.path.insert(0, str(tmp / "out" / "src"))
    try:
        yield importlib.import_module("petsdk"), tmp / "out"
    finally:
        sys.path.remove(str(tmp / "out" / "src"))
        for name in [m for m in sys.modules if m == "petsdk" or m.startswith("petsdk.")]:
            del sys.modules[name]


def test_success_with_path_query_and_api_key(petsdk):
    sdk, _ = petsdk
    with LoopbackServer(json_reply({"id": 7, "name": "Rex", "kind": "hamster", "born": None})) as srv:
        with sdk.Pets(api_key="k-1", server_url=srv.url) as client:
            pet = client.pets.get_pet(pet_id=7, verbose=True)
        req = srv.requests[0]
    assert (req.path, req.query) == ("/pets/7", {"verbose": ["true"]})
    assert req.headers["x-api-key"] == "k-1"
    assert pet.name == "Rex" and pet.born is None
    assert pet.kind == "hamster"  # an unknown enum value in a response is kept, not an error


def test_documented_error_is_typed_with_parsed_data(petsdk):
    sdk, _ = petsdk
    body = {"detail": [{"loc": ["path", "petId"], "msg": "bad id"}]}
    with LoopbackServer(json_reply(body, status=422)) as srv:
        with sdk.Pets(api_key="k-1", server_url=srv.url) as client:
            with pytest.raises(sdk.models.HTTPValidationError) as exc:
                client.pets.get_pet(pet_id=1)
    err = exc.value
    assert isinstance(err, sdk.models.PetsError)
    assert err.status_code == 422
    assert err.data.detail[0].msg == "bad id"
    assert isinstance(err.data, sdk.models.HTTPValidationErrorData)
    assert "k-1" not in str(err) and "k-1" not in repr(err)


def test_undocumented_error_is_the_default_error(petsdk):
    sdk, _ = petsdk
    with LoopbackServer(Reply(404, {"Content-Type": "text/plain"}, b"no such pet")) as srv:
        with sdk.Pets(api_key="k", server_url=srv.url) as client:
            with pytest.raises(sdk.models.APIError) as exc:
                client.pets.get_pet(pet_id=1)
    assert exc.value.status_code == 404 and exc.value.body == "no such pet"


def test_response_that_does_not_fit_keeps_the_raw_body(petsdk):
    sdk, _ = petsdk
    with LoopbackServer(json_reply({"id": "not-an-int"})) as srv:
        with sdk.Pets(api_key="k", server_url=srv.url) as client:
            with pytest.raises(sdk.models.ResponseValidationError) as exc:
                client.pets.get_pet(pet_id=1)
    assert "not-an-int" in exc.value.body


def test_error_rows_in_the_operation_page(petsdk):
    _, out = petsdk
    page = (out / "docs/sdks/petsresource/README.md").read_text()
    rows = [" ".join(line.split()) for line in page.splitlines() if line.startswith("| models.")]
    assert rows == ["| models.HTTPValidationError | 422 | application/json |",
                    "| models.APIError | 4XX, 5XX | \\*/\\* |"]
    # the error body is documented under the exception's name (as the reference does)
    assert (out / "docs/models/httpvalidationerror.md").read_text().startswith(
        "# HTTPValidationError")

"""A `.speakeasy/gen.yaml` passed as `--config` (generator/speakeasy_config.py): its
`generation:`/`python:` sections become the TargetConfig; ignored keys are warnings that
name each key; an end-to-end generate with it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import REPO

from sdkgen.config import TargetConfig, default_config_for, load_config, read_config
from sdkgen.diagnostics import Diagnostic, SpecError

GEN_YAML = """\
configVersion: 2.0.0
generation:
  sdkClassName: PetStore
  maintainOpenAPIOrder: true
  usageSnippets:
    optionalPropertyRendering: withExample
python:
  version: 1.2.3
  packageName: pet-store-sdk
  envVarPrefix: PETSTORE
  defaultErrorName: PetStoreDefaultError
  baseErrorName: PetStoreBaseError
  enumFormat: enum
  maxMethodParams: 0
  flatteningOrder: body-first
  authors: [Someone]
  responseFormat: flat
  flattenRequests: false
  imports:
    option: openapi
    paths:
      shared: components
      operations: ""
      errors: errors
  unknownKnob: 3
typescript:
  packageName: pet-store
"""

SPEC = """\
openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /pets/{petId}:
    post:
      operationId: updatePet
      tags: [pets]
      parameters:
        - {name: petId, in: path, required: true, schema: {type: integer}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
                kind: {type: string, enum: [cat, dog]}
      responses:
        '200': {description: ok}
"""


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def test_gen_yaml_maps_onto_the_target_config(tmp_path: Path) -> None:
    gen = _write(tmp_path / ".speakeasy/gen.yaml", GEN_YAML)
    notes: list[Diagnostic] = []
    base = default_config_for(Path("pets.yaml"))
    cfg = load_config(gen, base, notes)
    assert cfg == TargetConfig(
        spec=base.spec, dist_name="pet-store-sdk", import_name="pet_store_sdk", version="1.2.3",
        sdk_class_name="PetStore", sync_client="PetStore", async_client="AsyncPetStore",
        env_prefix="PETSTORE", enum_style="enum", default_error="PetStoreDefaultError",
        base_error="PetStoreBaseError", example_client_var=base.example_client_var,
        max_method_params=0, flattening_order="body-first", flatten_requests=False,
        shared_path="components", operations_path="models", errors_path="errors",
        maintain_order=True, response_format="flat")
    # keys that change nothing sdkgen writes (authors, responseFormat...) are read silently
    ignored = {d.pointer: d for d in notes}
    assert set(ignored) == {"#/python/unknownKnob", "#/typescript"}
    assert all(d.severity == "warning" and d.file == str(gen) for d in notes)
    assert "python.unknownKnob" in ignored["#/python/unknownKnob"].message
    assert ignored["#/python/unknownKnob"].line == 25
    assert "typescript" in ignored["#/typescript"].message


def test_maintain_order_false_and_bad_import_path(tmp_path: Path) -> None:
    gen = _write(tmp_path / "gen.yaml", """\
        generation:
          maintainOpenAPIOrder: false
        python:
          imports:
            paths:
              shared: my-models
        """)
    notes: list[Diagnostic] = []
    cfg = load_config(gen, TargetConfig(), notes)
    assert cfg.maintain_order is False and cfg.shared_path == "models"
    assert [d.pointer for d in notes] == ["#/python/imports/paths/shared"]


def test_module_name_union_enums_and_defaults(tmp_path: Path) -> None:
    gen = _write(tmp_path / "gen.yaml", """\
        python:
          packageName: acme
          moduleName: acme_client
          enumFormat: union
        """)
    cfg = load_config(gen, TargetConfig())
    assert (cfg.dist_name, cfg.import_name, cfg.enum_style) == ("acme", "acme_client", "literal")
    assert cfg.sync_client == "SDK" and cfg.max_method_params == -1  # untouched defaults


def test_bad_values_are_warnings_and_bad_names_errors(tmp_path: Path) -> None:
    notes: list[Diagnostic] = []
    gen = _write(tmp_path / "gen.yaml", """\
        python:
          enumFormat: tuple
          maxMethodParams: many
        """)
    cfg = load_config(gen, TargetConfig(), notes)
    assert cfg.enum_style == "literal" and cfg.max_method_params == -1
    assert {d.pointer for d in notes} == {"#/python/enumFormat", "#/python/maxMethodParams"}
    gen = _write(tmp_path / "gen2.yaml", "generation:\n  sdkClassName: 'Pet Store'\n")
    with pytest.raises(SpecError) as exc:
        load_config(gen, TargetConfig())
    assert any("sync_client must be a Python identifier" in d.message
               for d in exc.value.diagnostics)


def test_the_config_stage_returns_its_findings_as_values(tmp_path: Path) -> None:
    """read_config never raises for a problem of the file: (config, warnings), or (None,
    errors), each with its code; load_config is the raising form for callers that stop."""
    gen = _write(tmp_path / "gen.yaml", "python:\n  enumFormat: tuple\n")
    cfg, diags = read_config(gen, TargetConfig())
    assert cfg is not None and [(d.severity, d.code) for d in diags] == [("warning", "gen-yaml")]
    bad_name = _write(tmp_path / "gen2.yaml", "generation:\n  sdkClassName: 'Pet Store'\n")
    cfg, diags = read_config(bad_name, TargetConfig())
    assert cfg is None and diags and {(d.severity, d.code) for d in diags} == {
        ("error", "config")}
    for text, message in [("[1, 2]\n", "config must be a mapping"),
                          ("dist_name: x\nnope: 1\n", "unknown config key(s): nope"),
                          ("a: [\n", "cannot read config")]:
        path = _write(tmp_path / "sdkgen-target.yaml", text)
        cfg, diags = read_config(path)
        assert cfg is None and len(diags) == 1 and message in diags[0].message, diags
        assert (diags[0].severity, diags[0].code, diags[0].file) == ("error", "config",
                                                                     str(path))
    cfg, diags = read_config(tmp_path / "missing.yaml")
    assert cfg is None and "cannot read config" in diags[0].message
    with pytest.raises(SpecError) as exc:  # the raising form carries the same diagnostics
        load_config(tmp_path / "missing.yaml")
    assert exc.value.diagnostics == diags


def test_generate_with_a_gen_yaml(tmp_path: Path) -> None:
    spec = _write(tmp_path / "pets.yaml", SPEC)
    gen = _write(tmp_path / ".speakeasy/gen.yaml", GEN_YAML)
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "sdkgen.cli", "generate", "--spec", str(spec), "--config",
         str(gen), "--out", str(out)], cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert proc.returncode == 0, proc.stderr
    assert "python.unknownKnob is not supported by sdkgen; ignored" in proc.stderr
    pkg = out / "src/pet_store_sdk"
    assert 'name = "pet-store-sdk"' in (out / "pyproject.toml").read_text()
    assert 'version = "1.2.3"' in (out / "pyproject.toml").read_text()
    sdk = (pkg / "sdk.py").read_text()
    assert "class PetStore" in sdk and "class AsyncPetStore" in sdk and "PETSTORE_" in sdk
    errors = (pkg / "errors.py").read_text() + (pkg / "models/__init__.py").read_text()
    assert "PetStoreDefaultError" in errors and "PetStoreBaseError" in errors
    models = "".join(p.read_text() for p in (pkg / "models").glob("*.py"))
    assert "class Kind(str, Enum):" in models  # enumFormat: enum
    resources = "".join(p.read_text() for p in (pkg / "resources").glob("*.py"))
    start = resources.index("def update_pet(")
    signature = resources[start:resources.index(")", start)]
    # maxMethodParams: 0: the body is one `request` argument, beside the path parameter
    assert "pet_id: int" in signature and "request: Union[" in signature
    assert "name:" not in signature


@pytest.mark.parametrize("order, first", [("parameters-first", "pet_id"), ("body-first", "name")])
def test_flattening_order(tmp_path: Path, order: str, first: str) -> None:
    from sdkgen.pipeline import generate

    spec = _write(tmp_path / "pets.yaml", SPEC)
    gen = _write(tmp_path / "gen.yaml", f"python:\n  packageName: pets\n  flatteningOrder: {order}\n")
    result = generate(spec, load_config(gen, default_config_for(spec)))
    resources = "".join(v for k, v in result.files.items() if "/resources/" in k)
    start = resources.index("def update_pet(")
    args = [line.strip().split(":")[0] for line in
            resources[start:resources.index(")", start)].splitlines()[1:]]
    assert [a for a in args if a in ("pet_id", "name")][0] == first


@pytest.mark.parametrize("flatten, flattened", [(True, True), (False, False)])
def test_flatten_requests_takes_precedence_over_max_method_params(
        tmp_path: Path, flatten: bool, flattened: bool) -> None:
    from sdkgen.format import FormatCache
    from sdkgen.pipeline import generate

    spec = _write(tmp_path / "pets.yaml", SPEC)
    gen = _write(tmp_path / "gen.yaml", f"""\
        python:
          packageName: pets
          maxMethodParams: 1
          flattenRequests: {str(flatten).lower()}
        """)
    cfg = load_config(gen, default_config_for(spec))
    files = generate(spec, cfg, cache=FormatCache(None)).files
    resource = "".join(v for k, v in files.items() if "/resources/" in k)
    start = resource.index("def update_pet(")
    signature = resource[start:resource.index(")", start)]
    assert ("name: str" in signature) is flattened
    assert ("request:" in signature) is not flattened


OPTIONAL_BODY_SPEC = """\
openapi: 3.0.3
info: {title: Pets, version: '1'}
paths:
  /pets:
    post:
      operationId: addPet
      tags: [pets]
      parameters:
        - {name: X-Key, in: header, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/PetInput'}
      responses:
        '200': {description: ok}
  /pets/{petId}:
    put:
      operationId: replacePet
      tags: [pets]
      parameters:
        - {name: petId, in: path, required: true, schema: {type: integer}}
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/PetInput'}
      responses:
        '200': {description: ok}
components:
  schemas:
    PetInput:
      type: object
      properties:
        name: {type: string}
"""


def test_flatten_requests_keeps_an_optional_body_whole_without_path_parameters(
        tmp_path: Path) -> None:
    """As the reference does (bolt's `address_account`): an optional body is one argument
    named after its schema, unless the operation has path parameters."""
    from sdkgen.format import FormatCache
    from sdkgen.pipeline import generate

    spec = _write(tmp_path / "pets.yaml", OPTIONAL_BODY_SPEC)
    gen = _write(tmp_path / "gen.yaml", """\
        python:
          packageName: pets
          flattenRequests: true
        """)
    cfg = load_config(gen, default_config_for(spec))
    files = generate(spec, cfg, cache=FormatCache(None)).files
    resource = "".join(v for k, v in files.items() if "/resources/" in k)
    add = resource[resource.index("def add_pet("):]
    add = add[:add.index(")")]
    assert "pet_input:" in add and "name:" not in add
    replace_ = resource[resource.index("def replace_pet("):]
    replace_ = replace_[:replace_.index(")")]
    assert "name:" in replace_ and "pet_input" not in replace_


def test_flatten_requests_wins_over_the_operation_extension_too(tmp_path: Path) -> None:
    """agentset's `x-speakeasy-max-method-params: 1` operations are flattened anyway."""
    from sdkgen.format import FormatCache
    from sdkgen.pipeline import generate

    spec = _write(tmp_path / "pets.yaml", SPEC.replace(
        "      operationId: updatePet\n",
        "      operationId: updatePet\n      x-speakeasy-max-method-params: 1\n"))
    gen = _write(tmp_path / "gen.yaml", """\
        python:
          packageName: pets
          flattenRequests: true
        """)
    files = generate(spec, load_config(gen, default_config_for(spec)),
                     cache=FormatCache(None)).files
    resource = "".join(v for k, v in files.items() if "/resources/" in k)
    start = resource.index("def update_pet(")
    assert "name: str" in resource[start:resource.index(")", start)]

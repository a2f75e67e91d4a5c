"""The validate stage: every kind of problem the issue names is reported with the pointer and
line of the value at fault, as a warning (an error with --strict), and nothing else is."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sdkgen.diagnostics import ERROR, WARNING, Diagnostic
from sdkgen.load import load
from sdkgen.validate import validate

SPEC_31 = """\
openapi: 3.1.0
info: {title: Pets, version: "1"}
tags:
  - name: pets
  - name: pets
paths:
  /pets/{petId}:
    get:
      operationId: getPet
      parameters:
        - {name: limit, in: query, schema: {type: integer, default: "ten"}}
        - {name: limit, in: query, schema: {type: integer}}
        - {name: owner, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
              examples:
                good: {value: {name: Rex, age: 3}}
                bad: {$ref: "#/components/examples/BadPet"}
  /pets:
    post:
      operationId: createPet
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Pet"}
            example: {name: Rex, age: "three"}
      responses:
        "204": {description: created}
components:
  examples:
    BadPet:
      value: {name: 7}
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        age: {type: integer, nullable: true, default: 1}
        tag: {type: string, examples: [a, 2]}
        other: {$ref: "./more.yaml#/Toy"}
        size: {$ref: "./more.yaml#/Toy/properties/size", default: huge}
    Broken:
      type: object
      required: [a, a]
      properties:
        a: {type: string, pattern: "([a-z]"}
        kind: {oneOf: []}
      default: {a: x}
    Odd:
      $schema: "https://example.com/no-such-dialect"
      type: string
"""

MORE_YAML = """\
Toy:
  type: object
  properties:
    size: {type: number, default: big}
"""

SPEC_30 = """\
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  count: {type: integer, minimum: 0, exclusiveMinimum: 0}
                  flag: {type: boolean, default: "false"}
                  maybe: {type: string, nullable: true, default: null}
                  kind: {type: objekt}
"""


def _write(tmp_path: Path, text: str, **others: str) -> Path:
    for name, body in others.items():
        (tmp_path / name).write_text(body)
    spec = tmp_path / "api.yaml"
    spec.write_text(text)
    return spec


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def _found(diags: list[Diagnostic]) -> set[tuple[str, str]]:
    return {(d.code, d.pointer) for d in diags}


def test_each_problem_in_a_31_spec_is_reported_where_it_is(tmp_path: Path) -> None:
    spec = load(_write(tmp_path, SPEC_31, **{"more.yaml": MORE_YAML}))
    diags = validate(spec)
    pet, broken = "#/components/schemas/Pet", "#/components/schemas/Broken"
    get = "#/paths/~1pets~1{petId}/get"
    expected = {
        ("duplicate-tag", "#/tags/1"),
        ("default-mismatch", f"{get}/parameters/0/schema/default"),
        ("duplicate-parameter", f"{get}/parameters/1"),
        ("undeclared-path-param", get),
        ("unused-path-param", f"{get}/parameters/2"),
        # an Example Object is judged where its value is written, inside the value
        ("example-mismatch", "#/components/examples/BadPet/value/name"),
        ("example-mismatch",
         "#/paths/~1pets/post/requestBody/content/application~1json/example/age"),
        ("version-syntax", f"{pet}/properties/age/nullable"),
        ("example-mismatch", f"{pet}/properties/tag/examples/1"),
        ("default-mismatch", f"{pet}/properties/size/default"),  # a 3.1 `$ref`'s sibling
        ("json-schema", f"{broken}/required"),  # duplicate entries
        ("bad-pattern", f"{broken}/properties/a/pattern"),
        ("json-schema", f"{broken}/properties/kind/oneOf"),  # empty oneOf
        # a value under a schema no engine can compile is said to be unchecked, not passed
        ("default-unchecked", f"{broken}/default"),
        ("unknown-dialect", "#/components/schemas/Odd"),
        ("default-mismatch", "#/Toy/properties/size/default"),  # in the other file
    }
    assert _found(diags) == expected
    assert all(d.severity == WARNING for d in diags)
    by_pointer = {d.pointer: d for d in diags}
    toy = by_pointer["#/Toy/properties/size/default"]
    assert toy.file.endswith("more.yaml") and toy.line == 4
    example = by_pointer["#/components/examples/BadPet/value/name"]
    assert example.line == _line_of(SPEC_31, "value: {name: 7}")
    assert "7 is not of type" in example.message
    assert by_pointer[f"{broken}/properties/a/pattern"].line == _line_of(SPEC_31, '"([a-z]"')
    assert "unknown JSON Schema dialect" in by_pointer["#/components/schemas/Odd"].message


def test_a_30_spec_gets_30_semantics(tmp_path: Path) -> None:
    diags = validate(load(_write(tmp_path, SPEC_30)))
    props = "#/paths/~1pets/get/responses/200/content/application~1json/schema/properties"
    # the numeric exclusiveMinimum gets one specific message, not also the generic one;
    # `default: null` on a nullable property is fine in 3.0
    assert _found(diags) == {
        ("version-syntax", f"{props}/count/exclusiveMinimum"),
        ("default-mismatch", f"{props}/flag/default"),
        ("openapi-schema", f"{props}/kind/type"),
    }
    kind = next(d for d in diags if d.code == "openapi-schema")
    assert kind.line == _line_of(SPEC_30, "objekt") and "objekt" in kind.message


def test_strict_makes_every_finding_an_error(tmp_path: Path) -> None:
    from sdkgen.pipeline import check_spec

    spec_path = _write(tmp_path, SPEC_30)
    lenient, strict = check_spec(spec_path), check_spec(spec_path, strict=True)
    assert [d.pointer for d in strict] == [d.pointer for d in lenient]
    assert {d.severity for d in strict} == {ERROR}
    # validate's own findings are among them, promoted by the pipeline alone
    assert {d.pointer for d in validate(load(spec_path))} <= {d.pointer for d in strict}


def test_cli_prints_file_line_pointer_message_and_a_count(tmp_path: Path) -> None:
    spec_path = _write(tmp_path, SPEC_30)
    proc = subprocess.run([sys.executable, "-m", "sdkgen.cli", "validate", str(spec_path)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout + proc.stderr
    assert "Traceback" not in out
    line = _line_of(SPEC_30, 'default: "false"')
    assert f"api.yaml:{line}: warning: #/paths/~1pets/get/responses/200/content/" \
           "application~1json/schema/properties/flag/default: default does not match its " \
           "schema" in out
    # grouped and counted; build adds its own warning about the unknown type
    assert "0 error(s), 4 warning(s) (default-mismatch: 1, openapi-schema: 1, unknown-type: 1, " \
           "version-syntax: 1)" in out
    proc = subprocess.run([sys.executable, "-m", "sdkgen.cli", "validate", "--strict",
                           str(spec_path)], capture_output=True, text=True, cwd=tmp_path,
                          timeout=120)
    assert proc.returncode == 1 and "4 error(s)" in proc.stdout + proc.stderr


def test_long_values_are_abbreviated_in_messages(tmp_path: Path) -> None:
    big_default = {f"key{i}": "x" * 20 for i in range(40)}
    text = SPEC_30.replace('default: "false"', f"default: {big_default!r}".replace("'", '"'))
    diags = validate(load(_write(tmp_path, text)))
    flag = next(d for d in diags if d.code == "default-mismatch")
    assert len(flag.message) < 200 and "is not of type" in flag.message, flag.message


def test_a_clean_spec_has_no_findings() -> None:
    assert validate(load(Path("specs/friendli/openapi.yaml"))) == []


@pytest.mark.parametrize("text", [
    # shapes a JSON Schema engine cannot take or that could loop a walker
    SPEC_30.replace("kind: {type: objekt}", "kind: {$ref: '#/paths/~1pets/get/responses/200/"
                    "content/application~1json/schema'}"),
    SPEC_30.replace("kind: {type: objekt}", "kind: {type: object, properties: {200: {}}}"),
    SPEC_30.replace("kind: {type: objekt}", "kind: {$ref: '#/nowhere'}"),
    SPEC_30.replace("kind: {type: objekt}", "kind: 5"),
    SPEC_31.replace("tag: {type: string, examples: [a, 2]}", "tag: {$ref: '#/components/schemas/Pet'}"),
])
def test_odd_shapes_give_findings_not_tracebacks(tmp_path: Path, text: str) -> None:
    diags = validate(load(_write(tmp_path, text, **{"more.yaml": MORE_YAML})))
    assert all(d.line is not None and d.pointer.startswith("#") for d in diags)


CONFORMANCE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "conformance"
# "structure": a member of the wrong JSON type where the generator must read it (load.py)
SCHEMA_CODES = {"openapi-schema", "json-schema", "example-and-examples", "structure"}


@pytest.mark.parametrize("path", sorted(CONFORMANCE.glob("oai-3.*/*.yaml")), ids=lambda p: p.name)
def test_the_oai_conformance_suite(path: Path) -> None:
    """The OpenAPI Initiative's examples: each `fail` file gets a finding about its shape,
    no `pass` file does (the link `server` erratum of the packaged 3.1 schema is corrected)."""
    found = {d.code for d in validate(load(path))} & SCHEMA_CODES
    if "-fail" in path.parent.name:
        assert found, path.name
    else:
        assert not found, path.name


@pytest.mark.slow
def test_the_document_check_agrees_with_openapi_spec_validator_on_the_corpus() -> None:
    """Reference: openapi-spec-validator's document check (python-jsonschema). Wherever it
    finds the document invalid we report an openapi-schema finding, and where it finds
    none, neither do we."""
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
    from openapi_spec_validator.schemas import schema_v30, schema_v31
    from openapi_spec_validator.schemas.backend.jsonschema import create_validator

    from sdkgen.conformance import conformance_findings

    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    specs = [p for p in sorted((corpus / "llm").iterdir()) if "swagger" not in p.name]
    checked = 0
    for path in specs:
        try:
            spec = load(path)
        except Exception:
            continue
        version = str(spec.root.get("openapi"))
        if not version.startswith(("3.0", "3.1")):
            continue
        reference = create_validator(dict(schema_v30 if version.startswith("3.0") else schema_v31))
        assert OpenAPIV30SpecValidator and OpenAPIV31SpecValidator  # the package is the reference
        theirs = {tuple(e.absolute_path) for e in reference.iter_errors(spec.root)}
        # in 3.0 a 3.1 keyword is reported as version-syntax instead (a 3.1 `nullable` is not
        # a document error: the 3.1 schema leaves Schema Objects to their dialect)
        codes = ("openapi-schema", "version-syntax") if version.startswith("3.0") else (
            "openapi-schema",)
        ours = [d for d in conformance_findings(spec) if d.code in codes]
        assert bool(theirs) == bool(ours), (path.name, sorted(theirs)[:3], ours[:3])
        for where in theirs:  # each of their findings is under one of ours or holds one
            pointer = "#" + "".join(f"/{str(t).replace('~', '~0').replace('/', '~1')}" for t in where)
            assert any(d.pointer.startswith(pointer) or pointer.startswith(d.pointer)
                       for d in ours), (path.name, pointer)
        checked += 1
    assert checked >= 8  # every 3.0 and 3.1 spec of corpus/llm


def test_a_failing_schema_engine_is_a_warning_not_a_traceback(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sdkgen import validate as validate_mod

    def broken(spec: object) -> list[Diagnostic]:
        raise RuntimeError("engine broke")

    monkeypatch.setattr(validate_mod, "conformance_findings", broken)
    diags = validate(load(_write(tmp_path, SPEC_30)))
    assert [(d.code, d.pointer) for d in diags] == [("checks-incomplete", "#")]
    assert "RuntimeError: engine broke" in diags[0].message

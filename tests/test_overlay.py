"""OpenAPI Overlay 1.0 (`--overlay FILE`, generator/overlay.py): update/remove/append
semantics, several overlays in order, diagnostics located in the overlay file, the CLI end
to end, and a real overlay: the vendor's OpenRouter customisations, reconstructed."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import REPO, SHARED

from sdkgen.load import load
from sdkgen.overlay import _string_keys, apply_overlays

SPEC = """\
openapi: 3.1.0
info: {title: Pets, version: '1'}
tags:
  - name: pets
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: legacy, in: query, schema: {type: string}}
      responses:
        200:
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
    post:
      operationId: createPet
      tags: [pets]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '200': {description: ok}
  /internal:
    get:
      operationId: internalStats
      responses:
        '200': {description: ok}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        kind: {type: string, enum: [cat, dog]}
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text))
    return p


def _spec(tmp_path: Path) -> Path:
    return _write(tmp_path, "openapi.yaml", SPEC)


def _apply(tmp_path: Path, *overlays: str):  # type: ignore[no-untyped-def]
    spec = load(_spec(tmp_path))
    paths = [_write(tmp_path, f"o{i}.yaml", text) for i, text in enumerate(overlays)]
    return spec, apply_overlays(spec, paths)


def test_update_deep_merges_objects_and_appends_to_arrays(tmp_path: Path) -> None:
    spec, diags = _apply(tmp_path, """\
        overlay: 1.0.0
        info: {title: t, version: '1'}
        actions:
          - target: $.components.schemas.Pet
            update:
              description: A pet.
              required: [kind]
              properties:
                kind: {enum: [bird], x-speakeasy-unknown-values: allow}
                age: {type: integer}
          - target: $.paths['/pets'].get.parameters
            update: {name: offset, in: query, schema: {type: integer}}
          - target: $.tags
            update: [{name: a}, {name: b}]
          - target: $.info.title
            update: Better pets
        """)
    assert diags == []
    pet = spec.root["components"]["schemas"]["Pet"]
    assert pet["description"] == "A pet."
    assert pet["required"] == ["name", "kind"]  # arrays inside an update are appended to
    assert pet["properties"]["kind"] == {"type": "string", "enum": ["cat", "dog", "bird"],
                                         "x-speakeasy-unknown-values": "allow"}
    assert pet["properties"]["age"] == {"type": "integer"}
    names = [p["name"] for p in spec.root["paths"]["/pets"]["get"]["parameters"]]
    assert names == ["limit", "legacy", "offset"]  # an update targeting an array appends
    assert [t["name"] for t in spec.root["tags"]] == ["pets", "a", "b"]
    assert spec.root["info"]["title"] == "Better pets"  # a scalar target is replaced


def test_remove_objects_and_array_items_and_wildcards(tmp_path: Path) -> None:
    spec, diags = _apply(tmp_path, """\
        overlay: 1.0.0
        info: {title: t, version: '1'}
        actions:
          - target: $.paths['/internal']
            remove: true
          - target: $.paths.*.*.parameters[?@.name == 'legacy' || @.name == 'limit']
            remove: true
          - target: $.paths['/pets'].get.responses['200']
            update: {description: pets}
        """)
    assert diags == []
    assert list(spec.root["paths"]) == ["/pets"]
    assert spec.root["paths"]["/pets"]["get"]["parameters"] == []
    # YAML's int key 200 is the JSON name '200' for the JSONPath (and stays in place)
    assert list(spec.root["paths"]["/pets"]["get"]["responses"]) == ["200"]
    assert spec.root["paths"]["/pets"]["get"]["responses"]["200"]["description"] == "pets"


def test_overlays_apply_in_order_and_copies_are_independent(tmp_path: Path) -> None:
    first = """\
        overlay: 1.0.0
        info: {title: first, version: '1'}
        actions:
          - target: $.paths.*.*
            update: {x-speakeasy-group: animals, x-meta: {seen: [first]}}
        """
    second = """\
        overlay: 1.0.0
        info: {title: second, version: '1'}
        actions:
          - target: $.paths['/pets'].get
            update: {x-speakeasy-group: pets.read, x-meta: {seen: [second]}}
          - target: $.paths['/pets'].post['x-speakeasy-group']
            remove: true
        """
    spec, diags = _apply(tmp_path, first, second)
    assert diags == []
    paths = spec.root["paths"]
    assert paths["/pets"]["get"]["x-speakeasy-group"] == "pets.read"
    assert paths["/pets"]["get"]["x-meta"] == {"seen": ["first", "second"]}
    assert "x-speakeasy-group" not in paths["/pets"]["post"]
    assert paths["/internal"]["get"]["x-meta"] == {"seen": ["first"]}  # not shared with /pets
    # the other order gives the other result
    spec2, _ = _apply(tmp_path, second.replace("pets.read", "x"), first)
    assert spec2.root["paths"]["/pets"]["get"]["x-speakeasy-group"] == "animals"


def test_bad_overlays_are_located_in_the_overlay_file(tmp_path: Path) -> None:
    spec = load(_spec(tmp_path))
    not_overlay = _write(tmp_path, "not.yaml", "openapi: 3.1.0\ninfo: {title: t}\n")
    # findings are values (errors included); the pipeline stops on them
    (d,) = apply_overlays(spec, [not_overlay])
    assert d.severity == "error" and "not an OpenAPI Overlay document" in d.message
    assert d.file.endswith("not.yaml")

    bad = _write(tmp_path, "bad.yaml", """\
        overlay: 1.0.0
        info: {title: t, version: '1'}
        actions:
          - target: $.paths['/nowhere']
            update: {x-a: 1}
          - target: $.paths[?
            remove: true
          - target: $.info
            remove: maybe
        """)
    by_ptr = {d.pointer: d for d in apply_overlays(spec, [bad])}
    nothing = by_ptr["#/actions/0/target"]
    assert nothing.severity == "warning" and "matches nothing" in nothing.message
    assert nothing.line == 4 and nothing.file.endswith("bad.yaml") and nothing.code == "overlay"
    syntax = by_ptr["#/actions/1/target"]
    assert syntax.severity == "error" and "invalid JSONPath" in syntax.message
    assert syntax.line == 6
    assert by_ptr["#/actions/2/remove"].severity == "error"
    assert "line 4" not in nothing.format() and nothing.format().startswith(
        f"{nothing.file}:4: warning: #/actions/0/target: action 0")
    # an overlay that cannot be read ends the list, after what the earlier ones found
    *before, unreadable = apply_overlays(spec, [bad, tmp_path / "missing.yaml"])
    assert [d.pointer for d in before] == list(by_ptr)
    assert (unreadable.severity, unreadable.code) == ("error", "overlay")
    assert "cannot read overlay" in unreadable.message and unreadable.file.endswith(
        "missing.yaml")


def test_a_target_matching_nothing_is_only_a_warning(tmp_path: Path) -> None:
    spec, diags = _apply(tmp_path, """\
        overlay: 1.0.0
        info: {title: t, version: '1'}
        actions:
          - target: $.paths['/gone']
            remove: true
          - target: $.info
            update: {title: still applied}
        """)
    assert [d.severity for d in diags] == ["warning"]
    assert spec.root["info"]["title"] == "still applied"


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sdkgen.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=str(REPO)))


def test_cli_overlay_end_to_end(tmp_path: Path) -> None:
    spec = _spec(tmp_path)
    overlay = _write(tmp_path, "sdk.overlay.yaml", """\
        overlay: 1.0.0
        info: {title: SDK names, version: '1'}
        actions:
          - target: $.paths['/internal']
            remove: true
          - target: $.paths['/pets'].get
            update: {x-speakeasy-name-override: list, summary: List every pet.}
          - target: $.paths['/pets'].get.parameters[?@.name == 'legacy']
            remove: true
        """)
    plain, changed = tmp_path / "plain", tmp_path / "changed"
    assert _cli("generate", "--spec", str(spec), "--out", str(plain), cwd=tmp_path).returncode == 0
    proc = _cli("generate", "--spec", str(spec), "--out", str(changed), "--overlay", str(overlay),
                cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "2 operations" in proc.stdout
    before = (plain / "src/pets_client/resources/pets.py").read_text()
    after = (changed / "src/pets_client/resources/pets.py").read_text()
    assert "def list_pets(" in before and "legacy" in before
    assert "def list(" in after and "List every pet." in after and "legacy" not in after
    assert "internal_stats" in (plain / "src/pets_client/sdk.py").read_text()
    assert "internal_stats" not in (changed / "src/pets_client/sdk.py").read_text()
    # check and validate take the same overlays
    proc = _cli("check", "--spec", str(spec), "--out", str(changed), "--overlay", str(overlay),
                cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = _cli("check", "--spec", str(spec), "--out", str(changed), cwd=tmp_path)
    assert proc.returncode == 1  # without the overlay the output is stale
    bad = _write(tmp_path, "bad.overlay.yaml", """\
        overlay: 1.0.0
        info: {title: t, version: '1'}
        actions:
          - target: $..[?@.enum
            update: {x-speakeasy-unknown-values: allow}
        """)
    proc = _cli("validate", str(spec), "--overlay", str(bad), cwd=tmp_path)
    assert proc.returncode == 1
    assert "bad.overlay.yaml:4: error: #/actions/0/target: action 0: invalid JSONPath" in proc.stdout
    proc = _cli("generate", "--spec", str(spec), "--out", str(changed), "--overlay", str(bad),
                cwd=tmp_path)
    assert proc.returncode == 1 and "invalid JSONPath" in proc.stderr
    assert "def list(" in (changed / "src/pets_client/resources/pets.py").read_text()  # left unchanged


OPENROUTER = SHARED / "corpus/llm"


@pytest.mark.skipif(not (OPENROUTER / "openrouter.in.openapi.yaml").exists(),
                    reason="corpus not available")
def test_reconstructed_openrouter_overlay_turns_in_into_out() -> None:
    """The vendor's overlays (open enums, attribution headers, removed RSS options, tags,
    nullable fields...) as one Overlay 1.0 document: applied to the published "in"
    description it gives the "out" one, node for node."""
    spec_in = load(OPENROUTER / "openrouter.in.openapi.yaml")
    diags = apply_overlays(spec_in, [REPO / "tests/fixtures/openrouter.overlay.yaml"])
    assert diags == []
    spec_out = load(OPENROUTER / "openrouter.out.openapi.yaml")
    _string_keys(spec_out.root)  # as an overlay run does: JSON names are strings
    assert spec_in.root == spec_out.root

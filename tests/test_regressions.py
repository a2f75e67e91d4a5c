"""Every crash and broken output found by fuzzing (issue 9), kept as a spec: sdkgen either
refuses it with located errors and writes nothing, or writes an SDK that compiles, imports,
builds its validators and has whole markdown tables (the fuzzer's oracle, tests/support/
fuzz.py). Specs under tests/regressions/ (what each must give: _expected.yaml); the large
ones are made here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.fuzz import REGRESSIONS, Outcome, iter_regressions, run_case

pytestmark = pytest.mark.slow
EXPECTED: dict[str, dict[str, str]] = yaml.safe_load(
    (REGRESSIONS / "_expected.yaml").read_text(encoding="utf-8"))


def _judge(outcome: Outcome, expected: dict[str, str]) -> None:
    assert outcome.ok, outcome.detail
    if "outcome" in expected:
        assert outcome.kind == expected["outcome"], outcome.stderr or outcome.detail
    if "code" in expected:
        summary = [line for line in outcome.stderr.splitlines() if " error(s), " in line]
        assert summary and f"{expected['code']}: " in summary[-1], outcome.stderr
    if "message" in expected:
        assert expected["message"] in outcome.stderr, outcome.stderr


@pytest.mark.parametrize("spec", list(iter_regressions()), ids=lambda p: p.name)
def test_regression_spec(spec: Path, tmp_path: Path) -> None:
    outcome = run_case(spec, tmp_path / "out")
    _judge(outcome, EXPECTED.get(spec.name, {}))


def test_every_expectation_names_a_spec() -> None:
    assert set(EXPECTED) <= {p.name for p in iter_regressions()}


# ---- large hostile specs, made here --------------------------------------------------------------
def _spec(schemas: dict[str, Any], root: str = "A", **extra: Any) -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"get": {"operationId": "getX", **extra, "responses": {"200": {
                "description": "ok", "content": {"application/json": {"schema": {
                    "$ref": f"#/components/schemas/{root}"}}}}}}}},
            "components": {"schemas": schemas}}


def _nested(keyword: str, depth: int) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "string"}
    for _ in range(depth):
        if keyword == "properties":
            node = {"type": "object", "properties": {"p": node}}
        elif keyword == "items":
            node = {"type": "array", "items": node}
        else:
            node = {"type": "object", "additionalProperties": node}
    return node


def _dump_nested(doc: dict[str, Any]) -> str:
    import sys

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(10_000)
    try:
        return json.dumps(doc)
    finally:
        sys.setrecursionlimit(limit)


@pytest.mark.parametrize("keyword,depth", [("properties", 300), ("properties", 200),
                                           ("items", 200), ("additionalProperties", 200)])
def test_deep_inline_nesting_is_a_located_error(keyword: str, depth: int, tmp_path: Path) -> None:
    """Was: RecursionError in build (300), or an SDK that does not import (200)."""
    spec = tmp_path / "deep.json"
    spec.write_text(_dump_nested(_spec({"A": _nested(keyword, depth)})))
    _judge(run_case(spec, tmp_path / "out"),
           {"outcome": "refused", "code": "too-deep", "message": "more than 64 levels"})


def test_inline_nesting_within_the_limit_gives_an_sdk(tmp_path: Path) -> None:
    spec = tmp_path / "deep.json"
    spec.write_text(json.dumps(_spec({"A": {"type": "object", "properties": {
        "i": _nested("items", 60), "m": _nested("additionalProperties", 60),
        "p": _nested("properties", 60)}}})))
    _judge(run_case(spec, tmp_path / "out"), {"outcome": "sdk"})


def test_a_1500_long_ref_chain_is_a_located_error(tmp_path: Path) -> None:
    """Was: RecursionError in build/naming; refusing it names the chain's depth (the SDK
    could not be imported: Python's imports nest ~7 frames per module)."""
    schemas: dict[str, Any] = {"A": {"type": "object", "properties": {
        "n": {"$ref": "#/components/schemas/C0"}}}}
    for i in range(1500):
        schemas[f"C{i}"] = {"type": "object", "properties": {
            "n": {"$ref": f"#/components/schemas/C{i + 1}"}}}
    schemas["C1500"] = {"type": "string"}
    spec = tmp_path / "chain.json"
    spec.write_text(json.dumps(_spec(schemas)))
    _judge(run_case(spec, tmp_path / "out"),
           {"outcome": "refused", "code": "too-deep", "message": "a chain of 1501 modules"})


def test_a_ref_chain_within_the_limit_gives_an_sdk(tmp_path: Path) -> None:
    schemas: dict[str, Any] = {"A": {"$ref": "#/components/schemas/C0"}}
    for i in range(90):
        schemas[f"C{i}"] = {"type": "object", "properties": {
            "n": {"$ref": f"#/components/schemas/C{i + 1}"}}}
    schemas["C90"] = {"type": "string"}
    spec = tmp_path / "chain.json"
    spec.write_text(json.dumps(_spec(schemas)))
    _judge(run_case(spec, tmp_path / "out"), {"outcome": "sdk"})


def test_a_long_cycle_of_models_is_a_located_error(tmp_path: Path) -> None:
    """120 models in one cycle: pydantic completes them recursively (RecursionError on
    import past ~90)."""
    schemas: dict[str, Any] = {"A": {"$ref": "#/components/schemas/C0"}}
    for i in range(120):
        schemas[f"C{i}"] = {"type": "object", "properties": {
            "n": {"$ref": f"#/components/schemas/C{(i + 1) % 120}"}}}
    spec = tmp_path / "ring.json"
    spec.write_text(json.dumps(_spec(schemas)))
    _judge(run_case(spec, tmp_path / "out"),
           {"outcome": "refused", "code": "too-deep", "message": "120 models that complete"})


def test_json_nested_1000_levels_is_a_located_error(tmp_path: Path) -> None:
    """Was: RecursionError in json.loads."""
    spec = tmp_path / "deep.json"
    spec.write_text('{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},\n"paths": {},'
                    '\n"x-deep": ' + '{"a": ' * 1000 + "1" + "}" * 1000 + "}")
    outcome = run_case(spec, tmp_path / "out")
    _judge(outcome, {"outcome": "refused", "code": "too-deep"})
    assert "deep.json:3: error" in outcome.stderr


def test_huge_names_give_short_file_names(tmp_path: Path) -> None:
    """Was: OSError: File name too long (a 300-character tag, a 10,000-character name)."""
    name = "N" * 10_000
    doc = _spec({name: {"type": "object", "properties": {"a": {"type": "string"}}}}, root=name,
                tags=["t" * 300])
    spec = tmp_path / "long.json"
    spec.write_text(json.dumps(doc))
    outcome = run_case(spec, tmp_path / "out")
    _judge(outcome, {"outcome": "sdk"})
    longest = max(len(p.name) for p in (tmp_path / "out").rglob("*"))
    assert longest <= 80


def test_yaml_alias_bomb_is_a_located_error(tmp_path: Path) -> None:
    """A small YAML document whose aliases expand to billions of nodes."""
    lines = ["openapi: 3.1.0", "info: {title: t, version: '1'}", "paths: {}",
             "x-a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"x-{name}: &{name} [{', '.join(['*' + prev] * 10)}]")
    spec = tmp_path / "bomb.yaml"
    spec.write_text("\n".join(lines) + "\n")
    _judge(run_case(spec, tmp_path / "out"), {"outcome": "refused", "code": "alias-expansion"})


# ---- the pieces, in process ----------------------------------------------------------------------
def test_a_redefined_anchor_means_the_latest_definition(tmp_path: Path) -> None:
    """YAML 1.2: an alias names the most recent node with its anchor (PyYAML refused the
    second definition: OpenAI's specs of April-May 2024 have one)."""
    from sdkgen.load import load

    spec = load(REGRESSIONS / "anchor-redefined.yaml")
    props = spec.root["components"]["schemas"]["A"]["properties"]
    assert props["early"]["description"] == "first definition"
    assert props["late"]["description"] == "second definition"


def test_an_unparseable_file_says_what_and_where(tmp_path: Path) -> None:
    from sdkgen.diagnostics import SpecError
    from sdkgen.load import load

    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\nx: *nowhere\n")
    with pytest.raises(SpecError) as exc:
        load(bad)
    d = exc.value.diagnostics[0]
    assert d.line == 4 and "undefined alias" in d.message and "column 4" in d.message


def test_refs_outside_the_folder_need_the_option(tmp_path: Path) -> None:
    from sdkgen.load import load

    (tmp_path / "shared.yaml").write_text("Pet: {type: string}\n")
    (tmp_path / "api").mkdir()
    root = tmp_path / "api" / "openapi.yaml"
    root.write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n")
    with pytest.raises(KeyError, match="outside the spec's folder"):
        load(root).resolve("../shared.yaml#/Pet", root.resolve())
    node, _, _ = load(root, allow_ref_outside=True).resolve("../shared.yaml#/Pet", root.resolve())
    assert node == {"type": "string"}


def test_a_spec_from_a_url_reads_no_local_file(tmp_path: Path) -> None:
    from sdkgen.load import load

    (tmp_path / "schemas.yaml").write_text("Pet: {type: string}\n")
    root = tmp_path / "openapi.yaml"
    root.write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n")
    with pytest.raises(KeyError, match="refusing to read the local file"):
        load(root, allow_local_refs=False).resolve("schemas.yaml#/Pet", root.resolve())
    # its own pointers still resolve
    assert load(root, allow_local_refs=False).resolve("#/info", root.resolve())[0]["title"] == "t"


def test_reads_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sdkgen import load as load_module
    from sdkgen.diagnostics import SpecError

    spec = tmp_path / "big.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n" + "#" * 2000)
    monkeypatch.setattr(load_module, "MAX_DOCUMENT_BYTES", 1000)
    with pytest.raises(SpecError, match="larger than"):
        load_module.read_document(spec)
    with pytest.raises(SpecError, match="not a regular file"):
        load_module.read_document(Path("/dev/zero"))


@pytest.mark.parametrize("name,stem", [
    ("Class", "Class_"), ("None", "None_"), ("Con", "Con_"), ("NUL", "NUL_"), ("Lpt1", "Lpt1_"),
    ("Pet", "Pet"), ("Match", "Match"), ("Com10", "Com10"),
])
def test_safe_file_stems(name: str, stem: str) -> None:
    from sdkgen.naming import safe_file_stem

    assert safe_file_stem(name) == stem


def test_long_names_are_cut_and_stay_apart() -> None:
    from sdkgen.naming import MAX_NAME, safe_file_stem

    a, b = safe_file_stem("N" * 10_000), safe_file_stem("N" * 9_999 + "M")
    assert len(a) == len(b) == MAX_NAME and a != b and a.isidentifier()


HISTORY = sorted((REGRESSIONS.parents[2] / "shared" / "corpus" / "history" / "openai").glob(
    "*.yaml"))


@pytest.mark.skipif(not HISTORY, reason="no history corpus beside the repo")
@pytest.mark.parametrize("spec", HISTORY, ids=lambda p: p.name)
def test_every_openai_history_spec_loads_validates_and_builds(spec: Path) -> None:
    """Every one of them defines an anchor twice (was: `not valid YAML or JSON: second
    occurrence`); `make corpus`-style generation of each is in the fuzz note."""
    from sdkgen.build import build
    from sdkgen.diagnostics import ERROR
    from sdkgen.load import load
    from sdkgen.validate import validate

    loaded = load(spec)
    assert not [d for d in validate(loaded) if d.severity == ERROR]
    api, diags = build(loaded)
    assert not [d for d in diags if d.severity == ERROR] and api.types


def test_a_percent_encoded_ref_is_the_same_schema() -> None:
    """`#/components/schemas/a%20b` and the component walk's `#/components/schemas/a b` are
    one pointer: one type, not two classes of one schema."""
    from sdkgen.build import build
    from sdkgen.load import load
    from sdkgen.model import ObjectType

    api, _ = build(load(REGRESSIONS / "ref-percent-encoded.yaml"))
    objects = [t for t in api.types if isinstance(t, ObjectType)]
    assert [t.key for t in objects] == ["#/components/schemas/a b"]


def test_a_pointer_with_a_space_prints_percent_encoded() -> None:
    from sdkgen.diagnostics import ERROR, Diagnostic

    line = Diagnostic(ERROR, "#/components/schemas/a b\nc", "m", file="s.yaml", line=3).format()
    assert line == "s.yaml:3: error: #/components/schemas/a%20b%0Ac: m"

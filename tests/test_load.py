"""Stage 1: load."""

from __future__ import annotations

from pathlib import Path

import pytest

from sdkgen.diagnostics import SpecError
from sdkgen.docparse import _LineIndex
from sdkgen.load import load, read_document, split_path_key

MINI = """openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'schemas.yaml#/Pet'}
"""


def test_yaml_and_cross_file_ref(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(MINI)
    (tmp_path / "schemas.yaml").write_text("Pet:\n  type: object\n  properties:\n    id: {type: integer}\n")
    spec = load(tmp_path / "api.yaml")
    node, file, ptr = spec.resolve("schemas.yaml#/Pet", spec.root_path)
    assert node["properties"]["id"] == {"type": "integer"}
    assert file.name == "schemas.yaml" and ptr == "#/Pet"


def test_json_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "api.json").write_text('{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}')
    assert load(tmp_path / "api.json").root["openapi"] == "3.0.3"


def test_dates_stay_strings(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("openapi: 3.0.0\ninfo: {title: t, version: 2024-01-01}\npaths: {}\n")
    assert load(tmp_path / "a.yaml").root["info"]["version"] == "2024-01-01"


def test_not_yaml_reports_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("openapi: 3.0.0\ninfo: [unclosed\n  x: y: z\n")
    with pytest.raises(SpecError) as exc:
        load(tmp_path / "bad.yaml")
    d = exc.value.diagnostics[0]
    assert "not valid YAML or JSON" in d.message and d.line is not None and d.file.endswith("bad.yaml")


def test_not_openapi_3(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("openapi: 2.5.0\ninfo: {}\n")
    with pytest.raises(SpecError) as exc:
        load(tmp_path / "x.yaml")
    assert exc.value.diagnostics[0].pointer == "#/openapi"
    assert exc.value.diagnostics[0].line == 1


def test_swagger_2_is_refused_with_a_converter_named(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_text("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n")
    with pytest.raises(SpecError) as exc:
        load(tmp_path / "s.yaml")
    assert "swagger2openapi" in exc.value.diagnostics[0].message


def test_a_list_is_not_a_spec(tmp_path: Path) -> None:
    (tmp_path / "l.json").write_text("[1, 2]")
    with pytest.raises(SpecError, match="not a mapping"):
        load(tmp_path / "l.json")


@pytest.mark.parametrize("key,expected", [
    ("/a/b", ("/a/b", "", {})),
    ("/v1/chat/completions#stream", ("/v1/chat/completions", "stream", {})),
    ("/assistants?beta=true", ("/assistants", "", {"beta": "true"})),
])
def test_path_keys_with_fragment_or_query(key: str, expected: tuple) -> None:
    assert split_path_key(key) == expected


LINES = """\
a: &a
  x: 1
  y: 2
m:
  <<: *a
  x: 3
dup: 1
dup: {k: 1}
s:
  - *a
  - [v]
"""


def test_lines_are_those_of_the_yaml_as_written(tmp_path: Path) -> None:
    """The line tree the parse makes (before merge keys rewrite its node tree) and the one
    made on the first lookup agree: the first of duplicate keys, a merged key only under
    `<<`, an alias at its anchor, the deepest node found for a pointer that goes further."""
    (tmp_path / "lines.yaml").write_text(LINES)
    from_parse = read_document(tmp_path / "lines.yaml").lines
    expected = {"#/m/x": 6, "#/m/y": 5, "#/m/<</y": 3, "#/dup": 7, "#/dup/k": 7, "#/s/0/x": 2,
                "#/s/1/0": 11, "#/s/01": 11, "#/s/2": 10, "#/nope": 1, "#": 1}
    for lines in (from_parse, _LineIndex(LINES)):
        assert {p: lines.line_of(p) for p in expected} == expected


@pytest.mark.parametrize("text", [
    '{"a": [1, {"b\\"c": 2}], "a": 3}',  # escaped key; the first of duplicate keys
    '[\n1,\n"x\\\\"\n]',
    '{\n  "k":\n    {"x\\u00e9": null, "n": -1.5e3, "t": true}\n}',
    "{}",
])
def test_json_line_tree_matches_yaml_composer(text: str) -> None:
    from sdkgen.docparse import _compose, _json_line_tree, _line_tree

    assert _json_line_tree(text) == _line_tree(_compose(text))


def test_json_line_tree_on_the_corpus_json_specs() -> None:
    """JSON specs get their line numbers from a tokenizer (YAML's composer takes seconds on
    them): the same line for every node as the composer gives."""
    from sdkgen.docparse import _compose, _json_line_tree, _line_tree

    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    paths = sorted(corpus.rglob("*.json"))
    assert any(p.name == "twilio_api_v2010.json" for p in paths)
    for path in paths:
        text = path.read_text()
        if not text.lstrip().startswith(("{", "[")):
            continue
        assert _json_line_tree(text) == _line_tree(_compose(text)), path.name


@pytest.mark.parametrize("text", ['{"a": 1', "{1: 2}", "{} {}"])
def test_json_line_tree_refuses_what_is_not_json(text: str) -> None:
    from sdkgen.docparse import _json_line_tree

    with pytest.raises(ValueError):
        _json_line_tree(text)

"""The whole-output cache (generator/outcache.py): an unchanged run is answered from it,
and every input that decides the output makes it miss."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from sdkgen import outcache, pipeline
from sdkgen import render as render_mod
from sdkgen.config import default_config_for
from sdkgen.diagnostics import SpecError
from sdkgen.format import FormatCache
from sdkgen.write import stale_files

SPEC = """\
openapi: 3.0.3
info: {title: Pets, version: "1.0"}
servers: [{url: "https://pets.example"}]
paths:
  /pets/{petId}:
    get:
      operationId: getPet
      summary: Get a pet
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "./schemas.yaml#/Pet"}
"""

SCHEMAS = """\
Pet:
  type: object
  required: [name]
  properties:
    name: {type: string}
"""


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A spec (with a referenced file and one warning: the undeclared path parameter), a
    private cache folder, and a counter of real (uncached) pipeline runs."""
    monkeypatch.setenv("SDKGEN_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    spec = tmp_path / "api" / "openapi.yaml"
    spec.parent.mkdir()
    spec.write_text(SPEC)
    (spec.parent / "schemas.yaml").write_text(SCHEMAS)
    runs = []
    real = pipeline._generate

    def counting(*args: Any, **kwargs: Any) -> pipeline.Result:
        runs.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_generate", counting)
    return {"spec": spec, "cfg": default_config_for(spec), "runs": runs, "tmp": tmp_path}


def _gen(env: dict[str, Any], **kw: Any) -> pipeline.Result:
    kw.setdefault("cfg", env["cfg"])
    return pipeline.generate(env["spec"], **kw)


def test_second_run_is_a_hit_with_same_files_and_diagnostics(env: dict[str, Any]) -> None:
    first = _gen(env)
    assert first.report.warnings, "the fixture spec should produce a warning"
    second = _gen(env)
    assert len(env["runs"]) == 1
    assert second.files == first.files
    assert second.report.items == first.report.items
    assert second.operations == first.operations == 1
    assert list((env["tmp"] / "cache" / "output").rglob("*")), "entry stored on disk"


def test_changing_a_spec_byte_misses(env: dict[str, Any]) -> None:
    first = _gen(env)
    env["spec"].write_text(SPEC.replace("Get a pet", "Get a pat"))
    second = _gen(env)
    assert len(env["runs"]) == 2
    assert second.files != first.files
    assert any("Get a pat" in t for t in second.files.values())


def test_changing_a_referenced_file_misses(env: dict[str, Any]) -> None:
    first = _gen(env)
    (env["spec"].parent / "schemas.yaml").write_text(SCHEMAS + "    age: {type: integer}\n")
    second = _gen(env)
    assert len(env["runs"]) == 2
    assert second.files != first.files
    assert any("age" in t for t in second.files.values())


def test_changing_the_config_misses(env: dict[str, Any]) -> None:
    _gen(env)
    cfg = dataclasses.replace(env["cfg"], env_prefix="OTHER")
    second = _gen(env, cfg=cfg)
    assert len(env["runs"]) == 2
    assert any("OTHER_SERVER_URL" in t for t in second.files.values())
    _gen(env, cfg=cfg)
    assert len(env["runs"]) == 2


def test_strict_misses_and_reports_errors(env: dict[str, Any]) -> None:
    _gen(env)
    with pytest.raises(SpecError) as exc:
        _gen(env, strict=True)
    assert any(d.severity == "error" for d in exc.value.diagnostics)
    assert len(env["runs"]) == 2


def test_extra_inputs_are_part_of_the_key(env: dict[str, Any]) -> None:
    overlay = env["tmp"] / "overlay.yaml"
    overlay.write_text("overlay: 1.0.0\n")
    _gen(env, extra_inputs=[overlay])
    _gen(env, extra_inputs=[overlay])
    assert len(env["runs"]) == 1
    overlay.write_text("overlay: 1.0.0\nactions: []\n")
    _gen(env, extra_inputs=[overlay])
    assert len(env["runs"]) == 2
    _gen(env)  # without the overlay: another slot
    assert len(env["runs"]) == 3


def test_changing_a_template_misses(env: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    templates = env["tmp"] / "templates"
    shutil.copytree(render_mod.templates_dir(), templates)
    monkeypatch.setattr(render_mod, "templates_dir", lambda: templates)
    render_mod.environment.cache_clear()
    outcache.generator_fingerprint.cache_clear()
    try:
        first = _gen(env)
        _gen(env)
        assert len(env["runs"]) == 1
        readme = templates / "sdk" / "README.md.j2"
        readme.write_text(readme.read_text() + "\nA line added to the template.\n")
        outcache.generator_fingerprint.cache_clear()  # a new process computes it afresh
        second = _gen(env)
        assert len(env["runs"]) == 2
        assert "A line added to the template." in second.files["README.md"]
        assert "A line added to the template." not in first.files["README.md"]
    finally:
        render_mod.environment.cache_clear()
        outcache.generator_fingerprint.cache_clear()


def test_generator_fingerprint_covers_code_and_templates(tmp_path: Path) -> None:
    pkg, tpl = tmp_path / "generator", tmp_path / "templates"
    (pkg / "render").mkdir(parents=True)
    (pkg / "parse").mkdir()
    (tpl / "sdk").mkdir(parents=True)
    (pkg / "a.py").write_text("x = 1\n")
    (pkg / "render" / "b.py").write_text("y = 1\n")
    (pkg / "parse" / "d.py").write_text("v = 1\n")
    (tpl / "sdk" / "c.j2").write_text("{{ z }}\n")
    seen = {outcache.fingerprint_of(pkg, tpl)}
    for path, text in [(pkg / "a.py", "x = 2\n"), (pkg / "render" / "b.py", "y = 2\n"),
                       (pkg / "parse" / "d.py", "v = 2\n"),
                       (tpl / "sdk" / "c.j2", "{{ w }}\n")]:
        path.write_text(text)
        seen.add(outcache.fingerprint_of(pkg, tpl))
    assert len(seen) == 5


def test_other_fingerprint_misses(env: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    _gen(env)
    monkeypatch.setattr(outcache, "generator_fingerprint", lambda: "another generator")
    _gen(env)
    assert len(env["runs"]) == 2


def test_missing_referenced_file_that_appears_misses(tmp_path: Path) -> None:
    cache = outcache.OutputCache(tmp_path / "c")
    absent = tmp_path / "later.yaml"
    doc = tmp_path / "a.yaml"
    doc.write_text("a: 1\n")
    inputs = outcache.inputs_of({doc: outcache.file_hashes([doc])[str(doc)]}, [absent])  # type: ignore[index]
    cache.put("slot", inputs, outcache.Entry({"f.py": "x = 1\n"}, [], 0))
    assert cache.get("slot") is not None
    absent.write_text("b: 2\n")
    assert cache.get("slot") is None


def test_corrupt_entry_is_a_miss(env: dict[str, Any]) -> None:
    first = _gen(env)
    for entry in (env["tmp"] / "cache" / "output").rglob("*"):
        if entry.is_file():
            data = entry.read_bytes()
            entry.write_bytes(data[: len(data) // 2])
    second = _gen(env)
    assert len(env["runs"]) == 2
    assert second.files == first.files


def test_cache_off(env: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SDKGEN_CACHE", "off")
    _gen(env)
    _gen(env)
    assert len(env["runs"]) == 2
    assert not (env["tmp"] / "cache").exists()
    monkeypatch.delenv("SDKGEN_CACHE")
    _gen(env, cache=FormatCache(None))  # an explicit cache without a folder: no caching
    assert not (env["tmp"] / ".sdkgen-cache" / "output").exists()


def test_check_and_write_on_a_hit(env: dict[str, Any]) -> None:
    out = env["tmp"] / "out"
    pipeline.generate_to(env["spec"], env["cfg"], out)
    assert pipeline.check(env["spec"], env["cfg"], out) == []
    assert len(env["runs"]) == 1
    readme = out / "README.md"
    text = readme.read_text()
    readme.write_text(text[:-2] + "X\n")  # same size, other bytes: a hand edit
    full = pipeline.check_full(env["spec"], env["cfg"], out)
    assert full.stale == [] and full.edited == ["README.md"]  # edits are not staleness
    pipeline.generate_to(env["spec"], env["cfg"], out)
    assert readme.read_text() == text[:-2] + "X\n"  # kept on regeneration
    result = pipeline.generate_to(env["spec"], env["cfg"], out, force=True)
    assert readme.read_text() == text  # --force writes the generated bytes back
    assert result.written is not None and result.written.patch == "sdkgen-edits-1.patch"
    assert len(env["runs"]) == 1


def test_stale_files_compares_sizes_then_bytes(tmp_path: Path) -> None:
    """A folder with only the old `.sdkgen` marker file (no record of what was written):
    every file in it is taken as generated and compared byte for byte."""
    files = {"a.py": "x = 1\n", "pkg/b.md": "# b\n", "c.txt": "ccc\n"}
    out = tmp_path / "o"
    for rel, text in files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text)
    (out / ".sdkgen").write_text("marker\n")
    assert stale_files(files, out) == []
    (out / "a.py").write_text("x = 2\n")  # same size
    (out / "pkg" / "b.md").write_text("# bb\n")  # other size
    (out / "extra.py").write_text("")
    os.makedirs(out / "pkg" / "__pycache__")
    (out / "pkg" / "__pycache__" / "b.pyc").write_bytes(b"\0")
    (out / "c.txt").unlink()
    assert stale_files(files, out) == ["a.py", "c.txt", "extra.py", "pkg/b.md"]

"""The `sdkgen` CLI: generate, check, validate; bad input; determinism; atomic writes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO

SDKGEN = [sys.executable, "-m", "sdkgen.cli"]


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([*SDKGEN, *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=str(REPO)))


def test_help_on_each_command() -> None:
    for cmd in ([], ["generate"], ["check"], ["validate"], ["edits"]):
        proc = run(*cmd, "--help")
        assert proc.returncode == 0 and "usage: sdkgen" in proc.stdout


def test_check_is_clean_on_the_committed_tree() -> None:
    proc = run("check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "friendli: up to date" in proc.stdout and "atoma: up to date" in proc.stdout


def test_check_names_each_stale_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec = tmp_path / "openapi.yaml"
    shutil.copy(REPO / "specs/atoma/openapi.yaml", spec)
    cfg = REPO / "specs/atoma/sdkgen.yaml"
    assert run("generate", "--spec", str(spec), "--config", str(cfg), "--out", str(out)).returncode == 0
    readme = out / "README.md"
    # hand edits and files of the user's are not staleness (tests/test_custom_code.py)
    readme.write_text(readme.read_text() + "edited\n")
    (out / "extra.txt").write_text("x")
    proc = run("check", "--spec", str(spec), "--config", str(cfg), "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 file(s) with hand edits" in proc.stdout
    # a spec change the folder has not been regenerated for is
    text = spec.read_text()
    spec.write_text(text.replace("title:", "title: Renamed", 1))
    proc = run("check", "--spec", str(spec), "--config", str(cfg), "--out", str(out))
    assert proc.returncode == 1
    assert f"stale: {readme}" in proc.stdout and "extra.txt" not in proc.stdout
    assert f"run `sdkgen generate --spec {spec}" in proc.stderr


def test_generation_is_deterministic(tmp_path: Path) -> None:
    outs = []
    for i in range(2):
        out = tmp_path / f"o{i}"
        env_cache = tmp_path / f"cache{i}"  # no shared cache between the two runs
        proc = subprocess.run(
            [*SDKGEN, "generate", "--spec", str(REPO / "specs/friendli/openapi.yaml"), "--config",
             str(REPO / "specs/friendli/sdkgen.yaml"), "--out", str(out)], cwd=REPO,
            capture_output=True, text=True, timeout=300,
            env=dict(os.environ, PYTHONPATH=str(REPO), SDKGEN_CACHE=str(env_cache)))
        assert proc.returncode == 0, proc.stderr
        outs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*")
                     if p.is_file()})
    assert outs[0] == outs[1] and len(outs[0]) > 50


BAD_SPECS = {
    "not-yaml.yaml": ("openapi: 3.1.0\npaths: {a: [b\n", "not valid YAML or JSON"),
    "not-openapi.yaml": ("hello: world\n", "not an OpenAPI 3.x document"),
    "swagger.yaml": ("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n", "Swagger 2.0"),
    "dangling.yaml": ("""openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Nope'}
""", "#/components/schemas/Nope"),
    "duplicate.yaml": ("""openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a:
    get: {operationId: same, responses: {'200': {description: ok}}}
  /b:
    get: {operationId: same, responses: {'200': {description: ok}}}
""", "operationId 'same' is also used"),
}


@pytest.mark.parametrize("name", sorted(BAD_SPECS))
def test_bad_input_one_clear_message_nonzero_exit_nothing_written(tmp_path: Path, name: str) -> None:
    text, expected = BAD_SPECS[name]
    spec = tmp_path / name
    spec.write_text(text)
    out = tmp_path / "out"
    out.mkdir()
    (out / ".sdkgen").write_text("previous")
    (out / "keep.txt").write_text("previous output")
    proc = run("generate", "--spec", str(spec), "--out", str(out))
    assert proc.returncode == 1
    assert expected in proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"{name}:" in proc.stderr  # file (and line where known) of the problem
    assert (out / "keep.txt").read_text() == "previous output"
    assert sorted(p.name for p in out.iterdir()) == [".sdkgen", "keep.txt"]


def test_validate_reports_pointer_and_line(tmp_path: Path) -> None:
    spec = tmp_path / "dangling.yaml"
    spec.write_text(BAD_SPECS["dangling.yaml"][0])
    proc = run("validate", str(spec))
    assert proc.returncode == 1
    assert "dangling.yaml:12: error: #/paths/~1a/get/responses/200/content/application~1json/schema/$ref" in proc.stdout


def test_validate_clean_spec() -> None:
    proc = run("validate", str(REPO / "specs/friendli/openapi.yaml"))
    assert proc.returncode == 0 and "0 error(s), 0 warning(s)" in proc.stdout


def test_refuses_to_overwrite_files_in_a_folder_it_does_not_own(tmp_path: Path) -> None:
    spec = str(REPO / "specs/atoma/openapi.yaml")
    out = tmp_path / "mine"
    out.mkdir()
    (out / "important.txt").write_text("x")
    (out / "README.md").write_text("my readme")  # a path sdkgen would write
    proc = run("generate", "--spec", spec, "--out", str(out))
    assert proc.returncode == 1 and "refusing" in proc.stderr and "README.md" in proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["README.md", "important.txt"]
    assert (out / "README.md").read_text() == "my readme"
    # nothing of the user's in the way: generated beside the user's files, which stay
    (out / "README.md").unlink()
    proc = run("generate", "--spec", spec, "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert (out / "important.txt").read_text() == "x" and (out / "README.md").exists()


HOSTILE = {
    "openapi": "3.1.0",
    "info": {"title": 'Evil """ API \\', "version": "1", "description": "{{ x }} {% y %} \"\"\""},
    "tags": [{"name": "class", "description": 'ends with "'}],
    "paths": {"/items/{id}": {"post": {
        "operationId": "import", "tags": ["class"], "summary": "| pipe | `code`",
        "description": '"""\nimport os; os.system("x")\n"""\\',
        "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                       {"name": "X-Weird Header!", "in": "header", "schema": {"type": "string"}}],
        "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Body"}}}},
        "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Body"}}}}}}}},
    "components": {"schemas": {"Body": {"type": "object", "description": 'x"""y\\', "properties": {
        "class": {"type": "string", "description": "a\r\nb \x07 c"},
        "model_config": {"type": "integer"},
        "self": {"type": "string"},
        "2fa": {"type": "boolean"},
        "json": {"enum": ["a-b", "a b", "", "None", "class"]},
        "with space": {"type": "string"},
        "ünïcødé": {"type": "number"},
        "date": {"type": "string", "format": "date"},
    }}}},
}


def test_hostile_strings_compile_and_import(tmp_path: Path) -> None:
    spec = tmp_path / "evil.json"
    spec.write_text(json.dumps(HOSTILE))
    out = tmp_path / "out"
    proc = run("generate", "--spec", str(spec), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert subprocess.run([sys.executable, "-m", "compileall", "-q", str(out / "src")]).returncode == 0
    # names from info.title 'Evil """ API \\' plus `client`
    code = ("import evil_api_client as evil, evil_api_client.models as m; "
            "c = evil.EvilApiClient(); "
            "b = m.Body.model_validate({'class': 'x', '2fa': True, 'json': 'a b', 'with space': 's'}); "
            "print(b.model_dump_json(by_alias=True, exclude_unset=True)); "
            "import importlib, pkgutil; "
            "[importlib.import_module(x.name) for x in "
            "pkgutil.walk_packages(evil.__path__, 'evil_api_client.')]")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(out / "src")), timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"class": "x", "2fa": True, "json": "a b", "with space": "s"}
    shutil.rmtree(out)


def test_operations_colliding_on_a_method_name_are_an_error(tmp_path: Path) -> None:
    spec = tmp_path / "collide.yaml"
    spec.write_text("""openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a:
    get: {operationId: listPets, tags: [pets], responses: {'200': {description: ok}}}
  /b:
    get: {operationId: list_pets, tags: [pets], responses: {'200': {description: ok}}}
""")
    out = tmp_path / "out"
    proc = run("generate", "--spec", str(spec), "--out", str(out))
    assert proc.returncode == 1
    assert "collide.yaml:7: error: #/paths/~1b/get: operation 'list_pets' would become method pets.list_pets()" in proc.stderr
    assert not out.exists()

"""Adopting sdkgen in a project: names from info.title, `sdkgen init`, config discovery
(sdkgen.yaml or pyproject.toml [tool.sdkgen]), inline targets, `check` that explains
(--diff, the exact regenerate command, "not generated yet", exit codes), `validate --spec`,
`--spec URL` (a loopback server started here), the cache folder."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import REPO
from support.loopback import LoopbackServer, Reply

from sdkgen.config import names_from, names_from_title, spec_title

SPEC = """\
openapi: 3.1.0
info: {title: Ollama API, version: '1'}
paths:
  /api/tags:
    get:
      operationId: listModels
      summary: List the models.
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Models'}
components:
  schemas:
    Models:
      type: object
      properties:
        models: {type: array, items: {type: string}}
"""


def sdkgen(*args: str, cwd: Path, env: dict[str, str] | None = None
           ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sdkgen", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, env={**os.environ, **(env or {})})


def imports(src: Path, code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], cwd=src, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A folder with a spec whose file name says nothing of its title."""
    (tmp_path / "ollama.openapi.yaml").write_text(SPEC)
    return tmp_path


# --- names -----------------------------------------------------------------------------


@pytest.mark.parametrize("title, dist, cls", [
    ("Ollama API", "ollama-api-client", "OllamaApiClient"),
    ("OpenAI", "openai-client", "OpenaiClient"),
    ("Atoma SDK", "atoma-sdk-client", "AtomaSdkClient"),
    ("Acme Client", "acme-client", "AcmeClient"),
    ("Évil \"\"\" API \\", "evil-api-client", "EvilApiClient"),
    ("1Password Connect", "api-1password-connect-client", "Api1passwordConnectClient"),
    ("", "client", "Client"),
])
def test_names_from_the_title_never_the_bare_product(title: str, dist: str, cls: str) -> None:
    names = names_from_title(title)
    assert names["dist_name"] == dist and names["sync_client"] == cls
    assert names["import_name"] == dist.replace("-", "_")
    assert names["env_prefix"] == dist.replace("-", "_").upper()
    assert names["async_client"] == "Async" + cls and names["base_error"] == cls + "Error"
    assert names["import_name"].isidentifier()


def test_a_huge_title_gives_names_a_file_system_accepts() -> None:
    """Found by `make fuzz` (seed 2031043852): a 10,000-character title made an import name
    too long for a file name (OSError in the write stage)."""
    names = names_from_title("z" * 10_000 + " with many more words than a name needs here")
    assert names["dist_name"] == "z" * 30 + "-with-many-more-words-than-client"
    assert len(names["import_name"]) <= 6 * 31 + 6 and names["import_name"].isidentifier()


def test_one_name_gives_all() -> None:
    assert names_from("acme") == {
        "dist_name": "acme", "import_name": "acme", "sdk_class_name": "Acme",
        "sync_client": "Acme", "async_client": "AsyncAcme", "env_prefix": "ACME",
        "base_error": "AcmeError"}


def test_title_is_read_from_yaml_and_json_without_loading_everything(tmp_path: Path) -> None:
    block = tmp_path / "a.yaml"
    block.write_text("openapi: 3.0.0\npaths: {/x: {get: {responses: {}}}}\ninfo:\n  version: '1'\n"
                     "  x-title: no\n  title: Block Style\n")
    assert spec_title(block) == "Block Style"
    js = tmp_path / "b.json"
    js.write_text('{"openapi": "3.0.0", "info": {"title": "Json API", "version": "1"}}')
    assert spec_title(js) == "Json API"
    nested = tmp_path / "c.yaml"  # a `title` deeper down is not info.title
    nested.write_text("openapi: 3.0.0\ncomponents: {schemas: {A: {title: Wrong}}}\n")
    assert spec_title(nested) == ""
    assert spec_title(tmp_path / "missing.yaml") == ""


def test_default_names_come_from_the_title_and_are_printed_once(project: Path) -> None:
    proc = sdkgen("generate", "--spec", "ollama.openapi.yaml", "--out", "sdk", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert ("names: dist ollama-api-client, import ollama_api_client, classes "
            "OllamaApiClient/AsyncOllamaApiClient, env vars OLLAMA_API_CLIENT_*") in proc.stdout
    assert 'name = "ollama-api-client"' in (project / "sdk/pyproject.toml").read_text()
    assert "pip install ollama-api-client" in (project / "sdk/README.md").read_text() or \
        "ollama-api-client" in (project / "sdk/README.md").read_text()
    assert imports(project / "sdk/src", "import ollama_api_client as m; "
                   "print(m.OllamaApiClient.__name__, m.AsyncOllamaApiClient.__name__)") == \
        "OllamaApiClient AsyncOllamaApiClient"
    again = sdkgen("generate", "--spec", "ollama.openapi.yaml", "--out", "sdk", cwd=project)
    assert again.returncode == 0 and "names:" not in again.stdout
    # renaming the file renames nothing
    (project / "ollama.openapi.yaml").rename(project / "openapi.yaml")
    proc = sdkgen("check", "--spec", "openapi.yaml", "--out", "sdk", cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_name_flag_sets_every_name(project: Path) -> None:
    proc = sdkgen("generate", "--spec", "ollama.openapi.yaml", "--name", "acme-llm", "--out", "o",
                  cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert "dist acme-llm, import acme_llm, classes AcmeLlm/AsyncAcmeLlm, env vars ACME_LLM_*" \
        in proc.stdout
    sdk = (project / "o/src/acme_llm/_settings.py").read_text()
    assert 'ENV_PREFIX = "ACME_LLM"' in sdk


# --- init, discovery, inline targets ----------------------------------------------------


def test_init_then_generate_and_check_from_a_subfolder(project: Path) -> None:
    proc = sdkgen("init", "--spec", "ollama.openapi.yaml", cwd=project)
    assert proc.returncode == 0, proc.stderr
    text = (project / "sdkgen.yaml").read_text()
    assert 'spec: "ollama.openapi.yaml"' in text and 'out: "ollama-api-client"' in text
    assert 'dist_name: "ollama-api-client"' in text  # written down: a new title renames nothing
    assert "sdkgen generate" in proc.stdout and "sdkgen check" in proc.stdout
    sub = project / "docs" / "deep"
    sub.mkdir(parents=True)
    proc = sdkgen("check", cwd=sub)
    assert proc.returncode == 1 and "not generated yet" in proc.stdout
    proc = sdkgen("generate", cwd=sub)
    assert proc.returncode == 0, proc.stderr
    assert (project / "ollama-api-client/src/ollama_api_client/sdk.py").is_file()
    proc = sdkgen("check", cwd=sub)
    assert proc.returncode == 0 and "up to date" in proc.stdout
    again = sdkgen("init", "--spec", "ollama.openapi.yaml", cwd=project)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_init_adds_a_table_to_an_existing_pyproject(project: Path) -> None:
    original = '[project]\nname = "my-app"\nversion = "1.0"  # keep this comment\n\n' \
               '[tool.ruff]\nline-length = 99\n'
    (project / "pyproject.toml").write_text(original)
    proc = sdkgen("init", "--spec", "ollama.openapi.yaml", "--name", "ollama-sdk", "--out",
                  "clients/ollama", cwd=project)
    assert proc.returncode == 0, proc.stderr
    text = (project / "pyproject.toml").read_text()
    assert text.startswith(original)  # nothing of the user's file changes
    assert "[[tool.sdkgen.targets]]" in text and 'out = "clients/ollama"' in text
    assert not (project / "sdkgen.yaml").exists()
    proc = sdkgen("generate", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert (project / "clients/ollama/src/ollama_sdk/__init__.py").is_file()
    assert sdkgen("check", cwd=project).returncode == 0
    again = sdkgen("init", "--spec", "ollama.openapi.yaml", cwd=project)
    assert again.returncode == 2 and "already has a [tool.sdkgen] table" in again.stderr


def test_inline_target_with_only_dist_name_and_options(project: Path) -> None:
    (project / "sdkgen.yaml").write_text(textwrap.dedent("""\
        targets:
          - spec: ollama.openapi.yaml
            out: out/llm
            dist_name: llm-kit
            enum_style: enum
        """))
    proc = sdkgen("generate", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("llm: ")  # the name defaults to the out folder's
    assert imports(project / "out/llm/src", "import llm_kit; print(llm_kit.LlmKit.__name__)") \
        == "LlmKit"
    assert 'ENV_PREFIX = "LLM_KIT"' in (project / "out/llm/src/llm_kit/_settings.py").read_text()


def test_two_file_form_still_works_and_inline_keys_override(project: Path) -> None:
    (project / "target.yaml").write_text("spec: ollama.openapi.yaml\ndist_name: from-file\n")
    (project / "sdkgen.yaml").write_text(
        "targets:\n  - {name: a, config: target.yaml, out: a}\n"
        "  - {name: b, config: target.yaml, out: b, import_name: overridden}\n")
    proc = sdkgen("generate", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert (project / "a/src/from_file/__init__.py").is_file()
    assert (project / "b/src/overridden/__init__.py").is_file()


@pytest.mark.parametrize("text, expected", [
    ("targets: []\n", "no targets"),
    ("{}\n", "no targets"),
    ("target: []\n", "unknown key(s): target; valid keys: targets"),
    ("targets:\n  - {spec: a.yaml, out: o, dist: x}\n",
     "unknown key(s): dist; valid keys: async_client, base_error, config, default_error"),
    ("targets:\n  - {spec: a.yaml}\n", "needs `out`"),
    ("targets:\n  - {out: o}\n", "needs `spec`"),
    ("targets:\n  - {spec: a.yaml, out: o, enum_style: loud}\n", "enum_style must be"),
])
def test_bad_config_is_a_usage_error_naming_valid_keys(tmp_path: Path, text: str,
                                                       expected: str) -> None:
    (tmp_path / "sdkgen.yaml").write_text(text)
    for cmd in ("generate", "check"):
        proc = sdkgen(cmd, cwd=tmp_path)
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert expected in proc.stderr and "sdkgen.yaml" in proc.stderr
        assert "Traceback" not in proc.stderr


def test_pyproject_config_errors_name_the_table(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.sdkgen]\ntargets = []\n")
    proc = sdkgen("check", cwd=tmp_path)
    assert proc.returncode == 2 and "pyproject.toml [tool.sdkgen]" in proc.stderr


def test_no_config_anywhere_says_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")  # no [tool.sdkgen]
    proc = sdkgen("generate", cwd=tmp_path)
    assert proc.returncode == 2
    assert "sdkgen init --spec FILE" in proc.stderr and "Traceback" not in proc.stderr


# --- check ------------------------------------------------------------------------------


def test_check_explains_stale_output_with_the_exact_command(project: Path) -> None:
    overlay = project / "o.yaml"
    overlay.write_text("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n"
                       "  - target: $.paths['/api/tags'].get\n    update: {summary: Every model.}\n")
    args = ["--spec", "ollama.openapi.yaml", "--name", "my sdk", "--overlay", "o.yaml",
            "--out", "out dir"]
    assert sdkgen("generate", *args, cwd=project).returncode == 0
    assert sdkgen("check", *args, cwd=project).returncode == 0
    # without the overlay, the summary differs
    assert sdkgen("check", *args[:-4], "--out", "out dir", cwd=project).returncode == 1
    (project / "ollama.openapi.yaml").write_text(SPEC.replace(
        "models: {type: array, items: {type: string}}",
        "models: {type: array, items: {type: string}}\n        total: {type: integer}"))
    proc = sdkgen("check", *args, cwd=project)
    assert proc.returncode == 1
    assert ("run `sdkgen generate --spec ollama.openapi.yaml --name 'my sdk' --overlay o.yaml "
            "--out 'out dir'`") in proc.stderr
    assert "stale:" in proc.stdout and "---" not in proc.stdout  # no diff unless asked


def test_check_diff_shows_the_change_and_is_bounded(project: Path) -> None:
    args = ["--spec", "ollama.openapi.yaml", "--out", "sdk"]
    assert sdkgen("generate", *args, cwd=project).returncode == 0
    (project / "ollama.openapi.yaml").write_text(SPEC.replace("List the models.", "All models."))
    proc = sdkgen("check", "--diff", *args, cwd=project)
    assert proc.returncode == 1
    assert '-        """List the models.\n+        """All models.\n' in proc.stdout
    assert "+++ sdk/src/ollama_api_client/sdk.py (generated)" in proc.stdout
    assert "(on disk)" in proc.stdout and "(generated)" in proc.stdout
    assert "diff cut" not in proc.stdout
    # many changed lines: the diff stops at 400 lines and counts the rest. (A generated file
    # the user deleted is their edit, not staleness, once sdkgen has its record in .sdkgen/;
    # a folder without that record is compared byte for byte, so every missing file is stale.)
    import shutil

    shutil.rmtree(project / "sdk/.sdkgen")
    shutil.rmtree(project / "sdk/src")
    proc = sdkgen("check", "--diff", *args, cwd=project)
    assert proc.returncode == 1
    out = proc.stdout.splitlines()
    cut = [line for line in out if line.startswith("... diff cut at 400 lines:")]
    assert len(cut) == 1 and "more line(s) in" in cut[0]
    diff_lines = [line for line in out if not line.startswith(("stale: ", "... diff cut"))]
    assert 390 <= len(diff_lines) <= 420  # 400 diff lines (plus "no newline" notes)


def test_check_exit_codes(project: Path) -> None:
    missing = sdkgen("check", "--spec", "ollama.openapi.yaml", "--out", "nowhere", cwd=project)
    assert missing.returncode == 1 and "nowhere not generated yet" in missing.stdout
    assert "stale:" not in missing.stdout
    usage = sdkgen("check", "--spec", "ollama.openapi.yaml", cwd=project)
    assert usage.returncode == 2 and "--out DIR is required with --spec" in usage.stderr
    (project / "bad.yaml").write_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\n"
                                      "paths: {/a: {get: {responses: {'200': {$ref: nope}}}}}\n")
    (project / "o").mkdir()
    bad = sdkgen("check", "--spec", "bad.yaml", "--out", "o", cwd=project)
    assert bad.returncode == 2 and "bad.yaml" in bad.stderr
    assert sdkgen("check", "--overlay", "x.yaml", cwd=project).returncode == 2


# --- validate, help, version ------------------------------------------------------------


def test_validate_takes_the_spec_both_ways(project: Path) -> None:
    a = sdkgen("validate", "ollama.openapi.yaml", cwd=project)
    b = sdkgen("validate", "--spec", "ollama.openapi.yaml", cwd=project)
    assert a.returncode == b.returncode == 0 and a.stdout == b.stdout
    none = sdkgen("validate", cwd=project)  # no spec and no config
    assert none.returncode == 2 and "sdkgen init --spec FILE" in none.stderr
    (project / "sdkgen.yaml").write_text("targets:\n  - {spec: ollama.openapi.yaml, out: o}\n")
    every = sdkgen("validate", cwd=project)  # no spec: every target of the config
    assert every.returncode == 0, every.stdout + every.stderr
    assert every.stdout.startswith("o: ") and "0 error(s), 0 warning(s)" in every.stdout
    both = sdkgen("validate", "x.yaml", "--spec", "y.yaml", cwd=project)
    assert both.returncode == 2 and "once" in both.stderr


def test_help_shows_required_options_and_version(tmp_path: Path) -> None:
    init = sdkgen("init", "--help", cwd=tmp_path)
    assert init.returncode == 0 and "required:\n  --spec FILE|URL" in init.stdout
    gen = sdkgen("generate", "--help", cwd=tmp_path)
    assert "--out DIR" in gen.stdout and "required with --spec" in gen.stdout
    words = " ".join(sdkgen("check", "--help", cwd=tmp_path).stdout.split())
    assert "Exit codes: 0 up to date; 1 stale files (listed) or an SDK not generated yet; 2 " \
        "usage, config or spec error." in words
    missing = sdkgen("init", cwd=tmp_path)
    assert missing.returncode == 2 and "the following arguments are required: --spec" in \
        missing.stderr
    version = sdkgen("--version", cwd=tmp_path)
    from sdkgen import __version__

    assert version.returncode == 0 and version.stdout.strip() == f"sdkgen {__version__}"


# --- --spec URL -------------------------------------------------------------------------


def _serve(routes: dict[str, Reply]) -> LoopbackServer:
    return LoopbackServer(lambda req: routes.get(req.path, Reply(404, {}, b"not found")))


def test_spec_from_a_url(tmp_path: Path) -> None:
    routes = {"/v1/ollama.yaml": Reply(200, {"Content-Type": "application/yaml"}, SPEC.encode())}
    with _serve(routes) as srv:
        url = srv.url + "/v1/ollama.yaml"
        proc = sdkgen("generate", "--spec", url, "--out", "sdk", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert (tmp_path / "sdk/src/ollama_api_client/sdk.py").is_file()
        assert sdkgen("check", "--spec", url, "--out", "sdk", cwd=tmp_path).returncode == 0
        assert sdkgen("validate", "--spec", url, cwd=tmp_path).returncode == 0
        init = sdkgen("init", "--spec", url, "--out", "sdk", cwd=tmp_path)
        assert init.returncode == 0, init.stderr
        assert f'spec: "{url}"' in (tmp_path / "sdkgen.yaml").read_text()
        assert sdkgen("check", cwd=tmp_path).returncode == 0
        assert [r.path for r in srv.requests].count("/v1/ollama.yaml") == 5  # once per run


@pytest.mark.parametrize("path, reply, expected", [
    ("/missing.yaml", None, "HTTP 404 Not Found"),
    ("/page", Reply(200, {"Content-Type": "text/html"}, b"<html>hi</html>"),
     "an HTML page, not an OpenAPI document"),
    ("/xml", Reply(200, {"Content-Type": "application/octet-stream"}, b"<?xml version='1.0'?>"),
     "markup (HTML or XML)"),
    ("/slow.yaml", Reply(200, {}, SPEC.encode(), sleep=5), "no answer within 0.5 s (timeout"),
    ("/notspec.yaml", Reply(200, {}, b"hello: world\n"), "not an OpenAPI 3.x document"),
])
def test_url_errors_are_clear(tmp_path: Path, path: str, reply: Reply | None,
                              expected: str) -> None:
    routes = {path: reply} if reply else {}
    with _serve(routes) as srv:
        url = srv.url + path
        for cmd in (["generate", "--spec", url, "--out", "o"], ["validate", "--spec", url]):
            proc = sdkgen(*cmd, cwd=tmp_path, env={"SDKGEN_FETCH_TIMEOUT": "0.5"})
            assert proc.returncode in (1, 2), proc.stdout + proc.stderr
            assert expected in proc.stdout + proc.stderr
            assert url in proc.stdout + proc.stderr  # named by its URL, not a download path
            assert "Traceback" not in proc.stderr
    assert not (tmp_path / "o").exists()


def test_a_url_spec_never_reads_local_files(tmp_path: Path) -> None:
    spec = SPEC.replace("schema: {$ref: '#/components/schemas/Models'}",
                        "schema: {$ref: 'models.yaml#/Models'}")
    (tmp_path / "models.yaml").write_text("Models: {type: object}\n")  # right here, in the cwd
    with _serve({"/api/openapi.yaml": Reply(200, {}, spec.encode())}) as srv:
        url = srv.url + "/api/openapi.yaml"
        proc = sdkgen("generate", "--spec", url, "--out", "o", cwd=tmp_path)
        assert proc.returncode == 1
        assert "a spec fetched from a URL may only reference itself" in proc.stderr
        assert [r.path for r in srv.requests] == ["/api/openapi.yaml"]  # no fetch of models.yaml


def test_fetch_size_cap(tmp_path: Path) -> None:
    from sdkgen.fetch import FetchError, fetch

    body = SPEC.encode() * 50
    with _serve({"/big.yaml": Reply(200, {}, body),
                 "/chunked.yaml": Reply(200, {}, [body[:4000], body[4000:]])}) as srv:
        assert fetch(srv.url + "/big.yaml", max_bytes=len(body)) == body
        with pytest.raises(FetchError, match="more than the 1000-byte limit"):
            fetch(srv.url + "/big.yaml", max_bytes=1000)
        with pytest.raises(FetchError, match="more than the 5000-byte limit"):
            fetch(srv.url + "/chunked.yaml", max_bytes=5000)


# --- cache ------------------------------------------------------------------------------


def test_work_cache_goes_to_the_user_cache_folder(project: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SDKGEN_CACHE"}
    env["XDG_CACHE_HOME"] = str(project / "xdg")
    proc = subprocess.run([sys.executable, "-m", "sdkgen", "generate", "--spec",
                           "ollama.openapi.yaml", "--out", "sdk"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert not (project / ".sdkgen-cache").exists()
    assert (project / "xdg/sdkgen/output").is_dir()
    off = dict(env, SDKGEN_CACHE="off", XDG_CACHE_HOME=str(project / "xdg2"))
    proc = subprocess.run([sys.executable, "-m", "sdkgen", "generate", "--spec",
                           "ollama.openapi.yaml", "--out", "sdk2"], cwd=project, env=off,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and not (project / "xdg2").exists()


def test_repo_targets_still_check_clean() -> None:
    proc = sdkgen("check", cwd=REPO / "specs")  # found in the parent folder
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "friendli: up to date" in proc.stdout


def test_a_target_config_file_with_an_unknown_key_lists_the_valid_ones(project: Path) -> None:
    (project / "target.yaml").write_text("spec: ollama.openapi.yaml\npackage: x\n")
    proc = sdkgen("generate", "--spec", "ollama.openapi.yaml", "--config", "target.yaml",
                  "--out", "o", cwd=project)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "target.yaml: error: #: unknown config key(s): package; valid keys: async_client, " \
        "base_error" in proc.stderr
    assert not (project / "o").exists()

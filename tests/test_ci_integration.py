"""CI integration, run for real: the pre-commit hook `sdkgen-check` through the real
`pre-commit try-repo` (which installs sdkgen from this checkout into its own environment),
failing on a stale SDK and passing on a fresh one; `action.yml` checked against the GitHub
Action metadata schema bundled in check-jsonschema; the plain-shell recipe's exit codes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from conftest import REPO

BIN = Path(sys.executable).parent
SPEC = """\
openapi: 3.1.0
info: {title: Pets, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
"""


def run(*cmd: str | Path, cwd: Path, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True,
                          timeout=900, env=env)


def git(*args: str, cwd: Path) -> None:
    proc = run("git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args, cwd=cwd)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.slow
def test_pre_commit_hook_fails_on_stale_sdk_and_passes_on_fresh(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "openapi.yaml").write_text(SPEC)
    (project / "sdkgen.yaml").write_text("targets:\n  - {spec: openapi.yaml, out: sdk}\n")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env.update(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
               SDKGEN_CACHE=str(tmp_path / "cache"), PATH=f"{BIN}{os.pathsep}{env['PATH']}")
    assert run(BIN / "sdkgen", "generate", cwd=project, env=env).returncode == 0
    (project / "openapi.yaml").write_text(SPEC.replace("listPets", "listAllPets"))  # now stale
    git("init", "-q", cwd=project)
    git("add", "-A", cwd=project)
    git("commit", "-qm", "stale sdk", cwd=project)

    def hook() -> subprocess.CompletedProcess[str]:
        return run(BIN / "pre-commit", "try-repo", REPO, "sdkgen-check", "--all-files",
                   cwd=project, env=env)

    stale = hook()
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert "sdkgen check (generated SDKs up to date)" in stale.stdout
    assert "Failed" in stale.stdout and "stale: sdk/" in stale.stdout
    assert "run `sdkgen generate`" in stale.stdout
    assert run(BIN / "sdkgen", "generate", cwd=project, env=env).returncode == 0
    git("add", "-A", cwd=project)
    git("commit", "-qm", "regenerated", cwd=project)
    fresh = hook()
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    assert "Passed" in fresh.stdout


def test_hook_manifest_is_valid() -> None:
    proc = run(BIN / "pre-commit", "validate-manifest", REPO / ".pre-commit-hooks.yaml", cwd=REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["sdkgen-check"]
    assert hooks[0]["entry"] == "sdkgen check" and hooks[0]["pass_filenames"] is False


def check_action(path: Path) -> subprocess.CompletedProcess[str]:
    return run(BIN / "check-jsonschema", "--builtin-schema", "vendor.github-actions", path,
               cwd=path.parent)


def test_action_metadata_is_valid_and_the_check_can_fail(tmp_path: Path) -> None:
    proc = check_action(REPO / "action.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    action = yaml.safe_load((REPO / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert '"$GITHUB_ACTION_PATH"' in steps[1]["run"]  # installs sdkgen from the action itself
    assert steps[-1]["run"].startswith("sdkgen check")
    # the schema check is real: a composite `run` step without `shell` is refused
    del steps[-1]["shell"]
    broken = tmp_path / "action.yml"
    broken.write_text(yaml.safe_dump(action))
    assert check_action(broken).returncode == 1


def test_plain_shell_recipe(tmp_path: Path) -> None:
    """README "Use in CI": `sdkgen check --diff || exit 1` style, by exit code."""
    (tmp_path / "openapi.yaml").write_text(SPEC)
    (tmp_path / "sdkgen.yaml").write_text("targets:\n  - {spec: openapi.yaml, out: sdk}\n")
    script = textwrap.dedent(f"""\
        set -e
        export PATH="{BIN}:$PATH"
        sdkgen generate >/dev/null
        sdkgen check --diff
        sed -i 's/listPets/listEveryPet/' openapi.yaml
        if sdkgen check --diff > diff.txt; then echo "should be stale"; exit 3; fi
        grep -q '^+++ sdk/src/pets_client/sdk.py (generated)' diff.txt
        echo ok
        """)
    proc = run("bash", "-c", script, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.strip().endswith("ok"), proc.stdout + proc.stderr
    shutil.rmtree(tmp_path / "sdk")

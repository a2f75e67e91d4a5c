"""The tool as a user gets it: build the sdist and wheel (`python -m build`), install the
wheel into a fresh venv outside the checkout, generate an SDK from a corpus spec in an
unrelated folder, pip-install that SDK into another fresh venv and import it.

Prints what it measured (install size and time, first-generate time); run with `-s`
to see them. Dependencies come from the package index as any user's install would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import REPO, SHARED

SPEC = SHARED / "corpus" / "llm" / "ollama.openapi.yaml"

pytestmark = pytest.mark.slow


def sh(*cmd: str | Path, cwd: Path, env: dict[str, str] | None = None,
       timeout: float = 600) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)
    assert proc.returncode == 0, f"{cmd}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def clean_env(**extra: str) -> dict[str, str]:
    """No trace of the checkout: no PYTHONPATH, no virtualenv, cache in the test's folder."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "SDKGEN_CACHE", "PYTHONHOME")}
    env.update(extra)
    return env


def venv_size(venv: Path) -> int:
    """Bytes of the venv (site-packages and bin/, where ruff's binary lives)."""
    return sum(p.stat().st_size for p in venv.rglob("*") if p.is_file() and not p.is_symlink())


def test_wheel_installs_generates_and_the_sdk_installs(tmp_path: Path) -> None:
    if not SPEC.exists():
        pytest.skip("corpus not available")
    figures: dict[str, float] = {}
    # a copy of what the package is built from, so the build leaves nothing in the checkout
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, src / name)
    for name in ("generator", "templates"):
        shutil.copytree(REPO / name, src / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    start = time.perf_counter()
    sh(sys.executable, "-m", "build", "--outdir", tmp_path / "dist", src, cwd=tmp_path)
    figures["build_s"] = time.perf_counter() - start
    wheel = next((tmp_path / "dist").glob("sdkgen-*.whl"))
    assert next((tmp_path / "dist").glob("sdkgen-*.tar.gz"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "sdkgen/render/views.py" in names and "sdkgen/templates/sdk/pyproject.toml.j2" in names
    assert not any(n.startswith("generator/") for n in names)
    figures["wheel_kb"] = wheel.stat().st_size / 1024

    tool = tmp_path / "tool-venv"
    env = clean_env(XDG_CACHE_HOME=str(tmp_path / "xdg"))
    sh(sys.executable, "-m", "venv", tool, cwd=tmp_path)
    base_size = venv_size(tool)
    start = time.perf_counter()
    sh(tool / "bin/pip", "install", "--quiet", wheel, cwd=tmp_path, env=env)
    figures["install_s"] = time.perf_counter() - start
    figures["install_mb"] = (venv_size(tool) - base_size) / 1e6

    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "generator").mkdir()  # a folder named like the old import package is harmless
    version = sh(tool / "bin/sdkgen", "--version", cwd=work, env=dict(env, PYTHONPATH="."))
    assert version.stdout.startswith("sdkgen ")
    sh(tool / "bin/python", "-m", "sdkgen", "--help", cwd=work, env=env)
    start = time.perf_counter()
    gen = sh(tool / "bin/sdkgen", "generate", "--spec", SPEC, "--out", "ollama-sdk", cwd=work,
             env=env)
    figures["first_generate_s"] = time.perf_counter() - start
    assert "dist ollama-api-client, import ollama_api_client" in gen.stdout
    assert not (work / ".sdkgen-cache").exists() and (tmp_path / "xdg/sdkgen").is_dir()
    start = time.perf_counter()
    sh(tool / "bin/sdkgen", "check", "--spec", SPEC, "--out", "ollama-sdk", cwd=work, env=env)
    figures["warm_check_s"] = time.perf_counter() - start

    user = tmp_path / "user-venv"
    sh(sys.executable, "-m", "venv", user, cwd=tmp_path)
    start = time.perf_counter()
    sh(user / "bin/pip", "install", "--quiet", work / "ollama-sdk", cwd=work, env=env)
    figures["sdk_install_s"] = time.perf_counter() - start
    probe = ("import ollama_api_client as o, inspect; "
             "c = o.OllamaApiClient(server_url='http://127.0.0.1:9'); "
             "print(sorted(n for n, _ in inspect.getmembers(c) if not n.startswith('_'))[:3])")
    out = sh(user / "bin/python", "-c", probe, cwd=tmp_path, env=env)
    assert out.stdout.strip().startswith("[")
    print("\npackaging figures: " + json.dumps({k: round(v, 2) for k, v in figures.items()}))


def test_every_generator_package_is_in_the_wheel_list() -> None:
    """pyproject lists the packages by hand (the source lives in `generator/`, mapped to
    `sdkgen`): a new subpackage left off the list is missing from the wheel, which only
    the slow wheel test would otherwise find (it did, for `sdkgen.plan`)."""
    tomllib = pytest.importorskip("tomllib")
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"])
    on_disk = {".".join(["sdkgen", *p.parent.relative_to(REPO / "generator").parts])
               for p in (REPO / "generator").rglob("__init__.py")}
    assert on_disk <= listed, f"not in pyproject's packages: {sorted(on_disk - listed)}"

"""The README's Quickstart, run verbatim: its shell block in a fresh folder holding the
spec it talks about (with the installed `sdkgen` on PATH), then its Python block with the
venv the shell block made, against a loopback server standing in for the API."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SHARED
from support.loopback import LoopbackServer, RecordedRequest, Reply, json_reply

SPEC = SHARED / "corpus" / "llm" / "ollama.openapi.yaml"


def quickstart_blocks() -> tuple[str, str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Quickstart\n", 1)[1].split("\n## ", 1)[0]
    shell = re.search(r"```bash\n(.*?)```", section, re.S)
    python = re.search(r"```python\n(.*?)```", section, re.S)
    assert shell and python, "the Quickstart has a bash block and a python block"
    return shell.group(1), python.group(1)


@pytest.mark.slow
def test_quickstart_runs_verbatim(tmp_path: Path) -> None:
    if not SPEC.exists():
        pytest.skip("corpus not available")
    shell, python = quickstart_blocks()
    assert shell.startswith("sdkgen init --spec openapi.yaml")
    shutil.copy(SPEC, tmp_path / "openapi.yaml")
    tools = tmp_path.parent / f"{tmp_path.name}-bin"  # only sdkgen from the dev venv
    tools.mkdir()
    (tools / "sdkgen").symlink_to(Path(sys.executable).parent / "sdkgen")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = f"{tools}{os.pathsep}{env['PATH']}"
    proc = subprocess.run(["bash", "-euo", "pipefail", "-c", shell], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.rstrip().endswith("OllamaApiClient")
    assert "names: dist ollama-api-client" in proc.stdout
    assert "up to date" in proc.stdout

    def api(req: RecordedRequest) -> Reply:
        if req.method == "GET" and req.path == "/api/tags":
            return json_reply({"models": [{"name": "gemma3", "size": 3338801804}]})
        return Reply(404, {}, b"")

    with LoopbackServer(api) as srv:
        run = subprocess.run([str(tmp_path / ".venv/bin/python"), "-c", python], cwd=tmp_path,
                             env=dict(env, OLLAMA_API_CLIENT_SERVER_URL=srv.url),
                             capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "gemma3 3338801804\n"
    assert [(r.method, r.path) for r in srv.requests] == [("GET", "/api/tags")]

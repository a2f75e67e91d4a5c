"""Run the type checkers and the linter on generated code, for real, offline.

pyright comes from PyPI's `pyright` package (the dev extra): its wheel bundles the JS, which
runs on the system `node`, so nothing downloads at test time (we call the bundled
`dist/index.js` directly, never the wrapper's version check). mypy and ruff are the venv's.
Each function returns the list of error lines (empty when clean).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

BIN = Path(sys.executable).parent
# The rule families the generated code must satisfy (issue 13: F, E, W, B, UP).
RUFF_SELECT = "F,E,W,B,UP"
# Same line length as the formatter uses for generated code (generator/format.py); the
# target is the oldest Python the generated SDKs support (requires-python >= 3.9).
RUFF_LINE_LENGTH = 100


def pyright_js() -> Path:
    import pyright  # the PyPI wrapper; only its bundled dist/ is used

    js = Path(pyright.__file__).parent / "dist" / "index.js"
    if not js.is_file():
        raise RuntimeError(f"pyright's bundled JS is missing at {js}: reinstall the dev extra")
    return js


def node() -> str:
    exe = shutil.which("node")
    if exe is None:
        raise RuntimeError("pyright needs `node` on PATH (the system's Node.js)")
    return exe


def pyright(
    paths: list[Path], *, strict: bool = True, cwd: Path | None = None,
    extra_paths: list[Path] | None = None, all_severities: bool = False,
) -> list[dict]:
    """pyright's error diagnostics (dicts with file, range, message, rule, severity) for
    `paths`; with `all_severities`, warnings and information (reveal_type) too."""
    with tempfile.TemporaryDirectory() as tmp:
        diags = _pyright(paths, strict, cwd, extra_paths or [], Path(tmp))
    return diags if all_severities else [d for d in diags if d["severity"] == "error"]


def _pyright(paths: list[Path], strict: bool, cwd: Path | None, extra_paths: list[Path],
             tmp: Path) -> list[dict]:
    # pyright ignores absolute paths in "include": they are made relative to the config's folder
    config = {
        "include": [os.path.relpath(p.resolve(), tmp) for p in paths],
        "typeCheckingMode": "strict" if strict else "standard",
        "pythonVersion": "3.10",
        "extraPaths": [str(p.resolve()) for p in extra_paths],
        "reportMissingModuleSource": False,
    }
    cfg = tmp / "pyrightconfig.json"
    cfg.write_text(json.dumps(config))
    proc = subprocess.run(
        [node(), str(pyright_js()), "--outputjson", "-p", str(cfg), "--pythonpath", sys.executable],
        capture_output=True, text=True, cwd=cwd or tmp, timeout=600,
        env={**os.environ, "PYRIGHT_PYTHON_IGNORE_WARNINGS": "1"},
    )
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as e:
        raise RuntimeError(f"pyright failed: {proc.stdout[-2000:]}\n{proc.stderr[-2000:]}") from e
    return list(report["generalDiagnostics"])


def pyright_lines(diags: list[dict]) -> list[str]:
    return [f"{d['file']}:{d['range']['start']['line'] + 1}: {d['message']} ({d.get('rule', '')})"
            for d in diags]


def mypy_strict(paths: list[Path], cwd: Path) -> list[str]:
    with tempfile.TemporaryDirectory() as cache:
        proc = subprocess.run(
            [str(BIN / "mypy"), "--strict", "--no-error-summary", "--hide-error-context",
             "--python-version", "3.10", "--cache-dir", cache, "--no-incremental",
             *[str(p) for p in paths]],
            capture_output=True, text=True, cwd=cwd, timeout=600,
        )
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"mypy crashed: {proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return [ln for ln in proc.stdout.splitlines() if ": error:" in ln]


def ruff(paths: list[Path], select: str = RUFF_SELECT) -> list[str]:
    proc = subprocess.run(
        [str(BIN / "ruff"), "check", "--isolated", "--no-cache", "--output-format", "concise",
         "--select", select, "--line-length", str(RUFF_LINE_LENGTH), "--target-version", "py39",
         # pydantic evaluates model annotations at run time: `X | None` would fail on 3.9,
         # which the generated SDKs support, so PEP 604 rewrites are not asked for
         "--config", "lint.pyupgrade.keep-runtime-typing = true",
         *[str(p) for p in paths]],
        capture_output=True, text=True, timeout=600,
    )
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"ruff crashed: {proc.stderr[-2000:]}")
    return [ln for ln in proc.stdout.splitlines() if ln and ":" in ln and not ln.startswith("Found")]

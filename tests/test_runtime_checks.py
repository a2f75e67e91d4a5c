"""The runtime copied into every SDK is plain Python, checked with the generator: ruff
(the repository's rules) and mypy with the strict flags (pyproject.toml), over its plain
modules under templates/ beside its per-SDK modules rendered for the default config
(tests/runtime_defaults/, see tests/support/runtime_defaults.py)."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from support import runtime_defaults

REPO = Path(__file__).resolve().parent.parent
RUNTIME = REPO / "templates" / "sdk" / "src" / "__pkg__"
BIN = Path(sys.executable).parent


def plain_runtime() -> list[Path]:
    return sorted(p for p in RUNTIME.rglob("*.py") if "__pycache__" not in p.parts)


def test_plain_runtime_is_the_runtime() -> None:
    names = {p.relative_to(RUNTIME).as_posix() for p in plain_runtime()}
    assert {"_core.py", "_version.py", "utils/retries.py", "utils/eventstreaming.py",
            "types/basemodel.py"} <= names
    for p in plain_runtime():  # copied verbatim: Jinja syntax would reach the SDK as is
        assert not re.search(r"\{\{|\{%|\{#", p.read_text(encoding="utf-8")), p


def test_rendered_defaults_are_current() -> None:
    for name, text in runtime_defaults.rendered().items():
        kept = (runtime_defaults.FOLDER / name).read_text(encoding="utf-8")
        assert kept == text, (f"tests/runtime_defaults/__pkg__/{name} is stale: run "
                              "`python -m support.runtime_defaults` from tests/")


def test_ruff_on_runtime() -> None:
    done = subprocess.run([str(BIN / "ruff"), "check", "--no-cache", str(RUNTIME)],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_on_runtime() -> None:
    # the configuration's own file list minus the generator (checked by `make lint`)
    done = subprocess.run([str(BIN / "mypy"), "--no-incremental", str(RUNTIME.relative_to(REPO)),
                           str(runtime_defaults.FOLDER.relative_to(REPO))],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues found in" in done.stdout
    checked = int(re.search(r"in (\d+) source files", done.stdout).group(1))  # type: ignore[union-attr]
    assert checked == len(plain_runtime()) + len(runtime_defaults.RENDERED)


def test_call_options_are_the_runtime_calls_keywords() -> None:
    """Every per-call option a generated method passes on is a keyword argument of the
    runtime's `call` (sync and async) with the method's default."""
    from sdkgen.call_options import CALL_OPTIONS

    tree = ast.parse((RUNTIME / "_core.py").read_text(encoding="utf-8"))
    found = 0
    for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
        for fn in cls.body:
            if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)) and fn.name == "call":
                found += 1
                defaults = {a.arg: ast.unparse(d) for a, d in
                            zip(fn.args.kwonlyargs, fn.args.kw_defaults) if d is not None}
                for option in CALL_OPTIONS:
                    assert defaults.get(option.name) == option.default, (cls.name, option)
    assert found == 2  # SyncCore.call, AsyncCore.call

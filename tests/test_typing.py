"""The bundled SDKs pass pyright --strict, mypy --strict and ruff (F, E, W, B, UP at the
formatter's line length), run for real on generated/ (tests/support/checkers.py): 0 errors,
in the modules generated from the spec and in the runtime copied into each SDK alike.
Before this work: pyright 861/556, mypy 25/21, ruff 1665/897 (friendli/atoma)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.checkers import mypy_strict, pyright, pyright_lines, ruff

REPO = Path(__file__).resolve().parent.parent
SDKS = {"friendli": "friendli", "atoma": "atoma_sdk"}


def _check(checker: str, lines: list[str]) -> None:
    assert lines == [], f"{len(lines)} {checker} errors:\n" + "\n".join(lines)


@pytest.mark.parametrize("target", sorted(SDKS))
def test_pyright_strict(target: str) -> None:
    src = REPO / "generated" / target / "src"
    _check("pyright", pyright_lines(pyright([src / SDKS[target]], extra_paths=[src])))


@pytest.mark.parametrize("target", sorted(SDKS))
def test_mypy_strict(target: str) -> None:
    src = REPO / "generated" / target / "src"
    _check("mypy", mypy_strict([Path(SDKS[target])], cwd=src))


@pytest.mark.parametrize("target", sorted(SDKS))
def test_ruff(target: str) -> None:
    _check("ruff", ruff([REPO / "generated" / target]))


def test_the_checkers_do_find_errors(tmp_path: Path) -> None:
    """The three checkers run for real: a module with one error of each kind is flagged."""
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom typing import List\n\n\ndef f(x):\n    return x\n\n\n"
                   "y: List[int] = f('a')\nz: int = 'a'\n")
    assert any("reportMissingParameterType" in ln or "reportUnknownParameterType" in ln
               for ln in pyright_lines(pyright([bad])))
    assert any("Function is missing a type annotation" in ln
               for ln in mypy_strict([bad], cwd=tmp_path))
    codes = {ln.split()[1] for ln in ruff([bad])}
    assert {"F401", "UP006", "UP035"} <= codes

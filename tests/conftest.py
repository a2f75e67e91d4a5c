"""Shared test fixtures. Paths are relative to the repo; ../shared holds seeds and corpus."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
GENERATED = REPO / "generated"

# The work cache stays inside the checkout during tests (sdkgen's default is the user cache
# folder); subprocesses inherit it. A test that needs its own sets SDKGEN_CACHE itself.
os.environ.setdefault("SDKGEN_CACHE", str(REPO / ".sdkgen-cache"))

if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


def generated_src(target: str) -> Path:
    return GENERATED / target / "src"

"""Generate an SDK from a spec dict into a temp dir and import it (for live tests)."""

from __future__ import annotations

import contextlib
import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any


@contextlib.contextmanager
def generated_sdk(spec: dict[str, Any], tmp: Path, **cfg: str) -> Iterator[ModuleType]:
    """``with generated_sdk(SPEC, tmp, import_name="shop", ...) as shop:`` the generated
    package, imported; removed from ``sys.path`` and ``sys.modules`` afterwards. ``cfg``
    are ``TargetConfig`` fields."""
    from sdkgen.config import TargetConfig
    from sdkgen.pipeline import generate_to

    name = cfg["import_name"]
    (tmp / f"{name}.json").write_text(json.dumps(spec))
    generate_to(tmp / f"{name}.json", TargetConfig(**cfg), tmp / "out")
    src = str(tmp / "out" / "src")
    sys.path.insert(0, src)
    try:
        yield importlib.import_module(name)
    finally:
        sys.path.remove(src)
        for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[mod]

"""Generate an SDK from a spec dict into a folder and import it (for live tests)."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from sdkgen.config import TargetConfig
from sdkgen.pipeline import Result, generate_to


@contextmanager
def imported_sdk(spec: dict[str, Any], cfg: TargetConfig,
                 folder: Path) -> Iterator[tuple[ModuleType, Path, Result]]:
    """(the imported package, the output folder, the generation result); the package is
    removed from sys.modules and sys.path afterwards."""
    (folder / "spec.json").write_text(json.dumps(spec))
    result = generate_to(folder / "spec.json", cfg, folder / "out")
    src = str(folder / "out" / "src")
    sys.path.insert(0, src)
    try:
        yield importlib.import_module(cfg.import_name), folder / "out", result
    finally:
        sys.path.remove(src)
        pkg = cfg.import_name
        for name in [m for m in sys.modules if m == pkg or m.startswith(pkg + ".")]:
            del sys.modules[name]

"""The generated runtime modules of an SDK with the default config, kept beside the tests.

The runtime under `templates/sdk/src/__pkg__/` is plain Python copied into every SDK, except
the modules that carry the SDK's own names (`_settings.py`, `errors.py`: templates). So that
mypy can check the plain runtime as the package it is (`__pkg__`), those modules are kept
rendered for `TargetConfig()` in `tests/runtime_defaults/__pkg__/`; mypy sees the two folders
as one namespace package (`mypy_path` in pyproject.toml). `tests/test_runtime_checks.py`
fails when they are out of date.

    python -m support.runtime_defaults          # rewrite them (from tests/)
"""

from __future__ import annotations

import sys
from pathlib import Path

from sdkgen.config import TargetConfig
from sdkgen.render import TEMPLATE_ROOT, environment

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "tests" / "runtime_defaults" / "__pkg__"
# the templates of the runtime, with what they are rendered with
RENDERED = {"_settings.py": {}, "errors.py": {"typed_errors": []}}


def rendered() -> dict[str, str]:
    env = environment()
    cfg = TargetConfig()
    return {name: env.get_template(f"{TEMPLATE_ROOT}/src/__pkg__/{name}.j2").render(
        cfg=cfg, **extra) for name, extra in RENDERED.items()}


def main() -> int:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, text in rendered().items():
        (FOLDER / name).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The runtime modules the bundled SDKs do not include (utils/security.py, utils/globals.py,
utils/pagination.py) pass pyright --strict, mypy --strict and ruff too: checked, for real, on
SDKs generated from the specs of tests/test_security_schemes.py and
tests/test_pagination_globals.py. Only the runtime files are held to 0 here (the modules
generated from those specs are tests/test_typing.py's concern on the bundled SDKs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.checkers import mypy_strict, pyright, pyright_lines, ruff
from test_pagination_globals import spec as paging_spec
from test_security_schemes import SPEC as SECURITY_SPEC

from sdkgen.config import TargetConfig
from sdkgen.pipeline import generate_to

RUNTIME = ("_core.py", "_settings.py", "_version.py", "errors.py", "types/", "utils/")


def _runtime(lines: list[str], pkg: str) -> list[str]:
    return [ln for ln in lines
            if any(f"{pkg}/{part}" in ln.replace("\\", "/") for part in RUNTIME)]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["authy", "pagedsdk"])
def test_optional_runtime_modules_are_clean(name: str, tmp_path: Path) -> None:
    body = SECURITY_SPEC if name == "authy" else paging_spec("http://127.0.0.1:9")
    (tmp_path / "spec.json").write_text(json.dumps(body))
    cfg = TargetConfig(dist_name=name, import_name=name, sdk_class_name="Probe",
                       sync_client="Probe", async_client="AsyncProbe", env_prefix="PROBE")
    generate_to(tmp_path / "spec.json", cfg, tmp_path / "out")
    src = tmp_path / "out" / "src"
    module = "utils/security.py" if name == "authy" else "utils/pagination.py"
    assert (src / name / module).is_file(), f"{module} was not generated: the check is moot"
    problems = (
        _runtime(pyright_lines(pyright([src / name], extra_paths=[src])), name)
        + _runtime(mypy_strict([Path(name)], cwd=src), name)
        + _runtime(ruff([src / name]), name)
    )
    assert problems == [], f"{len(problems)} errors:\n" + "\n".join(problems)

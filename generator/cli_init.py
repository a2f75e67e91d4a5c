"""`sdkgen init`: the configuration for one spec (a [tool.sdkgen] table in pyproject.toml,
or sdkgen.yaml)."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from .cli_jobs import UsageError, local_spec, names_line, shown
from .config import (
    default_config_for,
    read_toml,
    toml_module,
)
from .fetch import is_url


def _yaml_str(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid YAML and TOML string


def cmd_init(args: argparse.Namespace) -> int:
    here = Path.cwd()
    spec = args.spec
    path = local_spec(spec)
    if not is_url(spec):
        if not path.is_file():
            raise UsageError(f"{spec}: no such file")
        spec = os.path.relpath(path.resolve(), here)
    cfg = default_config_for(path, args.name)
    out = args.out or cfg.dist_name
    # the names are written down: a later change of the spec's title must not rename the SDK
    entry = {"name": cfg.dist_name, "spec": spec, "out": out, "dist_name": cfg.dist_name}
    pyproject = here / "pyproject.toml"
    if pyproject.is_file():
        if "sdkgen" in (read_toml(pyproject).get("tool") or {}):
            raise UsageError(f"{pyproject} already has a [tool.sdkgen] table")
        text = pyproject.read_text(encoding="utf-8")
        table = "[[tool.sdkgen.targets]]\n" + "".join(
            f"{k} = {_yaml_str(v)}\n" for k, v in entry.items())
        new = text + ("" if text.endswith("\n") or not text else "\n") + "\n" + table
        tomllib = toml_module()
        try:  # never leave a pyproject.toml that no longer parses
            parsed = tomllib.loads(new)["tool"]["sdkgen"]["targets"]
            assert parsed == [entry]
        except (tomllib.TOMLDecodeError, KeyError, AssertionError):
            raise UsageError(f"{pyproject}: cannot add [tool.sdkgen] at its end; add it by "
                             "hand:\n" + table) from None
        pyproject.write_text(new, encoding="utf-8")
        written = pyproject
    else:
        written = here / "sdkgen.yaml"
        if written.exists():
            raise UsageError(f"{written} already exists")
        written.write_text(
            "# sdkgen targets: `sdkgen generate` builds each, `sdkgen check` verifies them.\n"
            "# Paths are relative to this file; see the sdkgen README for every key.\n"
            "targets:\n" + "".join(
                f"{'  - ' if i == 0 else '    '}{k}: {_yaml_str(v)}\n"
                for i, (k, v) in enumerate(entry.items())), encoding="utf-8")
    print(f"wrote {shown(written)}: target {entry['name']} (spec {spec}, out {out})")
    print(names_line(cfg))
    steps = [("sdkgen generate", f"writes the SDK into {out}/"),
             (f"pip install ./{out}", f"then `import {cfg.import_name}`"),
             ("sdkgen check", "in CI: exit 1 when the SDK no longer matches the spec")]
    width = max(len(cmd) for cmd, _ in steps) + 2
    print("next:\n" + "".join(f"  {cmd.ljust(width)}# {why}\n" for cmd, why in steps), end="")
    return 0

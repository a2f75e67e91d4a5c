"""Target configuration: which spec, and how the SDK built from it is named."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, SpecError


@dataclass(frozen=True)
class TargetConfig:
    spec: str = ""  # path of the spec, relative to the config file's folder
    dist_name: str = "sdk"
    import_name: str = "sdk"
    version: str = "0.1.0"
    sdk_class_name: str = "SDK"
    sync_client: str = "SDK"
    async_client: str = "AsyncSDK"
    env_prefix: str = "SDK"
    enum_style: str = "literal"  # "literal" | "enum"
    default_error: str = "SDKError"
    base_error: str = "SDKBaseError"
    example_client_var: str = "sdk"
    example_import_style: str = "os_first"  # "os_first" | "sdk_first"
    generator_version: str = "0.1.0"
    # Request bodies are flattened into keyword arguments unless the operation would then
    # take more than this many arguments (parameters + body fields); -1: always flatten,
    # 0: never (the method takes the body as one `request` model/TypedDict argument).
    # An operation's `x-speakeasy-max-method-params` overrides it.
    max_method_params: int = -1
    # order of the flattened arguments (required ones always come first):
    # "parameters-first" or "body-first"
    flattening_order: str = "parameters-first"
    # The SDK version on regeneration over a lock (generator/lock.py, docs/changes.md):
    # "automatic" bumps it by semver from the changes, "manual" keeps `version`.
    versioning: str = "automatic"

    @classmethod
    def from_mapping(cls, data: dict[str, Any], source: str = "<config>") -> "TargetConfig":
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise SpecError(
                [Diagnostic("error", "#", f"unknown config key(s): {', '.join(unknown)}", file=source)]
            )
        types = {f.name: f.type for f in fields(cls)}
        try:
            values: dict[str, Any] = {k: int(v) if types[k] in (int, "int") else str(v)
                                      for k, v in data.items()}
            cfg = cls(**values)
        except (TypeError, ValueError) as exc:
            raise SpecError([Diagnostic("error", "#", f"bad config value: {exc}", file=source)]
                            ) from None
        cfg.check(source)
        return cfg

    def check(self, source: str) -> None:
        problems = []
        for name in ("import_name",):
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", getattr(self, name)):
                problems.append(f"{name} must be a Python identifier")
        for name in ("sync_client", "async_client", "default_error", "base_error"):
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", getattr(self, name)):
                problems.append(f"{name} must be a Python identifier")
        if self.enum_style not in ("literal", "enum"):
            problems.append("enum_style must be 'literal' or 'enum'")
        if self.flattening_order not in ("parameters-first", "body-first"):
            problems.append("flattening_order must be 'parameters-first' or 'body-first'")
        if self.versioning not in ("automatic", "manual"):
            problems.append("versioning must be 'automatic' or 'manual'")
        if self.example_import_style not in ("os_first", "sdk_first"):
            problems.append("example_import_style must be 'os_first' or 'sdk_first'")
        if problems:
            raise SpecError([Diagnostic("error", "#", p, file=source) for p in problems])


def default_config_for(spec_path: Path) -> TargetConfig:
    """A config for a spec given on the command line without one."""
    stem = re.sub(r"[^A-Za-z0-9]+", "_", spec_path.name.split(".")[0]).strip("_").lower() or "sdk"
    if stem[0].isdigit():
        stem = "sdk_" + stem
    pascal = "".join(p[:1].upper() + p[1:] for p in stem.split("_") if p) or "SDK"
    return TargetConfig(
        spec=str(spec_path),
        dist_name=stem.replace("_", "-"),
        import_name=stem,
        sdk_class_name=pascal,
        sync_client=pascal,
        async_client="Async" + pascal,
        env_prefix=stem.upper(),
        base_error=pascal + "Error",
        example_client_var="client",
    )


def load_config(path: Path, base: TargetConfig | None = None,
                diagnostics: list[Diagnostic] | None = None) -> TargetConfig:
    """Read an sdkgen target config, or a `.speakeasy/gen.yaml` (recognised by its
    `generation:`/`python:` sections; `base` supplies what it does not set, and its
    warnings about ignored keys are appended to `diagnostics`)."""
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SpecError(
            [Diagnostic("error", "#", f"cannot read config: {exc}", file=str(path))]) from None
    if not isinstance(data, dict):
        raise SpecError([Diagnostic("error", "#", "config must be a mapping", file=str(path))])
    from .speakeasy_config import from_gen_yaml, is_gen_yaml

    if is_gen_yaml(data):
        from .load import _LineIndex

        cfg, diags = from_gen_yaml(data, base or TargetConfig(), str(path),
                                   _LineIndex(text).line_of)
        if any(d.severity == "error" for d in diags):
            raise SpecError(diags)
        cfg.check(str(path))
        if diagnostics is not None:
            diagnostics.extend(diags)
        return cfg
    return TargetConfig.from_mapping(data, str(path))


@dataclass(frozen=True)
class Target:
    name: str
    config_path: Path
    out: Path

    def load(self) -> tuple[TargetConfig, Path]:
        cfg = load_config(self.config_path)
        if not cfg.spec:
            raise SpecError([Diagnostic("error", "#/spec", "the config names no spec (a "
                                        "gen.yaml needs `sdkgen generate --spec FILE --config "
                                        "gen.yaml`)", file=str(self.config_path))])
        return cfg, (self.config_path.parent / cfg.spec).resolve()


def load_targets(path: Path) -> list[Target]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    base = path.parent
    targets = []
    for i, entry in enumerate(data.get("targets", [])):
        try:
            targets.append(Target(entry["name"], base / entry["config"], base / entry["out"]))
        except (KeyError, TypeError):
            raise SpecError(
                [Diagnostic("error", f"#/targets/{i}", "needs name, config and out", file=str(path))]
            ) from None
    return targets

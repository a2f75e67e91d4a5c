"""What the `sdkgen` commands act on: the jobs (the config file's targets, or one --spec),
the config file found, a spec URL fetched once, paths as shown to the user."""

from __future__ import annotations

import argparse
import dataclasses
import functools
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .config import (
    TargetConfig,
    default_config_for,
    find_config,
    load_config,
    load_targets,
    with_names,
)
from .diagnostics import Diagnostic, Report
from .fetch import FetchError, fetch_to_file, is_url


class UsageError(Exception):
    pass


@dataclass
class Job:
    """One SDK to build: a target of the config file, or the one given by --spec."""

    name: str
    cfg: TargetConfig
    spec: str  # as the user gave it: a path or an http(s) URL
    path: Path  # the local file (a URL's download)
    out: Path
    overlays: list[Path]

    @property
    def remote(self) -> bool:
        return is_url(self.spec)

    def relabel(self, diags: Iterable[Diagnostic]) -> list[Diagnostic]:
        """Diagnostics about a downloaded spec name its URL, not the download."""
        if not self.remote:
            return list(diags)
        local = {str(self.path), str(shown(self.path))}
        return [dataclasses.replace(d, file=self.spec) if d.file in local else d for d in diags]


def shown(path: Path) -> Path:
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


@functools.lru_cache(maxsize=None)  # a URL is fetched once per run
def local_spec(spec: str) -> Path:
    try:
        return fetch_to_file(spec) if is_url(spec) else Path(spec)
    except FetchError as exc:
        raise UsageError(str(exc)) from None


def config_file(args: argparse.Namespace) -> Path:
    if args.targets:
        path = Path(args.targets)
        if not path.is_file():
            raise UsageError(f"{path} not found")
        return path
    found = find_config(Path.cwd())
    if found is None:
        raise UsageError(
            f"no sdkgen.yaml, nor a pyproject.toml with [tool.sdkgen], in {Path.cwd()} or its "
            "parents; create one with `sdkgen init --spec FILE`, or pass --spec FILE --out DIR")
    return found


def jobs(args: argparse.Namespace) -> list[Job]:
    notes: list[Diagnostic] = []  # a gen.yaml's ignored keys
    if args.spec:
        if not args.out:
            raise UsageError("--out DIR is required with --spec (the folder of the SDK)")
        path = local_spec(args.spec)
        base = default_config_for(path, args.name)
        cfg = load_config(Path(args.config), base, notes) if args.config else base
        if args.name and args.config:
            cfg = with_names(cfg, args.name)
        found = [Job(Path(args.spec).name if not is_url(args.spec) else path.name, cfg,
                     args.spec, path, Path(args.out), [Path(p) for p in args.overlay])]
    else:
        for flag in ("overlay", "config", "out", "name"):
            if getattr(args, flag, None):
                raise UsageError(f"--{flag} goes with --spec (targets in a config file give "
                                 f"it in the target)")
        source = config_file(args)
        found = []
        for t in load_targets(source):
            cfg, spec = t.load(notes, local_spec)
            found.append(Job(t.name, cfg, spec, local_spec(spec), t.out, list(t.overlays)))
    if notes:
        print(Report(notes).render(), file=sys.stderr)
    return found


def names_line(cfg: TargetConfig) -> str:
    return (f"names: dist {cfg.dist_name}, import {cfg.import_name}, classes {cfg.sync_client}/"
            f"{cfg.async_client}, env vars {cfg.env_prefix}_*; set them with --name or "
            "dist_name in the config")

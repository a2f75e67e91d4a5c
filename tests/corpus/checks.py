"""The pieces of the corpus check, each independent of the generator's own code paths
where it matters: operations are counted straight from the YAML, imports run in a
fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

try:
    _LOADER: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _LOADER = yaml.SafeLoader


class _RedefinedAnchorLoader(yaml.SafeLoader):
    """YAML 1.2: an anchor may be defined again, an alias names the latest (PyYAML refuses
    it; every OpenAI spec of April-May 2024 does it). Slow: only when the C loader refuses."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if not isinstance(event, yaml.AliasEvent) and getattr(event, "anchor", None):
            self.anchors.pop(event.anchor, None)
        return super().compose_node(parent, index)


def _load_yaml(spec: Path) -> Any:
    with open(spec, encoding="utf-8") as fh:
        text = fh.read()
    try:
        return yaml.load(text, Loader=_LOADER)
    except yaml.composer.ComposerError:
        return yaml.load(text, Loader=_RedefinedAnchorLoader)


def corpus_specs() -> list[Path]:
    return sorted((CORPUS / "llm").iterdir()) + sorted((CORPUS / "scale").iterdir())


def short_name(spec: Path) -> str:
    """`openai.manual_spec-2025-04.openapi.yaml` -> `openai.manual_spec-2025-04`."""
    name = spec.name
    for suffix in (".openapi.yaml", ".openapi.json", ".spec.yaml", ".swagger.yaml", ".yaml",
                   ".json"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


@dataclass
class SpecFacts:
    version: str  # "3.1.0", "swagger 2.0"
    operations: int  # operations the SDK must expose (x-speakeasy-ignore excluded)
    operation_ids: set[str]
    ignored: int


def spec_facts(spec: Path) -> SpecFacts:
    """Count operations from the raw document, without the generator."""
    if spec.suffix == ".json":
        with open(spec, encoding="utf-8") as fh:
            root = json.load(fh)
    else:
        root = _load_yaml(spec)
    version = str(root.get("openapi") or f"swagger {root.get('swagger')}")
    total = ignored = 0
    ids: set[str] = set()
    for item in (root.get("paths") or {}).values():
        if isinstance(item, dict) and isinstance(item.get("$ref"), str):
            node: Any = root
            for tok in item["$ref"].lstrip("#/").split("/"):
                node = node[tok.replace("~1", "/").replace("~0", "~")]
            item = node
        for method in HTTP_METHODS:
            op = item.get(method) if isinstance(item, dict) else None
            if not isinstance(op, dict):
                continue
            if op.get("x-speakeasy-ignore") is True:
                ignored += 1
                continue
            total += 1
            if isinstance(op.get("operationId"), str):
                ids.add(op["operationId"])
    return SpecFacts(version, total, ids, ignored)


@dataclass
class Generated:
    ok: bool
    seconds: float
    warnings: int
    errors: int
    message: str  # the CLI's stderr tail when it failed


def generate(spec: Path, out: Path, cache: Path | None = None) -> Generated:
    """Run the CLI as a user would; count warnings/errors from its summary line."""
    env = None
    if cache is not None:
        import os

        env = dict(os.environ, SDKGEN_CACHE=str(cache))
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "sdkgen.cli", "generate", "--spec", str(spec), "--out", str(out),
         "--show", "0"], capture_output=True, text=True, cwd=REPO, env=env)
    seconds = time.perf_counter() - start
    warnings = errors = 0
    for line in proc.stderr.splitlines():
        if " error(s), " in line and line.rstrip().split()[1] == "error(s),":
            parts = line.split()
            errors, warnings = int(parts[0]), int(parts[2])
    return Generated(proc.returncode == 0, seconds, warnings, errors,
                     "\n".join(proc.stderr.strip().splitlines()[-5:]))


# Runs in a fresh interpreter with the generated `src/` first on sys.path.
_IMPORT_PROBE = r'''
import importlib, inspect, json, pkgutil, sys, traceback
pkg, client_name = sys.argv[1], sys.argv[2]
out = {"modules": 0, "failed": [], "incomplete": [], "methods": [], "operations": {}}
root = importlib.import_module(pkg)
names = [pkg] + [m.name for m in pkgutil.walk_packages(root.__path__, pkg + ".")]
for name in names:
    try:
        mod = importlib.import_module(name)
        out["modules"] += 1
    except Exception as exc:
        out["failed"].append(f"{name}: {type(exc).__name__}: {str(exc).splitlines()[0][:300]}")
        continue
    for value in list(vars(mod).values()):
        if inspect.isclass(value) and value.__module__ == name and hasattr(value, "__pydantic_complete__"):
            if not value.__pydantic_complete__:
                try:
                    value.model_rebuild()
                except Exception as exc:
                    out["incomplete"].append(f"{name}.{value.__name__}: {str(exc).splitlines()[0][:200]}")
core = importlib.import_module(pkg + "._core")
# Validators are built lazily by the SDK; build every one, so schema errors show up here.
for name in names:
    mod = sys.modules.get(name)
    for value in list(vars(mod).values()) if mod else []:
        adapters = [value] if isinstance(value, core.LazyAdapter) else []
        if isinstance(value, core.Operation):
            adapters += [value.success, value.stream.event if value.stream else None]
            adapters += [e.data for e in value.errors]
        for a in adapters:
            if isinstance(a, core.LazyAdapter):
                try:
                    a.get()
                except Exception as exc:
                    out["incomplete"].append(f"{name}: adapter: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
sdk = importlib.import_module(pkg + ".sdk")
for cls_name, prefix in ((client_name, "sync"), ("Async" + client_name, "async")):
    client = getattr(sdk, cls_name)(server_url="http://localhost")
    stack = [("", client)]
    while stack:
        path, obj = stack.pop()
        for attr in dir(obj):
            if attr.startswith("_") or attr in ("hooks",):
                continue
            value = getattr(obj, attr)
            if inspect.ismethod(value):
                fn = value.__func__
                ops = [fn.__globals__[n] for n in fn.__code__.co_names
                       if isinstance(fn.__globals__.get(n), core.Operation)]
                if ops:
                    op = ops[0]
                    out["methods"].append([prefix, path + attr, op.operation_id, op.stream is not None])
                    out["operations"][op.operation_id] = [op.method, op.path]
            elif type(value).__module__.startswith(pkg + "."):
                stack.append((path + attr + ".", value))
print(json.dumps(out))
'''


@dataclass
class Imported:
    ok: bool
    modules: int = 0
    failed: list[str] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)
    sync_methods: list[str] = field(default_factory=list)  # one per operation
    stream_methods: list[str] = field(default_factory=list)  # the `_stream` twins
    async_methods: int = 0
    operation_ids: set[str] = field(default_factory=set)
    message: str = ""


def import_check(out: Path, import_name: str, client_name: str) -> Imported:
    """Import every module of the SDK in a fresh interpreter and list its methods."""
    proc = subprocess.run([sys.executable, "-c", _IMPORT_PROBE, import_name, client_name],
                          capture_output=True, text=True, cwd=out / "src",
                          env={"PYTHONPATH": str(out / "src"), "PATH": "/usr/bin:/bin"})
    if proc.returncode != 0:
        return Imported(False, message="\n".join(proc.stderr.strip().splitlines()[-6:]))
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    sync = [m for m in data["methods"] if m[0] == "sync"]
    opid_of = {m[1]: m[2] for m in sync}
    # a stream twin: `x_stream` beside `x`, both calling the same operation
    twins = {m[1] for m in sync if m[3] and m[1].endswith("_stream")
             and opid_of.get(m[1][: -len("_stream")]) == m[2]}
    return Imported(
        ok=not data["failed"] and not data["incomplete"], modules=data["modules"],
        failed=data["failed"], incomplete=data["incomplete"],
        sync_methods=[m[1] for m in sync if m[1] not in twins],
        stream_methods=sorted(twins),
        async_methods=sum(1 for m in data["methods"] if m[0] == "async"),
        operation_ids={m[2] for m in sync},
    )

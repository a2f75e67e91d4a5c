"""The public surface in a lock names what the generated package really has: every
method (with exactly its arguments, keyword-only), namespace, model, enum, union and
exception of `sdkgen.lock`, looked up in the imported package (in a subprocess). A
rendering change that renames anything without the surface following fails here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import GENERATED
from test_changes import base
from test_changes_lock import write_config, write_spec

from sdkgen.cli import main
from sdkgen.lock import LOCK

# the per-call options every generated method takes besides the spec's arguments
CALL_OPTIONS = {"retries", "server_url", "timeout_ms", "http_headers"}

PROBE = r'''
import importlib, inspect, json, sys
lock = json.load(open(sys.argv[1]))
s = lock["surface"]
pkg = importlib.import_module(s["package"])
models = importlib.import_module(s["package"] + ".models")
problems = []
client_cls = getattr(pkg, s["client"]["name"])
async_cls = getattr(pkg, s["client"]["async_name"])
for kind in ("models", "enums", "unions"):
    for name in s[kind]:
        if not hasattr(models, name):
            problems.append(f"models.{name} ({kind}) missing")
for name in s["exceptions"]:
    if not hasattr(models, name) and not hasattr(pkg, name):
        problems.append(f"exception {name} missing")
for cls in (client_cls, async_cls):
    sig = inspect.signature(cls.__init__)
    for arg in [a["name"] for a in s["client"]["arguments"]] + [
            x["argument"] for x in s["client"]["schemes"]]:
        if arg not in sig.parameters:
            problems.append(f"{cls.__name__}({arg}) missing")
clients = (client_cls(), async_cls())  # no credentials needed to build one


def resolve(obj, attrs):
    for a in attrs:
        obj = getattr(obj, a, None)
        if obj is None:
            return None
    return obj


for path, m in s["methods"].items():
    *attrs, name = path.split(".")
    for root in clients:
        owner = resolve(root, attrs)
        fn = getattr(owner, name, None) if owner is not None else None
        if fn is None:
            problems.append(f"{type(root).__name__}.{path} missing")
            continue
        params = inspect.signature(fn).parameters
        got = list(params)
        want = [a["name"] for a in m["arguments"]]
        extra = set(got) - set(want) - set(json.loads(sys.argv[2]))
        if got[:len(want)] != want or extra:
            problems.append(f"{type(root).__name__}.{path}: arguments {got} != {want}")
        if any(params[a].kind is not inspect.Parameter.KEYWORD_ONLY for a in want if a in params):
            problems.append(f"{path}: not keyword-only")
for path, ns in s.get("namespaces", {}).items():
    for root, key in zip(clients, ("class_name", "async_class_name")):
        owner = resolve(root, path.split("."))
        if owner is None or type(owner).__name__ != ns[key]:
            problems.append(f"namespace {path}: {owner!r} is not {ns[key]}")
print(json.dumps({"problems": problems, "methods": len(s["methods"]),
                  "types": sum(len(s[k]) for k in ("models", "enums", "unions"))}))
'''


def probe(sdk: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", PROBE, str(sdk / LOCK),
                           json.dumps(sorted(CALL_OPTIONS))],
                          capture_output=True, text=True, cwd=sdk / "src", timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.parametrize("target", sorted(p.name for p in GENERATED.iterdir()
                                          if (p / LOCK).is_file()))
def test_committed_lock_names_the_generated_package(target: str) -> None:
    found = probe(GENERATED / target)
    assert found["problems"] == [] and found["methods"], found


def test_fresh_lock_names_the_generated_package(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The hand-written spec of test_changes: flattened bodies, a discriminated union,
    globals, an error model; the pets namespace class is renamed away from the client."""
    monkeypatch.setenv("SDKGEN_CACHE", str(tmp_path / "cache"))
    spec = write_spec(tmp_path / "spec", base())
    out = tmp_path / "sdk"
    assert main(["generate", "--spec", str(spec), "--out", str(out), "--config",
                 str(write_config(tmp_path)), "--quiet"]) == 0
    found = probe(out)
    assert found["problems"] == [] and found["methods"] == 4 and found["types"], found

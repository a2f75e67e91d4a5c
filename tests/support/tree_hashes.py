"""SHA-256 of every file of generator output trees, to prove a refactor byte-identical.

    python -m support.tree_hashes record OUT.json [--spec NAME=PATH ...]
    python -m support.tree_hashes compare BEFORE.json AFTER.json

`record` hashes `generated/` and, for each `--spec NAME=PATH`, generates that spec into a
fresh folder (caches off, so every run really generates) and hashes the tree. `compare`
prints every added, removed or changed file and exits 1 when there is any.
(Run from tests/ or with tests/ on sys.path.)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def tree_hashes(folder: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            out[p.relative_to(folder).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def generate(spec: Path, out: Path) -> float:
    env = dict(os.environ, SDKGEN_CACHE="off")
    start = time.perf_counter()
    subprocess.run([str(ROOT / ".venv/bin/sdkgen"), "generate", "--quiet", "--spec", str(spec),
                    "--out", str(out)], check=True, env=env, cwd=ROOT,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def record(dest: Path, specs: list[str]) -> None:
    trees: dict[str, dict[str, str]] = {"generated": tree_hashes(ROOT / "generated")}
    with tempfile.TemporaryDirectory(prefix="tree-hashes-") as tmp:
        for item in specs:
            name, _, path = item.partition("=")
            seconds = generate(Path(path).resolve(), Path(tmp) / name)
            trees[name] = tree_hashes(Path(tmp) / name)
            print(f"{name}: {len(trees[name])} files, {seconds:.1f} s", file=sys.stderr)
    dest.write_text(json.dumps(trees, indent=1, sort_keys=True) + "\n")


def compare(before: Path, after: Path) -> int:
    a, b = json.loads(before.read_text()), json.loads(after.read_text())
    diffs = []
    for tree in sorted(set(a) | set(b)):
        ta, tb = a.get(tree, {}), b.get(tree, {})
        for f in sorted(set(ta) | set(tb)):
            if ta.get(f) != tb.get(f):
                state = "added" if f not in ta else "removed" if f not in tb else "changed"
                diffs.append(f"{state}: {tree}/{f}")
    for d in diffs:
        print(d)
    total = sum(len(t) for t in a.values())
    print(f"{len(diffs)} difference(s) over {total} files in {len(a)} trees")
    return 1 if diffs else 0


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("record")
    r.add_argument("dest", type=Path)
    r.add_argument("--spec", action="append", default=[], metavar="NAME=PATH")
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = ap.parse_args()
    if args.cmd == "record":
        record(args.dest, args.spec)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())

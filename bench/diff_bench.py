"""`sdkgen diff` speed against a cold `sdkgen generate` (issue 11, item 7: diff on two
versions of the 3 MB OpenAI spec in under 2x a cold generate of one of them). Not part of
`make test`.

    .venv/bin/python bench/diff_bench.py [--runs N] [--spec FILE]

The two versions: ../shared/corpus/llm/openai.openapi.yaml as published, and a copy with
a few edits a spec release typically has (a path removed, an enum value added, a response
field added, a description changed), written as YAML too so both are parsed alike. Each
command runs in its own subprocess with an empty cache folder (SDKGEN_CACHE), so neither
reuses parsed specs or formatted output:

  * generate: `sdkgen generate --spec OLD --out D` (full SDK + docs, cold);
  * diff:     `sdkgen diff OLD NEW --format json` (front end of both specs, no rendering).

Also the same on the last pair of the OpenAI history corpus (490 KB specs). Wall time is
the median of --runs runs; figures are noisy on a shared 2-core machine: read the ratio.
Writes bench/results/diff.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpus"
RESULTS = HERE / "results" / "diff.json"
SDKGEN = [str(ROOT / ".venv" / "bin" / "python"), "-m", "sdkgen"]
TARGET = 2.0


def edited_copy(src: Path, dest: Path) -> list[str]:
    """A second version of the spec: what changed, in words."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    data = yaml.load(src.read_text(encoding="utf-8"), Loader=loader)
    done = []
    paths = data["paths"]
    gone = sorted(paths)[-1]
    del paths[gone]
    done.append(f"path {gone} removed")
    schemas = data.get("components", {}).get("schemas", {})
    for name, s in sorted(schemas.items()):
        if isinstance(s, dict) and isinstance(s.get("enum"), list) and all(
                isinstance(v, str) for v in s["enum"]):
            s["enum"].append("bench-new-value")
            done.append(f"enum {name} gained a value")
            break
    for name, s in sorted(schemas.items()):
        if isinstance(s, dict) and s.get("type") == "object" and isinstance(
                s.get("properties"), dict) and len(s["properties"]) > 2:
            s["properties"]["bench_field"] = {"type": "string", "description": "new"}
            s["description"] = "Changed for the benchmark."
            done.append(f"{name}: field added, description changed")
            break
    with open(dest, "w", encoding="utf-8") as fh:
        yaml.dump(data, fh, Dumper=dumper, sort_keys=False, allow_unicode=True)
    return done


def timed(cmd: list[str], cache: Path) -> float:
    env = {**os.environ, "SDKGEN_CACHE": str(cache)}
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return took


def measure(old: Path, new: Path, runs: int, work: Path) -> dict[str, Any]:
    gen, dif = [], []
    bump = ""
    for i in range(runs):
        gen.append(timed([*SDKGEN, "generate", "--spec", str(old), "--out",
                          str(work / f"out{i}"), "--quiet"], work / f"cache-g{i}"))
        dif.append(timed([*SDKGEN, "diff", str(old), str(new), "--format", "json"],
                         work / f"cache-d{i}"))
    proc = subprocess.run([*SDKGEN, "diff", str(old), str(new), "--format", "json"],
                          capture_output=True, text=True, env={**os.environ,
                                                               "SDKGEN_CACHE": "off"})
    report = json.loads(proc.stdout)
    bump = report["bump"]
    g, d = statistics.median(gen), statistics.median(dif)
    return {"old": old.name, "new": new.name, "size_bytes": old.stat().st_size,
            "generate_cold_s": round(g, 2), "diff_cold_s": round(d, 2),
            "ratio": round(d / g, 2), "target_ratio": TARGET, "met": d / g < TARGET,
            "runs": {"generate": [round(x, 2) for x in gen], "diff": [round(x, 2) for x in dif]},
            "bump": bump, "changes": len(report["changes"])}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--spec", type=Path, default=CORPUS / "llm" / "openai.openapi.yaml")
    args = ap.parse_args()
    results: dict[str, Any] = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="sdkgen-diff-bench-") as tmp:
        work = Path(tmp)
        new = work / ("edited-" + args.spec.name)
        results["edits"] = edited_copy(args.spec, new)
        results["openai"] = measure(args.spec, new, args.runs, work / "openai")
        history = CORPUS / "history" / "openai"
        if history.is_dir():
            old_h, new_h = sorted(history.glob("*.yaml"))[-2:]
            results["history"] = measure(old_h, new_h, args.runs, work / "hist")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"{'case':<10} {'size':>9} {'generate':>9} {'diff':>7} {'ratio':>6}  target < {TARGET}x")
    for key in ("openai", "history"):
        r = results.get(key)
        if r:
            print(f"{key:<10} {r['size_bytes'] / 1e6:>7.1f}MB {r['generate_cold_s']:>8.2f}s "
                  f"{r['diff_cold_s']:>6.2f}s {r['ratio']:>5.2f}x  "
                  f"{'met' if r['met'] else 'NOT met'} (bump {r['bump']}, "
                  f"{r['changes']} changes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

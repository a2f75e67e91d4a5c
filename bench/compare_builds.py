"""Cold generation time of two builds of sdkgen, side by side in one run (issue 10: a
refactor must not make generation slower). Not part of `make test`.

    .venv/bin/python bench/compare_builds.py --baseline OTHER/.venv/bin/sdkgen [--runs 5]

OTHER is another checkout of sdkgen with its own venv (e.g. `git worktree add ../base main`
then `make env` there). For the OpenAI (3 MB) and Stripe (4 MB) specs of ../shared/corpus,
the two builds generate in alternation (caches off, a fresh output folder each time), so
that the machine's noise falls on both alike; prints the median wall time of each and the
ratio this build / baseline. Figures are noisy on a shared 2-core machine: read the ratio.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPECS = {
    "openai": ROOT.parent / "shared/corpus/llm/openai.openapi.yaml",
    "stripe": ROOT.parent / "shared/corpus/scale/stripe.spec3-2023-09.yaml",
}


def cold_generate(sdkgen: Path, spec: Path) -> float:
    """Seconds for one `sdkgen generate` into an empty folder with every cache off."""
    env = dict(os.environ, SDKGEN_CACHE="off")
    with tempfile.TemporaryDirectory(prefix="compare-builds-") as tmp:
        start = time.perf_counter()
        subprocess.run([str(sdkgen), "generate", "--quiet", "--spec", str(spec), "--out",
                        str(Path(tmp) / "sdk")], check=True, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", type=Path, required=True, help="the other build's sdkgen")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    ours = Path(sys.executable).parent / "sdkgen"
    print(f"this build: {ours}\nbaseline:   {args.baseline}\nruns: {args.runs} each, "
          "alternating, caches off\n")
    print(f"{'spec':8} {'this build (s)':>15} {'baseline (s)':>13} {'ratio':>6}")
    for name, spec in SPECS.items():
        if not spec.exists():
            print(f"{name:8} (missing: {spec})")
            continue
        mine: list[float] = []
        base: list[float] = []
        for _ in range(args.runs):
            mine.append(cold_generate(ours, spec))
            base.append(cold_generate(args.baseline, spec))
        m, b = statistics.median(mine), statistics.median(base)
        print(f"{name:8} {m:15.2f} {b:13.2f} {m / b:6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

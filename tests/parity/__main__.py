"""`make parity`: generate every parity SDK and compare its docs with the reference.

python -m parity [--detail N] [--check] [SDK ...]
--check fails (exit 1) when an SDK's rows-matched share is below its threshold in
thresholds.py (the levels reached; a regression fails CI)."""

from __future__ import annotations

import argparse
import sys

from .compare import SDKS, report, run
from .thresholds import THRESHOLDS


def main() -> int:
    ap = argparse.ArgumentParser(prog="parity")
    ap.add_argument("sdks", nargs="*", default=list(SDKS))
    ap.add_argument("--detail", type=int, default=2, help="examples printed per cause")
    ap.add_argument("--check", action="store_true", help="fail below the thresholds")
    args = ap.parse_args()
    results = run(args.sdks)
    print(report(results, args.detail))
    failed = [r for r in results if r.percent + 1e-9 < THRESHOLDS.get(r.name, 0.0)]
    for r in failed:
        print(f"parity: {r.name} matches {r.percent:.1f}% of rows, below its threshold "
              f"{THRESHOLDS[r.name]:.1f}%", file=sys.stderr)
    return 1 if (failed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())

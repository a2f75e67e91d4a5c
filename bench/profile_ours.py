"""Profile our generated SDK on the three benchmark measures (not part of `make test`).

    bench/.venv/bin/python bench/profile_ours.py [complete|stream|import ...] [--sdk PATH]

complete / stream: cProfile of the same calls runtime_bench.py times (same loopback
server, warmed-up client), the top functions by own time and by cumulative time written
to bench/results/profile_<measure>.txt and summarised on stdout. The raw httpx floor is
profiled alongside, so that what is ours stands out (anything not in the floor's profile).
import: `python -X importtime` of the "ready" statement, modules sorted by own and by
cumulative time (bench/results/profile_import.txt).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import runtime_bench as rb  # noqa: E402

OUT = HERE / "results"


def _stats(prof: cProfile.Profile, n_calls: int, top: int) -> str:
    buf = io.StringIO()
    st = pstats.Stats(prof, stream=buf)
    total = st.total_tt  # type: ignore[attr-defined]
    buf.write(f"total {total * 1e3:.1f} ms over {n_calls} calls = "
              f"{total / n_calls * 1e6:.0f} us per call (profiler overhead included)\n\n")
    buf.write("== by own time ==\n")
    st.sort_stats("tottime").print_stats(top)
    buf.write("== by cumulative time ==\n")
    st.sort_stats("cumulative").print_stats(top)
    return buf.getvalue().replace(str(rb.ROOT) + "/", "").replace(sys.prefix + "/", "")


def profile_calls(measure: str, url: str, sdk: str, top: int) -> str:
    out = []
    for name, make in (("raw httpx", rb.make_raw), ("ours", rb.make_ours)):
        if name == "ours" and sdk not in sys.path:
            sys.path.insert(0, sdk)
        complete, stream, close = make(url)
        fn = complete if measure == "complete" else stream
        for _ in range(30 if measure == "complete" else 2):
            fn()
        n = 400 if measure == "complete" else 5
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(n):
            fn()
        prof.disable()
        close()
        out.append(f"######## {measure}: {name}\n" + _stats(prof, n, top))
    return "\n".join(out)


def profile_import(sdk: str, top: int) -> str:
    stmt = rb.CONTENDERS["ours (generated/friendli)"]["ready"]
    env = dict(os.environ, PYTHONPATH=sdk, PYTHONDONTWRITEBYTECODE="")
    cmd = [sys.executable, "-X", "importtime", "-c", stmt]
    subprocess.run(cmd, env=env, capture_output=True, timeout=60, cwd=str(HERE))  # warm .pyc
    best = None
    for _ in range(5):  # keep the fastest of 5 (least disturbed by other load)
        p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60,
                           cwd=str(HERE))
        rows = []
        for line in p.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            selfus, cum, name = line[len("import time:"):].split("|")
            rows.append((int(selfus), int(cum), name.rstrip()))
        total = sum(r[0] for r in rows)
        if best is None or total < best[0]:
            best = (total, rows)
    assert best is not None
    total, rows = best
    lines = [f"`{stmt}`: {total / 1e3:.1f} ms of imports (sum of self times), {len(rows)} modules",
             "", "== top-level packages by self time (ms) =="]
    by_pkg: dict = {}
    for s, _c, name in rows:
        pkg = name.strip().split(".")[0]
        by_pkg[pkg] = by_pkg.get(pkg, 0) + s
    for pkg, s in sorted(by_pkg.items(), key=lambda kv: -kv[1])[:top]:
        lines.append(f"  {s / 1e3:8.1f}  {pkg}")
    lines += ["", "== modules by self time (ms) =="]
    for s, c, name in sorted(rows, key=lambda r: -r[0])[:top]:
        lines.append(f"  {s / 1e3:8.1f}  (cum {c / 1e3:7.1f})  {name.strip()}")
    lines += ["", "== modules by cumulative time (ms) =="]
    for _s, c, name in sorted(rows, key=lambda r: -r[1])[:top]:
        lines.append(f"  {c / 1e3:8.1f}  {name}")
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("measures", nargs="*", default=["complete", "stream", "import"])
    ap.add_argument("--sdk", default=str(rb.OURS_SRC), help="src dir of the generated SDK")
    ap.add_argument("--top", type=int, default=40)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    with rb.Server() as srv:
        for m in args.measures:
            text = (profile_import(args.sdk, args.top) if m == "import"
                    else profile_calls(m, srv.url, args.sdk, args.top))
            path = OUT / f"profile_{m}.txt"
            path.write_text(text)
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

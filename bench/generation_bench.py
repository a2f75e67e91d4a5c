"""Generation-speed benchmark: sdkgen against openapi-python-client and
datamodel-code-generator on real specs (issue 4, item 7). Not part of `make test`.

    make bench-gen       # installs bench/.venv-gen (the `bench-gen` extra), runs this
    .venv/bin/python bench/generation_bench.py [--quick] [--runs N] [--peers-bin DIR]

On the OpenAI (3 MB, 288 operations) and Stripe (4 MB, 468 operations) specs of
../shared/corpus, side by side in one run, every contender in its own subprocess:

  * ours, cold:  `sdkgen generate --spec S --out D` (full SDK + docs) with an empty cache;
  * ours, warm:  the same command again (unchanged spec, cache filled, tree up to date);
  * ours, check: `sdkgen check` on the unchanged tree;
  * openapi-python-client: `openapi-python-client generate --path S --output-path D
    --overwrite` (what it did: exit status, operations generated = modules under api/,
    the warnings it printed);
  * datamodel-code-generator: models only, `datamodel-codegen --input S
    --input-file-type openapi --output D/models.py` (its default black formatting).

Wall time is the median of --runs runs (2 by default; 1 when a first run already took
more than --budget seconds), peak memory is the child's peak RSS (os.wait4's rusage,
which covers the child's own children too). Then the growth curve: our cold time and
peak memory for every spec in corpus/llm and corpus/scale, against its size and its
operation count. Prints one table with the issue's targets marked met / not met, and
writes bench/results/generation.json. Every subprocess has a timeout (--timeout).

Figures are noisy on a shared 2-core machine: read medians and ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpus"
RESULTS = HERE / "results" / "generation.json"
OURS_PY = ROOT / ".venv" / "bin" / "python"
MAIN_SPECS = {
    "openai": CORPUS / "llm" / "openai.openapi.yaml",
    "stripe": CORPUS / "scale" / "stripe.spec3-2023-09.yaml",
}
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# the targets
TARGET_RATIO_OPC = 0.5  # full SDK with docs <= 0.5x openapi-python-client's wall time
TARGET_WARM_S = 2.0
TARGET_CHECK_S = 3.0
TARGET_PEAK_MB = 1024.0


@dataclass
class Run:
    wall: float
    peak_mb: float
    rc: int
    timed_out: bool
    stdout: str
    stderr: str


@dataclass
class Measure:
    what: str
    walls: list[float] = field(default_factory=list)
    peaks: list[float] = field(default_factory=list)
    rc: int = 0
    timed_out: bool = False
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def wall(self) -> float | None:
        return statistics.median(self.walls) if self.walls else None

    @property
    def peak(self) -> float | None:
        return max(self.peaks) if self.peaks else None

    def add(self, run: Run) -> None:
        self.walls.append(run.wall)
        self.peaks.append(run.peak_mb)
        self.rc = run.rc or self.rc
        self.timed_out = self.timed_out or run.timed_out

    def as_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["median_wall_s"] = self.wall
        d["peak_rss_mb"] = self.peak
        return d


def run(cmd: list[str], cwd: Path, timeout: float, env: dict[str, str] | None = None) -> Run:
    """Run `cmd` in its own session; wall time, peak RSS (the child and its children),
    exit status. On timeout the whole process group is killed."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        except OSError as exc:
            return Run(0.0, 0.0, 127, False, "", str(exc))
        fired = threading.Event()

        def kill() -> None:
            fired.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(wall, usage.ru_maxrss / 1024.0, proc.returncode, fired.is_set(),
                   out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


_COUNT_OPS = """
import json, sys, yaml
text = open(sys.argv[1], encoding="utf-8").read()
try:
    data = json.loads(text)
except ValueError:
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
paths = (data or {}).get("paths") or {}
print(sum(1 for item in paths.values() if isinstance(item, dict)
          for m in %r if isinstance(item.get(m), dict)))
""" % (HTTP_METHODS,)


def spec_operations(spec: Path) -> int:
    """Operations in the spec (paths x methods), counted in a subprocess: parsing a big spec
    here would grow this process, and a child's peak RSS as the kernel reports it starts
    from its parent's (the memory it was forked from)."""
    try:
        proc = subprocess.run([str(OURS_PY), "-c", _COUNT_OPS, str(spec)], capture_output=True,
                              text=True, timeout=120)
        return int(proc.stdout.strip())
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return 0


class Bench:
    def __init__(self, args: argparse.Namespace, work: Path):
        self.args = args
        self.work = work
        self.peers_bin = Path(args.peers_bin).resolve() if args.peers_bin else None

    def env(self, cache: Path | str) -> dict[str, str]:
        env = dict(os.environ, SDKGEN_CACHE=str(cache), PYTHONDONTWRITEBYTECODE="1")
        if self.peers_bin is not None:  # openapi-python-client runs `ruff` from PATH
            env["PATH"] = f"{self.peers_bin}{os.pathsep}{env.get('PATH', '')}"
        return env

    def repeat(self, m: Measure, make: Any, runs: int | None = None) -> Run | None:
        """Run `make()` (-> Run) up to `runs` times; stop after one if it exceeded the budget."""
        last = None
        for _ in range(runs or self.args.runs):
            last = make()
            m.add(last)
            if last.rc != 0 or last.timed_out or last.wall > self.args.budget:
                break
        return last

    # ---- ours ------------------------------------------------------------------------------
    def ours(self, name: str, spec: Path) -> dict[str, Measure]:
        cold, warm, check = (Measure(f"sdkgen {k}") for k in ("cold", "warm", "check"))
        out = self.work / f"ours-{name}"
        cache = self.work / f"cache-{name}"
        gen = [str(OURS_PY), "-m", "sdkgen.cli", "generate", "--quiet", "--spec", str(spec),
               "--out", str(out)]

        def cold_run() -> Run:
            shutil.rmtree(cache, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            return run(gen, self.work, self.args.timeout, self.env(cache))

        last = self.repeat(cold, cold_run)
        if last is not None:
            m = re.search(r"(\d+) files, (\d+) operations", last.stdout)
            cold.info = {"files": int(m.group(1)) if m else None,
                         "operations": int(m.group(2)) if m else None,
                         "stdout": last.stdout.strip()[-300:], "stderr": last.stderr.strip()[-300:]}
        if cold.rc == 0 and not cold.timed_out:
            for _ in range(max(3, self.args.runs)):
                warm.add(run(gen, self.work, self.args.timeout, self.env(cache)))
            chk = [str(OURS_PY), "-m", "sdkgen.cli", "check", "--spec", str(spec), "--out",
                   str(out)]
            for _ in range(max(3, self.args.runs)):
                r = run(chk, self.work, self.args.timeout, self.env(cache))
                check.add(r)
                check.info = {"stdout": r.stdout.strip()[-300:]}
        return {"cold": cold, "warm": warm, "check": check}

    # ---- peers -----------------------------------------------------------------------------
    def tool(self, name: str) -> str | None:
        if self.peers_bin is not None and (self.peers_bin / name).exists():
            return str(self.peers_bin / name)
        return shutil.which(name)

    def opc(self, name: str, spec: Path) -> Measure:
        m = Measure("openapi-python-client")
        exe = self.tool("openapi-python-client")
        if exe is None:
            m.info = {"skipped": "openapi-python-client not installed (make bench-gen installs it)"}
            return m
        out = self.work / f"opc-{name}"

        def once() -> Run:
            shutil.rmtree(out, ignore_errors=True)
            return run([exe, "generate", "--path", str(spec), "--output-path", str(out),
                        "--overwrite"], self.work, self.args.timeout, self.env("off"))

        last = self.repeat(m, once)
        api = list(out.glob("*/api/*/*.py"))
        ops = sum(1 for p in api if p.name != "__init__.py")
        text = (last.stdout + last.stderr) if last else ""
        m.info = {"operations": ops,
                  "warnings": len(re.findall(r"^WARNING", text, re.M)),
                  "unable_to_process": len(re.findall(r"(?m)^Unable to ", text)),
                  "output_tail": text.strip()[-600:]}
        return m

    def dmcg(self, name: str, spec: Path) -> Measure:
        m = Measure("datamodel-code-generator")
        exe = self.tool("datamodel-codegen")
        if exe is None:
            m.info = {"skipped": "datamodel-codegen not installed (make bench-gen installs it)"}
            return m
        out = self.work / f"dmcg-{name}"

        target = [out / "models.py"]

        def once() -> Run:
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir(parents=True)
            return run([exe, "--input", str(spec), "--input-file-type", "openapi", "--output",
                        str(target[0])], self.work, self.args.timeout, self.env("off"))

        last = self.repeat(m, once)
        note = ""
        if last is not None and "require an output directory" in last.stderr:
            # specs whose schema names contain dots become a package: it says so and stops;
            # run it again the way it asks (a folder) and report that run instead
            note = "single-file output refused (modular references); re-run with a folder"
            first = last
            m = Measure("datamodel-code-generator")
            target[0] = out / "models"
            last = self.repeat(m, once)
            m.info["first_attempt"] = {"wall_s": first.wall, "rc": first.rc}
        files = sorted(target[0].rglob("*.py")) if target[0].is_dir() else (
            [target[0]] if target[0].exists() else [])
        text = "".join(f.read_text(encoding="utf-8") for f in files)
        m.info.update({"models": len(re.findall(r"^class ", text, re.M)),
                       "note": note, "modules": len(files),
                       "numbered_names": len(re.findall(r"^class \w*?\d+\(", text, re.M)),
                       "bytes": len(text.encode()),
                       "stderr_tail": (last.stderr.strip()[-400:] if last else "")})
        return m

    # ---- growth ----------------------------------------------------------------------------
    def growth(self, known: dict[Path, Measure]) -> list[dict[str, Any]]:
        rows = []
        specs = sorted(p for d in ("llm", "scale") for p in (CORPUS / d).iterdir() if p.is_file())
        for spec in specs:
            m = known.get(spec)
            if m is None:
                m = Measure("sdkgen cold")
                out, cache = self.work / f"growth-{spec.stem}", self.work / f"gcache-{spec.stem}"
                r = run([str(OURS_PY), "-m", "sdkgen.cli", "generate", "--quiet", "--spec",
                         str(spec), "--out", str(out)], self.work, self.args.timeout,
                        self.env(cache))
                m.add(r)
                found = re.search(r"(\d+) operations", r.stdout)
                m.info = {"operations": int(found.group(1)) if found else None,
                          "stderr": r.stderr.strip()[-200:] if r.rc else ""}
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(cache, ignore_errors=True)
            rows.append({"spec": f"{spec.parent.name}/{spec.name}", "bytes": spec.stat().st_size,
                         "operations": spec_operations(spec),
                         "operations_generated": m.info.get("operations"),
                         "rc": m.rc, "wall_s": m.wall, "peak_rss_mb": m.peak})
        return rows


# ---- report --------------------------------------------------------------------------------

def _s(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


def _mb(x: float | None) -> str:
    return "-" if x is None else f"{x:.0f}"


def _mark(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "NOT MET")


def report(data: dict[str, Any]) -> str:
    lines = []
    w = lines.append
    w(f"generation bench ({data['machine']}, {data['runs']} run(s) per cold figure, medians)")
    w("")
    w(f"{'spec':8} {'contender':34} {'wall s':>8} {'peak MB':>8} {'vs opc':>7}  what it did")
    w("-" * 110)
    for name, res in data["specs"].items():
        opc_wall = res["opc"]["median_wall_s"]
        for key, label in (("ours_cold", "sdkgen SDK+docs, cold (empty cache)"),
                           ("ours_warm", "sdkgen SDK+docs, second run"),
                           ("ours_check", "sdkgen check, unchanged tree"),
                           ("opc", "openapi-python-client"),
                           ("dmcg", "datamodel-codegen (models only)")):
            m = res[key]
            ratio = (f"{m['median_wall_s'] / opc_wall:.2f}x"
                     if m["median_wall_s"] and opc_wall and key != "opc" else "")
            info = m["info"]
            if "skipped" in info:
                did = info["skipped"]
            elif key == "ours_cold":
                did = f"{info.get('operations')}/{res['operations']} ops, {info.get('files')} files"
            elif key == "opc":
                did = (f"{info.get('operations')}/{res['operations']} ops, "
                       f"{info.get('warnings')} warnings, "
                       f"{info.get('unable_to_process')} 'Unable to ...'")
                if m["rc"]:
                    tail = [x for x in info.get("output_tail", "").splitlines() if x.strip()]
                    did += f" ({tail[-1].strip()[:60] if tail else ''})"
            elif key == "dmcg":
                did = f"{info.get('models')} models ({info.get('numbered_names')} numbered)"
                if info.get("note"):
                    did += "; " + info["note"]
            else:
                did = ""
            if m["timed_out"]:
                did = "TIMED OUT " + did
            elif m["rc"]:
                did = f"exit {m['rc']} " + did
            w(f"{name:8} {label:34} {_s(m['median_wall_s']):>8} {_mb(m['peak_rss_mb']):>8} "
              f"{ratio:>7}  {did}")
    w("")
    w("targets (issue 4, item 7)")
    for t in data["targets"]:
        w(f"  {t['spec']:8} {t['target']:52} {t['value']:>20}  {_mark(t['met'])}")
    w("")
    w("growth: our cold generation (empty cache) over corpus/llm and corpus/scale")
    w(f"  {'spec':44} {'MB':>6} {'ops':>5} {'gen':>5} {'wall s':>7} {'s/MB':>6} {'peak MB':>8}")
    for r in data["growth"]:
        mb = r["bytes"] / 1e6
        per = f"{r['wall_s'] / mb:.1f}" if r["wall_s"] and r["rc"] == 0 else "-"
        gen = r["operations_generated"] if r["rc"] == 0 else f"rc{r['rc']}"
        w(f"  {r['spec']:44} {mb:6.2f} {r['operations']:5} {str(gen):>5} {_s(r['wall_s']):>7} "
          f"{per:>6} {_mb(r['peak_rss_mb']):>8}")
    return "\n".join(lines)


def targets(specs: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for name, res in specs.items():
        cold, warm, check, opc = (res[k] for k in ("ours_cold", "ours_warm", "ours_check", "opc"))
        ratio = (cold["median_wall_s"] / opc["median_wall_s"]
                 if cold["median_wall_s"] and opc["median_wall_s"] else None)
        peak = max((res[k]["peak_rss_mb"] or 0) for k in ("ours_cold", "ours_warm", "ours_check"))
        ok_cold = cold["rc"] == 0 and not cold["timed_out"]
        out += [
            {"spec": name, "target": f"full SDK+docs <= {TARGET_RATIO_OPC}x openapi-python-client",
             "value": ("-" if ratio is None else f"{ratio:.2f}x")
             + (" (opc failed)" if opc["rc"] or opc["timed_out"] else ""),
             "met": None if ratio is None else ok_cold and ratio <= TARGET_RATIO_OPC},
            {"spec": name, "target": f"second run <= {TARGET_WARM_S:g} s",
             "value": _s(warm["median_wall_s"]) + " s",
             "met": None if warm["median_wall_s"] is None
             else warm["median_wall_s"] <= TARGET_WARM_S},
            {"spec": name, "target": f"sdkgen check on an unchanged tree <= {TARGET_CHECK_S:g} s",
             "value": _s(check["median_wall_s"]) + " s",
             "met": None if check["median_wall_s"] is None
             else check["median_wall_s"] <= TARGET_CHECK_S and check["rc"] == 0},
            {"spec": name, "target": f"peak memory <= {TARGET_PEAK_MB:g} MB",
             "value": f"{peak:.0f} MB", "met": ok_cold and peak <= TARGET_PEAK_MB},
        ]
    return out


def _self_peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=2, help="runs per cold figure (median)")
    ap.add_argument("--budget", type=float, default=90.0,
                    help="after a run longer than this (s), do not repeat it")
    ap.add_argument("--timeout", type=float, default=240.0, help="per subprocess (s)")
    ap.add_argument("--peers-bin", default="", help="folder with openapi-python-client and "
                                                    "datamodel-codegen (default: PATH)")
    ap.add_argument("--quick", action="store_true", help="1 run each, no growth curve")
    ap.add_argument("--specs", default=",".join(MAIN_SPECS), help="subset of openai,stripe")
    ap.add_argument("--json", default=str(RESULTS))
    args = ap.parse_args()
    if args.quick:
        args.runs = 1
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="sdkgen-genbench-") as tmp:
        b = Bench(args, Path(tmp))
        specs: dict[str, Any] = {}
        known: dict[Path, Measure] = {}
        for name in [s for s in args.specs.split(",") if s]:
            spec = MAIN_SPECS[name]
            print(f"[{time.perf_counter() - started:5.0f}s] {name}: ours", file=sys.stderr)
            ours = b.ours(name, spec)
            known[spec] = ours["cold"]
            print(f"[{time.perf_counter() - started:5.0f}s] {name}: openapi-python-client",
                  file=sys.stderr)
            opc = b.opc(name, spec)
            print(f"[{time.perf_counter() - started:5.0f}s] {name}: datamodel-codegen",
                  file=sys.stderr)
            dmcg = b.dmcg(name, spec)
            specs[name] = {"spec": str(spec.relative_to(CORPUS.parent)),
                           "bytes": spec.stat().st_size, "operations": spec_operations(spec),
                           "ours_cold": ours["cold"].as_json(),
                           "ours_warm": ours["warm"].as_json(),
                           "ours_check": ours["check"].as_json(),
                           "opc": opc.as_json(), "dmcg": dmcg.as_json()}
        growth = []
        if not args.quick:
            print(f"[{time.perf_counter() - started:5.0f}s] growth curve", file=sys.stderr)
            growth = b.growth(known)
    data = {"machine": f"{platform.python_implementation()} {platform.python_version()}, "
                       f"{os.cpu_count()} cpu",
            "runs": args.runs, "specs": specs, "targets": targets(specs), "growth": growth,
            "total_s": round(time.perf_counter() - started, 1),
            "bench_process_peak_rss_mb": round(_self_peak_mb(), 1)}
    print(report(data))
    print(f"(peak RSS of a child includes up to {data['bench_process_peak_rss_mb']:.0f} MB "
          "inherited from this process)")
    print(f"\n(total {data['total_s']:.0f} s)")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

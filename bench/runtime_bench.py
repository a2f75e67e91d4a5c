"""Runtime benchmark of the generated SDK against raw httpx, `openai` and the reference SDK.

    make bench                       # installs bench/.venv (the `bench` extra), runs this
    bench/.venv/bin/python bench/runtime_bench.py [--quick] [--json PATH]

One loopback server (a raw asyncio server in its own process, answering with pre-built
bytes: a fixed JSON chat completion, or a fixed 2,000-event SSE chat stream ending in
`data: [DONE]`, each event its own HTTP chunk). Every contender runs in its own fresh
subprocess (`--worker NAME`) so that module names never collide: the PyPI `friendli`
package (the reference SDK, pinned in the `bench` extra; its generated part is the module
`friendli_core`, `friendli.core` in releases after 0.9 -- both are handled) and our
generated `friendli` (generated/friendli/src) are never imported into the same interpreter.

Measures, for each contender:
  * complete: per-call wall time of a non-streaming chat completion, median over many
    calls after a warm-up (the client is built once, the connection kept alive);
  * stream:   wall time to consume the whole 2,000-event stream into the contender's
    typed objects, median over several runs after a warm-up;
  * import:   wall time of a fresh `python -c "<import>"` minus `python -c "pass"` (same
    interpreter, same sys.path), median of 7; both the bare import and "ready" (import,
    build the client, reach the chat namespace, no request).
The server alone is measured too (a raw-socket client that only reads the bytes), so
that it is visible how much of the floor is the server.

The contenders run in interleaved rounds (3 by default), so that a burst of other work on
the machine hits all of them alike; every figure is also taken in the worker's own CPU
time (shown as "(cpu)"), which such load does not inflate: on a shared 2-core machine the
wall-time ratios move by tens of percent from run to run, the CPU-time ratios much less.

Prints one table with ratios to raw httpx and the issue's targets; writes
bench/results/runtime.json. Bounded in time: every subprocess has a timeout and every
timed loop has both a count and a time budget.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OURS_SRC = ROOT / "generated" / "friendli" / "src"
RESULTS = HERE / "results" / "runtime.json"

N_EVENTS = 2000
MESSAGES = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "Hello!"},
]
MODEL = "meta-llama-3.1-8b-instruct"
TOKEN = "bench-token"

TARGETS = {"complete": 1.3, "stream": 4.0, "import": 2.0}

# --------------------------------------------------------------------------- payloads

COMPLETION = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 1700000000,
    "model": MODEL,
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "Hello! How can I help?"},
            "finish_reason": "stop",
            "logprobs": None,
        }
    ],
    "usage": {"prompt_tokens": 10, "completion_tokens": 7, "total_tokens": 17},
}


def _chunk(i: int, text: str, finish: Any = None) -> dict:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "delta": {"role": "assistant", "content": text},
                "finish_reason": finish,
                "logprobs": None,
            }
        ],
    }


def _http_chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


def build_responses() -> Dict[str, bytes]:
    body = json.dumps(COMPLETION).encode()
    complete = (
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body)
    ) + body
    events = [
        _chunk(i, f"tok{i} ", "stop" if i == N_EVENTS - 1 else None) for i in range(N_EVENTS)
    ]
    parts = [
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    ]
    parts += [_http_chunk(b"data: " + json.dumps(e).encode() + b"\n\n") for e in events]
    parts.append(_http_chunk(b"data: [DONE]\n\n"))
    parts.append(b"0\r\n\r\n")
    not_found = b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
    return {"complete": complete, "stream": b"".join(parts), "404": not_found}


# --------------------------------------------------------------------------- server


class _Conn(asyncio.Protocol):
    """Minimal HTTP/1.1 keep-alive: read head + Content-Length body, write pre-built bytes."""

    responses: Dict[str, bytes] = {}

    def connection_made(self, transport: Any) -> None:
        self.t = transport
        self.buf = b""
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def data_received(self, data: bytes) -> None:
        self.buf += data
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buf[:end]
            length = 0
            lower = head.lower()
            i = lower.find(b"\r\ncontent-length:")
            if i >= 0:
                j = lower.find(b"\r\n", i + 2)
                length = int(lower[i + 17 : j if j >= 0 else None])
            total = end + 4 + length
            if len(self.buf) < total:
                return
            body = self.buf[end + 4 : total]
            self.buf = self.buf[total:]
            if not lower.split(b" ", 2)[1].endswith(b"/chat/completions"):
                self.t.write(self.responses["404"])
                continue
            wants_stream = (
                b"accept: text/event-stream" in lower
                or b'"stream":true' in body
                or b'"stream": true' in body
            )
            self.t.write(self.responses["stream" if wants_stream else "complete"])


def serve(port_file: Optional[str]) -> None:
    _Conn.responses = build_responses()

    async def main() -> None:
        loop = asyncio.get_running_loop()
        srv = await loop.create_server(_Conn, "127.0.0.1", 0, backlog=128)
        port = srv.sockets[0].getsockname()[1]
        print(port, flush=True)
        stop = asyncio.Event()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        try:  # never outlive the bench: stop by ourselves after 15 minutes
            await asyncio.wait_for(stop.wait(), timeout=900)
        except asyncio.TimeoutError:
            pass
        srv.close()

    asyncio.run(main())


class Server:
    """The loopback server in its own process (so it never competes for our GIL)."""

    def __enter__(self) -> "Server":
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--serve"],
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if not line.strip():
            self.proc.kill()
            raise RuntimeError("loopback server did not start")
        self.url = f"http://127.0.0.1:{int(line)}"
        return self

    def __exit__(self, *exc: Any) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)


# --------------------------------------------------------------------------- contenders
# Each `make_*` runs inside the worker subprocess and returns (complete, stream, close):
# complete() does one non-streaming call and returns the typed result; stream() consumes
# the whole stream and returns the number of events it yielded.


def make_server_only(url: str) -> Any:
    """Raw socket, no HTTP library: the cost of the server and the loopback alone."""
    host, port = url.rsplit("//", 1)[1].split(":")
    sock = socket.create_connection((host, int(port)))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sizes = build_responses()

    def request(stream: bool) -> bytes:
        body = json.dumps({"messages": MESSAGES, "model": MODEL, "stream": stream}).encode()
        return (
            b"POST /serverless/v1/chat/completions HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
        ) + body

    def roundtrip(req: bytes, expect: int) -> int:
        sock.sendall(req)
        got = 0
        while got < expect:
            data = sock.recv(1 << 20)
            if not data:
                raise RuntimeError("server closed")
            got += len(data)
        return got

    req_c, req_s = request(False), request(True)
    n_c, n_s = len(sizes["complete"]), len(sizes["stream"])
    return (
        lambda: roundtrip(req_c, n_c),
        lambda: (roundtrip(req_s, n_s), N_EVENTS)[1],
        sock.close,
    )


def make_raw(url: str) -> Any:
    import httpx

    client = httpx.Client(base_url=url, headers={"Authorization": f"Bearer {TOKEN}"})
    path = "/serverless/v1/chat/completions"

    def complete() -> Any:
        r = client.post(path, json={"messages": MESSAGES, "model": MODEL})
        r.raise_for_status()
        return json.loads(r.content)

    def stream() -> int:
        n = 0
        body = {"messages": MESSAGES, "model": MODEL, "stream": True}
        with client.stream("POST", path, json=body) as r:
            r.raise_for_status()
            for line in r.iter_lines():
                if line.startswith("data: "):
                    data = line[6:]
                    if data == "[DONE]":
                        break
                    json.loads(data)
                    n += 1
        return n

    return complete, stream, client.close


def make_openai(url: str) -> Any:
    from openai import OpenAI

    client = OpenAI(base_url=url + "/serverless/v1", api_key=TOKEN, max_retries=0)

    def complete() -> Any:
        return client.chat.completions.create(model=MODEL, messages=MESSAGES)  # type: ignore

    def stream() -> int:
        n = 0
        for _chunk in client.chat.completions.create(
            model=MODEL, messages=MESSAGES, stream=True  # type: ignore
        ):
            n += 1
        return n

    return complete, stream, client.close


def _reference_core() -> Any:
    try:  # older releases ship the generated SDK as the top-level `friendli_core`
        from friendli_core import SyncFriendliCore  # type: ignore
    except ImportError:
        from friendli.core import SyncFriendliCore  # type: ignore
    return SyncFriendliCore


def make_reference(url: str) -> Any:
    SyncFriendliCore = _reference_core()
    client = SyncFriendliCore(token=TOKEN, server_url=url)
    chat = client.serverless.chat

    def complete() -> Any:
        return chat.complete(model=MODEL, messages=MESSAGES)

    def stream() -> int:
        if hasattr(chat, "stream"):
            events = chat.stream(model=MODEL, messages=MESSAGES)
        else:  # current releases: complete(stream=True) returns an EventStream
            events = chat.complete(model=MODEL, messages=MESSAGES, stream=True)
        n = 0
        with events as es:
            for _ev in es:
                n += 1
        return n

    def close() -> None:
        for name in ("close", "__exit__"):
            fn = getattr(client, name, None)
            if fn is not None:
                fn() if name == "close" else fn(None, None, None)
                return

    return complete, stream, close


def make_ours(url: str) -> Any:
    from friendli import SyncFriendli, models

    client = SyncFriendli(token=TOKEN, server_url=url)
    chat = client.serverless.chat
    event_type = models.ContainerChatCompletionStreamSuccess

    def complete() -> Any:
        res = chat.complete(messages=MESSAGES, model=MODEL)
        assert isinstance(res, models.ContainerChatCompleteSuccess)
        return res

    def stream() -> int:
        n, last = 0, None
        with chat.stream(messages=MESSAGES, model=MODEL, stream=True) as es:
            for event in es:
                n, last = n + 1, event
        assert isinstance(last, event_type)
        return n

    return complete, stream, client.close


CONTENDERS: Dict[str, Dict[str, Any]] = {
    # name: factory, import statement, "ready" statement, sys.path addition
    "server only": {"make": make_server_only, "import": None},
    "raw httpx": {
        "make": make_raw,
        "import": "import httpx, json",
        "ready": "import httpx, json; httpx.Client()",
    },
    "openai": {
        "make": make_openai,
        "import": "import openai",
        "ready": "from openai import OpenAI; OpenAI(api_key='x').chat.completions",
    },
    "friendli_core (reference)": {
        "make": make_reference,
        "import": None,  # filled in by the worker probe: friendli_core or friendli.core
        "ready": None,
    },
    "ours (generated/friendli)": {
        "make": make_ours,
        "import": "import friendli",
        "ready": "from friendli import SyncFriendli; SyncFriendli(token='x').serverless.chat",
        "path": str(OURS_SRC),
    },
}
IMPORT_FLOOR = ("import httpx", "import httpx")  # (label, statement) for the import target


def _reference_statements() -> tuple[str, str]:
    try:
        import importlib.util

        has_old = importlib.util.find_spec("friendli_core") is not None
    except (ImportError, ValueError):
        has_old = False
    mod = "friendli_core" if has_old else "friendli.core"
    return (
        f"import {mod}",
        f"from {mod} import SyncFriendliCore; SyncFriendliCore(token='x').serverless.chat",
    )


# --------------------------------------------------------------------------- worker


def _timed(fn: Callable[[], Any], count: int, budget_s: float, min_count: int) -> tuple:
    """Wall time and this process's CPU time of each call (the CPU time leaves out the
    server and any wait for a core taken by other work on the machine)."""
    wall: List[float] = []
    cpu: List[float] = []
    pc, pt = time.perf_counter, time.process_time
    deadline = pc() + budget_s
    for i in range(count):
        c0 = pt()
        t0 = pc()
        fn()
        t1 = pc()
        cpu.append(pt() - c0)
        wall.append(t1 - t0)
        if i + 1 >= min_count and t1 > deadline:
            break
    return wall, cpu


# Full budget per contender, split over the rounds: non-streaming calls (at most, seconds),
# stream runs (at most, seconds). Every round also has a floor of calls/runs.
COMPLETE_CALLS, COMPLETE_BUDGET_S, COMPLETE_MIN = 1200, 12.0, 60
STREAM_RUNS, STREAM_BUDGET_S, STREAM_MIN = 24, 24.0, 2


def worker(name: str, url: str, share: float) -> Dict[str, Any]:
    """One contender, one round: warm up, then time `share` of the full budget."""
    spec = CONTENDERS[name]
    if spec.get("path"):
        sys.path.insert(0, spec["path"])
    complete, stream, close = spec["make"](url)
    try:
        # warm-up: connections, lazy imports, validators, caches
        for _ in range(30):
            complete()
        n = stream()
        comp = _timed(complete, max(COMPLETE_MIN, int(COMPLETE_CALLS * share)),
                      COMPLETE_BUDGET_S * share, COMPLETE_MIN)
        strm = _timed(stream, max(STREAM_MIN, int(STREAM_RUNS * share)),
                      STREAM_BUDGET_S * share, STREAM_MIN)
        events = stream()
    finally:
        close()
    return {"complete_s": comp[0], "complete_cpu_s": comp[1], "stream_s": strm[0],
            "stream_cpu_s": strm[1], "events": events, "events_first": n}


def import_times(jobs: Dict[str, tuple], reps: int) -> Dict[str, Dict[str, Any]]:
    """Cold import cost of each `(statement, sys.path addition)`: a fresh interpreter per run
    times the statement itself with perf_counter (so interpreter start-up and `site` are
    excluded exactly), and the wall time of `python -c "pass"` is kept for reference.
    Runs are interleaved across jobs so that machine noise hits all of them alike."""

    def env_for(path: Optional[str]) -> Dict[str, str]:
        env = dict(os.environ)
        env.pop("PYTHONPATH", None)
        if path:
            env["PYTHONPATH"] = path
        env["PYTHONDONTWRITEBYTECODE"] = ""  # use and write .pyc caches, as a user's install does
        return env

    def once(stmt: str, path: Optional[str]) -> tuple:
        code = ("import time as _t; _s = _t.perf_counter(); _c = _t.process_time()\n"
                f"{stmt}\nprint(_t.perf_counter() - _s, _t.process_time() - _c)")
        p = subprocess.run([sys.executable, "-c", code], env=env_for(path), check=True,
                           timeout=60, cwd=str(HERE), capture_output=True, text=True)
        wall, cpu = p.stdout.strip().splitlines()[-1].split()
        return float(wall), float(cpu)

    def wall_pass() -> float:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], env=env_for(None), check=True, timeout=60)
        return time.perf_counter() - t0

    for stmt, path in jobs.values():
        once(stmt, path)  # compile and cache bytecode once
    runs: Dict[str, List[tuple]] = {k: [] for k in jobs}
    base = []
    for _ in range(reps):
        base.append(wall_pass())
        for key, (stmt, path) in jobs.items():
            runs[key].append(once(stmt, path))
    out = {}
    for key, v in runs.items():
        wall = [w for w, _ in v]
        cpu = [c for _, c in v]
        out[key] = {"stmt": jobs[key][0], "median_s": statistics.median(wall), "min_s": min(wall),
                    "cpu_median_s": statistics.median(cpu), "runs_s": wall, "cpu_runs_s": cpu,
                    "interpreter_start_s": statistics.median(base)}
    return out


# --------------------------------------------------------------------------- driver


def run_worker(name: str, url: str, share: float) -> Dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", name, "--url", url,
           "--share", str(share)]
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=240, env=env, cwd=str(HERE))
    if p.returncode != 0:
        raise RuntimeError(f"worker {name!r} failed:\n{p.stderr[-4000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


def _ms(s: Optional[float]) -> str:
    return "-" if s is None else (f"{s * 1e3:,.2f} ms" if s < 1 else f"{s:,.2f} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    ap.add_argument("--quick", action="store_true", help="fewer repetitions (smoke run)")
    ap.add_argument("--rounds", type=int, default=3,
                    help="interleaved rounds over all contenders (spreads machine noise)")
    ap.add_argument("--share", type=float, default=1.0, help=argparse.SUPPRESS)
    ap.add_argument("--json", default=str(RESULTS), help="where to write the results")
    ap.add_argument("--only", action="append", help="run only these contenders (substring)")
    args = ap.parse_args()

    if args.serve:
        serve(None)
        return 0
    if args.worker:
        print(json.dumps(worker(args.worker, args.url, args.share)))
        return 0

    t_start = time.perf_counter()
    ref_import, ref_ready = _reference_statements()
    CONTENDERS["friendli_core (reference)"]["import"] = ref_import
    CONTENDERS["friendli_core (reference)"]["ready"] = ref_ready
    names = [n for n in CONTENDERS if not args.only or n == "raw httpx" or n == "server only"
             or any(o in n for o in args.only)]

    rounds = 1 if args.quick else max(1, args.rounds)
    share = (0.25 if args.quick else 1.0) / rounds
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    if load is not None and load > 0.5 * (os.cpu_count() or 1):
        print(f"  warning: load average {load:.1f} on {os.cpu_count()} cpus; other work on this"
              " machine will add noise", file=sys.stderr)
    samples: Dict[str, Dict[str, List[Any]]] = {
        n: {"complete_s": [], "stream_s": [], "complete_cpu_s": [], "stream_cpu_s": [],
            "complete_round_medians_s": [], "stream_round_medians_s": []} for n in names}
    with Server() as srv:
        for rnd in range(rounds):  # interleaved, so that a burst of noise hits everyone
            for name in names:
                print(f"  round {rnd + 1}/{rounds}: {name} ...", file=sys.stderr, flush=True)
                r = run_worker(name, srv.url, share)
                if r["events"] != N_EVENTS or r["events_first"] != N_EVENTS:
                    raise RuntimeError(f"{name} yielded {r['events']} events, not {N_EVENTS}")
                sm = samples[name]
                for key in ("complete_s", "stream_s", "complete_cpu_s", "stream_cpu_s"):
                    sm[key] += r[key]
                sm["complete_round_medians_s"].append(statistics.median(r["complete_s"]))
                sm["stream_round_medians_s"].append(statistics.median(r["stream_s"]))
    results: Dict[str, Dict[str, Any]] = {}
    for name, sm in samples.items():
        results[name] = {
            "complete_median_s": statistics.median(sm["complete_s"]),
            "complete_calls": len(sm["complete_s"]),
            "complete_round_medians_s": sm["complete_round_medians_s"],
            "complete_cpu_median_s": statistics.median(sm["complete_cpu_s"]),
            "stream_median_s": statistics.median(sm["stream_s"]),
            "stream_runs": len(sm["stream_s"]),
            "stream_round_medians_s": sm["stream_round_medians_s"],
            "stream_cpu_median_s": statistics.median(sm["stream_cpu_s"]),
            "stream_events": N_EVENTS,
        }

    reps = 5 if args.quick else 7
    print("  timing imports ...", file=sys.stderr, flush=True)
    jobs: Dict[str, tuple] = {"floor": (IMPORT_FLOOR[1], None)}
    for name in names:
        spec = CONTENDERS[name]
        if spec.get("import"):
            jobs[name + "|import"] = (spec["import"], spec.get("path"))
            jobs[name + "|ready"] = (spec["ready"], spec.get("path"))
    imp = import_times(jobs, reps)
    floor_imp = imp["floor"]
    for name in names:
        if CONTENDERS[name].get("import"):
            results[name]["import"] = imp[name + "|import"]
            results[name]["ready"] = imp[name + "|ready"]

    raw = results["raw httpx"]
    fl, fl_cpu = floor_imp["median_s"], floor_imp["cpu_median_s"]
    for r in results.values():
        r["complete_ratio"] = r["complete_median_s"] / raw["complete_median_s"]
        r["complete_cpu_ratio"] = r["complete_cpu_median_s"] / raw["complete_cpu_median_s"]
        r["stream_ratio"] = r["stream_median_s"] / raw["stream_median_s"]
        r["stream_cpu_ratio"] = r["stream_cpu_median_s"] / raw["stream_cpu_median_s"]
        if "import" in r:  # both import figures are relative to `import httpx`
            r["import_ratio"] = r["import"]["median_s"] / fl
            r["import_cpu_ratio"] = r["import"]["cpu_median_s"] / fl_cpu
            r["ready_ratio"] = r["ready"]["median_s"] / fl
            r["ready_cpu_ratio"] = r["ready"]["cpu_median_s"] / fl_cpu

    # ------------------------------------------------------------------ table
    def x(v: Optional[float]) -> str:
        return "-" if v is None else f"{v:.2f}x"

    hdr1 = (f"{'':<27} | {'non-streaming call':^28} | {'2,000-event stream':^28} |"
            f" {'cold import':^28} | {'import to ready client':^28}")
    hdr2 = (f"{'contender':<27} | {'median':>10} {'x raw':>7} {'(cpu)':>9} |"
            f" {'median':>10} {'x raw':>7} {'(cpu)':>9} |"
            f" {'median':>10} {'x httpx':>7} {'(cpu)':>9} |"
            f" {'median':>10} {'x httpx':>7} {'(cpu)':>9}")
    lines = [hdr1, hdr2, "-" * len(hdr2)]
    for name, r in results.items():
        imp, rdy = r.get("import", {}), r.get("ready", {})
        lines.append(
            f"{name:<27} | {_ms(r['complete_median_s']):>10} {x(r['complete_ratio']):>7}"
            f" {'(' + x(r['complete_cpu_ratio']) + ')':>9} |"
            f" {_ms(r['stream_median_s']):>10} {x(r['stream_ratio']):>7}"
            f" {'(' + x(r['stream_cpu_ratio']) + ')':>9} |"
            f" {_ms(imp.get('median_s')):>10} {x(r.get('import_ratio')):>7}"
            f" {'(' + x(r.get('import_cpu_ratio')) + ')' if imp else '':>9} |"
            f" {_ms(rdy.get('median_s')):>10} {x(r.get('ready_ratio')):>7}"
            f" {'(' + x(r.get('ready_cpu_ratio')) + ')' if rdy else '':>9}"
        )
    lines.append(f"{'`import httpx` (the floor)':<27} | {'':>28} | {'':>28} |"
                 f" {_ms(fl):>10} {'1.00x':>7} {'(1.00x)':>9} |")
    lines.append("import statements: " + "; ".join(
        f"{n.split(' ')[0]}: `{CONTENDERS[n]['import']}` / `{CONTENDERS[n]['ready']}`"
        for n in names if CONTENDERS[n].get("import")))
    lines.append("(cpu) = the same ratio in this process's CPU time, which other load on the"
                 " machine does not inflate")
    targets: Dict[str, Any] = {}
    ours = results.get("ours (generated/friendli)")
    if ours:
        checks = [
            ("complete", "non-streaming call", "complete", "raw httpx + json.loads"),
            ("stream", "2,000-event stream", "stream", "raw httpx iter_lines + json.loads"),
            ("import", "cold import", "import", "`import httpx` (bare `import friendli`)"),
            ("import_ready", "import to ready", "ready",
             "`import httpx` (import, build the client, reach .serverless.chat)"),
        ]
        lines += ["", "targets (ours, judged on the wall-time medians):"]
        for key, label, field, vs in checks:
            target = TARGETS["import" if key.startswith("import") else key]
            ratio, cpu = ours[field + "_ratio"], ours[field + "_cpu_ratio"]
            ok = ratio <= target
            targets[key] = {"ratio": ratio, "cpu_ratio": cpu, "target": target, "met": ok,
                            "met_in_cpu_time": cpu <= target, "vs": vs}
            lines.append(f"  {label:<19} {ratio:5.2f}x (cpu {cpu:5.2f}x)  target <= {target}x"
                         f" {vs}:  {'met' if ok else 'NOT MET'}")
    so = results.get("server only")
    if so:
        lines.append("")
        lines.append(
            f"server alone (raw socket client that only reads the bytes): complete"
            f" {_ms(so['complete_median_s'])} = {so['complete_ratio'] * 100:.0f}% of raw;"
            f" stream {_ms(so['stream_median_s'])} = {so['stream_ratio'] * 100:.1f}% of raw"
        )
    elapsed = time.perf_counter() - t_start
    lines.append(f"({platform.python_implementation()} {platform.python_version()}, "
                 f"{os.cpu_count()} cpus, load average {load:.1f} at start, {rounds} rounds,"
                 f" {N_EVENTS} events, bench took {elapsed:.0f} s)")
    print("\n".join(lines))

    versions = {}
    for _mod, dist in (("httpx", "httpx"), ("pydantic", "pydantic"), ("openai", "openai"),
                      ("friendli", "friendli")):
        try:
            from importlib.metadata import version

            versions[dist] = version(dist)
        except Exception:
            versions[dist] = None
    out = {
        "python": platform.python_version(),
        "load_average_at_start": load,
        "rounds": rounds,
        "cpus": os.cpu_count(),
        "events": N_EVENTS,
        "quick": args.quick,
        "versions": versions,
        "import_floor": floor_imp,
        "contenders": results,
        "targets": targets,
        "elapsed_s": elapsed,
    }
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(out, indent=2) + "\n")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

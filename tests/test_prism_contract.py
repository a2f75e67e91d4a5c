"""Contract check against a real third-party server: Prism (`@stoplight/prism-cli`, installed
by `make prism` into .tools/prism, a prerequisite of `make test`) mocks each spec in specs/ on
loopback with request validation on (`--errors`: a request that breaks the spec gets a 4xx
instead of a mock answer), and every documented Example Usage block of both SDKs
(generated/*/docs/sdks/*/README.md) is run unchanged, as a user would, with
FRIENDLI_SERVER_URL / ATOMASDK_SERVER_URL pointing at Prism.

An example passes when it exits 0 (our SDK raises on any 4xx/5xx and on a 2xx body that does
not fit its response model) and Prism logged, for the request it made, that the request passed
its validation rules. Prism is started once per spec for the module (both at once) and killed
in a `finally`.

Prism and our `#stream` path keys: Prism registers `/x/chat/completions#stream` literally, but
a URL fragment never goes over the wire, so a stream call lands on the non-stream operation
and is answered 406 (no text/event-stream there); the stream operation is unreachable. Prism
also cannot mock an object schema as text/event-stream (500 NO_COMPLEX_OBJECT_TEXT). So Prism
serves a temporary copy of the spec in which every `<path>#stream` key becomes
`/__stream<path>` (stream examples run with the server URL `<prism>/__stream`, so the SDK's
real path lands on the stream operation and its request is validated against the stream
operation's own body schema and headers), and the 200 text/event-stream response carries a
literal SSE example (the chunks of tests/support/chat_server.py), so the stream examples also
exercise parsing into our event models. Request-side definitions are left untouched.
"""

from __future__ import annotations

import copy
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import GENERATED, REPO
from support.chat_server import stream_body
from support.wire_cases import (
    A_FULL,
    A_MESSAGES,
    A_NULLS,
    F_CHAT_FULL,
    F_CHAT_NULLS,
    F_MESSAGES,
    F_TAC_FULL,
    F_TAC_NULLS,
)

PRISM = REPO / ".tools" / "prism" / "node_modules" / ".bin" / "prism"

if not PRISM.exists():  # `make test` installs it first; only a bare `pytest` gets here
    pytest.skip("Prism missing (.tools/prism): run `make prism` (or `make test`)",
                allow_module_level=True)

STREAM_PREFIX = "/__stream"
TARGETS = {
    # target: (spec, env prefix, credential env var)
    "friendli": ("specs/friendli/openapi.yaml", "FRIENDLI", "FRIENDLI_TOKEN"),
    "atoma": ("specs/atoma/openapi.yaml", "ATOMASDK", "ATOMASDK_BEARER_AUTH"),
}
START_TIMEOUT = 60.0
EXAMPLE_TIMEOUT = 60.0
PASSED = "The request passed the validation rules"


def _prism_spec(src: Path, dst: Path) -> None:
    """The copy of the spec that Prism serves (see the module docstring for why)."""
    spec = yaml.safe_load(src.read_text())
    sse = b"".join(stream_body()).decode()
    paths = {}
    for key, item in spec["paths"].items():
        if key.endswith("#stream"):
            key = STREAM_PREFIX + key.split("#", 1)[0]
            item = copy.deepcopy(item)
            for op in item.values():
                if not isinstance(op, dict) or "responses" not in op:
                    continue
                content = op["responses"]["200"]["content"]["text/event-stream"]
                content["schema"] = {"type": "string"}
                content["example"] = sse
        assert key not in paths, key
        paths[key] = item
    spec["paths"] = paths
    dst.write_text(yaml.safe_dump(spec, sort_keys=False))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Prism:
    def __init__(self, target: str, spec: Path, log: Path) -> None:
        self.target = target
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self._log_file = open(log, "wb")  # noqa: SIM115  (closed in stop())
        self.proc = subprocess.Popen(
            [str(PRISM), "mock", str(spec), "-h", "127.0.0.1", "-p", str(self.port), "--errors"],
            stdout=self._log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            cwd=str(REPO), start_new_session=True)

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def ready(self) -> bool:
        if self.proc.poll() is not None:
            raise RuntimeError(f"prism for {self.target} exited {self.proc.returncode}:\n"
                               + self.text()[-3000:])
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return "Prism is listening" in self.text()
        except OSError:
            return False

    def stop(self) -> None:
        try:
            if self.proc.poll() is None:
                os.killpg(self.proc.pid, signal.SIGTERM)  # its own session: node + children
                try:
                    self.proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait(timeout=5)
        except ProcessLookupError:
            pass
        finally:
            self._log_file.close()


@pytest.fixture(scope="module")
def prisms(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("prism")
    servers: dict[str, Prism] = {}
    try:
        for target, (spec, _, _) in TARGETS.items():
            copy_path = tmp / f"{target}.yaml"
            _prism_spec(REPO / spec, copy_path)
            servers[target] = Prism(target, copy_path, tmp / f"{target}.log")
        deadline = time.monotonic() + START_TIMEOUT
        waiting = set(servers)
        while waiting:
            waiting = {t for t in waiting if not servers[t].ready()}
            if waiting and time.monotonic() > deadline:
                raise RuntimeError(f"prism not ready after {START_TIMEOUT}s: "
                                   + "; ".join(servers[t].text()[-1000:] for t in waiting))
            if waiting:
                time.sleep(0.1)
        yield servers
    finally:
        for srv in servers.values():
            srv.stop()


def _examples() -> list[tuple[str, str, str, str]]:
    """(target, doc, operation, code) for every Example Usage block in the SDK docs."""
    out = []
    for target in TARGETS:
        for readme in sorted((GENERATED / target / "docs" / "sdks").glob("*/README.md")):
            text = readme.read_text()
            # Operations from the "Available Operations" list; a description may contain
            # "## " headings of its own (atoma's `create` has "## Returns" / "## Errors").
            ops = re.findall(r"^\* \[(\w+)\]\(#", text, re.MULTILINE)
            starts = [text.index(f"\n## {op}\n") for op in ops]
            for op, start, end in zip(ops, starts, [*starts[1:], len(text)]):
                ex = re.search(r"### Example Usage\n\n```python\n(.*?)```", text[start:end],
                               re.DOTALL)
                assert ex, f"{readme}: no Example Usage for {op}"
                out.append((target, readme.parent.name, op, ex.group(1)))
    return out


EXAMPLES = _examples()


def test_every_operation_has_an_example():
    # 2 + 2 friendli operations, 2 atoma operations; more is fine, none is a broken parser
    assert len([e for e in EXAMPLES if e[0] == "friendli"]) >= 4
    assert len([e for e in EXAMPLES if e[0] == "atoma"]) >= 2


def test_prism_really_validates_requests(prisms):
    """Without this a lenient mock would make every example pass."""
    import httpx

    srv = prisms["friendli"]
    bad = httpx.post(srv.url + "/serverless/v1/chat/completions",
                     json={"messages": [{"role": "user", "content": "hi"}], "model": 5},
                     headers={"Authorization": "Bearer t", "Accept": "application/json"})
    assert bad.status_code == 422, bad.text
    assert "model" in bad.headers.get("sl-violations", ""), bad.headers
    no_auth = httpx.post(srv.url + "/serverless/v1/chat/completions",
                         json={"messages": [{"role": "user", "content": "hi"}], "model": "m"})
    assert no_auth.status_code == 401
    wrong_body_for_stream = httpx.post(
        srv.url + STREAM_PREFIX + "/serverless/v1/chat/completions",
        json={"messages": [{"role": "user", "content": "hi"}], "model": "m", "stream": "yes"},
        headers={"Authorization": "Bearer t", "Accept": "text/event-stream"})
    assert wrong_body_for_stream.status_code == 422


@pytest.mark.parametrize(("target", "doc", "op", "code"),
                         [pytest.param(*e, id=f"{e[0]}-{e[1]}-{e[2]}") for e in EXAMPLES])
def test_documented_example_is_accepted_by_prism(prisms, target, doc, op, code):
    srv = prisms[target]
    _, prefix, cred_var = TARGETS[target]
    is_stream = "event_stream" in code
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("FRIENDLI_", "ATOMASDK_"))}
    env.update({
        "PYTHONPATH": str(GENERATED / target / "src"),
        f"{prefix}_SERVER_URL": srv.url + (STREAM_PREFIX if is_stream else ""),
        cred_var: f"{target}-prism-token",
    })
    before = len(srv.text())
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=EXAMPLE_TIMEOUT, cwd=str(REPO), check=False)
    assert proc.returncode == 0, f"{proc.stderr[-3000:]}\n--- prism:\n{srv.text()[before:]}"
    # The example's request, as Prism saw it (the log is written asynchronously).
    deadline = time.monotonic() + 5
    while 'Responding with "200"' not in srv.text()[before:] and time.monotonic() < deadline:
        time.sleep(0.05)
    log = srv.text()[before:]
    assert log.count("Request received") == 1, log
    assert PASSED in log, log
    assert "✖" not in log and "Request terminated with error" not in log, log
    assert 'Responding with "200"' in log, log
    if is_stream:
        assert proc.stdout.count("tok") == 3, proc.stdout  # every event parsed into our model
    else:
        assert proc.stdout.strip(), "the example prints the parsed response"


# Beyond the examples: our SDKs with every optional field set, with every nullable field None
# and with nothing optional, also sent to Prism (inputs shared with tests/test_wire_compat.py).


CALLS = {
    ("friendli", "serverless.chat.complete"): (F_MESSAGES, {"full": F_CHAT_FULL,
                                                            "nulls": F_CHAT_NULLS}),
    ("friendli", "serverless.chat.stream"): (F_MESSAGES, {"full": F_CHAT_FULL,
                                                          "nulls": F_CHAT_NULLS}),
    ("friendli", "serverless.tool_assisted_chat.complete"): (F_MESSAGES[:2], {
        "full": F_TAC_FULL, "nulls": F_TAC_NULLS}),
    ("friendli", "serverless.tool_assisted_chat.stream"): (F_MESSAGES[:2], {
        "full": F_TAC_FULL, "nulls": F_TAC_NULLS}),
    ("atoma", "chat.create"): (A_MESSAGES, {"full": A_FULL, "nulls": A_NULLS}),
    ("atoma", "chat.stream"): (A_MESSAGES, {"full": A_FULL, "nulls": A_NULLS}),
}
CALL_PARAMS = [pytest.param(t, m, msgs, v, kw, id=f"{t}-{m}-{v}")
               for (t, m), (msgs, variants) in CALLS.items()
               for v, kw in [("minimal", {}), *variants.items()]]


@pytest.mark.parametrize(("target", "method", "messages", "variant", "extra"), CALL_PARAMS)
def test_sdk_call_is_accepted_by_prism(prisms, target, method, messages, variant, extra):
    for t in TARGETS:
        p = str(GENERATED / t / "src")
        if p not in sys.path:
            sys.path.insert(0, p)
    import atoma_sdk
    import friendli

    srv = prisms[target]
    is_stream = method.endswith(".stream")
    url = srv.url + (STREAM_PREFIX if is_stream else "")
    if target == "friendli":
        client = friendli.SyncFriendli(token="t", server_url=url,
                                       retry_config=friendli.RetryConfig("none"))
        model = "meta-llama-3.1-8b-instruct"
    else:
        client = atoma_sdk.AtomaSDK(bearer_auth="t", server_url=url,
                                    retry_config=atoma_sdk.RetryConfig("none"))
        model = "meta-llama/Llama-3.3-70B-Instruct"
    before = len(srv.text())
    fn = client
    for part in method.split("."):
        fn = getattr(fn, part)
    with client:
        res = fn(messages=copy.deepcopy(messages), model=model, **copy.deepcopy(extra))
        if is_stream:
            with res as events:
                assert len(list(events)) == 4
        else:
            assert res.choices
    deadline = time.monotonic() + 5
    while 'Responding with "200"' not in srv.text()[before:] and time.monotonic() < deadline:
        time.sleep(0.05)
    log = srv.text()[before:]
    assert PASSED in log and "✖" not in log, log

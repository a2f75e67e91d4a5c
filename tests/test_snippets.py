"""Every usage snippet sdkgen writes (README, USAGE, each operation's Example Usage) is
type-checked by pyright against the generated package: for the bundled SDKs, and (slow)
for the SDK of every corpus spec. The bundled SDKs' snippets also run unchanged against a
loopback chat server, with <PREFIX>_SERVER_URL pointing at it."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from corpus.checks import corpus_specs, generate, short_name, spec_facts
from support.chat_server import chat_handler
from support.checkers import pyright
from support.loopback import LoopbackServer
from support.snippets import Snippet, snippets, write_snippets

REPO = Path(__file__).resolve().parent.parent
BUNDLED = {"friendli": ("FRIENDLI_SERVER_URL", "FRIENDLI_TOKEN"),
           "atoma": ("ATOMASDK_SERVER_URL", "ATOMASDK_BEARER_AUTH")}
# a folder of this run's own (a fixed /tmp path is shared with concurrent and earlier runs,
# whose leftovers could be read); removed when the run ends
OUT = Path(tempfile.mkdtemp(prefix="sdkgen-test-snippets-"))
atexit.register(shutil.rmtree, OUT, ignore_errors=True)


def _type_errors(sdk_root: Path, tmp: Path) -> tuple[int, list[str]]:
    files = write_snippets(snippets(sdk_root), tmp)
    assert files, f"no usage snippet in {sdk_root}"
    diags = pyright(list(files), strict=False, extra_paths=[sdk_root / "src"])
    out = []
    for d in diags:
        s = files[Path(d["file"])]
        out.append(f"{s.page.relative_to(sdk_root)}:{s.line + d['range']['start']['line'] + 1}: "
                   f"{d['message']}")
    return len(files), out


@pytest.mark.parametrize("target", sorted(BUNDLED))
def test_bundled_snippets_type_check(target: str, tmp_path: Path) -> None:
    count, errors = _type_errors(REPO / "generated" / target, tmp_path)
    assert count >= 4
    assert errors == [], "\n".join(errors)


def _bundled() -> list[tuple[str, Snippet]]:
    return [(t, s) for t in sorted(BUNDLED) for s in snippets(REPO / "generated" / t)]


@pytest.mark.parametrize("target,snippet", _bundled(),
                         ids=lambda v: v if isinstance(v, str) else f"{v.page.parent.name}/"
                         f"{v.page.name}:{v.line}")
def test_bundled_snippet_runs_against_loopback(target: str, snippet: Snippet) -> None:
    url_var, token_var = BUNDLED[target]
    with LoopbackServer(chat_handler) as srv:
        env = dict(os.environ, **{url_var: srv.url, token_var: "secret-token"})
        env["PYTHONPATH"] = str(REPO / "generated" / target / "src")
        proc = subprocess.run([sys.executable, "-c", snippet.code], env=env,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        if " as " in snippet.code and "with " in snippet.code:  # a client is opened: a call
            assert srv.requests, "the snippet sent no request"
        assert all(r.headers.get("authorization") == "Bearer secret-token"
                   for r in srv.requests)


OPENAPI = [s for s in corpus_specs() if not spec_facts(s).version.startswith("swagger")]


@pytest.mark.slow
@pytest.mark.parametrize("spec", OPENAPI, ids=short_name)
def test_corpus_snippets_type_check(spec: Path, tmp_path: Path) -> None:
    out = OUT / short_name(spec)
    gen = generate(spec, out)
    assert gen.ok, gen.message
    count, errors = _type_errors(out, tmp_path)
    assert errors == [], f"{len(errors)} of {count} snippets:\n" + "\n".join(errors[:50])

"""The typing probe: files that use each SDK the way its docs do (tests/typing_probe/),
type-checked by pyright --strict against the generated package. `reveal_type` lines must
reveal the stated type; lines marked `# E` are misuses pyright must flag (stream=True on
the non-stream method, a misspelled import or message key, a wrong enum value...); every
other line must be clean. The same kind of probe runs on an SDK generated from the OpenAI
corpus spec (slow: it generates that SDK first)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from corpus.checks import CORPUS, generate
from support.checkers import pyright

REPO = Path(__file__).resolve().parent.parent
PROBES = REPO / "tests" / "typing_probe"
_REVEAL = re.compile(r"reveal_type\(.*\)\s*# T: (.+)$")
_TYPE_OF = re.compile(r'^Type of ".*" is "(.*)"$', re.S)


def _run_probe(probe: Path, src: Path) -> None:
    lines = probe.read_text().splitlines()
    expect_error = {i for i, ln in enumerate(lines) if ln.rstrip().endswith("# E")}
    expect_type = {i: m.group(1).strip() for i, ln in enumerate(lines)
                   if (m := _REVEAL.search(ln))}
    assert expect_error and expect_type, "a probe without expectations checks nothing"
    diags = pyright([probe], extra_paths=[src], all_severities=True)
    errors: dict[int, list[str]] = {}
    revealed: dict[int, str] = {}
    for d in diags:
        line = d["range"]["start"]["line"]
        if d["severity"] == "error":
            errors.setdefault(line, []).append(d["message"])
        elif d["severity"] == "information" and (m := _TYPE_OF.match(d["message"])):
            revealed[line] = m.group(1)
    problems = []
    for i in sorted(expect_error - set(errors)):
        problems.append(f"line {i + 1}: misuse not flagged: {lines[i].strip()}")
    for i in sorted(set(errors) - expect_error):
        problems.append(f"line {i + 1}: unexpected error {errors[i]}: {lines[i].strip()}")
    for i, want in sorted(expect_type.items()):
        if revealed.get(i) != want:
            problems.append(f"line {i + 1}: revealed {revealed.get(i)!r}, expected {want!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("target", ["friendli", "atoma"])
def test_probe_on_bundled_sdk(target: str) -> None:
    _run_probe(PROBES / f"probe_{target}.py", REPO / "generated" / target / "src")


@pytest.mark.slow
def test_probe_on_the_openai_corpus_sdk(tmp_path: Path) -> None:
    # (a fresh folder: a shared /tmp one kept an SDK of an earlier run, whose old package
    # name hid that the probe no longer matched what sdkgen generates)
    out = tmp_path / "openai"
    gen = generate(CORPUS / "llm" / "openai.openapi.yaml", out)
    assert gen.ok, gen.message
    _run_probe(PROBES / "probe_openai.py", out / "src")

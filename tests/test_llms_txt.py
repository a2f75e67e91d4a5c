"""llms.txt / llms-full.txt (https://llmstxt.org) in every generated SDK: an H1, a one-line
blockquote, prose, then H2 sections of `- [name](url): notes` lines, one per SDK method and
one per model, each link resolving to a generated file; llms-full.txt inlines the pages with
their links rebased. Checked by parsing with markdown-it-py (CommonMark), on the bundled
SDKs, corpus specs and a hostile spec, and for determinism across hash seeds."""

from __future__ import annotations

import json
import os
import posixpath
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import GENERATED, REPO, SHARED
from corpus.checks import short_name, spec_facts
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token
from test_corpus import OPENAPI
from test_corpus import OUT as CORPUS_OUT
from test_corpus import sdk as corpus_sdk

from sdkgen.config import default_config_for
from sdkgen.format import FormatCache
from sdkgen.pipeline import generate, generate_to
from sdkgen.render.llms import one_line

MD = MarkdownIt("commonmark")
BUNDLED = {"friendli": "friendli", "atoma": "atoma_sdk"}
CONFORMANCE = SHARED / "corpus" / "conformance"
SECTIONS = ["Docs", "Operations", "Models", "Optional"]


def entries(text: str) -> dict[str, list[tuple[str, str, str]]]:
    """{section: [(link text, href, note)]} of an llms.txt, asserting its shape on the way:
    H1, blockquote, paragraph, then H2 + bullet list pairs whose every item is one line with
    one link at its start and no HTML."""
    tokens = MD.parse(text)
    assert [t.type for t in tokens[:3]] == ["heading_open", "inline", "heading_close"]
    assert tokens[0].tag == "h1"
    assert tokens[3].type == "blockquote_open"
    assert not any(t.type.startswith("html") for t in tokens)
    assert not any(c.type.startswith("html") for t in tokens for c in t.children or [])
    blocks = [t for t in tokens if t.level == 0 and t.type.endswith("_open")]
    kinds = [f"{t.type[:-5]}:{t.tag}" for t in blocks]
    assert kinds[:3] == ["heading:h1", "blockquote:blockquote", "paragraph:p"], kinds
    rest = kinds[3:]
    assert rest == ["heading:h2", "bullet_list:ul"] * (len(rest) // 2), rest
    out: dict[str, list[tuple[str, str, str]]] = {}
    section = ""
    for i, t in enumerate(tokens):
        if t.type == "heading_open" and t.tag == "h2":
            section = tokens[i + 1].content
            out[section] = []
        elif t.type == "list_item_open":
            inline = tokens[i + 2]
            assert inline.type == "inline"
            para = tokens[i + 1].map
            assert para is not None and para[1] - para[0] == 1, "an entry spans lines"
            links = [c for c in inline.children or [] if c.type == "link_open"]
            assert len(links) == 1, inline.content
            kids: list[Token] = inline.children or []
            assert kids[0].type == "link_open"
            close = next(j for j, c in enumerate(kids) if c.type == "link_close")
            title = "".join(c.content for c in kids[1:close])
            rest_text = "".join(c.content for c in kids[close + 1:])
            assert rest_text == "" or rest_text.startswith(": "), inline.content
            out[section].append((title, str(links[0].attrs["href"]), rest_text[2:]))
    assert list(out) == [s for s in SECTIONS if s in out]
    lines = [ln for ln in text.splitlines() if ln.startswith("- [")]
    assert len(lines) == sum(len(v) for v in out.values())
    return out


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in root.rglob("*.md")}


def assert_links_resolve(root: Path, listed: dict[str, list[tuple[str, str, str]]]) -> None:
    pages = tree(root)
    for section, items in listed.items():
        for title, href, _ in items:
            assert not re.match(r"^[a-z]+:|^/", href), href  # relative to the SDK root
            path, _, anchor = href.partition("#")
            assert path in pages, f"{section}: {title} -> {href}"
            if anchor:
                assert f"\n## {anchor}\n" in pages[path].lower(), href


def assert_full(root: Path, index: str, full: str) -> None:
    """llms-full.txt: the index's head, then every linked page inlined once, in index order,
    no page swallowed by a code block left open, and every relative link in it resolving
    from the SDK root (but for the links of spec text that lead nowhere on their page too)."""
    head = index.split("\n## ", 1)[0]
    assert full.startswith(head)
    pages = tree(root)
    sources = re.findall(r"^<!-- source: (\S+) -->$", full, re.M)
    linked = []
    for _, items in entries(index).items():
        for _, href, _ in items:
            p = href.split("#")[0]
            if p not in linked and p != "USAGE.md":
                linked.append(p)
    assert sources == linked
    for src in sources:
        body = pages[src]
        heading = body.splitlines()[0]
        assert f"<!-- source: {src} -->\n\n{heading}\n" in full
    # every page starts outside a code block, even after one the spec's text left open
    tokens = MD.parse(full)
    comments = [t.content.strip() for t in tokens if t.type == "html_block"]
    assert [c for c in comments if c.startswith("<!-- source: ")] == \
        [f"<!-- source: {s} -->" for s in sources]
    spec_broken = set()  # links of the spec's own text that lead nowhere on their page
    for path, text in pages.items():
        for href in hrefs(MD.parse(text)):
            file = href.split("#")[0]
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), file))
            if file and target not in pages:
                spec_broken.add(target)
    for href in hrefs(tokens):
        assert href.split("#")[0] in set(pages) | spec_broken, href


def hrefs(tokens: list[Token]) -> list[str]:
    """The relative link targets of parsed markdown (URLs and absolute paths left out)."""
    return [str(c.attrs["href"]) for t in tokens for c in t.children or []
            if c.type == "link_open" and not re.match(r"^[a-z][a-z0-9+.-]*:|^/", str(c.attrs["href"]))]


def client_methods(src: Path, pkg: str, client_class: str) -> list[str]:
    """Every public method reachable from the sync client, as `<var>.a.b.method`, found by
    importing the generated package (a subprocess: packages of the same name elsewhere)."""
    probe = f"""
import inspect, json, {pkg} as p
cls = p.{client_class}
client = cls.__new__(cls)
cls.__init__(client, **{{a: "x" for a, q in inspect.signature(cls).parameters.items()
                         if q.default is inspect.Parameter.empty}})
found = []
def walk(obj, path):
    for k, v in sorted(vars(obj).items()):
        if not k.startswith("_") and type(v).__module__.startswith("{pkg}.resources"):
            walk(v, path + [k])
    for k, f in inspect.getmembers(type(obj), inspect.isfunction):
        if not k.startswith("_") and f.__module__.startswith("{pkg}.resources"):
            found.append(".".join(path + [k]))
walk(client, [])
print(json.dumps(found))
"""
    proc = subprocess.run([sys.executable, "-c", probe], cwd=src, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return list(json.loads(proc.stdout))


@pytest.mark.parametrize("target", sorted(BUNDLED))
def test_bundled_index_lists_every_method_and_model(target: str) -> None:
    root = GENERATED / target
    index = (root / "llms.txt").read_text(encoding="utf-8")
    listed = entries(index)
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert index.split("\n")[:3] == [readme.split("\n")[0], "", "> " + readme.split("\n")[2]]
    assert [t for t, _, _ in listed["Docs"]] == ["README", "Usage"]
    assert_links_resolve(root, listed)
    # every method of the client, as its call, and nothing else
    calls = [t for t, _, _ in listed["Operations"]]
    assert len(calls) == len(set(calls))
    # the prose names the client class and the variable the calls start with
    prose = re.search(r"`(\w+) = (\w+)\(\.\.\.\)`", index)
    assert prose is not None
    var, client_class = prose.groups()
    assert all(c.startswith(var + ".") for c in calls)
    methods = client_methods(root / "src", BUNDLED[target], client_class)
    assert sorted(c.split(".", 1)[1] for c in calls) == sorted(methods)
    # every model page once, in the docs' order of the models
    models = sorted(p for p in tree(root) if p.startswith("docs/models/") and "/utils/" not in p)
    hrefs = [h for _, h, _ in listed["Models"]]
    assert sorted(hrefs) == models
    for title, href, _ in listed["Models"]:
        assert tree(root)[href].startswith(f"# {title}\n")
    # notes are the operations' summaries
    for title, href, note in listed["Operations"]:
        summary = re.search(rf"\]\({re.escape(href)}\)(?: - (.*))?$", readme, re.M)
        assert summary is not None, (title, href)
        assert note.startswith(summary.group(1) or "("), (title, note)
    assert_full(root, index, (root / "llms-full.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize("spec", ["oai-3.0-pass/petstore-expanded.yaml",
                                  "oai-3.0-pass/uspto.yaml",
                                  "oai-3.1-pass/webhook-example.yaml"])
def test_corpus_specs(tmp_path: Path, spec: str) -> None:
    path = CONFORMANCE / spec
    out = tmp_path / "sdk"
    generate_to(path, default_config_for(path), out)
    index = (out / "llms.txt").read_text(encoding="utf-8")
    listed = entries(index)
    assert_links_resolve(out, listed)
    assert_full(out, index, (out / "llms-full.txt").read_text(encoding="utf-8"))
    if "webhook" in spec:
        assert "docs/webhooks/README.md" in [h for _, h, _ in listed["Optional"]]


EVIL = ("Evil ]( title [x](javascript:alert(1)) [y](https://evil.example/) | pipe | <script>alert(1)</script>\n"
        "# not a heading\n- not an item\r\n> not a quote\u2028``` fence\u0085`unclosed \\"
        + " long" * 80 + "\n\n```python\nan unclosed code block")


def hostile_spec() -> dict[str, Any]:
    obj = {"type": "object", "description": EVIL, "properties": {"a": {"type": "string"}}}
    op = {"summary": EVIL, "description": EVIL,
          "responses": {"200": {"description": EVIL, "content": {"application/json": {
              "schema": {"$ref": "#/components/schemas/Evil]Name(x)"}}}}}}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Hostile [API](x) | <b>", "version": "1", "description": EVIL},
        "servers": [{"url": "https://example.com"}],
        "tags": [{"name": "we]ird (tag)", "description": EVIL}],
        "paths": {
            "/a/{id}": {"get": {**op, "operationId": "get]thing(1)", "tags": ["we]ird (tag)"],
                                "parameters": [{"name": "id", "in": "path", "required": True,
                                                "schema": {"type": "string"}}]}},
            "/b": {"post": {**op, "operationId": "untagged op"}},
            "/c": {"get": {"operationId": "quiet", "responses": {"204": {"description": ""}}}},
        },
        "components": {"schemas": {
            "Evil]Name(x)": obj,
            "Kind": {"type": "string", "enum": ["a]b", "c\nd", "<e>"], "description": EVIL},
            "Either": {"oneOf": [{"$ref": "#/components/schemas/Evil]Name(x)"},
                                 {"type": "string"}], "description": EVIL},
        }},
    }


def test_hostile_spec_entries_stay_one_line_each(tmp_path: Path) -> None:
    (tmp_path / "spec.json").write_text(json.dumps(hostile_spec()))
    path = tmp_path / "spec.json"
    out = tmp_path / "sdk"
    generate_to(path, default_config_for(path), out)
    index = (out / "llms.txt").read_text(encoding="utf-8")
    listed = entries(index)  # no HTML, one link per one-line item, no stray blocks
    # the three schemas, and the request wrapper page of the operation with a path parameter
    assert len(listed["Operations"]) == 3 and len(listed["Models"]) == 4
    assert ("GetThing1Request", "docs/models/getthing1request.md", "") in listed["Models"]
    assert_links_resolve(out, listed)
    full = (out / "llms-full.txt").read_text(encoding="utf-8")
    assert_full(out, index, full)
    evil = [e for e in listed["Operations"] if not e[2].startswith("(")]
    assert len(evil) == 2
    for _, _, note in evil + [m for m in listed["Models"] if m[0] != "GetThing1Request"]:
        # the spec's text survives as text: the fake link's brackets and the tag are literal
        assert "[x](javascript:alert(1))" in note and "<script>" in note, note
        assert note.endswith("…") and len(note) < 400
    summary = MD.parse(index)[5]  # the blockquote's paragraph inline
    assert summary.type == "inline" and "\n" not in summary.content
    assert "[API](x)" in index.splitlines()[2].replace("\\", "")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab []()<>`\\|#*_-!:\n\r\u2028\x85\t>=&;"
                                             "\x00\x1b\u202e\ufeff\u00e9")),
               max_size=60))
def test_any_note_is_one_inert_line(text: str) -> None:
    note = one_line(text)
    assert "\n" not in note and "\r" not in note
    tokens = MD.parse(f"- [T](u): {note}\n- [U](v)\n")
    items = [t for t in tokens if t.type == "list_item_open"]
    assert len(items) == 2
    links = [c for t in tokens for c in t.children or [] if c.type == "link_open"]
    assert [str(c.attrs["href"]) for c in links] == ["u", "v"]
    assert not any(c.type.startswith("html") for t in tokens for c in t.children or [])
    # and reads as the text given: what is lost is only whitespace, emphasis marks and the
    # backticks of code spans
    inline = next(t for t in tokens if t.type == "inline")
    rendered = "".join(c.content for c in inline.children or [] if c.type in
                       ("text", "code_inline"))

    def bare(s: str) -> str:
        return "".join(c for c in s if c.isprintable() and not c.isspace() and c not in "`*_")

    assert bare(rendered) == bare("T:" + text)


def test_output_is_deterministic_across_hash_seeds(tmp_path: Path) -> None:
    spec = REPO / "specs" / "friendli" / "openapi.yaml"
    cfg = default_config_for(spec)
    first = generate(spec, cfg, cache=FormatCache(None)).files
    assert generate(spec, cfg, cache=FormatCache(None)).files["llms.txt"] == first["llms.txt"]
    probe = ("import sys, json; from pathlib import Path; from sdkgen.config import "
             "default_config_for; from sdkgen.format import FormatCache; from sdkgen.pipeline "
             "import generate; p = Path(sys.argv[1]); f = generate(p, default_config_for(p), "
             "cache=FormatCache(None)).files; print(json.dumps([f['llms.txt'], "
             "f['llms-full.txt']]))")
    for seed in ("1", "2"):
        proc = subprocess.run([sys.executable, "-c", probe, str(spec)], capture_output=True,
                              text=True, timeout=120, env={**os.environ, "PYTHONHASHSEED": seed})
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout) == [first["llms.txt"], first["llms-full.txt"]]


def test_rebased_links_point_from_the_root() -> None:
    full = (GENERATED / "friendli" / "llms-full.txt").read_text(encoding="utf-8")
    assert "](../" not in full and "](#" not in full
    page = "docs/sdks/friendlicoreserverlesschat/README.md"
    assert f"]({page}#complete)" in full


@pytest.mark.slow
@pytest.mark.parametrize("spec", OPENAPI, ids=short_name)
def test_every_corpus_sdk(spec: Path) -> None:
    """The corpus SDKs of tests/test_corpus.py (generated once per session): the index of
    each, and the full file of those under 3 MB (stripe's 8 MB alone takes a minute)."""
    gen, _ = corpus_sdk(spec)
    assert gen.ok, gen.message
    out = CORPUS_OUT / short_name(spec)
    index = (out / "llms.txt").read_text(encoding="utf-8")
    listed = entries(index)
    assert_links_resolve(out, listed)
    assert len(listed["Operations"]) >= spec_facts(spec).operations
    full = out / "llms-full.txt"
    if full.stat().st_size < 3_000_000:
        assert_full(out, index, full.read_text(encoding="utf-8"))

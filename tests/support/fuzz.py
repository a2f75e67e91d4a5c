"""A structure-aware spec fuzzer and its oracle (used by tests/test_fuzz.py, `make fuzz`
and tests/test_regressions.py).

A case is a real spec (the corpus in ../shared/corpus, the bundled specs/), cut down to a
few operations and what they reach, then mutated a few times: keys deleted, values swapped
for other JSON types, `$ref`s pointed at missing, cyclic or odd targets, schemas nested
deep, names and strings replaced by keywords, unicode, empty, huge or control-character
text (NUL, pipes, newlines), odd content types and path templates, or the document itself
emptied, grown or broken as text.

The oracle: `sdkgen generate` (the CLI, in a subprocess with a time and memory limit)
either refuses with located errors (`file[:line]: error: #/pointer: message`), no
traceback, and writes nothing; or it writes an SDK that compiles, whose every module
imports (in a fresh interpreter), whose every model and operation validator builds, and
whose markdown tables are whole (every row as many cells as its header).
"""

from __future__ import annotations

import compileall
import copy
import hashlib
import io
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus"
REGRESSIONS = REPO / "tests" / "regressions"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

GENERATE_TIMEOUT = 120.0  # seconds for `sdkgen generate` on one case
PROBE_TIMEOUT = 120.0  # seconds to import the SDK and build its validators
MEMORY_LIMIT = 4 * 1024 ** 3  # address space of each subprocess

try:
    _LOADER: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _LOADER = yaml.SafeLoader


# ---- the oracle ------------------------------------------------------------------------------
@dataclass
class Outcome:
    kind: str  # "refused" | "sdk" | "failure"
    detail: str = ""
    seconds: float = 0.0
    stderr: str = ""  # what `sdkgen generate` said

    @property
    def ok(self) -> bool:
        return self.kind != "failure"


_ERROR_LINE = re.compile(r"^(?P<file>\S.*?)(?::(?P<line>\d+))?: error: (?P<ptr>#\S*): (?P<msg>.+)$")


def _limits() -> None:  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    os.nice(5)


def _env(cache: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["SDKGEN_CACHE"] = str(cache) if cache else "off"
    return env


def run_case(spec: Path, out: Path, cache: Path | None = None,
             extra: tuple[str, ...] = ()) -> Outcome:
    """Generate `spec` into `out` with the CLI and judge the result."""
    start = time.perf_counter()
    if out.exists():
        shutil.rmtree(out)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "sdkgen.cli", "generate", "--spec", str(spec), "--out",
             str(out), "--show", "3", *extra], capture_output=True, text=True, cwd=REPO,
            timeout=GENERATE_TIMEOUT, preexec_fn=_limits, env=_env(cache), errors="replace")
    except subprocess.TimeoutExpired:
        return Outcome("failure", f"generate: no answer within {GENERATE_TIMEOUT:.0f}s",
                       time.perf_counter() - start)
    stderr = proc.stderr
    if ("Traceback (most recent call last)" in stderr or "internal-error" in stderr
            or proc.returncode not in (0, 1)):
        return Outcome("failure", f"generate: exit {proc.returncode}\n{_tail(stderr, 25)}",
                       time.perf_counter() - start)
    if proc.returncode == 1:
        outcome = _judge_refusal(stderr, out)
    else:
        outcome = check_sdk(out, import_name_for(spec))
    outcome.seconds = time.perf_counter() - start
    outcome.stderr = stderr
    return outcome


def _judge_refusal(stderr: str, out: Path) -> Outcome:
    errors = [line for line in stderr.splitlines() if ": error: " in line]
    if not errors:
        return Outcome("failure", f"generate: exit 1 without a located error\n{_tail(stderr)}")
    for line in errors:
        m = _ERROR_LINE.match(line)
        if m is None or m.group("file") == "<spec>":
            return Outcome("failure", f"generate: an error without a location: {line[:300]}")
    if out.exists():
        return Outcome("failure", f"generate refused the spec but wrote {out}")
    return Outcome("refused", errors[0][:300])


def import_name_for(spec: Path) -> str:
    from sdkgen.config import default_config_for

    return default_config_for(spec).import_name


def check_sdk(out: Path, import_name: str) -> Outcome:
    """Compile, import every module, build every validator, check the markdown tables."""
    src = out / "src"
    if not (src / import_name).is_dir():
        return Outcome("failure", f"no package {import_name} under {src}")
    buf = io.StringIO()
    saved = sys.stdout
    sys.stdout = buf  # compileall prints what it could not compile
    try:
        compiled = compileall.compile_dir(str(src), quiet=1, force=True)
    finally:
        sys.stdout = saved
    if not compiled:
        return Outcome("failure", f"does not compile:\n{_tail(buf.getvalue())}")
    try:
        proc = subprocess.run([sys.executable, "-c", _PROBE, import_name], capture_output=True,
                              text=True, cwd=src, timeout=PROBE_TIMEOUT, preexec_fn=_limits,
                              env=dict(_env(None), PYTHONPATH=str(src)), errors="replace")
    except subprocess.TimeoutExpired:
        return Outcome("failure", f"import: no answer within {PROBE_TIMEOUT:.0f}s")
    if proc.returncode != 0:
        return Outcome("failure", f"import probe: exit {proc.returncode}\n{_tail(proc.stderr)}")
    found = json.loads(proc.stdout.strip().splitlines()[-1])
    if found["failed"]:
        return Outcome("failure", "\n".join(found["failed"][:5]))
    broken = broken_tables(out)
    if broken:
        return Outcome("failure", "broken markdown tables:\n" + "\n".join(broken[:5]))
    return Outcome("sdk", f"{found['modules']} modules, {found['validators']} validators")


# Runs in a fresh interpreter with the SDK's src/ as the working folder.
_PROBE = r'''
import importlib, json, pkgutil, sys
pkg = sys.argv[1]
out = {"modules": 0, "validators": 0, "failed": []}
def fail(what, exc):
    out["failed"].append(f"{what}: {type(exc).__name__}: {str(exc).splitlines()[0][:300] if str(exc) else ''}")
root = importlib.import_module(pkg)
names = [pkg] + [m.name for m in pkgutil.walk_packages(root.__path__, pkg + ".")]
for name in names:
    try:
        importlib.import_module(name)
        out["modules"] += 1
    except Exception as exc:
        fail("import " + name, exc)
from pydantic import TypeAdapter
models = sys.modules.get(pkg + ".models")
for export in sorted(getattr(models, "_LAZY", {})):
    try:
        value = getattr(models, export)
        if isinstance(value, type) and issubclass(value, BaseException):
            continue  # a typed error: its body model is exported too
        TypeAdapter(value)
        out["validators"] += 1
    except Exception as exc:
        fail("validator models." + export, exc)
core = sys.modules.get(pkg + "._core")
for name in names:
    mod = sys.modules.get(name)
    for value in list(vars(mod).values()) if mod and core else []:
        adapters = [value] if isinstance(value, core.LazyAdapter) else []
        if isinstance(value, core.Operation):
            adapters += [value.success, value.stream.event if value.stream else None]
            adapters += [e.data for e in value.errors]
        for a in adapters:
            if isinstance(a, core.LazyAdapter):
                try:
                    a.get()
                    out["validators"] += 1
                except Exception as exc:
                    fail("validator in " + name, exc)
print(json.dumps(out))
'''


def _cells(row: str) -> int:
    body = row.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not _escaped_end(body) else body
    return len(_BARE_PIPE.split(body)) if body else 1


_BARE_PIPE = re.compile(r"(?<!\\)(?:\\\\)*\|")  # a cell separator: after an even run of \


def _escaped_end(text: str) -> bool:
    """Does the `|` at the end of `text` follow an odd run of backslashes (escaped)?"""
    run = len(text[:-1]) - len(text[:-1].rstrip("\\"))
    return run % 2 == 1


_SEPARATOR = re.compile(r"^\|(\s*:?-+:?\s*\|)+\s*$")


def broken_tables(out: Path) -> list[str]:
    """Every markdown table of the output whose rows do not all have the header's number of
    cells, or whose row is cut (does not end with `|`, e.g. by a newline in a cell)."""
    problems = []
    for md in sorted(out.rglob("*.md")):
        # (markdown ends lines at \n and \r only, not at U+2028 as str.splitlines does)
        lines = md.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
        in_code = False
        i = 0
        while i < len(lines):
            line = lines[i]
            if line.lstrip().startswith("```"):
                in_code = not in_code
            if (not in_code and line.startswith("|") and i + 1 < len(lines)
                    and _SEPARATOR.match(lines[i + 1])):
                width = _cells(line)
                j = i + 1
                while j < len(lines) and lines[j].startswith("|"):
                    row = lines[j].rstrip()
                    if _cells(row) != width or not row.endswith("|") or _escaped_end(row):
                        problems.append(f"{md.relative_to(out)}:{j + 1}: {row[:200]!r} "
                                        f"(header has {width} cells)")
                    j += 1
                if j < len(lines) and lines[j].strip() and not lines[j].startswith("#"):
                    # a row cut by a newline continues on a line that is no row
                    prev = lines[j - 1].rstrip()
                    if not prev.endswith("|"):
                        problems.append(f"{md.relative_to(out)}:{j}: row cut: {prev[:200]!r}")
                i = j
                continue
            i += 1
    return problems


def _tail(text: str, n: int = 12) -> str:
    return "\n".join(text.strip().splitlines()[-n:])


# ---- seeds ---------------------------------------------------------------------------------------
def seed_groups() -> list[list[Path]]:
    """The real specs mutations start from, in groups drawn from equally (the OpenAPI
    Initiative's small examples; vendors' specs; the parity corpus; the bundled specs).
    Swagger 2.0 is left out."""
    def specs(*patterns: str) -> list[Path]:
        found: list[Path] = []
        for pattern in patterns:
            found += sorted(p for p in CORPUS.glob(pattern) if p.suffix in (".yaml", ".json")
                            and "swagger" not in p.name)
        return found

    groups = [specs("conformance/oai-3.0-pass/*", "conformance/oai-3.1-pass/*"),
              specs("llm/*", "scale/*") + specs("history/openai/*.yaml")[-1:],
              specs("parity/*/openapi.*"),
              sorted((REPO / "specs").glob("*/openapi.yaml"))]
    return [g for g in groups if g]


def seed_files() -> list[Path]:
    return [p for group in seed_groups() for p in group]


@lru_cache(maxsize=None)
def _seed_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def load_seed(path: Path) -> Any:
    from sdkgen.docparse import parse_text  # (YAML 1.2 anchors, as sdkgen reads them)

    return parse_text(_seed_text(path), str(path))


@lru_cache(maxsize=None)
def _seed_data_json(path: Path) -> str:
    return json.dumps(load_seed(path))


def seed(path: Path) -> Any:
    """A fresh copy of a seed's data (parsed once per process)."""
    return json.loads(_seed_data_json(path))


def shrink(doc: Any, rng: random.Random, max_paths: int = 6, max_schemas: int = 400) -> Any:
    """Keep a few random operations' path items and the components they reach (the first
    `max_schemas` schemas reached: references to the others become plain objects)."""
    if not isinstance(doc, dict) or not isinstance(doc.get("paths"), dict):
        return doc
    keys = list(doc["paths"])
    if len(keys) > max_paths:
        keep = set(rng.sample(keys, max_paths))
        doc["paths"] = {k: v for k, v in doc["paths"].items() if k in keep}
    comps = doc.get("components")
    if not isinstance(comps, dict):
        return doc
    reached: set[tuple[str, str]] = set()
    todo = [v for k, v in doc.items() if k != "components"]
    for section in ("securitySchemes",):
        todo.append(comps.get(section))
    while todo:
        node = todo.pop(0) if len(todo) < 5000 else todo.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/"):
                parts = ref.split("/")
                if len(parts) >= 4:
                    name = parts[3].replace("~1", "/").replace("~0", "~")
                    if (parts[2], name) not in reached:
                        reached.add((parts[2], name))
                        section = comps.get(parts[2])
                        if isinstance(section, dict) and name in section:
                            todo.append(section[name])
            todo.extend(v for k, v in node.items() if isinstance(v, (dict, list)))
            # a discriminator mapping names schemas by reference too
            mapping = node.get("mapping")
            if isinstance(mapping, dict):
                for target in mapping.values():
                    if isinstance(target, str) and target.startswith("#/components/schemas/"):
                        todo.append({"$ref": target})
        elif isinstance(node, list):
            todo.extend(v for v in node if isinstance(v, (dict, list)))
    for section, members in list(comps.items()):
        if isinstance(members, dict) and section != "securitySchemes":
            comps[section] = {k: v for k, v in members.items() if (section, k) in reached}
    schemas = comps.get("schemas")
    if isinstance(schemas, dict) and len(schemas) > max_schemas:
        # cut the rest: the schemas reached last become plain objects
        keep = set(list(schemas)[:max_schemas])
        comps["schemas"] = {k: v for k, v in schemas.items() if k in keep}
        for container, key, _ in _places(doc):
            ref = container[key].get("$ref") if isinstance(container[key], dict) else None
            if isinstance(ref, str) and ref.startswith("#/components/schemas/") and ref[
                    len("#/components/schemas/"):].replace("~1", "/").replace("~0", "~") not in keep:
                container[key] = {"type": "object", "description": "(cut by the fuzzer)"}
    return doc


MAX_SCHEMAS = 150  # a case reaching more is cut again (Stripe's operations reach ~1,000)


def small_case(path: Path, rng: random.Random) -> Any:
    """A few operations of the seed and at most MAX_SCHEMAS schemas they reach."""
    return shrink(seed(path), rng, max_paths=rng.choice([1, 3, 6]), max_schemas=MAX_SCHEMAS)


# ---- mutations -------------------------------------------------------------------------------------
WEIRD_NAMES = [
    "class", "None", "return", "async", "match", "self", "import", "True", "__init__", "_",
    "CON", "nul", "Aux", "com1", "LPT9", "sdk", "models", "utils", "errors", "types",
    "BaseModel", "model_config", "Optional", "List", "str", "json", "pydantic",
    "", " ", "0", "123abc", "-", "a-b", "a.b", "a/b", "a~b", "a b", "a__b",
    "ünïcødé", "名前", "имя", "🙂", "\u202eevil", "İstanbul", "ß", "Ǆ",
    "a\x00b", "\x07bell", "a\nb", "a\r\nb", "a\tb", "a|b", "|", "a`b", "```", "a\\b",
    '"""', "'''", "*/", "{{ x }}", "{% raw %}", "<script>", "[x](y)", "# h", "a\u2028b",
    "x" * 300, "Y" * 5000, "Pet", "pet", "PET",
]
WEIRD_STRINGS = WEIRD_NAMES + [
    "line1\nline2\n\nline4", "| a | b |\n|---|---|\n| 1 | 2 |", "\\", "\\|", "a\\nb",
    "z" * 100_000, "\x00" * 10, "\ufeff", "end\\", "trailing space ", "\t",
]
ODD_CONTENT_TYPES = [
    "", "*/*", "application/json; charset=utf-8", "APPLICATION/JSON", "text/event-stream",
    "application/x-ndjson", "multipart/form-data", "application/x-www-form-urlencoded",
    "application/xml", "application/vnd.api+json", "foo", "application/json\n", "image/*",
    "application/octet-stream", "text/plain", "application/problem+json", "a|b/c",
]
ODD_PATHS = [
    "/{a}/{a}", "/{}", "/{", "/x/{id", "/{id}}", "/a b", "/", "", "no-slash", "/{ünï}",
    "/x#frag", "/x?q=1&r", "/{class}", "/{None}", "/a|b", "/a\nb", "/{a-b}/{a_b}", "//",
    "/" + "p" * 400, "/{x}{y}", "/~1",
]
ODD_REFS = [
    "#/components/schemas/Missing", "#/components/schemas/Pett", "#", "#/paths",
    "#/info/version", "#/info", "#/components", "#/components/schemas", "other.yaml#/A",
    "/etc/passwd", "/dev/zero", "http://example.com/a.yaml#/A", "", "%", "#/a~2b",
    "#/components/schemas/a~1b", "../../outside.yaml", "#/components/parameters/X",
    "./", "#/openapi", "#/servers/0",
]
OTHER_VALUES: list[Any] = [None, 0, -1, 1.5, 10 ** 30, True, False, "", "x", [], {}, [None],
                           {"": None}, "3.1.0", ["a", 1, None]]


@dataclass
class Case:
    seed: str
    steps: list[str] = field(default_factory=list)
    doc: Any = None  # the mutated data, or None when `text` is the document
    text: str | None = None
    binary: bytes | None = None

    def write(self, path: Path, rng: random.Random) -> Path:
        if self.binary is not None:
            path = path.with_suffix(".yaml")
            path.write_bytes(self.binary)
            return path
        if self.text is not None:
            path = path.with_suffix(".yaml")
            path.write_text(self.text, encoding="utf-8")
            return path
        if rng.random() < 0.5:
            path = path.with_suffix(".json")
            path.write_text(json.dumps(self.doc, ensure_ascii=rng.random() < 0.5),
                            encoding="utf-8")
        else:
            path = path.with_suffix(".yaml")
            path.write_text(yaml.safe_dump(self.doc, allow_unicode=rng.random() < 0.5,
                                           sort_keys=False, width=1_000_000), encoding="utf-8")
        return path


def _places(doc: Any) -> list[tuple[Any, Any, tuple]]:
    """(container, key, path of keys) for every value in the document."""
    out: list[tuple[Any, Any, tuple]] = []
    stack: list[tuple[Any, tuple]] = [(doc, ())]
    while stack:
        node, path = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(
            node, list) else ()
        for k, v in items:
            p = (*path, k)
            out.append((node, k, p))
            if isinstance(v, (dict, list)):
                stack.append((v, p))
    return out


def _ptr(path: tuple) -> str:
    """The JSON pointer (URI fragment) of a path of keys."""
    return "#" + "".join("/" + _escape(str(k)) for k in path)


def _schemas(doc: Any) -> list[tuple[Any, Any, tuple]]:
    """Places that hold a Schema Object (by where they are)."""
    out = []
    for container, key, path in _places(doc):
        value = container[key]
        if not isinstance(value, dict):
            continue
        if key in ("schema", "items", "additionalProperties", "not") or (
                len(path) >= 2 and path[-2] in ("schemas", "properties", "allOf", "anyOf",
                                                "oneOf", "$defs")):
            out.append((container, key, path))
    return out


def _keyed(doc: Any, parent_keys: tuple[str, ...]) -> list[tuple[dict, Any]]:
    """(mapping, key) for each key of each mapping that sits under one of `parent_keys`."""
    out = []
    for container, key, _ in _places(doc):
        if key in parent_keys and isinstance(container[key], dict):
            out += [(container[key], k) for k in container[key]]
    return out


def _rename(mapping: dict, old: Any, new: Any) -> None:
    items = [(new if k == old else k, v) for k, v in mapping.items()]
    mapping.clear()
    mapping.update(items)


def m_delete_key(doc: Any, rng: random.Random) -> str:
    places = [(c, k, p) for c, k, p in _places(doc) if isinstance(c, (dict, list))]
    if not places:
        return "nothing to delete"
    c, k, p = rng.choice(places)
    del c[k]
    return f"delete {_ptr(p)}"


def m_swap_type(doc: Any, rng: random.Random) -> str:
    places = _places(doc)
    if not places:
        return "nothing to swap"
    c, k, p = rng.choice(places)
    c[k] = copy.deepcopy(rng.choice(OTHER_VALUES))
    return f"swap {_ptr(p)} -> {json.dumps(c[k])[:40]}"


def m_odd_ref(doc: Any, rng: random.Random) -> str:
    schemas = _schemas(doc)
    if not schemas:
        return "no schema"
    c, k, p = rng.choice(schemas)
    choice = rng.random()
    if choice < 0.3:  # at itself or at an ancestor: a cycle
        target = _ptr(p[:rng.randint(0, len(p))])
    elif choice < 0.4:
        target = _ptr(rng.choice(_places(doc))[2])
    else:
        target = rng.choice(ODD_REFS)
    c[k] = {"$ref": target} if rng.random() < 0.8 else {"allOf": [{"$ref": target}]}
    return f"ref {_ptr(p)} -> {target!r}"


def m_cycle(doc: Any, rng: random.Random) -> str:
    comps = doc.setdefault("components", {}) if isinstance(doc, dict) else None
    if not isinstance(comps, dict):
        return "no components"
    schemas = comps.setdefault("schemas", {})
    if not isinstance(schemas, dict):
        return "schemas not a mapping"
    kind = rng.choice(["self", "pair", "allof", "prop", "anyof"])
    if kind == "self":
        schemas["Z"] = {"$ref": "#/components/schemas/Z"}
    elif kind == "pair":
        schemas["Z1"] = {"$ref": "#/components/schemas/Z2"}
        schemas["Z2"] = {"$ref": "#/components/schemas/Z1"}
    elif kind == "allof":
        schemas["Z"] = {"allOf": [{"$ref": "#/components/schemas/Z"}]}
    elif kind == "prop":
        schemas["Z"] = {"type": "object", "required": ["z", "z-z"],
                        "properties": {"z": {"$ref": "#/components/schemas/Z"},
                                       "z-z": {"type": "array",
                                               "items": {"$ref": "#/components/schemas/Z"}}}}
    else:
        schemas["Z"] = {"anyOf": [{"$ref": "#/components/schemas/Z"}, {"type": "null"}]}
    _use_schema(doc, rng, "#/components/schemas/" + ("Z1" if kind == "pair" else "Z"))
    return f"cycle {kind}"


def _use_schema(doc: Any, rng: random.Random, ref: str) -> None:
    """Point a random schema of an operation at `ref` (so that the SDK needs it)."""
    ops = [s for s in _schemas(doc) if s[2][:1] == ("paths",)]
    if ops:
        c, k, _ = rng.choice(ops)
        c[k] = {"$ref": ref}


def m_deep(doc: Any, rng: random.Random) -> str:
    schemas = _schemas(doc)
    if not schemas:
        return "no schema"
    c, k, p = rng.choice(schemas)
    depth = rng.choice([5, 30, 63, 64, 65, 150, 400])
    kw = rng.choice(["properties", "items", "additionalProperties", "allOf", "anyOf", "mixed"])
    node = c[k]
    for i in range(depth):
        w = kw if kw != "mixed" else rng.choice(["properties", "items", "additionalProperties"])
        if w == "properties":
            node = {"type": "object", "properties": {f"p{i % 3}": node}}
        elif w == "items":
            node = {"type": "array", "items": node}
        elif w == "additionalProperties":
            node = {"type": "object", "additionalProperties": node}
        else:
            node = {w: [node, {"type": "object", "properties": {"x": {"type": "string"}}}]}
    c[k] = node
    return f"nest {_ptr(p)} {depth}x {kw}"


def m_rename(doc: Any, rng: random.Random) -> str:
    kinds = {
        "schema name": ("schemas",), "property": ("properties",), "path": ("paths",),
        "response code": ("responses",), "content type": ("content",),
        "security scheme": ("securitySchemes",), "enum-ish": ("mapping",),
    }
    kind = rng.choice(list(kinds))
    found = _keyed(doc, kinds[kind])
    if not found:
        return f"no {kind}"
    mapping, old = rng.choice(found)
    if kind == "content type":
        new: Any = rng.choice(ODD_CONTENT_TYPES)
    elif kind == "path":
        new = rng.choice(ODD_PATHS)
    elif kind == "response code":
        new = rng.choice(["200", "2XX", "default", "999", "abc", "", "1XX", "204", "500"])
    else:
        new = rng.choice(WEIRD_NAMES)
    if kind == "schema name" and rng.random() < 0.7:
        _retarget(doc, f"#/components/schemas/{old}", f"#/components/schemas/{_escape(new)}")
    _rename(mapping, old, new)
    return f"rename {kind} {str(old)[:30]!r} -> {str(new)[:30]!r}"


def _escape(token: str) -> str:
    from urllib.parse import quote

    return quote(token.replace("~", "~0").replace("/", "~1"), safe="~!$&'()*+,;=:@-._")


def _retarget(doc: Any, old: str, new: str) -> None:
    for c, k, _ in _places(doc):
        if k == "$ref" and c[k] == old:
            c[k] = new


def m_strings(doc: Any, rng: random.Random) -> str:
    """Weird text in names and descriptions of every kind."""
    keys = ("description", "summary", "title", "operationId", "name", "x-speakeasy-name-override",
            "x-speakeasy-group", "default", "example", "pattern", "format", "url", "version",
            "const", "tags")
    found = [(c, k, p) for c, k, p in _places(doc) if k in keys]
    if not found:
        return "no strings"
    c, k, p = rng.choice(found)
    value = rng.choice(WEIRD_STRINGS)
    c[k] = [value] if k == "tags" else value
    return f"text {_ptr(p)} = {value[:30]!r}"


def m_enum(doc: Any, rng: random.Random) -> str:
    schemas = _schemas(doc)
    if not schemas:
        return "no schema"
    c, k, p = rng.choice(schemas)
    values = rng.choice([[], [None], ["a", "a"], ["a", 1, None, True], [rng.choice(WEIRD_NAMES)
                         for _ in range(3)], [1.5, 2], [{"a": 1}], ["", " ", "-", "_"]])
    c[k] = {"type": rng.choice(["string", "integer", ["string", "null"], None]), "enum": values}
    if c[k]["type"] is None:
        del c[k]["type"]
    return f"enum {_ptr(p)} {values!r}"[:80]


def m_required(doc: Any, rng: random.Random) -> str:
    objs = [(c, k, p) for c, k, p in _schemas(doc) if isinstance(c[k].get("properties"), dict)]
    if not objs:
        return "no object"
    c, k, p = rng.choice(objs)
    c[k]["required"] = rng.choice([["missing"], [1], "x", None, [], ["a", "a"],
                                   list(c[k]["properties"]) * 2])
    return f"required {_ptr(p)} = {c[k]['required']!r}"[:80]


def m_collide(doc: Any, rng: random.Random) -> str:
    schemas = (doc.get("components") or {}).get("schemas") if isinstance(doc, dict) else None
    if not isinstance(schemas, dict) or not schemas:
        return "no schemas"
    name = str(rng.choice(list(schemas)))
    twin = rng.choice([name.lower(), name.upper(), name.swapcase(), name + "TypedDict",
                       name + "_", name.replace("_", "-")])
    if twin != name:
        schemas[twin] = copy.deepcopy(schemas[name])
        _use_schema(doc, rng, f"#/components/schemas/{_escape(twin)}")
    return f"collide {name!r} / {twin!r}"


def m_version(doc: Any, rng: random.Random) -> str:
    value = rng.choice(["3.0.0", "3.0.3", "3.1.0", "3.1.1", "3.2.0", "3.1", 3.1, "2.0", None,
                        "4.0.0", ""])
    if value is None:
        doc.pop("openapi", None)
    else:
        doc["openapi"] = value
    return f"openapi = {value!r}"


def m_huge(doc: Any, rng: random.Random) -> str:
    """Many copies of one path item (under new paths, with fresh operationIds)."""
    paths = doc.get("paths")
    if not isinstance(paths, dict) or not paths:
        return "no paths"
    key = rng.choice(list(paths))
    n = rng.choice([50, 200])
    for i in range(n):
        item = copy.deepcopy(paths[key])
        for method in HTTP_METHODS:
            if isinstance(item, dict) and isinstance(item.get(method), dict):
                item[method]["operationId"] = f"copy{i}{method}"
        paths[f"/copy{i}{key if isinstance(key, str) else ''}"] = item
    return f"huge {n} copies of {key!r}"[:80]


EXTENSIONS = {
    "operation": ["x-speakeasy-name-override", "x-speakeasy-group", "x-speakeasy-retries",
                  "x-speakeasy-pagination", "x-speakeasy-max-method-params", "x-speakeasy-ignore",
                  "x-speakeasy-usage-example", "x-speakeasy-deprecation-message",
                  "x-speakeasy-stream-request-field"],
    "schema": ["x-speakeasy-enums", "x-speakeasy-unknown-values", "x-speakeasy-name-override",
               "x-speakeasy-enum-as-const", "x-speakeasy-ignore",
               "x-speakeasy-deprecation-message", "x-nullable"],
    "root": ["x-speakeasy-globals", "x-speakeasy-retries"],
    "media": ["x-speakeasy-sse-sentinel"],
    "server": ["x-speakeasy-server-id"],
}
EXTENSION_VALUES: list[Any] = [
    None, True, False, 0, -3, 2, 1.5, "", "x", "class", "a|b", "abc", [], ["a", "b"], {}, [None],
    {"strategy": "backoff", "backoff": {"initialInterval": "abc", "maxInterval": None,
                                        "exponent": "e", "maxElapsedTime": []},
     "statusCodes": ["5XX", 429, None], "retryConnectionErrors": "yes"},
    {"type": "cursor", "inputs": [{"name": "cursor", "in": "parameters", "type": "cursor"}],
     "outputs": {"nextCursor": "$.next"}},
    {"type": "offsetLimit", "inputs": [{"name": "page", "in": "x", "type": "page"}],
     "outputs": {"results": "$.data[0]", "numPages": "nope"}},
    {"type": "url", "outputs": {"nextUrl": ""}},
    {"parameters": [{"name": "X-Team", "in": "header", "schema": {"type": "string"}},
                    {"$ref": "#/nowhere"}, 5]},
    {"position": "first"}, {"a": 1, "b": None},
]


def m_extension(doc: Any, rng: random.Random) -> str:
    """An x-speakeasy-* extension, of a right or a wrong shape, where sdkgen reads it."""
    where = rng.choice(list(EXTENSIONS))
    if where == "root":
        holders: list[Any] = [doc]
    elif where == "operation":
        holders = [op for item in _mapping(doc.get("paths")).values()
                   for m, op in _mapping(item).items() if m in HTTP_METHODS and isinstance(op, dict)]
    elif where == "schema":
        holders = [c[k] for c, k, _ in _schemas(doc)]
    elif where == "media":
        holders = [c[k] for c, k, p in _places(doc)
                   if len(p) >= 2 and p[-2] == "content" and isinstance(c[k], dict)]
    else:
        holders = [s for s in doc.get("servers") or [] if isinstance(s, dict)]
    if not holders:
        return f"no {where}"
    holder = rng.choice(holders)
    key = rng.choice(EXTENSIONS[where])
    holder[key] = copy.deepcopy(rng.choice(EXTENSION_VALUES + WEIRD_NAMES[:12]))
    return f"{key} = {json.dumps(holder[key])[:50]}"


def _mapping(node: Any) -> dict:
    return node if isinstance(node, dict) else {}


MUTATIONS: list[Callable[[Any, random.Random], str]] = [
    m_delete_key, m_swap_type, m_odd_ref, m_cycle, m_deep, m_rename, m_strings, m_enum,
    m_required, m_collide, m_version, m_huge, m_extension,
]
WEIGHTS = [3, 3, 3, 1, 1, 4, 4, 2, 1, 1, 0.5, 0.3, 3]

TEXT_CASES: list[str | bytes] = [
    "", "{}", "[]", "null", "openapi: 3.1.0\n", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n",
    "\x00", "\ufeffopenapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    "openapi: 3.1.0\ninfo: &i {title: t, version: '1', x: *i}\npaths: {}\n",
    "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\nx-a: &a [1]\nx-b: &a [2]\n"
    "x-c: *a\n",
    "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\nx: *undefined\n",
    "openapi: 3.1.0\n\tinfo: {}\n",
    b"openapi: 3.1.0\ninfo: {title: \xff\xfe, version: '1'}\npaths: {}\n",
    "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n" + "x-l: " + "[" * 2000 + "]" * 2000
    + "\n",
    '{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "x": '
    + '[' * 3000 + ']' * 3000 + '}',
    "a: &a [*a]\n",
    "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\nx-a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"x-{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
              for p, c in zip("abcdefgh", "bcdefghi")),
]


def text_case(rng: random.Random, base: str) -> tuple[str | bytes, str]:
    """A document broken as text: cut, a byte changed, CRLF, tabs, or a canned hostile one."""
    choice = rng.random()
    if choice < 0.4:
        item = rng.choice(TEXT_CASES)
        return item, f"text case {TEXT_CASES.index(item)}"
    if choice < 0.6:
        cut = rng.randint(0, len(base))
        return base[:cut], f"cut at {cut}"
    if choice < 0.8 and base:
        i = rng.randrange(len(base))
        ch = rng.choice(["\x00", "\t", "{", "}", "[", "&", "*", "!", "|", ">", "%", "@", "`", "\"",
                         "'", "\n", ":", "#", "\x85", "\u2028"])
        return base[:i] + ch + base[i + 1:], f"byte {i} = {ch!r}"
    return base.replace("\n", "\r\n"), "CRLF"


def make_case(rng: random.Random, groups: list[list[Path]]) -> Case:
    path = rng.choice(rng.choice(groups))
    case = Case(seed=str(path.relative_to(REPO.parent)) if REPO.parent in path.parents
                else str(path))
    doc = small_case(path, rng)
    if rng.random() < 0.08:
        base = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=1_000_000)
        text, step = text_case(rng, base)
        case.steps.append(step)
        if isinstance(text, bytes):
            case.binary = text
        else:
            case.text = text
        return case
    for _ in range(rng.choice([1, 1, 2, 3])):
        mutation = rng.choices(MUTATIONS, WEIGHTS)[0]
        if not isinstance(doc, dict):
            break
        try:
            case.steps.append(mutation(doc, rng))
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            case.steps.append(f"{mutation.__name__} skipped ({type(exc).__name__})")
    case.doc = doc
    return case


# ---- the loop ------------------------------------------------------------------------------------
@dataclass
class Failure:
    case: Case
    spec: Path
    outcome: Outcome


@dataclass
class Run:
    seed: int
    cases: int = 0
    refused: int = 0
    sdks: int = 0
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0


def fuzz(seed_value: int, seconds: float, work: Path, seeds: list[list[Path]] | None = None,
         max_cases: int | None = None, log: Callable[[str], None] | None = None) -> Run:
    """Run cases until `seconds` have passed (or `max_cases` ran); failures are kept."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20_000))  # (deep cases are dumped)
    rng = random.Random(seed_value)
    seeds = seeds or seed_groups()
    run = Run(seed_value)
    start = time.perf_counter()
    cache = work / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    while time.perf_counter() - start < seconds and (max_cases is None or run.cases < max_cases):
        case_rng = random.Random(rng.getrandbits(64))
        case = make_case(case_rng, seeds)
        folder = work / f"case{run.cases}"
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        spec = case.write(folder / "spec", case_rng)
        outcome = run_case(spec, folder / "out", cache)
        run.cases += 1
        if outcome.kind == "refused":
            run.refused += 1
        elif outcome.kind == "sdk":
            run.sdks += 1
        else:
            run.failures.append(Failure(case, spec, outcome))
        if log:
            log(f"case {run.cases - 1} [{case.seed}] {'; '.join(case.steps)[:150]}: "
                f"{outcome.kind} ({outcome.seconds:.1f}s) {outcome.detail.splitlines()[0][:150] if outcome.detail else ''}")
        if outcome.ok:
            shutil.rmtree(folder, ignore_errors=True)
    run.seconds = time.perf_counter() - start
    return run


def signature(outcome: Outcome) -> str:
    """What a failure is, without the details that change as the spec shrinks."""
    first = outcome.detail.splitlines()
    text = " ".join(first[-3:]) if first else ""
    return re.sub(r"\d+|'[^']*'|\"[^\"]*\"|/\S+", "_", text)[:200]


def minimise(spec: Path, work: Path, budget: float = 300.0,
             log: Callable[[str], None] | None = None) -> Path:
    """Delete what the failure does not need (greedy, one key or item at a time, within
    `budget` seconds); returns the smallest failing spec found (written beside `spec`)."""
    from sdkgen.docparse import parse_text

    text = spec.read_bytes()
    try:
        doc = parse_text(text.decode("utf-8"), str(spec))
    except Exception:
        return spec  # a text-level case: kept as it is
    first = run_case(spec, work / "min-out")
    want = signature(first)
    if first.ok:
        return spec
    best = doc
    deadline = time.perf_counter() + budget
    suffix = spec.suffix
    trial = spec.with_name("min" + suffix)
    changed = True
    while changed and time.perf_counter() < deadline:
        changed = False
        for _, key, path in sorted(_places(best), key=lambda x: len(x[2])):
            if time.perf_counter() > deadline:
                break
            candidate = copy.deepcopy(best)
            parent = _at(candidate, path[:-1])
            if parent is None:
                continue
            try:
                del parent[key]
            except (KeyError, IndexError, TypeError):
                continue
            _dump(candidate, trial)
            outcome = run_case(trial, work / "min-out")
            if not outcome.ok and signature(outcome) == want:
                best = candidate
                changed = True
                if log:
                    log(f"  minimise: dropped {_ptr(path)}")
                break
    out = spec.with_name("minimised" + suffix)
    _dump(best, out)
    return out


def _at(doc: Any, path: tuple) -> Any:
    node = doc
    for key in path:
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _dump(doc: Any, path: Path) -> None:
    if path.suffix == ".json":
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True,
                                       width=1_000_000), encoding="utf-8")


def keep_regression(spec: Path, outcome: Outcome) -> Path:
    """Copy a (minimised) failing spec into tests/regressions/ (named by its content)."""
    data = spec.read_bytes()
    name = "fuzz-" + hashlib.sha256(data).hexdigest()[:10] + spec.suffix
    REGRESSIONS.mkdir(exist_ok=True)
    target = REGRESSIONS / name
    target.write_bytes(data)
    return target


def iter_regressions() -> Iterator[Path]:
    yield from sorted(p for p in REGRESSIONS.glob("*") if p.suffix in (".yaml", ".json")
                      and not p.name.startswith("_"))


def main() -> int:
    """`make fuzz`: FUZZ_SECONDS (default 1800) of cases from FUZZ_SEED (default: random,
    printed); failures are minimised and kept under tests/regressions/."""
    seconds = float(os.environ.get("FUZZ_SECONDS", "1800"))
    seed_value = int(os.environ.get("FUZZ_SEED") or random.SystemRandom().randrange(2 ** 32))
    work = Path(os.environ.get("FUZZ_WORK", "/tmp/sdkgen-fuzz"))
    print(f"fuzz: seed {seed_value}, {seconds:.0f}s (FUZZ_SEED={seed_value} to replay), "
          f"cases under {work}", flush=True)
    run = fuzz(seed_value, seconds, work, log=lambda line: print(line, flush=True))
    for failure in run.failures:
        print(f"\nFAILURE [{failure.case.seed}] {'; '.join(failure.case.steps)}\n"
              f"{failure.outcome.detail}\nspec: {failure.spec}", flush=True)
        if run_case(failure.spec, failure.spec.parent / "again").ok:
            print("  passes now (the code changed during the run): not kept", flush=True)
            continue
        try:
            small = minimise(failure.spec, failure.spec.parent,
                             log=lambda line: print(line, flush=True))
        except Exception as exc:  # keep the case as it is
            print(f"  not minimised ({type(exc).__name__}: {exc})", flush=True)
            small = failure.spec
        kept = keep_regression(small, failure.outcome)
        print(f"kept as {kept.relative_to(REPO)}", flush=True)
    print(f"\nfuzz: seed {seed_value}: {run.cases} cases in {run.seconds:.0f}s: {run.sdks} SDKs, "
          f"{run.refused} refused with located errors, {len(run.failures)} failures", flush=True)
    return 1 if run.failures else 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "tests"))
    sys.exit(main())

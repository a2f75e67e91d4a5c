"""Stage 1: read the spec (YAML or JSON), follow `$ref`s within and across local files.

The documents are kept as parsed (plain dicts); references are resolved on demand
through `Spec.resolve`, so a schema keeps its identity (file + pointer), which the
naming stage needs. Line numbers are looked up only when a diagnostic needs one.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TypeVar, Union
from urllib.parse import unquote

import yaml

from .diagnostics import Diagnostic, SpecError

try:  # the C loader is ~10x faster on multi-megabyte specs
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader


def _no_dates(loader_cls: Any) -> Any:
    """YAML 1.1 turns 2024-01-01 into a date; OpenAPI means a string."""

    class Loader(loader_cls):  # type: ignore[misc, valid-type]
        pass

    Loader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
        for k, v in loader_cls.yaml_implicit_resolvers.items()
    }
    return Loader


_STR, _MAP, _SEQ = ("tag:yaml.org,2002:" + t for t in ("str", "map", "seq"))
_KEY_TAGS = {"tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null")}


def _plain_container(node: yaml.Node) -> bool:
    """A mapping of scalar keys (no `<<` merge, nothing else PyYAML rewrites) or a sequence."""
    if isinstance(node, yaml.MappingNode):
        return node.tag == _MAP and all(isinstance(k, yaml.ScalarNode) and k.tag in _KEY_TAGS
                                        for k, _ in node.value)
    return isinstance(node, yaml.SequenceNode) and node.tag == _SEQ


def _plain_fast(loader_cls: Any) -> Any:
    """PyYAML constructs each node through a few bookkeeping calls, and each mapping and
    sequence through a generator: about half of parsing a big spec. The plain mappings,
    sequences and strings that make up nearly all of a spec are built here directly, into
    the same objects in the same order (and iteratively: specs nest deeply); every other
    node is left to PyYAML, as before."""

    class Loader(loader_cls):  # type: ignore[misc, valid-type]
        def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
            made = self.constructed_objects  # node -> object (an alias is the same node)
            if node in made or not _plain_container(node):
                return super().construct_object(node, deep)
            unfilled: list[yaml.Node] = []

            def child(n: yaml.Node) -> Any:
                if n.tag == _STR and isinstance(n, yaml.ScalarNode):
                    return n.value
                if n in made:
                    return made[n]
                if _plain_container(n):
                    made[n] = {} if isinstance(n, yaml.MappingNode) else []
                    unfilled.append(n)
                    return made[n]
                return super(Loader, self).construct_object(n, deep)

            top = child(node)
            while unfilled:
                n = unfilled.pop()
                container = made[n]
                if isinstance(container, dict):
                    for k, v in n.value:
                        key = child(k)  # (the key first, as PyYAML does)
                        container[key] = child(v)
                else:
                    container.extend(child(v) for v in n.value)
            return top

    return Loader


_Loader = _plain_fast(_no_dates(_Loader))


def escape_pointer_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    return unquote(token).replace("~1", "/").replace("~0", "~")


def pointer_join(pointer: str, *tokens: Any) -> str:
    return pointer + "".join("/" + escape_pointer_token(str(t)) for t in tokens)


_F = TypeVar("_F", bound=Callable[..., Any])


def _no_cycle_collection(build_tree: _F) -> _F:
    """Run a function that builds a big tree of containers (a parsed spec, a YAML node
    tree) with the cyclic garbage collector paused. The tree has no reference cycles, yet
    every few thousand new containers the collector would walk all of them again: on a
    multi-megabyte spec that is about half of the time the tree takes to build. Reference
    counting frees everything as usual."""

    @functools.wraps(build_tree)
    def paused(*args: Any, **kwargs: Any) -> Any:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return build_tree(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused  # type: ignore[return-value]


def parse_text(text: str, source: str) -> Any:
    """Parse YAML or JSON; raise SpecError with file:line on malformed input."""
    return _parse(text, source, with_lines=False)[0]


@_no_cycle_collection
def _parse(text: str, source: str, with_lines: bool) -> tuple[Any, _LineNode | None]:
    """`parse_text`, and with `with_lines` the line tree of a YAML text, made from the node
    tree the parse composes anyway (composing it again for the first diagnostic that needs
    a line would take about as long as the parse)."""
    stripped = text.lstrip()
    if stripped.startswith("{") or stripped.startswith("["):
        try:
            return json.loads(text), None
        except json.JSONDecodeError:
            pass  # YAML is a superset of most JSON; let the YAML parser report it
    loader = _Loader(text)
    try:  # yaml.load(), keeping the node tree
        node = loader.get_single_node()
        if node is None:
            return None, None
        lines = _line_tree(node) if with_lines else None  # first: merge keys (<<) rewrite nodes
        return loader.construct_document(node), lines
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SpecError(
            [Diagnostic("error", "#", f"not valid YAML or JSON: {problem}", file=source, line=line,
                        code="parse")]
        ) from None
    finally:
        loader.dispose()


def _untyped(loader_cls: Any) -> Any:
    """Only the node tree and its line marks are wanted, never the scalars' types: without
    implicit resolvers composing a big spec takes half the time."""

    class Loader(loader_cls):  # type: ignore[misc, valid-type]
        yaml_implicit_resolvers: dict = {}

    return Loader


def _compose(text: str) -> Any:
    """The YAML node tree (with line marks); the C composer is ~15x faster than the pure
    Python one, which is kept for the rare input libyaml refuses (some JSON escapes)."""
    for loader in (getattr(yaml, "CSafeLoader", None), yaml.SafeLoader):
        if loader is None:
            continue
        loader = _untyped(loader)
        try:
            return yaml.compose(text, Loader=loader)
        except yaml.YAMLError:
            continue
    return None


# What `_LineIndex` keeps of a YAML node: its line and its children, a dict for a mapping
# (the first key of each name, as YAML keys are compared with pointer tokens), a list for a
# sequence, None for a scalar.
_LineNode = tuple[int, Union[dict[str, "_LineNode"], list["_LineNode"], None]]


@_no_cycle_collection
def _lines_of(text: str) -> _LineNode | None:
    """The line tree of a YAML or JSON text (None if it does not compose)."""
    if text.lstrip().startswith(("{", "[")):
        try:
            return _json_line_tree(text)
        except ValueError:
            pass  # not JSON after all: YAML's composer decides
    root = _compose(text)
    return _line_tree(root) if root is not None else None


_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')


def _json_line_tree(text: str) -> _LineNode:
    """The line tree of a JSON text from its tokens. Composing JSON with YAML's composer
    works but takes seconds on a 2 MB spec (libyaml refuses some JSON escapes, and the pure
    Python composer is slow); raises ValueError when the text is not JSON-shaped."""
    line, seen = 1, 0
    stack: list[tuple[dict | list, list]] = []  # (children, [pending key]) per open container
    top: _LineNode | None = None
    for match in _JSON_TOKEN.finditer(text):
        token, start = match.group(), match.start()
        line += text.count("\n", seen, start)
        seen = start
        if token in ":,":
            continue
        if token in "}]":
            if not stack:
                raise ValueError("unbalanced JSON")
            stack.pop()
            continue
        if stack and isinstance(stack[-1][0], dict) and stack[-1][1][0] is None:
            if token[0] != '"':
                raise ValueError("a JSON key is not a string")
            stack[-1][1][0] = json.loads(token) if "\\" in token else token[1:-1]
            continue
        entry: _LineNode = (line, {} if token == "{" else [] if token == "[" else None)
        if stack:
            children, pending = stack[-1]
            if isinstance(children, dict):
                children.setdefault(pending[0], entry)  # the first of duplicate keys
                pending[0] = None
            else:
                children.append(entry)
        elif top is None:
            top = entry
        else:
            raise ValueError("more than one JSON value")
        if entry[1] is not None:
            stack.append((entry[1], [None]))
    if top is None or stack:
        raise ValueError("incomplete JSON")
    return top


def _line_tree(root: yaml.Node) -> _LineNode:
    """The YAML node tree reduced to what `_LineIndex` needs. The node tree itself has about
    six objects per line of YAML (nodes, marks: 600,000 for Stripe's spec); kept for the
    whole run, the garbage collector walked them all again and again (~1 s)."""
    made: dict[int, _LineNode] = {}  # by id(node): an alias is the same node, maybe a cycle
    unfilled: list[Any] = []

    def entry(node: Any) -> _LineNode:
        line = node.start_mark.line + 1
        if not isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            return line, None
        found = made.get(id(node))
        if found is None:
            found = made[id(node)] = (line, {} if isinstance(node, yaml.MappingNode) else [])
            unfilled.append(node)
        return found

    top = entry(root)
    while unfilled:  # (not recursive: specs nest deeper than Python's recursion limit)
        node = unfilled.pop()
        children = made[id(node)][1]
        if isinstance(children, dict):
            for k, v in node.value:
                if isinstance(k.value, str) and k.value not in children:
                    children[k.value] = entry(v)
        elif isinstance(children, list):
            children.extend(entry(v) for v in node.value)
    return top


class _LineIndex:
    """Maps JSON pointers to line numbers through the line tree of a YAML text: the one the
    parse made, or one composed on the first lookup."""

    def __init__(self, text: str, tree: _LineNode | None = None):
        self._text = text
        self._root = tree  # (made by the parse, or on the first lookup)
        self._failed = False

    def line_of(self, pointer: str) -> int | None:
        if self._failed:
            return None
        if self._root is None:
            self._root = _lines_of(self._text)
            if self._root is None:
                self._failed = True
                return None
        line, children = self._root
        tokens = [unescape_pointer_token(t) for t in pointer.lstrip("#").split("/")[1:]]
        for tok in tokens:
            if isinstance(children, dict) and tok in children:
                line, children = children[tok]
            elif isinstance(children, list) and tok.isdigit() and int(tok) < len(children):
                line, children = children[int(tok)]
            else:
                break
        return line


@dataclass
class Document:
    path: Path
    data: Any
    text: str
    lines: _LineIndex
    sha256: str = ""  # of the bytes read (the whole-output cache checks them)


@dataclass
class Spec:
    """The loaded spec: the root document plus every local file it references."""

    root_path: Path
    documents: dict[Path, Document] = field(default_factory=dict)
    # digests of the overlays applied to the root document (generator/overlay.py), in order:
    # part of every cache key that is derived from the documents' text
    overlays: list[str] = field(default_factory=list)
    missing: set[Path] = field(default_factory=set)  # referenced files that did not exist
    local_refs: bool = True  # False for a spec fetched from a URL: no $ref to other files

    @property
    def root(self) -> Any:
        return self.documents[self.root_path].data

    def document(self, path: Path) -> Document:
        doc = self.documents.get(path)  # the common case: a path this spec already holds
        if doc is not None:
            return doc
        path = path.resolve()
        doc = self.documents.get(path)
        if doc is None:
            doc = read_document(path)
            self.documents[path] = doc
        return doc

    def locate(self, file: Path, pointer: str) -> tuple[str, int | None]:
        doc = self.documents.get(file)
        line = doc.lines.line_of(pointer) if doc else None
        return str(_display(file)), line

    def diag(self, severity: str, file: Path, pointer: str, message: str, code: str) -> Diagnostic:
        shown, line = self.locate(file, pointer)
        return Diagnostic(severity, pointer, message, file=shown, line=line, code=code)

    def resolve(self, ref: str, file: Path) -> tuple[Any, Path, str]:
        """Follow one `$ref` written in `file`; returns (node, file, pointer).

        Raises KeyError with a readable reason when the target does not exist.
        """
        target, _, fragment = ref.partition("#")
        if target:
            if "://" in target:
                raise KeyError(f"remote $ref {ref!r} is not supported (only local files)")
            if not self.local_refs:
                raise KeyError(f"$ref {ref!r}: a spec fetched from a URL may only reference "
                               "itself (download it with its files to use other documents)")
            tfile = (file.parent / unquote(target)).resolve()
            if not tfile.exists():
                self.missing.add(tfile)
                raise KeyError(f"$ref {ref!r}: file {target} not found")
        else:
            tfile = file
        node = self.document(tfile).data
        pointer = "#" + fragment if fragment else "#"
        for tok in fragment.split("/")[1:] if fragment else []:
            key = unescape_pointer_token(tok)
            if isinstance(node, dict) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                raise KeyError(f"$ref {ref!r} points at nothing")
        return node, tfile, pointer

    def deref(self, node: Any, file: Path, pointer: str, depth: int = 0) -> tuple[Any, Path, str]:
        """Follow `$ref` chains until a node that is not a pure reference."""
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            node, file, pointer = self.resolve(node["$ref"], file)
            seen += 1
            if seen > 64:
                raise KeyError("$ref cycle")
        return node, file, pointer


def _display(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def read_document(path: Path) -> Document:
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
        if "\r" in text:  # as read_text() does (universal newlines)
            text = text.replace("\r\n", "\n").replace("\r", "\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError([Diagnostic("error", "#", f"cannot read file: {exc}", file=str(path),
                                    code="io")]) from None
    data, lines = _parse_cached(text, str(_display(path)))
    return Document(path=path, data=data, text=text, lines=_LineIndex(text, lines),
                    sha256=hashlib.sha256(raw).hexdigest())


def _parse_cached(text: str, source: str) -> tuple[Any, _LineNode | None]:
    """Parsing a multi-megabyte YAML spec takes seconds; an unchanged one is read back
    (without its line tree, which is then made on the first lookup)."""
    from .cache import DataCache, digest

    cache = DataCache("parsed")
    key = digest("parse-1", yaml.__version__, text)
    data = cache.get(key)
    if data is not None:
        return data, None
    data, lines = _parse(text, source, with_lines=True)
    cache.put(key, data)
    return data, lines


def load(path: Path, local_refs: bool = True) -> Spec:
    path = path.resolve()
    spec = Spec(root_path=path, local_refs=local_refs)
    spec.documents[path] = read_document(path)
    root = spec.root
    shown = str(_display(path))
    if not isinstance(root, dict):
        raise SpecError([Diagnostic("error", "#", "the document is not a mapping; expected an "
                                    "OpenAPI 3.x description", file=shown, line=1, code="not-openapi")])
    if "swagger" in root:
        raise SpecError([Diagnostic(
            "error", "#/swagger",
            f"Swagger {root.get('swagger')} is not supported; convert it to OpenAPI 3 first "
            "(e.g. `npx swagger2openapi in.yaml -o out.yaml`, or the converter at converter.swagger.io)",
            file=shown, line=spec.documents[path].lines.line_of("#/swagger"), code="swagger2")])
    version = str(root.get("openapi", ""))
    if not version.startswith("3."):
        line = spec.documents[path].lines.line_of("#/openapi") if "openapi" in root else 1
        raise SpecError([Diagnostic(
            "error", "#/openapi",
            f"not an OpenAPI 3.x document (openapi: {version or 'missing'})",
            file=shown, line=line, code="not-openapi")])
    return spec


def split_path_key(key: str) -> tuple[str, str, dict[str, str]]:
    """`/a#stream` -> ("/a", "stream", {}); `/a?beta=true` -> ("/a", "", {"beta": "true"}).

    Path keys carrying a fragment or a query are separate operations on the same URL.
    """
    fragment = ""
    if "#" in key:
        key, fragment = key.split("#", 1)
    query: dict[str, str] = {}
    if "?" in key:
        key, qs = key.split("?", 1)
        for part in qs.split("&"):
            if part:
                k, _, v = part.partition("=")
                query[unquote(k)] = unquote(v)
    return key, fragment, query


def path_template_names(url: str) -> list[str]:
    """`/pets/{petId}/toys/{toyId}` -> ["petId", "toyId"]."""
    out, start = [], None
    for i, ch in enumerate(url):
        if ch == "{":
            start = i + 1
        elif ch == "}" and start is not None:
            out.append(url[start:i])
            start = None
    return out

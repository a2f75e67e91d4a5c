"""Stage 1: read the spec (YAML or JSON), follow `$ref`s within and across local files.

The documents are kept as parsed (plain dicts); references are resolved on demand
through `Spec.resolve`, so a schema keeps its identity (file + pointer), which the
naming stage needs. Line numbers are looked up only when a diagnostic needs one.
"""

from __future__ import annotations

import difflib
import functools
import gc
import hashlib
import json
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, TypeVar, Union
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
        shared_nodes = False  # set when a node is met twice (a YAML alias)

        def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
            made = self.constructed_objects  # node -> object (an alias is the same node)
            if node in made:
                self.shared_nodes = True  # an alias: maybe a cycle (`_check_aliases`)
            if node in made or not _plain_container(node):
                return super().construct_object(node, deep)
            unfilled: list[yaml.Node] = []

            def child(n: yaml.Node) -> Any:
                if n.tag == _STR and isinstance(n, yaml.ScalarNode):
                    return n.value
                if n in made:
                    self.shared_nodes = True
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


class _Yaml12Composer(yaml.composer.Composer):
    """YAML 1.2 lets an anchor be defined again: an alias names the most recent node with
    that anchor. PyYAML (a YAML 1.1 composer, and libyaml's) refuses the second definition;
    OpenAI's published specs of 2024 have one. Composed in Python from libyaml's events."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if not self.check_event(yaml.AliasEvent):  # type: ignore[attr-defined]
            anchor = self.peek_event().anchor  # type: ignore[attr-defined]
            if anchor is not None:
                self.anchors.pop(anchor, None)  # redefined: later aliases mean the new node
        return super().compose_node(parent, index)


def _redefining(loader_cls: Any) -> Any:
    """`loader_cls` with the YAML 1.2 composer (slower: used only when an anchor is
    defined twice)."""

    class Loader(_Yaml12Composer, loader_cls):  # type: ignore[misc, valid-type]
        def __init__(self, stream: Any) -> None:
            loader_cls.__init__(self, stream)
            _Yaml12Composer.__init__(self)

    return Loader


_BaseLoader = _no_dates(_Loader)
_Loader = _plain_fast(_BaseLoader)
_RedefLoader = _plain_fast(_redefining(_BaseLoader))

# The most a document may nest (mappings and sequences): libyaml stops at 1,000 levels,
# Python's JSON parser at about as many; no OpenAPI description comes near.
MAX_NESTING = 500
# The most containers a document may expand to through YAML aliases (a "billion laughs"
# document is small on disk and endless once expanded; Stripe's spec has 35,000).
MAX_EXPANDED = 1_000_000
# The largest document read (bytes); a spec of the size of Stripe's is 6 MB.
MAX_DOCUMENT_BYTES = 128 * 1024 * 1024


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
        except RecursionError:
            _too_deep(text, source)
    try:
        return _parse_yaml(text, source, with_lines, _Loader)
    except yaml.YAMLError as exc:
        if "found duplicate anchor" not in str(exc):
            raise _yaml_error(exc, source) from None
    try:  # valid YAML 1.2: an anchor defined again
        return _parse_yaml(text, source, with_lines, _RedefLoader)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, source) from None
    except RecursionError:  # (the Python composer recurses per level)
        _too_deep(text, source)
        raise


def _parse_yaml(text: str, source: str, with_lines: bool,
                loader_cls: Any) -> tuple[Any, _LineNode | None]:
    loader = loader_cls(text)
    try:  # yaml.load(), keeping the node tree
        node = loader.get_single_node()
        if node is None:
            return None, None
        lines = _line_tree(node) if with_lines else None  # first: merge keys (<<) rewrite nodes
        data = loader.construct_document(node)
        if loader.shared_nodes:
            _check_aliases(data, source, _LineIndex(text, lines))
        return data, lines
    finally:
        loader.dispose()


def _yaml_error(exc: yaml.YAMLError, source: str) -> SpecError:
    """What the parser could not read and where: the line and column of the problem, and
    of the construct it was reading (`while parsing a flow mapping ... at line 3`)."""
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is not None:
        problem += f" (line {mark.line + 1}, column {mark.column + 1})"
    context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and context_mark is not None and (mark is None or context_mark.line != mark.line):
        problem += f", {context} that starts at line {context_mark.line + 1}"
    return SpecError([Diagnostic("error", "#", f"not valid YAML or JSON: {problem}", file=source,
                                 line=line, code="parse")])


def _too_deep(text: str, source: str) -> None:
    """Raise the error for a JSON text that nests deeper than MAX_NESTING, at the line where
    it does (found from the tokens, without recursion)."""
    depth, line, seen = 0, 1, 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "{[":
            depth += 1
            if depth > MAX_NESTING:
                line += text.count("\n", seen, match.start())
                break
        elif token in "}]":
            depth -= 1
    raise SpecError([Diagnostic(
        "error", "#", f"the document nests deeper than {MAX_NESTING} levels of mappings and "
        "sequences; not read", file=source, line=line, code="too-deep")]) from None


def _check_aliases(data: Any, source: str, lines: _LineIndex) -> None:
    """A document in which YAML aliases share nodes: refuse one that contains itself (an
    alias inside its own anchor: the document would be infinite, and every walk over it
    would never end) or that expands to more than MAX_EXPANDED containers."""
    sizes: dict[int, int] = {}  # id -> expanded size, of the containers walked
    open_: dict[int, str] = {id(data): "#"}  # id -> pointer, of the containers being walked
    stack: list[tuple[Any, str, Iterator[tuple[Any, Any]], list[int]]] = [
        (data, "#", _entries(data), [1])]
    while stack:
        node, pointer, entries, total = stack[-1]
        for token, child in entries:
            if not isinstance(child, (dict, list)):
                total[0] += 1
                continue
            if id(child) in sizes:
                total[0] += sizes[id(child)]
                continue
            at = pointer_join(pointer, token)
            if id(child) in open_:
                raise SpecError([Diagnostic(
                    "error", at, f"contains itself: a YAML alias inside its own anchor (the "
                    f"anchored node is {open_[id(child)]}) makes an infinite document",
                    file=source, line=lines.line_of(at), code="alias-cycle")])
            open_[id(child)] = at
            stack.append((child, at, _entries(child), [1]))
            break
        else:
            stack.pop()
            del open_[id(node)]
            sizes[id(node)] = total[0]
            if total[0] > MAX_EXPANDED:
                raise SpecError([Diagnostic(
                    "error", pointer, f"YAML aliases expand this node to more than "
                    f"{MAX_EXPANDED:,} mappings and sequences; not read",
                    file=source, line=lines.line_of(pointer), code="alias-expansion")])
            if stack:
                stack[-1][3][0] += total[0]


def _entries(node: Any) -> Iterator[tuple[Any, Any]]:
    return iter(node.items()) if isinstance(node, dict) else iter(enumerate(node))


def _untyped(loader_cls: Any) -> Any:
    """Only the node tree and its line marks are wanted, never the scalars' types: without
    implicit resolvers composing a big spec takes half the time."""

    class Loader(loader_cls):  # type: ignore[misc, valid-type]
        yaml_implicit_resolvers: dict = {}

    return Loader


def _compose(text: str) -> Any:
    """The YAML node tree (with line marks); the C composer is ~15x faster than the pure
    Python one, which is kept for the rare input libyaml refuses (some JSON escapes). An
    anchor defined twice (YAML 1.2) is composed by `_Yaml12Composer`."""
    loaders = [getattr(yaml, "CSafeLoader", None), yaml.SafeLoader]
    for loader in [*loaders, *(_redefining(c) for c in loaders if c is not None)]:
        if loader is None:
            continue
        loader = _untyped(loader)
        try:
            return yaml.compose(text, Loader=loader)
        except (yaml.YAMLError, RecursionError):
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
    # The spec is untrusted input (its content ends up in published docs): a `$ref` reads
    # local files only inside the root document's folder tree, unless allowed; a spec
    # fetched from a URL reads none.
    allow_local_refs: bool = True
    allow_ref_outside: bool = False

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
            refused = self.refusal(path)
            if refused:
                raise RefRefused(refused)
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
            tfile = (file.parent / unquote(target)).resolve()
            refused = self.refusal(tfile)
            if refused:
                raise RefRefused(f"$ref {ref!r}: {refused}")
            if not tfile.exists():
                self.missing.add(tfile)
                raise KeyError(f"$ref {ref!r}: file {target} not found")
        else:
            tfile = file
        try:
            node = self.document(tfile).data
        except SpecError as exc:  # unreadable or not YAML: the $ref is at fault, say why
            raise KeyError(f"$ref {ref!r}: " + "; ".join(d.format() for d in exc.diagnostics)
                           ) from None
        pointer = "#" + fragment if fragment else "#"
        for tok in fragment.split("/")[1:] if fragment else []:
            key = unescape_pointer_token(tok)
            if isinstance(node, dict) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                raise KeyError(f"$ref {ref!r} points at nothing{_did_you_mean(key, node)}")
        return node, tfile, pointer

    def refusal(self, path: Path) -> str:
        """Why a `$ref` may not read the file at `path` ("" when it may)."""
        if path == self.root_path or path in self.documents:
            return ""
        if not self.allow_local_refs:
            return (f"refusing to read the local file {path}: a spec fetched from a URL may "
                    "only reference itself (download it with its files to use other documents)")
        folder = self.root_path.parent
        if not self.allow_ref_outside and not path.is_relative_to(folder):
            return (f"refusing to read {path}: it is outside the spec's folder {folder} "
                    "(--allow-ref-outside allows it)")
        return ""

    def deref(self, node: Any, file: Path, pointer: str, depth: int = 0) -> tuple[Any, Path, str]:
        """Follow `$ref` chains until a node that is not a pure reference."""
        seen = [(file, pointer)]
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            node, file, pointer = self.resolve(node["$ref"], file)
            if (file, pointer) in seen:
                raise KeyError(f"$ref cycle: {' -> '.join(p for _, p in seen[seen.index((file, pointer)):])} -> {pointer}")
            seen.append((file, pointer))
        return node, file, pointer


class RefRefused(KeyError):
    """A `$ref` to a file the spec may not read (see `Spec.refusal`)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def _did_you_mean(key: str, node: Any) -> str:
    """` (did you mean 'Pet'?)` when `node` has a key close to the missing one."""
    if not isinstance(node, dict):
        return ""
    close = difflib.get_close_matches(key, [str(k) for k in node], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _display(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def read_document(path: Path) -> Document:
    """Read and parse one document: a regular file (not a device, a pipe or a folder) of at
    most MAX_DOCUMENT_BYTES."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise OSError(f"{path} is not a regular file")
        with open(path, "rb") as fh:
            raw = fh.read(MAX_DOCUMENT_BYTES + 1)
        if len(raw) > MAX_DOCUMENT_BYTES:
            raise OSError(f"larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB")
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


def load(path: Path, allow_local_refs: bool = True, allow_ref_outside: bool = False) -> Spec:
    """Read the root document; the documents it `$ref`s are read on demand, only inside
    its folder tree unless `allow_ref_outside`, and none unless `allow_local_refs` (pass
    False for a spec that came from a URL)."""
    path = path.resolve()
    spec = Spec(root_path=path, allow_local_refs=allow_local_refs,
                allow_ref_outside=allow_ref_outside)
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
    if "openapi" in root and not isinstance(root["openapi"], str):
        raise SpecError([Diagnostic(
            "error", "#/openapi",
            f"openapi must be a string such as '3.1.0', not {type(root['openapi']).__name__} "
            f"{root['openapi']!r} (in YAML, quote it: openapi: '3.1.0')",
            file=shown, line=spec.documents[path].lines.line_of("#/openapi"), code="not-openapi")])
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

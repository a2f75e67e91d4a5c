"""Reading one document's text: YAML (1.2 redefined anchors, no dates, a fast path for
plain nodes) or JSON into plain data, with the limits that keep hostile input bounded
(nesting depth, alias cycles and expansion), and the line index that turns a JSON pointer
into a line number on demand. generator/load.py reads files and follows `$ref`s with it.
"""

from __future__ import annotations

import functools
import gc
import json
import re
from typing import Any, Callable, Iterator, TypeVar, Union

import yaml

from .diagnostics import ERROR, Code, Diagnostic, SpecError
from .pointer import pointer_join, unescape_pointer_token

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
    return SpecError([Diagnostic(ERROR, "#", f"not valid YAML or JSON: {problem}", file=source,
                                 line=line, code=Code.PARSE)])


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
        ERROR, "#", f"the document nests deeper than {MAX_NESTING} levels of mappings and "
        "sequences; not read", file=source, line=line, code=Code.TOO_DEEP)]) from None


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
                    ERROR, at, f"contains itself: a YAML alias inside its own anchor (the "
                    f"anchored node is {open_[id(child)]}) makes an infinite document",
                    file=source, line=lines.line_of(at), code=Code.ALIAS_CYCLE)])
            open_[id(child)] = at
            stack.append((child, at, _entries(child), [1]))
            break
        else:
            stack.pop()
            del open_[id(node)]
            sizes[id(node)] = total[0]
            if total[0] > MAX_EXPANDED:
                raise SpecError([Diagnostic(
                    ERROR, pointer, f"YAML aliases expand this node to more than "
                    f"{MAX_EXPANDED:,} mappings and sequences; not read",
                    file=source, line=lines.line_of(pointer), code=Code.ALIAS_EXPANSION)])
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



"""Stage 1: read the spec (YAML or JSON), follow `$ref`s within and across local files.

The documents are kept as parsed (plain dicts); references are resolved on demand
through `Spec.resolve`, so a schema keeps its identity (file + pointer), which the
naming stage needs. Line numbers are computed lazily, only when a diagnostic needs one.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
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


_Loader = _no_dates(_Loader)


def escape_pointer_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    return unquote(token).replace("~1", "/").replace("~0", "~")


def pointer_join(pointer: str, *tokens: Any) -> str:
    return pointer + "".join("/" + escape_pointer_token(str(t)) for t in tokens)


def parse_text(text: str, source: str) -> Any:
    """Parse YAML or JSON; raise SpecError with file:line on malformed input."""
    stripped = text.lstrip()
    if stripped.startswith("{") or stripped.startswith("["):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            pass  # YAML is a superset of most JSON; let the YAML parser report it
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SpecError(
            [Diagnostic("error", "#", f"not valid YAML or JSON: {problem}", file=source, line=line,
                        code="parse")]
        ) from None


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


class _LineIndex:
    """Maps JSON pointers to line numbers by composing the YAML node tree once, lazily."""

    def __init__(self, text: str):
        self._text = text
        self._root: Any = None
        self._failed = False

    def line_of(self, pointer: str) -> int | None:
        if self._failed:
            return None
        if self._root is None:
            self._root = _compose(self._text)
            if self._root is None:
                self._failed = True
                return None
        node = self._root
        tokens = [unescape_pointer_token(t) for t in pointer.lstrip("#").split("/")[1:]]
        for tok in tokens:
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if k.value == tok:
                        node = v
                        break
                else:
                    break
            elif isinstance(node, yaml.SequenceNode) and tok.isdigit() and int(tok) < len(node.value):
                node = node.value[int(tok)]
            else:
                break
        return node.start_mark.line + 1 if node is not None else None


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
    return Document(path=path, data=_parse_cached(text, str(_display(path))), text=text,
                    lines=_LineIndex(text), sha256=hashlib.sha256(raw).hexdigest())


def _parse_cached(text: str, source: str) -> Any:
    """Parsing a multi-megabyte YAML spec takes seconds; an unchanged one is read back."""
    from .cache import DataCache, digest

    cache = DataCache("parsed")
    key = digest("parse-1", yaml.__version__, text)
    data = cache.get(key)
    if data is None:
        data = parse_text(text, source)
        cache.put(key, data)
    return data


def load(path: Path) -> Spec:
    path = path.resolve()
    spec = Spec(root_path=path)
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

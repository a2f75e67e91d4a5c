"""Stage 1: read the spec (YAML or JSON), follow `$ref`s within and across local files.

The documents are kept as parsed (plain dicts); references are resolved on demand
through `Spec.resolve`, so a schema keeps its identity (file + pointer), which the
naming stage needs. Line numbers are looked up only when a diagnostic needs one.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from .diagnostics import ERROR, Code, Diagnostic, SpecError, result_or_stop
from .docparse import _LineIndex, _LineNode, _parse

# the JSON pointer helpers, imported from here by every stage
from .pointer import escape_pointer_token as escape_pointer_token
from .pointer import pointer_join as pointer_join
from .pointer import unescape_pointer_token as unescape_pointer_token

# The largest document read (bytes); a spec of the size of Stripe's is 6 MB.
MAX_DOCUMENT_BYTES = 128 * 1024 * 1024


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
        keys: list[str] = []
        for tok in fragment.split("/")[1:] if fragment else []:
            key = unescape_pointer_token(tok)
            if isinstance(node, dict) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                raise KeyError(f"$ref {ref!r} points at nothing{_did_you_mean(key, node)}")
            keys.append(key)
        # the pointer in one spelling (decoded, then ~-escaped as the walk writes it), so that
        # `#/components/schemas/a%20b` and the walk's `#/components/schemas/a b` are one schema
        # (two spellings made two types of one schema; found by the fuzzer)
        pointer = pointer_join("#", *keys) if fragment else "#"
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
        raise SpecError([Diagnostic(ERROR, "#", f"cannot read file: {exc}", file=str(path),
                                    code=Code.IO)]) from None
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
    """`read_spec` for a caller that cannot go on without the spec."""
    return result_or_stop(*read_spec(path, allow_local_refs, allow_ref_outside))


def read_spec(path: Path, allow_local_refs: bool = True, allow_ref_outside: bool = False
              ) -> tuple[Spec | None, list[Diagnostic]]:
    """The load stage: read the root document (the documents it `$ref`s are read on demand,
    only inside its folder tree unless `allow_ref_outside`, and none unless
    `allow_local_refs`: pass False for a spec that came from a URL). Returns the spec, or
    None and the error when the document cannot be read or is no OpenAPI 3.x description."""
    path = path.resolve()
    spec = Spec(root_path=path, allow_local_refs=allow_local_refs,
                allow_ref_outside=allow_ref_outside)
    try:
        spec.documents[path] = read_document(path)
    except SpecError as exc:
        return None, exc.diagnostics
    problem = _not_openapi_3(spec, path)
    return (None, [problem]) if problem is not None else (spec, [])


def _not_openapi_3(spec: Spec, path: Path) -> Diagnostic | None:
    """Why the root document is no OpenAPI 3.x description, if it is not."""
    root = spec.root
    shown = str(_display(path))
    if not isinstance(root, dict):
        return Diagnostic(ERROR, "#", "the document is not a mapping; expected an OpenAPI 3.x "
                          "description", file=shown, line=1, code=Code.NOT_OPENAPI)
    if "swagger" in root:
        return Diagnostic(
            ERROR, "#/swagger",
            f"Swagger {root.get('swagger')} is not supported; convert it to OpenAPI 3 first "
            "(e.g. `npx swagger2openapi in.yaml -o out.yaml`, or the converter at "
            "converter.swagger.io)",
            file=shown, line=spec.documents[path].lines.line_of("#/swagger"), code=Code.SWAGGER2)
    version = str(root.get("openapi", ""))
    if "openapi" in root and not isinstance(root["openapi"], str):
        return Diagnostic(
            ERROR, "#/openapi",
            "openapi must be a string such as '3.1.0', not "
            f"{json.dumps(root['openapi'], default=str)[:40]} (in YAML, quote the version: "
            "openapi: '3.1.0')",
            file=shown, line=spec.documents[path].lines.line_of("#/openapi"),
            code=Code.NOT_OPENAPI)
    if not version.startswith("3."):
        line = spec.documents[path].lines.line_of("#/openapi") if "openapi" in root else 1
        return Diagnostic(
            ERROR, "#/openapi", f"not an OpenAPI 3.x document (openapi: {version or 'missing'})",
            file=shown, line=line, code=Code.NOT_OPENAPI)
    return None


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

"""OpenAPI Overlay 1.0: apply overlay documents to the loaded spec before validation.

An overlay (https://spec.openapis.org/overlay/v1.0.0) is a YAML/JSON document::

    overlay: 1.0.0
    info: {title: ..., version: ...}
    actions:
      - target: $.paths['/chat'].post      # RFC 9535 JSONPath
        update: {x-speakeasy-group: chat}  # merged into every node the target selects
      - target: $.paths['/legacy']
        remove: true                       # removed from its parent object or array

`update` semantics (as in the specification and the commercial generator's reference
implementation): an object merged into an object replaces properties of the same name,
recursively for nested objects, and adds the new ones; nested arrays are appended to; an
update whose target is an array is appended to it (each item when the update is itself an
array); a scalar target is replaced. Actions apply in order, overlays in the order given.

Problems are diagnostics located in the overlay file (`#/actions/<i>` and its line): a
document that is not an overlay or an invalid JSONPath is an error; a target that selects
nothing is a warning, as the specification asks.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from .cache import digest
from .diagnostics import ERROR, WARNING, Code, Diagnostic, SpecError
from .docparse import _LineIndex, parse_text
from .load import Spec, _display, pointer_join

CODE = Code.OVERLAY


@dataclass
class Overlay:
    path: Path
    text: str
    data: Any
    lines: _LineIndex

    @property
    def shown(self) -> str:
        return str(_display(self.path))

    def diag(self, severity: str, pointer: str, message: str) -> Diagnostic:
        return Diagnostic(severity, pointer, message, file=self.shown,
                          line=self.lines.line_of(pointer), code=CODE)


def read_overlay(path: Path) -> Overlay:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError([Diagnostic(ERROR, "#", f"cannot read overlay: {exc}", file=str(path),
                                    code=CODE)]) from None
    shown = str(_display(path.resolve()))
    return Overlay(path.resolve(), text, parse_text(text, shown), _LineIndex(text))


def apply_overlays(spec: Spec, paths: Sequence[Path | str]) -> list[Diagnostic]:
    """Apply each overlay file to `spec.root`, in order; returns every finding, errors
    included (the pipeline stops on them: the spec is then left partly modified, which does
    not matter). An overlay that cannot be read or parsed ends the list."""
    if not paths:
        return []
    diags: list[Diagnostic] = []
    _string_keys(spec.root)  # JSON keys are strings: `$.paths['/a'].get.responses['200']`
    for p in paths:
        try:
            ov = read_overlay(Path(p))
        except SpecError as exc:
            return diags + exc.diagnostics
        diags.extend(apply_overlay(spec.root, ov))
        spec.overlays.append(digest("overlay-1", str(ov.path), ov.text))
    return diags


def apply_overlay(root: Any, ov: Overlay) -> list[Diagnostic]:
    """Apply one parsed overlay to the document `root` in place; returns its diagnostics."""
    out: list[Diagnostic] = []
    data = ov.data
    if not isinstance(data, dict) or "overlay" not in data:
        return [ov.diag(ERROR, "#", "not an OpenAPI Overlay document (no `overlay:` version "
                                    "field at the top level)")]
    version = str(data.get("overlay"))
    if not version.startswith("1."):
        return [ov.diag(ERROR, "#/overlay", f"unsupported Overlay version {version!r} "
                                            "(sdkgen applies Overlay 1.0 documents)")]
    if not version.startswith("1.0"):
        out.append(ov.diag(WARNING, "#/overlay",
                           f"Overlay version {version!r} is applied with Overlay 1.0 rules"))
    info = data.get("info")
    if not isinstance(info, dict) or "title" not in info or "version" not in info:
        out.append(ov.diag(WARNING, "#/info", "overlay `info` needs `title` and `version`"))
    actions = data.get("actions")
    if not isinstance(actions, list) or not actions:
        out.append(ov.diag(ERROR, "#/actions", "overlay needs a non-empty `actions` list"))
        return out
    for i, action in enumerate(actions):
        out.extend(_apply_action(root, ov, i, action))
    return out


def _apply_action(root: Any, ov: Overlay, i: int, action: Any) -> list[Diagnostic]:
    import jsonpath_rfc9535 as jsonpath

    ptr = pointer_join("#/actions", i)
    if not isinstance(action, dict):
        return [ov.diag(ERROR, ptr, f"action {i} is not a mapping")]
    out: list[Diagnostic] = []
    for key in action:
        if str(key) not in ("target", "description", "update", "remove") and not str(
                key).startswith("x-"):
            out.append(ov.diag(WARNING, pointer_join(ptr, key),
                               f"action {i}: unknown field {key!r} ignored"))
    target = action.get("target")
    if not isinstance(target, str) or not target.strip():
        out.append(ov.diag(ERROR, ptr, f"action {i} has no `target` JSONPath"))
        return out
    remove = action.get("remove", False)
    if not isinstance(remove, bool):
        out.append(ov.diag(ERROR, pointer_join(ptr, "remove"),
                           f"action {i}: `remove` must be true or false"))
        return out
    if not remove and "update" not in action:
        out.append(ov.diag(WARNING, ptr, f"action {i} ({target}) has neither `update` nor "
                                         "`remove: true`; it does nothing"))
        return out
    try:
        query = jsonpath.compile(target)
    except jsonpath.JSONPathError as exc:
        out.append(ov.diag(ERROR, pointer_join(ptr, "target"),
                           f"action {i}: invalid JSONPath {target!r}: {exc}"))
        return out
    try:
        nodes = list(query.find(root))
    except jsonpath.JSONPathError as exc:  # pragma: no cover - evaluation errors are rare
        out.append(ov.diag(ERROR, pointer_join(ptr, "target"),
                           f"action {i}: cannot evaluate {target!r}: {exc}"))
        return out
    if not nodes:
        out.append(ov.diag(WARNING, pointer_join(ptr, "target"),
                           f"action {i}: target {target!r} matches nothing; skipped"))
        return out
    # Resolve every match to (parent, key) before changing anything, so that one match's
    # change cannot move another's.
    places = [_place(root, tuple(n.location)) for n in nodes]
    if remove:
        if any(parent is None for parent, _ in places):
            out.append(ov.diag(ERROR, pointer_join(ptr, "target"),
                               f"action {i}: cannot remove the document root"))
            return out
        # highest array index first, so earlier indices stay valid
        for parent, key in sorted(places, key=lambda pk: -pk[1] if isinstance(pk[1], int) else 0):
            if isinstance(parent, list) and isinstance(key, int) and key < len(parent):
                del parent[key]
            elif isinstance(parent, dict):
                parent.pop(key, None)
        return out
    update = action.get("update")
    for parent, key in places:
        node = root if parent is None else parent[key]
        if isinstance(node, dict) and isinstance(update, dict):
            _merge(node, update)
        elif isinstance(node, list):
            node.extend(copy.deepcopy(update) if isinstance(update, list)
                        else [copy.deepcopy(update)])
        elif parent is None:
            out.append(ov.diag(ERROR, pointer_join(ptr, "update"),
                               f"action {i}: the document root can only be merged with an "
                               "object"))
        else:
            parent[key] = copy.deepcopy(update)
    return out


def _place(root: Any, location: tuple[Any, ...]) -> tuple[Any, Any]:
    """(parent container, key) of the node at a normalized JSONPath location."""
    if not location:
        return None, None
    parent = root
    for step in location[:-1]:
        parent = parent[step]
    return parent, location[-1]


def _merge(target: dict, update: dict) -> None:
    for k, v in update.items():
        cur = target.get(k)
        if isinstance(cur, dict) and isinstance(v, dict):
            _merge(cur, v)
        elif isinstance(cur, list) and isinstance(v, list):
            cur.extend(copy.deepcopy(v))
        else:
            target[k] = copy.deepcopy(v)


def _string_keys(node: Any) -> None:
    """YAML reads `200:` as an int key; JSONPath (like JSON) knows only string names."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, dict):
            if any(not isinstance(k, str) for k in n):
                items = list(n.items())
                n.clear()
                n.update((k if isinstance(k, str) else _key_text(k), v) for k, v in items)
            stack.extend(v for v in n.values() if isinstance(v, (dict, list)))
        elif isinstance(n, list):
            stack.extend(v for v in n if isinstance(v, (dict, list)))


def _key_text(k: Any) -> str:
    if isinstance(k, bool):
        return "true" if k else "false"
    return str(k)

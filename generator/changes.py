"""What changed between two SDK surfaces, and what it means for a caller.

Each difference is a `Change` of one `kind`; the `RULES` table (data in
generator/change_rules.py, documented in docs/changes.md) gives its severity for the side of
the API it is on:

- what the caller **sends** (method arguments, request models, request enums): removing,
  renaming, making required, narrowing a type or removing an enum value is breaking; the
  converse is a feature;
- what the caller **receives** (return types, response models, response enums): removing
  a field, making it optional or nullable, widening its type, or a closed enum gaining a
  value is breaking; adding a field is a feature;
- a named type used on both sides takes the more severe of the two.

Renames are found where the evidence is clear: a method with the same HTTP method, path
and variant under a new name; a named type defined by the same schema (or with the same
shape) under a new name; an argument or field with the same wire name under a new Python
name. They are breaking and reported once, old -> new, and type annotations are compared
through the rename (a renamed model does not also change every field that uses it).
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable, Iterable, Sequence

from .change_rules import SEVERITIES, Change, Report, severity
from .surface import REQUEST, RESPONSE, Argument, Method, Model, ModelField, Surface


class _Differ:
    def __init__(self, old: Surface, new: Surface) -> None:
        self.out: list[Change] = []
        self.renamed: dict[str, str] = {}  # old class name -> new
        self.old_unions = {u.name: u.members for u in old.unions}
        self.new_unions = {u.name: u.members for u in new.unions}

    def compare(self, old: str, new: str) -> str:
        """compare_types, knowing that a union accepts each of its members: `str` ->
        `Content` (a union of str and a list of parts) widens."""
        if old in self.new_unions.get(new, ()) or old in [
                self.mapped(m) for m in self.old_unions.get(new, ())]:
            return "widened"
        back = {v: k for k, v in self.renamed.items()}
        if new in [self.mapped(m) for m in self.old_unions.get(back.get(old, old), ())]:
            return "narrowed"
        return compare_types(old, new)

    def add(self, kind: str, usage: Iterable[str], path: str, pointer: str, old: Any, new: Any,
            message: str) -> None:
        sev = severity(kind, usage)
        self.out.append(Change(sev, kind, path, pointer, old, new, message))

    def mapped(self, type_text: str) -> str:
        """An old canonical type with renamed classes under their new names."""
        if not self.renamed or not type_text:
            return type_text
        return re.sub(r"[A-Za-z_][A-Za-z0-9_]*",
                      lambda m: self.renamed.get(m.group(0), m.group(0)), type_text)


def diff(old: Surface, new: Surface) -> Report:
    d = _Differ(old, new)
    _named(d, old, new)
    _client(d, old, new)
    _methods(d, old, new)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    d.out.sort(key=lambda c: (order[c.severity], c.path, c.kind))
    return Report(d.out)


# ---- renames -----------------------------------------------------------------------------------

def _pairs(old: dict[str, Any], new: dict[str, Any], keys: Sequence[Callable[[Any], Any]]
           ) -> tuple[list[tuple[Any, Any]], list[Any], list[Any]]:
    """(renamed pairs, removed, added) between two name -> record maps: a removed and an
    added record pair up when one key function gives both the same, unambiguous value."""
    removed = [old[n] for n in sorted(set(old) - set(new))]
    added = [new[n] for n in sorted(set(new) - set(old))]
    pairs: list[tuple[Any, Any]] = []
    for key in keys:
        by_old: dict[Any, list[Any]] = {}
        for r in removed:
            by_old.setdefault(key(r), []).append(r)
        by_new: dict[Any, list[Any]] = {}
        for a in added:
            by_new.setdefault(key(a), []).append(a)
        for k, olds in by_old.items():
            news = by_new.get(k, [])
            if k is not None and len(olds) == 1 and len(news) == 1:
                pairs.append((olds[0], news[0]))
                removed.remove(olds[0])
                added.remove(news[0])
    return pairs, removed, added


# ---- named types -------------------------------------------------------------------------------

def _named(d: _Differ, old: Surface, new: Surface) -> None:
    kinds: list[tuple[str, dict[str, Any], dict[str, Any], Callable[[Any], Any]]] = [
        ("model", {m.name: m for m in old.models}, {m.name: m for m in new.models},
         lambda m: tuple((f.wire, f.type, f.required) for f in m.fields) or None),
        ("enum", {e.name: e for e in old.enums}, {e.name: e for e in new.enums},
         lambda e: json.dumps(e.values, sort_keys=True, default=str)),  # (values: any JSON)
        ("union", {u.name: u for u in old.unions}, {u.name: u for u in new.unions},
         lambda u: (u.members, u.discriminator)),
    ]
    matched = []
    for kind, olds, news, shape in kinds:
        pairs, removed, added = _pairs(olds, news, [lambda r: r.pointer, shape])
        for o, n in pairs:
            d.renamed[o.name] = n.name
            d.add(f"{kind}-renamed", (), f"models.{o.name}", n.pointer, o.name, n.name,
                  f"{kind} `{o.name}` renamed to `{n.name}`")
        for o in removed:
            d.add(f"{kind}-removed", (), f"models.{o.name}", o.pointer, o.name, None,
                  f"{kind} `{o.name}` removed")
        for n in added:
            d.add(f"{kind}-added", (), f"models.{n.name}", n.pointer, None, n.name,
                  f"new {kind} `{n.name}`")
        matched += [(kind, o, n) for o, n in pairs]
        matched += [(kind, olds[k], news[k]) for k in sorted(set(olds) & set(news))]
    oe, ne = {e.name: e for e in old.exceptions}, {e.name: e for e in new.exceptions}
    for name in sorted(set(ne) - set(oe)):
        d.add("exception-added", (), f"models.{name}", "#", None, name,
              f"new exception `{name}` (body `{ne[name].data}`)")
    for name in sorted(set(oe) - set(ne)):
        d.add("exception-removed", (), f"models.{name}", "#", name, None,
              f"exception `{name}` removed")
    for kind, o, n in matched:
        use = tuple(sorted(set(o.usage) | set(n.usage)))
        where = f"models.{n.name}"
        if kind == "model":
            _model(d, o, n, use)
        elif kind == "enum":
            _enum(d, o, n, use)
        else:
            _union(d, o, n, use)
        if o.doc != n.doc:
            d.add("docs-changed", use, where, n.pointer, None, None,
                  f"documentation of `{n.name}` changed")


def _model(d: _Differ, o: Model, n: Model, use: tuple[str, ...]) -> None:
    where = f"models.{n.name}"
    if n.deprecated and not o.deprecated:
        d.add("model-deprecated", use, where, n.pointer, False, True,
              f"model `{n.name}` is deprecated")
    if d.mapped(o.additional) != n.additional:
        d.add("additional-properties-changed", use, where, n.pointer, o.additional or None,
              n.additional or None, f"extra keys of `{n.name}`: {o.additional or 'none'} -> "
              f"{n.additional or 'none'}")
    olds = {f.wire: f for f in o.fields}
    news = {f.wire: f for f in n.fields}
    for wire in sorted(set(olds) | set(news)):
        of, nf = olds.get(wire), news.get(wire)
        ptr = f"{n.pointer}/properties/{wire.replace('~', '~0').replace('/', '~1')}"
        at = f"{where}.{(nf or of).name}"  # type: ignore[union-attr]
        if of is None:
            assert nf is not None
            kind = "field-added-required" if nf.required and not nf.read_only else "field-added"
            d.add(kind, use, at, ptr, None, nf.annotation,
                  f"new {'required ' if nf.required else ''}field `{n.name}.{nf.name}`")
            continue
        if nf is None:
            d.add("field-removed", use, at, n.pointer, of.name, None,
                  f"field `{n.name}.{of.name}` removed")
            continue
        _field(d, of, nf, use, at, ptr, f"{n.name}.{nf.name}")


def _field(d: _Differ, o: ModelField | Argument, n: ModelField | Argument, use: Iterable[str],
           at: str, ptr: str, label: str, prefix: str = "field") -> None:
    if o.name != n.name:
        d.add(f"{prefix}-renamed", use, at, ptr, o.name, n.name,
              f"{prefix} `{label}` renamed from `{o.name}`")
    if o.required != n.required:
        kind = f"{prefix}-required" if n.required else f"{prefix}-optional"
        d.add(kind, use, at, ptr, o.required, n.required,
              f"{prefix} `{label}` is now {'required' if n.required else 'optional'}")
    if o.nullable != n.nullable:
        kind = f"{prefix}-nullable" if n.nullable else f"{prefix}-not-nullable"
        d.add(kind, use, at, ptr, o.nullable, n.nullable,
              f"{prefix} `{label}` {'may now be' if n.nullable else 'may no longer be'} null")
    old_type = d.mapped(o.type)
    if old_type != n.type:
        how = d.compare(old_type, n.type)
        d.add(f"{prefix}-type-{how}", use, at, ptr, o.annotation, n.annotation,
              f"{prefix} `{label}` type {how}: `{old_type}` -> `{n.type}`")
    if o.default != n.default:
        d.add(f"{prefix}-default-changed", use, at, ptr, o.default, n.default,
              f"{prefix} `{label}` default: {o.default} -> {n.default}")
    if n.deprecated and not o.deprecated:
        d.add(f"{prefix}-deprecated", use, at, ptr, False, True,
              f"{prefix} `{label}` is deprecated")
    if o.doc != n.doc:
        d.add("docs-changed", use, at, ptr, None, None, f"documentation of `{label}` changed")


def _enum(d: _Differ, o: Any, n: Any, use: tuple[str, ...]) -> None:
    where = f"models.{n.name}"
    for v in n.values:
        if v not in o.values:
            closed = not n.open and RESPONSE in n.usage
            kind = "enum-value-added-closed" if closed else "enum-value-added"
            d.add(kind, use, where, n.pointer, None, v,
                  f"`{n.name}` gained value {json.dumps(v)}"
                  + (" (closed in responses: a caller does not expect it)" if closed else ""))
    for v in o.values:
        if v not in n.values:
            d.add("enum-value-removed", use, where, n.pointer, v, None,
                  f"`{n.name}` lost value {json.dumps(v)}")
    if o.open != n.open and RESPONSE in o.usage and RESPONSE in n.usage:
        kind = "enum-opened" if n.open else "enum-closed"
        d.add(kind, (RESPONSE,), where, n.pointer, o.open, n.open,
              f"`{n.name}` {'accepts' if n.open else 'no longer accepts'} unknown values in "
              "responses")


def _union(d: _Differ, o: Any, n: Any, use: tuple[str, ...]) -> None:
    where = f"models.{n.name}"
    olds = [d.mapped(m) for m in o.members]
    for m in n.members:
        if m not in olds:
            d.add("union-member-added", use, where, n.pointer, None, m,
                  f"`{n.name}` accepts `{m}`")
    for m in olds:
        if m not in n.members:
            d.add("union-member-removed", use, where, n.pointer, m, None,
                  f"`{n.name}` no longer accepts `{m}`")
    if o.discriminator != n.discriminator:
        d.add("union-discriminator-changed", use, where, n.pointer, o.discriminator or None,
              n.discriminator or None, f"`{n.name}` discriminator changed")


# ---- types -------------------------------------------------------------------------------------

_WIDER = {("int", "float"), ("date", "str"), ("datetime", "str"), ("bytes", "str")}


def compare_types(old: str, new: str) -> str:
    """"widened", "narrowed" or "changed" (incompatible) between two canonical types."""
    if old == new:
        return "same"  # pragma: no cover - callers compare first
    if new == "Any":
        return "widened"
    if old == "Any":
        return "narrowed"
    if (old, new) in _WIDER:
        return "widened"
    if (new, old) in _WIDER:
        return "narrowed"
    lit_old, lit_new = _literal_base(old), _literal_base(new)
    if lit_old and lit_old == new:
        return "widened"
    if lit_new and lit_new == old:
        return "narrowed"
    for wrap in ("List[", "Dict[str, ", "Nullable["):
        if old.startswith(wrap) and new.startswith(wrap):
            return compare_types(old[len(wrap):-1], new[len(wrap):-1])
    if new == f"Nullable[{old}]":
        return "widened"
    if old == f"Nullable[{new}]":
        return "narrowed"
    return "changed"


def _literal_base(t: str) -> str:
    m = re.fullmatch(r"Literal\[(.*)\]", t)
    if not m:
        return ""
    v = m.group(1)
    if v[:1] in "'\"":
        return "str"
    if v in ("True", "False"):
        return "bool"
    return "float" if "." in v else "int"


# ---- client ------------------------------------------------------------------------------------

def _client(d: _Differ, old: Surface, new: Surface) -> None:
    if old.package != new.package:
        d.add("package-renamed", (), new.package, "#", old.package, new.package,
              f"import package `{old.package}` renamed to `{new.package}`")
    known = old.namespaces is not None and new.namespaces is not None  # (older locks)
    ons = {x.path for x in old.namespaces or ()} if known else set()
    nns = {x.path for x in new.namespaces or ()} if known else set()
    for path in sorted(nns - ons):
        d.add("namespace-added", (), path, "#", None, path, f"new namespace `{path}`")
    for path in sorted(ons - nns):
        d.add("namespace-removed", (), path, "#", path, None, f"namespace `{path}` removed")
    o, n = old.client, new.client
    if o.name != n.name:
        d.add("client-renamed", (), n.name, "#", o.name, n.name,
              f"client `{o.name}` renamed to `{n.name}`")
    if o.servers[:1] != n.servers[:1]:
        d.add("server-default-changed", (), "servers[0]", "#/servers/0",
              o.servers[0] if o.servers else None, n.servers[0] if n.servers else None,
              "the default server changed")
    old_srv = set(zip(o.servers, (*o.server_ids, *[""] * len(o.servers))))
    new_srv = set(zip(n.servers, (*n.server_ids, *[""] * len(n.servers))))
    for url, _ in sorted(new_srv - old_srv):
        d.add("server-added", (), "servers", "#/servers", None, url, f"new server {url}")
    for url, _ in sorted(old_srv - new_srv):
        if url in n.servers:
            continue  # only its id changed: reported as an added (named) server
        d.add("server-removed", (), "servers", "#/servers", url, None,
              f"server {url} removed")
    os_, ns_ = {s.name: s for s in o.schemes}, {s.name: s for s in n.schemes}
    for name in sorted(set(os_) | set(ns_)):
        a, b = os_.get(name), ns_.get(name)
        ptr = f"#/components/securitySchemes/{name}"
        if a is None:
            assert b is not None
            d.add("security-scheme-added", (), f"{n.name}({b.argument})", ptr, None, b.argument,
                  f"new credential `{b.argument}` ({b.kind})")
        elif b is None:
            d.add("security-scheme-removed", (), f"{o.name}({a.argument})", ptr, a.argument,
                  None, f"credential `{a.argument}` removed")
        elif a != b:
            d.add("security-scheme-changed", (), f"{n.name}({b.argument})", ptr,
                  f"{a.kind} {a.location} {a.parameter}", f"{b.kind} {b.location} {b.parameter}",
                  f"credential `{b.argument}` is sent differently")
    oa, na = {a.name: a for a in o.arguments}, {a.name: a for a in n.arguments}
    for name in sorted(set(oa) | set(na)):
        x, y = oa.get(name), na.get(name)
        if x is None:
            d.add("client-argument-added", (), f"{n.name}({name})", "#", None, name,
                  f"new client argument `{name}`")
        elif y is None:
            d.add("client-argument-removed", (), f"{n.name}({name})", "#", name, None,
                  f"client argument `{name}` removed")
        elif d.mapped(x.type) != y.type:
            d.add("client-argument-changed", (), f"{n.name}({name})", "#", x.annotation,
                  y.annotation, f"client argument `{name}` type changed")


# ---- methods -----------------------------------------------------------------------------------

def _methods(d: _Differ, old: Surface, new: Surface) -> None:
    olds = {m.path: m for m in old.methods}
    news = {m.path: m for m in new.methods}
    pairs, removed, added = _pairs(olds, news, [lambda m: (m.operation, m.variant)])
    for o, n in pairs:
        d.add("method-renamed", (), n.path, n.pointer, o.path, n.path,
              f"method `{o.path}` renamed to `{n.path}`")
    for o in removed:
        d.add("method-removed", (), o.path, o.pointer, o.path, None,
              f"method `{o.path}` removed ({o.operation})")
    for n in added:
        d.add("method-added", (), n.path, n.pointer, None, n.path,
              f"new method `{n.path}` ({n.operation})")
    for o, n in pairs + [(olds[p], news[p]) for p in sorted(set(olds) & set(news))]:
        _method(d, o, n)


def _method(d: _Differ, o: Method, n: Method) -> None:
    req = (REQUEST,)
    if n.deprecated != o.deprecated:
        kind = "method-deprecated" if n.deprecated else "method-undeprecated"
        d.add(kind, req, n.path, n.pointer, o.deprecated, n.deprecated,
              f"method `{n.path}` is {'deprecated' if n.deprecated else 'no longer deprecated'}")
    old_ret = d.mapped(o.returns_type)
    if old_ret != n.returns_type or o.stream != n.stream:
        how = d.compare(old_ret or "None", n.returns_type or "None") if (
            o.stream == n.stream) else "changed"
        d.add(f"return-type-{how}", (RESPONSE,), n.path, n.pointer, o.returns, n.returns,
              f"`{n.path}` returns `{n.returns}` (was `{o.returns}`)")
    for e in sorted(set(n.errors) - set(o.errors)):
        d.add("error-added", req, n.path, n.pointer, None, e, f"`{n.path}` may raise {e}")
    for e in sorted(set(o.errors) - set(n.errors)):
        d.add("error-removed", req, n.path, n.pointer, e, None,
              f"`{n.path}` no longer documents {e}")
    if o.security != n.security:
        d.add("method-security-changed", req, n.path, n.pointer, _sec(o.security),
              _sec(n.security), f"`{n.path}` needs {_sec(n.security) or 'no credentials'} "
              f"(was {_sec(o.security) or 'none'})")
    if o.doc != n.doc:
        d.add("docs-changed", req, n.path, n.pointer, None, None,
              f"documentation of `{n.path}` changed")
    if n.variant == "pages":
        return  # its arguments are the one-page method's, reported there
    oa = {(a.location == "body", a.wire): a for a in o.arguments}
    na = {(a.location == "body", a.wire): a for a in n.arguments}
    by_name_old = {a.name: a for a in o.arguments}
    for key in [k for k in na if k not in oa] + [k for k in oa if k not in na]:
        x, y = oa.get(key), na.get(key)
        if y is not None:
            moved = by_name_old.get(y.name)
            at = f"{n.path}({y.name})"
            if moved is not None and (moved.location == "body", moved.wire) not in na:
                d.add("argument-moved", req, at, y.pointer, moved.location, y.location,
                      f"argument `{y.name}` of `{n.path}` moved from {moved.location} to "
                      f"{y.location}")
                continue
            kind = "argument-added-required" if y.required else "argument-added"
            d.add(kind, req, at, y.pointer, None, y.annotation,
                  f"new {'required ' if y.required else ''}argument `{y.name}` of `{n.path}`")
        elif x is not None:
            if any(a.name == x.name and (a.location == "body", a.wire) not in oa
                   for a in n.arguments):
                continue  # reported as moved
            d.add("argument-removed", req, f"{n.path}({x.name})", n.pointer, x.name, None,
                  f"argument `{x.name}` of `{n.path}` removed")
    for key in [k for k in na if k in oa]:
        x, y = oa[key], na[key]
        _field(d, x, y, req, f"{n.path}({y.name})", y.pointer, f"{n.path}({y.name})",
               prefix="argument")
        if x.location != y.location:
            d.add("argument-moved", req, f"{n.path}({y.name})", y.pointer, x.location,
                  y.location, f"argument `{y.name}` of `{n.path}` moved from {x.location} "
                  f"to {y.location}")


def _sec(alts: tuple[tuple[str, ...], ...]) -> str:
    return " or ".join("+".join(a) if a else "none" for a in alts)

"""The names as the SDK spells them: the naming stage's names adjusted for the target's
gen.yaml (flat response names, `<Schema>Error` exceptions, namespace classes that collide
with models, initialisms). Pure functions over the IR, the names and the config."""

from __future__ import annotations

import re
from dataclasses import replace

from ..config import TargetConfig
from ..model import Api, Operation, Ref
from ..naming import Names, pascal


def separate_errors(cfg: TargetConfig) -> bool:
    """The typed errors have a module of their own (gen.yaml `imports.paths.errors`, not
    shared with models): their names only need to be unique among errors, as in the
    reference (`errors.BadRequestError` beside a model `models.BadRequestError`)."""
    return cfg.errors_path not in ("models", cfg.shared_path, cfg.operations_path)


def operations(api: Api) -> list[Operation]:
    """Every operation of the API, namespace by namespace (breadth first)."""
    out: list[Operation] = []
    stack = [api.root]
    while stack:
        ns = stack.pop(0)
        out.extend(ns.operations)
        stack.extend(ns.children)
    return out


def _flat_names(api: Api, names: Names, cfg: TargetConfig) -> Names:
    """gen.yaml `responseFormat: flat`: an operation's inline response body is
    `<OperationId>Response` (not `...ResponseBody`), an inline request body without parameters
    beside it `<OperationId>Request` (no wrapper), and the inline models under its request
    or response body are named after the operation (`<OperationId>Data`, not
    `<OperationId>ResponseBodyData`). A name already taken keeps the old one."""
    if cfg.response_format != "flat":
        return names
    types = dict(names.types)
    taken = {n.lower() for n in types.values()} | {n.lower() for n in names.errors.values()}
    prefixes: list[tuple[str, str]] = []
    for o in operations(api):
        pid = pascal(o.operation_id)
        prefixes += [(pid + "ResponseBody", pid), (pid + "RequestBody", pid)]
        renames = []
        if o.success is not None and isinstance(o.success, Ref):
            renames.append((o.success.key, "ResponseBody", "Response"))
        if o.body is not None and isinstance(o.body.type, Ref) and all(
                p.globals_hidden for p in o.parameters):
            renames.append((o.body.type.key, "RequestBody", "Request"))  # (no wrapper)
        for key, old, new in renames:
            cls = types.get(key, "")
            # (a shared response's body is named after the response: `OrderTrackResponseBody`)
            shared = "/components/responses/" in key or "/components/requestBodies/" in key
            if not (cls == pid + old or (shared and cls.endswith(old))):
                continue
            renamed = cls[:-len(old)] + new
            if renamed.lower() not in taken:
                taken.discard(cls.lower())
                types[key] = renamed
                taken.add(renamed.lower())
    wanted: dict[str, list[tuple[str, str]]] = {}  # new name -> [(key, side)]
    for key, cls in list(types.items()):
        for old, new in prefixes:
            if cls.startswith(old) and len(cls) > len(old) and cls[len(old)].isupper():
                side = "Request" if old.endswith("RequestBody") else "Response"
                wanted.setdefault(new + cls[len(old):], []).append((key, side))
                break
    for renamed, users in wanted.items():
        if {side for _, side in users} == {"Request", "Response"}:
            # the same model name under the request and the response of one operation:
            # `<Name>Request` and `<Name>Response`, as the reference names them
            final = [(key, renamed + side) for key, side in users]
        else:
            final = [(users[0][0], renamed)]
        for key, name in final:
            if name.lower() not in taken:
                taken.discard(types[key].lower())
                taken.add(name.lower())
                types[key] = name
    return replace(names, types=types)


# Words written in capitals inside class names (`ToolDefinitionJson` -> `ToolDefinitionJSON`,
# `ImageUrl` -> `ImageURL`), as the reference generator writes them: Go's common initialisms.
INITIALISMS = frozenset((
    "ACL API ASCII CPU CSS DNS EOF GUID HTML HTTP HTTPS ID IP JSON LHS QPS RAM RHS RPC SLA "
    "SMTP SQL SSH TCP TLS TTL UDP UI UID UUID URI URL UTF8 VM XML XMPP XSRF XSS").split())
_CAPITALIZED = {w.capitalize(): w for w in INITIALISMS}
_WORDS = re.compile(r"[A-Z][a-z0-9]*|[^A-Z]+")


def initialisms(name: str) -> str:
    """`ToolDefinitionJson` -> `ToolDefinitionJSON`: only the case changes, so module and
    docs file names (the lower-cased class name) and collisions stay as they were."""
    return "".join(_CAPITALIZED.get(w, w) for w in _WORDS.findall(name))


def _initialisms(names: Names) -> Names:
    return replace(names, types={k: initialisms(v) for k, v in names.types.items()},
                   errors={k: initialisms(v) for k, v in names.errors.items()},
                   namespaces={k: initialisms(v) for k, v in names.namespaces.items()})


def _namespace_names(names: Names) -> Names:
    """A namespace class named like a model (a `namespace` group beside a `Namespace`
    schema) takes the suffix `SDK`, as the reference generator does: its docs folder
    (`docs/sdks/namespacesdk/`) and class then say which one is meant."""
    models = {n.lower() for n in names.types.values()} | {
        n.lower() for n in names.errors.values()}
    used = {n.lower() for n in names.namespaces.values()}
    renamed = {}
    for path, cls in names.namespaces.items():
        if cls.lower() in models and (cls + "SDK").lower() not in used | models:
            used.add((cls + "SDK").lower())
            cls += "SDK"
        renamed[path] = cls
    return replace(names, namespaces=renamed)


def _error_names(api: Api, names: Names, cfg: TargetConfig) -> Names:
    """With an errors module of their own (gen.yaml `imports.paths.errors`), exception
    classes are named `<Schema>Error` (kept as is when the name already says "error", or
    when `<Schema>Error` is taken by a model: sdkgen keeps every class in one namespace)."""
    if cfg.errors_path == "models" or not names.errors:
        return names
    taken = {n.lower() for n in names.errors.values()} | {
        n.lower() for n in (cfg.base_error, cfg.default_error, "ResponseValidationError",
                            "NoResponseError")}
    if not separate_errors(cfg):
        taken |= {n.lower() for n in names.types.values()}
    errors = {}
    types = dict(names.types)
    models = {n.lower() for n in types.values()}
    for key, cls in names.errors.items():
        if "error" not in cls.lower() and (cls + "Error").lower() not in taken:
            taken.add((cls + "Error").lower())
            # the body model takes the schema's name back (`<Name>Data` was only there to
            # leave the name to the exception)
            if separate_errors(cfg) and types[key] == cls + "Data" and cls.lower() not in models:
                types[key] = cls
                models.add(cls.lower())
            cls += "Error"
        errors[key] = cls
    return replace(names, errors=errors, types=types)


def adjusted_names(api: Api, names: Names, cfg: TargetConfig) -> Names:
    """The naming stage's names as the SDK spells them (see the module docstring)."""
    return _initialisms(_namespace_names(_error_names(api, _flat_names(api, names, cfg), cfg)))

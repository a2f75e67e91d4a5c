"""The SDK's namespaces (sub-clients): the tree the operations sit in, and the check that no
two operations become the same method of one namespace."""

from __future__ import annotations

from .context import BuildContext
from .diagnostics import Code
from .model import Namespace, Operation
from .naming import identifier, pascal, snake


def namespace_tree(root: dict, ops: list[Operation]) -> Namespace:
    """The tree of namespaces (sub-clients) the operations sit in, described by the
    document's tags (a dotted tag `a.b` describes namespace a.b)."""
    tag_desc = {str(t.get("name")): str(t.get("description", "") or "")
                for t in root.get("tags") or [] if isinstance(t, dict)}
    tag_by_path = {}
    for t in tag_desc:
        tag_by_path[tuple(snake(p) for p in t.split(".") if snake(p))] = t
    paths: list[tuple[str, ...]] = [()]
    for o in ops:
        for i in range(1, len(o.namespace) + 1):
            if o.namespace[:i] not in paths:
                paths.append(o.namespace[:i])

    def node(path: tuple[str, ...]) -> Namespace:
        children = tuple(node(p) for p in paths if len(p) == len(path) + 1 and p[:-1] == path)
        tag = tag_by_path.get(path, "")
        return Namespace(
            path=path, class_candidates=(pascal(path[-1]) if path else "Root",),
            description=tag_desc.get(tag, ""),
            operations=tuple(o for o in ops if o.namespace == path), children=children,
        )

    return node(())


def check_method_names(ctx: BuildContext, ops: list[Operation]) -> None:
    """Two operations that would become the same method is an error, not a silent rename:
    the SDK's API must follow from the spec."""
    seen: dict[tuple[tuple[str, ...], str], Operation] = {}
    for o in ops:
        key = (o.namespace, identifier(o.method_name))
        first = seen.setdefault(key, o)
        if first is not o:
            where = ".".join(o.namespace + (key[1],))
            ctx.error(ctx.spec.root_path, o.pointer,
                      f"operation {o.operation_id!r} would become method {where}(), which "
                      f"operation {first.operation_id!r} ({first.pointer}) already is; set "
                      "x-speakeasy-name-override or x-speakeasy-group on one of them",
                      Code.METHOD_COLLISION)

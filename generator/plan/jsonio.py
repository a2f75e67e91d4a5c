"""The plan as plain JSON data: stable (sorted keys, no object identities), for debugging
and for tests that pin what the plan decided (there is no CLI command for it yet).

Records become objects of their fields; an `Operation` inside a method is written as its
pointer plus the shape the method gives it (body flattened or not, stream or model), the
IR's named types (`Plan.types`) are left out (they are the input, not the plan), and
example values are written as JSON as far as they are JSON (else as their `repr`)."""

from __future__ import annotations

import json
from typing import Any

from ..model import Operation
from .records import Plan


def _operation(o: Operation) -> dict[str, Any]:
    return {"pointer": o.pointer, "operation_id": o.operation_id,
            "http": f"{o.http_method.upper()} {o.path}",
            "body": None if o.body is None else {"type": plain(o.body.type),
                                                 "content_type": o.body.content_type,
                                                 "flattened": o.body.flattened},
            "success": plain(o.success), "stream": plain(o.stream)}


def plain(v: Any) -> Any:
    """`v` as JSON data (records by field, in field order; tuples as lists)."""
    if isinstance(v, Operation):
        return _operation(v)
    fields = getattr(v, "__dataclass_fields__", None)
    if fields is not None:
        return {k: plain(getattr(v, k)) for k in fields}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    return repr(v)


def to_json(plan: Plan) -> dict[str, Any]:
    """The plan as JSON data (`Plan.types`, the IR, left out; names as the SDK spells them)."""
    return {"package": plan.package, "client": plain(plan.client), "root": plain(plan.root),
            "modules": plain(plan.modules),
            "names": {"types": plain(dict(sorted(plan.names.types.items()))),
                      "errors": plain(dict(sorted(plan.names.errors.items()))),
                      "namespaces": {".".join(k): v for k, v in
                                     sorted(plan.names.namespaces.items())}}}


def dumps(plan: Plan) -> str:
    """Stable text: the same plan always gives the same bytes."""
    return json.dumps(to_json(plan), indent=1, sort_keys=True, ensure_ascii=False) + "\n"

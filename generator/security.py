"""Security: the declared schemes the SDK can send (`components/securitySchemes`) and the
requirements of the document and of each operation (`security`), checked against them."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from .context import BuildContext
from .diagnostics import Code
from .load import Spec, pointer_join
from .model import SecurityScheme


def security_schemes(spec: Spec) -> dict[str, SecurityScheme]:
    """Every declared scheme the SDK can send, by name (oauth2 and openIdConnect as a
    bearer token, any http scheme but basic too); mutualTLS and unknown types are left
    out (a requirement naming one is reported by `requirements`)."""
    schemes = (spec.root.get("components") or {}).get("securitySchemes") or {}
    out: dict[str, SecurityScheme] = {}
    for name, s in schemes.items() if isinstance(schemes, dict) else ():
        name = str(name)
        if isinstance(s, dict) and "$ref" in s:
            try:
                s, _, _ = spec.deref(s, spec.root_path, "#")
            except KeyError:
                s = None
        if not isinstance(s, dict):
            continue
        typ = str(s.get("type", ""))
        desc = str(s.get("description", "") or "")
        if typ == "http" and str(s.get("scheme", "")).lower() == "basic":
            out[name] = SecurityScheme(name, "basic", "Authorization", "header", desc, typ)
        elif typ in ("http", "oauth2", "openIdConnect"):
            flows = s.get("flows") if typ == "oauth2" else None
            cc = flows.get("clientCredentials") if isinstance(flows, dict) else None
            token_url = str(cc.get("tokenUrl") or "") if isinstance(cc, dict) else ""
            scopes = cc.get("scopes") if isinstance(cc, dict) else None
            out[name] = SecurityScheme(
                name, "bearer", "Authorization", "header", desc, typ, token_url,
                tuple(str(k) for k in scopes) if isinstance(scopes, dict) else ())
        elif typ == "apiKey":
            out[name] = SecurityScheme(name, "apiKey", str(s.get("name", name)),
                                       str(s.get("in", "header")), desc, typ)
    return out

def requirements(ctx: BuildContext, schemes: Mapping[str, SecurityScheme], reqs: Any, file: Path,
                 pointer: str) -> tuple[tuple[str, ...], ...]:
    """Security requirement alternatives as scheme-name tuples: the empty requirement
    (`{}`: credentials optional) becomes a trailing `()`, so that the runtime still sends
    the credentials of an alternative it can satisfy. An alternative naming a scheme that
    is not declared (or not supported) can never be met: dropped, with a warning."""
    out: list[tuple[str, ...]] = []
    optional = False
    for i, req in enumerate(reqs if isinstance(reqs, list) else ()):
        if not isinstance(req, dict):
            continue
        if not req:
            optional = True
            continue
        names = tuple(str(k) for k in req)
        bad = [n for n in names if n not in schemes]
        if bad:
            declared = (ctx.spec.root.get("components") or {}).get("securitySchemes") or {}
            what = ("has a type sdkgen cannot send (mutualTLS) or a broken $ref"
                    if isinstance(declared, dict) and bad[0] in declared else
                    "is not declared in components.securitySchemes")
            ctx.warn(file, pointer_join(pointer, i),
                     f"security scheme {bad[0]!r} {what}; this requirement is ignored",
                     Code.SECURITY_SCHEME)
            continue
        if names not in out:
            out.append(names)
    return tuple(out) + (((),) if out and optional else ())

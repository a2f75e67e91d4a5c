"""Read the commercial generator's `.speakeasy/gen.yaml` as a target config.

A gen.yaml passed as `--config` is recognised by its `generation:` / `python:` sections.
Keys that map onto `TargetConfig` are applied; every other key is reported as a warning
naming it (the run goes on): the SDK is generated without that setting.

| gen.yaml | TargetConfig |
| --- | --- |
| python.packageName | dist_name, import_name (`-` -> `_`) |
| python.moduleName | import_name |
| python.version | version |
| generation.sdkClassName | sdk_class_name, sync_client, async_client ("Async" + it), base_error (+ "Error") |
| python.envVarPrefix | env_prefix |
| python.defaultErrorName / python.baseErrorName | default_error / base_error |
| python.enumFormat (enum / union) | enum_style (enum / literal) |
| python.maxMethodParams | max_method_params (0: body never flattened) |
| python.flatteningOrder (parameters-first / body-first) | flattening_order |
| python.flattenRequests | flatten_requests |
| python.responseFormat | response_format (flat: `<OperationId>Response` names) |
| python.imports.paths.shared / operations / errors | shared_path / operations_path / errors_path ("" -> models) |
| generation.maintainOpenAPIOrder | maintain_order |
| generation.fixes without nameResolutionFeb2025: true | legacy_namespace_names |

Keys that change nothing sdkgen writes (packaging, tests, dev containers, the commercial
tool's own fix flags...) are read silently.
"""

from __future__ import annotations

import re
from typing import Any

from .diagnostics import ERROR, WARNING, Code, Diagnostic

CODE = Code.GEN_YAML

# Keys that only describe the file itself or the commercial tool's own housekeeping: read
# silently (warning about them would only be noise).
_SILENT_TOP = {"configVersion"}
_SILENT_PYTHON: set[str] = {
    "additionalDependencies", "author", "authors", "description", "license", "packageManager",
    "pytestFilterWarnings", "pytestTimeout", "enableCustomCodeRegions", "legacyPyright",
    "templateVersion", "homepage", "documentationUrl", "fixFlags",
    # already how sdkgen works: infer-optional-args, flat responses, the SSE overloads
    "methodArguments", "sseFlatResponse", "inferSSEOverload",
    "asyncMode", "clientServerStatusCodesAsErrors", "flattenGlobalSecurity",
    "inputModelSuffix", "outputModelSuffix"}
_SILENT_GENERATION: set[str] = {"devContainers", "tests", "fixes", "sdkHooksConfigAccess",
                                "usageSnippets", "useClassNamesForArrayFields", "compile"}
_PATH_KEYS = {"shared": "shared_path", "operations": "operations_path", "errors": "errors_path"}


def is_gen_yaml(data: Any) -> bool:
    return isinstance(data, dict) and ("generation" in data or "python" in data)


def settings_from_gen_yaml(data: dict[str, Any], source: str, line_of: Any = None
                           ) -> tuple[dict[str, Any], list[Diagnostic]]:
    """(settings, diagnostics): the `TargetConfig` fields gen.yaml sets, by name (the caller,
    `config.load_config`, applies them over its base config; this module does not depend
    on `config`)."""
    diags: list[Diagnostic] = []

    def diag(severity: str, pointer: str, message: str) -> None:
        line = line_of(pointer) if line_of is not None else None
        diags.append(Diagnostic(severity, pointer, message, file=source, line=line, code=CODE))

    for key in data:
        if key in ("generation", "python") or key in _SILENT_TOP:
            continue
        diag(WARNING, f"#/{key}", f"gen.yaml section {key!r} ignored (sdkgen generates Python "
                                  "only)" if isinstance(data[key], dict) else
             f"gen.yaml key {key!r} ignored")
    gen = data.get("generation") or {}
    py = data.get("python") or {}
    if not isinstance(gen, dict):
        diag(ERROR, "#/generation", "generation must be a mapping")
        gen = {}
    if not isinstance(py, dict):
        diag(ERROR, "#/python", "python must be a mapping")
        py = {}
    changes: dict[str, Any] = {}

    sdk_class = gen.get("sdkClassName")
    if sdk_class:
        cls = str(sdk_class)
        changes.update(sdk_class_name=cls, sync_client=cls, async_client="Async" + cls,
                       base_error=cls + "Error")
    package = py.get("packageName")
    if package:
        changes["dist_name"] = str(package)
        changes["import_name"] = re.sub(r"[^A-Za-z0-9_]", "_", str(package))
    if py.get("moduleName"):
        changes["import_name"] = str(py["moduleName"])
    if py.get("version") is not None:
        changes["version"] = str(py["version"])
    if py.get("envVarPrefix"):
        changes["env_prefix"] = str(py["envVarPrefix"])
    if py.get("defaultErrorName"):
        changes["default_error"] = str(py["defaultErrorName"])
    if py.get("baseErrorName"):
        changes["base_error"] = str(py["baseErrorName"])
    if "enumFormat" in py:
        fmt = str(py["enumFormat"])
        style = {"enum": "enum", "union": "literal"}.get(fmt)
        if style is None:
            diag(WARNING, "#/python/enumFormat",
                 f"python.enumFormat {fmt!r} unknown (expected enum or union); ignored")
        else:
            changes["enum_style"] = style
    if "maxMethodParams" in py:
        value = py["maxMethodParams"]
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            changes["max_method_params"] = value
        else:
            diag(WARNING, "#/python/maxMethodParams",
                 f"python.maxMethodParams must be a non-negative integer, not {value!r}; ignored")
    if "flatteningOrder" in py:
        order = str(py["flatteningOrder"])
        if order in ("parameters-first", "body-first"):
            changes["flattening_order"] = order
        else:
            diag(WARNING, "#/python/flatteningOrder",
                 f"python.flatteningOrder {order!r} unknown (expected parameters-first or "
                 "body-first); ignored")

    if "responseFormat" in py:
        fmt = str(py["responseFormat"])
        if fmt in ("flat", "envelope", "envelope-http"):
            changes["response_format"] = fmt
        else:
            diag(WARNING, "#/python/responseFormat",
                 f"python.responseFormat {fmt!r} unknown (expected flat, envelope or "
                 "envelope-http); ignored")
    if "flattenRequests" in py:
        changes["flatten_requests"] = py["flattenRequests"] is True
    if "maintainOpenAPIOrder" in gen:
        changes["maintain_order"] = gen["maintainOpenAPIOrder"] is not False
    fixes = gen.get("fixes")
    if isinstance(fixes, dict):
        # written before the generator's Feb 2025 naming fix: its namespace names kept
        changes["legacy_namespace_names"] = fixes.get("nameResolutionFeb2025") is not True
    imports = py.get("imports")
    paths = imports.get("paths") if isinstance(imports, dict) else None
    if isinstance(paths, dict):
        for key, attr in _PATH_KEYS.items():
            value = str(paths.get(key) or "").strip().strip("/").replace("/", ".")
            if not value:
                continue
            if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
                changes[attr] = value
            else:
                diag(WARNING, f"#/python/imports/paths/{key}",
                     f"python.imports.paths.{key} {value!r} is not a module name sdkgen can "
                     "use (one identifier); the models stay in `models`")

    mapped_py = {"packageName", "moduleName", "version", "envVarPrefix", "defaultErrorName",
                 "baseErrorName", "enumFormat", "maxMethodParams", "flatteningOrder",
                 "flattenRequests", "imports", "responseFormat"}
    for key in py:
        if key not in mapped_py and key not in _SILENT_PYTHON:
            diag(WARNING, f"#/python/{key}", f"gen.yaml python.{key} is not supported by "
                                             "sdkgen; ignored")
    for key in gen:
        if key not in ("sdkClassName", "maintainOpenAPIOrder") and key not in _SILENT_GENERATION:
            diag(WARNING, f"#/generation/{key}", f"gen.yaml generation.{key} is not supported "
                                                 "by sdkgen; ignored")
    return changes, diags

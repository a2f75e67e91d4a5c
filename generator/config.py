"""Target configuration: which spec, and how the SDK built from it is named."""

from __future__ import annotations

import json
import keyword
import re
import sys
import unicodedata
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Callable

import yaml

from .diagnostics import ERROR, Code, Diagnostic, SpecError, result_or_stop
from .speakeasy_config import is_gen_yaml, settings_from_gen_yaml


@dataclass(frozen=True)
class TargetConfig:
    spec: str = ""  # path of the spec, relative to the config file's folder
    dist_name: str = "sdk"
    import_name: str = "sdk"
    version: str = "0.1.0"
    sdk_class_name: str = "SDK"
    sync_client: str = "SDK"
    async_client: str = "AsyncSDK"
    env_prefix: str = "SDK"
    enum_style: str = "literal"  # "literal" | "enum"
    default_error: str = "SDKError"
    base_error: str = "SDKBaseError"
    example_client_var: str = "sdk"
    example_import_style: str = "os_first"  # "os_first" | "sdk_first"
    generator_version: str = "0.1.0"
    # Request bodies are flattened into keyword arguments unless the operation would then
    # take more than this many arguments (parameters + body fields); -1: always flatten,
    # 0: never (the method takes the body as one `request` model/TypedDict argument).
    # An operation's `x-speakeasy-max-method-params` overrides it.
    max_method_params: int = -1
    # order of the flattened arguments (required ones always come first):
    # "parameters-first" or "body-first"
    flattening_order: str = "parameters-first"
    # Python modules (and docs folders) of the models, as gen.yaml's `imports.paths` sets
    # them: component schemas, operation-level models (inline bodies, request and response
    # wrappers) and error bodies. "models" everywhere is sdkgen's own layout.
    shared_path: str = "models"
    operations_path: str = "models"
    errors_path: str = "models"
    # Model pages list fields in the spec's order (gen.yaml maintainOpenAPIOrder, the
    # commercial generator's default); false: required fields first.
    maintain_order: bool = True
    # gen.yaml flattenRequests: a body's fields are always method arguments, whatever
    # max_method_params says (it still applies to operations without a body).
    flatten_requests: bool = False
    # gen.yaml responseFormat. "flat": an operation's inline response body is the class
    # `<OperationId>Response` and the inline models under a request or response body are
    # named after the operation (`<OperationId><Property>`), as the commercial generator does
    # for flat responses; "envelope-http" (sdkgen's default): `<OperationId>ResponseBody`,
    # and children named after the body class.
    response_format: str = "envelope-http"
    # gen.yaml written before the commercial generator's `nameResolutionFeb2025` fix (its
    # `fixes` do not set it): namespaces named as that generator named them (naming.py).
    legacy_namespace_names: bool = False
    # The SDK version on regeneration over a lock (generator/lock.py, docs/changes.md):
    # "automatic" bumps it by semver from the changes, "manual" keeps `version`.
    versioning: str = "automatic"

    @classmethod
    def from_mapping(cls, data: dict[str, Any], source: str = "<config>",
                     title: Callable[[], str] | None = None,
                     pointer: str = "#") -> "TargetConfig":
        """`read_mapping` for a caller that cannot go on without the config."""
        return result_or_stop(*cls.read_mapping(data, source, title, pointer))

    @classmethod
    def read_mapping(cls, data: dict[str, Any], source: str = "<config>",
                     title: Callable[[], str] | None = None,
                     pointer: str = "#") -> tuple["TargetConfig | None", list[Diagnostic]]:
        """A config from its keys, or None and its errors. Names it does not set derive from
        the one it does (dist_name, else import_name; sdk_class_name also names the clients
        and the base error), else from `title()` (the spec's info.title, see
        `names_from_title`)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            return None, [Diagnostic(
                ERROR, pointer, f"unknown config key(s): {', '.join(unknown)}; valid keys: "
                f"{', '.join(sorted(known))}", file=source, code=Code.CONFIG)]
        types = {f.name: f.type for f in fields(cls)}
        try:
            values: dict[str, Any] = {
                k: int(v) if types[k] in (int, "int") else
                (v if isinstance(v, bool) else str(v).lower() in ("1", "true", "yes"))
                if types[k] in (bool, "bool") else str(v) for k, v in data.items()}
            if not all(k in values for k in NAME_KEYS):
                values = {**_derived_names(values, title), **values}
            cfg = cls(**values)
        except (TypeError, ValueError) as exc:
            return None, [Diagnostic(ERROR, "#", f"bad config value: {exc}", file=source,
                                     code=Code.CONFIG)]
        problems = cfg.problems(source, pointer)
        return (None, problems) if problems else (cfg, [])

    def problems(self, source: str, pointer: str = "#") -> list[Diagnostic]:
        """What is wrong with the values (each an error)."""
        problems = []
        for name in ("import_name",):
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", getattr(self, name)):
                problems.append(f"{name} must be a Python identifier")
        for name in ("sync_client", "async_client", "default_error", "base_error"):
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", getattr(self, name)):
                problems.append(f"{name} must be a Python identifier")
        if self.enum_style not in ("literal", "enum"):
            problems.append("enum_style must be 'literal' or 'enum'")
        if self.flattening_order not in ("parameters-first", "body-first"):
            problems.append("flattening_order must be 'parameters-first' or 'body-first'")
        for name in ("shared_path", "operations_path", "errors_path"):
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", getattr(self, name)):
                problems.append(f"{name} must be a Python identifier")
        if self.response_format not in ("flat", "envelope", "envelope-http"):
            problems.append("response_format must be 'flat', 'envelope' or 'envelope-http'")
        if self.versioning not in ("automatic", "manual"):
            problems.append("versioning must be 'automatic' or 'manual'")
        if self.example_import_style not in ("os_first", "sdk_first"):
            problems.append("example_import_style must be 'os_first' or 'sdk_first'")
        return [Diagnostic(ERROR, pointer, p, file=source, code=Code.CONFIG) for p in problems]


def _derived_names(values: dict[str, Any], title: Callable[[], str] | None) -> dict[str, str]:
    if values.get("dist_name"):
        derived = names_from(values["dist_name"])
    elif values.get("import_name"):
        derived = names_from(values["import_name"])
    elif title is not None:
        derived = names_from_title(title())
    else:
        return {}
    cls = values.get("sdk_class_name")
    if cls:
        derived.update(sync_client=cls, async_client="Async" + cls, base_error=cls + "Error")
    derived["example_client_var"] = "client"
    return derived


# The names of an SDK, all derived from one base name unless a config sets them.
NAME_KEYS = ("dist_name", "import_name", "sdk_class_name", "sync_client", "async_client",
             "env_prefix", "base_error")


def _words(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return [w for w in re.split(r"[^A-Za-z0-9]+", ascii_text) if w]


def names_from(base: str) -> dict[str, str]:
    """Every name from one: "ollama-api-client" -> dist `ollama-api-client`, import
    `ollama_api_client`, class `OllamaApiClient` (async `AsyncOllamaApiClient`, base error
    `OllamaApiClientError`), env prefix `OLLAMA_API_CLIENT` (variables `OLLAMA_API_CLIENT_*`).
    The base is split into words on anything that is not a letter or digit and lowercased;
    a leading digit gets an `api` word in front."""
    words = [w.lower() for w in _words(base)] or ["api", "client"]
    if words[0][0].isdigit():
        words.insert(0, "api")
    import_name = "_".join(words)
    if keyword.iskeyword(import_name):
        import_name += "_"
    cls = "".join(w[:1].upper() + w[1:] for w in words)
    return {"dist_name": "-".join(words), "import_name": import_name, "sdk_class_name": cls,
            "sync_client": cls, "async_client": "Async" + cls, "env_prefix": import_name.upper(),
            "base_error": cls + "Error"}


def names_from_title(title: str) -> dict[str, str]:
    """Names for a spec without configured ones: the words of `info.title` plus `client`
    ("Ollama API" -> `ollama-api-client`), so the SDK never takes the bare product name
    that the vendor's own package would use; the spec's file name plays no part."""
    # a title is spec text of any length: at most six words of at most 30 characters, so
    # the package, its folder and its files keep names a file system accepts
    words = [w.lower()[:30] for w in _words(title)][:6]
    if not words or words[-1] != "client":
        words.append("client")
    return names_from("-".join(words))


def spec_title(path: Path) -> str:
    """`info.title` of a spec file, read without building the whole document (a YAML
    event scan stops at the title); "" when the file cannot be read or has none."""
    from .load import MAX_DOCUMENT_BYTES

    try:  # only a regular file of a sane size: the load stage reports anything else
        if not path.is_file() or path.stat().st_size > MAX_DOCUMENT_BYTES:
            return ""
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):  # nested too deep: load says where
            pass
        else:
            info = data.get("info") if isinstance(data, dict) else None
            title = info.get("title") if isinstance(info, dict) else None
            return title if isinstance(title, str) else ""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    # frames: [is_mapping, pending key, key this container sits under]
    frames: list[list[Any]] = []
    try:
        for ev in yaml.parse(text, Loader=loader):
            if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                under = frames[-1][1] if frames and frames[-1][0] else None
                frames.append([isinstance(ev, yaml.MappingStartEvent), None, under])
            elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frames.pop()
                if not frames:
                    return ""
                if frames[-1][0]:
                    frames[-1][1] = None
            elif isinstance(ev, (yaml.ScalarEvent, yaml.AliasEvent)) and frames:
                top = frames[-1]
                if not top[0]:
                    continue
                if top[1] is None:
                    top[1] = getattr(ev, "value", "")
                    continue
                if (len(frames) == 2 and top[2] == "info" and top[1] == "title"
                        and isinstance(ev, yaml.ScalarEvent)):
                    return str(ev.value)
                top[1] = None
    except (yaml.YAMLError, RecursionError):
        return ""
    return ""


def with_names(cfg: TargetConfig, base: str) -> TargetConfig:
    """`--name`: every name from one base."""
    names: dict[str, Any] = names_from(base)
    return replace(cfg, **names)


def default_config_for(spec_path: Path, name: str | None = None) -> TargetConfig:
    """A config for a spec given on the command line without one: names from `name`
    (`--name`) or else from the spec's `info.title`."""
    names: dict[str, Any] = names_from(name) if name else names_from_title(spec_title(spec_path))
    return TargetConfig(spec=str(spec_path), example_client_var="client", **names)


def load_config(path: Path, base: TargetConfig | None = None,
                diagnostics: list[Diagnostic] | None = None) -> TargetConfig:
    """`read_config` for a caller that cannot go on without the config: its warnings are
    appended to `diagnostics`."""
    cfg, diags = read_config(path, base)
    cfg = result_or_stop(cfg, diags)
    if diagnostics is not None:
        diagnostics.extend(diags)
    return cfg


def read_config(path: Path, base: TargetConfig | None = None
                ) -> tuple[TargetConfig | None, list[Diagnostic]]:
    """Read an sdkgen target config, or a `.speakeasy/gen.yaml` (recognised by its
    `generation:`/`python:` sections; `base` supplies what it does not set): the config and
    the warnings (a gen.yaml's ignored keys), or None and the errors."""
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text) or {}
    except (OSError, yaml.YAMLError) as exc:
        return None, [Diagnostic(ERROR, "#", f"cannot read config: {exc}", file=str(path),
                                 code=Code.CONFIG)]
    if not isinstance(data, dict):
        return None, [Diagnostic(ERROR, "#", "config must be a mapping", file=str(path),
                                 code=Code.CONFIG)]
    if is_gen_yaml(data):
        from .docparse import _LineIndex

        settings, diags = settings_from_gen_yaml(data, str(path), _LineIndex(text).line_of)
        if any(d.severity == ERROR for d in diags):
            return None, diags
        cfg = replace(base or TargetConfig(), **settings)
        problems = cfg.problems(str(path))
        return (None, problems) if problems else (cfg, diags)
    spec_file = (path.parent / str(data["spec"]) if data.get("spec")
                 else Path(base.spec) if base is not None and base.spec else None)
    return TargetConfig.read_mapping(
        data, str(path), title=(lambda: spec_title(spec_file)) if spec_file else None)


# Keys of one entry of `targets:` besides the TargetConfig keys (which set the SDK's
# names and options directly: no second file needed).
TARGET_KEYS = ("name", "out", "config", "overlays")
TOP_KEYS = ("targets",)


@dataclass(frozen=True)
class Target:
    name: str
    out: Path
    source: Path  # the targets file (sdkgen.yaml or pyproject.toml)
    index: int
    config_path: Path | None = None  # the two-file form: a target config (or gen.yaml)
    inline: dict[str, Any] = field(default_factory=dict)  # TargetConfig keys given inline
    overlays: tuple[Path, ...] = ()

    @property
    def pointer(self) -> str:
        return f"#/targets/{self.index}"

    def spec_ref(self, cfg: TargetConfig) -> str:
        """The spec as written: a URL, or a path relative to the file that names it."""
        return str(self.inline.get("spec") or cfg.spec)

    def load(self, diagnostics: list[Diagnostic] | None = None,
             local: Callable[[str], Path] = Path) -> tuple[TargetConfig, str]:
        """(config, spec): the spec is an http(s) URL or an absolute path; `local` gives
        the file of a spec (a URL's download), read for its title when names derive from it."""
        inline_spec = str(self.inline.get("spec") or "")
        spec_here = _resolve_spec(inline_spec, self.source.parent) if inline_spec else ""
        if self.config_path is not None:
            base = default_config_for(local(spec_here)) if spec_here else None
            cfg = load_config(self.config_path, base, diagnostics)
            if self.inline:
                merged = {k: v for k, v in _asdict_set(cfg).items()}
                merged.update(self.inline)
                cfg = TargetConfig.from_mapping(merged, str(self.source), pointer=self.pointer)
            spec = spec_here or (_resolve_spec(cfg.spec, self.config_path.parent)
                                 if cfg.spec else "")
            where = str(self.config_path)
        else:
            spec = spec_here
            title = (lambda: spec_title(local(spec))) if spec else None
            cfg = TargetConfig.from_mapping(self.inline, str(self.source), title=title,
                                            pointer=self.pointer)
            where = str(self.source)
        if not spec:
            raise SpecError([Diagnostic(ERROR, f"{self.pointer}/spec", "the target names no "
                                        "spec (give `spec:` in the target, or in its config)",
                                        file=where, code=Code.CONFIG)])
        return cfg, spec


def _asdict_set(cfg: TargetConfig) -> dict[str, Any]:
    return {f.name: getattr(cfg, f.name) for f in fields(cfg)}


def _resolve_spec(spec: str, folder: Path) -> str:
    if spec.startswith(("http://", "https://")):
        return spec
    return str((folder / spec).resolve())


def find_config(start: Path) -> Path | None:
    """The nearest `sdkgen.yaml`, or `pyproject.toml` with a `[tool.sdkgen]` table, in
    `start` or its parents (sdkgen.yaml first within one folder)."""
    for folder in (start, *start.parents):
        yaml_file = folder / "sdkgen.yaml"
        if yaml_file.is_file():
            return yaml_file
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                if "sdkgen" in (read_toml(pyproject).get("tool") or {}):
                    return pyproject
            except SpecError:
                continue
    return None


def toml_module() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib


def read_toml(path: Path) -> dict[str, Any]:
    tomllib = toml_module()
    try:
        with open(path, "rb") as fh:
            return dict(tomllib.load(fh))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SpecError([Diagnostic(ERROR, "#", f"cannot read: {exc}", file=str(path),
                                    code=Code.CONFIG)]
                        ) from None


def load_targets(path: Path) -> list[Target]:
    """The targets of an `sdkgen.yaml` (`targets:`) or of a pyproject.toml's
    `[[tool.sdkgen.targets]]`; paths are relative to that file's folder."""
    src = str(path)
    if path.suffix == ".toml":
        data = (read_toml(path).get("tool") or {}).get("sdkgen")
        src = f"{path} [tool.sdkgen]"
    else:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise SpecError([Diagnostic(ERROR, "#", f"cannot read: {exc}", file=src,
                                        code=Code.CONFIG)]
                            ) from None
    if not isinstance(data, dict):
        raise SpecError([Diagnostic(ERROR, "#", "expected a mapping with `targets:` (a "
                                    "list of targets)", file=src, code=Code.CONFIG)])
    unknown = sorted(set(data) - set(TOP_KEYS))
    if unknown:
        raise SpecError([Diagnostic(ERROR, "#", f"unknown key(s): {', '.join(unknown)}; "
                                    f"valid keys: {', '.join(TOP_KEYS)}", file=src,
                                    code=Code.CONFIG)])
    entries = data.get("targets")
    if not isinstance(entries, list) or not entries:
        raise SpecError([Diagnostic(ERROR, "#/targets", "no targets: list at least one "
                                    "(name, spec, out), e.g. with `sdkgen init --spec FILE`",
                                    file=src, code=Code.CONFIG)])
    valid = sorted({*TARGET_KEYS, *(f.name for f in fields(TargetConfig))})
    base = path.parent
    targets = []
    for i, entry in enumerate(entries):
        where = f"#/targets/{i}"
        if not isinstance(entry, dict):
            raise SpecError([Diagnostic(ERROR, where, "a target is a mapping (name, spec, "
                                        "out...)", file=src, code=Code.CONFIG)])
        unknown = sorted(set(entry) - set(valid))
        if unknown:
            raise SpecError([Diagnostic(ERROR, where, f"unknown key(s): {', '.join(unknown)}; "
                                        f"valid keys: {', '.join(valid)}", file=src,
                                        code=Code.CONFIG)])
        if not entry.get("out"):
            raise SpecError([Diagnostic(ERROR, where, "needs `out` (the SDK's folder)",
                                        file=src, code=Code.CONFIG)])
        if not entry.get("spec") and not entry.get("config"):
            raise SpecError([Diagnostic(ERROR, where, "needs `spec` (or `config`, a target "
                                        "config naming the spec)", file=src, code=Code.CONFIG)])
        overlays = entry.get("overlays") or []
        if not isinstance(overlays, list):
            raise SpecError([Diagnostic(ERROR, f"{where}/overlays", "a list of files",
                                        file=src, code=Code.CONFIG)])
        out = base / str(entry["out"])
        inline = {k: v for k, v in entry.items() if k not in TARGET_KEYS}
        targets.append(Target(
            name=str(entry.get("name") or out.name), out=out, source=path, index=i,
            config_path=base / str(entry["config"]) if entry.get("config") else None,
            inline=inline, overlays=tuple(base / str(o) for o in overlays)))
    return targets

"""The stages in order: load -> validate -> build -> name -> render -> format -> write."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Sequence

from . import frontmemo
from .build import build
from .cache import cache_root
from .config import TargetConfig
from .diagnostics import (
    ERROR,
    WARNING,
    Code,
    Diagnostic,
    Report,
    SpecError,
    stop_on_errors,
    strictly,
)
from .format import FormatCache, FormatError, format_files
from .limits import check_generated_limits
from .load import Spec, read_spec
from .lock import LOCK, finish, lock_text
from .model import Api
from .naming import Names, assign_names
from .outcache import Entry, OutputCache, file_hashes, inputs_of
from .overlay import apply_overlays
from .render import prepare, render
from .sdkdir import SpecInfo, sha256
from .surface import Surface, build_surface
from .validate import validate
from .write import CheckResult, Outcome, check_tree, write_tree


@dataclass
class Result:
    files: dict[str, str] = field(default_factory=dict)
    report: Report = field(default_factory=Report)
    api: Api | None = None
    names: Names | None = None
    spec: Spec | None = None
    operations: int = 0  # also known on a whole-output cache hit, where api is None
    written: Outcome | None = None  # what generate_to's write did (merges, conflicts...)
    versioning: Any = None  # lock.Versioning: the changes against the SDK's lock, if any


def default_cache() -> FormatCache:
    root = cache_root()
    return FormatCache(root / "format" if root is not None else None)


def generate(spec_path: Path, cfg: TargetConfig, strict: bool = False,
             cache: FormatCache | None = None, extra_inputs: Sequence[Path] = (),
             overlays: Sequence[Path] = (), local_refs: bool = True,
             allow_ref_outside: bool = False) -> Result:
    """Run every stage but the write; raises SpecError (with all diagnostics) on errors.

    An unchanged run is answered by the whole-output cache (generator/outcache.py);
    `extra_inputs` (e.g. overlay files) are part of its key. Passing a FormatCache
    without a folder disables it too, and so does `allow_ref_outside` (an entry must never
    answer a run that would refuse a `$ref`). `local_refs=False` (a spec fetched from a
    URL): its $refs may not reach other files."""
    return cached_run(spec_path, cfg, strict, (*extra_inputs, *overlays),
                      lambda: _generate(spec_path, cfg, strict, cache, overlays, local_refs,
                                        allow_ref_outside),
                      enabled=(cache is None or cache.folder is not None) and not allow_ref_outside)


def cached_run(spec_path: Path, cfg: TargetConfig, strict: bool, extra_inputs: Sequence[Path],
               run: Callable[[], Result], enabled: bool = True) -> Result:
    """`run()` (the whole pipeline but the write), or its stored result when every input
    it read is unchanged. Only successful runs are stored."""
    oc = OutputCache.default() if enabled else OutputCache(None)
    if oc.folder is None:
        return run()
    slot = oc.slot(spec_path, cfg, strict, extra_inputs)
    hit = oc.get(slot)
    if hit is not None:
        return Result(files=hit.files, report=Report(list(hit.diagnostics)),
                      operations=hit.operations)
    extra = file_hashes(extra_inputs)
    result = run()
    if extra is not None and result.spec is not None:
        docs = {p: d.sha256 for p, d in result.spec.documents.items()}
        if all(docs.values()):
            oc.put(slot, inputs_of(docs, result.spec.missing, extra),
                   Entry(result.files, list(result.report.items), result.operations))
    return result


def _generate(spec_path: Path, cfg: TargetConfig, strict: bool = False,
              cache: FormatCache | None = None, overlays: Sequence[Path] = (),
              local_refs: bool = True, allow_ref_outside: bool = False) -> Result:
    try:
        return _stages(spec_path, cfg, strict, cache, overlays, local_refs, allow_ref_outside)
    except (SpecError, FormatError):
        raise
    except Exception as exc:  # a bug: still an answer that says where, not a traceback
        raise SpecError([internal_error(exc, spec_path)]) from exc


def internal_error(exc: BaseException, spec_path: Path) -> Diagnostic:
    """The diagnostic for an unexpected exception (a bug in sdkgen, found by input no
    check foresaw): what and where in sdkgen, so that it can be reported."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "sdkgen" in f.filename
              or "generator" in f.filename]
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    return Diagnostic(ERROR, "#", f"internal error{where} ({type(exc).__name__}: {text}); "
                      "sdkgen could not handle this spec: please report it with the spec",
                      file=str(spec_path), code=Code.INTERNAL_ERROR)


def _stages(spec_path: Path, cfg: TargetConfig, strict: bool, cache: FormatCache | None,
            overlays: Sequence[Path], local_refs: bool, allow_ref_outside: bool) -> Result:
    result, later = front(spec_path, cfg, strict, overlays, local_refs, allow_ref_outside)
    assert result.api is not None and result.names is not None
    prepared = prepare(result.api, result.names, cfg)
    files = render(result.api, result.names, cfg, prepared)
    files[LOCK] = lock_text(build_surface(result.api, result.names, cfg, prepared.plan), cfg,
                            spec_path, overlays)
    files = format_files(files, cache or default_cache())
    result.report.extend(later)
    result.files = files
    result.operations = _count_operations(result.api)
    return result


def front(spec_path: Path, cfg: TargetConfig, strict: bool = False,
          overlays: Sequence[Path] = (), local_refs: bool = True,
          allow_ref_outside: bool = False) -> tuple[Result, list[Diagnostic]]:
    """load -> overlays -> validate -> build -> name (no rendering): the Result holds the
    spec, the IR and the names; the build's and naming's diagnostics are returned apart.
    Raises SpecError on errors."""
    key = (str(spec_path), replace(cfg, version=""), strict, tuple(map(str, overlays)),
           local_refs, allow_ref_outside)
    memo = frontmemo.current()
    if memo is not None and key in memo:
        spec, api, names, items, later = memo[key]
        return (Result(report=Report(list(items)), api=api, names=copy.deepcopy(names),
                       spec=spec), list(later))
    result, later = _front(spec_path, cfg, strict, overlays, local_refs, allow_ref_outside)
    if memo is not None:
        memo[key] = (result.spec, result.api, result.names, list(result.report.items),
                            list(later))
    return result, later


def _front(spec_path: Path, cfg: TargetConfig, strict: bool, overlays: Sequence[Path],
           local_refs: bool, allow_ref_outside: bool) -> tuple[Result, list[Diagnostic]]:
    result = Result()
    report = result.report
    loaded, found = read_spec(spec_path, local_refs, allow_ref_outside)
    admit(report, found, strict)
    assert loaded is not None  # (else admit stopped the run with the load's error)
    result.spec = spec = loaded
    admit(report, apply_overlays(spec, overlays), strict)  # Overlay 1.0 documents
    admit(report, validate(spec), strict)
    try:
        api, diags = build(spec, cfg.shared_path != cfg.operations_path)
    except SpecError as exc:
        report.extend(exc.diagnostics)
        raise SpecError(report.items) from None
    # the build's findings are listed after rendering's, unless they stop the run here
    later = admit(report, [*diags, *check_generated_limits(api, spec)], strict, apart=True)
    names = assign_names(api, cfg.sdk_class_name, {cfg.default_error, cfg.base_error},
                         (cfg.sync_client, cfg.async_client),
                         cfg.legacy_namespace_names)
    # a numbered class name is deterministic, but the user should know why it is there
    # (and `--strict`, which promises that every warning stops the run, stops it)
    later += admit(report, [_name_note(spec, key, why) for key, why in names.notes], strict,
                   apart=True)
    result.api, result.names = api, names
    return result, later


def _name_note(spec: Spec, key: str, why: str) -> Diagnostic:
    """A numbered class name, located at the schema it names (a type's key is its pointer,
    after the file's path when the schema is not in the root document)."""
    where, _, pointer = key.partition("#")
    file = spec.root_path.parent / where if where else spec.root_path
    return spec.diag(WARNING, file, "#" + pointer, why, Code.NAME_SUFFIXED)


def admit(report: Report, diags: Iterable[Diagnostic], strict: bool,
          apart: bool = False) -> list[Diagnostic]:
    """The one place a stage's diagnostics enter a run: `--strict` promotes the warnings
    (`strictly`), and an error stops the run with a SpecError that carries everything
    reported so far. Returns the diagnostics as admitted; `apart`: they are not added to
    `report` unless they stop the run."""
    admitted = strictly(diags, strict)
    if not apart or any(d.severity == ERROR for d in admitted):
        report.extend(admitted)
    stop_on_errors(report.items)
    return admitted


def check_spec(spec_path: Path, strict: bool = False, overlays: Sequence[Path] = (),
               local_refs: bool = True, allow_ref_outside: bool = False) -> list[Diagnostic]:
    """`sdkgen validate`: every finding of load, overlays, validate and build, nothing
    rendered. Build runs when the stages before it found no error (it reads a valid shape;
    `--strict` is applied after it, so that its findings are listed too). Never raises for
    a problem of the spec: an unforeseen exception is an internal-error diagnostic."""
    diags: list[Diagnostic] = []
    try:
        spec, diags = read_spec(spec_path, local_refs, allow_ref_outside)
        if spec is not None:
            diags = apply_overlays(spec, overlays)
        if spec is not None and not _has_error(diags):  # (a broken overlay ends it here)
            diags += validate(spec)
            if not _has_error(diags):
                try:
                    diags += build(spec)[1]
                except SpecError as exc:
                    diags += exc.diagnostics
    except Exception as exc:  # a bug: say so, with where, not a traceback
        diags.append(internal_error(exc, spec_path))
    return strictly(diags, strict)


def _has_error(diags: list[Diagnostic]) -> bool:
    return any(d.severity == ERROR for d in diags)


def _count_operations(api: Api) -> int:
    total, stack = 0, [api.root]
    while stack:
        ns = stack.pop()
        total += len(ns.operations)
        stack.extend(ns.children)
    return total


def spec_info(spec_path: Path, result: Result) -> SpecInfo:
    """Names the spec a generation came from (file, info.version, hash): the labels of a
    merge conflict's sides."""
    try:
        data = spec_path.read_bytes()
    except OSError:
        data = b""
    version = result.api.version if result.api is not None else _info_version(data)
    return SpecInfo(spec_path.name, version or "", sha256(data) if data else "")


def _info_version(data: bytes) -> str:
    """info.version without parsing the spec (a whole-output cache hit has no Api)."""
    import json
    import re

    text = data.decode("utf-8", errors="replace")
    if text.lstrip().startswith("{"):
        try:
            return str(json.loads(text).get("info", {}).get("version", ""))
        except (ValueError, AttributeError):
            return ""
    m = re.search(r"^info:[ \t]*\n((?:[ \t]+.*\n|[ \t]*\n)*?)[ \t]+version:[ \t]*['\"]?([^'\"\n#]+)",
                  text, re.M)
    return m.group(2).strip() if m else ""


def generate_to(spec_path: Path, cfg: TargetConfig, out: Path, strict: bool = False,
                overlays: Sequence[Path] = (), local_refs: bool = True,
                force: bool = False, allow_ref_outside: bool = False) -> Result:
    """Generate and write into `out`, carrying hand edits (generator/write.py); the
    write's outcome (conflicts as file:line, notes, the --force patch) is result.written.
    Over the SDK's lock (generator/lock.py): the version and CHANGELOG follow the changes."""
    result, versioning = finish(cfg, out, lambda c: generate(
        spec_path, c, strict, overlays=overlays, local_refs=local_refs,
        allow_ref_outside=allow_ref_outside))
    result.versioning = versioning
    result.written = write_tree(result.files, out, spec_info(spec_path, result), force=force)
    return result


def check_full(spec_path: Path, cfg: TargetConfig, out: Path,
               overlays: Sequence[Path] = (), local_refs: bool = True,
               allow_ref_outside: bool = False) -> CheckResult:
    result, _ = finish(cfg, out, lambda c: generate(
        spec_path, c, overlays=overlays, local_refs=local_refs,
        allow_ref_outside=allow_ref_outside))
    return check_tree(result.files, out)


def check(spec_path: Path, cfg: TargetConfig, out: Path,
          overlays: Sequence[Path] = (), local_refs: bool = True,
          allow_ref_outside: bool = False) -> list[str]:
    """Stale generated paths (hand edits are not staleness: see check_full)."""
    return check_full(spec_path, cfg, out, overlays, local_refs, allow_ref_outside).stale


def spec_surface(spec_path: Path, cfg: TargetConfig, overlays: Sequence[Path] = (),
                 strict: bool = False) -> Surface:
    """The surface of the SDK a spec (with overlays) gives: the front end only, nothing
    rendered or formatted. Raises SpecError as `generate` does."""
    result, _ = front(spec_path, cfg, strict, overlays)
    assert result.api is not None and result.names is not None
    return build_surface(result.api, result.names, cfg)

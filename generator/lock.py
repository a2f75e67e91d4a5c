"""The lock file beside each generated SDK, and the SDK's version and CHANGELOG.

`<out>/sdkgen.lock` (JSON, keys sorted) records what a generation was made from and what it
gave: the generator version, the SHA-256 of the spec, of the effective config and of each
overlay, the SDK version, the SDK's public surface (generator/surface.py) and the history
of its changes. It is a generated file like any other, so `sdkgen check` reports it stale
when the spec changed.

On `generate` over an existing lock, the new surface is compared with the locked one
(generator/changes.py); then
- the version: `versioning: automatic` (default) bumps the locked version by semver, with
  0.x's convention (before 1.0.0 a breaking change bumps the minor, anything else the
  patch); a version changed in the config since the last run (a pin) wins;
  `versioning: manual` always takes the config's version;
- the history gets an entry (version, previous version, date, changes), from which
  CHANGELOG.md is rendered (templates/CHANGELOG.md.j2). The date comes from
  SOURCE_DATE_EPOCH when set, else today's UTC date, and is then kept in the lock: the same
  inputs and lock give the same bytes.

`unannounced(lock)` is the CI gate: the breaking changes of the latest entry that its
version does not announce (a major bump, or a minor one before 1.0.0).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Callable, Sequence

from . import __version__
from .change_report import group_of
from .change_rules import BREAKING, FEATURE, FIX, RULES, Report
from .changes import diff
from .config import TargetConfig
from .diagnostics import ERROR, Code, Diagnostic, SpecError
from .frontmemo import reuse_front
from .surface import Surface

LOCK = "sdkgen.lock"
CHANGELOG = "CHANGELOG.md"
LOCK_FORMAT = 1


def sha256_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def config_digest(cfg: TargetConfig) -> str:
    """SHA-256 of the effective config (every field but the version, which the lock holds
    on its own), so the lock does not depend on where the config came from."""
    data = {k: v for k, v in asdict(cfg).items() if k not in ("version", "spec")}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()


def dumps(data: dict[str, Any]) -> str:
    """Keys sorted; a container holding containers is laid out one item per line, one
    holding only scalars on one line (a field, an argument, a change): a reviewer reads
    one line per changed item, and the C encoder does the bulk (json's `indent` would
    use the pure-Python one: seconds on a big API)."""
    out: list[str] = []
    _emit(data, "", out)
    return "".join(out) + "\n"


_ENCODE = json.JSONEncoder(sort_keys=True, ensure_ascii=False).encode


def _flat(v: Any) -> bool:
    items = v.values() if isinstance(v, dict) else v
    return not any(isinstance(x, (dict, list)) for x in items)


def _emit(v: Any, indent: str, out: list[str]) -> None:
    if not isinstance(v, (dict, list)) or not v or _flat(v):
        out.append(_ENCODE(v))
        return
    inner = indent + " "
    if isinstance(v, dict):
        out.append("{")
        for i, k in enumerate(sorted(v)):
            out.append(("," if i else "") + "\n" + inner + _ENCODE(k) + ": ")
            _emit(v[k], inner, out)
        out.append("\n" + indent + "}")
    else:
        out.append("[")
        for i, x in enumerate(v):
            out.append(("," if i else "") + "\n" + inner)
            _emit(x, inner, out)
        out.append("\n" + indent + "]")


def lock_text(surface: Surface, cfg: TargetConfig, spec_path: Path,
              overlays: Sequence[Path] = ()) -> str:
    """The lock of a generation with no history (what `generate` renders; `finish` adds the
    history and version decisions when a previous lock exists)."""
    return dumps({
        "lock": LOCK_FORMAT,
        "generator": __version__,
        "inputs": {"spec": sha256_file(spec_path), "config": config_digest(cfg),
                   "overlays": [sha256_file(p) for p in overlays]},
        "version": cfg.version,
        "config_version": cfg.version,
        "history": [],
        "surface": surface.to_json(),
    })


def read_lock(out: Path) -> dict[str, Any] | None:
    """The lock in an SDK folder; None when there is none. A lock that cannot be read is a
    located error (regenerating as if there were none would lose its history)."""
    path = Path(out) / LOCK
    if not path.is_file():
        return None

    def bad(why: str, line: int | None = None) -> SpecError:
        return SpecError([Diagnostic(
            ERROR, "#", f"{why}; restore it (e.g. from version control), or delete it to "
            "start a new history", file=str(path), line=line, code=Code.LOCK)])

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise bad(f"the lock is not valid JSON ({getattr(exc, 'msg', exc)})",
                  getattr(exc, "lineno", None)) from None
    except OSError as exc:
        raise bad(f"cannot read the lock: {exc}") from None
    if not isinstance(data, dict) or data.get("lock") != LOCK_FORMAT:
        raise bad(f"not an sdkgen lock of format {LOCK_FORMAT}")
    try:
        Surface.from_json(data["surface"])
        for e in data.get("history", []):
            e["version"], e["previous"], e["date"], e["changes"]  # noqa: B018
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise bad(f"the lock's surface or history is incomplete ({exc!r})") from None
    return data


# ---- versions ----------------------------------------------------------------------------------

_SEMVER = re.compile(r"(\d+)\.(\d+)\.(\d+)(.*)")


def _parts(version: str) -> tuple[int, int, int] | None:
    m = _SEMVER.fullmatch(version.strip())
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def bumped(version: str, bump: str) -> str:
    """`version` raised by a semver bump ("major" | "minor" | "patch" | "none"); before
    1.0.0 everything moves one place down (major -> minor, minor -> patch)."""
    p = _parts(version)
    if p is None or bump == "none":
        return version
    major, minor, patch = p
    if major == 0:
        bump = {"major": "minor", "minor": "patch"}.get(bump, bump)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def announces(old: str, new: str, bump: str) -> bool:
    """Whether going from `old` to `new` is at least the bump the changes call for."""
    a, b = _parts(old), _parts(new)
    if a is None or b is None:
        return old != new or bump in ("none", "patch")
    if bump == "none":
        return True
    if bump == "major":
        return b[0] > a[0] or (a[0] == 0 and b[0] == 0 and b[1] > a[1])
    return b > a


def _entry_bump(entry: dict[str, Any]) -> str:
    sev = {c["severity"] for c in entry.get("changes", [])}
    return "major" if BREAKING in sev else "minor" if FEATURE in sev else (
        "patch" if sev else "none")


def _announced(entry: dict[str, Any]) -> bool:
    return announces(entry["previous"], entry["version"], _entry_bump(entry))


def unannounced(lock: dict[str, Any] | None) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """(latest history entry, its breaking changes) when its version does not announce them."""
    if not lock or not lock.get("history"):
        return None, []
    entry = lock["history"][0]
    breaking = [c for c in entry["changes"] if c["severity"] == BREAKING]
    if not breaking or announces(entry["previous"], entry["version"], "major"):
        return entry, []
    return entry, breaking


def release_date() -> str:
    """SOURCE_DATE_EPOCH (reproducible builds) when set, else today's UTC date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        when = _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc)
    else:
        when = _dt.datetime.now(_dt.timezone.utc)
    return when.date().isoformat()


# ---- one generation over a lock ----------------------------------------------------------------

@dataclass
class Versioning:
    """What `finish` decided: the report against the lock (None: there was no lock)."""

    report: Report | None
    old_version: str
    version: str


def decide_version(old: dict[str, Any], cfg: TargetConfig, report: Report) -> str:
    if getattr(cfg, "versioning", "automatic") == "manual":
        return cfg.version
    if cfg.version != old.get("config_version"):
        return cfg.version  # the config's version changed since the last run: a pin
    return bumped(str(old.get("version", cfg.version)), report.bump)


def finish(cfg: TargetConfig, out: Path, run: Callable[[TargetConfig], Any]) -> tuple[Any, Versioning]:
    """Run a generation (`run(cfg)` returns a pipeline Result whose files hold a fresh
    lock) over the lock in `out`: decide the version (running again with it when it
    differs), carry the history forward and render CHANGELOG.md. Writes nothing."""
    old = read_lock(out)
    with reuse_front():  # a second run with another version reuses load..naming
        result = run(cfg)
        if old is None or LOCK not in result.files:
            return result, Versioning(None, cfg.version, cfg.version)
        new = json.loads(result.files[LOCK])
        report = diff(Surface.from_json(old["surface"]), Surface.from_json(new["surface"]))
        version = decide_version(old, cfg, report)
        if version != cfg.version:
            result = run(replace(cfg, version=version))
            new = json.loads(result.files[LOCK])
    new["config_version"] = cfg.version
    new["history"] = _history(old, version, report)
    result.files[LOCK] = dumps(new)
    if new["history"]:
        result.files[CHANGELOG] = changelog(new["history"], new["surface"], cfg)
    return result, Versioning(report, str(old.get("version", "")), version)


def _history(old: dict[str, Any], version: str, report: Report) -> list[dict[str, Any]]:
    history = [dict(e) for e in old.get("history", [])]
    locked = str(old.get("version", ""))
    head = history[0] if history else None
    pending = head is not None and head["version"] == locked and (
        head["previous"] == head["version"] or not _announced(head))
    changes = [c.to_json() for c in report.changes]
    if changes:
        if pending and version == locked:
            assert head is not None
            seen = {json.dumps(c, sort_keys=True) for c in head["changes"]}
            head["changes"] = head["changes"] + [
                c for c in changes if json.dumps(c, sort_keys=True) not in seen]
        else:
            history.insert(0, {"version": version, "previous": locked,
                               "date": release_date(), "changes": changes})
    elif pending and version != locked:
        assert head is not None
        head["version"] = version  # the pending changes are announced by this version
    return history


# ---- CHANGELOG.md ------------------------------------------------------------------------------

_SECTIONS = ("Breaking", "Added", "Changed", "Fixed")


def changelog(history: list[dict[str, Any]], surface: dict[str, Any], cfg: TargetConfig) -> str:
    from .render import environment

    pages = _doc_pages(surface, cfg)
    entries = []
    for e in history:
        sections: dict[str, list[str]] = {s: [] for s in _SECTIONS}
        docs: list[str] = []
        for c in e["changes"]:
            if c["severity"] == FIX:
                docs.append(c["path"])
                continue
            section = "Breaking" if c["severity"] == BREAKING else RULES[c["kind"]].section
            sections[section].append(_line(c, pages))
        if docs:
            groups = sorted({group_of(p) for p in docs})
            shown = ", ".join(f"`{g}`" for g in groups[:8])
            more = f" and {len(groups) - 8} more" if len(groups) > 8 else ""
            sections["Fixed"].append(f"Documentation updated ({len(docs)} item(s)): "
                                     f"{shown}{more}")
        entries.append({"version": e["version"], "date": e["date"],
                        "previous": e["previous"],
                        "sections": [(s, sorted(set(sections[s]), key=sections[s].index))
                                     for s in _SECTIONS if sections[s]]})
    template = environment().get_template("CHANGELOG.md.j2")
    return template.render(entries=entries, cfg=cfg)


def _line(c: dict[str, Any], pages: dict[str, str]) -> str:
    page = pages.get(c["path"].split("(", 1)[0]) or pages.get(group_of(c["path"]))
    text = c["message"]
    return f"{text} ([docs]({page}))" if page else text


def _doc_pages(surface: dict[str, Any], cfg: TargetConfig) -> dict[str, str]:
    """Docs page of each method path and model (`models.X`) in the SDK's docs/."""
    from .render.docs import model_page

    pages = {}
    for path, m in surface.get("methods", {}).items():
        if m.get("docs"):
            pages[path] = m["docs"]
    for kind in ("models", "enums", "unions"):
        for name in surface.get(kind, {}):
            pages[f"models.{name}"] = "docs/models/" + model_page(name)
    return pages

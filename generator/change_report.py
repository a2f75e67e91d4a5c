"""A change report as the user reads it: one summary line, plain text (`sdkgen diff`) or
markdown (a pull-request comment), grouped by severity and by part of the SDK."""

from __future__ import annotations

from .change_rules import BREAKING, FEATURE, FIX, SEVERITIES, Change, Report

_TITLES = {BREAKING: "Breaking changes", FEATURE: "Features", FIX: "Fixes (docs only)"}


def group_of(path: str) -> str:
    """Where a change is listed: `models.X` for a model, the namespace for a method, the
    client for client arguments and servers."""
    if path.startswith("models."):
        return ".".join(path.split(".")[:2])
    head = path.split("(", 1)[0]
    if "(" in path and "." not in head:
        return "client"  # Client(argument)
    if "." not in head:
        return "client" if head.startswith("servers") or head[:1].isupper() else "(root)"
    return head.rsplit(".", 1)[0]


def _grouped(changes: list[Change], sev: str) -> list[tuple[str, list[Change]]]:
    groups: dict[str, list[Change]] = {}
    for c in changes:
        if c.severity == sev:
            groups.setdefault(group_of(c.path), []).append(c)
    return sorted(groups.items())


def summary(report: Report) -> str:
    counts = [f"{len([c for c in report.changes if c.severity == s])} {s}" for s in SEVERITIES]
    return f"bump: {report.bump} ({', '.join(counts)})"


def render_text(report: Report) -> str:
    lines = [summary(report)]
    for sev in SEVERITIES:
        groups = _grouped(report.changes, sev)
        if not groups:
            continue
        lines += ["", f"{_TITLES[sev]}:"]
        for group, items in groups:
            lines.append(f"  {group}")
            lines += [f"    - {c.message}" for c in items]
    return "\n".join(lines) + "\n"


def render_markdown(report: Report, title: str = "SDK changes") -> str:
    """A pull-request comment: the bump, then one collapsible section per severity."""
    if not report.changes:
        return f"### {title}\n\nNo change to the SDK's public surface.\n"
    lines = [f"### {title}: **{report.bump}** bump", "",
             "| Breaking | Features | Fixes |", "| ---: | ---: | ---: |",
             "| " + " | ".join(str(len([c for c in report.changes if c.severity == s]))
                              for s in SEVERITIES) + " |"]
    for sev in SEVERITIES:
        groups = _grouped(report.changes, sev)
        if not groups:
            continue
        total = sum(len(items) for _, items in groups)
        opened = " open" if sev == BREAKING else ""
        lines += ["", f"<details{opened}><summary><b>{_TITLES[sev]}</b> ({total})</summary>", ""]
        for group, items in groups:
            lines.append(f"- `{group}`")
            lines += [f"  - {_md(c.message)} <sub>`{c.kind}` · `{c.pointer}`</sub>"
                      for c in items]
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;")

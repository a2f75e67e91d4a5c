"""`llms.txt` and `llms-full.txt` (the llms.txt convention, https://llmstxt.org) for a
generated SDK: an index a coding assistant reads to find the SDK's methods and models.

`llms.txt`: an H1 with the project name, a one-line blockquote summary, a short paragraph on
how the SDK is used, then H2 sections of `- [name](url): notes` lines, one per operation
(named by its method call) and one per model, each link relative to the SDK root.
`llms-full.txt`: the same head, then the README, every operation page and every model page
inlined, their relative links rewritten to be relative to the SDK root as well.

Everything taken from the spec (titles, summaries, descriptions) is folded onto one line and
escaped so it cannot open a link, an HTML tag or a new block: one entry stays one line.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence
from urllib.parse import quote

from ..config import TargetConfig
from ..model import Api
from ..naming import identifier

LLMS = "llms.txt"
LLMS_FULL = "llms-full.txt"
NOTE_MAX = 200  # characters of a note before it is cut at a word boundary
_ESCAPE = re.compile(r"([\\`\[\]<>])")
# a CommonMark code span: a run of backticks, content, the same run (not longer)
_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_LINK = re.compile(r"(\]\()([^)\s]+)(\))")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class Entry:
    title: str  # link text (an identifier path such as `client.chat.complete`)
    url: str  # relative to the SDK root
    note: str  # raw text from the spec; folded and escaped when written


def one_line(text: str, limit: int = NOTE_MAX) -> str:
    """Fold `text` onto one line (every kind of line break and control character becomes a
    space), cut it at a word boundary after `limit` characters, and escape what would start
    a link, an HTML tag or a code span, so the result is inert inside a list item."""
    flat = " ".join(text.split())  # every Unicode line break and space
    if not flat.isprintable():  # control, format, private-use or unassigned characters
        chars = (" " if unicodedata.category(c)[0] in "CZ" else c for c in flat)
        flat = " ".join("".join(chars).split())
    if len(flat) > limit:
        cut = flat[:limit].rsplit(" ", 1)[0] if " " in flat[:limit] else flat[:limit]
        flat = cut.rstrip(" .,;:") + "…"
    return _escape(flat)


def _escape(text: str) -> str:
    """Backslash-escape `\\ [ ] < >` and stray backticks outside code spans; a code span's
    content is literal already (it can open neither a link nor a tag), so it is kept."""
    out: list[str] = []
    pos = 0
    for m in _CODE.finditer(text):
        out.append(_ESCAPE.sub(r"\\\1", text[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(_ESCAPE.sub(r"\\\1", text[pos:]))
    return "".join(out)


def _summary(text: str) -> str:
    """The first paragraph of a description (its first blank-line-separated block)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    return text.split("\n\n", 1)[0]


def _url(path: str) -> str:
    return quote(path, safe="/#-._~")


def _line(e: Entry) -> str:
    note = one_line(e.note)
    return f"- [{one_line(e.title, 10_000)}]({_url(e.url)})" + (f": {note}" if note else "")


def _head(cfg: TargetConfig, api: Api) -> list[str]:
    title = api.title or cfg.dist_name
    summary = f"{title} Python SDK"
    if api.description:
        summary += ": " + _summary(api.description)
    client = cfg.sync_client
    var = cfg.example_client_var
    prose = (
        f"Install with `pip install {cfg.dist_name}` and import `{cfg.import_name}`. "
        f"`{var} = {client}(...)` is the client used below (`{cfg.async_client}` has the same "
        f"methods, awaitable). Every method takes keyword arguments; request and response "
        f"models are pydantic classes in `{cfg.import_name}.models`, and a plain dict shaped "
        f"like a model's `TypedDict` companion is accepted wherever a model is. Errors derive "
        f"from `{cfg.import_name}.models.{cfg.base_error}`.")
    return [f"# {one_line(cfg.dist_name, 10_000)}", "", f"> {one_line(summary, 400)}", "",
            prose, ""]


def _section(name: str, entries: Sequence[Entry]) -> list[str]:
    if not entries:
        return []
    return [f"## {name}", "", *(_line(e) for e in entries), ""]


def operation_entries(cfg: TargetConfig, namespaces: Iterable[Any],
                      folder: Callable[[Any], str]) -> list[Entry]:
    """One entry per SDK method, in the order of the reference pages. `namespaces` are the
    render's NamespaceViews; `folder(ns)` names the `docs/sdks/` folder of one."""
    out = []
    for ns in namespaces:
        page = f"docs/sdks/{folder(ns)}/README.md"
        for v in ns.operations:
            op = v.op
            call = ".".join([cfg.example_client_var, *(identifier(p) for p in ns.path), v.name])
            parts = []
            if op.deprecated:
                parts.append("Deprecated.")
            parts.append(op.summary or _summary(op.description))
            parts.append(f"({op.http_method.upper()} {op.path}"
                         + (", returns an event stream)" if op.stream else ")"))
            if v.pages is not None:
                parts.append(f"`{v.pages.name}()` iterates every page.")
            out.append(Entry(call, f"{page}#{v.name.lower()}", " ".join(p for p in parts if p)))
    return out


def model_entries(model_docs: Iterable[Any]) -> list[Entry]:
    out = []
    for d in model_docs:
        if d.kind == "union":
            kind = "Union of " + ", ".join(d.members) + "."
        elif d.kind == "enum":
            kind = "Enum: " + ", ".join(d.literal_values) + "."
        else:
            kind = ""
        text = " ".join(p for p in (_summary(d.description), kind) if p)
        out.append(Entry(d.class_name, f"docs/{d.page}", text))
    return out


def files(cfg: TargetConfig, api: Api, rendered: dict[str, str], operations: list[Entry],
          models: list[Entry]) -> dict[str, str]:
    """{"llms.txt": ..., "llms-full.txt": ...} from the rendered files (`rendered`, keyed by
    path relative to the SDK root) and the entries of operations and models."""
    docs = [Entry("README", "README.md", "Installation, authentication, retries, error "
                  "handling, server selection and the other client options."),
            Entry("Usage", "USAGE.md", "A first call, sync and async.")]
    optional = [Entry("RetryConfig", "docs/models/utils/retryconfig.md",
                      "The retry policy taken by the client and by each method.")]
    if "docs/webhooks/README.md" in rendered:
        optional.append(Entry("Webhooks and callbacks", "docs/webhooks/README.md",
                              "The requests the API sends to you."))
    head = _head(cfg, api)
    index = [*head, *_section("Docs", docs), *_section("Operations", operations),
             *_section("Models", models), *_section("Optional", optional)]
    pages = dict.fromkeys(e.url.split("#", 1)[0] for e in [*docs[:1], *operations, *models,
                                                           *optional])  # in order, once each
    full = list(head)
    for path in pages:
        full += [f"<!-- source: {path} -->", "", rebase_links(rendered[path], path).rstrip("\n"),
                 ""]
    return {LLMS: "\n".join(index).rstrip("\n") + "\n",
            LLMS_FULL: "\n".join(full).rstrip("\n") + "\n"}


def rebase_links(text: str, path: str) -> str:
    """`text` (the markdown file at `path`) with its relative link targets rewritten relative
    to the SDK root, and in-page anchors prefixed with `path`; code blocks are left alone.
    A code block the page leaves open (spec text can) is closed at its end, so that it does
    not swallow the pages inlined after it."""
    base = posixpath.dirname(path)

    def sub(text: str) -> str:
        return _LINK.sub(lambda m: m.group(1) + _rebase(m.group(2), base, path) + m.group(3),
                         text)

    if "```" not in text and "~~~" not in text:  # most model pages: no code block at all
        return sub(text)
    out = []
    fence = ""  # the opening fence of the code block we are in
    for line in re.split(r"\r\n|\r|\n", text):
        m = _FENCE.match(line)
        if not fence and m and not (m.group(1)[0] == "`" and "`" in line[m.end():]):
            fence = m.group(1)
        elif fence and m and m.group(1).startswith(fence) and not line[m.end():].strip():
            fence = ""
        elif not fence and "](" in line:
            line = sub(line)
        out.append(line)
    if fence:
        out += [fence, ""]
    return "\n".join(out)


def _rebase(target: str, base: str, path: str) -> str:
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", target) or target.startswith("/"):
        return target  # absolute URL or absolute path
    if target.startswith("#"):
        return path + target
    return posixpath.normpath(posixpath.join(base, target))

"""Cells and tables of the markdown reference docs (the seeds' format, see
../shared/reference/docs-format.md). Computed here; templates only place them."""

from __future__ import annotations

import json
from typing import Any, Sequence

from ..model import CONST, LIST, MAP, REF, SCALAR, TypeRef
from .pytypes import TypeContext, wrap_optional

DEPRECATED_PREFIX = (
    ": warning: ** DEPRECATED **: This will be removed in a future release, please migrate away "
    "from it as soon as possible.<br/><br/>"
)
_SCALARS = {"str": "str", "int": "int", "float": "float", "bool": "bool", "any": "Any",
            "bytes": "bytes", "none": "None"}
_DATE_LINKS = {
    "date": "https://docs.python.org/3/library/datetime.html#date-objects",
    "datetime": "https://docs.python.org/3/library/datetime.html#datetime-objects",
}


def model_page(class_name: str) -> str:
    return class_name.lower() + ".md"


class Layout:
    """Where each model is documented and which module prefixes it in type cells: gen.yaml
    `imports.paths` puts component schemas, operation-level models (inline bodies,
    parameters, request/response wrappers) and error bodies in modules of their own
    (`components`, `operations`, `errors`); sdkgen's own layout is `models` for all."""

    def __init__(self, shared: str = "models", operations: str = "models",
                 errors: str = "models", error_keys: frozenset[str] = frozenset()):
        self.shared, self.operations, self.errors = shared, operations, errors
        self.error_keys = error_keys
        self.extra: dict[str, str] = {}  # synthetic pages (request wrappers): key -> module

    def module_of(self, key: str) -> str:
        if key in self.extra:
            return self.extra[key]
        if key in self.error_keys:
            return self.errors
        pointer = key[key.index("#"):] if "#" in key else key
        return self.shared if pointer.startswith("#/components/schemas/") else self.operations

    def modules(self) -> list[str]:
        """The module names other than `models` in use (re-export modules)."""
        return sorted({self.shared, self.operations, self.errors} - {"models"})


DEFAULT_LAYOUT = Layout()


_wrap = wrap_optional  # the docs print the wrapper around Any too (`*Optional[Any]*`)


def type_cell(t: TypeRef, required: bool, ctx: TypeContext, up: str,
              layout: Layout = DEFAULT_LAYOUT) -> str:
    """`*OptionalNullable[int]*`, `[Optional[models.X]](../../models/x.md)`, `List[*int*]`...

    `up` leads from the page's folder to `docs/` ("../../" from docs/sdks/x/)."""
    if t.kind == SCALAR and t.name in _DATE_LINKS:
        return f"[{_wrap(t, required, t.name)}]({_DATE_LINKS[t.name]})"
    if t.kind == SCALAR:
        name = _SCALARS.get(t.name, "Any")
        return f"*{name if name == 'None' else _wrap(t, required, name)}*"
    if t.kind == CONST:
        return f"*{_wrap(t, required, 'Literal[' + json.dumps(t.value) + ']')}*"
    if t.kind == REF:
        cls = ctx.names.of(t.name)
        mod = layout.module_of(t.name)
        return f"[{_wrap(t, required, mod + '.' + cls)}]({up}{mod}/{model_page(cls)})"
    if t.kind in (LIST, MAP):
        # an optional or nullable collection prints without the wrapper (the seeds do)
        inner = type_cell(t.item, True, ctx, up, layout) if t.item else "*Any*"
        return f"List[{inner}]" if t.kind == LIST else f"Dict[str, {inner}]"
    return "*Any*"


def plain_type(t: TypeRef, ctx: TypeContext, layout: Layout = DEFAULT_LAYOUT) -> str:
    """A type as text without links, for union member headings (`models.X`, `List[int]`)."""
    if t.kind == SCALAR:
        return _SCALARS.get(t.name, t.name)
    if t.kind == CONST:
        return f"Literal[{json.dumps(t.value)}]"
    if t.kind == REF:
        return layout.module_of(t.name) + "." + ctx.names.of(t.name)
    if t.kind == LIST:
        return f"List[{plain_type(t.item, ctx, layout) if t.item else 'Any'}]"
    if t.kind == MAP:
        return f"Dict[str, {plain_type(t.item, ctx, layout) if t.item else 'Any'}]"
    return "Any"


def escape_cell(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("|", "\\|").replace("\n", "<br/>")


def description_cell(description: str, deprecated: bool = False) -> str:
    text = escape_cell(description) if description else ""
    if deprecated:
        return DEPRECATED_PREFIX + text
    return text or "N/A"


def example_cell(has_example: bool, value: Any, multiline: bool = True) -> str:
    if not has_example:
        return ""
    if isinstance(value, (dict, list)):
        if multiline:
            return escape_cell(json.dumps(value, indent=0, ensure_ascii=False))
        return escape_cell(json.dumps(value, ensure_ascii=False))
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return escape_cell(str(value))


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A markdown table padded so every cell of a column has the column's width."""
    widths = [len(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    # dashes: at least 3, as markdown requires
    widths = [max(w, 3) for w in widths]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"

    out = [line(header), "| " + " | ".join("-" * w for w in widths) + " |"]
    out.extend(line(r) for r in rows)
    return "\n".join(out)

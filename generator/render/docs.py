"""Cells and tables of the markdown reference docs (the seeds' format, see
../shared/reference/docs-format.md). Computed here; templates only place them."""

from __future__ import annotations

import json
from typing import Any, Sequence

from ..model import CONST, LIST, MAP, REF, SCALAR, TUPLE, TypeRef
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


_wrap = wrap_optional  # the docs print the wrapper around Any too (`*Optional[Any]*`)


def type_cell(t: TypeRef, required: bool, ctx: TypeContext, models_dir: str) -> str:
    """`*OptionalNullable[int]*`, `[Optional[models.X]](../../models/x.md)`, `List[*int*]`..."""
    if t.kind == SCALAR and t.name in _DATE_LINKS:
        return f"[{_wrap(t, required, t.name)}]({_DATE_LINKS[t.name]})"
    if t.kind == SCALAR:
        name = _SCALARS.get(t.name, "Any")
        return f"*{name if name == 'None' else _wrap(t, required, name)}*"
    if t.kind == CONST:
        return f"*{_wrap(t, required, 'Literal[' + json.dumps(t.value) + ']')}*"
    if t.kind == REF:
        cls = ctx.names.of(t.name)
        return f"[{_wrap(t, required, 'models.' + cls)}]({models_dir}{model_page(cls)})"
    if t.kind in (LIST, MAP):
        # an optional or nullable collection prints without the wrapper (the seeds do)
        inner = type_cell(t.item, True, ctx, models_dir) if t.item else "*Any*"
        return f"List[{inner}]" if t.kind == LIST else f"Dict[str, {inner}]"
    if t.kind == TUPLE:  # printed like a list: without the optional/nullable wrapper
        return "Tuple[" + ", ".join(type_cell(m, True, ctx, models_dir) for m in t.items) + "]"
    return "*Any*"


def plain_type(t: TypeRef, ctx: TypeContext) -> str:
    """A type as text without links, for union member headings (`models.X`, `List[int]`)."""
    if t.kind == SCALAR:
        return _SCALARS.get(t.name, t.name)
    if t.kind == CONST:
        return f"Literal[{json.dumps(t.value)}]"
    if t.kind == REF:
        return "models." + ctx.names.of(t.name)
    if t.kind == LIST:
        return f"List[{plain_type(t.item, ctx) if t.item else 'Any'}]"
    if t.kind == MAP:
        return f"Dict[str, {plain_type(t.item, ctx) if t.item else 'Any'}]"
    if t.kind == TUPLE:
        return "Tuple[" + ", ".join(plain_type(m, ctx) for m in t.items) + "]"
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

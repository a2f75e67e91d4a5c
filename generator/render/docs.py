"""Cells and tables of the markdown reference docs (the seeds' format, see
../shared/reference/docs-format.md). Computed here; templates only place them."""

from __future__ import annotations

import json
import re
from typing import Any, Sequence

from .. import pytypes
from ..model import TypeRef
from ..pytypes import TypeContext
from ..pytypes import model_page as model_page  # the cells and the pages agree on names

DEPRECATED_PREFIX = (
    ": warning: ** DEPRECATED **: This will be removed in a future release, please migrate away "
    "from it as soon as possible.<br/><br/>"
)
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
        """The module of the model (an error body's too: its exception is documented in
        `errors`, see render._model_docs)."""
        if key in self.extra:
            return self.extra[key]
        pointer = key[key.index("#"):] if "#" in key else key
        return self.shared if pointer.startswith("#/components/schemas/") else self.operations

    def modules(self) -> list[str]:
        """The module names other than `models` in use (re-export modules)."""
        return sorted({self.shared, self.operations, self.errors} - {"models"})


DEFAULT_LAYOUT = Layout()


def type_cell(t: TypeRef, required: bool, ctx: TypeContext, up: str,
              layout: Layout = DEFAULT_LAYOUT) -> str:
    """`*OptionalNullable[int]*`, `[Optional[models.X]](../../models/x.md)`, `List[*int*]`...

    `up` leads from the page's folder to `docs/` ("../../" from docs/sdks/x/)."""
    return pytypes.docs_cell(t, required, ctx, up, layout)


def plain_type(t: TypeRef, ctx: TypeContext, layout: Layout = DEFAULT_LAYOUT) -> str:
    """A type as text without links, for union member headings (`models.X`, `List[int]`)."""
    return pytypes.plain(t, ctx, layout)


def escape_cell(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("|", "\\|").replace("\n", "<br/>")


def description_cell(description: str, deprecated: bool = False) -> str:
    """The description; a deprecated field's starts with the deprecation warning, which says
    the x-speakeasy-deprecation-message when there is one (the build appends it to the
    description as "Deprecated: <message>"), as the reference does."""
    if deprecated:
        head, sep, message = description.rpartition("\n\nDeprecated: ")
        if sep and message.strip():
            return (f": warning: ** DEPRECATED **: {escape_cell(message.strip())}.<br/><br/>"
                    + escape_cell(head))
    text = escape_cell(description) if description else ""
    if deprecated:
        return DEPRECATED_PREFIX + text
    return text or "N/A"


def example_cell(has_example: bool, value: Any, multiline: bool = True,
                 number: bool = False) -> str:
    """An example as the reference prints it: objects and arrays as JSON with one member or
    element per line (`<br/>`), numbers as Go prints them (see `go_number`)."""
    if not has_example:
        return ""
    if isinstance(value, (dict, list)):
        value = _json_numbers(value)
        if multiline:
            return escape_cell(json.dumps(value, indent=0, ensure_ascii=False))
        return escape_cell(json.dumps(value, ensure_ascii=False))
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) or (number and isinstance(value, int)):
        return go_number(float(value))  # (`number`: the field is a float)
    return escape_cell(str(value))


_BARE_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")  # a pipe after an even run of backslashes


def whole_cell(cell: str) -> str:
    """A cell that cannot split its row, whatever the spec's text in it (a wire name with a
    `|` or a newline): line breaks become `<br/>`, a pipe not yet escaped is escaped."""
    if "|" not in cell and "\n" not in cell and "\r" not in cell:
        return cell
    cell = cell.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br/>")
    return _BARE_PIPE.sub(r"\1\\|", cell)


def go_number(value: float) -> str:
    """A number as the reference generator prints it: the shortest digits that read back
    the same value, no `.0` on integral values (`50`, `1677652288`), exponent form only
    below 1e-4 and from 1e21 up (`1e-05`). (Its older versions, e.g. 1.423, also used the
    exponent form from 1e6 up: `1.6330368e+09`.)"""
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if value == 0:
        return "0"
    digits, exp = _shortest(value)
    sign = "-" if value < 0 else ""
    if exp < -4 or exp >= 21:
        mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mant}e{'+' if exp >= 0 else '-'}{abs(exp):02d}"
    point = exp + 1  # digits before the decimal point
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"


def _shortest(value: float) -> tuple[str, int]:
    """(significant digits, decimal exponent of the first digit) of repr(value)."""
    text = repr(abs(value))
    if "e" in text or "E" in text:
        m, _, ex = text.lower().partition("e")
        whole, _, frac = m.partition(".")
        digits = (whole + frac).lstrip("0").rstrip("0") or "0"
        return digits, int(ex) + len(whole) - 1
    whole, _, frac = text.partition(".")
    if whole.strip("0"):
        digits = (whole.lstrip("0") + frac).rstrip("0")
        return digits or "0", len(whole.lstrip("0")) - 1
    stripped = frac.lstrip("0")
    return stripped.rstrip("0") or "0", -(len(frac) - len(stripped)) - 1


def _json_numbers(value: Any) -> Any:
    """Integral floats inside JSON examples print as integers (Go's encoder: `1`, not
    `1.0`)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    if isinstance(value, list):
        return [_json_numbers(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_numbers(v) for k, v in value.items()}
    return value


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A markdown table padded so every cell of a column has the column's width."""
    header = [whole_cell(c) for c in header]
    rows = [[whole_cell(c) for c in row] for row in rows]
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

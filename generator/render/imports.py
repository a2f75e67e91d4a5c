"""Generated modules import exactly what they use.

Templates write a generous import header (every name a module of that kind may need); this
pass, run on each rendered module before formatting, drops the imported names the module
never uses. It reads the module with `ast` (never text matching, so a name that appears
only in a docstring or a comment does not count as used):

* a name counts as used when it is loaded anywhere (`ast.Name`, including the base of an
  attribute such as `models.X`), when a string annotation mentions it (also the field
  types of a functional `TypedDict("X", {...})`), or when `__all__` lists it (a re-export);
* only top-level `import` / `from ... import` statements and those directly inside an
  `if TYPE_CHECKING:` block are pruned; `from __future__` imports and star imports stay;
* a statement left with no names is removed with its lines, and so is an
  `if TYPE_CHECKING:` block left with no import.

Unchanged text is returned as is (the same object), so byte-identical output is kept for
modules that had nothing to prune.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

_TYPE_CHECKING = "TYPE_CHECKING"


def prune_unused_imports(text: str) -> str:
    """`text` without the imported names it never uses (see the module docstring)."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text  # the formatter reports it, with the file name
    imports = list(_prunable(tree.body))
    if not imports:
        return text
    used = _used_names(tree)
    edits: list[tuple[int, int, str | None]] = []  # (first line, last line, replacement)
    emptied: dict[int, ast.If] = {}  # TYPE_CHECKING blocks whose imports all go
    for stmt, block in imports:
        keep = [a for a in stmt.names if _bound_name(a, stmt) in used]
        if len(keep) == len(stmt.names):
            continue
        if block is not None and all(_fully_unused(s, used) for s in block.body):
            emptied[id(block)] = block
            continue
        edits.append((stmt.lineno, stmt.end_lineno or stmt.lineno,
                      _statement(stmt, keep) if keep else None))
    for block in emptied.values():  # the whole `if TYPE_CHECKING:` goes
        edits.append((block.lineno, block.end_lineno or block.lineno, None))
    if not edits:
        return text
    lines = text.split("\n")
    for first, last, repl in sorted(edits, reverse=True):
        if repl is None and 1 < first and last < len(lines) and not lines[first - 2].strip() \
                and not lines[last].strip():
            last += 1  # no double blank line where a statement went
        lines[first - 1:last] = [] if repl is None else [repl]
    out = "\n".join(lines)
    # a removed block may have been the only use of `TYPE_CHECKING`: one more pass
    return prune_unused_imports(out) if emptied else out


def _prunable(body: list[ast.stmt]) -> Iterator[tuple[ast.Import | ast.ImportFrom, ast.If | None]]:
    for stmt in body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)) and _may_prune(stmt):
            yield stmt, None
        elif isinstance(stmt, ast.If) and _is_type_checking(stmt.test) and not stmt.orelse:
            for inner in stmt.body:
                if isinstance(inner, (ast.Import, ast.ImportFrom)) and _may_prune(inner):
                    yield inner, stmt


def _may_prune(stmt: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(stmt, ast.ImportFrom):
        if stmt.module == "__future__" or any(a.name == "*" for a in stmt.names):
            return False
    # `import x as x` / `from m import x as x` is the explicit re-export spelling: kept
    return not any(a.asname is not None and a.asname == a.name.rsplit(".", 1)[-1]
                   for a in stmt.names)


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == _TYPE_CHECKING
    return isinstance(test, ast.Attribute) and test.attr == _TYPE_CHECKING


def _bound_name(alias: ast.alias, stmt: ast.Import | ast.ImportFrom) -> str:
    if alias.asname:
        return alias.asname
    if isinstance(stmt, ast.Import):
        return alias.name.split(".", 1)[0]  # `import a.b` binds `a`
    return alias.name


def _fully_unused(stmt: ast.stmt, used: set[str]) -> bool:
    return isinstance(stmt, (ast.Import, ast.ImportFrom)) and _may_prune(stmt) and not any(
        _bound_name(a, stmt) in used for a in stmt.names)


def _used_names(tree: ast.Module) -> set[str]:
    used: set[str] = set()
    _visit(tree, frozenset(), used)
    return used


def _visit(node: ast.AST, shadowed: frozenset[str], used: set[str]) -> None:
    """Collect the module-level names `node` uses; inside a function, its parameters and
    locals shadow the module's names (a parameter called `date` is not `datetime.date`)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        args = node.args
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs,
                 *([args.vararg] if args.vararg else []), *([args.kwarg] if args.kwarg else [])]
        outer: list[ast.AST] = [*args.defaults, *(d for d in args.kw_defaults if d is not None)]
        outer += [a.annotation for a in every if a.annotation is not None]
        if not isinstance(node, ast.Lambda):
            outer += [*node.decorator_list, *([node.returns] if node.returns else [])]
            _string_annotation(node.returns, used)
        for a in every:
            _string_annotation(a.annotation, used)
        for n in outer:  # evaluated where the function is defined
            _visit(n, shadowed, used)
        body = node.body if isinstance(node.body, list) else [node.body]
        local = {a.arg for a in every} | _stores(body)
        for b in body:
            _visit(b, shadowed | local, used)
        return
    if isinstance(node, ast.Name):
        if not isinstance(node.ctx, ast.Store) and node.id not in shadowed:
            used.add(node.id)
    elif isinstance(node, ast.AnnAssign):
        _string_annotation(node.annotation, used)
    elif isinstance(node, ast.Assign) and _assigns_all(node):
        used.update(_listed_strings(node.value))
    elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
          and node.func.id == "TypedDict" and len(node.args) > 1
          and isinstance(node.args[1], ast.Dict)):
        # the functional form `TypedDict("X", {"wire": "Type"})`: its values are type
        # expressions, forward references given as strings
        for value in node.args[1].values:
            _string_annotation(value, used)
    for child in ast.iter_child_nodes(node):
        _visit(child, shadowed, used)


def _stores(body: list[ast.stmt] | list[ast.expr]) -> set[str]:
    """Names assigned in a function body (not in the functions and classes it defines)."""
    out: set[str] = set()
    stack: list[ast.AST] = list(body)
    while stack:
        n = stack.pop()
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
            out.add(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(n.name)
            continue
        elif isinstance(n, ast.Lambda):
            continue
        stack.extend(ast.iter_child_nodes(n))
    return out


def _string_annotation(ann: ast.expr | None, used: set[str]) -> None:
    """Names inside the string parts of an annotation that are types (`"Foo"`,
    `List["Foo"]`); strings given to a call (`Field(alias="date")`) or to `Literal[...]`
    are values, not names."""
    if ann is None:
        return
    if isinstance(ann, ast.Constant):
        if isinstance(ann.value, str):
            try:
                inner = ast.parse(ann.value, mode="eval")
            except SyntaxError:
                return
            used.update(n.id for n in ast.walk(inner) if isinstance(n, ast.Name))
        return
    if isinstance(ann, ast.Call):
        return
    if isinstance(ann, ast.Subscript):
        base = ann.value
        name = base.id if isinstance(base, ast.Name) else getattr(base, "attr", "")
        if name == "Literal":
            return
    for child in ast.iter_child_nodes(ann):
        if isinstance(child, ast.expr):
            _string_annotation(child, used)


def _assigns_all(node: ast.Assign) -> bool:
    return any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)


def _listed_strings(value: ast.expr) -> set[str]:
    if isinstance(value, (ast.List, ast.Tuple)):
        return {e.value for e in value.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)}
    return set()


def _statement(stmt: ast.Import | ast.ImportFrom, keep: list[ast.alias]) -> str:
    names = ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in keep)
    indent = " " * stmt.col_offset
    if isinstance(stmt, ast.Import):
        return f"{indent}import {names}"
    return f"{indent}from {'.' * stmt.level}{stmt.module or ''} import {names}"

"""Page iterators for operations with ``x-speakeasy-pagination``.

A paginated operation ``list(...)`` gets a twin ``list_pages(...)`` taking the same
arguments. It calls ``list`` once per page and yields each typed page response::

    for page in client.things.list_pages(limit=50):
        for thing in page.data:
            ...

Generated code describes the paging as data (:class:`Pagination`) and hands the
method, the pagination and the call's arguments to :func:`iterate_pages` (or
:func:`aiterate_pages`, an async iterator, on the async client). Stepping rules:

* ``offset``: the next page's offset is this page's offset (0 when not passed) plus
  the number of results it returned;
* ``page``: the next page number is this one (1 when not passed) plus one;
* ``cursor``: the next page's cursor is the ``nextCursor`` output of this page.

Iteration stops after a page with no results, with fewer results than the ``limit``
passed, at the ``numPages`` output, or (cursor) when the next cursor is missing,
empty or the same as the one just used. An empty page is yielded only when it is the
first one. Outputs are read by wire name along a simple JSONPath (``$.data``,
``$.meta.next[0]``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Callable, Optional, cast

from ..types.unset import UNSET

__all__ = ["PageInput", "Pagination", "iterate_pages", "aiterate_pages"]


@dataclass(frozen=True, slots=True)
class PageInput:
    """Where a paging value goes: a method argument, or a field of the ``request``
    model/dict argument when the body is taken as one argument (``attr``/``key``:
    its Python attribute and wire name)."""

    arg: str
    attr: str = ""
    key: str = ""


@dataclass(frozen=True, slots=True)
class Pagination:
    kind: str  # "offset" | "page" | "cursor"
    position: PageInput
    limit: Optional[PageInput] = None
    # paths into the response (wire names and list indices; () is the whole body),
    # None when the API does not declare that output
    results: Optional[tuple[Any, ...]] = None
    next_cursor: Optional[tuple[Any, ...]] = None
    num_pages: Optional[tuple[Any, ...]] = None


def _absent(value: Any) -> bool:
    return value is None or value is UNSET


def _step(obj: Any, key: Any) -> Any:
    if _absent(obj):
        return None
    if isinstance(key, int):
        if isinstance(obj, (list, tuple)):
            seq = cast(Sequence[Any], obj)
            if -len(seq) <= key < len(seq):
                return seq[key]
        return None
    if isinstance(obj, Mapping):
        return cast(Mapping[object, Any], obj).get(key)
    fields = getattr(cast(Any, type(obj)), "model_fields", None)
    if fields is not None:
        for name, info in fields.items():
            if (info.alias or name) == key:
                return getattr(obj, name, None)
        extra = getattr(obj, "model_extra", None)
        return extra.get(key) if extra else None
    return getattr(obj, key, None)


def _lookup(page: Any, path: tuple[Any, ...]) -> Any:
    value = page
    for key in path:
        value = _step(value, key)
    return None if value is UNSET else value


def _int(value: Any) -> Optional[int]:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def _read(kwargs: Mapping[str, Any], where: PageInput) -> Any:
    value = kwargs.get(where.arg)
    if not where.attr:
        return value
    if isinstance(value, Mapping):
        mapping = cast(Mapping[str, Any], value)
        return mapping.get(where.key, mapping.get(where.attr))
    return None if _absent(value) else getattr(value, where.attr, None)


def _write(kwargs: dict[str, Any], where: PageInput, value: Any) -> dict[str, Any]:
    out = dict(kwargs)
    if not where.attr:
        out[where.arg] = value
        return out
    request: Any = kwargs.get(where.arg)
    if isinstance(request, Mapping):
        given = cast(Mapping[str, Any], request)
        updated = {k: v for k, v in given.items() if k not in (where.attr, where.key)}
        updated[where.key] = value
        out[where.arg] = updated
    elif hasattr(request, "model_copy"):
        out[where.arg] = request.model_copy(update={where.attr: value})
    else:
        out[where.arg] = {where.key: value}
    return out


def _count(spec: Pagination, page: Any) -> Optional[int]:
    """The number of results on a page (None when the API declares no results output)."""
    if spec.results is None:
        return None
    results = _lookup(page, spec.results)
    return len(cast(Sequence[Any], results)) if isinstance(results, (list, tuple)) else 0


def _next(spec: Pagination, kwargs: dict[str, Any], page: Any) -> Optional[dict[str, Any]]:
    """The arguments of the next page's call, or None after the last page."""
    if page is None:
        return None
    count = _count(spec, page)
    if count is not None:
        if count == 0:
            return None
        limit = _int(_read(kwargs, spec.limit)) if spec.limit is not None else None
        if limit is not None and 0 < limit and count < limit:
            return None
    current = _read(kwargs, spec.position)
    if spec.kind == "cursor":
        cursor = _lookup(page, spec.next_cursor or ())
        if _absent(cursor) or cursor == "" or cursor == current:
            return None
        return _write(kwargs, spec.position, cursor)
    if spec.kind == "offset":
        assert count is not None  # the generator requires results for an offset
        return _write(kwargs, spec.position, (_int(current) or 0) + count)
    number = _int(current)
    number = 1 if number is None else number
    if spec.num_pages is not None:
        total = _int(_lookup(page, spec.num_pages))
        if total is not None and number >= total:
            return None
    return _write(kwargs, spec.position, number + 1)


def iterate_pages(
    call: Callable[..., Any], spec: Pagination, kwargs: dict[str, Any]
) -> Iterator[Any]:
    """Call ``call(**kwargs)`` for the first page, then for each next page; yield pages."""
    args: Optional[dict[str, Any]] = kwargs
    first = True
    while args is not None:
        page = call(**args)
        if not first and _count(spec, page) == 0:
            return
        first = False
        yield page
        args = _next(spec, args, page)


async def aiterate_pages(
    call: Callable[..., Any], spec: Pagination, kwargs: dict[str, Any]
) -> AsyncIterator[Any]:
    """:func:`iterate_pages` for the async client (``call`` is a coroutine function)."""
    args: Optional[dict[str, Any]] = kwargs
    first = True
    while args is not None:
        page = await call(**args)
        if not first and _count(spec, page) == 0:
            return
        first = False
        yield page
        args = _next(spec, args, page)

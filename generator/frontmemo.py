"""The front end's memo for one versioning run (generator/lock.py `finish`: a run, then the
same run with the bumped version): load..naming do not depend on the version, so their
work is kept while `reuse_front()` is active. A module of its own so that `lock` and
`pipeline` share it without importing each other."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

_memo: dict[Any, tuple[Any, ...]] | None = None


def current() -> dict[Any, tuple[Any, ...]] | None:
    """The active memo (None outside `reuse_front()`)."""
    return _memo


@contextmanager
def reuse_front() -> Iterator[None]:
    global _memo
    saved, _memo = _memo, {}
    try:
        yield
    finally:
        _memo = saved

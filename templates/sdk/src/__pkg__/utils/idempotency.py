"""Idempotency keys.

An operation that declares an ``Idempotency-Key`` (or ``X-Idempotency-Key``) header gets,
when the call does not pass one, a new random key (a UUID4) for each call. The request is
built once per call, so every retry of the call sends the same key, and the server can
tell a retry from a new request. Pass the argument to use a key of your own.
"""

from __future__ import annotations

__all__ = ["HEADERS", "new_key"]

#: lower-cased header names that carry an idempotency key
HEADERS = frozenset(("idempotency-key", "x-idempotency-key"))


def new_key() -> str:
    """A fresh key: a random UUID4."""
    import uuid  # on first use: importing the SDK stays cheap

    return str(uuid.uuid4())

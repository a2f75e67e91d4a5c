"""JSON pointers (RFC 6901) as the diagnostics and the `$ref` resolver write them."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote


def escape_pointer_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    return unquote(token).replace("~1", "/").replace("~0", "~")


def pointer_join(pointer: str, *tokens: Any) -> str:
    return pointer + "".join("/" + escape_pointer_token(str(t)) for t in tokens)

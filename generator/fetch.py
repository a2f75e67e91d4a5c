"""`--spec https://...`: fetch a spec over HTTP(S) with httpx.

The download is bounded (size cap, timeout) and refused with one clear message on an
HTTP error, a timeout, or content that is plainly not a spec (an HTML page). The body is
stored under the cache folder (keyed by URL, so an unchanged spec hits the output cache)
or, with the cache off, in a temporary folder removed at exit. A fetched spec is loaded
with `local_refs=False`: its `$ref`s may point inside itself only, never at local files.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .cache import cache_root, digest

DEFAULT_TIMEOUT = 30.0  # seconds; SDKGEN_FETCH_TIMEOUT overrides
MAX_BYTES = 64 * 1024 * 1024  # the largest corpus spec (Stripe) is 7 MB
_SUFFIXES = (".yaml", ".yml", ".json")


class FetchError(Exception):
    pass


def is_url(spec: str) -> bool:
    return spec.startswith(("http://", "https://"))


def _timeout() -> float:
    raw = os.environ.get("SDKGEN_FETCH_TIMEOUT", "")
    try:
        return float(raw) if raw else DEFAULT_TIMEOUT
    except ValueError:
        raise FetchError(f"SDKGEN_FETCH_TIMEOUT={raw!r} is not a number of seconds") from None


def fetch(url: str, timeout: float | None = None, max_bytes: int = MAX_BYTES) -> bytes:
    import httpx

    timeout = _timeout() if timeout is None else timeout
    try:
        with httpx.Client(follow_redirects=True, timeout=timeout) as client, client.stream(
                "GET", url, headers={"Accept": "application/yaml, application/json, text/yaml, "
                                               "text/plain;q=0.9, */*;q=0.5"}) as resp:
            if resp.status_code >= 400:
                raise FetchError(f"{url}: HTTP {resp.status_code} {resp.reason_phrase}".rstrip())
            ctype = resp.headers.get("content-type", "").lower()
            if "text/html" in ctype:
                raise FetchError(f"{url}: the server sent an HTML page, not an OpenAPI document "
                                 "(link to the raw YAML or JSON file)")
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"{url}: {int(declared)} bytes, more than the {max_bytes}-byte "
                                 "limit for a spec")
            chunks, size = [], 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{url}: more than the {max_bytes}-byte limit for a spec")
                chunks.append(chunk)
    except httpx.TimeoutException:
        raise FetchError(f"{url}: no answer within {timeout:g} s (timeout; "
                         "SDKGEN_FETCH_TIMEOUT sets the limit)") from None
    except httpx.InvalidURL as exc:
        raise FetchError(f"{url}: not a valid URL ({exc})") from None
    except httpx.HTTPError as exc:
        raise FetchError(f"{url}: cannot fetch ({type(exc).__name__}: {exc})") from None
    body = b"".join(chunks)
    if not body.strip():
        raise FetchError(f"{url}: empty response, not an OpenAPI document")
    if body.lstrip()[:1] == b"<":
        raise FetchError(f"{url}: the response is markup (HTML or XML), not an OpenAPI document")
    return body


_TEMP: list[str] = []


def _cleanup() -> None:
    for folder in _TEMP:
        shutil.rmtree(folder, ignore_errors=True)


def fetch_to_file(url: str, timeout: float | None = None) -> Path:
    """Fetch `url` into a local file (named like the URL's last segment) and return it."""
    body = fetch(url, timeout)
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    if not name.lower().endswith(_SUFFIXES) or name.startswith("."):
        name = "openapi.json" if body.lstrip()[:1] == b"{" else "openapi.yaml"
    root = cache_root()
    if root is not None:
        folder = root / "fetched" / digest("url-1", url)[:32]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            tmp = path.with_name(f".{name}.{os.getpid()}.tmp")
            tmp.write_bytes(body)
            os.replace(tmp, path)
            return path
        except OSError:
            pass  # an unwritable cache: fall back to a temporary folder
    if not _TEMP:
        atexit.register(_cleanup)
    folder_name = tempfile.mkdtemp(prefix="sdkgen-url-")
    _TEMP.append(folder_name)
    path = Path(folder_name) / name
    path.write_bytes(body)
    return path

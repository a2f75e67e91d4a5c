"""OAuth2 client credentials: the SDK fetches, caches and refreshes its access token.

For an ``oauth2`` scheme with a ``clientCredentials`` flow, pass ``client_id`` and
``client_secret`` to the client (or set ``<ENV>_CLIENT_ID`` and ``<ENV>_CLIENT_SECRET``,
``<ENV>`` being the scheme's environment variable), or pass a :class:`ClientCredentials`
as the credential. Before a request, the client makes sure it holds a token: it POSTs
``grant_type=client_credentials`` (with ``client_id``, ``client_secret`` and the flow's
scopes, form-encoded) to the flow's ``tokenUrl`` (relative to the server URL when
relative), keeps the token until shortly before its ``expires_in`` (60 s before, or half
its lifetime when shorter), and fetches a new one then, or once when the API answers 401
(the request is then sent once more with the new token). One token serves every thread
and task; one fetch happens at a time. A refused token request raises
``errors.OAuth2Error``. The client secret and the tokens are
redacted from every error and log line like any credential.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Sequence
from typing import Any, Optional, cast

__all__ = ["ClientCredentials", "client_credentials"]


class ClientCredentials:
    """A token provider for the OAuth2 client credentials grant (see the module doc).

    Calling it returns the token held now (``None`` before the first fetch); the client's
    core calls :meth:`ensure` / :meth:`aensure` before each request.
    """

    _token_provider = True  # how the core recognises a provider without importing this

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        token_url: str,
        scopes: Sequence[str] = (),
    ) -> None:
        if not client_id or not client_secret:
            raise ValueError("client credentials need both a client_id and a client_secret")
        if not token_url:
            raise ValueError("client credentials need the token URL")
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_url = token_url
        self.scopes = tuple(scopes)
        self._token: Optional[str] = None
        self._recent: tuple[str, ...] = ()  # the last tokens fetched, newest first
        self._refresh_at = 0.0
        self._lock = threading.Lock()
        self._async_locks: dict[Any, Any] = {}

    def __repr__(self) -> str:  # never the secret, never the token
        return f"ClientCredentials(client_id={self.client_id!r}, token_url={self.token_url!r})"

    def __call__(self) -> Optional[str]:
        return self._token

    def secrets(self) -> tuple[str, ...]:
        """What must never be shown: the client secret and the token held."""
        token = self._token
        return (self.client_secret, token) if token else (self.client_secret,)

    def _fresh(self) -> bool:
        return self._token is not None and time.monotonic() < self._refresh_at

    def issued(self, value: str) -> bool:
        """Whether ``value`` is one of the tokens this provider fetched lately."""
        return value in self._recent

    def invalidate(self, token: str) -> None:
        """Forget ``token`` (the API refused it) unless a newer one replaced it already."""
        with self._lock:
            if self._token == token:
                self._token = None

    # -- fetching ----------------------------------------------------------------

    def _request(self, core: Any) -> tuple[str, dict[str, str], dict[str, str]]:
        url = self.token_url
        if "://" not in url:
            url = core.server_url + ("" if url.startswith("/") else "/") + url
        form = {
            "grant_type": "client_credentials",
            "client_id": self.client_id,
            "client_secret": self.client_secret,
        }
        if self.scopes:
            form["scope"] = " ".join(self.scopes)
        headers = {"Accept": "application/json", "User-Agent": core.user_agent}
        return url, form, headers

    def _store(self, resp: Any) -> None:
        from ..errors import OAuth2Error

        data: Any = None
        if 200 <= resp.status_code < 300:
            try:
                data = resp.json()
            except ValueError:
                data = None
        fields = cast("dict[str, Any]", data) if isinstance(data, dict) else None
        token = fields.get("access_token") if fields is not None else None
        if not isinstance(token, str) or not token:
            err = OAuth2Error(
                "OAuth2 token request failed"
                if resp.status_code >= 300
                else "OAuth2 token response has no access_token",
                raw_response=resp,
                body=resp.text,
                data=cast(object, data),
            )
            err._secrets = (self.client_secret,)  # pyright: ignore[reportPrivateUsage]
            raise err
        try:
            lifetime = float(cast("dict[str, Any]", fields).get("expires_in") or 0)
        except (TypeError, ValueError):
            lifetime = 0.0
        now = time.monotonic()
        margin = min(60.0, lifetime / 2)
        self._refresh_at = now + lifetime - margin if lifetime > 0 else float("inf")
        self._token = token
        self._recent = (token,) + self._recent[:3]

    def _no_response(self, url: str, exc: BaseException) -> Exception:
        from ..errors import NoResponseError

        return NoResponseError(
            f"POST {url} failed (OAuth2 token request)", cause=exc, secrets=(self.client_secret,)
        )

    def ensure(self, core: Any) -> Optional[str]:
        """The token, fetched first when there is none or it is about to expire."""
        if self._fresh():
            return self._token
        import httpx

        with self._lock:
            if not self._fresh():
                url, form, headers = self._request(core)
                try:
                    resp = core._client.post(url, data=form, headers=headers)
                except httpx.TransportError as exc:
                    err = self._no_response(url, exc)
                    raise err from exc
                self._store(resp)
        return self._token

    async def aensure(self, core: Any) -> Optional[str]:
        """Async twin of :meth:`ensure` (one fetch at a time per event loop and thread)."""
        if self._fresh():
            return self._token
        import asyncio

        import httpx

        loop = asyncio.get_running_loop()
        with self._lock:
            lock = self._async_locks.get(loop)
            if lock is None:
                lock = self._async_locks[loop] = asyncio.Lock()
        async with lock:
            if not self._fresh():
                url, form, headers = self._request(core)
                try:
                    resp = await core._client.post(url, data=form, headers=headers)
                except httpx.TransportError as exc:
                    err = self._no_response(url, exc)
                    raise err from exc
                with self._lock:
                    self._store(resp)
        return self._token


def client_credentials(
    credential: Any, client_id: Optional[str], client_secret: Optional[str], spec: Any
) -> Any:
    """The credential a client uses for a client-credentials scheme: the one passed (an
    access token, a callable or a :class:`ClientCredentials`), else one made from
    ``client_id``/``client_secret`` or ``<ENV>_CLIENT_ID``/``<ENV>_CLIENT_SECRET``, else
    ``None`` (the scheme's own environment variable, an access token, is then read)."""
    if credential is not None:
        return credential
    env = spec.env_var
    cid = client_id or (os.environ.get(env + "_CLIENT_ID") if env else None)
    secret = client_secret or (os.environ.get(env + "_CLIENT_SECRET") if env else None)
    if cid and secret:
        return ClientCredentials(cid, secret, spec.token_url, spec.scopes)
    if client_id or client_secret:
        raise ValueError("pass both client_id and client_secret (or neither)")
    return None

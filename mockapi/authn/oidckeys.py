"""An OIDC issuer's keys, found the way go-oidc finds them: its discovery document
(`<issuer>/.well-known/openid-configuration`, whose `issuer` must be the configured one exactly), then the
JWKS at its `jwks_uri`, over HTTPS with `--oidc-ca-file` (or the system's roots). Keys are refetched when a
token does not verify and the cached set is at most 30 s from expiring (its `Cache-Control: max-age`; with
none, it expires when fetched, so every miss refetches), once at a time.

Unlike upstream, which polls discovery in the background, the first token that needs the keys fetches them;
until a fetch succeeds, tokens get `oidc: authenticator not initialized`, as before upstream's first poll.
"""

from __future__ import annotations

import asyncio
import re
import ssl
from collections.abc import Mapping

import orjson

from mockapi.api.golang import go_quote
from mockapi.api.stages import Clock
from mockapi.api.webhooks import WebhookClient, WebhookError
from mockapi.authn.interface import AuthenticationError
from mockapi.authn.sakeys import KeySet, keys_of_jwks

TIMEOUT = 30.0
REFRESH_MARGIN = 30.0
_MAX_AGE = re.compile(r"max-age=(\d+)")


class DiscoveredKeys:
    def __init__(self, issuer: str, client: WebhookClient, ssl_context: ssl.SSLContext, clock: Clock) -> None:
        self.issuer = issuer
        self.client = client
        self.ssl_context = ssl_context
        self.clock = clock
        self._jwks_uri = ""
        self._keys: KeySet | None = None
        self._expires = 0.0
        self._lock = asyncio.Lock()

    async def current(self) -> KeySet:
        """The cached keys, fetched first if there are none yet."""
        if self._keys is None:
            async with self._lock:
                if self._keys is None:
                    try:
                        await self._discover()
                        await self._fetch()
                    except AuthenticationError as exc:
                        raise AuthenticationError(f"oidc: authenticator not initialized ({exc})") from None
        assert self._keys is not None
        return self._keys

    async def refreshed(self) -> KeySet | None:
        """New keys after a token did not verify, if the cached ones are near enough to expiry to refetch."""
        async with self._lock:
            if self.clock.monotonic() + REFRESH_MARGIN <= self._expires:
                return None
            await self._fetch()
            return self._keys

    async def _discover(self) -> None:
        url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            doc = orjson.loads(await self._get(url))
        except orjson.JSONDecodeError as exc:
            raise AuthenticationError(f"oidc: failed to decode provider discovery object: {exc}") from None
        if not isinstance(doc, dict):
            raise AuthenticationError("oidc: failed to decode provider discovery object")
        if doc.get("issuer") != self.issuer:
            raise AuthenticationError(
                f"oidc: issuer did not match the issuer returned by provider, expected {go_quote(self.issuer)} "
                f"got {go_quote(str(doc.get('issuer')))}"
            )
        jwks_uri = doc.get("jwks_uri")
        if not isinstance(jwks_uri, str) or not jwks_uri:
            raise AuthenticationError("oidc: provider discovery object lacks jwks_uri")
        self._jwks_uri = jwks_uri

    async def _fetch(self) -> None:
        body, headers = await self._get_with_headers(self._jwks_uri)
        try:
            keys = KeySet(keys_of_jwks(orjson.loads(body)))
        except ValueError as exc:
            raise AuthenticationError(f"oidc: failed to decode keys: {exc}") from None
        self._keys = keys
        found = _MAX_AGE.search(headers.get("Cache-Control", ""))
        self._expires = self.clock.monotonic() + (int(found.group(1)) if found else 0)

    async def _get(self, url: str) -> bytes:
        return (await self._get_with_headers(url))[0]

    async def _get_with_headers(self, url: str) -> tuple[bytes, Mapping[str, str]]:
        try:
            status, body, headers = await self.client.get(url, ssl_context=self.ssl_context, timeout=TIMEOUT)
        except WebhookError as exc:
            raise AuthenticationError(str(exc)) from None
        if status != 200:
            raise AuthenticationError(f"{status}: {body.decode('utf-8', 'replace')[:512]}")
        return body, headers

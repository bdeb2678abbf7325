"""The token cache (apiserver/pkg/authentication/token/cache): kube-apiserver wraps its token authenticators in
it, so a token is checked once per `--token-success-cache-ttl` (10 s) and, when `--token-failure-cache-ttl`
is set, refused from memory for that long. A cached success outlives what it was built on: a deleted
service account's token keeps working until its entry expires, as upstream.

Entries are keyed by a salted hash of the token and the audiences asked for, and bounded in number (the
least recently used go first), so tokens are never kept in the clear and a flood of unknown tokens cannot
grow the cache without bound.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from dataclasses import dataclass

from mockapi.api.stages import Clock
from mockapi.authn.interface import Authenticated, TokenAuthenticator

MAX_ENTRIES = 4096


@dataclass(frozen=True, slots=True)
class Cached:
    answer: Authenticated | None
    """The success, or None for a cached failure (`error`; "" for "not mine")."""
    error: str
    expires: float


class TokenCache:
    def __init__(self, clock: Clock, success_ttl: float, failure_ttl: float) -> None:
        self.clock = clock
        self.success_ttl = success_ttl
        self.failure_ttl = failure_ttl
        self._salt = os.urandom(16)
        self._entries: OrderedDict[bytes, Cached] = OrderedDict()

    def _key(self, token: str, audiences: tuple[str, ...]) -> bytes:
        """Each part length-prefixed, so no token and audiences run into another's."""
        digest = hashlib.sha256(self._salt)
        for part in (token, *audiences):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big") + data)
        return digest.digest()

    def get(self, token: str, audiences: tuple[str, ...]) -> Cached | None:
        key = self._key(token, audiences)
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires <= self.clock.monotonic():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry

    def put_success(self, token: str, audiences: tuple[str, ...], answer: Authenticated) -> None:
        if self.success_ttl > 0:
            self._put(token, audiences, Cached(answer, "", self.clock.monotonic() + self.success_ttl))

    def put_failure(self, token: str, audiences: tuple[str, ...], error: str) -> None:
        if self.failure_ttl > 0:
            self._put(token, audiences, Cached(None, error, self.clock.monotonic() + self.failure_ttl))

    def _put(self, token: str, audiences: tuple[str, ...], entry: Cached) -> None:
        key = self._key(token, audiences)
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > MAX_ENTRIES:
            self._entries.popitem(last=False)


class CachedTokenAuthenticator:
    """One token authenticator behind its own cache (the webhook's, for --authentication-token-webhook-cache-ttl):
    accepted for `success_ttl`, "not mine" for `failure_ttl`, errors never (cacheErrs false, as upstream)."""

    def __init__(self, inner: TokenAuthenticator, cache: TokenCache) -> None:
        self.inner = inner
        self.name = inner.name
        self.cache = cache

    async def authenticate_token(self, token: str, audiences: tuple[str, ...]) -> Authenticated | None:
        hit = self.cache.get(token, audiences)
        if hit is not None:
            return hit.answer
        answer = await self.inner.authenticate_token(token, audiences)
        if answer is None:
            self.cache.put_failure(token, audiences, "")
        else:
            self.cache.put_success(token, audiences, answer)
        return answer

"""The token cache in front of the token authenticators: successes for --token-success-cache-ttl, failures only
with --token-failure-cache-ttl, per token and audiences, bounded."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from mockapi.api.authentication import Authenticated, AuthenticationError, Credentials
from mockapi.api.types import UserInfo
from mockapi.authn import tokencache
from mockapi.authn.tokencache import TokenCache
from mockapi.authn.union import BearerTokenAuthenticator


class Clock:
    def __init__(self) -> None:
        self.t = 100.0

    def now(self) -> dt.datetime:
        return dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

    def monotonic(self) -> float:
        return self.t


class Counting:
    name = "tokenfile"

    def __init__(self) -> None:
        self.calls = 0
        self.valid = {"good"}

    async def authenticate_token(self, token: str, audiences: tuple[str, ...]) -> Authenticated | None:
        self.calls += 1
        return Authenticated(UserInfo("alice"), self.name, audiences) if token in self.valid else None


def ask(auth: BearerTokenAuthenticator, token: str, audiences: tuple[str, ...] = ()) -> Authenticated | None:
    return asyncio.run(auth.authenticate(Credentials(authorization=f"Bearer {token}", audiences=audiences)))


def test_a_success_is_remembered_for_its_ttl_and_per_audiences() -> None:
    clock, member = Clock(), Counting()
    auth = BearerTokenAuthenticator([member], TokenCache(clock, 10, 0))
    assert ask(auth, "good") is not None and member.calls == 1
    answer = ask(auth, "good")
    assert answer is not None and member.calls == 1
    assert [(r.by, r.reason) for r in answer.trail] == [("token-cache", "accepted by tokenfile (cached)")]
    assert ask(auth, "good", ("other",)) is not None and member.calls == 2  # other audiences: another entry
    member.valid.clear()
    clock.t += 10.5
    with pytest.raises(AuthenticationError, match="invalid bearer token"):
        ask(auth, "good")


def test_failures_are_cached_only_with_a_failure_ttl() -> None:
    clock, member = Clock(), Counting()
    auth = BearerTokenAuthenticator([member], TokenCache(clock, 10, 0))
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            ask(auth, "bad")
    assert member.calls == 2
    remembering = BearerTokenAuthenticator([member], TokenCache(clock, 10, 5))
    for _ in range(2):
        with pytest.raises(AuthenticationError, match="invalid bearer token"):
            ask(remembering, "bad")
    assert member.calls == 3


def test_the_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tokencache, "MAX_ENTRIES", 3)
    clock, member = Clock(), Counting()
    member.valid = {f"t{i}" for i in range(5)}
    cache = TokenCache(clock, 10, 0)
    auth = BearerTokenAuthenticator([member], cache)
    for i in range(5):
        ask(auth, f"t{i}")
    assert len(cache._entries) == 3
    ask(auth, "t0")  # evicted first: asked again
    assert member.calls == 6

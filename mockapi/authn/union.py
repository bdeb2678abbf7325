"""The authenticator union with kube-apiserver's semantics (authentication/request/union, bearertoken,
group adder, `union.NewFailOnError` for anonymous), assembled as pkg/kubeapiserver/authenticator/config.go
assembles it:

- `UnionAuthenticator`: first success wins; errors are collected and do not stop the chain; every
  non-anonymous user gains system:authenticated (AuthenticatedGroupAdder); anonymous answers only when no
  member succeeded or failed.
- `BearerTokenAuthenticator`: a Bearer token that no token authenticator accepts is an error
  (`invalid bearer token`), so it never falls through to anonymous.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from dataclasses import replace

from mockapi.api.errors import aggregate
from mockapi.api.types import (
    ANONYMOUS_USER,
    AUTHENTICATED_GROUP,
    UNAUTHENTICATED_GROUP,
    StageRecord,
    UserInfo,
)
from mockapi.authn.interface import (
    Authenticated,
    AuthenticationError,
    Authenticator,
    Credentials,
    NotMine,
    TokenAuthenticator,
)
from mockapi.authn.tokencache import TokenCache


class UnionAuthenticator:
    name = "union"

    def __init__(self, members: Sequence[Authenticator], anonymous: Authenticator | None = None) -> None:
        self.members = tuple(members)
        self.anonymous = anonymous

    async def authenticate(self, creds: Credentials) -> Authenticated | None:
        trail: list[StageRecord] = []
        failures: list[str] = []
        for member in self.members:
            answer = await _ask(member.name, member.authenticate(creds), trail, failures)
            if answer is not None:
                return replace(answer, user=add_authenticated_group(answer.user), trail=(*trail, *answer.trail))
        if failures:
            raise AuthenticationError(aggregate(failures), tuple(trail))
        if self.anonymous is not None:
            answer = await self.anonymous.authenticate(creds)
            return None if answer is None else replace(answer, trail=tuple(trail))
        return None


class BearerTokenAuthenticator:
    """Reads `Authorization: Bearer <token>` and asks each token authenticator in order, through the token
    cache when there is one (kube-apiserver caches the whole token union)."""

    name = "bearer-token"

    def __init__(self, members: Sequence[TokenAuthenticator], cache: TokenCache | None = None) -> None:
        self.members = tuple(members)
        self.cache = cache

    async def authenticate(self, creds: Credentials) -> Authenticated | None:
        # bearertoken.go: the trimmed header split on single spaces; the token is the second part
        parts = creds.authorization.strip(" \t\n\r\v\f").split(" ", 2)
        if len(parts) < 2 or parts[0].lower() != "bearer":
            return None
        token = parts[1]
        if not token:
            return None  # an empty token falls through to anonymous
        cached = self.cache.get(token, creds.audiences) if self.cache is not None else None
        if cached is not None:
            if cached.answer is None:
                record = StageRecord("authentication", "skip", "token-cache", f"rejected (cached): {cached.error}")
                raise AuthenticationError(cached.error, (record,))
            record = StageRecord(
                "authentication", "skip", "token-cache", f"accepted by {cached.answer.member} (cached)"
            )
            return replace(cached.answer, trail=(record,))
        try:
            answer = await self._union(token, creds.audiences)
        except AuthenticationError as exc:
            if self.cache is not None:
                self.cache.put_failure(token, creds.audiences, str(exc))
            raise
        if self.cache is not None:
            self.cache.put_success(token, creds.audiences, answer)
        return answer

    async def _union(self, token: str, audiences: tuple[str, ...]) -> Authenticated:
        trail: list[StageRecord] = []
        failures: list[str] = []
        for member in self.members:
            answer = await _ask(member.name, member.authenticate_token(token, audiences), trail, failures)
            if answer is not None:
                return replace(answer, trail=(*trail, *answer.trail))
        if failures:
            raise AuthenticationError(aggregate(failures), tuple(trail))
        raise AuthenticationError("invalid bearer token", tuple(trail))


async def _ask(
    name: str, answering: Awaitable[Authenticated | None], trail: list[StageRecord], failures: list[str]
) -> Authenticated | None:
    """One member's answer; what it said if it did not accept goes on the trail (errors also to `failures`).
    A member's rejection is recorded as passed over, not as the request's denial: another member may still
    accept, and when none does the union's error (every rejection, aggregated) is what denies."""
    try:
        answer = await answering
    except NotMine as exc:
        trail.append(StageRecord("authentication", "skip", name, f"not mine: {exc}"))
        return None
    except AuthenticationError as exc:
        trail.extend(exc.trail)
        trail.append(StageRecord("authentication", "skip", name, f"rejected: {exc}"))
        failures.append(str(exc))
        return None
    if answer is None:
        trail.append(StageRecord("authentication", "skip", name, "not mine"))
    return answer


def add_authenticated_group(user: UserInfo) -> UserInfo:
    """group.AuthenticatedGroupAdder: system:authenticated for everyone but the anonymous user."""
    if user.name == ANONYMOUS_USER:
        return user
    if AUTHENTICATED_GROUP in user.groups or UNAUTHENTICATED_GROUP in user.groups:
        return user
    return UserInfo(name=user.name, uid=user.uid, groups=(*user.groups, AUTHENTICATED_GROUP), extra=user.extra)

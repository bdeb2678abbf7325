"""Composites with kube-apiserver's semantics (authentication/request/union, bearertoken, group adder).

- `UnionAuthenticator`: first success wins; errors are collected and do not stop the chain.
- `BearerTokenAuthenticator`: a Bearer token that no token authenticator accepts is an error
  (`invalid bearer token`), so it never falls through to anonymous.
- the `anonymous` fallback of the union applies only when nothing succeeded and nothing errored.
- `AuthenticatedGroupAdder`: appends system:authenticated to every non-anonymous user.
"""

from __future__ import annotations

from collections.abc import Sequence

from mockapi.api.errors import aggregate
from mockapi.api.types import (
    ANONYMOUS_USER,
    AUTHENTICATED_GROUP,
    UNAUTHENTICATED_GROUP,
    UserInfo,
)
from mockapi.authn.interface import AuthenticationError, Authenticator, Credentials, TokenAuthenticator


class UnionAuthenticator:
    name = "union"

    def __init__(self, members: Sequence[Authenticator], anonymous: Authenticator | None = None) -> None:
        self.members = tuple(members)
        self.anonymous = anonymous

    async def authenticate(self, creds: Credentials) -> UserInfo | None:
        user, _by = await self.authenticate_with_source(creds)
        return user

    async def authenticate_with_source(self, creds: Credentials) -> tuple[UserInfo | None, str]:
        failures: list[str] = []
        for member in self.members:
            try:
                user = await member.authenticate(creds)
            except AuthenticationError as exc:
                failures.append(str(exc))
                continue
            if user is not None:
                return user, member.name
        if failures:
            raise AuthenticationError(aggregate(failures))
        if self.anonymous is not None:
            # union.NewFailOnError(chain, anonymous): anonymous only when nothing succeeded or failed
            return await self.anonymous.authenticate(creds), self.anonymous.name
        return None, ""


class BearerTokenAuthenticator:
    """Reads `Authorization: Bearer <token>` and asks each token authenticator in order."""

    name = "bearer-token"

    def __init__(self, members: Sequence[TokenAuthenticator]) -> None:
        self.members = tuple(members)

    async def authenticate(self, creds: Credentials) -> UserInfo | None:
        scheme, _, token = creds.authorization.strip().partition(" ")
        if scheme.lower() != "bearer":
            return None
        token = token.strip()
        if not token:
            return None  # an empty token falls through to anonymous, as in bearertoken.go
        failures: list[str] = []
        for member in self.members:
            try:
                user = await member.authenticate_token(token)
            except AuthenticationError as exc:
                failures.append(str(exc))
                continue
            if user is not None:
                return user
        if failures:
            raise AuthenticationError(aggregate(failures))
        raise AuthenticationError("invalid bearer token")


def add_authenticated_group(user: UserInfo) -> UserInfo:
    if user.name == ANONYMOUS_USER:
        return user
    if AUTHENTICATED_GROUP in user.groups or UNAUTHENTICATED_GROUP in user.groups:
        return user
    return UserInfo(name=user.name, uid=user.uid, groups=(*user.groups, AUTHENTICATED_GROUP), extra=user.extra)

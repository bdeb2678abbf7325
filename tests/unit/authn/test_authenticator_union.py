"""The authenticator union as kube-apiserver assembles it (union, bearertoken, group adder, FailOnError
anonymous), table-driven."""

from __future__ import annotations

import asyncio

import pytest

from mockapi.api.authentication import Authenticated, AuthenticationError, Credentials
from mockapi.api.types import UserInfo
from mockapi.authn.anonymous import AnonymousAuthenticator
from mockapi.authn.union import BearerTokenAuthenticator, UnionAuthenticator


class Tokens:
    name = "tokenfile"

    def __init__(self, **users: str) -> None:
        self.users = users

    async def authenticate_token(self, token: str, audiences: tuple[str, ...]) -> Authenticated | None:
        if token == "broken":
            raise AuthenticationError("token expired")
        user = self.users.get(token)
        return Authenticated(UserInfo(user, groups=("dev",)), self.name, audiences) if user else None


UNION = UnionAuthenticator([BearerTokenAuthenticator([Tokens(t1="alice")])], AnonymousAuthenticator())
NO_ANONYMOUS = UnionAuthenticator([BearerTokenAuthenticator([Tokens(t1="alice")])])


@pytest.mark.parametrize(
    ("union", "authorization", "user", "member", "groups", "error"),
    [
        (UNION, "Bearer t1", "alice", "tokenfile", ("dev", "system:authenticated"), ""),
        (UNION, "bearer t1 ", "alice", "tokenfile", ("dev", "system:authenticated"), ""),
        (UNION, "Bearer t1 extra", "alice", "tokenfile", ("dev", "system:authenticated"), ""),  # 3rd part ignored
        (UNION, "Bearer  t1", "system:anonymous", "anonymous", ("system:unauthenticated",), ""),  # empty 2nd part
        (UNION, "Bearer nope", None, None, None, "invalid bearer token"),  # never falls through to anonymous
        (UNION, "Bearer broken", None, None, None, "token expired"),
        (UNION, "Bearer ", "system:anonymous", "anonymous", ("system:unauthenticated",), ""),
        (UNION, "Basic abc", "system:anonymous", "anonymous", ("system:unauthenticated",), ""),
        (UNION, "", "system:anonymous", "anonymous", ("system:unauthenticated",), ""),
        (NO_ANONYMOUS, "", None, None, None, ""),
    ],
)
async def test_union(
    union: UnionAuthenticator,
    authorization: str,
    user: str | None,
    member: str | None,
    groups: tuple[str, ...] | None,
    error: str,
) -> None:
    creds = Credentials(authorization=authorization, audiences=("api",))
    if error:
        with pytest.raises(AuthenticationError, match=error):
            await union.authenticate(creds)
        return
    answer = await union.authenticate(creds)
    if user is None:
        assert answer is None
        return
    assert answer is not None
    assert (answer.user.name, answer.member, answer.user.groups) == (user, member, groups)


def test_user_info_is_hashable_and_frozen() -> None:
    a = UserInfo("alice", extra={"scopes": ("a", "b")})  # a plain mapping is frozen
    b = UserInfo("alice", extra={"scopes": ("a", "b")})
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert dict(a.extra) == {"scopes": ("a", "b")}
    with pytest.raises(TypeError):
        a.extra["scopes"] = ()  # type: ignore[index]


class Rejecting:
    name = "x509"

    async def authenticate(self, creds: Credentials) -> Authenticated | None:
        raise AuthenticationError("x509: certificate has expired")


class NotMine:
    name = "requestheader"

    async def authenticate(self, creds: Credentials) -> Authenticated | None:
        return None


def trail_of(answer: Authenticated | AuthenticationError) -> list[tuple[str, str, str]]:
    return [(r.outcome, r.by, r.reason) for r in answer.trail]


def test_the_trail_says_what_each_member_answered_before_one_accepted() -> None:
    union = UnionAuthenticator(
        [NotMine(), Rejecting(), BearerTokenAuthenticator([Tokens(), Tokens(t1="alice")])], AnonymousAuthenticator()
    )
    answer = asyncio.run(union.authenticate(Credentials(authorization="Bearer t1")))
    assert answer is not None and answer.user.name == "alice"
    assert trail_of(answer) == [
        ("skip", "requestheader", "not mine"),
        ("skip", "x509", "rejected: x509: certificate has expired"),
        ("skip", "tokenfile", "not mine"),  # the first token member
    ]


def test_a_rejection_carries_the_trail_and_anonymous_never_answers() -> None:
    union = UnionAuthenticator([NotMine(), BearerTokenAuthenticator([Tokens()])], AnonymousAuthenticator())
    with pytest.raises(AuthenticationError) as caught:
        asyncio.run(union.authenticate(Credentials(authorization="Bearer nope")))
    assert str(caught.value) == "invalid bearer token"
    assert trail_of(caught.value) == [
        ("skip", "requestheader", "not mine"),
        ("skip", "tokenfile", "not mine"),
        ("skip", "bearer-token", "rejected: invalid bearer token"),
    ]


def test_anonymous_keeps_the_trail_of_who_passed() -> None:
    union = UnionAuthenticator([NotMine()], AnonymousAuthenticator())
    answer = asyncio.run(union.authenticate(Credentials()))
    assert answer is not None and answer.member == "anonymous"
    assert trail_of(answer) == [("skip", "requestheader", "not mine")]

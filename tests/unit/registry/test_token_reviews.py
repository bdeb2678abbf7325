"""TokenReview and SelfSubjectReview (mockapi.registry.reviews.authentication) against kube-apiserver 1.33.

Upstream: pkg/registry/authentication/tokenreview/storage.go, pkg/registry/authentication/selfsubjectreview/
rest.go."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from mockapi.api.authentication import Authenticated
from mockapi.api.errors import ApiError
from mockapi.api.types import UserInfo
from mockapi.registry.reviews.authentication import self_subject_review, token_review_error, token_review_response

TOKEN = {"token": "abc"}


@pytest.mark.parametrize("spec", [{}, {"token": ""}, {"audiences": ["a"]}])
def test_an_empty_token_is_a_bad_request(spec: dict[str, Any]) -> None:
    # storage.go: NewBadRequest("token is required for TokenReview in authentication"), before admission
    err = token_review_error({"spec": spec})
    assert err is not None
    assert err.status() == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": "token is required for TokenReview in authentication",
        "reason": "BadRequest",
        "code": 400,
    }


def test_a_token_is_enough() -> None:
    assert token_review_error({"spec": TOKEN}) is None


ALICE = UserInfo("alice", "u1", ("dev", "system:authenticated"), {"scopes": ("b", "a"), "a.io/x": ("1",)})
# (storage.go behaviour, body, answer, error, audiences requested, expected status)
REVIEWS: list[tuple[str, dict[str, Any], Authenticated | None, str, tuple[str, ...], dict[str, Any]]] = [
    (
        "authenticated: user with sorted extra, audiences from the response",
        {"spec": TOKEN},
        Authenticated(ALICE, "tokenfile", ("api",)),
        "",
        ("api",),
        {
            "authenticated": True,
            "user": {
                "username": "alice",
                "uid": "u1",
                "groups": ["dev", "system:authenticated"],
                "extra": {"a.io/x": ["1"], "scopes": ["b", "a"]},
            },
            "audiences": ["api"],
        },
    ),
    (
        "no audiences asked for: no audience check, none echoed; uid/groups/extra omitted when empty",
        {"spec": TOKEN},
        Authenticated(UserInfo("bob"), "tokenfile"),
        "",
        (),
        {"authenticated": True, "user": {"username": "bob"}},
    ),
    (
        "not authenticated: authenticated=false is omitted, user is an empty struct, the error is kept",
        {"spec": TOKEN},
        None,
        "[invalid bearer token, square/go-jose: error in cryptographic primitive]",
        ("api",),
        {"user": {}, "error": "[invalid bearer token, square/go-jose: error in cryptographic primitive]"},
    ),
    (
        "client-sent status survives where upstream does not overwrite it (decoded into the returned object)",
        {"spec": TOKEN, "status": {"authenticated": True, "user": {"username": "forged"}, "audiences": ["x"]}},
        None,
        "invalid bearer token",
        ("api",),
        {"user": {"username": "forged"}, "audiences": ["x"], "error": "invalid bearer token"},
    ),
    (
        "the audience check needs only one requested audience in common",
        {"spec": {"token": "abc", "audiences": ["a", "b"]}},
        Authenticated(UserInfo("sa"), "serviceaccount", ("b",)),
        "",
        ("a", "b"),
        {"authenticated": True, "user": {"username": "sa"}, "audiences": ["b"]},
    ),
]


@pytest.mark.parametrize(
    ("why", "body", "answer", "error", "audiences", "status"), REVIEWS, ids=[r[0] for r in REVIEWS]
)
def test_token_review_response(
    why: str,
    body: dict[str, Any],
    answer: Authenticated | None,
    error: str,
    audiences: tuple[str, ...],
    status: dict[str, Any],
) -> None:
    out = token_review_response(body, answer, error, audiences)
    assert out["kind"] == "TokenReview" and out["apiVersion"] == "authentication.k8s.io/v1"
    assert out["metadata"] == {"creationTimestamp": None}
    assert out["spec"] == body["spec"]  # the token is echoed back
    assert out["status"] == status
    assert list(out["status"]) == list(status)  # authenticated, user, audiences, error


def test_the_request_metadata_and_spec_are_echoed_in_go_order() -> None:
    body = {
        "metadata": {"managedFields": [{"manager": "m"}], "labels": {"a": "b"}, "name": "n", "uid": "wiped"},
        "spec": {"audiences": [], "token": "abc"},
    }
    out = token_review_response(body, None, "invalid bearer token", ())
    assert list(out["metadata"].items()) == [
        ("name", "n"),
        ("creationTimestamp", None),
        ("labels", {"a": "b"}),
        ("managedFields", [{"manager": "m"}]),
    ]
    assert out["spec"] == {"token": "abc"}


@pytest.mark.parametrize(
    ("requested", "answered"),
    [(("api",), ("other",)), (("api",), ())],
    ids=["disjoint audiences", "an answer bound to no audience while audiences were asked for"],
)
def test_audiences_in_common_or_500(requested: tuple[str, ...], answered: tuple[str, ...]) -> None:
    # storage.go: badAuthenticatorAuds = NewInternalError(errors.New("error validating audiences"))
    with pytest.raises(ApiError) as caught:
        token_review_response({"spec": TOKEN}, Authenticated(UserInfo("x"), "m", answered), "", requested)
    assert caught.value.status() == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": "Internal error occurred: error validating audiences",
        "reason": "InternalError",
        "details": {"causes": [{"message": "error validating audiences"}]},
        "code": 500,
    }


NOW = datetime(2025, 5, 1, 12, 30, 45, 999999, tzinfo=UTC)
# (rest.go behaviour, user, status.userInfo)
SELF: list[tuple[str, UserInfo, dict[str, Any]]] = [
    (
        "every field of the requesting user, extra keys sorted",
        ALICE,
        {
            "username": "alice",
            "uid": "u1",
            "groups": ["dev", "system:authenticated"],
            "extra": {"a.io/x": ["1"], "scopes": ["b", "a"]},
        },
    ),
    (
        "anonymous: omitempty leaves only what is set",
        UserInfo("system:anonymous", groups=("system:unauthenticated",)),
        {"username": "system:anonymous", "groups": ["system:unauthenticated"]},
    ),
]


@pytest.mark.parametrize(("why", "user", "user_info"), SELF, ids=[r[0] for r in SELF])
def test_self_subject_review(why: str, user: UserInfo, user_info: dict[str, Any]) -> None:
    # a new object: creationTimestamp = now (second precision), no spec, status.userInfo
    assert self_subject_review(user, NOW) == {
        "kind": "SelfSubjectReview",
        "apiVersion": "authentication.k8s.io/v1",
        "metadata": {"creationTimestamp": "2025-05-01T12:30:45Z"},
        "status": {"userInfo": user_info},
    }

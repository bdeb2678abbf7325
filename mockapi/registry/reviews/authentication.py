"""TokenReview and SelfSubjectReview (authentication.k8s.io/v1), as kube-apiserver 1.33 answers them.

Sources: pkg/registry/authentication/tokenreview/storage.go and selfsubjectreview/rest.go.

TokenReview: 400 for an empty spec.token (before validating admission), then the token is authenticated
for spec.audiences, or `--api-audiences` when none are given. The review echoes the request (its token
included) with status.authenticated/user/audiences/error filled in; when audiences were asked for and the
answer is valid for none of them, the create fails with 500 `error validating audiences`.
SelfSubjectReview: a new object carrying the requesting user, stamped with its creation time.
"""

from __future__ import annotations

from datetime import datetime

from mockapi.api.authentication import Authenticated
from mockapi.api.errors import ApiError, bad_request, internal
from mockapi.api.objects import rfc3339
from mockapi.api.types import Obj, UserInfo
from mockapi.registry.reviews.gostruct import Field, as_map, as_str, go_encode, review_metadata

API_VERSION = "authentication.k8s.io/v1"
TOKEN_REVIEW = "TokenReview"
SELF_SUBJECT_REVIEW = "SelfSubjectReview"

_USER = (Field("username"), Field("uid"), Field("groups"), Field("extra"))
_SPEC = (Field("token"), Field("audiences"))
_STATUS = (Field("authenticated"), Field("user", omit=False, struct=_USER), Field("audiences"), Field("error"))
"""TokenReviewStatus: `user` is a struct, so encoding/json writes it (as `{}`) even when empty."""


def token_review_error(body: Obj) -> ApiError | None:
    """400 `token is required for TokenReview in authentication` when spec.token is empty, else None."""
    if not as_str(as_map(body.get("spec")).get("token")):
        return bad_request("token is required for TokenReview in authentication")
    return None


def user_info(user: UserInfo) -> Obj:
    """authentication/v1 UserInfo as JSON: every field omitempty, extra keys sorted."""
    out: Obj = {}
    if user.name:
        out["username"] = user.name
    if user.uid:
        out["uid"] = user.uid
    if user.groups:
        out["groups"] = list(user.groups)
    if user.extra:
        out["extra"] = {k: list(user.extra[k]) for k in sorted(user.extra)}
    return out


def token_review_response(
    body: Obj, answer: Authenticated | None, error: str, audiences_requested: tuple[str, ...]
) -> Obj:
    """The TokenReview a create returns (201), or raises 500 InternalError `error validating audiences`.

    `answer` is the authenticator's success (None: not authenticated), `error` its error text ("" when
    none), `audiences_requested` what it was asked for (spec.audiences, else --api-audiences; may be
    empty). The answer's audiences must be what upstream's authenticator.Response carries: an
    audience-agnostic authenticator is wrapped (WrapAudienceAgnosticToken) so that it answers with the
    requested audiences that are also --api-audiences, and refuses the token when there are none.
    Fields the client put in status survive unless overwritten, as upstream decodes into the object it
    returns."""
    status = go_encode(body.get("status"), _STATUS)
    status["authenticated"] = answer is not None
    if error:
        status["error"] = error
    if audiences_requested and answer is not None and not set(audiences_requested) & set(answer.audiences):
        raise internal("error validating audiences")
    if answer is not None:
        status["user"] = user_info(answer.user)
        status["audiences"] = list(answer.audiences)
    return {
        "kind": TOKEN_REVIEW,
        "apiVersion": API_VERSION,
        "metadata": review_metadata(body.get("metadata"), ""),
        "spec": go_encode(body.get("spec"), _SPEC),
        "status": go_encode(status, _STATUS),  # omitempty again: authenticated=false, audiences=[] vanish
    }


def self_subject_review(user: UserInfo, now: datetime, *, api_version: str = API_VERSION) -> Obj:
    """The SelfSubjectReview a create returns (201): only a creation timestamp and the requesting user (the
    request body is not echoed; validating admission runs first, on it)."""
    return {
        "kind": SELF_SUBJECT_REVIEW,
        "apiVersion": api_version,
        "metadata": {"creationTimestamp": rfc3339(now)},
        "status": {"userInfo": user_info(user)},
    }

"""serviceaccounts/token (TokenRequest, authentication.k8s.io/v1) as kube-apiserver 1.33 answers it.

Source: pkg/registry/core/serviceaccount/storage/token.go (TokenREST.Create), pkg/apis/authentication/validation
(ValidateTokenRequest), pkg/serviceaccount/claims.go. Order, after the create handler's decoding, namespace
and mutating-admission steps: the body's name against the URL (422), the service account (404), defaults
(audiences, name, namespace, creationTimestamp), validation (422, named ""), validating admission, the bound
object (its kind, existence, uid: 400/404/409), the maximum expiration (a warning), the one-year extension of
a pod token asking for 3607 s, then the token. Dry run issues a token all the same, as upstream.
"""

from __future__ import annotations

from dataclasses import dataclass

from mockapi.api import errors
from mockapi.api.errors import ApiError, FieldError, invalid
from mockapi.api.types import GroupVersionResource, Obj
from mockapi.registry.reviews.gostruct import as_list, as_map, as_str

TOKEN_REQUEST_KIND = "TokenRequest"
TOKEN_REQUEST_GROUP = "authentication.k8s.io"
DEFAULT_EXPIRATION = 3600
MIN_EXPIRATION = 600
MAX_EXPIRATION = 1 << 32
EXTENDED_WARN_AFTER = 3607
"""What kubelets ask for: such pod tokens live `EXTENDED_EXPIRATION`, warning after this."""
EXTENDED_EXPIRATION = 365 * 24 * 3600
BINDABLE = ("Pod", "Secret", "Node")


@dataclass(frozen=True, slots=True)
class BoundObject:
    kind: str
    name: str
    uid: str
    api_version: str


def name_error(body: Obj, url_name: str) -> ApiError | None:
    """A body naming another service account: 422 against the URL's name."""
    name = as_str(as_map(body.get("metadata")).get("name"))
    if name and name != url_name:
        err = invalid("metadata.name", name, "must match the service account name if specified")
        return errors.invalid_object(TOKEN_REQUEST_KIND, TOKEN_REQUEST_GROUP, url_name, [err])
    return None


def apply_v1_defaults(body: Obj) -> None:
    """SetDefaults_TokenRequestSpec, applied while decoding: an unset expirationSeconds is an hour (an explicit 0
    stays, and fails validation)."""
    spec = body.get("spec")
    if isinstance(spec, dict) and spec.get("expirationSeconds") is None:
        spec["expirationSeconds"] = DEFAULT_EXPIRATION


def defaulted(body: Obj, service_account: Obj, api_audiences: tuple[str, ...], now: str) -> Obj:
    """The request as TokenREST.Create completes it before validating it."""
    meta = body.setdefault("metadata", {})
    sa_meta = as_map(service_account.get("metadata"))
    if not meta.get("name"):
        meta["name"] = sa_meta.get("name", "")
    if not meta.get("namespace"):
        meta["namespace"] = sa_meta.get("namespace", "")
    meta["creationTimestamp"] = now
    spec = body.setdefault("spec", {})
    if not isinstance(spec, dict):
        spec = body["spec"] = {}
    if not as_list(spec.get("audiences")):
        spec["audiences"] = list(api_audiences)
    if spec.get("expirationSeconds") is None:
        spec["expirationSeconds"] = DEFAULT_EXPIRATION
    body.pop("status", None)
    return body


def validation_error(body: Obj) -> ApiError | None:
    """ValidateTokenRequest: 422 naming "" (the object has no name of its own)."""
    expiration = as_map(body.get("spec")).get("expirationSeconds")
    errs: list[FieldError] = []
    path = "spec.expirationSeconds"
    if isinstance(expiration, int):
        if expiration < MIN_EXPIRATION:
            errs.append(invalid(path, expiration, "may not specify a duration less than 10 minutes"))
        if expiration > MAX_EXPIRATION:
            errs.append(invalid(path, expiration, "may not specify a duration larger than 2^32 seconds"))
    return errors.invalid_object(TOKEN_REQUEST_KIND, TOKEN_REQUEST_GROUP, "", errs) if errs else None


def bound_object(body: Obj) -> BoundObject | None:
    """spec.boundObjectRef, or a 400 for a kind tokens cannot be bound to (the version is not looked at)."""
    raw = as_map(body.get("spec")).get("boundObjectRef")
    if raw is None:
        return None
    ref = as_map(raw)  # `{}` is a reference all the same: to nothing tokens can be bound to
    kind, api_version = as_str(ref.get("kind")), as_str(ref.get("apiVersion"))
    group, version = _group_version(api_version)
    if group or kind not in BINDABLE:
        raise errors.bad_request(f"cannot bind token to object of type {group}/{version}, Kind={kind}")
    return BoundObject(kind, as_str(ref.get("name")), as_str(ref.get("uid")), api_version)


def _group_version(api_version: str) -> tuple[str, str]:
    """schema.FromAPIVersionAndKind: `group/version`, `version`, or (one that does not parse) neither."""
    if api_version.count("/") > 1:
        return "", ""
    group, _, version = api_version.rpartition("/")
    return group, version


def uid_conflict(ref: BoundObject, actual_uid: str) -> ApiError | None:
    if ref.uid and ref.uid != actual_uid:
        return errors.conflict(
            GroupVersionResource("", "", ref.kind),
            ref.name,
            f"the UID in the bound object reference ({ref.uid}) does not match the UID in record. The object might "
            "have been deleted and then recreated",
        )
    return None


def pod_service_account_error(pod: Obj, service_account: str) -> ApiError | None:
    if as_str(as_map(pod.get("spec")).get("serviceAccountName")) != service_account:
        return errors.bad_request(
            f'cannot bind token for serviceaccount "{service_account}" to pod running with different '
            "serviceaccount name."
        )
    return None


@dataclass(frozen=True, slots=True)
class Lifetime:
    expiration: int
    """What the response reports (spec.expirationSeconds after the maximum)."""
    token_lifetime: int
    """What the token's `exp` is given (a year for an extended pod token)."""
    warn_after: int | None
    warning: str = ""


def lifetime(
    requested: int,
    *,
    max_expiration: int,
    extend: bool,
    pod_bound: bool,
    audiences: list[str],
    api_audiences: tuple[str, ...],
) -> Lifetime:
    """The clamp to --service-account-max-token-expiration, then the extension of kubelet-style pod tokens."""
    expiration, warning = requested, ""
    if max_expiration > 0 and expiration > max_expiration:
        warning = f"requested expiration of {expiration} seconds shortened to {max_expiration} seconds"
        expiration = max_expiration
    if extend and pod_bound and expiration == EXTENDED_WARN_AFTER and set(audiences) <= set(api_audiences):
        return Lifetime(expiration, EXTENDED_EXPIRATION, EXTENDED_WARN_AFTER, warning)
    return Lifetime(expiration, expiration, None, warning)

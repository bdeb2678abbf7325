"""Service-account identities and the claims of their tokens (pkg/serviceaccount/claims.go,
apiserver/pkg/authentication/serviceaccount/util.go), shared by the TokenRequest API that issues tokens and the
authenticator that checks them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from mockapi.api.types import Obj, UserInfo

USER_PREFIX = "system:serviceaccount:"
ALL_GROUP = "system:serviceaccounts"
LEGACY_ISSUER = "kubernetes/serviceaccount"
CREDENTIAL_ID = "authentication.kubernetes.io/credential-id"
POD_NAME, POD_UID = "authentication.kubernetes.io/pod-name", "authentication.kubernetes.io/pod-uid"
NODE_NAME, NODE_UID = "authentication.kubernetes.io/node-name", "authentication.kubernetes.io/node-uid"


def username(namespace: str, name: str) -> str:
    return f"{USER_PREFIX}{namespace}:{name}"


_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")


def split_username(name: str) -> tuple[str, str] | None:
    """serviceaccount.SplitUsername: (namespace, name) of `system:serviceaccount:<ns>:<name>` when the namespace is
    a DNS label and the name a DNS subdomain; None for any other user name."""
    if not name.startswith(USER_PREFIX):
        return None
    parts = name[len(USER_PREFIX) :].split(":")
    if len(parts) != 2:
        return None
    namespace, sa = parts
    if len(namespace) > 63 or not _LABEL.fullmatch(namespace) or len(sa) > 253 or not _SUBDOMAIN.fullmatch(sa):
        return None
    return namespace, sa


def groups(namespace: str) -> tuple[str, ...]:
    return (ALL_GROUP, f"{ALL_GROUP}:{namespace}")


@dataclass(frozen=True, slots=True)
class Ref:
    name: str
    uid: str = ""

    def as_json(self) -> Obj:
        return {"name": self.name, "uid": self.uid} if self.uid else {"name": self.name}


@dataclass(frozen=True, slots=True)
class BoundClaims:
    """The `kubernetes.io` private claim of a bound token."""

    namespace: str
    service_account: Ref
    pod: Ref | None = None
    secret: Ref | None = None
    node: Ref | None = None
    warn_after: int | None = None

    def as_json(self) -> Obj:
        out: Obj = {"namespace": self.namespace, "serviceaccount": self.service_account.as_json()}
        for key, ref in (("pod", self.pod), ("secret", self.secret), ("node", self.node)):
            if ref is not None:
                out[key] = ref.as_json()
        if self.warn_after is not None:
            out["warnafter"] = self.warn_after
        return out

    @classmethod
    def from_json(cls, value: Any) -> BoundClaims:
        """ValueError when the claim is not the shape kube-apiserver writes."""
        if not isinstance(value, dict):
            raise ValueError("kubernetes.io claim is not an object")

        def ref(key: str) -> Ref | None:
            found = value.get(key)
            if found is None:
                return None
            if not isinstance(found, dict) or not isinstance(found.get("name", ""), str):
                raise ValueError(f"kubernetes.io {key} claim is malformed")
            uid = found.get("uid", "")
            return Ref(found.get("name", ""), uid if isinstance(uid, str) else "")

        sa = ref("serviceaccount")
        namespace = value.get("namespace")
        if sa is None or not isinstance(namespace, str):
            raise ValueError("kubernetes.io claim lacks namespace or serviceaccount")
        warn = value.get("warnafter")
        return cls(
            namespace,
            sa,
            ref("pod"),
            ref("secret"),
            ref("node"),
            warn if isinstance(warn, int) and not isinstance(warn, bool) else None,
        )


def token_claims(
    issuer: str, audiences: tuple[str, ...], issued_at: int, expires: int, jti: str, bound: BoundClaims
) -> Obj:
    """The claims of a bound token (claims.go `Claims`); the signer sorts their keys."""
    return {
        "aud": list(audiences),
        "exp": expires,
        "iat": issued_at,
        "iss": issuer,
        "jti": jti,
        "kubernetes.io": bound.as_json(),
        "nbf": issued_at,
        "sub": username(bound.namespace, bound.service_account.name),
    }


def bound_user(bound: BoundClaims, sa_uid: str, jti: str) -> UserInfo:
    """serviceaccount.ServiceAccountInfo.UserInfo for a bound token."""
    extra: dict[str, tuple[str, ...]] = {}
    if bound.pod is not None and bound.pod.name and bound.pod.uid:
        extra[POD_NAME], extra[POD_UID] = (bound.pod.name,), (bound.pod.uid,)
    if jti:
        extra[CREDENTIAL_ID] = (f"JTI={jti}",)
    if bound.node is not None and bound.node.name:
        extra[NODE_NAME] = (bound.node.name,)
        if bound.node.uid:
            extra[NODE_UID] = (bound.node.uid,)
    name = bound.service_account.name
    return UserInfo(username(bound.namespace, name), uid=sa_uid, groups=groups(bound.namespace), extra=extra)


LEGACY_NAMESPACE = "kubernetes.io/serviceaccount/namespace"
LEGACY_SECRET = "kubernetes.io/serviceaccount/secret.name"
LEGACY_NAME = "kubernetes.io/serviceaccount/service-account.name"
LEGACY_UID = "kubernetes.io/serviceaccount/service-account.uid"
TOKEN_SECRET_TYPE = "kubernetes.io/service-account-token"
NAME_ANNOTATION = "kubernetes.io/service-account.name"
UID_ANNOTATION = "kubernetes.io/service-account.uid"


def legacy_claims(namespace: str, name: str, uid: str, secret: str) -> Obj:
    """serviceaccount.LegacyClaims: a token that never expires, for the Secret that holds it."""
    return {
        "iss": LEGACY_ISSUER,
        LEGACY_NAMESPACE: namespace,
        LEGACY_SECRET: secret,
        LEGACY_NAME: name,
        LEGACY_UID: uid,
        "sub": username(namespace, name),
    }


class TokenSigner(Protocol):
    """Signs service-account token claims; `issuer` is the one its tokens name (the first configured)."""

    issuer: str

    def sign(self, claims: Obj) -> str: ...

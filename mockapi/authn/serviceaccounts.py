"""Bound service-account tokens (pkg/serviceaccount/jwt.go and claims.go): JWTs this server's issuers signed,
checked as kube-apiserver checks them, in its order:

1. an issuer not among `--service-account-issuer` is not mine (legacy `kubernetes/serviceaccount` tokens and
   OIDC tokens go on to their own authenticators);
2. the signature, with the key the `kid` names (`invalid signature, no keys found`) or every key; any failure,
   `alg: none` and HS256 keyed with the public key included, is go-jose's `error in cryptographic primitive`;
3. the audiences must meet the requested ones (the API audiences unless a TokenReview names others);
4. times, with go-jose's minute of leeway: not before `nbf`, not after `exp`, not issued in the future;
5. the service account, and the pod, secret or node the token is bound to, must still exist with the uid the
   token names (read through the informers) and not be past deletion.
The user is `system:serviceaccount:<ns>:<name>` with the service account's uid and groups, and the extras
of the bound pod and node and the token's `JTI=<jti>` credential id.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime, timedelta
from typing import Any

import jwt
import orjson

from mockapi.api.coregroup import NODES, PODS, SECRETS, SERVICEACCOUNTS
from mockapi.api.errors import aggregate
from mockapi.api.golang import go_quote
from mockapi.api.informers import ObjectReader
from mockapi.api.objects import parse_rfc3339
from mockapi.api.serviceaccounts import BoundClaims, Ref, bound_user
from mockapi.api.stages import Clock
from mockapi.api.types import GroupVersionResource, Obj
from mockapi.authn.interface import Authenticated, AuthenticationError
from mockapi.authn.sakeys import KeySet

LEEWAY = timedelta(minutes=1)
CRYPTO_FAILURE = "go-jose/go-jose: error in cryptographic primitive"
INVALIDATED = "service account token has been invalidated"
INVALIDATED_LEGACY = "Token has been invalidated"
STALE_TOKEN = "authentication.k8s.io/stale-token"


class ServiceAccountTokenAuthenticator:
    name = "serviceaccount"

    def __init__(
        self, issuers: tuple[str, ...], keys: KeySet, api_audiences: tuple[str, ...], reader: ObjectReader, clock: Clock
    ) -> None:
        self.issuers = issuers
        self.keys = keys
        self.api_audiences = api_audiences
        self.reader = reader
        self.clock = clock

    async def authenticate_token(self, token: str, audiences: tuple[str, ...]) -> Authenticated | None:
        peeked = peek(token)
        if peeked is None or peeked[1].get("iss") not in self.issuers:
            return None  # not a JWT of ours: another authenticator's, or nobody's
        claims = verified_claims(token, str(peeked[0].get("kid") or ""), self.keys)
        if claims.get("iss") not in self.issuers:
            raise AuthenticationError(f"token issuer {go_quote(str(claims.get('iss')))} is invalid")
        aud = claims.get("aud")
        token_audiences = tuple(aud) if isinstance(aud, list) else (aud,) if isinstance(aud, str) and aud else ()
        if not token_audiences:
            token_audiences = self.api_audiences
        requested = audiences or self.api_audiences
        accepted = tuple(a for a in token_audiences if a in requested)
        if not accepted and self.api_audiences:
            raise AuthenticationError(
                f"token audiences {go_strings(token_audiences)} is invalid for the target audiences "
                f"{go_strings(requested)}"
            )
        now = self.clock.now()
        _check_times(claims, now)
        try:
            bound = BoundClaims.from_json(claims.get("kubernetes.io"))
        except ValueError:
            raise AuthenticationError("service account token claims could not be retrieved") from None
        sa_uid = await self._check_bound_objects(bound, now)
        jti = claims.get("jti")
        annotations: tuple[tuple[str, str], ...] = ()
        if bound.warn_after is not None and now.timestamp() > bound.warn_after:  # still accepted, but noted
            late = int(now.timestamp()) - bound.warn_after
            annotations = ((STALE_TOKEN, f"subject: {claims.get('sub')}, seconds after warning threshold: {late}"),)
        user = bound_user(bound, sa_uid, jti if isinstance(jti, str) else "")
        return Authenticated(user, self.name, accepted, audit_annotations=annotations)

    async def _check_bound_objects(self, bound: BoundClaims, now: datetime) -> str:
        """claims.go validator.Validate past the times; the service account's uid."""
        namespace, sa_ref = bound.namespace, bound.service_account
        sa = await self.reader.get_object(SERVICEACCOUNTS, namespace, sa_ref.name)
        if sa is None:
            raise AuthenticationError(f'serviceaccounts "{sa_ref.name}" not found')
        sa_uid = _uid(sa)
        if _deleted(sa, now):  # claims.go: deletion first, then the uid
            raise AuthenticationError(f"service account {namespace}/{sa_ref.name} has been deleted")
        if sa_uid != sa_ref.uid:
            raise AuthenticationError(f"service account UID ({sa_uid}) does not match claim ({sa_ref.uid})")
        if bound.secret is not None:
            await self._check_ref(SECRETS, namespace, bound.secret, "secret", now)
        if bound.pod is not None:
            await self._check_ref(PODS, namespace, bound.pod, "pod", now)
        elif bound.node is not None:  # a pod-bound token's node is only reported, never checked
            await self._check_ref(NODES, "", bound.node, "node", now)
        return sa_uid

    async def _check_ref(self, gvr: GroupVersionResource, namespace: str, ref: Ref, what: str, now: datetime) -> None:
        found = await self.reader.get_object(gvr, namespace, ref.name)
        if found is None:
            raise AuthenticationError(INVALIDATED)
        if _deleted(found, now):
            raise AuthenticationError(INVALIDATED)
        uid = _uid(found)
        if uid != ref.uid:
            raise AuthenticationError(f"{what} UID ({uid}) does not match service account {what} ref claim ({ref.uid})")


def verified_claims(token: str, kid: str, key_set: KeySet) -> dict[str, Any]:
    """The claims of a token whose signature one of the keys verifies (jwt.go's loop over the keys)."""
    keys = key_set.for_kid(kid)
    if not keys:
        raise AuthenticationError("invalid signature, no keys found")
    failures = []
    for key in keys:
        try:
            payload = jwt.PyJWS().decode(token, key.key, algorithms=[key.alg])
        except (jwt.InvalidTokenError, ValueError, TypeError):  # a token PyJWT cannot even read counts as bad
            failures.append(CRYPTO_FAILURE)
            continue
        try:
            claims = orjson.loads(payload)
        except orjson.JSONDecodeError:
            claims = None
        if isinstance(claims, dict):
            return claims
        raise AuthenticationError("service account token claims could not be retrieved")
    raise AuthenticationError(aggregate(failures))


def peek(token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The header and claims of a compact JWS, unverified (to see whose it is); None if it is none."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        header = orjson.loads(_unb64(parts[0]))
        claims = orjson.loads(_unb64(parts[1]))
    except (binascii.Error, ValueError):
        return None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return None
    return header, claims


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _check_times(claims: dict[str, Any], now: datetime) -> None:
    """go-jose Claims.ValidateWithLeeway (nbf, then exp, then iat) with claims.go's words."""
    stamp = now.timestamp()
    leeway = LEEWAY.total_seconds()
    nbf, exp, iat = (_number(claims.get(k)) for k in ("nbf", "exp", "iat"))
    if nbf is not None and stamp + leeway < nbf:
        raise AuthenticationError("service account token is not valid yet")
    if exp is not None and stamp - leeway > exp:
        raise AuthenticationError("service account token has expired")
    if iat is not None and stamp + leeway < iat:
        raise AuthenticationError("service account token is issued in the future")


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _uid(obj: Obj) -> str:
    uid = (obj.get("metadata") or {}).get("uid", "")
    return uid if isinstance(uid, str) else ""


def _deleted(obj: Obj, now: datetime) -> bool:
    """Deleted for a token once its deletion time is more than the leeway past."""
    stamp = (obj.get("metadata") or {}).get("deletionTimestamp")
    if not isinstance(stamp, str):
        return False
    try:
        return parse_rfc3339(stamp) < now - LEEWAY
    except ValueError:
        return False


def go_strings(values: tuple[str, ...]) -> str:
    """Go's %q of a []string: `["a" "b"]`."""
    return "[" + " ".join(go_quote(v) for v in values) + "]"

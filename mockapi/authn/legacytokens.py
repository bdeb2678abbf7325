"""Legacy service-account tokens (pkg/serviceaccount/legacy.go): the never-expiring JWTs of issuer
`kubernetes/serviceaccount` that the tokens controller writes into `kubernetes.io/service-account-token`
Secrets. Their signature is checked as a bound token's; their claims name the namespace, Secret and service
account; with `--service-account-lookup` (the default) the Secret must still hold this very token and the
service account still exist with the uid the token names. Each use is marked with the audit annotation
`authentication.k8s.io/legacy-token`, as upstream.
"""

from __future__ import annotations

import hmac
from typing import Any

from mockapi.api.coregroup import SECRETS, SERVICEACCOUNTS
from mockapi.api.informers import ObjectReader
from mockapi.api.objects import secret_data
from mockapi.api.serviceaccounts import (
    LEGACY_ISSUER,
    LEGACY_NAME,
    LEGACY_NAMESPACE,
    LEGACY_SECRET,
    LEGACY_UID,
    groups,
    split_username,
    username,
)
from mockapi.api.types import UserInfo
from mockapi.authn.interface import Authenticated, AuthenticationError
from mockapi.authn.sakeys import KeySet
from mockapi.authn.serviceaccounts import INVALIDATED_LEGACY, go_strings, peek, verified_claims

LEGACY_TOKEN_ANNOTATION = "authentication.k8s.io/legacy-token"
INVALID_SINCE_LABEL = "kubernetes.io/legacy-token-invalid-since"


class LegacyTokenAuthenticator:
    name = "serviceaccount-legacy"

    def __init__(self, keys: KeySet, api_audiences: tuple[str, ...], reader: ObjectReader, lookup: bool) -> None:
        self.keys = keys
        self.api_audiences = api_audiences
        self.reader = reader
        self.lookup = lookup

    async def authenticate_token(self, token: str, audiences: tuple[str, ...]) -> Authenticated | None:
        peeked = peek(token)
        if peeked is None or peeked[1].get("iss") != LEGACY_ISSUER:
            return None
        claims = verified_claims(token, str(peeked[0].get("kid") or ""), self.keys)
        requested = audiences or self.api_audiences
        accepted = tuple(a for a in self.api_audiences if a in requested)  # no `aud`: the API audiences
        if not accepted and self.api_audiences:
            raise AuthenticationError(
                f"token audiences {go_strings(self.api_audiences)} is invalid for the target audiences "
                f"{go_strings(requested)}"
            )
        namespace, secret, name, uid = _claims(claims)
        if self.lookup:
            await self._check(token, namespace, secret, name, uid)
        user = UserInfo(username(namespace, name), uid=uid, groups=groups(namespace))
        annotations = ((LEGACY_TOKEN_ANNOTATION, str(claims.get("sub", ""))),)
        return Authenticated(user, self.name, accepted, audit_annotations=annotations)

    async def _check(self, token: str, namespace: str, secret_name: str, name: str, uid: str) -> None:
        secret = await self.reader.get_object(SECRETS, namespace, secret_name)
        if secret is None or (secret.get("metadata") or {}).get("deletionTimestamp"):
            raise AuthenticationError(INVALIDATED_LEGACY)
        if not hmac.compare_digest(secret_data(secret, "token"), token.encode()):
            raise AuthenticationError("Token does not match server's copy")
        sa = await self.reader.get_object(SERVICEACCOUNTS, namespace, name)
        if sa is None:
            raise AuthenticationError(f'serviceaccounts "{name}" not found')
        meta = sa.get("metadata") or {}
        if meta.get("deletionTimestamp"):
            raise AuthenticationError(f"ServiceAccount {namespace}/{name} has been deleted")
        if meta.get("uid", "") != uid:
            raise AuthenticationError(f"ServiceAccount UID ({meta.get('uid', '')}) does not match claim ({uid})")
        if ((secret.get("metadata") or {}).get("labels") or {}).get(INVALID_SINCE_LABEL):
            raise AuthenticationError(
                f"the token in secret {namespace}/{secret_name} for service account {namespace}/{name} has been "
                "marked invalid. Use tokens from the TokenRequest API or manually created secret-based tokens, or "
                f"remove the '{INVALID_SINCE_LABEL}' label from the secret to temporarily allow use of this token"
            )


_REQUIRED = (
    (LEGACY_NAMESPACE, "namespace"),
    (LEGACY_SECRET, "secretName"),
    (LEGACY_NAME, "serviceAccountName"),
    (LEGACY_UID, "serviceAccountUID"),
)


def _claims(claims: dict[str, Any]) -> tuple[str, str, str, str]:
    """legacyValidator's claim checks, in its order: (namespace, secret, service account, its uid)."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise AuthenticationError("sub claim is missing")
    found = []
    for key, what in _REQUIRED:
        value = claims.get(key)
        if not isinstance(value, str) or not value:
            raise AuthenticationError(f"{what} claim is missing")
        found.append(value)
    namespace, secret, name, uid = found
    if split_username(subject) != (namespace, name):
        raise AuthenticationError("sub claim is invalid")
    return namespace, secret, name, uid

"""Legacy Secret-based service-account tokens, table-driven after legacy.go: claims, lookup, the invalid label."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from mockapi.api.authentication import Authenticated, AuthenticationError
from mockapi.api.serviceaccounts import legacy_claims
from mockapi.api.types import GroupVersionResource, Obj
from mockapi.authn.legacytokens import LegacyTokenAuthenticator
from mockapi.authn.sakeys import KeySet, Signer

API = ("https://kubernetes.default.svc.cluster.local",)
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
SIGNER = Signer(KEY, "kubernetes/serviceaccount")
TOKEN = SIGNER.sign(legacy_claims("default", "builder", "sa-1", "builder-token"))


def secret(token: str = TOKEN, **meta: Any) -> Obj:
    data = {"token": base64.b64encode(token.encode()).decode()}
    return {"metadata": {"name": "builder-token", "namespace": "default", **meta}, "data": data}


def sa(uid: str = "sa-1", **meta: Any) -> Obj:
    return {"metadata": {"name": "builder", "namespace": "default", "uid": uid, **meta}}


class Reader:
    def __init__(self, *objects: tuple[str, Obj]) -> None:
        self.objects = {(r, o["metadata"]["namespace"], o["metadata"]["name"]): o for r, o in objects}

    async def get_object(self, gvr: GroupVersionResource, namespace: str, name: str) -> Obj | None:
        return self.objects.get((gvr.resource, namespace, name))

    async def list_objects(self, gvr: GroupVersionResource, namespace: str) -> list[Obj]:
        raise AssertionError("never listed")


def authenticate(
    token: str, reader: Reader, lookup: bool = True, audiences: tuple[str, ...] = ()
) -> Authenticated | None:
    auth = LegacyTokenAuthenticator(KeySet([KEY.public_key()]), API, reader, lookup)
    return asyncio.run(auth.authenticate_token(token, audiences))


GOOD = Reader(("secrets", secret()), ("serviceaccounts", sa()))


def test_a_legacy_token_is_its_service_account() -> None:
    answer = authenticate(TOKEN, GOOD)
    assert answer is not None and answer.member == "serviceaccount-legacy" and answer.audiences == API
    assert (answer.user.name, answer.user.uid) == ("system:serviceaccount:default:builder", "sa-1")
    assert answer.audit_annotations == (
        ("authentication.k8s.io/legacy-token", "system:serviceaccount:default:builder"),
    )


def claims_without(key: str, **changes: str) -> str:
    claims = {**legacy_claims("default", "builder", "sa-1", "builder-token"), **changes}
    claims.pop(key, None)
    return SIGNER.sign(claims)


SA_CLAIM = "kubernetes.io/serviceaccount/service-account"
INVALID = (
    "the token in secret default/builder-token for service account default/builder has been marked invalid. Use "
    "tokens from the TokenRequest API or manually created secret-based tokens, or remove the "
    "'kubernetes.io/legacy-token-invalid-since' label from the secret to temporarily allow use of this token"
)


@pytest.mark.parametrize(
    ("token", "reader", "error"),
    [
        (claims_without("sub"), GOOD, "sub claim is missing"),
        (claims_without("kubernetes.io/serviceaccount/namespace"), GOOD, "namespace claim is missing"),
        (claims_without("kubernetes.io/serviceaccount/secret.name"), GOOD, "secretName claim is missing"),
        (claims_without(f"{SA_CLAIM}.name"), GOOD, "serviceAccountName claim is missing"),
        (claims_without(f"{SA_CLAIM}.uid"), GOOD, "serviceAccountUID claim is missing"),
        (claims_without("x", sub="system:serviceaccount:other:builder"), GOOD, "sub claim is invalid"),
        (TOKEN, Reader(("serviceaccounts", sa())), "Token has been invalidated"),
        (TOKEN, Reader(("secrets", secret(deletionTimestamp="2026-01-01T00:00:00Z")), ("serviceaccounts", sa())),
         "Token has been invalidated"),
        (TOKEN, Reader(("secrets", secret("other")), ("serviceaccounts", sa())), "Token does not match server's copy"),
        (TOKEN, Reader(("secrets", secret())), 'serviceaccounts "builder" not found'),
        (TOKEN, Reader(("secrets", secret()), ("serviceaccounts", sa(deletionTimestamp="2026-01-01T00:00:00Z"))),
         "ServiceAccount default/builder has been deleted"),
        (TOKEN, Reader(("secrets", secret()), ("serviceaccounts", sa("sa-2"))),
         "ServiceAccount UID (sa-2) does not match claim (sa-1)"),
        (TOKEN, Reader(("secrets", secret(labels={"kubernetes.io/legacy-token-invalid-since": "2026-01-01"})),
                       ("serviceaccounts", sa())), INVALID),
    ],
)  # fmt: skip
def test_rejections(token: str, reader: Reader, error: str) -> None:
    with pytest.raises(AuthenticationError) as caught:
        authenticate(token, reader)
    assert str(caught.value) == error


def test_without_lookup_the_claims_are_enough() -> None:
    answer = authenticate(TOKEN, Reader(), lookup=False)
    assert answer is not None and answer.user.uid == "sa-1"


def test_other_audiences_are_refused_and_bound_tokens_are_not_mine() -> None:
    with pytest.raises(AuthenticationError, match=r'is invalid for the target audiences \["vault"\]'):
        authenticate(TOKEN, GOOD, audiences=("vault",))
    assert authenticate(Signer(KEY, API[0]).sign({"iss": API[0], "sub": "x"}), GOOD) is None

"""Bound service-account tokens checked as jwt.go and claims.go check them, table-driven: signature and
algorithm, issuer, audiences, times (a minute of leeway), and the objects the token is bound to."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import hmac
from typing import Any

import jwt
import orjson
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from mockapi.api.authentication import Authenticated, AuthenticationError
from mockapi.api.serviceaccounts import BoundClaims, Ref, token_claims
from mockapi.api.types import GroupVersionResource, Obj
from mockapi.authn.sakeys import KeySet, Signer, key_id
from mockapi.authn.serviceaccounts import ServiceAccountTokenAuthenticator

ISSUER = "https://kubernetes.default.svc.cluster.local"
API = (ISSUER,)
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
T = int(NOW.timestamp())
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
SIGNER = Signer(KEY, ISSUER)


class Clock:
    def now(self) -> dt.datetime:
        return NOW

    def monotonic(self) -> float:
        return 0.0


def obj(name: str, uid: str, namespace: str = "default", **meta: Any) -> Obj:
    return {"metadata": {"name": name, "namespace": namespace, "uid": uid, **meta}}


class Reader:
    def __init__(self, *objects: tuple[str, Obj]) -> None:
        self.objects = {(r, o["metadata"].get("namespace", ""), o["metadata"]["name"]): o for r, o in objects}

    async def get_object(self, gvr: GroupVersionResource, namespace: str, name: str) -> Obj | None:
        return self.objects.get((gvr.resource, namespace, name))

    async def list_objects(self, gvr: GroupVersionResource, namespace: str) -> list[Obj]:
        raise AssertionError("never listed")


WORLD = Reader(
    ("serviceaccounts", obj("builder", "sa-1")),
    ("pods", obj("web-0", "pod-1")),
    ("pods", obj("leaving", "pod-2", deletionTimestamp="2026-06-01T11:58:00Z")),
    ("pods", obj("grace", "pod-3", deletionTimestamp="2026-06-01T11:59:30Z")),
    ("nodes", obj("n1", "node-1", namespace="")),
)


def claims(**changes: Any) -> dict[str, Any]:
    bound = changes.pop("bound", BoundClaims("default", Ref("builder", "sa-1")))
    out = token_claims(ISSUER, API, T, T + 3600, "jti-1", bound)
    out.update(changes)
    return out


def authenticate(token: str, audiences: tuple[str, ...] = (), reader: Reader = WORLD) -> Authenticated | None:
    auth = ServiceAccountTokenAuthenticator(API, KeySet([KEY.public_key()]), API, reader, Clock())
    return asyncio.run(auth.authenticate_token(token, audiences))


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_a_token_names_the_service_account_with_its_groups_extras_and_audiences() -> None:
    bound = BoundClaims("default", Ref("builder", "sa-1"), pod=Ref("web-0", "pod-1"), node=Ref("n1", "node-1"))
    answer = authenticate(SIGNER.sign(claims(bound=bound)))
    assert answer is not None and answer.member == "serviceaccount" and answer.audiences == API
    user = answer.user
    assert (user.name, user.uid) == ("system:serviceaccount:default:builder", "sa-1")
    assert user.groups == ("system:serviceaccounts", "system:serviceaccounts:default")
    assert dict(user.extra) == {
        "authentication.kubernetes.io/pod-name": ("web-0",),
        "authentication.kubernetes.io/pod-uid": ("pod-1",),
        "authentication.kubernetes.io/credential-id": ("JTI=jti-1",),
        "authentication.kubernetes.io/node-name": ("n1",),
        "authentication.kubernetes.io/node-uid": ("node-1",),
    }


def test_the_header_and_payload_are_kube_apiservers() -> None:
    token = SIGNER.sign(claims())
    header, payload, _ = token.split(".")
    der = KEY.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert base64.urlsafe_b64decode(header + "==") == orjson.dumps(
        {"alg": "RS256", "kid": b64(hashlib.sha256(der).digest())}
    )
    decoded = base64.urlsafe_b64decode(payload + "==")
    assert decoded == orjson.dumps(orjson.loads(decoded), option=orjson.OPT_SORT_KEYS)  # keys sorted, as go-jose
    assert key_id(KEY.public_key()) == b64(hashlib.sha256(der).digest())


def test_an_ec_signing_key_signs_es256() -> None:
    ec_key = ec.generate_private_key(ec.SECP256R1())
    token = Signer(ec_key, ISSUER).sign(claims())
    assert orjson.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))["alg"] == "ES256"
    auth = ServiceAccountTokenAuthenticator(API, KeySet([ec_key.public_key()]), API, WORLD, Clock())
    assert asyncio.run(auth.authenticate_token(token, ())) is not None


def _unsigned(header: dict[str, Any], payload: dict[str, Any]) -> str:
    return f"{b64(orjson.dumps(header))}.{b64(orjson.dumps(payload))}."


def _tampered() -> str:
    header, _, signature = SIGNER.sign(claims()).split(".")
    return f"{header}.{b64(orjson.dumps(claims(sub='system:serviceaccount:kube-system:admin')))}.{signature}"


def _hs256_with_public_key() -> str:
    signing_input = (
        f"{b64(orjson.dumps({'alg': 'HS256', 'kid': key_id(KEY.public_key())}))}.{b64(orjson.dumps(claims()))}"
    )
    signature = hmac.new(PUBLIC_PEM, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(signature)}"


PUBLIC_PEM = KEY.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
CRYPTO = "go-jose/go-jose: error in cryptographic primitive"


@pytest.mark.parametrize(
    ("token", "audiences", "error"),
    [
        (_unsigned({"alg": "none"}, claims()), (), CRYPTO),
        (_hs256_with_public_key(), (), CRYPTO),  # the public key as an HMAC secret
        (_tampered(), (), CRYPTO),
        (
            jwt.encode(claims(), KEY, algorithm="RS256", headers={"kid": "other"}),
            (),
            "invalid signature, no keys found",
        ),
        (
            SIGNER.sign(claims(aud=["vault"])),
            (),
            'token audiences ["vault"] is invalid for the target audiences ["https://kubernetes.default.svc.cluster.local"]',
        ),
        (SIGNER.sign(claims()), ("vault", "other"), 'is invalid for the target audiences ["vault" "other"]'),
        (SIGNER.sign(claims(exp=T - 61)), (), "service account token has expired"),
        (SIGNER.sign(claims(nbf=T + 61)), (), "service account token is not valid yet"),
        (SIGNER.sign(claims(iat=T + 61)), (), "service account token is issued in the future"),
        (SIGNER.sign(claims(bound=BoundClaims("default", Ref("gone", "x")))), (), 'serviceaccounts "gone" not found'),
        (
            SIGNER.sign(claims(bound=BoundClaims("default", Ref("builder", "sa-0")))),
            (),
            "service account UID (sa-1) does not match claim (sa-0)",
        ),
        (
            SIGNER.sign(claims(bound=BoundClaims("default", Ref("builder", "sa-1"), pod=Ref("deleted", "p")))),
            (),
            "service account token has been invalidated",
        ),
        (
            SIGNER.sign(claims(bound=BoundClaims("default", Ref("builder", "sa-1"), pod=Ref("web-0", "pod-0")))),
            (),
            "pod UID (pod-1) does not match service account pod ref claim (pod-0)",
        ),
        (
            SIGNER.sign(claims(bound=BoundClaims("default", Ref("builder", "sa-1"), pod=Ref("leaving", "pod-2")))),
            (),
            "service account token has been invalidated",
        ),
        (
            SIGNER.sign(claims(bound=BoundClaims("default", Ref("builder", "sa-1"), node=Ref("n1", "node-0")))),
            (),
            "node UID (node-1) does not match service account node ref claim (node-0)",
        ),
    ],
)
def test_rejections(token: str, audiences: tuple[str, ...], error: str) -> None:
    with pytest.raises(AuthenticationError) as caught:
        authenticate(token, audiences)
    assert error in str(caught.value)


@pytest.mark.parametrize(
    "token",
    [
        SIGNER.sign(claims(exp=T - 59)),  # within the minute of leeway
        SIGNER.sign(claims(bound=BoundClaims("default", Ref("builder", "sa-1"), pod=Ref("grace", "pod-3")))),
    ],
)
def test_leeway(token: str) -> None:
    assert authenticate(token) is not None


@pytest.mark.parametrize(
    "token",
    [
        "not-a-jwt",
        "a.b",
        SIGNER.sign(claims(iss="https://accounts.example.com")),  # another issuer's: OIDC's, maybe
        SIGNER.sign({"iss": "kubernetes/serviceaccount", "sub": "system:serviceaccount:default:builder"}),  # legacy
    ],
)
def test_other_tokens_are_not_mine(token: str) -> None:
    assert authenticate(token) is None

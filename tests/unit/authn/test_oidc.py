"""OIDC tokens as --oidc-* configures them, table-driven after oidc_test.go: issuer, audience, times,
algorithm, signature, claims and prefixes, with go-oidc's and the authenticator's words."""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import ssl
from types import SimpleNamespace
from typing import Any

import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from mockapi.api.authentication import Authenticated, AuthenticationError
from mockapi.authn.oidc import OidcAuthenticator, OidcConfig, username_prefix
from mockapi.authn.oidckeys import DiscoveredKeys
from mockapi.authn.registry import oidc_authenticator
from mockapi.authn.sakeys import KeySet, PublicKey, Signer, keys_of_jwks
from mockapi.config import ServerConfig

ISSUER = "https://idp.example"
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
T = int(NOW.timestamp())
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
SIGN = Signer(KEY, ISSUER).sign


class Clock:
    def now(self) -> dt.datetime:
        return NOW

    def monotonic(self) -> float:
        return 0.0


def claims(**changes: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"iss": ISSUER, "aud": "kube", "sub": "alice", "exp": T + 600, "iat": T, "groups": ["dev"]}
    out.update(changes)
    return {k: v for k, v in out.items() if v is not None}


def auth(**config: Any) -> OidcAuthenticator:
    base: dict[str, Any] = {
        "issuer_url": ISSUER,
        "client_id": "kube",
        "keys": KeySet([KEY.public_key()]),
        "username_prefix": username_prefix(ISSUER, config.get("username_claim", "sub"), config.pop("prefix_flag", "")),
        "groups_claim": "groups",
    }
    return OidcAuthenticator(OidcConfig(**{**base, **config}), Clock())


def ask(token: str, authenticator: OidcAuthenticator | None = None) -> Authenticated | None:
    return asyncio.run((authenticator or auth()).authenticate_token(token, ()))


def test_a_token_is_its_prefixed_subject_and_groups() -> None:
    answer = ask(SIGN(claims(jti="j-1")))
    assert answer is not None and answer.member == "oidc"
    assert (answer.user.name, answer.user.groups) == ("https://idp.example#alice", ("dev",))
    assert dict(answer.user.extra) == {"authentication.kubernetes.io/credential-id": ("JTI=j-1",)}


@pytest.mark.parametrize(
    ("flag", "claim", "prefix"),
    [("", "sub", "https://idp.example#"), ("", "email", ""), ("-", "sub", ""), ("oidc:", "sub", "oidc:")],
)
def test_username_prefix_rule(flag: str, claim: str, prefix: str) -> None:
    assert username_prefix(ISSUER, claim, flag) == prefix


def test_tokens_of_other_issuers_are_not_mine() -> None:
    assert ask(SIGN(claims(iss="https://other.example"))) is None
    assert ask("{not-a-jwt}") is None


V = "oidc: verify token: "
NOT_STRING = "json: cannot unmarshal %s into Go value of type string"


def _tampered() -> str:
    header, _, signature = SIGN(claims()).split(".")
    payload = base64.urlsafe_b64encode(orjson.dumps(claims(sub="root"))).rstrip(b"=").decode()
    return f"{header}.{payload}.{signature}"


@pytest.mark.parametrize(
    ("token", "config", "error"),
    [
        (SIGN(claims(aud=["x"])), {}, V + 'oidc: expected audience "kube" got ["x"]'),
        (SIGN(claims(exp=T - 1)), {}, V + "oidc: token is expired (Token Expiry: 2026-06-01 11:59:59 +0000 UTC)"),
        (SIGN(claims(exp=None)), {}, V + "oidc: token is expired (Token Expiry: 1970-01-01 00:00:00 +0000 UTC)"),
        (
            SIGN(claims(nbf=T + 61)),
            {},
            V + "oidc: current time 2026-06-01 12:00:00 +0000 UTC before the nbf (not before) time: "
            "2026-06-01 12:01:01 +0000 UTC",
        ),
        (
            Signer(ec.generate_private_key(ec.SECP256R1()), ISSUER).sign(claims()),
            {},
            V + 'oidc: id token signed with unsupported algorithm, expected ["RS256"] got "ES256"',
        ),
        (_tampered(), {}, V + "failed to verify signature: failed to verify id token signature"),
        (
            Signer(rsa.generate_private_key(public_exponent=65537, key_size=2048), ISSUER).sign(claims()),
            {},
            V + "failed to verify signature: failed to verify id token signature",  # an unknown key id reads alike
        ),
        (SIGN(claims(sub=None)), {}, 'oidc: parse username claims "sub": claim not present'),
        (SIGN(claims(sub=7)), {}, f'oidc: parse username claims "sub": {NOT_STRING % "number"}'),
        (SIGN(claims(email="a@x", email_verified=False)), {"username_claim": "email"}, "oidc: email not verified"),
        (
            SIGN(claims(email="a@x", email_verified="true")),
            {"username_claim": "email"},
            "oidc: parse 'email_verified' claim: json: cannot unmarshal string into Go value of type bool",
        ),
        (SIGN(claims(groups=7)), {}, f'oidc: parse groups claim "groups": {NOT_STRING % "number"}'),
        (SIGN(claims()), {"required_claims": {"hd": "example.com"}}, "oidc: required claim hd not present in ID token"),
        (
            SIGN(claims(hd="other.com")),
            {"required_claims": {"hd": "example.com"}},
            "oidc: required claim hd value does not match. Got = other.com, want = example.com",
        ),
    ],
)  # fmt: skip
def test_rejections(token: str, config: dict[str, Any], error: str) -> None:
    with pytest.raises(AuthenticationError) as caught:
        ask(token, auth(**config))
    assert str(caught.value) == error


def test_email_usernames_and_a_single_group_string() -> None:
    answer = ask(
        SIGN(claims(email="a@x", email_verified=True, groups="ops")),
        auth(username_claim="email", groups_prefix="oidc:"),
    )
    assert answer is not None and (answer.user.name, answer.user.groups) == ("a@x", ("oidc:ops",))


def test_unsupported_signing_algorithms_stop_start_up() -> None:
    with pytest.raises(ValueError, match='oidc: unsupported signing alg: "HS256"'):
        auth(signing_algs=("HS256",))


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"oidc_issuer_url": ISSUER}, "oidc-issuer-url and oidc-client-id must be specified together"),
        ({"oidc_groups_claim": "groups"}, "oidc-issuer-url and oidc-client-id must be specified together"),
        (
            {"oidc_issuer_url": "http://idp.example", "oidc_client_id": "kube"},
            'jwt[0].issuer.url: Invalid value: "http://idp.example": URL scheme must be https',
        ),
    ],
)
def test_flags_that_cannot_work_stop_start_up(tmp_path: Any, fields: dict[str, Any], error: str) -> None:
    ctx = SimpleNamespace(config=ServerConfig(state_dir=tmp_path, **fields), clock=Clock())
    with pytest.raises(ValueError) as caught:
        oidc_authenticator(ctx)  # type: ignore[arg-type]
    assert error in str(caught.value)


def test_no_oidc_flags_no_authenticator(tmp_path: Any) -> None:
    assert oidc_authenticator(SimpleNamespace(config=ServerConfig(state_dir=tmp_path), clock=Clock())) is None  # type: ignore[arg-type]


class Discovery:
    """An issuer's discovery document and JWKS, as the webhook client fetches them."""

    def __init__(self, issuer: str = ISSUER, max_age: int = 0) -> None:
        self.keys: list[PublicKey] = [KEY.public_key()]
        self.issuer = issuer
        self.max_age = max_age
        self.fetched: list[str] = []

    async def get(self, url: str, *, ssl_context: Any, timeout: float) -> tuple[int, bytes, dict[str, str]]:
        self.fetched.append(url)
        if url == ISSUER + "/.well-known/openid-configuration":
            return 200, orjson.dumps({"issuer": self.issuer, "jwks_uri": ISSUER + "/keys"}), {}
        headers = {"Cache-Control": f"public, max-age={self.max_age}"} if self.max_age else {}
        return 200, orjson.dumps(KeySet(self.keys).jwks()), headers

    async def post(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        raise AssertionError("discovery only GETs")


def discovered(client: Discovery) -> OidcAuthenticator:
    keys = DiscoveredKeys(ISSUER, client, ssl.create_default_context(), Clock())
    return auth(keys=keys)


def test_keys_found_through_discovery_and_refetched_for_a_new_key() -> None:
    client = Discovery()
    authenticator = discovered(client)
    assert ask(SIGN(claims()), authenticator) is not None
    assert client.fetched == [ISSUER + "/.well-known/openid-configuration", ISSUER + "/keys"]
    rotated = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    client.keys.append(rotated.public_key())
    assert ask(Signer(rotated, ISSUER).sign(claims()), authenticator) is not None  # unknown key: keys refetched
    assert client.fetched[-1] == ISSUER + "/keys" and len(client.fetched) == 3


def test_keys_within_their_max_age_are_not_refetched() -> None:
    client = Discovery(max_age=3600)
    authenticator = discovered(client)
    assert ask(SIGN(claims()), authenticator) is not None
    stranger = Signer(rsa.generate_private_key(public_exponent=65537, key_size=2048), ISSUER).sign(claims())
    with pytest.raises(AuthenticationError, match="failed to verify id token signature"):
        ask(stranger, authenticator)
    assert len(client.fetched) == 2


def test_a_discovery_document_for_another_issuer_leaves_the_authenticator_uninitialized() -> None:
    with pytest.raises(AuthenticationError) as caught:
        ask(SIGN(claims()), discovered(Discovery(issuer="https://evil.example")))
    assert str(caught.value) == (
        "oidc: authenticator not initialized (oidc: issuer did not match the issuer returned by provider, expected "
        '"https://idp.example" got "https://evil.example")'
    )


@pytest.mark.parametrize(
    "jwks",
    [
        {"keys": [{"kty": "oct", "k": "c2VjcmV0"}]},  # a symmetric key is no issuer's public key
        {"keys": []},
        {"nope": 1},
        [],
    ],
)
def test_a_key_set_without_public_keys_is_refused(jwks: Any) -> None:
    with pytest.raises(ValueError):
        keys_of_jwks(jwks)


def test_a_key_set_keeps_its_rsa_and_ec_keys_only() -> None:
    mixed = {"keys": [*KeySet([KEY.public_key()]).jwks()["keys"], {"kty": "oct", "k": "c2VjcmV0"}]}
    assert len(keys_of_jwks(mixed)) == 1


def test_keys_that_cannot_be_refetched_read_as_a_signature_failure() -> None:
    class Failing(Discovery):
        async def get(self, url: str, *, ssl_context: Any, timeout: float) -> tuple[int, bytes, dict[str, str]]:
            if url.endswith("/keys") and any(u.endswith("/keys") for u in self.fetched):  # up only the first time
                self.fetched.append(url)
                return 503, b"down", {}
            return await super().get(url, ssl_context=ssl_context, timeout=timeout)

    authenticator = discovered(Failing())
    stranger = Signer(rsa.generate_private_key(public_exponent=65537, key_size=2048), ISSUER).sign(claims())
    with pytest.raises(AuthenticationError) as caught:
        ask(stranger, authenticator)
    assert str(caught.value) == "oidc: verify token: failed to verify signature: fetching keys 503: down"

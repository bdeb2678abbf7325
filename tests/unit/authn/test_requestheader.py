"""The authenticating proxy: the proxy's certificate checked as request/x509's Verifier checks it, then the
user read from its headers as requestheader.go reads them."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from certs_for_tests import NOW, ca, leaf
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import ExtendedKeyUsageOID
from multidict import CIMultiDict

from mockapi.api.authentication import Authenticated, AuthenticationError, Credentials
from mockapi.authn.requestheader import RequestHeaderAuthenticator, RequestHeaderConfig
from mockapi.authn.x509 import X509Authenticator

PROXY_CA, CLIENT_CA = ca("front-proxy-ca"), ca("cluster-ca")
CONFIG = RequestHeaderConfig(
    client_cas=(PROXY_CA[0],),
    allowed_names=("front-proxy-client",),
    username_headers=("X-Remote-User",),
    uid_headers=("X-Remote-Uid",),
    group_headers=("X-Remote-Group",),
    extra_prefixes=("X-Remote-Extra-",),
)


class Clock:
    def now(self) -> dt.datetime:
        return NOW

    def monotonic(self) -> float:
        return 0.0


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def ask(
    cert: x509.Certificate | None, *headers: tuple[str, str], config: RequestHeaderConfig = CONFIG
) -> Authenticated | None:
    creds = Credentials(peer_certificate=der(cert) if cert else None, headers=CIMultiDict(headers))
    return asyncio.run(RequestHeaderAuthenticator(config, Clock()).authenticate(creds))


PROXY = leaf(PROXY_CA, "front-proxy-client")


def test_the_proxys_headers_name_the_user() -> None:
    answer = ask(
        PROXY,
        ("X-Remote-User", "alice"),
        ("X-Remote-Uid", "u-1"),
        ("X-Remote-Group", "dev"),
        ("X-Remote-Group", " "),  # blank values are left out
        ("x-remote-group", "ops"),
        ("X-Remote-Extra-Scopes", "a"),
        ("X-Remote-Extra-scopes", "b"),
        ("X-Remote-Extra-Example.com%2Fteam", "x"),
    )
    assert answer is not None and answer.member == "requestheader"
    user = answer.user
    assert (user.name, user.uid, user.groups) == ("alice", "u-1", ("dev", "ops"))
    assert dict(user.extra) == {"scopes": ("a", "b"), "example.com/team": ("x",)}


@pytest.mark.parametrize(
    ("cert", "error"),
    [
        (leaf(CLIENT_CA, "front-proxy-client"), "x509: certificate signed by unknown authority"),
        (leaf(PROXY_CA, "someone-else"), "x509: subject with cn=someone-else is not in the allowed list"),
        (
            leaf(PROXY_CA, "front-proxy-client", usages=(ExtendedKeyUsageOID.SERVER_AUTH,)),
            "x509: certificate specifies an incompatible key usage",
        ),
        (
            leaf(PROXY_CA, "front-proxy-client", not_after=NOW - dt.timedelta(hours=1)),
            "x509: certificate has expired or is not yet valid: current time 2026-06-01T00:00:00Z is after "
            "2026-05-31T23:00:00Z",
        ),
    ],
)
def test_a_certificate_that_does_not_verify_is_an_error(cert: x509.Certificate, error: str) -> None:
    with pytest.raises(AuthenticationError) as caught:
        ask(cert, ("X-Remote-User", "alice"))
    assert str(caught.value) == error


def test_no_username_header_or_no_certificate_is_not_mine() -> None:
    assert ask(PROXY, ("X-Remote-Group", "dev")) is None
    assert ask(PROXY, ("X-Remote-User", "")) is None
    assert ask(None, ("X-Remote-User", "alice")) is None


def test_any_name_from_the_ca_when_no_names_are_listed() -> None:
    config = RequestHeaderConfig(client_cas=(PROXY_CA[0],), username_headers=("X-User", "X-Remote-User"))
    answer = ask(leaf(PROXY_CA, "anything"), ("X-Remote-User", "bob"), config=config)
    assert answer is not None and answer.user.name == "bob" and answer.user.groups == ()


def test_client_certificates_from_the_proxy_ca_are_not_users() -> None:
    x509_auth = X509Authenticator(Clock(), (CLIENT_CA[0],), issuer_required=True)
    with pytest.raises(AuthenticationError, match="failed: x509: certificate signed by unknown authority"):
        asyncio.run(x509_auth.authenticate(Credentials(peer_certificate=der(PROXY))))
    answer = asyncio.run(x509_auth.authenticate(Credentials(peer_certificate=der(leaf(CLIENT_CA, "jane")))))
    assert answer is not None and answer.user.name == "jane"

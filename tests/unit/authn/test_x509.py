"""The X.509 authenticator: identity from the subject, credential id, and the validity period it checks
(the TLS layer leaves time to it, so an expired certificate is a 401 and not a handshake alert)."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from mockapi.api.authentication import Authenticated, AuthenticationError, Credentials
from mockapi.authn.x509 import X509Authenticator

NOT_BEFORE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
NOT_AFTER = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self._now = now

    def now(self) -> dt.datetime:
        return self._now

    def monotonic(self) -> float:
        return 0.0


def certificate(cn: str, orgs: tuple[str, ...] = ()) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, o) for o in orgs]
    if cn:
        names.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(names))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ca")]))
        .public_key(key.public_key())
        .serial_number(4242)
        .not_valid_before(NOT_BEFORE)
        .not_valid_after(NOT_AFTER)
        .add_extension(x509.SubjectKeyIdentifier(b"\x01\xab\xff"), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier(
                key_identifier=b"\x0f\x10", authority_cert_issuer=None, authority_cert_serial_number=None
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.DER)


def authenticate(der: bytes, now: dt.datetime) -> Authenticated | None:
    return asyncio.run(X509Authenticator(Clock(now)).authenticate(Credentials(peer_certificate=der)))


def test_subject_gives_user_groups_and_credential_id() -> None:
    der = certificate("jane", ("dev", "ops"))
    answer = authenticate(der, dt.datetime(2026, 1, 15, tzinfo=dt.UTC))
    assert answer is not None
    assert (answer.user.name, answer.user.groups, answer.member) == ("jane", ("dev", "ops"), "x509")
    assert dict(answer.user.extra) == {
        "authentication.kubernetes.io/credential-id": ("X509SHA256=" + hashlib.sha256(der).hexdigest(),)
    }


@pytest.mark.parametrize(
    ("now", "detail"),
    [
        (
            dt.datetime(2026, 3, 1, 12, 0, 5, tzinfo=dt.UTC),
            "current time 2026-03-01T12:00:05Z is after 2026-02-01T00:00:00Z",
        ),
        (dt.datetime(2025, 12, 31, tzinfo=dt.UTC), "current time 2025-12-31T00:00:00Z is before 2026-01-01T00:00:00Z"),
    ],
)
def test_outside_its_validity_period_a_certificate_is_rejected_with_gos_words(now: dt.datetime, detail: str) -> None:
    with pytest.raises(AuthenticationError) as caught:
        authenticate(certificate("jane"), now)
    assert str(caught.value) == (
        "verifying certificate SN=4242, SKID=01:AB:FF, AKID=0F:10 failed: "
        f"x509: certificate has expired or is not yet valid: {detail}"
    )


def test_an_empty_common_name_is_not_mine_but_an_expired_one_is_still_rejected() -> None:
    assert authenticate(certificate("", ("dev",)), dt.datetime(2026, 1, 15, tzinfo=dt.UTC)) is None
    with pytest.raises(AuthenticationError):
        authenticate(certificate("", ("dev",)), dt.datetime(2027, 1, 1, tzinfo=dt.UTC))


def test_no_certificate_is_not_mine() -> None:
    assert asyncio.run(X509Authenticator(Clock(NOT_BEFORE)).authenticate(Credentials())) is None

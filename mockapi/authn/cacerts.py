"""Client certificates checked against CA bundles as Go's `x509.Certificate.Verify` checks a leaf: validity
period, then an issuer among the CAs, then the client-auth usage, with Go's error words.

Needed wherever the TLS handshake cannot decide alone: validity periods are always left to the
authenticators (see `pki.tls`), and once the request-header CA is trusted too, each authenticator must see
that a certificate comes from its own CA. Python 3.11's `ssl` hands over only the leaf, so the leaf must be
issued directly by a CA of the bundle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.x509.oid import ExtendedKeyUsageOID

UNKNOWN_AUTHORITY = "x509: certificate signed by unknown authority"
INCOMPATIBLE_USAGE = "x509: certificate specifies an incompatible key usage"


def load_bundle(path: Path, flag: str) -> tuple[x509.Certificate, ...]:
    """The certificates of a PEM bundle; ValueError naming the flag and file when there are none."""
    try:
        certs = x509.load_pem_x509_certificates(path.read_bytes())
    except OSError as exc:
        raise ValueError(f"{flag} {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise ValueError(f"{flag} {path}: no certificates: {exc}") from None
    return tuple(certs)


@lru_cache(maxsize=1024)
def parse_der(der: bytes) -> x509.Certificate:
    """A peer certificate, parsed once: a keep-alive client presents the same one on every request."""
    return x509.load_der_x509_certificate(der)


def validity_error(cert: x509.Certificate, now: datetime) -> str:
    """crypto/x509's CertificateInvalidError for Expired, with its RFC 3339 times; "" inside the period."""
    return _expiry(cert.not_valid_before_utc, cert.not_valid_after_utc, now)


def _expiry(not_before: datetime, not_after: datetime, now: datetime) -> str:
    if now > not_after:
        detail = f"current time {_rfc3339(now)} is after {_rfc3339(not_after)}"
    elif now < not_before:
        detail = f"current time {_rfc3339(now)} is before {_rfc3339(not_before)}"
    else:
        return ""
    return f"x509: certificate has expired or is not yet valid: {detail}"


@dataclass(frozen=True, slots=True)
class _Checked:
    """What does not change between requests presenting a certificate: its period, its issuer's, its usage."""

    periods: tuple[tuple[datetime, datetime], ...]
    """The certificate's validity period, then its issuer's when an issuer among the CAs was found."""
    issuer_found: bool
    usage_error: str


def issued_by(
    cert: x509.Certificate, cas: tuple[x509.Certificate, ...], now: datetime, *, required: bool = True
) -> str:
    """Why `cert` does not verify against `cas` for client authentication ("" when it does): its validity, the
    validity of the CA that issued it, and, when `required`, that one of `cas` did (otherwise the handshake
    verified a chain through an intermediate this cannot see)."""
    checked = _checked(cert, cas)
    expired = _expiry(*checked.periods[0], now)
    if expired:
        return expired
    if not checked.issuer_found:
        if required:
            return UNKNOWN_AUTHORITY
    else:
        expired = _expiry(*checked.periods[1], now)
        if expired:
            return expired
    return checked.usage_error


@lru_cache(maxsize=1024)
def _checked(cert: x509.Certificate, cas: tuple[x509.Certificate, ...]) -> _Checked:
    """Remembered per certificate: a signature check per request would cost more than the rest of
    authentication, and a keep-alive client presents the same certificate every time."""
    periods = [(cert.not_valid_before_utc, cert.not_valid_after_utc)]
    issuer = next((ca for ca in cas if _signed_by(cert, ca)), None)
    if issuer is not None:
        periods.append((issuer.not_valid_before_utc, issuer.not_valid_after_utc))
    try:
        usages = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        usage_error = ""  # no extended key usage: Go allows any
    except ValueError as exc:  # an extension OpenSSL let through but cannot be read
        usage_error = f"x509: {exc}"
    else:
        allowed = ExtendedKeyUsageOID.CLIENT_AUTH in usages or ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE in usages
        usage_error = "" if allowed else INCOMPATIBLE_USAGE
    return _Checked(tuple(periods), issuer is not None, usage_error)


def _signed_by(cert: x509.Certificate, ca: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(ca)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def _rfc3339(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")

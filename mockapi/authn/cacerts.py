"""Client certificates checked against CA bundles as Go's `x509.Certificate.Verify` checks a leaf: validity
period, then an issuer among the CAs, then the client-auth usage, with Go's error words.

Needed wherever the TLS handshake cannot decide alone: validity periods are always left to the
authenticators (see `pki.tls`), and once the request-header CA is trusted too, each authenticator must see
that a certificate comes from its own CA. Python 3.11's `ssl` hands over only the leaf, so the leaf must be
issued directly by a CA of the bundle.
"""

from __future__ import annotations

from datetime import datetime
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


def validity_error(cert: x509.Certificate, now: datetime) -> str:
    """crypto/x509's CertificateInvalidError for Expired, with its RFC 3339 times; "" inside the period."""
    if now > cert.not_valid_after_utc:
        detail = f"current time {_rfc3339(now)} is after {_rfc3339(cert.not_valid_after_utc)}"
    elif now < cert.not_valid_before_utc:
        detail = f"current time {_rfc3339(now)} is before {_rfc3339(cert.not_valid_before_utc)}"
    else:
        return ""
    return f"x509: certificate has expired or is not yet valid: {detail}"


def issued_by(
    cert: x509.Certificate, cas: tuple[x509.Certificate, ...], now: datetime, *, required: bool = True
) -> str:
    """Why `cert` does not verify against `cas` for client authentication ("" when it does): its validity, the
    validity of the CA that issued it, and, when `required`, that one of `cas` did (otherwise the handshake
    verified a chain through an intermediate this cannot see)."""
    expired = validity_error(cert, now)
    if expired:
        return expired
    issuer = next((ca for ca in cas if _signed_by(cert, ca)), None)
    if issuer is None:
        if required:
            return UNKNOWN_AUTHORITY
    else:
        expired = validity_error(issuer, now)
        if expired:
            return expired
    try:
        usages = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return ""  # no extended key usage: Go allows any
    except ValueError as exc:  # an extension OpenSSL let through but cannot be read
        return f"x509: {exc}"
    if ExtendedKeyUsageOID.CLIENT_AUTH not in usages and ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE not in usages:
        return INCOMPATIBLE_USAGE
    return ""


def _signed_by(cert: x509.Certificate, ca: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(ca)
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm):
        return False
    return True


def _rfc3339(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")

"""Keys and X.509 certificates: building the CA and leaves, loading and checking PEM files, identities.

Certificates follow what Go's crypto/x509 (kubectl, client-go) and OpenSSL's strict mode expect:
the CA has critical BasicConstraints CA=true, critical KeyUsage keyCertSign|cRLSign|digitalSignature
and a SubjectKeyIdentifier; leaves have critical BasicConstraints CA=false, critical KeyUsage
digitalSignature (no keyEncipherment: the keys are ECDSA), one ExtendedKeyUsage, an
AuthorityKeyIdentifier and a not-before 5 minutes in the past to tolerate clock skew.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final, TypeAlias

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

SigningKey: TypeAlias = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
"""Private key types mockapi signs with (ECDSA for certificates, RSA for service-account tokens)."""

CA_DAYS: Final = 3650
BACKDATE: Final = dt.timedelta(minutes=5)
RENEW_BEFORE: Final = dt.timedelta(days=7)
"""A leaf expiring within this window is not reused."""
_CN_MAX: Final = 64  # RFC 5280 ub-common-name; Go and OpenSSL accept longer, Kubernetes user names need it


class PkiError(RuntimeError):
    """The state directory holds PKI material that cannot be used (unreadable, mismatched, expired)."""


def new_ec_key() -> ec.EllipticCurvePrivateKey:
    """A fresh ECDSA P-256 key (about 0.1 ms; RSA 2048 takes tens of ms)."""
    return ec.generate_private_key(ec.SECP256R1())


def make_ca(key: SigningKey, cn: str = "mockapi-ca") -> x509.Certificate:
    """A self-signed CA certificate for ``key``, valid for :data:`CA_DAYS`."""
    name = make_name(cn)
    now = _now()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + dt.timedelta(days=CA_DAYS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def issue_leaf(
    ca_cert: x509.Certificate,
    ca_key: SigningKey,
    key: ec.EllipticCurvePrivateKey,
    subject: x509.Name,
    *,
    days: int,
    usage: x509.ObjectIdentifier,
    sans: Iterable[x509.GeneralName] = (),
) -> x509.Certificate:
    """A certificate for ``key`` signed by the CA, with one extended key usage and optional SANs."""
    now = _now()
    try:
        ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
        aki = x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)
    except x509.ExtensionNotFound:  # a user-supplied CA without SKI
        aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key())
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(min(now + dt.timedelta(days=days), ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(aki, critical=False)
    )
    if sans := list(sans):
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    return builder.sign(ca_key, hashes.SHA256())


def make_name(cn: str, orgs: Sequence[str] = ()) -> x509.Name:
    """Subject ``O=<org>...,CN=<cn>``; Go reads the O values back in this order."""
    attrs = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, o) for o in orgs]
    with warnings.catch_warnings():  # long CNs (service-account user names) are fine for Go and OpenSSL
        warnings.simplefilter("ignore")
        attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, cn, _validate=len(cn) <= _CN_MAX))
    return x509.Name(attrs)


def parse_sans(values: Iterable[str]) -> list[x509.GeneralName]:
    """IP addresses (``[::1]`` brackets allowed) and DNS names (lower-cased), deduplicated, in order."""
    out: list[x509.GeneralName] = []
    for raw in values:
        value = raw.strip()
        name: x509.GeneralName
        try:
            name = x509.IPAddress(ipaddress.ip_address(value.removeprefix("[").removesuffix("]")))
        except ValueError:
            if not value or any(c.isspace() or c in "/:@[]" for c in value):
                raise ValueError(f"invalid SAN {raw!r}: want an IP address or a DNS name") from None
            name = x509.DNSName(value.lower().rstrip("."))
        if name not in out:
            out.append(name)
    return out


def load_ca(cert_path: Path, key_path: Path) -> tuple[x509.Certificate, SigningKey]:
    """Load and check the CA pair; any problem is a :class:`PkiError` that names the file."""
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    except OSError as e:
        raise PkiError(f"cannot read CA certificate {cert_path}: {e.strerror or e}") from e
    except ValueError as e:
        raise PkiError(f"{cert_path} is not a PEM certificate: {e}") from e
    key = load_key(key_path, "CA private key")
    if cert.public_key() != key.public_key():
        raise PkiError(
            f"{key_path} does not match {cert_path}; restore the matching pair, "
            "or delete both (and everything issued from them) to start a new CA"
        )
    try:
        is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    if not is_ca:
        raise PkiError(f"{cert_path} is not a CA certificate (no BasicConstraints CA=true)")
    if cert.not_valid_after_utc <= _now():
        raise PkiError(f"CA certificate {cert_path} expired on {cert.not_valid_after_utc:%Y-%m-%d}")
    return cert, key


def load_key(path: Path, what: str) -> SigningKey:
    """Load an unencrypted PEM ECDSA or RSA private key, or raise :class:`PkiError`."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise PkiError(f"cannot read {what} {path}: {e.strerror or e}") from e
    try:
        return load_key_bytes(data)
    except PkiError as e:
        raise PkiError(f"{what} {path}: {e}") from e


def load_key_bytes(data: bytes) -> SigningKey:
    """Like :func:`load_key`, from PEM bytes."""
    try:
        # The keys come from our own state directory, so skip RSA's consistency check (~60 ms each).
        key = serialization.load_pem_private_key(data, password=None, unsafe_skip_rsa_key_validation=True)
    except (ValueError, TypeError) as e:  # TypeError: the key is encrypted
        raise PkiError(f"not an unencrypted PEM private key ({e})") from e
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise PkiError(f"unsupported key type {type(key).__name__} (want ECDSA or RSA)")
    return key


def leaf_problem(cert: x509.Certificate, key: SigningKey, ca_cert: x509.Certificate) -> str | None:
    """Why ``cert``/``key`` must not be reused with this CA, or ``None`` when they can be."""
    if cert.public_key() != key.public_key():
        return "certificate does not match its key"
    try:
        cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, InvalidSignature):
        return "not issued by the current CA"
    if cert.not_valid_after_utc - RENEW_BEFORE <= _now():
        return f"expires on {cert.not_valid_after_utc:%Y-%m-%d}"
    return None


def peer_identity(cert_der: bytes) -> tuple[str, tuple[str, ...]]:
    """``(CN, O values in order)`` of a DER certificate: the X.509 authenticator's user and groups.

    Like Go's ``pkix.Name``, the last CN wins; a certificate without CN gives ``""``.
    """
    with warnings.catch_warnings():  # cryptography warns about CNs over 64 characters
        warnings.simplefilter("ignore", UserWarning)
        subject = x509.load_der_x509_certificate(cert_der).subject
    cns = [_attr_str(a.value) for a in subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    orgs = tuple(_attr_str(a.value) for a in subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME))
    return (cns[-1] if cns else ""), orgs


def cert_pem(cert: x509.Certificate) -> bytes:
    """PEM encoding of ``cert``."""
    return cert.public_bytes(serialization.Encoding.PEM)


def key_pem(key: SigningKey) -> bytes:
    """Unencrypted PKCS8 PEM (``BEGIN PRIVATE KEY``) of ``key``; Go and OpenSSL read it for EC and RSA."""
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def public_key_pem(key: SigningKey) -> bytes:
    """SubjectPublicKeyInfo PEM (``BEGIN PUBLIC KEY``) of ``key``'s public half."""
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _attr_str(value: str | bytes) -> str:
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)

"""X.509 client certificates (request/x509/x509.go): CN is the user name, each O a group, and since 1.32 the
extra `authentication.kubernetes.io/credential-id` names the certificate (`X509SHA256=<hex of its DER>`).

The TLS layer has verified the chain but not the validity period (it is told not to:
`pki.tls.X509_V_FLAG_NO_CHECK_TIME`), so an expired or not yet valid certificate is refused here, with Go's
verification error, and the request gets kube-apiserver's 401 instead of a handshake alert. When the
handshake also trusts the request-header CA, the issuer is checked here too (`authn.cacerts`). Only the leaf
is checked: Python 3.11's `ssl` does not hand over the verified chain.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from cryptography import x509
from cryptography.x509.oid import NameOID

from mockapi.api.serviceaccounts import CREDENTIAL_ID
from mockapi.api.stages import Clock
from mockapi.api.types import Extra, UserInfo
from mockapi.authn.cacerts import issued_by, parse_der
from mockapi.authn.interface import Authenticated, AuthenticationError, Credentials


class X509Authenticator:
    name = "x509"

    def __init__(
        self, clock: Clock, client_cas: tuple[x509.Certificate, ...] = (), *, issuer_required: bool = False
    ) -> None:
        """`client_cas`: the client CA bundle, whose issuing CA's validity is checked too;
        `issuer_required`: the leaf must be issued by one of them, as once the handshake also trusts another CA
        (the request-header CA); otherwise the handshake verified the chain against the client CA alone."""
        self.clock = clock
        self.client_cas = client_cas
        self.issuer_required = issuer_required

    async def authenticate(self, creds: Credentials) -> Authenticated | None:
        if creds.peer_certificate is None:
            return None
        cert = _parsed(creds.peer_certificate)
        now = self.clock.now()
        problem = issued_by(cert.cert, self.client_cas, now, required=self.issuer_required)
        if problem:
            raise AuthenticationError(f"verifying certificate {cert.identifier} failed: {problem}")
        if cert.user is None:
            return None  # an empty CN is not this authenticator's (CommonNameUserConversion)
        return cert.user


@dataclass(frozen=True, slots=True)
class _Certificate:
    cert: x509.Certificate
    identifier: str
    """certificateIdentifier: `SN=<decimal>, SKID=<AB:CD:..>, AKID=<..>`."""
    user: Authenticated | None


@lru_cache(maxsize=1024)
def _parsed(der: bytes) -> _Certificate:
    """Parsing is the costly part and a keep-alive connection presents the same certificate every time."""
    try:
        cert = parse_der(der)
    except ValueError as exc:
        raise AuthenticationError(f"x509: malformed certificate: {exc}") from None
    identifier = f"SN={cert.serial_number}, SKID={_hex(_skid(cert))}, AKID={_hex(_akid(cert))}"
    cn = [a.value for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    user = None
    if cn and cn[-1]:  # pkix.Name.CommonName: the last CN
        groups = tuple(str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME))
        extra = Extra({CREDENTIAL_ID: ("X509SHA256=" + hashlib.sha256(der).hexdigest(),)})
        user = Authenticated(UserInfo(name=str(cn[-1]), groups=groups, extra=extra), "x509")
    return _Certificate(cert, identifier, user)


def _skid(cert: x509.Certificate) -> bytes:
    try:
        return cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    except (x509.ExtensionNotFound, ValueError):  # absent, or unreadable: named without it
        return b""


def _akid(cert: x509.Certificate) -> bytes:
    try:
        found = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
    except (x509.ExtensionNotFound, ValueError):
        return b""
    return found or b""


def _hex(data: bytes) -> str:
    """columnSeparatedHex: upper-case hex, a colon between bytes."""
    return ":".join(f"{b:02X}" for b in data)

"""X.509 client certificates: CN is the user name, each O a group (request/x509/x509.go CommonNameUserConversion).

The TLS layer has already verified the chain against the client CA, so a present certificate is trusted here.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography import x509
from cryptography.x509.oid import NameOID

from mockapi.api.types import UserInfo
from mockapi.authn.interface import Authenticated, AuthenticationError, Credentials


class X509Authenticator:
    name = "x509"

    async def authenticate(self, creds: Credentials) -> Authenticated | None:
        if creds.peer_certificate is None:
            return None
        return _identity(creds.peer_certificate)


@lru_cache(maxsize=1024)
def _identity(der: bytes) -> Authenticated:
    """Parsing is the costly part and a keep-alive connection presents the same certificate every time."""
    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError as exc:
        raise AuthenticationError(f"x509: malformed certificate: {exc}") from None
    cn = [a.value for a in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    if not cn or not cn[0]:
        raise AuthenticationError('x509: subject with cn="" mapped to empty user')  # x509.go's wording
    groups = tuple(str(a.value) for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME))
    return Authenticated(UserInfo(name=str(cn[0]), groups=groups), "x509")

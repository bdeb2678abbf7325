"""The authenticating proxy (`--requestheader-*`, request/headerrequest/requestheader.go behind request/x509's
Verifier): a client certificate from the request-header CA, with a CN among `--requestheader-allowed-names`
when that is set, vouches for the user named in the proxy's headers.

Upstream verifies the certificate first (an error when it does not chain to the request-header CA, or its
CN is not allowed: the union goes on, so an ordinary client certificate still reaches the X.509
authenticator), then reads the headers: the first non-empty username header, else "not mine"; the first
non-empty uid header; every non-blank value of every group header; every header under an extra prefix, its
key lower-cased and path-unescaped. Python's `ssl` hands over only the leaf, so the leaf must be issued
directly by a request-header CA (an intermediate between them is not followed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cryptography import x509
from cryptography.x509.oid import NameOID

from mockapi.api.golang import extra_key, header_text
from mockapi.api.stages import Clock
from mockapi.api.types import UserInfo
from mockapi.authn.cacerts import issued_by, parse_der
from mockapi.authn.interface import Authenticated, AuthenticationError, Credentials


@dataclass(frozen=True, slots=True)
class RequestHeaderConfig:
    client_cas: tuple[x509.Certificate, ...]
    allowed_names: tuple[str, ...] = ()
    username_headers: tuple[str, ...] = ()
    uid_headers: tuple[str, ...] = ()
    group_headers: tuple[str, ...] = ()
    extra_prefixes: tuple[str, ...] = ()


class RequestHeaderAuthenticator:
    name = "requestheader"

    def __init__(self, config: RequestHeaderConfig, clock: Clock) -> None:
        self.config = config
        self.clock = clock

    async def authenticate(self, creds: Credentials) -> Authenticated | None:
        if creds.peer_certificate is None:
            return None
        try:
            cert = parse_der(creds.peer_certificate)
        except ValueError as exc:
            raise AuthenticationError(f"x509: malformed certificate: {exc}") from None
        problem = issued_by(cert, self.config.client_cas, self.clock.now())
        if problem:
            raise AuthenticationError(problem)
        allowed = self.config.allowed_names
        if allowed:
            names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
            cn = str(names[-1].value) if names else ""  # pkix.Name.CommonName: the last CN
            if cn not in allowed:
                raise AuthenticationError(f"x509: subject with cn={cn} is not in the allowed list")
        return self.from_headers(creds.headers)

    def from_headers(self, headers: Mapping[str, str]) -> Authenticated | None:
        name = _first_value(headers, self.config.username_headers)
        if not name:
            return None
        uid = _first_value(headers, self.config.uid_headers)
        groups = tuple(_all_values(headers, self.config.group_headers))
        extra: dict[str, tuple[str, ...]] = {}
        for prefix in self.config.extra_prefixes:
            lowered_prefix = prefix.lower()
            for key, value in headers.items():  # a multidict lists a repeated header once per value
                if key.lower().startswith(lowered_prefix):
                    k = extra_key(header_text(key[len(prefix) :]).lower())
                    extra[k] = (*extra.get(k, ()), header_text(value))
        return Authenticated(UserInfo(name=name, uid=uid, groups=groups, extra=extra), self.name)


def _values(headers: Mapping[str, str], name: str) -> list[str]:
    getall = getattr(headers, "getall", None)  # aiohttp's multidict keeps every value of a repeated header
    if getall is not None:
        return [header_text(v) for v in getall(name, [])]
    value = headers.get(name)
    return [] if value is None else [header_text(value)]


def _first_value(headers: Mapping[str, str], names: Sequence[str]) -> str:
    """headerValue: the first value of the first named header that has a non-empty one."""
    for name in names:
        name = name.strip()
        if not name:
            continue
        values = _values(headers, name)
        if values and values[0]:
            return values[0]
    return ""


def _all_values(headers: Mapping[str, str], names: Sequence[str]) -> list[str]:
    """allHeaderValues: every value of every named header, blank ones left out."""
    out: list[str] = []
    for name in names:
        name = name.strip()
        if not name:
            continue
        out.extend(v for v in _values(headers, name) if v.strip())
    return out

"""What authenticators see and implement (k8s.io/apiserver/pkg/authentication/authenticator)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from mockapi.api.types import UserInfo


@dataclass(frozen=True, slots=True)
class Credentials:
    """Everything a request presents that may identify its sender."""

    peer_certificate: bytes | None = None
    """DER of the TLS client certificate, already verified against the client CA by the TLS layer."""
    authorization: str = ""
    """The Authorization header, verbatim."""
    headers: Mapping[str, str] = field(default_factory=dict)
    """All request headers (request-header authentication reads X-Remote-*)."""
    path: str = ""


class AuthenticationError(Exception):
    """The credentials were meant for this authenticator but are not valid; the request gets 401."""


class Authenticator(Protocol):
    name: str

    async def authenticate(self, creds: Credentials) -> UserInfo | None: ...


class TokenAuthenticator(Protocol):
    """Bearer-token authenticators (token file, service accounts, bootstrap, OIDC) implement this."""

    name: str

    async def authenticate_token(self, token: str) -> UserInfo | None: ...

"""What authenticators see and answer (k8s.io/apiserver/pkg/authentication/authenticator).

The Protocols live in the vocabulary so that the web layer, the TokenReview API and the union depend on
them, never on a concrete authenticator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from mockapi.api.types import StageRecord, UserInfo


@dataclass(frozen=True, slots=True)
class Credentials:
    """Everything a request presents that may identify its sender."""

    peer_certificate: bytes | None = None
    """DER of the TLS client certificate, as the TLS layer received it."""
    authorization: str = ""
    """The Authorization header, verbatim."""
    headers: Mapping[str, str] = field(default_factory=dict)
    """All request headers (request-header authentication reads X-Remote-*)."""
    path: str = ""
    audiences: tuple[str, ...] = ()
    """The audiences a token must be valid for (`--api-audiences`, or a TokenReview's spec.audiences)."""


@dataclass(frozen=True, slots=True)
class Authenticated:
    """A successful answer (authenticator.Response): who, which member said so, and for which audiences."""

    user: UserInfo
    member: str
    """The authenticator that accepted the credential: `x509`, `tokenfile`, `serviceaccount`, `anonymous`..."""
    audiences: tuple[str, ...] = ()
    """The audiences the credential was valid for (empty: not audience-bound)."""
    trail: tuple[StageRecord, ...] = ()
    """What the members a union asked before this one answered (not theirs, or rejected and why)."""
    audit_annotations: tuple[tuple[str, str], ...] = ()
    """Annotations for the request's audit event (`authentication.k8s.io/legacy-token`, `.../stale-token`)."""


class AuthenticationError(Exception):
    """The credentials were meant for this authenticator but are not valid; the request gets 401.
    `trail`: what the members of a union answered on the way (see `Authenticated.trail`)."""

    def __init__(self, message: str, trail: tuple[StageRecord, ...] = ()) -> None:
        super().__init__(message)
        self.trail = trail


class NotMine(Exception):
    """The credential is not this authenticator's, and the message says why (`Bootstrap secret ... has expired`):
    the union goes on to the next member as with None, and the reason goes on the trail."""


class Authenticator(Protocol):
    """Answers None (not mine; or raises `NotMine` to say why), an `Authenticated`, or raises
    `AuthenticationError` (mine but invalid)."""

    name: str

    async def authenticate(self, creds: Credentials) -> Authenticated | None: ...


class TokenAuthenticator(Protocol):
    """Bearer-token authenticators (token file, service accounts, bootstrap, OIDC, webhook) implement this."""

    name: str

    async def authenticate_token(self, token: str, audiences: tuple[str, ...]) -> Authenticated | None: ...

"""What authenticators see and implement; the types live in the vocabulary (`mockapi.api.authentication`)
so the web layer and the TokenReview API depend on the Protocol, not on this package."""

from __future__ import annotations

from mockapi.api.authentication import (
    Authenticated,
    AuthenticationError,
    Authenticator,
    Credentials,
    NotMine,
    TokenAuthenticator,
)

__all__ = ["Authenticated", "AuthenticationError", "Authenticator", "Credentials", "NotMine", "TokenAuthenticator"]

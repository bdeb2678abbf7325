"""The anonymous authenticator: system:anonymous in group system:unauthenticated, no uid."""

from __future__ import annotations

from mockapi.api.types import ANONYMOUS_USER, UNAUTHENTICATED_GROUP, UserInfo
from mockapi.authn.interface import Authenticated, Credentials

ANONYMOUS = UserInfo(name=ANONYMOUS_USER, groups=(UNAUTHENTICATED_GROUP,))


class AnonymousAuthenticator:
    name = "anonymous"

    async def authenticate(self, creds: Credentials) -> Authenticated | None:
        return Authenticated(ANONYMOUS, self.name)

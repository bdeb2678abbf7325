"""Service-account issuer discovery (pkg/routes/openidmetadata.go): /.well-known/openid-configuration and
/openid/v1/jwks, so that other parties can verify this server's service-account tokens.

Served only for an https issuer without query or fragment, as upstream; `jwks_uri` is the server's own
address unless `--service-account-jwks-uri` names another. Each path produces one media type, matched as
go-restful matches `Accept` (exactly, or `*/*`): a JWKS asked for as `application/json` is go-restful's
plain-text 406.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import orjson
from aiohttp import web

CONFIGURATION_PATH = "/.well-known/openid-configuration"
JWKS_PATH = "/openid/v1/jwks"
CACHE_CONTROL = "public, max-age=3600"
_JSON, _JWKS = "application/json", "application/jwk-set+json"


def serves_discovery(issuer: str) -> bool:
    parts = urlsplit(issuer)
    return parts.scheme == "https" and not parts.query and not parts.fragment and "?" not in issuer


class IssuerDiscovery:
    def __init__(
        self,
        issuer: str,
        jwks: dict[str, Any],
        algorithms: list[str],
        server_address: Callable[[], str],
        jwks_uri: str = "",
    ) -> None:
        self.issuer = issuer
        self.jwks = orjson.dumps(jwks)
        self.algorithms = algorithms
        self.server_address = server_address
        self.jwks_uri = jwks_uri

    def handles(self, path: str) -> bool:
        return path in (CONFIGURATION_PATH, JWKS_PATH)

    def paths(self) -> list[str]:
        return [CONFIGURATION_PATH, JWKS_PATH]

    def __call__(self, request: web.BaseRequest) -> web.Response:
        if request.path == CONFIGURATION_PATH:
            body, media_type = self._configuration(), _JSON
        else:
            body, media_type = self.jwks, _JWKS
        if not _accepts(request.headers.get("Accept", ""), media_type):
            text = f"406: Not Acceptable\n\nAvailable representations: {media_type}"
            return web.Response(status=406, text=text, content_type="text/plain", charset="utf-8")
        return web.Response(body=body, content_type=media_type, headers={"Cache-Control": CACHE_CONTROL})

    def _configuration(self) -> bytes:
        return orjson.dumps(
            {
                "issuer": self.issuer,
                "jwks_uri": self.jwks_uri or f"https://{self.server_address()}{JWKS_PATH}",
                "response_types_supported": ["id_token"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": self.algorithms,
            }
        )


def _accepts(accept: str, media_type: str) -> bool:
    """go-restful Route.matchesAccept (an absent header accepts anything)."""
    if not accept.strip():
        return True
    for item in accept.split(","):
        wanted = item.split(";", 1)[0].strip()
        if wanted in ("*/*", media_type):
            return True
    return False

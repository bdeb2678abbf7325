"""A small synchronous HTTPS client for tests: one request, client-certificate identity, JSON in and out."""

from __future__ import annotations

import http.client
import json
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from mockapi.pki import client_ssl_context
from mockapi.testing.server import ServerThread


@dataclass(frozen=True)
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class ApiClient:
    """`client.get("/api/v1/namespaces")`; user None means no client certificate (anonymous)."""

    def __init__(
        self, server: ServerThread, user: str | None = "admin", groups: Sequence[str] = ("system:masters",)
    ) -> None:
        assert server.server is not None
        self.context: ssl.SSLContext = client_ssl_context(server.server.components.pki, user, groups)
        parts = urlsplit(server.url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 443

    def request(self, method: str, path: str, body: Any = None, headers: Mapping[str, str] | None = None) -> Reply:
        conn = http.client.HTTPSConnection(self.host, self.port, context=self.context, timeout=30)
        try:
            data: bytes | None = body if body is None or isinstance(body, bytes) else json.dumps(body).encode()
            hdrs = {"Accept": "application/json"}
            if data is not None:
                hdrs["Content-Type"] = "application/json"
            hdrs.update(headers or {})
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            return Reply(resp.status, resp.headers, resp.read())
        finally:
            conn.close()

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> Reply:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, body: Any, headers: Mapping[str, str] | None = None) -> Reply:
        return self.request("POST", path, body, headers)

    def put(self, path: str, body: Any, headers: Mapping[str, str] | None = None) -> Reply:
        return self.request("PUT", path, body, headers)

    def patch(self, path: str, body: Any, content_type: str = "application/merge-patch+json") -> Reply:
        return self.request("PATCH", path, body, {"Content-Type": content_type})

    def delete(self, path: str, body: Any = None) -> Reply:
        return self.request("DELETE", path, body)

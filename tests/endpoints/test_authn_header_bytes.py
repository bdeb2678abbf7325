"""Credential headers carrying bytes that are not UTF-8: a 401 or the request served, never a 500, and the
audit event still written (Go writes such bytes out as U+FFFD)."""

from __future__ import annotations

import json
import socket

import pytest

from mockapi.pki import client_ssl_context
from mockapi.testing.server import ServerThread


def raw_request(server: ServerThread, header_lines: list[bytes], *, admin: bool) -> tuple[int, bytes]:
    assert server.server is not None
    pki = server.server.components.pki
    context = client_ssl_context(pki, "admin", ["system:masters"]) if admin else client_ssl_context(pki, None)
    host, port = server.url.removeprefix("https://").rsplit(":", 1)
    with (
        socket.create_connection((host, int(port)), timeout=10) as sock,
        context.wrap_socket(sock, server_hostname=host) as tls,
    ):
        request = b"GET /api/v1/namespaces/default HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n"
        tls.sendall(request + b"".join(line + b"\r\n" for line in header_lines) + b"Connection: close\r\n\r\n")
        data = b""
        while chunk := tls.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


@pytest.mark.parametrize(
    ("lines", "admin", "code"),
    [
        ([b"Authorization: Bearer \xff\xfe"], False, 401),
        ([b"Authorization: Bearer ey.\xff.x"], False, 401),
        ([b"Authorization: Basic \xff"], False, 200),  # not Bearer: anonymous, as upstream
        ([b"Impersonate-User: \xff"], True, 200),
        ([b"Impersonate-User: bob", b"Impersonate-Group: \xfe", b"Impersonate-Extra-Scopes: \xfe"], True, 200),
    ],
)
def test_no_500_and_an_audit_event(mockapi: ServerThread, lines: list[bytes], admin: bool, code: int) -> None:
    status, body = raw_request(mockapi, lines, admin=admin)
    assert status == code, body
    event = mockapi.audit_events()[-1]
    assert event["requestURI"] == "/api/v1/namespaces/default"
    if b"Impersonate-User: \xff" in lines:
        assert event["impersonatedUser"]["username"] == "\ufffd"
    json.dumps(event)

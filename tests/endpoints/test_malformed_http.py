"""Malformed HTTP and clients that hang up: one quiet log line each, never a traceback, and the server
keeps serving."""

from __future__ import annotations

import logging
import socket
import ssl

import pytest

from mockapi.testing.client import ApiClient
from mockapi.testing.server import ServerThread

RAW_REQUESTS = [
    b"GARBAGE\r\n\r\n",
    b"GET /healthz HTTP/9.9\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"X-Flood: y\r\n" * 200 + b"X-Big: " + b"z" * 70_000 + b"\r\n\r\n",
    b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /again HTTP/1.1\r\n\r\n",
    b'POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"meta',
    b"POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
]


def _send(client: ApiClient, raw: bytes) -> None:
    with (
        socket.create_connection((client.host, client.port), timeout=5) as sock,
        client.context.wrap_socket(sock, server_hostname=client.host) as tls,
    ):
        tls.sendall(raw)
        tls.shutdown(socket.SHUT_WR)
        try:
            while tls.recv(65536):
                pass
        except (OSError, ssl.SSLError):
            pass


@pytest.mark.parametrize("raw", RAW_REQUESTS, ids=range(len(RAW_REQUESTS)))
def test_malformed_http_is_one_quiet_line(mockapi: ServerThread, caplog: pytest.LogCaptureFixture, raw: bytes) -> None:
    client = ApiClient(mockapi)
    with caplog.at_level(logging.DEBUG):
        _send(client, raw)
        assert client.get("/healthz").status == 200
    for record in caplog.records:
        message = record.getMessage()
        assert record.exc_info is None and "Traceback" not in message and "\n" not in message, message
        if record.name.startswith(("mockapi", "aiohttp")):
            assert record.levelno <= logging.INFO, message


def test_a_warning_naming_a_control_character_is_still_sent(mockapi: ServerThread) -> None:
    """An unknown field's name lands in a Warning header: control characters are escaped, not fatal."""
    client = ApiClient(mockapi)
    assert client.post("/api/v1/namespaces/default/configmaps", {"metadata": {"name": "w"}}).status == 201
    reply = client.patch("/api/v1/namespaces/default/configmaps/w", {"\x1f": False, "é": 1})
    assert reply.status == 200
    sent = [w.encode("latin-1").decode() for w in reply.headers.get_all("Warning") or []]  # UTF-8, as Go sends
    assert sent == ['299 - "unknown field \\"\\\\x1f\\""', '299 - "unknown field \\"é\\""']

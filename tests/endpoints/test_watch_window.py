"""Watch through the server, at the edges: resourceVersions before the watch window (410 Expired as the
cacher says it), after the current revision, and a client that stops reading (cut off; writers go on)."""

from __future__ import annotations

import json
import socket
import ssl
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from mockapi.storage import memory
from mockapi.testing.client import ApiClient
from mockapi.testing.server import ServerThread

CMS = "/api/v1/namespaces/default/configmaps"


def window_start(server: ServerThread) -> int:
    assert server.server is not None
    return server.server.components.storage.oldest_rv


def watch_lines(client: ApiClient, query: str, lines: int) -> list[dict[str, object]]:
    """The first `lines` events of a watch (timeoutSeconds bounds it)."""
    reply = client.get(f"{CMS}?watch=true&timeoutSeconds=2&{query}")
    assert reply.status == 200
    return [json.loads(line) for line in reply.body.splitlines()[:lines]]


def test_watch_from_revision_1_is_expired_with_the_cachers_status(mockapi: ServerThread) -> None:
    start = window_start(mockapi)
    [event] = watch_lines(ApiClient(mockapi), "resourceVersion=1", 2)
    assert event == {
        "type": "ERROR",
        "object": {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": f"too old resource version: 1 ({start})",
            "reason": "Expired",
            "code": 410,
        },
    }


@pytest.mark.mockapi_config()  # a dedicated server, never reset
def test_a_fresh_servers_window_starts_after_bootstrap(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    start = window_start(mockapi)
    assert start > 1, "bootstrap wrote namespaces, the kubernetes Service, PriorityClasses"
    [expired] = watch_lines(c, f"resourceVersion={start - 1}", 1)
    assert expired["object"]["message"] == f"too old resource version: {start - 1} ({start})"  # type: ignore[index]
    c.post(CMS, {"metadata": {"name": "after"}})
    [added] = watch_lines(c, f"resourceVersion={start}", 1)
    assert added["type"] == "ADDED" and added["object"]["metadata"]["name"] == "after"  # type: ignore[index]
    exact = c.get(f"{CMS}?resourceVersion=1&resourceVersionMatch=Exact")
    assert (exact.status, exact.json()["reason"]) == (410, "Expired")


def test_watch_from_a_future_revision_waits_for_it(mockapi: ServerThread) -> None:
    """As the cacher without sendInitialEvents: no 504, the stream opens and skips up to that revision."""
    c = ApiClient(mockapi)
    current = int(c.get(f"{CMS}?limit=1").json()["metadata"]["resourceVersion"])
    reply = c.get(f"{CMS}?watch=true&timeoutSeconds=1&resourceVersion={current + 1000}")
    assert (reply.status, reply.body) == (200, b"")


@contextmanager
def stalled_watch(client: ApiClient, query: str) -> Iterator[ssl.SSLSocket]:
    """A watch whose client sends the request and then never reads (a tiny receive buffer, so the
    kernel soaks up little of the stream)."""
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.settimeout(10)
    raw.connect((client.host, client.port))
    conn = client.context.wrap_socket(raw, server_hostname=client.host)
    try:
        request = f"GET {CMS}?watch=true&{query} HTTP/1.1\r\nHost: {client.host}\r\nAccept: application/json\r\n\r\n"
        conn.sendall(request.encode())
        yield conn
    finally:
        conn.close()


def ended(conn: ssl.SSLSocket, within: float) -> bool:
    """Read what is left; True when the server closed the connection, False if it stays open."""
    conn.settimeout(within)
    try:
        while conn.recv(1 << 20):
            pass
    except TimeoutError:
        return False
    except (ConnectionError, ssl.SSLError, OSError):
        pass  # an aborted connection may reset rather than end
    return True


def completed_watches(server: ServerThread, marker: str) -> int:
    return sum(
        1
        for e in server.audit_events()
        if e["verb"] == "watch" and marker in e["requestURI"] and e["stage"] == "ResponseComplete"
    )


def test_stalled_watcher_is_cut_off_and_writers_keep_going(
    mockapi: ServerThread, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(memory, "WATCHER_QUEUE", 2)
    c = ApiClient(mockapi)
    rv = c.get(f"{CMS}?limit=1").json()["metadata"]["resourceVersion"]
    marker = "timeoutSeconds=3599"  # names the stalled watch in the audit log
    blob = "x" * 500_000  # big events fill what loopback and asyncio buffer (a few MB) in a few writes
    with stalled_watch(c, f"resourceVersion={rv}&{marker}") as conn:
        for i in range(200):  # typically about 15: the buffers fill, then WATCHER_QUEUE overflows
            reply = c.post(CMS, {"metadata": {"name": f"big{i}"}, "data": {"blob": blob}})
            assert reply.status == 201, "a stalled watcher never holds up writers"
            if completed_watches(mockapi, marker):
                break
        deadline = time.monotonic() + 10
        while not completed_watches(mockapi, marker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert completed_watches(mockapi, marker) == 1, "the stalled watch's handler ended"
        assert ended(conn, within=10), "and its connection was closed"
    [event] = watch_lines(c, f"resourceVersion={rv}&fieldSelector=metadata.name%3Dbig0", 2)  # still serving
    assert event["type"] == "ADDED" and event["object"]["metadata"]["name"] == "big0"  # type: ignore[index]

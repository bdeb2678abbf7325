"""Watchers of one resource send each event's bytes encoded once (`watch.SharedFrames`): every JSON watcher
gets the same line, a Table watcher still gets its own rows."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import pytest

from mockapi.endpoints import negotiation
from mockapi.endpoints import watch as watch_module
from mockapi.endpoints.negotiation import Representation
from mockapi.testing.client import ApiClient
from mockapi.testing.server import ServerThread

CMS = "/api/v1/namespaces/default/configmaps"
TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"


@contextmanager
def watch(client: ApiClient, query: str, accept: str = "application/json") -> Iterator[http.client.HTTPResponse]:
    conn = http.client.HTTPSConnection(client.host, client.port, context=client.context, timeout=10)
    try:
        conn.request("GET", f"{CMS}?watch=true&{query}", headers={"Accept": accept})
        resp = conn.getresponse()
        assert resp.status == 200
        yield resp
    finally:
        conn.close()


def test_json_watchers_send_one_encoding_of_each_event(mockapi: ServerThread, monkeypatch: pytest.MonkeyPatch) -> None:
    encoded: list[Any] = []
    real_encode = negotiation.encode

    def counting(value: dict[str, Any], rep: Representation) -> bytes:
        if value.get("type") == "ADDED":
            encoded.append(value["object"].get("kind"))
        return real_encode(value, rep)

    monkeypatch.setattr(watch_module, "encode", counting)
    c = ApiClient(mockapi)
    rv = c.get(CMS).json()["metadata"]["resourceVersion"]
    with ExitStack() as stack:
        watchers = [stack.enter_context(watch(c, f"resourceVersion={rv}")) for _ in range(3)]
        table = stack.enter_context(watch(c, f"resourceVersion={rv}", TABLE))
        assert c.post(CMS, {"metadata": {"name": "shared", "labels": {"a": "b"}}}).status == 201
        lines = [resp.readline() for resp in watchers]
        row = json.loads(table.readline())
    assert lines[0] and lines.count(lines[0]) == 3, "byte for byte the same line"
    event = json.loads(lines[0])
    assert (event["type"], event["object"]["metadata"]["name"]) == ("ADDED", "shared")
    assert row["object"]["kind"] == "Table"
    assert sorted(encoded) == ["ConfigMap", "Table"], "once for the three JSON watchers, once for the Table"

"""Watch through the server: replay from a resourceVersion, 410 as an ERROR event, selectors applied to
transitions, bookmarks for informers, Table-shaped events, and timeoutSeconds ending the stream."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from mockapi.testing.client import ApiClient
from mockapi.testing.server import ServerThread

CMS = "/api/v1/namespaces/default/configmaps"


@contextmanager
def watch(client: ApiClient, query: str, accept: str = "application/json") -> Iterator[http.client.HTTPResponse]:
    conn = http.client.HTTPSConnection(client.host, client.port, context=client.context, timeout=10)
    try:
        conn.request("GET", f"{CMS}?watch=true&{query}", headers={"Accept": accept})
        resp = conn.getresponse()
        assert resp.status == 200
        assert resp.headers["Transfer-Encoding"] == "chunked"
        yield resp
    finally:
        conn.close()


def next_event(resp: http.client.HTTPResponse) -> dict[str, Any]:
    line = resp.readline()
    assert line, "the stream ended"
    event: dict[str, Any] = json.loads(line)
    return event


def test_replay_from_resource_version_then_live(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    start = c.post(CMS, {"metadata": {"name": "a"}}).json()["metadata"]["resourceVersion"]
    c.patch(f"{CMS}/a", {"data": {"k": "1"}})
    with watch(c, f"resourceVersion={start}") as resp:
        replayed = next_event(resp)
        assert replayed["type"] == "MODIFIED" and replayed["object"]["data"] == {"k": "1"}
        c.delete(f"{CMS}/a")
        deleted = next_event(resp)
        assert deleted["type"] == "DELETED" and deleted["object"]["metadata"]["name"] == "a"
        assert int(deleted["object"]["metadata"]["resourceVersion"]) > int(
            replayed["object"]["metadata"]["resourceVersion"]
        )


def test_too_old_resource_version_is_an_error_event(mockapi: ServerThread) -> None:
    mockapi.reset()  # a reset compacts the history, so revision 1 is gone
    with watch(ApiClient(mockapi), "resourceVersion=1") as resp:
        event = next_event(resp)
    assert event["type"] == "ERROR"
    status = event["object"]
    assert (status["kind"], status["code"], status["reason"]) == ("Status", 410, "Expired")
    assert status["message"].startswith("too old resource version: 1 (")


def test_selector_transitions_look_like_add_and_delete(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    rv = c.get(CMS).json()["metadata"]["resourceVersion"]
    with watch(c, f"resourceVersion={rv}&labelSelector=app%3Dweb") as resp:
        c.post(CMS, {"metadata": {"name": "other"}})
        c.post(CMS, {"metadata": {"name": "w", "labels": {"app": "web"}}})
        joined = next_event(resp)
        assert (joined["type"], joined["object"]["metadata"]["name"]) == ("ADDED", "w")
        c.patch(f"{CMS}/w", {"metadata": {"labels": {"app": "db"}}})
        left = next_event(resp)
        assert left["type"] == "DELETED" and left["object"]["metadata"]["labels"] == {"app": "db"}


def test_initial_state_and_informer_style_watch(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    c.post(CMS, {"metadata": {"name": "x"}})
    with watch(c, "fieldSelector=metadata.name%3Dx&allowWatchBookmarks=true&timeoutSeconds=1") as resp:
        first = next_event(resp)  # no resourceVersion: the current state comes first, as ADDED
        assert first["type"] == "ADDED" and first["object"]["metadata"]["name"] == "x"
        assert resp.readline() == b"", "timeoutSeconds ends the stream"


def test_table_events_send_column_definitions_once(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    rv = c.get(CMS).json()["metadata"]["resourceVersion"]
    accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
    with watch(c, f"resourceVersion={rv}", accept) as resp:
        c.post(CMS, {"metadata": {"name": "t1"}})
        c.post(CMS, {"metadata": {"name": "t2"}})
        first, second = next_event(resp), next_event(resp)
    assert first["object"]["kind"] == "Table"
    assert [d["name"] for d in first["object"]["columnDefinitions"]] == ["Name", "Data", "Age"]
    assert second["object"]["columnDefinitions"] is None
    assert second["object"]["rows"][0]["cells"][0] == "t2"


def test_bad_selector_fails_before_the_stream(mockapi: ServerThread) -> None:
    reply = ApiClient(mockapi).get(f"{CMS}?watch=true&fieldSelector=spec.foo%3Dbar")
    assert reply.status == 400
    assert (
        reply.json()["message"]
        == '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"'
    )

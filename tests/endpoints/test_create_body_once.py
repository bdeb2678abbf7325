"""A create keeps the body it decoded instead of copying it, with the answers the copy gave: the object as
sent (defaults, namespace, managed fields) in the reply and in the store, and a 500 for a body no copy
could be made of (an integer past 64 bits, which the standard library's JSON decodes where orjson refuses
the text), with nothing stored."""

from __future__ import annotations

import json

from mockapi.testing.client import ApiClient
from mockapi.testing.server import ServerThread

REVISIONS = "/apis/apps/v1/namespaces/default/controllerrevisions"
CMS = "/api/v1/namespaces/default/configmaps"
HUGE = 123456789012345678901234567890


def test_created_object_is_the_body_decoded_once(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "once"}, "data": {"k": "v"}}
    created = c.post(CMS, body, {"User-Agent": "bench/1.0"})
    assert created.status == 201
    stored = c.get(f"{CMS}/once").json()
    assert created.json() == stored
    assert stored["metadata"]["namespace"] == "default"
    assert [e["manager"] for e in stored["metadata"]["managedFields"]] == ["bench"]
    assert body["metadata"] == {"name": "once"}, "the client's own object is untouched"


def test_a_body_no_copy_can_be_made_of_is_a_500_and_not_stored(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    # invalid UTF-8: orjson refuses the text, the standard library decodes it (and the integer, exactly)
    raw = b'{"metadata":{"name":"big","annotations":{"a":"\xff"}},"revision":1,"data":{"n":%d}}' % HUGE
    reply = c.post(REVISIONS, raw)
    assert reply.status == 500, reply.body
    assert reply.json()["message"] == "Internal error occurred: TypeError: Integer exceeds 64-bit range"
    assert c.get(f"{REVISIONS}/big").status == 404
    event = next(e for e in reversed(mockapi.audit_events()) if e["verb"] == "create")
    stages = [s["stage"] for s in json.loads(event["annotations"]["mockapi.dev/stages"])]
    assert stages == ["authentication", "authorization"], "refused before admission, as the copy was"

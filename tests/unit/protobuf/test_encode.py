"""Protobuf on the wire of a real server: request bodies decoded, responses encoded only when nothing but
protobuf is acceptable (kubectl 1.32+ accepts JSON too and must get JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mockapi.api.errors import ApiError
from mockapi.endpoints.negotiation import PROTOBUF, Representation, decode_body, encode, negotiate
from mockapi.protobuf import decode_object, encode_object
from mockapi.testing.client import ApiClient
from mockapi.testing.server import ServerThread

FIXTURES = Path(__file__).parent / "fixtures"
CONFIGMAP = (FIXTURES / "configmap.1.33.pb").read_bytes()
KUBECTL_ACCEPT = "application/vnd.kubernetes.protobuf,application/json"
CONFIGMAPS = "/api/v1/namespaces/default/configmaps"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (KUBECTL_ACCEPT, Representation("json")),
        (PROTOBUF, Representation("protobuf")),
        (f"{PROTOBUF};q=1, */*;q=0.1", Representation("json")),
        (f"{PROTOBUF}, application/yaml", Representation("yaml")),
    ],
)
def test_protobuf_only_when_nothing_else_is_acceptable(accept: str, expected: Representation) -> None:
    assert negotiate(accept, allow_table=True) == expected


def test_protobuf_tables_are_not_acceptable() -> None:
    with pytest.raises(ApiError) as info:
        negotiate(f"{PROTOBUF};as=Table;g=meta.k8s.io;v=v1", allow_table=True)
    assert info.value.code == 406


def test_decode_body_and_encode() -> None:
    obj = decode_body(CONFIGMAP, PROTOBUF)
    assert obj["data"] == {"a": "b", "empty": ""}
    assert encode(obj, Representation("protobuf")) == CONFIGMAP
    with pytest.raises(ApiError) as info:
        decode_body(b"x", "application/cbor")
    assert info.value.code == 415
    assert info.value.message.endswith("application/json, application/yaml, application/vnd.kubernetes.protobuf")


def test_encoding_a_kind_without_schema_is_not_acceptable() -> None:
    with pytest.raises(ApiError) as info:
        encode_object({"kind": "Widget", "apiVersion": "example.com/v1"}, "example.com/v1", "Widget")
    assert info.value.code == 406


def test_encoding_a_field_the_schema_lacks_is_an_error() -> None:
    obj = {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "x", "bogus": 1}}
    with pytest.raises(ApiError) as info:
        encode_object(obj, "v1", "ConfigMap")
    assert info.value.code == 500
    assert "metadata: k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta has no field 'bogus'" in info.value.message


def test_protobuf_create_answers_json_to_kubectl(mockapi: ServerThread) -> None:
    client = ApiClient(mockapi)
    reply = client.post(CONFIGMAPS, CONFIGMAP, {"Content-Type": PROTOBUF, "Accept": KUBECTL_ACCEPT})
    assert reply.status == 201, reply.body
    assert reply.headers["Content-Type"].startswith("application/json")
    created = reply.json()
    assert (created["metadata"]["name"], created["data"]) == ("cm1", {"a": "b", "empty": ""})


def test_protobuf_only_client_gets_protobuf(mockapi: ServerThread) -> None:
    client = ApiClient(mockapi)
    headers = {"Content-Type": PROTOBUF, "Accept": PROTOBUF}
    reply = client.post(CONFIGMAPS, CONFIGMAP, headers)
    assert reply.status == 201, reply.body
    assert reply.headers["Content-Type"] == PROTOBUF
    created = decode_object(reply.body)
    assert created["kind"] == "ConfigMap"
    assert created["metadata"]["uid"]
    assert created["metadata"]["creationTimestamp"]

    got = client.get(f"{CONFIGMAPS}/cm1", {"Accept": PROTOBUF})
    assert (got.status, got.headers["Content-Type"]) == (200, PROTOBUF)
    assert decode_object(got.body) == created

    listed = client.get(CONFIGMAPS, {"Accept": PROTOBUF})
    assert listed.status == 200
    items = decode_object(listed.body)
    assert items["kind"] == "ConfigMapList"
    assert "cm1" in [i["metadata"]["name"] for i in items["items"]]

    watch = client.get(f"{CONFIGMAPS}?watch=true&timeoutSeconds=1", {"Accept": PROTOBUF})
    assert watch.status == 406


def test_undecodable_protobuf_body_is_a_400_status(mockapi: ServerThread) -> None:
    client = ApiClient(mockapi)
    broken = CONFIGMAP[:-3]
    reply = client.post(CONFIGMAPS, broken, {"Content-Type": PROTOBUF})
    assert reply.status == 400
    status = reply.json()
    assert (status["kind"], status["reason"]) == ("Status", "BadRequest")
    assert status["message"].startswith("unable to decode protobuf body: ")
    assert client.get(f"{CONFIGMAPS}/cm1").status == 404
    assert "cm1" not in [i["metadata"]["name"] for i in json.loads(client.get(CONFIGMAPS).body)["items"]]

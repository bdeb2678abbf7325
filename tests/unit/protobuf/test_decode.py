"""Decoding Kubernetes protobuf bodies: bodies captured from real kubectl 1.32/1.33 decode to exactly the
JSON kubectl 1.31 sends for the same command; every malformed or unknown input is a 400.

Fixtures: tests/unit/protobuf/fixtures/, written by scripts/dev/capture_kubectl_bodies.py (commands.json
records each command line and request).
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from mockapi.api.errors import ApiError
from mockapi.protobuf import MAGIC, decode_object, encode_object, wire
from mockapi.protobuf.gojson import format_duration, format_time, parse_duration, parse_time
from mockapi.protobuf.schema import schema
from mockapi.testing.ci import require_kubectl

FIXTURES = Path(__file__).parent / "fixtures"
COMMANDS: dict[str, dict[str, Any]] = json.loads((FIXTURES / "commands.json").read_text())


def envelope(api_version: str, kind: str, raw: bytes) -> bytes:
    type_meta = wire.length_delimited(1, api_version.encode()) + wire.length_delimited(2, kind.encode())
    return MAGIC + wire.length_delimited(1, type_meta) + wire.length_delimited(2, raw)


def raw_of(body: bytes) -> bytes:
    """The `raw` field of an envelope."""
    for number, _wt, value in wire.iter_fields(body[4:]):
        if number == 2:
            assert isinstance(value, bytes)
            return value
    raise AssertionError("no raw field")


def bad_request(body: bytes) -> str:
    with pytest.raises(ApiError) as info:
        decode_object(body)
    assert (info.value.code, info.value.reason) == (400, "BadRequest")
    return info.value.message


# -- captured from real kubectl --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_kubectl_133_body_decodes_to_what_kubectl_131_sends(name: str) -> None:
    entry = COMMANDS[name]
    assert entry["1.33"]["contentType"] == "application/vnd.kubernetes.protobuf"
    assert entry["1.31"]["contentType"] == "application/json"
    assert entry["1.33"]["path"] == entry["1.31"]["path"]
    decoded = decode_object((FIXTURES / entry["1.33"]["file"]).read_bytes())
    expected = json.loads((FIXTURES / entry["1.31"]["file"]).read_text())
    # same keys, values and key order as Go's JSON serializer wrote them
    assert json.dumps(decoded) == json.dumps(expected)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_kubectl_132_and_133_send_the_same_bytes(name: str) -> None:
    entry = COMMANDS[name]
    assert (FIXTURES / entry["1.32"]["file"]).read_bytes() == (FIXTURES / entry["1.33"]["file"]).read_bytes()


def test_decoded_fixtures_show_the_tricky_cases() -> None:
    def load(name: str) -> Any:
        return decode_object((FIXTURES / COMMANDS[name]["1.33"]["file"]).read_bytes())

    assert load("configmap")["metadata"] == {"name": "cm1", "creationTimestamp": None}  # "" fields dropped
    assert load("configmap")["data"] == {"a": "b", "empty": ""}
    assert load("configmap-binary")["binaryData"] == {"blob": base64.b64encode(bytes(range(256))).decode()}
    assert load("deployment-zero-replicas")["spec"]["replicas"] == 0  # *int32 set to 0 is kept
    assert load("deployment")["status"] == {}  # a Go value struct is always there
    pdb = load("poddisruptionbudget")["spec"]
    assert pdb["minAvailable"] == "50%"
    assert load("poddisruptionbudget-int")["spec"]["maxUnavailable"] == 1
    assert load("poddisruptionbudget-int")["spec"]["selector"]["matchExpressions"] == [
        {"key": "tier", "operator": "In", "values": ["be", "fe"]}  # kubectl sorts them
    ]
    quota = load("quota")["spec"]
    assert quota["hard"] == {"count/jobs.batch": "0", "memory": "1Gi", "pods": "2", "requests.cpu": "500m"}
    ports = load("service-clusterip")["spec"]["ports"]
    assert [(p["port"], p["targetPort"]) for p in ports] == [(80, 8080), (443, "https")]
    assert load("priorityclass")["value"] == 1000
    assert load("priorityclass")["preemptionPolicy"] == "Never"
    secret = load("secret-generic")
    assert base64.b64decode(secret["data"]["password"]) == b"s3cr3t!"
    ingress = load("ingress")["spec"]
    assert ingress["rules"][0]["http"]["paths"][0]["pathType"] == "Exact"  # inline IngressRuleValue promoted


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_reencoding_gives_kubectls_bytes(name: str) -> None:
    body = (FIXTURES / COMMANDS[name]["1.33"]["file"]).read_bytes()
    obj = decode_object(body)
    assert encode_object(obj, obj["apiVersion"], obj["kind"]) == body


# -- never silently drop, never guess ----------------------------------------------------------------------


def configmap_raw() -> bytes:
    return raw_of((FIXTURES / COMMANDS["configmap"]["1.33"]["file"]).read_bytes())


def test_unknown_top_level_field_number_is_named() -> None:
    raw = configmap_raw() + wire.key(99, wire.VARINT) + wire.varint(7)
    message = bad_request(envelope("v1", "ConfigMap", raw))
    assert message == (
        "unable to decode protobuf body: <object>: field number 99 (varint) is not a field of "
        "k8s.io.api.core.v1.ConfigMap"
    )


def test_unknown_nested_field_number_is_named_with_its_path() -> None:
    metadata = wire.length_delimited(1, b"x") + wire.length_delimited(42, b"?")
    raw = wire.length_delimited(1, metadata)
    message = bad_request(envelope("v1", "ConfigMap", raw))
    assert "metadata: field number 42 (length-delimited) is not a field of " in message
    assert "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta" in message
    # deeper: a Deployment's spec.template.spec.containers[0]
    container = wire.length_delimited(1, b"c") + wire.key(77, wire.FIXED32) + b"\0\0\0\0"
    pod_spec = wire.length_delimited(2, container)
    template = wire.length_delimited(2, pod_spec)
    deploy = wire.length_delimited(2, wire.length_delimited(3, template))
    message = bad_request(envelope("apps/v1", "Deployment", deploy))
    assert (
        "spec.template.spec.containers[0]: field number 77 (32-bit) is not a field of k8s.io.api.core.v1.Container"
    ) in message


def test_wire_type_mismatch_is_rejected() -> None:
    raw = wire.length_delimited(1, wire.key(1, wire.VARINT) + wire.varint(3))  # name as a varint
    assert "metadata.name: wire type varint does not match" in bad_request(envelope("v1", "ConfigMap", raw))


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"", "does not start with the Kubernetes magic"),
        (b'{"kind":"ConfigMap"}', "does not start with the Kubernetes magic"),
        (MAGIC + b"\x0a\x05\x0a\x02v1", "runs past the end of the message"),
        (MAGIC + b"\x0a", "truncated varint"),
        (envelope("v1", "", b""), "Object 'Kind' is missing"),
        (envelope("", "ConfigMap", b""), "Object 'apiVersion' is missing"),
        (envelope("v1", "Widget", b""), 'no protobuf schema for kind "Widget" in version "v1"'),
        (envelope("example.com/v1", "Widget", b""), 'no protobuf schema for kind "Widget" in version "example.com/v1"'),
        (envelope("v1", "Time", b""), 'no protobuf schema for kind "Time"'),
        (MAGIC + wire.length_delimited(3, b"gzip"), "unsupported runtime.Unknown contentEncoding"),
    ],
)
def test_undecodable_bodies_are_400(body: bytes, expected: str) -> None:
    assert expected in bad_request(body)


def test_group_message_types_are_rejected() -> None:
    assert "unsupported wire type start-group" in bad_request(MAGIC + wire.key(1, 3))


# -- JSON forms of the special types -----------------------------------------------------------------------


def test_time_and_microtime() -> None:
    assert format_time(1700000000, 999, micro=False) == "2023-11-14T22:13:20Z"
    assert format_time(1700000000, 123456789, micro=True) == "2023-11-14T22:13:20.123456Z"
    assert format_time(-62135596800, 0, micro=False) is None  # Go's zero time
    assert format_time(0, 0, micro=False) == "1970-01-01T00:00:00Z"
    assert parse_time("2023-11-14T23:13:20+01:00") == (1700000000, 0)
    assert parse_time("2023-11-14T22:13:20.5Z") == (1700000000, 500000000)
    time_msg = wire.key(1, wire.VARINT) + wire.varint(1700000000) + wire.key(2, wire.VARINT) + wire.varint(0)
    metadata = wire.length_delimited(1, b"x") + wire.length_delimited(8, time_msg) + wire.length_delimited(9, b"")
    obj = decode_object(envelope("v1", "ConfigMap", wire.length_delimited(1, metadata)))
    # a present but empty *Time is a non-nil zero time: null, like Go
    assert obj["metadata"] == {"name": "x", "creationTimestamp": "2023-11-14T22:13:20Z", "deletionTimestamp": None}


@pytest.mark.parametrize(
    ("ns", "text"),
    [
        (0, "0s"),
        (1, "1ns"),
        (1500, "1.5µs"),
        (2_000_000, "2ms"),
        (1_500_000_000, "1.5s"),
        (3_600_000_000_000, "1h0m0s"),
        (3_723_000_000_000, "1h2m3s"),
        (-90_000_000_000, "-1m30s"),
    ],
)
def test_duration_like_go(ns: int, text: str) -> None:
    assert format_duration(ns) == text
    assert parse_duration(text) == ns


ROUND_TRIPS: list[dict[str, Any]] = [
    {  # MicroTime, *int32, Time
        "kind": "Lease",
        "apiVersion": "coordination.k8s.io/v1",
        "metadata": {"name": "l", "namespace": "kube-system", "creationTimestamp": "2024-01-02T03:04:05Z"},
        "spec": {"holderIdentity": "me", "leaseDurationSeconds": 0, "renewTime": "2024-01-02T03:04:05.123456Z"},
    },
    {  # RawExtension holding JSON, int64 revision
        "kind": "ControllerRevision",
        "apiVersion": "apps/v1",
        "metadata": {"name": "r", "creationTimestamp": None},
        "data": {"spec": {"template": {"x": [1, "two", None, True]}}},
        "revision": 3,
    },
    {  # map of named string slices (ExtraValue), repeated strings, omitted empty status fields
        "kind": "SubjectAccessReview",
        "apiVersion": "authorization.k8s.io/v1",
        "metadata": {"creationTimestamp": None},
        "spec": {
            "nonResourceAttributes": {"path": "/healthz", "verb": "get"},
            "user": "bob",
            "groups": ["a", "b"],
            "extra": {"scopes": ["x", "y"], "empty": None},
        },
        "status": {"allowed": False},
    },
    {  # managedFields with FieldsV1, ownerReferences with *bool false, labels
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": {
            "name": "p",
            "labels": {"b": "2", "a": "1"},
            "creationTimestamp": "2024-05-06T07:08:09Z",
            "ownerReferences": [
                {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": "u1", "controller": False}
            ],
            "managedFields": [
                {
                    "manager": "kubectl",
                    "operation": "Apply",
                    "apiVersion": "v1",
                    "time": "2024-05-06T07:08:09Z",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {"f:metadata": {"f:labels": {"f:a": {}}}},
                }
            ],
        },
        "spec": {
            "containers": [
                {
                    "name": "c",
                    "image": "nginx",
                    "resources": {"limits": {"cpu": "100m"}},
                    "livenessProbe": {"httpGet": {"path": "/", "port": "http"}, "periodSeconds": 3},
                }
            ],
            "volumes": [{"name": "v", "configMap": {"name": "cm", "defaultMode": 420}}],
            "securityContext": {"runAsUser": 0},
        },
        "status": {},
    },
]


@pytest.mark.parametrize("obj", ROUND_TRIPS, ids=lambda o: str(o["kind"]))
def test_json_protobuf_json_round_trip(obj: dict[str, Any]) -> None:
    decoded = decode_object(encode_object(obj, obj["apiVersion"], obj["kind"]))
    expected = json.loads(json.dumps(obj))
    if obj["kind"] == "Pod":  # Go sorts map keys
        expected["metadata"]["labels"] = {"a": "1", "b": "2"}
    if obj["kind"] == "SubjectAccessReview":  # nil ExtraValue in a map stays null
        assert decoded["spec"]["extra"] == {"empty": None, "scopes": ["x", "y"]}
        expected["spec"]["extra"] = decoded["spec"]["extra"]
    assert decoded == expected


def test_raw_extension_holding_a_protobuf_object() -> None:
    inner = (FIXTURES / COMMANDS["configmap"]["1.33"]["file"]).read_bytes()
    revision = (
        wire.length_delimited(1, wire.length_delimited(1, b"r"))
        + wire.length_delimited(2, wire.length_delimited(1, inner))
        + wire.key(3, wire.VARINT)
        + wire.varint(1)
    )
    obj = decode_object(envelope("apps/v1", "ControllerRevision", revision))
    assert obj["data"]["kind"] == "ConfigMap"
    assert obj["data"]["data"] == {"a": "b", "empty": ""}


def test_raw_extension_must_hold_json() -> None:
    revision = wire.length_delimited(2, wire.length_delimited(1, b"not json"))
    assert "data: k8s.io.apimachinery.pkg.runtime.RawExtension does not hold JSON" in bad_request(
        envelope("apps/v1", "ControllerRevision", revision)
    )


def test_json_names_come_from_go_tags_not_proto_names() -> None:
    s = schema()
    webhooks = s.message("k8s.io.api.admissionregistration.v1.ValidatingWebhookConfiguration").by_number[2]
    assert (webhooks.proto_name, webhooks.json_name) == ("Webhooks", "webhooks")
    api_group = s.message("k8s.io.api.networking.v1.IngressClassParametersReference").by_number[1]
    assert (api_group.proto_name, api_group.json_name) == ("aPIGroup", "apiGroup")
    volume = s.message("k8s.io.api.core.v1.Volume").by_number[2]
    assert (volume.proto_name, volume.inline) == ("volumeSource", True)


def test_schema_provenance_and_size() -> None:
    s = schema()
    assert s.source["binary"] == "kubectl.1.33"
    assert s.source["version"].startswith("v1.33.1 ")
    assert len(s.packages) == 66
    assert s.message_for_kind("rbac.authorization.k8s.io/v1", "DeleteOptions") is not None
    assert s.message_for_kind("v1", "Status") is not None
    assert s.message_for_kind("apps/v1", "Status") is None


def test_every_message_joins_its_go_facts() -> None:
    """Specs are built lazily; building each one runs the descriptor/Go cross-checks."""
    s = schema()
    assert all(s.messages[name].name == name for name in s.messages)
    assert len(s.messages) > 1000


def test_data_files_are_what_the_binary_says() -> None:
    """Regenerating the schema data from kubectl.1.33 changes nothing, and every cross-check passes."""
    kubectl = require_kubectl("1.33")
    script = Path(__file__).parents[3] / "scripts" / "dev" / "extract_proto_descriptors.py"
    command = [sys.executable, str(script), "--kubectl", str(kubectl), "--minor", "1.33", "--check"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr

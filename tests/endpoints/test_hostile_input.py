"""Malformed and hostile requests through the whole server: each gets kube-apiserver's Status, none
crashes or stalls the server, and a refused write leaves the store as it was."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from mockapi.testing.client import ApiClient
from mockapi.testing.server import ServerThread

CMS = "/api/v1/namespaces/default/configmaps"
PODS = "/api/v1/namespaces/default/pods"
DEPLOYS = "/apis/apps/v1/namespaces/default/deployments"
FINALIZE = "/api/v1/namespaces/default/finalize"
SCALE = b'{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"d"},"spec":%s}'
YAML = {"Content-Type": "application/yaml"}
JSON_PATCH = {"Content-Type": "application/json-patch+json"}
MERGE = {"Content-Type": "application/merge-patch+json"}
STRATEGIC = {"Content-Type": "application/strategic-merge-patch+json"}

BOMB = b"""apiVersion: v1
kind: ConfigMap
metadata: {name: bomb}
data:
  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
  i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def _yaml_cm(rest: str, name: str = "y") -> bytes:
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: {name}}}\n{rest}".encode()


def _token(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


Case = tuple[str, str, bytes | None, dict[str, str], int, str, str]
CASES: list[Case] = [
    # (method, path, body, headers) -> (code, reason, message)
    ("POST", CMS, BOMB, YAML, 400, "BadRequest",
     "error converting YAML to JSON: yaml: document contains excessive aliasing"),
    ("POST", CMS, _yaml_cm("data: &a [*a]"), YAML, 400, "BadRequest",
     "error converting YAML to JSON: yaml: anchor 'a' value contains itself"),
    ("POST", CMS, _yaml_cm("data: {~: a}"), YAML, 400, "BadRequest",
     'error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: "a"'),
    ("POST", CMS, _yaml_cm("data: {a: 99999999999999999999}"), YAML, 400, "BadRequest",
     'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct '
     "field ConfigMap.data of type string"),
    ("POST", CMS, _yaml_cm("x: " + "[" * 300 + "]" * 300), YAML, 400, "BadRequest",
     "error converting YAML to JSON: yaml: exceeded max depth of 200"),
    ("POST", CMS, b'{"metadata":{"name":"d"},"x":' + b"[" * 1000 + b"]" * 1000 + b"}", {}, 400, "BadRequest",
     "couldn't get version/kind; json parse error: exceeded max depth of 200"),
    ("POST", CMS, b'{"metadata":{"name":"d"}}', {"Content-Type": "application/json; charset"}, 415,
     "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: "
     "application/json, application/yaml, application/vnd.kubernetes.protobuf"),
    ("POST", CMS, b'{"metadata":{"name":"k"},"data":{"b/c":"1"}}', {}, 422, "Invalid",
     'ConfigMap "k" is invalid: data[b/c]: Invalid value: "b/c": a valid config key must consist of alphanumeric '
     "characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
     "'[-._a-zA-Z0-9]+')"),
    ("POST", CMS, json.dumps({"metadata": {"name": "k"}, "data": {"a" * 300: "1"}}).encode(), {}, 422, "Invalid",
     f'ConfigMap "k" is invalid: data[{"a" * 300}]: Invalid value: "{"a" * 300}": must be no more than 253 '
     "characters"),
    ("PATCH", f"{CMS}/x", b'{"metadata":{"name":"z"}}', MERGE, 400, "BadRequest",
     "the name of the object (z) does not match the name on the URL (x)"),
    ("PATCH", f"{CMS}/x", b'{"metadata":{"name":"other"}}', STRATEGIC, 400, "BadRequest",
     "the name of the object (other) does not match the name on the URL (x)"),
    ("PATCH", f"{CMS}/x", b'[{"op":"replace","path":"/metadata/name","value":"q"}]', JSON_PATCH, 400, "BadRequest",
     "the name of the object (q) does not match the name on the URL (x)"),
    ("PATCH", f"{CMS}/x", b'[{"op":"remove","path":"/metadata/name"}]', JSON_PATCH, 400, "BadRequest",
     "the name of the object () does not match the name on the URL (x)"),
    ("PATCH", f"{CMS}/x", b'{"metadata":{"namespace":"kube-system"}}', MERGE, 400, "BadRequest",
     "the namespace of the provided object does not match the namespace sent on the request"),

    ("PATCH", f"{PODS}/p/status", b'{"metadata":{"name":"q"}}', MERGE, 400, "BadRequest",
     "the name of the object (q) does not match the name on the URL (p)"),
    ("PUT", f"{CMS}/x", b'{"metadata":{"name":"x","namespace":"kube-system"}}', {}, 400, "BadRequest",
     "the namespace of the provided object does not match the namespace sent on the request"),
    ("PUT", FINALIZE, b'{"metadata":{"name":"b"}}', {}, 400, "BadRequest",
     "the name of the object (b) does not match the name on the URL (default)"),
    ("PUT", FINALIZE, b'{"metadata":{"name":"default"},"spec":"x"}', {}, 400, "BadRequest",
     'Namespace in version "v1" cannot be handled as a Namespace: json: cannot unmarshal string into Go struct '
     "field Namespace.spec of type v1.NamespaceSpec"),
    ("PUT", FINALIZE, b'{"metadata":{"name":"default"},"spec":{"finalizers":["foo"]}}', {}, 422, "Invalid",
     'Namespace "default" is invalid: spec.finalizers[0]: Invalid value: "foo": name is neither a standard '
     "finalizer name nor is it fully qualified"),
    ("PUT", f"{DEPLOYS}/d/scale", SCALE % b'{"replicas":99999999999}', {}, 400, "BadRequest",
     'Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal number 99999999999 into Go '
     "struct field ScaleSpec.spec.replicas of type int32"),
    ("PUT", f"{DEPLOYS}/d/scale", SCALE % b'"x"', {}, 400, "BadRequest",
     'Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal string into Go struct field '
     "Scale.spec of type v1.ScaleSpec"),
    ("POST", f"{CMS}?fieldManager=%00", b'{"metadata":{"name":"k"}}', {}, 422, "Invalid",
     'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "\\x00": invalid character U+0000 '
     "(at position 0)"),
    ("PUT", f"{CMS}/x?fieldManager={'%C3%A9' * 65}", b'{"metadata":{"name":"x"}}', {}, 422, "Invalid",
     'UpdateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes'),
    ("DELETE", f"{CMS}/x", b'{"gracePeriodSeconds":"abc"}', {}, 500, "",
     "json: cannot unmarshal string into Go struct field DeleteOptions.gracePeriodSeconds of type int64"),
    ("DELETE", CMS, b'{"dryRun":"All"}', {}, 500, "",
     "json: cannot unmarshal string into Go struct field DeleteOptions.dryRun of type []string"),
    ("PATCH", f"{CMS}/x", b'[{"op":"add","path":"data/b","value":"1"}]', JSON_PATCH, 422, "Invalid",
     "the server rejected our request due to an error in our request"),
    ("PATCH", f"{CMS}/x", b'[{"op":"add","path":"/a~2b","value":"1"}]', JSON_PATCH, 422, "Invalid",
     "the server rejected our request due to an error in our request"),
    ("GET", f"{CMS}?limit=99999999999999999999", None, {}, 400, "BadRequest",
     'strconv.ParseInt: parsing "99999999999999999999": value out of range'),
    ("GET", f"{CMS}?timeoutSeconds=soon", None, {}, 400, "BadRequest",
     'strconv.ParseInt: parsing "soon": invalid syntax'),
    ("GET", f"{CMS}?timeout=forever", None, {}, 400, "BadRequest",
     'invalid timeout specified in the request URL - time: invalid duration "forever"'),
    ("GET", f"{CMS}/x?resourceVersion=abc", None, {}, 400, "BadRequest",
     'invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": '
     "invalid syntax"),
    ("GET", f"{CMS}?resourceVersion=-1", None, {}, 400, "BadRequest",
     'invalid resource version: resourceVersion: Invalid value: "-1": strconv.ParseUint: parsing "-1": '
     "invalid syntax"),
    ("GET", f"{PODS}/p/log?tailLines=abc", None, {}, 400, "BadRequest",
     'strconv.ParseInt: parsing "abc": invalid syntax'),
    ("GET", f"{PODS}/p/log?sinceTime=yesterday", None, {}, 400, "BadRequest",
     'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"'),
    ("GET", f"{PODS}/p/log?sinceTime=2024-13-45T99:99:99Z", None, {}, 400, "BadRequest",
     'parsing time "2024-13-45T99:99:99Z": month out of range'),
    ("GET", f"{PODS}/p/log?sinceTime=2023-02-29T10:00:00Z", None, {}, 400, "BadRequest",
     'parsing time "2023-02-29T10:00:00Z": day out of range'),
    ("GET", f"{PODS}/p/log?sinceSeconds=5&sinceTime=2024-01-02T10:11:59.5Z", None, {}, 422, "Invalid",
     'PodLogOptions "p" is invalid: []: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified'),
    ("GET", f"{PODS}/p/log?stream=Stdout", None, {}, 422, "Invalid",
     'PodLogOptions "p" is invalid: stream: Forbidden: may not be specified'),
    ("GET", f"{PODS}/p/log?tailLines=-1", None, {}, 422, "Invalid",
     'PodLogOptions "p" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0'),
    ("GET", f"{CMS}?limit=1&continue={_token([1])}", None, {}, 400, "BadRequest",
     "invalid continue token: continue key is not valid: json: cannot unmarshal array into Go value of type "
     "storage.continueToken"),
    ("GET", f"{CMS}?limit=1&continue={_token({'v': 'meta.k8s.io/v1', 'rv': 'x'})}", None, {}, 400, "BadRequest",
     "invalid continue token: continue key is not valid: json: cannot unmarshal string into Go struct field "
     "continueToken.rv of type int64"),
    ("GET", f"{CMS}?limit=1&continue=a!b", None, {}, 400, "BadRequest",
     "invalid continue token: continue key is not valid: illegal base64 data at input byte 1"),
    ("GET", f"{CMS}?limit=1&continue={_token({'v': 'meta.k8s.io/v1', 'rv': 5, 'start': '../x'})}", None, {}, 400,
     "BadRequest", "invalid continue token: continue key is not valid: ../x"),
]  # fmt: skip


def _snapshot(client: ApiClient) -> list[Any]:
    return [client.get(path).json() for path in (CMS, PODS, DEPLOYS, "/api/v1/namespaces/default")]


@pytest.fixture
def seeded(mockapi: ServerThread) -> ApiClient:
    client = ApiClient(mockapi)
    for name in ("x", "y"):
        assert client.post(CMS, {"metadata": {"name": name}, "data": {"a": "1"}}).status == 201
    pod = {"metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    assert client.post(PODS, pod).status == 201
    template = {"metadata": {"labels": {"app": "d"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
    deployment = {"metadata": {"name": "d"}, "spec": {"selector": {"matchLabels": {"app": "d"}}, "template": template}}
    assert client.post(DEPLOYS, deployment).status == 201
    return client


@pytest.mark.parametrize(("method", "path", "body", "headers", "code", "reason", "message"), CASES)
def test_refused_with_kube_apiservers_status_and_nothing_changes(
    seeded: ApiClient, method: str, path: str, body: bytes | None, headers: dict[str, str],
    code: int, reason: str, message: str,
) -> None:  # fmt: skip
    before = _snapshot(seeded)
    reply = seeded.request(method, path, body, headers)
    status = reply.json()
    assert (reply.status, status["kind"], status.get("reason", ""), status["code"]) == (code, "Status", reason, code)
    assert status["message"] == message
    assert _snapshot(seeded) == before
    assert seeded.get("/healthz").status == 200


def test_renaming_onto_an_existing_name_lists_each_object_once(seeded: ApiClient) -> None:
    reply = seeded.patch(f"{CMS}/x", {"metadata": {"name": "y"}})
    assert reply.status == 400
    names = [item["metadata"]["name"] for item in seeded.get(CMS).json()["items"]]
    assert sorted(names) == sorted(set(names))
    assert seeded.get(f"{CMS}/x").json()["metadata"]["name"] == "x"


def test_yaml_keys_that_are_numbers_become_strings(seeded: ApiClient) -> None:
    reply = seeded.request("POST", CMS, _yaml_cm("data: {1: a, true: b}", "keys"), YAML)
    assert reply.status == 201, reply.body
    assert reply.json()["data"] == {"1": "a", "true": "b"}


def _rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def test_a_yaml_bomb_costs_the_server_almost_nothing(seeded: ApiClient) -> None:
    bigger = BOMB + b"  j: &j [*i,*i,*i,*i,*i,*i,*i,*i,*i]\n"
    before = _rss()
    for _ in range(5):
        assert seeded.request("POST", CMS, bigger, YAML).status == 400
    assert _rss() - before < 50 * 1024 * 1024


def test_responses_name_no_server_software_and_forbid_sniffing(seeded: ApiClient) -> None:
    for path in ("/healthz", CMS, f"{CMS}/missing"):
        reply = seeded.get(path)
        assert reply.headers.get("Server") is None
        assert reply.headers.get("X-Content-Type-Options") == "nosniff"


def test_the_timeout_parameter_bounds_a_request(seeded: ApiClient) -> None:
    """WithRequestDeadline: a read waiting for a revision the store has not reached ends at `timeout`."""
    reply = seeded.get(f"{CMS}/x?resourceVersion=999999999&timeout=200ms")
    status = reply.json()
    assert (reply.status, status["reason"]) == (504, "Timeout")
    assert status["message"] == "Timeout: request did not complete within requested timeout - context deadline exceeded"


def test_a_watch_is_long_running_and_ignores_timeout(seeded: ApiClient) -> None:
    reply = seeded.get(f"{CMS}?watch=1&timeoutSeconds=1&timeout=forever")
    assert reply.status == 200


def test_json_patch_copies_may_add_at_most_3_mib(seeded: ApiClient) -> None:
    """jsonpatch.AccumulatedCopySizeLimit: 21 doubling copies of a 1 KB body would make gigabytes."""
    assert seeded.patch(f"{CMS}/x", {"data": {"y": "v" * 1000}}).status == 200
    ops = [{"op": "add", "path": "/metadata/annotations", "value": {}}]
    ops += [{"op": "copy", "from": "/data", "path": f"/metadata/annotations/c{i}"} for i in range(5000)]
    before = _snapshot(seeded)
    reply = seeded.request("PATCH", f"{CMS}/x", json.dumps(ops).encode(), JSON_PATCH)
    status = reply.json()
    assert (reply.status, status["reason"]) == (422, "Invalid")
    assert status["details"]["causes"][0]["message"].startswith(
        "Unable to complete the copy, the accumulated size increase of copy is "
    )
    assert status["details"]["causes"][0]["message"].endswith(", exceeding the limit 3145728")
    assert _snapshot(seeded) == before


def test_json_patch_of_more_than_10000_operations_is_too_large(seeded: ApiClient) -> None:
    ops = [{"op": "test", "path": "/metadata/name", "value": "x"}] * 10_001
    reply = seeded.request("PATCH", f"{CMS}/x", json.dumps(ops).encode(), JSON_PATCH)
    status = reply.json()
    assert (reply.status, status["reason"]) == (413, "RequestEntityTooLarge")
    assert status["message"] == (
        "Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001"
    )


def test_long_urls_and_headers_are_served(seeded: ApiClient) -> None:
    """kube-apiserver takes 1 MiB of headers: a long selector or Accept header is no reason to refuse."""
    values = ",".join(f"v{i}" for i in range(3000))
    reply = seeded.get(f"{CMS}?labelSelector=a+in+({values})")
    assert reply.status == 200, reply.body[:200]
    reply = seeded.get(CMS, headers={"Accept": "application/json," + "x/y;q=0.1," * 2000})
    assert reply.status == 200, reply.body[:200]


@pytest.mark.parametrize(
    ("path", "patch", "error"),
    [
        # the patched object decodes into its Go type before the patcher compares names
        (f"{CMS}/x", {"metadata": {"name": ["x"]}}, "Go struct field ObjectMeta.metadata.name of type string"),
        # status and scale writes decode as the main resource's do: nothing of the wrong type is stored
        (f"{DEPLOYS}/d/status", {"status": "x"}, "Go struct field Deployment.status of type v1.DeploymentStatus"),
        (f"{DEPLOYS}/d/status", {"status": {"replicas": "x"}}, "DeploymentStatus.status.replicas of type int32"),
        (f"{DEPLOYS}/d/scale", {"spec": {"replicas": "x"}}, "Go struct field ScaleSpec.spec.replicas of type int32"),
    ],
)
def test_patched_objects_decode_into_their_go_types(seeded: ApiClient, path: str, patch: Any, error: str) -> None:
    before = _snapshot(seeded)
    reply = seeded.patch(path, patch)
    status = reply.json()
    assert (reply.status, status["reason"]) == (422, "Invalid")
    assert status["message"].startswith(' "" is invalid: patch: Invalid value: "{')
    assert status["message"].endswith(error)
    assert _snapshot(seeded) == before


LIST_OPTION_CASES = [
    (f"{CMS}?resourceVersionMatch=Bogus&resourceVersion=1",
     'resourceVersionMatch: Unsupported value: "Bogus": supported values: "Exact", "NotOlderThan", ""'),
    (f"{CMS}?resourceVersionMatch=Exact&resourceVersion=0",
     'resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"'),
    (f"{CMS}?resourceVersionMatch=NotOlderThan",
     "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided"),
    (f"{CMS}?sendInitialEvents=true", "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list"),
    (f"{CMS}?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan",
     "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate "
     "is enabled"),
    (f"{CMS}?watch=1&resourceVersionMatch=NotOlderThan",
     "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is "
     "provided"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "message"), LIST_OPTION_CASES)
def test_list_options_are_validated(seeded: ApiClient, path: str, message: str) -> None:
    """ValidateListOptions, with the WatchList gate off as in 1.33."""
    reply = seeded.get(path)
    status = reply.json()
    assert (reply.status, status["reason"]) == (422, "Invalid")
    assert status["message"] == f'ListOptions.meta.k8s.io "" is invalid: {message}'


def test_large_bodies_are_decoded_and_validated_off_the_event_loop(seeded: ApiClient) -> None:
    """Past 64 KiB the decoding and validation run in a thread; the answers are the same."""
    big = {"metadata": {"name": "big"}, "data": {f"k{i}": "v" * 100 for i in range(1000)}}
    created = seeded.post(CMS, big)
    assert created.status == 201 and len(created.json()["data"]) == 1000
    replaced = seeded.put(f"{CMS}/big", {**created.json(), "data": {"only": "x" * 70_000}})
    assert replaced.status == 200 and replaced.json()["data"] == {"only": "x" * 70_000}
    pod = {"metadata": {"name": "many"}, "spec": {"containers": [{} for _ in range(20_000)]}}
    reply = seeded.post(PODS, pod)
    status = reply.json()
    assert (reply.status, status["reason"]) == (422, "Invalid")
    assert len(status["details"]["causes"]) > 20_000
    assert seeded.get(f"{PODS}/many").status == 404

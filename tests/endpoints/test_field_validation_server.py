"""fieldValidation on create and update through the whole server: exact Status bodies and Warning headers.

Expected texts follow kube-apiserver 1.33 (handlers/create.go, update.go, rest.go `fieldValidation`,
`transformDecodeError`, `addStrictDecodingWarnings`; integration test field_validation_test.go).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from mockapi.testing.client import ApiClient, Reply
from mockapi.testing.server import ServerThread

CMS = "/api/v1/namespaces/default/configmaps"
DEPLOYS = "/apis/apps/v1/namespaces/default/deployments"
CM_PREFIX = 'ConfigMap in version "v1" cannot be handled as a ConfigMap: '


def cm(name: str, **extra: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}, "data": {"k": "v"}, **extra}


def bad_request(message: str) -> dict[str, Any]:
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": "BadRequest",
        "code": 400,
    }


def warnings(reply: Reply) -> list[str]:
    return reply.headers.get_all("Warning") or []


def test_no_directive_means_warn_and_the_unknown_field_is_dropped(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    reply = c.post(CMS, cm("fv-default", bogusField="x", metadata={"name": "fv-default", "bogus": 1}))
    assert reply.status == 201
    assert warnings(reply) == ['299 - "unknown field \\"metadata.bogus\\""', '299 - "unknown field \\"bogusField\\""']
    created = reply.json()
    assert "bogusField" not in created and "bogus" not in created["metadata"]
    assert "bogusField" not in c.get(f"{CMS}/fv-default").json()


def test_strict_rejects_with_the_decoders_message(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    reply = c.post(f"{CMS}?fieldValidation=Strict", cm("fv-strict", bogusField="x"))
    assert reply.status == 400
    assert reply.json() == bad_request(CM_PREFIX + 'strict decoding error: unknown field "bogusField"')
    assert warnings(reply) == []
    assert c.get(f"{CMS}/fv-strict").status == 404
    event = next(e for e in mockapi.audit_events() if e["auditID"] == reply.headers["Audit-Id"])
    assert event["annotations"]["mockapi.dev/rejected-stage"] == "decoding"
    assert event["annotations"]["mockapi.dev/rejected-by"] == "fieldValidation"


def test_ignore_is_silent(mockapi: ServerThread) -> None:
    reply = ApiClient(mockapi).post(f"{CMS}?fieldValidation=Ignore", cm("fv-ignore", bogusField="x"))
    assert reply.status == 201
    assert warnings(reply) == []
    assert "bogusField" not in reply.json()


def test_duplicates_are_seen_in_the_raw_json(mockapi: ServerThread) -> None:
    raw = b'{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"fv-dupe"},"data":{"k":"1","k":"2"}}'
    c = ApiClient(mockapi)
    strict = c.post(f"{CMS}?fieldValidation=Strict", raw)
    assert strict.json() == bad_request(CM_PREFIX + 'strict decoding error: duplicate field "data.k"')
    warn = c.post(CMS, raw)
    assert warn.status == 201
    assert warnings(warn) == ['299 - "duplicate field \\"data.k\\""']
    assert warn.json()["data"] == {"k": "2"}, "the last value wins, as in Go"


def test_yaml_body_reports_goyaml_duplicates_line_by_line(mockapi: ServerThread) -> None:
    body = b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fv-yaml\n  name: fv-yaml\ndata:\n  k: v\nbogus: 1\n"
    c = ApiClient(mockapi)
    headers = {"Content-Type": "application/yaml"}
    strict = c.request("POST", f"{CMS}?fieldValidation=Strict", body, headers)
    assert strict.json() == bad_request(
        CM_PREFIX + "strict decoding error: yaml: unmarshal errors:\n"
        '  line 5: key "name" already set in map, unknown field "bogus"'
    )
    warn = c.request("POST", f"{CMS}?fieldValidation=Warn", body, headers)
    assert warn.status == 201
    assert warnings(warn) == ['299 - "line 5: key \\"name\\" already set in map"', '299 - "unknown field \\"bogus\\""']


def test_update_validates_the_same_way(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    created = c.post(CMS, cm("fv-put")).json()
    body = {**created, "spec": {"nope": True}}
    strict = c.put(f"{CMS}/fv-put?fieldValidation=Strict", body)
    assert strict.json() == bad_request(CM_PREFIX + 'strict decoding error: unknown field "spec"')
    warn = c.put(f"{CMS}/fv-put", body)
    assert warn.status == 200
    assert warnings(warn) == ['299 - "unknown field \\"spec\\""']
    assert "spec" not in warn.json()


@pytest.mark.parametrize("directive", ["Strict", "Warn", "Ignore"])
def test_type_errors_are_400_under_every_directive(mockapi: ServerThread, directive: str) -> None:
    body = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": f"fv-type-{directive.lower()}"},
        "spec": {"replicas": "2", "bogus": 1},
    }
    reply = ApiClient(mockapi).post(f"{DEPLOYS}?fieldValidation={directive}", body)
    assert reply.json() == bad_request(
        'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go '
        "struct field DeploymentSpec.spec.replicas of type int32"
    )
    assert warnings(reply) == []


def test_secret_with_data_that_is_not_base64(mockapi: ServerThread) -> None:
    body = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "fv-secret"}, "data": {"password": "hunter2"}}
    reply = ApiClient(mockapi).post("/api/v1/namespaces/default/secrets", body)
    assert reply.json() == bad_request(
        'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4'
    )


def test_strict_error_text_with_many_fields_keeps_document_order(mockapi: ServerThread) -> None:
    raw = json.dumps(
        {"apiVersion": "v1", "kind": "ConfigMap", "z": 1, "metadata": {"name": "fv-order", "q": 1}, "a": 2}
    ).encode()
    reply = ApiClient(mockapi).post(f"{CMS}?fieldValidation=Strict", raw)
    assert reply.json()["message"] == CM_PREFIX + (
        'strict decoding error: unknown field "z", unknown field "metadata.q", unknown field "a"'
    )


def test_warnings_survive_a_later_rejection(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    assert c.post(CMS, cm("fv-twice")).status == 201
    reply = c.post(f"{CMS}?fieldValidation=Warn", cm("fv-twice", bogusField="x"))
    assert reply.status == 409
    assert reply.headers.get_all("Warning") == ['299 - "unknown field \\"bogusField\\""']


def test_patch_with_unknown_field_strict_is_invalid(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    assert c.post(CMS, cm("fv-patch")).status == 201
    reply = c.request(
        "PATCH", f"{CMS}/fv-patch?fieldValidation=Strict", {"bogusField": "x"},
        {"Content-Type": "application/merge-patch+json"},
    )  # fmt: skip
    assert reply.status == 422
    body = reply.json()
    assert body["reason"] == "Invalid"
    assert body["message"].startswith(' "" is invalid: patch: Invalid value: "{')
    assert body["message"].endswith('": strict decoding error: unknown field "bogusField"')
    assert "bogusField" not in c.get(f"{CMS}/fv-patch").json()

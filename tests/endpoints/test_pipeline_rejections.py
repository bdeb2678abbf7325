"""The executable spec of rejections: (who, request) -> (exact Status, rejecting stage, rejecting component).

Every case runs through the whole pipeline of a real TLS server; the audit event of the request must name
the stage and the component that said no.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from mockapi.testing.client import ApiClient
from mockapi.testing.server import ServerThread

ADMIN = ("admin", ("system:masters",))
BOB = ("bob", ())
ANONYMOUS: tuple[str | None, tuple[str, ...]] = (None, ())

CM_PATH = "/api/v1/namespaces/default/configmaps"


def cm(name: str, **extra: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, **extra}, "data": {"k": "v"}}


@dataclass
class Case:
    id: str
    method: str
    path: str
    status: dict[str, Any]
    stage: str
    by: str
    who: tuple[str | None, tuple[str, ...]] = ADMIN
    body: Any = None
    setup: Callable[[ApiClient], None] | None = None
    headers: dict[str, str] = field(default_factory=dict)


def status(code: int, reason: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
    }
    if reason:
        out["reason"] = reason
    if details is not None:
        out["details"] = details
    out["code"] = code
    return out


def _create_cm(name: str) -> Callable[[ApiClient], None]:
    def run(client: ApiClient) -> None:
        assert client.post(CM_PATH, cm(name)).status == 201

    return run


def _terminating_namespace(client: ApiClient) -> None:
    assert client.post("/api/v1/namespaces", {"metadata": {"name": "doomed"}}).status == 201
    # a finalizer on content keeps the namespace Terminating while the test runs
    assert (
        client.post("/api/v1/namespaces/doomed/configmaps", cm("held", finalizers=["example.com/hold"])).status == 201
    )
    assert client.delete("/api/v1/namespaces/doomed").status == 200


CASES = [
    Case(
        "not-found",
        "GET",
        f"{CM_PATH}/nope",
        status(404, "NotFound", 'configmaps "nope" not found', {"name": "nope", "kind": "configmaps"}),
        "storage",
        "registry",
    ),
    Case(
        "not-found-group",
        "GET",
        "/apis/apps/v1/namespaces/default/deployments/nope",
        status(
            404,
            "NotFound",
            'deployments.apps "nope" not found',
            {"name": "nope", "group": "apps", "kind": "deployments"},
        ),
        "storage",
        "registry",
    ),
    Case(
        "already-exists",
        "POST",
        CM_PATH,
        status(409, "AlreadyExists", 'configmaps "twice" already exists', {"name": "twice", "kind": "configmaps"}),
        "storage",
        "storage",
        body=cm("twice"),
        setup=_create_cm("twice"),
    ),
    Case(
        "conflict",
        "PUT",
        f"{CM_PATH}/stale",
        status(
            409,
            "Conflict",
            'Operation cannot be fulfilled on configmaps "stale": the object has been modified; '
            "please apply your changes to the latest version and try again",
            {"name": "stale", "kind": "configmaps"},
        ),
        "storage",
        "storage",
        body=cm("stale", resourceVersion="1"),
        setup=_create_cm("stale"),
    ),
    Case(
        "invalid-name",
        "POST",
        CM_PATH,
        status(
            422,
            "Invalid",
            'ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 '
            "subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end "
            "with an alphanumeric character (e.g. 'example.com', regex used for validation is "
            "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            {
                "name": "Bad_Name",
                "kind": "ConfigMap",
                "causes": [
                    {
                        "reason": "FieldValueInvalid",
                        "message": 'Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower '
                        "case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
                        "character (e.g. 'example.com', regex used for validation is "
                        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
                        "field": "metadata.name",
                    }
                ],
            },
        ),
        "validation",
        "registry",
        body=cm("Bad_Name"),
    ),
    Case(
        "name-required",
        "POST",
        CM_PATH,
        status(
            422,
            "Invalid",
            'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required',
            {
                "kind": "ConfigMap",
                "causes": [
                    {
                        "reason": "FieldValueRequired",
                        "message": "Required value: name or generateName is required",
                        "field": "metadata.name",
                    }
                ],
            },
        ),
        "validation",
        "registry",
        body={"metadata": {}},
    ),
    Case(
        "namespace-not-found",
        "POST",
        "/api/v1/namespaces/nope/configmaps",
        status(404, "NotFound", 'namespaces "nope" not found', {"name": "nope", "kind": "namespaces"}),
        "admission",
        "NamespaceLifecycle",
        body=cm("x"),
    ),
    Case(
        "namespace-terminating",
        "POST",
        "/api/v1/namespaces/doomed/configmaps",
        status(
            403,
            "Forbidden",
            'configmaps "late" is forbidden: unable to create new content in namespace doomed because it is '
            "being terminated",
            {
                "name": "late",
                "kind": "configmaps",
                "causes": [
                    {
                        "reason": "NamespaceTerminating",
                        "message": "namespace doomed is being terminated",
                        "field": "metadata.namespace",
                    }
                ],
            },
        ),
        "admission",
        "NamespaceLifecycle",
        body=cm("late"),
        setup=_terminating_namespace,
    ),
    Case(
        "undeletable-namespace",
        "DELETE",
        "/api/v1/namespaces/kube-system",
        status(
            403,
            "Forbidden",
            'namespaces "kube-system" is forbidden: this namespace may not be deleted',
            {"name": "kube-system", "kind": "namespaces"},
        ),
        "admission",
        "NamespaceLifecycle",
    ),
    Case(
        "bad-token",
        "GET",
        "/api/v1/namespaces",
        status(401, "Unauthorized", "Unauthorized"),
        "authentication",
        "authentication",
        who=ANONYMOUS,
        headers={"Authorization": "Bearer not-a-token"},
    ),
    Case(
        "body-too-large",
        "POST",
        CM_PATH,
        status(413, "RequestEntityTooLarge", "Request entity too large: limit is 3145728"),
        "decoding",
        "endpoint",
        body={"metadata": {"name": "big"}, "data": {"k": "x" * (3 * 1024 * 1024)}},
    ),
    Case(
        "namespace-mismatch",
        "POST",
        CM_PATH,
        status(
            400,
            "BadRequest",
            "the namespace of the provided object does not match the namespace sent on the request",
        ),
        "decoding",
        "endpoint",
        body=cm("x", namespace="other"),
    ),
    Case(
        "unknown-resource",
        "GET",
        "/api/v1/namespaces/default/gizmos",
        status(404, "NotFound", "the server could not find the requested resource", {}),
        "routing",
        "router",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rejection(mockapi: ServerThread, case: Case) -> None:
    admin = ApiClient(mockapi)
    if case.setup is not None:
        case.setup(admin)
    user, groups = case.who
    client = ApiClient(mockapi, user, groups)
    reply = client.request(case.method, case.path, case.body, case.headers)
    assert reply.status == case.status["code"]
    assert reply.json() == case.status
    assert reply.headers["Content-Type"] == "application/json"
    audit_id = reply.headers["Audit-Id"]
    event = next(e for e in mockapi.audit_events() if e["auditID"] == audit_id)
    assert event["responseStatus"]["code"] == case.status["code"]
    annotations = event.get("annotations", {})
    assert annotations["mockapi.dev/rejected-stage"] == case.stage
    assert annotations["mockapi.dev/rejected-by"] == case.by


@pytest.mark.mockapi_config(authorization_modes=("AlwaysDeny",))
def test_always_deny_forbids_with_kube_apiserver_message(mockapi: ServerThread) -> None:
    reply = ApiClient(mockapi, "bob", ()).get(CM_PATH)
    assert reply.status == 403
    assert reply.json() == status(
        403,
        "Forbidden",
        'configmaps is forbidden: User "bob" cannot list resource "configmaps" in API group "" in the namespace '
        '"default": Everything is forbidden.',
        {"kind": "configmaps"},
    )
    assert reply.headers["X-Content-Type-Options"] == "nosniff"
    event = next(e for e in mockapi.audit_events() if e["auditID"] == reply.headers["Audit-Id"])
    assert event["annotations"]["authorization.k8s.io/decision"] == "forbid"
    assert event["annotations"]["authorization.k8s.io/reason"] == "Everything is forbidden."
    assert event["annotations"]["mockapi.dev/rejected-stage"] == "authorization"
    assert event["annotations"]["mockapi.dev/rejected-by"] == "AlwaysDeny"
    # system:masters is allowed by the privileged-group authorizer that always runs first
    assert ApiClient(mockapi).get(CM_PATH).status == 200


@pytest.mark.mockapi_config(authorization_modes=("AlwaysDeny",))
def test_always_deny_non_resource_and_named_messages(mockapi: ServerThread) -> None:
    bob = ApiClient(mockapi, "bob", ())
    root = bob.get("/")
    assert root.json() == status(
        403, "Forbidden", 'forbidden: User "bob" cannot get path "/": Everything is forbidden.', {}
    )
    named = bob.get("/apis/apps/v1/namespaces/ns1/deployments/web")
    assert named.json()["message"] == (
        'deployments.apps "web" is forbidden: User "bob" cannot get resource "deployments" in API group "apps" '
        'in the namespace "ns1": Everything is forbidden.'
    )
    assert named.json()["details"] == {"name": "web", "group": "apps", "kind": "deployments"}
    nodes = bob.get("/api/v1/nodes")
    assert nodes.json()["message"] == (
        'nodes is forbidden: User "bob" cannot list resource "nodes" in API group "" at the cluster scope: '
        "Everything is forbidden."
    )


@pytest.mark.mockapi_config(anonymous_auth=False)
def test_no_credentials_without_anonymous_is_401(mockapi: ServerThread) -> None:
    reply = ApiClient(mockapi, None).get("/api/v1/namespaces")
    assert reply.status == 401
    assert reply.json() == status(401, "Unauthorized", "Unauthorized")
    event = next(e for e in mockapi.audit_events() if e["auditID"] == reply.headers["Audit-Id"])
    assert event["annotations"]["mockapi.dev/rejected-stage"] == "authentication"


def test_audit_log_file_names_the_rejecting_stage(tmp_path: Path, mockapi_config_defaults: dict[str, Any]) -> None:
    log = tmp_path / "audit.log"
    with ServerThread(**mockapi_config_defaults, audit_log_path=log) as server:
        reply = ApiClient(server).post("/api/v1/namespaces/nope/configmaps", cm("x"))
        assert reply.status == 404
        audit_id = reply.headers["Audit-Id"]
    events = [json.loads(line) for line in log.read_text().splitlines()]
    event = next(e for e in events if e["auditID"] == audit_id)
    assert event["kind"] == "Event" and event["apiVersion"] == "audit.k8s.io/v1"
    assert event["level"] == "Metadata" and event["stage"] == "ResponseComplete"
    assert event["verb"] == "create"
    assert {k: v for k, v in event["user"].items() if k != "extra"} == {
        "username": "admin",
        "groups": ["system:masters", "system:authenticated"],
    }
    assert list(event["user"]["extra"]) == ["authentication.kubernetes.io/credential-id"]
    assert event["objectRef"] == {"resource": "configmaps", "namespace": "nope", "apiVersion": "v1"}
    assert event["responseStatus"] == {
        "metadata": {},
        "status": "Failure",
        "message": 'namespaces "nope" not found',
        "reason": "NotFound",
        "code": 404,
    }
    assert event["annotations"]["mockapi.dev/rejected-stage"] == "admission"
    assert event["annotations"]["mockapi.dev/rejected-by"] == "NamespaceLifecycle"
    stages = json.loads(event["annotations"]["mockapi.dev/stages"])
    assert [s["stage"] for s in stages] == ["authentication", "authorization", "admission"]

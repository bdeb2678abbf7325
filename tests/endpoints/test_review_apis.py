"""The create-only APIs through the whole pipeline: reviews answer through the server's own authenticator,
authorizer and rule resolver and store nothing; pods/binding and `bindings` assign a pod to a node."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from mockapi.testing.client import ApiClient
from mockapi.testing.server import ServerThread

AUTHZ = "/apis/authorization.k8s.io/v1"
AUTHN = "/apis/authentication.k8s.io/v1"
NS = "/api/v1/namespaces/default"
CONTAINERS = {"containers": [{"name": "c", "image": "x"}]}
POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": CONTAINERS}


@pytest.fixture(scope="module")
def deny_all() -> Iterator[ServerThread]:
    with ServerThread(authorization_modes=("AlwaysDeny",)) as running:
        yield running


@pytest.fixture
def admin(deny_all: ServerThread) -> ApiClient:
    deny_all.reset()
    return ApiClient(deny_all)


def test_self_subject_review_echoes_the_caller(admin: ApiClient) -> None:
    review = {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}
    reply = admin.post(f"{AUTHN}/selfsubjectreviews", review)
    assert reply.status == 201
    body = reply.json()
    user_info = body["status"]["userInfo"]
    credential = user_info.pop("extra")  # the client certificate's fingerprint, as kube-apiserver 1.32+ adds it
    assert user_info == {"username": "admin", "groups": ["system:masters", "system:authenticated"]}
    assert re.fullmatch(r"X509SHA256=[0-9a-f]{64}", credential["authentication.kubernetes.io/credential-id"][0])
    assert set(body["metadata"]) == {"creationTimestamp"}


def test_subject_access_review_asks_the_authorizer_about_someone_else(admin: ApiClient) -> None:
    review = {"spec": {"user": "jane", "resourceAttributes": {"verb": "get", "resource": "secrets", "namespace": "x"}}}
    reply = admin.post(f"{AUTHZ}/subjectaccessreviews", review)
    assert reply.status == 201
    assert reply.json()["status"] == {"allowed": False, "reason": "Everything is forbidden."}
    path = {"verb": "get", "path": "/x"}
    masters = {"spec": {"user": "root", "groups": ["system:masters"], "nonResourceAttributes": path}}
    assert admin.post(f"{AUTHZ}/subjectaccessreviews", masters).json()["status"] == {"allowed": True}


def test_an_invalid_review_is_422(admin: ApiClient) -> None:
    reply = admin.post(f"{AUTHZ}/subjectaccessreviews", {"spec": {"user": "jane"}})
    assert (reply.status, reply.json()["reason"]) == (422, "Invalid")
    assert "exactly one of nonResourceAttributes or resourceAttributes must be specified" in reply.json()["message"]
    local = {"spec": {"user": "jane", "resourceAttributes": {"verb": "get", "resource": "pods", "namespace": "other"}}}
    reply = admin.post(f"{AUTHZ}/namespaces/default/localsubjectaccessreviews", local)
    assert reply.status == 422  # ValidateLocalSubjectAccessReview: the spec's namespace is the object's
    assert reply.json()["details"]["causes"] == [
        {
            "reason": "FieldValueInvalid",
            "message": 'Invalid value: "other": must match metadata.namespace',
            "field": "spec.resourceAttributes.namespace",
        }
    ]


def test_token_review_reports_what_the_authenticator_said(admin: ApiClient) -> None:
    reply = admin.post(f"{AUTHN}/tokenreviews", {"spec": {"token": "nobody-knows-me"}})
    assert reply.status == 201
    assert reply.json()["status"] == {"user": {}, "error": "invalid bearer token"}
    empty = admin.post(f"{AUTHN}/tokenreviews", {"spec": {}})
    assert (empty.status, empty.json()["message"]) == (400, "token is required for TokenReview in authentication")


def test_rules_review_lists_the_rule_resolvers_rules(admin: ApiClient) -> None:
    reply = admin.post(f"{AUTHZ}/selfsubjectrulesreviews", {"spec": {"namespace": "default"}})
    assert reply.status == 201
    assert reply.json()["status"] == {"resourceRules": [], "nonResourceRules": [], "incomplete": False}


def test_pods_binding_assigns_the_pod_once(admin: ApiClient) -> None:
    assert admin.post(f"{NS}/pods", POD).status == 201
    binding = {"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "p"}, "target": {"name": "node-1"}}
    reply = admin.post(f"{NS}/pods/p/binding", binding)
    assert (reply.status, reply.json()["status"]) == (201, "Success")
    pod = admin.get(f"{NS}/pods/p").json()
    assert pod["spec"]["nodeName"] == "node-1"
    assert any(c["type"] == "PodScheduled" and c["status"] == "True" for c in pod["status"]["conditions"])
    again = admin.post(f"{NS}/bindings", {**binding, "target": {"name": "node-2"}})
    assert (again.status, again.json()["reason"]) == (409, "Conflict")
    assert 'pod p is already assigned to node "node-1"' in again.json()["message"]
    missing = admin.post(f"{NS}/pods/q/binding", {**binding, "metadata": {"name": "q"}})
    assert (missing.status, missing.json()["message"]) == (404, 'pods "q" not found')

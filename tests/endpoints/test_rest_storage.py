"""Per-resource REST storage: who serves which (group, resource, subresource), and what a verb that storage
lacks answers. Status writes hold their body to the Go type like the main resource (fieldValidation)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mockapi.testing.client import ApiClient
from mockapi.testing.server import ServerThread

NS = "/api/v1/namespaces/default"
CONTAINERS = {"containers": [{"name": "c", "image": "x"}]}
POD = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": CONTAINERS}
DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "d"},
    "spec": {
        "selector": {"matchLabels": {"a": "b"}},
        "template": {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "x"}]}},
    },
}


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread() as running:
        yield running


@pytest.fixture
def client(server: ServerThread) -> ApiClient:
    server.reset()
    return ApiClient(server)


@pytest.mark.parametrize(
    ("collection", "body", "path"),
    [
        (f"{NS}/pods", POD, f"{NS}/pods/p"),
        ("/apis/apps/v1/namespaces/default/deployments", DEPLOYMENT, "/apis/apps/v1/namespaces/default/deployments/d"),
    ],
)
def test_a_strict_status_put_with_an_unknown_field_is_refused_and_stores_nothing(
    client: ApiClient, collection: str, body: dict[str, object], path: str
) -> None:
    assert client.post(collection, body).status == 201
    current = client.get(path).json()
    sent = {**current, "status": {**current.get("status", {}), "bogus": 1}}
    reply = client.put(f"{path}/status?fieldValidation=Strict", sent)
    assert reply.status == 400
    assert 'strict decoding error: unknown field "status.bogus"' in reply.json()["message"]
    after = client.get(path).json()
    assert after["metadata"]["resourceVersion"] == current["metadata"]["resourceVersion"]
    assert "bogus" not in after.get("status", {})


def test_a_status_put_that_ignores_unknown_fields_never_stores_them(client: ApiClient) -> None:
    assert client.post(f"{NS}/pods", POD).status == 201
    current = client.get(f"{NS}/pods/p").json()
    sent = {**current, "status": {"phase": "Running", "bogus": 1}}
    reply = client.put(f"{NS}/pods/p/status?fieldValidation=Ignore", sent)
    assert reply.status == 200
    assert reply.json()["status"]["phase"] == "Running"
    assert "bogus" not in client.get(f"{NS}/pods/p").json()["status"]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", f"{NS}/pods/p/eviction", {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "p"}}),
        ("POST", f"{NS}/pods/p/exec?command=ls", None),
    ],
)
def test_a_create_only_endpoint_not_served_yet_says_so(client: ApiClient, method: str, path: str, body: object) -> None:
    reply = client.request(method, path, body)
    status = reply.json()
    assert (reply.status, status["reason"]) == (405, "MethodNotAllowed")
    assert "by mockapi yet" in status["message"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"),
        ("GET", "/apis/authentication.k8s.io/v1/selfsubjectreviews/x"),
        ("DELETE", "/apis/authorization.k8s.io/v1/subjectaccessreviews/x"),
        ("GET", f"{NS}/pods/p/binding"),
    ],
)
def test_a_verb_discovery_does_not_list_is_405(client: ApiClient, method: str, path: str) -> None:
    reply = client.request(method, path)
    assert reply.status == 405
    assert reply.json()["message"] == "the server does not allow this method on the requested resource"


def test_nothing_is_stored_under_a_review_resource(client: ApiClient, server: ServerThread) -> None:
    reply = client.post(
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        {"spec": {"resourceAttributes": {"verb": "get", "resource": "pods"}}},
    )
    assert reply.status == 201, "answered (a generic store would refuse a nameless object with 422)"
    assert server.server is not None
    storage = server.server.components.storage
    assert not [p for p in storage.prefixes() if "review" in p]


def test_a_post_to_an_item_path_is_refused(client: ApiClient) -> None:
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}
    assert client.post(f"{NS}/configmaps/x", cm).status == 405  # the item path has routes, none for POST
    binding = {"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "p"}, "target": {"name": "n"}}
    assert client.post(f"{NS}/bindings/p", binding).status == 404  # create-only: no item routes at all
    assert client.get(f"{NS}/configmaps/x").status == 404


def test_a_binding_from_another_namespace_is_refused_and_binds_nothing(client: ApiClient) -> None:
    assert client.post(f"{NS}/pods", POD).status == 201
    binding = {"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "p", "namespace": "other"}}
    reply = client.post(f"{NS}/pods/p/binding", {**binding, "target": {"name": "n"}})
    assert (reply.status, reply.json()["message"]) == (
        400,
        "the namespace of the provided object does not match the namespace sent on the request",
    )
    assert "nodeName" not in client.get(f"{NS}/pods/p").json()["spec"]

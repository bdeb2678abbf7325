"""serviceaccounts/token through the whole pipeline: defaults, refusals in upstream's order, the maximum
expiration's warning, the kubelet-style one-year pod token, node binding and the response's shape."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from mockapi.testing.client import ApiClient, Reply
from mockapi.testing.server import ServerThread

NS = "/api/v1/namespaces/default"
TOKEN = f"{NS}/serviceaccounts/default/token"


def request(**spec: Any) -> dict[str, Any]:
    return {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": spec}


def claims(reply: Reply) -> dict[str, Any]:
    token = reply.json()["status"]["token"]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
    return decoded


@pytest.fixture
def admin(mockapi: ServerThread) -> ApiClient:
    client = ApiClient(mockapi)
    pod = {
        "metadata": {"name": "p"},
        "spec": {"serviceAccountName": "default", "containers": [{"name": "c", "image": "i"}]},
    }
    assert client.post(f"{NS}/pods", pod).status == 201
    return client


def test_an_unbound_request_is_defaulted_and_echoed(admin: ApiClient) -> None:
    reply = admin.post(TOKEN, request())
    assert reply.status == 201
    body = reply.json()
    assert list(body) == ["kind", "apiVersion", "metadata", "spec", "status"]
    assert body["spec"] == {
        "audiences": ["https://kubernetes.default.svc.cluster.local"],
        "expirationSeconds": 3600,
        "boundObjectRef": None,
    }
    assert body["metadata"]["managedFields"][0]["subresource"] == "token"
    found = claims(reply)
    assert found["exp"] - found["iat"] == 3600 and found["nbf"] == found["iat"]


@pytest.mark.parametrize(
    ("spec", "code", "message"),
    [
        ({"boundObjectRef": {}}, 400, "cannot bind token to object of type /, Kind="),
        ({"boundObjectRef": {"kind": "Pod", "apiVersion": "v1", "name": ""}}, 400, "Name parameter required."),
        (  # the pod's service account is checked before the uid
            {"boundObjectRef": {"kind": "Pod", "apiVersion": "v1", "name": "other-sa", "uid": "wrong"}},
            400,
            'cannot bind token for serviceaccount "default" to pod running with different serviceaccount name.',
        ),
        (
            {"boundObjectRef": {"kind": "Pod", "apiVersion": "v1", "name": "p", "uid": "wrong"}},
            409,
            'Operation cannot be fulfilled on Pod "p": the UID in the bound object reference (wrong) does not match',
        ),
        ({"boundObjectRef": {"kind": "Node", "apiVersion": "v1", "name": "n"}}, 404, 'nodes "n" not found'),
        ({"expirationSeconds": 599}, 422, 'TokenRequest.authentication.k8s.io "" is invalid: spec.expirationSeconds'),
    ],
)
def test_refusals(admin: ApiClient, spec: dict[str, Any], code: int, message: str) -> None:
    other = {
        "metadata": {"name": "other-sa"},
        "spec": {"serviceAccountName": "builder", "containers": [{"name": "c", "image": "i"}]},
    }
    admin.post(f"{NS}/serviceaccounts", {"metadata": {"name": "builder"}})
    admin.post(f"{NS}/pods", other)
    reply = admin.post(TOKEN, request(**spec))
    assert reply.status == code, reply.body
    assert reply.json()["message"].startswith(message)


def test_a_kubelet_style_pod_token_lives_a_year_and_warns_after_3607_seconds(admin: ApiClient) -> None:
    bound = {"kind": "Pod", "apiVersion": "v1", "name": "p"}
    reply = admin.post(TOKEN, request(expirationSeconds=3607, boundObjectRef=bound))
    found = claims(reply)
    assert found["exp"] - found["iat"] == 365 * 24 * 3600
    assert found["kubernetes.io"]["warnafter"] == found["iat"] + 3607
    assert reply.json()["spec"]["expirationSeconds"] == 3607  # the response reports what was asked


def test_a_node_bound_token(admin: ApiClient) -> None:
    assert admin.post("/api/v1/nodes", {"metadata": {"name": "n1"}}).status == 201
    node_uid = admin.get("/api/v1/nodes/n1").json()["metadata"]["uid"]
    reply = admin.post(TOKEN, request(boundObjectRef={"kind": "Node", "apiVersion": "v1", "name": "n1"}))
    assert claims(reply)["kubernetes.io"]["node"] == {"name": "n1", "uid": node_uid}


@pytest.mark.mockapi_config(service_account_max_token_expiration=3600)
def test_the_maximum_shortens_with_a_warning(mockapi: ServerThread) -> None:
    reply = ApiClient(mockapi).post(TOKEN, request(expirationSeconds=7200))
    assert reply.json()["spec"]["expirationSeconds"] == 3600
    assert reply.headers["Warning"] == '299 - "requested expiration of 7200 seconds shortened to 3600 seconds"'

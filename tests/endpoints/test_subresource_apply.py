"""Server-side apply and field managers on the status and scale subresources."""

from __future__ import annotations

from typing import Any

from mockapi.testing.client import ApiClient, Reply
from mockapi.testing.server import ServerThread

DEPLOYS = "/apis/apps/v1/namespaces/default/deployments"
APPLY = "application/apply-patch+yaml"
MERGE = "application/merge-patch+json"


def _deploy(replicas: int = 2) -> dict[str, Any]:
    template = {"metadata": {"labels": {"a": "b"}}, "spec": {"containers": [{"name": "c", "image": "i"}]}}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"a": "b"}}, "template": template}}  # fmt: skip


def _apply(c: ApiClient, path: str, body: dict[str, Any], query: str) -> Reply:
    return c.request("PATCH", f"{path}?{query}", body, {"Content-Type": APPLY})


def _entries(obj: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    return [(e["manager"], e["operation"], e.get("subresource")) for e in obj["metadata"]["managedFields"]]


def _fields_of(obj: dict[str, Any], manager: str, subresource: str | None = None) -> Any:
    for e in obj["metadata"]["managedFields"]:
        if e["manager"] == manager and e.get("subresource") == subresource:
            return e["fieldsV1"]
    raise AssertionError(f"no entry for {manager}/{subresource}")


def test_status_apply_changes_status_alone_and_owns_it(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    assert _apply(c, f"{DEPLOYS}/web", _deploy(), "fieldManager=kubectl").status == 201
    config = {**_deploy(replicas=9), "status": {"replicas": 2, "readyReplicas": 1}}
    reply = _apply(c, f"{DEPLOYS}/web/status", config, "fieldManager=ctrl")
    assert reply.status == 200
    obj = reply.json()
    assert obj["spec"]["replicas"] == 2  # the status endpoint resets spec
    assert obj["status"] == {"replicas": 2, "readyReplicas": 1}
    assert set(_entries(obj)) == {("kubectl", "Apply", None), ("ctrl", "Apply", "status")}
    assert _fields_of(obj, "ctrl", "status") == {"f:status": {"f:readyReplicas": {}, "f:replicas": {}}}
    # applying again without readyReplicas gives it up and removes it
    again = _apply(c, f"{DEPLOYS}/web/status", {**_deploy(), "status": {"replicas": 2}}, "fieldManager=ctrl").json()
    assert again["status"] == {"replicas": 2}


def test_status_apply_conflicts_with_another_status_manager(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    _apply(c, f"{DEPLOYS}/web", _deploy(), "fieldManager=kubectl")
    _apply(c, f"{DEPLOYS}/web/status", {**_deploy(), "status": {"replicas": 2}}, "fieldManager=ctrl")
    reply = _apply(c, f"{DEPLOYS}/web/status", {**_deploy(), "status": {"replicas": 3}}, "fieldManager=other")
    assert (reply.status, reply.json()["message"]) == (
        409, 'Apply failed with 1 conflict: conflict with "ctrl" with subresource "status": .status.replicas',
    )  # fmt: skip
    forced = _apply(c, f"{DEPLOYS}/web/status", {**_deploy(), "status": {"replicas": 3}}, "fieldManager=other&force=1")
    assert forced.status == 200 and forced.json()["status"]["replicas"] == 3


def test_status_apply_of_a_missing_object_is_not_found(mockapi: ServerThread) -> None:
    reply = _apply(ApiClient(mockapi), f"{DEPLOYS}/web/status", _deploy(), "fieldManager=ctrl")
    assert (reply.status, reply.json()["message"]) == (404, 'deployments.apps "web" not found')


def test_status_writes_default_their_manager_from_the_user_agent(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    _apply(c, f"{DEPLOYS}/web", _deploy(), "fieldManager=kubectl")
    obj = c.request("PATCH", f"{DEPLOYS}/web/status", {"status": {"replicas": 1}},
                    {"Content-Type": MERGE, "User-Agent": "my-operator/v1 (linux/amd64)"}).json()  # fmt: skip
    assert ("my-operator", "Update", "status") in _entries(obj)


def test_scale_writes_record_the_scale_subresource(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    _apply(c, f"{DEPLOYS}/web", _deploy(), "fieldManager=kubectl")
    scaled = c.request("PATCH", f"{DEPLOYS}/web/scale", {"spec": {"replicas": 5}},
                       {"Content-Type": MERGE, "User-Agent": "kubectl/v1.33.0 (linux/amd64)"})  # fmt: skip
    assert scaled.status == 200 and scaled.json()["spec"] == {"replicas": 5}
    obj = c.get(f"{DEPLOYS}/web").json()
    assert _entries(obj) == [("kubectl", "Apply", None), ("kubectl", "Update", "scale")]
    assert _fields_of(obj, "kubectl", "scale") == {"f:spec": {"f:replicas": {}}}
    assert obj["metadata"]["managedFields"][1]["apiVersion"] == "apps/v1"  # the parent's, as ScaleHandler maps it
    assert "f:replicas" not in _fields_of(obj, "kubectl")["f:spec"]  # the scale write took it over


def test_scale_apply_conflicts_then_forces(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    _apply(c, f"{DEPLOYS}/web", _deploy(), "fieldManager=kubectl")
    scale = {"apiVersion": "autoscaling/v1", "kind": "Scale", "metadata": {"name": "web"}, "spec": {"replicas": 4}}
    refused = _apply(c, f"{DEPLOYS}/web/scale", scale, "fieldManager=hpa")
    assert (refused.status, refused.json()["message"]) == (
        409, 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas',
    )  # fmt: skip
    forced = _apply(c, f"{DEPLOYS}/web/scale", scale, "fieldManager=hpa&force=true")
    assert (forced.status, forced.json()["kind"], forced.json()["spec"]) == (200, "Scale", {"replicas": 4})
    obj = c.get(f"{DEPLOYS}/web").json()
    assert obj["spec"]["replicas"] == 4
    assert ("hpa", "Apply", "scale") in _entries(obj)
    assert _fields_of(obj, "hpa", "scale") == {"f:spec": {"f:replicas": {}}}


def test_scale_apply_checks_kind_and_replicas(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    _apply(c, f"{DEPLOYS}/web", _deploy(), "fieldManager=kubectl")
    wrong = _apply(c, f"{DEPLOYS}/web/scale", _deploy(), "fieldManager=hpa")
    assert (wrong.status, wrong.json()["message"]) == (400, "invalid object type: apps/v1, Kind=Deployment")
    negative = {"apiVersion": "autoscaling/v1", "kind": "Scale", "metadata": {"name": "web"}, "spec": {"replicas": -1}}
    invalid = _apply(c, f"{DEPLOYS}/web/scale", negative, "fieldManager=hpa&force=true")
    assert (invalid.status, invalid.json()["message"]) == (
        422, 'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    )  # fmt: skip

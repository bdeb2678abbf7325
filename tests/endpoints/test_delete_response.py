"""What a DELETE answers, kind by kind (store.go finalizeDelete and ReturnDeletedObject).

An immediate deletion answers with the deleted object for the kinds in `registry/deleted_object.py` and with
a Success Status for every other kind; a deletion that is only started answers with the object always.
One server with every API served (`api/all=true`) hosts the table, reset before each case.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from mockapi.testing.client import ApiClient
from mockapi.testing.server import ServerThread

NS = "/api/v1/namespaces/default"
CONTAINERS = {"containers": [{"name": "c", "image": "busybox"}]}


@pytest.fixture(scope="module")
def all_apis(mockapi_config_defaults: dict[str, Any]) -> Iterator[ServerThread]:
    with ServerThread(**mockapi_config_defaults, runtime_config={"api/all": "true"}) as server:
        yield server


@pytest.fixture
def client(all_apis: ServerThread) -> ApiClient:
    all_apis.reset()
    return ApiClient(all_apis)


# (collection path, apiVersion, kind, body without apiVersion/kind/name)
RETURNS_OBJECT: list[tuple[str, str, str, dict[str, Any]]] = [
    (f"{NS}/pods", "v1", "Pod", {"spec": CONTAINERS}),
    (f"{NS}/services", "v1", "Service", {"spec": {"ports": [{"port": 80}]}}),
    (f"{NS}/serviceaccounts", "v1", "ServiceAccount", {}),
    (f"{NS}/podtemplates", "v1", "PodTemplate", {"template": {"spec": CONTAINERS}}),
    (f"{NS}/resourcequotas", "v1", "ResourceQuota", {"spec": {"hard": {"pods": "10"}}}),
    (
        f"{NS}/persistentvolumeclaims",
        "v1",
        "PersistentVolumeClaim",
        {"spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}},
    ),
    (
        "/api/v1/persistentvolumes",
        "v1",
        "PersistentVolume",
        {"spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"], "hostPath": {"path": "/x"}}},
    ),
    ("/apis/storage.k8s.io/v1/storageclasses", "storage.k8s.io/v1", "StorageClass", {"provisioner": "x.io/p"}),
    ("/apis/storage.k8s.io/v1/csidrivers", "storage.k8s.io/v1", "CSIDriver", {"spec": {}}),
    ("/apis/storage.k8s.io/v1/csinodes", "storage.k8s.io/v1", "CSINode", {"spec": {"drivers": []}}),
    (
        "/apis/storage.k8s.io/v1/volumeattachments",
        "storage.k8s.io/v1",
        "VolumeAttachment",
        {"spec": {"attacher": "x.io/a", "nodeName": "n", "source": {"persistentVolumeName": "pv"}}},
    ),
    (
        "/apis/storage.k8s.io/v1beta1/volumeattributesclasses",
        "storage.k8s.io/v1beta1",
        "VolumeAttributesClass",
        {"driverName": "x.io/d"},
    ),
    ("/apis/resource.k8s.io/v1beta1/deviceclasses", "resource.k8s.io/v1beta1", "DeviceClass", {"spec": {}}),
    (
        "/apis/resource.k8s.io/v1alpha3/devicetaintrules",
        "resource.k8s.io/v1alpha3",
        "DeviceTaintRule",
        {"spec": {"taint": {"key": "k", "effect": "NoSchedule"}}},
    ),
    (
        "/apis/resource.k8s.io/v1beta1/namespaces/default/resourceclaims",
        "resource.k8s.io/v1beta1",
        "ResourceClaim",
        {"spec": {"devices": {"requests": [{"name": "r", "deviceClassName": "gpu"}]}}},
    ),
    (
        "/apis/resource.k8s.io/v1beta1/namespaces/default/resourceclaimtemplates",
        "resource.k8s.io/v1beta1",
        "ResourceClaimTemplate",
        {"spec": {"spec": {"devices": {"requests": [{"name": "r", "deviceClassName": "gpu"}]}}}},
    ),
    (
        "/apis/resource.k8s.io/v1beta1/resourceslices",
        "resource.k8s.io/v1beta1",
        "ResourceSlice",
        {"spec": {"driver": "x.io", "pool": {"name": "p", "resourceSliceCount": 1}, "nodeName": "n"}},
    ),
]

# (collection path, apiVersion, kind, plural, body)
RETURNS_STATUS: list[tuple[str, str, str, str, dict[str, Any]]] = [
    (f"{NS}/configmaps", "v1", "ConfigMap", "configmaps", {"data": {"a": "b"}}),
    (f"{NS}/secrets", "v1", "Secret", "secrets", {}),
    ("/api/v1/nodes", "v1", "Node", "nodes", {}),
    (f"{NS}/endpoints", "v1", "Endpoints", "endpoints", {}),
    (
        "/apis/rbac.authorization.k8s.io/v1/clusterroles",
        "rbac.authorization.k8s.io/v1",
        "ClusterRole",
        "clusterroles",
        {},
    ),
    ("/apis/coordination.k8s.io/v1/namespaces/default/leases", "coordination.k8s.io/v1", "Lease", "leases", {}),
    (
        "/apis/apps/v1/namespaces/default/deployments",
        "apps/v1",
        "Deployment",
        "deployments",
        {
            "spec": {
                "selector": {"matchLabels": {"a": "b"}},
                "template": {"metadata": {"labels": {"a": "b"}}, "spec": CONTAINERS},
            }
        },
    ),
]


def _create(client: ApiClient, path: str, api_version: str, kind: str, body: dict[str, Any]) -> dict[str, Any]:
    reply = client.post(path, {"apiVersion": api_version, "kind": kind, "metadata": {"name": "x"}, **body})
    assert reply.status == 201, reply.body
    created: dict[str, Any] = reply.json()
    return created


@pytest.mark.parametrize(("path", "api_version", "kind", "body"), RETURNS_OBJECT, ids=[c[2] for c in RETURNS_OBJECT])
def test_immediate_delete_answers_the_object(
    client: ApiClient, path: str, api_version: str, kind: str, body: dict[str, Any]
) -> None:
    created = _create(client, path, api_version, kind, body)
    reply = client.delete(f"{path}/x")
    assert reply.status == 200, reply.body
    gone = reply.json()
    assert (gone["apiVersion"], gone["kind"]) == (api_version, kind)
    assert gone["metadata"]["uid"] == created["metadata"]["uid"]
    # a Pod (the graceful kind) is marked with a zero grace period before removal; the rest are unmarked
    assert gone["metadata"].get("deletionGracePeriodSeconds") == (0 if kind == "Pod" else None)
    assert client.get(f"{path}/x").status == 404


@pytest.mark.parametrize(
    ("path", "api_version", "kind", "plural", "body"), RETURNS_STATUS, ids=[c[2] for c in RETURNS_STATUS]
)
def test_immediate_delete_answers_a_success_status(
    client: ApiClient, path: str, api_version: str, kind: str, plural: str, body: dict[str, Any]
) -> None:
    created = _create(client, path, api_version, kind, body)
    reply = client.delete(f"{path}/x")
    assert reply.status == 200, reply.body
    group = api_version.rpartition("/")[0]
    details = {"name": "x", **({"group": group} if group else {}), "kind": plural, "uid": created["metadata"]["uid"]}
    assert reply.json() == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Success",
        "details": details,
    }
    assert client.get(f"{path}/x").status == 404


@pytest.mark.parametrize(
    ("path", "api_version", "kind", "body"),
    [
        pytest.param(f"{NS}/configmaps", "v1", "ConfigMap", {}, id="Status-kind"),
        pytest.param(f"{NS}/services", "v1", "Service", {"spec": {"ports": [{"port": 80}]}}, id="object-kind"),
    ],
)
@pytest.mark.parametrize(
    ("query", "delete_body", "code"),
    [
        pytest.param("", None, 200, id="finalizer"),
        # kube-apiserver answers 202 for a pending deletion only when orphanDependents=false was asked for
        pytest.param("", {"orphanDependents": False}, 202, id="orphanDependents-false"),
        pytest.param("?propagationPolicy=Foreground", None, 200, id="foreground"),
    ],
)
def test_started_deletion_answers_the_object_for_every_kind(
    client: ApiClient,
    path: str,
    api_version: str,
    kind: str,
    body: dict[str, Any],
    query: str,
    delete_body: dict[str, Any] | None,
    code: int,
) -> None:
    held = {**body, "metadata": {"name": "x", "finalizers": ["example.com/hold"]}}
    created = client.post(path, {"apiVersion": api_version, "kind": kind, **held}).json()
    reply = client.delete(f"{path}/x{query}", delete_body)
    assert reply.status == code, reply.body
    pending = reply.json()
    assert (pending["kind"], pending["metadata"]["uid"]) == (kind, created["metadata"]["uid"])
    assert "deletionTimestamp" in pending["metadata"]
    assert client.get(f"{path}/x").status == 200


def test_graceful_pod_deletion_answers_the_pending_pod(client: ApiClient) -> None:
    client.post(
        f"{NS}/pods",
        {"metadata": {"name": "x", "finalizers": ["example.com/hold"]}, "spec": {**CONTAINERS, "nodeName": "n"}},
    )
    reply = client.delete(f"{NS}/pods/x")
    assert reply.status == 200
    pending = reply.json()
    assert pending["kind"] == "Pod" and pending["metadata"]["deletionGracePeriodSeconds"] == 30
    # rest.BeforeDelete: a pending grace period may be shortened, the timestamp moving back by as much
    shorter = client.delete(f"{NS}/pods/x", {"gracePeriodSeconds": 10}).json()["metadata"]
    assert shorter["deletionGracePeriodSeconds"] == 10
    assert _seconds(pending["metadata"]["deletionTimestamp"]) - _seconds(shorter["deletionTimestamp"]) == 20
    longer = client.delete(f"{NS}/pods/x", {"gracePeriodSeconds": 60}).json()["metadata"]
    assert longer["deletionGracePeriodSeconds"] == 10, "never lengthened"


def test_immediate_pod_deletion_is_a_write_then_a_removal(client: ApiClient) -> None:
    created = client.post(f"{NS}/pods", {"metadata": {"name": "x"}, "spec": CONTAINERS}).json()
    gone = client.delete(f"{NS}/pods/x").json()
    assert gone["metadata"]["deletionGracePeriodSeconds"] == 0 and "deletionTimestamp" in gone["metadata"]
    rv = created["metadata"]["resourceVersion"]
    stream = client.get(f"{NS}/pods?watch=true&resourceVersion={rv}&timeoutSeconds=1").body.decode()
    events = [json.loads(line) for line in stream.splitlines()]
    assert [(e["type"], "deletionTimestamp" in e["object"]["metadata"]) for e in events] == [
        ("MODIFIED", True),
        ("DELETED", True),
    ]


def _seconds(timestamp: str) -> float:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp()


@pytest.mark.parametrize(
    ("path", "body", "expected_kind"),
    [
        pytest.param(f"{NS}/configmaps", {}, "Status", id="Status-kind"),
        pytest.param(f"{NS}/services", {"spec": {"ports": [{"port": 80}]}}, "Service", id="object-kind"),
    ],
)
def test_dry_run_delete_answers_like_a_real_one_and_keeps_the_object(
    client: ApiClient, path: str, body: dict[str, Any], expected_kind: str
) -> None:
    client.post(path, {"metadata": {"name": "x"}, **body})
    reply = client.delete(f"{path}/x?dryRun=All")
    assert reply.status == 200 and reply.json()["kind"] == expected_kind
    assert client.get(f"{path}/x").status == 200


def test_deleting_a_namespace_answers_the_terminating_namespace(client: ApiClient) -> None:
    client.post("/api/v1/namespaces", {"metadata": {"name": "x"}})
    reply = client.delete("/api/v1/namespaces/x")
    assert reply.status == 200
    ns = reply.json()
    assert ns["kind"] == "Namespace" and ns["status"]["phase"] == "Terminating"


def test_deletecollection_still_answers_a_list(client: ApiClient) -> None:
    for name in ("a", "b"):
        client.post(
            f"{NS}/services", {"metadata": {"name": name, "labels": {"t": "y"}}, "spec": {"ports": [{"port": 80}]}}
        )
    reply = client.delete(f"{NS}/services?labelSelector=t%3Dy")
    assert reply.status == 200
    listed = reply.json()
    assert listed["kind"] == "ServiceList"
    assert sorted(item["metadata"]["name"] for item in listed["items"]) == ["a", "b"]

"""One key space per resource, objects kept in their storage version and served in the version asked for:
an HPA written through autoscaling/v1 reads back through autoscaling/v2 and the reverse, and core/v1 and
events.k8s.io/v1 Events are two views of one store (get, list, watch, update and delete alike)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from mockapi.testing.client import ApiClient
from mockapi.testing.server import ServerThread

V1 = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers"
V2 = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers"
CORE_EVENTS = "/api/v1/namespaces/default/events"
EVENTS = "/apis/events.k8s.io/v1/namespaces/default/events"
TARGET = {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread() as running:
        yield running


@pytest.fixture
def client(server: ServerThread) -> ApiClient:
    server.reset()
    return ApiClient(server)


def test_an_hpa_written_through_v1_reads_back_through_v2(client: ApiClient) -> None:
    body = {
        "apiVersion": "autoscaling/v1",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "h"},
        "spec": {"scaleTargetRef": TARGET, "maxReplicas": 5, "targetCPUUtilizationPercentage": 50},
    }
    assert client.post(V1, body).status == 201
    v2 = client.get(f"{V2}/h").json()
    assert v2["apiVersion"] == "autoscaling/v2"
    assert v2["spec"]["metrics"] == [
        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}
    ]
    assert "targetCPUUtilizationPercentage" not in v2["spec"]
    listed = client.get(V2).json()
    assert listed["kind"] == "HorizontalPodAutoscalerList" and listed["apiVersion"] == "autoscaling/v2"
    assert [item["spec"]["maxReplicas"] for item in listed["items"]] == [5]


def test_an_hpa_written_through_v2_reads_back_through_v1_with_what_v1_cannot_hold_in_annotations(
    client: ApiClient,
) -> None:
    memory = {
        "type": "Resource",
        "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "1Gi"}},
    }
    cpu = {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}
    body = {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "h"},
        "spec": {"scaleTargetRef": TARGET, "maxReplicas": 3, "metrics": [cpu, memory]},
    }
    assert client.post(V2, body).status == 201
    v1 = client.get(f"{V1}/h").json()
    assert v1["spec"]["targetCPUUtilizationPercentage"] == 70
    kept = json.loads(v1["metadata"]["annotations"]["autoscaling.alpha.kubernetes.io/metrics"])
    assert kept[0]["type"] == "Resource" and kept[0]["resource"]["name"] == "memory"
    # and a v1 update that keeps the annotation loses nothing
    v1["spec"]["maxReplicas"] = 4
    assert client.put(f"{V1}/h", v1).status == 200
    again = client.get(f"{V2}/h").json()
    assert again["spec"]["maxReplicas"] == 4
    assert again["spec"]["metrics"] == [memory, cpu]  # upstream puts the v1 cpu target after the others
    assert "annotations" not in again["metadata"]


def test_a_core_event_is_listed_and_watched_through_events_k8s_io(client: ApiClient) -> None:
    event = {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": "e"},
        "involvedObject": {"kind": "Pod", "name": "p", "namespace": "default"},
        "reason": "Pulled",
        "message": "pulled the image",
        "type": "Normal",
        "source": {"component": "kubelet"},
    }
    assert client.post(CORE_EVENTS, event).status == 201
    listed = client.get(EVENTS).json()
    assert listed["apiVersion"] == "events.k8s.io/v1"
    (item,) = listed["items"]
    assert item["note"] == "pulled the image"
    assert item["regarding"] == {"kind": "Pod", "name": "p", "namespace": "default"}
    assert item["deprecatedSource"] == {"component": "kubelet"}
    rv = listed["metadata"]["resourceVersion"]
    assert client.get(f"{EVENTS}?fieldSelector=regarding.name%3Dp").json()["items"][0]["reason"] == "Pulled"
    assert client.get(f"{EVENTS}?fieldSelector=regarding.name%3Dq").json()["items"] == []
    # a change made through events.k8s.io shows through core, and the watch sees it in its own version
    item.update(apiVersion="events.k8s.io/v1", kind="Event", note="pulled again")
    assert client.put(f"{EVENTS}/e", item).status == 200
    assert client.get(f"{CORE_EVENTS}/e").json()["message"] == "pulled again"
    watched = client.get(f"{EVENTS}?watch=1&resourceVersion={rv}&timeoutSeconds=1").body.splitlines()
    change = json.loads(watched[0])
    assert change["type"] == "MODIFIED"
    assert change["object"]["apiVersion"] == "events.k8s.io/v1" and change["object"]["note"] == "pulled again"
    assert client.delete(f"{EVENTS}/e").status == 200
    assert client.get(f"{CORE_EVENTS}/e").status == 404


def test_a_v1_annotation_that_does_not_decode_is_ignored_even_when_deeply_nested(client: ApiClient) -> None:
    deep = "[" * 5000 + "]" * 5000
    body = {
        "apiVersion": "autoscaling/v1",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "h", "annotations": {"autoscaling.alpha.kubernetes.io/metrics": deep}},
        "spec": {"scaleTargetRef": TARGET, "maxReplicas": 2},
    }
    assert client.post(V1, body).status == 201
    v2 = client.get(f"{V2}/h").json()
    assert [m["resource"]["name"] for m in v2["spec"]["metrics"]] == ["cpu"]  # the default target alone


def test_beta_and_ga_versions_share_one_store_in_the_version_discovery_names(
    mockapi_config_defaults: dict[str, Any],
) -> None:
    # storageVersionHash names networking.k8s.io/v1beta1 for ServiceCIDRs in 1.33: written through v1beta1,
    # read through v1 (and the reverse), each in the version asked for
    with ServerThread(**{**mockapi_config_defaults, "runtime_config": {"api/all": "true"}}) as server:
        client = ApiClient(server)
        beta = "/apis/networking.k8s.io/v1beta1/servicecidrs"
        body = {"apiVersion": "networking.k8s.io/v1beta1", "kind": "ServiceCIDR", "metadata": {"name": "extra"}}
        assert client.post(beta, {**body, "spec": {"cidrs": ["10.100.0.0/16"]}}).status == 201
        ga = client.get("/apis/networking.k8s.io/v1/servicecidrs/extra").json()
        assert ga["apiVersion"] == "networking.k8s.io/v1" and ga["spec"]["cidrs"] == ["10.100.0.0/16"]
        listed = client.get(beta).json()["items"]
        assert "extra" in [item["metadata"]["name"] for item in listed]

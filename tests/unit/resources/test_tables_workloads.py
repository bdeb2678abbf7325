"""Cell functions of core and workload printers: nodes, namespaces, endpoints, events, apps, batch, HPA."""

from __future__ import annotations

from typing import Any

import pytest
from table_cells_support import Obj, ago, cells, meta


def test_node() -> None:
    node = {
        "metadata": meta(
            "n1",
            labels={
                "node-role.kubernetes.io/worker": "",
                "node-role.kubernetes.io/control-plane": "",
                "kubernetes.io/role": "infra",
            },
        ),
        "spec": {"unschedulable": True},
        "status": {
            "conditions": [{"type": "MemoryPressure", "status": "False"}, {"type": "Ready", "status": "True"}],
            "addresses": [{"type": "Hostname", "address": "n1"}, {"type": "InternalIP", "address": "10.0.0.1"}],
            "nodeInfo": {
                "kubeletVersion": "v1.33.1",
                "osImage": "Ubuntu",
                "kernelVersion": "6.8",
                "containerRuntimeVersion": "containerd://2.0",
            },
        },
    }
    assert cells("", "v1", "nodes", node) == [
        "n1",
        "Ready,SchedulingDisabled",
        "control-plane,infra,worker",
        "3d4h",
        "v1.33.1",
        "10.0.0.1",
        "<none>",
        "Ubuntu",
        "6.8",
        "containerd://2.0",
    ]
    bare = {"metadata": meta("n2"), "status": {"conditions": [{"type": "Ready", "status": "Unknown"}]}}
    assert cells("", "v1", "nodes", bare)[:3] == ["n2", "NotReady", "<none>"]
    assert cells("", "v1", "nodes", {"metadata": meta("n3")})[1] == "Unknown"
    assert cells("", "v1", "nodes", {"metadata": meta("n3")})[7:] == ["<unknown>"] * 3


def test_namespace_configmap_secret_serviceaccount() -> None:
    assert cells("", "v1", "namespaces", {"metadata": meta("ns"), "status": {"phase": "Active"}}) == [
        "ns",
        "Active",
        "3d4h",
    ]
    secret = {"metadata": meta("s"), "type": "Opaque", "data": {"a": "", "b": ""}}
    assert cells("", "v1", "secrets", secret) == ["s", "Opaque", 2, "3d4h"]
    assert cells("", "v1", "serviceaccounts", {"metadata": meta("default")}) == ["default", 0, "3d4h"]
    assert cells("", "v1", "configmaps", {"metadata": meta("c")}) == ["c", 0, "3d4h"]


def test_endpoints() -> None:
    assert cells("", "v1", "endpoints", {"metadata": meta("e")})[1] == "<none>"
    subsets = [
        {"addresses": [{"ip": "10.0.0.1"}, {"ip": "fd00::2"}], "ports": [{"port": 80}, {"port": 443}]},
        {"addresses": [{"ip": "10.0.0.9"}]},
    ]
    assert cells("", "v1", "endpoints", {"metadata": meta("e"), "subsets": subsets})[1] == (
        "10.0.0.1:80,[fd00::2]:80,10.0.0.1:443 + 2 more..."
    )


def test_core_event_and_events_k8s_io_event() -> None:
    event = {
        "metadata": meta("web.17f"),
        "involvedObject": {"kind": "Pod", "name": "web", "fieldPath": "spec.containers{nginx}"},
        "reason": "Pulled",
        "message": "  Successfully pulled image  \n",
        "source": {"component": "kubelet", "host": "node-1"},
        "firstTimestamp": ago(hours=1),
        "lastTimestamp": ago(minutes=2),
        "count": 4,
        "type": "Normal",
    }
    expected = [
        "2m",
        "Normal",
        "Pulled",
        "pod/web",
        "spec.containers{nginx}",
        "kubelet, node-1",
        "Successfully pulled image",
        "60m",
        4,
        "web.17f",
    ]
    assert cells("", "v1", "events", event) == expected
    new_api = {
        "metadata": meta("web.17f"),
        "eventTime": ago(minutes=7),
        "reportingController": "scheduler",
        "reportingInstance": "",
        "regarding": {"kind": "Pod", "name": ""},
        "reason": "Scheduled",
        "note": "assigned",
        "type": "Normal",
    }
    assert cells("events.k8s.io", "v1", "events", new_api) == [
        "7m",
        "Normal",
        "Scheduled",
        "pod",
        "",
        "scheduler",
        "assigned",
        "7m",
        1,
        "web.17f",
    ]
    series = dict(new_api, series={"count": 9, "lastObservedTime": ago(seconds=30)})
    assert cells("events.k8s.io", "v1", "events", series)[0::8] == ["30s", 9]


def test_workloads() -> None:
    template = {"spec": {"containers": [{"name": "app", "image": "img"}], "nodeSelector": {"disk": "ssd"}}}
    selector = {"matchLabels": {"app": "a"}}
    rs = {
        "metadata": meta("rs"),
        "spec": {"replicas": 2, "selector": selector, "template": template},
        "status": {"replicas": 2},
    }
    assert cells("apps", "v1", "replicasets", rs) == ["rs", 2, 2, 0, "3d4h", "app", "img", "app=a"]
    sts = {"metadata": meta("db"), "spec": {"replicas": 3, "template": template}, "status": {"readyReplicas": 1}}
    assert cells("apps", "v1", "statefulsets", sts) == ["db", "1/3", "3d4h", "app", "img"]
    ds_status = {
        "desiredNumberScheduled": 3,
        "currentNumberScheduled": 3,
        "numberReady": 2,
        "updatedNumberScheduled": 3,
        "numberAvailable": 2,
    }
    ds = {"metadata": meta("ds"), "spec": {"selector": selector, "template": template}, "status": ds_status}
    assert cells("apps", "v1", "daemonsets", ds) == ["ds", 3, 3, 2, 3, 2, "disk=ssd", "3d4h", "app", "img", "app=a"]
    rc = {"metadata": meta("rc"), "spec": {"selector": {"app": "a"}, "template": template}}
    assert cells("", "v1", "replicationcontrollers", rc) == ["rc", 0, 0, 0, "3d4h", "app", "img", "app=a"]
    owner = {"apiVersion": "apps/v1", "kind": "DaemonSet", "name": "ds", "controller": True}
    cr = {"metadata": meta("ds-7c9", ownerReferences=[owner]), "revision": 4}
    assert cells("apps", "v1", "controllerrevisions", cr) == ["ds-7c9", "daemonset.apps/ds", 4, "3d4h"]


@pytest.mark.parametrize(
    ("spec", "status", "extra_meta", "expected"),
    [
        (
            {"completions": 3},
            {
                "succeeded": 3,
                "startTime": ago(hours=2),
                "completionTime": ago(hours=1, minutes=55),
                "conditions": [{"type": "Complete", "status": "True"}],
            },
            {},
            ["Complete", "3/3", "5m"],
        ),
        ({"parallelism": 4}, {"startTime": ago(minutes=30)}, {}, ["Running", "0/1 of 4", "30m"]),
        ({}, {"conditions": [{"type": "Failed", "status": "True"}]}, {}, ["Failed", "0/1", ""]),
        (
            {},
            {"conditions": [{"type": "Suspended", "status": "True"}]},
            {"deletionTimestamp": ago(seconds=1)},
            ["Terminating", "0/1", ""],
        ),
        (
            {},
            {"conditions": [{"type": "Complete", "status": "False"}, {"type": "SuccessCriteriaMet", "status": "True"}]},
            {},
            ["SuccessCriteriaMet", "0/1", ""],
        ),
    ],
)
def test_job(spec: Obj, status: Obj, extra_meta: Obj, expected: list[Any]) -> None:
    job = {"metadata": meta("j", **extra_meta), "spec": spec, "status": status}
    assert cells("batch", "v1", "jobs", job)[1:4] == expected


def test_cronjob() -> None:
    job_template = {"spec": {"template": {"spec": {"containers": [{"name": "c", "image": "i"}]}}}}
    cj = {
        "metadata": meta("cj"),
        "spec": {"schedule": "*/5 * * * *", "suspend": False, "jobTemplate": job_template},
        "status": {"active": [{"name": "cj-1"}], "lastScheduleTime": ago(minutes=3)},
    }
    assert cells("batch", "v1", "cronjobs", cj) == [
        "cj",
        "*/5 * * * *",
        "<none>",
        "False",
        1,
        "3m",
        "3d4h",
        "c",
        "i",
        "<none>",
    ]
    bare = {"metadata": meta("cj"), "spec": {"schedule": "@daily", "timeZone": "Etc/UTC"}}
    assert cells("batch", "v1", "cronjobs", bare)[2:6] == ["Etc/UTC", "<unset>", 0, "<none>"]


def test_hpa() -> None:
    metrics = [
        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 60}}},
        {"type": "Pods", "pods": {"metric": {"name": "rps"}, "target": {"type": "AverageValue", "averageValue": "1k"}}},
        {"type": "External", "external": {"metric": {"name": "q"}, "target": {"type": "Value", "value": "30"}}},
    ]
    current = [{"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 45}}}]
    hpa = {
        "metadata": meta("h"),
        "spec": {
            "scaleTargetRef": {"kind": "Deployment", "name": "web"},
            "minReplicas": 2,
            "maxReplicas": 10,
            "metrics": metrics,
        },
        "status": {"currentReplicas": 3, "currentMetrics": current},
    }
    assert cells("autoscaling", "v2", "horizontalpodautoscalers", hpa) == [
        "h",
        "Deployment/web",
        "cpu: 45%/60%, <unknown>/1k + 1 more...",
        "2",
        10,
        3,
        "3d4h",
    ]
    v1 = {
        "metadata": meta("h"),
        "spec": {
            "scaleTargetRef": {"kind": "Deployment", "name": "web"},
            "maxReplicas": 5,
            "targetCPUUtilizationPercentage": 70,
        },
        "status": {"currentCPUUtilizationPercentage": 12},
    }
    assert cells("autoscaling", "v1", "horizontalpodautoscalers", v1)[2:4] == ["cpu: 12%/70%", "<unset>"]
    bare = {"metadata": meta("h"), "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}}}
    assert cells("autoscaling", "v2", "horizontalpodautoscalers", bare)[2] == "cpu: <unknown>/80%"

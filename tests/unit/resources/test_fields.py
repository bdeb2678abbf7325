"""Field selector support per kind: conversion refusals (exact 400s) and the fields sets objects match on."""

from __future__ import annotations

from typing import Any

import pytest

from mockapi.api.errors import ApiError
from mockapi.api.selectors import FieldRequirement, parse_field_selector
from mockapi.resources.fields import (
    convert_custom_field_selector,
    convert_field_selector,
    custom_field_set,
    field_set,
    field_set_func,
    validate_field_selector,
)
from mockapi.resources.types import ResourceType


def rt(group: str, version: str, kind: str, plural: str, namespaced: bool = True) -> ResourceType:
    return ResourceType(group, version, kind, plural, kind.lower(), namespaced, ("list", "watch"))


PODS = rt("", "v1", "Pod", "pods")
NODES = rt("", "v1", "Node", "nodes", namespaced=False)
NAMESPACES = rt("", "v1", "Namespace", "namespaces", namespaced=False)
EVENTS = rt("", "v1", "Event", "events")
EVENTS_V1 = rt("events.k8s.io", "v1", "Event", "events")
SECRETS = rt("", "v1", "Secret", "secrets")
SERVICES = rt("", "v1", "Service", "services")
CONFIGMAPS = rt("", "v1", "ConfigMap", "configmaps")
RCS = rt("", "v1", "ReplicationController", "replicationcontrollers")
JOBS = rt("batch", "v1", "Job", "jobs")
CRONJOBS = rt("batch", "v1", "CronJob", "cronjobs")
REPLICASETS = rt("apps", "v1", "ReplicaSet", "replicasets")
CSRS = rt("certificates.k8s.io", "v1", "CertificateSigningRequest", "certificatesigningrequests", False)
SLICES = rt("resource.k8s.io", "v1beta1", "ResourceSlice", "resourceslices", namespaced=False)
ROLES = rt("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", namespaced=False)

# --- conversion: which labels each kind accepts, and the exact refusal ------------------------------------

ONLY_META = 'is not a known field selector: only "metadata.name", "metadata.namespace"'

REFUSALS = [
    (PODS, "spec.foo=x", "field label not supported: spec.foo"),
    (PODS, "spec.containers=x", "field label not supported: spec.containers"),
    (NODES, "metadata.namespace=x", "field label not supported: metadata.namespace"),
    (NAMESPACES, "name=x", "field label not supported: name"),
    (EVENTS, "regarding.name=x", "field label not supported: regarding.name"),
    (EVENTS_V1, "involvedObject.name=x", "field label not supported: involvedObject.name"),
    (SECRETS, "data=x", "field label not supported: data"),
    (SERVICES, "spec.ports=x", "field label not supported: spec.ports"),
    (RCS, "spec.replicas=1", "field label not supported: spec.replicas"),
    (CSRS, "metadata.namespace=", "field label not supported: metadata.namespace"),
    (JOBS, "status.succeeded=1", 'field label "status.succeeded" not supported for batchv1.Job'),
    (SLICES, "spec.pool=p", "field label not supported for resource.k8s.io/v1beta1, Kind=ResourceSlice: spec.pool"),
    (CONFIGMAPS, "spec.foo=x", '"spec.foo" ' + ONLY_META),
    (CRONJOBS, "status.active=x", '"status.active" ' + ONLY_META),
    (REPLICASETS, "status.replicas=1", '"status.replicas" ' + ONLY_META),
    (ROLES, "=x", '"" ' + ONLY_META),
    # terms are converted in sorted order: the first refusal is reported
    (PODS, "z.bad=1,a.bad=2,spec.nodeName=n", "field label not supported: a.bad"),
]


@pytest.mark.parametrize(("kind", "selector", "message"), REFUSALS)
def test_unsupported_field_label_is_the_exact_400(kind: ResourceType, selector: str, message: str) -> None:
    with pytest.raises(ApiError) as err:
        validate_field_selector(kind, parse_field_selector(selector))
    assert err.value.status() == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": "BadRequest",
        "code": 400,
    }


ACCEPTED = [
    (
        PODS,
        "metadata.name=a,metadata.namespace=b,spec.nodeName=n,spec.restartPolicy=Always,"
        "spec.schedulerName=s,spec.serviceAccountName=sa,spec.hostNetwork=true,status.phase=Running,"
        "status.podIP=1.2.3.4,status.podIPs=x,status.nominatedNodeName=n2",
    ),
    (NODES, "metadata.name=n,spec.unschedulable=false"),
    (NAMESPACES, "metadata.name=n,status.phase=Active"),
    (
        EVENTS,
        "involvedObject.kind=Pod,involvedObject.namespace=ns,involvedObject.name=p,involvedObject.uid=u,"
        "involvedObject.apiVersion=v1,involvedObject.resourceVersion=1,involvedObject.fieldPath=f,reason=r,"
        "reportingComponent=c,source=s,type=Normal,metadata.namespace=ns,metadata.name=e",
    ),
    (SECRETS, "type=Opaque,metadata.name=s,metadata.namespace=ns"),
    (SERVICES, "spec.clusterIP=None,spec.type=ClusterIP,metadata.name=s"),
    (RCS, "status.replicas=3"),
    (JOBS, "status.successful=1,metadata.name=j"),
    (CSRS, "spec.signerName=example.com/s,metadata.name=c"),
    (SLICES, "spec.nodeName=n,spec.driver=d,metadata.name=s"),
    (CONFIGMAPS, "metadata.name=c,metadata.namespace=ns"),
    (ROLES, "metadata.namespace=,metadata.name=r"),
]


@pytest.mark.parametrize(("kind", "selector"), ACCEPTED)
def test_supported_labels_pass_unchanged(kind: ResourceType, selector: str) -> None:
    sel = parse_field_selector(selector)
    assert convert_field_selector(kind, sel) == sel


@pytest.mark.parametrize(
    ("kind", "selector", "converted"),
    [
        (PODS, "spec.host=node-1", "spec.nodeName=node-1"),
        (
            EVENTS_V1,
            "regarding.name=web,reportingController=kubelet,source=x",
            "involvedObject.name=web,reportingComponent=kubelet,source=x",
        ),
    ],
)
def test_aliases_are_renamed(kind: ResourceType, selector: str, converted: str) -> None:
    assert str(convert_field_selector(kind, parse_field_selector(selector))) == converted


# --- fields sets ---------------------------------------------------------------------------------------

POD: dict[str, Any] = {
    "metadata": {"name": "web-0", "namespace": "prod"},
    "spec": {
        "nodeName": "node-1",
        "restartPolicy": "Never",
        "schedulerName": "s",
        "serviceAccountName": "sa",
        "hostNetwork": True,
    },
    "status": {"phase": "Running", "podIPs": [{"ip": "10.0.0.7"}, {"ip": "fd00::7"}], "nominatedNodeName": "n2"},
}


FIELD_SETS: list[tuple[ResourceType, dict[str, Any], dict[str, str]]] = [
    (
        PODS,
        POD,
        {
            "metadata.name": "web-0",
            "metadata.namespace": "prod",
            "spec.nodeName": "node-1",
            "spec.restartPolicy": "Never",
            "spec.schedulerName": "s",
            "spec.serviceAccountName": "sa",
            "spec.hostNetwork": "true",
            "status.phase": "Running",
            "status.podIP": "10.0.0.7",
            "status.nominatedNodeName": "n2",
        },
    ),
    (
        PODS,
        {"metadata": {"name": "bare"}},
        {
            "metadata.name": "bare",
            "metadata.namespace": "",
            "spec.nodeName": "",
            "spec.restartPolicy": "Always",
            "spec.schedulerName": "default-scheduler",
            "spec.serviceAccountName": "",
            "spec.hostNetwork": "false",
            "status.phase": "Pending",
            "status.podIP": "",
            "status.nominatedNodeName": "",
        },
    ),
    (
        NODES,
        {"metadata": {"name": "n1", "namespace": "ignored"}, "spec": {"unschedulable": True}},
        {"metadata.name": "n1", "spec.unschedulable": "true"},
    ),
    (NODES, {"metadata": {"name": "n2"}}, {"metadata.name": "n2", "spec.unschedulable": "false"}),
    (
        NAMESPACES,
        {"metadata": {"name": "ns"}, "status": {"phase": "Terminating"}},
        {"metadata.name": "ns", "status.phase": "Terminating", "name": "ns"},
    ),
    (
        SECRETS,
        {"metadata": {"name": "s", "namespace": "a"}, "type": "kubernetes.io/tls"},
        {"metadata.name": "s", "metadata.namespace": "a", "type": "kubernetes.io/tls"},
    ),
    (
        SECRETS,
        {"metadata": {"name": "s", "namespace": "a"}},
        {"metadata.name": "s", "metadata.namespace": "a", "type": "Opaque"},
    ),
    (
        SERVICES,
        {"metadata": {"name": "s", "namespace": "a"}, "spec": {"clusterIP": "None", "type": "NodePort"}},
        {"metadata.name": "s", "metadata.namespace": "a", "spec.clusterIP": "None", "spec.type": "NodePort"},
    ),
    (
        RCS,
        {"metadata": {"name": "r", "namespace": "a"}, "status": {"replicas": 3}},
        {"metadata.name": "r", "metadata.namespace": "a", "status.replicas": "3"},
    ),
    (
        REPLICASETS,
        {"metadata": {"name": "r", "namespace": "a"}},
        {"metadata.name": "r", "metadata.namespace": "a", "status.replicas": "0"},
    ),
    (
        JOBS,
        {"metadata": {"name": "j", "namespace": "a"}, "status": {"succeeded": 2}},
        {"metadata.name": "j", "metadata.namespace": "a", "status.successful": "2"},
    ),
    (
        CSRS,
        {"metadata": {"name": "c"}, "spec": {"signerName": "kubernetes.io/kubelet-serving"}},
        {"metadata.name": "c", "spec.signerName": "kubernetes.io/kubelet-serving"},
    ),
    (
        SLICES,
        {"metadata": {"name": "s"}, "spec": {"driver": "gpu.example.com", "nodeName": "n1"}},
        {"metadata.name": "s", "spec.nodeName": "n1", "spec.driver": "gpu.example.com"},
    ),
    (
        CONFIGMAPS,
        {"metadata": {"name": "c", "namespace": "a"}, "data": {"k": "v"}},
        {"metadata.name": "c", "metadata.namespace": "a"},
    ),
    (ROLES, {"metadata": {"name": "admin"}}, {"metadata.name": "admin"}),
]


@pytest.mark.parametrize(("kind", "obj", "expected"), FIELD_SETS)
def test_field_set(kind: ResourceType, obj: dict[str, Any], expected: dict[str, str]) -> None:
    assert field_set(kind, obj) == expected


def test_pod_ip_prefers_status_pod_ip() -> None:
    pod = {"metadata": {"name": "p"}, "status": {"podIP": "10.0.0.9", "podIPs": [{"ip": "10.0.0.1"}]}}
    assert field_set(PODS, pod)["status.podIP"] == "10.0.0.9"


CORE_EVENT: dict[str, Any] = {
    "metadata": {"name": "web-0.17", "namespace": "prod"},
    "involvedObject": {
        "kind": "Pod",
        "namespace": "prod",
        "name": "web-0",
        "uid": "u-1",
        "apiVersion": "v1",
        "resourceVersion": "42",
        "fieldPath": "spec.containers{app}",
    },
    "reason": "Pulled",
    "source": {"component": "kubelet", "host": "node-1"},
    "type": "Normal",
}
NEW_EVENT: dict[str, Any] = {
    "metadata": {"name": "web-0.18", "namespace": "prod"},
    "regarding": {"kind": "Pod", "namespace": "prod", "name": "web-0", "uid": "u-1", "apiVersion": "v1"},
    "reason": "Scheduled",
    "reportingController": "default-scheduler",
    "type": "Normal",
}


def test_event_field_sets() -> None:
    assert field_set(EVENTS, CORE_EVENT) == {
        "metadata.name": "web-0.17",
        "metadata.namespace": "prod",
        "involvedObject.kind": "Pod",
        "involvedObject.namespace": "prod",
        "involvedObject.name": "web-0",
        "involvedObject.uid": "u-1",
        "involvedObject.apiVersion": "v1",
        "involvedObject.resourceVersion": "42",
        "involvedObject.fieldPath": "spec.containers{app}",
        "reason": "Pulled",
        "reportingComponent": "",
        "source": "kubelet",
        "type": "Normal",
    }
    new = field_set(EVENTS_V1, NEW_EVENT)
    assert (new["involvedObject.name"], new["reportingComponent"], new["source"]) == (
        "web-0",
        "default-scheduler",
        "default-scheduler",
    )


@pytest.mark.parametrize(
    ("kind", "selector", "matching"),
    [
        (EVENTS, "involvedObject.kind=Pod,involvedObject.name=web-0", {"web-0.17", "web-0.18"}),
        (EVENTS, "involvedObject.name=web-0,involvedObject.uid=u-1,reason=Pulled", {"web-0.17"}),
        (EVENTS, "source=kubelet", {"web-0.17"}),
        (EVENTS, "reportingComponent=default-scheduler", {"web-0.18"}),
        (EVENTS, "involvedObject.fieldPath!=", {"web-0.17"}),
        (EVENTS_V1, "regarding.name=web-0,type=Normal", {"web-0.17", "web-0.18"}),
        (EVENTS_V1, "regarding.resourceVersion=42", {"web-0.17"}),
    ],
)
def test_event_selectors(kind: ResourceType, selector: str, matching: set[str]) -> None:
    sel = convert_field_selector(kind, parse_field_selector(selector))
    fields_of = field_set_func(kind)
    got = {e["metadata"]["name"] for e in (CORE_EVENT, NEW_EVENT) if sel.matches(fields_of(e))}
    assert got == matching


def test_pods_not_failed_nor_succeeded() -> None:
    pods = [
        {"metadata": {"name": name, "namespace": "a"}, "status": {"phase": phase} if phase else {}}
        for name, phase in [("run", "Running"), ("ok", "Succeeded"), ("bad", "Failed"), ("new", None)]
    ]
    sel = convert_field_selector(PODS, parse_field_selector("status.phase!=Failed,status.phase!=Succeeded"))
    assert [p["metadata"]["name"] for p in pods if sel.matches(field_set(PODS, p))] == ["run", "new"]


def test_pods_by_legacy_spec_host() -> None:
    sel = convert_field_selector(PODS, parse_field_selector("spec.host=node-1"))
    assert sel.requirements == (FieldRequirement("spec.nodeName", "=", "node-1"),)
    assert sel.matches(field_set(PODS, POD))


@pytest.mark.parametrize(
    ("selector", "matches"),
    [("metadata.namespace=", True), ("metadata.namespace=x", False), ("metadata.namespace!=x", True)],
)
def test_cluster_scoped_objects_have_no_namespace_field(selector: str, matches: bool) -> None:
    sel = convert_field_selector(ROLES, parse_field_selector(selector))
    assert sel.matches(field_set(ROLES, {"metadata": {"name": "admin"}})) is matches


# --- custom resources ----------------------------------------------------------------------------------

WIDGETS = rt("example.com", "v1", "Widget", "widgets")
GLOBALS = rt("example.com", "v1", "Global", "globals", namespaced=False)


def test_custom_resource_field_selectors() -> None:
    selectable = ["spec.color", "spec.size", "spec.on"]
    sel = convert_custom_field_selector(
        WIDGETS, parse_field_selector("spec.color=red,metadata.namespace=a"), selectable
    )
    obj = {"metadata": {"name": "w", "namespace": "a"}, "spec": {"color": "red", "size": 3, "on": False}}
    fields = custom_field_set(WIDGETS, obj, selectable)
    assert fields == {
        "metadata.name": "w",
        "metadata.namespace": "a",
        "spec.color": "red",
        "spec.size": "3",
        "spec.on": "false",
    }
    assert sel.matches(fields)
    assert custom_field_set(WIDGETS, {"metadata": {"name": "w"}}, selectable)["spec.color"] == ""
    for kind, selector, label in [
        (WIDGETS, "spec.shape=x", "spec.shape"),
        (GLOBALS, "metadata.namespace=", "metadata.namespace"),
    ]:
        with pytest.raises(ApiError) as err:
            convert_custom_field_selector(kind, parse_field_selector(selector), selectable)
        assert (err.value.code, err.value.message) == (400, f"field label not supported: {label}")

"""Defaulters for the core ("") group, v1 (pkg/apis/core/v1/defaults.go and its generated walk).

Besides SetDefaults_* this applies what the v1 round trip makes visible: Secret `stringData` folded into
`data`, zero-valued structs and timestamps Go always serializes (`resources: {}`, Event `eventTime: null`,
a Node's `spec: {}` and `nodeInfo`), and quantities in canonical form.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

from mockapi.registry.defaulting._fields import (
    Obj,
    each,
    ensure,
    set_if_empty,
    set_if_unset,
    sub,
)
from mockapi.registry.defaulting.podspec import (
    default_claim_spec,
    default_pod_only,
    default_pod_spec,
    default_pod_template,
    default_volume_sources,
)
from mockapi.registry.defaulting.quantity import normalize_resource_list

CLIENT_IP_AFFINITY_SECONDS = 10800
"""DefaultClientIPServiceAffinitySeconds: three hours."""

NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name"

_NODE_INFO_FIELDS = (
    "architecture", "bootID", "containerRuntimeVersion", "kernelVersion", "kubeProxyVersion",
    "kubeletVersion", "machineID", "operatingSystem", "osImage", "systemUUID",
)  # fmt: skip
"""NodeSystemInfo's non-omitempty strings: a Node created without them reads them back as ""."""


def pod(obj: Obj) -> None:
    spec = sub(obj, "spec")
    if spec is not None:
        default_pod_only(spec)
        default_pod_spec(spec)


def pod_template(obj: Obj) -> None:
    template = sub(obj, "template")
    if template is not None:
        default_pod_template(template)


def replication_controller(obj: Obj) -> None:
    spec = sub(obj, "spec")
    if spec is None:
        return
    template = sub(spec, "template")
    labels = sub(sub(template, "metadata"), "labels")
    if labels:
        if not spec.get("selector"):
            spec["selector"] = dict(labels)
        metadata = ensure(obj, "metadata")
        if metadata is not None and not metadata.get("labels"):
            metadata["labels"] = dict(labels)
    set_if_unset(spec, "replicas", 1)
    if template is not None:
        default_pod_template(template)


def service(obj: Obj) -> None:
    spec = ensure(obj, "spec")
    if spec is None:
        return
    set_if_empty(spec, "sessionAffinity", "None")
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    elif spec["sessionAffinity"] == "ClientIP":
        client_ip = sub(sub(spec, "sessionAffinityConfig"), "clientIP")
        if client_ip is None or client_ip.get("timeoutSeconds") is None:
            spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": CLIENT_IP_AFFINITY_SECONDS}}
    set_if_empty(spec, "type", "ClusterIP")
    for port in each(spec, "ports"):
        set_if_empty(port, "protocol", "TCP")
        if port.get("targetPort") in (None, 0, ""):
            port["targetPort"] = port.get("port")
    svc_type = spec["type"]
    externally_accessible = svc_type in ("LoadBalancer", "NodePort") or (
        svc_type == "ClusterIP" and bool(spec.get("externalIPs"))
    )
    if externally_accessible:
        set_if_empty(spec, "externalTrafficPolicy", "Cluster")
    if svc_type in ("NodePort", "LoadBalancer", "ClusterIP"):
        set_if_unset(spec, "internalTrafficPolicy", "Cluster")
    if svc_type == "LoadBalancer":
        set_if_unset(spec, "allocateLoadBalancerNodePorts", True)
        for ingress in each(sub(sub(obj, "status"), "loadBalancer"), "ingress"):
            if ingress.get("ip") and ingress.get("ipMode") is None:
                ingress["ipMode"] = "VIP"


def secret(obj: Obj) -> None:
    string_data = obj.get("stringData")
    if isinstance(string_data, dict):
        data = ensure(obj, "data")
        if data is not None:
            for key, value in string_data.items():
                if isinstance(value, str):
                    data[key] = base64.b64encode(value.encode()).decode()
            del obj["stringData"]
            if not data:
                del obj["data"]
    set_if_empty(obj, "type", "Opaque")


def namespace(obj: Obj) -> None:
    metadata = sub(obj, "metadata")
    name = metadata.get("name") if metadata is not None else None
    if metadata is not None and isinstance(name, str) and name:
        labels = ensure(metadata, "labels")
        if labels is not None:
            labels[NAMESPACE_NAME_LABEL] = name
    status = ensure(obj, "status")
    if status is not None:
        set_if_empty(status, "phase", "Active")


def persistent_volume(obj: Obj) -> None:
    status = ensure(obj, "status")
    if status is not None:
        set_if_empty(status, "phase", "Pending")
    spec = sub(obj, "spec")
    if spec is None:
        return
    set_if_empty(spec, "persistentVolumeReclaimPolicy", "Retain")
    set_if_unset(spec, "volumeMode", "Filesystem")
    normalize_resource_list(spec, "capacity")
    default_volume_sources(spec)


def persistent_volume_claim(obj: Obj) -> None:
    status = ensure(obj, "status")
    if status is not None:
        set_if_empty(status, "phase", "Pending")
        normalize_resource_list(status, "capacity")
        normalize_resource_list(status, "allocatedResources")
    spec = sub(obj, "spec")
    if spec is not None:
        default_claim_spec(spec)


def endpoints(obj: Obj) -> None:
    for subset in each(obj, "subsets"):
        for port in each(subset, "ports"):
            set_if_empty(port, "protocol", "TCP")


def limit_range(obj: Obj) -> None:
    for item in each(ensure(obj, "spec"), "limits"):
        if item.get("type") == "Container":
            default = ensure(item, "default")
            default_request = ensure(item, "defaultRequest")
            if default is not None and default_request is not None:
                for source, target in (("max", default), ("default", default_request), ("min", default_request)):
                    for name, amount in (sub(item, source) or {}).items():
                        target.setdefault(name, amount)
        for key in ("max", "min", "default", "defaultRequest", "maxLimitRequestRatio"):
            normalize_resource_list(item, key)


def resource_quota(obj: Obj) -> None:
    normalize_resource_list(ensure(obj, "spec") or {}, "hard")
    status = sub(obj, "status")
    if status is not None:
        normalize_resource_list(status, "hard")
        normalize_resource_list(status, "used")


def node(obj: Obj) -> None:
    ensure(obj, "spec")
    status = ensure(obj, "status")
    if status is None:
        return
    if status.get("allocatable") is None and isinstance(status.get("capacity"), dict):
        status["allocatable"] = dict(status["capacity"])
    normalize_resource_list(status, "capacity")
    normalize_resource_list(status, "allocatable")
    daemon_endpoints = ensure(status, "daemonEndpoints")
    kubelet = ensure(daemon_endpoints, "kubeletEndpoint") if daemon_endpoints is not None else None
    if kubelet is not None:
        set_if_unset(kubelet, "Port", 0)
    info = ensure(status, "nodeInfo")
    if info is not None:
        for key in _NODE_INFO_FIELDS:
            set_if_unset(info, key, "")


def event(obj: Obj) -> None:
    """core/v1 Event: no defaulters, but zero timestamps and non-omitempty strings always serialize."""
    for key in ("involvedObject", "source"):
        set_if_unset(obj, key, {})
    for key in ("firstTimestamp", "lastTimestamp", "eventTime"):
        obj.setdefault(key, None)
    for key in ("reportingComponent", "reportingInstance"):
        set_if_unset(obj, key, "")


DEFAULTERS: dict[str, Callable[[Obj], None]] = {
    "Pod": pod,
    "PodTemplate": pod_template,
    "ReplicationController": replication_controller,
    "Service": service,
    "Secret": secret,
    "Namespace": namespace,
    "PersistentVolume": persistent_volume,
    "PersistentVolumeClaim": persistent_volume_claim,
    "Endpoints": endpoints,
    "LimitRange": limit_range,
    "ResourceQuota": resource_quota,
    "Node": node,
    "Event": event,
}
"""Kind -> defaulter for core/v1. ConfigMap and ServiceAccount have no visible defaults."""

"""Cell functions for the core ("") group, except pods, events and volumes (own modules).

Each function mirrors the print<Kind> function of printers.go and returns every column's cell, as the
server generates tables with Wide=true.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mockapi.api.types import Obj
from mockapi.resources.tables.cells import (
    age,
    bool_of,
    container_cells,
    format_labels,
    int_of,
    list_of,
    load_balancer_ingress,
    name_of,
    obj_of,
    quantity_value,
    str_of,
    template_containers,
)
from mockapi.resources.tables.model import Cell, RowFunctions

_NODE_ROLE_PREFIX = "node-role.kubernetes.io/"
_NODE_ROLE_LABEL = "kubernetes.io/role"


def node_cells(node: Obj, now: datetime) -> list[Cell]:
    spec, status = obj_of(node, "spec"), obj_of(node, "status")
    ready: Obj | None = None
    for condition in list_of(status, "conditions"):
        if str_of(condition, "type") == "Ready":
            ready = condition  # printNode builds a map by type: the last one wins
    states = ["Unknown"] if ready is None else ["Ready" if str_of(ready, "status") == "True" else "NotReady"]
    if bool_of(spec, "unschedulable"):
        states.append("SchedulingDisabled")
    info = obj_of(status, "nodeInfo")
    return [
        name_of(node),
        ",".join(states),
        _node_roles(obj_of(obj_of(node, "metadata"), "labels")) or "<none>",
        age(node, now),
        str_of(info, "kubeletVersion"),
        _node_address(status, "InternalIP"),
        _node_address(status, "ExternalIP"),
        str_of(info, "osImage") or "<unknown>",
        str_of(info, "kernelVersion") or "<unknown>",
        str_of(info, "containerRuntimeVersion") or "<unknown>",
    ]


def _node_roles(labels: Obj) -> str:
    roles: set[str] = set()
    for key, value in labels.items():
        if key.startswith(_NODE_ROLE_PREFIX):
            role = key[len(_NODE_ROLE_PREFIX) :]
            if role:
                roles.add(role)
        elif key == _NODE_ROLE_LABEL and value:
            roles.add(str(value))
    return ",".join(sorted(roles))


def _node_address(status: Obj, address_type: str) -> str:
    for address in list_of(status, "addresses"):
        if str_of(address, "type") == address_type:
            return str_of(address, "address")
    return "<none>"


def namespace_cells(ns: Obj, now: datetime) -> list[Cell]:
    return [name_of(ns), str_of(obj_of(ns, "status"), "phase"), age(ns, now)]


def service_cells(svc: Obj, now: datetime) -> list[Cell]:
    spec = obj_of(svc, "spec")
    cluster_ip = _cluster_ip(spec)
    return [
        name_of(svc),
        str_of(spec, "type"),
        "<none>" if cluster_ip is None else cluster_ip,
        _external_ip(spec, obj_of(svc, "status")),
        _ports(list_of(spec, "ports")) or "<none>",
        age(svc, now),
        format_labels(spec.get("selector")),
    ]


def _cluster_ip(spec: Obj) -> str | None:
    """The internal ClusterIPs[0]: v1 conversion makes spec.clusterIP authoritative."""
    ip = str_of(spec, "clusterIP")
    if ip:
        return ip
    ips = list_of(spec, "clusterIPs")
    return str(ips[0]) if ips else None


def _external_ip(spec: Obj, status: Obj) -> str:
    """printers.go getServiceExternalIP (wide)."""
    svc_type = str_of(spec, "type")
    external = [str(ip) for ip in list_of(spec, "externalIPs")]
    if svc_type in ("ClusterIP", "NodePort"):
        return ",".join(external) if external else "<none>"
    if svc_type == "LoadBalancer":
        lb = load_balancer_ingress(status)
        if external:
            return ",".join((lb.split(",") if lb else []) + external)
        return lb or "<pending>"
    if svc_type == "ExternalName":
        return str_of(spec, "externalName")
    return "<unknown>"


def _ports(ports: list[Any]) -> str:
    pieces = []
    for port in ports:
        node_port = int_of(port, "nodePort")
        protocol = str_of(port, "protocol")
        if node_port > 0:
            pieces.append(f"{int_of(port, 'port')}:{node_port}/{protocol}")
        else:
            pieces.append(f"{int_of(port, 'port')}/{protocol}")
    return ",".join(pieces)


def endpoints_cells(ep: Obj, now: datetime) -> list[Cell]:
    return [name_of(ep), _format_endpoints(list_of(ep, "subsets")), age(ep, now)]


def _join_host_port(ip: str, port: int) -> str:
    """net.JoinHostPort: brackets around hosts that contain a colon (IPv6)."""
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def _format_endpoints(subsets: list[Any]) -> str:
    """printers.go formatEndpoints(endpoints, nil): at most 3 entries, then " + N more..."."""
    if not subsets:
        return "<none>"
    limit, more, count = 3, False, 0
    shown: list[str] = []
    for subset in subsets:
        addresses = list_of(subset, "addresses")
        ports = list_of(subset, "ports")
        if not ports:
            count += len(addresses)
            for address in addresses:
                if len(shown) == limit:
                    more = True
                    break
                shown.append(str_of(address, "ip"))
            continue
        for port in ports:
            count += len(addresses)
            for address in addresses:
                if len(shown) == limit:
                    more = True
                    break
                shown.append(_join_host_port(str_of(address, "ip"), int_of(port, "port")))
    joined = ",".join(shown)
    return f"{joined} + {count - limit} more..." if more else joined


def configmap_cells(cm: Obj, now: datetime) -> list[Cell]:
    return [name_of(cm), len(obj_of(cm, "data")) + len(obj_of(cm, "binaryData")), age(cm, now)]


def secret_cells(secret: Obj, now: datetime) -> list[Cell]:
    return [name_of(secret), str_of(secret, "type"), len(obj_of(secret, "data")), age(secret, now)]


def serviceaccount_cells(sa: Obj, now: datetime) -> list[Cell]:
    return [name_of(sa), len(list_of(sa, "secrets")), age(sa, now)]


def replicationcontroller_cells(rc: Obj, now: datetime) -> list[Cell]:
    spec, status = obj_of(rc, "spec"), obj_of(rc, "status")
    names, images = container_cells(template_containers(spec))
    return [
        name_of(rc),
        int_of(spec, "replicas"),
        int_of(status, "replicas"),
        int_of(status, "readyReplicas"),
        age(rc, now),
        names,
        images,
        format_labels(spec.get("selector")),
    ]


def podtemplate_cells(pt: Obj, now: datetime) -> list[Cell]:
    template = obj_of(pt, "template")
    names, images = container_cells(list_of(obj_of(template, "spec"), "containers"))
    return [name_of(pt), names, images, format_labels(obj_of(template, "metadata").get("labels"))]


def componentstatus_cells(cs: Obj, now: datetime) -> list[Cell]:
    status, message, error = "Unknown", "", ""
    for condition in list_of(cs, "conditions"):
        if str_of(condition, "type") == "Healthy":
            status = "Healthy" if str_of(condition, "status") == "True" else "Unhealthy"
            message, error = str_of(condition, "message"), str_of(condition, "error")
            break
    return [name_of(cs), status, message, error]


def resourcequota_cells(rq: Obj, now: datetime) -> list[Cell]:
    status = obj_of(rq, "status")
    hard, used = obj_of(status, "hard"), obj_of(status, "used")
    requests: list[str] = []
    limits: list[str] = []
    for resource in sorted(hard):
        pieces = resource.split(".")
        target = limits if len(pieces) > 1 and pieces[0] == "limits" else requests
        target.append(f"{resource}: {quantity_value(used.get(resource))}/{quantity_value(hard[resource])}")
    return [name_of(rq), ", ".join(requests), ", ".join(limits), age(rq, now)]


ROWS: dict[str, RowFunctions] = {
    "nodes": RowFunctions(node_cells),
    "namespaces": RowFunctions(namespace_cells),
    "services": RowFunctions(service_cells),
    "endpoints": RowFunctions(endpoints_cells),
    "configmaps": RowFunctions(configmap_cells),
    "secrets": RowFunctions(secret_cells),
    "serviceaccounts": RowFunctions(serviceaccount_cells),
    "replicationcontrollers": RowFunctions(replicationcontroller_cells),
    "podtemplates": RowFunctions(podtemplate_cells),
    "componentstatuses": RowFunctions(componentstatus_cells),
    "resourcequotas": RowFunctions(resourcequota_cells),
}

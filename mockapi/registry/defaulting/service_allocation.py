"""Service allocation on create (pkg/registry/core/service/storage/alloc.go), single-stack cluster.

    apply_service_allocation    normalizes clusterIP/clusterIPs, fills ipFamilyPolicy and ipFamilies, then
                                allocates clusterIP(s), nodePorts and healthCheckNodePort
    release_service_allocation  gives a deleted Service's addresses and ports back

kube-apiserver runs this in BeginCreate: after defaulting and mutating admission, before PrepareForCreate
and validation, so an allocation failure is reported before any validation error.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from mockapi.api.errors import FieldError
from mockapi.registry.defaulting._fields import Obj, each, ensure
from mockapi.registry.defaulting.allocators import (
    INVALID_IP_DETAIL,
    AllocationError,
    AllocationInternalError,
    NodePortAllocator,
    ServiceIPAllocator,
)


def _family_of(ip: object) -> str | None:
    if not isinstance(ip, str):
        return None
    try:
        return "IPv4" if ipaddress.ip_address(ip).version == 4 else "IPv6"
    except ValueError:
        return None


def _init_ip_families(spec: Obj, allocator: ServiceIPAllocator) -> None:
    """initIPFamilyFields for a create on a single-stack cluster."""
    cluster_ips: list[str] = spec["clusterIPs"]
    headless_selectorless = spec.get("clusterIP") == "None" and not spec.get("selector")
    if spec.get("ipFamilyPolicy") is None:
        spec["ipFamilyPolicy"] = "RequireDualStack" if headless_selectorless else "SingleStack"
    policy = spec["ipFamilyPolicy"]
    for i, ip in enumerate(cluster_ips):
        if not (i == 0 and ip == "None") and _family_of(ip) is None:
            raise AllocationError.invalid(f"spec.clusterIPs[{i}]", ip, INVALID_IP_DETAIL)
    families = spec.get("ipFamilies")
    if not isinstance(families, list):
        families = spec["ipFamilies"] = []
    errors: list[FieldError] = []
    if policy == "SingleStack":
        for what, values in (("cluster IPs", cluster_ips), ("IP families", families)):
            if len(values) == 2:
                detail = f"must be 'RequireDualStack' or 'PreferDualStack' when multiple {what} are specified"
                errors += AllocationError.invalid("spec.ipFamilyPolicy", policy, detail).errors
    for i, ip in enumerate(cluster_ips):
        if ip == "None":
            break
        family = _family_of(ip)
        if i >= len(families):
            if family != allocator.family:
                detail = f"{family} is not configured on this cluster"
                errors += AllocationError.invalid(f"spec.clusterIPs[{i}]", cluster_ips, detail).errors
            else:
                families.append(family)
    if errors:
        raise AllocationError(errors)
    if headless_selectorless:
        if not families:
            families.append(allocator.family)
        if len(families) < 2 and policy != "SingleStack":
            families.append("IPv6" if families[0] == "IPv4" else "IPv4")
        return
    if policy == "RequireDualStack":
        detail = "this cluster is not configured for dual-stack services"
        errors += AllocationError.invalid("spec.ipFamilyPolicy", policy, detail).errors
    for i, family in enumerate(families):
        if family != allocator.family:
            errors += AllocationError.invalid(f"spec.ipFamilies[{i}]", family, "not configured on this cluster").errors
    if errors:
        raise AllocationError(errors)
    if not families:
        families.append(allocator.family)


def _allocate_cluster_ips(spec: Obj, allocator: ServiceIPAllocator) -> list[str]:
    """allocClusterIPs: fills clusterIPs/clusterIP; returns what it took (to give back on failure)."""
    cluster_ips: list[str] = spec["clusterIPs"]
    if cluster_ips and cluster_ips[0] == "None":
        return []
    families: list[str] = spec["ipFamilies"]
    while len(cluster_ips) < len(families):
        cluster_ips.append("")
    requested = cluster_ips[0]
    if requested:
        detail = allocator.try_reserve(requested)
        if detail is not None:
            raise AllocationError.invalid(
                "spec.clusterIPs", cluster_ips, f"failed to allocate IP {requested}: {detail}"
            )
        ip = requested  # kept as the client wrote it, as the allocator result map holds it
    else:
        ip = allocator.allocate_next()
    cluster_ips[0] = ip
    spec["clusterIP"] = ip
    return [ip]


def _node_port(port: Obj) -> int:
    value = port.get("nodePort")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _allocate_node_ports(spec: Obj, ports: NodePortAllocator, taken: list[int]) -> None:
    """initNodePorts: one node port per service port number, requested ones honoured."""
    should_allocate = spec.get("type") == "NodePort" or spec.get("allocateLoadBalancerNodePorts") is not False
    by_port: dict[Any, int] = {}
    service_ports = list(each(spec, "ports"))
    for i, port in enumerate(service_ports):
        node_port = _node_port(port)
        if node_port == 0 and not should_allocate:
            continue
        field = f"spec.ports[{i}].nodePort"
        number = port.get("port")
        allocated = by_port.get(number, 0)
        if allocated == 0:
            wanted = next((_node_port(p) for p in service_ports if p.get("port") == number and _node_port(p)), 0)
            got = ports.allocate(wanted or None, field=field)
            taken.append(got)
            port["nodePort"] = got
            by_port[number] = got
        elif node_port != allocated:
            if node_port == 0:
                port["nodePort"] = allocated
            else:
                taken.append(ports.allocate(node_port, field=field))


def _allocate_health_check(spec: Obj, ports: NodePortAllocator, taken: list[int]) -> None:
    """allocHealthCheckNodePort for LoadBalancer Services with externalTrafficPolicy Local."""
    requested = _node_port({"nodePort": spec.get("healthCheckNodePort")})
    if requested:
        detail = ports.try_reserve(requested)
        if detail is not None:
            raise AllocationInternalError(f"failed to allocate requested HealthCheck NodePort {requested}: {detail}")
        got = requested
    else:
        try:
            got = ports.allocate_next()
        except AllocationInternalError:
            raise AllocationInternalError("failed to allocate a HealthCheck NodePort 0: range is full") from None
    taken.append(got)
    spec["healthCheckNodePort"] = got


def apply_service_allocation(
    svc: Obj, allocator: ServiceIPAllocator, node_ports: NodePortAllocator | None = None
) -> None:
    """Allocate for a Service being created, after defaulting and before validation (BeginCreate).

    Nothing stays allocated when it raises.
    """
    spec = ensure(svc, "spec")
    if spec is None or spec.get("type") == "ExternalName":
        return
    ports = node_ports or allocator.node_ports
    cluster_ip = spec.get("clusterIP")
    cluster_ips = spec.get("clusterIPs")
    if not isinstance(cluster_ips, list):
        cluster_ips = []
    if isinstance(cluster_ip, str) and cluster_ip and not cluster_ips:
        cluster_ips = [cluster_ip]
    spec["clusterIPs"] = cluster_ips
    _init_ip_families(spec, allocator)
    ips = _allocate_cluster_ips(spec, allocator)
    taken: list[int] = []
    try:
        if spec.get("type") in ("NodePort", "LoadBalancer"):
            _allocate_node_ports(spec, ports, taken)
        if spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local":
            _allocate_health_check(spec, ports, taken)
    except (AllocationError, AllocationInternalError):
        for ip in ips:
            allocator.release(ip)
        for port in taken:
            ports.release(port)
        raise


def release_service_allocation(
    svc: Obj, allocator: ServiceIPAllocator, node_ports: NodePortAllocator | None = None
) -> None:
    """Give a deleted Service's cluster IPs, node ports and health check port back."""
    spec = svc.get("spec")
    if not isinstance(spec, dict):
        return
    ports = node_ports or allocator.node_ports
    for ip in spec.get("clusterIPs") or [spec.get("clusterIP")]:
        if isinstance(ip, str) and ip and ip != "None":
            allocator.release(ip)
    for port in each(spec, "ports"):
        if isinstance(port.get("nodePort"), int):
            ports.release(port["nodePort"])
    if isinstance(spec.get("healthCheckNodePort"), int):
        ports.release(spec["healthCheckNodePort"])

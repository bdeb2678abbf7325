"""Cell functions for networking.k8s.io and discovery.k8s.io (ingresses, ingressclasses,
networkpolicies, servicecidrs, ipaddresses, endpointslices)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mockapi.api.types import Obj
from mockapi.resources.tables.cells import (
    age,
    format_label_selector,
    has,
    int_of,
    list_of,
    list_with_more,
    load_balancer_ingress,
    name_of,
    obj_of,
    str_of,
)
from mockapi.resources.tables.model import Cell, RowFunctions


def _format_hosts(rules: list[Any]) -> str:
    """printers.go formatHosts: up to 3 hosts; the "more" count includes rules without a host."""
    limit, more = 3, False
    hosts: list[str] = []
    for rule in rules:
        if len(hosts) == limit:
            more = True
        host = str_of(rule, "host")
        if not more and host:
            hosts.append(host)
    if not hosts:
        return "*"
    joined = ",".join(hosts)
    return f"{joined} + {len(rules) - limit} more..." if more else joined


def ingress_cells(ing: Obj, now: datetime) -> list[Cell]:
    spec = obj_of(ing, "spec")
    class_name = str_of(spec, "ingressClassName") if has(spec, "ingressClassName") else "<none>"
    return [
        name_of(ing),
        class_name,
        _format_hosts(list_of(spec, "rules")),
        load_balancer_ingress(obj_of(ing, "status")),
        "80, 443" if list_of(spec, "tls") else "80",
        age(ing, now),
    ]


def ingressclass_cells(ic: Obj, now: datetime) -> list[Cell]:
    spec = obj_of(ic, "spec")
    parameters = "<none>"
    if has(spec, "parameters"):
        params = obj_of(spec, "parameters")
        parameters = str_of(params, "kind")
        if has(params, "apiGroup"):
            parameters += "." + str_of(params, "apiGroup")
        parameters += "/" + str_of(params, "name")
    return [name_of(ic), str_of(spec, "controller"), parameters, age(ic, now)]


def networkpolicy_cells(np: Obj, now: datetime) -> list[Cell]:
    selector = obj_of(obj_of(np, "spec"), "podSelector")
    return [name_of(np), format_label_selector(selector), age(np, now)]


def servicecidr_cells(cidr: Obj, now: datetime) -> list[Cell]:
    cidrs = ",".join(str(c) for c in list_of(obj_of(cidr, "spec"), "cidrs"))
    return [name_of(cidr), cidrs, age(cidr, now)]


def ipaddress_cells(ip: Obj, now: datetime) -> list[Cell]:
    """Three cells for two columns: printIPAddress appends an age the column list lacks (upstream quirk)."""
    spec = obj_of(ip, "spec")
    parent = "<none>"
    if has(spec, "parentRef"):
        ref = obj_of(spec, "parentRef")
        group, resource = str_of(ref, "group"), str_of(ref, "resource")
        parent = (f"{resource}.{group}" if group else resource).lower()
        if str_of(ref, "namespace"):
            parent += "/" + str_of(ref, "namespace")
        parent += "/" + str_of(ref, "name")
    return [name_of(ip), parent, age(ip, now)]


def _format_ports(ports: list[Any]) -> str:
    """printers.go formatDiscoveryPorts: port number, else port name, else "*"."""
    limit, more, count = 3, False, 0
    shown: list[str] = []
    for port in ports:
        if len(shown) < limit:
            if has(port, "port"):
                shown.append(str(int_of(port, "port")))
            elif has(port, "name"):
                shown.append(str_of(port, "name"))
            else:
                shown.append("*")
        elif len(shown) == limit:
            more = True
        count += 1
    return list_with_more(shown, more, count, limit)


def _format_endpoints(endpoints: list[Any]) -> str:
    """printers.go formatDiscoveryEndpoints: the first 3 addresses over all endpoints."""
    limit, more, count = 3, False, 0
    shown: list[str] = []
    for endpoint in endpoints:
        for address in list_of(endpoint, "addresses"):
            if len(shown) < limit:
                shown.append(str(address))
            elif len(shown) == limit:
                more = True
            count += 1
    return list_with_more(shown, more, count, limit)


def endpointslice_cells(slice_: Obj, now: datetime) -> list[Cell]:
    return [
        name_of(slice_),
        str_of(slice_, "addressType"),
        _format_ports(list_of(slice_, "ports")),
        _format_endpoints(list_of(slice_, "endpoints")),
        age(slice_, now),
    ]


ROWS: dict[str, RowFunctions] = {
    "ingresses": RowFunctions(ingress_cells),
    "ingressclasses": RowFunctions(ingressclass_cells),
    "networkpolicies": RowFunctions(networkpolicy_cells),
    "servicecidrs": RowFunctions(servicecidr_cells),
    "ipaddresses": RowFunctions(ipaddress_cells),
    "endpointslices": RowFunctions(endpointslice_cells),
}

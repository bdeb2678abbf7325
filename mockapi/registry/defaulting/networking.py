"""Defaulters for networking.k8s.io/v1 (pkg/apis/networking/v1/defaults.go).

NetworkPolicy `policyTypes` is computed when the client gave none: always `Ingress`, plus `Egress`
when egress rules are present. `podSelector` is a non-pointer LabelSelector and reads back as `{}`.
"""

from __future__ import annotations

from collections.abc import Callable

from mockapi.registry.defaulting._fields import Obj, each, ensure, set_if_unset, sub


def network_policy(obj: Obj) -> None:
    spec = ensure(obj, "spec")
    if spec is None:
        return
    set_if_unset(spec, "podSelector", {})
    for direction in ("ingress", "egress"):
        for rule in each(spec, direction):
            for port in each(rule, "ports"):
                set_if_unset(port, "protocol", "TCP")
    if not spec.get("policyTypes"):
        spec["policyTypes"] = ["Ingress", "Egress"] if spec.get("egress") else ["Ingress"]


def ingress_class(obj: Obj) -> None:
    parameters = sub(sub(obj, "spec"), "parameters")
    if parameters is not None:
        set_if_unset(parameters, "scope", "Cluster")


DEFAULTERS: dict[str, Callable[[Obj], None]] = {
    "NetworkPolicy": network_policy,
    "IngressClass": ingress_class,
}
"""Kind -> defaulter for networking.k8s.io/v1. Ingress has no defaults (its status is reset on create)."""

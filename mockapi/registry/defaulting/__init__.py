"""What kube-apiserver 1.33 fills into an object between decoding it and storing it.

    apply_defaults(group, version, kind, obj)   SetDefaults_* of the served version, recursively (a
                                                Deployment's pod template, a CronJob's job template...),
                                                plus what the versioned round trip makes visible: canonical
                                                quantities, Go zero values (`resources: {}`, template
                                                `creationTimestamp: null`), Secret stringData folded into data
    prepare_for_create(group, kind, obj)        the strategies' PrepareForCreate (status resets, Pod QoS,
                                                Namespace finalizer, Job selector, ...)
    ServiceIPAllocator, apply_service_allocation
                                                ClusterIP / NodePort allocation for Services

Order on create, as in kube-apiserver: apply_defaults (decode) -> mutating admission ->
apply_service_allocation (Services) -> prepare_for_create -> validation -> storage. apply_defaults is
idempotent; the real server applies it again when it decodes the stored object for the response.

Imports only `mockapi.api`; one module per API group, all plain dict manipulation.
"""

from __future__ import annotations

from collections.abc import Callable

from mockapi.registry.defaulting import apps, autoscaling, batch, core, misc, networking, rbac, scheduling, storage
from mockapi.registry.defaulting._fields import Obj
from mockapi.registry.defaulting.allocators import (
    DEFAULT_NODE_PORT_RANGE,
    DEFAULT_SERVICE_CIDR,
    AllocationError,
    AllocationInternalError,
    NodePortAllocator,
    ServiceIPAllocator,
)
from mockapi.registry.defaulting.prepare import prepare_for_create
from mockapi.registry.defaulting.qos import compute_qos
from mockapi.registry.defaulting.service_allocation import apply_service_allocation, release_service_allocation

DEFAULTERS: dict[tuple[str, str], dict[str, Callable[[Obj], None]]] = {
    ("", "v1"): core.DEFAULTERS,
    ("apps", "v1"): apps.DEFAULTERS,
    ("batch", "v1"): batch.DEFAULTERS,
    ("networking.k8s.io", "v1"): networking.DEFAULTERS,
    ("rbac.authorization.k8s.io", "v1"): rbac.DEFAULTERS,
    ("autoscaling", "v1"): autoscaling.DEFAULTERS_V1,
    ("autoscaling", "v2"): autoscaling.DEFAULTERS_V2,
    ("scheduling.k8s.io", "v1"): scheduling.DEFAULTERS,
    ("storage.k8s.io", "v1"): storage.DEFAULTERS,
    ("discovery.k8s.io", "v1"): misc.DISCOVERY,
    ("events.k8s.io", "v1"): misc.EVENTS,
}
"""(group, version) -> kind -> defaulter. policy/v1 has no defaulters; anything unlisted is left alone."""


def apply_defaults(group: str, version: str, kind: str, obj: Obj) -> None:
    """Default `obj` (as the client sent it, decoded) in place for group/version/kind; unknown kinds: no-op."""
    defaulter = DEFAULTERS.get((group, version), {}).get(kind)
    if defaulter is not None and isinstance(obj, dict):
        defaulter(obj)


__all__ = [
    "DEFAULTERS",
    "DEFAULT_NODE_PORT_RANGE",
    "DEFAULT_SERVICE_CIDR",
    "AllocationError",
    "AllocationInternalError",
    "NodePortAllocator",
    "ServiceIPAllocator",
    "apply_defaults",
    "apply_service_allocation",
    "compute_qos",
    "prepare_for_create",
    "release_service_allocation",
]

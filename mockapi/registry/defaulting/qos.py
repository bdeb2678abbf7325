"""A Pod's QoS class, computed as pkg/apis/core/helper/qos ComputePodQOS does (PodLevelResources off).

Only cpu and memory count, and only amounts above zero. Regular and init containers are summed;
ephemeral containers are ignored.

    BestEffort  no container requests or limits anything
    Guaranteed  every container limits both cpu and memory, and summed requests equal summed limits
    Burstable   anything else
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from mockapi.registry.defaulting._fields import Obj, each, sub
from mockapi.registry.defaulting.quantity import parse

QOSClass = Literal["BestEffort", "Burstable", "Guaranteed"]

_QOS_RESOURCES = ("cpu", "memory")


def _positive(resources: Obj | None) -> dict[str, Fraction]:
    out: dict[str, Fraction] = {}
    for name, raw in (resources or {}).items():
        q = parse(raw) if name in _QOS_RESOURCES else None
        if q is not None and q.value > 0:
            out[name] = q.value
    return out


def compute_qos(pod_spec: Obj) -> QOSClass:
    requests: dict[str, Fraction] = {}
    limits: dict[str, Fraction] = {}
    guaranteed = True
    for key in ("containers", "initContainers"):
        for container in each(pod_spec, key):
            resources = sub(container, "resources")
            for name, amount in _positive(sub(resources, "requests")).items():
                requests[name] = requests.get(name, Fraction(0)) + amount
            container_limits = _positive(sub(resources, "limits"))
            for name, amount in container_limits.items():
                limits[name] = limits.get(name, Fraction(0)) + amount
            if not all(name in container_limits for name in _QOS_RESOURCES):
                guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    matching = all(limits.get(name) == amount for name, amount in requests.items())
    if guaranteed and matching and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"

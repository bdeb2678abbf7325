"""The scale subresource: a workload seen as an autoscaling/v1 Scale, and writes through it.

A write through the scale changes the parent's `spec.replicas` alone and is recorded in the parent's
managedFields with `subresource: scale` (upstream's ScaleHandler maps the Scale's `spec.replicas` to
the parent's); a server-side apply of a Scale is applied to the parent as that one field.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mockapi.api import errors
from mockapi.api.objects import meta
from mockapi.api.types import Obj, RequestInfo
from mockapi.registry.managedfields.apply import check_target, context_for
from mockapi.registry.managedfields.manager import apply, gvk_string
from mockapi.resources.types import ResourceType

SCALABLE = {
    ("apps", "deployments"),
    ("apps", "replicasets"),
    ("apps", "statefulsets"),
    ("", "replicationcontrollers"),
}

_SCALE_GVK = "autoscaling/v1, Kind=Scale"
SCALE_TYPE = ResourceType("autoscaling", "v1", "Scale", "scale", "scale", namespaced=True, verbs=())
"""What a scale write's body decodes as (the Go type autoscaling/v1 Scale), for field validation."""

Transform = Callable[[Obj], Obj]


def _checked_replicas(name: str, scale: Obj) -> Any:
    """ValidateScale: the replicas a Scale asks for (None when it names none)."""
    spec = scale.get("spec") or {}
    replicas = spec.get("replicas") if isinstance(spec, dict) else None
    if replicas is not None and (not isinstance(replicas, int) or isinstance(replicas, bool) or replicas < 0):
        raise errors.invalid_object(
            "Scale",
            "autoscaling",
            name,
            [errors.invalid("spec.replicas", replicas, "must be greater than or equal to 0")],
        )
    return replicas


def scale_update(info: RequestInfo, scale: Obj) -> Transform:
    """An update (or a JSON/merge/strategic patch, already applied to the Scale) of the replicas."""
    replicas = _checked_replicas(info.name, scale)
    sent_rv = (scale.get("metadata") or {}).get("resourceVersion", "")

    def transform(obj: Obj) -> Obj:
        if sent_rv:
            meta(obj)["resourceVersion"] = sent_rv
        obj.setdefault("spec", {})["replicas"] = replicas or 0
        return obj

    return transform


def scale_apply(
    rt: ResourceType, info: RequestInfo, config: Obj, manager: str, force: bool, schema_version: str = "1.33"
) -> Transform:
    """A server-side apply of a Scale: its `spec.replicas` applied to the parent as `manager`."""
    if gvk_string(config) != _SCALE_GVK:
        raise errors.bad_request(f"invalid object type: {gvk_string(config)}")
    check_target(rt, config, info.namespace, info.name, creating=False)
    replicas = _checked_replicas(info.name, config)
    scale_meta = meta(config)
    parent_meta: Obj = {"name": info.name}
    if rt.namespaced:
        parent_meta["namespace"] = info.namespace
    if scale_meta.get("resourceVersion"):
        parent_meta["resourceVersion"] = scale_meta["resourceVersion"]
    parent: Obj = {"apiVersion": rt.api_version, "kind": rt.kind, "metadata": parent_meta}
    if replicas is not None:
        parent["spec"] = {"replicas": replicas}
    kind = context_for(rt, schema_version)

    def transform(current: Obj) -> Obj:
        return apply(kind, current, parent, manager, force=force, subresource="scale")

    return transform


def to_scale(rt: ResourceType, obj: Obj) -> Obj:
    """autoscaling/v1 Scale of a workload (the scale subresource's view)."""
    m = obj.get("metadata", {})
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    scale_meta: dict[str, Any] = {"name": m.get("name", "")}
    for key in ("namespace", "uid", "resourceVersion", "creationTimestamp"):
        if key in m:
            scale_meta[key] = m[key]
    out_status: Obj = {"replicas": status.get("replicas", 0)}
    selector = _selector_string(rt, spec)
    if selector:
        out_status["selector"] = selector
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": scale_meta,
        "spec": {"replicas": spec.get("replicas", 0)},
        "status": out_status,
    }


def _selector_string(rt: ResourceType, spec: Obj) -> str:
    selector = spec.get("selector") or {}
    if rt.plural == "replicationcontrollers":
        return ",".join(f"{k}={v}" for k, v in sorted(selector.items()))
    parts = [f"{k}={v}" for k, v in sorted((selector.get("matchLabels") or {}).items())]
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr.get("key", ""), expr.get("operator", ""), expr.get("values") or []
        if op == "In":
            parts.append(f"{key} in ({','.join(sorted(values))})")
        elif op == "NotIn":
            parts.append(f"{key} notin ({','.join(sorted(values))})")
        elif op == "Exists":
            parts.append(key)
        elif op == "DoesNotExist":
            parts.append(f"!{key}")
    return ",".join(sorted(parts))

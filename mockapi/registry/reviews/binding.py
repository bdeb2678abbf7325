"""pods/binding and the legacy `bindings` resource (core/v1 Binding), as kube-apiserver 1.33 handles them.

Source: pkg/registry/core/pod/storage/storage.go (BindingREST.Create, assignPod, setPodHostAndAnnotations,
LegacyBindingREST), pkg/apis/core/validation ValidatePodBinding, pkg/api/pod UpdatePodCondition.

Order: `binding_error` (400 name mismatch; then validation, whose ErrorList goes back as a plain aggregate
error, so the client sees 500 with no reason), validating admission, `pod_key_error` (400), the pod read
(404 `pods "<name>" not found`), then `bind_pod` inside the storage update (409 Conflict). The update goes
straight to storage: no strategy, validation, admission or managed-fields step runs on the pod.

The create handler keeps a Binding's uid on pods/binding (PreserveRequestObjectMetaSystemFieldsOnSubresource-
Create) but wipes it on POST .../bindings; resourceVersion is never wiped. Both are pod preconditions.
"""

from __future__ import annotations

from datetime import UTC, datetime

from mockapi.api.coregroup import PODS
from mockapi.api.errors import (
    ApiError,
    FieldError,
    aggregate,
    bad_request,
    conflict,
    not_supported,
    plain_internal,
    required,
)
from mockapi.api.golang import go_quote
from mockapi.api.objects import clone, rfc3339
from mockapi.api.types import GroupVersionResource, Obj
from mockapi.registry.reviews.gostruct import as_list, as_map, as_str

PODS_BINDING = GroupVersionResource("", "v1", "pods/binding")
ETCD_PREFIX = "/registry"
"""kube-apiserver's default --etcd-prefix: storage keys (quoted in precondition errors) start with it."""


def binding_error(binding: Obj, url_name: str) -> ApiError | None:
    """The checks before admission: 400 `name in URL does not match name in Binding object`, then
    ValidatePodBinding's errors as a 500 with the bare aggregated message (`errs.ToAggregate()` is not an
    API status). For POST .../bindings pass the Binding's own name as `url_name`."""
    if as_str(as_map(binding.get("metadata")).get("name")) != url_name:
        return bad_request("name in URL does not match name in Binding object")
    target = as_map(binding.get("target"))
    errs: list[FieldError] = []
    kind = as_str(target.get("kind"))
    if kind and kind != "Node":
        errs.append(not_supported("target.kind", kind, ["Node", "<empty>"]))
    if not as_str(target.get("name")):
        errs.append(required("target.name"))
    if errs:
        return plain_internal(aggregate([str(e) for e in errs]))
    return None


def pod_key_error(name: str) -> ApiError | None:
    """The pod store's key function (NamespaceKeyFunc), reached after admission: 400 for an empty name or
    one that is not a path segment."""
    if not name:
        return bad_request("Name parameter required.")
    if name in (".", ".."):
        problems = [f"may not be '{name}'"]
    else:
        problems = [f"may not contain '{c}'" for c in "/%" if c in name]
    if problems:
        return bad_request(f"Name parameter invalid: {go_quote(name)}: {';'.join(problems)}")
    return None


def _precondition_failed(pod: Obj, detail: str) -> ApiError:
    """A storage precondition failure (StorageError invalid object, code 4) as InterpretUpdateError words it."""
    m = as_map(pod.get("metadata"))
    name = as_str(m.get("name"))
    key = f"{ETCD_PREFIX}/pods/{as_str(m.get('namespace'))}/{name}"
    message = f"StorageError: invalid object, Code: 4, Key: {key}, ResourceVersion: 0, AdditionalErrorMsg: {detail}"
    return conflict(PODS, name, message)


def bind_pod(pod: Obj, binding: Obj, *, now: datetime | None = None) -> Obj:
    """The pod as the binding leaves it, or the ApiError assignPod ends with.

    `pod` is the stored pod (read in the storage update; 404 before this when there is none). Raises 409
    Conflict on `pods` when the binding's uid/resourceVersion preconditions fail, and 409 Conflict on
    `pods/binding` when the pod is being deleted, already has a node, or still has scheduling gates.
    Otherwise returns a copy with spec.nodeName set, the binding's annotations merged over the pod's, and
    the PodScheduled condition made True (UpdatePodCondition: it replaces the whole condition, keeping the
    old lastTransitionTime only when the status was already True)."""
    bm, pm = as_map(binding.get("metadata")), as_map(pod.get("metadata"))
    uid, rv = as_str(bm.get("uid")), as_str(bm.get("resourceVersion"))
    if uid and uid != as_str(pm.get("uid")):
        detail = f"Precondition failed: UID in precondition: {uid}, UID in object meta: {as_str(pm.get('uid'))}"
        raise _precondition_failed(pod, detail)
    if rv and rv != as_str(pm.get("resourceVersion")):
        stored = as_str(pm.get("resourceVersion"))
        detail = f"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {stored}"
        raise _precondition_failed(pod, detail)
    name, spec = as_str(pm.get("name")), as_map(pod.get("spec"))
    if pm.get("deletionTimestamp"):
        raise conflict(PODS_BINDING, name, f"pod {name} is being deleted, cannot be assigned to a host")
    if node := as_str(spec.get("nodeName")):
        raise conflict(PODS_BINDING, name, f"pod {name} is already assigned to node {go_quote(node)}")
    if as_list(spec.get("schedulingGates")):
        raise conflict(PODS_BINDING, name, f"pod {name} has non-empty .spec.schedulingGates")

    out = clone(pod)
    out.setdefault("spec", {})["nodeName"] = as_str(as_map(binding.get("target")).get("name"))
    if annotations := as_map(bm.get("annotations")):  # an empty map would be omitted anyway
        meta = out.setdefault("metadata", {})
        meta["annotations"] = {**as_map(meta.get("annotations")), **annotations}
    status = out.get("status")
    if not isinstance(status, dict):
        status = out["status"] = {}
    conditions = [c for c in as_list(status.get("conditions")) if isinstance(c, dict)]
    transition = rfc3339(now or datetime.now(UTC))
    condition: Obj = {"type": "PodScheduled", "status": "True", "lastProbeTime": None, "lastTransitionTime": transition}
    for i, old in enumerate(conditions):
        if old.get("type") == "PodScheduled":
            if old.get("status") == "True":
                condition["lastTransitionTime"] = old.get("lastTransitionTime")
            conditions[i] = condition
            break
    else:
        conditions.append(condition)
    status["conditions"] = conditions
    return out


def binding_success() -> Obj:
    """What a successful binding create answers (201): a Success Status whose code the handler sets."""
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}

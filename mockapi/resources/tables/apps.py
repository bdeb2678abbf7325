"""Cell functions for the apps group: deployments, replicasets, statefulsets, daemonsets, controllerrevisions.

Replica counts are Go int32 fields of the internal types; an unset `spec.replicas` (a nil pointer in
apps/v1) converts to 0.
"""

from __future__ import annotations

from datetime import datetime

from mockapi.api.errors import plain_internal
from mockapi.api.types import Obj
from mockapi.resources.tables.cells import (
    age,
    container_cells,
    format_label_selector,
    format_labels,
    int_of,
    label_selector_string,
    list_of,
    name_of,
    obj_of,
    str_of,
    template_containers,
)
from mockapi.resources.tables.model import Cell, RowFunctions


def deployment_cells(deploy: Obj, now: datetime) -> list[Cell]:
    spec, status = obj_of(deploy, "spec"), obj_of(deploy, "status")
    selector = label_selector_string(spec.get("selector"))
    names, images = container_cells(template_containers(spec))
    return [
        name_of(deploy),
        f"{int_of(status, 'readyReplicas')}/{int_of(spec, 'replicas')}",
        int_of(status, "updatedReplicas"),
        int_of(status, "availableReplicas"),
        age(deploy, now),
        names,
        images,
        "<invalid>" if selector is None else selector,
    ]


def replicaset_cells(rs: Obj, now: datetime) -> list[Cell]:
    spec, status = obj_of(rs, "spec"), obj_of(rs, "status")
    names, images = container_cells(template_containers(spec))
    return [
        name_of(rs),
        int_of(spec, "replicas"),
        int_of(status, "replicas"),
        int_of(status, "readyReplicas"),
        age(rs, now),
        names,
        images,
        format_label_selector(spec.get("selector")),
    ]


def statefulset_cells(sts: Obj, now: datetime) -> list[Cell]:
    spec, status = obj_of(sts, "spec"), obj_of(sts, "status")
    names, images = container_cells(template_containers(spec))
    return [
        name_of(sts),
        f"{int_of(status, 'readyReplicas')}/{int_of(spec, 'replicas')}",
        age(sts, now),
        names,
        images,
    ]


def daemonset_cells(ds: Obj, now: datetime) -> list[Cell]:
    spec, status = obj_of(ds, "spec"), obj_of(ds, "status")
    pod_spec = obj_of(obj_of(spec, "template"), "spec")
    names, images = container_cells(list_of(pod_spec, "containers"))
    return [
        name_of(ds),
        int_of(status, "desiredNumberScheduled"),
        int_of(status, "currentNumberScheduled"),
        int_of(status, "numberReady"),
        int_of(status, "updatedNumberScheduled"),
        int_of(status, "numberAvailable"),
        format_labels(pod_spec.get("nodeSelector")),
        age(ds, now),
        names,
        images,
        format_label_selector(spec.get("selector")),
    ]


def _controller_name(obj: Obj) -> str:
    """metav1.GetControllerOf + formatResourceName(withKind): `<kind>.<group>` lowercased + `/name`."""
    for ref in list_of(obj_of(obj, "metadata"), "ownerReferences"):
        if ref.get("controller") is True:
            api_version = str_of(ref, "apiVersion")
            if api_version.count("/") > 1:
                raise plain_internal(f"unexpected GroupVersion string: {api_version}")
            group = api_version.split("/")[0] if "/" in api_version else ""
            kind = str_of(ref, "kind")
            if not group and not kind:
                return str_of(ref, "name")
            group_kind = f"{kind}.{group}" if group else kind
            return f"{group_kind.lower()}/{str_of(ref, 'name')}"
    return "<none>"


def controllerrevision_cells(cr: Obj, now: datetime) -> list[Cell]:
    return [name_of(cr), _controller_name(cr), int_of(cr, "revision"), age(cr, now)]


ROWS: dict[str, RowFunctions] = {
    "deployments": RowFunctions(deployment_cells),
    "replicasets": RowFunctions(replicaset_cells),
    "statefulsets": RowFunctions(statefulset_cells),
    "daemonsets": RowFunctions(daemonset_cells),
    "controllerrevisions": RowFunctions(controllerrevision_cells),
}

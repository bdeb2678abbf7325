"""Cell functions for volumes: core persistentvolumes/persistentvolumeclaims and storage.k8s.io
(storageclasses, csidrivers, csinodes, volumeattachments, volumeattributesclasses).

csistoragecapacities has a printer upstream but its registry installs the default convertor, so it is
listed nowhere and gets the default table.
"""

from __future__ import annotations

from datetime import datetime

from mockapi.api.types import Obj
from mockapi.resources.tables.cells import (
    access_modes,
    age,
    bool_of,
    has,
    list_of,
    name_of,
    obj_of,
    quantity_value,
    str_of,
)
from mockapi.resources.tables.model import Cell, RowFunctions

_BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class"
_DEFAULT_CLASS_ANNOTATIONS = (
    "storageclass.kubernetes.io/is-default-class",
    "storageclass.beta.kubernetes.io/is-default-class",
)


def _annotations(obj: Obj) -> Obj:
    return obj_of(obj_of(obj, "metadata"), "annotations")


def _phase(obj: Obj) -> str:
    if obj_of(obj, "metadata").get("deletionTimestamp") is not None:
        return "Terminating"
    return str_of(obj_of(obj, "status"), "phase")


def _storage_class(obj: Obj) -> str:
    """helper.GetPersistentVolume(Claim)Class: the beta annotation wins over spec.storageClassName."""
    annotations = _annotations(obj)
    if _BETA_STORAGE_CLASS in annotations:
        return str(annotations[_BETA_STORAGE_CLASS])
    return str_of(obj_of(obj, "spec"), "storageClassName")


def persistentvolume_cells(pv: Obj, now: datetime) -> list[Cell]:
    spec = obj_of(pv, "spec")
    claim = ""
    if has(spec, "claimRef"):
        ref = obj_of(spec, "claimRef")
        claim = f"{str_of(ref, 'namespace')}/{str_of(ref, 'name')}"
    return [
        name_of(pv),
        quantity_value(obj_of(spec, "capacity").get("storage")),
        access_modes(list_of(spec, "accessModes")),
        str_of(spec, "persistentVolumeReclaimPolicy"),
        _phase(pv),
        claim,
        _storage_class(pv),
        str_of(spec, "volumeAttributesClassName") if has(spec, "volumeAttributesClassName") else "<unset>",
        str_of(obj_of(pv, "status"), "reason"),
        age(pv, now),
        str_of(spec, "volumeMode") if has(spec, "volumeMode") else "<unset>",
    ]


def persistentvolumeclaim_cells(pvc: Obj, now: datetime) -> list[Cell]:
    spec, status = obj_of(pvc, "spec"), obj_of(pvc, "status")
    volume = str_of(spec, "volumeName")
    capacity = modes = ""
    if volume:
        modes = access_modes(list_of(status, "accessModes"))
        capacity = quantity_value(obj_of(status, "capacity").get("storage"))
    return [
        name_of(pvc),
        _phase(pvc),
        volume,
        capacity,
        modes,
        _storage_class(pvc),
        str_of(spec, "volumeAttributesClassName") if has(spec, "volumeAttributesClassName") else "<unset>",
        age(pvc, now),
        str_of(spec, "volumeMode") if has(spec, "volumeMode") else "<unset>",
    ]


def storageclass_cells(sc: Obj, now: datetime) -> list[Cell]:
    annotations = _annotations(sc)
    name = name_of(sc)
    if any(annotations.get(key) == "true" for key in _DEFAULT_CLASS_ANNOTATIONS):
        name += " (default)"
    return [
        name,
        str_of(sc, "provisioner"),
        str_of(sc, "reclaimPolicy") if has(sc, "reclaimPolicy") else "Delete",
        str_of(sc, "volumeBindingMode") if has(sc, "volumeBindingMode") else "Immediate",
        bool_of(sc, "allowVolumeExpansion"),
        age(sc, now),
    ]


def csidriver_cells(driver: Obj, now: datetime) -> list[Cell]:
    spec = obj_of(driver, "spec")
    token_requests = "<unset>"
    # An empty list does not survive kube-apiserver's storage (omitempty), so it reads back as nil.
    if list_of(spec, "tokenRequests"):
        token_requests = ",".join(str_of(t, "audience") for t in list_of(spec, "tokenRequests"))
    modes = ",".join(str(m) for m in list_of(spec, "volumeLifecycleModes"))
    return [
        name_of(driver),
        bool_of(spec, "attachRequired", default=True),
        bool_of(spec, "podInfoOnMount"),
        bool_of(spec, "storageCapacity"),
        token_requests,
        bool_of(spec, "requiresRepublish"),
        modes or "<none>",
        age(driver, now),
    ]


def csinode_cells(node: Obj, now: datetime) -> list[Cell]:
    return [name_of(node), len(list_of(obj_of(node, "spec"), "drivers")), age(node, now)]


def volumeattachment_cells(va: Obj, now: datetime) -> list[Cell]:
    spec = obj_of(va, "spec")
    return [
        name_of(va),
        str_of(spec, "attacher"),
        str_of(obj_of(spec, "source"), "persistentVolumeName"),
        str_of(spec, "nodeName"),
        bool_of(obj_of(va, "status"), "attached"),
        age(va, now),
    ]


def volumeattributesclass_cells(vac: Obj, now: datetime) -> list[Cell]:
    return [name_of(vac), str_of(vac, "driverName"), age(vac, now)]


ROWS: dict[str, RowFunctions] = {
    "persistentvolumes": RowFunctions(persistentvolume_cells),
    "persistentvolumeclaims": RowFunctions(persistentvolumeclaim_cells),
    "storageclasses": RowFunctions(storageclass_cells),
    "csidrivers": RowFunctions(csidriver_cells),
    "csinodes": RowFunctions(csinode_cells),
    "volumeattachments": RowFunctions(volumeattachment_cells),
    "volumeattributesclasses": RowFunctions(volumeattributesclass_cells),
}

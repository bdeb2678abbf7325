"""Defaulters for storage.k8s.io/v1 (pkg/apis/storage/v1/defaults.go).

CSIDriver follows 1.33's gates: FSGroupPolicy and inline volumes are GA, SELinuxMountReadWriteOncePod is
beta and on, so `fsGroupPolicy`, `volumeLifecycleModes` and `seLinuxMount` are filled.
"""

from __future__ import annotations

from collections.abc import Callable

from mockapi.registry.defaulting._fields import Obj, set_if_empty, set_if_unset, sub


def storage_class(obj: Obj) -> None:
    set_if_unset(obj, "reclaimPolicy", "Delete")
    set_if_unset(obj, "volumeBindingMode", "Immediate")


def csi_driver(obj: Obj) -> None:
    spec = sub(obj, "spec")
    if spec is None:
        return
    set_if_unset(spec, "attachRequired", True)
    set_if_unset(spec, "podInfoOnMount", False)
    set_if_unset(spec, "storageCapacity", False)
    set_if_unset(spec, "fsGroupPolicy", "ReadWriteOnceWithFSType")
    set_if_empty(spec, "volumeLifecycleModes", ["Persistent"])
    set_if_unset(spec, "requiresRepublish", False)
    set_if_unset(spec, "seLinuxMount", False)


DEFAULTERS: dict[str, Callable[[Obj], None]] = {"StorageClass": storage_class, "CSIDriver": csi_driver}

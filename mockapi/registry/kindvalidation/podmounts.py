"""Volume mounts and devices of a container (ValidateVolumeMounts, ValidateVolumeDevices).

Left out: mountPropagation and recursiveReadOnly checks.
"""

from __future__ import annotations

from mockapi.api.errors import FieldError, field_not_found, invalid, required
from mockapi.api.types import Obj
from mockapi.registry.kindvalidation.podfields import items, local_descending_path_errors, text


def volume_mount_errors(container: Obj, volumes: dict[str, Obj], path: str) -> list[FieldError]:
    """ValidateVolumeMounts (without mountPropagation / recursiveReadOnly)."""
    errs: list[FieldError] = []
    device_paths = {text(d, "name"): text(d, "devicePath") for d in items(container.get("volumeDevices"))}
    seen: set[str] = set()
    for i, mount in enumerate(items(container.get("volumeMounts"))):
        idx_path = f"{path}[{i}]"
        name, mount_path = text(mount, "name"), text(mount, "mountPath")
        if not name:
            errs.append(required(f"{idx_path}.name"))
        if name not in volumes:
            errs.append(field_not_found(f"{idx_path}.name", name))
        if not mount_path:
            errs.append(required(f"{idx_path}.mountPath"))
        if mount_path in seen:
            errs.append(invalid(f"{idx_path}.mountPath", mount_path, "must be unique"))
        seen.add(mount_path)
        if name in device_paths:
            errs.append(invalid(f"{idx_path}.name", name, "must not already exist in volumeDevices"))
        if mount_path in device_paths.values():
            errs.append(
                invalid(f"{idx_path}.mountPath", mount_path, "must not already exist as a path in volumeDevices")
            )
        sub_path, sub_path_expr = text(mount, "subPath"), text(mount, "subPathExpr")
        if isinstance(volumes.get(name, {}).get("image"), dict):
            if sub_path:
                errs.append(invalid(f"{idx_path}.subPath", sub_path, "not allowed in image volume sources"))
            if sub_path_expr:
                errs.append(invalid(f"{idx_path}.subPathExpr", sub_path_expr, "not allowed in image volume sources"))
        if sub_path:
            errs += local_descending_path_errors(sub_path, f"{path}.subPath")
        if sub_path_expr:
            if sub_path:
                errs.append(
                    invalid(f"{idx_path}.subPathExpr", sub_path_expr, "subPathExpr and subPath are mutually exclusive")
                )
            errs += local_descending_path_errors(sub_path_expr, f"{path}.subPathExpr")
    return errs


def volume_device_errors(container: Obj, volumes: dict[str, Obj], path: str) -> list[FieldError]:
    """ValidateVolumeDevices."""
    errs: list[FieldError] = []
    mounts = {text(m, "name"): text(m, "mountPath") for m in items(container.get("volumeMounts"))}
    names: set[str] = set()
    paths: set[str] = set()
    for i, device in enumerate(items(container.get("volumeDevices"))):
        idx_path = f"{path}[{i}]"
        name, device_path = text(device, "name"), text(device, "devicePath")
        volume = volumes.get(name)
        if not name:
            errs.append(required(f"{idx_path}.name"))
        if name in names:
            errs.append(invalid(f"{idx_path}.name", name, "must be unique"))
        is_claim = volume is not None and any(
            isinstance(volume.get(k), dict) for k in ("persistentVolumeClaim", "ephemeral")
        )
        if volume is not None and not is_claim:
            errs.append(
                invalid(
                    f"{idx_path}.name",
                    name,
                    "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode",
                )
            )
        if volume is None:
            errs.append(field_not_found(f"{idx_path}.name", name))
        if not device_path:
            errs.append(required(f"{idx_path}.devicePath"))
        if device_path in paths:
            errs.append(invalid(f"{idx_path}.devicePath", device_path, "must be unique"))
        if device_path and ".." in device_path.split("/"):
            errs.append(invalid(f"{idx_path}.devicePath", device_path, "can not contain backsteps ('..')"))
        else:
            paths.add(device_path)
        if name in mounts:
            errs.append(invalid(f"{idx_path}.name", name, "must not already exist in volumeMounts"))
        if device_path in mounts.values():
            errs.append(
                invalid(f"{idx_path}.devicePath", device_path, "must not already exist as a path in volumeMounts")
            )
        if name:
            names.add(name)
    return errs

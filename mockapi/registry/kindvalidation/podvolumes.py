"""Pod volumes (ValidateVolumes / validateVolumeSource and the common sources' validators).

Left out: the deeper checks of rarely used in-tree sources (iSCSI, FC, Quobyte, Flocker, Azure disk
enums, ephemeral claim templates, image volumes, ClusterTrustBundle projections); they are counted as a
volume type and their required fields, where simple, are checked.
"""

from __future__ import annotations

from collections.abc import Callable

from mockapi.api.errors import FieldError, duplicate, forbidden_field, invalid, not_supported, required
from mockapi.api.types import Obj
from mockapi.registry.kindvalidation.podfields import (
    file_mode_errors,
    integer,
    items,
    local_descending_path_errors,
    local_non_reserved_path_errors,
    object_field_selector_errors,
    path_no_backsteps_errors,
    quantity,
    text,
)
from mockapi.registry.validation import dns1123_label, dns1123_subdomain, inclusive_range_error

SourceValidator = Callable[[Obj, str], list[FieldError]]

HOST_PATH_TYPES = [
    "",
    "BlockDevice",
    "CharDevice",
    "Directory",
    "DirectoryOrCreate",
    "File",
    "FileOrCreate",
    "Socket",
]  # sets.List order

VOLUME_DOWNWARD_API_FIELDS = [
    "metadata.annotations",
    "metadata.labels",
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
]


def _host_path(src: Obj, path: str) -> list[FieldError]:
    target = text(src, "path")
    if not target:
        return [required(f"{path}.path")]
    errs = path_no_backsteps_errors(target, f"{path}.path")
    kind = src.get("type")
    if isinstance(kind, str) and kind not in HOST_PATH_TYPES:
        errs.append(not_supported(f"{path}.type", kind, HOST_PATH_TYPES))
    return errs


def _empty_dir(src: Obj, path: str) -> list[FieldError]:
    size = quantity(src.get("sizeLimit"))
    if size is not None and size.value < 0:
        return [forbidden_field(f"{path}.sizeLimit", "SizeLimit field must be a valid resource quantity")]
    return []


def key_to_path_errors(item: Obj, path: str) -> list[FieldError]:
    """validateKeyToPath."""
    errs = []
    if not text(item, "key"):
        errs.append(required(f"{path}.key"))
    if not text(item, "path"):
        errs.append(required(f"{path}.path"))
    errs += local_non_reserved_path_errors(text(item, "path"), f"{path}.path")
    return errs + file_mode_errors(item, "mode", f"{path}.mode")


def _named_items(name_key: str) -> SourceValidator:
    """Secret (secretName) and ConfigMap (name) volumes: name, defaultMode, items."""

    def check(src: Obj, path: str) -> list[FieldError]:
        errs = [] if text(src, name_key) else [required(f"{path}.{name_key}")]
        errs += file_mode_errors(src, "defaultMode", f"{path}.defaultMode")
        for i, item in enumerate(items(src.get("items"))):
            errs += key_to_path_errors(item, f"{path}.items[{i}]")
        return errs

    return check


def _nfs(src: Obj, path: str) -> list[FieldError]:
    errs = [] if text(src, "server") else [required(f"{path}.server")]
    target = text(src, "path")
    if not target:
        errs.append(required(f"{path}.path"))
    if not target.startswith("/"):
        errs.append(invalid(f"{path}.path", target, "must be an absolute path"))
    return errs


def _downward_api_file(item: Obj, path: str) -> list[FieldError]:
    """validateDownwardAPIVolumeFile (field selectors checked for presence and the supported paths)."""
    target = text(item, "path")
    errs = [] if target else [required(f"{path}.path")]
    errs += local_non_reserved_path_errors(target, f"{path}.path")
    field_ref, resource_ref = item.get("fieldRef"), item.get("resourceFieldRef")
    if isinstance(field_ref, dict):
        errs += object_field_selector_errors(field_ref, VOLUME_DOWNWARD_API_FIELDS, f"{path}.fieldRef")
        if isinstance(resource_ref, dict):
            errs.append(invalid(path, "resource", "fieldRef and resourceFieldRef can not be specified simultaneously"))
    elif isinstance(resource_ref, dict):
        if not text(resource_ref, "containerName"):
            errs.append(required(f"{path}.resourceFieldRef.containerName"))
        elif not text(resource_ref, "resource"):
            errs.append(required(f"{path}.resourceFieldRef.resource"))
    else:
        errs.append(required(path, "one of fieldRef and resourceFieldRef is required"))
    return errs + file_mode_errors(item, "mode", f"{path}.mode")


def _downward_api(src: Obj, path: str) -> list[FieldError]:
    errs = file_mode_errors(src, "defaultMode", f"{path}.defaultMode")
    for item in items(src.get("items")):
        errs += _downward_api_file(item, path)
    return errs


def _projected(src: Obj, path: str) -> list[FieldError]:
    """validateProjectedVolumeSource / validateProjectionSources (without ClusterTrustBundle)."""
    errs = file_mode_errors(src, "defaultMode", f"{path}.defaultMode")
    seen: set[str] = set()

    def claim(target: str, name: str) -> None:
        if target in seen:
            errs.append(invalid(path, name, "conflicting duplicate paths"))
        seen.add(target)

    for i, source in enumerate(items(src.get("sources"))):
        src_path = f"{path}.sources[{i}]"
        count = 0
        for kind in ("secret", "configMap"):
            ref = source.get(kind)
            if not isinstance(ref, dict):
                continue
            count += 1
            if not text(ref, "name"):
                errs.append(required(f"{src_path}.{kind}.name"))
            for j, item in enumerate(items(ref.get("items"))):
                errs += key_to_path_errors(item, f"{src_path}.{kind}.items[{j}]")
                if text(item, "path"):
                    claim(text(item, "path"), text(ref, "name"))
        downward = source.get("downwardAPI")
        if isinstance(downward, dict):
            count += 1
            for item in items(downward.get("items")):
                errs += _downward_api_file(item, f"{src_path}.downwardAPI")
                if text(item, "path"):
                    claim(text(item, "path"), text(item, "path"))
        token = source.get("serviceAccountToken")
        if isinstance(token, dict):
            count += 1
            seconds = integer(token, "expirationSeconds")
            if seconds < 600:
                errs.append(
                    invalid(
                        f"{src_path}.serviceAccountToken.expirationSeconds",
                        seconds,
                        "may not specify a duration less than 10 minutes",
                    )
                )
            if seconds > 1 << 32:
                errs.append(
                    invalid(
                        f"{src_path}.serviceAccountToken.expirationSeconds",
                        seconds,
                        "may not specify a duration larger than 2^32 seconds",
                    )
                )
            if not text(token, "path"):
                errs.append(required(f"{path}.path"))
            else:
                errs += local_non_reserved_path_errors(text(token, "path"), f"{path}.path")
        if isinstance(source.get("clusterTrustBundle"), dict):
            count += 1
        if count > 1:
            errs.append(forbidden_field(src_path, "may not specify more than 1 volume type per source"))
    return errs


def _csi(src: Obj, path: str) -> list[FieldError]:
    driver = text(src, "driver")
    errs = [] if driver else [required(f"{path}.driver")]
    if len(driver) > 63:
        errs.append(FieldError("FieldValueTooLong", f"{path}.driver", "Too long: must have at most 63 bytes"))
    errs += [invalid(f"{path}.driver", driver, m) for m in dns1123_subdomain(driver.lower())]
    secret = src.get("nodePublishSecretRef")
    if isinstance(secret, dict):
        name = text(secret, "name")
        if not name:
            errs.append(required(f"{path}.nodePublishSecretRef.name"))
        else:
            errs += [invalid(f"{path}.name", name, m) for m in dns1123_subdomain(name)]
    return errs


def _partitioned(id_key: str) -> SourceValidator:
    """GCE PD (pdName) and AWS EBS (volumeID): the id and a partition in 0..255."""

    def check(src: Obj, path: str) -> list[FieldError]:
        errs = [] if text(src, id_key) else [required(f"{path}.{id_key}")]
        partition = integer(src, "partition")
        if partition < 0 or partition > 255:
            errs.append(invalid(f"{path}.partition", partition, inclusive_range_error(1, 255)))
        return errs

    return check


def _requires(*keys: str) -> SourceValidator:
    """Sources whose validator only requires some fields to be non-empty."""

    def check(src: Obj, path: str) -> list[FieldError]:
        return [required(f"{path}.{key}") for key in keys if not src.get(key)]

    return check


def _git_repo(src: Obj, path: str) -> list[FieldError]:
    errs = [] if text(src, "repository") else [required(f"{path}.repository")]
    return errs + local_descending_path_errors(text(src, "directory"), f"{path}.directory")


def _storageos(src: Obj, path: str) -> list[FieldError]:
    name = text(src, "volumeName")
    if not name:
        return [required(f"{path}.volumeName")]
    return [invalid(f"{path}.volumeName", name, m) for m in dns1123_label(name)]


def _ephemeral(src: Obj, path: str) -> list[FieldError]:
    return [] if isinstance(src.get("volumeClaimTemplate"), dict) else [required(f"{path}.volumeClaimTemplate")]


def _none(src: Obj, path: str) -> list[FieldError]:
    return []


# (JSON member, path of the "more than 1" error, path the source's own errors use, validator), in
# validateVolumeSource's order; the path quirks (`persistentDisk`, `cephFS`, `downwarAPI`) are upstream's.
SOURCES: list[tuple[str, str, str, SourceValidator]] = [
    ("emptyDir", "emptyDir", "emptyDir", _empty_dir),
    ("hostPath", "hostPath", "hostPath", _host_path),
    ("gitRepo", "gitRepo", "gitRepo", _git_repo),
    ("gcePersistentDisk", "gcePersistentDisk", "persistentDisk", _partitioned("pdName")),
    ("awsElasticBlockStore", "awsElasticBlockStore", "awsElasticBlockStore", _partitioned("volumeID")),
    ("secret", "secret", "secret", _named_items("secretName")),
    ("nfs", "nfs", "nfs", _nfs),
    ("iscsi", "iscsi", "iscsi", _requires("targetPortal", "iqn")),
    ("glusterfs", "glusterfs", "glusterfs", _requires("endpoints", "path")),
    ("flocker", "flocker", "flocker", _none),
    ("persistentVolumeClaim", "persistentVolumeClaim", "persistentVolumeClaim", _requires("claimName")),
    ("rbd", "rbd", "rbd", _requires("monitors", "image")),
    ("cinder", "cinder", "cinder", _requires("volumeID")),
    ("cephfs", "cephFS", "cephfs", _requires("monitors")),
    ("quobyte", "quobyte", "quobyte", _none),
    ("downwardAPI", "downwarAPI", "downwardAPI", _downward_api),
    ("fc", "fc", "fc", _none),
    ("flexVolume", "flexVolume", "flexVolume", _requires("driver")),
    ("configMap", "configMap", "configMap", _named_items("name")),
    ("azureFile", "azureFile", "azureFile", _requires("secretName", "shareName")),
    ("vsphereVolume", "vsphereVolume", "vsphereVolume", _requires("volumePath")),
    ("photonPersistentDisk", "photonPersistentDisk", "photonPersistentDisk", _requires("pdID")),
    ("portworxVolume", "portworxVolume", "portworxVolume", _requires("volumeID")),
    ("azureDisk", "azureDisk", "azureDisk", _requires("diskName", "diskURI")),
    ("storageos", "storageos", "storageos", _storageos),
    ("projected", "projected", "projected", _projected),
    ("scaleIO", "scaleIO", "scaleIO", _requires("gateway", "system", "volumeName")),
    ("csi", "csi", "csi", _csi),
    ("ephemeral", "ephemeral", "ephemeral", _ephemeral),
    ("image", "image", "image", _none),
]


def volume_source_errors(volume: Obj, path: str) -> list[FieldError]:
    """validateVolumeSource: exactly one source, each validated by its own rules."""
    errs: list[FieldError] = []
    count = 0
    for key, extra_path, own_path, check in SOURCES:
        src = volume.get(key)
        if not isinstance(src, dict):
            continue
        if count > 0:
            errs.append(forbidden_field(f"{path}.{extra_path}", "may not specify more than 1 volume type"))
            continue
        count += 1
        errs += check(src, f"{path}.{own_path}")
    if count == 0:
        errs.append(required(path, "must specify a volume type"))
    return errs


def validate_volumes(volumes: object, path: str) -> tuple[dict[str, Obj], list[FieldError]]:
    """ValidateVolumes: the name -> volume map of the valid volumes (what mounts may refer to), and errors."""
    errs: list[FieldError] = []
    names: dict[str, Obj] = {}
    for i, volume in enumerate(items(volumes)):
        idx_path = f"{path}[{i}]"
        name = text(volume, "name")
        own = volume_source_errors(volume, idx_path)
        if not name:
            own.append(required(f"{idx_path}.name"))
        else:
            own += [invalid(f"{idx_path}.name", name, m) for m in dns1123_label(name)]
        if name in names:
            own.append(duplicate(f"{idx_path}.name", name))
        if not own:
            names[name] = volume
        errs += own
    return names, errs

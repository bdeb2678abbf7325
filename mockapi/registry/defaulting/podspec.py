"""Defaults under a PodSpec, shared by Pods and every pod template (core/v1 defaults.go + generated walk).

    default_pod_template(template)   PodTemplateSpec: metadata zero value + default_pod_spec
    default_pod_spec(spec)           SetDefaults_PodSpec, volumes, containers, probes, resource lists
    default_pod_only(spec)           SetDefaults_Pod: only a Pod gets these, never a template

Feature-gated behaviour follows 1.33's defaults: PodLevelResources, ImageVolume and
DefaultHostNetworkHostPortsInPodTemplates are off, so pod-level resource defaulting, image-volume
pull policies and host ports in templates are not applied.
"""

from __future__ import annotations

from mockapi.registry.defaulting._fields import (
    Obj,
    each,
    ensure,
    set_if_empty,
    set_if_unset,
    set_if_zero,
    sub,
    zero_template_meta,
)
from mockapi.registry.defaulting.images import image_tag
from mockapi.registry.defaulting.quantity import normalize, normalize_resource_list

CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")
"""Where containers live in a PodSpec (ephemeral containers share Container's defaults)."""

VOLUME_SOURCES = (
    "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs",
    "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker",
    "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk",
    "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral",
    "image",
)  # fmt: skip
"""VolumeSource's members; a volume naming none of them becomes an emptyDir."""

DEFAULT_FILE_MODE = 420
"""0644, the defaultMode of secret, configMap, downwardAPI and projected volumes."""


def default_pod_template(template: Obj) -> None:
    zero_template_meta(template)
    spec = sub(template, "spec")
    if spec is not None:
        default_pod_spec(spec)


def default_pod_spec(spec: Obj) -> None:
    set_if_empty(spec, "dnsPolicy", "ClusterFirst")
    set_if_empty(spec, "restartPolicy", "Always")
    set_if_unset(spec, "securityContext", {})
    set_if_unset(spec, "terminationGracePeriodSeconds", 30)
    set_if_empty(spec, "schedulerName", "default-scheduler")
    _sync_service_account(spec)
    for volume in each(spec, "volumes"):
        default_volume(volume)
    for key in CONTAINER_LISTS:
        for container in each(spec, key):
            default_container(container)
    normalize_resource_list(spec, "overhead")


def default_pod_only(spec: Obj) -> None:
    """SetDefaults_Pod: requests from limits, enableServiceLinks, host ports under hostNetwork."""
    for key in ("containers", "initContainers"):
        for container in each(spec, key):
            resources = sub(container, "resources")
            limits = sub(resources, "limits")
            if resources is None or limits is None:
                continue
            requests = ensure(resources, "requests")
            if requests is not None:
                for name, amount in limits.items():
                    requests.setdefault(name, amount)
    set_if_unset(spec, "enableServiceLinks", True)
    if spec.get("hostNetwork") is True:
        for key in ("containers", "initContainers"):
            for container in each(spec, key):
                for port in each(container, "ports"):
                    if not port.get("hostPort") and isinstance(port.get("containerPort"), int):
                        port["hostPort"] = port["containerPort"]


def _sync_service_account(spec: Obj) -> None:
    """v1 conversion: `serviceAccount` is the deprecated alias, always written back from the name."""
    name = spec.get("serviceAccountName") or spec.get("serviceAccount")
    if isinstance(name, str) and name:
        spec["serviceAccountName"] = name
        spec["serviceAccount"] = name


def default_container(container: Obj) -> None:
    if not container.get("imagePullPolicy"):
        latest = image_tag(container.get("image")) == "latest"
        container["imagePullPolicy"] = "Always" if latest else "IfNotPresent"
    set_if_empty(container, "terminationMessagePath", "/dev/termination-log")
    set_if_empty(container, "terminationMessagePolicy", "File")
    for port in each(container, "ports"):
        set_if_empty(port, "protocol", "TCP")
    for env in each(container, "env"):
        default_field_ref(sub(env, "valueFrom"))
    resources = ensure(container, "resources")
    if resources is not None:
        normalize_resource_list(resources, "limits")
        normalize_resource_list(resources, "requests")
    for key in ("livenessProbe", "readinessProbe", "startupProbe"):
        probe = sub(container, key)
        if probe is not None:
            default_probe(probe)
    lifecycle = sub(container, "lifecycle")
    for key in ("postStart", "preStop"):
        http_get = sub(sub(lifecycle, key), "httpGet")
        if http_get is not None:
            default_http_get(http_get)


def default_field_ref(holder: Obj | None) -> None:
    """SetDefaults_ObjectFieldSelector on `holder.fieldRef`."""
    field_ref = sub(holder, "fieldRef")
    if field_ref is not None:
        set_if_empty(field_ref, "apiVersion", "v1")


def default_probe(probe: Obj) -> None:
    set_if_zero(probe, "timeoutSeconds", 1)
    set_if_zero(probe, "periodSeconds", 10)
    set_if_zero(probe, "successThreshold", 1)
    set_if_zero(probe, "failureThreshold", 3)
    http_get = sub(probe, "httpGet")
    if http_get is not None:
        default_http_get(http_get)
    grpc = sub(probe, "grpc")
    if grpc is not None:
        set_if_unset(grpc, "service", "")  # declarative +default="" on a non-omitempty pointer


def default_http_get(action: Obj) -> None:
    set_if_empty(action, "path", "/")
    set_if_empty(action, "scheme", "HTTP")


def default_volume(volume: Obj) -> None:
    if all(volume.get(key) is None for key in VOLUME_SOURCES):
        volume["emptyDir"] = {}
    default_volume_sources(volume)
    empty_dir = sub(volume, "emptyDir")
    if empty_dir is not None and empty_dir.get("sizeLimit") is not None:
        empty_dir["sizeLimit"] = normalize(empty_dir["sizeLimit"], round_milli=False)
    for key in ("secret", "configMap"):
        source = sub(volume, key)
        if source is not None:
            set_if_unset(source, "defaultMode", DEFAULT_FILE_MODE)
    downward = sub(volume, "downwardAPI")
    if downward is not None:
        set_if_unset(downward, "defaultMode", DEFAULT_FILE_MODE)
        for item in each(downward, "items"):
            default_field_ref(item)
    projected = sub(volume, "projected")
    if projected is not None:
        set_if_unset(projected, "defaultMode", DEFAULT_FILE_MODE)
        for projection in each(projected, "sources"):
            for item in each(sub(projection, "downwardAPI"), "items"):
                default_field_ref(item)
            token = sub(projection, "serviceAccountToken")
            if token is not None:
                set_if_unset(token, "expirationSeconds", 3600)
    claim_template = sub(sub(volume, "ephemeral"), "volumeClaimTemplate")
    if claim_template is not None:
        zero_template_meta(claim_template)
        claim_spec = sub(claim_template, "spec")
        if claim_spec is not None:
            default_claim_spec(claim_spec)


def default_volume_sources(source: Obj) -> None:
    """Defaults of the sources a Volume and a PersistentVolume have in common."""
    host_path = sub(source, "hostPath")
    if host_path is not None:
        set_if_unset(host_path, "type", "")
    iscsi = sub(source, "iscsi")
    if iscsi is not None:
        set_if_empty(iscsi, "iscsiInterface", "default")
    rbd = sub(source, "rbd")
    if rbd is not None:
        set_if_empty(rbd, "pool", "rbd")
        set_if_empty(rbd, "user", "admin")
        set_if_empty(rbd, "keyring", "/etc/ceph/keyring")
    azure = sub(source, "azureDisk")
    if azure is not None:
        set_if_unset(azure, "cachingMode", "ReadWrite")
        set_if_unset(azure, "fsType", "ext4")
        set_if_unset(azure, "readOnly", False)
        set_if_unset(azure, "kind", "Shared")
    scale_io = sub(source, "scaleIO")
    if scale_io is not None:
        set_if_empty(scale_io, "storageMode", "ThinProvisioned")
        set_if_empty(scale_io, "fsType", "xfs")


def default_claim_spec(spec: Obj) -> None:
    """SetDefaults_PersistentVolumeClaimSpec and its resource lists."""
    set_if_unset(spec, "volumeMode", "Filesystem")
    resources = sub(spec, "resources")
    if resources is not None:
        normalize_resource_list(resources, "limits")
        normalize_resource_list(resources, "requests")

"""Containers of a PodSpec: validateContainers, validateInitContainers, validateEphemeralContainers and
validateContainerCommon with the port, env, envFrom, mount and pull-policy checks, in upstream's order.
"""

from __future__ import annotations

from dataclasses import dataclass

from mockapi.api.errors import FieldError, duplicate, field_not_found, forbidden_field, invalid, not_supported, required
from mockapi.api.types import Obj
from mockapi.registry.kindvalidation.podfields import (
    integer,
    items,
    obj,
    object_field_selector_errors,
    text,
)
from mockapi.registry.kindvalidation.podmounts import volume_device_errors, volume_mount_errors
from mockapi.registry.kindvalidation.podprobes import container_security_context_errors, lifecycle_errors, probe_errors
from mockapi.registry.kindvalidation.podresources import resize_policy_errors, resource_requirements_errors
from mockapi.registry.validation import (
    config_map_key_errors,
    dns1123_label,
    dns1123_subdomain,
    port_name_errors,
    port_num_errors,
    relaxed_env_var_name_errors,
)

ENV_DOWNWARD_API_FIELDS = [
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
]
CONTAINER_RESOURCE_FIELDS = [
    "limits.cpu",
    "limits.ephemeral-storage",
    "limits.memory",
    "requests.cpu",
    "requests.ephemeral-storage",
    "requests.memory",
]
# EphemeralContainerCommon fields an ephemeral container may not set, in struct order
_EPHEMERAL_FORBIDDEN = (
    "ports",
    "resources",
    "resizePolicy",
    "restartPolicy",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "lifecycle",
)


@dataclass(frozen=True, slots=True)
class PodContext:
    """What container validation needs from the rest of the PodSpec."""

    volumes: dict[str, Obj]
    grace: int | None  # terminationGracePeriodSeconds
    restart_policy: str
    host_users: bool


def _port_errors(ports: object, path: str) -> list[FieldError]:
    """validateContainerPorts."""
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, port in enumerate(items(ports)):
        idx_path = f"{path}[{i}]"
        name = text(port, "name")
        if name:
            msgs = port_name_errors(name)
            if msgs:
                errs += [invalid(f"{idx_path}.name", name, m) for m in msgs]
            elif name in names:
                errs.append(duplicate(f"{idx_path}.name", name))
            else:
                names.add(name)
        container_port = integer(port, "containerPort")
        if container_port == 0:
            errs.append(required(f"{idx_path}.containerPort"))
        else:
            errs += [invalid(f"{idx_path}.containerPort", container_port, m) for m in port_num_errors(container_port)]
        host_port = integer(port, "hostPort")
        if host_port != 0:
            errs += [invalid(f"{idx_path}.hostPort", host_port, m) for m in port_num_errors(host_port)]
        protocol = text(port, "protocol")
        if not protocol:
            errs.append(required(f"{idx_path}.protocol"))
        elif protocol not in ("SCTP", "TCP", "UDP"):
            errs.append(not_supported(f"{idx_path}.protocol", protocol, ["SCTP", "TCP", "UDP"]))
    return errs


def _key_selector_errors(ref: Obj, path: str) -> list[FieldError]:
    """validateConfigMapKeySelector / validateSecretKeySelector."""
    name = text(ref, "name")
    errs = [invalid(f"{path}.name", name, m) for m in dns1123_subdomain(name)]
    key = text(ref, "key")
    if not key:
        errs.append(required(f"{path}.key"))
    else:
        errs += [invalid(f"{path}.key", key, m) for m in config_map_key_errors(key)]
    return errs


def _value_from_errors(env: Obj, path: str) -> list[FieldError]:
    """validateEnvVarValueFrom."""
    source = env.get("valueFrom")
    if not isinstance(source, dict):
        return []
    errs: list[FieldError] = []
    count = 0
    if isinstance(source.get("fieldRef"), dict):
        count += 1
        errs += object_field_selector_errors(source["fieldRef"], ENV_DOWNWARD_API_FIELDS, f"{path}.fieldRef")
    if isinstance(source.get("resourceFieldRef"), dict):
        count += 1
        resource = text(source["resourceFieldRef"], "resource")
        if not resource:
            errs.append(required(f"{path}.resourceFieldRef.resource"))
        elif resource not in CONTAINER_RESOURCE_FIELDS and not resource.startswith(
            ("limits.hugepages-", "requests.hugepages-")
        ):
            errs.append(not_supported(f"{path}.resourceFieldRef.resource", resource, CONTAINER_RESOURCE_FIELDS))
    for kind in ("configMapKeyRef", "secretKeyRef"):
        if isinstance(source.get(kind), dict):
            count += 1
            errs += _key_selector_errors(source[kind], f"{path}.{kind}")
    if count == 0:
        errs.append(
            invalid(
                path, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"
            )
        )
    elif text(env, "value"):
        errs.append(invalid(path, "", "may not be specified when `value` is not empty"))
    elif count > 1:
        errs.append(invalid(path, "", "may not have more than one field specified at a time"))
    return errs


def _env_errors(env: object, path: str) -> list[FieldError]:
    """ValidateEnv with the relaxed names of RelaxedEnvironmentVariableValidation (on in 1.33)."""
    errs: list[FieldError] = []
    for i, var in enumerate(items(env)):
        idx_path = f"{path}[{i}]"
        name = text(var, "name")
        if not name:
            errs.append(required(f"{idx_path}.name"))
        else:
            errs += [invalid(f"{idx_path}.name", name, m) for m in relaxed_env_var_name_errors(name)]
        errs += _value_from_errors(var, f"{idx_path}.valueFrom")
    return errs


def _masked_subdomain_errors(name: str) -> list[str]:
    """NameIsDNSSubdomain(name, prefix=true): a trailing dash is allowed (generateName-style)."""
    return dns1123_subdomain(name[:-1] + "a" if len(name) > 1 and name.endswith("-") else name)


def _env_from_errors(sources: object, path: str) -> list[FieldError]:
    """ValidateEnvFrom (the source-count errors name the list itself, as upstream does)."""
    errs: list[FieldError] = []
    for i, source in enumerate(items(sources)):
        idx_path = f"{path}[{i}]"
        prefix = text(source, "prefix")
        if prefix:
            errs += [invalid(f"{idx_path}.prefix", prefix, m) for m in relaxed_env_var_name_errors(prefix)]
        count = 0
        for kind in ("configMapRef", "secretRef"):
            ref = source.get(kind)
            if not isinstance(ref, dict):
                continue
            count += 1
            name = text(ref, "name")
            if not name:
                errs.append(required(f"{idx_path}.{kind}.name"))
            else:
                errs += [invalid(f"{idx_path}.{kind}.name", name, m) for m in _masked_subdomain_errors(name)]
        if count == 0:
            errs.append(invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"))
        elif count > 1:
            errs.append(invalid(path, "", "may not have more than one field specified at a time"))
    return errs


def _pull_policy_errors(policy: str, path: str) -> list[FieldError]:
    if not policy:
        return [required(path)]
    if policy not in ("Always", "IfNotPresent", "Never"):
        return [not_supported(path, policy, ["Always", "IfNotPresent", "Never"])]
    return []


def container_common_errors(ctr: Obj, ctx: PodContext, path: str) -> list[FieldError]:
    """validateContainerCommon."""
    name = text(ctr, "name")
    errs = [invalid(f"{path}.name", name, m) for m in dns1123_label(name)] if name else [required(f"{path}.name")]
    if not text(ctr, "image"):
        errs.append(required(f"{path}.image"))
    policy = text(ctr, "terminationMessagePolicy")
    if not policy:
        errs.append(required(f"{path}.terminationMessagePolicy"))
    elif policy not in ("File", "FallbackToLogsOnError"):
        errs.append(not_supported(f"{path}.terminationMessagePolicy", policy, ["File", "FallbackToLogsOnError"]))
    errs += _port_errors(ctr.get("ports"), f"{path}.ports")
    errs += _env_errors(ctr.get("env"), f"{path}.env")
    errs += _env_from_errors(ctr.get("envFrom"), f"{path}.envFrom")
    errs += volume_mount_errors(ctr, ctx.volumes, f"{path}.volumeMounts")
    errs += volume_device_errors(ctr, ctx.volumes, f"{path}.volumeDevices")
    errs += _pull_policy_errors(text(ctr, "imagePullPolicy"), f"{path}.imagePullPolicy")
    errs += resource_requirements_errors(obj(ctr.get("resources")), f"{path}.resources")
    errs += resize_policy_errors(ctr.get("resizePolicy"), f"{path}.resizePolicy", ctx.restart_policy)
    return errs + container_security_context_errors(
        ctr.get("securityContext"), f"{path}.securityContext", ctx.host_users
    )


def _host_port_conflicts(containers: list[Obj], path: str, seen: set[str]) -> list[FieldError]:
    """AccumulateUniqueHostPorts: `<protocol>/<hostIP>/<hostPort>` once per pod."""
    errs: list[FieldError] = []
    for ci, ctr in enumerate(containers):
        for pi, port in enumerate(items(ctr.get("ports"))):
            host_port = integer(port, "hostPort")
            if host_port == 0:
                continue
            key = f"{text(port, 'protocol')}/{text(port, 'hostIP')}/{host_port}"
            if key in seen:
                errs.append(duplicate(f"{path}[{ci}].ports[{pi}].hostPort", key))
            seen.add(key)
    return errs


def validate_containers(containers: list[Obj], ctx: PodContext, path: str) -> list[FieldError]:
    """validateContainers."""
    if not containers:
        return [required(path)]
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, ctr in enumerate(containers):
        idx_path = f"{path}[{i}]"
        errs += container_common_errors(ctr, ctx, idx_path)
        name = text(ctr, "name")
        if name in names:
            errs.append(duplicate(f"{idx_path}.name", name))
        names.add(name)
        if isinstance(ctr.get("lifecycle"), dict):
            errs += lifecycle_errors(ctr["lifecycle"], ctx.grace, f"{idx_path}.lifecycle")
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            errs += probe_errors(ctr.get(probe), probe, ctx.grace, f"{idx_path}.{probe}")
        if ctr.get("restartPolicy") is not None:
            errs.append(forbidden_field(f"{idx_path}.restartPolicy", "may not be set for non-init containers"))
    return errs + _host_port_conflicts(containers, path, set())


def validate_init_containers(inits: list[Obj], containers: list[Obj], ctx: PodContext, path: str) -> list[FieldError]:
    """validateInitContainers (host ports are checked per init container, so the index is always 0)."""
    errs: list[FieldError] = []
    names = {text(c, "name") for c in containers}
    for i, ctr in enumerate(inits):
        idx_path = f"{path}[{i}]"
        errs += container_common_errors(ctr, ctx, idx_path)
        restart = ctr.get("restartPolicy")
        if isinstance(restart, str) and restart != "Always":
            errs.append(not_supported(f"{idx_path}.restartPolicy", restart, ["Always"]))
        name = text(ctr, "name")
        if name in names:
            errs.append(duplicate(f"{idx_path}.name", name))
        elif name:
            names.add(name)
        errs += _host_port_conflicts([ctr], path, set())
        if restart == "Always":
            if isinstance(ctr.get("lifecycle"), dict):
                errs += lifecycle_errors(ctr["lifecycle"], ctx.grace, f"{idx_path}.lifecycle")
            for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                errs += probe_errors(ctr.get(probe), probe, ctx.grace, f"{idx_path}.{probe}")
        else:
            for key in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
                if ctr.get(key) is not None:
                    errs.append(
                        forbidden_field(
                            f"{idx_path}.{key}", "may not be set for init containers without restartPolicy=Always"
                        )
                    )
    return errs


def image_whitespace_errors(ctr: Obj, path: str) -> list[FieldError]:
    """validateContainerOnlyForPod."""
    image = text(ctr, "image")
    if image != image.strip():
        return [invalid(f"{path}.image", image, "must not have leading or trailing whitespace")]
    return []


def validate_ephemeral_containers(
    ephemerals: list[Obj], containers: list[Obj], inits: list[Obj], ctx: PodContext, path: str
) -> list[FieldError]:
    """validateEphemeralContainers."""
    errs: list[FieldError] = []
    others = {text(c, "name") for c in containers + inits}
    names = set(others)
    for i, ctr in enumerate(ephemerals):
        idx_path = f"{path}[{i}]"
        errs += container_common_errors(ctr, ctx, idx_path)
        errs += image_whitespace_errors(ctr, idx_path)
        name = text(ctr, "name")
        if name in names:
            errs.append(duplicate(f"{idx_path}.name", name))
        names.add(name)
        target = text(ctr, "targetContainerName")
        if target and target not in others:
            errs.append(field_not_found(f"{idx_path}.targetContainerName", target))
        for key in _EPHEMERAL_FORBIDDEN:
            if ctr.get(key) not in (None, {}, []):
                errs.append(forbidden_field(f"{idx_path}.{key}", "cannot be set for an Ephemeral Container"))
        for j, mount in enumerate(items(ctr.get("volumeMounts"))):
            for key in ("subPath", "subPathExpr"):
                if text(mount, key):
                    errs.append(
                        forbidden_field(
                            f"{idx_path}.volumeMounts[{j}].{key}", "cannot be set for an Ephemeral Container"
                        )
                    )
    return errs

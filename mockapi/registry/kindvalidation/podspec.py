"""PodSpec validation shared by pods and pod templates (ValidatePodSpec, ValidatePodTemplateSpec).

The checks run in ValidatePodSpec's order, so an aggregated message lists them as kube-apiserver 1.33
does. Objects arrive decoded and defaulted (v1 JSON form): the host namespace flags that the internal
type keeps in securityContext are read from the v1 PodSpec itself. Feature-gated rules follow 1.33's
defaults: relaxed env var names and DNS searches, zero-second sleep actions, pod-level resources off.

Not modelled: Windows host-process and OS-specific field rules, resource claims, and the parts listed
in the helper modules' docstrings.
"""

from __future__ import annotations

from mockapi.api.errors import FieldError, duplicate, forbidden_field, invalid, not_supported, required
from mockapi.api.golang import go_quote
from mockapi.api.selectors import label_value_errors, qualified_name_errors
from mockapi.api.types import Obj
from mockapi.registry.kindvalidation.podcontainers import (
    PodContext,
    validate_containers,
    validate_ephemeral_containers,
    validate_init_containers,
)
from mockapi.registry.kindvalidation.podfields import items, local_descending_path_errors, number, obj, text
from mockapi.registry.kindvalidation.podprobes import pod_security_context_errors
from mockapi.registry.kindvalidation.podresources import resource_requirements_errors
from mockapi.registry.kindvalidation.podscheduling import (
    affinity_errors,
    dns_config_errors,
    host_alias_errors,
    label_name_errors,
    toleration_errors,
    topology_spread_errors,
)
from mockapi.registry.kindvalidation.podvolumes import validate_volumes
from mockapi.registry.validation import (
    TOTAL_ANNOTATION_SIZE_LIMIT,
    dns1123_label,
    dns1123_subdomain,
    inclusive_range_error,
)

MAX_INT32 = 2**31 - 1
RESTART_POLICIES = ["Always", "OnFailure", "Never"]
DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]
MIRROR_ANNOTATION = "kubernetes.io/config.mirror"
DELETION_COST_ANNOTATION = "controller.kubernetes.io/pod-deletion-cost"
APPARMOR_PREFIX = "container.apparmor.security.beta.kubernetes.io/"
SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod"
SECCOMP_CONTAINER_PREFIX = "container.seccomp.security.alpha.kubernetes.io/"


def labels_errors(labels: object, path: str) -> list[FieldError]:
    """unversionedvalidation.ValidateLabels: every error names the map, not the key."""
    errs: list[FieldError] = []
    for key, value in obj(labels).items():
        errs += label_name_errors(key, path)
        if isinstance(value, str):
            errs += [invalid(path, value, m) for m in label_value_errors(value)]
    return errs


def annotations_errors(annotations: object, path: str) -> list[FieldError]:
    """apimachineryvalidation.ValidateAnnotations."""
    errs: list[FieldError] = []
    total = 0
    for key, value in obj(annotations).items():
        errs += [invalid(path, key, m) for m in qualified_name_errors(key.lower())]
        total += len(key) + len(value if isinstance(value, str) else "")
    if total > TOTAL_ANNOTATION_SIZE_LIMIT:
        errs.append(
            FieldError("FieldValueTooLong", path, f"Too long: may not be more than {TOTAL_ANNOTATION_SIZE_LIMIT} bytes")
        )
    return errs


def _host_network_errors(spec: Obj, path: str, is_pod: bool) -> list[FieldError]:
    """validatePodHostNetworkDeps: host ports must equal container ports (templates may leave them 0)."""
    if spec.get("hostNetwork") is not True:
        return []
    errs: list[FieldError] = []
    for i, ctr in enumerate(items(spec.get("containers"))):
        for j, port in enumerate(items(ctr.get("ports"))):
            host, container = number(port, "hostPort") or 0, number(port, "containerPort") or 0
            if (is_pod or host != 0) and host != container:
                errs.append(
                    invalid(
                        f"{path}.containers[{i}].ports[{j}].hostPort",
                        host,
                        "must match `containerPort` when `hostNetwork` is true",
                    )
                )
    return errs


def _enum_errors(value: str, supported: list[str], path: str) -> list[FieldError]:
    if not value:
        return [required(path)]
    return [] if value in supported else [not_supported(path, value, supported)]


def _host_users_errors(spec: Obj, path: str) -> list[FieldError]:
    """validateHostUsers (the HostPID / HostIPC paths are capitalised upstream)."""
    if spec.get("hostUsers") is not False:
        return []
    errs = []
    for key, name in (("hostNetwork", "hostNetwork"), ("hostPID", "HostPID"), ("hostIPC", "HostIPC")):
        if spec.get(key) is True:
            errs.append(forbidden_field(f"{path}.{name}", "when `pod.Spec.HostUsers` is false"))
    return errs


def _name_errors(spec: Obj, key: str, path: str) -> list[FieldError]:
    value = text(spec, key)
    return [invalid(f"{path}.{key}", value, m) for m in dns1123_subdomain(value)] if value else []


def _label_name_field_errors(spec: Obj, key: str, path: str) -> list[FieldError]:
    value = text(spec, key)
    return [invalid(f"{path}.{key}", value, m) for m in dns1123_label(value)] if value else []


def _scheduling_gate_errors(gates: object, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, gate in enumerate(items(gates)):
        name = text(gate, "name")
        errs += [invalid(f"{path}[{i}]", name, m) for m in qualified_name_errors(name)]
        if name in seen:
            errs.append(duplicate(f"{path}[{i}]", name))
        seen.add(name)
    return errs


def validate_pod_spec(spec: Obj, path: str, *, is_pod: bool = False) -> list[FieldError]:
    """ValidatePodSpec; `is_pod` is PodValidationOptions.ResourceIsPod (false for templates)."""
    errs: list[FieldError] = []
    grace = number(spec, "terminationGracePeriodSeconds")
    if grace is None:
        errs.append(required(f"{path}.terminationGracePeriodSeconds"))
    volumes, volume_errs = validate_volumes(spec.get("volumes"), f"{path}.volumes")
    errs += volume_errs
    restart_policy = text(spec, "restartPolicy")
    ctx = PodContext(volumes, grace, restart_policy, spec.get("hostUsers") is not False)
    containers, inits = items(spec.get("containers")), items(spec.get("initContainers"))
    errs += validate_containers(containers, ctx, f"{path}.containers")
    errs += validate_init_containers(inits, containers, ctx, f"{path}.initContainers")
    ephemerals = items(spec.get("ephemeralContainers"))
    if ephemerals:
        errs += validate_ephemeral_containers(ephemerals, containers, inits, ctx, f"{path}.ephemeralContainers")
    errs += _host_network_errors(spec, path, is_pod)
    errs += _enum_errors(restart_policy, RESTART_POLICIES, f"{path}.restartPolicy")
    errs += _enum_errors(text(spec, "dnsPolicy"), DNS_POLICIES, f"{path}.dnsPolicy")
    errs += labels_errors(spec.get("nodeSelector"), f"{path}.nodeSelector")
    errs += pod_security_context_errors(spec, f"{path}.securityContext")
    errs += affinity_errors(spec.get("affinity"), f"{path}.affinity")
    errs += dns_config_errors(spec.get("dnsConfig"), text(spec, "dnsPolicy"), f"{path}.dnsConfig")
    for i, gate in enumerate(items(spec.get("readinessGates"))):
        condition = text(gate, "conditionType")
        errs += [
            invalid(f"{path}.readinessGates[{i}].conditionType", condition, m) for m in qualified_name_errors(condition)
        ]
    errs += _scheduling_gate_errors(spec.get("schedulingGates"), f"{path}.schedulingGates")
    errs += topology_spread_errors(spec.get("topologySpreadConstraints"), f"{path}.topologySpreadConstraints")
    errs += _host_users_errors(spec, path)
    errs += _name_errors(spec, "serviceAccountName", path)
    errs += _name_errors(spec, "nodeName", path)
    deadline = number(spec, "activeDeadlineSeconds")
    if deadline is not None and not 1 <= deadline <= MAX_INT32:
        errs.append(invalid(f"{path}.activeDeadlineSeconds", deadline, inclusive_range_error(1, MAX_INT32)))
    errs += _label_name_field_errors(spec, "hostname", path)
    errs += _label_name_field_errors(spec, "subdomain", path)
    errs += toleration_errors(spec.get("tolerations"), f"{path}.tolerations")
    errs += host_alias_errors(spec.get("hostAliases"), f"{path}.hostAliases")
    errs += _name_errors(spec, "priorityClassName", path)
    if isinstance(spec.get("runtimeClassName"), str):
        name = spec["runtimeClassName"]
        errs += [invalid(f"{path}.runtimeClassName", name, m) for m in dns1123_subdomain(name)]
    preemption = spec.get("preemptionPolicy")
    if isinstance(preemption, str):
        errs += _enum_errors(preemption, ["PreemptLowerPriority", "Never"], f"{path}.preemptionPolicy")
    if isinstance(spec.get("overhead"), dict):
        errs += resource_requirements_errors({"limits": spec["overhead"]}, f"{path}.overhead")
    os_spec = spec.get("os")
    if isinstance(os_spec, dict):
        os_name = text(os_spec, "name")
        if not os_name:
            errs.append(required(f"{path}.os.name", "cannot be empty"))
        elif os_name not in ("linux", "windows"):
            errs.append(not_supported(f"{path}.os", os_name, ["linux", "windows"]))
    return errs


def _key_path(path: str, key: str) -> str:
    return f"{path}[{key}]"


def _container_names(spec: Obj) -> set[str]:
    return {
        text(c, "name") for key in ("containers", "initContainers", "ephemeralContainers") for c in items(spec.get(key))
    }


def _seccomp_errors(profile: str, path: str) -> list[FieldError]:
    """ValidateSeccompProfile of a (deprecated) seccomp annotation."""
    if profile in ("runtime/default", "docker/default", "unconfined"):
        return []
    if profile.startswith("localhost/"):
        return local_descending_path_errors(profile.removeprefix("localhost/"), path)
    return [invalid(path, profile, "must be a valid seccomp profile")]


def pod_annotation_errors(annotations: Obj, spec: Obj, path: str) -> list[FieldError]:
    """ValidatePodSpecificAnnotations (without the tolerations annotation)."""
    errs: list[FieldError] = []
    if MIRROR_ANNOTATION in annotations and not text(spec, "nodeName"):
        errs.append(
            invalid(
                _key_path(path, MIRROR_ANNOTATION),
                annotations[MIRROR_ANNOTATION],
                "must set spec.nodeName if mirror pod annotation is set",
            )
        )
    cost = annotations.get(DELETION_COST_ANNOTATION)
    if isinstance(cost, str):
        try:
            valid = -(2**31) <= int(cost, 10) <= MAX_INT32 and cost.strip() == cost and "_" not in cost
        except ValueError:
            valid = False
        if not valid:
            errs.append(invalid(_key_path(path, DELETION_COST_ANNOTATION), cost, "must be a 32bit integer"))
    for key, value in annotations.items():
        if isinstance(value, str) and (key == SECCOMP_POD_ANNOTATION or key.startswith(SECCOMP_CONTAINER_PREFIX)):
            errs += _seccomp_errors(value, f"{path}.{key}")
    names = _container_names(spec)
    for key, value in annotations.items():
        if not key.startswith(APPARMOR_PREFIX) or not isinstance(value, str):
            continue
        container = key.removeprefix(APPARMOR_PREFIX)
        if container not in names:
            errs.append(invalid(_key_path(path, key), container, "container not found"))
        if value not in ("", "runtime/default", "unconfined") and not value.startswith("localhost/"):
            errs.append(invalid(_key_path(path, key), value, f"invalid AppArmor profile name: {go_quote(value)}"))
    return errs


def validate_pod_template_spec(template: Obj, path: str) -> list[FieldError]:
    """ValidatePodTemplateSpec: template labels and annotations, then the spec at `<path>.spec`."""
    meta = obj(template.get("metadata"))
    errs = labels_errors(meta.get("labels"), f"{path}.labels")
    errs += annotations_errors(meta.get("annotations"), f"{path}.annotations")
    spec = obj(template.get("spec"))
    errs += pod_annotation_errors(obj(meta.get("annotations")), spec, f"{path}.annotations")
    errs += validate_pod_spec(spec, f"{path}.spec")
    if items(spec.get("ephemeralContainers")):
        errs.append(
            forbidden_field(f"{path}.spec.ephemeralContainers", "ephemeral containers not allowed in pod template")
        )
    return errs

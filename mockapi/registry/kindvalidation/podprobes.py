"""Probes, lifecycle handlers and security contexts of pods and containers (validateProbe,
validateHandler, ValidateSecurityContext, validatePodSpecSecurityContext and their helpers).

Left out: Windows security options, host-namespace sysctl rules, and the checks whose message prints a
Go struct with pointer addresses (allowPrivilegeEscalation vs privileged / CAP_SYS_ADMIN, a seccomp
localhostProfile on a non-Localhost profile).
"""

from __future__ import annotations

import re
from typing import Any

from mockapi.api.errors import FieldError, duplicate, forbidden_field, invalid, not_supported, required
from mockapi.api.types import Obj
from mockapi.registry.kindvalidation.podfields import (
    IS_NEGATIVE_ERROR,
    integer,
    local_descending_path_errors,
    number,
    obj,
    strs,
    text,
)
from mockapi.registry.validation import (
    http_header_name_errors,
    inclusive_range_error,
    port_name_errors,
    port_num_errors,
)

_MAX_ID = 0xFFFFFFFF


def port_num_or_name_errors(port: Any, path: str) -> list[FieldError]:
    """ValidatePortNumOrName for an IntOrString."""
    if isinstance(port, str):
        return [invalid(path, port, m) for m in port_name_errors(port)]
    value = port if isinstance(port, int) and not isinstance(port, bool) else 0
    return [invalid(path, value, m) for m in port_num_errors(value)]


def _action_errors(kind: str, action: Obj, path: str, grace: int | None) -> list[FieldError]:
    if kind == "exec":
        return [] if strs(action.get("command")) else [required(f"{path}.command")]
    if kind == "httpGet":
        errs = [] if text(action, "path") else [required(f"{path}.path")]
        errs += port_num_or_name_errors(action.get("port"), f"{path}.port")
        scheme = text(action, "scheme")
        if scheme not in ("HTTP", "HTTPS"):
            errs.append(not_supported(f"{path}.scheme", scheme, ["HTTP", "HTTPS"]))
        for header in action.get("httpHeaders") or []:
            name = text(obj(header), "name")
            errs += [invalid(f"{path}.httpHeaders", name, m) for m in http_header_name_errors(name)]
        return errs
    if kind in ("tcpSocket", "grpc"):
        return port_num_or_name_errors(action.get("port"), f"{path}.port")
    seconds = integer(action, "seconds")  # sleep; a zero sleep is allowed in 1.33
    if grace is not None and (seconds < 0 or seconds > grace):
        return [invalid(path, seconds, f"must be non-negative and less than terminationGracePeriodSeconds ({grace})")]
    return []


def handler_errors(handler: Obj, kinds: tuple[str, ...], grace: int | None, path: str) -> list[FieldError]:
    """validateHandler: exactly one handler type."""
    errs: list[FieldError] = []
    count = 0
    for kind in kinds:
        action = handler.get(kind)
        if not isinstance(action, dict):
            continue
        if count:
            errs.append(forbidden_field(f"{path}.{kind}", "may not specify more than 1 handler type"))
            continue
        count += 1
        errs += _action_errors(kind, action, f"{path}.{kind}", grace)
    if not count:
        errs.append(required(path, "must specify a handler type"))
    return errs


PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
LIFECYCLE_HANDLERS = ("exec", "httpGet", "tcpSocket", "sleep")


def probe_errors(probe: Any, kind: str, grace: int | None, path: str) -> list[FieldError]:
    """validateLivenessProbe / validateReadinessProbe / validateStartupProbe."""
    if not isinstance(probe, dict):
        return []
    errs = handler_errors(probe, PROBE_HANDLERS, grace, path)
    for key in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"):
        if integer(probe, key) < 0:
            errs.append(invalid(f"{path}.{key}", integer(probe, key), IS_NEGATIVE_ERROR))
    grace_override = number(probe, "terminationGracePeriodSeconds")
    if grace_override is not None and grace_override <= 0:
        errs.append(invalid(f"{path}.terminationGracePeriodSeconds", grace_override, "must be greater than 0"))
    if kind in ("livenessProbe", "startupProbe") and integer(probe, "successThreshold") != 1:
        errs.append(invalid(f"{path}.successThreshold", integer(probe, "successThreshold"), "must be 1"))
    if kind == "readinessProbe" and grace_override is not None:
        errs.append(
            invalid(f"{path}.terminationGracePeriodSeconds", grace_override, "must not be set for readinessProbes")
        )
    return errs


def lifecycle_errors(lifecycle: Obj, grace: int | None, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for hook in ("postStart", "preStop"):
        if isinstance(lifecycle.get(hook), dict):
            errs += handler_errors(lifecycle[hook], LIFECYCLE_HANDLERS, grace, f"{path}.{hook}")
    return errs


def _id_errors(holder: Obj, key: str, path: str) -> list[FieldError]:
    value = number(holder, key)
    if value is not None and not 0 <= value <= _MAX_ID:
        return [invalid(f"{path}.{key}", value, inclusive_range_error(0, _MAX_ID))]
    return []


def seccomp_profile_errors(profile: Any, path: str) -> list[FieldError]:
    """validateSeccompProfileField."""
    if not isinstance(profile, dict):
        return []
    kind = text(profile, "type")
    errs: list[FieldError] = []
    if not kind:
        errs.append(required(f"{path}.type", "type is required when seccompProfile is set"))
    elif kind not in ("Localhost", "RuntimeDefault", "Unconfined"):
        errs.append(not_supported(f"{path}.type", kind, ["Localhost", "RuntimeDefault", "Unconfined"]))
    if kind == "Localhost":
        local = profile.get("localhostProfile")
        if not isinstance(local, str):
            errs.append(required(f"{path}.localhostProfile", "must be set when seccomp type is Localhost"))
        else:
            errs += local_descending_path_errors(local, f"{path}.localhostProfile")
    return errs


def apparmor_profile_errors(profile: Any, path: str) -> list[FieldError]:
    """ValidateAppArmorProfileField."""
    if not isinstance(profile, dict):
        return []
    kind, local = text(profile, "type"), profile.get("localhostProfile")
    if kind == "Localhost":
        if not isinstance(local, str):
            return [required(f"{path}.localhostProfile", "must be set when AppArmor type is Localhost")]
        errs = []
        if local.strip() != local:
            errs.append(invalid(f"{path}.localhostProfile", local, "must not be padded with whitespace"))
        elif not local:
            errs.append(required(f"{path}.localhostProfile", "must be set when AppArmor type is Localhost"))
        if len(local.encode()) > 4095:
            errs.append(
                FieldError("FieldValueTooLong", f"{path}.localhostProfile", "Too long: may not be longer than 4095")
            )
        return errs
    if kind in ("RuntimeDefault", "Unconfined"):
        if isinstance(local, str):
            return [invalid(f"{path}.localhostProfile", local, "can only be set when AppArmor type is Localhost")]
        return []
    if not kind:
        return [required(f"{path}.type", "type is required when appArmorProfile is set")]
    return [not_supported(f"{path}.type", kind, ["Localhost", "RuntimeDefault", "Unconfined"])]


def container_security_context_errors(sc: Any, path: str, host_users: bool) -> list[FieldError]:
    """ValidateSecurityContext (privileged containers are allowed, as --allow-privileged=true clusters do)."""
    if not isinstance(sc, dict):
        return []
    errs = _id_errors(sc, "runAsUser", path) + _id_errors(sc, "runAsGroup", path)
    proc_mount = sc.get("procMount")
    if isinstance(proc_mount, str):
        if proc_mount not in ("Default", "Unmasked"):
            errs.append(not_supported(f"{path}.procMount", proc_mount, ["Default", "Unmasked"]))
        if host_users and proc_mount == "Unmasked":
            errs.append(invalid(f"{path}.procMount", proc_mount, "`hostUsers` must be false to use `Unmasked`"))
    errs += seccomp_profile_errors(sc.get("seccompProfile"), f"{path}.seccompProfile")
    return errs + apparmor_profile_errors(sc.get("appArmorProfile"), f"{path}.appArmorProfile")


_SYSCTL_SEGMENT = "[a-z0-9]([-_a-z0-9]*[a-z0-9])?"
_SYSCTL_PATTERN = f"^({_SYSCTL_SEGMENT}[\\./])*{_SYSCTL_SEGMENT}$"
_SYSCTL_RE = re.compile(_SYSCTL_PATTERN)


def pod_security_context_errors(spec: Obj, path: str) -> list[FieldError]:
    """validatePodSpecSecurityContext (the host namespace flags live in the v1 PodSpec itself)."""
    sc = spec.get("securityContext")
    if not isinstance(sc, dict):
        return []
    errs = _id_errors(sc, "fsGroup", path) + _id_errors(sc, "runAsUser", path) + _id_errors(sc, "runAsGroup", path)
    for i, gid in enumerate(sc.get("supplementalGroups") or []):
        if isinstance(gid, int) and not 0 <= gid <= _MAX_ID:
            errs.append(invalid(f"{path}.supplementalGroups[{i}]", gid, inclusive_range_error(0, _MAX_ID)))
    if spec.get("shareProcessNamespace") is True and spec.get("hostPID") is True:
        errs.append(
            invalid(f"{path}.shareProcessNamespace", True, "ShareProcessNamespace and HostPID cannot both be enabled")
        )
    names: set[str] = set()
    for i, sysctl in enumerate(sc.get("sysctls") or []):
        name = text(obj(sysctl), "name")
        if not name:
            errs.append(required(f"{path}.sysctls[{i}].name"))
        elif len(name) > 253 or not _SYSCTL_RE.match(name):
            errs.append(
                invalid(
                    f"{path}.sysctls[{i}].name",
                    name,
                    f"must have at most 253 characters and match regex {_SYSCTL_PATTERN}",
                )
            )
        elif name in names:
            errs.append(duplicate(f"{path}.sysctls[{i}].name", name))
        names.add(name)
    policy = sc.get("fsGroupChangePolicy")
    if isinstance(policy, str) and policy not in ("Always", "OnRootMismatch"):
        errs.append(not_supported(f"{path}.fsGroupChangePolicy", policy, ["Always", "OnRootMismatch"]))
    errs += seccomp_profile_errors(sc.get("seccompProfile"), f"{path}.seccompProfile")
    errs += apparmor_profile_errors(sc.get("appArmorProfile"), f"{path}.appArmorProfile")
    groups_policy = sc.get("supplementalGroupsPolicy")
    if isinstance(groups_policy, str) and groups_policy not in ("Merge", "Strict"):
        errs.append(not_supported(f"{path}.supplementalGroupsPolicy", groups_policy, ["Merge", "Strict"]))
    return errs

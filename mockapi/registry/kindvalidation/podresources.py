"""Container resources (validateResourceRequirements with validateContainerResourceName) and resize
policies, as pkg/apis/core/validation checks them.

Go iterates the limits and requests maps in random order; the JSON order is used here. Hugepage
divisibility (validateResourceQuantityHugePageValue) is not checked.
"""

from __future__ import annotations

from mockapi.api.errors import FieldError, GoRepr, duplicate, forbidden_field, invalid, not_supported, required
from mockapi.api.selectors import qualified_name_errors
from mockapi.api.types import Obj
from mockapi.registry.defaulting.quantity import canonical, compare, parse
from mockapi.registry.kindvalidation.podfields import IS_NEGATIVE_ERROR, obj, text

_STANDARD_CONTAINER_RESOURCES = {"cpu", "memory", "ephemeral-storage"}
_STANDARD_RESOURCES = _STANDARD_CONTAINER_RESOURCES | {
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
    "services",
    "replicationcontrollers",
    "resourcequotas",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "storage",
    "requests.storage",
    "services.nodeports",
    "services.loadbalancers",
}
_INTEGER_RESOURCES = {
    "pods",
    "services",
    "replicationcontrollers",
    "resourcequotas",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "services.nodeports",
    "services.loadbalancers",
}


def _is_hugepages(name: str) -> bool:
    return name.startswith("hugepages-")


def _is_native(name: str) -> bool:
    """helper.IsNativeResource: unprefixed or in the kubernetes.io domain."""
    return "/" not in name or "kubernetes.io/" in name


def _is_extended(name: str) -> bool:
    """helper.IsExtendedResourceName."""
    if _is_native(name) or name.startswith("requests."):
        return False
    return not qualified_name_errors(f"requests.{name}")


def _overcommit_allowed(name: str) -> bool:
    return _is_native(name) and not _is_hugepages(name)


def resource_name_errors(name: str, path: str) -> list[FieldError]:
    """validateContainerResourceName (which starts with validateResourceName's checks)."""
    shown = GoRepr(name)  # core.ResourceName prints through its String method: unquoted
    errs = [invalid(path, shown, m) for m in qualified_name_errors(name)]
    standard = name in _STANDARD_RESOURCES or _is_hugepages(name) or name.startswith("requests.hugepages-")
    if not errs and "/" not in name and not standard:
        errs.append(invalid(path, shown, "must be a standard resource type or fully qualified"))
    if "/" not in name:
        if name not in _STANDARD_CONTAINER_RESOURCES and not _is_hugepages(name):
            errs.append(invalid(path, shown, "must be a standard resource for containers"))
    elif not _is_native(name) and not _is_extended(name):
        errs.append(invalid(path, shown, "doesn't follow extended resource name standard"))
    return errs


def _quantity_errors(name: str, raw: object, path: str) -> list[FieldError]:
    """ValidateResourceQuantityValue: not negative; whole numbers for integer and extended resources."""
    q = parse(raw)
    if q is None:
        return []
    errs = [invalid(path, canonical(q), IS_NEGATIVE_ERROR)] if q.value < 0 else []
    if (name in _INTEGER_RESOURCES or _is_extended(name)) and q.value.denominator != 1:
        errs.append(invalid(path, GoRepr(canonical(q)), "must be an integer"))
    return errs


def resource_requirements_errors(resources: Obj, path: str) -> list[FieldError]:
    """validateResourceRequirements for a container (limits first, then requests against limits)."""
    errs: list[FieldError] = []
    limits, requests = obj(resources.get("limits")), obj(resources.get("requests"))
    lim_path, req_path = f"{path}.limits", f"{path}.requests"
    compute = hugepages = False
    for name, raw in limits.items():
        errs += resource_name_errors(name, f"{lim_path}[{name}]")
        errs += _quantity_errors(name, raw, f"{lim_path}[{name}]")
        hugepages |= _is_hugepages(name)
        compute |= name in ("cpu", "memory")
    for name, raw in requests.items():
        errs += resource_name_errors(name, f"{req_path}[{name}]")
        errs += _quantity_errors(name, raw, f"{req_path}[{name}]")
        request, limit = parse(raw), parse(limits.get(name))
        if name in limits and request is not None and limit is not None:
            if compare(request, limit) != 0 and not _overcommit_allowed(name):
                errs.append(
                    invalid(req_path, canonical(request), f"must be equal to {name} limit of {canonical(limit)}")
                )
            elif compare(request, limit) > 0:
                errs.append(
                    invalid(
                        req_path,
                        canonical(request),
                        f"must be less than or equal to {name} limit of {canonical(limit)}",
                    )
                )
        elif name not in limits and not _overcommit_allowed(name):
            errs.append(required(lim_path, "Limit must be set for non overcommitable resources"))
        hugepages |= _is_hugepages(name)
        compute |= name in ("cpu", "memory")
    if hugepages and not compute:
        errs.append(forbidden_field(path, "HugePages require cpu or memory"))
    return errs


def resize_policy_errors(policies: object, path: str, pod_restart_policy: str) -> list[FieldError]:
    """validateResizePolicy (errors are reported on the list's path, as upstream does)."""
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, policy in enumerate(policies if isinstance(policies, list) else []):
        name, restart = text(obj(policy), "resourceName"), text(obj(policy), "restartPolicy")
        if name in seen:
            errs.append(duplicate(f"{path}[{i}]", GoRepr(name)))
        seen.add(name)
        if not name:
            errs.append(required(path))
        elif name not in ("cpu", "memory"):
            errs.append(not_supported(path, GoRepr(name), ["cpu", "memory"]))
        if not restart:
            errs.append(required(path))
        elif restart not in ("NotRequired", "RestartContainer"):
            errs.append(not_supported(path, restart, ["NotRequired", "RestartContainer"]))
        if pod_restart_policy == "Never" and restart != "NotRequired":
            errs.append(invalid(path, restart, "must be 'NotRequired' when `restartPolicy` is 'Never'"))
    return errs

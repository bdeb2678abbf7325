"""apps/v1 workload validation (pkg/apis/apps/validation and the apps strategies' ValidateUpdate), 1.33.

Deployment   ValidateDeploymentSpec; update: the spec again via ValidateDeploymentUpdate, then
             the apps/v1 selector immutability check of the strategy
ReplicaSet   ValidateReplicaSetSpec; update: ValidateReplicaSet + ValidateReplicaSetUpdate (the spec
             is validated twice, so causes repeat while the message dedups) + selector immutability
DaemonSet    ValidateDaemonSetSpec; update as ReplicaSet (templateGeneration rules left out)
StatefulSet  ValidateStatefulSetSpec; update: the spec twice, then the clone-and-compare Forbidden on
             `spec`. Its pod template gets only label/annotation checks in 1.33 (the full pod
             template validation arrived in 1.34)
"""

from __future__ import annotations

from collections.abc import Callable

from mockapi.api.errors import FieldError, forbidden_field, invalid, not_supported, required
from mockapi.api.selectors import LabelSelector
from mockapi.api.types import Obj
from mockapi.registry.kindvalidation import gorepr
from mockapi.registry.kindvalidation.workloads import (
    as_dict,
    as_int,
    as_selector,
    immutable_selector,
    int_or_percent_value,
    label_selector_errors,
    nonnegative,
    not_more_than_100_percent,
    pod_template_errors,
    positive_int_or_percent,
    restart_policy,
    selector_is_empty,
    selector_matches_template,
    semantic_equal,
    template_meta_errors,
)
from mockapi.registry.validation import dns1123_label

STATEFUL_SET_UPDATE_FORBIDDEN = (
    "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', "
    "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
)
STATEFUL_SET_MUTABLE = (
    "replicas",
    "ordinals",
    "template",
    "updateStrategy",
    "persistentVolumeClaimRetentionPolicy",
    "minReadySeconds",
)


def _required_selector(spec: Obj, kind: str) -> list[FieldError]:
    """Selector required, valid (strictly) and non-empty (`empty selector is invalid for <kind>`)."""
    selector = spec.get("selector")
    if not isinstance(selector, dict):
        return [required("spec.selector")]
    errs = label_selector_errors(selector, "spec.selector")
    if selector_is_empty(selector):
        errs.append(invalid("spec.selector", gorepr.label_selector(selector), f"empty selector is invalid for {kind}"))
    return errs


def _template_restrictions(template: Obj, path: str, kind: str) -> list[FieldError]:
    """restartPolicy must be Always; activeDeadlineSeconds is not supported."""
    errs: list[FieldError] = []
    policy = restart_policy(template)
    if policy != "Always":
        errs.append(not_supported(f"{path}.spec.restartPolicy", policy, ["Always"]))
    if as_dict(template.get("spec")).get("activeDeadlineSeconds") is not None:
        errs.append(
            forbidden_field(f"{path}.spec.activeDeadlineSeconds", f"activeDeadlineSeconds in {kind} is not Supported")
        )
    return errs


def _replica_set_template(spec: Obj, selector: LabelSelector) -> list[FieldError]:
    """ValidatePodTemplateSpecForReplicaSet (Deployments use it too)."""
    template = as_dict(spec.get("template"))
    errs: list[FieldError] = []
    if not selector.empty:
        errs.extend(selector_matches_template(selector, template, "spec.template"))
    errs.extend(pod_template_errors(template, "spec.template"))
    return errs + _template_restrictions(template, "spec.template", "ReplicaSet")


def _selector_and_template(spec: Obj) -> list[FieldError]:
    selector = as_selector(spec.get("selector"))
    if selector is None:
        return [invalid("spec.selector", gorepr.label_selector(spec.get("selector")), "invalid label selector")]
    return _replica_set_template(spec, selector)


# --- Deployment -------------------------------------------------------------------------------------------


def _rolling_update_deployment(rolling: Obj, path: str) -> list[FieldError]:
    unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
    errs = positive_int_or_percent(unavailable, f"{path}.maxUnavailable")
    errs += positive_int_or_percent(surge, f"{path}.maxSurge")
    if int_or_percent_value(unavailable) == 0 and int_or_percent_value(surge) == 0:
        errs.append(
            invalid(f"{path}.maxUnavailable", gorepr.int_or_string(unavailable), "may not be 0 when `maxSurge` is 0")
        )
    return errs + not_more_than_100_percent(unavailable, f"{path}.maxUnavailable")


def _deployment_strategy(strategy: Obj) -> list[FieldError]:
    path = "spec.strategy"
    kind = strategy.get("type")
    rolling = strategy.get("rollingUpdate")
    if kind == "Recreate":
        if rolling is not None:
            return [forbidden_field(f"{path}.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'")]
        return []
    if kind == "RollingUpdate":
        if not isinstance(rolling, dict):
            return [required(f"{path}.rollingUpdate", "this should be defaulted and never be nil")]
        return _rolling_update_deployment(rolling, f"{path}.rollingUpdate")
    value = gorepr.strategy("apps.DeploymentStrategy", "apps.RollingUpdateDeployment", strategy)
    return [not_supported(path, value, ["Recreate", "RollingUpdate"])]


def _deployment_spec(spec: Obj) -> list[FieldError]:
    errs = nonnegative(spec.get("replicas"), "spec.replicas")
    errs += _required_selector(spec, "deployment")
    errs += _selector_and_template(spec)
    errs += _deployment_strategy(as_dict(spec.get("strategy")))
    errs += nonnegative(spec.get("minReadySeconds"), "spec.minReadySeconds")
    errs += nonnegative(spec.get("revisionHistoryLimit"), "spec.revisionHistoryLimit")
    deadline = as_int(spec.get("progressDeadlineSeconds"))
    if deadline is not None:
        errs += nonnegative(deadline, "spec.progressDeadlineSeconds")
        if deadline <= (as_int(spec.get("minReadySeconds")) or 0):
            errs.append(invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"))
    return errs


def validate_deployment(obj: Obj, old: Obj | None) -> list[FieldError]:
    spec = as_dict(obj.get("spec"))
    errs = _deployment_spec(spec)
    if old is not None:
        errs += immutable_selector(spec, as_dict(old.get("spec")))
    return errs


# --- ReplicaSet -------------------------------------------------------------------------------------------


def _replica_set_spec(spec: Obj) -> list[FieldError]:
    errs = nonnegative(spec.get("replicas"), "spec.replicas")
    errs += nonnegative(spec.get("minReadySeconds"), "spec.minReadySeconds")
    errs += _required_selector(spec, "deployment")  # sic: upstream's ReplicaSet message says deployment
    return errs + _selector_and_template(spec)


def _validate_twice(validate_spec: Callable[[Obj], list[FieldError]], obj: Obj, old: Obj | None) -> list[FieldError]:
    """ReplicaSet/DaemonSet strategies: Validate<Kind> then Validate<Kind>Update, each re-validating the
    spec, then the apps/v1 selector immutability."""
    spec = as_dict(obj.get("spec"))
    errs = validate_spec(spec)
    if old is not None:
        errs += validate_spec(spec) + immutable_selector(spec, as_dict(old.get("spec")))
    return errs


def validate_replica_set(obj: Obj, old: Obj | None) -> list[FieldError]:
    return _validate_twice(_replica_set_spec, obj, old)


# --- DaemonSet --------------------------------------------------------------------------------------------


def _rolling_update_daemon_set(rolling: Obj, path: str) -> list[FieldError]:
    unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
    errs = positive_int_or_percent(unavailable, f"{path}.maxUnavailable")
    errs += positive_int_or_percent(surge, f"{path}.maxSurge")
    errs += not_more_than_100_percent(unavailable, f"{path}.maxUnavailable")
    errs += not_more_than_100_percent(surge, f"{path}.maxSurge")
    has_unavailable, has_surge = int_or_percent_value(unavailable) != 0, int_or_percent_value(surge) != 0
    if has_unavailable and has_surge:
        errs.append(
            invalid(f"{path}.maxSurge", gorepr.int_or_string(surge), "may not be set when maxUnavailable is non-zero")
        )
    elif not has_unavailable and not has_surge:
        errs.append(required(f"{path}.maxUnavailable", "cannot be 0 when maxSurge is 0"))
    return errs


def _daemon_set_strategy(strategy: Obj) -> list[FieldError]:
    path = "spec.updateStrategy"
    kind = strategy.get("type")
    if kind == "OnDelete":
        return []
    if kind == "RollingUpdate":
        rolling = strategy.get("rollingUpdate")
        if not isinstance(rolling, dict):
            return [required(f"{path}.rollingUpdate")]
        return _rolling_update_daemon_set(rolling, f"{path}.rollingUpdate")
    value = gorepr.strategy("apps.DaemonSetUpdateStrategy", "apps.RollingUpdateDaemonSet", strategy)
    return [not_supported(path, value, ["RollingUpdate", "OnDelete"])]


def _daemon_set_spec(spec: Obj) -> list[FieldError]:
    raw_selector = spec.get("selector")
    template = as_dict(spec.get("template"))
    errs = label_selector_errors(raw_selector, "spec.selector") if isinstance(raw_selector, dict) else []
    selector = as_selector(raw_selector)
    if selector is not None:
        errs += selector_matches_template(selector, template, "spec.template")
    if isinstance(raw_selector, dict) and selector_is_empty(raw_selector):
        errs.append(
            invalid("spec.selector", gorepr.label_selector(raw_selector), "empty selector is invalid for daemonset")
        )
    errs += pod_template_errors(template, "spec.template")
    errs += _template_restrictions(template, "spec.template", "DaemonSet")
    errs += nonnegative(spec.get("minReadySeconds"), "spec.minReadySeconds")
    errs += _daemon_set_strategy(as_dict(spec.get("updateStrategy")))
    return errs + nonnegative(spec.get("revisionHistoryLimit"), "spec.revisionHistoryLimit")


def validate_daemon_set(obj: Obj, old: Obj | None) -> list[FieldError]:
    return _validate_twice(_daemon_set_spec, obj, old)


# --- StatefulSet ------------------------------------------------------------------------------------------


def _stateful_set_strategy(strategy: Obj) -> list[FieldError]:
    path = "spec.updateStrategy"
    kind = strategy.get("type")
    rolling = strategy.get("rollingUpdate")
    if not kind:
        return [required(path)]
    if kind == "OnDelete":
        if rolling is not None:
            value = gorepr.rolling_update_stateful_set(rolling)
            return [invalid(f"{path}.rollingUpdate", value, "only allowed for updateStrategy 'RollingUpdate'")]
        return []
    if kind == "RollingUpdate":
        # maxUnavailable is dropped on write while MaxUnavailableStatefulSet (alpha in 1.33) is off
        return nonnegative(as_dict(rolling).get("partition"), f"{path}.rollingUpdate.partition")
    value = gorepr.strategy("apps.StatefulSetUpdateStrategy", "apps.RollingUpdateStatefulSetStrategy", strategy)
    return [invalid(path, value, "must be 'RollingUpdate' or 'OnDelete'")]


def _retention_policy(policy: object) -> list[FieldError]:
    if not isinstance(policy, dict):
        return []
    path = "spec.persistentVolumeClaimRetentionPolicy"
    return [
        not_supported(f"{path}.{key}", policy.get(key) or "", ["Retain", "Delete"])
        for key in ("whenDeleted", "whenScaled")
        if policy.get(key) not in ("Retain", "Delete")
    ]


def _stateful_set_spec(spec: Obj, check_service_name: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    policy = spec.get("podManagementPolicy")
    if not policy:
        errs.append(required("spec.podManagementPolicy"))
    elif policy not in ("OrderedReady", "Parallel"):
        errs.append(invalid("spec.podManagementPolicy", policy, "must be 'OrderedReady' or 'Parallel'"))
    errs += _stateful_set_strategy(as_dict(spec.get("updateStrategy")))
    errs += _retention_policy(spec.get("persistentVolumeClaimRetentionPolicy"))
    errs += nonnegative(spec.get("replicas"), "spec.replicas")
    errs += nonnegative(spec.get("minReadySeconds"), "spec.minReadySeconds")
    if isinstance(spec.get("ordinals"), dict):
        errs += nonnegative(spec["ordinals"].get("start"), "spec.ordinals.start")
    service_name = spec.get("serviceName")
    if check_service_name and isinstance(service_name, str) and service_name:
        errs += [invalid("spec.serviceName", service_name, m) for m in dns1123_label(service_name)]
    errs += _required_selector(spec, "statefulset")
    selector = as_selector(spec.get("selector"))
    template = as_dict(spec.get("template"))
    if selector is None:
        errs.append(invalid("spec.selector", gorepr.label_selector(spec.get("selector"))))
    else:
        if not selector.empty:
            errs += selector_matches_template(selector, template, "spec.template")
        errs += template_meta_errors(template, "spec.template")
    return errs + _template_restrictions(template, "spec.template", "StatefulSet")


def _stateful_set_spec_changed(spec: Obj, old_spec: Obj) -> bool:
    """The clone-and-compare of ValidateStatefulSetUpdate: the spec with the mutable fields taken from old."""
    clone = {k: v for k, v in spec.items() if k not in STATEFUL_SET_MUTABLE}
    clone.update({k: old_spec[k] for k in STATEFUL_SET_MUTABLE if k in old_spec})
    return not semantic_equal(clone, old_spec)


def validate_stateful_set(obj: Obj, old: Obj | None) -> list[FieldError]:
    spec = as_dict(obj.get("spec"))
    if old is None:
        return _stateful_set_spec(spec, check_service_name=True)
    old_spec = as_dict(old.get("spec"))
    # serviceName validation ratchets: a stored value is not re-checked (and cannot change anyway)
    spec_errs = _stateful_set_spec(spec, check_service_name=spec.get("serviceName") != old_spec.get("serviceName"))
    errs = spec_errs + spec_errs
    if _stateful_set_spec_changed(spec, old_spec):
        errs.append(forbidden_field("spec", STATEFUL_SET_UPDATE_FORBIDDEN))
    return errs

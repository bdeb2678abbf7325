"""HorizontalPodAutoscaler autoscaling/v1 <-> autoscaling/v2 (the storage version), as kube-apiserver 1.33.

Upstream converts through the internal type, which has v2's shape, so v2 <-> internal only drops the
round-trip annotations (pkg/apis/autoscaling/v2/conversion.go) and the work is in
pkg/apis/autoscaling/v1/conversion.go:

v2 -> v1  targetCPUUtilizationPercentage is the FIRST Resource `cpu` metric with a target
          averageUtilization; currentCPUUtilizationPercentage the LAST `cpu` current averageUtilization.
          What v1 cannot express goes into annotations, after any stale ones are dropped:
            autoscaling.alpha.kubernetes.io/metrics          every other metric, as v1 MetricSpec JSON
            autoscaling.alpha.kubernetes.io/current-metrics  ALL current metrics, as v1 MetricStatus JSON
            autoscaling.alpha.kubernetes.io/behavior         spec.behavior, marshalled from the INTERNAL Go
                                                             type: no json tags, so `ScaleUp`, `Policies`...
            autoscaling.alpha.kubernetes.io/conditions       status.conditions, as v1 condition JSON
v1 -> v2  targetCPUUtilizationPercentage becomes a cpu Utilization metric, appended AFTER the annotated
          metrics; annotations that do not decode are ignored; the behavior annotation only counts when it
          sets scaleUp or scaleDown; with no metric at all, cpu at 80% (autoscaling.DefaultCPUUtilization);
          the annotated current metrics replace the one currentCPUUtilizationPercentage gives; the
          round-trip annotations are dropped.

Round-trip annotations (pkg/apis/autoscaling/annotations.go, DropRoundTripHorizontalPodAutoscalerAnnotations
in helpers.go) also include 1.33's scale-down-/scale-up-tolerance, which only autoscaling/v2beta2 (not
served in 1.33) writes; they are dropped all the same. Tolerance itself travels inside the behavior
annotation (`"Tolerance"`, null when unset).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mockapi.api.decoding import json_value
from mockapi.api.jsonio import go_json
from mockapi.api.types import Obj
from mockapi.registry.conversion import godecode as go
from mockapi.registry.conversion.hpa_metrics import (
    condition_from_v1,
    condition_to_v1,
    metric_spec_from_v1,
    metric_spec_to_v1,
    metric_status_from_v1,
    metric_status_to_v1,
)

METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/metrics"
CURRENT_METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/current-metrics"
CONDITIONS_ANNOTATION = "autoscaling.alpha.kubernetes.io/conditions"
BEHAVIOR_ANNOTATION = "autoscaling.alpha.kubernetes.io/behavior"
SCALE_DOWN_TOLERANCE_ANNOTATION = "autoscaling.alpha.kubernetes.io/scale-down-tolerance"
SCALE_UP_TOLERANCE_ANNOTATION = "autoscaling.alpha.kubernetes.io/scale-up-tolerance"
ROUND_TRIP_ANNOTATIONS = (
    METRICS_ANNOTATION,
    BEHAVIOR_ANNOTATION,
    SCALE_DOWN_TOLERANCE_ANNOTATION,
    SCALE_UP_TOLERANCE_ANNOTATION,
    CURRENT_METRICS_ANNOTATION,
    CONDITIONS_ANNOTATION,
)
DEFAULT_CPU_UTILIZATION = 80
KIND = "HorizontalPodAutoscaler"


def drop_round_trip_annotations(metadata: Obj) -> Obj:
    """`metadata` without the round-trip annotations: the same dict when it has none, else a new one (an
    emptied annotations map is omitted, as Go's omitempty does)."""
    annotations = metadata.get("annotations")
    if not isinstance(annotations, dict) or not any(key in annotations for key in ROUND_TRIP_ANNOTATIONS):
        return metadata
    kept = {key: value for key, value in annotations.items() if key not in ROUND_TRIP_ANNOTATIONS}
    out = dict(metadata)
    if kept:
        out["annotations"] = kept
    else:
        del out["annotations"]
    return out


def _section(obj: Obj, key: str) -> Obj:
    value = obj.get(key)
    return value if isinstance(value, dict) else {}


def _dicts(value: Any) -> list[Obj]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _is_cpu(metric: Obj) -> bool:
    resource = metric.get("resource")
    return metric.get("type") == "Resource" and isinstance(resource, dict) and resource.get("name") == "cpu"


def _cpu_utilization(metric: Obj, member: str) -> Any:
    """The averageUtilization of a Resource cpu metric's `target`/`current`, None for any other metric."""
    if not _is_cpu(metric):
        return None
    values = metric["resource"].get(member)
    return values.get("averageUtilization") if isinstance(values, dict) else None


def _cpu_metric(member: str, utilization: Any) -> Obj:
    """A Resource cpu metric spec (`target`) or status (`current`) carrying only a utilization."""
    values: Obj = {"type": "Utilization"} if member == "target" else {}
    values["averageUtilization"] = utilization
    return {"type": "Resource", "resource": {"name": "cpu", member: values}}


# -- v2 -> v1 -------------------------------------------------------------------------------------------


def hpa_v2_to_v1(obj: Obj) -> Obj:
    """An autoscaling/v2 HorizontalPodAutoscaler as autoscaling/v1 (never modifies `obj`)."""
    spec, status = _section(obj, "spec"), _section(obj, "status")
    metrics, current_metrics = _dicts(spec.get("metrics")), _dicts(status.get("currentMetrics"))
    conditions = _dicts(status.get("conditions"))

    v1_spec: Obj = {"scaleTargetRef": spec.get("scaleTargetRef") or {"kind": "", "name": ""}}
    if spec.get("minReplicas") is not None:
        v1_spec["minReplicas"] = spec["minReplicas"]
    v1_spec["maxReplicas"] = spec.get("maxReplicas", 0)
    target_cpu = next((u for m in metrics if (u := _cpu_utilization(m, "target")) is not None), None)
    if target_cpu is not None:
        v1_spec["targetCPUUtilizationPercentage"] = target_cpu

    v1_status: Obj = {}
    for key in ("observedGeneration", "lastScaleTime"):
        if status.get(key) is not None:
            v1_status[key] = status[key]
    v1_status["currentReplicas"] = status.get("currentReplicas", 0)
    v1_status["desiredReplicas"] = status.get("desiredReplicas", 0)
    current_cpu = [u for m in current_metrics if (u := _cpu_utilization(m, "current")) is not None]
    if current_cpu:
        v1_status["currentCPUUtilizationPercentage"] = current_cpu[-1]  # no `break` upstream: the last wins

    added: dict[str, str] = {}
    other_metrics = [metric_spec_to_v1(m) for m in metrics if _cpu_utilization(m, "target") is None]
    if other_metrics:
        added[METRICS_ANNOTATION] = go_json(other_metrics).decode()
    if current_metrics:  # all of them: the raw value is kept next to the cpu utilization
        added[CURRENT_METRICS_ANNOTATION] = go_json([metric_status_to_v1(m) for m in current_metrics]).decode()
    if isinstance(spec.get("behavior"), dict):
        added[BEHAVIOR_ANNOTATION] = go_json(_internal_behavior(spec["behavior"])).decode()
    if conditions:
        added[CONDITIONS_ANNOTATION] = go_json([condition_to_v1(c) for c in conditions]).decode()

    metadata = drop_round_trip_annotations(obj.get("metadata") or {})
    if added:  # a rebuilt map is written as Go writes maps: keys sorted
        merged = {**(metadata.get("annotations") or {}), **added}
        metadata = {**metadata, "annotations": dict(sorted(merged.items()))}
    return {"kind": KIND, "apiVersion": "autoscaling/v1", "metadata": metadata, "spec": v1_spec, "status": v1_status}


def _internal_behavior(behavior: Obj) -> Obj:
    """json.Marshal of the internal HorizontalPodAutoscalerBehavior: Go field names, nil pointers as null."""
    return {
        "ScaleUp": _internal_rules(behavior.get("scaleUp")),
        "ScaleDown": _internal_rules(behavior.get("scaleDown")),
    }


def _internal_rules(rules: Any) -> Obj | None:
    if not isinstance(rules, dict):
        return None
    policies = _dicts(rules.get("policies"))
    return {
        "StabilizationWindowSeconds": rules.get("stabilizationWindowSeconds"),
        "SelectPolicy": rules.get("selectPolicy"),
        "Policies": [
            {"Type": p.get("type", ""), "Value": p.get("value", 0), "PeriodSeconds": p.get("periodSeconds", 0)}
            for p in policies
        ]
        or None,  # omitempty in storage: an empty list reads back as a nil slice
        "Tolerance": rules.get("tolerance"),
    }


# -- v1 -> v2 -------------------------------------------------------------------------------------------


def hpa_v1_to_v2(obj: Obj) -> Obj:
    """An autoscaling/v1 HorizontalPodAutoscaler as autoscaling/v2 (never modifies `obj`)."""
    spec, status, metadata = _section(obj, "spec"), _section(obj, "status"), _section(obj, "metadata")
    annotations = _section(metadata, "annotations")

    metrics: list[Obj] = []
    if spec.get("targetCPUUtilizationPercentage") is not None:
        metrics.append(_cpu_metric("target", spec["targetCPUUtilizationPercentage"]))
    annotated = _decoded(annotations.get(METRICS_ANNOTATION), metric_spec_from_v1)
    if annotated is not None:
        metrics = annotated + metrics  # the spec's cpu metric goes last
    behavior = _decoded_behavior(annotations.get(BEHAVIOR_ANNOTATION))

    current_metrics: list[Obj] = []
    if status.get("currentCPUUtilizationPercentage") is not None:
        current_metrics.append(_cpu_metric("current", status["currentCPUUtilizationPercentage"]))
    annotated = _decoded(annotations.get(CURRENT_METRICS_ANNOTATION), metric_status_from_v1)
    if annotated is not None:
        current_metrics = annotated  # "the ones here have more information"
    if not metrics:  # autoscaling/v1's implicit default, applied where all metrics are known
        metrics = [_cpu_metric("target", DEFAULT_CPU_UTILIZATION)]
    conditions = _decoded(annotations.get(CONDITIONS_ANNOTATION), condition_from_v1)

    v2_spec: Obj = {"scaleTargetRef": spec.get("scaleTargetRef") or {"kind": "", "name": ""}}
    if spec.get("minReplicas") is not None:
        v2_spec["minReplicas"] = spec["minReplicas"]
    v2_spec["maxReplicas"] = spec.get("maxReplicas", 0)
    v2_spec["metrics"] = metrics
    if behavior is not None:
        v2_spec["behavior"] = behavior

    v2_status: Obj = {}
    for key in ("observedGeneration", "lastScaleTime"):
        if status.get(key) is not None:
            v2_status[key] = status[key]
    if status.get("currentReplicas"):  # omitempty in v2
        v2_status["currentReplicas"] = status["currentReplicas"]
    v2_status["desiredReplicas"] = status.get("desiredReplicas", 0)
    v2_status["currentMetrics"] = current_metrics or None  # not omitempty: a nil slice is null
    if conditions:
        v2_status["conditions"] = conditions

    return {
        "kind": KIND,
        "apiVersion": "autoscaling/v2",
        "metadata": drop_round_trip_annotations(metadata),
        "spec": v2_spec,
        "status": v2_status,
    }


def _decoded(text: Any, convert: Callable[[Any], Obj]) -> list[Obj] | None:
    """An annotation's JSON list, each item converted; None when absent or when it does not decode
    (upstream: `if err := json.Unmarshal(...); err == nil`)."""
    if not isinstance(text, str):
        return None
    try:
        return [convert(item) for item in go.array(json_value(text))]
    except (ValueError, RecursionError, go.Mismatch):  # json_value bounds nesting; anything else: ignored
        return None


def _decoded_behavior(text: Any) -> Obj | None:
    """The behavior annotation (the internal Go type) in v2's shape; None unless it decodes and sets a rule."""
    if not isinstance(text, str):
        return None
    try:
        behavior = go.struct(json_value(text)) or {}
        scale_up = _rules_from_internal(go.field(behavior, "ScaleUp"))
        scale_down = _rules_from_internal(go.field(behavior, "ScaleDown"))
    except (ValueError, RecursionError, go.Mismatch):
        return None
    if scale_up is None and scale_down is None:  # `behavior != HorizontalPodAutoscalerBehavior{}`
        return None
    out: Obj = {}
    if scale_up is not None:
        out["scaleUp"] = scale_up
    if scale_down is not None:
        out["scaleDown"] = scale_down
    return out


def _rules_from_internal(raw: Any) -> Obj | None:
    rules = go.struct(raw)
    if rules is None:
        return None
    out: Obj = {}
    window = go.int32(go.field(rules, "StabilizationWindowSeconds"))
    if window is not None:
        out["stabilizationWindowSeconds"] = window
    select = go.optional_string(go.field(rules, "SelectPolicy"))
    if select is not None:
        out["selectPolicy"] = select
    policies = [_policy_from_internal(p) for p in go.array(go.field(rules, "Policies"))]
    if policies:
        out["policies"] = policies
    tolerance = go.quantity_or_none(go.field(rules, "Tolerance"))
    if tolerance is not None:
        out["tolerance"] = tolerance
    return out


def _policy_from_internal(raw: Any) -> Obj:
    policy = go.struct(raw) or {}
    return {
        "type": go.string(go.field(policy, "Type")),
        "value": go.int32(go.field(policy, "Value")) or 0,
        "periodSeconds": go.int32(go.field(policy, "PeriodSeconds")) or 0,
    }

"""HorizontalPodAutoscaler metric specs, metric statuses and conditions: autoscaling/v2 <-> autoscaling/v1.

autoscaling/v1 has no metrics list, but its Go package still defines the v2beta1-shaped MetricSpec,
MetricStatus and HorizontalPodAutoscalerCondition, which the conversion marshals into the round-trip
annotations (pkg/apis/autoscaling/v1/conversion.go, the Convert_*Metric{Source,Status}* functions).
The internal HPA has autoscaling/v2's shape, so "internal" here is the v2 JSON form.

`*_to_v1` read a stored (validated) v2 object and build the v1 JSON Go would marshal, fields in struct
order (MetricSpec members: object, pods, resource, containerResource, external). `*_from_v1` read
annotation JSON with Go's decoding rules (`godecode`) and may raise `Mismatch`.

Upstream quirks kept on purpose:
- A v1 Object metric always carries `targetValue` (a value Quantity), so an Object metric with only an
  averageValue comes back from v1 with `value: "0"` too; the same holds for v1 status quantities.
- A v1 External target is of type Value whenever `targetValue` is set, otherwise AverageValue.
"""

from __future__ import annotations

from typing import Any

from mockapi.api.types import Obj
from mockapi.registry.conversion import godecode as go


def _get(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, dict) else None


def _sub(obj: Any, key: str) -> Obj:
    value = _get(obj, key)
    return value if isinstance(value, dict) else {}


def _put(out: Obj, key: str, value: Any) -> None:
    """An omitempty field: set only when it has a value."""
    if value is not None:
        out[key] = value


def _reference(ref: Any) -> Obj:
    """CrossVersionObjectReference (same in both versions): kind and name always, apiVersion omitempty."""
    out: Obj = {"kind": _get(ref, "kind") or "", "name": _get(ref, "name") or ""}
    if _get(ref, "apiVersion"):
        out["apiVersion"] = ref["apiVersion"]
    return out


# -- v2 -> v1 -------------------------------------------------------------------------------------------


def metric_spec_to_v1(metric: Obj) -> Obj:
    """Convert_autoscaling_MetricSpec_To_v1_MetricSpec."""
    out: Obj = {"type": metric.get("type", "")}
    obj = _get(metric, "object")
    if isinstance(obj, dict):
        target, ident = _sub(obj, "target"), _sub(obj, "metric")
        v1: Obj = {
            "target": _reference(obj.get("describedObject")),
            "metricName": ident.get("name", ""),
            "targetValue": target.get("value") or "0",
        }
        _put(v1, "selector", ident.get("selector"))
        _put(v1, "averageValue", target.get("averageValue"))
        out["object"] = v1
    pods = _get(metric, "pods")
    if isinstance(pods, dict):
        target, ident = _sub(pods, "target"), _sub(pods, "metric")
        v1 = {"metricName": ident.get("name", ""), "targetAverageValue": target.get("averageValue") or "0"}
        _put(v1, "selector", ident.get("selector"))
        out["pods"] = v1
    for key in ("resource", "containerResource"):
        source = _get(metric, key)
        if isinstance(source, dict):
            target = _sub(source, "target")
            v1 = {"name": source.get("name", "")}
            _put(v1, "targetAverageUtilization", target.get("averageUtilization"))
            _put(v1, "targetAverageValue", target.get("averageValue"))
            if key == "containerResource":
                v1["container"] = source.get("container", "")
            out[key] = v1
    external = _get(metric, "external")
    if isinstance(external, dict):
        target, ident = _sub(external, "target"), _sub(external, "metric")
        v1 = {"metricName": ident.get("name", "")}
        _put(v1, "metricSelector", ident.get("selector"))
        _put(v1, "targetValue", target.get("value"))
        _put(v1, "targetAverageValue", target.get("averageValue"))
        out["external"] = v1
    return out


def metric_status_to_v1(metric: Obj) -> Obj:
    """Convert_autoscaling_MetricStatus_To_v1_MetricStatus."""
    out: Obj = {"type": metric.get("type", "")}
    obj = _get(metric, "object")
    if isinstance(obj, dict):
        current, ident = _sub(obj, "current"), _sub(obj, "metric")
        v1: Obj = {
            "target": _reference(obj.get("describedObject")),
            "metricName": ident.get("name", ""),
            "currentValue": current.get("value") or "0",
        }
        _put(v1, "selector", ident.get("selector"))
        _put(v1, "averageValue", current.get("averageValue"))
        out["object"] = v1
    pods = _get(metric, "pods")
    if isinstance(pods, dict):
        current, ident = _sub(pods, "current"), _sub(pods, "metric")
        v1 = {"metricName": ident.get("name", ""), "currentAverageValue": current.get("averageValue") or "0"}
        _put(v1, "selector", ident.get("selector"))
        out["pods"] = v1
    for key in ("resource", "containerResource"):
        source = _get(metric, key)
        if isinstance(source, dict):
            current = _sub(source, "current")
            v1 = {"name": source.get("name", "")}
            _put(v1, "currentAverageUtilization", current.get("averageUtilization"))
            v1["currentAverageValue"] = current.get("averageValue") or "0"
            if key == "containerResource":
                v1["container"] = source.get("container", "")
            out[key] = v1
    external = _get(metric, "external")
    if isinstance(external, dict):
        current, ident = _sub(external, "current"), _sub(external, "metric")
        v1 = {"metricName": ident.get("name", "")}
        _put(v1, "metricSelector", ident.get("selector"))
        v1["currentValue"] = current.get("value") or "0"
        _put(v1, "currentAverageValue", current.get("averageValue"))
        out["external"] = v1
    return out


def condition_to_v1(condition: Obj) -> Obj:
    """HorizontalPodAutoscalerCondition: the same fields; lastTransitionTime is a struct (null when zero)."""
    out: Obj = {
        "type": condition.get("type", ""),
        "status": condition.get("status", ""),
        "lastTransitionTime": condition.get("lastTransitionTime"),
    }
    for key in ("reason", "message"):
        if condition.get(key):
            out[key] = condition[key]
    return out


# -- v1 (annotation JSON) -> v2 ---------------------------------------------------------------------------


def _identifier(name: Any, selector: Any) -> Obj:
    out: Obj = {"name": go.string(name)}
    _put(out, "selector", go.label_selector(selector))
    return out


def _target(type_: str, value: str | None = None, average: str | None = None, utilization: int | None = None) -> Obj:
    """MetricTarget / MetricValueStatus in v2 field order (type is omitted for a MetricValueStatus)."""
    out: Obj = {"type": type_} if type_ else {}
    _put(out, "value", value)
    _put(out, "averageValue", average)
    _put(out, "averageUtilization", utilization)
    return out


def metric_spec_from_v1(raw: Any) -> Obj:
    """Convert_v1_MetricSpec_To_autoscaling_MetricSpec (raises `Mismatch`)."""
    metric = go.struct(raw) or {}
    out: Obj = {"type": go.string(go.field(metric, "type"))}
    obj = go.struct(go.field(metric, "object"))
    if obj is not None:
        average = go.quantity_or_none(go.field(obj, "averageValue"))
        value = go.quantity_value(go.field(obj, "targetValue"))  # `Value: &in.TargetValue`: always set
        out["object"] = {
            "describedObject": _reference(go.struct(go.field(obj, "target"))),
            "target": _target("Value" if average is None else "AverageValue", value, average),
            "metric": _identifier(go.field(obj, "metricName"), go.field(obj, "selector")),
        }
    pods = go.struct(go.field(metric, "pods"))
    if pods is not None:
        out["pods"] = {
            "metric": _identifier(go.field(pods, "metricName"), go.field(pods, "selector")),
            "target": _target("AverageValue", average=go.quantity_value(go.field(pods, "targetAverageValue"))),
        }
    for key in ("resource", "containerResource"):
        source = go.struct(go.field(metric, key))
        if source is not None:
            utilization = go.int32(go.field(source, "targetAverageUtilization"))
            average = go.quantity_or_none(go.field(source, "targetAverageValue"))
            type_ = "AverageValue" if utilization is None else "Utilization"
            v2: Obj = {
                "name": go.string(go.field(source, "name")),
                "target": _target(type_, None, average, utilization),
            }
            if key == "containerResource":
                v2["container"] = go.string(go.field(source, "container"))
            out[key] = v2
    external = go.struct(go.field(metric, "external"))
    if external is not None:
        target_value = go.quantity_or_none(go.field(external, "targetValue"))
        average = go.quantity_or_none(go.field(external, "targetAverageValue"))
        out["external"] = {
            "metric": _identifier(go.field(external, "metricName"), go.field(external, "metricSelector")),
            "target": _target("AverageValue" if target_value is None else "Value", target_value, average),
        }
    return out


def metric_status_from_v1(raw: Any) -> Obj:
    """Convert_v1_MetricStatus_To_autoscaling_MetricStatus (raises `Mismatch`)."""
    metric = go.struct(raw) or {}
    out: Obj = {"type": go.string(go.field(metric, "type"))}
    obj = go.struct(go.field(metric, "object"))
    if obj is not None:
        value = go.quantity_value(go.field(obj, "currentValue"))
        average = go.quantity_or_none(go.field(obj, "averageValue"))
        out["object"] = {
            "metric": _identifier(go.field(obj, "metricName"), go.field(obj, "selector")),
            "current": _target("", value, average),
            "describedObject": _reference(go.struct(go.field(obj, "target"))),
        }
    pods = go.struct(go.field(metric, "pods"))
    if pods is not None:
        out["pods"] = {
            "metric": _identifier(go.field(pods, "metricName"), go.field(pods, "selector")),
            "current": _target("", average=go.quantity_value(go.field(pods, "currentAverageValue"))),
        }
    for key in ("resource", "containerResource"):
        source = go.struct(go.field(metric, key))
        if source is not None:
            average = go.quantity_value(go.field(source, "currentAverageValue"))
            utilization = go.int32(go.field(source, "currentAverageUtilization"))
            v2: Obj = {"name": go.string(go.field(source, "name")), "current": _target("", None, average, utilization)}
            if key == "containerResource":
                v2["container"] = go.string(go.field(source, "container"))
            out[key] = v2
    external = go.struct(go.field(metric, "external"))
    if external is not None:
        value = go.quantity_value(go.field(external, "currentValue"))
        average = go.quantity_or_none(go.field(external, "currentAverageValue"))
        out["external"] = {
            "metric": _identifier(go.field(external, "metricName"), go.field(external, "metricSelector")),
            "current": _target("", value, average),
        }
    return out


def condition_from_v1(raw: Any) -> Obj:
    """Convert_v1_HorizontalPodAutoscalerCondition_To_autoscaling_HorizontalPodAutoscalerCondition."""
    condition = go.struct(raw) or {}
    out: Obj = {
        "type": go.string(go.field(condition, "type")),
        "status": go.string(go.field(condition, "status")),
        "lastTransitionTime": go.time_or_none(go.field(condition, "lastTransitionTime")),
    }
    for key in ("reason", "message"):
        value = go.string(go.field(condition, key))
        if value:
            out[key] = value
    return out

"""The HorizontalPodAutoscaler printer (printers.go printHorizontalPodAutoscaler, formatHPAMetrics).

Upstream prints the internal HPA, which has autoscaling/v2's shape whatever version was requested.
Both stored shapes are accepted here: v2 (`spec.metrics`, `status.currentMetrics`) and v1
(`targetCPUUtilizationPercentage`, `currentCPUUtilizationPercentage`). An HPA without any metric shows
the default kube-apiserver applies when it reads one back (CPU at 80% average utilization).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mockapi.api.types import Obj
from mockapi.resources.tables.cells import age, has, int_of, list_of, name_of, obj_of, quantity, str_of
from mockapi.resources.tables.model import Cell, RowFunctions

_DEFAULT_CPU_UTILIZATION = 80
_MAX_SHOWN = 2
_FIELD = {
    "External": "external",
    "Pods": "pods",
    "Object": "object",
    "Resource": "resource",
    "ContainerResource": "containerResource",
}


def _cpu_metric(key: str, value: Any) -> Obj:
    return {"type": "Resource", "resource": {"name": "cpu", key: {"type": "Utilization", "averageUtilization": value}}}


def _spec_metrics(spec: Obj) -> list[Any]:
    metrics = list_of(spec, "metrics")
    if metrics:
        return metrics
    target = spec.get("targetCPUUtilizationPercentage")
    return [_cpu_metric("target", _DEFAULT_CPU_UTILIZATION if target is None else target)]


def _status_metrics(status: Obj) -> list[Any]:
    if "currentMetrics" in status:
        return list_of(status, "currentMetrics")
    current = status.get("currentCPUUtilizationPercentage")
    return [] if current is None else [_cpu_metric("current", current)]


def _percent(value: Any, fallback: str) -> str:
    return fallback if value is None else f"{int(value)}%"


def _format_metric(spec: Obj, status: Obj | None) -> str:
    metric_type = str_of(spec, "type")
    field = _FIELD.get(metric_type)
    if field is None:
        return "<unknown type>"
    source = obj_of(spec, field)
    target = obj_of(source, "target")
    current_source = obj_of(status, field) if status is not None and has(status, field) else None
    current = obj_of(current_source, "current")
    if metric_type in ("External", "Object"):
        if has(target, "averageValue"):
            shown = "<unknown>"
            if current_source is not None and has(current, "averageValue"):
                shown = quantity(current["averageValue"])
            return f"{shown}/{quantity(target['averageValue'])} (avg)"
        shown = "<unknown>" if current_source is None else quantity(current.get("value"))
        return f"{shown}/{quantity(target.get('value'))}"
    if metric_type == "Pods":
        shown = "<unknown>" if current_source is None else quantity(current.get("averageValue"))
        return f"{shown}/{quantity(target.get('averageValue'))}"
    name = str_of(source, "name")
    if has(target, "averageValue"):
        shown = "<unknown>" if current_source is None else quantity(current.get("averageValue"))
        return f"{name}: {shown}/{quantity(target['averageValue'])}"
    shown = "<unknown>" if current_source is None else _percent(current.get("averageUtilization"), "<unknown>")
    return f"{name}: {shown}/{_percent(target.get('averageUtilization'), '<auto>')}"


def format_hpa_metrics(specs: list[Any], statuses: list[Any]) -> str:
    """printers.go formatHPAMetrics: at most two metrics, then " + N more..."."""
    if not specs:
        return "<none>"
    shown = []
    for index, spec in enumerate(specs):
        status = statuses[index] if index < len(statuses) and isinstance(statuses[index], dict) else None
        shown.append(_format_metric(spec if isinstance(spec, dict) else {}, status))
    text = ", ".join(shown[:_MAX_SHOWN])
    if len(shown) > _MAX_SHOWN:
        return f"{text} + {len(shown) - _MAX_SHOWN} more..."
    return text


def hpa_cells(hpa: Obj, now: datetime) -> list[Cell]:
    spec, status = obj_of(hpa, "spec"), obj_of(hpa, "status")
    ref = obj_of(spec, "scaleTargetRef")
    return [
        name_of(hpa),
        f"{str_of(ref, 'kind')}/{str_of(ref, 'name')}",
        format_hpa_metrics(_spec_metrics(spec), _status_metrics(status)),
        str(int_of(spec, "minReplicas")) if has(spec, "minReplicas") else "<unset>",
        int_of(spec, "maxReplicas"),
        int_of(status, "currentReplicas"),
        age(hpa, now),
    ]


ROWS: dict[str, RowFunctions] = {"horizontalpodautoscalers": RowFunctions(hpa_cells)}

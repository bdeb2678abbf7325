"""Defaulters for autoscaling/v1 and autoscaling/v2 HorizontalPodAutoscalers.

v2 (pkg/apis/autoscaling/v2/defaults.go): `minReplicas: 1`, a CPU 80% utilization metric when no
metrics are given, and a given `behavior` completed with the default scaling rules.
v1 only defaults `minReplicas`, but the object round-trips through the v2 defaults before the client
reads it back, so a v1 HPA without `targetCPUUtilizationPercentage` reads back with 80.
"""

from __future__ import annotations

from collections.abc import Callable

from mockapi.registry.defaulting._fields import Obj, set_if_unset, sub

DEFAULT_CPU_UTILIZATION = 80
_OTHER_METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/metrics"


def _scale_up_rules() -> Obj:
    return {
        "stabilizationWindowSeconds": 0,
        "selectPolicy": "Max",
        "policies": [
            {"type": "Pods", "value": 4, "periodSeconds": 15},
            {"type": "Percent", "value": 100, "periodSeconds": 15},
        ],
    }


def _scale_down_rules() -> Obj:
    """No stabilizationWindowSeconds: the controller's --horizontal-pod-autoscaler-downscale-stabilization decides."""
    return {"selectPolicy": "Max", "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}]}


def _complete_rules(given: Obj | None, defaults: Obj) -> Obj:
    if given is None:
        return defaults
    for key in ("selectPolicy", "stabilizationWindowSeconds", "policies", "tolerance"):
        if given.get(key) is not None:
            defaults[key] = given[key]
    return defaults


def hpa_v2(obj: Obj) -> None:
    spec = sub(obj, "spec")
    if spec is None:
        return
    set_if_unset(spec, "minReplicas", 1)
    if not spec.get("metrics"):
        spec["metrics"] = [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "target": {"type": "Utilization", "averageUtilization": DEFAULT_CPU_UTILIZATION},
                },
            }
        ]
    behavior = sub(spec, "behavior")
    if behavior is not None:
        behavior["scaleUp"] = _complete_rules(sub(behavior, "scaleUp"), _scale_up_rules())
        behavior["scaleDown"] = _complete_rules(sub(behavior, "scaleDown"), _scale_down_rules())


def hpa_v1(obj: Obj) -> None:
    spec = sub(obj, "spec")
    if spec is None:
        return
    set_if_unset(spec, "minReplicas", 1)
    annotations = sub(sub(obj, "metadata"), "annotations") or {}
    if _OTHER_METRICS_ANNOTATION not in annotations:
        set_if_unset(spec, "targetCPUUtilizationPercentage", DEFAULT_CPU_UTILIZATION)


DEFAULTERS_V1: dict[str, Callable[[Obj], None]] = {"HorizontalPodAutoscaler": hpa_v1}
DEFAULTERS_V2: dict[str, Callable[[Obj], None]] = {"HorizontalPodAutoscaler": hpa_v2}

"""HorizontalPodAutoscaler autoscaling/v2 <-> autoscaling/v1, table-driven like upstream's conversion tests
(pkg/apis/autoscaling/v1/conversion_test.go): expected objects are what kube-apiserver 1.33 serves, with the
annotation values byte for byte as Go's json.Marshal writes them."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from mockapi.registry.conversion.hpa import hpa_v1_to_v2, hpa_v2_to_v1

Obj = dict[str, Any]

REF = {"kind": "Deployment", "name": "web", "apiVersion": "apps/v1"}
META = {"name": "web", "namespace": "default", "uid": "u-1", "resourceVersion": "7"}
T0 = "2025-05-01T10:00:00Z"
METRICS = "autoscaling.alpha.kubernetes.io/metrics"
CURRENT = "autoscaling.alpha.kubernetes.io/current-metrics"
BEHAVIOR = "autoscaling.alpha.kubernetes.io/behavior"
CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions"


def resource_target(name: str, **target: Any) -> Obj:
    return {"type": "Resource", "resource": {"name": name, "target": target}}


def resource_current(name: str, **current: Any) -> Obj:
    return {"type": "Resource", "resource": {"name": name, "current": current}}


def object_metric(**target: Any) -> Obj:
    described = {"kind": "Service", "name": "s"}
    return {"type": "Object", "object": {"describedObject": described, "target": target, "metric": {"name": "m"}}}


def cpu(utilization: int) -> Obj:
    return resource_target("cpu", type="Utilization", averageUtilization=utilization)


def current_cpu(utilization: int) -> Obj:
    return resource_current("cpu", averageUtilization=utilization)


def pods_qps(value: str = "1k") -> Obj:
    return {
        "type": "Pods",
        "pods": {"metric": {"name": "qps"}, "target": {"type": "AverageValue", "averageValue": value}},
    }


def v2(metrics: list[Obj], status: Obj | None = None, annotations: dict[str, str] | None = None, **spec: Any) -> Obj:
    metadata = dict(META, annotations=annotations) if annotations is not None else dict(META)
    return {
        "kind": "HorizontalPodAutoscaler",
        "apiVersion": "autoscaling/v2",
        "metadata": metadata,
        "spec": {"scaleTargetRef": REF, "minReplicas": 1, "maxReplicas": 3, "metrics": metrics, **spec},
        "status": status if status is not None else {"desiredReplicas": 0, "currentMetrics": None},
    }


def v1(
    target: int | None = None, status: Obj | None = None, annotations: dict[str, str] | None = None, **spec: Any
) -> Obj:
    metadata = dict(META, annotations=annotations) if annotations is not None else dict(META)
    v1_spec: Obj = {"scaleTargetRef": REF, "minReplicas": 1, "maxReplicas": 3, **spec}
    if target is not None:
        v1_spec["targetCPUUtilizationPercentage"] = target
    return {
        "kind": "HorizontalPodAutoscaler",
        "apiVersion": "autoscaling/v1",
        "metadata": metadata,
        "spec": v1_spec,
        "status": status if status is not None else {"currentReplicas": 0, "desiredReplicas": 0},
    }


BEHAVIOR_V2 = {
    "scaleUp": {
        "stabilizationWindowSeconds": 0,
        "selectPolicy": "Max",
        "policies": [
            {"type": "Pods", "value": 4, "periodSeconds": 15},
            {"type": "Percent", "value": 100, "periodSeconds": 15},
        ],
    },
    "scaleDown": {
        "selectPolicy": "Max",
        "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}],
        "tolerance": "50m",
    },
}
BEHAVIOR_JSON = (
    '{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,'
    '"PeriodSeconds":15},{"Type":"Percent","Value":100,"PeriodSeconds":15}],"Tolerance":null},"ScaleDown":'
    '{"StabilizationWindowSeconds":null,"SelectPolicy":"Max","Policies":[{"Type":"Percent","Value":100,'
    '"PeriodSeconds":15}],"Tolerance":"50m"}}'
)
CONDITION = {
    "type": "AbleToScale",
    "status": "True",
    "lastTransitionTime": T0,
    "reason": "SucceededRescale",
    "message": "the HPA controller was able to update the target scale to 3",
}

V2_TO_V1: list[tuple[str, Obj, Obj]] = [
    ("a cpu utilization metric is the v1 target", v2([cpu(50)]), v1(50)),
    (
        "every other metric goes into the metrics annotation",
        v2([pods_qps(), cpu(50)]),
        v1(50, annotations={METRICS: '[{"type":"Pods","pods":{"metricName":"qps","targetAverageValue":"1k"}}]'}),
    ),
    (
        "cpu by average value is not the v1 target",
        v2([resource_target("cpu", type="AverageValue", averageValue="500m")]),
        v1(annotations={METRICS: '[{"type":"Resource","resource":{"name":"cpu","targetAverageValue":"500m"}}]'}),
    ),
    ("the first cpu utilization wins and none is annotated", v2([cpu(50), cpu(70)]), v1(50)),
    (
        "an object metric always carries a targetValue",
        v2(
            [
                {
                    "type": "Object",
                    "object": {
                        "describedObject": {"kind": "Service", "name": "s", "apiVersion": "v1"},
                        "target": {"type": "AverageValue", "averageValue": "2"},
                        "metric": {"name": "m", "selector": {"matchLabels": {"a": "b"}}},
                    },
                }
            ]
        ),
        v1(
            annotations={
                METRICS: '[{"type":"Object","object":{"target":{"kind":"Service","name":"s","apiVersion":"v1"},'
                '"metricName":"m","targetValue":"0","selector":{"matchLabels":{"a":"b"}},"averageValue":"2"}}]'
            }
        ),
    ),
    (
        "external and container resource metrics, HTML-safe JSON",
        v2(
            [
                {
                    "type": "External",
                    "external": {
                        "metric": {"name": "q", "selector": {"matchLabels": {"x": "<&>"}}},
                        "target": {"type": "Value", "value": "10"},
                    },
                },
                {
                    "type": "ContainerResource",
                    "containerResource": {
                        "name": "memory",
                        "target": {"type": "Utilization", "averageUtilization": 60},
                        "container": "app",
                    },
                },
            ]
        ),
        v1(
            annotations={
                METRICS: '[{"type":"External","external":{"metricName":"q","metricSelector":{"matchLabels":'
                '{"x":"\\u003c\\u0026\\u003e"}},"targetValue":"10"}},{"type":"ContainerResource","containerResource":'
                '{"name":"memory","targetAverageUtilization":60,"container":"app"}}]'
            }
        ),
    ),
    (
        "every current metric is annotated; the last cpu utilization is the v1 one",
        v2(
            [cpu(50)],
            status={
                "currentReplicas": 2,
                "desiredReplicas": 2,
                "currentMetrics": [
                    resource_current("cpu", averageValue="100m", averageUtilization=40),
                    {"type": "Pods", "pods": {"metric": {"name": "qps"}, "current": {"averageValue": "5"}}},
                    current_cpu(45),
                ],
            },
        ),
        v1(
            50,
            status={"currentReplicas": 2, "desiredReplicas": 2, "currentCPUUtilizationPercentage": 45},
            annotations={
                CURRENT: '[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":40,'
                '"currentAverageValue":"100m"}},{"type":"Pods","pods":{"metricName":"qps","currentAverageValue":"5"}},'
                '{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":45,"currentAverageValue":"0"}}]'
            },
        ),
    ),
    (
        "behavior is the internal Go type marshalled: field names, nulls, tolerance",
        v2([cpu(50)], behavior=BEHAVIOR_V2),
        v1(50, annotations={BEHAVIOR: BEHAVIOR_JSON}),
    ),
    (
        "conditions go into an annotation, the other status fields stay",
        v2(
            [cpu(50)],
            status={
                "observedGeneration": 3,
                "lastScaleTime": T0,
                "currentReplicas": 2,
                "desiredReplicas": 3,
                "currentMetrics": None,
                "conditions": [CONDITION],
            },
        ),
        v1(
            50,
            status={"observedGeneration": 3, "lastScaleTime": T0, "currentReplicas": 2, "desiredReplicas": 3},
            annotations={
                CONDITIONS: '[{"type":"AbleToScale","status":"True","lastTransitionTime":"2025-05-01T10:00:00Z",'
                '"reason":"SucceededRescale","message":"the HPA controller was able to update the target scale to 3"}]'
            },
        ),
    ),
    (
        "stale round-trip annotations are dropped, tolerance ones included; the map is sorted",
        v2(
            [pods_qps(), cpu(50)],
            annotations={
                "zz": "1",
                METRICS: "stale",
                "autoscaling.alpha.kubernetes.io/scale-up-tolerance": "1",
                "a": "2",
            },
        ),
        v1(
            50,
            annotations={
                "a": "2",
                METRICS: '[{"type":"Pods","pods":{"metricName":"qps","targetAverageValue":"1k"}}]',
                "zz": "1",
            },
        ),
    ),
    ("an annotations map left empty is omitted", v2([cpu(50)], annotations={CONDITIONS: "[]"}), v1(50)),
]


@pytest.mark.parametrize(("name", "given", "expected"), V2_TO_V1, ids=[c[0] for c in V2_TO_V1])
def test_v2_to_v1(name: str, given: Obj, expected: Obj) -> None:
    before = copy.deepcopy(given)
    assert hpa_v2_to_v1(given) == expected
    assert given == before, "the input is never modified"


V1_TO_V2: list[tuple[str, Obj, Obj]] = [
    ("the v1 target is a cpu utilization metric", v1(70), v2([cpu(70)])),
    ("no target and no annotation: cpu at 80%", v1(), v2([cpu(80)])),
    (
        "annotated metrics come first, the v1 target last",
        v1(50, annotations={METRICS: '[{"type":"Pods","pods":{"metricName":"qps","targetAverageValue":"1k"}}]'}),
        v2([pods_qps(), cpu(50)]),
    ),
    (
        "annotations decode as Go decodes: any key case, quantities made canonical",
        v1(annotations={METRICS: '[{"TYPE":"External","external":{"MetricName":"q","targetAverageValue":0.5}}]'}),
        v2(
            [
                {
                    "type": "External",
                    "external": {"metric": {"name": "q"}, "target": {"type": "AverageValue", "averageValue": "500m"}},
                }
            ]
        ),
    ),
    (
        "an annotation that does not decode is ignored, and dropped",
        v1(
            60, annotations={METRICS: '[{"type":"Pods","pods":{"metricName":5}}]', CONDITIONS: "not json", "keep": "me"}
        ),
        v2([cpu(60)], annotations={"keep": "me"}),
    ),
    (
        "an object metric is of type Value unless it has an averageValue",
        v1(
            annotations={
                METRICS: '[{"type":"Object","object":{"target":{"kind":"Service","name":"s"},"metricName":"m",'
                '"targetValue":"3"}},{"type":"Object","object":{"target":{"kind":"Service","name":"s"},'
                '"metricName":"m","averageValue":"2"}}]'
            }
        ),
        v2(
            [
                object_metric(type="Value", value="3"),
                object_metric(type="AverageValue", value="0", averageValue="2"),
            ]
        ),
    ),
    (
        "the behavior annotation becomes spec.behavior",
        v1(50, annotations={BEHAVIOR: BEHAVIOR_JSON}),
        v2([cpu(50)], behavior=BEHAVIOR_V2),
    ),
    (
        "behavior keys match case-insensitively",
        v1(50, annotations={BEHAVIOR: '{"scaleDown":{"selectpolicy":"Min","tolerance":"0.05"}}'}),
        v2([cpu(50)], behavior={"scaleDown": {"selectPolicy": "Min", "tolerance": "50m"}}),
    ),
    ("a behavior that sets no rule is ignored", v1(50, annotations={BEHAVIOR: '{"ScaleUp":null}'}), v2([cpu(50)])),
    (
        "a behavior of the wrong type is ignored",
        v1(50, annotations={BEHAVIOR: '{"ScaleUp":{"Policies":"x"}}'}),
        v2([cpu(50)]),
    ),
    (
        "currentCPUUtilizationPercentage is a cpu current metric",
        v1(50, status={"currentReplicas": 0, "desiredReplicas": 1, "currentCPUUtilizationPercentage": 40}),
        v2([cpu(50)], status={"desiredReplicas": 1, "currentMetrics": [current_cpu(40)]}),
    ),
    (
        "annotated current metrics replace it",
        v1(
            50,
            status={"currentReplicas": 2, "desiredReplicas": 2, "currentCPUUtilizationPercentage": 40},
            annotations={
                CURRENT: '[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":40,'
                '"currentAverageValue":"100m"}}]'
            },
        ),
        v2(
            [cpu(50)],
            status={
                "currentReplicas": 2,
                "desiredReplicas": 2,
                "currentMetrics": [resource_current("cpu", averageValue="100m", averageUtilization=40)],
            },
        ),
    ),
    (
        "annotated conditions, times written in UTC",
        v1(
            50,
            status={"observedGeneration": 2, "currentReplicas": 0, "desiredReplicas": 0},
            annotations={
                CONDITIONS: '[{"type":"ScalingActive","status":"False",'
                '"lastTransitionTime":"2025-05-01T12:00:00+02:00","reason":"FailedGetResourceMetric"}]'
            },
        ),
        v2(
            [cpu(50)],
            status={
                "observedGeneration": 2,
                "desiredReplicas": 0,
                "currentMetrics": None,
                "conditions": [
                    {
                        "type": "ScalingActive",
                        "status": "False",
                        "lastTransitionTime": T0,
                        "reason": "FailedGetResourceMetric",
                    }
                ],
            },
        ),
    ),
]


@pytest.mark.parametrize(("name", "given", "expected"), V1_TO_V2, ids=[c[0] for c in V1_TO_V2])
def test_v1_to_v2(name: str, given: Obj, expected: Obj) -> None:
    before = copy.deepcopy(given)
    assert hpa_v1_to_v2(given) == expected
    assert given == before, "the input is never modified"


V2_ROUND_TRIPS: list[tuple[str, Obj]] = [
    ("cpu only", v2([cpu(50)])),
    ("no cpu target", v2([pods_qps()])),
    (
        "other metrics before cpu",
        v2(
            [
                pods_qps(),
                {
                    "type": "External",
                    "external": {"metric": {"name": "q"}, "target": {"type": "AverageValue", "averageValue": "3"}},
                },
                cpu(50),
            ]
        ),
    ),
    ("behavior", v2([cpu(50)], behavior=BEHAVIOR_V2)),
    (
        "full status",
        v2(
            [cpu(50)],
            status={
                "observedGeneration": 3,
                "lastScaleTime": T0,
                "currentReplicas": 2,
                "desiredReplicas": 3,
                "currentMetrics": [resource_current("cpu", averageValue="100m", averageUtilization=40)],
                "conditions": [CONDITION],
            },
        ),
    ),
    ("user annotations", v2([cpu(50)], annotations={"a": "1"})),
]


@pytest.mark.parametrize(("name", "stored"), V2_ROUND_TRIPS, ids=[c[0] for c in V2_ROUND_TRIPS])
def test_v2_round_trips_through_v1(name: str, stored: Obj) -> None:
    """What a v1 client reads and writes back unchanged is the stored v2 object again."""
    assert hpa_v1_to_v2(hpa_v2_to_v1(stored)) == stored


@pytest.mark.parametrize(("name", "stored"), V2_ROUND_TRIPS, ids=[c[0] for c in V2_ROUND_TRIPS])
def test_v1_round_trips_through_v2(name: str, stored: Obj) -> None:
    served = hpa_v2_to_v1(stored)
    assert hpa_v2_to_v1(hpa_v1_to_v2(served)) == served


def test_annotations_are_json_a_v1_client_can_read() -> None:
    stored = v2(
        [pods_qps(), cpu(50)],
        status={"desiredReplicas": 1, "currentMetrics": [current_cpu(40)], "conditions": [CONDITION]},
        behavior=BEHAVIOR_V2,
    )
    annotations = hpa_v2_to_v1(stored)["metadata"]["annotations"]
    assert json.loads(annotations[METRICS]) == [
        {"type": "Pods", "pods": {"metricName": "qps", "targetAverageValue": "1k"}}
    ]
    assert json.loads(annotations[CURRENT])[0]["resource"] == {
        "name": "cpu",
        "currentAverageUtilization": 40,
        "currentAverageValue": "0",
    }
    assert json.loads(annotations[BEHAVIOR])["ScaleDown"]["Tolerance"] == "50m"
    assert json.loads(annotations[CONDITIONS]) == [CONDITION]


UPSTREAM_QUIRKS: list[tuple[str, Obj, Obj]] = [
    # Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler appends the cpu target last
    ("cpu first comes back last", v2([cpu(50), pods_qps()]), v2([pods_qps(), cpu(50)])),
    # `Value: &in.TargetValue` / `AverageValue: &in.CurrentAverageValue`: v1 value fields are not pointers
    (
        "an object average value gains value 0",
        v2([object_metric(type="AverageValue", averageValue="2")]),
        v2([object_metric(type="AverageValue", value="0", averageValue="2")]),
    ),
    (
        "a cpu current utilization gains averageValue 0",
        v2([cpu(50)], status={"desiredReplicas": 1, "currentMetrics": [current_cpu(40)]}),
        v2(
            [cpu(50)],
            status={
                "desiredReplicas": 1,
                "currentMetrics": [resource_current("cpu", averageValue="0", averageUtilization=40)],
            },
        ),
    ),
]


@pytest.mark.parametrize(("name", "stored", "after"), UPSTREAM_QUIRKS, ids=[c[0] for c in UPSTREAM_QUIRKS])
def test_round_trip_quirks_kept_from_upstream(name: str, stored: Obj, after: Obj) -> None:
    assert hpa_v1_to_v2(hpa_v2_to_v1(stored)) == after

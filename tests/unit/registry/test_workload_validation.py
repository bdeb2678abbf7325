"""apps/v1 workload validation (Deployment, ReplicaSet, DaemonSet, StatefulSet) with 1.33's exact messages.

Objects are defaulted first, as kube-apiserver validates after decoding; messages follow
pkg/apis/apps/validation and field.Error's `%#v` rendering of 1.33.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from mockapi.api.errors import invalid_object
from mockapi.registry.defaulting import apply_defaults
from mockapi.registry.kindvalidation import gorepr, validate_kind
from mockapi.registry.kindvalidation.apps import (
    STATEFUL_SET_UPDATE_FORBIDDEN,
    validate_daemon_set,
    validate_deployment,
    validate_replica_set,
    validate_stateful_set,
)
from mockapi.resources.catalog import Catalog

Obj = dict[str, Any]
TEMPLATE: Obj = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}
LABELS = 'map[string]string{"app":"web"}'
MISMATCH = f"spec.template.metadata.labels: Invalid value: {LABELS}: `selector` does not match template `labels`"
NONNEG = "must be greater than or equal to 0"
PERCENT = (
    "a valid percent string must be a numeric string followed by an ending '%' "
    "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
)


def make(kind: str, **spec: Any) -> Obj:
    obj: Obj = {
        "apiVersion": "apps/v1",
        "kind": kind,
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": copy.deepcopy(TEMPLATE)},
    }
    for key, value in spec.items():
        if value is None:
            obj["spec"].pop(key, None)
        else:
            obj["spec"][key] = value
    apply_defaults("apps", "v1", kind, obj)
    return obj


def template(**pod: Any) -> Obj:
    t = copy.deepcopy(TEMPLATE)
    t["spec"].update(pod)
    return t


def messages(errs: list[Any]) -> list[str]:
    return [str(e) for e in errs]


# --- gorepr -----------------------------------------------------------------------------------------------


def test_label_selector_renders_like_go() -> None:
    sel = {"matchLabels": {"b": "2", "a": "1"}, "matchExpressions": [{"key": "k", "operator": "In", "values": ["x"]}]}
    assert gorepr.label_selector(sel) == (
        'v1.LabelSelector{MatchLabels:map[string]string{"a":"1", "b":"2"}, MatchExpressions:'
        '[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"k", Operator:"In", Values:[]string{"x"}}}}'
    )
    assert gorepr.label_selector({}) == (
        "v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}"
    )
    assert gorepr.label_selector(None) is None
    assert gorepr.string_map(None) == "map[string]string(nil)"


def test_int_or_string_renders_like_go() -> None:
    assert gorepr.int_or_string(0) == 'intstr.IntOrString{Type:0, IntVal:0, StrVal:""}'
    assert gorepr.int_or_string("25%") == 'intstr.IntOrString{Type:1, IntVal:0, StrVal:"25%"}'


# --- Deployment -------------------------------------------------------------------------------------------

ROLLING = "spec.strategy.rollingUpdate"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({}, []),
        ({"replicas": -1}, [f"spec.replicas: Invalid value: -1: {NONNEG}"]),
        ({"selector": None}, ["spec.selector: Required value", MISMATCH]),
        (
            {"selector": {}},
            [
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
                "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"
            ],
        ),
        ({"selector": {"matchLabels": {"app": "other"}}}, [MISMATCH]),
        (
            {"selector": {"matchExpressions": [{"key": "app", "operator": "Exists", "values": ["x"]}]}},
            [
                "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is "
                "'Exists' or 'DoesNotExist'",
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:"
                '[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Exists", '
                'Values:[]string{"x"}}}}: invalid label selector',
            ],
        ),
        (
            {"template": template(restartPolicy="Never", activeDeadlineSeconds=10)},
            [
                'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
                "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not "
                "Supported",
            ],
        ),
        (
            {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}}},
            [
                f'{ROLLING}.maxUnavailable: Invalid value: intstr.IntOrString{{Type:0, IntVal:0, StrVal:""}}: '
                "may not be 0 when `maxSurge` is 0"
            ],
        ),
        (
            {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "5", "maxUnavailable": "110%"}}},
            [
                f'{ROLLING}.maxSurge: Invalid value: intstr.IntOrString{{Type:1, IntVal:0, StrVal:"5"}}: {PERCENT}',
                f'{ROLLING}.maxUnavailable: Invalid value: intstr.IntOrString{{Type:1, IntVal:0, StrVal:"110%"}}: '
                "must not be greater than 100%",
            ],
        ),
        (
            {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": -1, "maxUnavailable": 1}}},
            [f"{ROLLING}.maxSurge: Invalid value: -1: {NONNEG}"],
        ),
        (
            {"strategy": {"type": "Recreate", "rollingUpdate": {}}},
            ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
        ),
        (
            {"strategy": {"type": "BlueGreen"}},
            [
                'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", '
                'RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"'
            ],
        ),
        ({"minReadySeconds": -5, "progressDeadlineSeconds": 3}, [f"spec.minReadySeconds: Invalid value: -5: {NONNEG}"]),
        ({"revisionHistoryLimit": -1}, [f"spec.revisionHistoryLimit: Invalid value: -1: {NONNEG}"]),
        (
            {"minReadySeconds": 600},
            ["spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"],
        ),
        (
            {"progressDeadlineSeconds": -1},
            [
                f"spec.progressDeadlineSeconds: Invalid value: -1: {NONNEG}",
                "spec.progressDeadlineSeconds: Invalid value: -1: must be greater than minReadySeconds",
            ],
        ),
    ],
)  # fmt: skip
def test_deployment_create(spec: Obj, expected: list[str]) -> None:
    assert messages(validate_deployment(make("Deployment", **spec), None)) == expected


def test_deployment_selector_is_immutable() -> None:
    old = make("Deployment")
    new = make("Deployment", selector={"matchLabels": {"app": "web", "tier": "fe"}})
    new["spec"]["template"]["metadata"]["labels"]["tier"] = "fe"
    assert messages(validate_deployment(new, old)) == [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "tier":"fe"}, '
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"
    ]
    scaled = make("Deployment", replicas=5)
    assert validate_deployment(scaled, old) == []


# --- ReplicaSet -------------------------------------------------------------------------------------------


def test_replica_set_messages() -> None:
    assert validate_replica_set(make("ReplicaSet"), None) == []
    empty = make("ReplicaSet", selector={})
    # upstream's ReplicaSet validation reuses the Deployment wording
    assert messages(validate_replica_set(empty, None))[-1].endswith("empty selector is invalid for deployment")
    bad = make("ReplicaSet", replicas=-1, minReadySeconds=-1)
    assert messages(validate_replica_set(bad, None)) == [
        f"spec.replicas: Invalid value: -1: {NONNEG}",
        f"spec.minReadySeconds: Invalid value: -1: {NONNEG}",
    ]


def test_replica_set_update_repeats_spec_errors_and_freezes_selector() -> None:
    old = make("ReplicaSet")
    new = make("ReplicaSet", replicas=-1, selector={"matchLabels": {"app": "web", "x": "y"}})
    new["spec"]["template"]["metadata"]["labels"]["x"] = "y"
    errs = messages(validate_replica_set(new, old))
    assert errs[0] == errs[1] == f"spec.replicas: Invalid value: -1: {NONNEG}"
    assert errs[2].endswith(": field is immutable")


# --- DaemonSet --------------------------------------------------------------------------------------------

DS_ROLLING = "spec.updateStrategy.rollingUpdate"


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({}, []),
        ({"selector": None}, [MISMATCH]),
        (
            {"selector": {}},
            [
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
                "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset"
            ],
        ),
        (
            {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 1}}},
            [
                f'{DS_ROLLING}.maxSurge: Invalid value: intstr.IntOrString{{Type:0, IntVal:1, StrVal:""}}: '
                "may not be set when maxUnavailable is non-zero"
            ],
        ),
        (
            {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": "0%"}}},
            [f"{DS_ROLLING}.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"],
        ),
        (
            {"updateStrategy": {"type": "Sometimes"}},
            [
                'spec.updateStrategy: Unsupported value: apps.DaemonSetUpdateStrategy{Type:"Sometimes", '
                'RollingUpdate:(*apps.RollingUpdateDaemonSet)(nil)}: supported values: "RollingUpdate", "OnDelete"'
            ],
        ),
        (
            {"template": template(restartPolicy="OnFailure")},
            ['spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"'],
        ),
        ({"minReadySeconds": -1}, [f"spec.minReadySeconds: Invalid value: -1: {NONNEG}"]),
    ],
)  # fmt: skip
def test_daemon_set_create(spec: Obj, expected: list[str]) -> None:
    assert messages(validate_daemon_set(make("DaemonSet", **spec), None)) == expected


# --- StatefulSet ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({}, []),
        (
            {"podManagementPolicy": "Sometimes"},
            ["spec.podManagementPolicy: Invalid value: \"Sometimes\": must be 'OrderedReady' or 'Parallel'"],
        ),
        (
            {"updateStrategy": {"type": "OnDelete", "rollingUpdate": {"partition": 2}}},
            [
                "spec.updateStrategy.rollingUpdate: Invalid value: apps.RollingUpdateStatefulSetStrategy{Partition:2, "
                "MaxUnavailable:(*intstr.IntOrString)(nil)}: only allowed for updateStrategy 'RollingUpdate'"
            ],
        ),
        (
            {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": -1}}},
            [f"spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: {NONNEG}"],
        ),
        (
            {"updateStrategy": {"type": "Blue"}},
            [
                'spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:"Blue", '
                "RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be 'RollingUpdate' or 'OnDelete'"
            ],
        ),
        (
            {"persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Keep", "whenScaled": "Delete"}},
            [
                'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": '
                'supported values: "Retain", "Delete"'
            ],
        ),
        ({"ordinals": {"start": -1}}, [f"spec.ordinals.start: Invalid value: -1: {NONNEG}"]),
        (
            {"serviceName": "web.svc"},
            ['spec.serviceName: Invalid value: "web.svc": must not contain dots'],
        ),
        ({"selector": None}, ["spec.selector: Required value", MISMATCH]),
        (
            {"selector": {"matchExpressions": [{"key": "app", "operator": "In"}]}},
            [
                "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is "
                "'In' or 'NotIn'",
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:"
                '[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"In", '
                "Values:[]string(nil)}}}",
            ],
        ),
        (
            {"template": template(restartPolicy="Never", activeDeadlineSeconds=1)},
            [
                'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
                "spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not "
                "Supported",
            ],
        ),
        # 1.33 validates only the template's labels and annotations, not its pod spec
        ({"template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": []}}}, []),
    ],
)  # fmt: skip
def test_stateful_set_create(spec: Obj, expected: list[str]) -> None:
    assert messages(validate_stateful_set(make("StatefulSet", **spec), None)) == expected


def test_stateful_set_update_rule() -> None:
    old = make("StatefulSet", serviceName="web")
    mutable = make(
        "StatefulSet",
        serviceName="web",
        replicas=5,
        minReadySeconds=3,
        ordinals={"start": 2},
        updateStrategy={"type": "OnDelete"},
        template=template(terminationGracePeriodSeconds=5),
        persistentVolumeClaimRetentionPolicy={"whenDeleted": "Delete", "whenScaled": "Delete"},
    )
    assert validate_stateful_set(mutable, old) == []
    for change in ({"serviceName": "other"}, {"podManagementPolicy": "Parallel"}, {"revisionHistoryLimit": 3}):
        new = make("StatefulSet", **{"serviceName": "web", **change})
        assert messages(validate_stateful_set(new, old)) == [f"spec: Forbidden: {STATEFUL_SET_UPDATE_FORBIDDEN}"]
    assert STATEFUL_SET_UPDATE_FORBIDDEN == (
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', "
        "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
    )


def test_stateful_set_stored_service_name_is_not_rechecked() -> None:
    old = make("StatefulSet", serviceName="Legacy_Name")
    assert validate_stateful_set(make("StatefulSet", serviceName="Legacy_Name", replicas=3), old) == []


# --- through the registry ---------------------------------------------------------------------------------


def test_validate_kind_and_the_aggregated_message() -> None:
    catalog = Catalog.load()
    rt = catalog.get("apps", "v1", "deployments")
    assert rt is not None
    obj = make("Deployment", replicas=-1, selector=None)
    errs = validate_kind(rt, obj)
    err = invalid_object(rt.kind, rt.group, "web", errs)
    assert err.code == 422
    assert err.message == (
        'Deployment.apps "web" is invalid: [spec.replicas: Invalid value: -1: must be greater than or equal to 0, '
        f"spec.selector: Required value, {MISMATCH}]"
    )
    sts = catalog.get("apps", "v1", "statefulsets")
    assert sts is not None
    old = make("StatefulSet")
    assert messages(validate_kind(sts, make("StatefulSet", serviceName="x"), old)) == [
        f"spec: Forbidden: {STATEFUL_SET_UPDATE_FORBIDDEN}"
    ]

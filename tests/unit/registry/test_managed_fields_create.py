"""A create's managed fields: the fast path (`track_create`, built from the new object) gives exactly
what the diff against the kind's empty object (`track_by_diff` with no live object) gives, byte for
byte, for a table of objects (odd ones included) and for generated ones."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockapi.api import objects
from mockapi.api.jsonio import go_json
from mockapi.registry.managedfields import entries, manager
from mockapi.registry.managedfields.fieldpath import Path, PathElement, Set
from mockapi.registry.managedfields.manager import KindContext, kind_context, track_by_diff, track_create

NOW = "2025-05-01T10:00:00Z"

CM = kind_context("", "v1", "ConfigMap", has_status=False)
DEPLOY = kind_context("apps", "v1", "Deployment", has_status=True)
POD = kind_context("", "v1", "Pod", has_status=True)
SERVICE = kind_context("", "v1", "Service", has_status=True)
WIDGET = kind_context("example.com", "v1", "Widget", has_status=False)  # no schema, no Go type


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(manager, "now_rfc3339", lambda: NOW)


def _meta(name: str = "x", **extra: Any) -> dict[str, Any]:
    return {"name": name, "namespace": "default", **extra}


def _both(ctx: KindContext, obj: dict[str, Any], field_manager: str = "kubectl-create") -> tuple[bytes, bytes]:
    fast, diff = copy.deepcopy(obj), copy.deepcopy(obj)
    track_create(ctx, fast, field_manager)
    track_by_diff(ctx, None, diff, field_manager)
    return go_json(fast), go_json(diff)


CONTAINER = {
    "name": "app",
    "image": "nginx:1.27",
    "args": ["--port", "80"],
    "ports": [{"containerPort": 80}, {"containerPort": 443, "protocol": "TCP", "name": "https"}],
    "env": [{"name": "A", "value": "1"}, {"name": "B", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}],
    "resources": {"limits": {"cpu": "1", "memory": "1Gi"}, "requests": {"cpu": 0.5}},
    "livenessProbe": {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 10},
}

CASES: list[tuple[str, KindContext, dict[str, Any]]] = [
    ("configmap", CM, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta(), "data": {"key": "value"}}),
    ("configmap, name only", CM, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta()}),
    ("configmap, empty data", CM, {"kind": "ConfigMap", "metadata": _meta(), "data": {}, "binaryData": None}),
    (
        "configmap, labels and annotations",
        CM,
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": _meta(labels={"a": "b"}, annotations={"n": "<&>"}, finalizers=["x/y", "x/y"]),
            "data": {"k1": "v", "k2": ""},
            "binaryData": {"b": "aGk="},
            "immutable": True,
        },
    ),
    (
        "configmap, system fields set",
        CM,
        {
            "kind": "ConfigMap",
            "metadata": _meta(uid="u", resourceVersion="5", creationTimestamp="2020-01-01T00:00:00Z", generation=3),
        },
    ),
    ("configmap, unknown fields", CM, {"kind": "ConfigMap", "metadata": _meta(), "extra": {"a": [1, {"b": None}]}}),
    ("configmap, wrong types", CM, {"kind": "ConfigMap", "metadata": _meta(labels=["a"]), "data": "text"}),
    ("configmap, null metadata", CM, {"kind": "ConfigMap", "metadata": None, "data": {"a": "b"}}),
    (
        "deployment",
        DEPLOY,
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": _meta(labels={"app": "web"}),
            "spec": {
                "replicas": 3,
                "selector": {"matchLabels": {"app": "web"}},
                "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {
                        "containers": [CONTAINER, {"name": "side", "image": "busybox"}],
                        "volumes": [{"name": "v", "emptyDir": {}}],
                        "tolerations": [{"key": "k", "operator": "Exists"}],
                    },
                },
            },
            "status": {"replicas": 7, "conditions": [{"type": "Available", "status": "True"}]},
        },
    ),
    ("deployment, empty spec", DEPLOY, {"kind": "Deployment", "metadata": _meta(), "spec": {}}),
    ("deployment, spec null", DEPLOY, {"kind": "Deployment", "metadata": _meta(), "spec": None}),
    ("deployment, spec a list", DEPLOY, {"kind": "Deployment", "metadata": _meta(), "spec": [1, 2]}),
    (
        "deployment, zero values",
        DEPLOY,
        {"kind": "Deployment", "metadata": _meta(), "spec": {"replicas": 0, "paused": False, "strategy": {}}},
    ),
    (
        "pod, odd list items",
        POD,
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": _meta(ownerReferences=[{"uid": "1", "name": "o", "kind": "K", "apiVersion": "v1"}]),
            "spec": {
                "containers": [
                    {"name": "a", "image": "i", "ports": [{"containerPort": 80}, {"containerPort": 80}]},
                    {"name": "a", "image": "duplicate"},
                    {"image": "no name"},
                    None,
                    "not a map",
                ],
                "nodeSelector": {"disk": "ssd"},
                "dnsConfig": {"nameservers": ["1.1.1.1", "1.1.1.1"], "options": [{"name": "ndots", "value": "2"}]},
                "activeDeadlineSeconds": 1.0,
                "priority": None,
            },
            "status": {"phase": "Running"},
        },
    ),
    (
        "service",
        SERVICE,
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": _meta(),
            "spec": {
                "ports": [{"port": 80, "targetPort": "http"}, {"port": 53, "protocol": "UDP"}],
                "selector": {"app": "web"},
                "clusterIP": "None",
                "ipFamilies": ["IPv4"],
            },
        },
    ),
    (
        "kind without schema",
        WIDGET,
        {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": _meta(), "spec": {"a": [{"b": 1}], "c": None}},
    ),
]


@pytest.mark.parametrize(("ctx", "obj"), [pytest.param(c, o, id=name) for name, c, o in CASES])
def test_fast_create_path_equals_the_diff(ctx: KindContext, obj: dict[str, Any]) -> None:
    fast, diff = _both(ctx, obj)
    assert fast == diff


def test_no_manager_name_is_unknown_as_in_the_diff() -> None:
    obj = {"kind": "ConfigMap", "metadata": _meta(), "data": {"a": "b"}}
    fast, diff = _both(CM, obj, field_manager="")
    assert fast == diff
    assert b'"manager":"unknown"' in fast


_SCALARS = st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from([0.0, 1.5, "", "x", "80", "TCP"])
_KEYS = st.sampled_from(
    ["name", "image", "ports", "containerPort", "protocol", "containers", "env", "value", "labels", "data", "zz"]
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(spec=st.dictionaries(_KEYS, _VALUES, max_size=4), data=_VALUES, labels=_VALUES)
def test_fast_create_path_equals_the_diff_on_generated_objects(spec: Any, data: Any, labels: Any) -> None:
    for ctx, kind in ((POD, "Pod"), (DEPLOY, "Deployment"), (CM, "ConfigMap")):
        obj = {"kind": kind, "metadata": _meta(labels=labels), "spec": spec, "data": data}
        fast, diff = _both(ctx, obj)
        assert fast == diff


def test_the_entries_clock_reads_as_the_objects_clock() -> None:
    """`entries.now_rfc3339` formats once a second what `objects.now_rfc3339` formats every time."""
    for _attempt in range(5):  # a second may turn between the readings
        before = objects.now_rfc3339()
        ours = entries.now_rfc3339()
        after = objects.now_rfc3339()
        if before == after:
            assert ours == before
            return
    raise AssertionError("the second turned at every attempt")


def _emit_the_old_way(s: Set, include_self: bool = False) -> dict[str, Any]:
    """fieldsV1 as emitted before `Set._emit` stopped asking each child whether it is empty."""
    out: dict[str, Any] = {}
    children = {pe: c for pe, c in s.children.items() if not c.empty()}
    if include_self and (s.members or children):
        out["."] = {}
    for pe in sorted(s.members | set(children)):
        child = children.get(pe)
        out[pe.token] = {} if child is None else _emit_the_old_way(child, pe in s.members)
    return out


_ELEMENTS = st.sampled_from(
    [
        PathElement.field("a"),
        PathElement.field("b"),
        PathElement.keyed({"name": "x"}),
        PathElement.of_value(2),
        PathElement.of_value("v"),
        PathElement.of_index(0),
    ]
)


@settings(max_examples=200, deadline=None)
@given(paths=st.lists(st.lists(_ELEMENTS, min_size=1, max_size=4).map(tuple), max_size=8), hollow=_ELEMENTS)
def test_fields_v1_as_before(paths: list[Path], hollow: PathElement) -> None:
    s = Set.of(*paths)
    s.children.setdefault(hollow, Set()).children[hollow] = Set()  # empty nodes are left out
    assert go_json(s.to_fields()) == go_json(_emit_the_old_way(s))

"""DefaultTolerationSeconds: the not-ready and unreachable NoExecute tolerations, unless already tolerated."""

from __future__ import annotations

from typing import Any

import pytest
from admission_support import FakeReader, attrs, pod

from mockapi.admission.plugins.default_toleration_seconds import DefaultTolerationSeconds
from mockapi.api.types import GroupVersionResource, Obj, Operation

NOT_READY = {
    "key": "node.kubernetes.io/not-ready",
    "operator": "Exists",
    "effect": "NoExecute",
    "tolerationSeconds": 300,
}
UNREACHABLE = {
    "key": "node.kubernetes.io/unreachable",
    "operator": "Exists",
    "effect": "NoExecute",
    "tolerationSeconds": 300,
}
GPU = {"key": "gpu", "operator": "Equal", "value": "true", "effect": "NoSchedule"}


def tol(**fields: Any) -> Obj:
    return {"operator": "Exists", **fields}


CASES: list[tuple[str, list[Obj] | None, list[Obj]]] = [
    ("none", None, [NOT_READY, UNREACHABLE]),
    ("empty", [], [NOT_READY, UNREACHABLE]),
    ("others-kept-first", [GPU], [GPU, NOT_READY, UNREACHABLE]),
    (
        "not-ready-given",
        [tol(key="node.kubernetes.io/not-ready", effect="NoExecute", tolerationSeconds=60)],
        [tol(key="node.kubernetes.io/not-ready", effect="NoExecute", tolerationSeconds=60), UNREACHABLE],
    ),
    (
        "unreachable-any-effect",
        [tol(key="node.kubernetes.io/unreachable")],
        [tol(key="node.kubernetes.io/unreachable"), NOT_READY],
    ),
    ("wildcard-key-no-execute", [tol(effect="NoExecute")], [tol(effect="NoExecute")]),
    ("tolerate-everything", [tol()], [tol()]),
    (
        "no-schedule-does-not-count",
        [tol(key="node.kubernetes.io/not-ready", effect="NoSchedule")],
        [tol(key="node.kubernetes.io/not-ready", effect="NoSchedule"), NOT_READY, UNREACHABLE],
    ),
]


@pytest.mark.parametrize(("given", "want"), [(g, w) for _, g, w in CASES], ids=[c[0] for c in CASES])
@pytest.mark.parametrize("operation", [Operation.CREATE, Operation.UPDATE])
async def test_tolerations(operation: Operation, given: list[Obj] | None, want: list[Obj]) -> None:
    spec: Obj = {"containers": [{"name": "app", "image": "nginx"}]}
    if given is not None:
        spec["tolerations"] = [dict(t) for t in given]
    obj = pod(spec=spec)
    await DefaultTolerationSeconds(FakeReader()).admit(attrs(obj, operation=operation, old=pod()))
    assert obj["spec"]["tolerations"] == want


async def test_added_tolerations_are_fresh_objects() -> None:
    first, second = pod(), pod()
    plugin = DefaultTolerationSeconds(FakeReader())
    await plugin.admit(attrs(first))
    await plugin.admit(attrs(second))
    first["spec"]["tolerations"][0]["tolerationSeconds"] = 1
    assert second["spec"]["tolerations"][0]["tolerationSeconds"] == 300


@pytest.mark.parametrize(
    ("resource", "subresource"),
    [(GroupVersionResource("", "v1", "pods"), "status"), (GroupVersionResource("apps", "v1", "deployments"), "")],
)
async def test_ignores_subresources_and_other_resources(resource: GroupVersionResource, subresource: str) -> None:
    obj = pod()
    await DefaultTolerationSeconds(FakeReader()).admit(attrs(obj, resource=resource, subresource=subresource))
    assert "tolerations" not in obj["spec"]
    plugin = DefaultTolerationSeconds(FakeReader())
    assert plugin.handles(Operation.CREATE) and plugin.handles(Operation.UPDATE)
    assert not plugin.handles(Operation.DELETE) and not plugin.handles(Operation.CONNECT)

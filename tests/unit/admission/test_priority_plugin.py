"""Priority admission: pod priority from PriorityClasses, and PriorityClass create/update rules."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import pytest
from admission_support import PRIORITY_CLASSES, FakeReader, attrs, pod

from mockapi.admission.plugins.priority import Priority
from mockapi.api.errors import ApiError
from mockapi.api.types import Obj, Operation
from mockapi.resources.priority_classes import SYSTEM_PRIORITY_CLASSES


def pc(name: str, value: int, **fields: Any) -> Obj:
    return {
        "apiVersion": "scheduling.k8s.io/v1",
        "kind": "PriorityClass",
        "metadata": {"name": name},
        "value": value,
        "preemptionPolicy": "PreemptLowerPriority",
        **fields,
    }


SYSTEM = [pc(**{"name": c["metadata"]["name"], "value": c["value"]}) for c in SYSTEM_PRIORITY_CLASSES]


def plugin(*classes: Obj) -> Priority:
    return Priority(FakeReader(*((PRIORITY_CLASSES, "", c) for c in classes)))


def spec(**fields: Any) -> Obj:
    return {"containers": [{"name": "app", "image": "nginx"}], **fields}


@dataclass
class Case:
    id: str
    classes: list[Obj]
    spec: Obj
    want: Obj | None = None
    message: str = ""


POD_CASES = [
    Case("no-class-no-default", SYSTEM, spec(), spec(priority=0, preemptionPolicy="PreemptLowerPriority")),
    Case(
        "named-class",
        [*SYSTEM, pc("high", 1000, preemptionPolicy="Never")],
        spec(priorityClassName="high"),
        spec(priorityClassName="high", priority=1000, preemptionPolicy="Never"),
    ),
    Case(
        "system-class-in-any-namespace",
        SYSTEM,
        spec(priorityClassName="system-node-critical"),
        spec(priorityClassName="system-node-critical", priority=2000001000, preemptionPolicy="PreemptLowerPriority"),
    ),
    Case(
        "global-default-names-the-class",
        [pc("low", -5, globalDefault=True, preemptionPolicy="Never"), pc("other", 7)],
        spec(),
        spec(priorityClassName="low", priority=-5, preemptionPolicy="Never"),
    ),
    Case(
        "lowest-of-several-defaults",
        [pc("b-high", 100, globalDefault=True), pc("a-low", 10, globalDefault=True)],
        spec(),
        spec(priorityClassName="a-low", priority=10, preemptionPolicy="PreemptLowerPriority"),
    ),
    Case(
        "matching-client-values-accepted",
        [pc("high", 1000)],
        spec(priorityClassName="high", priority=1000, preemptionPolicy="PreemptLowerPriority"),
        spec(priorityClassName="high", priority=1000, preemptionPolicy="PreemptLowerPriority"),
    ),
    Case(
        "class-without-policy-leaves-the-pod-alone",
        [{"metadata": {"name": "bare"}, "value": 3}],
        spec(priorityClassName="bare"),
        spec(priorityClassName="bare", priority=3),
    ),
    Case(
        "missing-class",
        SYSTEM,
        spec(priorityClassName="gold"),
        message='pods "web" is forbidden: no PriorityClass with name gold was found',
    ),
    Case(
        "client-priority-differs",
        SYSTEM,
        spec(priority=10),
        message='pods "web" is forbidden: the integer value of priority (10) must not be provided in pod spec; '
        "priority admission controller computed 0 from the given PriorityClass name",
    ),
    Case(
        "client-policy-differs",
        [pc("high", 1000)],
        spec(priorityClassName="high", preemptionPolicy="Never"),
        message='pods "web" is forbidden: the string value of PreemptionPolicy (Never) must not be provided in pod '
        "spec; priority admission controller computed PreemptLowerPriority from the given PriorityClass name",
    ),
]


@pytest.mark.parametrize("case", POD_CASES, ids=lambda c: c.id)
async def test_pod_create(case: Case) -> None:
    obj = pod(spec=copy.deepcopy(case.spec))
    p = plugin(*case.classes)
    if case.message:
        with pytest.raises(ApiError) as info:
            await p.admit(attrs(obj))
        assert (info.value.code, info.value.reason, info.value.message) == (403, "Forbidden", case.message)
        assert info.value.details == {"name": "web", "kind": "pods"}
        return
    await p.admit(attrs(obj))
    assert obj["spec"] == case.want


async def test_pod_generate_name_shows_the_prefix() -> None:
    obj = pod("", generateName="web-", spec=spec(priorityClassName="gold"))
    with pytest.raises(ApiError) as info:
        await plugin().admit(attrs(obj))
    assert info.value.message == 'pods "web-" is forbidden: no PriorityClass with name gold was found'


async def test_pod_update_keeps_stored_priority() -> None:
    old = pod(spec=spec(priority=1000, preemptionPolicy="Never", priorityClassName="high"))
    new = pod(spec=spec(priorityClassName="high"))
    await plugin().admit(attrs(new, operation=Operation.UPDATE, old=old))
    assert new["spec"] == spec(priorityClassName="high", priority=1000, preemptionPolicy="Never")


@pytest.mark.parametrize(("operation", "subresource"), [(Operation.CREATE, "binding"), (Operation.DELETE, "")])
async def test_pod_requests_left_alone(operation: Operation, subresource: str) -> None:
    obj = pod()
    await plugin().admit(attrs(obj, operation=operation, subresource=subresource))
    assert obj["spec"] == spec()


PC_CASES = [
    Case("first-default", [pc("a", 1)], pc("b", 2, globalDefault=True)),
    Case("system-class-bootstrap", [], SYSTEM[0]),
    Case(
        "second-default",
        [pc("a", 1, globalDefault=True)],
        pc("b", 2, globalDefault=True),
        message='priorityclasses.scheduling.k8s.io "b" is forbidden: PriorityClass a is already marked as default. '
        "Only one default can exist",
    ),
]


@pytest.mark.parametrize("case", PC_CASES, ids=lambda c: c.id)
async def test_priority_class_create(case: Case) -> None:
    a = attrs(copy.deepcopy(case.spec), resource=PRIORITY_CLASSES)
    p = plugin(*case.classes)
    await p.admit(a)
    if not case.message:
        await p.validate(a)
        return
    with pytest.raises(ApiError) as info:
        await p.validate(a)
    assert info.value.message == case.message
    if info.value.code == 422:
        name = case.spec["metadata"]["name"]
        assert info.value.reason == "Invalid"
        assert info.value.details is not None and info.value.details["name"] == name
    else:
        assert (info.value.code, info.value.reason) == (403, "Forbidden")


@pytest.mark.parametrize(
    ("stored", "new", "message"),
    [
        (pc("a", 1, globalDefault=True), pc("a", 1, globalDefault=True, description="x"), ""),
        (pc("b", 1), pc("b", 1, globalDefault=True),
         'priorityclasses.scheduling.k8s.io "b" is forbidden: PriorityClass a is already marked as default. '
         "Only one default can exist"),
    ],
)  # fmt: skip
async def test_priority_class_update(stored: Obj, new: Obj, message: str) -> None:
    classes = [pc("a", 1, globalDefault=True), stored] if stored["metadata"]["name"] != "a" else [stored]
    a = attrs(new, resource=PRIORITY_CLASSES, operation=Operation.UPDATE, old=stored)
    if not message:
        await plugin(*classes).validate(a)
        return
    with pytest.raises(ApiError) as info:
        await plugin(*classes).validate(a)
    assert info.value.message == message


def test_system_priority_classes_are_upstreams() -> None:
    assert SYSTEM_PRIORITY_CLASSES == (
        {
            "metadata": {"name": "system-node-critical"},
            "value": 2000001000,
            "description": "Used for system critical pods that must not be moved from their current node.",
        },
        {
            "metadata": {"name": "system-cluster-critical"},
            "value": 2000000000,
            "description": "Used for system critical pods that must run in the cluster, but can be moved to another "
            "node if necessary.",
        },
    )
    p = plugin()
    assert all(p.handles(op) for op in (Operation.CREATE, Operation.UPDATE, Operation.DELETE))

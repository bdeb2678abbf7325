"""The chain's trail: every plugin that handles the operation records what it did: the JSON patch of a
mutation, an admission, or the rejection, in order."""

from __future__ import annotations

import pytest
from admission_support import attrs, pod

from mockapi.admission.chain import AdmissionChain
from mockapi.api import errors
from mockapi.api.admission import AdmissionAttributes
from mockapi.api.types import Operation, StageRecord


class Labeller:
    name = "Labeller"

    def handles(self, operation: Operation) -> bool:
        return operation is Operation.CREATE

    async def admit(self, a: AdmissionAttributes) -> None:
        assert a.object is not None
        a.object["metadata"].setdefault("labels", {})["team"] = "blue"


class Quiet:
    name = "Quiet"

    def handles(self, operation: Operation) -> bool:
        return True

    async def admit(self, a: AdmissionAttributes) -> None:
        return None

    async def validate(self, a: AdmissionAttributes) -> None:
        return None


class Refuser:
    name = "Refuser"

    def handles(self, operation: Operation) -> bool:
        return True

    async def validate(self, a: AdmissionAttributes) -> None:
        raise errors.forbidden("", "pods", "web", "no pods today")


async def test_each_plugin_that_acted_is_on_the_trail() -> None:
    trail: list[StageRecord] = []
    chain = AdmissionChain([Labeller(), Quiet()])
    a = attrs(pod())
    await chain.admit(a, trail.append)
    await chain.validate(a, trail.append)
    assert [(r.by, r.outcome, r.reason) for r in trail] == [
        ("Labeller", "ok", 'mutated: [{"op":"add","path":"/metadata/labels","value":{"team":"blue"}}]'),
        ("Quiet", "ok", "mutating: admitted"),
        ("Quiet", "ok", "validating: admitted"),
    ]


async def test_a_rejection_is_recorded_and_stops_the_chain() -> None:
    trail: list[StageRecord] = []
    chain = AdmissionChain([Refuser(), Quiet()])
    with pytest.raises(errors.ApiError):
        await chain.validate(attrs(pod()), trail.append)
    assert [(r.by, r.outcome) for r in trail] == [("Refuser", "deny")]
    assert trail[0].reason.startswith("validating: ")


async def test_plugins_that_do_not_handle_the_operation_leave_no_record() -> None:
    trail: list[StageRecord] = []
    await AdmissionChain([Labeller()]).admit(attrs(None, operation=Operation.DELETE, old=pod()), trail.append)
    assert trail == []


async def test_a_large_objects_mutation_is_recorded_by_size_not_diffed() -> None:
    trail: list[StageRecord] = []
    big = pod(spec={"containers": [{"name": f"c{i}", "image": "nginx"} for i in range(5000)]})
    await AdmissionChain([Labeller()]).admit(attrs(big), trail.append)
    (entry,) = trail
    assert entry.reason.startswith("mutated: object of ") and "no patch recorded for large objects" in entry.reason

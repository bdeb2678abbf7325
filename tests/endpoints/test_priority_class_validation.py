"""PriorityClass strategy validation through the server (pkg/apis/scheduling/validation)."""

from __future__ import annotations

from typing import Any

import pytest

from mockapi.testing.client import ApiClient
from mockapi.testing.server import ServerThread

PCS = "/apis/scheduling.k8s.io/v1/priorityclasses"


def pc(name: str, value: int, **extra: Any) -> dict[str, Any]:
    return {
        "apiVersion": "scheduling.k8s.io/v1",
        "kind": "PriorityClass",
        "metadata": {"name": name},
        "value": value,
        **extra,
    }


RESERVED = "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(
            pc("system-mine", 10),
            f'PriorityClass.scheduling.k8s.io "system-mine" is invalid: {RESERVED} '
            "error: system-mine is not a known system priority class",
            id="reserved-prefix",
        ),
        pytest.param(
            pc("system-node-critical", 10),
            f'PriorityClass.scheduling.k8s.io "system-node-critical" is invalid: {RESERVED} '
            "error: value of system-node-critical PriorityClass must be 2000001000",
            id="system-class-with-wrong-value",
        ),
        pytest.param(
            pc("system-cluster-critical", 2000000000, globalDefault=True),
            f'PriorityClass.scheduling.k8s.io "system-cluster-critical" is invalid: {RESERVED} '
            "error: globalDefault of system-cluster-critical PriorityClass must be false",
            id="system-class-as-default",
        ),
        pytest.param(
            pc("huge", 1000000001),
            'PriorityClass.scheduling.k8s.io "huge" is invalid: value: Forbidden: '
            "maximum allowed value of a user defined priority is 1000000000",
            id="above-user-maximum",
        ),
    ],
)
def test_create_is_validated(mockapi: ServerThread, body: dict[str, Any], message: str) -> None:
    reply = ApiClient(mockapi).post(PCS, body)
    assert reply.status == 422
    assert reply.json()["message"] == message
    event = next(e for e in mockapi.audit_events() if e["auditID"] == reply.headers["Audit-Id"])
    assert event["annotations"]["mockapi.dev/rejected-stage"] == "validation"


def test_value_is_immutable(mockapi: ServerThread) -> None:
    c = ApiClient(mockapi)
    assert c.post(PCS, pc("b", 1)).status == 201
    reply = c.patch(f"{PCS}/b", {"value": 2})
    assert reply.status == 422
    assert reply.json()["message"] == (
        'PriorityClass.scheduling.k8s.io "b" is invalid: value: Forbidden: may not be changed in an update.'
    )

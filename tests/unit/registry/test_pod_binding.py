"""pods/binding and `bindings` (mockapi.registry.reviews.binding) against kube-apiserver 1.33.

Upstream: pkg/registry/core/pod/storage/storage{,_test}.go (BindingREST, assignPod,
setPodHostAndAnnotations), pkg/apis/core/validation ValidatePodBinding, pkg/api/pod UpdatePodCondition,
k8s.io/apiserver storage.Preconditions.Check and storage/errors InterpretUpdateError."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from mockapi.api.errors import ApiError
from mockapi.registry.reviews.binding import bind_pod, binding_error, binding_success, pod_key_error

NOW = datetime(2025, 5, 1, 12, 0, 0, tzinfo=UTC)
STAMP = "2025-05-01T12:00:00Z"


def _binding(name: str = "foo", target: dict[str, Any] | None = None, **meta: Any) -> dict[str, Any]:
    return {"metadata": {"name": name, "namespace": "default", **meta}, "target": target or {"name": "machine"}}


def _pod(**extra: Any) -> dict[str, Any]:
    pod: dict[str, Any] = {
        "metadata": {"name": "foo", "namespace": "default", "uid": "pod-uid", "resourceVersion": "7"},
        "spec": {"containers": [{"name": "c", "image": "i"}]},
    }
    for key, value in extra.items():
        section, _, field = key.partition("__")
        pod.setdefault(section, {})[field] = value
    return pod


# (upstream behaviour, binding, URL name, code, reason, message)
REJECTED: list[tuple[str, dict[str, Any], str, int, str, str]] = [
    (
        "BindingREST.Create: the URL names another pod",
        _binding("bar"),
        "foo",
        400,
        "BadRequest",
        "name in URL does not match name in Binding object",
    ),
    (
        "ValidatePodBinding via errs.ToAggregate(): not an API status, so 500 with no reason",
        _binding(target={"kind": "Pod", "name": "machine"}),
        "foo",
        500,
        "",
        'target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"',
    ),
    (
        "ValidatePodBinding: target.name required",
        _binding(target={"kind": "Node"}),
        "foo",
        500,
        "",
        "target.name: Required value",
    ),
    (
        "ValidatePodBinding: both errors aggregated",
        _binding(target={"kind": "Service"}),
        "foo",
        500,
        "",
        '[target.kind: Unsupported value: "Service": supported values: "Node", "<empty>", target.name: Required value]',
    ),
]


@pytest.mark.parametrize(
    ("why", "binding", "url_name", "code", "reason", "message"), REJECTED, ids=[r[0] for r in REJECTED]
)
def test_binding_errors(why: str, binding: dict[str, Any], url_name: str, code: int, reason: str, message: str) -> None:
    err = binding_error(binding, url_name)
    assert err is not None
    status = err.status()
    assert (status["code"], status.get("reason", ""), status["message"]) == (code, reason, message)
    assert "details" not in status


@pytest.mark.parametrize("target", [{"name": "machine"}, {"kind": "Node", "name": "machine"}])
def test_valid_bindings(target: dict[str, Any]) -> None:
    assert binding_error(_binding(target=target), "foo") is None


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Name parameter required."),
        ("..", "Name parameter invalid: \"..\": may not be '..'"),
        ("a/b%c", "Name parameter invalid: \"a/b%c\": may not contain '/';may not contain '%'"),
    ],
)
def test_pod_key_errors(name: str, message: str) -> None:
    # registry.NamespaceKeyFunc, reached by LegacyBindingREST with the Binding's own (possibly empty) name
    err = pod_key_error(name)
    assert err is not None and (err.code, err.reason, err.message) == (400, "BadRequest", message)
    assert pod_key_error("foo") is None


PRECONDITION = 'Operation cannot be fulfilled on pods "foo": StorageError: invalid object, Code: 4, Key: /registry/pods/default/foo, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: '  # noqa: E501
# (upstream behaviour, pod, binding, kind in details, message)
CONFLICTS: list[tuple[str, dict[str, Any], dict[str, Any], str, str]] = [
    (
        "uid precondition (storage error, InterpretUpdateError -> Conflict on pods)",
        _pod(),
        _binding(uid="other-uid"),
        "pods",
        PRECONDITION + "UID in precondition: other-uid, UID in object meta: pod-uid",
    ),
    (
        "resourceVersion precondition",
        _pod(),
        _binding(resourceVersion="6"),
        "pods",
        PRECONDITION + "ResourceVersion in precondition: 6, ResourceVersion in object meta: 7",
    ),
    (
        "being deleted (checked before the node)",
        _pod(metadata__deletionTimestamp=STAMP, spec__nodeName="n1"),
        _binding(),
        "pods/binding",
        'Operation cannot be fulfilled on pods/binding "foo": pod foo is being deleted, cannot be assigned to a host',
    ),
    (
        "second bind (storage_test.go expects a conflict): already assigned, node quoted",
        _pod(spec__nodeName="machine"),
        _binding(),
        "pods/binding",
        'Operation cannot be fulfilled on pods/binding "foo": pod foo is already assigned to node "machine"',
    ),
    (
        "TestEtcdCreateWithSchedulingGates",
        _pod(spec__schedulingGates=[{"name": "foo"}, {"name": "bar"}]),
        _binding(),
        "pods/binding",
        'Operation cannot be fulfilled on pods/binding "foo": pod foo has non-empty .spec.schedulingGates',
    ),
]


@pytest.mark.parametrize(("why", "pod", "binding", "kind", "message"), CONFLICTS, ids=[r[0] for r in CONFLICTS])
def test_bind_conflicts(why: str, pod: dict[str, Any], binding: dict[str, Any], kind: str, message: str) -> None:
    with pytest.raises(ApiError) as caught:
        bind_pod(pod, binding, now=NOW)
    status = caught.value.status()
    assert (status["code"], status["reason"], status["message"]) == (409, "Conflict", message)
    assert status["details"] == {"name": "foo", "kind": kind}


SCHEDULED = {"type": "PodScheduled", "status": "True", "lastProbeTime": None, "lastTransitionTime": STAMP}
# (UpdatePodCondition behaviour, pod status.conditions before, after)
CONDITIONS: list[tuple[str, list[dict[str, Any]] | None, list[dict[str, Any]]]] = [
    ("no conditions: PodScheduled appended, lastProbeTime null", None, [SCHEDULED]),
    (
        "PodScheduled=False (Unschedulable) replaced whole: reason and message dropped, transition now",
        [
            {"type": "Ready", "status": "False"},
            {
                "type": "PodScheduled",
                "status": "False",
                "lastProbeTime": None,
                "lastTransitionTime": "2025-01-01T00:00:00Z",
                "reason": "Unschedulable",
                "message": "0/1 nodes are available",
            },
        ],
        [{"type": "Ready", "status": "False"}, SCHEDULED],
    ),
    (
        "PodScheduled already True: the old lastTransitionTime is kept",
        [{"type": "PodScheduled", "status": "True", "lastTransitionTime": "2025-01-01T00:00:00Z", "reason": "x"}],
        [{**SCHEDULED, "lastTransitionTime": "2025-01-01T00:00:00Z"}],
    ),
]


@pytest.mark.parametrize(("why", "before", "after"), CONDITIONS, ids=[r[0] for r in CONDITIONS])
def test_bind_sets_node_annotations_and_condition(
    why: str, before: list[dict[str, Any]] | None, after: list[dict[str, Any]]
) -> None:
    pod = _pod(metadata__annotations={"keep": "1", "over": "old"})
    if before is not None:
        pod["status"] = {"phase": "Pending", "conditions": before}
    binding = _binding(uid="pod-uid", resourceVersion="7", annotations={"over": "new", "added": "2"})
    out = bind_pod(pod, binding, now=NOW)
    assert out["spec"]["nodeName"] == "machine"
    assert out["metadata"]["annotations"] == {"keep": "1", "over": "new", "added": "2"}
    assert out["status"]["conditions"] == after
    assert pod["spec"].get("nodeName") is None  # the stored object is not mutated


def test_bind_without_annotations_adds_none() -> None:
    # pod.Annotations is made non-nil but stays empty: omitempty keeps it out of the JSON
    out = bind_pod(_pod(), _binding(), now=NOW)
    assert "annotations" not in out["metadata"]
    assert out["status"] == {"conditions": [SCHEDULED]}


def test_binding_success_status() -> None:
    # BindingREST.Create returns &metav1.Status{Status: Success}; the create handler sets Code 201
    assert binding_success() == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}

"""Owner references, finalizers and metadata update rules, with apimachinery's messages."""

from __future__ import annotations

from typing import Any

import pytest

from mockapi.registry.deletion import with_gc_finalizer
from mockapi.registry.meta_rules import finalizer_errors, object_meta_update_errors, owner_reference_errors

PATH = "metadata.ownerReferences"
REF = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": "u1"}


def messages(errs: list[Any]) -> list[str]:
    return [str(e) for e in errs]


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        (REF, []),
        ({**REF, "apiVersion": "apps/"}, [f'{PATH}.apiVersion: Invalid value: "apps/": version must not be empty']),
        ({**REF, "apiVersion": "a/b/c"}, [f'{PATH}.apiVersion: Invalid value: "a/b/c": version must not be empty']),
        ({**REF, "kind": ""}, ['metadata.ownerReferences.kind: Invalid value: "": must not be empty']),
        ({k: v for k, v in REF.items() if k != "name"}, [f'{PATH}.name: Invalid value: "": must not be empty']),
        ({**REF, "uid": ""}, ['metadata.ownerReferences.uid: Invalid value: "": must not be empty']),
    ],
)  # fmt: skip
def test_owner_reference_fields(ref: dict[str, Any], expected: list[str]) -> None:
    assert messages(owner_reference_errors([ref])) == expected


def test_only_one_controller_reference() -> None:
    refs = [{**REF, "controller": True}, {**REF, "name": "other", "controller": True}]
    (err,) = owner_reference_errors(refs)
    assert err.field == "metadata.ownerReferences"
    assert err.body.endswith(
        ': Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/rs and '
        "ReplicaSet/other"
    )
    assert err.body.startswith('Invalid value: []v1.OwnerReference{v1.OwnerReference{APIVersion:"apps/v1", ')


def test_finalizer_names_and_the_orphan_foreground_pair() -> None:
    assert finalizer_errors(["kubernetes", "example.com/cleanup"]) == []
    assert messages(finalizer_errors(["bad name"]))[0].startswith(
        'metadata.finalizers: Invalid value: "bad name": name part must consist of alphanumeric characters'
    )
    assert messages(finalizer_errors(["orphan", "foregroundDeletion"])) == [
        'metadata.finalizers: Invalid value: []string{"orphan", "foregroundDeletion"}: '
        "finalizer orphan and foregroundDeletion cannot be both set"
    ]


def test_no_new_finalizers_once_deleting() -> None:
    old = {"uid": "u", "deletionTimestamp": "2025-01-01T00:00:00Z", "finalizers": ["a/x"]}
    new = {**old, "finalizers": ["a/x", "b/y", "a/z"]}
    assert messages(object_meta_update_errors(new, old)) == [
        "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, "
        'found new finalizers []string{"a/z", "b/y"}'
    ]
    assert object_meta_update_errors({**old, "finalizers": []}, old) == []


def test_immutable_identity_and_deletion_fields() -> None:
    old = {"uid": "u"}
    assert messages(object_meta_update_errors({"uid": "other"}, old)) == [
        'metadata.uid: Invalid value: "other": field is immutable'
    ]
    assert messages(object_meta_update_errors({"uid": "u", "deletionTimestamp": "2025-01-02T03:04:05Z"}, old)) == [
        "metadata.deletionTimestamp: Invalid value: 2025-01-02 03:04:05 +0000 UTC: field is immutable"
    ]
    assert messages(object_meta_update_errors({"uid": "u", "deletionGracePeriodSeconds": 30}, old)) == [
        "metadata.deletionGracePeriodSeconds: Invalid value: 30: field is immutable"
    ]


@pytest.mark.parametrize(
    ("finalizers", "policy", "expected"),
    [
        (["a/x"], "foregroundDeletion", ["a/x", "foregroundDeletion"]),
        (["foregroundDeletion", "a/x"], "orphan", ["a/x", "orphan"]),
        (["orphan", "a/x"], "foregroundDeletion", ["a/x", "foregroundDeletion"]),
        (["foregroundDeletion", "a/x"], "foregroundDeletion", ["foregroundDeletion", "a/x"]),  # unchanged set
    ],
)
def test_a_propagation_policy_replaces_the_other_gc_finalizer(
    finalizers: list[str], policy: str, expected: list[str]
) -> None:
    """deletionFinalizersForGarbageCollection: never both, so the object stays writable."""
    assert with_gc_finalizer(finalizers, policy) == expected
    assert finalizer_errors(expected) == []

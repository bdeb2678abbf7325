"""What admission sees and implements (k8s.io/apiserver/pkg/admission/interfaces.go).

In the vocabulary so the registry depends on the `Admission` Protocol, never on the concrete chain, and
so the attributes carry everything an AdmissionReview and CEL's `request` variable need.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from mockapi.api.objects import new_uid
from mockapi.api.types import GroupVersionKind, GroupVersionResource, Obj, Operation, StageRecord, UserInfo

Recorder = Callable[[StageRecord], None]


@dataclass(slots=True)
class AdmissionAttributes:
    operation: Operation
    resource: GroupVersionResource
    """The resource as stored and admitted."""
    kind: GroupVersionKind
    namespace: str
    name: str
    """Request name; "" on a create that relies on generateName (mutating phase)."""
    subresource: str
    object: Obj | None
    """The incoming object (None on DELETE); mutating plugins may change it in place."""
    old_object: Obj | None
    """The stored object on UPDATE and DELETE."""
    user: UserInfo
    dry_run: bool = False
    options: Obj | None = None
    """The operation's options object (CreateOptions, UpdateOptions, PatchOptions or DeleteOptions)."""
    uid: str = field(default_factory=new_uid)
    """AdmissionRequest.uid: one per admission of one object (kept across a write's retries)."""
    warnings: list[str] = field(default_factory=list)
    """Warnings to send as `Warning: 299` headers."""
    audit_annotations: dict[str, str] = field(default_factory=dict)
    """Annotations plugins add to the audit event, under qualified keys (`podsecurity.kubernetes.io/...`)."""

    # Admission runs on the object in the version the client addressed (conversion happens at the storage
    # boundary), so the request's resource, kind and subresource are the attributes' own.
    @property
    def request_resource(self) -> GroupVersionResource:
        return self.resource

    @property
    def request_kind(self) -> GroupVersionKind:
        return self.kind

    @property
    def request_subresource(self) -> str:
        return self.subresource

    def add_audit_annotation(self, key: str, value: str) -> None:
        """admission.Attributes.AddAnnotation: a key keeps its first value (upstream refuses a second)."""
        self.audit_annotations.setdefault(key, value)


class Admission(Protocol):
    """The whole admission step as the registry calls it: every mutating plugin, then every validating one.
    Each records its outcome through `record`; a rejection raises ApiError."""

    async def admit(self, attrs: AdmissionAttributes, record: Recorder) -> None: ...

    async def validate(self, attrs: AdmissionAttributes, record: Recorder) -> None: ...


@runtime_checkable
class AdmissionPlugin(Protocol):
    name: str

    def handles(self, operation: Operation) -> bool: ...


@runtime_checkable
class MutatingPlugin(AdmissionPlugin, Protocol):
    async def admit(self, attrs: AdmissionAttributes) -> None:
        """Mutate `attrs.object`; raise ApiError to reject."""
        ...


@runtime_checkable
class ValidatingPlugin(AdmissionPlugin, Protocol):
    async def validate(self, attrs: AdmissionAttributes) -> None:
        """Raise ApiError to reject; never mutate."""
        ...

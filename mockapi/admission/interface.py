"""What an admission plugin sees and implements (k8s.io/apiserver/pkg/admission/interfaces.go)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from mockapi.api.types import GroupVersionResource, Obj, Operation, UserInfo


@dataclass(slots=True)
class AdmissionAttributes:
    operation: Operation
    resource: GroupVersionResource
    kind: str
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
    warnings: list[str] = field(default_factory=list)
    """Warnings to send as `Warning: 299` headers."""


class ObjectReader(Protocol):
    """Read access to stored objects for plugins that look things up (namespaces, service accounts, priority
    classes): the informer listers of kube-apiserver's plugins."""

    async def get_object(self, gvr: GroupVersionResource, namespace: str, name: str) -> Obj | None: ...

    async def list_objects(self, gvr: GroupVersionResource, namespace: str) -> list[Obj]:
        """Every stored object of `gvr` in `namespace` ("" for all, or for cluster-scoped resources)."""
        ...


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

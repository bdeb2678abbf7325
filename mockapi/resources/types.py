"""Descriptors of served resource types."""

from __future__ import annotations

from dataclasses import dataclass, field

from mockapi.api.types import GroupVersionResource


@dataclass(frozen=True, slots=True)
class Subresource:
    name: str
    """Subresource path segment: `status`, `scale`, `log`, `token`, ..."""
    kind: str
    """Kind of the object the subresource speaks (`Scale`, `TokenRequest`, or the parent's kind)."""
    group: str
    """Group of `kind` (`autoscaling` for scale, `` for the core group)."""
    version: str
    """Version of `kind`."""
    verbs: tuple[str, ...]
    """Verbs discovery advertises for the subresource."""


@dataclass(frozen=True, slots=True)
class ResourceType:
    group: str
    """API group; empty for the core (legacy) group."""
    version: str
    """API version within the group (`v1`, `v1beta1`, ...)."""
    kind: str
    """Kind of a single object (`Pod`)."""
    plural: str
    """Resource name used in URLs (`pods`)."""
    singular: str
    """Singular name (`pod`), used by kubectl and in some messages."""
    namespaced: bool
    """Whether objects live in a namespace."""
    verbs: tuple[str, ...]
    """Verbs discovery advertises (`create`, `get`, `list`, `watch`, ...)."""
    short_names: tuple[str, ...] = ()
    """Short names kubectl accepts (`po`)."""
    categories: tuple[str, ...] = ()
    """Categories (`all`) for `kubectl get all`."""
    subresources: tuple[Subresource, ...] = ()
    """Subresources served under `<plural>/<name>/<subresource>`."""
    storage_version_hash: str = ""
    """Opaque hash discovery advertises for storage-version migration."""
    enabled_by_default: bool = True
    """Whether a real cluster serves this group/version without --runtime-config."""
    extra: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    """Room for facts later issues need; unused keys are ignored."""

    @property
    def gvr(self) -> GroupVersionResource:
        return GroupVersionResource(self.group, self.version, self.plural)

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def list_kind(self) -> str:
        return f"{self.kind}List"

    def subresource(self, name: str) -> Subresource | None:
        for sub in self.subresources:
            if sub.name == name:
                return sub
        return None

"""Plain data that travels along the request pipeline."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

Obj = dict[str, Any]
"""A Kubernetes object in its JSON form (kind, apiVersion, metadata, ...)."""


@dataclass(frozen=True, slots=True)
class GroupVersionResource:
    group: str
    version: str
    resource: str

    @property
    def group_version(self) -> str:
        """`v1` for the core group, `<group>/<version>` otherwise (an apiVersion string)."""
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def group_resource(self) -> str:
        """kube-apiserver's GroupResource.String(): `pods`, `deployments.apps`."""
        return f"{self.resource}.{self.group}" if self.group else self.resource


class Extra(Mapping[str, tuple[str, ...]]):
    """A user's extra attributes, immutable and hashable, so a UserInfo can key decision caches."""

    __slots__ = ("_hash", "_items")

    def __init__(self, items: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self._items: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in (items or {}).items()}
        self._hash: int | None = None

    def __getitem__(self, key: str) -> tuple[str, ...]:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._items.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self._items) == dict(other.items())

    def __repr__(self) -> str:
        return f"Extra({self._items!r})"


NO_EXTRA = Extra()


@dataclass(frozen=True, slots=True)
class GroupVersionKind:
    group: str
    version: str
    kind: str

    @property
    def group_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    def as_json(self) -> Obj:
        """metav1.GroupVersionKind as an AdmissionReview carries it."""
        return {"group": self.group, "version": self.version, "kind": self.kind}


@dataclass(frozen=True, slots=True)
class UserInfo:
    name: str
    uid: str = ""
    groups: tuple[str, ...] = ()
    extra: Mapping[str, tuple[str, ...]] = NO_EXTRA
    """Frozen into an `Extra` (hashable) whatever mapping is given."""

    def __post_init__(self) -> None:
        if not isinstance(self.extra, Extra):  # a plain mapping given by a caller is frozen here
            object.__setattr__(self, "extra", Extra(self.extra))

    def as_json(self) -> Obj:
        out: Obj = {"username": self.name}
        if self.uid:
            out["uid"] = self.uid
        if self.groups:
            out["groups"] = list(self.groups)
        if self.extra:
            out["extra"] = {k: list(v) for k, v in self.extra.items()}
        return out


ANONYMOUS_USER = "system:anonymous"
UNAUTHENTICATED_GROUP = "system:unauthenticated"
AUTHENTICATED_GROUP = "system:authenticated"
MASTERS_GROUP = "system:masters"


@dataclass(frozen=True, slots=True)
class RequestInfo:
    """What kube-apiserver's RequestInfoFactory derives from a URL and method (requestinfo.go)."""

    path: str
    verb: str
    is_resource_request: bool
    api_prefix: str = ""  # "api" or "apis" for resource requests
    api_group: str = ""
    api_version: str = ""
    namespace: str = ""
    resource: str = ""
    subresource: str = ""
    name: str = ""
    parts: tuple[str, ...] = ()
    field_selector: str = ""
    """The `fieldSelector` of a list, watch or deletecollection (not of a /watch/ path), for authorizers."""
    label_selector: str = ""

    @property
    def gvr(self) -> GroupVersionResource:
        return GroupVersionResource(self.api_group, self.api_version, self.resource)


@dataclass(frozen=True, slots=True)
class Attributes:
    """Authorization attributes: who is asking to do what (authorizer.AttributesRecord)."""

    user: UserInfo
    verb: str
    is_resource_request: bool
    path: str = ""
    namespace: str = ""
    api_group: str = ""
    api_version: str = ""
    resource: str = ""
    subresource: str = ""
    name: str = ""
    field_selector: tuple[FieldSelectorRequirement, ...] | None = None
    """The request's field selector as requirements (AuthorizeWithSelectors); None when it has none."""
    field_selector_error: str = ""
    """Why the field selector did not parse; authorizers that use selectors then ignore them."""
    label_selector: tuple[LabelSelectorRequirement, ...] | None = None
    label_selector_error: str = ""

    @classmethod
    def from_request(cls, user: UserInfo, info: RequestInfo) -> Attributes:
        return cls(
            user=user,
            verb=info.verb,
            is_resource_request=info.is_resource_request,
            path=info.path,
            namespace=info.namespace,
            api_group=info.api_group,
            api_version=info.api_version,
            resource=info.resource,
            subresource=info.subresource,
            name=info.name,
        )


class Verdict(StrEnum):
    ALLOW = "Allow"
    DENY = "Deny"
    NO_OPINION = "NoOpinion"


@dataclass(frozen=True, slots=True)
class FieldSelectorRequirement:
    """One term of a field selector as an authorizer sees it (metav1.FieldSelectorRequirement)."""

    key: str
    operator: str
    """As the selector was parsed: `=`, `==`, `!=`, `in`, `notin`, `exists`, `!`, `gt`, `lt`."""
    values: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LabelSelectorRequirement:
    """One term of a label selector as an authorizer sees it (metav1.LabelSelectorRequirement)."""

    key: str
    operator: str
    """As the selector was parsed: `=`, `==`, `!=`, `in`, `notin`, `exists`, `!`, `gt`, `lt`."""
    values: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    reason: str = ""
    by: str = ""
    error: str = ""
    """An evaluation error (authorizer.Authorize's err): a request nobody allowed then gets a 500."""


class Operation(StrEnum):
    """Admission operations (admission.Operation)."""

    CREATE = "CREATE"
    UPDATE = "UPDATE"
    DELETE = "DELETE"
    CONNECT = "CONNECT"


StageName = Literal[
    "authentication",
    "impersonation",
    "authorization",
    "routing",
    "decoding",
    "admission",
    "validation",
    "storage",
    "handler",
]
Outcome = Literal["allow", "deny", "error", "skip", "ok"]


@dataclass(frozen=True, slots=True)
class StageRecord:
    """One stage's verdict on a request; the audit trail is the list of these."""

    stage: StageName
    outcome: Outcome
    by: str
    reason: str = ""

    def as_json(self) -> Obj:
        return {"stage": self.stage, "outcome": self.outcome, "by": self.by, "reason": self.reason}

"""Plain data that travels along the request pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass(frozen=True, slots=True)
class UserInfo:
    name: str
    uid: str = ""
    groups: tuple[str, ...] = ()
    extra: dict[str, tuple[str, ...]] = field(default_factory=dict)

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
class Decision:
    verdict: Verdict
    reason: str = ""
    by: str = ""


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

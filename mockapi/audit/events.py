"""Build audit.k8s.io/v1 Event objects at level Metadata, plus mockapi's stage annotations."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

import orjson

from mockapi.api.types import Obj, RequestInfo, StageRecord, UserInfo

AuditStage = Literal["RequestReceived", "ResponseStarted", "ResponseComplete", "Panic"]

DECISION = "authorization.k8s.io/decision"
REASON = "authorization.k8s.io/reason"
STAGES = "mockapi.dev/stages"
REJECTED_STAGE = "mockapi.dev/rejected-stage"
REJECTED_BY = "mockapi.dev/rejected-by"


def micro_time(when: datetime) -> str:
    """metav1.MicroTime's JSON form."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(slots=True)
class AuditRecord:
    """What the pipeline learns about a request, turned into an Event when it completes."""

    audit_id: str
    request_uri: str
    method: str
    source_ip: str
    user_agent: str
    received: datetime
    info: RequestInfo | None = None
    user: UserInfo | None = None
    impersonated_user: UserInfo | None = None
    authentication_failure: str = ""
    """Set when authentication refused the request: its event is WithFailedAuthenticationAudit's (stage
    ResponseStarted, the credentials attempted as the message)."""
    stages: list[StageRecord] = field(default_factory=list)
    annotations: dict[str, str] = field(default_factory=dict)

    def event(self, stage: AuditStage, code: int, status: Obj | None) -> Obj:
        info = self.info
        verb = info.verb if info is not None else self.method.lower()
        out: Obj = {
            "kind": "Event",
            "apiVersion": "audit.k8s.io/v1",
            "level": "Metadata",
            "auditID": self.audit_id,
            "stage": stage,
            "requestURI": self.request_uri,
            "verb": verb,
            "user": self.user.as_json() if self.user is not None else {},
        }
        if self.impersonated_user is not None:
            out["impersonatedUser"] = self.impersonated_user.as_json()
        out["sourceIPs"] = [self.source_ip] if self.source_ip else []
        if self.user_agent:
            out["userAgent"] = self.user_agent
        if info is not None and info.is_resource_request:
            ref: Obj = {"resource": info.resource}
            if info.namespace:
                ref["namespace"] = info.namespace
            if info.name:
                ref["name"] = info.name
            if info.api_group:
                ref["apiGroup"] = info.api_group
            ref["apiVersion"] = info.api_version
            if info.subresource:
                ref["subresource"] = info.subresource
            out["objectRef"] = ref
        response: Obj = {"metadata": {}}
        if status is not None and status.get("kind") == "Status":
            for key in ("status", "message", "reason"):
                if key in status:
                    response[key] = status[key]
        response["code"] = code
        out["responseStatus"] = response
        out["requestReceivedTimestamp"] = micro_time(self.received)
        out["stageTimestamp"] = micro_time(datetime.now(UTC))
        annotations = dict(self.annotations)
        if self.stages:
            annotations[STAGES] = orjson.dumps([s.as_json() for s in self.stages]).decode()
            rejected = next((s for s in self.stages if s.outcome in ("deny", "error")), None)
            if rejected is not None:
                annotations[REJECTED_STAGE] = rejected.stage
                annotations[REJECTED_BY] = rejected.by
        if annotations:
            out["annotations"] = annotations
        return out

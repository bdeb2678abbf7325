"""Per-request state that the filters fill in as the request moves along the chain."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiohttp import web

from mockapi.api.types import RequestInfo, StageRecord, UserInfo
from mockapi.audit.events import AuditRecord


@dataclass(slots=True)
class RequestContext:
    request: web.Request
    audit: AuditRecord
    info: RequestInfo | None = None
    user: UserInfo | None = None
    warnings: list[str] = field(default_factory=list)

    def record(self, entry: StageRecord) -> None:
        self.audit.stages.append(entry)


Handler = Callable[[RequestContext], Awaitable[web.StreamResponse]]
Filter = Callable[[RequestContext, Handler], Awaitable[web.StreamResponse]]

"""The aiohttp application: one catch-all route that hands every request to the pipeline."""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp import web

from mockapi.audit.events import AuditRecord
from mockapi.endpoints.context import Handler, RequestContext
from mockapi.endpoints.filters import new_audit_id


def make_app(pipeline: Handler) -> web.Application:
    async def entry(request: web.Request) -> web.StreamResponse:
        audit = AuditRecord(
            audit_id=new_audit_id(),
            request_uri=request.path_qs,
            method=request.method,
            source_ip=request.remote or "",
            user_agent=request.headers.get("User-Agent", ""),
            received=datetime.now(UTC),
        )
        return await pipeline(RequestContext(request=request, audit=audit))

    app = web.Application(client_max_size=4 * 1024 * 1024)
    app.router.add_route("*", "/{tail:.*}", entry)
    return app

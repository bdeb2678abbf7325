"""The aiohttp application: one catch-all route that hands every request to the pipeline."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any

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
    app.on_response_prepare.append(_kube_headers)
    return app


async def _kube_headers(_request: web.BaseRequest, response: web.StreamResponse) -> None:
    """kube-apiserver names no server software and sets nosniff on what it writes."""
    response.headers.popall("Server", None)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")


class ProtocolLog:
    """The logger aiohttp's protocol handler reports to: a malformed request or a client that hangs up is
    the client's doing, one line at INFO with no traceback (anyone could otherwise flood the log)."""

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger

    def debug(self, msg: str, *args: object, **kwargs: Any) -> None:
        kwargs.pop("exc_info", None)
        self._logger.debug(msg, *args, **kwargs)

    def exception(self, msg: str, *args: object, exc_info: BaseException | bool | None = None, **_: Any) -> None:
        error = exc_info if isinstance(exc_info, BaseException) else sys.exc_info()[1]
        reason = " ".join(f"{type(error).__name__}: {error}".split()) if error is not None else "unknown error"
        self._logger.info("%s: %s", msg % args if args else msg, reason[:200])

    def __getattr__(self, name: str) -> Any:
        return getattr(self._logger, name)

"""The filters of the request pipeline, outermost first (apiserver's DefaultBuildHandlerChain).

Each filter takes the request context and the next handler; `server.py` lists them in order.
"""

from __future__ import annotations

import asyncio
import base64
import html
import logging
from datetime import UTC, datetime

from aiohttp import web

from mockapi.api import errors
from mockapi.api.authentication import AuthenticationError, Authenticator, Credentials
from mockapi.api.authorization import Authorizer
from mockapi.api.golang import go_quote, header_text, parse_duration
from mockapi.api.objects import new_uid
from mockapi.api.selectors.authorization import with_selectors
from mockapi.api.types import Attributes, RequestInfo, StageName, StageRecord, Verdict
from mockapi.audit.sink import AuditSink
from mockapi.endpoints.context import Handler, RequestContext
from mockapi.endpoints.requestinfo import request_info
from mockapi.endpoints.responses import status_response

log = logging.getLogger("mockapi")


class Audit:
    """Stamps an Audit-Id and writes one audit.k8s.io/v1 Event per request."""

    def __init__(self, sinks: list[AuditSink]) -> None:
        self.sinks = sinks

    async def __call__(self, ctx: RequestContext, next_: Handler) -> web.StreamResponse:
        try:
            response = await next_(ctx)
        except Exception:
            self._emit(ctx, "Panic", 500, None)
            raise
        if not response.prepared:  # streamed responses (watch) set it before they start
            response.headers["Audit-Id"] = ctx.audit.audit_id
        if ctx.audit.authentication_failure:
            # filters.WithFailedAuthenticationAudit: one event, at ResponseStarted, naming what was attempted
            failure = {"kind": "Status", "message": ctx.audit.authentication_failure}
            self._emit(ctx, "ResponseStarted", response.status, failure)
        else:
            self._emit(ctx, "ResponseComplete", response.status, getattr(response, "mockapi_status", None))
        return response

    def _emit(self, ctx: RequestContext, stage: str, code: int, status: object) -> None:
        if not self.sinks:
            return
        try:
            event = ctx.audit.event(stage, code, status if isinstance(status, dict) else None)  # type: ignore[arg-type]
            for sink in self.sinks:
                sink.write(event)
        except (TypeError, ValueError) as exc:  # text no encoder takes: the response must still go out
            log.warning("audit event %s not written: %s", ctx.audit.audit_id, exc)


class RenderErrors:
    """Every ApiError becomes a metav1.Status response; anything else a 500."""

    async def __call__(self, ctx: RequestContext, next_: Handler) -> web.StreamResponse:
        try:
            return await next_(ctx)
        except errors.ApiError as err:
            if not any(r.outcome == "deny" for r in ctx.audit.stages):
                stage, by = _stage_of(err)
                ctx.record(StageRecord(stage, "deny", by, err.message))
            return _with_status(err, ctx.warnings)
        except web.HTTPException:
            raise
        except Exception as exc:  # a bug: say so loudly, as kube-apiserver's panic recovery does
            log.exception("internal error serving %s", ctx.request.path)
            return _with_status(errors.internal(f"{type(exc).__name__}: {exc}"))


def _stage_of(err: errors.ApiError) -> tuple[StageName, str]:
    """Where an error nobody recorded came from, judged by its kind."""
    if err.reason == "NotFound":
        return ("storage", "registry") if err.details and err.details.get("name") else ("routing", "router")
    if err.code in (400, 406, 413, 415):
        return "decoding", "endpoint"
    if err.code == 405:
        return "routing", "router"
    return "handler", "endpoint"


def _with_status(err: errors.ApiError, warnings: list[str] | None = None) -> web.Response:
    resp = status_response(err, warnings)
    resp.mockapi_status = err.status()  # type: ignore[attr-defined]
    return resp


class ParseRequestInfo:
    async def __call__(self, ctx: RequestContext, next_: Handler) -> web.StreamResponse:
        request = ctx.request
        query = request.query
        ctx.info = request_info(
            request.method, request.path, query, _name_from_field_selector(query.get("fieldSelector", ""))
        )
        ctx.audit.info = ctx.info
        return await next_(ctx)


def _name_from_field_selector(selector: str) -> str | None:
    for term in selector.split(","):
        for op in ("==", "="):
            key, sep, value = term.partition(op)
            if sep and key.strip() == "metadata.name" and not key.endswith("!"):
                value = value.strip()
                if value and "/" not in value and "%" not in value and value not in (".", ".."):
                    return value
                return None
    return None


REQUEST_TIMEOUT = 60.0
"""kube-apiserver's --request-timeout: the longest a non-long-running request may take."""
_LONG_RUNNING_VERBS = frozenset({"watch", "proxy"})
_LONG_RUNNING_SUBRESOURCES = frozenset({"attach", "exec", "proxy", "log", "portforward"})


class RequestDeadline:
    """filters.WithRequestDeadline: the `timeout` query parameter (a Go duration, 400 when it does not
    parse) bounds a non-long-running request, never beyond --request-timeout; past it, 504."""

    async def __call__(self, ctx: RequestContext, next_: Handler) -> web.StreamResponse:
        info = ctx.info
        assert info is not None
        if info.verb in _LONG_RUNNING_VERBS or info.subresource in _LONG_RUNNING_SUBRESOURCES:
            return await next_(ctx)
        limit = REQUEST_TIMEOUT
        raw = ctx.request.query.get("timeout", "")
        if raw:
            try:
                asked = parse_duration(raw)
            except ValueError as exc:
                raise errors.bad_request(f"invalid timeout specified in the request URL - {exc}") from None
            if 0 < asked < REQUEST_TIMEOUT:
                limit = asked
        try:
            async with asyncio.timeout(limit):
                return await next_(ctx)
        except TimeoutError:
            raise errors.timeout(
                "request did not complete within requested timeout - context deadline exceeded"
            ) from None


class Authenticate:
    """401 with kube-apiserver's fixed body whenever authentication fails."""

    def __init__(self, authenticator: Authenticator, challenge: str | None = None) -> None:
        self.authenticator = authenticator
        self.challenge = {"WWW-Authenticate": challenge} if challenge else None
        """Sent with every 401 when set (kube-apiserver <= 1.18 with basic auth)."""

    async def __call__(self, ctx: RequestContext, next_: Handler) -> web.StreamResponse:
        request = ctx.request
        peer = None
        transport = request.transport
        ssl_object = transport.get_extra_info("ssl_object") if transport is not None else None
        if ssl_object is not None:
            peer = ssl_object.getpeercert(binary_form=True)
        creds = Credentials(
            peer_certificate=peer,
            authorization=header_text(request.headers.get("Authorization", "")),
            headers=request.headers,
            path=request.path,
        )
        try:
            answer = await self.authenticator.authenticate(creds)
        except AuthenticationError as exc:
            for record in exc.trail:
                ctx.record(record)
            ctx.record(StageRecord("authentication", "deny", "authentication", str(exc)))
            raise self._unauthorized(ctx, creds) from None
        if answer is None:
            ctx.record(StageRecord("authentication", "deny", "authentication", "no credentials"))
            raise self._unauthorized(ctx, creds)
        for record in answer.trail:
            ctx.record(record)
        for key, value in answer.audit_annotations:
            ctx.audit.annotations.setdefault(key, value)
        user = answer.user
        ctx.user = user
        ctx.audit.user = user
        ctx.record(StageRecord("authentication", "allow", answer.member, f"user {user.name}"))
        return await next_(ctx)

    def _unauthorized(self, ctx: RequestContext, creds: Credentials) -> errors.ApiError:
        ctx.audit.authentication_failure = _attempted(creds, ctx.request.query.get("access_token", ""))
        err = errors.unauthorized()
        if self.challenge:
            err.headers.update(self.challenge)
        return err


def _attempted(creds: Credentials, access_token: str) -> str:
    """getAuthMethods: the credentials a refused request presented, as its audit event names them."""
    methods = []
    authorization = creds.authorization
    if authorization[:6].lower() == "basic " and _basic_parts(authorization[6:]):
        methods.append("basic")
    parts = authorization.strip().split(" ")
    if len(parts) > 1 and parts[0].lower() == "bearer":
        methods.append("bearer")
    if access_token.strip():
        methods.append("access_token")
    if creds.peer_certificate is not None:
        methods.append("x509")
    if methods:
        return "Authentication failed, attempted: " + ", ".join(methods)
    return "Authentication failed, no credentials provided"


def _basic_parts(encoded: str) -> bool:
    """net/http's BasicAuth finds a user and password: base64 of `user:password`."""
    try:
        return b":" in base64.b64decode(encoded, validate=True)
    except ValueError:
        return False


class Authorize:
    """403 Forbidden, with kube-apiserver's message grammar, unless an authorizer allows."""

    def __init__(self, authorizer: Authorizer) -> None:
        self.authorizer = authorizer

    async def __call__(self, ctx: RequestContext, next_: Handler) -> web.StreamResponse:
        assert ctx.user is not None and ctx.info is not None
        attrs = Attributes.from_request(ctx.user, ctx.info)
        if ctx.info.field_selector or ctx.info.label_selector:
            attrs = with_selectors(attrs, ctx.info.field_selector, ctx.info.label_selector)
        decision = await self.authorizer.authorize(attrs)
        if decision.verdict is Verdict.ALLOW:
            ctx.audit.annotations["authorization.k8s.io/decision"] = "allow"
            ctx.audit.annotations["authorization.k8s.io/reason"] = decision.reason
            ctx.record(StageRecord("authorization", "allow", decision.by, decision.reason))
            return await next_(ctx)
        if decision.error:
            # filters/authorization.go: an evaluation error nobody overruled is a plain-text 500
            ctx.audit.annotations["authorization.k8s.io/reason"] = "internal error"
            ctx.record(StageRecord("authorization", "error", decision.by or "authorization", decision.error))
            return internal_error_text(ctx.request.raw_path, decision.error)
        ctx.audit.annotations["authorization.k8s.io/decision"] = "forbid"
        ctx.audit.annotations["authorization.k8s.io/reason"] = decision.reason
        ctx.record(StageRecord("authorization", "deny", decision.by or "authorization", decision.reason))
        raise forbidden_error(attrs, ctx.info, decision.reason)


def internal_error_text(request_uri: str, error: str) -> web.Response:
    """responsewriters.InternalError: http.Error's plain text, `&`, `<` and `>` escaped."""
    text = f"Internal Server Error: {go_quote(request_uri)}: {error}"
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return web.Response(status=500, body=(text + "\n").encode(), content_type="text/plain", charset="utf-8")


def forbidden_error(attrs: Attributes, info: RequestInfo, reason: str) -> errors.ApiError:
    """responsewriters.ForbiddenStatusError."""
    user = attrs.user.name
    if not attrs.is_resource_request:
        message = f'User "{user}" cannot {attrs.verb} path "{attrs.path}"'
    else:
        resource = attrs.resource + (f"/{attrs.subresource}" if attrs.subresource else "")
        message = f'User "{user}" cannot {attrs.verb} resource "{resource}" in API group "{attrs.api_group}"'
        message += f' in the namespace "{attrs.namespace}"' if attrs.namespace else " at the cluster scope"
    if reason:
        message += f": {reason}"
    message = html.escape(message, quote=False)
    if not attrs.is_resource_request:
        return errors.forbidden("", "", "", message)
    return errors.forbidden(attrs.api_group, attrs.resource, attrs.name, message)


def new_audit_id() -> str:
    return new_uid()


def now() -> datetime:
    return datetime.now(UTC)

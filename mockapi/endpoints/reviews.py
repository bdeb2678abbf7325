"""REST storage of the create-only review APIs: they compute an answer and store nothing.

SelfSubjectReview and TokenReview (authentication.k8s.io) answer through the request authenticator;
SubjectAccessReview, LocalSubjectAccessReview, SelfSubjectAccessReview and SelfSubjectRulesReview
(authorization.k8s.io) through the configured authorizer and rule resolver. Each create is decoded, its
managed fields tracked and put through mutating admission as the create handler does with any object;
then the kind's own checks, validating admission where its REST storage asks for it, and 201 Created.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

from aiohttp import web

from mockapi.api import errors
from mockapi.api.admission import Admission, AdmissionAttributes
from mockapi.api.authentication import AuthenticationError, Authenticator, Credentials
from mockapi.api.authorization import Authorizer, RuleResolver
from mockapi.api.types import GroupVersionKind, Obj, Operation, RequestInfo, StageRecord
from mockapi.endpoints.body import read_body
from mockapi.endpoints.context import RequestContext
from mockapi.endpoints.negotiation import negotiate
from mockapi.endpoints.responses import object_response
from mockapi.endpoints.typedbodies import LARGE_BODY, typed_body
from mockapi.registry import managedfields
from mockapi.registry.managedfields.apply import with_manager
from mockapi.registry.options import write_options
from mockapi.registry.reviews.access import (
    SSAR,
    access_review_error,
    access_review_response,
    attributes_from,
    rules_review_error,
    rules_review_response,
    subject_of,
)
from mockapi.registry.reviews.authentication import self_subject_review, token_review_error, token_review_response
from mockapi.registry.store import check_kind, ensure_namespace
from mockapi.resources.types import ResourceType

Check = Callable[[Obj], errors.ApiError | None]


def _no_check(_body: Obj) -> errors.ApiError | None:
    return None


class AdmittedCreate:
    """The create handler's steps for an object a REST storage answers instead of storing."""

    def __init__(self, admission: Admission, emulated_version: str) -> None:
        self.admission = admission
        self.emulated_version = emulated_version

    async def admitted(
        self,
        ctx: RequestContext,
        rt: ResourceType,
        info: RequestInfo,
        check: Check,
        *,
        validating: bool = True,
        body_type: ResourceType | None = None,
    ) -> tuple[Obj, bool]:
        """The body decoded into `body_type` (the resource's own by default), tracked, admitted and checked;
        and whether the request is a dry run."""
        body, attrs = await self.mutated(ctx, rt, info, body_type=body_type)
        err = check(body)
        if err is not None:
            ctx.record(StageRecord("validation", "deny", "registry", err.message))
            raise err
        if validating:
            await self.validated(ctx, attrs)
        else:
            self._report(ctx, attrs)
        return body, attrs.dry_run

    async def mutated(
        self,
        ctx: RequestContext,
        rt: ResourceType,
        info: RequestInfo,
        *,
        body_type: ResourceType | None = None,
        defaults: Callable[[Obj], None] | None = None,
    ) -> tuple[Obj, AdmissionAttributes]:
        """The create handler's steps up to mutating admission: the body decoded into `body_type` (with the
        version's `defaults`, as decoding applies them), its namespace checked, its managed fields tracked, the
        mutating plugins run; and the admission attributes for the validating ones (`validated`)."""
        request = ctx.request
        assert ctx.user is not None
        typed = body_type or rt
        opts = write_options(request.query, request.query.getall("dryRun", []))
        opts = with_manager(opts, request.headers.get("User-Agent", ""))
        raw = await read_body(request)
        body = await typed_body(ctx, typed, raw, opts.field_validation, self.emulated_version)
        check_kind(typed, body)
        body["apiVersion"], body["kind"] = typed.api_version, typed.kind
        ensure_namespace(body, info.namespace if rt.namespaced else "")
        if defaults is not None:
            defaults(body)
        track = (typed, None, body, opts.field_manager, ctx.user.name, info.subresource if body_type else "")
        if len(raw) > LARGE_BODY:  # as for any create: CPU-heavy work on a large body leaves the event loop
            await asyncio.to_thread(managedfields.track_write, *track)
        else:
            managedfields.track_write(*track)
        attrs = AdmissionAttributes(
            operation=Operation.CREATE,
            resource=rt.gvr,
            kind=GroupVersionKind(typed.group, typed.version, typed.kind),
            namespace=info.namespace if rt.namespaced else "",
            name=info.name,
            subresource=info.subresource,
            object=body,
            old_object=None,
            user=ctx.user,
            dry_run=opts.dry_run,
            options=opts.options,
        )
        await self.admission.admit(attrs, ctx.record)
        return body, attrs

    async def validated(self, ctx: RequestContext, attrs: AdmissionAttributes) -> None:
        """The validating plugins, then what all plugins left for the response and the audit event."""
        await self.admission.validate(attrs, ctx.record)
        self._report(ctx, attrs)

    @staticmethod
    def _report(ctx: RequestContext, attrs: AdmissionAttributes) -> None:
        ctx.warnings.extend(attrs.warnings)
        for key, value in attrs.audit_annotations.items():
            ctx.audit.annotations.setdefault(key, value)


class SelfSubjectReviewRest(AdmittedCreate):
    """authentication.k8s.io selfsubjectreviews: who the server thinks the caller is (`kubectl auth whoami`)."""

    async def create(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        rep = negotiate(ctx.request.headers.get("Accept", ""), allow_table=False)
        await self.admitted(ctx, rt, info, _no_check)
        assert ctx.user is not None
        answer = self_subject_review(ctx.user, datetime.now(UTC), api_version=rt.api_version)
        return object_response(answer, 201, rep, ctx.warnings)


class TokenReviewRest(AdmittedCreate):
    """authentication.k8s.io tokenreviews: the request authenticator asked about a bearer token alone."""

    def __init__(
        self, admission: Admission, emulated_version: str, authenticator: Authenticator, api_audiences: tuple[str, ...]
    ) -> None:
        super().__init__(admission, emulated_version)
        self.authenticator = authenticator
        self.api_audiences = api_audiences

    async def create(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        rep = negotiate(ctx.request.headers.get("Accept", ""), allow_table=False)
        body_obj, _dry_run = await self.admitted(ctx, rt, info, token_review_error)
        spec = body_obj.get("spec") or {}
        audiences = tuple(spec.get("audiences") or ()) or self.api_audiences
        creds = Credentials(authorization=f"Bearer {spec.get('token', '')}", audiences=audiences)
        error = ""
        try:
            answer = await self.authenticator.authenticate(creds)
        except AuthenticationError as exc:
            answer, error = None, str(exc)
        return object_response(token_review_response(body_obj, answer, error, audiences), 201, rep, ctx.warnings)


class AccessReviewRest(AdmittedCreate):
    """authorization.k8s.io subjectaccessreviews, localsubjectaccessreviews and selfsubjectaccessreviews:
    the configured authorizer asked about the spec's attributes (`kubectl auth can-i`)."""

    def __init__(self, admission: Admission, emulated_version: str, authorizer: Authorizer) -> None:
        super().__init__(admission, emulated_version)
        self.authorizer = authorizer

    async def create(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        rep = negotiate(ctx.request.headers.get("Accept", ""), allow_table=False)
        namespace = info.namespace if rt.namespaced else ""
        body, _dry_run = await self.admitted(ctx, rt, info, lambda b: access_review_error(b, rt.kind, namespace))
        assert ctx.user is not None
        spec = body.get("spec") or {}
        attrs = attributes_from(spec, ctx.user if rt.kind == SSAR else subject_of(spec))
        decision = await self.authorizer.authorize(attrs)
        said = f"{decision.verdict}: {decision.reason}"
        ctx.record(StageRecord("handler", "ok", decision.by or "authorization", said))
        answer = access_review_response(body, decision, kind=rt.kind, namespace=namespace)
        return object_response(answer, 201, rep, ctx.warnings)


class RulesReviewRest(AdmittedCreate):
    """authorization.k8s.io selfsubjectrulesreviews: the rule resolvers' list for the caller in a namespace
    (`kubectl auth can-i --list`); its REST storage runs no validating admission."""

    def __init__(self, admission: Admission, emulated_version: str, resolver: RuleResolver) -> None:
        super().__init__(admission, emulated_version)
        self.resolver = resolver

    async def create(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        rep = negotiate(ctx.request.headers.get("Accept", ""), allow_table=False)
        body, _dry_run = await self.admitted(ctx, rt, info, rules_review_error, validating=False)
        assert ctx.user is not None
        rules = await self.resolver.rules_for(ctx.user, (body.get("spec") or {}).get("namespace", ""))
        return object_response(rules_review_response(body, rules), 201, rep, ctx.warnings)

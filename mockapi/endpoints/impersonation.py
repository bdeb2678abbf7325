"""Impersonation (k8s.io/apiserver filters/impersonation.go): `Impersonate-User`, `-Group`, `-Uid` and
`-Extra-<key>` headers make the rest of the request run as another user, once the authorizer has allowed the
requester the verb `impersonate` on each part (users or serviceaccounts, groups, userextras, uids).

What upstream does, kept here: groups, extras or a uid without a user are a plain-text 500; checks run user,
groups, extras, uid and stop at the first that is not allowed (403, an authorizer error included); the new user
keeps nothing of the requester; a service account gets its groups unless groups are given; everyone but
`system:anonymous` gains `system:authenticated`, `system:anonymous` gains `system:unauthenticated`; the headers
are removed; the audit event keeps the requester as `user` and records `impersonatedUser`.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

from mockapi.api.authorization import Authorizer
from mockapi.api.golang import extra_key, header_text
from mockapi.api.serviceaccounts import groups as service_account_groups
from mockapi.api.serviceaccounts import split_username, username
from mockapi.api.types import (
    ANONYMOUS_USER,
    AUTHENTICATED_GROUP,
    UNAUTHENTICATED_GROUP,
    Attributes,
    StageRecord,
    UserInfo,
    Verdict,
)
from mockapi.endpoints.context import Handler, RequestContext
from mockapi.endpoints.filters import forbidden_error, internal_error_text

USER_HEADER = "Impersonate-User"
GROUP_HEADER = "Impersonate-Group"
UID_HEADER = "Impersonate-Uid"
EXTRA_PREFIX = "impersonate-extra-"
_AUTHENTICATION_V1 = "authentication.k8s.io/v1"


@dataclass(frozen=True, slots=True)
class _Part:
    """One thing to impersonate: a corev1.ObjectReference as buildImpersonationRequests makes it."""

    kind: str  # ServiceAccount, User, Group, UserExtra, UID
    name: str
    namespace: str = ""
    api_version: str = ""
    field_path: str = ""  # a UserExtra's key

    def go_value(self) -> str:
        """`%v` of the struct: Kind Namespace Name UID APIVersion ResourceVersion FieldPath, space-joined."""
        return "{" + " ".join((self.kind, self.namespace, self.name, "", self.api_version, "", self.field_path)) + "}"

    def attributes(self, requester: UserInfo) -> Attributes:
        group, _, version = self.api_version.rpartition("/") if "/" in self.api_version else ("", "", "")
        resource, subresource = {
            "ServiceAccount": ("serviceaccounts", ""),
            "User": ("users", ""),
            "Group": ("groups", ""),
            "UserExtra": ("userextras", self.field_path),
            "UID": ("uids", ""),
        }[self.kind]
        return Attributes(
            user=requester,
            verb="impersonate",
            is_resource_request=True,
            namespace=self.namespace,
            api_group=group,
            api_version=version,
            resource=resource,
            subresource=subresource,
            name=self.name,
        )


class Impersonate:
    def __init__(self, authorizer: Authorizer) -> None:
        self.authorizer = authorizer

    async def __call__(self, ctx: RequestContext, next_: Handler) -> web.StreamResponse:
        request = ctx.request
        parts = requested_parts(request.headers)
        if not parts:
            return await next_(ctx)
        if parts[0].kind not in ("User", "ServiceAccount"):
            error = f"requested [{' '.join(p.go_value() for p in parts)}] without impersonating a user"
            ctx.record(StageRecord("impersonation", "error", "impersonation", error))
            return internal_error_text(request.raw_path, error)
        requester = ctx.user
        assert requester is not None and ctx.info is not None
        for part in parts:
            attrs = part.attributes(requester)
            decision = await self.authorizer.authorize(attrs)
            if decision.verdict is not Verdict.ALLOW:  # an authorizer's error is a 403 here too, as upstream
                why = decision.reason or decision.error or "no authorizer allowed it"
                ctx.record(StageRecord("impersonation", "deny", decision.by or "authorization", why))
                raise forbidden_error(attrs, ctx.info, decision.reason)
        user = impersonated_user(parts)
        ctx.user = user
        ctx.audit.impersonated_user = user
        ctx.record(
            StageRecord("impersonation", "allow", "impersonation", f"{_who(requester)} is impersonating {_who(user)}")
        )
        kept: CIMultiDict[str] = CIMultiDict()
        for key, value in request.headers.items():
            if not _is_impersonation_header(key):
                kept.add(key, value)
        ctx.request = request.clone(headers=kept)
        return await next_(ctx)


def requested_parts(headers: CIMultiDictProxy[str]) -> list[_Part]:
    """buildImpersonationRequests: the user (or service account), each group, each extra value, the uid."""
    parts: list[_Part] = []
    user = header_text(headers.getall(USER_HEADER, [""])[0])
    if user:
        parts.append(_user_part(user))
    parts.extend(_Part("Group", header_text(group)) for group in headers.getall(GROUP_HEADER, []))
    extras: dict[str, list[str]] = {}
    for key, value in headers.items():
        if key.lower().startswith(EXTRA_PREFIX):
            extras.setdefault(extra_key(header_text(key[len(EXTRA_PREFIX) :]).lower()), []).append(header_text(value))
    for key, values in extras.items():
        parts.extend(_Part("UserExtra", value, api_version=_AUTHENTICATION_V1, field_path=key) for value in values)
    uid = header_text(headers.getall(UID_HEADER, [""])[0])
    if uid:
        parts.append(_Part("UID", uid, api_version=_AUTHENTICATION_V1))
    return parts


def _user_part(name: str) -> _Part:
    """A service account when the name splits as one (serviceaccount.SplitUsername), else a user."""
    found = split_username(name)
    return _Part("ServiceAccount", found[1], namespace=found[0]) if found else _Part("User", name)


def impersonated_user(parts: list[_Part]) -> UserInfo:
    """The user the request continues as; nothing of the requester is kept."""
    first = parts[0]
    groups: list[str] = []
    if first.kind == "ServiceAccount":
        name = username(first.namespace, first.name)
        if not any(p.kind == "Group" for p in parts):
            groups = list(service_account_groups(first.namespace))
    else:
        name = first.name
    groups.extend(p.name for p in parts if p.kind == "Group")
    if name == ANONYMOUS_USER:
        if UNAUTHENTICATED_GROUP not in groups:
            groups.append(UNAUTHENTICATED_GROUP)
    elif AUTHENTICATED_GROUP not in groups and UNAUTHENTICATED_GROUP not in groups:
        groups.append(AUTHENTICATED_GROUP)
    extra: dict[str, tuple[str, ...]] = {}
    for part in parts:
        if part.kind == "UserExtra":
            extra[part.field_path] = (*extra.get(part.field_path, ()), part.name)
    uid = next((p.name for p in parts if p.kind == "UID"), "")
    return UserInfo(name=name, uid=uid, groups=tuple(groups), extra=extra)


def _is_impersonation_header(key: str) -> bool:
    lowered = key.lower()
    return lowered in ("impersonate-user", "impersonate-group", "impersonate-uid") or lowered.startswith(EXTRA_PREFIX)


def _who(user: UserInfo) -> str:
    """httplog's form: `name[group,group]`, `<empty>` for no name."""
    return f"{user.name or '<empty>'}[{','.join(user.groups)}]"

"""Routing a resource request to the REST storage that serves it.

404 for an unknown resource or subresource, 405 for a verb discovery does not list, then the REST map
picks the storage; a verb that storage lacks is 405 too, and a subresource nobody serves yet says so.
"""

from __future__ import annotations

from aiohttp import web

from mockapi.api import errors
from mockapi.api.types import RequestInfo
from mockapi.endpoints.context import RequestContext
from mockapi.endpoints.rest import RestMap, method_not_allowed, verb_handler
from mockapi.resources.catalog import Catalog
from mockapi.resources.types import ResourceType


class ResourceRouter:
    def __init__(self, catalog: Catalog, rest: RestMap) -> None:
        self.catalog = catalog
        self.rest = rest

    async def __call__(self, ctx: RequestContext) -> web.StreamResponse:
        info = ctx.info
        assert info is not None
        rt = self.catalog.get(info.api_group, info.api_version, info.resource)
        if rt is None:
            raise errors.not_found_unqualified()
        if info.namespace and not rt.namespaced and info.resource != "namespaces":
            raise errors.not_found_unqualified()
        if info.subresource:
            sub = rt.subresource(info.subresource)
            if sub is None:
                raise errors.not_found_unqualified()
            if info.verb not in sub.verbs:
                raise method_not_allowed()
        else:
            if info.verb not in rt.verbs:
                raise method_not_allowed()
            if rt.namespaced and not info.namespace and info.verb not in ("list", "watch"):
                raise method_not_allowed()
            if info.verb == "create" and info.name:
                # POST to an item path: go-restful has routes there only for the item verbs
                if _ITEM_VERBS.isdisjoint(rt.verbs):
                    raise errors.not_found_unqualified()
                raise method_not_allowed()
        storage = self.rest.lookup(rt.group, rt.plural, info.subresource)
        handler = verb_handler(storage, info.verb) if storage is not None else None
        if handler is None:
            raise method_not_allowed() if storage is self.rest.generic else _not_served(rt, info)
        return await handler(ctx, rt, info)


_ITEM_VERBS = frozenset({"get", "update", "patch", "delete"})


def _not_served(rt: ResourceType, info: RequestInfo) -> errors.ApiError:
    """Served by kube-apiserver, not by mockapi yet: loud, never a silent fallback to the generic store."""
    kind = f"{rt.plural}/{info.subresource}" if info.subresource else rt.plural
    return errors.ApiError(
        405,
        "MethodNotAllowed",
        f'{info.verb} is not supported on resources of kind "{kind}" by mockapi yet',
        {"name": info.name, "kind": kind},
    )


class NotServedYet:
    """A resource kube-apiserver serves and mockapi does not yet (its logic comes with a later stage): every
    verb answers a clear 405 instead of reaching the generic store."""

    async def create(self, ctx: RequestContext, rt: ResourceType, info: RequestInfo) -> web.StreamResponse:
        raise _not_served(rt, info)

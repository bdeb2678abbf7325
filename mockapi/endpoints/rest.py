"""Per-resource REST storage (k8s.io/apiserver registry/rest: `rest.Storage` and its capability interfaces).

A REST storage is any object whose methods are named after the verbs it serves (`get`, `list`, `watch`,
`create`, `update`, `patch`, `delete`, `deletecollection`), each a `VerbHandler`: the generic store
serves them all, a status subresource `get`/`update`/`patch`, a review API only `create`. The map from
(group, resource, subresource) to storage decides who serves a request; a verb its storage lacks is 405,
as kube-apiserver registers no route for it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final, cast

from aiohttp import web

from mockapi.api import errors
from mockapi.api.types import RequestInfo
from mockapi.endpoints.context import RequestContext
from mockapi.resources.types import ResourceType

VerbHandler = Callable[[RequestContext, ResourceType, RequestInfo], Awaitable[web.StreamResponse]]

VERBS: Final = frozenset({"get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"})

METHOD_NOT_ALLOWED = "the server does not allow this method on the requested resource"


def method_not_allowed() -> errors.ApiError:
    return errors.ApiError(405, "MethodNotAllowed", METHOD_NOT_ALLOWED, {})


def verb_handler(storage: object, verb: str) -> VerbHandler | None:
    """The storage's handler for `verb`, or None when it does not implement that capability."""
    if verb not in VERBS:
        return None
    handler = getattr(storage, verb, None)
    return cast(VerbHandler, handler) if callable(handler) else None


class RestMap:
    """(group, resource, subresource) -> REST storage; main resources fall back to the generic store."""

    def __init__(self, generic: object) -> None:
        self.generic = generic
        self._entries: dict[tuple[str, str, str], object] = {}

    def register(self, group: str, resource: str, subresource: str, storage: object) -> None:
        self._entries[(group, resource, subresource)] = storage

    def lookup(self, group: str, resource: str, subresource: str) -> object | None:
        """The storage serving this path; None for a subresource nobody serves."""
        found = self._entries.get((group, resource, subresource))
        if found is None and not subresource:
            return self.generic
        return found

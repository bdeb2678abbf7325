"""Field management: `metadata.managedFields` on every write, and server-side apply.

A port of what kube-apiserver does with sigs.k8s.io/structured-merge-diff (v4) and
k8s.io/apimachinery `pkg/util/managedfields`:

    fieldpath   paths, field sets and their `fieldsV1` JSON encoding
    schema      structured-merge-diff types (list and map types, keys) from the published definitions
    typed       field sets of values, compare, merge, remove, validation of applied configurations
    gotyped     an object as its Go type encodes it (what is compared, and what an apply stores)
    updater     ownership after an update or an apply: conflicts, force, pruning
    manager     the managedFields entries: decode/encode, the wrappers kube-apiserver stacks around the
                updater (before-first-apply, client-side-apply migration, ancient-changes, ...)
    apply       `application/apply-patch+yaml` requests over a ResourceStore (import it directly:
                it imports the store, which imports this package)

`track_write` is what `ResourceStore` calls on create and update. May import `mockapi.api`,
`mockapi.resources`, `mockapi.protobuf.schema` (the Go facts: field order, `omitempty`) and the
registry's own modules; never aiohttp.
"""

from __future__ import annotations

from functools import cache

from mockapi.api.types import Obj
from mockapi.registry.managedfields.entries import ManagerKey, decode, encode
from mockapi.registry.managedfields.manager import (
    LAST_APPLIED,
    KindContext,
    apply,
    conflict_error,
    kind_context,
    manager_for_user,
    manager_or_user_agent,
    track_update,
)
from mockapi.resources.types import ResourceType

__all__ = [
    "LAST_APPLIED",
    "KindContext",
    "ManagerKey",
    "apply",
    "conflict_error",
    "context",
    "decode",
    "encode",
    "manager_for_user",
    "manager_or_user_agent",
    "track_write",
]


@cache
def _context(group: str, version: str, kind: str, has_status: bool) -> KindContext:
    return kind_context(group, version, kind, has_status=has_status)


def context(rt: ResourceType) -> KindContext:
    return _context(rt.group, rt.version, rt.kind, rt.subresource("status") is not None)


def track_write(
    rt: ResourceType, live: Obj | None, new: Obj, field_manager: str, user_name: str, subresource: str = ""
) -> None:
    """Record an ordinary write (create when `live` is None) in `new`'s managedFields.

    `field_manager` is the request's (already defaulted from the User-Agent by the HTTP layer); writes
    mockapi makes itself name the component kube-apiserver would have seen (`manager_for_user`).
    """
    track_update(context(rt), live, new, manager_for_user(field_manager, user_name), subresource)

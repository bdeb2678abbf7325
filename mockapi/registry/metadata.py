"""System-owned metadata: what the server fills, keeps and clears on writes (rest/create.go, rest/update.go)."""

from __future__ import annotations

from typing import Any

from mockapi.api.objects import meta, new_uid, now_rfc3339
from mockapi.api.types import Obj

_WIPED_ON_CREATE = ("creationTimestamp", "uid", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink")


def wipe_system_fields(obj: Obj) -> None:
    m = meta(obj)
    for key in _WIPED_ON_CREATE:
        m.pop(key, None)


def fill_on_create(obj: Obj) -> None:
    m = meta(obj)
    m["uid"] = new_uid()
    m["creationTimestamp"] = now_rfc3339()


def keep_system_fields(new: Obj, old: Obj) -> None:
    """What rest.BeforeUpdate restores from the stored object: the uid when none is sent, the creation
    timestamp, a deletion timestamp and grace period once set, and the generation. A different uid, or a
    deletion timestamp or grace period the client adds, is left for validation to reject."""
    nm, om = meta(new), meta(old)
    if not nm.get("uid") and "uid" in om:
        nm["uid"] = om["uid"]
    if "creationTimestamp" in om:
        nm["creationTimestamp"] = om["creationTimestamp"]
    else:
        nm.pop("creationTimestamp", None)
    if "deletionTimestamp" in om:
        nm["deletionTimestamp"] = om["deletionTimestamp"]
    elif not nm.get("deletionTimestamp"):
        nm.pop("deletionTimestamp", None)  # `null` or "" decode to no timestamp at all
    if nm.get("deletionGracePeriodSeconds") is None:
        if "deletionGracePeriodSeconds" in om:
            nm["deletionGracePeriodSeconds"] = om["deletionGracePeriodSeconds"]
        else:
            nm.pop("deletionGracePeriodSeconds", None)
    nm.pop("selfLink", None)
    if "generation" in om:
        nm["generation"] = om["generation"]
    else:
        nm.pop("generation", None)


def spec_changed(new: Obj, old: Obj, fields: tuple[str, ...]) -> bool:
    return any(new.get(f) != old.get(f) for f in fields)


def pending_finalizers(obj: Obj) -> bool:
    """Whether deletion must wait: metadata.finalizers, or a Namespace's spec.finalizers."""
    m: dict[str, Any] = obj.get("metadata", {})
    if m.get("finalizers"):
        return True
    return obj.get("kind") == "Namespace" and bool((obj.get("spec") or {}).get("finalizers"))


_OMITTED_WHEN_EMPTY = ("labels", "annotations", "finalizers", "ownerReferences", "managedFields")


def drop_empty(obj: Obj, fields: tuple[str, ...] = ()) -> None:
    """Go omits empty `omitempty` maps and slices when it encodes: metadata's, plus the kind's `fields`."""
    m = obj.get("metadata")
    if isinstance(m, dict):
        for key in _OMITTED_WHEN_EMPTY:
            if key in m and not m[key]:
                del m[key]
    for key in fields:
        if key in obj and not obj[key]:
            del obj[key]

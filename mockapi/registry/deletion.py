"""DELETE and DELETECOLLECTION (store.go Delete/DeleteCollection, rest/delete.go BeforeDelete).

Finalizers and graceful deletion keep an object with `deletionTimestamp` set; otherwise it is removed.
Propagation policies add the `orphan` / `foregroundDeletion` finalizers the garbage collector honours.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn

from mockapi.api import errors
from mockapi.api.objects import clone, meta, new_uid, parse_rfc3339, rfc3339
from mockapi.api.types import Obj, Operation
from mockapi.registry import metadata as sysmeta
from mockapi.registry.conversion import storage_key
from mockapi.registry.options import DeleteOptions, OpContext, WriteOptions, delete_options_object
from mockapi.registry.store import Attempts, ResourceStore, report_admission
from mockapi.registry.strategy import strategy_for
from mockapi.resources.types import ResourceType
from mockapi.storage.errors import KeyNotFound, PreconditionFailed
from mockapi.storage.interface import Preconditions

ORPHAN_FINALIZER = "orphan"
FOREGROUND_FINALIZER = "foregroundDeletion"


def _grace_period(rt: ResourceType, obj: Obj, opts: DeleteOptions) -> int:
    """Pods delete gracefully once scheduled (pod strategy CheckGracefulDelete); everything else at once."""
    if not _is_pod(rt):
        return 0
    if not (obj.get("spec") or {}).get("nodeName"):
        return 0
    if (obj.get("status") or {}).get("phase") in ("Failed", "Succeeded"):
        return 0
    if opts.grace_period_seconds is not None:
        return max(opts.grace_period_seconds, 0)
    return int((obj.get("spec") or {}).get("terminationGracePeriodSeconds", 30))


def _finalizer_for(opts: DeleteOptions) -> str | None:
    if opts.propagation_policy == "Orphan" or opts.orphan_dependents is True:
        return ORPHAN_FINALIZER
    if opts.propagation_policy == "Foreground":
        return FOREGROUND_FINALIZER
    return None


class _Changed(Exception):
    """The object changed between admission and removal: admit the new state and try again."""


async def delete(
    store: ResourceStore, rt: ResourceType, namespace: str, name: str, opts: DeleteOptions, ctx: OpContext
) -> tuple[Obj, int]:
    """Returns the response body and status code (200, or 202 when deletion is pending).

    Admission sees the stored version that is then removed: when another write lands in between, the
    delete starts over on the new state (etcd3 store's conditionalDelete); only the last attempt reports.
    """
    attempts = Attempts(ctx)
    admission_uid = new_uid()
    try:
        while True:
            octx = attempts.start()
            existing = await store.get(rt, namespace, name)
            _check_preconditions(rt, name, existing, opts)
            write = WriteOptions(dry_run=opts.dry_run, options=delete_options_object(opts))
            attrs = store._attrs(Operation.DELETE, rt, namespace, name, None, existing, write, octx)
            attrs.uid = admission_uid
            await store.admission.admit(attrs, octx.record)
            await store.admission.validate(attrs, octx.record)
            report_admission(attrs, octx)
            try:
                return await _delete_admitted(store, rt, namespace, name, existing, opts)
            except _Changed:
                continue
    finally:
        attempts.flush()


async def _delete_admitted(
    store: ResourceStore, rt: ResourceType, namespace: str, name: str, existing: Obj, opts: DeleteOptions
) -> tuple[Obj, int]:
    key = storage_key(rt, namespace, name)

    finalizer = _finalizer_for(opts)
    grace = _grace_period(rt, existing, opts)
    is_namespace = rt.group == "" and rt.plural == "namespaces"
    if finalizer or grace or sysmeta.pending_finalizers(existing):

        def mark(current: Obj) -> Obj:
            m = meta(current)
            if finalizer:
                m["finalizers"] = with_gc_finalizer(m.get("finalizers") or [], finalizer)
            if "deletionTimestamp" not in m:
                m["deletionTimestamp"] = rfc3339(datetime.now(UTC) + timedelta(seconds=grace))
                m["deletionGracePeriodSeconds"] = grace
            elif _is_pod(rt) and opts.grace_period_seconds is not None:
                _shorten_grace(m, grace)
            if is_namespace:
                current.setdefault("status", {})["phase"] = "Terminating"
            return current

        if opts.dry_run:
            return mark(clone(existing)), 200

        admitted_rv = existing["metadata"].get("resourceVersion")

        async def update(current: Obj) -> Obj:
            if current["metadata"].get("resourceVersion") != admitted_rv:
                raise _Changed  # decided (finalizers, grace) and admitted on an older state: start over
            return mark(current)

        try:
            updated = await store.views(rt).guaranteed_update(key, update)
        except KeyNotFound:
            raise errors.not_found(rt.gvr, name) from None
        # kube-apiserver answers 202 only for a pending delete requested with orphanDependents=false
        return updated, 202 if opts.orphan_dependents is False else 200

    marked = _is_pod(rt) and _needs_final_mark(existing)
    if opts.dry_run:
        return _deleted_response(rt, _mark_now(clone(existing)) if marked else existing), 200
    admitted_uid = existing["metadata"].get("uid")
    uid = Preconditions(uid=admitted_uid, resource_version=existing["metadata"].get("resourceVersion"))
    if marked:
        # A graceful kind is written with deletionTimestamp=now and a zero grace period before it is removed
        # (store.go updateForGracefulDeletionAndFinalizers): watchers see MODIFIED then DELETED, and the
        # answer carries the marks.
        async def mark_now(current: Obj) -> Obj:
            return _mark_now(current)

        try:
            existing = await store.views(rt).guaranteed_update(key, mark_now, uid)
        except KeyNotFound:
            raise errors.not_found(rt.gvr, name) from None
        except PreconditionFailed:
            await _changed_or_conflict(store, rt, namespace, name, admitted_uid)
    admitted = Preconditions(uid=admitted_uid, resource_version=existing["metadata"].get("resourceVersion"))
    try:
        gone = await store.views(rt).delete(key, admitted)
    except KeyNotFound:
        if not marked:
            raise errors.not_found(rt.gvr, name) from None
        # upstream tolerates losing the race to another deleter once the object is marked (ignoreNotFound)
        return _deleted_response(rt, existing), 200
    except PreconditionFailed:
        await _changed_or_conflict(store, rt, namespace, name, admitted_uid, gone_is_404=not marked)
    store.hooks.release(rt, gone)
    return _deleted_response(rt, gone), 200


async def _changed_or_conflict(
    store: ResourceStore, rt: ResourceType, namespace: str, name: str, uid: str | None, *, gone_is_404: bool = True
) -> NoReturn:
    """After a precondition failed: the same object changed (admit it again), it is gone (404), or another
    object took its name (409). Always raises."""
    latest = await store.find(rt, namespace, name)
    if latest is not None and latest["metadata"].get("uid") == uid:
        raise _Changed
    if latest is None and gone_is_404:
        raise errors.not_found(rt.gvr, name)
    raise errors.conflict(rt.gvr, name, errors.OBJECT_MODIFIED)


def _is_pod(rt: ResourceType) -> bool:
    """Pods are the one built-in kind with a graceful delete strategy (pod strategy CheckGracefulDelete)."""
    return rt.group == "" and rt.plural == "pods"


def _needs_final_mark(obj: Obj) -> bool:
    """rest.BeforeDelete: an object already marked with no or a zero grace period is deleted without a write."""
    m = meta(obj)
    return "deletionTimestamp" not in m or m.get("deletionGracePeriodSeconds") not in (None, 0)


def _mark_now(obj: Obj) -> Obj:
    m = meta(obj)
    if "deletionTimestamp" in m:
        _shorten_grace(m, 0)
    else:
        m["deletionTimestamp"] = rfc3339(datetime.now(UTC))
        m["deletionGracePeriodSeconds"] = 0
    return obj


def _shorten_grace(m: dict[str, Any], grace: int) -> None:
    """rest.BeforeDelete: a pending graceful deletion may only be shortened, its timestamp moved back by the
    difference."""
    current = m.get("deletionGracePeriodSeconds")
    if not current or grace >= current:
        return
    when = parse_rfc3339(m["deletionTimestamp"]) - timedelta(seconds=current - grace)
    m["deletionTimestamp"] = rfc3339(when)
    m["deletionGracePeriodSeconds"] = grace


def _deleted_response(rt: ResourceType, gone: Obj) -> Obj:
    """store.go finalizeDelete: the object itself where the REST storage sets ReturnDeletedObject
    (`deleted_object.py`), else a Success Status whose details.kind is the resource (plural), as upstream."""
    if strategy_for(rt).return_deleted:
        return gone
    m = gone.get("metadata", {})
    details: Obj = {"name": m.get("name", "")}
    if rt.group:
        details["group"] = rt.group
    details["kind"] = rt.plural
    details["uid"] = m.get("uid", "")
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": details}


def _check_preconditions(rt: ResourceType, name: str, obj: Obj, opts: DeleteOptions) -> None:
    m = obj.get("metadata", {})
    if opts.precondition_uid is not None and opts.precondition_uid != m.get("uid"):
        raise errors.conflict(
            rt.gvr,
            name,
            f"Precondition failed: UID in precondition: {opts.precondition_uid}, "
            f"UID in object meta: {m.get('uid', '')}",
        )
    if opts.precondition_rv is not None and opts.precondition_rv != m.get("resourceVersion"):
        raise errors.conflict(
            rt.gvr,
            name,
            "Precondition failed: ResourceVersion in precondition: "
            f"{opts.precondition_rv}, ResourceVersion in object meta: {m.get('resourceVersion', '')}",
        )


_GC_FINALIZERS = ("orphan", "foregroundDeletion")


def with_gc_finalizer(finalizers: list[str], finalizer: str) -> list[str]:
    """deletionFinalizersForGarbageCollection: the policy's finalizer replaces the other one; the list is
    left as it was when the set does not change."""
    new = [f for f in finalizers if f not in _GC_FINALIZERS] + [finalizer]
    return finalizers if set(new) == set(finalizers) else new

"""Garbage collection by ownerReferences (kube-controller-manager's garbagecollector, simplified to
what a single process needs): orphan and foreground finalizers, and background cascading.

As upstream's `GraphBuilder`, it monitors every listable, watchable resource through its informer. Each
resource's changes arrive in order, but two resources' changes may interleave in any order, so nothing
is deleted on what the collector has seen alone: an owner is looked up before its dependent is collected.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from mockapi.api import errors
from mockapi.api.informers import HandlerRegistration, InformerFactory
from mockapi.api.objects import meta
from mockapi.api.types import Obj
from mockapi.controllers.base import controller_identity
from mockapi.registry import deletion
from mockapi.registry.conversion import storage_prefix
from mockapi.registry.deletion import FOREGROUND_FINALIZER, ORPHAN_FINALIZER
from mockapi.registry.options import DeleteOptions, Propagation, WriteOptions
from mockapi.registry.store import ResourceStore
from mockapi.resources.catalog import Catalog
from mockapi.resources.types import ResourceType

log = logging.getLogger("mockapi.controllers")


@dataclass(frozen=True, slots=True)
class Ref:
    """An object the collector knows of."""

    resource: ResourceType
    namespace: str
    name: str

    def __str__(self) -> str:  # for logs: `configmaps default/name`
        where = f"{self.namespace}/" if self.namespace else ""
        return f"{self.resource.gvr.group_resource} {where}{self.name}"


class GarbageCollector:
    def __init__(self, catalog: Catalog, store: ResourceStore) -> None:
        self.catalog = catalog
        self.store = store
        self.ctx = controller_identity("generic-garbage-collector")
        self.monitored: list[ResourceType] = []
        """One served form of each stored resource that can be listed and watched: versions and cohabiting
        groups (core and events.k8s.io Events) share their objects, so each is followed once."""
        seen: set[str] = set()
        for rt in catalog.all():
            if {"list", "watch"} <= set(rt.verbs) and storage_prefix(rt) not in seen:
                seen.add(storage_prefix(rt))
                self.monitored.append(rt)
        self.dependents: dict[str, set[Ref]] = {}  # owner uid -> objects naming it
        self.live_uids: set[str] = set()
        self.pending: set[asyncio.Task[None]] = set()

    def register(self, informers: InformerFactory) -> list[HandlerRegistration]:
        """Follow every monitored resource; the caller removes the registrations to stop."""
        return [self._monitor(informers, rt) for rt in self.monitored]

    def _monitor(self, informers: InformerFactory, rt: ResourceType) -> HandlerRegistration:
        async def on_add(obj: Obj) -> None:
            self.observe(rt, None, obj)

        async def on_update(old: Obj, new: Obj) -> None:
            self.observe(rt, old, new)

        async def on_delete(obj: Obj) -> None:
            self.forget(rt, obj)

        return informers.informer(rt.gvr).add_handler(on_add=on_add, on_update=on_update, on_delete=on_delete)

    def observe(self, rt: ResourceType, old: Obj | None, obj: Obj) -> None:
        """An object of `rt` was listed, created or updated (`old`: its previous state, if known)."""
        m = obj["metadata"]
        ref, uid = Ref(rt, m.get("namespace", ""), m["name"]), m.get("uid", "")
        old_owners = _owner_uids(old)
        self.live_uids.add(uid)
        new_owners = _owner_uids(obj)
        for owner in old_owners - new_owners:
            self.dependents.get(owner, set()).discard(ref)
        for owner in new_owners:
            self.dependents.setdefault(owner, set()).add(ref)
        if new_owners and not (new_owners & self.live_uids):
            self._spawn(self._collect_if_orphaned(ref))
        finalizers = m.get("finalizers") or []
        if "deletionTimestamp" in m:
            if ORPHAN_FINALIZER in finalizers:
                self._spawn(self._orphan(ref, uid))
            elif FOREGROUND_FINALIZER in finalizers:
                self._spawn(self._foreground(ref, uid))

    def forget(self, rt: ResourceType, obj: Obj) -> None:
        """An object of `rt` was deleted (`obj`: its last state): its dependents may be orphans now."""
        m = obj["metadata"]
        ref, uid = Ref(rt, m.get("namespace", ""), m["name"]), m.get("uid", "")
        self.live_uids.discard(uid)
        for owner in _owner_uids(obj):
            self.dependents.get(owner, set()).discard(ref)
        self._spawn(self._cascade(uid))

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.ensure_future(coro)
        self.pending.add(task)
        task.add_done_callback(self.pending.discard)

    async def stop(self) -> None:
        for task in list(self.pending):
            task.cancel()
        self.pending.clear()
        self.dependents.clear()
        self.live_uids.clear()

    async def _orphan(self, key: Ref, uid: str) -> None:
        for dep in list(self.dependents.get(uid, ())):
            await self._update(dep, lambda o: _drop_owner(o, uid))
        await self._update(key, lambda o: _drop_finalizer(o, ORPHAN_FINALIZER))

    async def _foreground(self, key: Ref, uid: str) -> None:
        while self.dependents.get(uid):
            for dep in list(self.dependents.get(uid, ())):
                await self._delete(dep, "Foreground")
            await asyncio.sleep(0.05)
        await self._update(key, lambda o: _drop_finalizer(o, FOREGROUND_FINALIZER))

    async def _cascade(self, uid: str) -> None:
        for dep in list(self.dependents.get(uid, ())):
            await self._collect_if_orphaned(dep)
        self.dependents.pop(uid, None)

    async def _collect_if_orphaned(self, key: Ref) -> None:
        obj = await self.store.find(key.resource, key.namespace, key.name)
        if obj is None:
            return
        for ref in obj["metadata"].get("ownerReferences") or []:
            if ref.get("uid") in self.live_uids or await self._owner_exists(ref, key.namespace):
                return
        await self._delete(key, "Background")

    async def _owner_exists(self, ref: Obj, namespace: str) -> bool:
        """Look the owner up by apiVersion, kind and name, as the real collector does, and compare uids."""
        group, _, version = str(ref.get("apiVersion", "")).rpartition("/")
        rt = self.catalog.by_kind(group, version, str(ref.get("kind", "")))
        if rt is None:
            return True  # an owner of a kind we cannot resolve is never assumed gone
        owner = await self.store.find(rt, namespace if rt.namespaced else "", str(ref.get("name", "")))
        return owner is not None and owner["metadata"].get("uid") == ref.get("uid")

    async def _delete(self, key: Ref, policy: Propagation) -> None:
        try:
            await deletion.delete(
                self.store, key.resource, key.namespace, key.name, DeleteOptions(propagation_policy=policy), self.ctx
            )
        except errors.ApiError as err:
            if err.code != 404:
                log.warning("garbage collector: cannot delete %s: %s", key, err.message)

    async def _update(self, key: Ref, fn: Callable[[Obj], Obj]) -> None:
        try:
            await self.store.update_existing(key.resource, key.namespace, key.name, fn, WriteOptions(), self.ctx)
        except errors.ApiError as err:
            if err.code != 404:
                log.warning("garbage collector: cannot update %s: %s", key, err.message)


def _owner_uids(obj: Obj | None) -> set[str]:
    if obj is None:
        return set()
    return {ref.get("uid", "") for ref in obj.get("metadata", {}).get("ownerReferences") or []}


def _drop_owner(obj: Obj, uid: str) -> Obj:
    m = meta(obj)
    refs = [r for r in m.get("ownerReferences") or [] if r.get("uid") != uid]
    if refs:
        m["ownerReferences"] = refs
    else:
        m.pop("ownerReferences", None)
    return obj


def _drop_finalizer(obj: Obj, finalizer: str) -> Obj:
    m = meta(obj)
    remaining = [f for f in m.get("finalizers") or [] if f != finalizer]
    if remaining:
        m["finalizers"] = remaining
    else:
        m.pop("finalizers", None)
    return obj

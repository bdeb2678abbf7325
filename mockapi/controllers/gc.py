"""Garbage collection by ownerReferences (kube-controller-manager's garbagecollector, simplified to
what a single process needs): orphan and foreground finalizers, and background cascading."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from mockapi.api import errors
from mockapi.api.objects import meta
from mockapi.api.types import Obj
from mockapi.controllers.base import controller_identity
from mockapi.registry import deletion
from mockapi.registry.deletion import FOREGROUND_FINALIZER, ORPHAN_FINALIZER
from mockapi.registry.options import DeleteOptions, Propagation, WriteOptions
from mockapi.registry.store import ResourceStore
from mockapi.resources.catalog import Catalog
from mockapi.resources.types import ResourceType
from mockapi.storage.interface import Key, StoredEvent

log = logging.getLogger("mockapi.controllers")


class GarbageCollector:
    def __init__(self, catalog: Catalog, store: ResourceStore) -> None:
        self.catalog = catalog
        self.store = store
        self.ctx = controller_identity("generic-garbage-collector")
        self.types: dict[str, ResourceType] = {}
        for rt in catalog.all():
            self.types.setdefault(f"{rt.group}/{rt.plural}", rt)
        self.dependents: dict[str, set[Key]] = {}  # owner uid -> keys of objects naming it
        self.live_uids: set[str] = set()
        self.pending: set[asyncio.Task[None]] = set()

    async def handle(self, event: StoredEvent) -> None:
        obj, uid = event.object, event.object["metadata"].get("uid", "")
        old_owners = _owner_uids(event.prev) if event.prev is not None else set()
        if event.type == "DELETED":
            self.live_uids.discard(uid)
            for owner in old_owners:
                self.dependents.get(owner, set()).discard(event.key)
            self._spawn(self._cascade(uid))
            return
        self.live_uids.add(uid)
        new_owners = _owner_uids(obj)
        for owner in old_owners - new_owners:
            self.dependents.get(owner, set()).discard(event.key)
        for owner in new_owners:
            self.dependents.setdefault(owner, set()).add(event.key)
        if new_owners and not (new_owners & self.live_uids):
            self._spawn(self._collect_if_orphaned(event.key))
        finalizers = obj["metadata"].get("finalizers") or []
        if "deletionTimestamp" in obj["metadata"]:
            if ORPHAN_FINALIZER in finalizers:
                self._spawn(self._orphan(event.key, uid))
            elif FOREGROUND_FINALIZER in finalizers:
                self._spawn(self._foreground(event.key, uid))

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

    async def _orphan(self, key: Key, uid: str) -> None:
        for dep in list(self.dependents.get(uid, ())):
            await self._update(dep, lambda o: _drop_owner(o, uid))
        await self._update(key, lambda o: _drop_finalizer(o, ORPHAN_FINALIZER))

    async def _foreground(self, key: Key, uid: str) -> None:
        while self.dependents.get(uid):
            for dep in list(self.dependents.get(uid, ())):
                await self._delete(dep, "Foreground")
            await asyncio.sleep(0.05)
        await self._update(key, lambda o: _drop_finalizer(o, FOREGROUND_FINALIZER))

    async def _cascade(self, uid: str) -> None:
        for dep in list(self.dependents.get(uid, ())):
            await self._collect_if_orphaned(dep)
        self.dependents.pop(uid, None)

    async def _collect_if_orphaned(self, key: Key) -> None:
        rt = self.types.get(key.prefix)
        if rt is None:
            return
        obj = await self.store.find(rt, key.namespace, key.name)
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

    async def _delete(self, key: Key, policy: Propagation) -> None:
        rt = self.types.get(key.prefix)
        if rt is None:
            return
        try:
            await deletion.delete(
                self.store, rt, key.namespace, key.name, DeleteOptions(propagation_policy=policy), self.ctx
            )
        except errors.ApiError as err:
            if err.code != 404:
                log.warning("garbage collector: cannot delete %s: %s", key, err.message)

    async def _update(self, key: Key, fn: Callable[[Obj], Obj]) -> None:
        rt = self.types.get(key.prefix)
        if rt is None:
            return
        try:
            await self.store.update_existing(rt, key.namespace, key.name, fn, WriteOptions(), self.ctx)
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

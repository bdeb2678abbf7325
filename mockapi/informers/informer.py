"""One resource's list-then-watch cache (client-go `SharedIndexInformer`: Reflector + DeltaFIFO + Indexer,
folded into one class because storage is in-process).

The loop lists the storage prefix, watches from the list's revision, and applies each event to the cache
and then to the handlers' queues. When the watch ends (the store closed it for overflow, or a reset), the
cache is unsynced until it relists; the relist replaces the cache and tells handlers the difference.

Reads catch up first: they apply whatever the watcher has queued (`poll` never waits), and notice a
closed watch at once. With the memory store, which queues an event during the write itself, a read
therefore sees every write that finished before it: the cache is always current, not eventually so.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import logging

from mockapi.api.informers import IndexFunc, OnAdd, OnDelete, OnUpdate
from mockapi.api.types import GroupVersionResource, Obj
from mockapi.informers.cache import IndexedCache, key_of
from mockapi.informers.handlers import HandlerListener
from mockapi.informers.indexes import NAMESPACE_INDEX, namespace_index
from mockapi.informers.mutation import MutationDetector
from mockapi.storage.errors import TooOldResourceVersion
from mockapi.storage.interface import Storage, StoredEvent, Watcher

log = logging.getLogger("mockapi.informers")

MAX_BACKOFF = 1.0
"""The longest wait before a relist (seconds), reached only when the store keeps failing."""


def relist_delay(failures: int) -> float:
    """No wait after one failure, then 50 ms, doubling up to MAX_BACKOFF, so a store that fails every list
    or closes every watch at once is not spun on. A watch that was followed for a while (until a store
    reset, an overflow) is no failure: its relist starts at once, and readers waiting for it wait least."""
    if failures <= 1:
        return 0.0
    return min(0.05 * 2.0 ** (failures - 2), MAX_BACKOFF)


class SharedIndexInformer:
    """The cache, its sync state and handlers for one storage prefix; shared by the resource's versions."""

    def __init__(
        self, storage: Storage, prefix: str, namespaced: bool, name: str, detector: MutationDetector | None = None
    ) -> None:
        self._storage = storage
        self._prefix = prefix
        self._namespaced = namespaced
        self.name = name
        """The resource, for logs and errors (`pods`, `deployments.apps`)."""
        self._detector = detector
        self._cache = IndexedCache()
        self._cache.add_indexer(NAMESPACE_INDEX, namespace_index)
        self._watcher: Watcher | None = None
        """The open watch the cache follows; None before the first list and once it ended."""
        self._synced = asyncio.Event()
        self._listeners: list[HandlerListener] = []
        self._task: asyncio.Task[None] | None = None
        self.failure: str | None = None
        """Why the last list failed, while it keeps failing (health checks report it)."""

    # -- reads ----------------------------------------------------------------------------------

    def get(self, namespace: str, name: str) -> Obj | None:
        self.catch_up()
        return self._cache.get((namespace if self._namespaced else "", name))

    def list(self, namespace: str = "") -> builtins.list[Obj]:
        self.catch_up()
        if namespace and self._namespaced:
            return self._cache.by_index(NAMESPACE_INDEX, namespace)
        return self._cache.values()

    def by_index(self, index_name: str, value: str) -> builtins.list[Obj]:
        self.catch_up()
        return self._cache.by_index(index_name, value)

    def index_values(self, index_name: str) -> builtins.list[str]:
        self.catch_up()
        return self._cache.index_values(index_name)

    def add_index(self, name: str, fn: IndexFunc) -> None:
        self.catch_up()
        self._cache.add_indexer(name, fn)

    def has_synced(self) -> bool:
        self.catch_up()
        return self._synced.is_set()

    async def wait_synced(self) -> None:
        if self._task is None:
            raise RuntimeError(f"the {self.name} informer is not running: start its SharedInformerFactory first")
        self.catch_up()
        await self._synced.wait()

    # -- handlers -------------------------------------------------------------------------------

    def add_handler(
        self, *, on_add: OnAdd | None = None, on_update: OnUpdate | None = None, on_delete: OnDelete | None = None
    ) -> HandlerListener:
        self.catch_up()
        listener = HandlerListener(self.name, on_add, on_update, on_delete, self._listeners.remove)
        self._listeners.append(listener)
        if self._synced.is_set():
            self._activate(listener)
        # else: it gets the cache whole once the (re)list is done, never a stale cache's objects
        return listener

    def _activate(self, listener: HandlerListener) -> None:
        for obj in self._cache.values():
            listener.added(obj)
        listener.active = True

    def _added(self, obj: Obj) -> None:
        for listener in self._listeners:
            if listener.active:
                listener.added(obj)

    def _updated(self, old: Obj, new: Obj) -> None:
        for listener in self._listeners:
            if listener.active:
                listener.updated(old, new)

    def _deleted(self, obj: Obj) -> None:
        for listener in self._listeners:
            if listener.active:
                listener.deleted(obj)

    # -- following the store --------------------------------------------------------------------

    def catch_up(self) -> None:
        """Apply every event the watcher has queued; notice at once when the watch has ended."""
        watcher = self._watcher
        if watcher is None:
            return
        while (event := watcher.poll()) is not None:
            self._apply(event)
        if watcher.stopped:
            self._watcher = None
            self._synced.clear()  # stale until the loop relists: readers that wait_synced wait for it

    def _apply(self, event: StoredEvent) -> None:
        key = (event.key.namespace, event.key.name)
        if event.type == "DELETED":
            if self._cache.delete(key) is not None:
                self._deleted(event.object)  # the last state, with the deletion's revision
            return
        self._track(event.object)
        old = self._cache.put(key, event.object)
        if old is None:
            self._added(event.object)
        else:
            self._updated(old, event.object)

    def _replace(self, items: builtins.list[Obj]) -> None:
        """Make the cache hold `items`, telling active handlers what changed (client-go `Replace`)."""
        listed = {key_of(obj): obj for obj in items}
        for key in self._cache.cached_keys():
            if key not in listed:
                old = self._cache.delete(key)
                assert old is not None
                self._deleted(old)
        for key, obj in listed.items():
            old = self._cache.get(key)
            if old is obj or (old is not None and _rv(old) == _rv(obj)):
                continue
            self._track(obj)
            if old is not None and _uid(old) != _uid(obj):
                self._cache.delete(key)  # another object under the same name: it went, this one came
                self._deleted(old)
                old = None
            self._cache.put(key, obj)
            if old is None:
                self._added(obj)
            else:
                self._updated(old, obj)
        for listener in self._listeners:
            if not listener.active:
                self._activate(listener)

    def _track(self, obj: Obj) -> None:
        if self._detector is not None:
            self._detector.track(obj)

    async def _relist(self) -> None:
        listed = await self._storage.list(self._prefix, "")
        watcher = self._storage.watch(self._prefix, "", listed.resource_version)
        # No await from here on: a reader sees the old state, or the new one with the watch that follows it.
        if self._watcher is not None:
            self._watcher.stop()
        self._watcher = watcher
        self._replace(listed.items)
        self._synced.set()

    async def _run(self) -> None:
        failures = 0
        while True:
            try:
                await self._relist()
            except TooOldResourceVersion:
                await asyncio.sleep(0)  # the list's revision left the window before the watch opened
                continue
            except Exception as err:  # keep trying: a cache must outlive a store hiccup; health reports it
                failures += 1
                self.failure = f"{self.name}: {err}"
                log.exception("informer %s: list failed", self.name)
                await asyncio.sleep(relist_delay(failures + 1))
                continue
            self.failure = None
            watcher = self._watcher
            assert watcher is not None
            if watcher.stopped:
                failures += 1  # closed before it was ever waited on: the store is closing watches at once
            else:
                failures = 0
                while await watcher.wait():
                    self.catch_up()
            self.catch_up()  # takes the closed watch off and marks the cache unsynced
            await asyncio.sleep(relist_delay(failures))  # always yields: a relist never starves the loop

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(), name=f"informer {self.name}")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None
        self._synced.clear()


def _rv(obj: Obj) -> str:
    return str(obj["metadata"].get("resourceVersion", ""))


def _uid(obj: Obj) -> str:
    return str(obj["metadata"].get("uid", ""))


class ResourceInformer:
    """The `Informer` for one GroupVersionResource: a view of the cache its resource's versions share."""

    def __init__(self, shared: SharedIndexInformer, gvr: GroupVersionResource) -> None:
        self._shared = shared
        self._resource = gvr

    @property
    def resource(self) -> GroupVersionResource:
        return self._resource

    def get(self, namespace: str, name: str) -> Obj | None:
        return self._shared.get(namespace, name)

    def list(self, namespace: str = "") -> builtins.list[Obj]:
        return self._shared.list(namespace)

    def by_index(self, index_name: str, value: str) -> builtins.list[Obj]:
        return self._shared.by_index(index_name, value)

    def index_values(self, index_name: str) -> builtins.list[str]:
        """The values with objects filed under them in the named index (client-go `ListIndexFuncValues`)."""
        return self._shared.index_values(index_name)

    def add_index(self, name: str, fn: IndexFunc) -> None:
        self._shared.add_index(name, fn)

    def has_synced(self) -> bool:
        return self._shared.has_synced()

    async def wait_synced(self) -> None:
        await self._shared.wait_synced()

    def add_handler(
        self, *, on_add: OnAdd | None = None, on_update: OnUpdate | None = None, on_delete: OnDelete | None = None
    ) -> HandlerListener:
        return self._shared.add_handler(on_add=on_add, on_update=on_update, on_delete=on_delete)

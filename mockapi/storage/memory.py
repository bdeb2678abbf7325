"""The default storage: dicts in memory, one global revision, a bounded event history and watch fan-out.

A write never waits for a watcher: each watcher has a bounded queue and is closed when it overflows,
as kube-apiserver's cacher closes watchers that cannot keep up (clients then re-watch from their last
resourceVersion).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator

from mockapi.api.objects import clone, meta
from mockapi.api.types import Obj
from mockapi.storage.errors import KeyExists, KeyNotFound, PreconditionFailed, TooOldResourceVersion
from mockapi.storage.interface import (
    EventType,
    Filter,
    Key,
    ListResult,
    Preconditions,
    StoredEvent,
    UpdateFn,
)

DEFAULT_HISTORY = 10_000
WATCHER_QUEUE = 1_000
_ALL = ""  # watchers registered under this prefix see every prefix


class MemoryWatcher:
    def __init__(self, store: MemoryStorage, prefix: str, namespace: str, backlog: list[StoredEvent]) -> None:
        self._store = store
        self.prefix = prefix
        self.namespace = namespace
        self._queue: asyncio.Queue[StoredEvent | None] = asyncio.Queue()
        for event in backlog:
            self._queue.put_nowait(event)
        self._stopped = False

    def offer(self, event: StoredEvent) -> None:
        if self._stopped:
            return
        if self._queue.qsize() >= WATCHER_QUEUE:
            self.stop()  # too slow: close it rather than hold up writers
            return
        self._queue.put_nowait(event)

    def stop(self) -> None:
        if not self._stopped:
            self._stopped = True
            self._store._unregister(self)
            self._queue.put_nowait(None)

    async def __aiter__(self) -> AsyncIterator[StoredEvent]:
        try:
            while True:
                event = await self._queue.get()
                if event is None:
                    return
                yield event
        finally:
            self.stop()


class MemoryStorage:
    def __init__(self, history_size: int = DEFAULT_HISTORY) -> None:
        self._rv = 1
        self._objects: dict[str, dict[tuple[str, str], Obj]] = {}
        self._sorted: dict[str, list[tuple[str, str]]] = {}
        self._history: deque[StoredEvent] = deque(maxlen=history_size)
        self._compacted_rv = 0
        self._watchers: dict[str, set[MemoryWatcher]] = {}

    # -- revisions ------------------------------------------------------------------------------

    @property
    def current_rv(self) -> int:
        return self._rv

    @property
    def oldest_rv(self) -> int:
        return self._compacted_rv

    def _next_rv(self) -> int:
        self._rv += 1
        return self._rv

    def close_watchers(self) -> None:
        """End every open watch (clients re-watch from their last resourceVersion)."""
        for watchers in list(self._watchers.values()):
            for watcher in list(watchers):
                watcher.stop()

    def reset(self) -> None:
        """Drop every object and all history; revisions keep increasing and open watches end."""
        self.close_watchers()
        self._objects.clear()
        self._sorted.clear()
        self._history.clear()
        self._rv += 1
        self._compacted_rv = self._rv

    # -- reads ----------------------------------------------------------------------------------

    async def get(self, key: Key) -> Obj:
        obj = self._objects.get(key.prefix, {}).get((key.namespace, key.name))
        if obj is None:
            raise KeyNotFound(key.name)
        return obj

    def _sorted_keys(self, prefix: str) -> list[tuple[str, str]]:
        keys = self._sorted.get(prefix)
        if keys is None:
            keys = sorted(self._objects.get(prefix, {}))
            self._sorted[prefix] = keys
        return keys

    async def list(
        self,
        prefix: str,
        namespace: str,
        *,
        at_rv: int | None = None,
        start_after: tuple[str, str] | None = None,
        limit: int = 0,
        predicate: Filter | None = None,
    ) -> ListResult:
        if at_rv is not None and at_rv < self._rv:
            objects = self._snapshot(prefix, at_rv)
            keys = sorted(objects)
            rv = at_rv
        else:
            objects = self._objects.get(prefix, {})
            keys = self._sorted_keys(prefix)
            rv = self._rv
        items: list[Obj] = []
        last: tuple[str, str] | None = None
        for index, k in enumerate(keys):
            if namespace and k[0] != namespace:
                continue
            if start_after is not None and k <= start_after:
                continue
            obj = objects[k]
            if predicate is not None and not predicate(obj):
                continue
            if limit and len(items) >= limit:
                remaining = sum(1 for k2 in keys[index:] if not namespace or k2[0] == namespace)
                return ListResult(items, rv, continue_key=last, remaining=remaining)
            items.append(obj)
            last = k
        return ListResult(items, rv)

    def _snapshot(self, prefix: str, at_rv: int) -> dict[tuple[str, str], Obj]:
        """The prefix's objects as they were at `at_rv`, rolled back through the event history."""
        if at_rv < self._compacted_rv:
            raise TooOldResourceVersion(at_rv, self._compacted_rv)
        objects = dict(self._objects.get(prefix, {}))
        for event in reversed(self._history):
            if event.rv <= at_rv:
                break
            if event.key.prefix != prefix:
                continue
            k = (event.key.namespace, event.key.name)
            if event.prev is None:
                objects.pop(k, None)
            else:
                objects[k] = event.prev
        return objects

    # -- writes ---------------------------------------------------------------------------------

    async def create(self, key: Key, obj: Obj) -> Obj:
        bucket = self._objects.setdefault(key.prefix, {})
        k = (key.namespace, key.name)
        if k in bucket:
            raise KeyExists(key.name)
        rv = self._next_rv()
        meta(obj)["resourceVersion"] = str(rv)
        bucket[k] = obj
        self._sorted.pop(key.prefix, None)
        self._record("ADDED", key, obj, None, rv)
        return obj

    async def guaranteed_update(self, key: Key, fn: UpdateFn, preconditions: Preconditions | None = None) -> Obj:
        while True:
            current = await self.get(key)
            _check(current, preconditions)
            updated = await fn(clone(current))
            latest = self._objects.get(key.prefix, {}).get((key.namespace, key.name))
            if latest is None:
                raise KeyNotFound(key.name)
            if latest is not current:
                continue  # someone wrote while fn awaited: retry on the new state, as etcd3's store does
            if updated is None:
                return current
            meta(updated)["resourceVersion"] = current["metadata"]["resourceVersion"]
            if updated == current:
                return current
            rv = self._next_rv()
            meta(updated)["resourceVersion"] = str(rv)
            self._objects[key.prefix][(key.namespace, key.name)] = updated
            self._record("MODIFIED", key, updated, current, rv)
            return updated

    async def delete(self, key: Key, preconditions: Preconditions | None = None) -> Obj:
        current = await self.get(key)
        _check(current, preconditions)
        del self._objects[key.prefix][(key.namespace, key.name)]
        self._sorted.pop(key.prefix, None)
        rv = self._next_rv()
        gone = dict(current)
        gone["metadata"] = {**current["metadata"], "resourceVersion": str(rv)}
        self._record("DELETED", key, gone, current, rv)
        return gone

    # -- watch ----------------------------------------------------------------------------------

    def watch(self, prefix: str, namespace: str, from_rv: int) -> MemoryWatcher:
        if from_rv < self._compacted_rv:
            raise TooOldResourceVersion(from_rv, self._compacted_rv)
        backlog = [e for e in self._history if e.rv > from_rv and _wanted(e, prefix, namespace)]
        watcher = MemoryWatcher(self, prefix, namespace, backlog)
        self._watchers.setdefault(prefix, set()).add(watcher)
        return watcher

    def _unregister(self, watcher: MemoryWatcher) -> None:
        self._watchers.get(watcher.prefix, set()).discard(watcher)

    def _record(self, type_: EventType, key: Key, obj: Obj, prev: Obj | None, rv: int) -> None:
        event = StoredEvent(type_, key, obj, prev, rv)
        if self._history.maxlen is not None and len(self._history) == self._history.maxlen:
            self._compacted_rv = self._history[0].rv
        self._history.append(event)
        for prefix in (key.prefix, _ALL):
            for watcher in tuple(self._watchers.get(prefix, ())):
                if not watcher.namespace or watcher.namespace == key.namespace:
                    watcher.offer(event)


def _wanted(event: StoredEvent, prefix: str, namespace: str) -> bool:
    if prefix != _ALL and event.key.prefix != prefix:
        return False
    return not namespace or event.key.namespace == namespace


def _check(obj: Obj, pre: Preconditions | None) -> None:
    if pre is None:
        return
    m = obj.get("metadata", {})
    if pre.uid is not None and pre.uid != m.get("uid", ""):
        raise PreconditionFailed(
            f"Precondition failed: UID in precondition: {pre.uid}, UID in object meta: {m.get('uid', '')}"
        )
    if pre.resource_version is not None and pre.resource_version != m.get("resourceVersion", ""):
        raise PreconditionFailed(
            "Precondition failed: ResourceVersion in precondition: "
            f"{pre.resource_version}, ResourceVersion in object meta: {m.get('resourceVersion', '')}"
        )

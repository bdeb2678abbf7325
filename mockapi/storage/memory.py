"""The default storage: dicts in memory, one global revision, a bounded event history and watch fan-out.

The watch window (kube-apiserver's watch cache, storage/cacher/watch_cache.go) starts at the revision
the server had once bootstrapped (`mark_window_start`), as the cacher starts at the revision of the list
it was initialised from, and then keeps the last `history_size` events (`ServerConfig.watch_history`,
default 10,000). Differences from upstream, on purpose: one window for all resources instead of one per
resource, and a fixed event count instead of a capacity that adapts (100 to 102,400 events) to keep
about 75 s (`eventFreshDuration`) of history. A watch, or an exact list or continue token, from a
revision before the window answers 410 Expired, so clients exercise their relist path.

A write never waits for a watcher: each watcher has a queue of `WATCHER_QUEUE` events and is closed
when it overflows, dropping what it had queued, as kube-apiserver's cacher terminates a watcher whose
buffer stays full (cache_watcher.go `add`, `forget`); its client re-watches from its last
resourceVersion, or relists if that has left the window. A stopped watcher delivers nothing more.
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
    """Events after `from_rv` for one prefix (and namespace); see `Watcher` in interface.py."""

    def __init__(
        self, store: MemoryStorage, prefix: str, namespace: str, from_rv: int, backlog: list[StoredEvent]
    ) -> None:
        self._store = store
        self.prefix = prefix
        self.namespace = namespace
        self._from_rv = from_rv
        self._events: deque[StoredEvent] = deque(backlog)
        self._ready = asyncio.Event()  # set while events are queued, and once stopped
        if backlog:
            self._ready.set()
        self._stopped = False
        self._closed = asyncio.Event()
        self.overflowed = False

    def offer(self, event: StoredEvent) -> None:
        if self._stopped or event.rv <= self._from_rv:  # a watch from a future revision skips up to it
            return
        if len(self._events) >= WATCHER_QUEUE:
            # Too slow: close it rather than hold up writers. What it had queued is dropped (it is still
            # in the history), so a stalled client costs no more than its queue.
            self.overflowed = True
            self.stop()
            return
        self._events.append(event)
        self._ready.set()

    def poll(self) -> StoredEvent | None:
        if self._events:
            return self._events.popleft()
        if not self._stopped:
            self._ready.clear()
        return None

    async def wait(self) -> bool:
        await self._ready.wait()
        return not self._stopped

    @property
    def stopped(self) -> bool:
        return self._stopped

    def stop(self) -> None:
        if not self._stopped:
            self._stopped = True
            self._events.clear()
            self._store._unregister(self)
            self._ready.set()
            self._closed.set()

    async def closed(self) -> None:
        await self._closed.wait()

    async def __aiter__(self) -> AsyncIterator[StoredEvent]:
        try:
            while await self.wait():
                event = self.poll()
                if event is not None:
                    yield event
        finally:
            self.stop()


class MemoryStorage:
    def __init__(self, history_size: int = DEFAULT_HISTORY) -> None:
        if history_size < 1:
            raise ValueError(f"the watch history must hold at least one event, not {history_size}")
        self._rv = 1
        self._objects: dict[str, dict[tuple[str, str], Obj]] = {}
        self._sorted: dict[str, list[tuple[str, str]]] = {}
        self._history: deque[StoredEvent] = deque(maxlen=history_size)
        self._window_start = 0
        """Every event after this revision is in `_history`; a watch may start from it or later."""
        self._watchers: dict[str, set[MemoryWatcher]] = {}

    # -- revisions ------------------------------------------------------------------------------

    async def current_revision(self) -> int:
        return self._rv

    @property
    def oldest_rv(self) -> int:
        return self._window_start

    def _next_rv(self) -> int:
        self._rv += 1
        return self._rv

    async def mark_window_start(self) -> None:
        """Start the watch window at the current revision and forget earlier events (see `Storage`)."""
        self._start_window()

    def _start_window(self) -> None:
        self._history.clear()
        self._window_start = self._rv

    async def close(self) -> None:
        """End every open watch (clients re-watch from their last resourceVersion). Nothing else is held,
        so the store stays usable: tests use this to close every watch at once."""
        self._close_watchers()

    def _close_watchers(self) -> None:
        for watchers in list(self._watchers.values()):
            for watcher in list(watchers):
                watcher.stop()

    async def reset(self) -> None:
        """Drop every object and all history; revisions keep increasing and open watches end.

        The window starts again at the new revision, so revisions from before the reset are 410 Expired.
        """
        self._close_watchers()  # synchronously with the drop: no reader sees a watch outlive its data
        self._objects.clear()
        self._sorted.clear()
        self._rv += 1
        self._start_window()

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
        """The prefix's objects as they were at `at_rv`, rolled back through the event history.

        The same window as watches: etcd (which serves exact lists in kube-apiserver 1.33) compacts its
        history too, and a list from a compacted revision is 410 Expired.
        """
        self._check_window(at_rv)
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

    def _check_window(self, rv: int) -> None:
        # The cacher answers `too old resource version: RV (OLDEST-1)` where OLDEST is the first
        # revision it can still deliver; here that is always `_window_start + 1`.
        if rv < self._window_start:
            raise TooOldResourceVersion(rv, self._window_start)

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
        """Events after `from_rv`: the history's, then live ones. A revision the store has not reached
        yet is accepted, as by the cacher: the watch stays quiet until later revisions are written."""
        self._check_window(from_rv)
        backlog = [e for e in self._history if e.rv > from_rv and _wanted(e, prefix, namespace)]
        watcher = MemoryWatcher(self, prefix, namespace, from_rv, backlog)
        self._watchers.setdefault(prefix, set()).add(watcher)
        return watcher

    def prefixes(self) -> tuple[str, ...]:
        return tuple(sorted(prefix for prefix, bucket in self._objects.items() if bucket))

    def _unregister(self, watcher: MemoryWatcher) -> None:
        self._watchers.get(watcher.prefix, set()).discard(watcher)

    def _record(self, type_: EventType, key: Key, obj: Obj, prev: Obj | None, rv: int) -> None:
        event = StoredEvent(type_, key, obj, prev, rv)
        if len(self._history) == self._history.maxlen:
            self._window_start = self._history[0].rv  # evicted below: the window now starts after it
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

"""A `Storage` seen in one served version: objects are converted to the storage version on the way in
and back to the served version on the way out, as kube-apiserver's storage codec does.

    storage_view(base, rt)   `base` itself when rt is stored as served (no overhead), else a
                             ConvertingStorage for rt
    StorageViews(base)       the same, one view per served type, so that the watchers of a type share
                             the conversion of each event

Writes also apply the storage version's defaults to the converted object: upstream decodes (and so
defaults) what it reads back from etcd, including the object a write returns, so a default of the
storage version shows through every served version (a v1 HPA's behavior annotation is read back
completed with v2's default rules).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from mockapi.api.types import Obj
from mockapi.registry import defaulting
from mockapi.registry.conversion.storage_versions import converters, needs_conversion
from mockapi.resources.types import ResourceType
from mockapi.storage.interface import (
    Filter,
    Key,
    ListResult,
    Preconditions,
    Storage,
    StoredEvent,
    UpdateFn,
    Watcher,
)

CONVERTED_EVENTS_KEPT = 512
"""Converted watch events a view remembers by revision, so N watchers convert each event once."""


class ConvertingStorage:
    """`base` as seen through one served ResourceType whose objects are stored in another version.

    Implements the `Storage` Protocol member by member (a member the Protocol gains must be delegated
    here too). What it returns shares nested values with what `base` holds, so, as with `base` itself,
    callers must not modify returned objects (the update fn gets a private copy).
    """

    def __init__(self, base: Storage, rt: ResourceType) -> None:
        self.base = base
        self.served = rt
        self.form, self._to_storage, self._to_served = converters(rt)
        self._events: dict[int, StoredEvent] = {}

    # -- conversions ------------------------------------------------------------------------------

    def to_storage(self, obj: Obj) -> Obj:
        """The object as stored: converted, then defaulted as the storage version decodes."""
        stored = self._to_storage(obj)
        defaulting.apply_defaults(self.form.group, self.form.version, self.form.kind, stored)
        return stored

    def to_served(self, obj: Obj) -> Obj:
        return self._to_served(obj)

    def served_event(self, event: StoredEvent) -> StoredEvent:
        """A stored event with its object (and previous object) in the served version."""
        converted = self._events.get(event.rv)
        if converted is None or converted.key != event.key:
            prev = None if event.prev is None else self._to_served(event.prev)
            converted = StoredEvent(event.type, event.key, self._to_served(event.object), prev, event.rv)
            if len(self._events) >= CONVERTED_EVENTS_KEPT:
                del self._events[next(iter(self._events))]  # the oldest conversion
            self._events[event.rv] = converted
        return converted

    # -- Storage ----------------------------------------------------------------------------------

    async def current_revision(self) -> int:
        return await self.base.current_revision()

    @property
    def oldest_rv(self) -> int:
        return self.base.oldest_rv

    # The store-wide lifecycle belongs to `base`; a view passes it through.
    async def mark_window_start(self) -> None:
        await self.base.mark_window_start()

    async def reset(self) -> None:
        self._events.clear()
        await self.base.reset()

    async def close(self) -> None:
        await self.base.close()

    async def get(self, key: Key) -> Obj:
        return self._to_served(await self.base.get(key))

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
        # The caller's predicate speaks the served version. An item it accepts is converted once: the
        # conversion is remembered with the stored object, whose identity the result keeps.
        accepted: dict[int, tuple[Obj, Obj]] = {}
        served_predicate: Filter | None = None
        if predicate is not None:
            caller_predicate = predicate

            def served_predicate(stored: Obj) -> bool:
                served = self._to_served(stored)
                if not caller_predicate(served):
                    return False
                accepted[id(stored)] = (stored, served)
                return True

        result = await self.base.list(
            prefix, namespace, at_rv=at_rv, start_after=start_after, limit=limit, predicate=served_predicate
        )
        items = [self._remembered(accepted, stored) for stored in result.items]
        return ListResult(items, result.resource_version, result.continue_key, result.remaining)

    def _remembered(self, accepted: dict[int, tuple[Obj, Obj]], stored: Obj) -> Obj:
        hit = accepted.get(id(stored))
        return hit[1] if hit is not None and hit[0] is stored else self._to_served(stored)

    async def create(self, key: Key, obj: Obj) -> Obj:
        return self._to_served(await self.base.create(key, self.to_storage(obj)))

    async def guaranteed_update(self, key: Key, fn: UpdateFn, preconditions: Preconditions | None = None) -> Obj:
        async def stored_fn(current: Obj) -> Obj | None:
            updated = await fn(self._to_served(current))  # `current` is the base's private copy
            return None if updated is None else self.to_storage(updated)

        return self._to_served(await self.base.guaranteed_update(key, stored_fn, preconditions))

    async def delete(self, key: Key, preconditions: Preconditions | None = None) -> Obj:
        return self._to_served(await self.base.delete(key, preconditions))

    def watch(self, prefix: str, namespace: str, from_rv: int) -> Watcher:
        return ConvertingWatcher(self.base.watch(prefix, namespace, from_rv), self)

    def prefixes(self) -> tuple[str, ...]:
        return self.base.prefixes()

    def __repr__(self) -> str:
        return f"ConvertingStorage({self.served.api_version} {self.served.plural} <-> {self.form.api_version})"


class ConvertingWatcher:
    """A base watcher whose events carry objects in the served version (see `Watcher`)."""

    def __init__(self, base: Watcher, view: ConvertingStorage) -> None:
        self._base = base
        self._view = view

    @property
    def overflowed(self) -> bool:
        return self._base.overflowed

    @overflowed.setter
    def overflowed(self, value: bool) -> None:
        self._base.overflowed = value

    @property
    def stopped(self) -> bool:
        return self._base.stopped

    def poll(self) -> StoredEvent | None:
        event = self._base.poll()
        return None if event is None else self._view.served_event(event)

    async def wait(self) -> bool:
        return await self._base.wait()

    def stop(self) -> None:
        self._base.stop()

    async def closed(self) -> None:
        await self._base.closed()

    async def __aiter__(self) -> AsyncIterator[StoredEvent]:
        try:
            while await self.wait():
                event = self.poll()
                if event is not None:
                    yield event
        finally:
            self.stop()


def storage_view(base: Storage, rt: ResourceType) -> Storage:
    """`base` as `rt` sees it: `base` itself when rt's objects are stored as served."""
    if needs_conversion(rt):
        return ConvertingStorage(base, rt)
    return base


class StorageViews:
    """`storage_view` remembered per served type over one base storage (create it once per server)."""

    def __init__(self, base: Storage) -> None:
        self.base = base
        self._views: dict[tuple[str, str, str], Storage] = {}

    def __call__(self, rt: ResourceType) -> Storage:
        key = (rt.group, rt.version, rt.plural)
        view = self._views.get(key)
        if view is None:
            view = self._views[key] = storage_view(self.base, rt)
        return view

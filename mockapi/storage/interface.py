"""The `Storage` Protocol every backend implements (in-memory now; etcd later)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from mockapi.api.types import Obj

EventType = Literal["ADDED", "MODIFIED", "DELETED"]


@dataclass(frozen=True, slots=True)
class Key:
    prefix: str
    """Resource prefix, `<group>/<plural>` (version-independent, like etcd's /registry/<resource>)."""
    namespace: str
    """Namespace, or "" for cluster-scoped objects."""
    name: str


@dataclass(frozen=True, slots=True)
class Preconditions:
    uid: str | None = None
    resource_version: str | None = None


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """A change recorded by the store; `prev` is the object before the change (None on ADDED)."""

    type: EventType
    key: Key
    object: Obj
    prev: Obj | None
    rv: int


@dataclass(frozen=True, slots=True)
class ListResult:
    items: list[Obj]
    resource_version: int
    """The store revision the list reflects."""
    continue_key: tuple[str, str] | None = None
    """(namespace, name) of the last returned item when more items remain."""
    remaining: int = 0
    """Number of items after the page (before any filtering by the caller)."""


UpdateFn = Callable[[Obj], Awaitable[Obj | None]]
"""Receives a private copy of the current object; returns the new object, or None for no change."""

Filter = Callable[[Obj], bool]


class Storage(Protocol):
    """A versioned key-value store with watch: everything a backend implements, and all the server uses.

    One revision counts every write of every prefix (etcd's revision): each write gets the next one, and
    a write that changes nothing gets none. Objects handed out are the stored ones: never mutate them.
    """

    async def current_revision(self) -> int:
        """The revision of the latest write (etcd: the header revision of a read)."""
        ...

    @property
    def oldest_rv(self) -> int:
        """Where the watch window starts: the oldest revision a watch, exact list or continue token may
        use; older ones raise `TooOldResourceVersion` (410 Expired)."""
        ...

    async def mark_window_start(self) -> None:
        """Start the watch window at the current revision: from now on older revisions are 410 Expired.

        The server calls it once bootstrapped, as kube-apiserver's watch cache holds nothing from before
        the list it started from (etcd: compact at the current revision).
        """
        ...

    async def reset(self) -> None:
        """Drop every object and all history, and end every open watch (between tests).

        Revisions keep increasing and the window starts again at the new revision, so a client holding a
        revision from before the reset gets 410 Expired and relists.
        """
        ...

    async def close(self) -> None:
        """End every open watch and release what the backend holds (connections); called once, when the
        server stops. Watchers see their watch end, as when the store closes them for overflow."""
        ...

    async def get(self, key: Key) -> Obj: ...

    async def list(
        self,
        prefix: str,
        namespace: str,
        *,
        at_rv: int | None = None,
        start_after: tuple[str, str] | None = None,
        limit: int = 0,
        predicate: Filter | None = None,
    ) -> ListResult: ...

    async def create(self, key: Key, obj: Obj) -> Obj: ...

    async def guaranteed_update(self, key: Key, fn: UpdateFn, preconditions: Preconditions | None = None) -> Obj:
        """Apply `fn` to the current object and store the result with a new revision.

        When `fn` returns an object equal to the current one nothing is written (same revision).
        """
        ...

    async def delete(self, key: Key, preconditions: Preconditions | None = None) -> Obj: ...

    def watch(self, prefix: str, namespace: str, from_rv: int) -> Watcher:
        """Events after `from_rv` under `prefix` ("" for every prefix) and `namespace` ("" for all).

        Raises `TooOldResourceVersion` for a revision before the window; a revision not reached yet is
        accepted and the watch stays quiet until later revisions are written.
        """
        ...

    def prefixes(self) -> tuple[str, ...]:
        """The resource prefixes that hold objects (a watcher of every prefix re-lists them all)."""
        ...


class Watcher(Protocol):
    """Events with rv > from_rv for a prefix (and namespace, when non-empty).

    Read it with `async for`, or with `poll` (what is queued, never waiting) and `wait`, which lets a
    reader take every queued event in one go. The store never waits for a watcher: one that falls too
    far behind is closed (`overflowed`), and a closed watcher delivers nothing more; `closed()` returns
    then, so whoever streams it to a client can end that stream.
    """

    overflowed: bool
    """Set when the store closed this watcher because its reader fell too far behind."""

    @property
    def stopped(self) -> bool:
        """True once the watcher delivers nothing more (stopped, overflowed, or closed by the store); lets a
        reader that only polls (an informer catching up on a read) notice at once that it must relist."""
        ...

    def __aiter__(self) -> AsyncIterator[StoredEvent]: ...

    def poll(self) -> StoredEvent | None:
        """The next queued event, or None when none is queued (or the watcher is stopped)."""
        ...

    async def wait(self) -> bool:
        """Return True once an event is queued, False once the watcher is stopped."""
        ...

    def stop(self) -> None: ...

    async def closed(self) -> None:
        """Return once the watcher is stopped: by `stop()`, by overflow, or by the store closing it."""
        ...

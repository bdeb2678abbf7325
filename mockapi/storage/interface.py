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
    @property
    def current_rv(self) -> int: ...

    @property
    def oldest_rv(self) -> int:
        """Oldest revision a watch or continue token may start from (older ones are compacted)."""
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

    def watch(self, prefix: str, namespace: str, from_rv: int) -> Watcher: ...


class Watcher(Protocol):
    """Events with rv > from_rv for a prefix (and namespace, when non-empty)."""

    def __aiter__(self) -> AsyncIterator[StoredEvent]: ...

    def stop(self) -> None: ...

"""Read access to stored objects that stages share (informers, listers, the object reader).

client-go's SharedInformerFactory, Indexers and Listers as Protocols: one list-then-watch cache per
resource, with named indexes, that authenticators, authorizers, admission plugins and controllers read
instead of listing storage per request. `mockapi.informers` implements them.

Objects handed out are the cached ones, shared with every other reader: never mutate them (client-go's
rule); clone one (`mockapi.api.objects.clone`) to change it. They are in their storage form (the stored
version of the resource), whatever version the informer was asked for.
"""

from __future__ import annotations

import builtins
from collections.abc import Awaitable, Callable, Iterable
from typing import Protocol

from mockapi.api.types import GroupVersionResource, Obj

IndexFunc = Callable[[Obj], Iterable[str]]
"""The values an object is filed under in one index (client-go `IndexFunc`); pure and deterministic."""

OnAdd = Callable[[Obj], Awaitable[None]]
OnUpdate = Callable[[Obj, Obj], Awaitable[None]]
"""Called with (old, new)."""
OnDelete = Callable[[Obj], Awaitable[None]]
"""Called with the object's last state."""


class Lister(Protocol):
    """Reads from an informer's cache: never I/O, and never a scan of objects that do not match."""

    def get(self, namespace: str, name: str) -> Obj | None:
        """The object, or None; `namespace` is ignored for cluster-scoped resources."""
        ...

    def list(self, namespace: str = "") -> builtins.list[Obj]:
        """Every object in `namespace` ("" for all), in no particular order."""
        ...

    def by_index(self, index_name: str, value: str) -> builtins.list[Obj]:
        """The objects filed under `value` in the named index, in no particular order; costs O(matches).

        Raises KeyError for an index that was never added.
        """
        ...


class HandlerRegistration(Protocol):
    """What `Informer.add_handler` returns (client-go `ResourceEventHandlerRegistration`)."""

    async def remove(self) -> None:
        """Stop delivering to this handler; a call in progress is cancelled."""
        ...


class Informer(Lister, Protocol):
    """A Lister kept current by a list-then-watch of one resource, with handlers called on every change.

    Every informer has the `namespace` index (client-go's `cache.NamespaceIndex`).
    """

    @property
    def resource(self) -> GroupVersionResource:
        """The resource this informer was asked for (objects are in its storage form)."""
        ...

    def add_index(self, name: str, fn: IndexFunc) -> None:
        """Add a named index, before or after the cache has synced (client-go `AddIndexers`): objects
        already cached are filed at once. Adding the same function under the same name again does
        nothing; another function under a taken name raises ValueError."""
        ...

    def has_synced(self) -> bool:
        """True once the cache holds a complete list and is following its watch. Unlike client-go, it
        turns False again while the cache relists after losing its watch (overflow, store reset)."""
        ...

    async def wait_synced(self) -> None:
        """Return once `has_synced()` is True."""
        ...

    def add_handler(
        self, *, on_add: OnAdd | None = None, on_update: OnUpdate | None = None, on_delete: OnDelete | None = None
    ) -> HandlerRegistration:
        """Call these on every change, in the order changes happened, one call at a time per handler.

        A new handler first gets `on_add` for every object in the synced cache. Handlers run in their own
        tasks, so a slow one holds up neither the cache nor the other handlers; an exception is logged.
        A relist after a lost watch delivers the difference: adds, updates (resourceVersion changed),
        deletes, and a delete then an add for a name whose uid changed.
        """
        ...


class InformerFactory(Protocol):
    """One informer per resource for the whole server, created on first use (client-go
    `SharedInformerFactory.ForResource`); versions of one resource share the same cache."""

    def informer(self, gvr: GroupVersionResource) -> Informer:
        """The informer for `gvr`; raises LookupError for a resource the server does not serve."""
        ...


class ObjectReader(Protocol):
    """Read access to stored objects for plugins that look things up (namespaces, service accounts, priority
    classes): the informer listers of kube-apiserver's plugins."""

    async def get_object(self, gvr: GroupVersionResource, namespace: str, name: str) -> Obj | None: ...

    async def list_objects(self, gvr: GroupVersionResource, namespace: str) -> list[Obj]:
        """Every stored object of `gvr` in `namespace` ("" for all, or for cluster-scoped resources)."""
        ...

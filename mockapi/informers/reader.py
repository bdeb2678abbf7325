"""`ObjectReader` over shared informers, for admission plugins: a lookup is a dict read, not a storage list."""

from __future__ import annotations

from mockapi.api.informers import InformerFactory
from mockapi.api.types import GroupVersionResource, Obj
from mockapi.informers.cache import key_of


class FactoryObjectReader:
    """The first lookup of a resource starts its informer and waits for its list; later ones wait only
    while the cache relists after losing its watch (a store reset), so no lookup sees a stale cache."""

    def __init__(self, factory: InformerFactory) -> None:
        self._factory = factory

    async def get_object(self, gvr: GroupVersionResource, namespace: str, name: str) -> Obj | None:
        try:
            informer = self._factory.informer(gvr)
        except LookupError:
            return None
        await informer.wait_synced()
        return informer.get(namespace, name)

    async def list_objects(self, gvr: GroupVersionResource, namespace: str) -> list[Obj]:
        try:
            informer = self._factory.informer(gvr)
        except LookupError:
            return []
        await informer.wait_synced()
        # sorted as a storage list is, so what a plugin picks among equals does not depend on cache history
        return sorted(informer.list(namespace), key=key_of)

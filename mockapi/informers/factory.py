"""The server's informers, one per resource, created on first use (client-go `SharedInformerFactory`)."""

from __future__ import annotations

from mockapi.api.types import GroupVersionResource
from mockapi.informers.informer import ResourceInformer, SharedIndexInformer
from mockapi.informers.mutation import MutationDetector, enabled_by_environment
from mockapi.registry.conversion import storage_prefix
from mockapi.resources.catalog import Catalog
from mockapi.resources.types import ResourceType
from mockapi.storage.interface import Storage


def _storage_prefix(rt: ResourceType) -> str:
    """Where `rt`'s objects are stored (`registry.conversion.storage_prefix`, which maps cohabiting
    resources such as both Event groups to one prefix)."""
    return storage_prefix(rt)


class SharedInformerFactory:
    """Informers over `storage` for the resources `catalog` serves; an `InformerFactory`.

    Informers are keyed by storage prefix, so the versions of a resource share one cache. Informers made
    before `start()` start with it; later ones start at once. Cached objects must not be mutated: with
    `detect_mutations` (default: `KUBE_CACHE_MUTATION_DETECTOR`), `check_mutations()` and `stop()` raise
    `CacheMutationError` if one was.
    """

    def __init__(self, storage: Storage, catalog: Catalog, *, detect_mutations: bool | None = None) -> None:
        self._storage = storage
        self._catalog = catalog
        self._shared: dict[str, SharedIndexInformer] = {}
        self._views: dict[GroupVersionResource, ResourceInformer] = {}
        self._started = False
        if detect_mutations is None:
            detect_mutations = enabled_by_environment()
        self._detector = MutationDetector() if detect_mutations else None

    def informer(self, gvr: GroupVersionResource) -> ResourceInformer:
        view = self._views.get(gvr)
        if view is not None:
            return view
        rt = self._catalog.get(gvr.group, gvr.version, gvr.resource)
        if rt is None:
            raise LookupError(f"the server does not serve {gvr.resource} in {gvr.group_version}")
        prefix = _storage_prefix(rt)
        shared = self._shared.get(prefix)
        if shared is None:
            shared = SharedIndexInformer(self._storage, prefix, rt.namespaced, gvr.group_resource, self._detector)
            self._shared[prefix] = shared
            if self._started:
                shared.start()
        view = self._views[gvr] = ResourceInformer(shared, gvr)
        return view

    def start(self) -> None:
        """Start every informer made so far, and those made later as they are made (needs a running loop)."""
        self._started = True
        for shared in self._shared.values():
            shared.start()

    async def stop(self) -> None:
        """Cancel the informers' tasks and end their watches; then check for mutated cached objects."""
        self._started = False
        for shared in self._shared.values():
            await shared.stop()
        self.check_mutations()

    async def wait_synced(self) -> None:
        """Return once every informer made so far has synced (client-go `WaitForCacheSync`)."""
        for shared in list(self._shared.values()):
            await shared.wait_synced()

    def check_mutations(self) -> None:
        if self._detector is not None:
            self._detector.check()

    def health(self) -> str | None:
        """Why some informer cannot list, or None when all can."""
        failures = [shared.failure for shared in self._shared.values() if shared.failure]
        return f"informers failing: {'; '.join(failures)}" if failures else None

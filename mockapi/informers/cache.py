"""The store behind an informer: objects by (namespace, name), and named indexes kept current on every
change (client-go `threadSafeStore` with its `storeIndex`), so reading an index costs O(matches)."""

from __future__ import annotations

from mockapi.api.informers import IndexFunc
from mockapi.api.types import Obj

CacheKey = tuple[str, str]
"""(namespace, name); namespace is "" for cluster-scoped objects."""


def key_of(obj: Obj) -> CacheKey:
    m = obj["metadata"]
    return (m.get("namespace") or "", m["name"])


class IndexedCache:
    """Objects and the indexes over them; no I/O and no locking (one event loop owns it)."""

    def __init__(self) -> None:
        self._items: dict[CacheKey, Obj] = {}
        self._indexers: dict[str, IndexFunc] = {}
        self._indices: dict[str, dict[str, set[CacheKey]]] = {}
        """index name -> value -> keys of the objects filed under it."""

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: CacheKey) -> Obj | None:
        return self._items.get(key)

    def cached_keys(self) -> list[CacheKey]:
        """A snapshot of the keys, safe to iterate while changing the cache."""
        return list(self._items)

    def values(self) -> list[Obj]:
        return list(self._items.values())

    def by_index(self, index_name: str, value: str) -> list[Obj]:
        keys = self._indices[index_name].get(value, ())  # KeyError for an unknown index, as documented
        return [self._items[k] for k in keys]

    def index_values(self, index_name: str) -> list[str]:
        """The values that have objects filed under them (client-go `ListIndexFuncValues`)."""
        return list(self._indices[index_name])

    def add_indexer(self, name: str, fn: IndexFunc) -> None:
        """Add an index and file every cached object in it (a backfill: O(cached objects), once)."""
        current = self._indexers.get(name)
        if current is fn:
            return
        if current is not None:
            raise ValueError(f"indexer conflict: an index named {name!r} already exists")
        self._indexers[name] = fn
        index: dict[str, set[CacheKey]] = {}
        self._indices[name] = index
        for key, obj in self._items.items():
            for value in fn(obj):
                index.setdefault(value, set()).add(key)

    def put(self, key: CacheKey, obj: Obj) -> Obj | None:
        """Store `obj` under `key`; returns what it replaced."""
        old = self._items.get(key)
        self._items[key] = obj
        if old is not obj:
            self._reindex(key, old, obj)
        return old

    def delete(self, key: CacheKey) -> Obj | None:
        """Remove what `key` holds; returns it (None if nothing was there)."""
        old = self._items.pop(key, None)
        if old is not None:
            self._reindex(key, old, None)
        return old

    def _reindex(self, key: CacheKey, old: Obj | None, new: Obj | None) -> None:
        # Only the values that changed are touched: a change costs O(indexes), not O(objects).
        for name, fn in self._indexers.items():
            before = tuple(fn(old)) if old is not None else ()
            after = tuple(fn(new)) if new is not None else ()
            if before == after:
                continue  # the usual update: nothing indexed changed
            index = self._indices[name]
            kept = set(before) & set(after)
            for value in before:
                if value not in kept and (bucket := index.get(value)) is not None:
                    bucket.discard(key)
                    if not bucket:
                        del index[value]  # no empty buckets: index_values lists only live values
            for value in after:
                if value not in kept:
                    index.setdefault(value, set()).add(key)

"""client-go's cache mutation detector: catch a reader that mutates a cached object.

Cached objects are shared (with every reader, and with the memory store itself), so mutating one corrupts
what everyone sees. With the detector on (`KUBE_CACHE_MUTATION_DETECTOR=true`, as in client-go, or
`SharedInformerFactory(detect_mutations=True)` in tests) every object that enters a cache is copied, and
`check()` compares each with its copy. It costs a deep copy per change: for tests only.
"""

from __future__ import annotations

import os

from mockapi.api.objects import clone
from mockapi.api.types import Obj

ENV_VAR = "KUBE_CACHE_MUTATION_DETECTOR"


class CacheMutationError(AssertionError):
    """A cached object changed after it entered the cache."""


def enabled_by_environment() -> bool:
    return os.environ.get(ENV_VAR, "").strip().lower() in ("1", "t", "true")  # Go's strconv.ParseBool


class MutationDetector:
    def __init__(self) -> None:
        self._tracked: dict[int, tuple[Obj, Obj]] = {}
        """id -> (object, its copy when cached); holding the object keeps its id from being reused."""

    def track(self, obj: Obj) -> None:
        if id(obj) not in self._tracked:
            self._tracked[id(obj)] = (obj, clone(obj))

    def check(self) -> None:
        for obj, copy in self._tracked.values():
            if obj != copy:
                m = copy.get("metadata") or {}
                name = f"{m.get('namespace')}/{m.get('name')}" if m.get("namespace") else m.get("name")
                raise CacheMutationError(f"a cached {copy.get('kind', 'object')} {name} was mutated")

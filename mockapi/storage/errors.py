"""Storage-level failures; the registry turns them into API errors naming the resource."""

from __future__ import annotations


class StorageError(Exception):
    pass


class KeyNotFound(StorageError):
    pass


class KeyExists(StorageError):
    pass


class PreconditionFailed(StorageError):
    """A uid or resourceVersion precondition did not hold; message is kube-apiserver's wording."""


class TooOldResourceVersion(StorageError):
    """The requested revision has been compacted out of the event history."""

    def __init__(self, requested: int, oldest: int) -> None:
        super().__init__(f"too old resource version: {requested} ({oldest})")
        self.requested = requested
        self.oldest = oldest


class WatcherOverflow(StorageError):
    """A watcher fell too far behind and was closed, as kube-apiserver's cacher does."""

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
    """The requested revision is before the watch window; `oldest` is where the window starts.

    The message is the cacher's (watch_cache.go): it prints the first revision it could deliver minus
    one, which is the window start.
    """

    def __init__(self, requested: int, oldest: int) -> None:
        super().__init__(f"too old resource version: {requested} ({oldest})")
        self.requested = requested
        self.oldest = oldest

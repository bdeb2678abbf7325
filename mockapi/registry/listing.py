"""LIST and WATCH: selectors, pagination with continue tokens, resourceVersion semantics, watch filtering."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from mockapi.api import errors
from mockapi.api.selectors import FieldSelector, LabelSelector
from mockapi.api.types import Obj
from mockapi.registry.continuetokens import decode_continue, encode_continue
from mockapi.registry.conversion import storage_prefix
from mockapi.registry.options import ListOptions, resource_version_of
from mockapi.resources.fields import convert_field_selector, field_set_func
from mockapi.resources.types import ResourceType
from mockapi.storage.errors import TooOldResourceVersion
from mockapi.storage.interface import Storage, StoredEvent, Watcher

EXPIRED_CONTINUE = (
    "The provided continue parameter is too old to display a consistent list result. You can start a new "
    "list without the continue parameter, or use the continue token in this response to retrieve the "
    "remainder of the results. Continuing with the provided token results in an inconsistent list - objects "
    "that were created, modified, or deleted between the time the first chunk was returned and now may show "
    "up in the list."
)
TOO_LARGE_RV_WAIT = 3.0


@dataclass(frozen=True, slots=True)
class Selection:
    """Compiled label and field selectors for one request."""

    labels: LabelSelector
    fields: FieldSelector
    field_set: Callable[[Obj], dict[str, str]]

    @property
    def empty(self) -> bool:
        return self.labels.empty and self.fields.empty

    def matches(self, obj: Obj) -> bool:
        m = obj.get("metadata", {})
        if not self.labels.empty and not self.labels.matches(m.get("labels") or {}):
            return False
        return self.fields.empty or self.fields.matches(self.field_set(obj))


def selection(rt: ResourceType, opts: ListOptions) -> Selection:
    labels = LabelSelector.parse(opts.label_selector)
    fields = convert_field_selector(rt, FieldSelector.parse(opts.field_selector))
    return Selection(labels, fields, field_set_func(rt))


def prefix_of(rt: ResourceType) -> str:
    return storage_prefix(rt)


async def wait_for_rv(storage: Storage, rv: int) -> None:
    """A request for a revision the store has not reached waits briefly, then times out (504)."""
    deadline = asyncio.get_running_loop().time() + TOO_LARGE_RV_WAIT
    while (current := await storage.current_revision()) < rv:
        if asyncio.get_running_loop().time() >= deadline:
            err = errors.timeout(f"Too large resource version: {rv}, current: {current}", 1)
            err.details = {
                "causes": [{"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}],
                "retryAfterSeconds": 1,
            }
            raise err
        await asyncio.sleep(0.05)


async def list_objects(storage: Storage, rt: ResourceType, namespace: str, opts: ListOptions) -> tuple[list[Obj], Obj]:
    """The items and the ListMeta (`resourceVersion`, `continue`, `remainingItemCount`)."""
    sel = selection(rt, opts)
    at_rv: int | None = None
    start_after: tuple[str, str] | None = None
    if opts.continue_token:
        if opts.resource_version not in ("", "0"):
            raise errors.bad_request("specifying resource version is not allowed when using continue")
        at_rv, start_after = decode_continue(opts.continue_token, rt.namespaced)
    elif opts.resource_version not in ("", "0"):
        rv = resource_version_of(opts.resource_version)
        # Exact, or (the legacy rule for paging) a limit with no match given
        if opts.resource_version_match == "Exact" or (not opts.resource_version_match and opts.limit):
            at_rv = rv
        await wait_for_rv(storage, rv)
    predicate: Callable[[Obj], bool] | None = None if sel.empty else sel.matches
    try:
        result = await storage.list(
            prefix_of(rt),
            namespace if rt.namespaced else "",
            at_rv=at_rv,
            start_after=start_after,
            limit=opts.limit,
            predicate=predicate,
        )
    except TooOldResourceVersion:
        if opts.continue_token and start_after is not None:
            # etcd3 handleCompactedErrorForPaging: a token at revision -1 continues at the latest revision
            err = errors.expired(EXPIRED_CONTINUE)
            err.list_meta = {"continue": encode_continue(-1, *start_after)}
            raise err from None
        raise errors.expired("The resourceVersion for the provided list is too old.") from None  # etcd3 errors.go
    list_meta: Obj = {"resourceVersion": str(result.resource_version)}
    if result.continue_key is not None:
        ns, name = result.continue_key
        list_meta["continue"] = encode_continue(result.resource_version, ns, name)
        if sel.empty:
            list_meta["remainingItemCount"] = result.remaining
    return result.items, list_meta


@dataclass(frozen=True, slots=True)
class WatchEvent:
    type: str  # ADDED, MODIFIED, DELETED, BOOKMARK, ERROR
    object: Obj


class WatchStream:
    """An open watch: setup errors were raised by `open_watch`. `poll` gives the events at hand without
    waiting (so a writer can send them in one go), `wait` waits for more, until the watch ends.

    A stream opened on an error (410 Expired, 504 Too large) gives that one ERROR event and ends, as the
    cacher's errWatcher does.
    """

    def __init__(self, watcher: Watcher | None, ready: list[WatchEvent], sel: Selection) -> None:
        self._watcher = watcher
        self._ready = deque(ready)
        self._sel = sel

    def poll(self) -> WatchEvent | None:
        """The next event if one is at hand, else None."""
        while not self._ready and self._watcher is not None:
            stored = self._watcher.poll()
            if stored is None:
                break
            translated = _translate(stored, self._sel)
            if translated is not None:
                return translated
        return self._ready.popleft() if self._ready else None

    async def wait(self) -> bool:
        """Return True once `poll` may have an event, False once the watch has ended."""
        if self._ready:
            return True
        return self._watcher is not None and await self._watcher.wait()

    def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()

    @property
    def overflowed(self) -> bool:
        """The store closed the watch because its client fell too far behind."""
        return self._watcher is not None and self._watcher.overflowed

    async def closed(self) -> None:
        """Return once the storage watcher is stopped (at once for an error stream)."""
        if self._watcher is not None:
            await self._watcher.closed()


async def open_watch(storage: Storage, rt: ResourceType, namespace: str, opts: ListOptions) -> WatchStream:
    """Validate the request and register the watch; events as kube-apiserver's cacher sends them.

    As the cacher (cacher.go `Watch`), a resourceVersion before the window is an ERROR event (410
    Expired) in a 200 stream, and one the store has not reached is accepted at once: the watch stays
    quiet until that revision. Only with sendInitialEvents does it wait for the revision, then answer
    504 "Too large resource version" as an ERROR event (watch_cache.go `waitUntilFreshAndBlock`).
    """
    sel = selection(rt, opts)
    ns = namespace if rt.namespaced else ""
    initial: list[Obj] = []
    head: list[WatchEvent] = []
    if (opts.resource_version in ("", "0") and opts.send_initial_events is not False) or opts.send_initial_events:
        if opts.send_initial_events and opts.resource_version not in ("", "0"):
            try:
                await wait_for_rv(storage, resource_version_of(opts.resource_version))
            except errors.ApiError as err:
                if err.code != 504:
                    raise
                return WatchStream(None, [WatchEvent("ERROR", err.status())], sel)
        listed = await storage.list(prefix_of(rt), ns, predicate=None if sel.empty else sel.matches)
        initial, from_rv = listed.items, listed.resource_version
        if opts.send_initial_events and opts.allow_bookmarks:
            head.append(WatchEvent("BOOKMARK", bookmark(rt, from_rv, initial_events_end=True)))
    elif opts.resource_version in ("", "0"):
        from_rv = await storage.current_revision()
    else:
        from_rv = resource_version_of(opts.resource_version)
    try:
        watcher = storage.watch(prefix_of(rt), ns, from_rv)
    except TooOldResourceVersion as exc:
        return WatchStream(None, [WatchEvent("ERROR", errors.expired(str(exc)).status())], sel)
    return WatchStream(watcher, [*(WatchEvent("ADDED", obj) for obj in initial), *head], sel)


def _translate(event: StoredEvent, sel: Selection) -> WatchEvent | None:
    if sel.empty:
        return WatchEvent(event.type, event.object)
    now = event.type != "DELETED" and sel.matches(event.object)
    before = event.prev is not None and sel.matches(event.prev)
    if event.type == "DELETED":
        return WatchEvent("DELETED", event.object) if before else None
    if now and before:
        return WatchEvent("MODIFIED", event.object)
    if now:
        return WatchEvent("ADDED", event.object)
    if before:
        # left the selection: clients see it as deleted, carrying the new state (cacher.go)
        return WatchEvent("DELETED", event.object)
    return None


def bookmark(rt: ResourceType, rv: int, *, initial_events_end: bool = False) -> Obj:
    m: Obj = {"resourceVersion": str(rv), "creationTimestamp": None}
    if initial_events_end:
        m["annotations"] = {"k8s.io/initial-events-end": "true"}
    return {"kind": rt.kind, "apiVersion": rt.api_version, "metadata": m}

"""LIST and WATCH: selectors, pagination with continue tokens, resourceVersion semantics, watch filtering."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from mockapi.api import errors
from mockapi.api.selectors import FieldSelector, LabelSelector
from mockapi.api.types import Obj
from mockapi.registry.options import ListOptions, decode_continue, encode_continue
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
    return f"{rt.group}/{rt.plural}"


def _parse_rv(value: str) -> int:
    try:
        rv = int(value)
    except ValueError:
        raise errors.bad_request(f"invalid resource version: {value}") from None
    if rv < 0:
        raise errors.bad_request(f"invalid resource version: {value}")
    return rv


async def wait_for_rv(storage: Storage, rv: int) -> None:
    """A request for a revision the store has not reached waits briefly, then times out (504)."""
    deadline = asyncio.get_running_loop().time() + TOO_LARGE_RV_WAIT
    while storage.current_rv < rv:
        if asyncio.get_running_loop().time() >= deadline:
            err = errors.timeout(f"Too large resource version: {rv}, current: {storage.current_rv}", 1)
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
        rv = _parse_rv(opts.resource_version)
        if opts.resource_version_match == "Exact":
            at_rv = rv
        await wait_for_rv(storage, rv)
    elif opts.resource_version_match and opts.resource_version == "":
        raise errors.bad_request("resourceVersionMatch is forbidden unless resourceVersion is provided")
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
        if opts.continue_token:
            raise errors.expired(EXPIRED_CONTINUE) from None
        raise errors.expired(f"resourceVersion {at_rv} is too old") from None
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
    """An open watch: setup errors were raised by `open_watch`; iterating yields events until stopped."""

    def __init__(
        self,
        watcher: Watcher | None,
        initial: list[Obj],
        head: list[WatchEvent],
        sel: Selection,
        expired: WatchEvent | None,
    ) -> None:
        self._watcher = watcher
        self._initial = initial
        self._head = head
        self._sel = sel
        self._expired = expired

    async def __aiter__(self) -> AsyncIterator[WatchEvent]:
        if self._expired is not None:
            yield self._expired
            return
        assert self._watcher is not None
        try:
            for obj in self._initial:
                yield WatchEvent("ADDED", obj)
            for event in self._head:
                yield event
            async for stored in self._watcher:
                translated = _translate(stored, self._sel)
                if translated is not None:
                    yield translated
        finally:
            self._watcher.stop()

    def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()


async def open_watch(storage: Storage, rt: ResourceType, namespace: str, opts: ListOptions) -> WatchStream:
    """Validate the request and register the watch; events as kube-apiserver's cacher sends them."""
    sel = selection(rt, opts)
    ns = namespace if rt.namespaced else ""
    initial: list[Obj] = []
    head: list[WatchEvent] = []
    if (opts.resource_version in ("", "0") and opts.send_initial_events is not False) or opts.send_initial_events:
        listed = await storage.list(prefix_of(rt), ns, predicate=None if sel.empty else sel.matches)
        initial, from_rv = listed.items, listed.resource_version
        if opts.send_initial_events and opts.allow_bookmarks:
            head.append(WatchEvent("BOOKMARK", bookmark(rt, from_rv, initial_events_end=True)))
    elif opts.resource_version in ("", "0"):
        from_rv = storage.current_rv
    else:
        from_rv = _parse_rv(opts.resource_version)
        await wait_for_rv(storage, from_rv)
    try:
        watcher = storage.watch(prefix_of(rt), ns, from_rv)
    except TooOldResourceVersion as exc:
        return WatchStream(None, [], [], sel, WatchEvent("ERROR", errors.expired(str(exc)).status()))
    return WatchStream(watcher, initial, head, sel, None)


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

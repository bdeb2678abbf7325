"""A list-then-watch loop over one storage prefix that survives watch restarts."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from mockapi.api.types import Obj, UserInfo
from mockapi.registry.options import OpContext
from mockapi.storage.errors import TooOldResourceVersion
from mockapi.storage.interface import Key, Storage, StoredEvent

log = logging.getLogger("mockapi.controllers")

EventHandler = Callable[[StoredEvent], Awaitable[None]]


def controller_identity(name: str) -> OpContext:
    """The service-account identity kube-controller-manager's controllers use."""
    return OpContext(
        user=UserInfo(
            name=f"system:serviceaccount:kube-system:{name}",
            groups=("system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"),
        )
    )


async def watch_loop(storage: Storage, prefix: str, handle: EventHandler, stopping: asyncio.Event) -> None:
    """Feed every object (as a synthetic ADDED event) and then every change to `handle`, forever."""
    while not stopping.is_set():
        listing = await _list_all(storage, prefix)
        rv = storage.current_rv
        for key, obj in listing:
            await _safe(handle, StoredEvent("ADDED", key, obj, None, rv))
        try:
            watcher = storage.watch(prefix, "", rv)
        except TooOldResourceVersion:
            continue
        try:
            async for event in watcher:
                await _safe(handle, event)
        finally:
            watcher.stop()
        await asyncio.sleep(0.05)


async def _list_all(storage: Storage, prefix: str) -> list[tuple[Key, Obj]]:
    """Every object under `prefix`, or under every prefix for "": after a watch closed (its client fell
    behind, or the store was reset), a controller sees the whole state again, as an informer re-lists."""
    out: list[tuple[Key, Obj]] = []
    for each in (prefix,) if prefix else storage.prefixes():
        result = await storage.list(each, "")
        out += [(Key(each, o["metadata"].get("namespace", ""), o["metadata"]["name"]), o) for o in result.items]
    return out


async def _safe(handle: EventHandler, event: StoredEvent) -> None:
    try:
        await handle(event)
    except asyncio.CancelledError:
        raise
    except Exception:  # a controller must keep running; the failure is logged for the operator
        log.exception("controller failed on %s %s", event.type, event.key)

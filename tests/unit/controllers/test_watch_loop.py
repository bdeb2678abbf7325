"""The controllers' list-then-watch loop: after its watch is closed it sees the whole state again."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from mockapi.controllers.base import watch_loop
from mockapi.storage.interface import Key, StoredEvent
from mockapi.storage.memory import MemoryStorage


async def _until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached"
        await asyncio.sleep(0.01)


async def test_a_watcher_of_every_prefix_relists_every_prefix_after_its_watch_closes() -> None:
    storage = MemoryStorage()
    storage.mark_window_start()
    seen: list[tuple[str, str]] = []

    async def handle(event: StoredEvent) -> None:
        seen.append((event.type, f"{event.key.prefix}/{event.key.name}"))

    stopping = asyncio.Event()
    task = asyncio.create_task(watch_loop(storage, "", handle, stopping))
    await storage.create(Key("/configmaps", "default", "a"), {"metadata": {"name": "a", "namespace": "default"}})
    await _until(lambda: ("ADDED", "/configmaps/a") in seen)
    storage.close_watchers()  # as when a watcher falls too far behind
    await storage.create(Key("apps/deployments", "default", "d"), {"metadata": {"name": "d", "namespace": "default"}})
    await _until(lambda: ("ADDED", "apps/deployments/d") in seen)
    assert seen.count(("ADDED", "/configmaps/a")) == 2, "the relist saw the existing object again"
    stopping.set()
    storage.close_watchers()
    await asyncio.wait_for(task, 5)

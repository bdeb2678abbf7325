"""What only the memory store does: its watch window bounded by `history_size` events (410 Expired before
it, as kube-apiserver's watch cache) and its per-watcher queue of `WATCHER_QUEUE` events. What every
backend does is in test_contract.py."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from mockapi.api.types import Obj
from mockapi.storage import memory
from mockapi.storage.errors import TooOldResourceVersion
from mockapi.storage.interface import Key
from mockapi.storage.memory import MemoryStorage, MemoryWatcher

PREFIX = "/configmaps"


def key(name: str) -> Key:
    return Key(PREFIX, "default", name)


def cm(name: str) -> Obj:
    return {"kind": "ConfigMap", "metadata": {"name": name, "namespace": "default"}}


async def bootstrapped(history_size: int, bootstrap: int = 3) -> tuple[MemoryStorage, int]:
    """A store that wrote `bootstrap` objects, then marked the window start (as the server does)."""
    s = MemoryStorage(history_size=history_size)
    for i in range(bootstrap):
        await s.create(key(f"boot{i}"), cm(f"boot{i}"))
    await s.mark_window_start()
    return s, await s.current_revision()


def queued(watcher: MemoryWatcher) -> list[str]:
    """What the watcher has queued now (`poll` never waits)."""
    names = []
    while (event := watcher.poll()) is not None:
        names.append(event.key.name)
    return names


@dataclass(frozen=True)
class WindowCase:
    name: str
    history_size: int
    writes: int
    """Objects created after the window start W."""
    from_offset: int
    """The watch starts from W + from_offset."""
    too_old: int | None
    """None: the watch opens; else the revision (relative to W) the 410 message names."""
    replayed: int = 0
    """How many of the writes the watch replays."""


WINDOW_CASES = [
    WindowCase("at the window start", history_size=10, writes=2, from_offset=0, too_old=None, replayed=2),
    WindowCase("bootstrap revisions are gone", history_size=10, writes=2, from_offset=-1, too_old=0),
    WindowCase("revision 1 after bootstrap", history_size=10, writes=0, from_offset=-3, too_old=0),
    WindowCase("within a full history", history_size=2, writes=2, from_offset=0, too_old=None, replayed=2),
    # Three writes into two slots evict W+1: the first deliverable event is W+2, the message says W+1.
    WindowCase("evicted by the bound", history_size=2, writes=3, from_offset=0, too_old=1),
    WindowCase("just after the eviction", history_size=2, writes=3, from_offset=1, too_old=None, replayed=2),
    WindowCase("a future revision", history_size=10, writes=1, from_offset=5, too_old=None, replayed=0),
]


@pytest.mark.parametrize("case", WINDOW_CASES, ids=lambda c: c.name)
async def test_watch_window(case: WindowCase) -> None:
    s, start = await bootstrapped(case.history_size)
    for i in range(case.writes):
        await s.create(key(f"o{i}"), cm(f"o{i}"))
    from_rv = start + case.from_offset
    if case.too_old is not None:
        with pytest.raises(TooOldResourceVersion) as exc:
            s.watch(PREFIX, "", from_rv)
        assert str(exc.value) == f"too old resource version: {from_rv} ({start + case.too_old})"
        assert s.oldest_rv == start + case.too_old
        return
    assert len(queued(s.watch(PREFIX, "", from_rv))) == case.replayed


@pytest.mark.parametrize(
    ("history_size", "writes", "at_offset", "items"),
    [(10, 1, -1, None), (10, 1, 0, 3), (10, 1, 1, 4), (2, 3, 0, None), (2, 3, 1, 4)],
)
async def test_exact_list_uses_the_same_window(
    history_size: int, writes: int, at_offset: int, items: int | None
) -> None:
    """`items` None: 410 (a list at W+k holds the 3 bootstrap objects and k later ones)."""
    s, start = await bootstrapped(history_size)
    for i in range(writes):
        await s.create(key(f"o{i}"), cm(f"o{i}"))
    if items is None:
        with pytest.raises(TooOldResourceVersion):
            await s.list(PREFIX, "", at_rv=start + at_offset)
    else:
        assert len((await s.list(PREFIX, "", at_rv=start + at_offset)).items) == items


def test_the_history_holds_at_least_one_event() -> None:
    with pytest.raises(ValueError, match="at least one event, not 0"):
        MemoryStorage(history_size=0)


@dataclass(frozen=True)
class OverflowCase:
    name: str
    writes: int
    keeps_up: bool
    """The reader takes each event as it is written; otherwise it reads nothing until the end."""
    overflowed: bool
    delivered: int
    """Events the reader gets in all (live, plus what is still queued once the writes are done)."""


OVERFLOW_CASES = [
    OverflowCase("a reader that keeps up", writes=10, keeps_up=True, overflowed=False, delivered=10),
    OverflowCase("a full queue is not an overflow", writes=3, keeps_up=False, overflowed=False, delivered=3),
    OverflowCase("a stalled reader is closed", writes=10, keeps_up=False, overflowed=True, delivered=0),
]


@pytest.mark.parametrize("case", OVERFLOW_CASES, ids=lambda c: c.name)
async def test_slow_watcher(case: OverflowCase, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(memory, "WATCHER_QUEUE", 3)
    s = MemoryStorage()
    watcher = s.watch(PREFIX, "", await s.current_revision())
    other = s.watch(PREFIX, "", await s.current_revision()).__aiter__()
    events = watcher.__aiter__()
    delivered = 0
    for i in range(case.writes):
        await s.create(key(f"o{i}"), cm(f"o{i}"))  # never waits for any watcher
        assert (await other.__anext__()).key.name == f"o{i}", "other watchers are not held up"
        if case.keeps_up:
            await events.__anext__()
            delivered += 1
    assert watcher.overflowed is case.overflowed
    delivered += len(queued(watcher))
    assert delivered == case.delivered
    assert await s.current_revision() == 1 + case.writes, "every write went through"
    if case.overflowed:
        await asyncio.wait_for(watcher.closed(), 1)
        assert await watcher.wait() is False, "a closed watcher's readers see it end"

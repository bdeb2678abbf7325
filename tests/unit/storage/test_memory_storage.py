"""MemoryStorage: revisions, snapshots for continue tokens and watch replay (the window and slow watchers are
in test_memory_window.py)."""

from __future__ import annotations

import pytest

from mockapi.api.types import Obj
from mockapi.storage.errors import KeyExists, KeyNotFound, PreconditionFailed
from mockapi.storage.interface import Key, Preconditions, StoredEvent
from mockapi.storage.memory import MemoryStorage

PREFIX = "/configmaps"


def key(name: str, ns: str = "default") -> Key:
    return Key(PREFIX, ns, name)


def cm(name: str, ns: str = "default", **data: str) -> Obj:
    return {
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": ns, "uid": f"uid-{name}"},
        "data": data,
    }


async def test_create_assigns_increasing_global_revisions() -> None:
    s = MemoryStorage()
    a = await s.create(key("a"), cm("a"))
    b = await s.create(Key("/secrets", "default", "b"), cm("b"))
    assert int(b["metadata"]["resourceVersion"]) == int(a["metadata"]["resourceVersion"]) + 1
    assert s.current_rv == int(b["metadata"]["resourceVersion"])
    with pytest.raises(KeyExists):
        await s.create(key("a"), cm("a"))


async def test_unchanged_update_writes_nothing() -> None:
    s = MemoryStorage()
    created = await s.create(key("a"), cm("a", k="v"))
    rv = s.current_rv

    async def same(obj: Obj) -> Obj:
        return obj

    assert await s.guaranteed_update(key("a"), same) is created
    assert s.current_rv == rv

    async def change(obj: Obj) -> Obj:
        obj["data"]["k"] = "w"
        return obj

    updated = await s.guaranteed_update(key("a"), change)
    assert updated["metadata"]["resourceVersion"] == str(rv + 1)
    assert created["data"] == {"k": "v"}, "the stored object handed out earlier is never mutated"


async def test_delete_preconditions_and_new_revision() -> None:
    s = MemoryStorage()
    await s.create(key("a"), cm("a"))
    with pytest.raises(PreconditionFailed, match="UID in precondition: other, UID in object meta: uid-a"):
        await s.delete(key("a"), Preconditions(uid="other"))
    gone = await s.delete(key("a"), Preconditions(uid="uid-a"))
    assert gone["metadata"]["resourceVersion"] == str(s.current_rv)
    with pytest.raises(KeyNotFound):
        await s.get(key("a"))


async def test_list_pagination_is_sorted_and_counts_remaining() -> None:
    s = MemoryStorage()
    for ns, name in [("b", "x"), ("a", "z"), ("a", "y")]:
        await s.create(key(name, ns), cm(name, ns))
    page = await s.list(PREFIX, "", limit=2)
    assert [(o["metadata"]["namespace"], o["metadata"]["name"]) for o in page.items] == [
        ("a", "y"),
        ("a", "z"),
    ]
    assert page.continue_key == ("a", "z") and page.remaining == 1
    rest = await s.list(PREFIX, "", start_after=page.continue_key, at_rv=page.resource_version)
    assert [o["metadata"]["name"] for o in rest.items] == ["x"]
    assert rest.continue_key is None


async def test_snapshot_list_rolls_back_later_changes() -> None:
    s = MemoryStorage()
    await s.create(key("a"), cm("a", v="1"))
    snapshot_rv = s.current_rv

    async def change(obj: Obj) -> Obj:
        obj["data"]["v"] = "2"
        return obj

    await s.guaranteed_update(key("a"), change)
    await s.create(key("b"), cm("b"))
    at = await s.list(PREFIX, "", at_rv=snapshot_rv)
    assert [(o["metadata"]["name"], o["data"]) for o in at.items] == [("a", {"v": "1"})]


async def test_watch_replays_from_revision_and_streams_live() -> None:
    s = MemoryStorage()
    await s.create(key("a"), cm("a"))
    start = s.current_rv
    await s.create(key("b"), cm("b"))
    watcher = s.watch(PREFIX, "", start)
    await s.delete(key("a"))
    seen: list[StoredEvent] = []
    async for event in watcher:
        seen.append(event)
        if len(seen) == 2:
            break
    assert [(e.type, e.key.name) for e in seen] == [("ADDED", "b"), ("DELETED", "a")]

"""The `Storage` contract, run against every backend: what the registry, watches and informers rely on.

A new backend (etcd) is one more line in `BACKENDS`; what only one backend does (the memory store's
history bound, its queue size) is tested next to it (test_memory_window.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest

from mockapi.api.types import Obj
from mockapi.storage import memory
from mockapi.storage.errors import KeyExists, KeyNotFound, PreconditionFailed, TooOldResourceVersion
from mockapi.storage.interface import Filter, Key, Preconditions, Storage, Watcher
from mockapi.storage.memory import MemoryStorage

PREFIX = "/configmaps"
OTHER = "/secrets"


@dataclass(frozen=True)
class Backend:
    name: str
    make: Callable[[], Storage]
    watcher_queue: Callable[[], int]
    """How many undelivered events a watcher holds before the store closes it (read when the test runs)."""


BACKENDS = [
    Backend("memory", MemoryStorage, lambda: memory.WATCHER_QUEUE),
]


@pytest.fixture(params=BACKENDS, ids=lambda b: b.name)
def backend_spec(request: pytest.FixtureRequest) -> Backend:
    spec: Backend = request.param
    return spec


@pytest.fixture
async def backend(backend_spec: Backend) -> AsyncIterator[Storage]:
    storage = backend_spec.make()
    yield storage
    await storage.close()


def key(name: str, ns: str = "default", prefix: str = PREFIX) -> Key:
    return Key(prefix, ns, name)


def cm(name: str, ns: str = "default", **data: str) -> Obj:
    return {"kind": "ConfigMap", "metadata": {"name": name, "namespace": ns, "uid": f"uid-{name}"}, "data": data}


def rv_of(obj: Obj) -> int:
    return int(obj["metadata"]["resourceVersion"])


def queued(watcher: Watcher) -> list[tuple[str, str]]:
    """(type, name) of what the watcher has queued now (`poll` never waits)."""
    out: list[tuple[str, str]] = []
    while (event := watcher.poll()) is not None:
        out.append((event.type, event.key.name))
    return out


async def set_data(storage: Storage, k: Key, value: str, pre: Preconditions | None = None) -> Obj:
    async def change(obj: Obj) -> Obj:
        obj["data"] = {"v": value}
        return obj

    return await storage.guaranteed_update(k, change, pre)


# -- create and get -------------------------------------------------------------------------------


async def test_create_assigns_one_increasing_revision_across_prefixes(backend: Storage) -> None:
    a = await backend.create(key("a"), cm("a"))
    b = await backend.create(key("b", prefix=OTHER), cm("b"))
    assert rv_of(b) == rv_of(a) + 1
    assert await backend.current_revision() == rv_of(b)
    assert await backend.get(key("a")) == a
    with pytest.raises(KeyExists):
        await backend.create(key("a"), cm("a"))
    with pytest.raises(KeyNotFound):
        await backend.get(key("a", ns="other"))
    assert await backend.current_revision() == rv_of(b), "a refused create consumes no revision"


# -- guaranteed_update ----------------------------------------------------------------------------


async def test_an_update_that_changes_nothing_writes_nothing(backend: Storage) -> None:
    created = await backend.create(key("a"), cm("a", v="1"))
    rv = await backend.current_revision()

    async def same(obj: Obj) -> Obj:
        return obj

    async def nothing(obj: Obj) -> None:
        obj["data"] = {"ignored": "because None means no change"}

    assert await backend.guaranteed_update(key("a"), same) == created
    assert await backend.guaranteed_update(key("a"), nothing) == created
    assert await backend.current_revision() == rv
    updated = await set_data(backend, key("a"), "2")
    assert rv_of(updated) == rv + 1 == await backend.current_revision()
    assert created["data"] == {"v": "1"}, "an object handed out earlier is never mutated"


@dataclass(frozen=True)
class PreconditionCase:
    name: str
    pre: Preconditions
    message: str | None
    """None: the write goes through; else PreconditionFailed's message (kube-apiserver's wording)."""


PRECONDITION_CASES = [
    PreconditionCase("none", Preconditions(), None),
    PreconditionCase("matching uid", Preconditions(uid="uid-a"), None),
    PreconditionCase("matching resourceVersion", Preconditions(resource_version="{rv}"), None),
    PreconditionCase(
        "other uid",
        Preconditions(uid="other"),
        "Precondition failed: UID in precondition: other, UID in object meta: uid-a",
    ),
    PreconditionCase(
        "other resourceVersion",
        Preconditions(resource_version="1"),
        "Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: {rv}",
    ),
]


def _with_rv(pre: Preconditions, rv: int) -> Preconditions:
    if pre.resource_version is None:
        return pre
    return Preconditions(pre.uid, pre.resource_version.format(rv=rv))


@pytest.mark.parametrize("case", PRECONDITION_CASES, ids=lambda c: c.name)
async def test_update_preconditions(backend: Storage, case: PreconditionCase) -> None:
    await backend.create(key("filler"), cm("filler"))  # so the object's revision is not 1
    rv = rv_of(await backend.create(key("a"), cm("a", v="1")))
    pre = _with_rv(case.pre, rv)
    if case.message is None:
        assert (await set_data(backend, key("a"), "2", pre))["data"] == {"v": "2"}
        return
    with pytest.raises(PreconditionFailed) as exc:
        await set_data(backend, key("a"), "2", pre)
    assert str(exc.value) == case.message.format(rv=rv)
    assert await backend.current_revision() == rv


@pytest.mark.parametrize("case", PRECONDITION_CASES, ids=lambda c: c.name)
async def test_delete_preconditions(backend: Storage, case: PreconditionCase) -> None:
    await backend.create(key("filler"), cm("filler"))
    rv = rv_of(await backend.create(key("a"), cm("a")))
    pre = _with_rv(case.pre, rv)
    if case.message is None:
        gone = await backend.delete(key("a"), pre)
        assert rv_of(gone) == rv + 1 == await backend.current_revision(), "a delete is a write"
        with pytest.raises(KeyNotFound):
            await backend.get(key("a"))
        return
    with pytest.raises(PreconditionFailed) as exc:
        await backend.delete(key("a"), pre)
    assert str(exc.value) == case.message.format(rv=rv)
    assert await backend.get(key("a"))


async def test_update_and_delete_of_a_missing_key(backend: Storage) -> None:
    with pytest.raises(KeyNotFound):
        await set_data(backend, key("missing"), "x")
    with pytest.raises(KeyNotFound):
        await backend.delete(key("missing"))


# -- list -----------------------------------------------------------------------------------------

OBJECTS = [("b", "x"), ("a", "z"), ("a", "y"), ("c", "w")]
"""(namespace, name) created in this order; lists are sorted by namespace, then name."""


@dataclass(frozen=True)
class ListCase:
    name: str
    namespace: str = ""
    limit: int = 0
    start_after: tuple[str, str] | None = None
    predicate: Filter | None = None
    items: tuple[str, ...] = ()
    """Expected `namespace/name`s, in order."""
    continue_key: tuple[str, str] | None = None
    remaining: int = 0


LIST_CASES = [
    ListCase("everything, sorted", items=("a/y", "a/z", "b/x", "c/w")),
    ListCase("one namespace", namespace="a", items=("a/y", "a/z")),
    ListCase("a page", limit=2, items=("a/y", "a/z"), continue_key=("a", "z"), remaining=2),
    ListCase("the last page", limit=2, start_after=("a", "z"), items=("b/x", "c/w")),
    ListCase("an exact last page has no continue", limit=4, items=("a/y", "a/z", "b/x", "c/w")),
    ListCase("a page in a namespace", namespace="a", limit=1, items=("a/y",), continue_key=("a", "y"), remaining=1),
    ListCase(
        "a predicate",
        predicate=lambda o: o["metadata"]["name"] in ("x", "z"),
        items=("a/z", "b/x"),
    ),
    ListCase(
        "a page of filtered items counts the rest unfiltered",
        limit=1,
        predicate=lambda o: o["metadata"]["name"] != "y",
        items=("a/z",),
        continue_key=("a", "z"),
        remaining=2,
    ),
]


@pytest.mark.parametrize("case", LIST_CASES, ids=lambda c: c.name)
async def test_list(backend: Storage, case: ListCase) -> None:
    for ns, name in OBJECTS:
        await backend.create(key(name, ns), cm(name, ns))
    await backend.create(key("elsewhere", "a", prefix=OTHER), cm("elsewhere", "a"))
    result = await backend.list(
        PREFIX, case.namespace, start_after=case.start_after, limit=case.limit, predicate=case.predicate
    )
    assert [f"{o['metadata']['namespace']}/{o['metadata']['name']}" for o in result.items] == list(case.items)
    assert (result.continue_key, result.remaining) == (case.continue_key, case.remaining)
    assert result.resource_version == await backend.current_revision()


async def test_a_list_at_a_revision_rolls_back_later_changes(backend: Storage) -> None:
    await backend.create(key("a"), cm("a", v="1"))
    await backend.create(key("gone"), cm("gone"))
    at = await backend.current_revision()
    await set_data(backend, key("a"), "2")
    await backend.delete(key("gone"))
    await backend.create(key("b"), cm("b"))
    snapshot = await backend.list(PREFIX, "", at_rv=at)
    assert [(o["metadata"]["name"], o["data"]) for o in snapshot.items] == [("a", {"v": "1"}), ("gone", {})]
    assert snapshot.resource_version == at
    rest = await backend.list(PREFIX, "", at_rv=at, start_after=("default", "a"))
    assert [o["metadata"]["name"] for o in rest.items] == ["gone"]


async def test_a_list_before_the_window_is_too_old(backend: Storage) -> None:
    await backend.create(key("a"), cm("a"))
    old = await backend.current_revision()
    await backend.create(key("b"), cm("b"))
    await backend.mark_window_start()
    with pytest.raises(TooOldResourceVersion):
        await backend.list(PREFIX, "", at_rv=old)


# -- watch ----------------------------------------------------------------------------------------


async def test_a_watch_replays_from_its_revision_then_streams_live_in_order(backend: Storage) -> None:
    await backend.create(key("a"), cm("a"))
    start = await backend.current_revision()
    await backend.create(key("b"), cm("b"))
    await set_data(backend, key("a"), "1")
    watcher = backend.watch(PREFIX, "", start)
    await backend.delete(key("a"))
    seen = []
    async for event in watcher:
        seen.append((event.type, event.key.name, event.rv))
        if len(seen) == 3:
            break
    assert [(t, n) for t, n, _ in seen] == [("ADDED", "b"), ("MODIFIED", "a"), ("DELETED", "a")]
    assert [rv for _, _, rv in seen] == list(range(start + 1, start + 4))


async def test_events_carry_the_object_and_the_state_before(backend: Storage) -> None:
    start = await backend.current_revision()
    created = await backend.create(key("a"), cm("a", v="1"))
    updated = await set_data(backend, key("a"), "2")
    gone = await backend.delete(key("a"))
    watcher = backend.watch(PREFIX, "", start)
    events = [e for e in (watcher.poll(), watcher.poll(), watcher.poll()) if e is not None]
    assert [(e.type, e.object, e.prev) for e in events] == [
        ("ADDED", created, None),
        ("MODIFIED", updated, created),
        ("DELETED", gone, updated),
    ]


@dataclass(frozen=True)
class WatchFilterCase:
    name: str
    prefix: str
    namespace: str
    seen: tuple[str, ...]


WATCH_FILTER_CASES = [
    WatchFilterCase("one prefix", PREFIX, "", ("cm-a", "cm-b")),
    WatchFilterCase("one namespace", PREFIX, "a", ("cm-a",)),
    WatchFilterCase("every prefix", "", "", ("cm-a", "cm-b", "secret-a")),
    WatchFilterCase("every prefix, one namespace", "", "a", ("cm-a", "secret-a")),
]


@pytest.mark.parametrize("case", WATCH_FILTER_CASES, ids=lambda c: c.name)
async def test_watch_filters_by_prefix_and_namespace(backend: Storage, case: WatchFilterCase) -> None:
    watcher = backend.watch(case.prefix, case.namespace, await backend.current_revision())
    await backend.create(key("cm-a", "a"), cm("cm-a", "a"))
    await backend.create(key("cm-b", "b"), cm("cm-b", "b"))
    await backend.create(key("secret-a", "a", prefix=OTHER), cm("secret-a", "a"))
    assert [name for _, name in queued(watcher)] == list(case.seen)


async def test_a_watch_before_the_window_is_too_old(backend: Storage) -> None:
    await backend.create(key("a"), cm("a"))
    old = await backend.current_revision()
    await backend.create(key("b"), cm("b"))
    await backend.mark_window_start()
    start = await backend.current_revision()
    with pytest.raises(TooOldResourceVersion) as exc:
        backend.watch(PREFIX, "", old)
    assert (exc.value.requested, exc.value.oldest) == (old, start)
    assert backend.oldest_rv == start
    assert queued(backend.watch(PREFIX, "", start)) == [], "the window start itself is watchable"


async def test_a_watch_from_a_future_revision_skips_up_to_it(backend: Storage) -> None:
    watcher = backend.watch(PREFIX, "", await backend.current_revision() + 2)
    for name in ("skipped1", "skipped2", "seen"):
        await backend.create(key(name), cm(name))
    assert queued(watcher) == [("ADDED", "seen")]


async def test_wait_and_poll_take_a_burst_at_once(backend: Storage) -> None:
    watcher = backend.watch(PREFIX, "", await backend.current_revision())
    waiting = asyncio.ensure_future(watcher.wait())
    await asyncio.sleep(0)
    assert not waiting.done(), "nothing queued yet"
    for name in "abc":
        await backend.create(key(name), cm(name))
    assert await waiting is True
    assert [name for _, name in queued(watcher)] == ["a", "b", "c"]
    assert not watcher.stopped
    watcher.stop()
    assert watcher.stopped and not watcher.overflowed
    assert await watcher.wait() is False
    assert watcher.poll() is None
    await asyncio.wait_for(watcher.closed(), 1)


async def test_a_reader_that_falls_behind_is_closed_without_holding_up_writers(
    backend: Storage, backend_spec: Backend
) -> None:
    stalled = backend.watch(PREFIX, "", await backend.current_revision())
    keeping_up = backend.watch(PREFIX, "", await backend.current_revision())
    writes = backend_spec.watcher_queue() + 1
    for i in range(writes):
        await backend.create(key(f"o{i}"), cm(f"o{i}"))
        assert keeping_up.poll() is not None
    assert stalled.overflowed and stalled.stopped
    assert stalled.poll() is None, "what it had queued is dropped"
    assert await stalled.wait() is False
    await asyncio.wait_for(stalled.closed(), 1)
    assert not keeping_up.stopped
    assert len((await backend.list(PREFIX, "")).items) == writes, "every write went through"


# -- prefixes, reset, close -----------------------------------------------------------------------


async def test_prefixes_are_those_holding_objects(backend: Storage) -> None:
    assert backend.prefixes() == ()
    await backend.create(key("s", prefix=OTHER), cm("s"))
    await backend.create(key("a"), cm("a"))
    assert backend.prefixes() == (PREFIX, OTHER)
    await backend.delete(key("s", prefix=OTHER))
    assert backend.prefixes() == (PREFIX,)


async def test_reset_drops_everything_ends_watches_and_moves_the_window(backend: Storage) -> None:
    await backend.create(key("a"), cm("a"))
    before = await backend.current_revision()
    watcher = backend.watch("", "", before)
    await backend.reset()
    assert watcher.stopped and not watcher.overflowed
    await asyncio.wait_for(watcher.closed(), 1)
    after = await backend.current_revision()
    assert after > before, "revisions keep increasing"
    assert backend.oldest_rv == after
    assert (await backend.list(PREFIX, "")).items == [] and backend.prefixes() == ()
    with pytest.raises(KeyNotFound):
        await backend.get(key("a"))
    with pytest.raises(TooOldResourceVersion):
        backend.watch(PREFIX, "", before)
    again = await backend.create(key("a"), cm("a"))
    assert rv_of(again) == after + 1


async def test_close_ends_every_watch(backend: Storage) -> None:
    rv = await backend.current_revision()
    watchers = [backend.watch(PREFIX, "", rv), backend.watch("", "", rv)]
    await backend.close()
    for watcher in watchers:
        assert watcher.stopped and not watcher.overflowed
        assert await watcher.wait() is False

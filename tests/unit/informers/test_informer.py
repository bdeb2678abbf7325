"""Shared informers over the memory store: list-then-watch, indexes kept current, relists, handlers.

Every factory here runs with the cache mutation detector on: a test that mutated a cached object fails at
teardown (`stop()` raises CacheMutationError).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest

from mockapi.api.informers import Informer, InformerFactory, ObjectReader
from mockapi.api.types import GroupVersionResource, Obj
from mockapi.informers.factory import SharedInformerFactory
from mockapi.informers.handlers import HandlerListener
from mockapi.informers.indexes import NAMESPACE_INDEX, POD_NODE_INDEX, pod_node_index
from mockapi.informers.informer import ResourceInformer, relist_delay
from mockapi.informers.mutation import CacheMutationError
from mockapi.informers.reader import FactoryObjectReader
from mockapi.resources.catalog import Catalog
from mockapi.storage import memory
from mockapi.storage.interface import Key
from mockapi.storage.memory import MemoryStorage

CATALOG = Catalog.load()
PODS = GroupVersionResource("", "v1", "pods")
NAMESPACES = GroupVersionResource("", "v1", "namespaces")
HPA_V1 = GroupVersionResource("autoscaling", "v1", "horizontalpodautoscalers")
HPA_V2 = GroupVersionResource("autoscaling", "v2", "horizontalpodautoscalers")


@pytest.fixture
def storage() -> MemoryStorage:
    return MemoryStorage()


@pytest.fixture
async def factory(storage: MemoryStorage) -> AsyncIterator[SharedInformerFactory]:
    f = SharedInformerFactory(storage, CATALOG, detect_mutations=True)
    f.start()
    yield f
    await f.stop()


def pod(name: str, ns: str = "default", node: str = "", uid: str = "") -> Obj:
    obj: Obj = {"kind": "Pod", "metadata": {"name": name, "namespace": ns, "uid": uid or f"uid-{ns}-{name}"}}
    if node:
        obj["spec"] = {"nodeName": node}
    return obj


async def create(storage: MemoryStorage, name: str, ns: str = "default", node: str = "", uid: str = "") -> None:
    await storage.create(Key("/pods", ns, name), pod(name, ns, node, uid))


async def move(storage: MemoryStorage, name: str, node: str, ns: str = "default") -> None:
    async def fn(obj: Obj) -> Obj:
        obj["spec"] = {"nodeName": node}
        return obj

    await storage.guaranteed_update(Key("/pods", ns, name), fn)


async def delete(storage: MemoryStorage, name: str, ns: str = "default") -> None:
    await storage.delete(Key("/pods", ns, name))


def names(objs: list[Obj]) -> list[str]:
    return sorted(f"{o['metadata']['namespace']}/{o['metadata']['name']}" for o in objs)


class Recorder:
    """A handler that records `add/update/delete ns/name` lines."""

    def __init__(self, informer: Informer) -> None:
        self.informer = informer
        self.seen: list[str] = []
        self.registration = informer.add_handler(on_add=self.on_add, on_update=self.on_update, on_delete=self.on_delete)

    async def on_add(self, obj: Obj) -> None:
        self.seen.append(f"add {names([obj])[0]}")

    async def on_update(self, old: Obj, new: Obj) -> None:
        assert old["metadata"]["resourceVersion"] != new["metadata"]["resourceVersion"]
        self.seen.append(f"update {names([new])[0]}")

    async def on_delete(self, obj: Obj) -> None:
        self.seen.append(f"delete {names([obj])[0]}")

    async def settled(self) -> list[str]:
        """What it saw once it handled every change made so far."""
        self.informer.has_synced()  # a read: queues the changes the watch has delivered to the handlers
        assert isinstance(self.registration, HandlerListener)
        await until(self.registration.idle)
        return self.seen


async def until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        assert asyncio.get_running_loop().time() < deadline, "condition not reached"
        await asyncio.sleep(0.001)


# -- list-then-watch and indexes -------------------------------------------------------------------

Step = tuple[Literal["create", "move", "delete"], str, str]
"""(what, namespace/name, node)."""


async def run(storage: MemoryStorage, steps: list[Step]) -> None:
    for what, ref, node in steps:
        ns, name = ref.split("/")
        if what == "create":
            await create(storage, name, ns, node)
        elif what == "move":
            await move(storage, name, node, ns)
        else:
            await delete(storage, name, ns)


@dataclass(frozen=True)
class CacheCase:
    name: str
    before: list[Step]
    """Written before the informer starts: it lists them."""
    after: list[Step]
    """Written once it has synced: it watches them."""
    cached: list[str]
    by_node: dict[str, list[str]]
    events: list[str]
    in_namespace: dict[str, list[str]] = field(default_factory=dict)


CACHE_CASES = [
    CacheCase(
        "list then watch",
        before=[("create", "default/a", "n1")],
        after=[("create", "default/b", "n1")],
        cached=["default/a", "default/b"],
        by_node={"n1": ["default/a", "default/b"]},
        events=["add default/a", "add default/b"],
    ),
    CacheCase(
        "an update moves an object between index values",
        before=[("create", "default/a", "n1")],
        after=[("move", "default/a", "n2")],
        cached=["default/a"],
        by_node={"n1": [], "n2": ["default/a"]},
        events=["add default/a", "update default/a"],
    ),
    CacheCase(
        "a delete leaves every index",
        before=[("create", "default/a", "n1"), ("create", "default/b", "n1")],
        after=[("delete", "default/a", "")],
        cached=["default/b"],
        by_node={"n1": ["default/b"]},
        events=["add default/a", "add default/b", "delete default/a"],
    ),
    CacheCase(
        "what came and went before the list is never seen",
        before=[("create", "default/a", "n1"), ("delete", "default/a", "")],
        after=[],
        cached=[],
        by_node={"n1": []},
        events=[],
    ),
    CacheCase(
        "unscheduled pods are not filed by node; the namespace index holds every pod",
        before=[("create", "x/a", ""), ("create", "y/b", "n1")],
        after=[("create", "x/c", "n1"), ("move", "x/a", "n2")],
        cached=["x/a", "x/c", "y/b"],
        by_node={"": [], "n1": ["x/c", "y/b"], "n2": ["x/a"]},
        events=["add x/a", "add y/b", "add x/c", "update x/a"],
        in_namespace={"x": ["x/a", "x/c"], "y": ["y/b"], "z": []},
    ),
]


@pytest.mark.parametrize("case", CACHE_CASES, ids=lambda c: c.name)
async def test_cache_and_indexes_follow_the_store(
    storage: MemoryStorage, factory: SharedInformerFactory, case: CacheCase
) -> None:
    await run(storage, case.before)
    informer: Informer = factory.informer(PODS)
    informer.add_index(POD_NODE_INDEX, pod_node_index)
    recorder = Recorder(informer)
    await informer.wait_synced()
    await run(storage, case.after)
    # no waiting: a read applies what the watch has queued, so it sees every finished write
    assert names(informer.list()) == case.cached
    for node, expected in case.by_node.items():
        assert names(informer.by_index(POD_NODE_INDEX, node)) == expected
    for ns, expected in case.in_namespace.items():
        assert names(informer.list(ns)) == expected == names(informer.by_index(NAMESPACE_INDEX, ns))
    assert await recorder.settled() == case.events


async def test_get_and_cluster_scoped_names(storage: MemoryStorage, factory: SharedInformerFactory) -> None:
    await storage.create(Key("/namespaces", "", "ns1"), {"kind": "Namespace", "metadata": {"name": "ns1"}})
    await create(storage, "a")
    namespaces, pods = factory.informer(NAMESPACES), factory.informer(PODS)
    await namespaces.wait_synced()
    await pods.wait_synced()
    assert namespaces.get("ignored-for-cluster-scoped", "ns1") is namespaces.get("", "ns1") is not None
    assert pods.get("default", "a") is await storage.get(Key("/pods", "default", "a")), "the stored object itself"
    assert pods.get("other", "a") is None
    assert namespaces.list("ns1") == namespaces.list(), "a namespace means nothing for cluster-scoped resources"


async def test_an_index_added_after_sync_is_backfilled(storage: MemoryStorage, factory: SharedInformerFactory) -> None:
    for i in range(4):
        await create(storage, f"p{i}", node=f"n{i % 2}")
    informer = factory.informer(PODS)
    await informer.wait_synced()
    informer.add_index(POD_NODE_INDEX, pod_node_index)
    assert names(informer.by_index(POD_NODE_INDEX, "n0")) == ["default/p0", "default/p2"]
    await move(storage, "p0", "n1")
    assert names(informer.by_index(POD_NODE_INDEX, "n1")) == ["default/p0", "default/p1", "default/p3"]


async def test_index_names(factory: SharedInformerFactory) -> None:
    informer = factory.informer(PODS)
    informer.add_index(POD_NODE_INDEX, pod_node_index)
    informer.add_index(POD_NODE_INDEX, pod_node_index)  # the same function again: nothing happens
    with pytest.raises(ValueError, match="indexer conflict"):
        informer.add_index(POD_NODE_INDEX, lambda obj: [])
    with pytest.raises(KeyError):
        informer.by_index("never-added", "x")


async def test_reads_cost_what_they_match(storage: MemoryStorage, factory: SharedInformerFactory) -> None:
    for i in range(10_000):
        await create(storage, f"p{i}", ns=f"ns{i % 100}", node=f"node{i % 50}")
    informer = factory.informer(PODS)
    informer.add_index(POD_NODE_INDEX, pod_node_index)
    await informer.wait_synced()
    assert isinstance(informer, ResourceInformer)
    cache = informer._shared._cache  # white box: make any scan of all cached objects fail
    cache._items = _NoScan(cache._items)
    assert len(informer.by_index(POD_NODE_INDEX, "node7")) == 200
    assert len(informer.list("ns3")) == 100
    assert informer.get("ns3", "p3") is not None
    with pytest.raises(AssertionError, match="scanned"):
        informer.list()


class _NoScan(dict[Any, Any]):
    def __iter__(self) -> Any:
        raise AssertionError("scanned every cached object")

    def values(self) -> Any:
        raise AssertionError("scanned every cached object")

    def items(self) -> Any:
        raise AssertionError("scanned every cached object")


# -- relisting ------------------------------------------------------------------------------------


async def test_a_closed_watch_unsyncs_at_once_and_the_relist_delivers_the_difference(
    storage: MemoryStorage, factory: SharedInformerFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    await create(storage, "kept")
    await create(storage, "changed", node="n1")
    await create(storage, "gone")
    informer = factory.informer(PODS)
    informer.add_index(POD_NODE_INDEX, pod_node_index)
    recorder = Recorder(informer)
    await informer.wait_synced()
    monkeypatch.setattr(memory, "WATCHER_QUEUE", 3)
    # a burst with no await that yields: the informer's watcher overflows and the store closes it
    await move(storage, "changed", "n2")
    await delete(storage, "gone")
    for i in range(5):
        await create(storage, f"new{i}")
    assert not informer.has_synced(), "a read notices the closed watch before the loop does"
    await informer.wait_synced()
    assert names(informer.list()) == ["default/changed", "default/kept", *(f"default/new{i}" for i in range(5))]
    assert names(informer.by_index(POD_NODE_INDEX, "n2")) == ["default/changed"]
    assert names(informer.by_index(POD_NODE_INDEX, "n1")) == []
    events = await recorder.settled()
    assert sorted(events[:3]) == ["add default/changed", "add default/gone", "add default/kept"]
    assert events[3:] == [
        "delete default/gone",
        "update default/changed",
        *(f"add default/new{i}" for i in range(5)),
    ], "only the difference, each change once; `kept` is not repeated"


async def test_a_store_reset_relists_and_a_reused_name_is_a_new_object(
    storage: MemoryStorage, factory: SharedInformerFactory
) -> None:
    await create(storage, "a", uid="first")
    await create(storage, "b")
    informer = factory.informer(PODS)
    recorder = Recorder(informer)
    await informer.wait_synced()
    await storage.reset()
    await create(storage, "a", uid="second")
    assert not informer.has_synced()
    reader = FactoryObjectReader(factory)
    found = await reader.get_object(PODS, "default", "a")  # waits for the relist: never the stale `a`
    assert found is not None and found["metadata"]["uid"] == "second"
    assert await reader.get_object(PODS, "default", "b") is None
    events = await recorder.settled()
    assert sorted(events[:2]) == ["add default/a", "add default/b"]
    assert sorted(events[2:4]) == ["delete default/a", "delete default/b"]
    assert events[4:] == ["add default/a"]


async def test_a_handler_added_while_relisting_gets_only_the_new_state(
    storage: MemoryStorage, factory: SharedInformerFactory
) -> None:
    await create(storage, "old")
    informer = factory.informer(PODS)
    await informer.wait_synced()
    await storage.reset()
    await create(storage, "new")
    recorder = Recorder(informer)  # the cache still holds `old` until the loop relists
    await informer.wait_synced()
    assert await recorder.settled() == ["add default/new"]


@pytest.mark.parametrize(
    ("failures", "delay"), [(0, 0.0), (1, 0.0), (2, 0.05), (3, 0.1), (6, 0.8), (7, 1.0), (50, 1.0)]
)
def test_relist_backoff(failures: int, delay: float) -> None:
    assert relist_delay(failures) == pytest.approx(delay)


# -- handlers -------------------------------------------------------------------------------------


async def test_each_handler_sees_changes_in_order_without_waiting_for_the_others(
    storage: MemoryStorage, factory: SharedInformerFactory
) -> None:
    informer = factory.informer(PODS)
    release = asyncio.Event()
    slow_seen: list[str] = []

    async def slow(obj: Obj) -> None:
        await release.wait()
        slow_seen.append(obj["metadata"]["name"])

    slow_registration = informer.add_handler(on_add=slow)
    fast = Recorder(informer)
    await informer.wait_synced()
    await create(storage, "a")
    await move(storage, "a", "n1")
    await create(storage, "b")
    await delete(storage, "a")
    assert await fast.settled() == ["add default/a", "update default/a", "add default/b", "delete default/a"]
    assert slow_seen == [], "the slow handler is still on its first call"
    release.set()
    assert isinstance(slow_registration, HandlerListener)
    await until(slow_registration.idle)
    assert slow_seen == ["a", "b"]


async def test_a_late_handler_gets_the_cache_and_a_failing_one_keeps_going(
    storage: MemoryStorage, factory: SharedInformerFactory, caplog: pytest.LogCaptureFixture
) -> None:
    await create(storage, "a")
    informer = factory.informer(PODS)
    await informer.wait_synced()
    seen: list[str] = []

    async def flaky(obj: Obj) -> None:
        seen.append(obj["metadata"]["name"])
        if obj["metadata"]["name"] == "a":
            raise RuntimeError("boom")

    registration = informer.add_handler(on_add=flaky)
    await create(storage, "b")
    informer.has_synced()  # a read: hands `b` to the handler
    assert isinstance(registration, HandlerListener)
    await until(registration.idle)
    assert seen == ["a", "b"]
    assert "boom" in caplog.text
    await registration.remove()
    await create(storage, "c")
    await asyncio.sleep(0.01)
    assert seen == ["a", "b"], "a removed handler hears nothing more"


# -- the factory and the reader -------------------------------------------------------------------


async def test_versions_share_one_cache_and_unknown_resources_are_refused(
    storage: MemoryStorage, factory: SharedInformerFactory
) -> None:
    as_protocol: InformerFactory = factory
    v1, v2 = as_protocol.informer(HPA_V1), as_protocol.informer(HPA_V2)
    assert factory.informer(HPA_V1) is v1
    assert (v1.resource, v2.resource) == (HPA_V1, HPA_V2)
    await storage.create(
        Key("autoscaling/horizontalpodautoscalers", "default", "h"), {"metadata": {"name": "h", "namespace": "default"}}
    )
    await v2.wait_synced()
    assert v1.get("default", "h") is v2.get("default", "h") is not None
    with pytest.raises(LookupError):
        factory.informer(GroupVersionResource("", "v1", "nonsense"))


async def test_the_reader_reads_synced_caches_in_storage_order(
    storage: MemoryStorage, factory: SharedInformerFactory
) -> None:
    for ns, name in [("b", "x"), ("a", "z"), ("a", "y")]:
        await create(storage, name, ns)
    reader: ObjectReader = FactoryObjectReader(factory)
    assert names(await reader.list_objects(PODS, "")) == ["a/y", "a/z", "b/x"]
    assert [o["metadata"]["name"] for o in await reader.list_objects(PODS, "")] == ["y", "z", "x"]
    assert [o["metadata"]["name"] for o in await reader.list_objects(PODS, "a")] == ["y", "z"]
    assert await reader.get_object(GroupVersionResource("", "v1", "nonsense"), "", "x") is None
    assert await reader.list_objects(GroupVersionResource("", "v9", "pods"), "") == []


async def test_an_informer_must_be_started_to_be_waited_for(storage: MemoryStorage) -> None:
    idle = SharedInformerFactory(storage, CATALOG)
    with pytest.raises(RuntimeError, match="not running"):
        await idle.informer(PODS).wait_synced()
    idle.start()
    await idle.wait_synced()
    assert idle.informer(PODS).has_synced()
    await idle.stop()
    assert not idle.informer(PODS).has_synced()


async def test_mutating_a_cached_object_is_caught(storage: MemoryStorage) -> None:
    checked = SharedInformerFactory(storage, CATALOG, detect_mutations=True)
    checked.start()
    await create(storage, "a")
    informer = checked.informer(PODS)
    await informer.wait_synced()
    cached = informer.get("default", "a")
    assert cached is not None
    checked.check_mutations()
    cached["metadata"]["labels"] = {"oops": "true"}
    with pytest.raises(CacheMutationError, match="a cached Pod default/a was mutated"):
        await checked.stop()

"""The controllers on shared informers: they keep working after their informers relist (a watch closed for
overflow, a store reset), and a restart hands them the whole synced state again."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import pytest

from mockapi.admission.chain import AdmissionChain
from mockapi.admission.plugins.namespace_lifecycle import NamespaceLifecycle
from mockapi.api.types import MASTERS_GROUP, Obj, UserInfo
from mockapi.controllers.manager import ControllerManager
from mockapi.informers.factory import SharedInformerFactory
from mockapi.informers.reader import FactoryObjectReader
from mockapi.registry import deletion
from mockapi.registry.hooks import KindHooks
from mockapi.registry.options import DeleteOptions, OpContext, WriteOptions
from mockapi.registry.store import ResourceStore
from mockapi.resources.catalog import Catalog
from mockapi.resources.types import ResourceType
from mockapi.storage.memory import MemoryStorage

CATALOG = Catalog.load()
ADMIN = OpContext(user=UserInfo("admin", groups=(MASTERS_GROUP,)))


def resource(plural: str) -> ResourceType:
    rt = CATALOG.get("", "v1", plural)
    assert rt is not None
    return rt


NAMESPACES, CONFIGMAPS, SECRETS = resource("namespaces"), resource("configmaps"), resource("secrets")


@dataclass
class Cluster:
    storage: MemoryStorage
    store: ResourceStore
    informers: SharedInformerFactory
    controllers: ControllerManager

    async def create(self, rt: ResourceType, namespace: str, body: Obj) -> Obj:
        return await self.store.create(rt, namespace, body, WriteOptions(), ADMIN)

    async def exists(self, rt: ResourceType, namespace: str, name: str) -> bool:
        return await self.store.find(rt, namespace, name) is not None


@pytest.fixture
async def cluster() -> AsyncIterator[Cluster]:
    """A store with NamespaceLifecycle admission reading the informers, and the controllers, as server.py
    assembles them."""
    storage = MemoryStorage()
    informers = SharedInformerFactory(storage, CATALOG, detect_mutations=True)
    store = ResourceStore(storage, AdmissionChain([NamespaceLifecycle(FactoryObjectReader(informers))]), KindHooks())
    controllers = ControllerManager(CATALOG, store, informers, "CA", namespace_grace_period=0)
    informers.start()
    await controllers.bootstrap()
    controllers.start()
    yield Cluster(storage, store, informers, controllers)
    await controllers.stop()
    await informers.stop()  # raises if a controller mutated a cached object


async def eventually(check: Callable[[], object], timeout: float = 5.0) -> None:
    """Wait until the async `check()` returns something true."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():  # type: ignore[misc]
        assert asyncio.get_running_loop().time() < deadline, "condition not reached"
        await asyncio.sleep(0.01)


def owned_by(uid: str, name: str = "owner") -> Obj:
    return {"apiVersion": "v1", "kind": "ConfigMap", "name": name, "uid": uid}


async def test_every_namespace_gets_its_service_account_and_root_ca(cluster: Cluster) -> None:
    await cluster.create(NAMESPACES, "", {"metadata": {"name": "team"}})
    await eventually(lambda: cluster.exists(resource("serviceaccounts"), "team", "default"))
    await eventually(lambda: cluster.exists(CONFIGMAPS, "team", "kube-root-ca.crt"))


async def test_a_deleted_namespace_is_emptied_then_goes(cluster: Cluster) -> None:
    await cluster.create(NAMESPACES, "", {"metadata": {"name": "doomed"}})
    await cluster.create(CONFIGMAPS, "doomed", {"metadata": {"name": "c"}})
    await cluster.create(SECRETS, "doomed", {"metadata": {"name": "s"}})
    await cluster.create(CONFIGMAPS, "default", {"metadata": {"name": "bystander"}})
    await deletion.delete(cluster.store, NAMESPACES, "", "doomed", DeleteOptions(), ADMIN)

    async def gone() -> bool:
        return not await cluster.exists(NAMESPACES, "", "doomed")

    await eventually(gone)
    assert not await cluster.exists(CONFIGMAPS, "doomed", "c")
    assert not await cluster.exists(SECRETS, "doomed", "s")
    assert await cluster.exists(CONFIGMAPS, "default", "bystander")


async def test_garbage_collection_goes_on_after_every_watch_was_closed(cluster: Cluster) -> None:
    owner = await cluster.create(CONFIGMAPS, "default", {"metadata": {"name": "owner"}})
    uid = owner["metadata"]["uid"]
    await cluster.create(CONFIGMAPS, "default", {"metadata": {"name": "dep", "ownerReferences": [owned_by(uid)]}})
    await cluster.storage.close()  # every informer loses its watch and relists (the memory store stays usable)
    await cluster.create(
        CONFIGMAPS, "default", {"metadata": {"name": "orphan", "ownerReferences": [owned_by("ghost", "ghost")]}}
    )

    async def orphan_gone() -> bool:
        return not await cluster.exists(CONFIGMAPS, "default", "orphan")

    await eventually(orphan_gone)
    assert await cluster.exists(CONFIGMAPS, "default", "dep"), "its owner lives"
    await deletion.delete(cluster.store, CONFIGMAPS, "default", "owner", DeleteOptions(), ADMIN)

    async def dependent_gone() -> bool:
        return not await cluster.exists(CONFIGMAPS, "default", "dep")

    await eventually(dependent_gone)


async def test_a_restart_after_a_store_reset_sees_the_new_state(cluster: Cluster) -> None:
    await cluster.create(NAMESPACES, "", {"metadata": {"name": "before"}})
    await cluster.controllers.stop()
    await cluster.storage.reset()  # as MockApiServer.reset: the informers keep running and relist
    cluster.store.hooks.reset()
    await cluster.controllers.bootstrap()
    cluster.controllers.start()
    await cluster.create(NAMESPACES, "", {"metadata": {"name": "after"}})
    await eventually(lambda: cluster.exists(CONFIGMAPS, "after", "kube-root-ca.crt"))
    assert not await cluster.exists(NAMESPACES, "", "before")
    assert cluster.controllers.health() is None

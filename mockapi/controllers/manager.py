"""Starts and stops the in-process controllers, and creates what a fresh cluster has (bootstrap)."""

from __future__ import annotations

import asyncio
import contextlib

from mockapi.api import errors
from mockapi.api.objects import clone
from mockapi.api.types import MASTERS_GROUP, UserInfo
from mockapi.controllers.base import watch_loop
from mockapi.controllers.gc import GarbageCollector
from mockapi.controllers.namespaces import NamespaceContentController, NamespaceFinalizer
from mockapi.controllers.pods import PodTerminator
from mockapi.registry.options import OpContext, WriteOptions
from mockapi.registry.store import ResourceStore
from mockapi.resources.catalog import Catalog
from mockapi.resources.priority_classes import SYSTEM_PRIORITY_CLASSES

SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
APISERVER = OpContext(user=UserInfo(name="system:apiserver", groups=(MASTERS_GROUP, "system:authenticated")))


class ControllerManager:
    def __init__(self, catalog: Catalog, store: ResourceStore, ca_pem: str, namespace_grace_period: float) -> None:
        self.catalog = catalog
        self.store = store
        self.content = NamespaceContentController(catalog, store, ca_pem)
        self.finalizer = NamespaceFinalizer(catalog, store, namespace_grace_period)
        self.gc = GarbageCollector(catalog, store)
        self.pods = PodTerminator(catalog, store)
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = asyncio.Event()

    async def bootstrap(self) -> None:
        """The namespaces, the `kubernetes` Service and the system PriorityClasses every cluster starts with."""
        namespaces = self.catalog.get("", "v1", "namespaces")
        services = self.catalog.get("", "v1", "services")
        assert namespaces is not None and services is not None
        for name in SYSTEM_NAMESPACES:
            await self._ensure(namespaces, "", {"metadata": {"name": name}})
            await self.content.ensure(name)
        await self._ensure(
            services,
            "default",
            {
                "metadata": {
                    "name": "kubernetes",
                    "labels": {"component": "apiserver", "provider": "kubernetes"},
                },
                "spec": {
                    "clusterIP": "10.96.0.1",
                    "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
                },
            },
        )
        # the scheduling post-start hook (pkg/registry/scheduling/rest AddSystemPriorityClasses)
        priority_classes = self.catalog.get("scheduling.k8s.io", "v1", "priorityclasses")
        if priority_classes is not None:
            for body in SYSTEM_PRIORITY_CLASSES:
                await self._ensure(priority_classes, "", clone(body))

    async def _ensure(self, rt: object, namespace: str, body: dict[str, object]) -> None:
        try:
            await self.store.create(rt, namespace, body, WriteOptions(), APISERVER)  # type: ignore[arg-type]
        except errors.ApiError as err:
            if err.code != 409:
                raise

    def start(self) -> None:
        self._stopping = asyncio.Event()
        storage = self.store.storage
        self._tasks = [
            asyncio.create_task(watch_loop(storage, "/namespaces", self.content.handle, self._stopping)),
            asyncio.create_task(watch_loop(storage, "/namespaces", self.finalizer.handle, self._stopping)),
            asyncio.create_task(watch_loop(storage, "", self.gc.handle, self._stopping)),
            asyncio.create_task(watch_loop(storage, "/pods", self.pods.handle, self._stopping)),
        ]

    async def stop(self) -> None:
        self._stopping.set()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []
        await self.finalizer.stop()
        await self.gc.stop()

    def health(self) -> str | None:
        for task in self._tasks:
            if task.done() and not task.cancelled() and task.exception() is not None:
                return f"controller failed: {task.exception()}"
        return None

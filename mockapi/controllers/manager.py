"""Starts and stops the in-process controllers, and creates what a fresh cluster has (bootstrap).

Controllers follow the server's shared informers (client-go's pattern: handlers on a SharedInformerFactory),
so they read the same caches as the request pipeline and add no watch of their own. The informers outlive
the controllers: stopping removes the handlers, starting adds them again, and each new handler first gets
every object of a synced cache.
"""

from __future__ import annotations

from mockapi.api import errors
from mockapi.api.coregroup import NAMESPACES, PODS
from mockapi.api.informers import HandlerRegistration
from mockapi.api.objects import clone
from mockapi.api.types import MASTERS_GROUP, UserInfo
from mockapi.controllers.base import on_each_state
from mockapi.controllers.gc import GarbageCollector
from mockapi.controllers.namespaces import NamespaceContentController, NamespaceFinalizer
from mockapi.controllers.pods import PodTerminator
from mockapi.controllers.tokens import Sign, TokensController
from mockapi.informers.factory import SharedInformerFactory
from mockapi.registry.options import OpContext, WriteOptions
from mockapi.registry.store import ResourceStore
from mockapi.resources.catalog import Catalog
from mockapi.resources.priority_classes import SYSTEM_PRIORITY_CLASSES

SYSTEM_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
APISERVER = OpContext(user=UserInfo(name="system:apiserver", groups=(MASTERS_GROUP, "system:authenticated")))


class ControllerManager:
    def __init__(
        self,
        catalog: Catalog,
        store: ResourceStore,
        informers: SharedInformerFactory,
        ca_pem: str,
        namespace_grace_period: float,
        sign_legacy_token: Sign | None = None,
    ) -> None:
        self.catalog = catalog
        self.store = store
        self.informers = informers
        self.content = NamespaceContentController(catalog, store, ca_pem)
        self.finalizer = NamespaceFinalizer(catalog, store, informers, namespace_grace_period)
        self.gc = GarbageCollector(catalog, store)
        self.pods = PodTerminator(catalog, store)
        self.tokens = TokensController(catalog, store, ca_pem, sign_legacy_token) if sign_legacy_token else None
        self._registrations: list[HandlerRegistration] = []

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
        """Add the controllers' handlers to the informers (the factory must be started)."""
        namespaces = self.informers.informer(NAMESPACES)
        self._registrations = [
            on_each_state(namespaces, self.content.handle),
            on_each_state(namespaces, self.finalizer.handle),
            on_each_state(self.informers.informer(PODS), self.pods.handle),
            *self.gc.register(self.informers),
            *(self.tokens.register(self.informers) if self.tokens is not None else ()),
        ]

    async def stop(self) -> None:
        for registration in self._registrations:
            await registration.remove()
        self._registrations = []
        await self.finalizer.stop()
        await self.gc.stop()

    def health(self) -> str | None:
        """Why the controllers cannot follow the cluster (their informers cannot list), or None."""
        return self.informers.health()

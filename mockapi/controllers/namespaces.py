"""Namespace controllers: finalization of deleted namespaces, and the per-namespace `default`
ServiceAccount and `kube-root-ca.crt` ConfigMap (serviceaccounts-controller, root-ca-cert-publisher)."""

from __future__ import annotations

import asyncio
import logging

from mockapi.api import errors
from mockapi.api.informers import InformerFactory
from mockapi.api.types import Obj
from mockapi.controllers.base import controller_identity
from mockapi.registry import deletion
from mockapi.registry.conversion import storage_prefix
from mockapi.registry.options import DeleteOptions, WriteOptions
from mockapi.registry.store import ResourceStore
from mockapi.resources.catalog import Catalog
from mockapi.resources.types import ResourceType

log = logging.getLogger("mockapi.controllers")

ROOT_CA_CONFIGMAP = "kube-root-ca.crt"
ROOT_CA_DESCRIPTION = (
    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as "
    "the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of "
    "Kubernetes clusters."
)
FINALIZER = "kubernetes"
POLL = 0.05


class NamespaceContentController:
    """Creates `default` ServiceAccounts and `kube-root-ca.crt` ConfigMaps in active namespaces."""

    def __init__(self, catalog: Catalog, store: ResourceStore, ca_pem: str) -> None:
        self.store = store
        self.ca_pem = ca_pem
        sa = catalog.get("", "v1", "serviceaccounts")
        cm = catalog.get("", "v1", "configmaps")
        assert sa is not None and cm is not None
        self.serviceaccounts, self.configmaps = sa, cm
        self.sa_ctx = controller_identity("service-account-controller")
        self.ca_ctx = controller_identity("root-ca-cert-publisher")

    async def handle(self, ns: Obj) -> None:
        """Called with each state of every namespace."""
        if (ns.get("status") or {}).get("phase") == "Terminating":
            return
        await self.ensure(ns["metadata"]["name"])

    async def ensure(self, namespace: str) -> None:
        if await self.store.find(self.serviceaccounts, namespace, "default") is None:
            await self._create(self.serviceaccounts, namespace, {"metadata": {"name": "default"}}, self.sa_ctx)
        if await self.store.find(self.configmaps, namespace, ROOT_CA_CONFIGMAP) is None:
            body = {
                "metadata": {
                    "name": ROOT_CA_CONFIGMAP,
                    "annotations": {"kubernetes.io/description": ROOT_CA_DESCRIPTION},
                },
                "data": {"ca.crt": self.ca_pem},
            }
            await self._create(self.configmaps, namespace, body, self.ca_ctx)

    async def _create(self, rt: ResourceType, namespace: str, body: Obj, ctx: object) -> None:
        try:
            await self.store.create(rt, namespace, body, WriteOptions(), ctx)  # type: ignore[arg-type]
        except errors.ApiError as err:
            if err.code not in (403, 404, 409):  # namespace gone or terminating, or someone was faster
                raise


class NamespaceFinalizer:
    """Empties a namespace marked for deletion, then removes the `kubernetes` finalizer so it goes away.

    What is left in the namespace is read from each resource's informer by namespace index: the cost of a
    pass is the namespace's objects, not every stored object.
    """

    def __init__(self, catalog: Catalog, store: ResourceStore, informers: InformerFactory, grace_period: float) -> None:
        self.store = store
        self.informers = informers
        self.grace_period = grace_period
        self.ctx = controller_identity("namespace-controller")
        namespaces = catalog.get("", "v1", "namespaces")
        assert namespaces is not None
        self.namespaces = namespaces
        seen: set[str] = set()  # storage prefixes: versions and cohabiting groups hold the same objects
        self.contents: list[ResourceType] = []
        for rt in catalog.all():
            if rt.namespaced and "delete" in rt.verbs and "list" in rt.verbs and storage_prefix(rt) not in seen:
                seen.add(storage_prefix(rt))
                self.contents.append(rt)
        self.running: dict[str, asyncio.Task[None]] = {}

    async def handle(self, ns: Obj) -> None:
        """Called with each state of every namespace."""
        name = ns["metadata"]["name"]
        if "deletionTimestamp" not in ns["metadata"]:
            return
        if FINALIZER not in ((ns.get("spec") or {}).get("finalizers") or []):
            return
        task = self.running.get(name)
        if task is None or task.done():
            self.running[name] = asyncio.create_task(self._finalize(name))

    async def stop(self) -> None:
        for task in self.running.values():
            task.cancel()
        self.running.clear()

    async def _finalize(self, namespace: str) -> None:
        # like kube-controller-manager, give in-flight creates a moment to land before emptying it
        await asyncio.sleep(self.grace_period)
        while await self._delete_contents(namespace):
            await asyncio.sleep(POLL)

        def drop_finalizer(obj: Obj) -> Obj:
            spec = obj.setdefault("spec", {})
            remaining = [f for f in spec.get("finalizers") or [] if f != FINALIZER]
            if remaining:
                spec["finalizers"] = remaining
            else:
                spec.pop("finalizers", None)
            return obj

        try:
            await self.store.update_existing(
                self.namespaces,
                "",
                namespace,
                drop_finalizer,
                WriteOptions(),
                self.ctx,
                subresource="finalize",
            )
        except errors.ApiError as err:
            if err.code != 404:
                raise

    async def _delete_contents(self, namespace: str) -> int:
        """Delete everything in the namespace; returns how many objects were still there."""
        remaining = 0
        for rt in self.contents:
            informer = self.informers.informer(rt.gvr)
            await informer.wait_synced()  # never decide a namespace is empty from a cache that is relisting
            for item in informer.list(namespace):
                remaining += 1
                if "deletionTimestamp" in item["metadata"] and rt.plural != "pods":
                    continue
                try:
                    await deletion.delete(
                        self.store,
                        rt,
                        namespace,
                        item["metadata"]["name"],
                        DeleteOptions(grace_period_seconds=0, propagation_policy="Background"),
                        self.ctx,
                    )
                except errors.ApiError as err:
                    if err.code not in (404, 409):
                        log.warning(
                            "namespace %s: cannot delete %s/%s: %s",
                            namespace,
                            rt.plural,
                            item["metadata"]["name"],
                            err.message,
                        )
        return remaining

"""Terminating pods on nodes: with no kubelet to stop containers, a pod marked for graceful deletion is
finished at once, as the node's kubelet would once its containers exited (kwok's default behaviour).
Without this, `kubectl delete pod` of a scheduled pod would wait forever."""

from __future__ import annotations

import logging

from mockapi.api import errors
from mockapi.api.types import Obj, UserInfo
from mockapi.registry import deletion
from mockapi.registry.options import DeleteOptions, OpContext
from mockapi.registry.store import ResourceStore
from mockapi.resources.catalog import Catalog

log = logging.getLogger("mockapi.controllers")


class PodTerminator:
    def __init__(self, catalog: Catalog, store: ResourceStore) -> None:
        pods = catalog.get("", "v1", "pods")
        assert pods is not None
        self.pods = pods
        self.store = store

    async def handle(self, pod: Obj) -> None:
        """Called with each state of every pod."""
        m = pod["metadata"]
        node = (pod.get("spec") or {}).get("nodeName")
        if "deletionTimestamp" not in m or not node or m.get("finalizers"):
            return
        kubelet = OpContext(user=UserInfo(name=f"system:node:{node}", groups=("system:nodes", "system:authenticated")))
        try:
            await deletion.delete(
                self.store,
                self.pods,
                m.get("namespace", ""),
                m["name"],
                DeleteOptions(grace_period_seconds=0, precondition_uid=m.get("uid")),
                kubelet,
            )
        except errors.ApiError as err:
            if err.code not in (404, 409):
                log.warning("pod %s/%s: cannot finish termination: %s", m.get("namespace"), m["name"], err.message)

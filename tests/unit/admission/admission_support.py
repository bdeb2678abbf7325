"""Shared pieces of the admission plugin tests: an in-memory ObjectReader and attribute builders."""

from __future__ import annotations

import copy
from typing import Any

from mockapi.admission.interface import AdmissionAttributes
from mockapi.api.types import GroupVersionKind, GroupVersionResource, Obj, Operation, UserInfo

PODS = GroupVersionResource("", "v1", "pods")
PRIORITY_CLASSES = GroupVersionResource("scheduling.k8s.io", "v1", "priorityclasses")
SERVICE_ACCOUNTS = GroupVersionResource("", "v1", "serviceaccounts")


class FakeReader:
    """ObjectReader over a dict of stored objects; counts reads so retries can be checked."""

    def __init__(self, *objects: tuple[GroupVersionResource, str, Obj]) -> None:
        self.objects: dict[tuple[GroupVersionResource, str, str], Obj] = {}
        self.reads: list[tuple[GroupVersionResource, str, str]] = []
        for gvr, namespace, obj in objects:
            self.add(gvr, namespace, obj)

    def add(self, gvr: GroupVersionResource, namespace: str, obj: Obj) -> None:
        self.objects[(gvr, namespace, obj["metadata"]["name"])] = obj

    async def get_object(self, gvr: GroupVersionResource, namespace: str, name: str) -> Obj | None:
        self.reads.append((gvr, namespace, name))
        found = self.objects.get((gvr, namespace, name))
        return copy.deepcopy(found) if found is not None else None

    async def list_objects(self, gvr: GroupVersionResource, namespace: str) -> list[Obj]:
        return [
            copy.deepcopy(obj)
            for (g, ns, _), obj in sorted(self.objects.items(), key=lambda kv: kv[0][2])
            if g == gvr and (not namespace or ns == namespace)
        ]


def pod(name: str = "web", *, namespace: str = "default", spec: Obj | None = None, **meta: Any) -> Obj:
    metadata: Obj = {"namespace": namespace, **meta}
    if name:
        metadata["name"] = name
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata,
        "spec": spec if spec is not None else {"containers": [{"name": "app", "image": "nginx"}]},
    }


def attrs(
    obj: Obj | None,
    *,
    operation: Operation = Operation.CREATE,
    resource: GroupVersionResource = PODS,
    subresource: str = "",
    old: Obj | None = None,
    name: str | None = None,
) -> AdmissionAttributes:
    m = (obj or old or {}).get("metadata", {})
    return AdmissionAttributes(
        operation=operation,
        resource=resource,
        kind=GroupVersionKind(resource.group, resource.version, "Pod" if resource == PODS else "PriorityClass"),
        namespace=m.get("namespace", ""),
        name=m.get("name", "") if name is None else name,
        subresource=subresource,
        object=obj,
        old_object=old,
        user=UserInfo(name="admin", groups=("system:masters",)),
    )

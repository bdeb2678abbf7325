"""What admission is told about each write: the kind as a GroupVersionKind, the operation's options object
as the request gave it, the stored object on update and delete, and one uid per admitted request."""

from __future__ import annotations

import asyncio

from mockapi.admission.chain import AdmissionChain
from mockapi.api.admission import AdmissionAttributes
from mockapi.api.types import GroupVersionKind, Obj, Operation, UserInfo
from mockapi.registry.deletion import delete
from mockapi.registry.hooks import KindHooks
from mockapi.registry.options import OpContext, delete_options, write_options
from mockapi.registry.store import ResourceStore
from mockapi.resources.catalog import Catalog
from mockapi.storage.memory import MemoryStorage

CONFIGMAPS = Catalog.load("1.33").get("", "v1", "configmaps")
ADMIN = OpContext(user=UserInfo("admin", groups=("system:masters",)))


class Recording:
    name = "Recording"

    def __init__(self) -> None:
        self.seen: list[AdmissionAttributes] = []

    def handles(self, operation: Operation) -> bool:
        return True

    async def validate(self, attrs: AdmissionAttributes) -> None:
        self.seen.append(attrs)
        await asyncio.sleep(0)


def _configmap(value: str) -> Obj:
    meta = {"name": "cm", "namespace": "default"}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {"k": value}}


async def test_each_operation_tells_admission_its_options_and_objects() -> None:
    plugin = Recording()
    store = ResourceStore(MemoryStorage(), AdmissionChain([plugin]), KindHooks())
    assert CONFIGMAPS is not None
    create = write_options({"fieldManager": "me"}, ["All"])
    await store.create(CONFIGMAPS, "default", _configmap("0"), write_options({"fieldManager": "me"}, []), ADMIN)
    await store.create(CONFIGMAPS, "default", {**_configmap("0"), "metadata": {"name": "dry"}}, create, ADMIN)
    update = write_options({"fieldValidation": "Strict"}, [], "UpdateOptions")
    await store.update(CONFIGMAPS, "default", "cm", _configmap("1"), update, ADMIN)
    await delete(store, CONFIGMAPS, "default", "cm", delete_options({"gracePeriodSeconds": "0"}, None, []), ADMIN)

    created, dry, updated, deleted = plugin.seen
    assert created.kind == GroupVersionKind("", "v1", "ConfigMap")
    assert created.options == {"kind": "CreateOptions", "apiVersion": "meta.k8s.io/v1", "fieldManager": "me"}
    assert dry.dry_run and dry.options is not None and dry.options["dryRun"] == ["All"]
    assert updated.operation is Operation.UPDATE and updated.old_object is not None
    assert updated.old_object["data"] == {"k": "0"}
    assert updated.object is not None and updated.object["data"] == {"k": "1"}
    assert updated.options == {"kind": "UpdateOptions", "apiVersion": "meta.k8s.io/v1", "fieldValidation": "Strict"}
    assert deleted.object is None and deleted.old_object is not None
    assert deleted.options == {"kind": "DeleteOptions", "apiVersion": "meta.k8s.io/v1", "gracePeriodSeconds": 0}
    assert len({a.uid for a in plugin.seen}) == 4, "one admission uid per request"


async def test_a_retried_update_keeps_its_admission_uid() -> None:
    plugin = Recording()
    store = ResourceStore(MemoryStorage(), AdmissionChain([plugin]), KindHooks())
    assert CONFIGMAPS is not None
    await store.create(CONFIGMAPS, "default", _configmap("0"), write_options({}, []), ADMIN)
    plugin.seen.clear()
    opts = write_options({}, [], "UpdateOptions")
    await asyncio.gather(
        store.update(CONFIGMAPS, "default", "cm", _configmap("a"), opts, OpContext(user=ADMIN.user)),
        store.update(CONFIGMAPS, "default", "cm", _configmap("b"), opts, OpContext(user=ADMIN.user)),
    )
    assert len(plugin.seen) == 3, "one of the two was admitted again on the newer state"
    assert len({a.uid for a in plugin.seen}) == 2

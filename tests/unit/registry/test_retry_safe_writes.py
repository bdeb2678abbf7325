"""Writes the storage retries are safe to retry (store.go GuaranteedUpdate, etcd3 conditionalDelete).

Each attempt starts from the body as sent, admission sees the version that is then written or removed, and
the stage records and warnings of a retried write are reported once, for the attempt that took effect.
"""

from __future__ import annotations

import asyncio

import pytest

from mockapi.admission.chain import AdmissionChain
from mockapi.api.admission import AdmissionAttributes
from mockapi.api.types import Obj, Operation, StageRecord, UserInfo
from mockapi.registry.deletion import delete
from mockapi.registry.hooks import KindHooks
from mockapi.registry.options import DeleteOptions, OpContext, WriteOptions
from mockapi.registry.store import ResourceStore
from mockapi.resources.catalog import Catalog
from mockapi.storage.memory import MemoryStorage

CONFIGMAPS = Catalog.load("1.33").get("", "v1", "configmaps")
ADMIN = UserInfo("admin", groups=("system:masters",))


class Yielding:
    """A validating plugin that yields to the event loop on every call, as a webhook or a lookup would, and
    warns once per call, so retried attempts would show as repeated warnings."""

    name = "Yielding"

    def __init__(self) -> None:
        self.seen: list[tuple[Operation, str]] = []
        self.deletes_may_go = asyncio.Event()
        self.deletes_may_go.set()

    def handles(self, operation: Operation) -> bool:
        return True

    async def validate(self, attrs: AdmissionAttributes) -> None:
        old = attrs.old_object or {}
        self.seen.append((attrs.operation, old.get("metadata", {}).get("resourceVersion", "")))
        await asyncio.sleep(0)
        if attrs.operation is Operation.DELETE:
            await self.deletes_may_go.wait()
        attrs.warnings.append(f"checked {attrs.operation}")
        admitted_rv = old.get("metadata", {}).get("resourceVersion", "")
        attrs.add_audit_annotation("yielding.example.com/admitted-rv", admitted_rv)


def _store() -> tuple[ResourceStore, Yielding]:
    plugin = Yielding()
    return ResourceStore(MemoryStorage(), AdmissionChain([plugin]), KindHooks()), plugin


def _configmap(value: str, rv: str = "") -> Obj:
    meta: Obj = {"name": "cm", "namespace": "default"}
    if rv:
        meta["resourceVersion"] = rv
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": {"k": value}}


def _ctx() -> tuple[OpContext, list[StageRecord]]:
    records: list[StageRecord] = []
    return OpContext(user=ADMIN, record=records.append), records


async def test_racing_unconditional_puts_both_succeed() -> None:
    store, _plugin = _store()
    assert CONFIGMAPS is not None
    await store.create(CONFIGMAPS, "default", _configmap("0"), WriteOptions(), _ctx()[0])
    (a, a_records), (b, b_records) = _ctx(), _ctx()
    first, second = await asyncio.gather(
        store.update(CONFIGMAPS, "default", "cm", _configmap("a"), WriteOptions(), a),
        store.update(CONFIGMAPS, "default", "cm", _configmap("b"), WriteOptions(), b),
    )
    assert {first.object["data"]["k"], second.object["data"]["k"]} == {"a", "b"}
    assert int(first.object["metadata"]["resourceVersion"]) != int(second.object["metadata"]["resourceVersion"])
    for ctx, records in ((a, a_records), (b, b_records)):
        assert ctx.warnings == ["checked UPDATE"], "one attempt's warnings, once"
        assert [r.by for r in records if r.stage == "admission"] == ["Yielding"]


async def test_a_conditional_put_that_lost_the_race_is_a_conflict() -> None:
    store, _plugin = _store()
    assert CONFIGMAPS is not None
    created = await store.create(CONFIGMAPS, "default", _configmap("0"), WriteOptions(), _ctx()[0])
    rv = created["metadata"]["resourceVersion"]
    results = await asyncio.gather(
        store.update(CONFIGMAPS, "default", "cm", _configmap("a", rv), WriteOptions(), _ctx()[0]),
        store.update(CONFIGMAPS, "default", "cm", _configmap("b", rv), WriteOptions(), _ctx()[0]),
        return_exceptions=True,
    )
    codes = sorted(getattr(r, "code", 200) for r in results)
    assert codes == [200, 409]


async def test_delete_admits_the_version_it_removes() -> None:
    store, plugin = _store()
    assert CONFIGMAPS is not None
    await store.create(CONFIGMAPS, "default", _configmap("0"), WriteOptions(), _ctx()[0])
    ctx, records = _ctx()
    plugin.deletes_may_go.clear()
    deleting = asyncio.ensure_future(delete(store, CONFIGMAPS, "default", "cm", DeleteOptions(), ctx))
    await asyncio.sleep(0.01)  # the delete is held inside admission now
    updated = await store.update(CONFIGMAPS, "default", "cm", _configmap("x"), WriteOptions(), _ctx()[0])
    plugin.deletes_may_go.set()
    await deleting
    assert [op for op, _rv in plugin.seen].count(Operation.DELETE) == 2, "admitted again after the update"
    deletes = [rv for op, rv in plugin.seen if op is Operation.DELETE]
    assert deletes[-1] == updated.object["metadata"]["resourceVersion"], "the last admission saw the update"
    assert ctx.warnings == ["checked DELETE"]
    assert ctx.audit_annotations == {"yielding.example.com/admitted-rv": deletes[-1]}, "the last attempt's"
    assert len([r for r in records if r.stage == "admission"]) == 1
    with pytest.raises(Exception, match="not found"):
        await store.get(CONFIGMAPS, "default", "cm")


async def test_a_delete_that_raced_a_finalizer_removal_removes_the_object() -> None:
    # decided as "mark, a finalizer is pending" on the admitted version; the update that lands meanwhile
    # drops the finalizer, so the delete is decided again and removes the object (never left marked forever)
    store, plugin = _store()
    assert CONFIGMAPS is not None
    held = {**_configmap("0"), "metadata": {"name": "cm", "namespace": "default", "finalizers": ["example.com/x"]}}
    await store.create(CONFIGMAPS, "default", held, WriteOptions(), _ctx()[0])
    plugin.deletes_may_go.clear()
    deleting = asyncio.ensure_future(delete(store, CONFIGMAPS, "default", "cm", DeleteOptions(), _ctx()[0]))
    await asyncio.sleep(0.01)
    await store.update(CONFIGMAPS, "default", "cm", _configmap("x"), WriteOptions(), _ctx()[0])  # no finalizers
    plugin.deletes_may_go.set()
    await deleting
    assert await store.find(CONFIGMAPS, "default", "cm") is None

"""Storage versions over the memory store: one key space per resource, objects kept in the storage version
(HPA: autoscaling/v2; both Event groups: core/v1) and served converted, on every Storage verb."""

from __future__ import annotations

import base64
import copy
import hashlib
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

import pytest

from mockapi.api.types import Obj
from mockapi.registry.conversion import (
    STORAGE_FORMS,
    ConvertingStorage,
    StorageViews,
    needs_conversion,
    storage_form,
    storage_key,
    storage_prefix,
    storage_view,
)
from mockapi.registry.listing import selection
from mockapi.registry.options import ListOptions
from mockapi.resources.catalog import Catalog
from mockapi.resources.types import ResourceType
from mockapi.storage.interface import Key, Storage, StoredEvent, Watcher
from mockapi.storage.memory import MemoryStorage

CATALOG = Catalog.load("1.33", {})
EVERYTHING = Catalog.load("1.33", {"api/all": "true"})


def served(group: str, version: str, plural: str) -> ResourceType:
    rt = CATALOG.get(group, version, plural)
    assert rt is not None
    return rt


HPA_V1 = served("autoscaling", "v1", "horizontalpodautoscalers")
HPA_V2 = served("autoscaling", "v2", "horizontalpodautoscalers")
CORE_EVENT = served("", "v1", "events")
EVENTS_V1 = served("events.k8s.io", "v1", "events")


@pytest.fixture
async def base() -> AsyncIterator[MemoryStorage]:
    storage = MemoryStorage()
    yield storage
    await storage.close()


def hpa_v1(name: str = "web", target: int = 50, **metadata: Any) -> Obj:
    """An autoscaling/v1 HPA as the registry hands it to storage (decoded, defaulted, prepared)."""
    return {
        "kind": "HorizontalPodAutoscaler",
        "apiVersion": "autoscaling/v1",
        "metadata": {"name": name, "namespace": "default", "uid": f"uid-{name}", **metadata},
        "spec": {
            "scaleTargetRef": {"kind": "Deployment", "name": name, "apiVersion": "apps/v1"},
            "minReplicas": 1,
            "maxReplicas": 3,
            "targetCPUUtilizationPercentage": target,
        },
        "status": {"currentReplicas": 0, "desiredReplicas": 0},
    }


def core_event(name: str, regarding: str, reason: str = "Pulled") -> Obj:
    return {
        "kind": "Event",
        "apiVersion": "v1",
        "metadata": {"name": name, "namespace": "default", "uid": f"uid-{name}"},
        "involvedObject": {"kind": "Pod", "namespace": "default", "name": regarding},
        "reason": reason,
        "message": f"{reason} {regarding}",
        "source": {"component": "kubelet"},
        "firstTimestamp": "2025-05-01T10:00:00Z",
        "lastTimestamp": "2025-05-01T10:00:00Z",
        "count": 1,
        "type": "Normal",
        "eventTime": None,
        "reportingComponent": "kubelet",
        "reportingInstance": "",
    }


def without_rv(obj: Obj) -> Obj:
    return obj | {"metadata": {k: v for k, v in obj["metadata"].items() if k != "resourceVersion"}}


# -- the table and the key function -----------------------------------------------------------------


def test_the_key_is_todays_for_every_resource_without_a_cohabitant() -> None:
    for rt in EVERYTHING.all():
        if (rt.group, rt.plural) in STORAGE_FORMS:
            continue
        assert storage_prefix(rt) == f"{rt.group}/{rt.plural}"
        assert storage_key(rt, "ns", "x") == Key(f"{rt.group}/{rt.plural}", "ns" if rt.namespaced else "", "x")


@pytest.mark.parametrize(
    ("types", "prefix"),
    [((HPA_V1, HPA_V2), "autoscaling/horizontalpodautoscalers"), ((CORE_EVENT, EVENTS_V1), "/events")],
    ids=["hpa", "events"],
)
def test_every_served_form_shares_one_key_space(types: tuple[ResourceType, ...], prefix: str) -> None:
    assert {storage_key(rt, "default", "a") for rt in types} == {Key(prefix, "default", "a")}


def _hash(group: str, version: str, kind: str) -> str:
    """discovery's storageVersionHash (apiserver pkg/endpoints/discovery/storageversionhash.go)."""
    return base64.b64encode(hashlib.sha256(f"{group}/{version}/{kind}".encode()).digest()[:8]).decode()


def test_storage_versions_are_the_ones_discovery_advertises() -> None:
    for rt in CATALOG.all():
        form = storage_form(rt)
        if form is not None:
            assert _hash(form.group, form.version, form.kind) == rt.storage_version_hash, rt.gvr


def test_every_resource_served_in_several_forms_by_default_is_covered() -> None:
    """Served forms of one stored resource share a storageVersionHash (and plural); each needs an entry."""
    forms: dict[tuple[str, str], list[ResourceType]] = defaultdict(list)
    for rt in CATALOG.all():
        forms[(rt.plural, rt.storage_version_hash)].append(rt)
    several = [rts for rts in forms.values() if len(rts) > 1]
    assert {rts[0].plural for rts in several} == {"horizontalpodautoscalers", "events"}
    for rts in several:
        assert len({storage_prefix(rt) for rt in rts}) == 1
        for rt in rts:
            assert isinstance(storage_view(MemoryStorage(), rt), ConvertingStorage) == needs_conversion(rt)


def test_a_type_served_as_stored_gets_the_base_storage_itself(base: MemoryStorage) -> None:
    for rt in (HPA_V2, CORE_EVENT, served("", "v1", "pods")):
        assert storage_view(base, rt) is base
    for rt in (HPA_V1, EVENTS_V1):
        assert isinstance(storage_view(base, rt), ConvertingStorage)
    views = StorageViews(base)
    assert views(HPA_V1) is views(HPA_V1)
    assert views(HPA_V2) is base


# -- HorizontalPodAutoscaler: written as v1, stored as v2 ------------------------------------------------


async def test_an_hpa_created_as_v1_is_stored_as_v2_and_reads_back_in_both(base: MemoryStorage) -> None:
    v1 = storage_view(base, HPA_V1)
    key = storage_key(HPA_V1, "default", "web")
    created = await v1.create(key, hpa_v1())
    assert without_rv(created) == hpa_v1()
    assert created["metadata"]["resourceVersion"] == str(await base.current_revision())

    stored = await storage_view(base, HPA_V2).get(key)
    assert stored["apiVersion"] == "autoscaling/v2"
    assert stored["spec"]["metrics"] == [
        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}
    ]
    assert stored["status"] == {"desiredReplicas": 0, "currentMetrics": None}
    assert await v1.get(key) == created


async def test_an_hpa_written_as_v2_reads_as_v1_with_annotations_and_back_losslessly(base: MemoryStorage) -> None:
    key = storage_key(HPA_V2, "default", "web")
    v2 = {
        "kind": "HorizontalPodAutoscaler",
        "apiVersion": "autoscaling/v2",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "scaleTargetRef": {"kind": "Deployment", "name": "web"},
            "minReplicas": 2,
            "maxReplicas": 9,
            "metrics": [
                {
                    "type": "Pods",
                    "pods": {"metric": {"name": "qps"}, "target": {"type": "AverageValue", "averageValue": "1k"}},
                }
            ],
        },
        "status": {"desiredReplicas": 0, "currentMetrics": None},
    }
    stored = await base.create(key, v2)
    v1 = storage_view(base, HPA_V1)
    as_v1 = await v1.get(key)
    assert "targetCPUUtilizationPercentage" not in as_v1["spec"]
    assert as_v1["metadata"]["annotations"] == {
        "autoscaling.alpha.kubernetes.io/metrics": '[{"type":"Pods","pods":{"metricName":"qps",'
        '"targetAverageValue":"1k"}}]'
    }

    async def unchanged(obj: Obj) -> Obj:
        assert obj == as_v1 and obj is not as_v1, "the update fn gets a private copy in the served version"
        return obj

    rv = await base.current_revision()
    assert await v1.guaranteed_update(key, unchanged) == as_v1
    assert await base.current_revision() == rv, "a v1 read-modify-write that changes nothing writes nothing"
    assert await base.get(key) is stored


async def test_an_update_through_v1_sees_v1_and_stores_v2(base: MemoryStorage) -> None:
    v1 = storage_view(base, HPA_V1)
    key = storage_key(HPA_V1, "default", "web")
    await v1.create(key, hpa_v1())

    async def retarget(obj: Obj) -> Obj:
        assert obj["apiVersion"] == "autoscaling/v1"
        obj["spec"]["targetCPUUtilizationPercentage"] = 70
        return obj

    updated = await v1.guaranteed_update(key, retarget)
    assert updated["spec"]["targetCPUUtilizationPercentage"] == 70
    stored = await base.get(key)
    assert stored["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"] == 70
    assert updated["metadata"]["resourceVersion"] == stored["metadata"]["resourceVersion"]


async def test_storage_defaults_show_through_v1(base: MemoryStorage) -> None:
    """Upstream decodes (and so defaults) what it reads back from etcd: a partial behavior written through
    v1's annotation is stored, and read back, completed with autoscaling/v2's default rules."""
    v1 = storage_view(base, HPA_V1)
    key = storage_key(HPA_V1, "default", "web")
    behavior = '{"ScaleDown":{"StabilizationWindowSeconds":60,"SelectPolicy":null,"Policies":null,"Tolerance":null}}'
    created = await v1.create(key, hpa_v1(annotations={"autoscaling.alpha.kubernetes.io/behavior": behavior}))
    stored = await base.get(key)
    assert stored["spec"]["behavior"]["scaleDown"] == {
        "selectPolicy": "Max",
        "stabilizationWindowSeconds": 60,
        "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}],
    }
    assert stored["spec"]["behavior"]["scaleUp"]["selectPolicy"] == "Max"
    assert (
        '"ScaleUp":{"StabilizationWindowSeconds":0'
        in created["metadata"]["annotations"]["autoscaling.alpha.kubernetes.io/behavior"]
    )


async def test_delete_returns_the_served_version(base: MemoryStorage) -> None:
    v1 = storage_view(base, HPA_V1)
    key = storage_key(HPA_V1, "default", "web")
    await v1.create(key, hpa_v1())
    gone = await v1.delete(key)
    assert gone["apiVersion"] == "autoscaling/v1"
    assert gone["metadata"]["resourceVersion"] == str(await base.current_revision())


# -- Events: written through core/v1, read through events.k8s.io/v1 ---------------------------------------


async def _events(base: Storage, *names_and_pods: tuple[str, str]) -> None:
    for name, pod in names_and_pods:
        await base.create(storage_key(CORE_EVENT, "default", name), core_event(name, pod))


async def test_events_created_through_core_list_through_events_k8s_io(base: MemoryStorage) -> None:
    await _events(base, ("e1", "web"), ("e2", "db"))
    view = storage_view(base, EVENTS_V1)
    listed = await view.list(storage_prefix(EVENTS_V1), "default")
    assert [(e["apiVersion"], e["regarding"]["name"], e["note"]) for e in listed.items] == [
        ("events.k8s.io/v1", "web", "Pulled web"),
        ("events.k8s.io/v1", "db", "Pulled db"),
    ]
    assert listed.resource_version == await base.current_revision()


async def test_the_predicate_sees_the_served_version(base: MemoryStorage) -> None:
    await _events(base, ("e1", "web"), ("e2", "db"), ("e3", "web"))
    view = storage_view(base, EVENTS_V1)
    seen: list[str] = []

    def regarding_web(obj: Obj) -> bool:
        seen.append(obj["apiVersion"])
        return bool(obj["regarding"]["name"] == "web")

    listed = await view.list(storage_prefix(EVENTS_V1), "default", predicate=regarding_web)
    assert [e["metadata"]["name"] for e in listed.items] == ["e1", "e3"]
    assert set(seen) == {"events.k8s.io/v1"}

    by_field = selection(EVENTS_V1, ListOptions(field_selector="regarding.name=db,reportingController=kubelet"))
    listed = await view.list(storage_prefix(EVENTS_V1), "default", predicate=by_field.matches)
    assert [e["metadata"]["name"] for e in listed.items] == ["e2"]


async def test_an_accepted_item_is_converted_once_and_pages_pass_through(base: MemoryStorage) -> None:
    await _events(base, ("e1", "web"), ("e2", "web"), ("e3", "web"))
    view = ConvertingStorage(base, EVENTS_V1)
    convert = view._to_served
    calls: list[str] = []

    def counting(obj: Obj) -> Obj:
        calls.append(obj["metadata"]["name"])
        return convert(obj)

    view._to_served = counting
    page = await view.list(storage_prefix(EVENTS_V1), "default", limit=2, predicate=lambda obj: "regarding" in obj)
    assert [e["metadata"]["name"] for e in page.items] == ["e1", "e2"]
    assert page.continue_key == ("default", "e2") and page.remaining == 1
    assert calls == ["e1", "e2", "e3"], "each item once: e3 is looked at to know the page is full"


async def test_events_written_through_events_k8s_io_are_stored_as_core(base: MemoryStorage) -> None:
    view = storage_view(base, EVENTS_V1)
    key = storage_key(EVENTS_V1, "default", "e1")
    written = {
        "kind": "Event",
        "apiVersion": "events.k8s.io/v1",
        "metadata": {"name": "e1", "namespace": "default"},
        "eventTime": "2025-05-01T10:00:00.000000Z",
        "reportingController": "example.com/ctl",
        "reportingInstance": "ctl-1",
        "action": "Sync",
        "reason": "Synced",
        "regarding": {"kind": "Pod", "name": "web", "namespace": "default"},
        "note": "synced",
        "type": "Normal",
        "deprecatedSource": {},
        "deprecatedFirstTimestamp": None,
        "deprecatedLastTimestamp": None,
    }
    created = await view.create(key, copy.deepcopy(written))
    assert without_rv(created) == written
    stored = await base.get(storage_key(CORE_EVENT, "default", "e1"))
    assert (stored["apiVersion"], stored["involvedObject"]["name"], stored["reportingComponent"]) == (
        "v1",
        "web",
        "example.com/ctl",
    )


def _drain(watcher: Watcher) -> list[StoredEvent]:
    out: list[StoredEvent] = []
    while (event := watcher.poll()) is not None:
        out.append(event)
    return out


async def test_events_written_through_core_are_watched_through_events_k8s_io(base: MemoryStorage) -> None:
    view = storage_view(base, EVENTS_V1)
    watcher = view.watch(storage_prefix(EVENTS_V1), "default", await base.current_revision())
    other = view.watch(storage_prefix(EVENTS_V1), "", await base.current_revision())
    key = storage_key(CORE_EVENT, "default", "e1")
    await base.create(key, core_event("e1", "web"))

    async def bump(obj: Obj) -> Obj:
        obj["count"] = 2
        return obj

    await base.guaranteed_update(key, bump)
    await base.delete(key)

    events = _drain(watcher)
    assert [(e.type, e.object["apiVersion"], e.object.get("deprecatedCount")) for e in events] == [
        ("ADDED", "events.k8s.io/v1", 1),
        ("MODIFIED", "events.k8s.io/v1", 2),
        ("DELETED", "events.k8s.io/v1", 2),
    ]
    assert events[0].prev is None
    assert events[1].prev is not None and events[1].prev["deprecatedCount"] == 1
    assert [e.rv for e in events] == [e.rv for e in _drain(other)]
    assert not watcher.stopped and not watcher.overflowed
    watcher.stop()
    assert watcher.stopped
    await watcher.closed()


async def test_watchers_of_one_view_share_each_conversion(base: MemoryStorage) -> None:
    view = storage_view(base, EVENTS_V1)
    first = view.watch(storage_prefix(EVENTS_V1), "default", await base.current_revision())
    second = view.watch(storage_prefix(EVENTS_V1), "default", await base.current_revision())
    await _events(base, ("e1", "web"))
    (a,), (b,) = _drain(first), _drain(second)
    assert a is b


async def test_async_iteration_converts_too(base: MemoryStorage) -> None:
    view = storage_view(base, HPA_V1)
    watcher = view.watch(storage_prefix(HPA_V1), "default", await base.current_revision())
    await storage_view(base, HPA_V2).create(
        storage_key(HPA_V2, "default", "web"),
        {
            "kind": "HorizontalPodAutoscaler",
            "apiVersion": "autoscaling/v2",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "maxReplicas": 2, "metrics": []},
            "status": {"desiredReplicas": 0, "currentMetrics": None},
        },
    )
    async for event in watcher:
        assert (event.type, event.object["apiVersion"]) == ("ADDED", "autoscaling/v1")
        break
    watcher.stop()
    assert watcher.stopped

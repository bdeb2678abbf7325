"""Event core/v1 <-> events.k8s.io/v1, table-driven like upstream's pkg/apis/events/v1/conversion_test.go: expected
objects are what kube-apiserver 1.33 serves through the other group, Go's zero values included."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from mockapi.registry.conversion.events import core_to_events_v1, events_v1_to_core
from mockapi.registry.defaulting import apply_defaults

Obj = dict[str, Any]

META = {"name": "web.1", "namespace": "default", "uid": "u-1", "resourceVersion": "9"}
POD = {
    "kind": "Pod",
    "namespace": "default",
    "name": "web",
    "uid": "p-1",
    "apiVersion": "v1",
    "resourceVersion": "5",
    "fieldPath": "spec.containers{app}",
}
NODE = {"kind": "Node", "name": "node-1", "apiVersion": "v1"}
T1, T2 = "2025-05-01T10:00:00Z", "2025-05-01T10:05:00Z"
MICRO1, MICRO2 = "2025-05-01T10:00:00.000001Z", "2025-05-01T10:05:00.000002Z"


def core(**fields: Any) -> Obj:
    """A core/v1 Event as stored: the fields Go always writes, then `fields`."""
    base: Obj = {
        "kind": "Event",
        "apiVersion": "v1",
        "metadata": META,
        "involvedObject": {},
        "source": {},
        "firstTimestamp": None,
        "lastTimestamp": None,
        "eventTime": None,
        "reportingComponent": "",
        "reportingInstance": "",
    }
    return base | fields


def events_v1(**fields: Any) -> Obj:
    """An events.k8s.io/v1 Event as served: the fields Go always writes, then `fields`."""
    base: Obj = {
        "kind": "Event",
        "apiVersion": "events.k8s.io/v1",
        "metadata": META,
        "eventTime": None,
        "regarding": {},
        "deprecatedSource": {},
        "deprecatedFirstTimestamp": None,
        "deprecatedLastTimestamp": None,
    }
    return base | fields


PAIRS: list[tuple[str, Obj, Obj]] = [
    # (name, core/v1, events.k8s.io/v1): each converts into the other
    ("empty: Go's zero values on both sides", core(), events_v1()),
    (
        "a kubelet event written through core/v1",
        core(
            involvedObject=POD,
            reason="Pulled",
            message='Successfully pulled image "nginx"',
            source={"component": "kubelet", "host": "node-1"},
            firstTimestamp=T1,
            lastTimestamp=T2,
            count=3,
            type="Normal",
            reportingComponent="kubelet",
            reportingInstance="node-1",
        ),
        events_v1(
            reportingController="kubelet",
            reportingInstance="node-1",
            reason="Pulled",
            regarding=POD,
            note='Successfully pulled image "nginx"',
            type="Normal",
            deprecatedSource={"component": "kubelet", "host": "node-1"},
            deprecatedFirstTimestamp=T1,
            deprecatedLastTimestamp=T2,
            deprecatedCount=3,
        ),
    ),
    (
        "a scheduler event written through events.k8s.io/v1",
        core(
            involvedObject=POD,
            reason="Scheduled",
            message="Successfully assigned default/web to node-1",
            type="Normal",
            eventTime=MICRO1,
            series={"count": 2, "lastObservedTime": MICRO2},
            action="Binding",
            related=NODE,
            reportingComponent="default-scheduler",
            reportingInstance="default-scheduler-cp-1",
        ),
        events_v1(
            eventTime=MICRO1,
            series={"count": 2, "lastObservedTime": MICRO2},
            reportingController="default-scheduler",
            reportingInstance="default-scheduler-cp-1",
            action="Binding",
            reason="Scheduled",
            regarding=POD,
            related=NODE,
            note="Successfully assigned default/web to node-1",
            type="Normal",
        ),
    ),
    (
        "a series without a count: count 0 is written by events.k8s.io only",
        core(series={"lastObservedTime": MICRO2}),
        events_v1(series={"count": 0, "lastObservedTime": MICRO2}),
    ),
    ("an empty related reference is kept", core(related={}), events_v1(related={})),
]


@pytest.mark.parametrize(("name", "core_event", "events_event"), PAIRS, ids=[p[0] for p in PAIRS])
def test_core_to_events_v1(name: str, core_event: Obj, events_event: Obj) -> None:
    before = copy.deepcopy(core_event)
    assert core_to_events_v1(core_event) == events_event
    assert core_event == before, "the input is never modified"


@pytest.mark.parametrize(("name", "core_event", "events_event"), PAIRS, ids=[p[0] for p in PAIRS])
def test_events_v1_to_core(name: str, core_event: Obj, events_event: Obj) -> None:
    before = copy.deepcopy(events_event)
    assert events_v1_to_core(events_event) == core_event
    assert events_event == before, "the input is never modified"


ABSENT: list[tuple[str, Obj, Obj]] = [
    # What a read through the other group shows for an object written with fields left out
    (
        "core/v1 sent with only an involvedObject and a message",
        {"kind": "Event", "apiVersion": "v1", "metadata": META, "involvedObject": POD, "message": "hi"},
        events_v1(regarding=POD, note="hi"),
    ),
    (
        "events.k8s.io/v1 sent with only an eventTime and a note",
        {"kind": "Event", "apiVersion": "events.k8s.io/v1", "metadata": META, "eventTime": MICRO1, "note": "hi"},
        core(message="hi", eventTime=MICRO1),
    ),
    (
        "empty strings and zero counts are omitted where omitempty",
        core(reason="", message="", count=0, type="", action=""),
        events_v1(),
    ),
]


@pytest.mark.parametrize(("name", "given", "expected"), ABSENT, ids=[a[0] for a in ABSENT])
def test_fields_absent_read_as_go_writes_them(name: str, given: Obj, expected: Obj) -> None:
    convert = core_to_events_v1 if given["apiVersion"] == "v1" else events_v1_to_core
    assert convert(given) == expected


@pytest.mark.parametrize(("name", "core_event", "events_event"), PAIRS, ids=[p[0] for p in PAIRS])
def test_round_trips_are_lossless(name: str, core_event: Obj, events_event: Obj) -> None:
    assert events_v1_to_core(core_to_events_v1(core_event)) == core_event
    assert core_to_events_v1(events_v1_to_core(events_event)) == events_event


@pytest.mark.parametrize(("name", "core_event", "events_event"), PAIRS, ids=[p[0] for p in PAIRS])
def test_outputs_are_already_in_the_shape_the_defaulters_give(name: str, core_event: Obj, events_event: Obj) -> None:
    """Both versions have no defaulters: decoding only adds Go's zero values, which conversion writes already."""
    as_core = events_v1_to_core(events_event)
    defaulted = copy.deepcopy(as_core)
    apply_defaults("", "v1", "Event", defaulted)
    assert defaulted == as_core
    as_events = core_to_events_v1(core_event)
    defaulted = copy.deepcopy(as_events)
    apply_defaults("events.k8s.io", "v1", "Event", defaulted)
    assert defaulted == as_events


def test_nested_values_are_shared_not_copied() -> None:
    """Conversion is cheap: metadata and references travel by reference (callers never mutate them)."""
    stored = core(involvedObject=POD, related=NODE)
    served = core_to_events_v1(stored)
    assert served["metadata"] is stored["metadata"]
    assert served["regarding"] is stored["involvedObject"]
    assert served["related"] is stored["related"]

"""Event core/v1 <-> events.k8s.io/v1, as kube-apiserver 1.33 converts them.

Both groups are one resource in storage (`AddCohabitatingResources(api.Resource("events"),
events.Resource("events"))`), kept as core/v1. The field mapping is pkg/apis/events/v1/conversion.go
(Convert_v1_Event_To_core_Event and back) over zz_generated.conversion.go:

    events.k8s.io/v1            core/v1
    regarding                   involvedObject
    note                        message
    reportingController         reportingComponent
    reportingInstance           reportingInstance
    deprecatedSource            source                 {component, host}
    deprecatedFirstTimestamp    firstTimestamp
    deprecatedLastTimestamp     lastTimestamp
    deprecatedCount             count
    eventTime, series, action, reason, related, type   the same

Each side is written as Go marshals its struct (k8s.io/api events/v1 and core/v1 types.go), which is what
a read through the other group shows for fields the writer never set:

    events.k8s.io/v1  eventTime, deprecatedFirstTimestamp, deprecatedLastTimestamp: null when unset;
                      regarding, deprecatedSource: {} when empty; series.count, series.lastObservedTime
                      always present; the rest omitted when empty
    core/v1           firstTimestamp, lastTimestamp, eventTime: null; involvedObject, source: {};
                      reportingComponent, reportingInstance: "" (not omitempty); series.lastObservedTime
                      null when unset, series.count omitted when 0; the rest omitted when empty

Neither version has defaulters (events/v1 zz_generated.defaults.go registers none). Nested values
(metadata, object references, timestamps) are shared with the input, never modified.
"""

from __future__ import annotations

from typing import Any

from mockapi.api.types import Obj

CORE_API_VERSION = "v1"
EVENTS_API_VERSION = "events.k8s.io/v1"


def _struct(value: Any) -> Any:
    """A non-pointer struct field: always serialized, `{}` when unset."""
    return value if value is not None else {}


def _put(out: Obj, key: str, value: Any) -> None:
    """An omitempty field: set only when non-empty (Go's zero string, 0 and nil are omitted)."""
    if value not in (None, "", 0):
        out[key] = value


def core_to_events_v1(event: Obj) -> Obj:
    """A core/v1 Event as events.k8s.io/v1 (Convert_core_Event_To_v1_Event)."""
    out: Obj = {"kind": "Event", "apiVersion": EVENTS_API_VERSION, "metadata": event.get("metadata") or {}}
    out["eventTime"] = event.get("eventTime")
    series = event.get("series")
    if isinstance(series, dict):
        out["series"] = {"count": series.get("count") or 0, "lastObservedTime": series.get("lastObservedTime")}
    _put(out, "reportingController", event.get("reportingComponent"))
    _put(out, "reportingInstance", event.get("reportingInstance"))
    _put(out, "action", event.get("action"))
    _put(out, "reason", event.get("reason"))
    out["regarding"] = _struct(event.get("involvedObject"))
    _put(out, "related", event.get("related"))
    _put(out, "note", event.get("message"))
    _put(out, "type", event.get("type"))
    out["deprecatedSource"] = _struct(event.get("source"))
    out["deprecatedFirstTimestamp"] = event.get("firstTimestamp")
    out["deprecatedLastTimestamp"] = event.get("lastTimestamp")
    _put(out, "deprecatedCount", event.get("count"))
    return out


def events_v1_to_core(event: Obj) -> Obj:
    """An events.k8s.io/v1 Event as core/v1 (Convert_v1_Event_To_core_Event)."""
    out: Obj = {"kind": "Event", "apiVersion": CORE_API_VERSION, "metadata": event.get("metadata") or {}}
    out["involvedObject"] = _struct(event.get("regarding"))
    _put(out, "reason", event.get("reason"))
    _put(out, "message", event.get("note"))
    out["source"] = _struct(event.get("deprecatedSource"))
    out["firstTimestamp"] = event.get("deprecatedFirstTimestamp")
    out["lastTimestamp"] = event.get("deprecatedLastTimestamp")
    _put(out, "count", event.get("deprecatedCount"))
    _put(out, "type", event.get("type"))
    out["eventTime"] = event.get("eventTime")
    series = event.get("series")
    if isinstance(series, dict):
        core_series: Obj = {}
        _put(core_series, "count", series.get("count"))
        core_series["lastObservedTime"] = series.get("lastObservedTime")
        out["series"] = core_series
    _put(out, "action", event.get("action"))
    _put(out, "related", event.get("related"))
    out["reportingComponent"] = event.get("reportingController") or ""
    out["reportingInstance"] = event.get("reportingInstance") or ""
    return out

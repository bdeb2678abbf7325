"""The event printer (printers.go printEvent), for core/v1 and events.k8s.io/v1 Events.

kube-apiserver serves both API versions from one storage and prints the internal (core) Event, so an
events.k8s.io/v1 object is first mapped onto core/v1 field names, as the v1 -> internal conversion does
(note -> message, regarding -> involvedObject, deprecated* -> the old fields, reportingController ->
the core field `reportingComponent`).
"""

from __future__ import annotations

from datetime import datetime

from mockapi.api.types import Obj
from mockapi.resources.tables.cells import has, int_of, name_of, obj_of, parse_time, since, str_of
from mockapi.resources.tables.model import Cell, RowFunctions


def _since_micro(value: object, now: datetime) -> str:
    """translateMicroTimestampSince: same as translateTimestampSince for a MicroTime."""
    return since(value, now)


def event_cells(event: Obj, now: datetime) -> list[Cell]:
    first_seen = since(event.get("firstTimestamp"), now)
    if parse_time(event.get("firstTimestamp")) is None:
        first_seen = _since_micro(event.get("eventTime"), now)
    last_seen = since(event.get("lastTimestamp"), now)
    if parse_time(event.get("lastTimestamp")) is None:
        last_seen = first_seen
    count = int_of(event, "count")
    series = event.get("series")
    if isinstance(series, dict):
        last_seen = _since_micro(series.get("lastObservedTime"), now)
        count = int_of(series, "count")
    elif count == 0:
        count = 1  # singleton events don't set count in the new API
    involved = obj_of(event, "involvedObject")
    kind = str_of(involved, "kind").lower()
    target = f"{kind}/{str_of(involved, 'name')}" if str_of(involved, "name") else kind
    source = obj_of(event, "source")
    component = str_of(source, "component") or str_of(event, "reportingComponent")
    instance = str_of(source, "host") or str_of(event, "reportingInstance")
    return [
        last_seen,
        str_of(event, "type"),
        str_of(event, "reason"),
        target,
        str_of(involved, "fieldPath"),
        f"{component}, {instance}" if instance else component,
        str_of(event, "message").strip(),
        first_seen,
        count,
        name_of(event),
    ]


def as_core_event(event: Obj) -> Obj:
    """The core/v1 field names of an events.k8s.io/v1 Event (only what the printer reads)."""
    core: Obj = {
        "metadata": obj_of(event, "metadata"),
        "involvedObject": obj_of(event, "regarding"),
        "reason": str_of(event, "reason"),
        "message": str_of(event, "note"),
        "source": obj_of(event, "deprecatedSource"),
        "firstTimestamp": event.get("deprecatedFirstTimestamp"),
        "lastTimestamp": event.get("deprecatedLastTimestamp"),
        "count": int_of(event, "deprecatedCount"),
        "type": str_of(event, "type"),
        "eventTime": event.get("eventTime"),
        "reportingComponent": str_of(event, "reportingController"),
        "reportingInstance": str_of(event, "reportingInstance"),
    }
    if has(event, "series"):
        core["series"] = event["series"]
    return core


def eventsv1_cells(event: Obj, now: datetime) -> list[Cell]:
    return event_cells(as_core_event(event), now)


ROWS: dict[str, RowFunctions] = {
    "events": RowFunctions(event_cells),
    "events_eventsv1": RowFunctions(eventsv1_cells),
}

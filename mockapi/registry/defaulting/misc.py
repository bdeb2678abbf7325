"""Defaulters for the small groups whose objects read back with a few extra fields.

Group by group:

    discovery.k8s.io/v1  EndpointSlice ports: `name: ""` and `protocol: TCP` (SetDefaults_EndpointPort)
    events.k8s.io/v1     Event: zero timestamps and the zero `deprecatedSource`/`regarding` structs
    policy/v1            PodDisruptionBudget: no defaulters (its status is reset on create)
"""

from __future__ import annotations

from collections.abc import Callable

from mockapi.registry.defaulting._fields import Obj, each, set_if_unset


def endpoint_slice(obj: Obj) -> None:
    for port in each(obj, "ports"):
        set_if_unset(port, "name", "")
        set_if_unset(port, "protocol", "TCP")


def events_v1_event(obj: Obj) -> None:
    for key in ("eventTime", "deprecatedFirstTimestamp", "deprecatedLastTimestamp"):
        obj.setdefault(key, None)
    for key in ("regarding", "deprecatedSource"):
        set_if_unset(obj, key, {})


DISCOVERY: dict[str, Callable[[Obj], None]] = {"EndpointSlice": endpoint_slice}
EVENTS: dict[str, Callable[[Obj], None]] = {"Event": events_v1_event}

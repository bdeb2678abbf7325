"""Cell functions for coordination.k8s.io, scheduling.k8s.io, node.k8s.io, policy and resource.k8s.io."""

from __future__ import annotations

from datetime import datetime

from mockapi.api.types import Obj
from mockapi.resources.tables.cells import (
    age,
    bool_of,
    has,
    int_of,
    int_or_string,
    list_of,
    name_of,
    obj_of,
    since,
    str_of,
)
from mockapi.resources.tables.model import Cell, RowFunctions


def lease_cells(lease: Obj, now: datetime) -> list[Cell]:
    return [name_of(lease), str_of(obj_of(lease, "spec"), "holderIdentity"), age(lease, now)]


def leasecandidate_cells(candidate: Obj, now: datetime) -> list[Cell]:
    spec = obj_of(candidate, "spec")
    return [
        name_of(candidate),
        str_of(spec, "leaseName"),
        str_of(spec, "binaryVersion"),
        str_of(spec, "emulationVersion"),
        age(candidate, now),
    ]


def priorityclass_cells(pc: Obj, now: datetime) -> list[Cell]:
    return [
        name_of(pc),
        int_of(pc, "value"),
        bool_of(pc, "globalDefault"),
        age(pc, now),
        str_of(pc, "preemptionPolicy"),
    ]


def runtimeclass_cells(rc: Obj, now: datetime) -> list[Cell]:
    return [name_of(rc), str_of(rc, "handler"), age(rc, now)]


def pdb_cells(pdb: Obj, now: datetime) -> list[Cell]:
    spec = obj_of(pdb, "spec")
    min_available = int_or_string(spec["minAvailable"]) if has(spec, "minAvailable") else "N/A"
    max_unavailable = int_or_string(spec["maxUnavailable"]) if has(spec, "maxUnavailable") else "N/A"
    return [
        name_of(pdb),
        min_available,
        max_unavailable,
        int_of(obj_of(pdb, "status"), "disruptionsAllowed"),
        age(pdb, now),
    ]


def name_age_cells(obj: Obj, now: datetime) -> list[Cell]:
    """deviceclasses and resourceclaimtemplates: just NAME and AGE."""
    return [name_of(obj), age(obj, now)]


def _claim_state(claim: Obj) -> str:
    states: list[str] = []
    deleted = obj_of(claim, "metadata").get("deletionTimestamp") is not None
    status = obj_of(claim, "status")
    if deleted:
        states.append("deleted")
    if not has(status, "allocation"):
        if not deleted:
            states.append("pending")
    else:
        states.append("allocated")
        if list_of(status, "reservedFor"):
            states.append("reserved")
    return ",".join(states)


def resourceclaim_cells(claim: Obj, now: datetime) -> list[Cell]:
    return [name_of(claim), _claim_state(claim), age(claim, now)]


def resourceslice_cells(rs: Obj, now: datetime) -> list[Cell]:
    spec = obj_of(rs, "spec")
    return [
        name_of(rs),
        str_of(spec, "nodeName"),
        str_of(spec, "driver"),
        str_of(obj_of(spec, "pool"), "name"),
        age(rs, now),
    ]


def devicetaintrule_cells(rule: Obj, now: datetime) -> list[Cell]:
    taint = obj_of(obj_of(rule, "spec"), "taint")
    added = since(taint.get("timeAdded"), now) if has(taint, "timeAdded") else ""
    return [
        name_of(rule),
        str_of(taint, "key"),
        str_of(taint, "value"),
        str_of(taint, "effect"),
        added,
        age(rule, now),
    ]


ROWS: dict[str, RowFunctions] = {
    "leases": RowFunctions(lease_cells),
    "leasecandidates": RowFunctions(leasecandidate_cells),
    "priorityclasses": RowFunctions(priorityclass_cells),
    "runtimeclasses": RowFunctions(runtimeclass_cells),
    "poddisruptionbudgets": RowFunctions(pdb_cells),
    "deviceclasses": RowFunctions(name_age_cells),
    "resourceclaims": RowFunctions(resourceclaim_cells),
    "resourceclaimtemplates": RowFunctions(name_age_cells),
    "resourceslices": RowFunctions(resourceslice_cells),
    "devicetaintrules": RowFunctions(devicetaintrule_cells),
}

"""Cell functions for control-plane APIs: admissionregistration.k8s.io, flowcontrol.apiserver.k8s.io,
apiregistration.k8s.io (APIService, printed by kube-aggregator), internal.apiserver.k8s.io and
storagemigration.k8s.io."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mockapi.api.types import Obj
from mockapi.resources.tables.cells import (
    age,
    has,
    int_of,
    label_selector_go_string,
    list_of,
    list_with_more,
    name_of,
    obj_of,
    str_of,
)
from mockapi.resources.tables.model import Cell, RowFunctions


def webhook_configuration_cells(config: Obj, now: datetime) -> list[Cell]:
    """printMutatingWebhook and printValidatingWebhook: the number of webhooks."""
    return [name_of(config), len(list_of(config, "webhooks")), age(config, now)]


def _param_kind(spec: Obj) -> str:
    if not has(spec, "paramKind"):
        return "<unset>"
    kind = obj_of(spec, "paramKind")
    return f"{str_of(kind, 'apiVersion')}/{str_of(kind, 'kind')}"


def validating_policy_cells(policy: Obj, now: datetime) -> list[Cell]:
    spec = obj_of(policy, "spec")
    return [name_of(policy), len(list_of(spec, "validations")), _param_kind(spec), age(policy, now)]


def mutating_policy_cells(policy: Obj, now: datetime) -> list[Cell]:
    spec = obj_of(policy, "spec")
    return [name_of(policy), len(list_of(spec, "mutations")), _param_kind(spec), age(policy, now)]


def policy_binding_cells(binding: Obj, now: datetime) -> list[Cell]:
    """printValidatingAdmissionPolicyBinding / printMutatingAdmissionPolicyBinding."""
    spec = obj_of(binding, "spec")
    param = "<unset>"
    if has(spec, "paramRef"):
        ref = obj_of(spec, "paramRef")
        if str_of(ref, "name"):
            namespace = str_of(ref, "namespace")
            param = f"{namespace}/{str_of(ref, 'name')}" if namespace else f"*/{str_of(ref, 'name')}"
        elif has(ref, "selector"):
            param = label_selector_go_string(obj_of(ref, "selector"))
    return [name_of(binding), str_of(spec, "policyName"), param, age(binding, now)]


def flowschema_cells(fs: Obj, now: datetime) -> list[Cell]:
    spec = obj_of(fs, "spec")
    method = "<none>"
    if has(spec, "distinguisherMethod"):
        method = str_of(obj_of(spec, "distinguisherMethod"), "type")
    missing = "?"
    for condition in list_of(obj_of(fs, "status"), "conditions"):
        if str_of(condition, "type") == "Dangling":
            missing = str_of(condition, "status")
            break
    return [
        name_of(fs),
        str_of(obj_of(spec, "priorityLevelConfiguration"), "name"),
        int_of(spec, "matchingPrecedence"),
        method,
        age(fs, now),
        missing,
    ]


def flowschema_order(fs: Obj) -> tuple[Any, ...]:
    """FlowSchemaSequence: lower matchingPrecedence first, then by name."""
    return (int_of(obj_of(fs, "spec"), "matchingPrecedence"), name_of(fs))


def prioritylevel_cells(plc: Obj, now: datetime) -> list[Cell]:
    spec = obj_of(plc, "spec")
    shares: Cell = "<none>"
    queues: Cell = "<none>"
    hand_size: Cell = "<none>"
    queue_length: Cell = "<none>"
    if has(spec, "limited"):
        limited = obj_of(spec, "limited")
        shares = int_of(limited, "nominalConcurrencyShares")
        queuing = obj_of(limited, "limitResponse").get("queuing")
        if isinstance(queuing, dict):
            queues = int_of(queuing, "queues")
            hand_size = int_of(queuing, "handSize")
            queue_length = int_of(queuing, "queueLengthLimit")
    return [name_of(plc), str_of(spec, "type"), shares, queues, hand_size, queue_length, age(plc, now)]


def apiservice_cells(svc: Obj, now: datetime) -> list[Cell]:
    """kube-aggregator's APIService ConvertToTable."""
    spec = obj_of(svc, "spec")
    service = "Local"
    if has(spec, "service"):
        ref = obj_of(spec, "service")
        service = f"{str_of(ref, 'namespace')}/{str_of(ref, 'name')}"
    available = "Unknown"
    for condition in list_of(obj_of(svc, "status"), "conditions"):
        if str_of(condition, "type") == "Available":
            status, reason = str_of(condition, "status"), str_of(condition, "reason")
            available = f"{status} ({reason})" if status != "True" and reason else status
            break
    return [name_of(svc), service, available, age(svc, now)]


def storageversion_cells(sv: Obj, now: datetime) -> list[Cell]:
    status = obj_of(sv, "status")
    encoding = str_of(status, "commonEncodingVersion") if has(status, "commonEncodingVersion") else "<unset>"
    limit, more, count = 3, False, 0
    shown: list[str] = []
    for version in list_of(status, "storageVersions"):
        if len(shown) < limit:
            shown.append(f"{str_of(version, 'apiServerID')}={str_of(version, 'encodingVersion')}")
        elif len(shown) == limit:
            more = True
        count += 1
    return [name_of(sv), encoding, list_with_more(shown, more, count, limit), age(sv, now)]


def storageversionmigration_cells(svm: Obj, now: datetime) -> list[Cell]:
    resource = obj_of(obj_of(svm, "spec"), "resource")
    gvr = f"{str_of(resource, 'resource')}.{str_of(resource, 'version')}.{str_of(resource, 'group')}"
    return [name_of(svm), gvr]


ROWS: dict[str, RowFunctions] = {
    "mutatingwebhookconfigurations": RowFunctions(webhook_configuration_cells),
    "validatingwebhookconfigurations": RowFunctions(webhook_configuration_cells),
    "validatingadmissionpolicies": RowFunctions(validating_policy_cells),
    "validatingadmissionpolicybindings": RowFunctions(policy_binding_cells),
    "mutatingadmissionpolicies": RowFunctions(mutating_policy_cells),
    "mutatingadmissionpolicybindings": RowFunctions(policy_binding_cells),
    "flowschemas": RowFunctions(flowschema_cells, sort_key=flowschema_order),
    "prioritylevelconfigurations": RowFunctions(prioritylevel_cells),
    "apiservices": RowFunctions(apiservice_cells),
    "storageversions": RowFunctions(storageversion_cells),
    "storageversionmigrations": RowFunctions(storageversionmigration_cells),
}

"""Table conversion: deployments, services, the default table, includeObject, headers, list metadata."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mockapi.api.errors import ApiError
from mockapi.resources.tables import check_include_object, convert_to_table
from mockapi.resources.types import ResourceType

NOW = datetime(2025, 4, 23, 12, 0, 0, tzinfo=UTC)
Obj = dict[str, Any]


def rtype(group: str, version: str, kind: str, plural: str) -> ResourceType:
    return ResourceType(group, version, kind, plural, kind.lower(), True, ("get", "list"))


DEPLOYMENTS = rtype("apps", "v1", "Deployment", "deployments")
SERVICES = rtype("", "v1", "Service", "services")
ROLES = rtype("rbac.authorization.k8s.io", "v1", "Role", "roles")
APISERVICES = rtype("apiregistration.k8s.io", "v1", "APIService", "apiservices")
FLOWSCHEMAS = rtype("flowcontrol.apiserver.k8s.io", "v1", "FlowSchema", "flowschemas")
CONFIGMAPS = rtype("", "v1", "ConfigMap", "configmaps")


def ago(**kwargs: float) -> str:
    return (NOW - timedelta(**kwargs)).strftime("%Y-%m-%dT%H:%M:%SZ")


def meta(name: str, **extra: Any) -> Obj:
    return {"name": name, "namespace": "default", "resourceVersion": "42", "creationTimestamp": ago(hours=3), **extra}


def cells(rt: ResourceType, obj: Obj) -> list[Any]:
    rows = convert_to_table(rt, [obj], list_metadata={}, include_object="None", now=NOW)["rows"]
    assert rows is not None
    result: list[Any] = rows[0]["cells"]
    return result


# ---- deployments ------------------------------------------------------------------------------------


def deployment(selector: Obj | None) -> Obj:
    spec: Obj = {
        "replicas": 3,
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}, {"name": "log", "image": "busybox"}]},
        },
    }
    if selector is not None:
        spec["selector"] = selector
    status = {"replicas": 3, "updatedReplicas": 3, "readyReplicas": 2, "availableReplicas": 1}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta("web"), "spec": spec, "status": status}


def test_deployment_ready_up_to_date_available_and_wide_columns() -> None:
    selector = {
        "matchLabels": {"app": "web"},
        "matchExpressions": [{"key": "tier", "operator": "In", "values": ["front", "back"]}],
    }
    assert cells(DEPLOYMENTS, deployment(selector)) == [
        "web",
        "2/3",
        3,
        1,
        "3h",
        "nginx,log",
        "nginx:1.27,busybox",
        "app=web,tier in (back,front)",
    ]


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        (None, ""),
        ({}, ""),
        ({"matchExpressions": [{"key": "tier", "operator": "Bogus"}]}, "<invalid>"),
        ({"matchExpressions": [{"key": "a", "operator": "DoesNotExist"}, {"key": "b", "operator": "Exists"}]}, "!a,b"),
        (
            {"matchExpressions": [{"key": "z", "operator": "NotIn", "values": ["1"]}], "matchLabels": {"b": "2"}},
            "b=2,z notin (1)",
        ),
    ],
)
def test_deployment_selector_cell(selector: Obj | None, expected: str) -> None:
    assert cells(DEPLOYMENTS, deployment(selector))[7] == expected


def test_deployment_columns() -> None:
    table = convert_to_table(DEPLOYMENTS, [], list_metadata={}, include_object="Metadata", now=NOW)
    columns = table["columnDefinitions"]
    assert columns is not None
    assert [(c["name"], c["type"], c["priority"]) for c in columns] == [
        ("Name", "string", 0),
        ("Ready", "string", 0),
        ("Up-to-date", "string", 0),
        ("Available", "string", 0),
        ("Age", "string", 0),
        ("Containers", "string", 1),
        ("Images", "string", 1),
        ("Selector", "string", 1),
    ]


# ---- services ---------------------------------------------------------------------------------------


def service(spec: Obj, status: Obj | None = None) -> Obj:
    return {"metadata": meta("svc"), "spec": spec, "status": status or {}}


@pytest.mark.parametrize(
    ("spec", "status", "expected"),
    [
        (
            {
                "type": "ClusterIP",
                "clusterIP": "10.96.0.1",
                "clusterIPs": ["10.96.0.1"],
                "ports": [{"port": 443, "protocol": "TCP"}],
            },
            None,
            ["svc", "ClusterIP", "10.96.0.1", "<none>", "443/TCP", "3h", "<none>"],
        ),
        (
            {
                "type": "NodePort",
                "clusterIPs": ["10.96.0.9"],
                "externalIPs": ["1.2.3.4", "5.6.7.8"],
                "ports": [{"port": 80, "nodePort": 30080, "protocol": "TCP"}, {"port": 53, "protocol": "UDP"}],
                "selector": {"tier": "web", "app": "shop"},
            },
            None,
            ["svc", "NodePort", "10.96.0.9", "1.2.3.4,5.6.7.8", "80:30080/TCP,53/UDP", "3h", "app=shop,tier=web"],
        ),
        (
            {
                "type": "LoadBalancer",
                "clusterIP": "10.96.0.2",
                "ports": [{"port": 80, "nodePort": 31000, "protocol": "TCP"}],
            },
            None,
            ["svc", "LoadBalancer", "10.96.0.2", "<pending>", "80:31000/TCP", "3h", "<none>"],
        ),
        (
            {"type": "LoadBalancer", "clusterIP": "10.96.0.2", "externalIPs": ["9.9.9.9"], "ports": []},
            {"loadBalancer": {"ingress": [{"ip": "34.1.1.2"}, {"hostname": "lb.example.com"}, {"ip": "34.1.1.1"}]}},
            ["svc", "LoadBalancer", "10.96.0.2", "34.1.1.1,34.1.1.2,lb.example.com,9.9.9.9", "<none>", "3h", "<none>"],
        ),
        (
            {"type": "ExternalName", "externalName": "db.example.com"},
            None,
            ["svc", "ExternalName", "<none>", "db.example.com", "<none>", "3h", "<none>"],
        ),
        (
            {"type": "ClusterIP", "clusterIP": "None", "clusterIPs": ["None"]},
            None,
            ["svc", "ClusterIP", "None", "<none>", "<none>", "3h", "<none>"],
        ),
    ],
)
def test_service_cells(spec: Obj, status: Obj | None, expected: list[Any]) -> None:
    assert cells(SERVICES, service(spec, status)) == expected


# ---- the default table ------------------------------------------------------------------------------


def test_roles_use_the_default_table() -> None:
    role = {"metadata": {"name": "reader", "namespace": "default", "creationTimestamp": "2025-04-20T08:30:00Z"}}
    table = convert_to_table(ROLES, [role], list_metadata={"resourceVersion": "99"}, include_object="None", now=NOW)
    columns = table["columnDefinitions"]
    assert columns is not None
    assert [(c["name"], c["type"], c["format"], c["priority"]) for c in columns] == [
        ("Name", "string", "name", 0),
        ("Created At", "date", "", 0),
    ]
    assert table["rows"] == [{"cells": ["reader", "2025-04-20T08:30:00Z"], "object": None}]


def test_default_table_normalizes_time_and_lists_empty_rows_as_null() -> None:
    role = {"metadata": {"name": "r", "creationTimestamp": "2025-04-20T10:30:00+02:00"}}
    assert cells(ROLES, role) == ["r", "2025-04-20T08:30:00Z"]
    assert cells(ROLES, {"metadata": {"name": "r"}}) == ["r", "0001-01-01T00:00:00Z"]
    empty = convert_to_table(ROLES, [], list_metadata={"resourceVersion": "5"}, include_object="Metadata", now=NOW)
    assert empty["rows"] is None
    assert convert_to_table(CONFIGMAPS, [], list_metadata={}, include_object="Metadata", now=NOW)["rows"] == []


# ---- includeObject, headers, metadata, serialization ------------------------------------------------


def configmap() -> Obj:
    return {"metadata": meta("cfg", labels={"a": "b"}), "data": {"k": "v", "k2": "v2"}, "binaryData": {"b": "AA=="}}


def test_include_object_metadata() -> None:
    obj = configmap()
    table = convert_to_table(CONFIGMAPS, [obj], list_metadata={}, include_object="Metadata", now=NOW)
    assert table["rows"] is not None
    assert table["rows"][0] == {
        "cells": ["cfg", 3, "3h"],
        "object": {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": obj["metadata"]},
    }


def test_include_object_object_puts_kind_and_api_version_first() -> None:
    table = convert_to_table(CONFIGMAPS, [configmap()], list_metadata={}, include_object="Object", now=NOW)
    assert table["rows"] is not None
    row_object = table["rows"][0]["object"]
    assert row_object is not None
    assert list(row_object) == ["kind", "apiVersion", "metadata", "data", "binaryData"]
    assert (row_object["kind"], row_object["apiVersion"]) == ("ConfigMap", "v1")


def test_include_object_none_serializes_null_like_raw_extension() -> None:
    table = convert_to_table(CONFIGMAPS, [configmap()], list_metadata={}, include_object="None", now=NOW)
    assert '"object": null' in json.dumps(table)


def test_check_include_object() -> None:
    assert check_include_object("") == "Metadata"
    assert check_include_object("Object") == "Object"
    with pytest.raises(ApiError) as err:
        check_include_object("Everything")
    assert err.value.status()["code"] == 400
    assert err.value.status()["message"] == 'unrecognized includeObject value: "Everything"'


def test_table_key_order_and_list_metadata() -> None:
    list_meta = {"resourceVersion": "12", "continue": "tok", "remainingItemCount": 4, "selfLink": "/x"}
    table = convert_to_table(CONFIGMAPS, [configmap()], list_metadata=list_meta, include_object="None", now=NOW)
    assert list(table) == ["kind", "apiVersion", "metadata", "columnDefinitions", "rows"]
    assert (table["kind"], table["apiVersion"]) == ("Table", "meta.k8s.io/v1")
    assert table["metadata"] == {"resourceVersion": "12", "continue": "tok", "remainingItemCount": 4}
    empty_meta = convert_to_table(CONFIGMAPS, [], list_metadata={"continue": ""}, include_object="None", now=NOW)
    assert empty_meta["metadata"] == {}


def test_watch_events_after_the_first_have_no_headers() -> None:
    table = convert_to_table(
        CONFIGMAPS, [configmap()], list_metadata={}, include_object="Metadata", now=NOW, include_headers=False
    )
    assert table["columnDefinitions"] is None
    assert '"columnDefinitions": null' in json.dumps(table)


def test_apiservice_table_always_has_headers() -> None:
    svc = {
        "metadata": {"name": "v1beta1.metrics.k8s.io", "creationTimestamp": ago(days=2)},
        "spec": {"service": {"namespace": "kube-system", "name": "metrics-server"}},
        "status": {"conditions": [{"type": "Available", "status": "False", "reason": "MissingEndpoints"}]},
    }
    table = convert_to_table(
        APISERVICES, [svc], list_metadata={}, include_object="None", now=NOW, include_headers=False
    )
    assert table["columnDefinitions"] is not None
    assert [c["name"] for c in table["columnDefinitions"]] == ["Name", "Service", "Available", "Age"]
    assert table["rows"] is not None
    assert table["rows"][0]["cells"] == [
        "v1beta1.metrics.k8s.io",
        "kube-system/metrics-server",
        "False (MissingEndpoints)",
        "2d",
    ]
    local = {
        "metadata": {"name": "v1.apps"},
        "spec": {},
        "status": {"conditions": [{"type": "Available", "status": "True"}]},
    }
    assert cells(APISERVICES, local) == ["v1.apps", "Local", "True", "<unknown>"]


def test_flowschema_lists_are_sorted_by_precedence_then_name() -> None:
    def fs(name: str, precedence: int) -> Obj:
        return {
            "metadata": {"name": name},
            "spec": {"matchingPrecedence": precedence, "priorityLevelConfiguration": {"name": "pl"}},
        }

    items = [fs("b", 1000), fs("z", 500), fs("a", 1000)]
    rows = convert_to_table(FLOWSCHEMAS, items, list_metadata={}, include_object="None", now=NOW)["rows"]
    assert rows is not None
    assert [r["cells"][0] for r in rows] == ["z", "a", "b"]
    assert rows[0]["cells"] == ["z", "pl", 500, "<none>", "<unknown>", "?"]


def test_naive_now_is_taken_as_utc() -> None:
    naive = NOW.replace(tzinfo=None)
    rows = convert_to_table(CONFIGMAPS, [configmap()], list_metadata={}, include_object="None", now=naive)["rows"]
    assert rows is not None
    assert rows[0]["cells"][2] == "3h"


def test_v1beta1_tables_use_that_version_for_rows_too() -> None:
    table = convert_to_table(
        CONFIGMAPS, [configmap()], list_metadata={}, include_object="Metadata", now=NOW, table_version="v1beta1"
    )
    assert table["apiVersion"] == "meta.k8s.io/v1beta1"
    assert table["rows"][0]["object"]["apiVersion"] == "meta.k8s.io/v1beta1"

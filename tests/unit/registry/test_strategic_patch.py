"""Strategic merge patch as kube-apiserver 1.33 applies it (k8s.io/apimachinery pkg/util/strategicpatch,
converted to a Status by apiserver endpoints/handlers/patch.go), table-driven.

Each case is (kind, live object, patch body) -> stored object, or -> (HTTP code, reason, message). The
expectations follow the package's documented behaviour (its doc comments, the SMP design documents and
its test tables), written against real kinds so that the published patch strategies and merge keys are
exercised too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from mockapi.api import errors
from mockapi.registry.patch import (
    APPLY_PATCH,
    JSON_PATCH,
    MERGE_PATCH,
    STRATEGIC_PATCH,
    apply_patch,
    check_patch_type,
)
from mockapi.registry.strategic import SchemaWalker, apply_strategic_patch, walker_for_kind

Obj = dict[str, Any]

POD = ("", "v1", "Pod")
DEPLOY = ("apps", "v1", "Deployment")
SERVICE = ("", "v1", "Service")
CONFIGMAP = ("", "v1", "ConfigMap")
PDB = ("policy", "v1", "PodDisruptionBudget")
SCALE = ("autoscaling", "v1", "Scale")


def schema(gvk: tuple[str, str, str]) -> SchemaWalker:
    walker = walker_for_kind("1.33", *gvk)
    assert walker is not None, gvk
    return walker


def pod_spec(**spec: Any) -> Obj:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": spec}


def template(**spec: Any) -> Obj:
    """A Deployment whose pod template has `spec`."""
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {"replicas": 2, "template": {"metadata": {"labels": {"app": "web"}}, "spec": spec}},
    }


def in_template(**spec: Any) -> Obj:
    """A patch of a Deployment's pod template spec."""
    return {"spec": {"template": {"spec": spec}}}


def c(name: str, **fields: Any) -> Obj:
    return {"name": name, **fields}


@dataclass(frozen=True)
class Case:
    id: str
    kind: tuple[str, str, str]
    original: Obj
    patch: Any
    expected: Obj


CASES = [
    # -- maps --------------------------------------------------------------------------------------
    Case(
        "map: add a key, keep the others",
        CONFIGMAP,
        {"metadata": {"name": "cm", "labels": {"a": "1"}}, "data": {"k": "v"}},
        {"metadata": {"labels": {"b": "2"}}},
        {"metadata": {"name": "cm", "labels": {"a": "1", "b": "2"}}, "data": {"k": "v"}},
    ),
    Case(
        "map: change a scalar",
        DEPLOY,
        {"spec": {"replicas": 2, "paused": False}},
        {"spec": {"replicas": 5}},
        {"spec": {"replicas": 5, "paused": False}},
    ),
    Case(
        "map: null deletes a key",
        CONFIGMAP,
        {"metadata": {"name": "cm", "labels": {"a": "1", "b": "2"}}},
        {"metadata": {"labels": {"a": None}}},
        {"metadata": {"name": "cm", "labels": {"b": "2"}}},
    ),
    Case(
        "map: null for an absent key adds nothing",
        CONFIGMAP,
        {"metadata": {"name": "cm"}, "data": {"k": "v"}},
        {"data": {"gone": None}, "binaryData": None},
        {"metadata": {"name": "cm"}, "data": {"k": "v"}},
    ),
    Case(
        "map: nested maps merge key by key",
        DEPLOY,
        template(containers=[c("c")]),
        {"spec": {"template": {"metadata": {"labels": {"tier": "fe"}, "annotations": {"a": "b"}}}}},
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web"},
            "spec": {
                "replicas": 2,
                "template": {
                    "metadata": {"labels": {"app": "web", "tier": "fe"}, "annotations": {"a": "b"}},
                    "spec": {"containers": [c("c")]},
                },
            },
        },
    ),
    Case(
        "map: a value new to the object loses its nulls",
        POD,
        pod_spec(containers=[c("c")]),
        {"spec": {"securityContext": {"runAsUser": 1000, "runAsGroup": None, "seccompProfile": {"type": None}}}},
        pod_spec(containers=[c("c")], securityContext={"runAsUser": 1000, "seccompProfile": {}}),
    ),
    Case(
        "map: $patch: replace replaces the map",
        CONFIGMAP,
        {"metadata": {"name": "cm"}, "data": {"a": "1", "b": "2"}},
        {"data": {"$patch": "replace", "c": "3"}},
        {"metadata": {"name": "cm"}, "data": {"c": "3"}},
    ),
    Case(
        "map: $patch: delete empties the map",
        CONFIGMAP,
        {"metadata": {"name": "cm", "labels": {"a": "1"}}, "data": {"a": "1"}},
        {"metadata": {"labels": {"$patch": "delete"}}},
        {"metadata": {"name": "cm", "labels": {}}, "data": {"a": "1"}},
    ),
    Case(
        "map: $patch: replace at the top replaces the object",
        CONFIGMAP,
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"a": "1"}},
        {"$patch": "replace", "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}},
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}},
    ),
    Case(
        "map: a value of another type replaces",
        CONFIGMAP,
        {"metadata": {"name": "cm"}, "data": {"a": "1"}},
        {"data": "oops"},
        {"metadata": {"name": "cm"}, "data": "oops"},
    ),
    Case(
        "map: patch strategy replace (PodDisruptionBudget selector)",
        PDB,
        {"spec": {"selector": {"matchLabels": {"app": "web"}, "matchExpressions": [{"key": "k", "operator": "In"}]}}},
        {"spec": {"selector": {"matchLabels": {"app": "db"}}}},
        {"spec": {"selector": {"matchLabels": {"app": "db"}}}},
    ),
    Case(
        "map: fields unknown to the schema merge as JSON merge patch",
        CONFIGMAP,
        {"metadata": {"name": "cm"}, "extra": {"a": 1, "list": [{"name": "x", "v": 1}]}},
        {"extra": {"b": 2, "list": [{"name": "x", "w": 2}]}},
        {"metadata": {"name": "cm"}, "extra": {"a": 1, "b": 2, "list": [{"name": "x", "w": 2}]}},
    ),
    Case(
        "map: null body changes nothing",
        CONFIGMAP,
        {"metadata": {"name": "cm"}, "data": {"a": "1"}},
        None,
        {"metadata": {"name": "cm"}, "data": {"a": "1"}},
    ),
    # -- lists of objects with a merge key --------------------------------------------------------
    Case(
        "containers merge by name",
        DEPLOY,
        template(containers=[c("a", image="a:1", ports=[{"containerPort": 80}]), c("b", image="b:1")]),
        in_template(containers=[c("a", image="a:2")]),
        template(containers=[c("a", image="a:2", ports=[{"containerPort": 80}]), c("b", image="b:1")]),
    ),
    Case(
        # mergeSortedSlice puts a patch item the live list lacks before the server-only items
        "containers: without $setElementOrder a new container goes first",
        DEPLOY,
        template(containers=[c("a"), c("b")]),
        in_template(containers=[c("z", image="z")]),
        template(containers=[c("z", image="z"), c("a"), c("b")]),
    ),
    Case(
        "containers: with $setElementOrder (as kubectl sends) a new container goes where it says",
        DEPLOY,
        template(containers=[c("a"), c("b")]),
        in_template(**{"$setElementOrder/containers": [c("a"), c("b"), c("z")], "containers": [c("z", image="z")]}),
        template(containers=[c("a"), c("b"), c("z", image="z")]),
    ),
    Case(
        "containers: items keep the patch's order after the server-only ones",
        POD,
        pod_spec(containers=[c("a"), c("b", image="b"), c("c")]),
        {"spec": {"containers": [c("c", image="c"), c("a", image="a")]}},
        pod_spec(containers=[c("b", image="b"), c("c", image="c"), c("a", image="a")]),
    ),
    Case(
        "ports merge by containerPort (rename one, add one)",
        POD,
        pod_spec(containers=[c("c", ports=[{"containerPort": 80, "name": "http", "protocol": "TCP"}])]),
        {"spec": {"containers": [c("c", ports=[{"containerPort": 80, "name": "web"}, {"containerPort": 443}])]}},
        pod_spec(
            containers=[
                c(
                    "c",
                    ports=[
                        {"containerPort": 80, "name": "web", "protocol": "TCP"},
                        {"containerPort": 443},
                    ],
                )
            ]
        ),
    ),
    Case(
        "env: $patch: delete removes a variable",
        POD,
        pod_spec(containers=[c("c", env=[{"name": "A", "value": "1"}, {"name": "B", "value": "2"}])]),
        {"spec": {"containers": [c("c", env=[{"$patch": "delete", "name": "A"}])]}},
        pod_spec(containers=[c("c", env=[{"name": "B", "value": "2"}])]),
    ),
    Case(
        "env: deleting an absent variable is a no-op",
        POD,
        pod_spec(containers=[c("c", env=[{"name": "B", "value": "2"}])]),
        {"spec": {"containers": [c("c", env=[{"$patch": "delete", "name": "A"}])]}},
        pod_spec(containers=[c("c", env=[{"name": "B", "value": "2"}])]),
    ),
    Case(
        "env: $patch: delete removes every duplicate",
        POD,
        pod_spec(containers=[c("c", env=[{"name": "A"}, {"name": "B"}, {"name": "A", "value": "x"}])]),
        {"spec": {"containers": [c("c", env=[{"name": "A", "$patch": "delete"}])]}},
        pod_spec(containers=[c("c", env=[{"name": "B"}])]),
    ),
    Case(
        "containers: an item {$patch: replace} replaces the list with the other items",
        POD,
        pod_spec(containers=[c("a"), c("b")]),
        {"spec": {"containers": [{"$patch": "replace"}, c("x", image="x")]}},
        pod_spec(containers=[c("x", image="x")]),
    ),
    Case(
        "containers: $setElementOrder orders merged and added items",
        DEPLOY,
        template(containers=[c("a", image="a"), c("b", image="b")]),
        in_template(
            **{
                "$setElementOrder/containers": [c("z"), c("b"), c("a")],
                "containers": [c("z", image="z"), c("b", image="b:2")],
            }
        ),
        template(containers=[c("z", image="z"), c("b", image="b:2"), c("a", image="a")]),
    ),
    Case(
        "containers: $setElementOrder alone reorders the live list",
        POD,
        pod_spec(containers=[c("a"), c("b"), c("c")]),
        {"spec": {"$setElementOrder/containers": [c("c"), c("a"), c("b")]}},
        pod_spec(containers=[c("c"), c("a"), c("b")]),
    ),
    Case(
        "containers: $setElementOrder entries absent from the list are ignored",
        POD,
        pod_spec(containers=[c("a"), c("c")]),
        {"spec": {"$setElementOrder/containers": [c("c"), c("b"), c("a")], "containers": [c("c", image="c")]}},
        pod_spec(containers=[c("c", image="c"), c("a")]),
    ),
    Case(
        "containers: server-only items keep their live position between patched ones",
        POD,
        pod_spec(containers=[c("a"), c("s"), c("b")]),
        {"spec": {"$setElementOrder/containers": [c("a"), c("b")], "containers": [c("b", image="b")]}},
        pod_spec(containers=[c("a"), c("s"), c("b", image="b")]),
    ),
    Case(
        "kubectl apply: image change, env var removed, container added, port renamed",
        DEPLOY,
        template(
            containers=[
                c(
                    "web",
                    image="nginx:1",
                    env=[{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                    ports=[{"containerPort": 80, "name": "http", "protocol": "TCP"}],
                    terminationMessagePath="/dev/termination-log",
                ),
            ]
        ),
        in_template(
            **{
                "$setElementOrder/containers": [c("web"), c("sidecar")],
                "containers": [
                    {
                        "$setElementOrder/env": [{"name": "B"}],
                        "$setElementOrder/ports": [{"containerPort": 80}],
                        "env": [{"$patch": "delete", "name": "A"}],
                        "image": "nginx:2",
                        "name": "web",
                        "ports": [{"containerPort": 80, "name": "web"}],
                    },
                    c("sidecar", image="busybox"),
                ],
            }
        ),
        template(
            containers=[
                c(
                    "web",
                    image="nginx:2",
                    env=[{"name": "B", "value": "2"}],
                    ports=[{"containerPort": 80, "name": "web", "protocol": "TCP"}],
                    terminationMessagePath="/dev/termination-log",
                ),
                c("sidecar", image="busybox"),
            ]
        ),
    ),
    Case(
        "service ports merge by port",
        SERVICE,
        {"spec": {"ports": [{"port": 80, "name": "http", "targetPort": 8080}, {"port": 443, "name": "https"}]}},
        {"spec": {"$setElementOrder/ports": [{"port": 80}, {"port": 443}], "ports": [{"name": "web", "port": 80}]}},
        {"spec": {"ports": [{"port": 80, "name": "web", "targetPort": 8080}, {"port": 443, "name": "https"}]}},
    ),
    Case(
        "volumeMounts of an init container merge by mountPath",
        POD,
        pod_spec(initContainers=[c("i", volumeMounts=[{"mountPath": "/a", "name": "a"}, {"mountPath": "/b"}])]),
        {"spec": {"initContainers": [c("i", volumeMounts=[{"mountPath": "/b", "readOnly": True}])]}},
        pod_spec(
            initContainers=[
                c(
                    "i",
                    volumeMounts=[
                        {"mountPath": "/a", "name": "a"},
                        {"mountPath": "/b", "readOnly": True},
                    ],
                )
            ]
        ),
    ),
    Case(
        "ownerReferences merge by uid",
        CONFIGMAP,
        {"metadata": {"name": "cm", "ownerReferences": [{"uid": "1", "name": "a"}, {"uid": "2", "name": "b"}]}},
        {"metadata": {"ownerReferences": [{"uid": "2", "controller": True}]}},
        {
            "metadata": {
                "name": "cm",
                "ownerReferences": [
                    {"uid": "1", "name": "a"},
                    {"uid": "2", "name": "b", "controller": True},
                ],
            }
        },
    ),
    Case(
        "a list new to the object loses its $patch items",
        POD,
        pod_spec(containers=[c("c")]),
        {"spec": {"volumes": [{"name": "a", "emptyDir": {}}, {"name": "b", "$patch": "delete"}]}},
        pod_spec(containers=[c("c")], volumes=[{"name": "a", "emptyDir": {}}]),
    ),
    # -- $retainKeys -------------------------------------------------------------------------------
    Case(
        "volumes: $retainKeys switches a volume's source",
        DEPLOY,
        template(containers=[c("c")], volumes=[{"name": "v", "emptyDir": {"medium": "Memory"}}, {"name": "w"}]),
        in_template(
            **{
                "$setElementOrder/volumes": [{"name": "v"}, {"name": "w"}],
                "volumes": [
                    {"$retainKeys": ["configMap", "name"], "configMap": {"name": "cm"}, "emptyDir": None, "name": "v"}
                ],
            }
        ),
        template(containers=[c("c")], volumes=[{"name": "v", "configMap": {"name": "cm"}}, {"name": "w"}]),
    ),
    Case(
        "deployment strategy: $retainKeys drops rollingUpdate",
        DEPLOY,
        {"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%"}}}},
        {"spec": {"strategy": {"$retainKeys": ["type"], "type": "Recreate", "rollingUpdate": None}}},
        {"spec": {"strategy": {"type": "Recreate"}}},
    ),
    Case(
        "retainKeys-strategy map without the directive merges",
        DEPLOY,
        {"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%"}}}},
        {"spec": {"strategy": {"rollingUpdate": {"maxUnavailable": 1}}}},
        {"spec": {"strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}}}},
    ),
    # -- lists without a merge strategy -----------------------------------------------------------
    Case(
        "tolerations (no merge key) are replaced",
        POD,
        pod_spec(tolerations=[{"key": "a", "operator": "Exists"}, {"key": "b", "operator": "Exists"}]),
        {"spec": {"tolerations": [{"key": "c", "operator": "Exists"}]}},
        pod_spec(tolerations=[{"key": "c", "operator": "Exists"}]),
    ),
    Case(
        "container args (no strategy) are replaced",
        POD,
        pod_spec(containers=[c("c", args=["a", "b"])]),
        {"spec": {"containers": [c("c", args=["b"])]}},
        pod_spec(containers=[c("c", args=["b"])]),
    ),
    # -- lists of scalars with merge strategy -----------------------------------------------------
    Case(
        "finalizers: union, without duplicates",
        CONFIGMAP,
        {"metadata": {"name": "cm", "finalizers": ["a", "b"]}},
        {"metadata": {"finalizers": ["b", "c"]}},
        {"metadata": {"name": "cm", "finalizers": ["a", "b", "c"]}},
    ),
    Case(
        "finalizers: patch order wins over live order",
        CONFIGMAP,
        {"metadata": {"name": "cm", "finalizers": ["a", "b", "c"]}},
        {"metadata": {"finalizers": ["c", "a"]}},
        {"metadata": {"name": "cm", "finalizers": ["b", "c", "a"]}},
    ),
    Case(
        "finalizers: $deleteFromPrimitiveList removes values",
        CONFIGMAP,
        {"metadata": {"name": "cm", "finalizers": ["a", "b", "c", "b"]}},
        {"metadata": {"$deleteFromPrimitiveList/finalizers": ["b", "x"]}},
        {"metadata": {"name": "cm", "finalizers": ["a", "c"]}},
    ),
    Case(
        "finalizers: delete one, add one, order them",
        CONFIGMAP,
        {"metadata": {"name": "cm", "finalizers": ["a", "b", "c"]}},
        {
            "metadata": {
                "$setElementOrder/finalizers": ["c", "a", "d"],
                "$deleteFromPrimitiveList/finalizers": ["b"],
                "finalizers": ["d"],
            }
        },
        {"metadata": {"name": "cm", "finalizers": ["c", "a", "d"]}},
    ),
    Case(
        "$deleteFromPrimitiveList on a list absent from the object adds nothing",
        CONFIGMAP,
        {"metadata": {"name": "cm"}},
        {"metadata": {"$deleteFromPrimitiveList/finalizers": ["a"]}},
        {"metadata": {"name": "cm"}},
    ),
    Case(
        "$deleteFromPrimitiveList also deletes from a list without merge strategy",
        POD,
        pod_spec(containers=[c("c", args=["a", "b", "c"])]),
        {"spec": {"containers": [c("c", **{"$deleteFromPrimitiveList/args": ["b"]})]}},
        pod_spec(containers=[c("c", args=["a", "c"])]),
    ),
    Case(
        "scale subresource: spec.replicas",
        SCALE,
        {"kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": {"name": "web"}, "spec": {"replicas": 1}},
        {"spec": {"replicas": 4}},
        {"kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": {"name": "web"}, "spec": {"replicas": 4}},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_strategic_merge_patch(case: Case) -> None:
    original = dict(case.original)
    assert apply_strategic_patch(case.original, case.patch, schema(case.kind)) == case.expected
    assert case.original == original  # the live object is not modified


@dataclass(frozen=True)
class ErrorCase:
    id: str
    kind: tuple[str, str, str]
    original: Obj
    patch: Any
    code: int
    reason: str
    message: str


GENERIC_422 = "the server rejected our request due to an error in our request"

ERRORS = [
    ErrorCase(
        "$patch: merge on a map is not a map directive",
        CONFIGMAP,
        {"metadata": {"name": "cm", "labels": {"a": "1"}}},
        {"metadata": {"labels": {"$patch": "merge", "b": "2"}}},
        500,
        "",
        "unknown patch type: merge in map: map[$patch:merge b:2]",
    ),
    ErrorCase(
        "unknown $patch value in a list item",
        POD,
        pod_spec(containers=[c("a")]),
        {"spec": {"containers": [{"name": "a", "$patch": "remove"}]}},
        500,
        "",
        "unknown patch type: remove in map: map[$patch:remove name:a]",
    ),
    ErrorCase(
        "$patch: merge in a list",
        POD,
        pod_spec(containers=[c("a")]),
        {"spec": {"containers": [{"$patch": "merge"}, c("b")]}},
        500,
        "",
        "merging lists cannot yet be specified in the patch",
    ),
    ErrorCase(
        "list item without its merge key",
        POD,
        pod_spec(containers=[c("a", image="x")]),
        {"spec": {"containers": [{"image": "y"}]}},
        500,
        "",
        "map: map[image:y] does not contain declared merge key: name",
    ),
    ErrorCase(
        "$patch: delete item without its merge key",
        POD,
        pod_spec(containers=[c("a", ports=[{"containerPort": 80}])]),
        {"spec": {"containers": [c("a", ports=[{"$patch": "delete", "name": "http"}])]}},
        500,
        "",
        "map: map[$patch:delete name:http] does not contain declared merge key: containerPort",
    ),
    ErrorCase(
        "$retainKeys must be a list",
        DEPLOY,
        {"spec": {"strategy": {"type": "RollingUpdate"}}},
        {"spec": {"strategy": {"$retainKeys": "type", "type": "Recreate"}}},
        400,
        "BadRequest",
        "invalid patch format of retainKeys",
    ),
    ErrorCase(
        "a patched key missing from $retainKeys",
        DEPLOY,
        {"spec": {"strategy": {"type": "RollingUpdate"}}},
        {"spec": {"strategy": {"$retainKeys": ["rollingUpdate"], "type": "Recreate"}}},
        400,
        "BadRequest",
        "invalid patch format of retainKeys",
    ),
    ErrorCase(
        "$deleteFromPrimitiveList without a field",
        CONFIGMAP,
        {"metadata": {"name": "cm", "finalizers": ["a"]}},
        {"metadata": {"$deleteFromPrimitiveList": ["a"]}},
        400,
        "BadRequest",
        "invalid patch format of primitive list",
    ),
    ErrorCase(
        "$setElementOrder with a mangled prefix",
        POD,
        pod_spec(containers=[c("a")]),
        {"spec": {"$setElementOrderX/containers": [c("a")]}},
        400,
        "BadRequest",
        "invalid patch format of setElementOrder list",
    ),
    ErrorCase(
        "$setElementOrder that contradicts the patch list",
        POD,
        pod_spec(containers=[c("a"), c("b")]),
        {
            "spec": {
                "$setElementOrder/containers": [c("a"), c("b")],
                "containers": [c("b", image="b"), c("a", image="a")],
            }
        },
        500,
        "",
        "The order in patch list:\n[map[image:b name:b] map[image:a name:a]]\n doesn't match $setElementOrder list:\n"
        "[map[name:a] map[name:b]]\n",
    ),
    ErrorCase(
        "$setElementOrder that is not a list",
        POD,
        pod_spec(containers=[c("a")]),
        {"spec": {"$setElementOrder/containers": "a"}},
        500,
        "",
        "expected a []interface {}, but received a string",
    ),
    ErrorCase(
        "$setElementOrder of a field the type does not have",
        POD,
        pod_spec(containers=[c("a")]),
        {"spec": {"$setElementOrder/sidecars": [c("a")]}},
        500,
        "",
        'unable to find api field in struct PodSpec for the json field "sidecars"',
    ),
    ErrorCase(
        "$setElementOrder of a field that is not a list",
        POD,
        pod_spec(containers=[c("a")]),
        {"spec": {"$setElementOrder/nodeName": ["n"]}},
        500,
        "",
        "expected slice or array type, but got: struct",
    ),
    ErrorCase(
        "$setElementOrder of a list whose live value is not a list",
        POD,
        pod_spec(containers=[c("a")], nodeName="n"),
        {"spec": {"$setElementOrder/nodeName": ["n"]}},
        500,
        "",
        "expected a []interface {}, but received a string",
    ),
    ErrorCase(
        "list of lists",
        CONFIGMAP,
        {"metadata": {"name": "cm", "finalizers": []}},
        {"metadata": {"finalizers": [["a"]]}},
        422,
        "Invalid",
        GENERIC_422,
    ),
    ErrorCase(
        "list elements of different types",
        CONFIGMAP,
        {"metadata": {"name": "cm", "finalizers": ["a"]}},
        {"metadata": {"finalizers": [1]}},
        500,
        "",
        "list element types are not identical: [[a] [1]]",
    ),
    ErrorCase(
        "objects in a merging list of scalars",
        CONFIGMAP,
        {"metadata": {"name": "cm", "finalizers": []}},
        {"metadata": {"finalizers": [{"name": "a"}]}},
        500,
        "",
        "cannot merge lists without merge key for string",
    ),
    ErrorCase(
        "a body that is an array",
        CONFIGMAP,
        {"metadata": {"name": "cm"}},
        [{"op": "add", "path": "/data", "value": {}}],
        400,
        "BadRequest",
        "json: cannot unmarshal array into Go value of type map[string]interface {}",
    ),
    ErrorCase(
        "a body that is a string",
        CONFIGMAP,
        {"metadata": {"name": "cm"}},
        "data",
        400,
        "BadRequest",
        "json: cannot unmarshal string into Go value of type map[string]interface {}",
    ),
]


@pytest.mark.parametrize("case", ERRORS, ids=[case.id for case in ERRORS])
def test_strategic_merge_patch_errors(case: ErrorCase) -> None:
    with pytest.raises(errors.ApiError) as caught:
        apply_strategic_patch(case.original, case.patch, schema(case.kind))
    err = caught.value
    assert (err.code, err.reason, err.message) == (case.code, case.reason, case.message)
    if case.code == 422:
        assert err.details == {}  # NewGenericServerResponse without causes


# -- content types ---------------------------------------------------------------------------------

BUILTIN_415 = (
    "the body of the request was in an unknown format - accepted media types include: "
    "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, "
    "application/apply-patch+yaml"
)
CUSTOM_415 = (
    "the body of the request was in an unknown format - accepted media types include: "
    "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
)


@pytest.mark.parametrize(
    ("patch_type", "has_schema", "message"),
    [
        ("text/plain", True, BUILTIN_415),
        (STRATEGIC_PATCH, False, CUSTOM_415),
    ],
)
def test_unsupported_patch_types(patch_type: str, has_schema: bool, message: str) -> None:
    with pytest.raises(errors.ApiError) as caught:
        check_patch_type(patch_type, schema=schema(CONFIGMAP) if has_schema else None)
    assert (caught.value.code, caught.value.reason, caught.value.message) == (415, "UnsupportedMediaType", message)


@pytest.mark.parametrize("patch_type", [JSON_PATCH, MERGE_PATCH, STRATEGIC_PATCH, APPLY_PATCH])
def test_supported_patch_types(patch_type: str) -> None:
    check_patch_type(patch_type, schema=schema(CONFIGMAP))


def test_server_side_apply_is_not_a_patch_of_the_json_form() -> None:
    """The handlers serve apply through managedfields; apply_patch refuses it as a programming error."""
    with pytest.raises(ValueError, match=r"served by managedfields\.apply"):
        apply_patch({"metadata": {"name": "c"}}, APPLY_PATCH, {}, schema=schema(CONFIGMAP))


def test_kinds_without_a_definition_take_no_strategic_merge_patch() -> None:
    assert walker_for_kind("1.33", "example.com", "v1", "Widget") is None
    check_patch_type(MERGE_PATCH, schema=None)
    with pytest.raises(errors.ApiError) as caught:
        apply_patch({"metadata": {"name": "w"}}, STRATEGIC_PATCH, {"spec": {}}, schema=None)
    assert (caught.value.code, caught.value.message) == (415, CUSTOM_415)


def test_apply_patch_dispatches_strategic_merge_patch() -> None:
    live = pod_spec(containers=[c("a", image="a:1"), c("b")])
    patched = apply_patch(live, STRATEGIC_PATCH, {"spec": {"containers": [c("a", image="a:2")]}}, schema=schema(POD))
    assert patched == pod_spec(containers=[c("a", image="a:2"), c("b")])
    # the same body as a JSON merge patch replaces the list
    merged = apply_patch(live, MERGE_PATCH, {"spec": {"containers": [c("a", image="a:2")]}}, schema=schema(POD))
    assert merged == pod_spec(containers=[c("a", image="a:2")])

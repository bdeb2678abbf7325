"""OpenAPI documents: schema conversion, routes and paths, shared parameters, v3 root, protobuf encoding."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
import yaml

from mockapi.resources.catalog import Catalog
from mockapi.resources.openapi import OpenAPIDocuments, documents_for
from mockapi.resources.openapi import protobuf as pb
from mockapi.resources.openapi.operation_ids import operation_id_and_tags
from mockapi.resources.openapi.schema import closure, convert
from mockapi.resources.openapi.v2 import shared_name
from mockapi.resources.schemas import load

Doc = dict[str, Any]
POD = "/api/v1/namespaces/{namespace}/pods"
DEPLOY = "/apis/apps/v1/namespaces/{namespace}/deployments"
PATCH_TYPES = [
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
    "application/apply-patch+yaml",
]


@pytest.fixture(scope="module")
def docs() -> OpenAPIDocuments:
    return documents_for(Catalog.load("1.33"))


@pytest.fixture(scope="module")
def v2(docs: OpenAPIDocuments) -> Doc:
    return json.loads(docs.v2_json().body)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def core_v3(docs: OpenAPIDocuments) -> Doc:
    return json.loads(docs.v3_documents()["api/v1"].body)  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def apps_v3(docs: OpenAPIDocuments) -> Doc:
    return json.loads(docs.v3_documents()["apis/apps/v1"].body)  # type: ignore[no-any-return]


def resolve(doc: Doc, param: Doc) -> Doc:
    ref = param.get("$ref")
    return doc["parameters"][ref.removeprefix("#/parameters/")] if ref else param


# --- schema conversion ----------------------------------------------------------------------------

INT_OR_STRING = {"oneOf": [{"type": ["string", "null"]}, {"type": ["integer", "null"]}]}
QUANTITY = {"oneOf": [{"type": ["string", "null"]}, {"type": ["number", "null"]}]}


@pytest.mark.parametrize(
    ("source", "form", "expected"),
    [
        (INT_OR_STRING, "v2", {"format": "int-or-string", "type": "string"}),
        (INT_OR_STRING, "v3", {"format": "int-or-string", "oneOf": [{"type": "integer"}, {"type": "string"}]}),
        (QUANTITY, "v2", {"type": "string"}),
        (QUANTITY, "v3", {"oneOf": [{"type": "string"}, {"type": "number"}]}),
        ({"type": ["integer", "null"], "format": "int32"}, "v2", {"type": "integer", "format": "int32"}),
        (
            {"type": "array", "items": {"type": ["string", "null"]}},
            "v3",
            {"type": "array", "items": {"type": "string"}},
        ),
        ({"$ref": "#/$defs/a.B"}, "v2", {"$ref": "#/definitions/a.B"}),
        ({"$ref": "#/$defs/a.B"}, "v3", {"$ref": "#/components/schemas/a.B"}),
        ({"$ref": "#/$defs/a.B", "description": "d"}, "v2", {"$ref": "#/definitions/a.B", "description": "d"}),
        (
            {"$ref": "#/$defs/a.B", "description": "d", "x-kubernetes-patch-strategy": "retainKeys"},
            "v3",
            {
                "allOf": [{"$ref": "#/components/schemas/a.B"}],
                "description": "d",
                "x-kubernetes-patch-strategy": "retainKeys",
            },
        ),
        (
            {"type": ["object", "null"], "additionalProperties": {"$ref": "#/$defs/q.Quantity"}},
            "v3",
            {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/q.Quantity"}},
        ),
        (  # kubernetes-validate's enum on apiVersion/kind goes, the property and the rest stay
            {"properties": {"kind": {"type": ["string", "null"], "enum": ["Pod"], "description": "k"}}},
            "v2",
            {"properties": {"kind": {"type": "string", "description": "k"}}},
        ),
        (  # enum on other properties is data and stays
            {"properties": {"mode": {"type": "string", "enum": ["A", "B"]}}},
            "v2",
            {"properties": {"mode": {"type": "string", "enum": ["A", "B"]}}},
        ),
    ],
)
def test_convert(source: Doc, form: str, expected: Doc) -> None:
    assert convert(source, form) == expected  # type: ignore[arg-type]


def test_real_definitions_keep_extensions_required_and_descriptions(v2: Doc, core_v3: Doc) -> None:
    pod_spec = v2["definitions"]["io.k8s.api.core.v1.PodSpec"]
    assert pod_spec["type"] == "object"
    assert pod_spec["required"] == ["containers"]
    containers = pod_spec["properties"]["containers"]
    assert containers["items"] == {"$ref": "#/definitions/io.k8s.api.core.v1.Container"}
    assert (containers["x-kubernetes-patch-merge-key"], containers["x-kubernetes-patch-strategy"]) == ("name", "merge")
    assert (containers["x-kubernetes-list-type"], containers["x-kubernetes-list-map-keys"]) == ("map", ["name"])
    assert containers["description"].startswith("List of containers belonging to the pod.")

    pod = v2["definitions"]["io.k8s.api.core.v1.Pod"]
    assert pod["properties"]["apiVersion"] == {
        "description": pod["properties"]["apiVersion"]["description"],
        "type": "string",
    }
    assert pod["x-kubernetes-group-version-kind"] == [{"group": "", "kind": "Pod", "version": "v1"}]
    assert pod["properties"]["spec"] == {
        "$ref": "#/definitions/io.k8s.api.core.v1.PodSpec",
        "description": pod["properties"]["spec"]["description"],
    }
    assert v2["definitions"]["io.k8s.apimachinery.pkg.util.intstr.IntOrString"] == {
        "format": "int-or-string",
        "type": "string",
    }

    security = core_v3["components"]["schemas"]["io.k8s.api.core.v1.Container"]["properties"]["securityContext"]
    assert security["allOf"] == [{"$ref": "#/components/schemas/io.k8s.api.core.v1.SecurityContext"}]
    assert security["description"].startswith("SecurityContext defines the security options")
    assert core_v3["components"]["schemas"]["io.k8s.apimachinery.pkg.api.resource.Quantity"] == {
        "oneOf": [{"type": "string"}, {"type": "number"}]
    }


def test_closure_follows_refs_including_properties_named_like_extensions() -> None:
    schemas = load("1.33")
    names = closure(schemas, ["io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition"])
    assert (
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ValidationRule" in names
    )  # x-kubernetes-validations
    assert "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" in names
    assert "io.k8s.api.core.v1.Pod" not in names


# --- routes and paths -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "path", "op_id", "tags"),
    [
        ("readNamespacedPod", "/api/v1/namespaces/{namespace}/pods/{name}", "readCoreV1NamespacedPod", ("core_v1",)),
        (
            "deletecollectionNamespacedConfigMap",
            "/api/v1/namespaces/{namespace}/configmaps",
            "deleteCoreV1CollectionNamespacedConfigMap",
            ("core_v1",),
        ),
        (
            "watchDeploymentListForAllNamespaces",
            "/apis/apps/v1/watch/deployments",
            "watchAppsV1DeploymentListForAllNamespaces",
            ("apps_v1",),
        ),
        (
            "listClusterRole",
            "/apis/rbac.authorization.k8s.io/v1/clusterroles",
            "listRbacAuthorizationV1ClusterRole",
            ("rbacAuthorization_v1",),
        ),
        (
            "patchFlowSchemaStatus",
            "/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas/{name}/status",
            "patchFlowcontrolApiserverV1FlowSchemaStatus",
            ("flowcontrolApiserver_v1",),
        ),
        (
            "connectGetNamespacedPodExec",
            "/api/v1/namespaces/{namespace}/pods/{name}/exec",
            "connectCoreV1GetNamespacedPodExec",
            ("core_v1",),
        ),
        ("getAPIVersions", "/api/", "getCoreAPIVersions", ("core",)),
        ("getAPIVersions", "/apis/", "getAPIVersions", ("apis",)),
        ("getAPIGroup", "/apis/apps/", "getAppsAPIGroup", ("apps",)),
        ("getCodeVersion", "/version/", "getCodeVersion", ("version",)),
    ],
)
def test_operation_ids(operation: str, path: str, op_id: str, tags: tuple[str, ...]) -> None:
    assert operation_id_and_tags(operation, path) == (op_id, tags)


def test_v2_pod_paths(v2: Doc) -> None:
    item = v2["paths"][POD + "/{name}"]
    assert sorted(item) == ["delete", "get", "parameters", "patch", "put"]
    assert item["parameters"][0] == {
        "description": "name of the Pod",
        "in": "path",
        "name": "name",
        "required": True,
        "type": "string",
        "uniqueItems": True,
    }
    assert [p["$ref"] for p in item["parameters"][1:]] == [
        "#/parameters/namespace-vgWSWtn3",
        "#/parameters/pretty-tJGM1-ng",
    ]
    patch = item["patch"]
    assert patch["operationId"] == "patchCoreV1NamespacedPod"
    assert patch["consumes"] == PATCH_TYPES
    assert patch["x-kubernetes-action"] == "patch"
    assert patch["x-kubernetes-group-version-kind"] == {"group": "", "kind": "Pod", "version": "v1"}
    params = [resolve(v2, p) for p in patch["parameters"]]
    assert [(p["name"], p["in"]) for p in params] == [
        ("body", "body"),
        ("dryRun", "query"),
        ("fieldManager", "query"),
        ("fieldValidation", "query"),
        ("force", "query"),
    ]
    # kubectl 1.27/1.28 find fieldValidation (and dryRun) inline on the PATCH operation
    inline = {p["name"] for p in patch["parameters"] if "$ref" not in p}
    assert inline == {"dryRun", "fieldValidation"}
    assert patch["responses"]["200"]["schema"] == {"$ref": "#/definitions/io.k8s.api.core.v1.Pod"}
    assert item["delete"]["responses"]["200"]["schema"] == {"$ref": "#/definitions/io.k8s.api.core.v1.Pod"}

    collection = v2["paths"][POD]
    assert sorted(collection) == ["delete", "get", "parameters", "post"]
    assert collection["get"]["description"] == "list or watch objects of kind Pod"
    assert collection["delete"]["operationId"] == "deleteCoreV1CollectionNamespacedPod"
    assert "application/json;stream=watch" in collection["get"]["produces"]
    listing = v2["paths"]["/api/v1/pods"]
    assert listing["get"]["operationId"] == "listCoreV1PodForAllNamespaces"
    assert "watch-" in listing["parameters"][-1]["$ref"]  # one route: all its parameters are path-level
    assert v2["paths"]["/api/v1/watch/namespaces/{namespace}/pods/{name}"]["get"]["x-kubernetes-action"] == "watch"

    log = v2["paths"][POD + "/{name}/log"]["get"]
    assert log["produces"] == [
        "text/plain",
        "application/json",
        "application/yaml",
        "application/vnd.kubernetes.protobuf",
    ]
    assert log["responses"]["200"]["schema"] == {"type": "string"}
    exec_ = v2["paths"][POD + "/{name}/exec"]
    assert sorted(exec_) == ["get", "parameters", "post"]
    assert exec_["post"]["x-kubernetes-group-version-kind"]["kind"] == "PodExecOptions"
    proxy = v2["paths"][POD + "/{name}/proxy/{path}"]
    assert sorted(proxy) == ["delete", "get", "head", "options", "parameters", "patch", "post", "put"]
    assert proxy["head"]["operationId"] == "connectCoreV1HeadNamespacedPodProxyWithPath"
    eviction = v2["paths"][POD + "/{name}/eviction"]["post"]
    assert eviction["x-kubernetes-group-version-kind"] == {"group": "policy", "kind": "Eviction", "version": "v1"}
    assert eviction["description"] == "create eviction of a Pod"


def test_v2_deployment_scale_and_status(v2: Doc) -> None:
    scale = v2["paths"][DEPLOY + "/{name}/scale"]
    assert scale["get"]["operationId"] == "readAppsV1NamespacedDeploymentScale"
    assert scale["get"]["x-kubernetes-group-version-kind"] == {"group": "autoscaling", "kind": "Scale", "version": "v1"}
    assert scale["put"]["description"] == "replace scale of the specified Deployment"
    assert scale["patch"]["responses"]["200"]["schema"] == {"$ref": "#/definitions/io.k8s.api.autoscaling.v1.Scale"}
    status = v2["paths"][DEPLOY + "/{name}/status"]["patch"]
    assert status["x-kubernetes-group-version-kind"] == {"group": "apps", "kind": "Deployment", "version": "v1"}
    assert v2["paths"][DEPLOY + "/{name}"]["delete"]["responses"]["200"]["schema"] == {
        "$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Status"
    }


def test_v2_shared_parameters_are_named_as_upstream(v2: Doc) -> None:
    # Upstream names (the parameter JSON hashed with FNV-1 64) for the texts we share with kube-apiserver.
    for name in (
        "pretty-tJGM1-ng",
        "namespace-vgWSWtn3",
        "body-2Y1dVQaQ",
        "body-78PwaGsr",
        "gracePeriodSeconds--K5HaBOS",
        "orphanDependents-uRB25kX5",
        "propagationPolicy-6jk3prlO",
        "path-z6Ciiujn",
    ):
        assert name in v2["parameters"], name
        assert shared_name(v2["parameters"][name]) == name
    assert v2["parameters"]["body-78PwaGsr"] == {
        "in": "body",
        "name": "body",
        "required": True,
        "schema": {"$ref": "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch"},
    }
    assert not any(p["name"] in ("fieldValidation", "dryRun", "name") for p in v2["parameters"].values())


def test_v2_document_frame(v2: Doc) -> None:
    assert v2["swagger"] == "2.0"
    assert v2["info"] == {"title": "Kubernetes", "version": "1.33"}
    assert v2["security"] == [{"BearerToken": []}]
    assert v2["securityDefinitions"]["BearerToken"]["type"] == "apiKey"
    assert v2["paths"]["/api/"]["get"]["operationId"] == "getCoreAPIVersions"
    assert v2["paths"]["/version/"]["get"]["produces"] == ["application/json"]
    # every reference resolves; nothing beyond the served group/versions is included
    text = json.dumps(v2)
    for name in v2["definitions"]:
        assert name.startswith("io.k8s.")
    assert "#/definitions/io.k8s.api.resource.v1beta1" not in text
    refs = {r.split('"')[0] for r in text.split('"$ref": "#/definitions/')[1:]}
    assert refs <= set(v2["definitions"])


def test_v3_paths_carry_field_validation_and_patch_content(core_v3: Doc, apps_v3: Doc) -> None:
    patch = apps_v3["paths"][DEPLOY + "/{name}"]["patch"]
    assert patch["x-kubernetes-group-version-kind"] == {"group": "apps", "kind": "Deployment", "version": "v1"}
    assert {"name": "fieldValidation", "in": "query"}.items() <= next(
        p for p in patch["parameters"] if p["name"] == "fieldValidation"
    ).items()
    assert sorted(patch["requestBody"]["content"]) == sorted(PATCH_TYPES)
    assert patch["requestBody"]["required"] is True
    assert sorted(patch["responses"]["200"]["content"]) == [
        "application/json",
        "application/vnd.kubernetes.protobuf",
        "application/yaml",
    ]
    post = core_v3["paths"][POD]["post"]
    assert post["requestBody"] == {
        "content": {"*/*": {"schema": {"$ref": "#/components/schemas/io.k8s.api.core.v1.Pod"}}},
        "required": True,
    }
    assert [p["name"] for p in post["parameters"]] == ["dryRun", "fieldManager", "fieldValidation"]
    assert core_v3["paths"][POD]["parameters"][0]["schema"] == {"type": "string", "uniqueItems": True}
    assert core_v3["openapi"] == "3.0.0"
    assert core_v3["info"] == {"title": "Kubernetes", "version": "1.33"}
    assert "io.k8s.api.apps.v1.Deployment" in apps_v3["components"]["schemas"]
    assert "io.k8s.api.apps.v1.Deployment" not in core_v3["components"]["schemas"]
    assert core_v3["components"]["securitySchemes"]["BearerToken"]["name"] == "authorization"


def test_v3_root_lists_services_with_content_hashes(docs: OpenAPIDocuments) -> None:
    root = json.loads(docs.v3_root())
    assert {"api", "api/v1", "apis", "apis/apps", "apis/apps/v1", "version"} <= set(root["paths"])
    assert "apis/resource.k8s.io/v1beta1" not in root["paths"]  # beta: off by default
    documents = docs.v3_documents()
    for name, entry in root["paths"].items():
        digest = hashlib.sha512(documents[name].body).hexdigest().upper()
        assert entry == {"serverRelativeURL": f"/openapi/v3/{name}?hash={digest}"}
    assert docs.v3_root().startswith(b'{"paths":{"api":{"serverRelativeURL":"/openapi/v3/api?hash=')


def test_runtime_config_enables_more_documents() -> None:
    docs = OpenAPIDocuments(Catalog.load("1.33", {"resource.k8s.io/v1beta1": "true"}))
    assert "apis/resource.k8s.io/v1beta1" in docs.v3_documents()
    assert not docs.ready("v2")
    assert "io.k8s.api.resource.v1beta1.ResourceClaim" in json.loads(docs.v2_json().body)["definitions"]


def test_documents_are_built_once_per_catalog(docs: OpenAPIDocuments) -> None:
    assert documents_for(Catalog.load("1.33")) is docs
    first = docs.v2_protobuf()
    assert docs.ready("v2")
    assert docs.v2_protobuf() is first
    assert first.etag == docs.v2_json().etag == hashlib.sha512(docs.v2_json().body).hexdigest().upper()


# --- protobuf -------------------------------------------------------------------------------------


def decode(data: bytes) -> dict[int, list[Any]]:
    """A tiny protobuf wire decoder: field number -> values (ints for varints, bytes for the rest)."""
    fields: dict[int, list[Any]] = {}
    i = 0

    def varint() -> int:
        nonlocal i
        shift = result = 0
        while True:
            byte = data[i]
            i += 1
            result |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return result

    while i < len(data):
        key = varint()
        number, wire = key >> 3, key & 7
        if wire == 0:
            value: Any = varint()
        elif wire == 1:
            value, i = data[i : i + 8], i + 8
        elif wire == 2:
            size = varint()
            value, i = data[i : i + size], i + size
        else:
            raise AssertionError(f"unexpected wire type {wire}")
        fields.setdefault(number, []).append(value)
    return fields


def text(fields: dict[int, list[Any]], number: int) -> str:
    return fields[number][0].decode()  # type: ignore[no-any-return]


def named(message: bytes) -> dict[str, bytes]:
    """A repeated Named* list (name=1, value=2) as a dict."""
    return {text(decode(m), 1): decode(m)[2][0] for m in decode(message).get(1, [])}


def test_minimal_document_bytes() -> None:
    # The 29-byte document kubectl.md §0 verified against kubectl 1.27-1.33.
    doc = {"swagger": "2.0", "info": {"title": "Kubernetes", "version": "v1.31.0"}}
    assert pb.document(doc) == b"\n\x032.0\x12\x15\n\nKubernetes\x12\x07v1.31.0"


def test_protobuf_document_decodes_back(docs: OpenAPIDocuments) -> None:
    document = decode(docs.v2_protobuf().body)
    assert text(document, 1) == "2.0"
    info = decode(document[2][0])
    assert (text(info, 1), text(info, 2)) == ("Kubernetes", "1.33")

    definitions = named(document[9][0])
    pod_spec = decode(definitions["io.k8s.api.core.v1.PodSpec"])
    assert [v.decode() for v in decode(pod_spec[22][0])[1]] == ["object"]  # TypeItem
    assert [v.decode() for v in pod_spec[19]] == ["containers"]  # required
    properties = named(pod_spec[25][0])
    containers = decode(properties["containers"])
    extensions = {text(decode(e), 1): decode(decode(e)[2][0]) for e in containers[31]}
    assert text(extensions["x-kubernetes-patch-merge-key"], 2) == "name\n"
    assert yaml.safe_load(text(extensions["x-kubernetes-list-map-keys"], 2)) == ["name"]
    items = decode(decode(containers[23][0])[1][0])
    assert text(items, 1) == "#/definitions/io.k8s.api.core.v1.Container"
    pod = decode(definitions["io.k8s.api.core.v1.Pod"])
    gvk = {text(decode(e), 1): text(decode(decode(e)[2][0]), 2) for e in pod[31]}
    assert gvk["x-kubernetes-group-version-kind"] == '- group: ""\n  kind: Pod\n  version: v1\n'
    assert yaml.safe_load(gvk["x-kubernetes-group-version-kind"]) == [{"group": "", "kind": "Pod", "version": "v1"}]

    paths = {text(decode(m), 1): decode(decode(m)[2][0]) for m in decode(document[8][0])[2]}
    patch = decode(paths[POD + "/{name}"][8][0])  # PathItem.patch
    assert text(patch, 5) == "patchCoreV1NamespacedPod"
    assert [v.decode() for v in patch[7]] == PATCH_TYPES  # consumes
    query_names = []
    for item in patch[8]:  # ParametersItem
        parameter = decode(item).get(1)  # Parameter (2 would be a JsonReference)
        if parameter is None:
            continue
        non_body = decode(parameter[0]).get(2)
        if non_body:
            query = decode(decode(non_body[0])[3][0])  # NonBodyParameter.query_parameter_sub_schema
            query_names.append((text(query, 4), text(query, 2), query[20]))
    assert ("fieldValidation", "query", [1]) in query_names
    ext = {text(decode(e), 1): text(decode(decode(e)[2][0]), 2) for e in patch[13]}
    assert yaml.safe_load(ext["x-kubernetes-group-version-kind"]) == {"group": "", "kind": "Pod", "version": "v1"}

    shared = named(document[10][0])
    pretty = decode(decode(decode(shared["pretty-tJGM1-ng"])[2][0])[3][0])
    assert (text(pretty, 4), text(pretty, 6)) == ("pretty", "string")
    security = decode(document[12][0])
    requirement = decode(security[1][0])
    assert (text(requirement, 1), requirement[2]) == ("BearerToken", [b""])  # empty StringArray, present
    bearer = decode(named(document[13][0])["BearerToken"])
    api_key = decode(bearer[2][0])
    assert [text(api_key, n) for n in (1, 2, 3)] == ["apiKey", "authorization", "header"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("atomic", "atomic\n"),
        ("merge,retainKeys", "merge,retainKeys\n"),
        (["name", "protocol"], "- name\n- protocol\n"),
        ({"group": "", "kind": "Pod", "version": "v1"}, 'group: ""\nkind: Pod\nversion: v1\n'),
        ("true", '"true"\n'),
        (
            [{"discriminator": "kind", "fields-to-discriminateBy": {"group": "Group", "user": "User"}}],
            "- discriminator: kind\n  fields-to-discriminateBy:\n      group: Group\n      user: User\n",
        ),
    ],
)
def test_any_yaml(value: object, expected: str) -> None:
    assert pb.yaml_text(value) == expected
    assert yaml.safe_load(expected) == value


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(pb.UnsupportedField):
        pb.schema({"type": "string", "oneOf": []})

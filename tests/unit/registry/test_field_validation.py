"""Field validation (fieldValidation=Strict|Warn|Ignore) against kube-apiserver 1.33's own expectations.

The Deployment bodies and the expected texts of the first tables are upstream's integration test
(kubernetes test/integration/apiserver/field_validation_test.go, `invalidBodyJSON`, `invalidBodyYAML`,
merge and JSON patch bodies); the rest follow the decoders they exercise (sigs.k8s.io/json, goyaml.v2,
resource.ParseQuantity, time.Parse, encoding/base64).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from mockapi.api.errors import ApiError
from mockapi.registry import fieldvalidation as fv
from mockapi.registry import patch as media
from mockapi.registry.fieldvalidation import gotypes
from mockapi.registry.fieldvalidation.decoder import Decoder, parse_json
from mockapi.registry.fieldvalidation.goscalars import (
    ERR_FORMAT_WRONG,
    ERR_SUFFIX,
    RFC3339,
    RFC3339_MICRO,
    base64_error,
    quantity_error,
    time_error,
)
from mockapi.registry.fieldvalidation.yamlstrict import duplicate_lines
from mockapi.registry.options import write_options
from mockapi.resources.catalog import Catalog
from mockapi.resources.types import ResourceType

CATALOG = Catalog.load("1.33")


def rt(group: str, plural: str, version: str = "v1") -> ResourceType:
    found = CATALOG.get(group, version, plural)
    assert found is not None
    return found


DEPLOYMENTS = rt("apps", "deployments")
CONFIGMAPS = rt("", "configmaps")
SECRETS = rt("", "secrets")
CRDS = rt("apiextensions.k8s.io", "customresourcedefinitions")
REVISIONS = rt("apps", "controllerrevisions")

INVALID_JSON = b"""
{
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {
        "name": "dupename",
        "name": "test",
        "labels": {"app": "nginx"},
        "unknownMeta": "metaVal"
    },
    "spec": {
        "unknown1": "val1",
        "unknownDupe": "valDupe",
        "unknownDupe": "valDupe2",
        "paused": true,
        "paused": false,
        "selector": {"matchLabels": {"app": "nginx"}},
        "template": {
            "metadata": {"labels": {"app": "nginx"}},
            "spec": {
                "containers": [{
                    "name":  "nginx",
                    "image": "nginx:latest",
                    "unknownNested": "val1",
                    "imagePullPolicy": "Always",
                    "imagePullPolicy": "Never"
                }]
            }
        }
    }
}
"""
INVALID_JSON_ERRORS = [
    'duplicate field "metadata.name"',
    'unknown field "metadata.unknownMeta"',
    'unknown field "spec.unknown1"',
    'unknown field "spec.unknownDupe"',
    'duplicate field "spec.paused"',
    'unknown field "spec.template.spec.containers[0].unknownNested"',
    'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
]

INVALID_YAML = b"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: dupename
  name: test
  unknownMeta: metaVal
  labels:
    app: nginx
spec:
  unknown1: val1
  unknownDupe: valDupe
  unknownDupe: valDupe2
  paused: true
  paused: false
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:latest
        unknownNested: val1
        imagePullPolicy: Always
        imagePullPolicy: Never"""
INVALID_YAML_WARNINGS = [
    'line 5: key "name" already set in map',
    'line 12: key "unknownDupe" already set in map',
    'line 14: key "paused" already set in map',
    'line 28: key "imagePullPolicy" already set in map',
    'unknown field "metadata.unknownMeta"',
    'unknown field "spec.template.spec.containers[0].unknownNested"',
    'unknown field "spec.unknown1"',
    'unknown field "spec.unknownDupe"',
]
DEPLOYMENT_PREFIX = 'Deployment in version "v1" cannot be handled as a Deployment: '


def check(rtype: ResourceType, raw: bytes, mode: fv.Directive, *, as_yaml: bool = False) -> list[str]:
    body = yaml.safe_load(raw) if as_yaml else json.loads(raw)
    return fv.check_body(rtype, raw, body, mode, yaml=as_yaml)


def rejection(rtype: ResourceType, raw: bytes, mode: fv.Directive = "Strict", *, as_yaml: bool = False) -> ApiError:
    with pytest.raises(ApiError) as caught:
        check(rtype, raw, mode, as_yaml=as_yaml)
    return caught.value


# -- upstream's own cases ---------------------------------------------------------------------------


def test_upstream_json_body_strict_is_one_400_in_document_order() -> None:
    err = rejection(DEPLOYMENTS, INVALID_JSON)
    assert (err.code, err.reason, err.details) == (400, "BadRequest", None)
    assert err.message == DEPLOYMENT_PREFIX + "strict decoding error: " + ", ".join(INVALID_JSON_ERRORS)


def test_upstream_json_body_warn_ignore() -> None:
    assert check(DEPLOYMENTS, INVALID_JSON, "Warn") == INVALID_JSON_ERRORS
    assert check(DEPLOYMENTS, INVALID_JSON, "Ignore") == []


def test_upstream_yaml_body_reports_goyaml_duplicates_then_unknowns_in_sorted_key_order() -> None:
    err = rejection(DEPLOYMENTS, INVALID_YAML, as_yaml=True)
    assert err.message == DEPLOYMENT_PREFIX + (
        "strict decoding error: yaml: unmarshal errors:\n"
        '  line 5: key "name" already set in map\n'
        '  line 12: key "unknownDupe" already set in map\n'
        '  line 14: key "paused" already set in map\n'
        '  line 28: key "imagePullPolicy" already set in map, unknown field "metadata.unknownMeta", '
        'unknown field "spec.template.spec.containers[0].unknownNested", unknown field "spec.unknown1", '
        'unknown field "spec.unknownDupe"'
    )
    assert check(DEPLOYMENTS, INVALID_YAML, "Warn", as_yaml=True) == INVALID_YAML_WARNINGS
    assert check(DEPLOYMENTS, INVALID_YAML, "Ignore", as_yaml=True) == []


MERGE_PATCH = b"""{
    "spec": {
        "unknown1": "val1",
        "unknownDupe": "valDupe",
        "unknownDupe": "valDupe2",
        "paused": true,
        "paused": false,
        "template": {"spec": {"containers": [{
            "name": "nginx",
            "image": "nginx:latest",
            "unknownNested": "val1",
            "imagePullPolicy": "Always",
            "imagePullPolicy": "Never"
        }]}}
    }
}"""
JSON_PATCH = b"""[
    {"op": "add", "path": "/spec/unknown1", "value": "val1", "foo": "bar"},
    {"op": "add", "path": "/spec/unknown2", "path": "/spec/unknown3", "value": "val1"},
    {"op": "add", "path": "/spec/unknownDupe", "value": "valDupe"},
    {"op": "add", "path": "/spec/unknownDupe", "value": "valDupe2"},
    {"op": "add", "path": "/spec/paused", "value": true},
    {"op": "add", "path": "/spec/paused", "value": false},
    {"op": "add", "path": "/spec/template/spec/containers/0/unknownNested", "value": "val1"},
    {"op": "add", "path": "/spec/template/spec/containers/0/imagePullPolicy", "value": "Always"},
    {"op": "add", "path": "/spec/template/spec/containers/0/imagePullPolicy", "value": "Never"}
]"""


def patched_deployment(**spec_extra: Any) -> dict[str, Any]:
    labels = {"app": "nginx"}
    container = {"name": "nginx", "image": "nginx:latest", "imagePullPolicy": "Never", "unknownNested": "val1"}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": labels},
        "spec": {
            "replicas": 2,
            "paused": False,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [container]}},
            **spec_extra,
        },
    }


PATCH_UNKNOWNS = [
    'unknown field "spec.template.spec.containers[0].unknownNested"',
    'unknown field "spec.unknown1"',
    'unknown field "spec.unknownDupe"',
]


@pytest.mark.parametrize("patch_type", [media.MERGE_PATCH, media.STRATEGIC_PATCH])
def test_upstream_merge_and_strategic_patch_duplicates_then_unknowns(patch_type: str) -> None:
    document = fv.patch_document_errors(patch_type, MERGE_PATCH, "Warn")
    assert document == [
        'duplicate field "spec.unknownDupe"',
        'duplicate field "spec.paused"',
        'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
    ]
    patched = patched_deployment(unknown1="val1", unknownDupe="valDupe2")
    kwargs: dict[str, Any] = {"patch_type": patch_type, "patch": MERGE_PATCH, "document_errors": document}
    assert fv.check_patched(DEPLOYMENTS, patched, "Warn", **kwargs) == document + PATCH_UNKNOWNS
    with pytest.raises(ApiError) as caught:
        fv.check_patched(DEPLOYMENTS, patched, "Strict", **kwargs)
    err = caught.value
    detail = "strict decoding error: " + ", ".join(document + PATCH_UNKNOWNS)
    assert (err.code, err.reason) == (422, "Invalid")
    assert err.message.startswith(' "" is invalid: patch: Invalid value: "')
    assert err.message.endswith(f'": {detail}')
    assert err.details is not None and list(err.details) == ["causes"]
    cause = err.details["causes"][0]
    assert (cause["reason"], cause["field"]) == ("FieldValueInvalid", "patch")
    if patch_type == media.STRATEGIC_PATCH:  # the value is fmt's %+v of the patch map
        assert cause["message"].startswith('Invalid value: "map[spec:map[paused:false template:map[spec:map[')
    else:  # the value is the patched object as JSON
        assert cause["message"].startswith('Invalid value: "{\\"apiVersion\\":\\"apps/v1\\",\\"kind\\"')
    assert fv.patch_document_errors(patch_type, MERGE_PATCH, "Ignore") == []
    assert fv.check_patched(DEPLOYMENTS, patched, "Ignore", **{**kwargs, "document_errors": []}) == []


def test_upstream_json_patch_operation_errors() -> None:
    document = fv.patch_document_errors(media.JSON_PATCH, JSON_PATCH, "Strict")
    assert document == ['json patch unknown field "[0].foo"', 'json patch duplicate field "[1].path"']
    patched = patched_deployment(unknown1="val1", unknown3="val1", unknownDupe="valDupe2")
    found = fv.check_patched(
        DEPLOYMENTS, patched, "Warn", patch_type=media.JSON_PATCH, patch=JSON_PATCH, document_errors=document
    )
    assert found == [
        *document,
        PATCH_UNKNOWNS[0],
        'unknown field "spec.unknown1"',
        'unknown field "spec.unknown3"',
        'unknown field "spec.unknownDupe"',
    ]


def test_patch_type_errors_are_422_under_every_directive() -> None:
    patched = patched_deployment(replicas="3")
    del patched["spec"]["template"]["spec"]["containers"][0]["unknownNested"]
    patch = b'{"spec":{"replicas":"3"}}'
    for mode in ("Strict", "Warn", "Ignore"):
        with pytest.raises(ApiError) as caught:
            fv.check_patched(DEPLOYMENTS, patched, mode, patch_type=media.MERGE_PATCH, patch=patch, document_errors=[])
        assert caught.value.code == 422
        assert caught.value.message.endswith(
            '": json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32'
        )
        with pytest.raises(ApiError) as caught:
            fv.check_patched(
                DEPLOYMENTS, patched, mode, patch_type=media.STRATEGIC_PATCH, patch=patch, document_errors=[]
            )
        assert caught.value.message == ' "" is invalid: patch: Invalid value: "map[spec:map[replicas:3]]": ' + (
            "unrecognized type: int32"
        )


def test_patch_documents_that_do_not_decode() -> None:
    with pytest.raises(ApiError) as caught:
        fv.patch_document_errors(media.JSON_PATCH, b'{"op": "add"}', "Strict")
    assert (caught.value.code, caught.value.message) == (
        400,
        "error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp",
    )
    with pytest.raises(ApiError) as caught:
        fv.patch_document_errors(media.MERGE_PATCH, b"[1]", "Warn")
    assert caught.value.message == (
        "error decoding patch: json: cannot unmarshal array into Go value of type map[string]interface {}"
    )


def test_apply_yaml_duplicates() -> None:
    body = b"a: 1\nb:\n  c: 1\n  c: 2\na: 3\n"
    assert fv.apply_yaml_error(body, "Warn") == [
        'line 4: key "c" already set in map',
        'line 5: key "a" already set in map',
    ]
    with pytest.raises(ApiError) as caught:
        fv.apply_yaml_error(body, "Strict")
    assert caught.value.message == (
        "error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n"
        '  line 4: key "c" already set in map\n  line 5: key "a" already set in map'
    )
    assert fv.apply_yaml_error(body, "Ignore") == []


# -- unknown and duplicate fields -------------------------------------------------------------------


def cm(**extra: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, **extra}


def crd(properties: dict[str, Any]) -> dict[str, Any]:
    schema = {"openAPIV3Schema": {"type": "object", "properties": properties}}
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "foos.example.com"},
        "spec": {
            "group": "example.com",
            "names": {"kind": "Foo", "plural": "foos"},
            "scope": "Namespaced",
            "versions": [{"name": "v1", "served": True, "storage": True, "schema": schema}],
        },
    }


STRICT_CASES = [
    ("top-level", CONFIGMAPS, cm(bogusField=1), ['unknown field "bogusField"']),
    ("nested", CONFIGMAPS, cm(metadata={"name": "x", "bogus": {"a": 1}}), ['unknown field "metadata.bogus"']),
    (
        "list item",
        DEPLOYMENTS,
        {"spec": {"template": {"spec": {"containers": [{"name": "a"}, {"name": "b", "bogus": True}]}}}},
        ['unknown field "spec.template.spec.containers[1].bogus"'],
    ),
    (
        "map of objects",
        CRDS,
        crd({"size": {"type": "integer", "bogus": 1}}),
        ['unknown field "spec.versions[0].schema.openAPIV3Schema.properties.size.bogus"'],
    ),
    ("labels are free-form", CONFIGMAPS, cm(metadata={"name": "x", "labels": {"any": "thing"}}), []),
    (
        "RawExtension is free-form",
        REVISIONS,
        {"revision": 1, "data": {"anything": {"goes": [1, {"here": True}]}}},
        [],
    ),
    (
        "managedFields fieldsV1 is free-form",
        CONFIGMAPS,
        cm(metadata={"name": "x", "managedFields": [{"manager": "m", "fieldsV1": {"f:data": {}, "x": 1}}]}),
        [],
    ),
    ("unknown under an unknown is not visited", CONFIGMAPS, cm(bogus={"deeper": 1}), ['unknown field "bogus"']),
]


@pytest.mark.parametrize(("rtype", "body", "expected"), [c[1:] for c in STRICT_CASES], ids=[c[0] for c in STRICT_CASES])
def test_unknown_fields(rtype: ResourceType, body: dict[str, Any], expected: list[str]) -> None:
    raw = json.dumps(body).encode()
    assert check(rtype, raw, "Warn") == expected
    assert check(rtype, raw, "Ignore") == []
    if expected:
        err = rejection(rtype, raw)
        assert err.message == (
            f'{rtype.kind} in version "{rtype.version}" cannot be handled as a {rtype.kind}: '
            f"strict decoding error: {', '.join(expected)}"
        )


DUPLICATE_CASES = [
    ("struct field", b'{"kind":"ConfigMap","kind":"ConfigMap","metadata":{"name":"x"}}', ['duplicate field "kind"']),
    ("map key", b'{"metadata":{"name":"x","labels":{"a":"1","a":"2"}}}', ['duplicate field "metadata.labels.a"']),
    ("data key", b'{"metadata":{"name":"x"},"data":{"k":"1","k":"2","k":"3"}}', ['duplicate field "data.k"']),
    (
        "unknown and duplicate is one unknown",
        b'{"metadata":{"name":"x"},"bogus":1,"bogus":2}',
        ['unknown field "bogus"'],
    ),
    ("RawExtension keeps its duplicates", b'{"revision":1,"data":{"a":1,"a":2}}', []),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in DUPLICATE_CASES], ids=[c[0] for c in DUPLICATE_CASES])
def test_duplicate_fields_in_json(raw: bytes, expected: list[str]) -> None:
    rtype = REVISIONS if b"revision" in raw else CONFIGMAPS
    assert fv.check_body(rtype, raw, json.loads(raw), "Warn", yaml=False) == expected


def test_repeated_objects_merge_as_go_decodes_them() -> None:
    raw = (
        b'{"metadata":{"name":"a","labels":{"x":"1"}},"metadata":{"labels":{"y":"2"}},'
        b'"data":{"k":"1"},"data":{"j":"2","k":"3"}}'
    )
    body = json.loads(raw)
    assert fv.check_body(CONFIGMAPS, raw, body, "Ignore", yaml=False) == []
    assert body == {"metadata": {"name": "a", "labels": {"x": "1", "y": "2"}}, "data": {"k": "3", "j": "2"}}
    labels = b'{"metadata":{"name":"a","labels":{"x":"1","x":"2"}}}'
    body = json.loads(labels)
    fv.check_body(CONFIGMAPS, labels, body, "Ignore", yaml=False)
    assert body == {"metadata": {"name": "a", "labels": {"x": "2"}}}


YAML_CASES = [
    ("scalar", b"metadata:\n  name: a\n  name: b\n", ['line 3: key "name" already set in map']),
    (
        "nested first, then the outer key (value line)",
        b"metadata:\n  name: a\ndata:\n  k: v\n  k: w\nmetadata:\n  name: c\n",
        ['line 5: key "k" already set in map', 'line 7: key "metadata" already set in map'],
    ),
    ("in a sequence", b"items:\n- a: 1\n  a: 2\n", ['line 3: key "a" already set in map']),
    ("flow style", b'{"a": 1, "b": {"c": 1, "c": 2}}', ['line 1: key "c" already set in map']),
    ("non-string key", b"data:\n  80: a\n  80: b\n", ["line 3: key 80 already set in map"]),
    ("none", b"a: 1\nb: 2\n", []),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in YAML_CASES], ids=[c[0] for c in YAML_CASES])
def test_yaml_duplicate_lines(raw: bytes, expected: list[str]) -> None:
    assert duplicate_lines(raw) == expected


def test_preserve_unknown_fields_struct_reports_no_unknowns() -> None:
    loose = gotypes.GoType(gotypes.STRUCT, "v1.Loose", struct="Loose", preserve_unknown=True)
    loose.fields["known"] = gotypes.Field(gotypes.GoType(gotypes.STRING, "string"))
    tree = parse_json(b'{"known": "a", "other": {"x": 1}, "known": "b"}')
    result = Decoder(strict=True).decode(loose, tree)
    assert (result.error, result.strict) == (None, ['duplicate field "known"'])


def test_strict_errors_are_capped_at_100() -> None:
    body = cm(**{f"u{i:03d}": i for i in range(150)})
    assert len(check(CONFIGMAPS, json.dumps(body).encode(), "Warn")) == 100


def test_kind_or_version_mismatch_is_left_to_the_registry() -> None:
    body = {"apiVersion": "v1", "kind": "Secret", "bogus": 1}
    assert check(CONFIGMAPS, json.dumps(body).encode(), "Strict") == []


# -- type errors: 400 under every directive --------------------------------------------------------


def deploy(spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": spec}


def pod_spec(**container: Any) -> dict[str, Any]:
    return {"template": {"spec": {"containers": [{"name": "c", "image": "i", **container}]}}}


TYPE_CASES: list[tuple[str, ResourceType, dict[str, Any], str]] = [
    (
        "string for int32",
        DEPLOYMENTS,
        deploy({"replicas": "3"}),
        "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32",
    ),
    (
        "float for int32",
        DEPLOYMENTS,
        deploy({"replicas": 1.5}),
        "json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32",
    ),
    (
        "int32 overflow",
        DEPLOYMENTS,
        deploy({"replicas": 3000000000}),
        "json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32",
    ),
    (
        "path skips list indexes",
        DEPLOYMENTS,
        deploy(pod_spec(ports=[{"containerPort": "80"}])),
        "json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports"
        ".containerPort of type int32",
    ),
    (
        "number for a map value",
        CONFIGMAPS,
        cm(metadata={"name": "x", "labels": {"version": 1.0}}),
        "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string",
    ),
    (
        "bool for string data",
        CONFIGMAPS,
        cm(data={"enabled": True}),
        "json: cannot unmarshal bool into Go struct field ConfigMap.data of type string",
    ),
    (
        "string for struct",
        DEPLOYMENTS,
        deploy("x"),  # type: ignore[arg-type]
        "json: cannot unmarshal string into Go struct field Deployment.spec of type v1.DeploymentSpec",
    ),
    (
        "object for list",
        DEPLOYMENTS,
        deploy({"template": {"spec": {"containers": {"name": "c"}}}}),
        "json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers "
        "of type []v1.Container",
    ),
    (
        "string for []string",
        DEPLOYMENTS,
        deploy(pod_spec(args="--verbose")),
        "json: cannot unmarshal string into Go struct field Container.spec.template.spec.containers.args "
        "of type []string",
    ),
    (
        "named string type",
        DEPLOYMENTS,
        deploy(pod_spec(imagePullPolicy=1)),
        "json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers"
        ".imagePullPolicy of type v1.PullPolicy",
    ),
    (
        "inlined embedded struct",
        DEPLOYMENTS,
        deploy({"template": {"spec": {"volumes": [{"name": "v", "configMap": "cm"}]}}}),
        "json: cannot unmarshal string into Go struct field Volume.spec.template.spec.volumes.VolumeSource"
        ".configMap of type v1.ConfigMapVolumeSource",
    ),
    (
        "IntOrString",
        DEPLOYMENTS,
        deploy({"strategy": {"rollingUpdate": {"maxSurge": True}}}),
        "json: cannot unmarshal bool into Go struct field RollingUpdateDeployment.spec.strategy.rollingUpdate"
        ".maxSurge of type int32",
    ),
    ("Quantity", DEPLOYMENTS, deploy(pod_spec(resources={"limits": {"cpu": "one"}})), ERR_FORMAT_WRONG),
    (
        "Time",
        CONFIGMAPS,
        cm(metadata={"name": "x", "creationTimestamp": "yesterday"}),
        'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"',
    ),
    ("base64", SECRETS, {"data": {"k": "not base64"}}, "illegal base64 data at input byte 3"),
    (
        "first type error wins over strict errors",
        DEPLOYMENTS,
        deploy({"bogus": 1, "replicas": "1", "paused": "no"}),
        "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32",
    ),
    (
        "a decoder's own error ends decoding",
        DEPLOYMENTS,
        deploy({"replicas": "1", **pod_spec(resources={"limits": {"cpu": "x"}})}),
        ERR_FORMAT_WRONG,
    ),
]


@pytest.mark.parametrize(("rtype", "body", "error"), [c[1:] for c in TYPE_CASES], ids=[c[0] for c in TYPE_CASES])
@pytest.mark.parametrize("mode", ["Strict", "Warn", "Ignore"])
def test_type_errors(rtype: ResourceType, body: dict[str, Any], error: str, mode: fv.Directive) -> None:
    err = rejection(rtype, json.dumps(body).encode(), mode)
    assert (err.code, err.reason) == (400, "BadRequest")
    assert err.message == f'{rtype.kind} in version "v1" cannot be handled as a {rtype.kind}: {error}'


def test_valid_values_of_self_decoding_types() -> None:
    body = deploy(
        {
            "replicas": 3,
            "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1}},
            **pod_spec(resources={"limits": {"cpu": "500m", "memory": 1073741824}}),
        }
    )
    body["metadata"]["creationTimestamp"] = "2024-05-01T10:00:00Z"
    assert check(DEPLOYMENTS, json.dumps(body).encode(), "Strict") == []
    secret = {"data": {"k": "dmFsdWU=", "wrapped": "dmFs\ndWU="}, "type": "Opaque"}
    assert check(SECRETS, json.dumps(secret).encode(), "Strict") == []


# -- the self-decoding types ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("100m", None),
        ("1Gi", None),
        ("0.5", None),
        ("1e3", None),
        ("+1", None),
        (".5", None),
        ("1.", None),
        ("5E", None),
        (" 2 ", None),
        ("0", None),
        ("", ERR_FORMAT_WRONG),
        ("abc", ERR_FORMAT_WRONG),
        ("1Gb", ERR_FORMAT_WRONG),
        ("1.2.3", ERR_FORMAT_WRONG),
        ("1Ki1", ERR_SUFFIX),
        ("1e", ERR_SUFFIX),
        ("1m1", ERR_SUFFIX),
        ("1ki", ERR_SUFFIX),
    ],
)
def test_quantity(text: str, error: str | None) -> None:
    assert quantity_error(text) == error


@pytest.mark.parametrize(
    ("layout", "value", "error"),
    [
        (RFC3339, "2024-01-02T03:04:05Z", None),
        (RFC3339, "2024-01-02T03:04:05.123456789+02:00", None),
        (RFC3339, "2024-02-29T00:00:00Z", None),
        (RFC3339, "bogus", 'cannot parse "bogus" as "2006"'),
        (RFC3339, "2024-01-02 03:04:05Z", 'cannot parse " 03:04:05Z" as "T"'),
        (RFC3339, "2024-01-02T03:04:05", 'cannot parse "" as "Z07:00"'),
        (RFC3339, "2024-1-02T03:04:05Z", 'cannot parse "1-02T03:04:05Z" as "01"'),
        (RFC3339, "2024-13-01T00:00:00Z", ": month out of range"),
        (RFC3339, "2023-02-29T00:00:00Z", ": day out of range"),
        (RFC3339, "2024-01-02T25:00:00Z", ": hour out of range"),
        (RFC3339, "2024-01-02T03:04:05Zjunk", ': extra text: "junk"'),
        (RFC3339_MICRO, "2024-01-02T03:04:05.000001Z", None),
        (RFC3339_MICRO, "2024-01-02T03:04:05Z", 'cannot parse "Z" as ".000000"'),
    ],
)
def test_time(layout: str, value: str, error: str | None) -> None:
    got = time_error(layout, value)
    if error is None:
        assert got is None
    elif error.startswith(":"):
        assert got == f'parsing time "{value}"{error}'
    else:
        assert got == f'parsing time "{value}" as "{layout}": {error}'


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("Zm9v", None),
        ("Zm9vYg==", None),
        ("Zm9v\r\nYmFy\n", None),
        ("", None),
        ("Zg", 0),
        ("Z===", 1),
        ("Zm9v=YmFy", 4),
        ("Zm9vYg==x", 8),
        ("Zm9vY", 4),
        ("Zm9vYg=", 7),
        ("a b", 1),
    ],
)
def test_base64(text: str, offset: int | None) -> None:
    assert base64_error(text) == (None if offset is None else f"illegal base64 data at input byte {offset}")


# -- the directive ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [({}, "Warn"), ({"fieldValidation": ""}, "Warn"), ({"fieldValidation": "Strict"}, "Strict"),
     ({"fieldValidation": "Ignore"}, "Ignore"), ({"fieldValidation": "Warn"}, "Warn")],
)  # fmt: skip
def test_directive_defaults_to_warn(query: dict[str, str], expected: str) -> None:
    assert write_options(query, []).field_validation == expected


def test_unsupported_directive_is_invalid_options() -> None:
    with pytest.raises(ApiError) as info:
        write_options({"fieldValidation": "Loose"}, [], "PatchOptions")
    assert (info.value.code, info.value.message) == (
        422,
        'PatchOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "Loose": '
        'supported values: "", "Ignore", "Strict", "Warn"',
    )


def test_warning_texts_split_yaml_reports() -> None:
    report = 'yaml: unmarshal errors:\n  line 1: key "a" already set in map\n  line 2: key "b" already set in map'
    assert fv.warning_texts([report, 'unknown field "x"']) == [
        'line 1: key "a" already set in map',
        'line 2: key "b" already set in map',
        'unknown field "x"',
    ]


# -- what an accepted body keeps -------------------------------------------------------------------

_NESTED_UNKNOWN = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "d", "bogus": 1},
    "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "i", "extra": True}]}}, "x": 1},
}
_CLEAN = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "d"},
    "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "i"}]}}},
}
_NAMED = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}}


@pytest.mark.parametrize("mode", ["Warn", "Ignore"])
@pytest.mark.parametrize(
    ("raw", "as_yaml", "kept"),
    [
        (json.dumps(_NESTED_UNKNOWN).encode(), False, _CLEAN),
        (yaml.safe_dump(_NESTED_UNKNOWN).encode(), True, _CLEAN),
        # a repeated key makes the decoder parse the text again: the merged body is pruned too
        (b'{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"metadata":{"bogus":1}}', False, _NAMED),
        # a float makes the walk of the decoded object give way to a parse of the text
        (
            b'{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"x":1.5}}',
            False,
            _NAMED | {"spec": {}},
        ),
    ],
)
def test_an_accepted_body_loses_every_unknown_field_in_every_mode(
    raw: bytes, as_yaml: bool, kept: dict[str, Any], mode: fv.Directive
) -> None:
    body = yaml.safe_load(raw) if as_yaml else json.loads(raw)
    fv.check_body(DEPLOYMENTS, raw, body, mode, yaml=as_yaml, drop_unknown=True)
    assert body == kept


def test_a_body_with_no_unknown_field_is_left_as_it_is() -> None:
    raw = json.dumps(_CLEAN).encode()
    body = json.loads(raw)
    fv.check_body(DEPLOYMENTS, raw, body, "Warn", yaml=False, drop_unknown=True)
    assert body == _CLEAN

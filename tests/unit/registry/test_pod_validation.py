"""Pod and pod template validation on create (ValidatePodCreate / ValidatePodSpec) with 1.33's messages.

Pods are defaulted first, as kube-apiserver validates after decoding. Expected messages follow
pkg/apis/core/validation (and its unit tests), in ValidatePodSpec's order of checks.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from mockapi.api.errors import invalid_object
from mockapi.registry.defaulting import apply_defaults
from mockapi.registry.defaulting.podspec import default_pod_template
from mockapi.registry.kindvalidation import validate_kind
from mockapi.registry.kindvalidation.pods import validate_pod
from mockapi.registry.kindvalidation.podspec import validate_pod_spec, validate_pod_template_spec
from mockapi.resources.catalog import Catalog

Obj = dict[str, Any]

DNS_LABEL = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
DNS_SUBDOMAIN = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
PORT_RANGE = "must be between 1 and 65535, inclusive"
ENV_NAME = "a valid environment variable name must consist only of printable ASCII characters other than '='"
C0 = "spec.containers[0]"


def container(**extra: Any) -> Obj:
    return {"name": "app", "image": "nginx:1.27", **extra}


def pod(*containers: Obj, **spec: Any) -> Obj:
    obj: Obj = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"containers": list(containers) or [container()], **spec},
    }
    apply_defaults("", "v1", "Pod", obj)
    return obj


def messages(obj: Obj) -> list[str]:
    return [str(e) for e in validate_pod(obj, None)]


CASES: list[tuple[Obj, list[str]]] = [
    (pod(), []),
    (pod(containers=[]), ["spec.containers: Required value"]),
    (
        pod(container(name="", image="")),
        [f"{C0}.name: Required value", f"{C0}.image: Required value"],
    ),
    (pod(container(name="Web_1")), [f'{C0}.name: Invalid value: "Web_1": {DNS_LABEL}']),
    (pod(container(name="a.b")), [f'{C0}.name: Invalid value: "a.b": must not contain dots']),
    (
        pod(container(), container(name="app", image="busybox")),
        ['spec.containers[1].name: Duplicate value: "app"'],
    ),
    (
        pod(container(), initContainers=[container(image="busybox")]),
        ['spec.initContainers[0].name: Duplicate value: "app"'],
    ),
    (
        pod(container(imagePullPolicy="Sometimes")),
        [f'{C0}.imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'],
    ),
    (pod(container(ports=[{"containerPort": 0}])), [f"{C0}.ports[0].containerPort: Required value"]),
    (
        pod(container(ports=[{"containerPort": 70000, "hostPort": -1}])),
        [
            f"{C0}.ports[0].containerPort: Invalid value: 70000: {PORT_RANGE}",
            f"{C0}.ports[0].hostPort: Invalid value: -1: {PORT_RANGE}",
        ],
    ),
    (
        pod(container(ports=[{"containerPort": 80, "protocol": "tcp"}])),
        [f'{C0}.ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"'],
    ),
    (
        pod(container(ports=[{"containerPort": 80, "name": "Http--"}, {"containerPort": 81, "name": "http"}])),
        [
            f'{C0}.ports[0].name: Invalid value: "Http--": must contain only alpha-numeric characters (a-z, 0-9), '
            "and hyphens (-)",
            f'{C0}.ports[0].name: Invalid value: "Http--": must not contain consecutive hyphens',
            f'{C0}.ports[0].name: Invalid value: "Http--": must not begin or end with a hyphen',
        ],
    ),
    (
        pod(container(ports=[{"containerPort": 80, "name": "http"}, {"containerPort": 81, "name": "http"}])),
        [f'{C0}.ports[1].name: Duplicate value: "http"'],
    ),
    (
        pod(
            container(ports=[{"containerPort": 80, "hostPort": 8080}]),
            container(name="b", ports=[{"containerPort": 81, "hostPort": 8080}]),
        ),
        ['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"'],
    ),
    (
        pod(container(ports=[{"containerPort": 80, "hostPort": 8080}]), hostNetwork=True),
        [f"{C0}.ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true"],
    ),
    (pod(container(env=[{"name": "MY.VAR-1", "value": "x"}, {"name": "1st"}])), []),
    (
        pod(container(env=[{"name": ""}, {"name": "A=B"}])),
        [f"{C0}.env[0].name: Required value", f'{C0}.env[1].name: Invalid value: "A=B": {ENV_NAME}'],
    ),
    (
        pod(container(env=[{"name": "A", "valueFrom": {}}])),
        [
            f'{C0}.env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, '
            "`configMapKeyRef` or `secretKeyRef`"
        ],
    ),
    (
        pod(container(env=[{"name": "A", "value": "x", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}])),
        [f'{C0}.env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty'],
    ),
    (
        pod(
            container(
                env=[
                    {
                        "name": "A",
                        "valueFrom": {
                            "secretKeyRef": {"name": "s", "key": "k"},
                            "configMapKeyRef": {"name": "c", "key": "k"},
                        },
                    }
                ]
            )
        ),
        [f'{C0}.env[0].valueFrom: Invalid value: "": may not have more than one field specified at a time'],
    ),
    (
        pod(container(env=[{"name": "A", "valueFrom": {"fieldRef": {"fieldPath": "status.phase"}}}])),
        [
            f'{C0}.env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: '
            '"metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", '
            '"status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"'
        ],
    ),
    (
        pod(container(envFrom=[{"prefix": "P_"}])),
        [f'{C0}.envFrom: Invalid value: "": must specify one of: `configMapRef` or `secretRef`'],
    ),
    (
        pod(container(resources={"limits": {"cpu": "100m"}, "requests": {"cpu": "200m"}})),
        [f'{C0}.resources.requests: Invalid value: "200m": must be less than or equal to cpu limit of 100m'],
    ),
    (
        pod(container(resources={"requests": {"memory": "-1Gi"}})),
        [f'{C0}.resources.requests[memory]: Invalid value: "-1Gi": must be greater than or equal to 0'],
    ),
    (
        pod(container(resources={"requests": {"cpus": "1"}})),
        [
            f"{C0}.resources.requests[cpus]: Invalid value: cpus: must be a standard resource type or fully qualified",
            f"{C0}.resources.requests[cpus]: Invalid value: cpus: must be a standard resource for containers",
        ],
    ),
    (
        pod(container(resources={"limits": {"example.com/gpu": "2"}, "requests": {"example.com/gpu": "1"}})),
        [f'{C0}.resources.requests: Invalid value: "1": must be equal to example.com/gpu limit of 2'],
    ),
    (
        pod(container(volumeMounts=[{"name": "data", "mountPath": "/data"}])),
        [f'{C0}.volumeMounts[0].name: Not found: "data"'],
    ),
    (
        pod(container(volumeMounts=[{"name": "data", "mountPath": ""}]), volumes=[{"name": "data"}]),
        [f"{C0}.volumeMounts[0].mountPath: Required value"],
    ),
    (
        pod(
            container(volumeMounts=[{"name": "cm", "mountPath": "/a"}, {"name": "cm", "mountPath": "/a"}]),
            volumes=[{"name": "cm", "configMap": {"name": "x"}}],
        ),
        [f'{C0}.volumeMounts[1].mountPath: Invalid value: "/a": must be unique'],
    ),
    (
        pod(volumes=[{"name": "Data", "emptyDir": {}}, {"name": "x", "emptyDir": {}, "secret": {"secretName": "s"}}]),
        [
            f'spec.volumes[0].name: Invalid value: "Data": {DNS_LABEL}',
            "spec.volumes[1].secret: Forbidden: may not specify more than 1 volume type",
        ],
    ),
    (
        pod(volumes=[{"name": "v", "emptyDir": {}}, {"name": "v", "configMap": {"name": "c"}}]),
        ['spec.volumes[1].name: Duplicate value: "v"'],
    ),
    (
        pod(volumes=[{"name": "v", "persistentVolumeClaim": {}}, {"name": "h", "hostPath": {"path": "/a/../b"}}]),
        [
            "spec.volumes[0].persistentVolumeClaim.claimName: Required value",
            "spec.volumes[1].hostPath.path: Invalid value: \"/a/../b\": must not contain '..'",
        ],
    ),
    (
        pod(container(livenessProbe={"exec": {"command": ["true"]}, "httpGet": {"port": 80}, "successThreshold": 2})),
        [
            f"{C0}.livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type",
            f"{C0}.livenessProbe.successThreshold: Invalid value: 2: must be 1",
        ],
    ),
    (
        pod(container(readinessProbe={"periodSeconds": -1})),
        [
            f"{C0}.readinessProbe: Required value: must specify a handler type",
            f"{C0}.readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0",
        ],
    ),
    (
        pod(container(startupProbe={"httpGet": {"port": "web-http-port-xyz"}})),
        [f'{C0}.startupProbe.httpGet.port: Invalid value: "web-http-port-xyz": must be no more than 15 characters'],
    ),
    (
        pod(container(lifecycle={"preStop": {"sleep": {"seconds": 60}}}), terminationGracePeriodSeconds=30),
        [
            f"{C0}.lifecycle.preStop.sleep: Invalid value: 60: must be non-negative and less than "
            "terminationGracePeriodSeconds (30)"
        ],
    ),
    (
        pod(initContainers=[container(name="init", livenessProbe={"exec": {"command": ["true"]}})]),
        [
            "spec.initContainers[0].livenessProbe: Forbidden: "
            "may not be set for init containers without restartPolicy=Always"
        ],
    ),
    (
        pod(restartPolicy="Sometimes", dnsPolicy="Nope"),
        [
            'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
            'spec.dnsPolicy: Unsupported value: "Nope": supported values: "ClusterFirstWithHostNet", "ClusterFirst", '
            '"Default", "None"',
        ],
    ),
    (
        pod(nodeName="Node_1", activeDeadlineSeconds=0, hostname="a.b"),
        [
            f'spec.nodeName: Invalid value: "Node_1": {DNS_SUBDOMAIN}',
            "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive",
            'spec.hostname: Invalid value: "a.b": must not contain dots',
        ],
    ),
    (
        pod(tolerations=[{"key": "k", "operator": "Foo"}, {"operator": "Equal", "value": "v", "tolerationSeconds": 5}]),
        [
            'spec.tolerations[0].operator: Unsupported value: "Foo": supported values: "Equal", "Exists"',
            'spec.tolerations[1].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, '
            'which means "match all values and all keys"',
            'spec.tolerations[1].effect: Invalid value: "": '
            "effect must be 'NoExecute' when `tolerationSeconds` is set",
        ],
    ),
    (
        pod(dnsPolicy="None"),
        ["spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"],
    ),
    (
        pod(ephemeralContainers=[container(name="debug")]),
        ["spec.ephemeralContainers: Forbidden: cannot be set on create"],
    ),
    (
        pod(nodeName="n1", schedulingGates=[{"name": "example.com/gate"}]),
        ["spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared"],
    ),
    (
        pod(container(image=" nginx")),
        [f'{C0}.image: Invalid value: " nginx": must not have leading or trailing whitespace'],
    ),
]


@pytest.mark.parametrize(("obj", "expected"), CASES)
def test_create(obj: Obj, expected: list[str]) -> None:
    assert messages(obj) == expected


def test_checks_come_in_validate_pod_spec_order() -> None:
    obj = pod(
        container(name="", ports=[{"containerPort": 0}], volumeMounts=[{"name": "x", "mountPath": "/x"}]),
        volumes=[{"name": "V"}],
        restartPolicy="Sometimes",
    )
    assert messages(obj) == [
        f'spec.volumes[0].name: Invalid value: "V": {DNS_LABEL}',
        f"{C0}.name: Required value",
        f"{C0}.ports[0].containerPort: Required value",
        f'{C0}.volumeMounts[0].name: Not found: "x"',
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]


def test_mirror_and_deletion_cost_annotations() -> None:
    obj = pod()
    obj["metadata"]["annotations"] = {
        "kubernetes.io/config.mirror": "x",
        "controller.kubernetes.io/pod-deletion-cost": "high",
    }
    assert messages(obj) == [
        'metadata.annotations[kubernetes.io/config.mirror]: Invalid value: "x": '
        "must set spec.nodeName if mirror pod annotation is set",
        'metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "high": '
        "must be a 32bit integer",
    ]


def test_template_spec_paths_and_host_ports() -> None:
    template: Obj = {
        "metadata": {"labels": {"app": "-bad"}},
        "spec": {
            "hostNetwork": True,
            "containers": [container(ports=[{"containerPort": 80}, {"containerPort": 81, "hostPort": 82}])],
            "ephemeralContainers": [container(name="debug")],
        },
    }
    default_pod_template(template)
    label_value = (
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
        "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
        "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
    )
    assert [str(e) for e in validate_pod_template_spec(template, "spec.template")] == [
        f'spec.template.labels: Invalid value: "-bad": {label_value}',
        "spec.template.spec.containers[0].ports[1].hostPort: Invalid value: 82: "
        "must match `containerPort` when `hostNetwork` is true",
        "spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template",
    ]


def test_pod_spec_alone_is_template_flavoured() -> None:
    spec = copy.deepcopy(pod()["spec"])
    spec["hostNetwork"] = True
    spec["containers"][0]["ports"] = [{"containerPort": 80, "protocol": "TCP"}]
    assert validate_pod_spec(spec, "spec") == []
    assert [str(e) for e in validate_pod_spec(spec, "spec", is_pod=True)] == [
        f"{C0}.ports[0].hostPort: Invalid value: 0: must match `containerPort` when `hostNetwork` is true"
    ]


def test_through_the_registry() -> None:
    rt = Catalog.load().get("", "v1", "pods")
    assert rt is not None
    obj = pod(container(image="", ports=[{"containerPort": -1}]), volumes=[{"name": "cache", "emptyDir": {}}])
    errs = validate_kind(rt, obj)
    err = invalid_object(rt.kind, rt.group, "web", errs)
    assert err.code == 422
    assert err.message == (
        f'Pod "web" is invalid: [{C0}.image: Required value, {C0}.ports[0].containerPort: Invalid value: -1: '
        f"{PORT_RANGE}]"
    )
    assert err.details is not None
    assert err.details["causes"][1] == {
        "reason": "FieldValueInvalid",
        "message": f"Invalid value: -1: {PORT_RANGE}",
        "field": f"{C0}.ports[0].containerPort",
    }
